/*!
`prep cards`: every card with its scheduling state: id, deck, state, due,
stability, difficulty, retrievability now, reps and lapses, with the
question shortened. The filters (`--search`, `--tag`, `--state`, `--leech`,
`--marked`, `--due`) choose which; `--due` lists the cards due now, most
overdue first. A skipped card shows as buried with the time it comes back,
a suspended one as suspended.
*/

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Outcome, report_problems, schedulers};
use crate::Settings;
use crate::card_filter::{CardFilter, Context, choose};
use crate::decks::catalog::{Catalog, Found};
use crate::format;
use crate::schedule::zone::Zone;
use crate::schedule::{Phase, Schedulers};
use crate::store::{Flags, StoredCard};

pub struct Options {
    pub decks: Vec<String>,
    pub filter: CardFilter,
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
    /// new, learning, relearning or review: where the schedule stands,
    /// whatever the flags below say.
    pub state: &'static str,
    /// RFC 3339; absent for new cards.
    pub due: Option<String>,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub retrievability: Option<f32>,
    pub reps: u32,
    pub lapses: u32,
    /// When a skip ends, for a card skipped now (new or reviewed).
    pub buried_until: Option<String>,
    pub suspended: bool,
    pub marked: bool,
    /// Forgotten `leech_threshold` times or more.
    pub leech: bool,
    #[serde(skip)]
    due_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the skip ends, while it lasts.
    #[serde(skip)]
    skip_end: Option<DateTime<Utc>>,
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
        flags: &Flags,
        schedulers: &mut Schedulers,
        now: DateTime<Utc>,
        zone: Zone,
    ) -> Result<CardRow> {
        let id = found.card.id.as_str();
        let mut row = CardRow::scheduled(found, stored, schedulers, now, zone)?;
        let card = found.card;
        row.skip_end = flags.buried_until(id, now);
        row.buried_until = row.skip_end.map(|until| format::rfc3339(until, zone));
        row.suspended = flags.is_suspended(&card.id);
        row.marked = flags.is_marked(&card.id);
        row.leech = schedulers.config().is_leech(row.lapses);
        Ok(row)
    }

    /// The row without the store's flags.
    fn scheduled(
        found: Found,
        stored: Option<&StoredCard>,
        schedulers: &mut Schedulers,
        now: DateTime<Utc>,
        zone: Zone,
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
                suspended: false,
                marked: false,
                leech: false,
                due_at: None,
                skip_end: None,
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
                    due: Some(format::rfc3339(state.due, zone)),
                    stability: Some(state.stability),
                    difficulty: Some(state.difficulty),
                    retrievability: Some(scheduler.retrievability(state, now)),
                    reps: state.reps,
                    lapses: state.lapses,
                    buried_until: None,
                    suspended: false,
                    marked: false,
                    leech: false,
                    due_at: Some(state.due),
                    skip_end: None,
                    due_now: crate::schedule::is_due(state, now, schedulers.clock()),
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
    let filter = &options.filter;
    let catalog = if filter.needs_answers() {
        Catalog::load(&settings.collection(), &options.decks)?
    } else {
        Catalog::load_without_answers(&settings.collection(), &options.decks)?
    };
    let mut schedulers = schedulers(settings)?;
    let (states, flags) = match crate::sync::open_existing_store(settings)? {
        Some(store) => (store.card_states()?, store.flags()?),
        None => Default::default(),
    };
    let now = settings.now.to_utc();
    let zone = settings.zone;
    let config = schedulers.config().clone();
    let context = Context {
        flags: &flags,
        now,
        clock: schedulers.clock(),
        config: &config,
    };
    let chosen = choose(&catalog, &[], filter, &states, &context)?;

    let mut rows = Vec::with_capacity(chosen.len());
    for found in chosen {
        let stored = states.get(&found.card.id);
        rows.push(CardRow::new(
            found,
            stored,
            &flags,
            &mut schedulers,
            now,
            zone,
        )?);
    }
    if filter.due {
        rows.sort_by_key(|row| row.due_at);
    }

    if options.json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else if rows.is_empty() {
        if filter.due && *filter == CardFilter::new(&[], None, &[], false, false, true) {
            writeln!(out, "No cards are due now.")?;
        } else if !filter.is_empty() {
            writeln!(out, "No card matches.")?;
        } else {
            writeln!(out, "No cards. Import some notes with `prep import FILE`.")?;
        }
    } else {
        write_table(&rows, now, zone, out)?;
    }
    out.flush()?;
    report_problems(&catalog.problems)
}

fn write_table(
    rows: &[CardRow],
    now: chrono::DateTime<chrono::Utc>,
    zone: Zone,
    out: &mut dyn Write,
) -> Result<()> {
    let number = |value: Option<f32>, precision: usize| match value {
        Some(value) => format!("{value:.precision$}"),
        None => "-".to_string(),
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            // A skip or a suspension is what decides when the card is
            // next seen, so it stands in the state column, and the due
            // column says when it ends.
            let (state, due) = match (row.suspended, row.skip_end, row.due_at) {
                (true, _, _) => ("suspended".to_string(), "-".to_string()),
                (false, Some(until), due) => {
                    let shown =
                        due.map_or(until, |due| crate::schedule::next_shown(due, Some(until)));
                    ("buried".to_string(), format::relative(shown, now, zone))
                }
                (false, None, Some(due)) => {
                    (row.state.to_string(), format::relative(due, now, zone))
                }
                (false, None, None) => (row.state.to_string(), "-".to_string()),
            };
            let mut state = state;
            if row.leech {
                state.push_str(" leech");
            }
            if row.marked {
                state.push_str(" marked");
            }
            vec![
                row.id.clone(),
                row.deck.clone(),
                state,
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
