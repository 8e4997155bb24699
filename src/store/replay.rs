//! Folding changes into the store's rows: a card's changes as the store
//! holds them (review rows, as their writers logged them, and the other
//! changes), folded by [`crate::journal::fold`], and written back from where
//! the rows first differ, so that a review appended at the end of a
//! card's history costs one insert.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, ToSql, Transaction, params};

use super::rows::{REVIEW_COLUMNS, review_from_row};
use super::schema::STATE_COLUMNS;
use super::{Failure, Result, Review};
use crate::journal::event::{Change, Event, EventId};
use crate::journal::fold::{Folded, FoldedReview, fold};
use crate::journal::setup::Setups;
use crate::schedule::CardState;

/// Folds `events` into their cards, after recording the setups among
/// them (which the reviews among them may be decided with).
pub(super) fn apply_events(
    tx: &Transaction,
    mut setups: Option<&mut Setups>,
    events: Vec<Event>,
) -> Result<()> {
    let mut by_card: HashMap<String, Vec<Event>> = HashMap::new();
    let mut insert_setup =
        tx.prepare_cached("INSERT OR IGNORE INTO setup (device, seq, line) VALUES (?1, ?2, ?3)")?;
    for event in events {
        if let Change::Setup(setup) = &event.change {
            insert_setup.execute(params![
                event.id.device,
                event.id.seq as i64,
                event.to_line()
            ])?;
            if let Some(setups) = setups.as_deref_mut() {
                setups.insert(&event.id.device, event.id.seq, setup.as_ref().clone());
            }
            continue;
        }
        by_card.entry(event.card.clone()).or_default().push(event);
    }
    let mut cards: Vec<_> = by_card.into_iter().collect();
    cards.sort_by(|a, b| a.0.cmp(&b.0));
    let mut insert_change = tx.prepare_cached(
        "INSERT OR IGNORE INTO card_change (device, seq, card_id, at, line) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (card, new) in cards {
        for event in &new {
            if !matches!(event.change, Change::Grade { .. }) {
                insert_change.execute(params![
                    event.id.device,
                    event.id.seq as i64,
                    card,
                    event.at.timestamp_millis(),
                    event.to_line()
                ])?;
            }
        }
        let (mut events, rows) = card_events(tx, &card)?;
        events.extend(new);
        let folded = fold(&card, &mut events, setups.as_deref_mut())?;
        write_folded(tx, &card, &rows, &folded)?;
    }
    Ok(())
}

/// Every device's setups the store holds.
pub(super) fn load_setups(conn: &Connection) -> Result<Setups> {
    let mut setups = Setups::new();
    let mut statement =
        conn.prepare_cached("SELECT device, line FROM setup ORDER BY device, seq")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let device: String = row.get(0)?;
        let line: String = row.get(1)?;
        let event = Event::parse(&device, &line)
            .map_err(|err| Failure::damaged_row(&device, format!("setup: {err:#}")))?;
        if let Change::Setup(setup) = event.change {
            setups.insert(&device, event.id.seq, *setup);
        }
    }
    Ok(setups)
}

/// A review row as the store holds it: its row id, which change it is,
/// and its effect here.
pub(super) struct HeldReview {
    row: i64,
    id: EventId,
    review: Review,
}

/// The changes the store holds for `card` (reviews as their writers
/// logged them), and its review rows in order.
pub(super) fn card_events(conn: &Connection, card: &str) -> Result<(Vec<Event>, Vec<HeldReview>)> {
    let mut events = Vec::new();
    let mut rows = Vec::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS}, device, seq, after, logged FROM review WHERE card_id = ?1 ORDER BY id"
    ))?;
    let mut query = statement.query([card])?;
    while let Some(row) = query.next()? {
        let review = review_from_row(row)?;
        let device: Option<String> = row.get(16)?;
        let seq: Option<i64> = row.get(17)?;
        let (Some(device), Some(seq)) = (device, seq) else {
            return Err(Failure::damaged_row(
                card,
                format!("review {} belongs to no device", review.id),
            ));
        };
        let id = EventId {
            device,
            seq: seq as u64,
        };
        let after: Option<String> = row.get(18)?;
        let logged: Option<String> = row.get(19)?;
        let event = match logged {
            Some(line) => Event::parse(&id.device, &line).map_err(|err| {
                Failure::damaged_row(card, format!("review {}: {err:#}", review.id))
            })?,
            None => Event {
                id: id.clone(),
                at: review.reviewed_at,
                card: card.to_string(),
                change: Change::Grade {
                    deck: review.deck.clone(),
                    answer_ms: review.answer_ms,
                    after: match after {
                        Some(text) => Some(EventId::parse(&text).map_err(|err| {
                            Failure::damaged_row(card, format!("review {}: {err:#}", review.id))
                        })?),
                        None => None,
                    },
                    transition: review.transition,
                },
            },
        };
        events.push(event);
        rows.push(HeldReview {
            row: review.id,
            id,
            review,
        });
    }
    let mut statement =
        conn.prepare_cached("SELECT device, line FROM card_change WHERE card_id = ?1")?;
    let mut query = statement.query([card])?;
    while let Some(row) = query.next()? {
        let device: String = row.get(0)?;
        let line: String = row.get(1)?;
        events.push(
            Event::parse(&device, &line)
                .map_err(|err| Failure::damaged_row(card, format!("change: {err:#}")))?,
        );
    }
    Ok((events, rows))
}

