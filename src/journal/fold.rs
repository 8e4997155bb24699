//! A card's state from its changes: the one rule every device applies to
//! the union of the logs, so that devices holding the same lines hold the
//! same states, whatever order the lines reached them in.
//!
//! Changes go in [`Event::order_key`] order (time, then device and
//! number). An undo removes its review wherever it sits. A review whose
//! writer had seen exactly the reviews before it here (its `after` is the
//! last one, and that one too kept its logged state) keeps the state it
//! was logged with; any other is decided again by the scheduler, from the
//! state before it here, with its writer's setup ([`super::setup`]): two
//! devices that reviewed one card offline both count, in time order. A review ends a skip; a forget starts the card
//! afresh; the other flags are the last word by time.

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::event::{Change, Event, EventId, SuspendReason};
use super::setup::Setups;
use crate::schedule::{CardState, Transition};

/// A suspended card: since when and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    pub since: DateTime<Utc>,
    pub reason: SuspendReason,
}

/// A review as replay leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldedReview {
    pub id: EventId,
    pub after: Option<EventId>,
    pub deck: String,
    pub answer_ms: u32,
    /// The review's effect here.
    pub transition: Transition,
    /// Its effect on the device that made it, as logged.
    pub logged: Transition,
}

/// A card after all its changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folded {
    /// Every review not taken back, in order.
    pub reviews: Vec<FoldedReview>,
    /// The reviews from this index on make the state; those before it
    /// came before the last forget.
    pub counting_from: usize,
    pub forgotten_at: Option<DateTime<Utc>>,
    pub buried_until: Option<DateTime<Utc>>,
    pub suspended: Option<Suspension>,
    pub marked_since: Option<DateTime<Utc>>,
}

impl Folded {
    /// The last review that makes the card's state.
    pub fn last(&self) -> Option<&FoldedReview> {
        self.reviews[self.counting_from..].last()
    }
}

/// Folds one card's changes (sorted here; duplicates dropped). Without
/// `setups`, a review out of its writer's place keeps its logged state.
pub fn fold(
    card: &str,
    events: &mut Vec<Event>,
    mut setups: Option<&mut Setups>,
) -> Result<Folded> {
    events.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    events.dedup_by(|a, b| a.id == b.id);
    causal_order(events);
    let undone: HashSet<&EventId> = events
        .iter()
        .filter_map(|event| match &event.change {
            Change::Undo { of } => Some(of),
            _ => None,
        })
        .collect();
    let mut folded = Folded::default();
    // The last counting review, and whether every counting review so far
    // kept its logged state.
    let mut last: Option<&EventId> = None;
    let mut as_logged = true;
    let mut state: Option<CardState> = None;
    for event in events.iter() {
        match &event.change {
            Change::Grade {
                deck,
                answer_ms,
                after,
                transition: logged,
            } => {
                if undone.contains(&event.id) {
                    continue;
                }
                let in_place = as_logged && after.as_ref() == last;
                let transition = match (&mut setups, in_place) {
                    (Some(setups), false) => setups.decide(
                        &event.id,
                        card,
                        deck,
                        state.as_ref(),
                        logged.grade,
                        event.at,
                    )?,
                    _ => *logged,
                };
                as_logged = transition == *logged;
                state = Some(transition.state);
                last = Some(&event.id);
                folded.buried_until = None;
                folded.reviews.push(FoldedReview {
                    id: event.id.clone(),
                    after: after.clone(),
                    deck: deck.clone(),
                    answer_ms: *answer_ms,
                    transition,
                    logged: *logged,
                });
            }
            Change::Forget => {
                state = None;
                last = None;
                as_logged = true;
                folded.counting_from = folded.reviews.len();
                folded.forgotten_at = Some(event.at);
                folded.buried_until = None;
            }
            Change::Bury { until } => folded.buried_until = Some(*until),
            Change::Unbury => folded.buried_until = None,
            Change::Suspend { reason } => {
                folded.suspended.get_or_insert(Suspension {
                    since: event.at,
                    reason: *reason,
                });
            }
            Change::Unsuspend => folded.suspended = None,
            Change::Mark => {
                folded.marked_since.get_or_insert(event.at);
            }
            Change::Unmark => folded.marked_since = None,
            // Not a card's: applied before any card is folded.
            Change::Undo { .. } | Change::Setup(_) => {}
        }
    }
    Ok(folded)
}

