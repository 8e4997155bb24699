//! Emphasis marks of Org and AsciiDoc (`*bold*`, `/italic/`, `=verbatim=`,
//! `_italic_`) rewritten into markdown's. Both formats take a mark as
//! emphasis only where it hugs a word: after a line start, a space or an
//! opening bracket, before a space, a punctuation mark or the line's end,
//! never around a space. So `2 * 3 * 4` and `/usr/bin` stay as they are,
//! and markdown code spans and links are copied untouched.

/// What a mark means, in markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// `**text**`
    Strong,
    /// `*text*`
    Em,
    /// `` `text` ``: the text is not read further.
    Code,
    /// `~~text~~`
    Strike,
}

const OPENS_AFTER: &str = "-({'\"[<";
const CLOSES_BEFORE: &str = "-.,;:!?')}]\"\\>";

/// `line` with each mark of `marks` that pairs up rewritten.
pub fn rewrite(line: &str, marks: &[(char, Emphasis)]) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut at = 0;
    while at < chars.len() {
        let ch = chars[at];
        // A markdown code span or link is copied as it is.
        if ch == '`' {
            let run = chars[at..].iter().take_while(|c| **c == '`').count();
            if let Some(close) = find_run(&chars, at + run, '`', run) {
                out.extend(&chars[at..close + run]);
                at = close + run;
                continue;
            }
            out.extend(&chars[at..at + run]);
            at += run;
            continue;
        }
        if ch == '['
            && let Some(end) = markdown_link_end(&chars, at)
        {
            out.extend(&chars[at..end]);
            at = end;
            continue;
        }
        let Some(&(_, emphasis)) = marks.iter().find(|(mark, _)| *mark == ch) else {
            out.push(ch);
            at += 1;
            continue;
        };
        // A doubled mark (`**bold**` in AsciiDoc, markdown's own) is left
        // to markdown, whole.
        if chars.get(at + 1) == Some(&ch) {
            let run = chars[at..].iter().take_while(|c| **c == ch).count();
            out.extend(&chars[at..at + run]);
            at += run;
            continue;
        }
        match closing(&chars, at) {
            Some(close) => {
                let inner: String = chars[at + 1..close].iter().collect();
                match emphasis {
                    Emphasis::Code => out.push_str(&code_span(&inner)),
                    Emphasis::Strong => {
                        out.push_str("**");
                        out.push_str(&rewrite(&inner, marks));
                        out.push_str("**");
                    }
                    Emphasis::Em => {
                        out.push('*');
                        out.push_str(&rewrite(&inner, marks));
                        out.push('*');
                    }
                    Emphasis::Strike => {
                        out.push_str("~~");
                        out.push_str(&rewrite(&inner, marks));
                        out.push_str("~~");
                    }
                }
                at = close + 1;
            }
            None => {
                out.push(ch);
                at += 1;
            }
        }
    }
    out
}

/// Where the mark opening at `open` closes, if it opens at all.
fn closing(chars: &[char], open: usize) -> Option<usize> {
    let mark = chars[open];
    let opens = open == 0 || {
        let before = chars[open - 1];
        before.is_whitespace() || OPENS_AFTER.contains(before)
    };
    let first = *chars.get(open + 1)?;
    if !opens || first.is_whitespace() || first == mark {
        return None;
    }
    (open + 2..chars.len()).find(|&close| {
        chars[close] == mark
            && !chars[close - 1].is_whitespace()
            && chars
                .get(close + 1)
                .is_none_or(|after| after.is_whitespace() || CLOSES_BEFORE.contains(*after))
    })
}

/// The index of the next run of exactly `run` `mark`s from `from`.
fn find_run(chars: &[char], from: usize, mark: char, run: usize) -> Option<usize> {
    let mut at = from;
    while at < chars.len() {
        if chars[at] == mark {
            let length = chars[at..].iter().take_while(|c| **c == mark).count();
            if length == run {
                return Some(at);
            }
            at += length;
        } else {
            at += 1;
        }
    }
    None
}

/// Where a markdown link `[text](target)` opening at `open` ends.
fn markdown_link_end(chars: &[char], open: usize) -> Option<usize> {
    let close = open + chars[open..].iter().position(|c| *c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|c| *c == ')')?;
    Some(end + 1)
}

/// `text` as a markdown code span, fenced past any backticks it holds.
pub fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &[(char, Emphasis)] = &[
        ('*', Emphasis::Strong),
        ('/', Emphasis::Em),
        ('=', Emphasis::Code),
        ('~', Emphasis::Code),
        ('+', Emphasis::Strike),
    ];

    #[test]
    fn marks_that_hug_words_are_emphasis() {
        assert_eq!(
            rewrite("*Q1. What is /this/?* =x = 1= and ~ls~.", ORG),
            "**Q1. What is *this*?** `x = 1` and `ls`."
        );
        assert_eq!(rewrite("(+gone+)", ORG), "(~~gone~~)");
    }

    #[test]
    fn marks_that_do_not_hug_words_stay() {
        for text in [
            "2 * 3 * 4",
            "/usr/bin and /etc",
            "a = b = c",
            "x*y*z",
            "**",
            "*",
            "* list",
        ] {
            assert_eq!(rewrite(text, ORG), text, "{text}");
        }
    }

    #[test]
    fn code_spans_and_links_are_copied() {
        assert_eq!(
            rewrite("`*a*` [see /x/](http://h/a/b/) *b*", ORG),
            "`*a*` [see /x/](http://h/a/b/) **b**"
        );
        assert_eq!(rewrite("=a`b=", ORG), "`` a`b ``");
    }
}
