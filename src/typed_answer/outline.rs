//! Reading the answer's structure: headings, list items and their heads,
//! bold terms and code spans, with the text each one explains.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NodeKind {
    Heading,
    Item,
    /// A paragraph ending with ":" that introduces a list.
    Title,
}

#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: NodeKind,
    /// Heading level; 7 for a title line of a plain-text answer.
    pub(super) level: u8,
    pub(super) pseudo: bool,
    pub(super) ordered: bool,
    pub(super) parent: Option<usize>,
    /// Heading or title text; an item's first line.
    pub(super) raw: String,
    pub(super) lead_bold: Option<String>,
    pub(super) bold_in_first_line: bool,
    pub(super) text_seen: bool,
    pub(super) collecting: bool,
    /// An item's own text; a heading's first paragraph.
    pub(super) context: String,
    /// An item's first nested block, for a head with nothing after it.
    pub(super) child_text: String,
    /// A heading with something in its section.
    pub(super) has_content: bool,
    /// Blocks of text seen before this node.
    pub(super) blocks_before: usize,
    pub(super) order: usize,
    // decided after reading
    pub(super) head: Option<String>,
    pub(super) numbered: bool,
    pub(super) filler: bool,
    pub(super) example: bool,
    pub(super) container: bool,
}

impl Node {
    pub(super) fn new(
        kind: NodeKind,
        parent: Option<usize>,
        order: usize,
        blocks_before: usize,
    ) -> Node {
        Node {
            kind,
            level: 0,
            pseudo: false,
            ordered: false,
            parent,
            raw: String::new(),
            lead_bold: None,
            bold_in_first_line: false,
            text_seen: false,
            collecting: false,
            context: String::new(),
            child_text: String::new(),
            has_content: false,
            blocks_before,
            order,
            head: None,
            numbered: false,
            filler: false,
            example: false,
            container: false,
        }
    }

    pub(super) fn is_point(&self) -> bool {
        self.head.is_some() && !self.filler && !self.container
    }
}

/// A point found in passing (bold, code, table cell, command).
#[derive(Debug)]
pub(super) struct Found {
    pub(super) kind: PointKind,
    pub(super) text: String,
    pub(super) owner: Option<usize>,
    /// In a paragraph rather than a list item.
    pub(super) in_paragraph: bool,
    /// From a code block: only used when nothing else is found.
    pub(super) command: bool,
    pub(super) order: usize,
}

#[derive(Debug)]
pub(super) struct Block {
    pub(super) text: String,
    pub(super) owner: Option<usize>,
    /// Words read before the block.
    pub(super) order: usize,
    /// The text of the heading that owns it.
    pub(super) heading: bool,
}

#[derive(Default)]
pub(super) struct Reader {
    pub(super) nodes: Vec<Node>,
    pub(super) found: Vec<Found>,
    pub(super) blocks: Vec<Block>,
    pub(super) headings: Vec<usize>,
    pub(super) items: Vec<usize>,
    /// The title node over the current list, and the list depth it opened at.
    pub(super) title: Option<(usize, usize)>,
    pub(super) pending_title: Option<String>,
    pub(super) lists: Vec<bool>,
    pub(super) in_heading: Option<(u8, usize)>,
    pub(super) heading_text: String,
    pub(super) strong_depth: usize,
    pub(super) strong_text: String,
    pub(super) strong_leading: bool,
    pub(super) in_code_block: bool,
    pub(super) code_lang: String,
    pub(super) code_text: String,
    pub(super) block: String,
    /// Words in the blocks flushed so far.
    pub(super) words_read: usize,
    /// Numbered headings form the outline's spine.
    pub(super) spine: bool,
    pub(super) table_head: bool,
    pub(super) in_cell: bool,
    pub(super) cell: usize,
    pub(super) cell_text: String,
    pub(super) order: usize,
}

impl Reader {
    pub(super) fn read(markdown: &str) -> Reader {
        let mut reader = Reader::default();
        let options = crate::markdown::options();
        for event in Parser::new_ext(markdown, options) {
            reader.event(event);
        }
        reader.flush_block();
        reader
    }

