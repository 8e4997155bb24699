//! The document model: pulldown-cmark's events built into a tree of
//! blocks (paragraphs, code, lists, quotes, tables) with the source lines
//! each spans.

use super::*;

#[derive(Debug, Clone)]
pub(super) enum Inline {
    Text(String, Style),
    Break,
}

#[derive(Debug)]
pub(super) enum Block {
    Para(Vec<Inline>),
    Code {
        lang: String,
        text: String,
    },
    Html(String),
    List {
        first: Option<u64>,
        loose: bool,
        items: Vec<Item>,
    },
    Quote {
        kind: Option<BlockQuoteKind>,
        blocks: Vec<Node>,
    },
    Rule,
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// A block and the source lines it spans (to keep blank lines inside list
/// items where the author put them).
#[derive(Debug)]
pub(super) struct Node {
    pub(super) block: Block,
    pub(super) first_line: usize,
    pub(super) last_line: usize,
}

#[derive(Debug, Default)]
pub(super) struct Item {
    pub(super) task: Option<bool>,
    pub(super) blocks: Vec<Node>,
}

pub(super) enum Frame {
    Root(Vec<Node>),
    Quote {
        kind: Option<BlockQuoteKind>,
        blocks: Vec<Node>,
        start: usize,
    },
    List {
        first: Option<u64>,
        loose: bool,
        items: Vec<Item>,
        start: usize,
    },
    Item {
        task: Option<bool>,
        blocks: Vec<Node>,
        has_para: bool,
    },
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
        start: usize,
    },
}

pub(super) fn parse(markdown: &str) -> Vec<Node> {
    let options = crate::markdown::options();
    let mut builder = Builder::new(markdown);
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        builder.event(event, range.start, range.end);
    }
    builder.finish()
}

