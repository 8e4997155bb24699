//! The write path: a grade (read the card's state, decide, log the review
//! and write it with the new state, in one `BEGIN IMMEDIATE`
//! transaction), bulk appends of reviews made elsewhere, undo, and skips.
//! Each is a change to the device's log folded into its card
//! (`cache.rs`), so the card table is only ever written from the
//! reviews that explain it, and `prep check` can compare the two.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::cache::{causal_time, to_millis};
use super::cards::card_state;
use super::check::COUNTS_FOR_STATE;
use super::rows::{REVIEW_COLUMNS, review_from_row};
use super::{Failure, Follows, NewReview, PlacedReview, Result, Review, Store, explained};
use crate::journal::event::{Change, Event, EventId};
use crate::schedule::{CardState, Transition};

impl Store {
    /// Records one review of `card_id` at `at`: reads the card's state,
    /// asks `decide` for the transition, logs it and writes the review and
    /// the new state, all in one transaction. When this returns, the
    /// review is on disk.
    pub fn record(
        &mut self,
        card_id: &str,
        deck: &str,
        answer_ms: u32,
        decide: impl FnOnce(Option<&CardState>) -> anyhow::Result<Transition>,
    ) -> anyhow::Result<Review> {
        let path = self.path.clone();
        explained(&path, || {
            let events = self.change(|tx, next| {
                let previous = card_state(tx, card_id)?;
                let transition = in_millis(decide(previous.as_ref().map(|card| &card.state))?);
                Ok(vec![Event {
                    id: next.take(),
                    at: transition.state.last_review,
                    card: card_id.to_string(),
                    change: Change::Grade {
                        deck: deck.to_string(),
                        answer_ms,
                        after: last_counting(tx, card_id)?,
                        transition,
                    },
                }])
            })?;
            review_of(&self.conn, &events[0].id)?.ok_or_else(|| {
                Failure::damaged_row(card_id, "the review just recorded is not in the log".into())
            })
        })
    }

    /// Appends reviews made elsewhere (imported history, generated
    /// collections) in one transaction; each card's reviews follow the
    /// ones it has.
    pub fn append(&mut self, reviews: &[NewReview]) -> anyhow::Result<()> {
        let path = self.path.clone();
        explained(&path, || {
            self.change(|tx, next| {
                let mut last: HashMap<&str, Option<EventId>> = HashMap::new();
                let mut events = Vec::with_capacity(reviews.len());
                for review in reviews {
                    let after = match last.get(review.card_id.as_str()) {
                        Some(after) => after.clone(),
                        None => last_counting(tx, &review.card_id)?,
                    };
                    let id = next.take();
                    events.push(grade_event(id.clone(), review, after));
                    last.insert(&review.card_id, Some(id));
                }
                Ok(events)
            })?;
            Ok(())
        })
    }

    /// Records reviews made elsewhere (in Anki, on a deck prep exported)
    /// as this device's, each logged after the review its writer had seen
    /// last; replay places them among the card's reviews by time, so that
    /// a review made here meanwhile and one made there both count, in
    /// time order, and whichever is out of its writer's place is decided
    /// again ([`crate::journal::fold`]). In one transaction.
    pub fn merge_reviews(&mut self, reviews: &[PlacedReview]) -> anyhow::Result<()> {
        let path = self.path.clone();
        explained(&path, || {
            self.change(|_, next| {
                let mut ids: Vec<EventId> = Vec::with_capacity(reviews.len());
                let mut events = Vec::with_capacity(reviews.len());
                for (index, placed) in reviews.iter().enumerate() {
                    let review = &placed.review;
                    let after = match &placed.follows {
                        Follows::Nothing => None,
                        Follows::Held(id) => Some(id.clone()),
                        Follows::Earlier(earlier) if *earlier < index => Some(ids[*earlier].clone()),
                        Follows::Earlier(earlier) => {
                            return Err(Failure::from(anyhow::anyhow!(
                                "review {index} of card {} follows review {earlier}, which is not before it",
                                review.card_id
                            )));
                        }
                    };
                    let id = next.take();
                    ids.push(id.clone());
                    events.push(grade_event(id, review, after));
                }
                Ok(events)
            })?;
            Ok(())
        })
    }

