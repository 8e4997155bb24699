/*!
The block structure of reStructuredText, line by line: section titles and
transitions, lists, field and definition lists, literal blocks, directives
and comments, each written as the markdown lines that stand in for it.
Inline markup is [`super::inline_text`]'s.
*/

use super::super::inline;
use super::super::{Rewritten, common_indent, dedent, indent};
use super::{inline_text, to_markdown};

/// Directives whose block says nothing a card could ask or answer.
const NO_CONTENT: &[&str] = &[
    "image",
    "figure",
    "toctree",
    "contents",
    "include",
    "literalinclude",
    "raw",
    "meta",
    "index",
    "highlight",
    "sectnum",
    "section-numbering",
    "title",
    "default-role",
    "role",
    "header",
    "footer",
    "target-notes",
    "csv-table",
    "list-table",
    "only",
    "tabularcolumns",
];

/// Directives whose block is code.
const CODE: &[&str] = &["code", "code-block", "sourcecode", "math", "parsed-literal"];

/// `.. name:: arguments`: the directive's name and its arguments.
pub(super) fn directive(trimmed: &str) -> Option<(&str, &str)> {
    let rest = trimmed.strip_prefix(".. ")?;
    let (name, arguments) = rest.split_once("::")?;
    let name = name.trim();
    let plain_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:+.".contains(c));
    (plain_name && (arguments.is_empty() || arguments.starts_with(' ')))
        .then_some((name, arguments.trim()))
}

/// A line of one punctuation mark repeated: an adornment.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    (line.len() >= 2 && first.is_ascii_punctuation() && line.chars().all(|c| c == first))
        .then_some(first)
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// A list item: the width of its marker with the space after it, and
/// the marker in markdown.
fn list_item(trimmed: &str) -> Option<(usize, String)> {
    for bullet in ["- ", "* ", "+ ", "• "] {
        if trimmed.starts_with(bullet) {
            return Some((bullet.len(), "- ".to_owned()));
        }
    }
    if trimmed.starts_with("#. ") {
        return Some((3, "1. ".to_owned()));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits)
        && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')'))
        && trimmed.as_bytes().get(digits + 1) == Some(&b' ')
    {
        return Some((digits + 2, format!("{}. ", &trimmed[..digits])));
    }
    None
}

/// The end (exclusive) of the indented block under line `start`, whose
/// own indentation is `own`: the lines indented deeper, and blank lines
/// between them; trailing blank lines are not the block's.
fn block_end(lines: &[&str], start: usize, own: usize) -> usize {
    let mut end = start + 1;
    let mut last = start;
    while end < lines.len() {
        if is_blank(lines[end]) {
            end += 1;
            continue;
        }
        if indent(lines[end]) <= own {
            break;
        }
        last = end;
        end += 1;
    }
    last + 1
}

/// `lines`, a reStructuredText document, in markdown with the same lines.
pub(super) fn rewrite(lines: &[&str]) -> Rewritten {
    let mut reader = Reader {
        lines,
        out: Vec::new(),
        styles: Vec::new(),
        title: None,
        items: Vec::new(),
    };
    reader.read();
    Rewritten {
        markdown: reader.out.join("\n"),
        title: reader.title,
    }
}

struct Reader<'a> {
    lines: &'a [&'a str],
    out: Vec<String>,
    /// Title styles (mark, overlined) in the order they first appear.
    styles: Vec<(char, bool)>,
    title: Option<String>,
    /// Open list items: the indentation their text has in the source, and
    /// the markdown column it starts at.
    items: Vec<(usize, usize)>,
}

impl<'a> Reader<'a> {
    fn read(&mut self) {
        let mut index = 0;
        while index < self.lines.len() {
            index = self.line(index);
        }
    }

    fn blank(&mut self, count: usize) {
        self.out.extend(std::iter::repeat_n(String::new(), count));
    }

    fn level(&mut self, style: (char, bool)) -> usize {
        let at = match self.styles.iter().position(|known| *known == style) {
            Some(at) => at,
            None => {
                self.styles.push(style);
                self.styles.len() - 1
            }
        };
        (at + 1).min(6)
    }