/// How many of the held rows already are the folded reviews, in order.
fn common_prefix(rows: &[HeldReview], folded: &Folded) -> usize {
    rows.iter()
        .zip(&folded.reviews)
        .take_while(|(row, review)| {
            row.id == review.id
                && row.review.transition == review.transition
                && row.review.deck == review.deck
        })
        .count()
}

/// Whether the store already holds `folded` for `card`.
pub(super) fn stored_as_folded(
    conn: &Connection,
    card: &str,
    rows: &[HeldReview],
    folded: &Folded,
) -> Result<bool> {
    if common_prefix(rows, folded) != rows.len() || rows.len() != folded.reviews.len() {
        return Ok(false);
    }
    let state = super::cards::card_state(conn, card)?;
    let wanted = folded.last();
    let same_state = match (&state, wanted) {
        (None, None) => true,
        (Some(stored), Some(review)) => {
            stored.state == review.transition.state && *stored.deck == *review.deck
        }
        _ => false,
    };
    let flags: (Option<i64>, Option<i64>, Option<String>, Option<i64>) = conn.query_row(
        "SELECT (SELECT until FROM buried WHERE card_id = ?1),
                (SELECT since FROM suspended WHERE card_id = ?1),
                (SELECT reason FROM suspended WHERE card_id = ?1),
                (SELECT since FROM marked WHERE card_id = ?1)",
        [card],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let wanted_flags = (
        folded.buried_until.map(|at| at.timestamp_millis()),
        folded.suspended.map(|s| s.since.timestamp_millis()),
        folded.suspended.map(|s| s.reason.as_str().to_string()),
        folded.marked_since.map(|at| at.timestamp_millis()),
    );
    Ok(same_state && flags == wanted_flags)
}

/// Writes `folded` as `card`'s rows: the reviews from where they differ
/// from the held ones, the state, the flags, and where the last forget
/// falls.
pub(super) fn write_folded(
    tx: &Transaction,
    card: &str,
    rows: &[HeldReview],
    folded: &Folded,
) -> Result<()> {
    let row_ids = write_reviews(tx, card, rows, folded)?;
    write_card(tx, card, folded.last())?;
    write_flags(tx, card, folded)?;
    write_forgotten(tx, card, folded, &row_ids)
}

/// Replaces the held review rows from the first that differs from the
/// folded reviews with the folded ones; returns the row ids of all the
/// folded reviews, in order.
fn write_reviews(
    tx: &Transaction,
    card: &str,
    rows: &[HeldReview],
    folded: &Folded,
) -> Result<Vec<i64>> {
    let same = common_prefix(rows, folded);
    {
        let mut delete = tx.prepare_cached("DELETE FROM review WHERE id = ?1")?;
        for row in &rows[same..] {
            delete.execute([row.row])?;
        }
    }
    let mut row_ids: Vec<i64> = rows[..same].iter().map(|row| row.row).collect();
    let mut insert = tx.prepare_cached(&format!(
        "INSERT INTO review (card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, {STATE_COLUMNS},
             device, seq, after, logged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
    ))?;
    for review in &folded.reviews[same..] {
        let transition = &review.transition;
        let state = state_values(&transition.state);
        insert.execute(&*with_state(
            params![
                card,
                review.deck,
                transition.state.last_review.timestamp_millis(),
                transition.grade.rating(),
                transition.elapsed_days,
                review.answer_ms,
                transition.phase_before.code(),
            ],
            &state,
            params![
                review.id.device,
                review.id.seq as i64,
                review.after.as_ref().map(EventId::to_string),
                logged_line(card, review),
            ],
        ))?;
        row_ids.push(tx.last_insert_rowid());
    }
    Ok(row_ids)
}

/// The line a review was logged with, when replay gave it another state
/// than its writer did.
fn logged_line(card: &str, review: &FoldedReview) -> Option<String> {
    (review.transition != review.logged).then(|| {
        Event {
            id: review.id.clone(),
            at: review.logged.state.last_review,
            card: card.to_string(),
            change: Change::Grade {
                deck: review.deck.clone(),
                answer_ms: review.answer_ms,
                after: review.after.clone(),
                transition: review.logged,
            },
        }
        .to_line()
    })
}

/// `card`'s row: the state of its last review, or none.
fn write_card(tx: &Transaction, card: &str, last: Option<&FoldedReview>) -> Result<()> {
    match last {
        Some(review) => {
            let state = &review.transition.state;
            let values = state_values(state);
            tx.prepare_cached(&format!(
                "INSERT OR REPLACE INTO card (id, deck, {STATE_COLUMNS}, last_review)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?
            .execute(&*with_state(
                params![card, review.deck],
                &values,
                params![state.last_review.timestamp_millis()],
            ))?;
        }
        None => {
            tx.prepare_cached("DELETE FROM card WHERE id = ?1")?
                .execute([card])?;
        }
    }
    Ok(())
}

/// `state` as the values of [`STATE_COLUMNS`], in their order.
fn state_values(state: &CardState) -> [Value; 8] {
    [
        state.phase.code().into(),
        state.step.into(),
        f64::from(state.stability).into(),
        f64::from(state.difficulty).into(),
        state.due.timestamp_millis().into(),
        state.interval_days.into(),
        state.reps.into(),
        state.lapses.into(),
    ]
}

/// The parameters of a row whose [`STATE_COLUMNS`] come between `before`
/// and `after`.
fn with_state<'a>(
    before: &[&'a dyn ToSql],
    state: &'a [Value; 8],
    after: &[&'a dyn ToSql],
) -> Vec<&'a dyn ToSql> {
    let state = state.iter().map(|value| value as &dyn ToSql);
    before
        .iter()
        .copied()
        .chain(state)
        .chain(after.iter().copied())
        .collect()
}

/// `card`'s skip, suspension and mark, as folded.
fn write_flags(tx: &Transaction, card: &str, folded: &Folded) -> Result<()> {
    match folded.buried_until {
        Some(until) => tx
            .prepare_cached("INSERT OR REPLACE INTO buried (card_id, until) VALUES (?1, ?2)")?
            .execute(params![card, until.timestamp_millis()])?,
        None => tx
            .prepare_cached("DELETE FROM buried WHERE card_id = ?1")?
            .execute([card])?,
    };
    match folded.suspended {
        Some(suspension) => tx
            .prepare_cached(
                "INSERT OR REPLACE INTO suspended (card_id, since, reason) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                card,
                suspension.since.timestamp_millis(),
                suspension.reason.as_str()
            ])?,
        None => tx
            .prepare_cached("DELETE FROM suspended WHERE card_id = ?1")?
            .execute([card])?,
    };
    match folded.marked_since {
        Some(since) => tx
            .prepare_cached("INSERT OR REPLACE INTO marked (card_id, since) VALUES (?1, ?2)")?
            .execute(params![card, since.timestamp_millis()])?,
        None => tx
            .prepare_cached("DELETE FROM marked WHERE card_id = ?1")?
            .execute([card])?,
    };
    Ok(())
}

/// Where `card`'s last forget falls: after the review of row
/// `row_ids[counting_from - 1]`, or nowhere.
fn write_forgotten(tx: &Transaction, card: &str, folded: &Folded, row_ids: &[i64]) -> Result<()> {
    match (folded.counting_from, folded.forgotten_at) {
        (1.., Some(at)) => tx
            .prepare_cached(
                "INSERT OR REPLACE INTO forgotten (card_id, at, last_review_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                card,
                at.timestamp_millis(),
                row_ids[folded.counting_from - 1]
            ])?,
        _ => tx
            .prepare_cached("DELETE FROM forgotten WHERE card_id = ?1")?
            .execute([card])?,
    };
    Ok(())
}
