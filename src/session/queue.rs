//! The order a session shows cards in. Cards due come first, most overdue
//! first; then new cards in deck order. A card answered Again comes back a
//! few cards later; one still in its learning steps comes back when its
//! step is over, or, when nothing else is left, up to
//! [`LEARN_AHEAD`] early (Anki's "learn ahead limit"), so that a session
//! does not end with cards that are due in five minutes.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

use crate::schedule::{CardState, Phase};

/// How many other cards come between an Again and the card's next showing.
pub const AGAIN_GAP: usize = 3;

/// How early a learning card is shown when nothing else is left.
pub const LEARN_AHEAD: Duration = Duration::minutes(20);

/// One card waiting in a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub card_id: String,
    /// The card's state when it was queued; `None` for a new card.
    pub state: Option<CardState>,
    /// A review an interview plan brought forward: the card is not due yet
    /// ([`crate::plan`]).
    pub early: bool,
}

impl Entry {
    pub fn new(card_id: impl Into<String>, state: Option<CardState>) -> Entry {
        Entry {
            card_id: card_id.into(),
            state,
            early: false,
        }
    }

    /// The phase the card is in: what the progress line counts it as.
    pub fn phase(&self) -> Phase {
        self.state.map_or(Phase::New, |state| state.phase)
    }
}

/// The two lines a queue keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Due and new cards, in showing order.
    Upcoming,
    /// Learning cards whose step ends later today.
    Later,
}

/// Where a card was queued to come back, for an undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    pub line: Line,
    pub at: usize,
}

/// The cards still to come.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    /// In showing order: the due and new cards, with Again cards put back
    /// among them.
    upcoming: VecDeque<Entry>,
    /// Cards in learning steps that end later today, soonest first.
    later: Vec<Entry>,
}

impl Queue {
    pub fn new(upcoming: Vec<Entry>) -> Queue {
        Queue {
            upcoming: upcoming.into(),
            later: Vec::new(),
        }
    }

    /// Takes the card to show next at `now`, if any: a learning card whose
    /// step is over, else the next in line, else a learning card due
    /// within [`LEARN_AHEAD`].
    pub fn next(&mut self, now: DateTime<Utc>) -> Option<Entry> {
        self.take_next(now).map(|(entry, _)| entry)
    }

    /// [`Queue::next`], saying which line the card came from, so that an
    /// undo can put it back with [`Queue::put_back`].
    pub fn take_next(&mut self, now: DateTime<Utc>) -> Option<(Entry, Line)> {
        let due_by = |entry: &Entry, at: DateTime<Utc>| entry.state.is_some_and(|s| s.due <= at);
        if self.later.first().is_some_and(|entry| due_by(entry, now)) {
            return Some((self.later.remove(0), Line::Later));
        }
        if let Some(entry) = self.upcoming.pop_front() {
            return Some((entry, Line::Upcoming));
        }
        if self
            .later
            .first()
            .is_some_and(|entry| due_by(entry, now + LEARN_AHEAD))
        {
            return Some((self.later.remove(0), Line::Later));
        }
        None
    }

    /// Undoes a [`Queue::take_next`]: the card is first in its line again.
    pub fn put_back(&mut self, entry: Entry, line: Line) {
        match line {
            Line::Upcoming => self.upcoming.push_front(entry),
            Line::Later => self.later.insert(0, entry),
        }
    }

    /// Shows `entry` again after [`AGAIN_GAP`] other cards, or last.
    pub fn again(&mut self, entry: Entry) -> Queued {
        let at = AGAIN_GAP.min(self.upcoming.len());
        self.upcoming.insert(at, entry);
        Queued {
            line: Line::Upcoming,
            at,
        }
    }

    /// Shows `entry` again when its learning step is over.
    pub fn when_due(&mut self, entry: Entry) -> Queued {
        let due = entry.state.map(|state| state.due);
        let at = self
            .later
            .partition_point(|other| other.state.map(|state| state.due) <= due);
        self.later.insert(at, entry);
        Queued {
            line: Line::Later,
            at,
        }
    }

