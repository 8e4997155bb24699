//! The write path: a grade (read the card's state, decide, write the
//! review and the new state, in one `BEGIN IMMEDIATE` transaction), bulk
//! appends of reviews made elsewhere, undo, and skips. The card table is
//! only ever written together with the review that explains it, so `prep
//! check` can compare the two.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::cards::card_state;
use super::check::COUNTS_FOR_STATE;
use super::rows::{REVIEW_COLUMNS, review_from_row};
use super::schema::STATE_COLUMNS;
use super::{NewReview, Result, Review, Store, explained};
use crate::schedule::{CardState, Transition};

impl Store {
    /// Records one review of `card_id` at `at`: reads the card's state,
    /// asks `decide` for the transition, and writes the review and the new
    /// state, all in one transaction. When this returns, the review is on
    /// disk.
    pub fn record(
        &mut self,
        card_id: &str,
        deck: &str,
        answer_ms: u32,
        decide: impl FnOnce(Option<&CardState>) -> anyhow::Result<Transition>,
    ) -> anyhow::Result<Review> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous = card_state(&tx, card_id)?;
            let transition = decide(previous.as_ref().map(|card| &card.state))?;
            let review = NewReview {
                card_id: card_id.to_string(),
                deck: deck.to_string(),
                answer_ms,
                transition,
            };
            let id = insert_review(&tx, &review)?;
            upsert_card(&tx, &review)?;
            tx.commit()?;
            Ok(Review {
                id,
                card_id: review.card_id,
                deck: review.deck,
                reviewed_at: transition.state.last_review,
                answer_ms,
                transition,
            })
        })
    }

    /// Appends reviews in one transaction and sets each card's state to
    /// that of its last appended review.
    pub fn append(&mut self, reviews: &[NewReview]) -> anyhow::Result<()> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for review in reviews {
                insert_review(&tx, review)?;
            }
            let mut last: HashMap<&str, &NewReview> = HashMap::new();
            for review in reviews {
                last.insert(&review.card_id, review);
            }
            for review in last.values() {
                upsert_card(&tx, review)?;
            }
            Ok(tx.commit()?)
        })
    }

    /// Takes back the last review of a card: deletes it from the log and
    /// puts the card back in the state the review before it left (or new,
    /// when there is none since the card was last forgotten).
    /// Returns the review taken back, if there was one. With `only` set,
    /// nothing is undone unless that review is still the card's last (a
    /// quiz undoing its own grade must not take back one another process
    /// made since); the result is then `None`.
    pub fn undo_last(
        &mut self,
        card_id: &str,
        only: Option<i64>,
    ) -> anyhow::Result<Option<Review>> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut reviews = {
                let mut statement = tx.prepare_cached(&format!(
                    "SELECT {REVIEW_COLUMNS} FROM review WHERE card_id = ?1 AND {COUNTS_FOR_STATE}
                     ORDER BY id DESC LIMIT 2"
                ))?;
                let rows = statement
                    .query_map([card_id], |row| Ok(review_from_row(row)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                rows.into_iter().collect::<Result<Vec<Review>>>()?
            };
            if reviews
                .first()
                .is_none_or(|last| only.is_some_and(|id| id != last.id))
            {
                return Ok(None);
            }
            let undone = reviews.remove(0);
            tx.execute("DELETE FROM review WHERE id = ?1", [undone.id])?;
            match reviews.first() {
                Some(before) => upsert_card(
                    &tx,
                    &NewReview {
                        card_id: before.card_id.clone(),
                        deck: before.deck.clone(),
                        answer_ms: before.answer_ms,
                        transition: before.transition,
                    },
                )?,
                None => {
                    tx.execute("DELETE FROM card WHERE id = ?1", [card_id])?;
                }
            }
            tx.commit()?;
            Ok(Some(undone))
        })
    }

    /// Keeps a card, new or reviewed, out of sessions until `until` (a
    /// quiz's skip).
    pub fn bury(&mut self, card_id: &str, until: DateTime<Utc>) -> anyhow::Result<()> {
        explained(&self.path, || {
            self.conn.execute(
                "INSERT OR REPLACE INTO buried (card_id, until) VALUES (?1, ?2)",
                params![card_id, until.timestamp_millis()],
            )?;
            Ok(())
        })
    }

    /// Ends a card's skip (a quiz's undo of `s`).
    pub fn unbury(&mut self, card_id: &str) -> anyhow::Result<()> {
        explained(&self.path, || {
            self.conn
                .execute("DELETE FROM buried WHERE card_id = ?1", [card_id])?;
            Ok(())
        })
    }
}

fn insert_review(conn: &Connection, review: &NewReview) -> rusqlite::Result<i64> {
    let transition = &review.transition;
    let state = &transition.state;
    conn.prepare_cached(&format!(
        "INSERT INTO review (card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, {STATE_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        review.card_id,
        review.deck,
        state.last_review.timestamp_millis(),
        transition.grade.rating(),
        transition.elapsed_days,
        review.answer_ms,
        transition.phase_before.code(),
        state.phase.code(),
        state.step,
        f64::from(state.stability),
        f64::from(state.difficulty),
        state.due.timestamp_millis(),
        state.interval_days,
        state.reps,
        state.lapses,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Sets a card's state to the one `review` left, and ends its skip.
fn upsert_card(conn: &Connection, review: &NewReview) -> rusqlite::Result<()> {
    let state = &review.transition.state;
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO card (id, deck, {STATE_COLUMNS}, last_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        review.card_id,
        review.deck,
        state.phase.code(),
        state.step,
        f64::from(state.stability),
        f64::from(state.difficulty),
        state.due.timestamp_millis(),
        state.interval_days,
        state.reps,
        state.lapses,
        state.last_review.timestamp_millis(),
    ])?;
    // A review ends a skip: the card has been seen.
    conn.prepare_cached("DELETE FROM buried WHERE card_id = ?1")?
        .execute([&review.card_id])?;
    Ok(())
}