    /// Takes back the last review of a card, on every device: the card
    /// goes back to the state the review before it left (or new, when
    /// there is none since the card was last forgotten).
    /// Returns the review taken back, if there was one. With `only` set,
    /// nothing is undone unless that review is still the card's last (a
    /// quiz undoing its own grade must not take back one another process
    /// made since); the result is then `None`.
    pub fn undo_last(
        &mut self,
        card_id: &str,
        only: Option<i64>,
    ) -> anyhow::Result<Option<Review>> {
        let path = self.path.clone();
        explained(&path, || {
            let mut undone = None;
            self.change(|tx, next| {
                let last = tx
                    .prepare_cached(&format!(
                        "SELECT {REVIEW_COLUMNS}, device, seq FROM review
                         WHERE card_id = ?1 AND {COUNTS_FOR_STATE} ORDER BY id DESC LIMIT 1"
                    ))?
                    .query_row([card_id], |row| {
                        Ok(review_from_row(row).map(|review| {
                            let device: Option<String> = row.get(16).ok();
                            let seq: Option<i64> = row.get(17).ok();
                            (review, device, seq)
                        }))
                    })
                    .optional()?
                    .transpose()?;
                let Some((review, Some(device), Some(seq))) = last else {
                    return Ok(Vec::new());
                };
                if only.is_some_and(|id| id != review.id) {
                    return Ok(Vec::new());
                }
                let event = Event {
                    id: next.take(),
                    at: review.reviewed_at,
                    card: card_id.to_string(),
                    change: Change::Undo {
                        of: EventId {
                            device,
                            seq: seq as u64,
                        },
                    },
                };
                undone = Some(review);
                Ok(vec![event])
            })?;
            Ok(undone)
        })
    }

    /// Keeps a card, new or reviewed, out of sessions until `until` (a
    /// quiz's skip at `at`).
    pub fn bury(
        &mut self,
        card_id: &str,
        at: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.flag_change(card_id, at, Change::Bury { until })
    }

    /// Ends a card's skip (a quiz's undo of `s`).
    pub fn unbury(&mut self, card_id: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
        self.flag_change(card_id, at, Change::Unbury)
    }

    /// Records one change that is not a review.
    pub(super) fn flag_change(
        &mut self,
        card_id: &str,
        at: DateTime<Utc>,
        change: Change,
    ) -> anyhow::Result<()> {
        let path = self.path.clone();
        explained(&path, || {
            self.change(|tx, next| {
                Ok(vec![Event {
                    id: next.take(),
                    at: causal_time(tx, card_id, at)?,
                    card: card_id.to_string(),
                    change,
                }])
            })?;
            Ok(())
        })
    }
}

/// The log line of a review made elsewhere, as change `id` following
/// `after`.
pub(super) fn grade_event(id: EventId, review: &NewReview, after: Option<EventId>) -> Event {
    let transition = in_millis(review.transition);
    Event {
        id,
        at: transition.state.last_review,
        card: review.card_id.clone(),
        change: Change::Grade {
            deck: review.deck.clone(),
            answer_ms: review.answer_ms,
            after,
            transition,
        },
    }
}

/// A transition with its times as the store keeps them.
fn in_millis(mut transition: Transition) -> Transition {
    transition.state.last_review = to_millis(transition.state.last_review);
    transition.state.due = to_millis(transition.state.due);
    transition
}

/// The change id of the card's last review that counts for its state:
/// what a new review of it follows.
pub(super) fn last_counting(conn: &Connection, card_id: &str) -> Result<Option<EventId>> {
    let last: Option<(Option<String>, Option<i64>)> = conn
        .prepare_cached(&format!(
            "SELECT device, seq FROM review WHERE card_id = ?1 AND {COUNTS_FOR_STATE}
             ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([card_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(match last {
        Some((Some(device), Some(seq))) => Some(EventId {
            device,
            seq: seq as u64,
        }),
        _ => None,
    })
}

/// The review that is change `id`, if the store holds it.
fn review_of(conn: &Connection, id: &EventId) -> Result<Option<Review>> {
    conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} FROM review WHERE device = ?1 AND seq = ?2"
    ))?
    .query_row(params![id.device, id.seq as i64], |row| {
        Ok(review_from_row(row))
    })
    .optional()?
    .transpose()
}
