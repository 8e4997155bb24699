//! Cards are markdown; Anki fields are HTML. Markdown becomes HTML through
//! pulldown-cmark's own renderer (code blocks keep their language as a
//! `language-*` class, tables, emphasis, lists). HTML comes back as
//! markdown through a small tolerant reader of the HTML that Anki's editor
//! and prep's renderer write (the tree in [`mod@parse`], its markdown here):
//! paragraphs and line breaks, emphasis, code, lists, tables, links,
//! headings, quotes. Images and `[sound:...]` references are kept, and
//! listed, for [`super::package_media`] to carry their files.

mod parse;

use pulldown_cmark::{Event, Parser};

use parse::{Node, parse};

/// A card's markdown as HTML.
pub fn to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 5 / 4 + 16);
    // (a line break where the author put one, as the reviewer shows it)
    let events = Parser::new_ext(markdown, crate::markdown::options()).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        event => event,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
}

/// Markdown read back from a field, and the media it refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FromHtml {
    pub markdown: String,
    /// Image sources and `[sound:...]` names, in order.
    pub media: Vec<String>,
}

/// An HTML field as markdown.
pub fn to_markdown(html: &str) -> FromHtml {
    let nodes = parse(html);
    let mut writer = Writer::default();
    let blocks = writer.blocks(&nodes);
    let markdown = blocks.join("\n\n").trim().to_string();
    FromHtml {
        markdown,
        media: writer.media,
    }
}

/// Writes a tree as markdown, collecting media on the way.
#[derive(Default)]
struct Writer {
    media: Vec<String>,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "ul"
            | "ol"
            | "pre"
            | "table"
            | "blockquote"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
    )
}

