/*!
`prep cards`: every card with its scheduling state: id, deck, state, due,
stability, difficulty, retrievability now, reps and lapses, with the
question shortened. `--due` keeps the cards due now, most overdue first.
*/

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::{Outcome, report_problems, schedulers};
use crate::Settings;
use crate::decks::catalog::{Catalog, Found};
use crate::format;
use crate::schedule::{Phase, Schedulers};
use crate::store::{Store, StoredCard};

pub struct Options {
    pub decks: Vec<String>,
    pub due: bool,
    pub json: bool,
}

/// One card as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct CardRow {
    pub id: String,
    pub deck: String,
    /// `forward`, `reversed` or `cloze`: which card of its written card
    /// this is.
    pub side: &'static str,
    /// The cloze number, for a cloze card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloze: Option<u32>,
    pub question: String,
    pub state: &'static str,
    /// RFC 3339; absent for new cards.
    pub due: Option<String>,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub retrievability: Option<f32>,
    pub reps: u32,
    pub lapses: u32,
    pub buried_until: Option<String>,
    #[serde(skip)]
    due_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Due now, as a quiz counts it.
    #[serde(skip)]
    due_now: bool,
}

impl CardRow {
    /// The row of `card` of `deck`, whose stored state is `stored` (none
    /// for a new card), at `now`.
    pub(crate) fn new(
        found: Found,
        stored: Option<&StoredCard>,
        schedulers: &mut Schedulers,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<CardRow> {
        let Found { deck, card, side } = found;
        Ok(match stored {
            None => CardRow {
                id: card.id.clone(),
                deck: deck.to_string(),
                side: side.kind(),
                cloze: side.cloze(),
                question: card.question.clone(),
                state: Phase::New.as_str(),
                due: None,
                stability: None,
                difficulty: None,
                retrievability: None,
                reps: 0,
                lapses: 0,
                buried_until: None,
                due_at: None,
                due_now: false,
            },
            Some(stored) => {
                let state = &stored.state;
                let scheduler = schedulers.for_deck(deck)?;
                CardRow {
                    id: card.id.clone(),
                    deck: deck.to_string(),
                    side: side.kind(),
                    cloze: side.cloze(),
                    question: card.question.clone(),
                    state: state.phase.as_str(),
                    due: Some(format::rfc3339(state.due, offset)),
                    stability: Some(state.stability),
                    difficulty: Some(state.difficulty),
                    retrievability: Some(scheduler.retrievability(state, now)),
                    reps: state.reps,
                    lapses: state.lapses,
                    buried_until: stored
                        .buried_until
                        .filter(|until| *until > now)
                        .map(|until| format::rfc3339(until, offset)),
                    due_at: Some(state.due),
                    due_now: crate::session::is_due(state, now, schedulers.clock()),
                }
            }
        })
    }

    /// When the card is due, if it has been reviewed.
    pub(crate) fn due_at(&self) -> Option<DateTime<Utc>> {
        self.due_at
    }

    /// Whether a quiz would show it now as a review.
    pub(crate) fn due_now(&self) -> bool {
        self.due_now
    }
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = Catalog::load_without_answers(settings, &options.decks)?;
    let mut schedulers = schedulers(settings)?;
    let states = match Store::open_existing(&settings.home)? {
        Some(store) => store.card_states()?,
        None => Default::default(),
    };
    let now = settings.now.to_utc();
    let offset = *settings.now.offset();

    let mut rows = Vec::with_capacity(catalog.card_count());
    for found in catalog.found_cards() {
        let stored = states.get(&found.card.id);
        rows.push(CardRow::new(found, stored, &mut schedulers, now, offset)?);
    }
    if options.due {
        rows.retain(|row| row.due_now && row.buried_until.is_none());
        rows.sort_by_key(|row| row.due_at);
    }

    if options.json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else if rows.is_empty() {
        if options.due {
            writeln!(out, "No cards are due now.")?;
        } else {
            writeln!(out, "No cards. Import some notes with `prep import FILE`.")?;
        }
    } else {
        write_table(&rows, now, out)?;
    }
    out.flush()?;
    report_problems(&catalog.problems)
}

fn write_table(
    rows: &[CardRow],
    now: chrono::DateTime<chrono::Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let number = |value: Option<f32>, precision: usize| match value {
        Some(value) => format!("{value:.precision$}"),
        None => "-".to_string(),
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let due = match (row.due_at, &row.buried_until) {
                (_, Some(_)) => "buried".to_string(),
                (Some(due), None) => format::relative(due, now),
                (None, None) => "-".to_string(),
            };
            vec![
                row.id.clone(),
                row.deck.clone(),
                row.state.to_string(),
                due,
                row.stability
                    .map(|s| format::span((f64::from(s) * 86_400.0) as i64))
                    .unwrap_or_else(|| "-".into()),
                number(row.difficulty, 1),
                row.retrievability
                    .map(|r| format!("{:.0}%", r * 100.0))
                    .unwrap_or_else(|| "-".into()),
                row.reps.to_string(),
                row.lapses.to_string(),
                format::shorten(&row.question, 60),
            ]
        })
        .collect();
    format::table(
        out,
        &[
            "ID",
            "DECK",
            "STATE",
            "DUE",
            "STABILITY",
            "DIFFICULTY",
            "RECALL",
            "REPS",
            "LAPSES",
            "QUESTION",
        ],
        &cells,
        &[4, 5, 6, 7, 8],
    )?;
    Ok(())
}
