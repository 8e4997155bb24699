/*!
The document model the question detector reads: a flat list of blocks in
source order, each with its byte range, lines and the structure around it
(heading level, list nesting, whether it leads a list item), plus the
`<details>` elements found in the document's HTML.

Markdown goes through pulldown-cmark; plain text (a page copied from a
browser) is read line by line, since its only structure is lines and blank
lines. Both give the same model, so one detector serves both.
*/

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// An ATX or setext heading, with its level 1-6.
    Heading(u8),
    /// A paragraph, or the loose text of a tight list item.
    Paragraph,
    Code,
    Html,
    Table,
    Rule,
    /// One non-blank line of a plain-text document.
    Line,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range in the document text.
    pub range: Range<usize>,
    /// Text without markup, for classification.
    pub text: String,
    /// How many list items enclose the block.
    pub list_depth: usize,
    /// When the block is the first thing in a list item: where the item
    /// starts (its marker), and its number if the list is ordered.
    pub item_lead: Option<ItemLead>,
    /// A paragraph that is one strong span and nothing else.
    pub whole_bold: bool,
    /// Plain text: blank lines just before this line, and its indentation.
    pub blank_before: usize,
    pub indent: usize,
    /// Table cells, row by row (header first), as source ranges.
    pub table_rows: Vec<Vec<Range<usize>>>,
    /// The term of a definition list (`Term` over `: definition`).
    pub definition_term: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemLead {
    pub item_start: usize,
    pub number: Option<u64>,
}

/// A `<details>` element: its summary and where its body ends.
#[derive(Debug, Clone)]
pub struct Details {
    /// Byte offset of `<details`.
    pub open: usize,
    /// The summary's text, tags removed, and whether it held a heading tag
    /// (`<summary><h3>Linux</h3></summary>`: a topic, not a question).
    pub summary: String,
    pub summary_is_heading: bool,
    /// Byte offset just past `</summary>` (or past `<details>` without one).
    pub body_start: usize,
    /// Byte offset of `</details>` and just past it; the end of the text
    /// when the element is never closed.
    pub close: usize,
    pub close_end: usize,
    /// How many details elements enclose this one.
    pub depth: usize,
    /// The details element that encloses this one.
    pub parent: Option<usize>,
}

#[derive(Debug)]
pub struct Document {
    pub text: String,
    pub markdown: bool,
    pub blocks: Vec<Block>,
    /// In the order they open, so [`Document::details_from`] can search.
    pub details: Vec<Details>,
    /// YAML (`---`) or TOML (`+++`) front matter at the top of a markdown
    /// document: the byte range of its content, between the fences.
    pub front_matter: Option<Range<usize>>,
    /// A word the user said labels answers (`--answer-label`), which the
    /// detector and the assembler read like the labels they know.
    pub answer_label: Option<String>,
    line_starts: Vec<usize>,
}

impl Document {
    pub fn parse(text: String, markdown: bool) -> Document {
        Document::parse_labelled(text, markdown, None)
    }

    /// [`Document::parse`], with the word the user said labels answers
    /// (`--answer-label`), which one-line pairs are read with too.
    pub fn parse_labelled(text: String, markdown: bool, answer_label: Option<String>) -> Document {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let mut document = Document {
            text,
            markdown,
            blocks: Vec::new(),
            details: Vec::new(),
            front_matter: None,
            answer_label,
            line_starts,
        };
        if markdown {
            document.read_markdown();
        } else {
            document.read_plain();
        }
        document.split_one_line_pairs();
        document
    }

