//! Laying the block tree out at a width: lists with their numbers and
//! hanging indents, code set off and never re-wrapped, tables aligned or
//! one block per row, quotes behind a bar.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Spacing {
    /// a blank line between any two blocks
    Always,
    /// a blank line only where the source has one (inside list items)
    Source,
}

/// The width left after indenting by `by`, or `None` when that would leave
/// too little room (the caller then stops indenting).
pub(super) fn narrower(width: Option<usize>, by: usize) -> Option<Option<usize>> {
    match width {
        None => Some(None),
        Some(w) if w >= by + MIN_INNER => Some(Some(w - by)),
        Some(_) => None,
    }
}

pub(super) fn render_nodes(
    nodes: &[Node],
    width: Option<usize>,
    spacing: Spacing,
    depth: usize,
) -> Vec<Line> {
    let mut out = Vec::new();
    let mut previous: Option<&Node> = None;
    for node in nodes {
        let lines = render_block(&node.block, width, depth);
        if lines.is_empty() {
            continue;
        }
        if let Some(prev) = previous
            && (spacing == Spacing::Always || node.first_line > prev.last_line + 1)
        {
            out.push(Line::default());
        }
        out.extend(lines);
        previous = Some(node);
    }
    out
}

pub(super) fn render_block(block: &Block, width: Option<usize>, depth: usize) -> Vec<Line> {
    match block {
        Block::Para(inlines) => wrap(inlines, width),
        Block::Code { lang, text } => render_code(lang, text, width),
        Block::Html(text) => {
            let mut out = Vec::new();
            for line in verbatim_lines(text) {
                let wrapped = wrap(&[Inline::Text(line, Style::default())], width);
                if wrapped.is_empty() {
                    if out.last().is_some_and(|l: &Line| !l.is_blank()) {
                        out.push(Line::default());
                    }
                } else {
                    out.extend(wrapped);
                }
            }
            while out.last().is_some_and(Line::is_blank) {
                out.pop();
            }
            out
        }
        Block::List {
            first,
            loose,
            items,
        } => render_list(*first, *loose, items, width, depth),
        Block::Quote { kind, blocks } => render_quote(*kind, blocks, width, depth),
        Block::Rule => {
            let n = width.unwrap_or(UNWRAPPED_RULE);
            vec![Line::from_spans(vec![Span::new(
                "─".repeat(n),
                Style::marker(),
            )])]
        }
        Block::Table { aligns, head, rows } => render_table(aligns, head, rows, width),
    }
}

/// A code block: its language as a dim label on the fence line above it
/// (`╭─ python`), then each line behind a bar. A line wider than the
/// screen goes on in the rows below behind a continuation mark (`↪`), cut
/// by whole characters, so every character of it can be read; without a
/// width (piped output) lines are left whole.
pub(super) fn render_code(lang: &str, text: &str, width: Option<usize>) -> Vec<Line> {
    let mut out = Vec::new();
    if !lang.is_empty() {
        let lang = clean_inline(lang);
        let label = match width {
            Some(width) => crate::text_width::clip(&lang, width.saturating_sub(3)).0,
            None => &lang,
        };
        out.push(Line::from_spans(vec![
            Span::new("╭─ ", Style::marker()),
            Span::new(label, Style::marker()),
        ]));
    }
    if text.is_empty() {
        return out;
    }
    let code = Style {
        code_block: true,
        ..Style::default()
    };
    // The bar and its space take two columns.
    let room = width.map(|width| width.saturating_sub(2).max(1));
    for line in verbatim_lines(text) {
        if line.is_empty() {
            out.push(Line::from_spans(vec![Span::new("│", Style::marker())]));
            continue;
        }
        let mut rest: &str = &line;
        let mut first = true;
        while !rest.is_empty() {
            let head = match room {
                Some(room) => crate::text_width::clip(rest, room).0,
                None => rest,
            };
            // A character wider than the room still goes, alone.
            let head = if head.is_empty() {
                &rest[..rest.chars().next().map_or(0, char::len_utf8)]
            } else {
                head
            };
            let mark = if first { "│ " } else { "│↪" };
            out.push(Line::from_spans(vec![
                Span::new(mark, Style::marker()),
                Span::new(head, code),
            ]));
            rest = &rest[head.len()..];
            first = false;
        }
    }
    out
}

/// Puts `prefix` before the first line and `indent` spaces before the others.
pub(super) fn hang(prefix: Vec<Span>, indent: usize, lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len().max(1));
    let mut lines = lines.into_iter();
    let mut first = Line::from_spans(prefix);
    if let Some(line) = lines.next() {
        for span in line.spans {
            first.push(span);
        }
    }
    out.push(first);
    for line in lines {
        if line.is_blank() {
            out.push(Line::default());
        } else {
            let mut indented =
                Line::from_spans(vec![Span::new(" ".repeat(indent), Style::default())]);
            for span in line.spans {
                indented.push(span);
            }
            out.push(indented);
        }
    }
    out
}

