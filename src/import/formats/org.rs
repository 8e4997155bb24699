//! Org mode (orgmode.org/manual, "Document Structure" and "Markup for Rich
//! Contents") rewritten into markdown line for line: `*` headings with their
//! level, less their TODO keyword, priority cookie and `:tags:`; property
//! and other drawers, planning lines (`SCHEDULED:`), `#+KEYWORD:` lines,
//! comments and `COMMENT` subtrees as no content; `#+begin_src` and
//! `#+begin_example` blocks as fenced code, `#+begin_quote` as a quote;
//! lists (their indentation made markdown's), description items
//! (`- term :: text`), tables, links and emphasis; `#+TITLE:` as the title.

use super::inline::{self, Emphasis};
use super::{Rewritten, common_indent, dedent, indent, quoted};

const MARKS: &[(char, Emphasis)] = &[
    ('*', Emphasis::Strong),
    ('/', Emphasis::Em),
    ('=', Emphasis::Code),
    ('~', Emphasis::Code),
    ('+', Emphasis::Strike),
];

/// Whether text looks written in Org: a `#+KEYWORD:` line, a
/// `#+begin_` block or a `:PROPERTIES:` drawer, or headings carrying
/// `:tags:`; no markdown or plain text has them.
pub fn looks_like_org(text: &str) -> bool {
    let mut signals = 0;
    for line in text.lines().take(2000) {
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("#+begin_")
            || lower.starts_with("#+title:")
            || trimmed == ":PROPERTIES:"
        {
            return true;
        }
        if keyword(trimmed).is_some() {
            signals += 1;
        }
        if Heading::parse(line, &[]).is_some_and(|heading| !heading.tags.is_empty()) {
            signals += 1;
        }
        if signals >= 2 {
            return true;
        }
    }
    false
}

/// An Org heading line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: usize,
    /// The title without keyword, priority and tags.
    pub title: String,
    pub tags: Vec<String>,
    /// A `COMMENT` heading: its subtree is not content.
    pub comment: bool,
}

impl Heading {
    /// `line` read as a heading: stars at the line start, then a space.
    /// `keywords` are the TODO keywords besides `TODO` and `DONE`.
    pub fn parse(line: &str, keywords: &[String]) -> Option<Heading> {
        let level = line.bytes().take_while(|b| *b == b'*').count();
        let rest = &line[level..];
        if level == 0 || !(rest.starts_with(' ') || rest.starts_with('\t') || rest.is_empty()) {
            return None;
        }
        let mut title = rest.trim();
        let mut tags = Vec::new();
        if let Some(space) = title.rfind([' ', '\t']).map(|at| at + 1).or(Some(0))
            && is_tag_group(&title[space..])
        {
            tags = title[space..]
                .split(':')
                .filter(|tag| !tag.is_empty())
                .map(str::to_owned)
                .collect();
            title = title[..space].trim_end();
        }
        if let Some((word, after)) = title.split_once(' ').or(Some((title, "")))
            && (word == "TODO" || word == "DONE" || keywords.iter().any(|k| k == word))
        {
            title = after.trim_start();
        }
        if title.starts_with("[#") && title.get(3..4) == Some("]") {
            title = title[4..].trim_start();
        }
        let mut comment = false;
        if title == "COMMENT" || title.starts_with("COMMENT ") {
            comment = true;
            title = title["COMMENT".len()..].trim_start();
        }
        Some(Heading {
            level,
            title: title.to_owned(),
            tags,
            comment,
        })
    }
}

/// `:tag1:tag2:`, as a heading ends.
fn is_tag_group(text: &str) -> bool {
    text.len() > 2
        && text.starts_with(':')
        && text.ends_with(':')
        && !text.contains("::")
        && text[1..text.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || "_@#%:".contains(c))
}

/// The TODO keywords a file declares (`#+TODO: NEXT WAIT | DONE`).
pub fn todo_keywords(text: &str) -> Vec<String> {
    let mut keywords = Vec::new();
    for line in text.lines() {
        let Some((name, value)) = keyword(line.trim()) else {
            continue;
        };
        if matches!(name.as_str(), "todo" | "seq_todo" | "typ_todo") {
            keywords.extend(
                value
                    .split_whitespace()
                    .filter(|word| *word != "|")
                    .map(|word| word.split('(').next().unwrap_or(word).to_owned()),
            );
        }
    }
    keywords
}

/// A `#+NAME: value` line: its lowercased name and its value.
fn keyword(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix("#+")?;
    let (name, value) = rest.split_once(':')?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-".contains(c))
    {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.trim()))
}