    /// Reads the line at `index` (and what belongs to it); the next line
    /// to read.
    fn line(&mut self, index: usize) -> usize {
        let lines = self.lines;
        let line = lines[index];
        if is_blank(line) {
            self.out.push(String::new());
            return index + 1;
        }
        let after_blank = index == 0 || is_blank(lines[index - 1]);
        if let Some(next) = self.title_or_transition(index, after_blank) {
            return next;
        }
        let own = indent(line);
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("..")
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return self.explicit_markup(index, own, trimmed);
        }
        let column = self.column(own);
        let pad = " ".repeat(column);
        if let Some((width, marker)) = list_item(trimmed) {
            let text = &trimmed[width..];
            self.items.push((own + width, column + marker.len()));
            let text = self.literal_opening(index, text);
            self.out
                .push(format!("{pad}{marker}{}", inline_text(&text)));
            return self.after_literal_opening(index, own + width, column + marker.len());
        }
        if let Some(field) = field_line(trimmed) {
            self.out.push(format!("{pad}{field}").trim_end().to_owned());
            return index + 1;
        }
        if let Some(text) = trimmed.strip_prefix("| ") {
            self.out.push(format!("{pad}{}", inline_text(text)));
            return index + 1;
        }
        if trimmed.starts_with(">>>") {
            // A doctest block: code, line by line.
            self.out
                .push(format!("{pad}{}", inline::code_span(trimmed)));
            return index + 1;
        }
        // A definition list item: a term over its indented definition.
        if after_blank
            && let Some(next) = lines.get(index + 1)
            && !is_blank(next)
            && indent(next) > own
            && list_item(next.trim()).is_none()
        {
            return self.definition(index, own, trimmed, &pad);
        }
        let text = self.literal_opening(index, trimmed);
        self.out
            .push(format!("{pad}{}", escape_block_start(&inline_text(&text))));
        self.after_literal_opening(index, own, column)
    }

    /// A section title (over- and underlined, or underlined) or a
    /// transition at `index`: the next line to read, or `None` when the
    /// line is neither.
    fn title_or_transition(&mut self, index: usize, after_blank: bool) -> Option<usize> {
        let lines = self.lines;
        let line = lines[index];
        // An over- and underlined title.
        if let Some(mark) = adornment(line)
            && after_blank
            && let (Some(text), Some(under)) = (lines.get(index + 1), lines.get(index + 2))
            && !is_blank(text)
            && adornment(under) == Some(mark)
            && adornment(text).is_none()
        {
            let level = self.level((mark, true));
            let heading = inline_text(text.trim());
            if index == 0 || self.title.is_none() && self.out.iter().all(|l| l.is_empty()) {
                self.title = Some(heading.clone());
            }
            self.items.clear();
            self.out.push(String::new());
            self.out.push(format!("{} {heading}", "#".repeat(level)));
            self.out.push(String::new());
            return Some(index + 3);
        }
        // An underlined title.
        if after_blank
            && indent(line) == 0
            && adornment(line).is_none()
            && let Some(under) = lines.get(index + 1)
            && let Some(mark) = adornment(under)
            && under.trim_end().chars().count() >= line.trim().chars().count().min(3)
        {
            let level = self.level((mark, false));
            let heading = inline_text(line.trim());
            self.items.clear();
            self.out.push(format!("{} {heading}", "#".repeat(level)));
            self.out.push(String::new());
            return Some(index + 2);
        }
        // A transition.
        if adornment(line).is_some()
            && line.trim().len() >= 4
            && after_blank
            && lines.get(index + 1).is_none_or(|next| is_blank(next))
        {
            self.out.push("* * *".to_owned());
            return Some(index + 1);
        }
        None
    }

    /// A definition list item: its term, and its definition read as a
    /// document of its own and indented under it. The next line to read.
    fn definition(&mut self, index: usize, own: usize, trimmed: &str, pad: &str) -> usize {
        let lines = self.lines;
        self.out.push(format!(
            "{pad}{}",
            escape_block_start(&inline_text(trimmed))
        ));
        let end = block_end(lines, index, own);
        let body: Vec<String> = lines[index + 1..end]
            .iter()
            .map(|l| l.to_string())
            .collect();
        let inner = indent(&body[0]);
        let nested = to_markdown(
            &body
                .iter()
                .map(|l| dedent(l, inner))
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .markdown;
        for (at, text) in nested.split('\n').enumerate() {
            self.out.push(match (at, text.is_empty()) {
                (_, true) => String::new(),
                (0, false) => format!("{pad}: {text}"),
                _ => format!("{pad}  {text}"),
            });
        }
        end
    }

    /// The markdown column a line indented `own` sits at: the text of the
    /// list item it continues, else the margin (a block quote is dedented).
    fn column(&mut self, own: usize) -> usize {
        while self.items.last().is_some_and(|(text, _)| *text > own) {
            self.items.pop();
        }
        self.items.last().map_or(0, |(_, column)| *column)
    }

    /// A paragraph line ending in `::` (which opens a literal block),
    /// written as markdown shows it: `Example::` as `Example:`, a lone
    /// `::` as nothing.
    fn literal_opening(&self, index: usize, text: &str) -> String {
        if !self.opens_literal(index) {
            return text.to_owned();
        }
        let text = text.trim_end();
        let kept = text.strip_suffix("::").unwrap_or(text);
        if kept.ends_with(char::is_whitespace) || kept.is_empty() {
            kept.trim_end().to_owned()
        } else {
            format!("{kept}:")
        }
    }

    /// Whether the line at `index` ends in `::` and an indented block
    /// follows, after a blank line.
    fn opens_literal(&self, index: usize) -> bool {
        let line = self.lines[index];
        line.trim_end().ends_with("::")
            && self.lines.get(index + 1).is_some_and(|next| is_blank(next))
            && self.lines[index + 1..]
                .iter()
                .find(|next| !is_blank(next))
                .is_some_and(|next| indent(next) > indent(line))
    }

    /// After the line at `index`: the literal block it opens, fenced, or
    /// nothing; the next line to read.
    fn after_literal_opening(&mut self, index: usize, own: usize, column: usize) -> usize {
        if !self.opens_literal(index) {
            return index + 1;
        }
        let _ = own;
        let own = indent(self.lines[index]);
        let end = block_end(self.lines, index + 1, own).max(index + 2);
        self.code_block(index + 1, end, "", column)
    }

    /// Lines `start..end` (the first blank) as a fenced code block opened on
    /// line `start`, closed on the blank line after `end`; the next line
    /// to read.
    fn code_block(&mut self, start: usize, end: usize, language: &str, column: usize) -> usize {
        let pad = " ".repeat(column);
        let body: Vec<&str> = self.lines[start + 1..end].to_vec();
        let inner = common_indent(&body);
        let closes = end >= self.lines.len() || is_blank(self.lines[end]);
        if !closes {
            // No blank line to close a fence on: each line as code alone.
            self.out.push(String::new());
            for code in body {
                self.out.push(
                    format!("{pad}{}", inline::code_span(dedent(code, inner)))
                        .trim_end()
                        .to_owned(),
                );
            }
            return end;
        }
        self.out.push(format!("{pad}```{language}"));
        for code in body {
            self.out.push(format!(
                "{pad}{}",
                dedent(code, inner).replace("```", "ˋˋˋ")
            ));
        }
        if end < self.lines.len() {
            self.out.push(format!("{pad}```"));
            end + 1
        } else {
            end
        }
    }

    /// A `..` line: a directive, a comment, a target, a footnote or a
    /// substitution definition, with the block under it.
    fn explicit_markup(&mut self, index: usize, own: usize, trimmed: &str) -> usize {
        let end = block_end(self.lines, index, own);
        let column = self.column(own);
        let Some((name, arguments)) = directive(trimmed) else {
            if let Some(note) = trimmed.strip_prefix(".. [")
                && let Some((label, text)) = note.split_once("] ")
            {
                // A footnote or citation: its text is content.
                self.out.push(format!(
                    "{}[{label}] {}",
                    " ".repeat(column),
                    inline_text(text)
                ));
                let body = self.lines[index + 1..end].to_vec();
                self.nested(&body, column);
                return end;
            }
            self.blank(end - index);
            return end;
        };
        let name = name.to_ascii_lowercase();
        let plain = name.rsplit(':').next().unwrap_or(&name).to_owned();
        if NO_CONTENT.contains(&plain.as_str()) || plain.starts_with("auto") {
            self.blank(end - index);
            return end;
        }
        // Options (`:linenos:`) and the blank line under the directive.
        let mut content = index + 1;
        while content < end
            && !is_blank(self.lines[content])
            && self.lines[content].trim_start().starts_with(':')
        {
            content += 1;
        }
        if CODE.contains(&plain.as_str()) {
            let language = if plain == "math" {
                ""
            } else {
                arguments.split_whitespace().next().unwrap_or("")
            };
            if content < end && is_blank(self.lines[content]) {
                self.blank(content - index);
                return self.code_block(content, end, language, column);
            }
            self.blank(end - index);
            return end;
        }
        // An admonition or any other directive of text: its argument and
        // its body are the document's own text.
        self.out.push(if arguments.is_empty() {
            String::new()
        } else {
            format!("{}{}", " ".repeat(column), inline_text(arguments))
        });
        self.blank(content - index - 1);
        let body = self.lines[content..end].to_vec();
        self.nested(&body, column);
        end
    }

    /// Indented lines read as a document of their own, at `column`.
    fn nested(&mut self, body: &[&str], column: usize) {
        if body.is_empty() {
            return;
        }
        let inner = common_indent(body);
        let text = body
            .iter()
            .map(|l| dedent(l, inner))
            .collect::<Vec<_>>()
            .join("\n");
        let lines: Vec<&str> = text.split('\n').collect();
        let mut reader = Reader {
            lines: &lines,
            out: Vec::new(),
            styles: self.styles.clone(),
            title: Some(String::new()),
            items: Vec::new(),
        };
        reader.read();
        let pad = " ".repeat(column);
        for line in reader.out {
            self.out.push(if line.is_empty() {
                line
            } else {
                format!("{pad}{line}")
            });
        }
    }
}

/// A field list item (`:Name: text`) as `Name: text`.
fn field_line(trimmed: &str) -> Option<String> {
    let field = trimmed.strip_prefix(':')?;
    let (name, body) = field
        .split_once(": ")
        .or_else(|| field.strip_suffix(':').map(|name| (name, "")))?;
    (!name.is_empty() && !name.contains('`')).then(|| format!("{name}: {}", inline_text(body)))
}

/// Marks that would open a markdown block where reStructuredText has text.
fn escape_block_start(line: &str) -> String {
    if line.starts_with('>') || line.starts_with("# ") || line.starts_with("#!") {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}
