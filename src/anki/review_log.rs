//! An Anki review log taken into prep's history, so cards imported from a
//! package keep their memory states and a deck reviewed both in Anki and
//! in prep keeps every review.
//!
//! Each entry of the log is one of three things. A copy of a review prep
//! holds (prep exported it, or read it from an earlier package): the same
//! card, the same grade, made at the same millisecond or up to a second
//! after it (the export moves reviews of one millisecond apart); it is
//! taken as that review and adds nothing. A review made in Anki: it is
//! decided by prep's scheduler from the state of the review before it in
//! Anki's log, and recorded as following that review, as a review synced
//! from another device is; replay then puts it among the card's reviews
//! by time, and decides again those of prep's that it now precedes
//! ([`crate::journal::fold`]). Or one not taken: a review of a card the
//! import gave no prep card, or the copy of a review undone in prep since;
//! each is returned with the reason, for the report.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};

use super::read::Review;
use crate::schedule::{CardState, Grade, Schedulers};
use crate::store::{CardHistory, Follows, NewReview, PlacedReview};

/// What taking a log into the history found.
#[derive(Debug, Default)]
pub struct Replayed {
    /// The reviews made in Anki, to record.
    pub reviews: Vec<PlacedReview>,
    /// Cards with at least one review to record.
    pub cards: usize,
    /// Entries that were copies of reviews prep holds.
    pub held: usize,
    /// Cards whose reviews made in Anki come before a review prep holds:
    /// reviewed in both since the package was made.
    pub interleaved: Vec<String>,
    /// Entries not taken, by time, with the reason.
    pub not_taken: Vec<NotTaken>,
}

/// An entry of Anki's log that is not taken into prep's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotTaken {
    pub review: Review,
    pub why: Why,
}

/// Why an entry is not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Its card's note was skipped by the import (at this position).
    NoteSkipped { note: usize },
    /// Its card is no side prep drills of the note at this position.
    NotASide { note: usize },
    /// The package holds no card of that id (Anki keeps the reviews of
    /// deleted cards).
    NoSuchCard,
    /// It is the copy of a review of this prep card undone in prep.
    UndoneInPrep { card: String },
}

/// Takes `log` into the histories `in_prep` holds (by prep card id) of the
/// cards `card_of` knows (Anki's card id to prep's card id and deck, or why
/// there is none).
pub fn replay<'a>(
    log: &[Review],
    card_of: impl Fn(i64) -> Result<(&'a str, &'a str), Why>,
    in_prep: &HashMap<String, CardHistory>,
    schedulers: &mut Schedulers,
) -> Result<Replayed> {
    // Each card's entries, in the log's order (by time: a revlog id is
    // its review's millisecond).
    let mut cards: Vec<(&str, &str)> = Vec::new();
    let mut entries: HashMap<&str, Vec<&Review>> = HashMap::new();
    let mut replayed = Replayed::default();
    for review in log {
        match card_of(review.card) {
            Ok((card, deck)) => {
                if !entries.contains_key(card) {
                    cards.push((card, deck));
                }
                entries.entry(card).or_default().push(review);
            }
            Err(why) => replayed.not_taken.push(NotTaken {
                review: *review,
                why,
            }),
        }
    }
    let none = CardHistory::default();
    let mut with_reviews = HashSet::new();
    for (card, deck) in cards {
        let history = in_prep.get(card).unwrap_or(&none);
        let mut copied = vec![false; history.reviews.len()];
        let mut undone_copied = vec![false; history.undone_at.len()];
        // What the next entry follows, and the state it leaves.
        let mut follows = Follows::Nothing;
        let mut state: Option<CardState> = None;
        let scheduler = schedulers.for_deck(deck)?;
        for review in &entries[card] {
            let grade = Grade::from_rating(i64::from(review.ease)).unwrap_or(Grade::Good);
            let copy = history
                .reviews
                .iter()
                .enumerate()
                .position(|(index, (_, held))| {
                    !copied[index]
                        && held.transition.grade == grade
                        && copy_of(review.at, held.reviewed_at)
                });
            if let Some(index) = copy {
                copied[index] = true;
                replayed.held += 1;
                let (id, held) = &history.reviews[index];
                follows = Follows::Held(id.clone());
                state = Some(held.transition.state);
                continue;
            }
            let undone = history
                .undone_at
                .iter()
                .enumerate()
                .position(|(index, &at)| !undone_copied[index] && copy_of(review.at, at));
            if let Some(index) = undone {
                undone_copied[index] = true;
                replayed.not_taken.push(NotTaken {
                    review: **review,
                    why: Why::UndoneInPrep {
                        card: card.to_string(),
                    },
                });
                continue;
            }
            let transition = scheduler.answer(card, state.as_ref(), grade, review.at)?;
            state = Some(transition.state);
            let index = replayed.reviews.len();
            replayed.reviews.push(PlacedReview {
                review: NewReview {
                    card_id: card.to_string(),
                    deck: deck.to_string(),
                    answer_ms: review.time_ms,
                    transition,
                },
                follows: std::mem::replace(&mut follows, Follows::Earlier(index)),
            });
            with_reviews.insert(card);
            if history
                .reviews
                .iter()
                .any(|(_, held)| held.reviewed_at > review.at)
                && replayed.interleaved.last().map(String::as_str) != Some(card)
            {
                replayed.interleaved.push(card.to_string());
            }
        }
    }
    replayed.cards = with_reviews.len();
    replayed
        .not_taken
        .sort_by_key(|not_taken| not_taken.review.at);
    Ok(replayed)
}

