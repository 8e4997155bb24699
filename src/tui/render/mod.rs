//! Markdown answers laid out as styled, wrapped terminal lines.
//!
//! A card's answer is markdown: headings, nested numbered lists, bold terms,
//! inline code and fenced code blocks. Printed raw in a terminal the `**`,
//! `#` and fences are noise, and long lines break wherever the terminal cuts
//! them. [`render`] parses the answer with pulldown-cmark and lays it out for
//! a given width, the way `glow` or `mdcat` would: paragraphs word-wrapped by
//! display width, list numbers kept and nested items indented under their
//! text, code blocks set off and never re-wrapped, tables aligned (or shown
//! one block per row when they do not fit). The result is plain data,
//! [`Line`]s of [`Span`]s tagged with a semantic [`Style`], and no terminal
//! I/O: the caller decides what bold, code or a marker look like, the layout
//! can be tested as text, and [`Line::plain`] gives readable output when
//! there is no colour (piped output).

use crate::text_width::{char_columns, columns, columns as columns_of, is_zero_width};
use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd,
};

mod block_tree;
mod layout;
mod wrap;

use block_tree::*;
use layout::*;
use wrap::*;

/// Narrowest width laid out; anything smaller is treated as this.
const MIN_WIDTH: usize = 10;
/// Length of a horizontal rule when the output is not wrapped.
const UNWRAPPED_RULE: usize = 40;
/// Fewest columns a nested block keeps; below that it stops indenting.
const MIN_INNER: usize = 4;
/// A word longer than the whole width starts on the current line only when
/// at least this many columns are left on it.
const MIN_FILL: usize = 6;
/// Containers (quotes, lists, items) nested deeper than this are flattened,
/// which bounds recursion whatever the input.
const MAX_NEST: usize = 48;
/// What a tab in a code block or an HTML block becomes.
const TAB: &str = "    ";
/// Bullets by list nesting depth (cycling).
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

/// How a piece of text should look; the painter maps it to colours and attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strikethrough: bool,
    /// inline code span
    pub code: bool,
    /// a line of a fenced/indented code block
    pub code_block: bool,
    /// heading level 1-6 when inside a heading
    pub heading: Option<u8>,
    /// a link's URL (shown after its text) or an autolink
    pub link: bool,
    /// decorations prep adds: list bullets and numbers, table rules, quote bars, code-block language label
    pub marker: bool,
}

impl Style {
    fn marker() -> Style {
        Style {
            marker: true,
            ..Style::default()
        }
    }

    fn link() -> Style {
        Style {
            link: true,
            ..Style::default()
        }
    }

    fn bold() -> Style {
        Style {
            bold: true,
            ..Style::default()
        }
    }
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span {
            text: text.into(),
            style,
        }
    }
}

/// One terminal line; an empty `spans` is a blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    /// display width in terminal columns (unicode-width)
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| columns(&s.text)).sum()
    }

    /// the text without styles; inline code spans keep their backticks here so a reader without colour still sees them
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for span in &self.spans {
            if span.style.code {
                out.push_str(&backticked(&span.text));
            } else {
                out.push_str(&span.text);
            }
        }
        out
    }

    /// Whether the line shows nothing.
    pub fn is_blank(&self) -> bool {
        self.spans.iter().all(|s| s.text.trim().is_empty())
    }

    /// Whether the line holds code-block text: the only lines allowed to be
    /// wider than the width they were rendered for (code is never re-wrapped).
    pub fn is_code(&self) -> bool {
        self.spans.iter().any(|s| s.style.code_block)
    }

    fn from_spans(spans: Vec<Span>) -> Line {
        Line { spans }
    }

    fn push(&mut self, span: Span) {
        push_merged(&mut self.spans, span);
    }

    fn trim_end(&mut self) {
        while let Some(last) = self.spans.last_mut() {
            let kept = last.text.trim_end().len();
            if kept == 0 {
                self.spans.pop();
            } else {
                last.text.truncate(kept);
                break;
            }
        }
    }
}

/// Renders markdown for a terminal `width` columns wide; `None` = do not wrap (for piped output).
///
/// Widths below 10 are laid out as 10. Every line fits the width (a code
/// line too wide goes on in rows marked `↪`); blocks are separated by one blank line (an empty
/// [`Line`]), with none at the start or end. Never panics, whatever the input.
pub fn render(markdown: &str, width: Option<usize>) -> Vec<Line> {
    let width = width.map(|w| w.max(MIN_WIDTH));
    let nodes = parse(markdown);
    let lines = render_nodes(&nodes, width, Spacing::Always, 0);
    tidy(lines)
}

/// Word-wraps plain text (not markdown: what the user typed, a message) to
/// `width` columns, by the same rules as answers: at spaces, a word longer
/// than the line cut by whole characters. Always at least one line.
pub fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines = wrap::wrap(&[Inline::Text(words, Style::default())], Some(width.max(1)));
    let mut lines: Vec<String> = lines
        .iter()
        .map(|line| line.plain().trim_end().to_string())
        .collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Wraps `code` in enough backticks to show it as a markdown code span.
fn backticked(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Appends `span`, joining it to the last one when they share a style.
fn push_merged(spans: &mut Vec<Span>, span: Span) {
    if span.text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.style == span.style => last.text.push_str(&span.text),
        _ => spans.push(span),
    }
}

/// Final clean-up: merged spans, no trailing spaces, no blank line at the
/// start or end and never two in a row.
fn tidy(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        let mut clean = Line::default();
        for span in line.spans {
            clean.push(span);
        }
        clean.trim_end();
        if clean.is_blank() && out.last().is_none_or(Line::is_blank) {
            continue;
        }
        out.push(clean);
    }
    while out.last().is_some_and(Line::is_blank) {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------
// Text clean-up

/// Whitespace that separates words (no-break spaces do not).
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Makes a control character visible instead of letting it reach the terminal.
fn visible_control(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Inline text: line breaks and tabs become spaces, other controls visible.
fn clean_inline(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else if c.is_control() {
                visible_control(c)
            } else {
                c
            }
        })
        .collect()
}

/// A verbatim line (code or HTML): tabs expanded, trailing space dropped,
/// controls visible.
fn clean_verbatim(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.trim_end().chars() {
        if c == '\t' {
            out.push_str(TAB);
        } else if c.is_control() {
            out.push(visible_control(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Source lines of a verbatim block; a final newline does not make a line.
fn verbatim_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.len() > 1 && lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.into_iter().map(clean_verbatim).collect()
}

#[cfg(test)]
mod tests;
