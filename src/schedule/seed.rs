//! A card's state from a schedule kept without its reviews: an SM-2
//! interval and ease, as org-drill keeps them. FSRS approximates the
//! memory state such a schedule implies (`memory_state_from_sm2`, what
//! Anki uses for a card with an SM-2 schedule and an incomplete review
//! log), and the card is in review, due when its interval ends.

use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};

use super::{CardState, Grade, Phase, Scheduler, Transition, stored_precision};

/// The retention an SM-2 schedule is taken to have kept: Anki's default
/// "historical retention" for the same approximation.
const SM2_RETENTION: f32 = 0.9;

/// The lowest and highest ease SM-2 gives (Anki's bounds).
const EASE_RANGE: (f32, f32) = (1.3, 5.0);

/// What a schedule without reviews says of a card's last review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sm2Schedule {
    pub last_review: DateTime<Utc>,
    /// The interval the last review gave, in days.
    pub interval_days: f32,
    pub ease: f32,
    /// The last review's grade.
    pub grade: Grade,
    /// Reviews so far, the last included.
    pub reps: u32,
    pub lapses: u32,
}

impl Scheduler {
    /// The last review of `schedule` as a transition: the state it left
    /// the card in, from its interval and ease.
    pub fn from_sm2(&self, card_id: &str, schedule: &Sm2Schedule) -> Result<Transition> {
        let days = (schedule.interval_days.round() as u32).clamp(1, self.maximum_interval.max(1));
        let ease = schedule.ease.clamp(EASE_RANGE.0, EASE_RANGE.1);
        let memory = self
            .fsrs
            .memory_state_from_sm2(ease, days as f32, SM2_RETENTION)
            .map_err(|err| anyhow!("FSRS cannot seed card {card_id} from its schedule: {err}"))?;
        let memory = stored_precision(memory);
        Ok(Transition {
            grade: schedule.grade,
            phase_before: if schedule.reps > 1 {
                Phase::Review
            } else {
                Phase::New
            },
            elapsed_days: 0,
            state: CardState {
                phase: Phase::Review,
                step: 0,
                stability: memory.stability,
                difficulty: memory.difficulty,
                due: self.clock.start_after(schedule.last_review, days),
                last_review: schedule.last_review,
                interval_days: days,
                reps: schedule.reps.max(1),
                lapses: schedule.lapses,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::config::Config;
    use crate::schedule::day::DayClock;

    fn scheduler() -> Scheduler {
        let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
        Scheduler::for_deck(&Config::default(), "d", clock).unwrap()
    }

    #[test]
    fn an_sm2_schedule_gives_a_card_in_review_due_when_its_interval_ends() {
        let last_review = Utc.with_ymd_and_hms(2026, 11, 30, 9, 12, 0).unwrap();
        let schedule = Sm2Schedule {
            last_review,
            interval_days: 4.4,
            ease: 2.5,
            grade: Grade::Good,
            reps: 3,
            lapses: 1,
        };
        let transition = scheduler().from_sm2("c1", &schedule).unwrap();
        let state = transition.state;
        assert_eq!(state.phase, Phase::Review);
        assert_eq!(state.interval_days, 4);
        assert_eq!(
            state.due,
            Utc.with_ymd_and_hms(2026, 12, 4, 4, 0, 0).unwrap()
        );
        assert_eq!((state.reps, state.lapses), (3, 1));
        assert_eq!(transition.phase_before, Phase::Review);
        // Pinned: the stability FSRS gives a 4-day SM-2 interval at 90%
        // retention is the interval itself.
        assert!((state.stability - 4.0).abs() < 0.01, "{}", state.stability);
        assert!((1.0..=10.0).contains(&state.difficulty));
        // A lower ease is a harder card.
        let hard = scheduler()
            .from_sm2(
                "c1",
                &Sm2Schedule {
                    ease: 1.3,
                    ..schedule
                },
            )
            .unwrap();
        assert!(hard.state.difficulty > state.difficulty);
    }
}
