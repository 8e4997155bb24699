/*!
Scheduling: what a grade does to a card. FSRS (the `fsrs` crate, the code
Anki ships) computes memory states and intervals; this module adds what
Anki adds around it: learning and relearning steps before a card moves to
day intervals, Hard/Good/Easy intervals kept a day apart by Anki's rules,
interval fuzz, memory states kept at the precision Anki saves them with,
and a day that starts at a local cutoff hour.

A card's state is `None` until its first review; the store keeps one
[`CardState`] per reviewed card and the [`Transition`] of every review.
*/

pub mod day;
pub mod due;
pub mod fuzz;
pub mod optimize;
pub mod seed;
pub mod zone;

use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Duration, Utc};
use fsrs::{FSRS, MemoryState, NextStates};

use crate::config::Config;
pub use day::DayClock;
pub use due::{is_due, is_due_at};

/// How well a card was recalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// FSRS's rating, 1 to 4.
    pub fn rating(self) -> u32 {
        self as u32
    }

    pub fn from_rating(rating: i64) -> Option<Grade> {
        match rating {
            1 => Some(Grade::Again),
            2 => Some(Grade::Hard),
            3 => Some(Grade::Good),
            4 => Some(Grade::Easy),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Grade {
    type Err = anyhow::Error;

    /// Accepts `again|hard|good|easy` (any case) and `1`-`4`.
    fn from_str(text: &str) -> Result<Grade> {
        let text = text.trim();
        Grade::ALL
            .into_iter()
            .find(|grade| {
                text.eq_ignore_ascii_case(grade.as_str()) || text == grade.rating().to_string()
            })
            .ok_or_else(|| {
                anyhow!("{text:?} is not a grade; use again, hard, good or easy (or 1-4)")
            })
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Never reviewed.
    New,
    /// Going through the learning steps after its first review.
    Learning,
    /// On day intervals.
    Review,
    /// Forgotten, going through the relearning steps.
    Relearning,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    /// The code the store keeps.
    pub fn code(self) -> i64 {
        match self {
            Phase::New => 0,
            Phase::Learning => 1,
            Phase::Review => 2,
            Phase::Relearning => 3,
        }
    }

    pub fn from_code(code: i64) -> Option<Phase> {
        match code {
            0 => Some(Phase::New),
            1 => Some(Phase::Learning),
            2 => Some(Phase::Review),
            3 => Some(Phase::Relearning),
            _ => None,
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the scheduler knows about a card that has been reviewed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    /// Learning, Review or Relearning (never New).
    pub phase: Phase,
    /// The (re)learning step the card is on; 0 in review.
    pub step: u32,
    pub stability: f32,
    pub difficulty: f32,
    pub due: DateTime<Utc>,
    pub last_review: DateTime<Utc>,
    /// The interval in days the last review gave; 0 for a step.
    pub interval_days: u32,
    /// Reviews so far.
    pub reps: u32,
    /// Times the card was forgotten after it had graduated.
    pub lapses: u32,
}

impl CardState {
    pub fn memory(&self) -> MemoryState {
        MemoryState {
            stability: self.stability,
            difficulty: self.difficulty,
        }
    }
}

/// A memory state at the precision it is kept with: stability to 4
/// decimals and difficulty to 3, in `f32` as Anki rounds them when it
/// saves a card (rslib `storage/card/data.rs`). Anki's next review starts
/// from the saved values, so over a long history its intervals follow
/// the rounded state; every state a review makes passes through here,
/// so a grade, its preview, a replayed Anki log and the store hold the
/// same numbers, and the next review starts from what was saved.
pub fn stored_precision(memory: MemoryState) -> MemoryState {
    fn places(value: f32, places: i32) -> f32 {
        let factor = 10_f32.powi(places);
        (value * factor).round() / factor
    }
    MemoryState {
        stability: places(memory.stability, 4),
        difficulty: places(memory.difficulty, 3),
    }
}

/// One review's effect: the state after it and what FSRS was told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    pub grade: Grade,
    /// The phase the card was in when it was answered.
    pub phase_before: Phase,
    /// Scheduler days since the previous review (0 for the first and for
    /// same-day reviews).
    pub elapsed_days: u32,
    pub state: CardState,
}

/// The scheduler for one deck's settings.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    decay: f32,
    desired_retention: f32,
    maximum_interval: u32,
    learning_steps: Vec<u32>,
    relearning_steps: Vec<u32>,
    fuzz: bool,
    clock: DayClock,
}

impl Scheduler {
    /// The scheduler for `deck` under `config`, counting days in the time
    /// zone of `clock`.
    pub fn for_deck(config: &Config, deck: &str, clock: DayClock) -> Result<Scheduler> {
        let parameters = config.parameters_for(deck);
        let fsrs = FSRS::new(parameters)
            .map_err(|err| anyhow!("{err}"))
            .with_context(|| format!("the FSRS parameters for deck {deck} are not usable"))?;
        Ok(Scheduler {
            fsrs,
            decay: parameters
                .get(20)
                .copied()
                .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY),
            desired_retention: config.retention_for(deck),
            maximum_interval: config.maximum_interval,
            learning_steps: config.learning_steps.clone(),
            relearning_steps: config.relearning_steps.clone(),
            fuzz: config.fuzz,
            clock,
        })
    }

    pub fn clock(&self) -> DayClock {
        self.clock
    }

    pub fn desired_retention(&self) -> f32 {
        self.desired_retention
    }

    /// The outcome of each grade, in the order Again, Hard, Good, Easy:
    /// what the quiz shows on its buttons. Answering with a grade gives
    /// exactly its preview.
    pub fn preview(
        &self,
        card_id: &str,
        state: Option<&CardState>,
        now: DateTime<Utc>,
    ) -> Result<[Transition; 4]> {
        let elapsed_days = state.map_or(0, |state| self.clock.days_between(state.last_review, now));
        let next = self
            .fsrs
            .next_states(
                state.map(CardState::memory),
                self.desired_retention,
                elapsed_days,
            )
            .map_err(|err| anyhow!("FSRS cannot schedule card {card_id}: {err}"))?;
        let factor = self
            .fuzz
            .then(|| fuzz::factor(card_id, state.map_or(0, |state| state.reps)));
        let days = self.day_intervals(state, &next, factor);
        Ok(Grade::ALL
            .map(|grade| self.transition(state, grade, &next, days, factor, elapsed_days, now)))
    }

    /// The state after answering `grade`.
    pub fn answer(
        &self,
        card_id: &str,
        state: Option<&CardState>,
        grade: Grade,
        now: DateTime<Utc>,
    ) -> Result<Transition> {
        Ok(self.preview(card_id, state, now)?[grade as usize - 1])
    }

    /// The recall probability of a card at `at`, from its memory state.
    pub fn retrievability(&self, state: &CardState, at: DateTime<Utc>) -> f32 {
        self.recall(state.stability, state.last_review, at)
    }

    /// The recall probability at `at` of a card of this stability last
    /// reviewed at `last_review`. FSRS's forgetting curve depends on the
    /// stability alone (difficulty only shapes how a review changes it),
    /// so summaries need not read the difficulty.
    pub fn recall(&self, stability: f32, last_review: DateTime<Utc>, at: DateTime<Utc>) -> f32 {
        let days = day::fractional_days(last_review, at);
        let memory = MemoryState {
            stability,
            difficulty: 5.0,
        };
        fsrs::current_retrievability(memory, days, self.decay)
    }

    /// The day interval each grade, Again to Easy, gives where it gives
    /// one, by Anki's rules (rslib `scheduler/states/`).
    ///
    /// A card in review: Hard is at least the interval it was last given
    /// (a day more if FSRS's interval grew past it; no floor if FSRS's
    /// interval shrank out of its fuzz range), Good at least Hard + 1 and
    /// Easy at least Good + 1, each fuzzed within those floors; so the
    /// buttons never show the same interval. Again, which only reaches
    /// days without relearning steps, is FSRS's interval unfuzzed: Anki
    /// fuzzes a lapse's interval only where it leaves relearning.
    ///
    /// A card leaving (re)learning: each grade's own FSRS interval,
    /// rounded, then fuzzed, with Easy at least a day past Good. Hard is
    /// not a floor for Good here, since on a card with steps Hard is a
    /// step of minutes, not a day interval.
    fn day_intervals(
        &self,
        state: Option<&CardState>,
        next: &NextStates,
        factor: Option<f32>,
    ) -> [u32; 4] {
        let maximum = self.maximum_interval;
        let fuzzed =
            |interval: f32, minimum: u32| fuzz::review_interval(interval, minimum, maximum, factor);
        match state {
            Some(state) if state.phase == Phase::Review => {
                let previous = state.interval_days;
                let floor =
                    |interval: f32| fuzz::previous_interval_floor(interval, previous, maximum);
                let again = fuzz::review_interval(next.again.interval, 1, maximum, None);
                let hard = fuzzed(next.hard.interval, floor(next.hard.interval).max(1));
                let good = fuzzed(next.good.interval, floor(next.good.interval).max(hard + 1));
                let easy = fuzzed(next.easy.interval, floor(next.easy.interval).max(good + 1));
                [again, hard, good, easy]
            }
            _ => {
                let own = |interval: f32| fuzzed(interval.round().max(1.0), 1);
                let good_floor = fuzzed(next.good.interval, 1) + 1;
                [
                    own(next.again.interval),
                    own(next.hard.interval),
                    own(next.good.interval),
                    fuzzed(next.easy.interval.round().max(1.0), good_floor),
                ]
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn transition(
        &self,
        state: Option<&CardState>,
        grade: Grade,
        next: &NextStates,
        days: [u32; 4],
        factor: Option<f32>,
        elapsed_days: u32,
        now: DateTime<Utc>,
    ) -> Transition {
        let memory = stored_precision(match grade {
            Grade::Again => next.again.memory,
            Grade::Hard => next.hard.memory,
            Grade::Good => next.good.memory,
            Grade::Easy => next.easy.memory,
        });
        let phase_before = state.map_or(Phase::New, |state| state.phase);
        let step_before = state.map_or(0, |state| state.step);
        let mut lapses = state.map_or(0, |state| state.lapses);

        // Where the card goes: a step (seconds from now) or a day interval.
        enum Next {
            Step(u32, u32),
            Days(u32),
        }
        let graduate = |grade: Grade| Next::Days(days[grade as usize - 1]);
        let stepped = |steps: &[u32], step: u32| -> Next {
            // Anki's learning steps: Again starts over, Hard repeats the
            // step (the first one with the mean of the first two), Good
            // moves on or graduates, Easy graduates.
            let index = step as usize;
            match grade {
                Grade::Again => Next::Step(0, steps[0]),
                Grade::Hard => {
                    let current = steps[index.min(steps.len() - 1)];
                    let delay = if index == 0 {
                        match steps.get(1) {
                            Some(&second) => (current + second) / 2,
                            None => (current.saturating_mul(3) / 2).min(current + 86_400),
                        }
                    } else {
                        current
                    };
                    Next::Step(step, delay)
                }
                Grade::Good if index + 1 < steps.len() => Next::Step(step + 1, steps[index + 1]),
                Grade::Good | Grade::Easy => graduate(grade),
            }
        };
        let (phase, next) = match phase_before {
            Phase::New | Phase::Learning if !self.learning_steps.is_empty() => {
                let step = if phase_before == Phase::New {
                    0
                } else {
                    step_before
                };
                (Phase::Learning, stepped(&self.learning_steps, step))
            }
            Phase::Relearning if !self.relearning_steps.is_empty() => (
                Phase::Relearning,
                stepped(&self.relearning_steps, step_before),
            ),
            Phase::Review if grade == Grade::Again => {
                lapses += 1;
                match self.relearning_steps.first() {
                    Some(&delay) => (Phase::Relearning, Next::Step(0, delay)),
                    None => (Phase::Review, graduate(Grade::Again)),
                }
            }
            // Review passes, and learning or relearning without steps
            // (steps may have been removed from the config meanwhile).
            _ => (Phase::Review, graduate(grade)),
        };
        let (phase, step, due, interval_days) = match next {
            Next::Step(step, seconds) => {
                let seconds = fuzz::learning_delay(seconds, factor);
                (phase, step, now + Duration::seconds(i64::from(seconds)), 0)
            }
            Next::Days(days) => (Phase::Review, 0, self.clock.start_after(now, days), days),
        };
        Transition {
            grade,
            phase_before,
            elapsed_days,
            state: CardState {
                phase,
                step,
                stability: memory.stability,
                difficulty: memory.difficulty,
                due,
                last_review: now,
                interval_days,
                reps: state.map_or(0, |state| state.reps) + 1,
                lapses,
            },
        }
    }
}

/// The schedulers of every deck under one config and clock, built on first
/// use (decks may override parameters and retention).
#[derive(Debug)]
pub struct Schedulers {
    config: Config,
    clock: DayClock,
    by_deck: std::collections::HashMap<String, Scheduler>,
}

impl Schedulers {
    pub fn new(config: Config, clock: DayClock) -> Schedulers {
        Schedulers {
            config,
            clock,
            by_deck: std::collections::HashMap::new(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> DayClock {
        self.clock
    }

    pub fn for_deck(&mut self, deck: &str) -> Result<&Scheduler> {
        if !self.by_deck.contains_key(deck) {
            let scheduler = Scheduler::for_deck(&self.config, deck, self.clock)?;
            self.by_deck.insert(deck.to_string(), scheduler);
        }
        Ok(&self.by_deck[deck])
    }
}

/// When a reviewed card can next be shown: when it is due, or when its
/// skip ends if that is later. The one definition of "what comes next"
/// that `prep stats`, `prep cards` and the quiz's summary share.
pub fn next_shown(due: DateTime<Utc>, skip_end: Option<DateTime<Utc>>) -> DateTime<Utc> {
    skip_end.map_or(due, |end| end.max(due))
}

#[cfg(test)]
mod tests;
