//! One grade, recorded: the one path that `prep quiz` and `prep grade`
//! both take, so that a card graded either way is scheduled, logged and
//! checked for leeches alike.

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::GradedElsewhere;
use super::leech::{self, Leech};
use crate::schedule::{Grade, Schedulers};
use crate::store::{Review, Store};

/// A grade to record.
pub struct Answer<'a> {
    pub deck: &'a str,
    pub card: &'a str,
    pub grade: Grade,
    pub answer_ms: u32,
    pub now: DateTime<Utc>,
    /// The card's last review as the caller saw it, when a grade made
    /// since elsewhere must stop this one (a quiz that queued the card
    /// minutes ago): [`GradedElsewhere`] then.
    pub seen: Option<Option<DateTime<Utc>>>,
}

/// What recording a grade did: the review, and what the leech rule did.
pub struct Graded {
    pub review: Review,
    pub leech: Option<Leech>,
}

/// Schedules, records (and logs) `answer`, then applies the leech rule.
pub fn record(store: &mut Store, schedulers: &mut Schedulers, answer: Answer) -> Result<Graded> {
    let Answer {
        deck,
        card,
        grade,
        answer_ms,
        now,
        seen,
    } = answer;
    let scheduler = schedulers.for_deck(deck)?;
    let review = store.record(card, deck, answer_ms, |state| {
        if let (Some(seen), Some(state)) = (seen, state)
            && Some(state.last_review) != seen
        {
            return Err(GradedElsewhere {
                card: card.to_string(),
                at: state.last_review,
            }
            .into());
        }
        scheduler.answer(card, state, grade, now)
    })?;
    let leech = leech::after_grade(store, schedulers.config(), card, &review.transition, now)?;
    Ok(Graded { review, leech })
}
