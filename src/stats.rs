/*!
Where a learner stands: the figures `prep stats` shows, computed from the
decks and the store, with no formatting. Per deck and in total: cards by
phase, what is due now, tomorrow and this week, today's reviews and time,
true retention over the last 30 days next to the desired one, and the
average recall probability now; for the chosen decks together: the streak,
a forecast of due cards per day, reviews per day over the last year and the
hardest cards.

The store is read once, into a [`History`]: every card's state, the
burials, and the review log summed per day and deck, which the store keeps
([`Store::activity`]), so a million reviews cost a few thousand rows. The
history can be read on one thread while the decks load on others.
*/

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::decks::catalog::Catalog;
use crate::schedule::is_due_at;
use crate::schedule::{DayClock, Phase, Scheduler, Schedulers};

/// The days a card's due time is counted in, from today to the end of
/// the forecast (and of the week), by the instants they begin: each
/// card's day found by comparing instants rather than by converting its
/// due time into the time zone (a thousand instructions a card, a third
/// of the figures' time at a million cards). A scheduler day only ever
/// moves forward, so a time's day is the last one begun by then.
#[derive(Debug)]
struct Window {
    /// `starts[k]` is when day `today + k` begins.
    starts: Vec<DateTime<Utc>>,
}

/// Where a time falls in the [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InWindow {
    /// Before today.
    Before,
    /// On day `today + k`.
    Day(i64),
    /// After the window's last day.
    After,
}

impl Window {
    /// Today and the `days` days after it, when the clock's days begin
    /// where it says they do (so that a comparison gives the day the
    /// clock would); `None` otherwise.
    fn new(clock: DayClock, now: DateTime<Utc>, days: u32) -> Option<Window> {
        let today = clock.day(now);
        let starts: Vec<DateTime<Utc>> = (0..=i64::from(days) + 1)
            .map(|k| clock.start(today + k))
            .collect();
        let exact = starts.iter().enumerate().all(|(k, &start)| {
            let day = today + k as i64;
            start > DateTime::<Utc>::MIN_UTC
                && start < DateTime::<Utc>::MAX_UTC
                && clock.day(start) == day
                && clock.day(start - chrono::Duration::milliseconds(1)) == day - 1
        }) && starts.is_sorted();
        exact.then_some(Window { starts })
    }

    fn place(&self, at: DateTime<Utc>) -> InWindow {
        match self.starts.partition_point(|start| *start <= at) {
            0 => InWindow::Before,
            begun if begun == self.starts.len() => InWindow::After,
            begun => InWindow::Day(begun as i64 - 1),
        }
    }
}
use crate::store::{Activity, CardSummary, Flags, Store};

/// Days of review history the retention figure covers.
pub const RETENTION_DAYS: i64 = 30;
/// Days the heatmap covers, today included.
pub const HEATMAP_DAYS: i64 = 365;
/// How many of the hardest cards are listed.
pub const HARDEST: usize = 5;

/// One deck's figures (or the total's).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeckStats {
    pub deck: String,
    pub cards: u32,
    pub new: u32,
    /// Learning and relearning.
    pub learning: u32,
    pub review: u32,
    /// Skipped in a quiz until a later day, new cards too.
    pub buried: u32,
    /// Put aside until unsuspended (by hand or as leeches).
    pub suspended: u32,
    /// Forgotten `leech_threshold` times or more.
    pub leeches: u32,
    /// Cards with history that no deck holds any more (kept, and resumed
    /// if the card comes back).
    pub orphaned: u32,
    pub due_now: u32,
    /// Due on the next day (not counting those due now).
    pub due_tomorrow: u32,
    /// Due within the next 7 days after today (not counting those due now).
    pub due_week: u32,
    pub reviewed_today: u32,
    pub time_today_ms: u64,
    /// Reviews of cards in review over the last 30 days...
    pub mature_reviews_30d: u32,
    /// ...and the share of them graded Hard or better; `None` without any.
    pub true_retention_30d: Option<f64>,
    pub desired_retention: f64,
    /// Mean recall probability of the reviewed cards now; `None` without
    /// any.
    pub average_retrievability: Option<f64>,
}

