/*!
Interview plans (`prep plan`): a deck has a date, and the day's work is
worked out from it so that the deck is known on the day.

- New cards: the cards not yet seen are spread over the days up to the
  day before last, so that each can be reviewed again on a later day
  before the interview, at most [`InterviewPlan::max_new`] a day. The
  user's `new_per_day` is a floor: a planned deck introduces at least that
  many a day. When the date is too close for every card, the plan says how
  many can be introduced in time, and how many only seen once.
- Early reviews: see [`outlook::early_day`].
- The prediction: each card is walked to the interview day with every
  review answered Good ([`outlook::walk`]); the deck's predicted recall is
  the mean of the cards' recall on the day, cards never introduced
  counting as forgotten.

On the interview day and after it the plan asks for nothing: the deck is
scheduled as any other, from the memory states the reviews produced.
Nothing here reads the clock or the store; callers hand in the states.
*/

pub mod outlook;

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};

use crate::config::InterviewPlan;
use crate::decks::catalog::Catalog;
use crate::schedule::{CardState, Scheduler, Schedulers};
use crate::store::Store;
pub use outlook::Horizon;

/// Where a deck is relative to its interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The interview is on a later day: the plan sets the day's work.
    Ahead,
    /// The interview is today.
    Today,
    /// The interview is past; the plan does nothing until it is cleared or
    /// given a new date.
    Over,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Ahead => "ahead",
            Stage::Today => "today",
            Stage::Over => "over",
        }
    }
}

/// What the plan can reach with the cards not yet seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Introduced in time to be reviewed again on a later day.
    pub in_time: usize,
    /// Introduced only on the last day before the interview: seen once.
    pub once: usize,
    /// Not introduced at all: the daily maximum leaves no room.
    pub never: usize,
}

impl Reach {
    /// Whether every unseen card can be introduced in time.
    pub fn is_complete(&self) -> bool {
        self.once == 0 && self.never == 0
    }
}

/// A deck's plan as it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckPlan {
    pub deck: String,
    pub date: NaiveDate,
    pub target: f32,
    /// The most new cards the plan introduces a day: its maximum, or the
    /// configured `new_per_day` where that is higher.
    pub max_new_per_day: u32,
    pub stage: Stage,
    /// Days before the interview day (0 on the day, negative after).
    pub days_left: i64,
    pub cards: usize,
    /// Cards never reviewed.
    pub unseen: usize,
    /// The day's new-card limit for this deck, the ones already introduced
    /// today included.
    pub new_today: u32,
    /// What is left of it.
    pub new_left: u32,
    /// New cards of this deck introduced today.
    pub introduced_today: u32,
    /// Reviewed cards to review today although they are not due, in deck
    /// order.
    pub early_today: Vec<String>,
    /// The predicted share of the deck recalled on the day if the plan is
    /// followed (the share recalled now, on the day itself).
    pub predicted_recall: f32,
    pub reach: Reach,
    /// When the daily maximum leaves cards out: the maximum that would
    /// bring every card in with room for a second look, if any would.
    pub max_new_needed: Option<u32>,
}

/// What a plan is worked out from: the deck's cards and what the store
/// knows of them.
pub struct DeckCards<'a> {
    pub deck: &'a str,
    /// In deck order, with the stored state of each reviewed card.
    pub cards: Vec<(&'a str, Option<CardState>)>,
    /// When each reviewed card was first reviewed.
    pub first_reviews: &'a HashMap<String, DateTime<Utc>>,
    /// New cards of this deck introduced today.
    pub introduced_today: u32,
}

/// Works out a deck's plan at `horizon.now`. `new_per_day` is the
/// configured limit, the floor of the plan's.
pub fn work_out(
    plan: &InterviewPlan,
    input: &DeckCards,
    scheduler: &Scheduler,
    horizon: &Horizon,
    new_per_day: u32,
) -> Result<DeckPlan> {
    // The stage and the days shown are the calendar's: at 1:30 on the
    // interview's date the interview is today, though the review day is
    // still yesterday's. What can still be scheduled counts review days.
    let days_left = horizon.days_left();
    let calendar_days_left = horizon.calendar_days_left();
    let stage = match calendar_days_left {
        1.. => Stage::Ahead,
        0 => Stage::Today,
        _ => Stage::Over,
    };
    let unseen = input
        .cards
        .iter()
        .filter(|(_, state)| state.is_none())
        .count();
    let mut result = DeckPlan {
        deck: input.deck.to_string(),
        date: plan.date,
        target: plan.target,
        max_new_per_day: plan.max_new().max(new_per_day),
        stage,
        days_left: calendar_days_left,
        cards: input.cards.len(),
        unseen,
        new_today: 0,
        new_left: 0,
        introduced_today: input.introduced_today,
        early_today: Vec::new(),
        predicted_recall: 0.0,
        reach: Reach::default(),
        max_new_needed: None,
    };
    if stage != Stage::Ahead {
        let at = if stage == Stage::Today {
            horizon.now
        } else {
            horizon.interview
        };
        result.predicted_recall = mean(
            input
                .cards
                .iter()
                .map(|(_, state)| state.map_or(0.0, |state| scheduler.retrievability(&state, at))),
        );
        return Ok(result);
    }

    let introductions = introductions(plan, horizon, unseen, input.introduced_today, new_per_day);
    result.new_today = introductions.today_limit;
    result.new_left = introductions
        .today_limit
        .saturating_sub(input.introduced_today);
    let recalls = walk_cards(plan, input, scheduler, horizon, &introductions, &mut result)?;
    result.predicted_recall = mean(recalls.into_iter());
    // Every card in by the day before last needs the day's share of all
    // of them, on each of the days left before it.
    let intro_days = days_left - 1;
    if !result.reach.is_complete() && intro_days > 0 {
        let all = unseen as u64 + u64::from(input.introduced_today);
        result.max_new_needed = u32::try_from(all.div_ceil(intro_days as u64)).ok();
    }
    Ok(result)
}