impl Writer {
    /// The blocks of a sequence of nodes: runs of inline content become
    /// paragraphs (split at `<br>`), block elements their own blocks.
    fn blocks(&mut self, nodes: &[Node]) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut line = String::new();
        let mut paragraph: Vec<String> = Vec::new();
        let flush_line = |line: &mut String, paragraph: &mut Vec<String>| {
            let text = line.trim().to_string();
            if !text.is_empty() {
                paragraph.push(text);
            }
            line.clear();
        };
        let flush = |line: &mut String, paragraph: &mut Vec<String>, blocks: &mut Vec<String>| {
            flush_line(line, paragraph);
            if !paragraph.is_empty() {
                // (a line break is a newline in prep's markdown, as the
                // reviewer shows it)
                blocks.push(paragraph.join("\n"));
                paragraph.clear();
            }
        };
        for node in nodes {
            match node {
                Node::Element { name, .. } if name == "br" => {
                    flush_line(&mut line, &mut paragraph);
                }
                Node::Element { name, .. } if is_block(name) => {
                    flush(&mut line, &mut paragraph, &mut blocks);
                    let block = self.block(node);
                    if !block.trim().is_empty() {
                        blocks.push(block);
                    }
                }
                _ => line.push_str(&self.inline(node)),
            }
        }
        flush(&mut line, &mut paragraph, &mut blocks);
        blocks
    }

    fn block(&mut self, node: &Node) -> String {
        let Node::Element { name, children, .. } = node else {
            return String::new();
        };
        match name.as_str() {
            "hr" => "---".to_string(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = usize::from(name.as_bytes()[1] - b'0');
                format!("{} {}", "#".repeat(level), self.inlines(children).trim())
            }
            "pre" => {
                let code = children
                    .iter()
                    .find(|child| matches!(child, Node::Element { name, .. } if name == "code"));
                let language = code
                    .and_then(|code| code.attribute("class"))
                    .and_then(|class| {
                        class
                            .split_whitespace()
                            .find_map(|class| class.strip_prefix("language-"))
                    })
                    .unwrap_or("");
                let text = plain_text(children);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                let fence = if text.contains("```") { "~~~" } else { "```" };
                format!("{fence}{language}\n{text}\n{fence}")
            }
            "ul" | "ol" => self.list(node),
            "blockquote" => self
                .blocks(children)
                .join("\n\n")
                .lines()
                .map(|line| {
                    if line.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {line}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            "table" => self.table(children),
            _ => self.blocks(children).join("\n\n"),
        }
    }

    fn list(&mut self, node: &Node) -> String {
        let Node::Element { name, children, .. } = node else {
            return String::new();
        };
        let ordered = name == "ol";
        let mut number: u64 = node
            .attribute("start")
            .and_then(|start| start.parse().ok())
            .unwrap_or(1);
        let mut items = Vec::new();
        for child in children {
            let Node::Element {
                name,
                children: item,
                ..
            } = child
            else {
                continue;
            };
            if name != "li" {
                continue;
            }
            let marker = if ordered {
                format!("{number}. ")
            } else {
                "- ".to_string()
            };
            number += 1;
            // A tight item (no paragraphs of its own) keeps a nested list
            // on the next line; a loose one leaves a blank line.
            let tight = !item
                .iter()
                .any(|node| matches!(node, Node::Element { name, .. } if name == "p"));
            let body = self.blocks(item).join(if tight { "\n" } else { "\n\n" });
            let pad = " ".repeat(marker.len());
            let mut text = String::new();
            for (index, line) in body.lines().enumerate() {
                if index == 0 {
                    text.push_str(&marker);
                } else {
                    text.push('\n');
                    if !line.is_empty() {
                        text.push_str(&pad);
                    }
                }
                text.push_str(line);
            }
            if body.is_empty() {
                text.push_str(marker.trim_end());
            }
            items.push(text);
        }
        // A list whose items hold paragraphs is loose: blank lines between.
        let loose = children.iter().any(|child| match child {
            Node::Element { name, children, .. } if name == "li" => children
                .iter()
                .any(|node| matches!(node, Node::Element { name, .. } if name == "p")),
            _ => false,
        });
        items.join(if loose { "\n\n" } else { "\n" })
    }

    fn table(&mut self, children: &[Node]) -> String {
        let mut rows: Vec<(bool, Vec<String>)> = Vec::new();
        // Column alignment, from the header cells' `text-align`.
        let mut aligns: Vec<&'static str> = Vec::new();
        let mut collect =
            |rows: &mut Vec<(bool, Vec<String>)>, nodes: &[Node], this: &mut Writer| {
                for node in nodes {
                    if let Node::Element { name, children, .. } = node
                        && name == "tr"
                    {
                        let mut header = false;
                        let first_row = rows.is_empty();
                        let cells = children
                            .iter()
                            .filter_map(|cell| match cell {
                                Node::Element { name, children, .. }
                                    if name == "td" || name == "th" =>
                                {
                                    header |= name == "th";
                                    if first_row {
                                        let style = cell.attribute("style").unwrap_or("");
                                        aligns.push(if style.contains("center") {
                                            " :---: |"
                                        } else if style.contains("right") {
                                            " ---: |"
                                        } else if style.contains("left") {
                                            " :--- |"
                                        } else {
                                            " --- |"
                                        });
                                    }
                                    Some(this.inlines(children).trim().replace('|', "\\|"))
                                }
                                _ => None,
                            })
                            .collect();
                        rows.push((header, cells));
                    }
                }
            };
        for node in children {
            match node {
                Node::Element { name, children, .. }
                    if matches!(name.as_str(), "thead" | "tbody" | "tfoot") =>
                {
                    collect(&mut rows, children, self)
                }
                _ => collect(&mut rows, std::slice::from_ref(node), self),
            }
        }
        let width = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
        if width == 0 {
            return String::new();
        }
        let line = |cells: &[String]| {
            let mut cells = cells.to_vec();
            cells.resize(width, String::new());
            format!("| {} |", cells.join(" | "))
        };
        let mut lines = Vec::new();
        let (head, body) = match rows.first() {
            Some((true, cells)) => (cells.clone(), &rows[1..]),
            _ => (vec![String::new(); width], &rows[..]),
        };
        lines.push(line(&head));
        aligns.resize(width, " --- |");
        lines.push(format!("|{}", aligns.concat()));
        for (_, cells) in body {
            lines.push(line(cells));
        }
        lines.join("\n")
    }

    /// Text as markdown: markup characters escaped, except in Anki's own
    /// `[sound:name]` references, which are kept and counted as media.
    fn text(&mut self, text: &str) -> String {
        let text = collapse_space(text);
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find("[sound:") {
            let Some(end) = rest[start..].find(']') else {
                break;
            };
            out.push_str(&escape(&rest[..start]));
            let reference = &rest[start..start + end + 1];
            self.media
                .push(reference[7..reference.len() - 1].to_string());
            out.push_str(reference);
            rest = &rest[start + end + 1..];
        }
        out.push_str(&escape(rest));
        out
    }

    fn inlines(&mut self, nodes: &[Node]) -> String {
        nodes.iter().map(|node| self.inline(node)).collect()
    }

    fn inline(&mut self, node: &Node) -> String {
        let (name, children) = match node {
            Node::Text(text) => return self.text(text),
            Node::Element { name, children, .. } => (name.as_str(), children),
        };
        let wrap = |this: &mut Writer, mark: &str| {
            let inner = this.inlines(children);
            let trimmed = inner.trim();
            if trimmed.is_empty() {
                inner
            } else {
                // Marks hug the text; the spaces around it stay outside.
                let lead = &inner[..inner.len() - inner.trim_start().len()];
                let trail = &inner[inner.trim_end().len()..];
                format!("{lead}{mark}{trimmed}{mark}{trail}")
            }
        };
        match name {
            "b" | "strong" => wrap(self, "**"),
            "i" | "em" => wrap(self, "*"),
            "s" | "del" | "strike" => wrap(self, "~~"),
            "code" => {
                let text = plain_text(children);
                let ticks = if text.contains('`') { "``" } else { "`" };
                let pad = if text.starts_with('`') || text.ends_with('`') {
                    " "
                } else {
                    ""
                };
                format!("{ticks}{pad}{text}{pad}{ticks}")
            }
            "a" => {
                let text = self.inlines(children);
                match node.attribute("href") {
                    Some(href) if !href.is_empty() => {
                        format!("[{}]({})", text.trim(), destination(href))
                    }
                    _ => text,
                }
            }
            "img" => {
                let source = node.attribute("src").unwrap_or("").to_string();
                let alt = node.attribute("alt").unwrap_or("");
                if !source.is_empty() {
                    self.media.push(source.clone());
                }
                format!("![{alt}]({})", destination(&source))
            }
            "input" if node.attribute("type") == Some("checkbox") => {
                if node.attribute("checked").is_some() {
                    "[x] ".to_string()
                } else {
                    "[ ] ".to_string()
                }
            }
            "br" => "\n".to_string(),
            // Markup markdown has no syntax for, which it passes through as
            // HTML: kept as such.
            "sub" | "sup" | "kbd" | "u" | "mark" | "ins" | "small" | "abbr" => {
                format!("<{name}>{}</{name}>", self.inlines(children))
            }
            _ if is_block(name) => format!(" {} ", self.block(node)),
            _ => self.inlines(children),
        }
    }
}

/// A link destination as markdown reads it back: in angle brackets when it
/// holds spaces or parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// The text of nodes as it is, tags dropped: code keeps its spaces and
/// characters.
fn plain_text(nodes: &[Node]) -> String {
    let mut text = String::new();
    for node in nodes {
        match node {
            Node::Text(part) => text.push_str(part),
            Node::Element { name, .. } if name == "br" => text.push('\n'),
            Node::Element { children, .. } => text.push_str(&plain_text(children)),
        }
    }
    text
}

/// Runs of white space as one space, as HTML shows them; a run with a
/// line break in it stays a line break, which markdown reads as the same
/// soft break (so that a paragraph keeps the lines it was written in).
fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Option<char> = None;
    for character in text.chars() {
        if character.is_whitespace() && character != '\u{a0}' {
            run = Some(match (run, character) {
                (Some('\n'), _) | (_, '\n') => '\n',
                _ => ' ',
            });
        } else {
            if let Some(space) = run.take() {
                out.push(space);
            }
            out.push(character);
        }
    }
    if let Some(space) = run {
        out.push(space);
    }
    out
}