/// Days in a row with at least one review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Up to today, or up to yesterday while today has no review yet.
    pub current: u32,
    pub longest: u32,
}

/// One day of the forecast or the heatmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// The local date of the scheduler day.
    pub date: NaiveDate,
    pub count: u32,
}

/// A card that gives trouble.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardCard {
    pub id: String,
    pub deck: String,
    /// `forward`, `reversed` or `cloze`, as `prep cards --json` says it.
    pub side: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloze: Option<u32>,
    pub question: String,
    pub lapses: u32,
    pub retrievability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub now: DateTime<Utc>,
    pub decks: Vec<DeckStats>,
    pub total: DeckStats,
    pub streak: Streak,
    /// Cards due on each of the next days, today (with the overdue) first.
    pub forecast: Vec<DayCount>,
    /// Reviews on each of the last 365 days, oldest first, today last.
    pub heatmap: Vec<DayCount>,
    pub hardest: Vec<HardCard>,
    /// Every leech of the chosen decks, most lapses first.
    pub leeches: Vec<LeechCard>,
}

/// A card forgotten `leech_threshold` times or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeechCard {
    pub id: String,
    pub deck: String,
    pub question: String,
    pub lapses: u32,
    pub suspended: bool,
}

/// What the store holds for statistics, read in one go.
#[derive(Debug, Default)]
pub struct History {
    /// Every reviewed card's id, one after the other: one string rather
    /// than a million.
    ids: String,
    /// Every reviewed card: where its id ends in `ids`, and its summary.
    cards: Vec<(usize, CardSummary)>,
    flags: Flags,
    activity: Option<Vec<Activity>>,
}

impl History {
    /// Reads the store without writing to it: the review log's daily
    /// totals are left out when the store has not counted them with this
    /// clock, and [`History::count_activity`] then asks for them. The
    /// decks cards were reviewed in are not read: the decks that hold
    /// them say where they belong, and `compute` asks the store for the
    /// others.
    pub fn read(store: &Store, schedulers: &Schedulers) -> Result<History> {
        let count = store.card_count()?;
        let mut ids = String::with_capacity(count * 16);
        let mut cards = Vec::with_capacity(count);
        store.for_each_summary_by_id(|id, summary| {
            ids.push_str(id);
            cards.push((ids.len(), summary));
        })?;
        Ok(History {
            ids,
            cards,
            flags: store.flags()?,
            activity: store.kept_activity(schedulers.clock())?,
        })
    }

    /// Fills in the daily totals, counting them in the store if
    /// [`History::read`] found none kept for this clock.
    pub fn count_activity(&mut self, store: &Store, schedulers: &Schedulers) -> Result<()> {
        if self.activity.is_none() {
            self.activity = Some(store.activity(schedulers.clock())?);
        }
        Ok(())
    }

    /// Every reviewed card's id and summary.
    fn cards(&self) -> impl Iterator<Item = (&str, &CardSummary)> {
        let mut start = 0;
        self.cards.iter().map(move |(end, summary)| {
            let id = &self.ids[start..*end];
            start = *end;
            (id, summary)
        })
    }
}

/// Where a card no deck holds was last reviewed: asked of the store for
/// each such card (few), when `prep stats` counts it with that deck.
pub type OrphanDeck<'a> = &'a dyn Fn(&str) -> Result<Option<String>>;

