/*!
`prep history`: the review log, oldest first, as a table, CSV or JSON Lines,
so a user's data is never locked in. Streams: a log of a million reviews
never sits in memory.
*/

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Outcome;
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Contents;
use crate::decks::sides::Side;
use crate::format;
use crate::store::Review;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Table,
    Csv,
    Json,
}

pub struct Options {
    pub decks: Vec<String>,
    pub form: Form,
}

/// One review as the CSV and JSON forms write it (and `prep grade --json`
/// acknowledges it); docs/commands.md documents these fields.
#[derive(Serialize)]
pub(crate) struct Row<'a> {
    reviewed_at: String,
    card: &'a str,
    deck: &'a str,
    /// Which card of its written card the reviewed one is, as `prep cards
    /// --json` says it; left out for a card no deck holds now.
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloze: Option<u32>,
    grade: &'static str,
    rating: u32,
    elapsed_days: u32,
    answer_ms: u32,
    state_before: &'static str,
    state: &'static str,
    step: u32,
    due: String,
    interval_days: u32,
    stability: f32,
    difficulty: f32,
    reps: u32,
    lapses: u32,
}

const CSV_HEADER: &str = "reviewed_at,card,deck,grade,rating,elapsed_days,answer_ms,state_before,state,step,due,interval_days,stability,difficulty,reps,lapses";

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    // Named decks must exist (a typo should not print an empty log); then
    // every deck tells where each reviewed card is now.
    let catalog = if options.decks.is_empty() {
        None
    } else {
        Catalog::load_without_answers(settings, &options.decks)?;
        Some(Catalog::load_every_deck(
            settings,
            Contents::WithoutAnswers,
        )?)
    };
    // JSON says each reviewed card's side, which only the decks know.
    let loaded_for_sides = match (&catalog, options.form) {
        (None, Form::Json) => Some(Catalog::load_every_deck(
            settings,
            Contents::WithoutAnswers,
        )?),
        _ => None,
    };
    let every_deck = loaded_for_sides.as_ref().or(catalog.as_ref());
    let wanted = |review: &crate::store::Review| {
        catalog
            .as_ref()
            .is_none_or(|catalog| catalog.review_in(&review.deck, &review.card_id, &options.decks))
    };
    let offset = *settings.now.offset();
    let Some(store) = crate::sync::open_existing_store(settings)? else {
        if options.form == Form::Csv {
            writeln!(out, "{CSV_HEADER}")?;
        } else if options.form == Form::Table {
            writeln!(out, "No reviews yet.")?;
        }
        return Ok(Outcome::Success);
    };

    match options.form {
        Form::Csv => {
            writeln!(out, "{CSV_HEADER}")?;
            store.for_each_review(None, |review| {
                if !wanted(&review) {
                    return Ok(());
                }
                let row = row(&review, None, offset);
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    row.reviewed_at,
                    csv_field(row.card),
                    csv_field(row.deck),
                    row.grade,
                    row.rating,
                    row.elapsed_days,
                    row.answer_ms,
                    row.state_before,
                    row.state,
                    row.step,
                    row.due,
                    row.interval_days,
                    row.stability,
                    row.difficulty,
                    row.reps,
                    row.lapses
                )?;
                Ok(())
            })?;
        }
        Form::Json => {
            store.for_each_review(None, |review| {
                if !wanted(&review) {
                    return Ok(());
                }
                let side = every_deck
                    .and_then(|catalog| catalog.get(&review.card_id))
                    .map(|found| found.side);
                serde_json::to_writer(&mut *out, &row(&review, side, offset))?;
                writeln!(out)?;
                Ok(())
            })?;
        }
        Form::Table => {
            // Column widths need every row; the table is for reading, and
            // the CSV and JSON forms stream for anything large.
            let mut cells = Vec::new();
            store.for_each_review(None, |review| {
                if !wanted(&review) {
                    return Ok(());
                }
                let row = row(&review, None, offset);
                cells.push(vec![
                    format::local(review.reviewed_at, offset),
                    row.card.to_string(),
                    row.deck.to_string(),
                    row.grade.to_string(),
                    row.elapsed_days.to_string(),
                    format!("{:.1}s", f64::from(row.answer_ms) / 1000.0),
                    row.state.to_string(),
                    format::span((review.transition.state.due - review.reviewed_at).num_seconds()),
                ]);
                Ok(())
            })?;
            if cells.is_empty() {
                writeln!(out, "No reviews of these decks yet.")?;
            } else {
                format::table(
                    out,
                    &[
                        "REVIEWED", "CARD", "DECK", "GRADE", "ELAPSED", "TIME", "STATE", "NEXT",
                    ],
                    &cells,
                    &[4, 5],
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

pub(crate) fn row(review: &Review, side: Option<Side>, offset: chrono::FixedOffset) -> Row<'_> {
    let transition = &review.transition;
    let state = &transition.state;
    Row {
        reviewed_at: format::rfc3339(review.reviewed_at, offset),
        card: &review.card_id,
        deck: &review.deck,
        side: side.map(Side::kind),
        cloze: side.and_then(Side::cloze),
        grade: transition.grade.as_str(),
        rating: transition.grade.rating(),
        elapsed_days: transition.elapsed_days,
        answer_ms: review.answer_ms,
        state_before: transition.phase_before.as_str(),
        state: state.phase.as_str(),
        step: state.step,
        due: format::rfc3339(state.due, offset),
        interval_days: state.interval_days,
        stability: state.stability,
        difficulty: state.difficulty,
        reps: state.reps,
        lapses: state.lapses,
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