/// The name of a drawer a line opens (`:PROPERTIES:`, `:LOGBOOK:`).
pub fn drawer_opening(line: &str) -> Option<&str> {
    let name = line.trim().strip_prefix(':')?.strip_suffix(':')?;
    (!name.is_empty()
        && !name.eq_ignore_ascii_case("END")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-".contains(c)))
    .then_some(name)
}

pub fn is_drawer_end(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case(":END:")
}

/// A planning line under a heading (`SCHEDULED: <…>`, `CLOSED: […]`).
pub fn is_planning(line: &str) -> bool {
    let trimmed = line.trim_start();
    ["SCHEDULED:", "DEADLINE:", "CLOSED:"]
        .iter()
        .any(|word| trimmed.starts_with(word))
}

/// The block a `#+begin_NAME` line opens, lowercased, and its arguments.
fn block_opening(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim();
    let lower = trimmed.get(..8)?.to_ascii_lowercase();
    if lower != "#+begin_" {
        return None;
    }
    let rest = &trimmed[8..];
    let (name, arguments) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    Some((name.to_ascii_lowercase(), arguments.trim()))
}

fn is_block_end(line: &str, name: &str) -> bool {
    let trimmed = line.trim();
    trimmed.len() == 6 + name.len()
        && trimmed
            .get(..6)
            .is_some_and(|start| start.eq_ignore_ascii_case("#+end_"))
        && trimmed[6..].eq_ignore_ascii_case(name)
}

/// A list item line: its marker's length with the space after it
/// (`- `, `1. `), or `None`. A `*` bullet counts only when indented
/// (at the line start it is a heading).
fn list_marker(line: &str) -> Option<(usize, bool)> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    let indented = trimmed.len() < line.len();
    for bullet in ["- ", "+ "] {
        if trimmed.starts_with(bullet) || trimmed == bullet.trim_end() {
            return Some((2, false));
        }
    }
    if indented && (trimmed.starts_with("* ") || trimmed == "*") {
        return Some((2, false));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let width = digits;
        let after = trimmed.as_bytes().get(width + 1);
        if matches!(trimmed.as_bytes().get(width), Some(b'.' | b')'))
            && after.is_none_or(|b| *b == b' ')
        {
            return Some((width + 2, true));
        }
    }
    None
}

