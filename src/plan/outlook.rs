//! One card's road to the interview: when it is next reviewed under the
//! plan, and how well it is predicted to be recalled on the day if every
//! review until then is answered Good. Cards do not affect each other's
//! memory, so a deck's outlook is the sum of its cards', each walked alone.

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};

use crate::schedule::day::{calendar_date, date_of_day};
use crate::schedule::{CardState, DayClock, Grade, Phase, Scheduler};

/// The days a plan spans, and the instants it reviews at.
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub clock: DayClock,
    pub now: DateTime<Utc>,
    /// The scheduler day of `now`.
    pub today: i64,
    /// The scheduler day of the interview.
    pub date: i64,
    /// Where recall on the day is measured: the start of the interview day.
    pub interview: DateTime<Utc>,
    /// How far into its day `now` is; future reviews are assumed to happen
    /// at the same time of day.
    time_of_day: Duration,
}

/// A review could be planned on any number of days; a card that still
/// needs one after this many was answered Good that often without
/// reaching the target, which FSRS does not allow, so the walk stops.
const MOST_REVIEWS: usize = 64;

impl Horizon {
    pub fn new(clock: DayClock, now: DateTime<Utc>, date: i64) -> Horizon {
        let today = clock.day(now);
        Horizon {
            clock,
            now,
            today,
            date,
            interview: clock.start(date),
            time_of_day: now - clock.start(today),
        }
    }

    /// When a review planned for `day` is assumed to happen.
    pub fn at(&self, day: i64) -> DateTime<Utc> {
        if day <= self.today {
            self.now
        } else {
            self.clock.start(day) + self.time_of_day
        }
    }

    /// Scheduler days left before the interview day: the review days the
    /// plan can still use (one more than the calendar says between
    /// midnight and the cutoff hour, whose session counts for yesterday).
    pub fn days_left(&self) -> i64 {
        self.date - self.today
    }

    /// Calendar days until the interview's date (0 on the date itself),
    /// what a person is told (as [`crate::schedule::day::calendar_days`]
    /// counts).
    pub fn calendar_days_left(&self) -> i64 {
        (date_of_day(self.date) - calendar_date(self.now, self.clock.zone())).num_days()
    }
}

/// What the plan asks of a reviewed card whose normal due day is on or
/// after the interview day: the day to review it early, or `None`.
///
/// A card whose predicted recall on the day is under `target` is brought
/// forward to the first day from which one review (answered Good) keeps it
/// above the target until the interview, with a margin: half the way from
/// the target to certainty. Reviews on later days would help too but are
/// not needed; reviews before that day would leave it under target on the
/// day. A card seen on one day only gets its second look on the last day
/// before the interview. Nothing else is pulled forward.
pub fn early_day(
    scheduler: &Scheduler,
    id: &str,
    state: &CardState,
    seen_on_two_days: bool,
    horizon: &Horizon,
    target: f32,
) -> Result<Option<i64>> {
    let clock = horizon.clock;
    if state.phase != Phase::Review || clock.day(state.due) < horizon.date {
        return Ok(None);
    }
    let last = horizon.date - 1;
    let earliest = horizon.today.max(clock.day(state.last_review) + 1);
    if earliest > last {
        return Ok(None);
    }
    if scheduler.retrievability(state, horizon.interview) >= target {
        return Ok((!seen_on_two_days).then_some(last));
    }
    let margin = target + (1.0 - target) / 2.0;
    let holds = |day: i64| -> Result<bool> {
        let after = scheduler.answer(id, Some(state), Grade::Good, horizon.at(day))?;
        Ok(scheduler.retrievability(&after.state, horizon.interview) >= margin)
    };
    // Recall on the day after a review grows with the review's day, so the
    // first day that holds is found by bisection.
    if !holds(last)? {
        return Ok(Some(last));
    }
    let (mut low, mut high) = (earliest, last);
    while low < high {
        let middle = low + (high - low) / 2;
        if holds(middle)? {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    Ok(Some(low))
}

/// A card's predicted recall on the interview day, following the plan
/// from `state` (or, for a new card, from its introduction on
/// `introduced_on`), with every review answered Good. Also whether it will
/// have been reviewed on two different days by then.
pub fn walk(
    scheduler: &Scheduler,
    id: &str,
    mut state: Option<CardState>,
    mut seen_on_two_days: bool,
    introduced_on: Option<i64>,
    horizon: &Horizon,
    target: f32,
) -> Result<(f32, bool)> {
    let clock = horizon.clock;
    let mut first_day = state.map(|state| clock.day(state.last_review));
    if state.is_none() {
        match introduced_on {
            Some(day) if day < horizon.date => {
                state = Some(
                    scheduler
                        .answer(id, None, Grade::Good, horizon.at(day))?
                        .state,
                );
                first_day = Some(day);
            }
            _ => return Ok((0.0, false)),
        }
    }
    for _ in 0..MOST_REVIEWS {
        let Some(current) = state else { break };
        let at = if current.phase != Phase::Review {
            // A learning step: answered when it is over.
            current.due.max(horizon.now)
        } else {
            let due_day = clock.day(current.due);
            let day = if due_day < horizon.date {
                Some(due_day.max(horizon.today))
            } else {
                early_day(scheduler, id, &current, seen_on_two_days, horizon, target)?
            };
            match day {
                Some(day) => horizon.at(day).max(current.last_review),
                None => break,
            }
        };
        if at >= horizon.interview {
            break;
        }
        state = Some(scheduler.answer(id, Some(&current), Grade::Good, at)?.state);
        if first_day.is_some_and(|first| clock.day(at) > first) {
            seen_on_two_days = true;
        }
    }
    let recall = state.map_or(0.0, |state| {
        scheduler.retrievability(&state, horizon.interview)
    });
    Ok((recall, seen_on_two_days))
}
