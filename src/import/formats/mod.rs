/*!
The formats notes come in, and a reader for each that is not markdown.

Org, AsciiDoc and reStructuredText say the same things markdown says
(headings with a level, paragraphs, lists, code blocks, emphasis) in other
marks. Each reader here rewrites its format line for line into the markdown
those things are in, and [`super::document`] reads that as it reads any
markdown: so the blocks, the detector, the report's line numbers,
`--questions` and `--explain` are the same for every format. What a format
holds that is no content (Org's drawers, keywords and comments, AsciiDoc's
attribute and comment lines, reStructuredText's directives) becomes a blank
line, so every line keeps its number.

The readers are written here rather than taken from a crate: the crates for
these formats build a syntax tree to render or edit a document, and none
keeps the source lines apart or reads a broken document without giving up;
what the importer needs of each format is its line structure, which a line
reader says in a few hundred lines (see the README).
*/

pub mod asciidoc;
mod inline;
pub mod org;
pub mod rst;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A format of notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown, read as plain text when it holds no markdown at all.
    Markdown,
    Plain,
    Org,
    AsciiDoc,
    Rst,
}

impl Format {
    /// The format a file's extension says, if it says one; `.txt` says
    /// nothing (plain text files hold every format).
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "org" => Some(Format::Org),
            "adoc" | "asciidoc" | "asc" => Some(Format::AsciiDoc),
            "rst" | "rest" => Some(Format::Rst),
            _ => None,
        }
    }

    /// The format the text looks written in, when nothing else says: Org,
    /// AsciiDoc or reStructuredText only on marks no markdown or plain
    /// text has, else markdown (which reads plain text as plain).
    pub fn of_text(text: &str) -> Format {
        if org::looks_like_org(text) {
            Format::Org
        } else if asciidoc::looks_like_asciidoc(text) {
            Format::AsciiDoc
        } else if rst::looks_like_rst(text) {
            Format::Rst
        } else {
            Format::Markdown
        }
    }

    /// Its name in the report and in `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Plain => "plain",
            Format::Org => "org",
            Format::AsciiDoc => "asciidoc",
            Format::Rst => "rst",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Format, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "plain" | "text" | "txt" => Ok(Format::Plain),
            "org" => Ok(Format::Org),
            "asciidoc" | "adoc" => Ok(Format::AsciiDoc),
            "rst" | "restructuredtext" => Ok(Format::Rst),
            other => Err(format!(
                "unknown format `{other}`: expected markdown, plain, org, asciidoc or rst"
            )),
        }
    }
}

/// A document rewritten into markdown, line for line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub markdown: String,
    /// The title the format's own mark gave (`#+TITLE:`, `= Title`).
    pub title: Option<String>,
}

/// `text` in `format` rewritten into markdown with the same lines; `None`
/// for markdown and plain text, which need no rewriting.
pub fn to_markdown(format: Format, text: &str) -> Option<Rewritten> {
    match format {
        Format::Markdown | Format::Plain => None,
        Format::Org => Some(org::to_markdown(text)),
        Format::AsciiDoc => Some(asciidoc::to_markdown(text)),
        Format::Rst => Some(rst::to_markdown(text)),
    }
}

/// The indentation of a line, in bytes of leading spaces and tabs.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The indentation the non-blank lines of `lines` share.
fn common_indent(lines: &[&str]) -> usize {
    lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indent(line))
        .min()
        .unwrap_or(0)
}

/// A quote block's lines as markdown's `> ` lines at `pad`.
fn quoted<'a>(
    pad: &str,
    lines: impl Iterator<Item = String> + 'a,
) -> impl Iterator<Item = String> + 'a {
    let pad = pad.to_owned();
    lines.map(move |line| format!("{pad}> {line}").trim_end().to_owned())
}

/// `line` without `count` leading bytes of spaces or tabs (fewer when it
/// has fewer).
fn dedent(line: &str, count: usize) -> &str {
    let strip = indent(line).min(count);
    &line[strip..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_says_the_format_and_txt_says_nothing() {
        assert_eq!(Format::from_path(Path::new("a.org")), Some(Format::Org));
        assert_eq!(
            Format::from_path(Path::new("a.ADOC")),
            Some(Format::AsciiDoc)
        );
        assert_eq!(Format::from_path(Path::new("a.rst")), Some(Format::Rst));
        assert_eq!(Format::from_path(Path::new("a.md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
        assert_eq!(Format::from_path(Path::new("notes")), None);
    }

    #[test]
    fn the_content_says_the_format_only_on_its_own_marks() {
        assert_eq!(
            Format::of_text("#+TITLE: Go\n\n* What is a goroutine?\nA thread.\n"),
            Format::Org
        );
        assert_eq!(
            Format::of_text("= Go\n:toc:\n\n== What is a goroutine?\n\nA thread.\n"),
            Format::AsciiDoc
        );
        assert_eq!(
            Format::of_text("Go\n==\n\n.. contents::\n\nWhat is it?\n-----------\n"),
            Format::Rst
        );
        assert_eq!(
            Format::of_text("# Go\n\n* a bullet\n* another\n\nTitle\n=====\n"),
            Format::Markdown
        );
        assert_eq!(
            Format::of_text("Topic\n=====\n\n1) Question?\nAnswer.\n"),
            Format::Markdown
        );
    }

    #[test]
    fn format_names_parse_back() {
        for format in [
            Format::Markdown,
            Format::Plain,
            Format::Org,
            Format::AsciiDoc,
            Format::Rst,
        ] {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert!("docx".parse::<Format>().is_err());
    }
}