/// Whether an entry of Anki's log made at `at` can be the copy of a
/// review prep made at `made`: the export keeps each review's
/// millisecond, moving reviews made in the same millisecond (a script, a
/// fixed clock) a millisecond later, so a copy is never earlier and is
/// taken to be within a second.
fn copy_of(at: DateTime<Utc>, made: DateTime<Utc>) -> bool {
    made <= at && at <= made + TimeDelta::seconds(1)
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;
    use crate::config::Config;
    use crate::journal::event::EventId;
    use crate::schedule::DayClock;
    use crate::store::Review as HeldReview;

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

    fn schedulers() -> Schedulers {
        Schedulers::new(
            Config::default(),
            DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
        )
    }

    /// A history of `card` in prep: `reviews` (time, grade) made in
    /// order on device "here", and the times of reviews undone.
    fn history(card: &str, reviews: &[(&str, Grade)], undone: &[&str]) -> CardHistory {
        let mut schedulers = schedulers();
        let scheduler = schedulers.for_deck("d").unwrap();
        let mut state = None;
        let mut held = Vec::new();
        for (seq, &(when, grade)) in reviews.iter().enumerate() {
            let transition = scheduler
                .answer(card, state.as_ref(), grade, at(when))
                .unwrap();
            state = Some(transition.state);
            held.push((
                EventId {
                    device: "here".into(),
                    seq: seq as u64 + 1,
                },
                HeldReview {
                    id: seq as i64 + 1,
                    card_id: card.into(),
                    deck: "d".into(),
                    reviewed_at: at(when),
                    answer_ms: 1000,
                    transition,
                },
            ));
        }
        CardHistory {
            reviews: held,
            undone_at: undone.iter().map(|when| at(when)).collect(),
        }
    }

    #[test]
    fn copies_of_prep_s_reviews_add_nothing_and_anki_s_follow_the_review_before_them() {
        let log = [
            review(1, "2026-01-01T10:00:00Z", 3),
            // prep's, moved a millisecond by the export.
            review(2, "2026-01-01T10:01:00.001Z", 3),
            review(9, "2026-01-01T10:02:00Z", 3),
            // The copy of one undone in prep.
            review(1, "2026-01-03T10:00:00Z", 3),
            review(1, "2026-01-04T10:00:00Z", 1),
            // Made in Anki before prep's review of the 5th.
            review(2, "2026-01-04T10:01:00Z", 4),
            review(2, "2026-01-06T10:01:00Z", 3),
        ];
        let card_of = |anki: i64| match anki {
            1 => Ok(("fresh", "d")),
            2 => Ok(("known", "d")),
            _ => Err(Why::NoSuchCard),
        };
        let in_prep = HashMap::from([
            (
                "known".to_string(),
                history(
                    "known",
                    &[
                        ("2026-01-01T10:01:00Z", Grade::Good),
                        ("2026-01-05T10:00:00Z", Grade::Hard),
                    ],
                    &[],
                ),
            ),
            (
                "fresh".to_string(),
                history("fresh", &[], &["2026-01-03T10:00:00Z"]),
            ),
        ]);
        let replayed = replay(&log, card_of, &in_prep, &mut schedulers()).unwrap();
        let added: Vec<(&str, Grade, &Follows)> = replayed
            .reviews
            .iter()
            .map(|placed| {
                (
                    placed.review.card_id.as_str(),
                    placed.review.transition.grade,
                    &placed.follows,
                )
            })
            .collect();
        let first_known = Follows::Held(in_prep["known"].reviews[0].0.clone());
        assert_eq!(
            added,
            [
                ("fresh", Grade::Good, &Follows::Nothing),
                ("fresh", Grade::Again, &Follows::Earlier(0)),
                ("known", Grade::Easy, &first_known),
                ("known", Grade::Good, &Follows::Earlier(2)),
            ]
        );
        assert_eq!(replayed.cards, 2);
        assert_eq!(replayed.held, 1);
        assert_eq!(replayed.interleaved, ["known"]);
        // The Easy of the 4th is decided from prep's state of the 1st.
        assert_eq!(replayed.reviews[2].review.transition.elapsed_days, 3);
        assert_eq!(
            replayed.not_taken,
            [
                NotTaken {
                    review: log[2],
                    why: Why::NoSuchCard
                },
                NotTaken {
                    review: log[3],
                    why: Why::UndoneInPrep {
                        card: "fresh".into()
                    }
                },
            ]
        );
    }

    #[test]
    fn the_same_log_taken_twice_is_all_copies_the_second_time() {
        let log = [
            review(1, "2026-01-01T10:00:00Z", 3),
            review(1, "2026-01-02T10:00:00Z", 2),
        ];
        let card_of = |_| Ok(("c", "d"));
        let first = replay(&log, card_of, &HashMap::new(), &mut schedulers()).unwrap();
        assert_eq!(first.reviews.len(), 2);
        let held = history(
            "c",
            &[
                ("2026-01-01T10:00:00Z", Grade::Good),
                ("2026-01-02T10:00:00Z", Grade::Hard),
            ],
            &[],
        );
        let in_prep = HashMap::from([("c".to_string(), held)]);
        let second = replay(&log, card_of, &in_prep, &mut schedulers()).unwrap();
        assert_eq!((second.reviews.len(), second.held), (0, 2));
        assert!(second.not_taken.is_empty() && second.interleaved.is_empty());
    }
}