/// Escapes the characters that would be markup in markdown text, and
/// only where they would be: `DENSE_RANK`, `2 * 3`, `a < b` and `C:\dir`
/// stay as they are.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &character) in chars.iter().enumerate() {
        let before = index.checked_sub(1).map(|at| chars[at]);
        let after = chars.get(index + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let markup = match character {
            '`' => true,
            '\\' => after.is_some_and(|c| c.is_ascii_punctuation()),
            // Emphasis needs a run that touches text on one side only.
            '*' => !(space(before) && space(after)),
            '_' => !(word(before) && word(after)),
            '~' => after == Some('~') || before == Some('~'),
            '<' => after.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')),
            '[' => true,
            ']' => matches!(after, Some('(' | '[' | ':')),
            _ => false,
        };
        if markup {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The markdown read back renders to the same HTML.
    fn round_trip(markdown: &str) {
        let html = to_html(markdown);
        let back = to_markdown(&html);
        assert_eq!(
            to_html(&back.markdown),
            html,
            "{markdown:?} came back as {:?}",
            back.markdown
        );
    }

    #[test]
    fn what_cards_hold_comes_back_from_html() {
        round_trip("Plain text.");
        round_trip("**Bold**, *emphasis*, `code` and ~~gone~~.");
        round_trip("Two\n\nparagraphs.");
        round_trip("1. one\n2. two\n   - nested\n   - list\n3. three");
        round_trip("- a\n- b");
        round_trip("```rust\nfn main() {\n    println!(\"<hi>\");\n}\n```");
        round_trip("| a | b |\n| --- | --- |\n| 1 | 2 |");
        round_trip("| a | b | c |\n| :---: | ---: | :--- |\n| 1 | 2 | 3 |");
        round_trip("![formula](https://example.com/render?math=(x_1))");
        round_trip("See [the docs](https://example.com/a_b).");
        round_trip("> quoted\n> text");
        round_trip("## Heading\n\nText with a_b and 2 * 3 < 4.");
    }

    #[test]
    fn only_markup_is_escaped() {
        for text in ["DENSE_RANK()", "2 * 3 = 6", "a < b", "C:\\dir", "array[0]"] {
            let back = to_markdown(&to_html(text)).markdown;
            assert_eq!(
                to_html(&back),
                to_html(text),
                "{text:?} came back as {back:?}"
            );
        }
        assert_eq!(
            to_markdown("<p>DENSE_RANK and 2 * 3 &lt; 4</p>").markdown,
            "DENSE_RANK and 2 * 3 < 4"
        );
        assert_eq!(
            to_markdown("<p>*not emphasis* and _this_</p>").markdown,
            "\\*not emphasis\\* and \\_this\\_"
        );
    }

    #[test]
    fn code_blocks_keep_their_language_as_a_class() {
        assert_eq!(
            to_html("```yaml\na: 1\n```"),
            "<pre><code class=\"language-yaml\">a: 1\n</code></pre>"
        );
    }

    /// Lines written one under another stay so in Anki, and come back as
    /// they were written.
    #[test]
    fn line_breaks_go_to_anki_and_back() {
        let answer = "Situation: an outage.\nTask: restore it.\nResult: back in an hour.";
        let html = to_html(answer);
        assert_eq!(
            html,
            "<p>Situation: an outage.<br />\nTask: restore it.<br />\nResult: back in an hour.</p>"
        );
        assert_eq!(to_markdown(&html).markdown, answer);
    }

    #[test]
    fn anki_editor_html_reads_as_markdown() {
        let back =
            to_markdown("First line<br>second &amp; <b>bold</b><div>A div</div><div><br></div>");
        assert_eq!(back.markdown, "First line\nsecond & **bold**\n\nA div");
        let back = to_markdown("<img src=\"cat.jpg\"> [sound:meow.mp3]");
        assert_eq!(back.media, ["cat.jpg", "meow.mp3"]);
        assert!(back.markdown.contains("![](cat.jpg)"), "{}", back.markdown);
    }

    #[test]
    fn broken_html_does_not_stop_the_reader() {
        for html in [
            "<b>unclosed",
            "</i>stray",
            "<",
            "a < b > c",
            "<a href=x>link",
            "&#xZZ; &bogus;",
        ] {
            let back = to_markdown(html);
            assert!(!back.markdown.is_empty(), "{html:?}");
        }
        // A `<` that opens no tag is text, and the tags after it still read.
        assert_eq!(
            to_markdown("<div>a < b <b>bold</b></div>").markdown,
            "a < b **bold**"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Any field, however broken its HTML, reads as some markdown, and
        /// any markdown renders and reads back without a panic.
        #[test]
        fn any_text_reads_without_panic(
            text in "(<[a-z/!]{0,4}[ a-z=\"']{0,6}>?|&[#a-z0-9]{0,5};?|[^<&]{0,12}|\\[sound:[a-z.]{0,6}\\]?){0,24}"
        ) {
            let _ = to_markdown(&text);
            let _ = to_markdown(&to_html(&text));
        }
    }
}