    /// The reading position here: words read so far (times 1024), plus a
    /// sequence number that orders things found at the same word.
    pub(super) fn next_order(&mut self) -> usize {
        self.order += 1;
        let in_block = if self.block.len() < 4096 {
            word_count(&self.block)
        } else {
            self.block.len() / 6
        };
        (self.words_read + in_block)
            .saturating_mul(1024)
            .saturating_add(self.order % 1024)
    }

    /// The reading position at the start of the current block.
    pub(super) fn block_start_order(&mut self) -> usize {
        self.order += 1;
        self.words_read
            .saturating_mul(1024)
            .saturating_add(self.order % 1024)
    }

    pub(super) fn innermost(&self) -> Option<usize> {
        self.items
            .last()
            .copied()
            .or(self.title.map(|(t, _)| t))
            .or(self.headings.last().copied())
    }

    pub(super) fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.code(&code),
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            _ => {}
        }
    }

    pub(super) fn text(&mut self, text: &str) {
        if self.in_code_block {
            if self.code_text.len() < 4096 {
                self.code_text.push_str(text);
            }
            return;
        }
        if self.in_heading.is_some() {
            self.heading_text.push_str(text);
            return;
        }
        if self.in_cell {
            self.cell_text.push_str(text);
        }
        if self.strong_depth > 0 {
            self.strong_text.push_str(text);
        }
        if let Some(&item) = self.items.last() {
            let strong = self.strong_depth > 0;
            let node = &mut self.nodes[item];
            if node.collecting {
                node.raw.push_str(text);
                if !strong && !text.trim().is_empty() {
                    node.text_seen = true;
                }
            }
            node.context.push_str(text);
        }
        self.block.push_str(text);
    }

    pub(super) fn code(&mut self, code: &str) {
        let in_heading = self.in_heading.is_some();
        self.text(code);
        if in_heading || self.in_code_block {
            return;
        }
        let text = collapse_whitespace(code);
        if !text.is_empty() && text.len() <= 40 && word_count(&text) <= 4 && has_letter(&text) {
            let order = self.next_order();
            self.found.push(Found {
                kind: PointKind::Code,
                text,
                owner: self.innermost(),
                in_paragraph: self.items.is_empty(),
                command: false,
                order,
            });
        }
    }

    pub(super) fn line_break(&mut self) {
        if self.in_code_block {
            return;
        }
        if self.in_heading.is_some() {
            self.heading_text.push(' ');
            return;
        }
        if self.strong_depth > 0 {
            self.strong_text.push(' ');
        }
        if let Some(&item) = self.items.last() {
            let node = &mut self.nodes[item];
            node.collecting = false;
            node.context.push(' ');
        }
        self.block.push('\n');
    }

    pub(super) fn stop_collecting(&mut self) {
        if let Some(&item) = self.items.last() {
            self.nodes[item].collecting = false;
        }
    }

    pub(super) fn flush_block(&mut self) {
        let text = std::mem::take(&mut self.block);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let owner = self.innermost();
        let depth = self.items.len();
        for &item in self.items.iter().take(depth.saturating_sub(1)) {
            let node = &mut self.nodes[item];
            if node.child_text.is_empty() {
                node.child_text = text.to_string();
            }
        }
        if let Some(&heading) = self.headings.last() {
            let node = &mut self.nodes[heading];
            node.has_content = true;
            // the first paragraph or list item of the section explains it
            if node.context.is_empty() {
                node.context = text.to_string();
            }
        }
        self.blocks.push(Block {
            text: text.to_string(),
            owner,
            order: self.words_read,
            heading: false,
        });
        self.words_read += word_count(text);
    }

    pub(super) fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {
                self.flush_block();
                self.pending_title = None;
            }
            Tag::Heading { level, .. } => {
                self.flush_block();
                self.pending_title = None;
                let level = heading_level(level);
                while let Some(&top) = self.headings.last() {
                    if self.nodes[top].level >= level {
                        self.headings.pop();
                    } else {
                        break;
                    }
                }
                let order = self.next_order();
                self.in_heading = Some((level, order));
                self.heading_text.clear();
            }
            Tag::CodeBlock(kind) => {
                self.flush_block();
                self.pending_title = None;
                self.stop_collecting();
                self.in_code_block = true;
                self.code_lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.trim().to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code_text.clear();
                if self.items.is_empty()
                    && let Some(&heading) = self.headings.last()
                {
                    self.nodes[heading].has_content = true;
                }
            }
            Tag::List(first) => {
                self.flush_block();
                self.stop_collecting();
                if self.items.is_empty()
                    && self.title.is_none()
                    && let Some(text) = self.pending_title.take()
                {
                    let order = self.next_order();
                    let mut node = Node::new(
                        NodeKind::Title,
                        self.headings.last().copied(),
                        order,
                        self.blocks.len(),
                    );
                    node.raw = text;
                    self.nodes.push(node);
                    self.title = Some((self.nodes.len() - 1, self.lists.len()));
                }
                self.pending_title = None;
                self.lists.push(first.is_some());
            }
            Tag::Item => {
                self.flush_block();
                if self.items.is_empty()
                    && let Some(&heading) = self.headings.last()
                {
                    self.nodes[heading].has_content = true;
                }
                let order = self.next_order();
                let mut node =
                    Node::new(NodeKind::Item, self.innermost(), order, self.blocks.len());
                node.ordered = self.lists.last().copied().unwrap_or(false);
                node.collecting = true;
                self.nodes.push(node);
                self.items.push(self.nodes.len() - 1);
            }
            Tag::Strong => {
                if self.strong_depth == 0 {
                    self.strong_text.clear();
                    self.strong_leading = self.in_heading.is_none()
                        && self.items.last().is_some_and(|&item| {
                            let node = &self.nodes[item];
                            node.collecting && !node.text_seen && node.lead_bold.is_none()
                        });
                }
                self.strong_depth += 1;
            }
            Tag::Table(_) => {
                self.flush_block();
                self.pending_title = None;
            }
            Tag::TableHead => self.table_head = true,
            Tag::TableRow => self.cell = 0,
            Tag::TableCell => {
                self.in_cell = true;
                self.cell_text.clear();
            }
            Tag::BlockQuote(_) | Tag::HtmlBlock => self.flush_block(),
            _ => {}
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.code_block_command();
            }
            TagEnd::List(_) => {
                self.flush_block();
                self.lists.pop();
                if let Some((_, depth)) = self.title
                    && depth >= self.lists.len()
                {
                    self.title = None;
                }
            }
            TagEnd::Item => {
                self.flush_block();
                self.items.pop();
            }
            TagEnd::Strong => {
                self.strong_depth = self.strong_depth.saturating_sub(1);
                if self.strong_depth == 0 {
                    self.end_strong();
                }
            }
            TagEnd::TableHead => {
                self.table_head = false;
                self.flush_block();
            }
            TagEnd::TableRow => self.flush_block(),
            TagEnd::TableCell => {
                self.in_cell = false;
                if !self.table_head && self.cell == 0 {
                    let text = clean_display(&self.cell_text);
                    if !text.is_empty() && word_count(&text) <= 8 {
                        let order = self.next_order();
                        self.found.push(Found {
                            kind: PointKind::ListHead,
                            text,
                            owner: self.innermost(),
                            in_paragraph: false,
                            command: false,
                            order,
                        });
                    }
                }
                self.block.push_str(" · ");
                self.cell += 1;
            }
            TagEnd::Table | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock => self.flush_block(),
            _ => {}
        }
    }

    pub(super) fn end_strong(&mut self) {
        if self.in_heading.is_some() {
            return;
        }
        let text = clean_display(&self.strong_text);
        let leading = std::mem::take(&mut self.strong_leading);
        if text.is_empty() {
            return;
        }
        if leading && let Some(&item) = self.items.last() {
            self.nodes[item].lead_bold = Some(text);
            return;
        }
        if let Some(&item) = self.items.last()
            && self.nodes[item].collecting
        {
            self.nodes[item].bold_in_first_line = true;
        }
        if word_count(&text) <= 8 && text.len() <= 80 {
            let order = self.next_order();
            self.found.push(Found {
                kind: PointKind::Term,
                text,
                owner: self.innermost(),
                in_paragraph: self.items.is_empty(),
                command: false,
                order,
            });
        }
    }

    pub(super) fn end_paragraph(&mut self) {
        self.stop_collecting();
        if !self.items.is_empty() || self.title.is_some() {
            self.flush_block();
            return;
        }
        let text = self.block.trim().to_string();
        let words = word_count(&text);
        if text.ends_with(':') && words <= 12 {
            self.flush_block();
            self.pending_title = Some(text);
            return;
        }
        if let Some(lead) = paragraph_lead(&text) {
            let order = self.block_start_order();
            let mut node = Node::new(
                NodeKind::Heading,
                self.headings.last().copied(),
                order,
                self.blocks.len(),
            );
            node.level = 7;
            node.pseudo = true;
            node.has_content = true;
            node.raw = lead.0;
            node.context = lead.1;
            self.nodes.push(node);
            self.flush_block();
            return;
        }
        let last = text.chars().last().unwrap_or('.');
        let first = text.chars().next().unwrap_or('a');
        let title_line = !text.contains('\n')
            && (1..=6).contains(&words)
            && (last.is_alphanumeric() || last == ')')
            && (first.is_uppercase() || first.is_ascii_digit())
            && has_letter(&text);
        if !title_line {
            self.flush_block();
            return;
        }
        // a title line of a plain-text answer: a heading below all others
        while let Some(&top) = self.headings.last() {
            if self.nodes[top].level >= 7 {
                self.headings.pop();
            } else {
                break;
            }
        }
        let order = self.block_start_order();
        let mut node = Node::new(
            NodeKind::Heading,
            self.headings.last().copied(),
            order,
            self.blocks.len(),
        );
        node.level = 7;
        node.pseudo = true;
        node.raw = text.clone();
        if let Some(parent) = node.parent {
            self.nodes[parent].has_content = true;
        }
        self.nodes.push(node);
        let id = self.nodes.len() - 1;
        self.headings.push(id);
        self.block.clear();
        let words = word_count(&text);
        self.blocks.push(Block {
            text,
            owner: Some(id),
            order: self.words_read,
            heading: true,
        });
        self.words_read += words;
    }

    pub(super) fn end_heading(&mut self) {
        let Some((level, order)) = self.in_heading.take() else {
            return;
        };
        let text = collapse_whitespace(&std::mem::take(&mut self.heading_text));
        let (_, numbered) = strip_numbering(&text);
        let mut parent = self.headings.last().copied();
        if let Some(top) = parent {
            // "## 4." among "### 3." and "### 5.": numbered headings are siblings
            if numbered && self.nodes[top].numbered && !self.nodes[top].pseudo {
                parent = self.nodes[top].parent;
                self.headings.pop();
            }
        }
        if let Some(p) = parent {
            self.nodes[p].has_content = true;
        }
        let mut node = Node::new(NodeKind::Heading, parent, order, self.blocks.len());
        node.level = level;
        node.numbered = numbered;
        node.raw = text.clone();
        self.nodes.push(node);
        let id = self.nodes.len() - 1;
        self.headings.push(id);
        if !text.is_empty() {
            let words = word_count(&text);
            self.blocks.push(Block {
                text,
                owner: Some(id),
                order: self.words_read,
                heading: true,
            });
            self.words_read += words;
        }
    }

    pub(super) fn code_block_command(&mut self) {
        let shell = matches!(
            self.code_lang.as_str(),
            "" | "bash" | "sh" | "shell" | "console" | "zsh" | "powershell" | "cmd" | "terminal"
        );
        if !shell {
            return;
        }
        let Some(line) = self
            .code_text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"))
        else {
            return;
        };
        let line = line.trim_start_matches(['$', '>', ' ']);
        let words: Vec<&str> = line
            .split_whitespace()
            .take_while(|w| {
                w.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    && !w.starts_with('-')
            })
            .take(3)
            .collect();
        if words.is_empty() || !has_letter(words[0]) {
            return;
        }
        let text = words.join(" ");
        let order = self.next_order();
        self.found.push(Found {
            kind: PointKind::Code,
            text,
            owner: self.innermost(),
            in_paragraph: false,
            command: true,
            order,
        });
    }
}