/// Follows each card of the deck to the interview day as the plan would
/// have it: the recall of each on the day, in deck order. Notes the
/// reviewed cards to review early today and how far the introductions of
/// the unseen ones reach.
fn walk_cards(
    plan: &InterviewPlan,
    input: &DeckCards,
    scheduler: &Scheduler,
    horizon: &Horizon,
    introductions: &Introductions,
    result: &mut DeckPlan,
) -> Result<Vec<f32>> {
    let clock = horizon.clock;
    let seen_on_two_days = |id: &str, state: &CardState| {
        input
            .first_reviews
            .get(id)
            .is_some_and(|first| clock.day(*first) < clock.day(state.last_review))
    };
    let mut recalls = Vec::with_capacity(input.cards.len());
    let mut days = introductions.days.iter();
    for &(id, state) in &input.cards {
        match state {
            Some(state) => {
                let two_days = seen_on_two_days(id, &state);
                let early =
                    outlook::early_day(scheduler, id, &state, two_days, horizon, plan.target)?;
                if early == Some(horizon.today) {
                    result.early_today.push(id.to_string());
                }
                let (recall, _) = outlook::walk(
                    scheduler,
                    id,
                    Some(state),
                    two_days,
                    None,
                    horizon,
                    plan.target,
                )?;
                recalls.push(recall);
            }
            None => {
                let day = days.next().copied().flatten();
                match day {
                    Some(day) if day < horizon.date - 1 => result.reach.in_time += 1,
                    Some(_) => result.reach.once += 1,
                    None => result.reach.never += 1,
                }
                let (recall, _) =
                    outlook::walk(scheduler, id, None, false, day, horizon, plan.target)?;
                recalls.push(recall);
            }
        }
    }
    Ok(recalls)
}

/// The plans of the catalog's decks that have one, in catalog order.
/// `store` is `None` for a home with no review database (nothing seen).
pub fn deck_plans(
    catalog: &Catalog,
    store: Option<&Store>,
    schedulers: &mut Schedulers,
    now: DateTime<Utc>,
) -> Result<Vec<DeckPlan>> {
    let planned: Vec<_> = catalog
        .decks
        .iter()
        .filter_map(|loaded| {
            let plan = schedulers.config().plans.get(&loaded.name)?;
            Some((loaded, plan.clone()))
        })
        .collect();
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    let clock = schedulers.clock();
    let (states, first_reviews, introduced) = match store {
        Some(store) => (
            store.card_states()?,
            store.first_reviews()?,
            store.introduced_by_deck(clock.start(clock.day(now)))?,
        ),
        None => Default::default(),
    };
    let new_per_day = schedulers.config().new_per_day;
    let mut plans = Vec::with_capacity(planned.len());
    for (loaded, plan) in planned {
        let input = DeckCards {
            deck: &loaded.name,
            cards: loaded
                .deck
                .cards
                .iter()
                .map(|card| {
                    let state = states.get(&card.id).map(|stored| stored.state);
                    (card.id.as_str(), state)
                })
                .collect(),
            first_reviews: &first_reviews,
            introduced_today: introduced.get(&loaded.name).copied().unwrap_or(0),
        };
        let horizon = Horizon::new(clock, now, crate::schedule::day::day_of_date(plan.date));
        let scheduler = schedulers.for_deck(&loaded.name)?;
        plans.push(work_out(&plan, &input, scheduler, &horizon, new_per_day)?);
    }
    Ok(plans)
}

fn mean(values: impl Iterator<Item = f32>) -> f32 {
    let (sum, count) = values.fold((0.0f64, 0usize), |(sum, count), value| {
        (sum + f64::from(value), count + 1)
    });
    if count == 0 {
        0.0
    } else {
        (sum / count as f64) as f32
    }
}

/// When the unseen cards are introduced under the plan.
struct Introductions {
    /// Today's new-card limit, the cards introduced today included.
    today_limit: u32,
    /// For each unseen card in deck order, the day it is introduced, or
    /// `None` when the plan has no room for it.
    days: Vec<Option<i64>>,
}