    /// A question and its answer written on one line (`Q: What is DNS? A:
    /// It names hosts.`) become the two blocks they would be on two lines:
    /// the question up to the answer label, the answer from it, so the
    /// rules for `Q:` over `A:` read them. In a paragraph, each such line
    /// opens a block of its own, and so does a line labelled as a question
    /// after an answer (`Q:`, `A:`, `Q:`, `A:` without blank lines): each
    /// is the next card. An answer runs on over the lines under it, up to
    /// the next question.
    fn split_one_line_pairs(&mut self) {
        let blocks = std::mem::take(&mut self.blocks);
        let mut split = Vec::with_capacity(blocks.len());
        for block in blocks {
            let pieces = match block.kind {
                BlockKind::Line => self.line_pieces(&block),
                BlockKind::Paragraph if !block.definition_term => self.paragraph_pieces(&block),
                _ => Vec::new(),
            };
            if pieces.len() < 2 {
                split.push(block);
                continue;
            }
            for (number, range) in pieces.into_iter().enumerate() {
                let source = &self.text[range.clone()];
                let (text, whole_bold) = if self.markdown {
                    inline_text(source)
                } else {
                    (source.trim().to_owned(), false)
                };
                split.push(Block {
                    range,
                    text,
                    whole_bold,
                    item_lead: if number == 0 { block.item_lead } else { None },
                    blank_before: if number == 0 { block.blank_before } else { 0 },
                    table_rows: Vec::new(),
                    ..block.clone()
                });
            }
        }
        self.blocks = split;
    }

    /// A plain-text line holding a question and its answer: the question's
    /// range and the answer's (none when it holds no pair).
    fn line_pieces(&self, block: &Block) -> Vec<Range<usize>> {
        let source = &self.text[block.range.clone()];
        match super::labels::one_line_answer(source, self.answer_label.as_deref()) {
            Some(at) => {
                let start = block.range.start;
                vec![
                    start..start + source[..at].trim_end().len(),
                    start + at..block.range.end,
                ]
            }
            None => Vec::new(),
        }
    }

    /// The blocks a paragraph of one-line pairs is cut into (see
    /// [`Document::split_one_line_pairs`]); none when it holds no pair and
    /// no question after an answer.
    fn paragraph_pieces(&self, block: &Block) -> Vec<Range<usize>> {
        let source = &self.text[block.range.clone()];
        // Most paragraphs hold no label at all: one look settles them.
        if !source.contains([':', '.', '：']) {
            return Vec::new();
        }
        let label = self.answer_label.as_deref();
        let mut pieces = Vec::new();
        let mut piece_start = block.range.start;
        let mut answered = false;
        let mut offset = block.range.start;
        let mut previous_end = block.range.start;
        for (number, line) in source.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            // (the lines after the first carry their indentation and a
            // block quote's markers)
            let content = if number == 0 {
                body
            } else {
                body.trim_start_matches([' ', '\t', '>'])
            };
            let content_start = line_start + (body.len() - content.len());
            let pair = super::labels::one_line_answer(content, label);
            let asks = pair.is_some()
                || (answered && super::labels::strip_question_marker(content).is_some());
            if asks && content_start > piece_start {
                pieces.push(piece_start..previous_end);
                piece_start = content_start;
                answered = false;
            }
            if let Some(at) = pair {
                pieces.push(piece_start..content_start + content[..at].trim_end().len());
                piece_start = content_start + at;
                answered = true;
            } else if self.answer_marker(content).is_some() {
                answered = true;
            }
            previous_end = line_start + body.trim_end().len();
        }
        if pieces.is_empty() {
            return pieces;
        }
        pieces.push(piece_start..block.range.end);
        pieces
    }

    /// The text after the answer label opening `text` (`A:`, `Answer:`,
    /// the user's own label), if it opens with one.
    pub fn answer_marker<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.answer_label
            .as_deref()
            .and_then(|label| super::markers::strip_label(text, label))
            .or_else(|| super::markers::strip_answer_marker(text))
    }

    /// The details elements that open at or after byte `offset`, in order:
    /// a binary search, since a document can hold tens of thousands.
    pub fn details_from(&self, offset: usize) -> &[Details] {
        let first = self
            .details
            .partition_point(|details| details.open < offset);
        &self.details[first..]
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(index) => index + 1,
            Err(index) => index,
        }
    }

    /// The 1-based line of the last byte of `range`.
    pub fn last_line_of(&self, range: &Range<usize>) -> usize {
        self.line_of(range.end.saturating_sub(1).max(range.start))
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of 1-based `line`, without its line end.
    pub fn line(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end.max(start)]
    }

    /// Offset of the start of the line holding `offset`.
    pub fn line_start_of(&self, offset: usize) -> usize {
        self.line_start(self.line_of(offset))
    }

    /// Offset just past the line end of the line holding `offset`.
    pub fn line_end_of(&self, offset: usize) -> usize {
        let line = self.line_of(offset);
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    fn read_plain(&mut self) {
        let mut blank = 0;
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            if content.trim().is_empty() {
                blank += 1;
                continue;
            }
            let indent = content.len() - content.trim_start().len();
            self.blocks.push(Block {
                kind: BlockKind::Line,
                range: start..start + content.len(),
                text: content.trim().to_owned(),
                list_depth: 0,
                item_lead: None,
                whole_bold: false,
                blank_before: blank,
                indent,
                table_rows: Vec::new(),
                definition_term: false,
            });
            blank = 0;
        }
    }

    fn read_markdown(&mut self) {
        // The card flavour, and what only notes hold: definition lists
        // (each becomes a card) and front matter.
        let mut options = crate::markdown::options() | Options::ENABLE_DEFINITION_LIST;
        let mut text = std::mem::take(&mut self.text);
        super::fences::repair_nested(&mut text);
        // Front matter only opens a document: pulldown-cmark would also
        // read a `---` under a heading, followed by text, as metadata.
        if text.starts_with("---\n") && opens_with_a_mapping(&text["---\n".len()..]) {
            options |= Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        } else if text.starts_with("+++\n") && opens_with_a_mapping(&text["+++\n".len()..]) {
            options |= Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
        }
        let mut builder = MarkdownBuilder::default();
        for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
            builder.event(event, range);
        }
        builder.close_leaf();
        self.blocks = builder.blocks;
        self.details = super::html_details::find_details(&text, &builder.html);
        self.front_matter = builder.front_matter;
        self.text = text;
    }
}

