/*!
Scheduling: what a grade does to a card. FSRS (the `fsrs` crate, the code
Anki ships) computes memory states and intervals; this module adds what
Anki adds around it: learning and relearning steps before a card moves to
day intervals, Hard/Good/Easy intervals kept in order, interval fuzz,
and a day that starts at a local cutoff hour.

A card's state is `None` until its first review; the store keeps one
[`CardState`] per reviewed card and the [`Transition`] of every review.
*/

pub mod day;
pub mod fuzz;
pub mod optimize;

use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Duration, Utc};
use fsrs::{FSRS, MemoryState, NextStates};

use crate::config::Config;
pub use day::DayClock;

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
        let review_days = self.review_intervals(&next, factor);
        Ok(Grade::ALL.map(|grade| {
            self.transition(state, grade, &next, review_days, factor, elapsed_days, now)
        }))
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

    /// Day intervals for Hard, Good and Easy, never out of order and all
    /// within the maximum. Unlike Anki, prep does not force each a day past
    /// the one before: where FSRS's stabilities round to the same day (short
    /// intervals, same-day reviews) the same interval is what the model
    /// says, and it keeps prep's intervals identical to FSRS's own.
    fn review_intervals(&self, next: &NextStates, factor: Option<f32>) -> [u32; 3] {
        let maximum = self.maximum_interval;
        let hard = fuzz::review_interval(next.hard.interval, 1, maximum, factor);
        let good = fuzz::review_interval(next.good.interval, hard, maximum, factor);
        let easy = fuzz::review_interval(next.easy.interval, good, maximum, factor);
        [hard, good, easy]
    }

    #[allow(clippy::too_many_arguments)]
    fn transition(
        &self,
        state: Option<&CardState>,
        grade: Grade,
        next: &NextStates,
        review_days: [u32; 3],
        factor: Option<f32>,
        elapsed_days: u32,
        now: DateTime<Utc>,
    ) -> Transition {
        let memory = match grade {
            Grade::Again => next.again.memory,
            Grade::Hard => next.hard.memory,
            Grade::Good => next.good.memory,
            Grade::Easy => next.easy.memory,
        };
        let phase_before = state.map_or(Phase::New, |state| state.phase);
        let step_before = state.map_or(0, |state| state.step);
        let mut lapses = state.map_or(0, |state| state.lapses);

        // Where the card goes: a step (seconds from now) or a day interval.
        enum Next {
            Step(u32, u32),
            Days(u32),
        }
        let graduate = |grade: Grade| match grade {
            Grade::Again => Next::Days(fuzz::review_interval(
                next.again.interval,
                1,
                self.maximum_interval,
                factor,
            )),
            Grade::Hard => Next::Days(review_days[0]),
            Grade::Good => Next::Days(review_days[1]),
            Grade::Easy => Next::Days(review_days[2]),
        };
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
    /// The schedulers of a home: its config, and days counted in the
    /// offset of the current time from the config's cutoff hour. Every
    /// command and the quiz build them here, so they all count days alike.
    pub fn for_home(settings: &crate::Settings) -> anyhow::Result<Schedulers> {
        let config = Config::load(&settings.home)?;
        let clock = DayClock::new(*settings.now.offset(), config.day_starts_at);
        Ok(Schedulers::new(config, clock))
    }

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

#[cfg(test)]
mod tests;
