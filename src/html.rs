//! HTML read as tags and text, defined once: the importer finds
//! `<details>` elements in the HTML of markdown notes and the text of
//! summaries and headings with it, and the Anki reader builds the tree of
//! a field's HTML from it. Both read what people and editors write, so it
//! forgives what browsers forgive, and never fails: a `<` that opens no tag
//! is text, a tag without its `>` runs to the end of the text (whoever
//! reads it says what that means), and every tag knows where it stands.
//!
//! Trees, nesting and what an element means are the callers' own; the
//! lexing of tags, comments, attributes and character references is here.

use std::borrow::Cow;

/// A piece of HTML, in the order the text holds them.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// Text as written (character references not yet decoded: [`decode`]).
    Text(&'a str),
    Tag(Tag<'a>),
    /// A comment, a declaration (`<!DOCTYPE html>`, `<?xml ...?>`) or an
    /// end tag without a name (`</>`, `</ b>`): nothing a reader shows.
    Comment(&'a str),
}

/// A start or end tag: `<a href="x">`, `</p>`, `<br/>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag<'a> {
    /// Where its `<` stands, and where it ends: past its `>`, or at the end
    /// of the text when it has none.
    pub start: usize,
    pub end: usize,
    /// Whether it ends with its `>` (a tag without one runs to the end).
    pub closed: bool,
    /// `</name>`.
    pub closing: bool,
    /// The name as written (compare with [`Tag::is`], or lowercase it).
    pub name: &'a str,
    /// What follows the name, up to the `>`.
    pub rest: &'a str,
    /// Everything from the `<` to the end.
    pub source: &'a str,
}

impl<'a> Tag<'a> {
    /// Whether this tag is named `name` (given in lowercase), whatever the
    /// case it is written in.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Whether it closes itself: `<br/>`, `<img src=x />`.
    pub fn self_closing(&self) -> bool {
        self.closed && self.rest.ends_with('/')
    }

    /// Its attributes, names lowercased and values decoded: `href="x"`,
    /// `class=y`, `'single'` quotes, and bare names (`disabled`, value
    /// empty).
    pub fn attributes(&self) -> Vec<(String, String)> {
        let mut attributes = Vec::new();
        let mut rest = self.rest.trim_end_matches('/').trim();
        while !rest.is_empty() {
            let key_end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let key = rest[..key_end].to_ascii_lowercase();
            rest = rest[key_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (raw, remaining) = match after.chars().next() {
                    Some(quote @ ('"' | '\'')) => {
                        let inner = &after[1..];
                        let end = inner.find(quote).unwrap_or(inner.len());
                        (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_whitespace())
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = decode(raw).into_owned();
                rest = remaining.trim_start();
            }
            if !key.is_empty() {
                attributes.push((key, value));
            }
        }
        attributes
    }
}

/// The tokens of an HTML text, in order.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens { html, at: 0 }
}

/// An iterator over the [`Token`]s of a text; see [`tokens`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    html: &'a str,
    at: usize,
}

impl<'a> Tokens<'a> {
    /// Skips the text of a raw text element (`<script>`, `<style>`), whose
    /// start tag was the last token: past its end tag, or to the end of
    /// the text when it has none.
    pub fn skip_raw_text(&mut self, name: &str) {
        let rest = &self.html[self.at..];
        let closing = format!("</{name}");
        let skipped = rest
            .to_ascii_lowercase()
            .find(&closing)
            .and_then(|at| rest[at..].find('>').map(|end| at + end + 1))
            .unwrap_or(rest.len());
        self.at += skipped;
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let html = self.html;
        let start = self.at;
        if start >= html.len() {
            return None;
        }
        // Text runs to the first `<` that opens something.
        let mut from = start;
        while let Some(found) = memchr::memchr(b'<', &html.as_bytes()[from..]) {
            let at = from + found;
            if let Some((token, end)) = markup_at(html, at) {
                if at > start {
                    self.at = at;
                    return Some(Token::Text(&html[start..at]));
                }
                self.at = end;
                return Some(token);
            }
            from = at + 1;
        }
        self.at = html.len();
        Some(Token::Text(&html[start..]))
    }
}

/// The tag or comment whose `<` stands at `at`, and where it ends; `None`
/// when that `<` is text (`a < b`, `<3`, a word being typed: `<det`).
fn markup_at(html: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let after = &html[at + 1..];
    if let Some(comment) = after.strip_prefix("!--") {
        // (an unclosed comment runs to the end)
        let end = comment
            .find("-->")
            .map_or(html.len(), |end| html.len() - comment.len() + end + 3);
        return Some((Token::Comment(&html[at..end]), end));
    }
    let gt = after.find('>');
    let end = gt.map_or(html.len(), |gt| at + 1 + gt + 1);
    let inner = &after[..gt.unwrap_or(after.len())];
    let (closing, named) = match inner.strip_prefix('/') {
        Some(named) => (true, named),
        None => (false, inner),
    };
    if !named.starts_with(|c: char| c.is_ascii_alphabetic()) {
        // `<!...>`, `<?...>` and `</...>` without a name are comments, when
        // they have their `>`.
        let comment = gt.is_some() && (closing || inner.starts_with(['!', '?']));
        return comment.then(|| (Token::Comment(&html[at..end]), end));
    }
    let name_end = named
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(named.len());
    if gt.is_none() && name_end == named.len() {
        // (a name running to the end of the text is a word being typed)
        return None;
    }
    let tag = Tag {
        start: at,
        end,
        closed: gt.is_some(),
        closing,
        name: &named[..name_end],
        rest: &named[name_end..],
        source: &html[at..end],
    };
    Some((Token::Tag(tag), end))
}

/// Decodes character references (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;`, `&nbsp;` as a plain space, `&#39;`, `&#x27;`); unknown ones
/// stay as written.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let character = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    }?;
                    char::from_u32(value)
                }
            }?;
            Some((character, end))
        });
        match decoded {
            Some((character, end)) => {
                out.push(character);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text of an HTML fragment: tags and comments dropped (each tag a
/// space), character references decoded, white space collapsed.
pub fn text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    for token in tokens(html) {
        match token {
            Token::Text(part) => text.push_str(part),
            Token::Tag(_) | Token::Comment(_) => text.push(' '),
        }
    }
    let text = decode(&text);
    let mut words = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

/// Whether an HTML fragment has any letter or digit outside its tags and
/// comments (what [`text`] would keep), without building the text.
pub fn has_text(html: &str) -> bool {
    tokens(html).any(|token| match token {
        Token::Text(part) => part.chars().any(char::is_alphanumeric),
        Token::Tag(_) | Token::Comment(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<(usize, usize, bool, String)> {
        tokens(html)
            .filter_map(|token| match token {
                Token::Tag(tag) => Some((tag.start, tag.end, tag.closing, tag.name.to_string())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tags_know_where_they_stand() {
        let html = "a <b>bold</B> <br/> c";
        assert_eq!(
            tags(html),
            [
                (2, 5, false, "b".to_string()),
                (9, 13, true, "B".to_string()),
                (14, 19, false, "br".to_string()),
            ]
        );
        let Some(Token::Tag(br)) = tokens(html).nth(5) else {
            panic!("no <br/>");
        };
        assert!(br.self_closing());
    }

    #[test]
    fn a_less_than_sign_that_opens_no_tag_is_text() {
        let pieces: Vec<Token> = tokens("a < b, 1 <3 and <det").collect();
        assert_eq!(pieces, [Token::Text("a < b, 1 <3 and <det")]);
        assert_eq!(text("List< String > of <i>x</i>"), "List< String > of x");
    }

    #[test]
    fn a_tag_without_its_angle_bracket_runs_to_the_end() {
        let html = "x <details ?</summary";
        let pieces: Vec<Token> = tokens(html).collect();
        assert_eq!(pieces.len(), 2);
        let Token::Tag(tag) = &pieces[1] else {
            panic!("{pieces:?}");
        };
        assert!(!tag.closed && tag.is("details") && tag.end == html.len());
    }

    #[test]
    fn comments_and_declarations_are_no_tags() {
        let html = "<!DOCTYPE html><!-- <details> -->a</>b<?xml?><!-- open";
        let kept: Vec<&str> = tokens(html)
            .filter_map(|token| match token {
                Token::Text(text) => Some(text),
                _ => None,
            })
            .collect();
        assert_eq!(kept, ["a", "b"]);
        assert!(tags(html).is_empty());
    }

    #[test]
    fn attributes_are_named_in_lowercase_and_decoded() {
        let Some(Token::Tag(tag)) = tokens("<A HREF='x&amp;y' class=z disabled/>").next() else {
            panic!("no tag");
        };
        assert_eq!(
            tag.attributes(),
            [
                ("href".to_string(), "x&y".to_string()),
                ("class".to_string(), "z".to_string()),
                ("disabled".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn references_decode_and_unknown_ones_stay() {
        assert_eq!(
            decode("&lt;a&gt; &amp;lt; &#39;&#x41;&apos; &bogus; &"),
            "<a> &lt; 'A' &bogus; &"
        );
        assert_eq!(
            text("<summary> What&nbsp;is <code>a</code>?</summary>"),
            "What is a ?"
        );
        assert!(!has_text("<br> <!-- note --> <p></p>"));
        assert!(has_text("<p>x</p>"));
    }
}
