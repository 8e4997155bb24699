//! AsciiDoc (docs.asciidoctor.org, "Document Structure" to "Text
//! Formatting") rewritten into markdown line for line: `=` section titles
//! with their level (`= Title` is the document's title), `*bold*` and
//! `_italic_` with one mark, `*`/`-`/`.` lists and their `+` continuations,
//! `term:: text` description items, `----` listing and `....` literal
//! blocks as fenced code (the language from a `[source,LANG]` line above),
//! `____` quotes, links; attribute entries (`:toc:`), block attribute and
//! anchor lines, `//` comments and `////` comment blocks, block macros
//! (`image::`, `include::`, `ifdef::`) and other delimiters as no content.

use super::inline::{self, Emphasis};
use super::{Rewritten, dedent, indent, quoted};

const MARKS: &[(char, Emphasis)] = &[('*', Emphasis::Strong), ('_', Emphasis::Em)];

/// Whether text looks written in AsciiDoc: two kinds of its own marks
/// (`==` titles, attribute entries, `[source]` lines, block macros), or
/// three `==` titles; markdown and plain text have none of them.
pub fn looks_like_asciidoc(text: &str) -> bool {
    let (mut titles, mut attributes, mut blocks, mut macros) = (0, false, false, false);
    for line in text.lines().take(2000) {
        if section_title(line).is_some() {
            titles += 1;
        } else if attribute_entry(line) {
            attributes = true;
        } else if line.starts_with("[source") || admonition_block(line) {
            blocks = true;
        } else if block_macro(line) {
            macros = true;
        }
        let kinds = usize::from(titles > 0)
            + usize::from(attributes)
            + usize::from(blocks)
            + usize::from(macros);
        if kinds >= 2 || titles >= 3 {
            return true;
        }
    }
    false
}

/// A section title (`== Title`): its level (0 for `=`) and its text.
fn section_title(line: &str) -> Option<(usize, &str)> {
    let marks = line.bytes().take_while(|b| *b == b'=').count();
    let text = line[marks..].strip_prefix(' ')?.trim();
    ((1..=6).contains(&marks) && !text.is_empty() && !text.starts_with('='))
        .then(|| (marks - 1, text))
}

/// `:name: value`, `:name!:`: an attribute entry.
fn attribute_entry(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(':') else {
        return false;
    };
    let Some((name, value)) = rest.split_once(':') else {
        return false;
    };
    let name = name.trim_end_matches('!').trim_start_matches('!');
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && (value.is_empty() || value.starts_with(' '))
}

/// `[NOTE]`, `[TIP]`...: an admonition block's style line.
fn admonition_block(line: &str) -> bool {
    matches!(
        line.trim(),
        "[NOTE]" | "[TIP]" | "[IMPORTANT]" | "[WARNING]" | "[CAUTION]"
    )
}

/// `image::file.png[]`, `include::part.adoc[]`, `ifdef::attr[]`: a line
/// that is one block macro.
fn block_macro(line: &str) -> bool {
    let line = line.trim_end();
    let Some((name, rest)) = line.split_once("::") else {
        return false;
    };
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !rest.starts_with(' ')
        && line.ends_with(']')
        && rest.contains('[')
}

/// A delimiter line of a block: four or more of one mark (two for an open
/// block's `--`), or a table's `|===`.
fn delimiter(line: &str) -> Option<&str> {
    let trimmed = line.trim_end();
    if trimmed == "--" || trimmed.starts_with("|===") && trimmed[1..].bytes().all(|b| b == b'=') {
        return Some(trimmed);
    }
    let first = trimmed.bytes().next()?;
    (b"-.=*_+/".contains(&first) && trimmed.len() >= 4 && trimmed.bytes().all(|b| b == first))
        .then_some(trimmed)
}

/// A list item: its nesting depth and whether it is ordered, and its text.
fn list_item(line: &str) -> Option<(usize, bool, &str)> {
    let trimmed = line.trim_start();
    let first = trimmed.bytes().next()?;
    if first == b'-' {
        return trimmed.strip_prefix("- ").map(|text| (1, false, text));
    }
    if first == b'*' || first == b'.' {
        let marks = trimmed.bytes().take_while(|b| *b == first).count();
        let text = trimmed[marks..].strip_prefix(' ')?;
        return (marks <= 5 && !text.trim().is_empty()).then_some((marks, first == b'.', text));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && trimmed[digits..].starts_with(". ") {
        return Some((1, true, &trimmed[digits + 2..]));
    }
    None
}

/// `text`, an AsciiDoc document, in markdown with the same lines.
pub fn to_markdown(text: &str) -> Rewritten {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut rewriter = AsciiDocToMarkdown {
        lines: &lines,
        index: 0,
        out: Vec::with_capacity(lines.len()),
        title: None,
        columns: Vec::new(),
        attached: false,
        language: String::new(),
    };
    while rewriter.index < lines.len() {
        let line = lines[rewriter.index].trim_end_matches('\r');
        rewriter.index += 1;
        rewriter.line(line);
    }
    Rewritten {
        markdown: rewriter.out.join("\n"),
        title: rewriter.title,
    }
}

/// An AsciiDoc document being rewritten, one markdown line (or several,
/// for a block) for each line read.
struct AsciiDocToMarkdown<'a> {
    lines: &'a [&'a str],
    /// The next line to read.
    index: usize,
    out: Vec<String>,
    title: Option<String>,
    /// The markdown column each open list depth's text starts at.
    columns: Vec<usize>,
    /// A `+` joined what follows to the list item above.
    attached: bool,
    /// The language the next block is named in (`[source,python]`).
    language: String,
}