/// Computes the figures of the decks in `catalog` at `now` from `history`
/// (none: nothing reviewed yet), with a forecast of `forecast_days` days.
pub fn compute(
    catalog: &Catalog,
    history: Option<(&History, OrphanDeck)>,
    schedulers: &mut Schedulers,
    now: DateTime<Utc>,
    forecast_days: u32,
) -> Result<Stats> {
    let today = schedulers.clock().day(now);
    let mut tally = Tally::new(catalog, schedulers, now, forecast_days)?;
    if let Some((history, orphan_deck)) = history {
        tally.count_flagged(&history.flags);
        for (id, card) in history.cards() {
            tally.add_card(history, orphan_deck, id, card)?;
        }
        tally.add_activity(history.activity.iter().flatten());
    }
    let Tally {
        mut decks,
        forecast,
        recall_sums,
        passed,
        hardest,
        mut leeches,
        per_day,
        ..
    } = tally;
    let total = sum_decks(
        &mut decks,
        &passed,
        &recall_sums,
        schedulers.config().desired_retention,
    );

    let date = crate::schedule::day::date_of_day;
    Ok(Stats {
        now,
        decks: {
            decks.sort_by(|a, b| a.deck.cmp(&b.deck));
            decks
        },
        total,
        streak: streak(&per_day, today),
        forecast: forecast
            .into_iter()
            .enumerate()
            .map(|(offset, count)| DayCount {
                date: date(today + offset as i64),
                count,
            })
            .collect(),
        heatmap: (today - HEATMAP_DAYS + 1..=today)
            .map(|day| DayCount {
                date: date(day),
                count: per_day.get(&day).copied().unwrap_or(0),
            })
            .collect(),
        hardest,
        leeches: {
            leeches.sort_by(|a, b| b.lapses.cmp(&a.lapses).then_with(|| a.id.cmp(&b.id)));
            leeches
        },
    })
}

/// Each deck's figures before any history (every card new), in catalog
/// order, with the deck's scheduler.
fn deck_tallies(
    catalog: &Catalog,
    schedulers: &mut Schedulers,
) -> Result<(Vec<DeckStats>, Vec<Scheduler>)> {
    let mut tallies = Vec::with_capacity(catalog.decks.len());
    let mut deck_schedulers = Vec::with_capacity(catalog.decks.len());
    for loaded in &catalog.decks {
        let scheduler = schedulers.for_deck(&loaded.name)?;
        tallies.push(DeckStats {
            deck: loaded.name.clone(),
            cards: loaded.cards().len() as u32,
            new: loaded.cards().len() as u32,
            desired_retention: crate::format::as_written(scheduler.desired_retention()),
            ..DeckStats::default()
        });
        deck_schedulers.push(scheduler.clone());
    }
    Ok((tallies, deck_schedulers))
}

/// The figures as the history is counted. Decks go by their index in the
/// catalog, so that the per-card loop finds its deck without a name.
struct Tally<'a> {
    catalog: &'a Catalog,
    now: DateTime<Utc>,
    today: i64,
    clock: DayClock,
    /// The days counted in by comparison, when the clock allows.
    window: Option<Window>,
    config: Config,
    deck_schedulers: Vec<Scheduler>,
    by_name: HashMap<&'a str, usize>,
    decks: Vec<DeckStats>,
    forecast: Vec<u32>,
    /// Per deck: the sum and the count of the reviewed cards' recall now.
    recall_sums: Vec<(f64, u32)>,
    /// Per deck: the reviews of cards in review over the last 30 days
    /// graded Hard or better.
    passed: Vec<u32>,
    hardest: Vec<HardCard>,
    leeches: Vec<LeechCard>,
    per_day: BTreeMap<i64, u32>,
}