/// The text of a piece of a paragraph without its markup, as the blocks
/// of [`MarkdownBuilder`] hold it, and whether it is one strong span and
/// nothing else.
fn inline_text(source: &str) -> (String, bool) {
    let mut text = String::new();
    let mut strong = 0usize;
    let mut spans = 0;
    let mut outside = false;
    for event in Parser::new_ext(source, crate::markdown::options()) {
        match event {
            Event::Text(words)
            | Event::Code(words)
            | Event::InlineMath(words)
            | Event::DisplayMath(words) => {
                if strong == 0 && !words.trim().is_empty() {
                    outside = true;
                }
                text.push_str(&words);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock,
            ) => text.push(' '),
            Event::Start(Tag::Strong) => {
                strong += 1;
                if strong == 1 {
                    spans += 1;
                }
            }
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            _ => {}
        }
    }
    (text.trim().to_owned(), spans == 1 && !outside)
}

/// Whether the text after an opening `---` (or `+++`) is front matter: a
/// mapping of keys to values (`title: ...`, `tags = [...]`), its first line
/// a key. A `---` / `🟢 Beginner Level` / `---` banner over the first
/// questions is the author's layout, not metadata: read as front matter it
/// would hide the questions under it.
fn opens_with_a_mapping(after_fence: &str) -> bool {
    let Some(first) = after_fence
        .lines()
        .map(str::trim_end)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
    else {
        return false;
    };
    let Some(at) = first.find([':', '=']) else {
        return false;
    };
    let key = first[..at].trim();
    !key.is_empty()
        && !first.starts_with(char::is_whitespace)
        && key
            .chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.' | '"' | '\'' | ' '))
        && key.split_whitespace().count() <= 3
}

