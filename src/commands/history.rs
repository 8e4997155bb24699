/*!
`prep history`: the review log, oldest first, as a table, CSV or JSON Lines,
so a user's data is never locked in. Each review shows the question of its
card, for a card a deck still holds. `--deck`, `--card`, `--since` and
`--until` choose the reviews, all of them at once. Streams: a log of a
million reviews never sits in memory.
*/

use std::collections::HashSet;
use std::io::Write;

use anyhow::{Result, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::Outcome;
use crate::Settings;
use crate::decks::catalog::{Catalog, Found};
use crate::decks::deck::Contents;
use crate::decks::sides::Side;
use crate::format;
use crate::schedule::day::{calendar_date, midnight, parse_calendar_date};
use crate::schedule::zone::Zone;
use crate::store::{Review, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Table,
    Csv,
    Json,
}

pub struct Options {
    pub decks: Vec<String>,
    /// Card ids as typed: ids or unique prefixes.
    pub cards: Vec<String>,
    /// The first and the last date shown, as typed.
    pub since: Option<String>,
    pub until: Option<String>,
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
    /// The card's question as its deck has it now; null for a card no
    /// deck holds.
    question: Option<&'a str>,
}

const CSV_HEADER: &str = "reviewed_at,card,deck,grade,rating,elapsed_days,answer_ms,state_before,state,step,due,interval_days,stability,difficulty,reps,lapses,question";

/// How much of a question the table shows, as `prep cards` does.
const QUESTION_COLUMNS: usize = 60;

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let zone = settings.zone;
    let today = calendar_date(settings.now.to_utc(), zone);
    let since =
        typed_date("--since", options.since.as_deref(), today)?.map(|date| midnight(date, zone));
    // The last date is shown whole: up to the next midnight.
    let until = typed_date("--until", options.until.as_deref(), today)?
        .map(|date| midnight(date, zone) + chrono::Duration::days(1));
    // Named decks must exist (a typo should not print an empty log); then
    // every deck tells where each reviewed card is now, and what it asks.
    if !options.decks.is_empty() {
        Catalog::load_without_answers(&settings.collection(), &options.decks)?;
    }
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?;
    let store = crate::sync::open_existing_store(settings)?;
    let chosen = Chosen {
        catalog: &catalog,
        decks: &options.decks,
        cards: card_ids(&catalog, store.as_ref(), &options.cards)?,
        since,
        until,
    };
    if options.form == Form::Csv {
        writeln!(out, "{CSV_HEADER}")?;
    }
    let Some(store) = store else {
        if options.form == Form::Table {
            writeln!(out, "{}", chosen.nothing_to_show())?;
        }
        return Ok(Outcome::Success);
    };

    // Column widths need every row; the table is for reading, and the CSV
    // and JSON forms stream for anything large.
    let mut cells = Vec::new();
    store.for_each_review(None, |review| {
        if !chosen.keeps(&review) {
            return Ok(());
        }
        let row = row(&review, catalog.get(&review.card_id), zone);
        match options.form {
            Form::Csv => write_csv(out, &row)?,
            Form::Json => {
                serde_json::to_writer(&mut *out, &row)?;
                writeln!(out)?;
            }
            Form::Table => cells.push(table_cells(&review, &row, zone)),
        }
        Ok(())
    })?;
    if options.form == Form::Table {
        if cells.is_empty() {
            writeln!(out, "{}", chosen.nothing_to_show())?;
        } else {
            format::table(
                out,
                &[
                    "REVIEWED", "CARD", "DECK", "GRADE", "ELAPSED", "TIME", "STATE", "NEXT",
                    "QUESTION",
                ],
                &cells,
                &[4, 5],
            )?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The reviews the filters keep: every filter given must keep a review.
struct Chosen<'a> {
    catalog: &'a Catalog,
    /// By the rule of [`Catalog::review_in`]; empty for every deck.
    decks: &'a [String],
    /// Empty for every card.
    cards: HashSet<String>,
    since: Option<DateTime<Utc>>,
    /// The first instant not shown.
    until: Option<DateTime<Utc>>,
}

impl Chosen<'_> {
    fn keeps(&self, review: &Review) -> bool {
        (self.decks.is_empty()
            || self
                .catalog
                .review_in(&review.deck, &review.card_id, self.decks))
            && (self.cards.is_empty() || self.cards.contains(&review.card_id))
            && self.since.is_none_or(|since| review.reviewed_at >= since)
            && self.until.is_none_or(|until| review.reviewed_at < until)
    }

    /// What the table says when no review is shown.
    fn nothing_to_show(&self) -> &'static str {
        let filtered = !self.decks.is_empty()
            || !self.cards.is_empty()
            || self.since.is_some()
            || self.until.is_some();
        if filtered {
            "No review matches."
        } else {
            "No reviews yet."
        }
    }
}

/// The date of `--since` or `--until`, if given.
fn typed_date(flag: &str, text: Option<&str>, today: NaiveDate) -> Result<Option<NaiveDate>> {
    text.map(|text| {
        parse_calendar_date(text, today).ok_or_else(|| {
            anyhow!(
                "{flag} {text}: not a date; write it as YYYY-MM-DD (such as {today}), today, yesterday, or days ago such as -7d"
            )
        })
    })
    .transpose()
}

/// The ids `--card` names: each the card of a deck an id or unique prefix
/// means, as every command reads them, or the exact id of a card no deck
/// holds any more whose reviews are in the log, so its history can still
/// be seen.
fn card_ids(catalog: &Catalog, store: Option<&Store>, typed: &[String]) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    for id in typed {
        let id = id.trim();
        let reviewed_only = catalog.get(id).is_none()
            && match store {
                Some(store) => store.has_reviews(id)?,
                None => false,
            };
        if reviewed_only {
            ids.insert(id.to_string());
        } else {
            ids.insert(catalog.resolve(id)?.card.id.clone());
        }
    }
    Ok(ids)
}

/// The review's line of the table.
fn table_cells(review: &Review, row: &Row, zone: Zone) -> Vec<String> {
    vec![
        format::local(review.reviewed_at, zone),
        row.card.to_string(),
        row.deck.to_string(),
        row.grade.to_string(),
        row.elapsed_days.to_string(),
        format!("{:.1}s", f64::from(row.answer_ms) / 1000.0),
        row.state.to_string(),
        format::span((review.transition.state.due - review.reviewed_at).num_seconds()),
        row.question.map_or_else(
            || "-".to_string(),
            |question| format::shorten(question, QUESTION_COLUMNS),
        ),
    ]
}

/// The review's line of the CSV: the fields of `CSV_HEADER`, in its order.
fn write_csv(out: &mut dyn Write, row: &Row) -> Result<()> {
    writeln!(
        out,
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
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
        row.lapses,
        csv_field(row.question.unwrap_or_default())
    )?;
    Ok(())
}

/// The row of `review`, whose card is `found` when a deck holds it.
pub(crate) fn row<'a>(review: &'a Review, found: Option<Found<'a>>, zone: Zone) -> Row<'a> {
    let transition = &review.transition;
    let state = &transition.state;
    let side = found.map(|found| found.side);
    Row {
        reviewed_at: format::rfc3339(review.reviewed_at, zone),
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
        due: format::rfc3339(state.due, zone),
        interval_days: state.interval_days,
        stability: state.stability,
        difficulty: state.difficulty,
        reps: state.reps,
        lapses: state.lapses,
        question: found.map(|found| found.card.question.as_str()),
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