impl<'a> Tally<'a> {
    /// The figures before any history: every card new.
    fn new(
        catalog: &'a Catalog,
        schedulers: &mut Schedulers,
        now: DateTime<Utc>,
        forecast_days: u32,
    ) -> Result<Tally<'a>> {
        let clock = schedulers.clock();
        let today = clock.day(now);
        let (decks, deck_schedulers) = deck_tallies(catalog, schedulers)?;
        Ok(Tally {
            catalog,
            now,
            today,
            clock,
            window: Window::new(clock, now, forecast_days.max(7)),
            config: schedulers.config().clone(),
            deck_schedulers,
            by_name: catalog
                .decks
                .iter()
                .enumerate()
                .map(|(index, loaded)| (loaded.name.as_str(), index))
                .collect(),
            decks,
            forecast: vec![0u32; forecast_days as usize],
            recall_sums: vec![(0.0, 0u32); catalog.decks.len()],
            passed: vec![0u32; catalog.decks.len()],
            hardest: Vec::new(),
            leeches: Vec::new(),
            per_day: BTreeMap::new(),
        })
    }

    /// Suspended and skipped cards, new ones among them, are few: each is
    /// counted once here, rather than looked up for every card.
    fn count_flagged(&mut self, flags: &Flags) {
        for id in flags.suspended.keys() {
            if let Some((index, _)) = self.catalog.locate(id) {
                self.decks[index].suspended += 1;
            }
        }
        for id in flags.buried.keys() {
            if flags.buried_until(id, self.now).is_some()
                && let Some((index, _)) = self.catalog.locate(id)
            {
                self.decks[index].buried += 1;
            }
        }
    }

    /// One reviewed card: its phase, whether a leech, when due, its recall
    /// and whether it is among the hardest.
    fn add_card(
        &mut self,
        history: &History,
        orphan_deck: OrphanDeck,
        id: &str,
        card: &CardSummary,
    ) -> Result<()> {
        let Some((index, found)) = self.catalog.locate(id) else {
            // History of a card no deck holds: counted where it was
            // reviewed, when that deck is shown.
            if let Some(deck) = orphan_deck(id)?
                && let Some(&index) = self.by_name.get(deck.as_str())
            {
                self.decks[index].orphaned += 1;
            }
            return Ok(());
        };
        let deck = &mut self.decks[index];
        deck.new -= 1;
        match card.phase {
            Phase::Review => deck.review += 1,
            _ => deck.learning += 1,
        }
        let flags = &history.flags;
        let is_suspended = flags.is_suspended(id);
        if self.config.is_leech(card.lapses) {
            deck.leeches += 1;
            self.leeches.push(LeechCard {
                id: id.to_string(),
                deck: deck.deck.clone(),
                question: found.question.clone(),
                lapses: card.lapses,
                suspended: is_suspended,
            });
        }
        if is_suspended {
            // Put aside: it comes in no forecast and no session.
            return Ok(());
        }
        self.count_due(index, card, flags.buried_until(id, self.now));
        let scheduler = &self.deck_schedulers[index];
        let recall = f64::from(scheduler.recall(card.stability, card.last_review, self.now));
        self.recall_sums[index].0 += recall;
        self.recall_sums[index].1 += 1;
        // Worth drilling: a card that lapsed, or that is now below the
        // recall the scheduler aims for.
        if card.lapses > 0 || recall < f64::from(scheduler.desired_retention()) {
            self.consider_hardest(index, id, &found.question, card.lapses, recall);
        }
        Ok(())
    }

    /// Counts a card in the deck's due figures and the forecast. A skipped
    /// card comes back when its skip ends, if it is due by then.
    fn count_due(&mut self, index: usize, card: &CardSummary, buried_until: Option<DateTime<Utc>>) {
        let today = self.today;
        let due = crate::schedule::next_shown(card.due, buried_until);
        // The due day as an offset from today (none before it), and
        // whether the card is due now; by the window when there is one.
        let (offset, due_now) = match &self.window {
            Some(window) => {
                let offset = match window.place(due) {
                    InWindow::Before => Some(0),
                    InWindow::Day(k) => Some(k),
                    InWindow::After => None,
                };
                let due_now = buried_until.is_none()
                    && match card.phase {
                        // Due on its day: today or before.
                        Phase::Review => card.due < window.starts[1],
                        _ => card.due <= self.now,
                    };
                (offset, due_now)
            }
            None => (
                Some((self.clock.day(due) - today).max(0)),
                buried_until.is_none() && is_due_at(card.phase, card.due, self.now, self.clock),
            ),
        };
        let deck = &mut self.decks[index];
        if due_now {
            deck.due_now += 1;
        } else if let Some(offset) = offset {
            // The offset is 0 for any day up to today, so it tells the
            // next days apart exactly.
            if offset == 1 {
                deck.due_tomorrow += 1;
            }
            if (1..=7).contains(&offset) {
                deck.due_week += 1;
            }
        }
        if let Some(slot) = offset
            .and_then(|offset| usize::try_from(offset).ok())
            .and_then(|offset| self.forecast.get_mut(offset))
        {
            *slot += 1;
        }
    }

    /// Puts a card worth drilling on the hardest list if it is harder than
    /// the last there. Only a card that makes the list costs its strings.
    fn consider_hardest(
        &mut self,
        index: usize,
        id: &str,
        question: &str,
        lapses: u32,
        recall: f64,
    ) {
        let hardest = &mut self.hardest;
        let makes_the_list = hardest.len() < HARDEST
            || hardest
                .last()
                .is_some_and(|last| hardness_order((lapses, recall, id), key(last)).is_lt());
        if !makes_the_list {
            return;
        }
        let side = self
            .catalog
            .get(id)
            .map(|found| found.side)
            .unwrap_or_default();
        hardest.push(HardCard {
            id: id.to_string(),
            deck: self.decks[index].deck.clone(),
            side: side.kind(),
            cloze: side.cloze(),
            question: question.to_string(),
            lapses,
            retrievability: recall,
        });
        sort_hardest(hardest);
        hardest.truncate(HARDEST);
    }

    /// The review log: today's work, retention, streaks and the heatmap.
    fn add_activity<'b>(&mut self, days: impl Iterator<Item = &'b Activity>) {
        let today = self.today;
        for day in days {
            let Some(&index) = self.by_name.get(day.deck.as_str()) else {
                continue;
            };
            let deck = &mut self.decks[index];
            *self.per_day.entry(day.day).or_default() += day.reviews;
            if day.day == today {
                deck.reviewed_today += day.reviews;
                deck.time_today_ms += day.answer_ms;
            }
            if day.day > today - RETENTION_DAYS && day.day <= today {
                deck.mature_reviews_30d += day.mature_reviews;
                self.passed[index] += day.mature_passed;
            }
        }
    }
}