pub(super) fn render_list(
    first: Option<u64>,
    loose: bool,
    items: &[Item],
    width: Option<usize>,
    depth: usize,
) -> Vec<Line> {
    let markers: Vec<String> = match first {
        Some(start) => (0..items.len())
            .map(|i| format!("{}.", start.saturating_add(i as u64)))
            .collect(),
        None => vec![BULLETS[depth % BULLETS.len()].to_string(); items.len()],
    };
    let marker_width = markers.iter().map(|m| columns(m)).max().unwrap_or(1);
    let mut out = Vec::new();
    for (item, marker) in items.iter().zip(&markers) {
        if loose && !out.is_empty() {
            out.push(Line::default());
        }
        let pad = marker_width.saturating_sub(columns(marker));
        let mut prefix = vec![
            Span::new(" ".repeat(pad), Style::default()),
            Span::new(marker.clone(), Style::marker()),
            Span::new(" ", Style::default()),
        ];
        let mut indent = marker_width + 1;
        if let Some(done) = item.task {
            let mark = if done { "[x]" } else { "[ ]" };
            prefix.push(Span::new(mark, Style::marker()));
            prefix.push(Span::new(" ", Style::default()));
            indent += 4;
        }
        match narrower(width, indent) {
            Some(inner) => {
                let body = render_nodes(&item.blocks, inner, Spacing::Source, depth + 1);
                out.extend(hang(prefix, indent, body));
            }
            None => {
                // Too narrow to indent: the marker on its own line, the
                // item's content under it at full width.
                let marker_text: Vec<Inline> = prefix
                    .into_iter()
                    .map(|s| Inline::Text(s.text, s.style))
                    .collect();
                out.extend(wrap(&marker_text, width));
                out.extend(render_nodes(
                    &item.blocks,
                    width,
                    Spacing::Source,
                    depth + 1,
                ));
            }
        }
    }
    out
}

pub(super) fn render_quote(
    kind: Option<BlockQuoteKind>,
    blocks: &[Node],
    width: Option<usize>,
    depth: usize,
) -> Vec<Line> {
    let label = kind.map(|kind| match kind {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    });
    let Some(inner) = narrower(width, 2) else {
        let mut out = Vec::new();
        if let Some(label) = label {
            out.extend(wrap(&[Inline::Text(label.into(), Style::bold())], width));
        }
        out.extend(render_nodes(blocks, width, Spacing::Always, depth));
        return out;
    };
    let mut body = Vec::new();
    if let Some(label) = label {
        body.extend(wrap(&[Inline::Text(label.into(), Style::bold())], inner));
    }
    body.extend(render_nodes(blocks, inner, Spacing::Always, depth));
    body.into_iter()
        .map(|line| {
            let mut out = Line::from_spans(vec![Span::new("│", Style::marker())]);
            if !line.is_blank() {
                out.push(Span::new(" ", Style::default()));
                for span in line.spans {
                    out.push(span);
                }
            }
            out
        })
        .collect()
}

/// A table cell on one line.
pub(super) fn cell_spans(inlines: Option<&Vec<Inline>>) -> Line {
    let mut line = Line::default();
    let Some(inlines) = inlines else {
        return line;
    };
    for (i, part) in wrap(inlines, None).into_iter().enumerate() {
        if i > 0 {
            line.push(Span::new(" ", Style::default()));
        }
        for span in part.spans {
            line.push(span);
        }
    }
    line
}

pub(super) fn render_table(
    aligns: &[Alignment],
    head: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    width: Option<usize>,
) -> Vec<Line> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([head.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return Vec::new();
    }
    let head_cells: Vec<Line> = (0..columns).map(|c| cell_spans(head.get(c))).collect();
    let body_cells: Vec<Vec<Line>> = rows
        .iter()
        .map(|row| (0..columns).map(|c| cell_spans(row.get(c))).collect())
        .collect();
    let mut widths: Vec<usize> = head_cells.iter().map(|c| c.width().max(1)).collect();
    for row in &body_cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let separator = " │ ";
    let total = widths.iter().sum::<usize>() + columns_of(separator) * (columns - 1);
    if width.is_none_or(|w| total <= w) {
        let mut out = vec![table_row(&head_cells, &widths, aligns, separator)];
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        out.push(Line::from_spans(vec![Span::new(
            rule.join("─┼─"),
            Style::marker(),
        )]));
        for row in &body_cells {
            out.push(table_row(row, &widths, aligns, separator));
        }
        return out;
    }
    // Too wide: one block per row, each cell as `Header: value`.
    let mut out = Vec::new();
    let label = |c: usize| -> Vec<Inline> {
        let mut inlines = Vec::new();
        if let Some(cell) = head.get(c)
            && head_cells.get(c).is_some_and(|l| !l.is_blank())
        {
            inlines.extend(cell.iter().cloned());
            inlines.push(Inline::Text(":".into(), Style::bold()));
            inlines.push(Inline::Text(" ".into(), Style::default()));
        }
        inlines
    };
    if rows.is_empty() {
        for c in 0..columns {
            out.extend(wrap(head.get(c).map_or(&[][..], |v| v), width));
        }
        return out;
    }
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push(Line::default());
        }
        for c in 0..columns {
            let mut inlines = label(c);
            if let Some(cell) = row.get(c) {
                inlines.extend(cell.iter().cloned());
            }
            out.extend(wrap(&inlines, width));
        }
    }
    out
}

pub(super) fn table_row(
    cells: &[Line],
    widths: &[usize],
    aligns: &[Alignment],
    separator: &str,
) -> Line {
    let mut line = Line::default();
    for (c, (cell, &w)) in cells.iter().zip(widths).enumerate() {
        if c > 0 {
            line.push(Span::new(separator, Style::marker()));
        }
        let room = w.saturating_sub(cell.width());
        let (before, after) = match aligns.get(c) {
            Some(Alignment::Right) => (room, 0),
            Some(Alignment::Center) => (room / 2, room - room / 2),
            _ => (0, room),
        };
        line.push(Span::new(" ".repeat(before), Style::default()));
        for span in &cell.spans {
            line.push(span.clone());
        }
        line.push(Span::new(" ".repeat(after), Style::default()));
    }
    line
}