impl AsciiDocToMarkdown<'_> {
    fn line(&mut self, line: &str) {
        if line.trim().is_empty() {
            self.attached = false;
            self.language.clear();
            self.out.push(String::new());
            return;
        }
        let column = if self.attached {
            self.columns.last().copied().unwrap_or(0)
        } else {
            0
        };
        let pad = " ".repeat(column);
        if let Some(mark) = delimiter(line) {
            self.delimited_block(mark, &pad);
            return;
        }
        if line.starts_with("//") {
            self.out.push(String::new());
            return;
        }
        if let Some((level, heading)) = section_title(line) {
            self.columns.clear();
            if level == 0 && self.title.is_none() {
                self.title = Some(inline_text(heading));
            }
            self.out.push(format!(
                "{} {}",
                "#".repeat(level + 1),
                inline_text(heading)
            ));
            return;
        }
        if attribute_entry(line) || block_macro(line) || line.trim() == "<<<" {
            self.out.push(String::new());
            return;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.contains("](") {
            self.attribute_list(trimmed);
            return;
        }
        if trimmed == "+" && !self.columns.is_empty() {
            self.attached = true;
            self.out.push(String::new());
            return;
        }
        if trimmed == "'''" {
            self.out.push("* * *".to_owned());
            return;
        }
        if let Some(block_title) = trimmed.strip_prefix('.')
            && block_title.starts_with(|c: char| c.is_alphanumeric())
            && list_item(line).is_none()
        {
            self.out.push(inline_text(block_title));
            return;
        }
        if let Some((depth, ordered, body)) = list_item(line) {
            self.list_item(depth, ordered, body);
            return;
        }
        self.text_line(line, trimmed, &pad);
    }

    /// A delimited block (`----` to `----`): code, a comment, a quote, or
    /// text of the document's own.
    fn delimited_block(&mut self, mark: &str, pad: &str) {
        let end = self.lines[self.index..]
            .iter()
            .position(|next| next.trim_end() == mark);
        let Some(end) = end else {
            self.out.push(String::new());
            return;
        };
        let body = &self.lines[self.index..self.index + end];
        self.index += end + 1;
        let out = &mut self.out;
        match mark.as_bytes()[0] {
            b'-' | b'.' if mark != "--" => {
                out.push(format!("{pad}```{}", self.language));
                for code in body {
                    out.push(format!("{pad}{}", code.replace("```", "ˋˋˋ")));
                }
                out.push(format!("{pad}```"));
            }
            b'/' => out.extend(std::iter::repeat_n(String::new(), body.len() + 2)),
            b'_' => {
                out.push(String::new());
                out.extend(quoted(pad, body.iter().map(|line| inline_text(line))));
                out.push(String::new());
            }
            _ => {
                // Example, sidebar, open and passthrough blocks and
                // tables: their text is the document's own.
                out.push(String::new());
                let inner = to_markdown(&body.join("\n")).markdown;
                out.extend(inner.split('\n').map(|line| format!("{pad}{line}")));
                out.push(String::new());
            }
        }
        self.language.clear();
    }

    /// `[source,python]` or `[,python]` names the next block's language;
    /// any other attribute line or anchor says nothing.
    fn attribute_list(&mut self, trimmed: &str) {
        let inside = trimmed.trim_start_matches('[').trim_end_matches(']');
        let mut parts = inside.split(',').map(str::trim);
        if matches!(parts.next(), Some("source" | "")) {
            self.language = parts.next().unwrap_or("").to_owned();
        }
        self.out.push(String::new());
    }

    /// A list item at `depth`, its marker in markdown's terms.
    fn list_item(&mut self, depth: usize, ordered: bool, body: &str) {
        let columns = &mut self.columns;
        columns.truncate(depth - 1);
        let column = columns.last().copied().unwrap_or(0);
        let marker = if ordered { "1. " } else { "- " };
        while columns.len() < depth - 1 {
            columns.push(column);
        }
        columns.push(column + marker.len());
        self.attached = false;
        self.out.push(format!(
            "{}{marker}{}",
            " ".repeat(column),
            description(body)
        ));
    }

    /// A line of a paragraph; an indented paragraph is a literal one.
    fn text_line(&mut self, line: &str, trimmed: &str, pad: &str) {
        if indent(line) > 0 && !self.attached {
            self.out.push(format!(
                "{pad}{}",
                inline::code_span(dedent(line, indent(line)))
            ));
            return;
        }
        let body = description(trimmed);
        self.out.push(format!(
            "{pad}{}",
            escape_block_start(body.strip_suffix(" +").unwrap_or(&body))
        ));
    }
}