/// Turns pulldown-cmark's nested events into the flat block list.
#[derive(Default)]
struct MarkdownBuilder {
    blocks: Vec<Block>,
    /// Open list items: where each starts, its number, and whether a block
    /// has been seen in it yet.
    items: Vec<(usize, Option<u64>, bool)>,
    /// The next number of each open list (None for bullet lists).
    lists: Vec<Option<u64>>,
    leaf: Option<Leaf>,
    /// Depth of open strong spans, and whether text was seen outside one.
    strong_depth: usize,
    /// HTML fragments (blocks and inline tags) with their offsets, for the
    /// `<details>` scan.
    html: Vec<(usize, String)>,
    /// Inside front matter, whose text is metadata, not blocks.
    in_metadata: bool,
    /// Inside the term of a definition list.
    in_term: bool,
    front_matter: Option<Range<usize>>,
}

struct Leaf {
    kind: BlockKind,
    range: Range<usize>,
    text: String,
    lead: Option<ItemLead>,
    implicit: bool,
    bold_spans: usize,
    outside_bold: bool,
    rows: Vec<Vec<Range<usize>>>,
}

impl MarkdownBuilder {
    fn open_leaf(&mut self, kind: BlockKind, range: Range<usize>, implicit: bool) {
        self.close_leaf();
        let lead = match self.items.last_mut() {
            Some((start, number, seen)) if !*seen => {
                *seen = true;
                Some(ItemLead {
                    item_start: *start,
                    number: *number,
                })
            }
            _ => None,
        };
        self.leaf = Some(Leaf {
            kind,
            range,
            text: String::new(),
            lead,
            implicit,
            bold_spans: 0,
            outside_bold: false,
            rows: Vec::new(),
        });
    }

    fn close_leaf(&mut self) {
        if let Some(leaf) = self.leaf.take() {
            let whole_bold =
                leaf.kind == BlockKind::Paragraph && leaf.bold_spans == 1 && !leaf.outside_bold;
            self.blocks.push(Block {
                kind: leaf.kind,
                range: leaf.range,
                text: leaf.text.trim().to_owned(),
                list_depth: self.items.len(),
                item_lead: leaf.lead,
                whole_bold,
                blank_before: 0,
                indent: 0,
                table_rows: leaf.rows,
                definition_term: self.in_term,
            });
        }
    }

