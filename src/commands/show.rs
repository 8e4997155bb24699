/*!
`prep show CARD`: one card as the reviewer shows it, question and answer
rendered from markdown the same way, on standard output, with its deck,
tags, source, scheduling state and next due time. Styled on a terminal,
plain text elsewhere (inline code keeps its backticks there, as
[`Line::plain`](crate::tui::render::Line::plain) writes it); `--json` gives the card and its state as one object.

The state is the row `prep cards` prints for the card ([`CardRow`]), so
the two never disagree about what is due.
*/

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::cards::CardRow;
use super::{Outcome, report_problems, schedulers};
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Contents;
use crate::format;
use crate::schedule::zone::Zone;
use crate::tui::paint::{Look, Row, bold_row_of, row_of, write_row};
use crate::tui::render;

/// The widest the text is laid out, as in the reviewer.
const MAX_TEXT_WIDTH: usize = 100;

pub struct Options {
    /// A card id or a unique prefix of one.
    pub card: String,
    pub json: bool,
    /// Bold, dim and colours, as `--color` and `NO_COLOR` decided: with
    /// colour off, no escape is written at all.
    pub color: bool,
    /// Columns to lay the text out in.
    pub width: usize,
}

/// What `--json` prints: the card's `prep cards --json` row, and the rest
/// of the card.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    row: &'a CardRow,
    /// Whether a quiz would show it now as a review.
    due_now: bool,
    answer: &'a str,
    tags: &'a [String],
    source: Option<&'a str>,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::Everything)?;
    let found = catalog.resolve(&options.card)?;
    let (stored, flags) = match crate::sync::open_existing_store(settings)? {
        Some(store) => (store.card_state(&found.card.id)?, store.flags()?),
        None => (None, Default::default()),
    };
    let mut schedulers = schedulers(settings)?;
    let now = settings.now.to_utc();
    let zone = settings.zone;
    let row = CardRow::new(found, stored.as_ref(), &flags, &mut schedulers, now, zone)?;
    let card = found.card;

    if options.json {
        let shown = Shown {
            row: &row,
            due_now: row.due_now(),
            answer: &card.answer,
            tags: &card.tags,
            source: card.source.as_deref(),
        };
        // Written as text, so that a reader that goes away (`| head`) is
        // the io error `is_broken_pipe` knows, not a serde_json one.
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
        out.flush()?;
        return report_problems(&catalog.problems);
    }

    let width = options.width.clamp(10, MAX_TEXT_WIDTH);
    let buried = flags.buried_until(&card.id, now);
    // Each line twice, styled and plain, so that both forms are the same
    // lines.
    let mut lines: Vec<(Row, String)> = Vec::new();
    let text = |lines: &mut Vec<(Row, String)>, text: String, look: Look| {
        lines.push((vec![(text.clone(), look)], text));
    };
    let mut header = format!("{} · {} · {}", card.id, found.deck, row.state);
    if let Some(label) = found.side.label() {
        header.push_str(" · ");
        header.push_str(&label);
    }
    text(&mut lines, header, Look::bold());
    text(
        &mut lines,
        schedule_line(&row, buried, now, zone),
        Look::PLAIN,
    );
    if !card.tags.is_empty() {
        text(
            &mut lines,
            format!("tags: {}", card.tags.join(", ")),
            Look::dim(),
        );
    }
    if let Some(source) = &card.source {
        text(&mut lines, format!("source: {source}"), Look::dim());
    }
    text(&mut lines, String::new(), Look::PLAIN);
    for line in render::render(&card.question, Some(width)) {
        lines.push((bold_row_of(&line), line.plain()));
    }
    text(&mut lines, String::new(), Look::PLAIN);
    let rule = format!("── answer {}", "─".repeat(width.saturating_sub(10)));
    text(&mut lines, rule, Look::dim());
    text(&mut lines, String::new(), Look::PLAIN);
    for line in render::render(&card.answer, Some(width)) {
        lines.push((row_of(&line), line.plain()));
    }

    for (row, plain) in &lines {
        if options.color {
            write_row(out, row, options.color)?;
        } else {
            writeln!(out, "{plain}")?;
        }
    }
    out.flush()?;
    report_problems(&catalog.problems)
}

/// `due 2026-01-09 09:00 (in 4d) · stability 3d · difficulty 5.1 · recall
/// 93% · 3 reps · 0 lapses`, or what a new or buried card has instead.
fn schedule_line(
    row: &CardRow,
    buried: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    zone: Zone,
) -> String {
    let mut flags = Vec::new();
    if row.suspended {
        flags.push("suspended: no quiz shows it until `prep unsuspend`".to_string());
    }
    if row.leech {
        flags.push(format!("leech ({} lapses)", row.lapses));
    }
    if row.marked {
        flags.push("marked".to_string());
    }
    let Some(due) = row.due_at() else {
        let mut parts =
            vec!["new: not reviewed yet; a quiz introduces it in deck order".to_string()];
        if let Some(until) = buried {
            parts.push(format!("skipped until {}", format::local(until, zone)));
        }
        parts.extend(flags);
        return parts.join(" · ");
    };
    let mut parts = vec![format!(
        "due {} ({})",
        format::local(due, zone),
        format::relative(due, now, zone)
    )];
    match buried {
        Some(until) => parts.push(format!("skipped until {}", format::local(until, zone))),
        None if row.due_now() => parts[0].push_str(", in a quiz now"),
        None => {}
    }
    if let Some(stability) = row.stability {
        parts.push(format!(
            "stability {}",
            format::span((f64::from(stability) * 86_400.0) as i64)
        ));
    }
    if let Some(difficulty) = row.difficulty {
        parts.push(format!("difficulty {difficulty:.1}"));
    }
    if let Some(recall) = row.retrievability {
        parts.push(format!("recall {:.0}%", recall * 100.0));
    }
    parts.push(format::count(row.reps, "rep"));
    parts.push(format::count(row.lapses, "lapse"));
    parts.extend(flags);
    parts.join(" · ")
}