/// `text`, an Org document, in markdown with the same lines.
pub fn to_markdown(text: &str) -> Rewritten {
    let keywords = todo_keywords(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut rewriter = OrgToMarkdown {
        keywords: &keywords,
        lines: &lines,
        index: 0,
        out: Vec::new(),
        items: Vec::new(),
        title: None,
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

/// An Org document being rewritten, one markdown line (or several, for a
/// block) for each line read.
struct OrgToMarkdown<'a> {
    keywords: &'a [String],
    lines: &'a [&'a str],
    /// The next line to read.
    index: usize,
    out: Vec<String>,
    /// Open list items: (the item's Org indentation, the column its text
    /// starts at in the markdown).
    items: Vec<(usize, usize)>,
    title: Option<String>,
}

impl OrgToMarkdown<'_> {
    fn line(&mut self, line: &str) {
        if let Some(heading) = Heading::parse(line, self.keywords) {
            self.heading(&heading);
            return;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            self.out.push(String::new());
            return;
        }
        if drawer_opening(line).is_some() {
            self.drawer();
            return;
        }
        if is_drawer_end(line) || is_planning(line) {
            self.out.push(String::new());
            return;
        }
        if let Some((name, arguments)) = block_opening(line) {
            self.block(line, &name, arguments);
            return;
        }
        if trimmed.starts_with("#+") || trimmed == "#" || trimmed.starts_with("# ") {
            self.keyword_line(trimmed);
            return;
        }
        let own_indent = indent(line);
        if let Some((width, ordered)) = list_marker(line) {
            self.list_item(line, own_indent, width, ordered);
            return;
        }
        self.text_line(trimmed, own_indent);
    }

    /// A heading, at its level up to six; a `COMMENT` heading blanks its
    /// whole subtree.
    fn heading(&mut self, heading: &Heading) {
        self.items.clear();
        if heading.comment {
            self.out.push(String::new());
            while self.index < self.lines.len() {
                match Heading::parse(self.lines[self.index], self.keywords) {
                    Some(next) if next.level <= heading.level => break,
                    _ => self.out.push(String::new()),
                }
                self.index += 1;
            }
            return;
        }
        let level = heading.level.min(6);
        self.out.push(if heading.title.is_empty() {
            String::new()
        } else {
            format!(
                "{} {}",
                "#".repeat(level),
                inline_text(&heading.title).trim()
            )
        });
    }

    /// A drawer (`:PROPERTIES:` to `:END:`), blanked.
    fn drawer(&mut self) {
        self.out.push(String::new());
        // A drawer never closed is no drawer: the line alone is dropped.
        let end = self.lines[self.index..]
            .iter()
            .take_while(|next| Heading::parse(next, self.keywords).is_none())
            .position(|next| is_drawer_end(next));
        if let Some(end) = end {
            self.out.extend(std::iter::repeat_n(String::new(), end + 1));
            self.index += end + 1;
        }
    }

    /// A `#+begin_NAME` block: code, a comment, a quote, or text.
    fn block(&mut self, line: &str, name: &str, arguments: &str) {
        let end = self.lines[self.index..]
            .iter()
            .position(|next| is_block_end(next, name));
        let Some(end) = end else {
            // Never closed: not a block, a line of text.
            self.out.push(String::new());
            return;
        };
        let body = &self.lines[self.index..self.index + end];
        self.index += end + 1;
        let column = continuation_column(&mut self.items, indent(line));
        let pad = " ".repeat(column);
        let inner = common_indent(body);
        let out = &mut self.out;
        match name {
            "src" | "example" | "export" | "verse" => {
                let language = if name == "src" {
                    arguments.split_whitespace().next().unwrap_or("")
                } else {
                    ""
                };
                out.push(format!("{pad}```{language}"));
                for code in body {
                    let code = dedent(code.trim_end_matches('\r'), inner);
                    // Org escapes a `*` or `#+` opening a line with a comma.
                    let code = match code.strip_prefix(',') {
                        Some(rest) if rest.starts_with('*') || rest.starts_with("#+") => rest,
                        _ => code,
                    };
                    out.push(format!("{pad}{}", code.replace("```", "ˋˋˋ")));
                }
                out.push(format!("{pad}```"));
            }
            "comment" => {
                out.extend(std::iter::repeat_n(String::new(), body.len() + 2));
            }
            "quote" => {
                out.push(String::new());
                let lines = body
                    .iter()
                    .map(|line| inline_text(dedent(line.trim_end_matches('\r'), inner)));
                out.extend(quoted(&pad, lines));
                out.push(String::new());
            }
            _ => {
                out.push(String::new());
                for text in body {
                    let text = dedent(text.trim_end_matches('\r'), inner).trim_end();
                    out.push(format!("{pad}{}", inline_text(text)));
                }
                out.push(String::new());
            }
        }
    }

    /// A keyword line (`#+TITLE:`) or a comment: the first title becomes
    /// the document's; the rest are blanked.
    fn keyword_line(&mut self, trimmed: &str) {
        if let Some((name, value)) = keyword(trimmed)
            && name == "title"
            && !value.is_empty()
            && self.title.is_none()
        {
            // A heading above the outline's own, as a markdown title is,
            // so the top headings under it are sections (tags).
            self.title = Some(inline_text(value));
            self.out.push(format!("# {}", inline_text(value)));
            return;
        }
        self.out.push(String::new());
    }

    /// A list item, nested under the open items it is indented within.
    fn list_item(&mut self, line: &str, own_indent: usize, width: usize, ordered: bool) {
        while self.items.last().is_some_and(|(org, _)| *org >= own_indent) {
            self.items.pop();
        }
        let column = self.items.last().map_or(0, |(_, column)| *column);
        let body = &line[own_indent + width.min(line.len() - own_indent)..];
        let marker = if ordered {
            let number: String = line[own_indent..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!("{}. ", if number.is_empty() { "1" } else { &number })
        } else {
            "- ".to_owned()
        };
        self.items.push((own_indent, column + marker.len()));
        self.out.push(format!(
            "{}{marker}{}",
            " ".repeat(column),
            description_item(body)
        ));
    }

    /// A line of text, a table row or a fixed-width line (`: code`).
    fn text_line(&mut self, trimmed: &str, own_indent: usize) {
        let column = continuation_column(&mut self.items, own_indent);
        let body = trimmed;
        let body = if body.starts_with('|') {
            table_row(body)
        } else if let Some(fixed) = body
            .strip_prefix(": ")
            .or(body.strip_prefix(':').filter(|r| r.is_empty()))
        {
            inline::code_span(fixed)
        } else {
            inline_text(body)
        };
        self.out.push(format!(
            "{}{}",
            " ".repeat(column),
            escape_block_start(&body)
        ));
    }
}

/// The markdown column a line indented `own` continues at: the text of
/// the list item it sits in, or the margin when it is in none.
fn continuation_column(items: &mut Vec<(usize, usize)>, own: usize) -> usize {
    while items.last().is_some_and(|(org, _)| *org >= own) {
        items.pop();
    }
    items.last().map_or(0, |(_, column)| *column)
}

/// A description item's `term :: text` as `**term**: text`.
fn description_item(body: &str) -> String {
    match body.split_once(" :: ") {
        Some((term, text)) if !term.trim().is_empty() => {
            format!("**{}**: {}", inline_text(term.trim()), inline_text(text))
        }
        _ => inline_text(body),
    }
}

/// An Org table row in markdown: `|---+---|` rules become `|---|---|`.
fn table_row(row: &str) -> String {
    if row.starts_with("|-") {
        row.replace('+', "|")
    } else {
        inline_text(row)
    }
}

/// Marks that would open a markdown block where Org has text (`> `, a
/// `#` heading) are escaped, so the line stays a line of text.
fn escape_block_start(line: &str) -> String {
    let rule = |mark: char| line.len() >= 3 && line.chars().all(|c| c == mark);
    if rule('-') && line.len() >= 5 {
        // Org's horizontal rule, which markdown would read as the
        // underline of the line above.
        "* * *".to_owned()
    } else if line.starts_with('>') || line.starts_with('#') || rule('-') || rule('=') {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}

/// Org links (`[[target][text]]`, `[[target]]`) and emphasis in markdown.
pub fn inline_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]") else {
            break;
        };
        out.push_str(&rest[..open]);
        let link = &rest[open + 2..open + close];
        match link.split_once("][") {
            Some((target, label)) => {
                out.push_str(&format!("[{label}]({})", target.replace(' ', "%20")))
            }
            None if link.contains("://") => out.push_str(&format!("<{link}>")),
            None => out.push_str(link),
        }
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    inline::rewrite(&out, MARKS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(text: &str) -> String {
        to_markdown(text).markdown
    }

    #[test]
    fn headings_keep_their_level_and_lose_keywords_priorities_and_tags() {
        let org = "#+TITLE: Go notes\n#+STARTUP: overview\n* TODO [#A] Basics   :go:lang:\n** What is a *goroutine*?\n";
        let read = to_markdown(org);
        assert_eq!(read.title.as_deref(), Some("Go notes"));
        // The title is a heading above the outline, so `Basics` is a section.
        assert_eq!(
            read.markdown,
            "# Go notes\n\n# Basics\n## What is a **goroutine**?\n"
        );
        let custom = "#+TODO: NEXT | DONE\n* NEXT Read\n";
        assert_eq!(markdown(custom), "\n# Read\n");
    }

    #[test]
    fn drawers_planning_keywords_and_comments_are_no_content() {
        let org = "* Q\nSCHEDULED: <2024-01-01>\n:PROPERTIES:\n:ID: 1\n:END:\n# a comment\nAnswer.\n* COMMENT draft\nhidden\n** sub\n* Next\n";
        assert_eq!(markdown(org), "# Q\n\n\n\n\n\nAnswer.\n\n\n\n# Next\n");
    }

    #[test]
    fn source_blocks_are_fenced_code_and_keep_their_lines() {
        let org = "* Q\n  #+begin_src python :results output\n    print(1)\n    ,* not a heading\n  #+END_SRC\n";
        assert_eq!(
            markdown(org),
            "# Q\n```python\nprint(1)\n* not a heading\n```\n"
        );
        let unclosed = "#+begin_src\ncode\n";
        assert_eq!(markdown(unclosed), "\ncode\n");
    }

    #[test]
    fn lists_are_indented_as_markdown_reads_them() {
        let org =
            "** Q\n     - one\n       - two :: the second\n       more of two\n     1) three\n";
        assert_eq!(
            markdown(org),
            "## Q\n- one\n  - **two**: the second\n  more of two\n1. three\n"
        );
    }

    #[test]
    fn deep_indentation_is_not_markdown_code() {
        let org = "***** Q\n      Answer under a deep heading.\n";
        assert_eq!(markdown(org), "##### Q\nAnswer under a deep heading.\n");
    }

    #[test]
    fn links_tables_and_fixed_width_lines() {
        assert_eq!(
            inline_text("see [[https://go.dev/doc/][the docs]] or [[https://go.dev]]"),
            "see [the docs](https://go.dev/doc/) or <https://go.dev>"
        );
        assert_eq!(
            markdown("| a | b |\n|---+---|\n| 1 | 2 |\n: $ ls\n"),
            "| a | b |\n|---|---|\n| 1 | 2 |\n`$ ls`\n"
        );
    }

    #[test]
    fn org_is_told_by_its_own_marks() {
        assert!(looks_like_org("#+title: x\n"));
        assert!(looks_like_org("* Q :drill:\n:PROPERTIES:\n:END:\n"));
        assert!(!looks_like_org("* a bullet\n* another\n"));
        assert!(!looks_like_org("# Heading\n\nText with :colons: in it.\n"));
    }
}