    /// Inline content outside any leaf is the loose text of a tight list
    /// item: it becomes an implicit paragraph.
    fn inline(&mut self, range: &Range<usize>) {
        match &mut self.leaf {
            Some(leaf) => {
                if leaf.implicit {
                    leaf.range.end = leaf.range.end.max(range.end);
                }
            }
            None => self.open_leaf(BlockKind::Paragraph, range.clone(), true),
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(leaf) = &mut self.leaf {
            leaf.text.push_str(text);
            if self.strong_depth == 0 && !text.trim().is_empty() {
                leaf.outside_bold = true;
            }
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.in_metadata {
            match event {
                Event::Text(_) => self.front_matter = Some(range),
                Event::End(TagEnd::MetadataBlock(_)) => self.in_metadata = false,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) | Event::Code(text) => {
                self.inline(&range);
                self.push_text(&text);
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.inline(&range);
                self.push_text(&text);
            }
            Event::Html(html) => {
                self.html.push((range.start, html.to_string()));
                if let Some(leaf) = &mut self.leaf {
                    leaf.range.end = leaf.range.end.max(range.end);
                }
            }
            Event::InlineHtml(html) => {
                self.html.push((range.start, html.to_string()));
                self.inline(&range);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.inline(&range);
                self.push_text(" ");
            }
            Event::Rule => {
                self.close_leaf();
                self.open_leaf(BlockKind::Rule, range, false);
                self.close_leaf();
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => self.inline(&range),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => self.open_leaf(BlockKind::Paragraph, range, false),
            Tag::Heading { level, .. } => {
                let level = crate::markdown::heading_level(level);
                self.open_leaf(BlockKind::Heading(level), range, false);
            }
            Tag::CodeBlock(_) => self.open_leaf(BlockKind::Code, range, false),
            Tag::HtmlBlock => self.open_leaf(BlockKind::Html, range, false),
            Tag::Table(_) => self.open_leaf(BlockKind::Table, range, false),
            Tag::TableHead | Tag::TableRow => {
                if let Some(leaf) = &mut self.leaf {
                    leaf.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.leaf.as_mut().and_then(|leaf| leaf.rows.last_mut()) {
                    row.push(range);
                }
            }
            Tag::List(first) => {
                self.close_leaf();
                self.lists.push(first);
            }
            Tag::Item => {
                self.close_leaf();
                let number = match self.lists.last_mut() {
                    Some(Some(next)) => {
                        let number = *next;
                        *next += 1;
                        Some(number)
                    }
                    _ => None,
                };
                self.items.push((range.start, number, false));
            }
            Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListDefinition => self.close_leaf(),
            Tag::DefinitionListTitle => {
                self.close_leaf();
                self.in_term = true;
            }
            Tag::MetadataBlock(_) => {
                self.close_leaf();
                self.in_metadata = true;
            }
            Tag::Strong => {
                self.inline(&range);
                self.strong_depth += 1;
                if let Some(leaf) = &mut self.leaf
                    && self.strong_depth == 1
                {
                    leaf.bold_spans += 1;
                }
            }
            Tag::Emphasis
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => self.inline(&range),
        }
    }

    fn end(&mut self, tag: TagEnd, _range: Range<usize>) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table => self.close_leaf(),
            TagEnd::Item => {
                self.close_leaf();
                self.items.pop();
            }
            TagEnd::List(_) => {
                self.close_leaf();
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) | TagEnd::DefinitionListDefinition => self.close_leaf(),
            TagEnd::DefinitionListTitle => {
                self.close_leaf();
                self.in_term = false;
            }
            TagEnd::Strong => self.strong_depth = self.strong_depth.saturating_sub(1),
            TagEnd::TableCell => {
                if let Some(leaf) = &mut self.leaf {
                    leaf.text.push_str(" | ");
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(document: &Document) -> Vec<(BlockKind, String)> {
        document
            .blocks
            .iter()
            .map(|block| (block.kind, block.text.clone()))
            .collect()
    }

    #[test]
    fn tight_list_items_lead_with_an_implicit_paragraph() {
        let document = Document::parse("- Q1) What?\n  - A: That.\n- Q2) Why?\n".into(), true);
        let blocks = kinds(&document);
        assert_eq!(blocks[0], (BlockKind::Paragraph, "Q1) What?".into()));
        assert_eq!(blocks[1], (BlockKind::Paragraph, "A: That.".into()));
        assert!(document.blocks[0].item_lead.is_some());
        assert_eq!(document.blocks[1].list_depth, 2);
        assert_eq!(
            &document.text[document.blocks[0].range.clone()],
            "Q1) What?"
        );
    }

    #[test]
    fn headings_in_list_items_and_bold_paragraphs() {
        let document = Document::parse(
            "1.  ### What is X?\n\n    X is.\n\n**Bold line?**\n\n**Not** whole\n".into(),
            true,
        );
        assert_eq!(document.blocks[0].kind, BlockKind::Heading(3));
        assert_eq!(document.blocks[0].item_lead.unwrap().number, Some(1));
        assert!(document.blocks[2].whole_bold);
        assert!(!document.blocks[3].whole_bold);
    }

    #[test]
    fn plain_lines_count_blank_lines_and_indent() {
        let document = Document::parse("Title\n\n\n  • item\n".into(), false);
        assert_eq!(document.blocks[1].blank_before, 2);
        assert_eq!(document.blocks[1].indent, 2);
        assert_eq!(document.line_of(document.blocks[1].range.start), 4);
    }
}
