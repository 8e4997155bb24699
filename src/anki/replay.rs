//! An Anki review log replayed through prep's scheduler, so cards imported
//! from a package keep their memory states. Each card's reviews go in the
//! order of the log, from the card's state in prep if it has one: a card
//! with a history in prep keeps it and gains only the reviews Anki logged
//! after it (a deck taken to Anki and reviewed there comes back with
//! those reviews, and the same package read twice adds nothing).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};

use super::read::Review;
use crate::schedule::{CardState, Grade, Schedulers};
use crate::store::NewReview;

/// The reviews to add, and what the replay found.
#[derive(Debug, Default)]
pub struct Replayed {
    pub reviews: Vec<NewReview>,
    /// Cards with at least one review to add.
    pub cards: usize,
    /// Cards that already had a history in prep, which is kept.
    pub kept: usize,
    /// Of those, cards with reviews made in Anki after their last in prep.
    pub continued: usize,
}

/// Replays `log` for the cards `card_of` knows (Anki's card id to prep's
/// card id and deck), starting from `in_prep`'s states.
pub fn replay<'a>(
    log: &[Review],
    card_of: impl Fn(i64) -> Option<(&'a str, &'a str)>,
    in_prep: &HashMap<String, CardState>,
    schedulers: &mut Schedulers,
) -> Result<Replayed> {
    let mut states: HashMap<&str, Option<CardState>> = HashMap::new();
    let mut reviews = Vec::new();
    let mut kept = HashSet::new();
    let mut continued = HashSet::new();
    for review in log {
        let Some((card_id, deck)) = card_of(review.card) else {
            continue;
        };
        let stored = in_prep.get(card_id);
        if let Some(stored) = stored {
            kept.insert(card_id);
            if !made_after(review.at, stored.last_review) {
                continue;
            }
            continued.insert(card_id);
        }
        let scheduler = schedulers.for_deck(deck)?;
        let state = states.entry(card_id).or_insert_with(|| stored.copied());
        let grade = Grade::from_rating(i64::from(review.ease)).unwrap_or(Grade::Good);
        let transition = scheduler.answer(card_id, state.as_ref(), grade, review.at)?;
        *state = Some(transition.state);
        reviews.push(NewReview {
            card_id: card_id.to_string(),
            deck: deck.to_string(),
            answer_ms: review.time_ms,
            transition,
        });
    }
    Ok(Replayed {
        reviews,
        cards: states.len(),
        kept: kept.len(),
        continued: continued.len(),
    })
}

/// Whether a review in Anki's log was made after a card's last review in
/// prep, rather than being one prep exported. The export keeps each
/// review's millisecond, moving reviews made in the same millisecond (a
/// script, a fixed clock) a millisecond apart, so a review within a second
/// of prep's last one is taken for prep's own.
fn made_after(at: DateTime<Utc>, last_in_prep: DateTime<Utc>) -> bool {
    at > last_in_prep + TimeDelta::seconds(1)
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;
    use crate::config::Config;
    use crate::schedule::DayClock;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn review(card: i64, when: &str, ease: u8) -> Review {
        Review {
            card,
            at: at(when),
            ease,
            time_ms: 4000,
        }
    }

    #[test]
    fn a_log_is_replayed_from_prep_s_own_state_and_only_after_it() {
        let mut schedulers = Schedulers::new(
            Config::default(),
            DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
        );
        let log = [
            review(1, "2026-01-01T10:00:00Z", 3),
            review(2, "2026-01-01T10:01:00Z", 3),
            review(9, "2026-01-01T10:02:00Z", 3),
            review(1, "2026-01-04T10:00:00Z", 1),
            review(2, "2026-01-04T10:01:00Z", 4),
        ];
        let card_of = |anki: i64| match anki {
            1 => Some(("fresh", "d")),
            2 => Some(("known", "d")),
            _ => None,
        };
        // "known" was reviewed in prep on the 2nd: only the 4th's review
        // is new to it.
        let mut first = Schedulers::new(
            Config::default(),
            DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
        );
        let known = first
            .for_deck("d")
            .unwrap()
            .answer("known", None, Grade::Good, at("2026-01-02T10:00:00Z"))
            .unwrap()
            .state;
        let in_prep = HashMap::from([("known".to_string(), known)]);
        let replayed = replay(&log, card_of, &in_prep, &mut schedulers).unwrap();
        let cards: Vec<(&str, Grade)> = replayed
            .reviews
            .iter()
            .map(|review| (review.card_id.as_str(), review.transition.grade))
            .collect();
        assert_eq!(
            cards,
            [
                ("fresh", Grade::Good),
                ("fresh", Grade::Again),
                ("known", Grade::Easy)
            ]
        );
        assert_eq!(
            (replayed.cards, replayed.kept, replayed.continued),
            (2, 1, 1)
        );
        assert_eq!(replayed.reviews[2].transition.elapsed_days, 2);
    }
}