/// Spreads the unseen cards over the days before the interview: each day
/// takes its share of what is left over the days that leave room for a
/// second look (all of it on the last day), at most the plan's maximum,
/// and at least the configured `new_per_day`.
fn introductions(
    plan: &InterviewPlan,
    horizon: &Horizon,
    unseen: usize,
    introduced_today: u32,
    new_per_day: u32,
) -> Introductions {
    let last = horizon.date - 1;
    let maximum = u64::from(plan.max_new());
    let limit = |day: i64, left: u64| -> u64 {
        let share = if day < last {
            left.div_ceil(u64::try_from(last - day).unwrap_or(1).max(1))
        } else {
            left
        };
        share.min(maximum).max(u64::from(new_per_day))
    };
    let mut days = Vec::with_capacity(unseen);
    let mut left = unseen as u64;
    let today_limit = limit(horizon.today, left + u64::from(introduced_today))
        .min(left + u64::from(introduced_today));
    let today = today_limit
        .saturating_sub(u64::from(introduced_today))
        .min(left);
    days.extend(std::iter::repeat_n(Some(horizon.today), today as usize));
    left -= today;
    for day in horizon.today + 1..=last {
        if left == 0 {
            break;
        }
        let count = limit(day, left).min(left);
        days.extend(std::iter::repeat_n(Some(day), count as usize));
        left -= count;
    }
    days.resize(unseen, None);
    Introductions {
        today_limit: u32::try_from(today_limit).unwrap_or(u32::MAX),
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::schedule::DayClock;
    use chrono::FixedOffset;

    fn horizon(days_left: i64) -> Horizon {
        let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .unwrap()
            .to_utc();
        Horizon::new(clock, now, clock.day(now) + days_left)
    }

    fn plan(max_new: u32) -> InterviewPlan {
        InterviewPlan {
            date: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            target: 0.9,
            max_new_per_day: Some(max_new),
        }
    }

    #[test]
    fn new_cards_are_spread_over_the_days_that_leave_room_for_a_second_look() {
        let horizon = horizon(10);
        let today = horizon.today;
        // 90 cards over the 9 days before the last: 10 a day.
        let spread = introductions(&plan(50), &horizon, 90, 0, 0);
        assert_eq!(spread.today_limit, 10);
        assert!(
            spread
                .days
                .iter()
                .all(|day| day.is_some_and(|day| day < today + 9))
        );
        // The configured limit is a floor.
        let spread = introductions(&plan(50), &horizon, 90, 0, 30);
        assert_eq!(spread.today_limit, 30);
        assert_eq!(spread.days[29], Some(today));
        // Cards introduced earlier today count against today's share.
        let spread = introductions(&plan(50), &horizon, 84, 6, 0);
        assert_eq!(spread.today_limit, 10);
        assert_eq!(
            spread
                .days
                .iter()
                .filter(|day| **day == Some(today))
                .count(),
            4
        );
        // Too many for the maximum: the last day takes what it can, the
        // rest are not introduced.
        let spread = introductions(&plan(5), &horizon, 60, 0, 0);
        assert_eq!(spread.days.iter().filter(|day| day.is_none()).count(), 10);
        assert_eq!(spread.days[49], Some(today + 9));
    }

    #[test]
    fn only_cards_under_target_on_the_day_are_brought_forward() {
        let horizon = horizon(10);
        let config = Config::default();
        let scheduler = Scheduler::for_deck(&config, "aws", horizon.clock).unwrap();
        let reviewed = |stability: f32, days_ago: i64, due_in: i64| CardState {
            phase: crate::schedule::Phase::Review,
            step: 0,
            stability,
            difficulty: 5.0,
            due: horizon.clock.start(horizon.today + due_in),
            last_review: horizon.now - chrono::Duration::days(days_ago),
            interval_days: 10,
            reps: 3,
            lapses: 0,
        };
        // Strong enough to be above target on the day: left alone.
        let strong = reviewed(300.0, 2, 40);
        assert_eq!(early_day_of(&scheduler, &strong, true, &horizon), None);
        // Seen on one day only: a second look on the last day before.
        assert_eq!(
            early_day_of(&scheduler, &strong, false, &horizon),
            Some(horizon.date - 1)
        );
        // Weak, and due after the interview: brought forward, to a day
        // from which one review holds it above target.
        let weak = reviewed(8.0, 4, 12);
        let day = early_day_of(&scheduler, &weak, true, &horizon).unwrap();
        assert!((horizon.today..horizon.date).contains(&day), "{day}");
        let after = scheduler
            .answer(
                "c",
                Some(&weak),
                crate::schedule::Grade::Good,
                horizon.at(day),
            )
            .unwrap();
        assert!(scheduler.retrievability(&after.state, horizon.interview) >= 0.9);
        // Due before the interview anyway: its normal review comes first.
        let due_soon = reviewed(8.0, 4, 3);
        assert_eq!(early_day_of(&scheduler, &due_soon, true, &horizon), None);
    }

    fn early_day_of(
        scheduler: &Scheduler,
        state: &CardState,
        two_days: bool,
        horizon: &Horizon,
    ) -> Option<i64> {
        outlook::early_day(scheduler, "c", state, two_days, horizon, 0.9).unwrap()
    }
}