    /// Undoes an [`Queue::again`] or [`Queue::when_due`] of `card_id`: the
    /// entry put there is taken out (found by its card, should the queue
    /// have changed around it since, as a reload of the decks does).
    pub fn unqueue(&mut self, queued: Queued, card_id: &str) {
        let matches = |entry: &Entry| entry.card_id == card_id;
        match queued.line {
            Line::Upcoming => {
                let at = if self.upcoming.get(queued.at).is_some_and(matches) {
                    Some(queued.at)
                } else {
                    self.upcoming.iter().position(matches)
                };
                if let Some(at) = at {
                    self.upcoming.remove(at);
                }
            }
            Line::Later => {
                let at = if self.later.get(queued.at).is_some_and(matches) {
                    Some(queued.at)
                } else {
                    self.later.iter().position(matches)
                };
                if let Some(at) = at {
                    self.later.remove(at);
                }
            }
        }
    }

    /// Puts `entry` last in line.
    pub fn push_back(&mut self, entry: Entry) {
        self.upcoming.push_back(entry);
    }

    /// Drops every entry of a card (one that was deleted from its deck).
    pub fn remove(&mut self, card_id: &str) {
        self.upcoming.retain(|entry| entry.card_id != card_id);
        self.later.retain(|entry| entry.card_id != card_id);
    }

    /// Every waiting entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.upcoming.iter().chain(&self.later)
    }

    pub fn len(&self) -> usize {
        self.upcoming.len() + self.later.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The learning cards left for later today that this session will not
    /// reach before they are due (they are more than [`LEARN_AHEAD`] away
    /// once the queue has run out).
    pub fn waiting_later(&self) -> impl Iterator<Item = &Entry> {
        self.later.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{DayClock, is_due};
    use chrono::FixedOffset;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn learning(id: &str, due: DateTime<Utc>) -> Entry {
        Entry::new(
            id,
            Some(CardState {
                phase: Phase::Learning,
                step: 0,
                stability: 1.0,
                difficulty: 5.0,
                due,
                last_review: due,
                interval_days: 0,
                reps: 1,
                lapses: 0,
            }),
        )
    }

    fn new(id: &str) -> Entry {
        Entry::new(id, None)
    }

    fn order(queue: &mut Queue, now: DateTime<Utc>) -> Vec<String> {
        std::iter::from_fn(|| queue.next(now))
            .map(|entry| entry.card_id)
            .collect()
    }

    #[test]
    fn again_comes_back_after_three_cards_or_last() {
        let now = at("2026-01-05T09:00:00Z");
        let mut queue = Queue::new(["a", "b", "c", "d", "e"].map(new).to_vec());
        let first = queue.next(now).unwrap();
        queue.again(first);
        assert_eq!(order(&mut queue, now), ["b", "c", "d", "a", "e"]);
        let mut queue = Queue::new(vec![new("a"), new("b")]);
        let first = queue.next(now).unwrap();
        queue.again(first);
        assert_eq!(order(&mut queue, now), ["b", "a"]);
    }

    #[test]
    fn learning_cards_come_back_when_due_or_learned_ahead_at_the_end() {
        let now = at("2026-01-05T09:00:00Z");
        let mut queue = Queue::new(vec![new("a"), new("b")]);
        queue.when_due(learning("in-10m", now + Duration::minutes(10)));
        queue.when_due(learning("in-1h", now + Duration::hours(1)));
        queue.when_due(learning("in-1m", now + Duration::minutes(1)));
        // At 9:00 the new cards come first; then what is due within 20
        // minutes, soonest first; the card due in an hour waits.
        assert_eq!(order(&mut queue, now), ["a", "b", "in-1m", "in-10m"]);
        assert_eq!(queue.len(), 1);
        // Once its step is over, a learning card goes before the others.
        let mut queue = Queue::new(vec![new("a")]);
        queue.when_due(learning("l", now + Duration::minutes(1)));
        assert_eq!(order(&mut queue, now + Duration::minutes(2)), ["l", "a"]);
    }

    #[test]
    fn review_cards_are_due_on_their_day_learning_cards_at_their_time() {
        let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
        let now = at("2026-01-05T09:00:00Z");
        let mut entry = learning("l", now + Duration::minutes(5));
        let mut state = entry.state.unwrap();
        assert!(!is_due(&state, now, clock));
        state.phase = Phase::Review;
        // Due later today (day starts at 4:00): due now.
        assert!(is_due(&state, now, clock));
        state.due = at("2026-01-06T04:00:00Z");
        assert!(!is_due(&state, now, clock));
        entry.state = Some(state);
        assert_eq!(entry.phase(), Phase::Review);
    }
}