/// Puts `events` (in [`Event::order_key`] order) in an order that keeps
/// what each device knew: a review comes after the review it followed
/// (`after`: the card's last review on its device when it was made),
/// wherever the clocks put the two. Among the changes free to go next, the
/// earliest by time goes first, so that with clocks that agree this is the
/// order of time. So a clock set back cannot put a device's grade before
/// the one it followed, and a device a year ahead cannot put its review
/// after every review made later on top of it. A cycle (only damaged lines
/// make one) is broken at its earliest change.
fn causal_order(events: &mut Vec<Event>) {
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, HashMap};

    let count = events.len();
    if count < 2 {
        return;
    }
    let position: HashMap<&EventId, usize> = events
        .iter()
        .enumerate()
        .map(|(index, event)| (&event.id, index))
        .collect();
    // Whether each review waits for the review it followed (when that one
    // is here: at most one each).
    let mut waiting = vec![false; count];
    let mut freed: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (index, event) in events.iter().enumerate() {
        if let Change::Grade {
            after: Some(after), ..
        } = &event.change
            && let Some(&before) = position.get(after)
            && before != index
        {
            freed[before].push(index);
            waiting[index] = true;
        }
    }
    // The index stands for the order key: events are sorted by it.
    let mut ready: BinaryHeap<Reverse<usize>> = (0..count)
        .filter(|&index| !waiting[index])
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(count);
    let mut placed = vec![false; count];
    while order.len() < count {
        let next = match ready.pop() {
            Some(Reverse(index)) => index,
            None => (0..count)
                .find(|&index| !placed[index])
                .expect("fewer placed than there are"),
        };
        if placed[next] {
            continue;
        }
        placed[next] = true;
        order.push(next);
        for &later in &freed[next] {
            waiting[later] = false;
            if !placed[later] {
                ready.push(Reverse(later));
            }
        }
    }
    if order.iter().enumerate().all(|(at, &index)| at == index) {
        return;
    }
    let mut taken: Vec<Option<Event>> = std::mem::take(events).into_iter().map(Some).collect();
    events.extend(order.into_iter().filter_map(|index| taken[index].take()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::schedule::{DayClock, Grade, Scheduler};
    use chrono::FixedOffset;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
            .unwrap()
            .to_utc()
            + chrono::Duration::hours(hours)
    }

    fn scheduler() -> Scheduler {
        let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
        Scheduler::for_deck(&Config::default(), "aws", clock).unwrap()
    }

    /// A device's review of `c1` as it would log it, after `before`.
    fn review(device: &str, seq: u64, hours: i64, grade: Grade, before: Option<&Event>) -> Event {
        let (after, state) = match before {
            Some(Event {
                id,
                change: Change::Grade { transition, .. },
                ..
            }) => (Some(id.clone()), Some(transition.state)),
            _ => (None, None),
        };
        let transition = scheduler()
            .answer("c1", state.as_ref(), grade, at(hours))
            .unwrap();
        Event {
            id: EventId {
                device: device.into(),
                seq,
            },
            at: at(hours),
            card: "c1".into(),
            change: Change::Grade {
                deck: "aws".into(),
                answer_ms: 1000,
                after,
                transition,
            },
        }
    }

    fn replay(events: &[Event]) -> Folded {
        fold("c1", &mut events.to_vec(), Some(&mut Setups::new())).unwrap()
    }

    #[test]
    fn reviews_in_their_writers_place_keep_their_logged_state() {
        let a1 = review("a", 1, 0, Grade::Good, None);
        let a2 = review("a", 2, 30, Grade::Good, Some(&a1));
        let folded = replay(&[a2.clone(), a1.clone()]);
        assert_eq!(folded.reviews.len(), 2);
        assert!(folded.reviews.iter().all(|r| r.transition == r.logged));
        assert_eq!(folded.last().unwrap().id, a2.id);
    }

    #[test]
    fn two_devices_offline_both_count_in_time_order_whatever_the_arrival() {
        let a1 = review("a", 1, 0, Grade::Good, None);
        let b1 = review("b", 1, 24, Grade::Again, Some(&a1));
        let a2 = review("a", 2, 30, Grade::Good, Some(&a1)); // a never saw b1
        let one = replay(&[a1.clone(), a2.clone(), b1.clone()]);
        let other = replay(&[b1.clone(), a1.clone(), a2.clone()]);
        assert_eq!(one, other);
        let ids: Vec<_> = one.reviews.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["a:1", "b:1", "a:2"]);
        // b1 followed a1 as logged; a2 comes after b1's Again, so it is
        // decided again, and differs from what device a logged.
        assert_eq!(one.reviews[1].transition, one.reviews[1].logged);
        assert_ne!(one.reviews[2].transition, one.reviews[2].logged);
        assert_eq!(one.reviews[2].logged.state.reps, 2);
        assert_eq!(one.reviews[2].transition.state.reps, 3);
    }

    #[test]
    fn a_clock_set_back_keeps_a_devices_own_reviews_in_the_order_it_made_them() {
        let a1 = review("a", 1, 30, Grade::Good, None);
        // The clock set back a day, then Easy: after a1, by number and by
        // what it followed.
        let a2 = review("a", 2, 6, Grade::Easy, Some(&a1));
        let folded = replay(&[a2.clone(), a1.clone()]);
        let ids: Vec<_> = folded.reviews.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["a:1", "a:2"]);
        assert!(folded.reviews.iter().all(|r| r.transition == r.logged));
        assert_eq!(folded.last().unwrap().transition.grade, Grade::Easy);
    }

    #[test]
    fn reviews_made_on_top_of_a_review_from_a_clock_far_ahead_come_after_it() {
        // Device x's clock is a year ahead; y then grades the card Again
        // four times, having seen x's review.
        let x1 = review("x", 1, 24 * 365, Grade::Good, None);
        let mut before = x1.clone();
        let mut events = vec![x1.clone()];
        for seq in 1..=4 {
            let again = review("y", seq, seq as i64, Grade::Again, Some(&before));
            events.push(again.clone());
            before = again;
        }
        let folded = replay(&events);
        let ids: Vec<_> = folded.reviews.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["x:1", "y:1", "y:2", "y:3", "y:4"]);
        let last = folded.last().unwrap();
        assert_eq!(last.id.to_string(), "y:4");
        assert!(last.transition.state.due < at(24 * 30), "{last:?}");
    }

    #[test]
    fn an_undo_takes_its_review_back_wherever_it_sits_and_forget_starts_afresh() {
        let a1 = review("a", 1, 0, Grade::Good, None);
        let a2 = review("a", 2, 30, Grade::Easy, Some(&a1));
        let undo = Event {
            id: EventId {
                device: "a".into(),
                seq: 3,
            },
            at: at(31),
            card: "c1".into(),
            change: Change::Undo { of: a2.id.clone() },
        };
        let folded = replay(&[undo.clone(), a1.clone(), a2.clone()]);
        assert_eq!(folded.reviews.len(), 1);
        let forget = Event {
            id: EventId {
                device: "b".into(),
                seq: 1,
            },
            at: at(40),
            card: "c1".into(),
            change: Change::Forget,
        };
        let folded = replay(&[a1, forget, undo, a2]);
        assert_eq!((folded.counting_from, folded.last()), (1, None));
    }

    #[test]
    fn a_review_ends_a_skip_and_flags_take_the_last_word() {
        let a1 = review("a", 1, 5, Grade::Good, None);
        let flag = |seq, hours, change| Event {
            id: EventId {
                device: "b".into(),
                seq,
            },
            at: at(hours),
            card: "c1".into(),
            change,
        };
        let folded = replay(&[
            flag(1, 1, Change::Bury { until: at(20) }),
            a1.clone(),
            flag(2, 2, Change::Mark),
            flag(
                3,
                3,
                Change::Suspend {
                    reason: SuspendReason::User,
                },
            ),
            flag(4, 6, Change::Unsuspend),
        ]);
        assert_eq!(folded.buried_until, None);
        assert_eq!(folded.marked_since, Some(at(2)));
        assert_eq!(folded.suspended, None);
    }
}