/// Fills in each deck's retention and average recall, and sums the decks
/// into the total.
fn sum_decks(
    decks: &mut [DeckStats],
    passed: &[u32],
    recall_sums: &[(f64, u32)],
    desired_retention: f32,
) -> DeckStats {
    let mut total = DeckStats {
        deck: "total".to_string(),
        desired_retention: crate::format::as_written(desired_retention),
        ..DeckStats::default()
    };
    let mut passed_total = 0;
    let mut recall_total = (0.0, 0u32);
    for (index, deck) in decks.iter_mut().enumerate() {
        passed_total += passed[index];
        deck.true_retention_30d = share(passed[index], deck.mature_reviews_30d);
        let (sum, count) = recall_sums[index];
        if count > 0 {
            deck.average_retrievability = Some(sum / f64::from(count));
            recall_total.0 += sum;
            recall_total.1 += count;
        }
        for (into, from) in [
            (&mut total.cards, deck.cards),
            (&mut total.new, deck.new),
            (&mut total.learning, deck.learning),
            (&mut total.review, deck.review),
            (&mut total.buried, deck.buried),
            (&mut total.suspended, deck.suspended),
            (&mut total.leeches, deck.leeches),
            (&mut total.orphaned, deck.orphaned),
            (&mut total.due_now, deck.due_now),
            (&mut total.due_tomorrow, deck.due_tomorrow),
            (&mut total.due_week, deck.due_week),
            (&mut total.reviewed_today, deck.reviewed_today),
            (&mut total.mature_reviews_30d, deck.mature_reviews_30d),
        ] {
            *into += from;
        }
        total.time_today_ms += deck.time_today_ms;
    }
    total.true_retention_30d = share(passed_total, total.mature_reviews_30d);
    total.average_retrievability =
        (recall_total.1 > 0).then(|| recall_total.0 / f64::from(recall_total.1));
    total
}