/// A description item (`term:: text`, `term;; text`) as `**term**: text`.
fn description(line: &str) -> String {
    for separator in [":::: ", "::: ", ":: ", ";; "] {
        if let Some((term, text)) = line.split_once(separator)
            && !term.trim().is_empty()
            && !term.ends_with(':')
        {
            return format!("**{}**: {}", inline_text(term.trim()), inline_text(text));
        }
    }
    for separator in ["::::", ":::", "::", ";;"] {
        if let Some(term) = line.strip_suffix(separator)
            && !term.trim().is_empty()
            && !term.ends_with(':')
        {
            return format!("**{}**", inline_text(term.trim()));
        }
    }
    inline_text(line)
}

/// Marks that would open a markdown block where AsciiDoc has text.
fn escape_block_start(line: &str) -> String {
    if line.starts_with('>') || line.starts_with("# ") {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}

/// Links (`https://host[text]`, `link:target[text]`, `<<id,text>>`) and
/// emphasis in markdown.
pub fn inline_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next_link = ["https://", "http://", "link:", "<<"]
            .iter()
            .filter_map(|start| rest.find(start).map(|at| (at, *start)))
            .min();
        let Some((at, start)) = next_link else {
            break;
        };
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if start == "<<" {
            match after.find(">>") {
                Some(end) => {
                    let inside = &after[2..end];
                    out.push_str(
                        inside
                            .split_once(',')
                            .map_or(inside, |(_, text)| text.trim()),
                    );
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str("<<");
                    rest = &after[2..];
                }
            }
            continue;
        }
        let target_end = after
            .find(|c: char| c.is_whitespace() || c == '[')
            .unwrap_or(after.len());
        let target = after[..target_end].trim_start_matches("link:");
        let label = after[target_end..]
            .strip_prefix('[')
            .and_then(|inner| inner.find(']').map(|end| &inner[..end]));
        match label {
            Some(label) => {
                let label = if label.is_empty() { target } else { label };
                out.push_str(&format!("[{label}]({target})"));
                rest = &after[target_end + label_len(&after[target_end..])..];
            }
            None => {
                out.push_str(&after[..target_end]);
                rest = &after[target_end..];
            }
        }
    }
    out.push_str(rest);
    inline::rewrite(&out, MARKS)
}

/// The length of `[label]` at the start of `text`.
fn label_len(text: &str) -> usize {
    text.find(']').map_or(0, |end| end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(text: &str) -> String {
        to_markdown(text).markdown
    }

    #[test]
    fn titles_attributes_and_comments() {
        let adoc = "= Go Notes\n:toc:\n:icons: font\n// a comment\n\n== What is a *goroutine*?\n\nA _light_ thread.\n";
        let read = to_markdown(adoc);
        assert_eq!(read.title.as_deref(), Some("Go Notes"));
        assert_eq!(
            read.markdown,
            "# Go Notes\n\n\n\n\n## What is a **goroutine**?\n\nA *light* thread.\n"
        );
    }

    #[test]
    fn listing_blocks_are_code_in_their_language() {
        let adoc = "[source,go]\n----\ngo f()\n----\n....\n$ ls\n....\n////\nhidden\n////\n";
        assert_eq!(
            markdown(adoc),
            "\n```go\ngo f()\n```\n```\n$ ls\n```\n\n\n\n"
        );
    }

    #[test]
    fn lists_nest_by_their_marks_and_take_continuations() {
        let adoc = "* one\n** two\n. first\n* three\n+\nmore of three\n\nCPU:: the processor\nimage::diagram.png[]\n";
        assert_eq!(
            markdown(adoc),
            "- one\n  - two\n1. first\n- three\n\n  more of three\n\n**CPU**: the processor\n\n"
        );
    }

    #[test]
    fn links_and_bold_lines() {
        assert_eq!(
            inline_text("*Q1. What is https://go.dev[Go]?* see <<intro,the intro>>"),
            "**Q1. What is [Go](https://go.dev)?** see the intro"
        );
        assert_eq!(inline_text("**already bold**"), "**already bold**");
    }

    #[test]
    fn asciidoc_is_told_by_its_own_marks() {
        assert!(looks_like_asciidoc("= T\n:toc:\n"));
        assert!(looks_like_asciidoc("== A\n== B\n== C\n"));
        assert!(!looks_like_asciidoc("# T\n\nText: with colons\n"));
        assert!(!looks_like_asciidoc("Title\n=====\n\nText.\n"));
        assert!(!looks_like_asciidoc(" = not a title\n"));
    }
}