pub(super) struct Builder<'s> {
    pub(super) source: &'s str,
    pub(super) line_starts: Vec<usize>,
    pub(super) stack: Vec<Frame>,
    /// For each open quote, list or item: whether it got a frame (false
    /// when it was flattened for being nested too deep).
    pub(super) opened: Vec<bool>,
    pub(super) inlines: Vec<Inline>,
    pub(super) inline_range: Option<(usize, usize)>,
    pub(super) block_start: usize,
    pub(super) strong: usize,
    pub(super) emphasis: usize,
    pub(super) strike: usize,
    pub(super) heading: Option<u8>,
    pub(super) table_head: bool,
    pub(super) links: Vec<(usize, String, LinkType)>,
    pub(super) images: Vec<(usize, String, Style)>,
    pub(super) code: Option<(String, String)>,
    pub(super) html: Option<String>,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Builder<'s> {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Builder {
            source,
            line_starts,
            stack: vec![Frame::Root(Vec::new())],
            opened: Vec::new(),
            inlines: Vec::new(),
            inline_range: None,
            block_start: 0,
            strong: 0,
            emphasis: 0,
            strike: 0,
            heading: None,
            table_head: false,
            links: Vec::new(),
            images: Vec::new(),
            code: None,
            html: None,
        }
    }

    fn style(&self) -> Style {
        Style {
            bold: self.strong > 0 || self.heading.is_some() || self.table_head,
            italic: self.emphasis > 0,
            strikethrough: self.strike > 0,
            heading: self.heading,
            ..Style::default()
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    fn node(&self, block: Block, start: usize, end: usize) -> Node {
        let text = self.source.get(start..end).unwrap_or("");
        let last = start + text.trim_end().len().saturating_sub(1);
        Node {
            block,
            first_line: self.line_of(start),
            last_line: self.line_of(last.max(start)),
        }
    }

    fn push_node(&mut self, node: Node) {
        let mut node = Some(node);
        for frame in self.stack.iter_mut().rev() {
            let blocks = match frame {
                Frame::Root(blocks) | Frame::Quote { blocks, .. } | Frame::Item { blocks, .. } => {
                    blocks
                }
                Frame::List { items, .. } => {
                    if items.is_empty() {
                        items.push(Item::default());
                    }
                    match items.last_mut() {
                        Some(item) => &mut item.blocks,
                        None => continue,
                    }
                }
                Frame::Table { .. } => continue,
            };
            if let Some(node) = node.take() {
                blocks.push(node);
            }
            return;
        }
    }

    fn push_text(&mut self, text: &str, style: Style) {
        self.inlines.push(Inline::Text(clean_inline(text), style));
    }

    /// Inline content outside a paragraph (a tight list item's text) becomes
    /// a paragraph at the next block boundary.
    fn flush(&mut self) {
        self.links.clear();
        self.images.clear();
        if self.inlines.is_empty() {
            self.inline_range = None;
            return;
        }
        let inlines = std::mem::take(&mut self.inlines);
        let (start, end) = self.inline_range.take().unwrap_or((0, 0));
        if matches!(self.stack.last(), Some(Frame::Table { .. })) {
            return;
        }
        let node = self.node(Block::Para(inlines), start, end);
        self.push_node(node);
    }

    fn open_container(&mut self, frame: Frame) {
        self.flush();
        let fits = self.stack.len() <= MAX_NEST;
        if fits {
            self.stack.push(frame);
        }
        self.opened.push(fits);
    }

    fn close_container(&mut self) -> Option<Frame> {
        self.flush();
        if self.opened.pop().unwrap_or(false) && self.stack.len() > 1 {
            self.stack.pop()
        } else {
            None
        }
    }

    fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
        if !matches!(event, Event::Start(_) | Event::End(_)) && self.code.is_none() {
            let (first, _) = self.inline_range.unwrap_or((start, end));
            self.inline_range = Some((first.min(start), end));
        }
        match event {
            Event::Start(tag) => self.start(tag, start),
            Event::End(tag) => self.end(tag, end),
            Event::Text(text) => {
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&text);
                } else if let Some(html) = &mut self.html {
                    html.push_str(&text);
                } else {
                    self.push_text(&text, self.style());
                }
            }
            Event::Code(text) => {
                let style = Style {
                    code: true,
                    ..self.style()
                };
                self.push_text(&text, style);
            }
            Event::Html(text) | Event::InlineHtml(text) => {
                if let Some(html) = &mut self.html {
                    html.push_str(&text);
                } else {
                    self.push_text(&text, self.style());
                }
            }
            Event::InlineMath(text) => self.push_text(&format!("${text}$"), self.style()),
            Event::DisplayMath(text) => self.push_text(&format!("$${text}$$"), self.style()),
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[^{label}]"), self.style());
            }
            // A line break where the author put one, as Obsidian and
            // GitHub comments show it: notes are written line by line
            // (`Situation: …` over `Task: …`).
            Event::SoftBreak | Event::HardBreak => self.inlines.push(Inline::Break),
            Event::Rule => {
                self.flush();
                let node = self.node(Block::Rule, start, end);
                self.push_node(node);
            }
            Event::TaskListMarker(done) => match self.stack.last_mut() {
                Some(Frame::Item { task, .. }) => *task = Some(done),
                _ => {
                    let mark = if done { "[x] " } else { "[ ] " };
                    self.push_text(mark, self.style());
                }
            },
        }
    }

    fn start(&mut self, tag: Tag<'_>, start: usize) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.block_start = start;
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.block_start = start;
                self.heading = Some(level as u8);
            }
            Tag::BlockQuote(kind) => self.open_container(Frame::Quote {
                kind,
                blocks: Vec::new(),
                start,
            }),
            Tag::CodeBlock(kind) => {
                self.flush();
                self.block_start = start;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {
                self.flush();
                self.block_start = start;
                self.html = Some(String::new());
            }
            Tag::List(first) => self.open_container(Frame::List {
                first,
                loose: false,
                items: Vec::new(),
                start,
            }),
            Tag::Item => self.open_container(Frame::Item {
                task: None,
                blocks: Vec::new(),
                has_para: false,
            }),
            Tag::Table(aligns) => {
                self.flush();
                self.stack.push(Frame::Table {
                    aligns,
                    head: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    start,
                });
            }
            Tag::TableHead => self.table_head = true,
            Tag::TableRow => {}
            Tag::TableCell => {
                self.inlines.clear();
                self.inline_range = None;
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self
                .links
                .push((self.inlines.len(), dest_url.to_string(), link_type)),
            Tag::Image { dest_url, .. } => {
                self.images
                    .push((self.inlines.len(), dest_url.to_string(), self.style()));
            }
            Tag::Superscript | Tag::Subscript => {}
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.flush(),
        }
    }

    fn end(&mut self, tag: TagEnd, end: usize) {
        match tag {
            TagEnd::Paragraph => {
                self.links.clear();
                self.images.clear();
                let inlines = std::mem::take(&mut self.inlines);
                self.inline_range = None;
                if let Some(Frame::Item { has_para, .. }) = self.stack.last_mut() {
                    *has_para = true;
                }
                let node = self.node(Block::Para(inlines), self.block_start, end);
                self.push_node(node);
            }
            TagEnd::Heading(_) => {
                self.links.clear();
                self.images.clear();
                let inlines = std::mem::take(&mut self.inlines);
                self.inline_range = None;
                self.heading = None;
                let node = self.node(Block::Para(inlines), self.block_start, end);
                self.push_node(node);
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                if let Some(frame) = self.close_container() {
                    self.close_frame(frame, end);
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code.take() {
                    let node = self.node(Block::Code { lang, text }, self.block_start, end);
                    self.push_node(node);
                }
                self.inline_range = None;
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html.take() {
                    let node = self.node(Block::Html(html), self.block_start, end);
                    self.push_node(node);
                }
                self.inline_range = None;
            }
            TagEnd::Table => {
                self.inlines.clear();
                self.inline_range = None;
                self.table_head = false;
                if matches!(self.stack.last(), Some(Frame::Table { .. }))
                    && let Some(frame) = self.stack.pop()
                {
                    self.close_frame(frame, end);
                }
            }
            TagEnd::TableHead => {
                self.table_head = false;
                if let Some(Frame::Table { head, row, .. }) = self.stack.last_mut() {
                    *head = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inlines);
                self.inline_range = None;
                self.links.clear();
                self.images.clear();
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::Superscript | TagEnd::Subscript => {}
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.flush(),
        }
    }

    /// A link shows its text then ` (URL)`, or just the URL once when the
    /// text is the URL (autolinks).
    fn end_link(&mut self) {
        let Some((at, url, kind)) = self.links.pop() else {
            return;
        };
        let at = at.min(self.inlines.len());
        let text: String = self.inlines[at..]
            .iter()
            .filter_map(|inline| match inline {
                Inline::Text(text, _) => Some(text.as_str()),
                Inline::Break => None,
            })
            .collect();
        let bare = url.strip_prefix("mailto:").unwrap_or(&url);
        if matches!(kind, LinkType::Autolink | LinkType::Email) || text == url || text == bare {
            for inline in &mut self.inlines[at..] {
                if let Inline::Text(_, style) = inline {
                    style.link = true;
                }
            }
        } else if !url.is_empty() {
            if text.trim().is_empty() {
                self.push_text(&url, Style::link());
            } else {
                self.push_text(&format!(" ({url})"), Style::link());
            }
        }
    }

    /// An image shows as `[image: alt] (file)`, or `(url)` when remote.
    fn end_image(&mut self) {
        let Some((at, url, style)) = self.images.pop() else {
            return;
        };
        let at = at.min(self.inlines.len());
        let alt = self.inlines.split_off(at);
        let has_alt = alt
            .iter()
            .any(|inline| matches!(inline, Inline::Text(text, _) if !text.trim().is_empty()));
        if has_alt {
            self.push_text("[image: ", style);
            self.inlines.extend(alt);
            self.push_text("]", style);
        } else {
            self.push_text("[image]", style);
        }
        // A local image is named by its file (the folder is the deck's
        // media, or the notes'); `o` in the reviewer opens it.
        let shown = match url.rsplit_once('/') {
            Some((_, file)) if !url.contains("://") && !file.is_empty() => file,
            _ => url.as_str(),
        };
        if !shown.is_empty() {
            self.push_text(&format!(" ({shown})"), Style::link());
        }
    }

    /// Turns a finished container into a block of its parent.
    fn close_frame(&mut self, frame: Frame, end: usize) {
        let (block, start) = match frame {
            Frame::Root(nodes) => {
                for node in nodes {
                    self.push_node(node);
                }
                return;
            }
            Frame::Item {
                task,
                blocks,
                has_para,
            } => {
                if let Some(Frame::List { loose, items, .. }) = self.stack.last_mut() {
                    *loose |= has_para;
                    items.push(Item { task, blocks });
                } else {
                    for node in blocks {
                        self.push_node(node);
                    }
                }
                return;
            }
            Frame::Quote {
                kind,
                blocks,
                start,
            } => (Block::Quote { kind, blocks }, start),
            Frame::List {
                first,
                loose,
                items,
                start,
            } => (
                Block::List {
                    first,
                    loose,
                    items,
                },
                start,
            ),
            Frame::Table {
                aligns,
                head,
                mut rows,
                row,
                start,
            } => {
                if !row.is_empty() {
                    rows.push(row);
                }
                (Block::Table { aligns, head, rows }, start)
            }
        };
        let node = self.node(block, start, end);
        self.push_node(node);
    }

    fn finish(mut self) -> Vec<Node> {
        self.flush();
        let end = self.source.len();
        if let Some((lang, text)) = self.code.take() {
            let node = self.node(Block::Code { lang, text }, self.block_start, end);
            self.push_node(node);
        }
        if let Some(html) = self.html.take() {
            let node = self.node(Block::Html(html), self.block_start, end);
            self.push_node(node);
        }
        while self.stack.len() > 1 {
            if let Some(frame) = self.stack.pop() {
                self.close_frame(frame, end);
            }
        }
        match self.stack.pop() {
            Some(Frame::Root(nodes)) => nodes,
            _ => Vec::new(),
        }
    }
}