/// `part / whole`, or `None` when there is no whole.
fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// Most lapses first, then lowest recall, then id (so ties are stable).
fn sort_hardest(cards: &mut [HardCard]) {
    cards.sort_by(|a, b| hardness_order(key(a), key(b)));
}

fn key(card: &HardCard) -> (u32, f64, &str) {
    (card.lapses, card.retrievability, &card.id)
}

/// The order of the hardest list on (lapses, recall, id).
fn hardness_order(a: (u32, f64, &str), b: (u32, f64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then(a.1.total_cmp(&b.1))
        .then_with(|| a.2.cmp(b.2))
}

/// The current and the longest run of days with reviews.
fn streak(per_day: &BTreeMap<i64, u32>, today: i64) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous = None;
    for (&day, &count) in per_day {
        if count == 0 {
            continue;
        }
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    // The run that ends today, or yesterday while today is still open.
    let current = match previous {
        Some(last) if last == today || last == today - 1 => run,
        _ => 0,
    };
    Streak { current, longest }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::zone::Zone;

    #[test]
    fn the_window_places_times_on_the_days_the_clock_gives() {
        // Zones with daylight saving (the days of its changes are 23 and
        // 25 hours long, and a change can fall on the day's start), one
        // with a half-hour offset, and a fixed one.
        let zones: Vec<Zone> = [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
        ]
        .iter()
        .map(|name| Zone::Named(name.parse().unwrap()))
        .chain([Zone::Fixed(
            chrono::FixedOffset::east_opt(-5 * 3600).unwrap(),
        )])
        .collect();
        let nows = [
            "2026-03-28T22:00:00Z",
            "2026-10-24T23:30:00Z",
            "2026-11-01T05:00:00Z",
            "2026-04-04T12:00:00Z",
            "2026-01-05T09:00:00Z",
        ];
        for zone in zones {
            for starts_at_hour in [0, 2, 4] {
                for now in nows {
                    let now: DateTime<Utc> = now.parse().unwrap();
                    let clock = DayClock::in_zone(zone, starts_at_hour, now);
                    let window = Window::new(clock, now, 7).expect("a window");
                    let today = clock.day(now);
                    // Every 7 minutes from two days before to ten after.
                    let mut at = now - chrono::Duration::days(2);
                    while at < now + chrono::Duration::days(10) {
                        let expected = match clock.day(at) - today {
                            offset if offset < 0 => InWindow::Before,
                            offset if offset <= 7 => InWindow::Day(offset),
                            _ => InWindow::After,
                        };
                        assert_eq!(
                            window.place(at),
                            expected,
                            "{zone} from {starts_at_hour}:00, now {now}, at {at}"
                        );
                        at += chrono::Duration::minutes(7);
                    }
                }
            }
        }
    }

    #[test]
    fn streaks_count_runs_of_days_and_forgive_an_open_today() {
        let days = |list: &[i64]| list.iter().map(|&day| (day, 1)).collect::<BTreeMap<_, _>>();
        assert_eq!(
            streak(&days(&[]), 10),
            Streak {
                current: 0,
                longest: 0
            }
        );
        assert_eq!(
            streak(&days(&[1, 2, 3, 7, 8]), 9),
            Streak {
                current: 2,
                longest: 3
            }
        );
        assert_eq!(
            streak(&days(&[1, 2, 3, 7, 8, 9]), 9),
            Streak {
                current: 3,
                longest: 3
            }
        );
        assert_eq!(
            streak(&days(&[1, 2, 3, 7]), 9),
            Streak {
                current: 0,
                longest: 3
            }
        );
    }
}