/// "In Transit: I use TLS ...": a run-in heading and what follows it.
pub(super) fn paragraph_lead(text: &str) -> Option<(String, String)> {
    let first_line = text.lines().next()?;
    let at = first_line.find(": ")?;
    let lead = first_line[..at].trim();
    let rest = text[at + 1..].trim();
    let titled = lead.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || is_stop(&w.to_lowercase())
    });
    let starts_upper = lead.chars().next().is_some_and(char::is_uppercase);
    if starts_upper
        && titled
        && (1..=4).contains(&word_count(lead))
        && !lead.contains(['.', '?', '!', ','])
        && word_count(rest) >= 3
    {
        Some((lead.to_string(), rest.to_string()))
    } else {
        None
    }
}

pub(super) use crate::markdown::heading_level;

/// Words that open a clause after an item's head.
pub(super) const CLAUSE_CUTS: &[&str] = &[
    ", which ",
    ", so ",
    "; ",
    " which ",
    " so that ",
    " so ",
    " to ",
    " because ",
    " that ",
    " by ",
    " and ",
    " for ",
    " with ",
    " when ",
    " if ",
    " since ",
    " but ",
    " where ",
    " in order ",
    " (",
    ". ",
];

/// The head of a list item without a leading bold: the text before a
/// separator if short, else the item if short, else its first clause, else
/// its first words.
pub(super) fn derive_head(line: &str) -> Option<String> {
    let line = collapse_whitespace(line);
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    // "S3 (prevent public access, enforce encryption)": a parenthesis
    // closes the head too
    let mut best: Option<usize> = None;
    for sep in [
        ": ", " - ", " – ", " — ", " → ", " -> ", " = ", " => ", " (",
    ] {
        if let Some(at) = line.find(sep) {
            best = Some(best.map_or(at, |b: usize| b.min(at)));
        }
    }
    if best.is_none() && line.ends_with(':') {
        best = Some(line.len() - 1);
    }
    if let Some(at) = best {
        let before = line[..at].trim();
        let after = line[at..]
            .trim_start_matches([':', '-', '–', '—', '→', '>', '=', ' '])
            .trim_end_matches([':', '.', ';', ','])
            .trim();
        let first = plain_words(before).into_iter().next().unwrap_or_default();
        let conditional = matches!(first.as_str(), "if" | "when" | "once" | "after" | "before");
        if conditional {
            // "If a policy causes issues → simply rollback commit": the action
            if (1..=6).contains(&word_count(after)) {
                return Some(after.to_string());
            }
        } else if (1..=6).contains(&word_count(before)) {
            return Some(before.to_string());
        }
    }
    let line = collapse_whitespace(&naming_parens_only(line));
    let line = line.as_str();
    let whole = line.trim_end_matches([':', '.', ';', ',']);
    if word_count(whole) <= 8 {
        // "I use opa eval --explain=full to see why": drop the purpose
        // ASCII lowercase keeps byte offsets
        let lower = whole.to_ascii_lowercase();
        for sep in [" to ", " so that ", " which ", ", so "] {
            if let Some(at) = lower.find(sep)
                && word_count(&whole[..at]) >= 3
                && word_count(&whole[at..]) >= 3
            {
                return Some(whole[..at].trim().to_string());
            }
        }
        return Some(whole.to_string());
    }
    let lower = whole.to_ascii_lowercase();
    let mut cut_at: Option<usize> = None;
    for sep in CLAUSE_CUTS {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(sep) {
            let at = from + pos;
            if word_count(&whole[..at]) >= 2 {
                cut_at = Some(cut_at.map_or(at, |c: usize| c.min(at)));
                break;
            }
            from = at + sep.len();
        }
    }
    if let Some(at) = cut_at {
        let clause = whole[..at].trim();
        if word_count(clause) <= 6 {
            return Some(clause.to_string());
        }
    }
    let mut words: Vec<&str> = whole.split_whitespace().take(4).collect();
    while words.last().is_some_and(|w| {
        is_stop(
            w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    }) {
        words.pop();
    }
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}
