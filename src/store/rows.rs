//! Decoding rows into the store's values. A row that does not hold what
//! prep writes (a phase out of range, a stability that is not a positive
//! number) is a damaged-row [`Failure`] naming the card, which `prep check`
//! can repair, never a panic or a state made up. These run once per card
//! on every load, so they read columns by reference.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::ValueRef;

use super::{CardSummary, Failure, Result, Review, StoredCard};
use crate::schedule::{CardState, Grade, Phase, Transition};

/// The review columns in the order [`review_from_row`] reads them.
pub(super) const REVIEW_COLUMNS: &str = "id, card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, \
     phase, step, stability, difficulty, due, interval_days, reps, lapses";

/// `columns` ("a, b") with each one prefixed by `table` ("t.a, t.b").
pub(super) fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|column| format!("{table}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Column `index` as borrowed text.
pub(super) fn text<'row>(row: &'row Row, index: usize) -> Result<&'row str> {
    Ok(row
        .get_ref(index)
        .and_then(|value| value.as_str().map_err(Into::into))?)
}

/// Reads `STATE_COLUMNS, last_review` from column 2 on; the burial is
/// the caller's to fill in.
pub(super) fn stored_card_fields(id: &str, deck: Arc<str>, row: &Row) -> Result<StoredCard> {
    let damaged = |detail: String| Failure::damaged_row(id, detail);
    let last_review = row
        .get_ref(10)?
        .as_i64()
        .ok()
        .and_then(instant)
        .ok_or_else(|| damaged("bad last review time".into()))?;
    let state = state_from_row(row, 2, last_review).map_err(damaged)?;
    Ok(StoredCard {
        deck,
        state,
        buried_until: None,
    })
}

/// Reads the state columns starting at `first`.
fn state_from_row(
    row: &Row,
    first: usize,
    last_review: DateTime<Utc>,
) -> std::result::Result<CardState, String> {
    let integer = |offset: usize| -> std::result::Result<i64, String> {
        row.get_ref(first + offset)
            .map_err(|err| err.to_string())?
            .as_i64()
            .map_err(|err| err.to_string())
    };
    let number = |offset: usize, name: &str| -> std::result::Result<u32, String> {
        let value = integer(offset)?;
        u32::try_from(value).map_err(|_| format!("{name} is {value}"))
    };
    let real = |offset: usize, name: &str| -> std::result::Result<f32, String> {
        let value = match row.get_ref(first + offset).map_err(|err| err.to_string())? {
            ValueRef::Real(value) => value,
            ValueRef::Integer(value) => value as f64,
            other => return Err(format!("{name} is {other:?}")),
        };
        if value.is_finite() && value > 0.0 {
            Ok(value as f32)
        } else {
            Err(format!("{name} is {value}"))
        }
    };
    let phase_code = integer(0)?;
    let phase = Phase::from_code(phase_code)
        .filter(|phase| *phase != Phase::New)
        .ok_or_else(|| format!("phase is {phase_code}"))?;
    let due_ms = integer(4)?;
    Ok(CardState {
        phase,
        step: number(1, "step")?,
        stability: real(2, "stability")?,
        difficulty: real(3, "difficulty")?,
        due: instant(due_ms).ok_or_else(|| format!("due is {due_ms}"))?,
        last_review,
        interval_days: number(5, "interval")?,
        reps: number(6, "reps")?,
        lapses: number(7, "lapses")?,
    })
}

/// Reads a review selected as [`REVIEW_COLUMNS`].
pub(super) fn review_from_row(row: &Row) -> Result<Review> {
    let card_id: String = row.get(1)?;
    let damaged = |detail: String| {
        let review = row.get::<_, i64>(0).unwrap_or(0);
        Failure::damaged_row(&card_id, format!("review {review}: {detail}"))
    };
    let reviewed_at = instant(row.get(3)?).ok_or_else(|| damaged("bad review time".into()))?;
    let grade_code: i64 = row.get(4)?;
    let grade =
        Grade::from_rating(grade_code).ok_or_else(|| damaged(format!("grade is {grade_code}")))?;
    let count = |index: usize| -> Result<u32> {
        let value: i64 = row.get(index)?;
        u32::try_from(value).map_err(|_| damaged(format!("column {index} is {value}")))
    };
    let phase_code: i64 = row.get(7)?;
    let phase_before =
        Phase::from_code(phase_code).ok_or_else(|| damaged(format!("phase is {phase_code}")))?;
    let state = state_from_row(row, 8, reviewed_at).map_err(damaged)?;
    Ok(Review {
        id: row.get(0)?,
        card_id: card_id.clone(),
        deck: row.get(2)?,
        reviewed_at,
        answer_ms: count(6)?,
        transition: Transition {
            grade,
            phase_before,
            elapsed_days: count(5)?,
            state,
        },
    })
}

/// Reads `phase, due, stability, last_review, lapses` from column 2 on.
pub(super) fn summary_from_row(row: &Row) -> std::result::Result<CardSummary, String> {
    let integer = |index: usize| -> std::result::Result<i64, String> {
        row.get_ref(index)
            .map_err(|err| err.to_string())?
            .as_i64()
            .map_err(|err| err.to_string())
    };
    let time = |index: usize, name: &str| {
        let value = integer(index)?;
        instant(value).ok_or_else(|| format!("{name} is {value}"))
    };
    let phase_code = integer(2)?;
    let phase = Phase::from_code(phase_code)
        .filter(|phase| *phase != Phase::New)
        .ok_or_else(|| format!("phase is {phase_code}"))?;
    let stability = match row.get_ref(4).map_err(|err| err.to_string())? {
        ValueRef::Real(value) => value,
        ValueRef::Integer(value) => value as f64,
        other => return Err(format!("stability is {other:?}")),
    };
    if !(stability.is_finite() && stability > 0.0) {
        return Err(format!("stability is {stability}"));
    }
    let lapses = integer(6)?;
    Ok(CardSummary {
        phase,
        due: time(3, "due")?,
        stability: stability as f32,
        last_review: time(5, "last review")?,
        lapses: u32::try_from(lapses).map_err(|_| format!("lapses is {lapses}"))?,
    })
}

/// A time stored as milliseconds since 1970, if it is one chrono can hold.
pub(super) fn instant(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}
