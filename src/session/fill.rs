//! What a session holds when it starts, in the order it shows them: for a
//! cram session every chosen card; otherwise the cards due (most overdue
//! first, reviews within the day's `reviews_per_day`), then the reviews
//! interview plans bring forward, then cards in learning steps that end
//! later today, then new cards in deck order (within `new_per_day`, or
//! each planned deck's quota). `--limit` caps the whole; every card a
//! limit keeps out is counted in [`HeldBack`].

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::{Entry, HeldBack, Order, Queue, Session, shuffle};
use crate::card_filter::{CardFilter, Context};
use crate::config::NewOrder;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Card;
use crate::plan::{DeckPlan, Stage};
use crate::schedule::Phase;
use crate::schedule::is_due;
use crate::store::{Store, StoredCard};

/// The room `--limit` leaves, and the cards the limits kept out.
#[derive(Debug, Default)]
struct Budget {
    left: usize,
    held_back: HeldBack,
    /// Cards kept out that a session started from the index counts later.
    uncounted: Uncounted,
}

/// The cards a session started from the store's deck index kept out but
/// has not counted: the reviews past those it read, and the new cards past
/// those it took, each counted by the store when first asked
/// ([`Uncounted::count`]). Counting them costs as much as the cards due,
/// which the first card need not wait for.
#[derive(Debug, Default)]
pub(super) struct Uncounted {
    reviews: Option<UncountedReviews>,
    new: Vec<UncountedNew>,
}

#[derive(Debug)]
struct UncountedReviews {
    decks: Vec<String>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    read: usize,
    /// Whether the day's `reviews_per_day` kept them out, else the limit.
    by_day: bool,
}

#[derive(Debug)]
struct UncountedNew {
    deck: String,
    /// The deck's new cards that are no candidates (skipped or
    /// suspended), and those the session went through.
    excluded: usize,
    seen: usize,
    /// Whether the new-card quota kept them out, else the limit.
    by_quota: bool,
}

impl Uncounted {
    pub fn is_empty(&self) -> bool {
        self.reviews.is_none() && self.new.is_empty()
    }

    /// `held_back` with these cards counted in, as the store stands.
    pub fn count(&self, store: &Store, held_back: HeldBack) -> Result<HeldBack> {
        let mut held_back = held_back;
        if let Some(reviews) = &self.reviews {
            let unread = store
                .due_count_in_decks(&reviews.decks, reviews.until, reviews.now, true)?
                .saturating_sub(reviews.read);
            if reviews.by_day {
                held_back.due += unread;
            } else {
                held_back.by_limit += unread;
            }
        }
        for new in &self.new {
            let rest = store
                .new_card_count(&new.deck)?
                .saturating_sub(new.excluded + new.seen);
            if new.by_quota {
                held_back.new += rest;
            } else {
                held_back.by_limit += rest;
            }
        }
        Ok(held_back)
    }
}

impl Budget {
    fn new(limit: Option<usize>) -> Budget {
        Budget {
            left: limit.unwrap_or(usize::MAX),
            held_back: HeldBack::default(),
            uncounted: Uncounted::default(),
        }
    }

    /// Takes a place for one more card; without one, the card is counted
    /// as kept out by `--limit`.
    fn take(&mut self) -> bool {
        if self.left == 0 {
            self.held_back.by_limit += 1;
            false
        } else {
            self.left -= 1;
            true
        }
    }
}

/// Which cards a session is about: its decks' cards that its filter
/// keeps, suspended ones left out unless asked for.
pub(super) struct Chosen<'a> {
    pub catalog: &'a Catalog,
    /// Set when the catalog holds only the cards the session shows, and
    /// the store's deck index says which cards are in the chosen decks
    /// ([`super::indexed`]).
    pub index: Option<Indexed<'a>>,
    pub filter: &'a CardFilter,
    pub context: Context<'a>,
    /// Whether suspended cards may be shown.
    pub suspended: bool,
}

/// The chosen decks, as the store's deck index knows them.
#[derive(Clone, Copy)]
pub(super) struct Indexed<'a> {
    pub store: &'a Store,
    pub decks: &'a [String],
}

impl Indexed<'_> {
    fn holds(&self, id: &str) -> Result<bool> {
        Ok(self.store.indexed_deck_in(id, self.decks)?.is_some())
    }
}

impl Chosen<'_> {
    fn allowed(&self, id: &str) -> bool {
        self.suspended || !self.context.flags.is_suspended(id)
    }

    /// Whether a card never reviewed (or forgotten) belongs to the session.
    pub fn wants_new(&self, card: &Card) -> bool {
        self.allowed(&card.id) && self.filter.admits(card, None, &self.context)
    }

    /// Whether a reviewed card, in the state `stored`, belongs to the
    /// session.
    pub fn wants_reviewed(&self, id: &str, stored: &StoredCard) -> Result<bool> {
        if !self.allowed(id) {
            return Ok(false);
        }
        Ok(match &self.index {
            // The index serves only filters of state, not of text.
            Some(index) => {
                index.holds(id)? && self.filter.admits_state(id, Some(stored), &self.context)
            }
            None => self
                .catalog
                .get(id)
                .is_some_and(|found| self.filter.admits(found.card, Some(stored), &self.context)),
        })
    }

    /// Whether a card id belongs to the chosen decks, by what its text and
    /// flags say (its state left aside).
    pub fn wants(&self, id: &str) -> Result<bool> {
        if !self.allowed(id) {
            return Ok(false);
        }
        Ok(match &self.index {
            Some(index) => index.holds(id)?,
            None => self
                .catalog
                .get(id)
                .is_some_and(|found| self.filter.admits_text(found.card)),
        })
    }
}

impl Session {
    pub(super) fn fill_queue(&mut self, now: DateTime<Utc>) -> Result<()> {
        let mut budget = Budget::new(self.options.limit);
        self.queue = if self.mode.is_cram() {
            self.cram_queue(&mut budget, now)?
        } else {
            self.review_queue(&mut budget, now)?
        };
        self.held_back = budget.held_back;
        self.uncounted = budget.uncounted;
        Ok(())
    }

    fn cram_queue(&mut self, budget: &mut Budget, now: DateTime<Utc>) -> Result<Queue> {
        let states = match self.mode.store() {
            Some(store) => store.card_states()?,
            None => Default::default(),
        };
        let chosen = self.chosen(now);
        let mut entries: Vec<Entry> = Vec::new();
        for (_, card) in self.catalog.cards() {
            let stored = states.get(&card.id);
            let wanted = match stored {
                Some(stored) => chosen.wants_reviewed(&card.id, stored)?,
                None => chosen.wants_new(card),
            };
            if wanted {
                entries.push(Entry::new(
                    card.id.clone(),
                    stored.map(|stored| stored.state),
                ));
            }
        }
        match self.options.order.unwrap_or_default() {
            Order::Deck => {}
            Order::Hardest => self.hardest_first(&mut entries, now)?,
            // Seeded by the moment, so that each cram is shuffled anew,
            // and the same under `PREP_NOW`.
            Order::Random => shuffle::shuffle(&mut entries, now.timestamp_micros() as u64),
        }
        let kept: Vec<Entry> = entries.into_iter().filter(|_| budget.take()).collect();
        Ok(Queue::new(kept))
    }

    fn review_queue(&mut self, budget: &mut Budget, now: DateTime<Utc>) -> Result<Queue> {
        let store = self
            .mode
            .store()
            .expect("a session that grades has a store");
        let clock = self.schedulers.clock();
        let today = clock.start(clock.day(now));
        let done = store.done_since(today)?;
        self.plans =
            crate::plan::deck_plans(&self.catalog, Some(store), &mut self.schedulers, now)?;
        let config = self.schedulers.config();
        let mut reviews_left = config.reviews_per_day.saturating_sub(done.reviewed) as usize;
        let quotas = NewQuotas::new(
            &self.plans,
            self.options.new_cards,
            config.new_per_day,
            done.introduced,
        );
        let chosen = Chosen {
            catalog: &self.catalog,
            index: self
                .indexed_decks
                .as_deref()
                .map(|decks| Indexed { store, decks }),
            filter: &self.options.filter,
            context: Context {
                flags: &self.flags,
                now,
                clock,
                config,
            },
            suspended: false,
        };

        let (upcoming, later) = match &chosen.index {
            Some(index) => indexed_due_cards(index, now, clock, &mut reviews_left, budget)?,
            None => {
                let (due, later) = due_cards(store, &chosen, now, clock)?;
                (take_due(due, &mut reviews_left, budget), later)
            }
        };
        let mut upcoming = upcoming;
        let buried = store.buried_ids(now)?;
        let early = early_reviews(
            store,
            &chosen,
            &self.plans,
            &upcoming,
            &later,
            &buried,
            budget,
        )?;
        upcoming.extend(early);
        let mut queue = Queue::new(upcoming);
        for entry in later {
            if budget.take() {
                queue.when_due(entry);
            }
        }
        let random = match self.options.order {
            Some(order) => order == Order::Random,
            None => config.new_order == NewOrder::Random,
        };
        let order = random.then(|| clock.day(now));
        let new = match &chosen.index {
            Some(index) => indexed_new_cards(index, &chosen, &buried, quotas, budget)?,
            None => new_cards(store, &chosen, &buried, quotas, order, budget)?,
        };
        for entry in new {
            queue.push_back(entry);
        }
        Ok(queue)
    }
}

/// The reviewed cards the session may show today: those due now, most
/// overdue first, and those in learning steps that end later today.
fn due_cards(
    store: &Store,
    chosen: &Chosen,
    now: DateTime<Utc>,
    clock: crate::schedule::DayClock,
) -> Result<(Vec<Entry>, Vec<Entry>)> {
    let mut due = Vec::new();
    let mut later = Vec::new();
    for (id, stored) in store.due_states(clock.end_of_day(now), now)? {
        if !chosen.wants_reviewed(&id, &stored)? {
            continue;
        }
        let entry = Entry::new(id, Some(stored.state));
        if is_due(&stored.state, now, clock) {
            due.push(entry);
        } else if stored.state.phase != Phase::Review {
            later.push(entry);
        }
    }
    due.sort_by(by_due_then_id);
    later.sort_by(by_due_then_id);
    Ok((due, later))
}

/// The order due cards are shown in: most overdue first, then by id.
fn by_due_then_id(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let due = |entry: &Entry| entry.state.map(|state| state.due);
    due(a).cmp(&due(b)).then_with(|| a.card_id.cmp(&b.card_id))
}

/// The due cards the session takes, in order: reviews within what is
/// left of the day's `reviews_per_day`, learning cards all, each within
/// the budget.
fn take_due(due: Vec<Entry>, reviews_left: &mut usize, budget: &mut Budget) -> Vec<Entry> {
    let mut upcoming = Vec::new();
    for entry in due {
        let is_review = entry.phase() == Phase::Review;
        if is_review && *reviews_left == 0 {
            budget.held_back.due += 1;
        } else if budget.take() {
            *reviews_left -= usize::from(is_review);
            upcoming.push(entry);
        }
    }
    upcoming
}

/// [`due_cards`] and [`take_due`] from the store's deck index: the cards
/// in learning steps (few) are all read, the reviews only as far as the
/// session can take them; the reviews beyond are counted, not read.
fn indexed_due_cards(
    index: &Indexed,
    now: DateTime<Utc>,
    clock: crate::schedule::DayClock,
    reviews_left: &mut usize,
    budget: &mut Budget,
) -> Result<(Vec<Entry>, Vec<Entry>)> {
    let (store, decks) = (index.store, index.decks);
    let until = clock.end_of_day(now);
    let mut due = Vec::new();
    let mut later = Vec::new();
    store.due_in_decks(decks, until, now, false, |id, stored| {
        let entry = Entry::new(id.to_string(), Some(stored.state));
        if is_due(&stored.state, now, clock) {
            due.push(entry);
        } else {
            later.push(entry);
        }
        true
    })?;
    // However the learning cards fall among them, no review past these
    // can be taken: each one taken spends both.
    let takeable = (*reviews_left).min(budget.left);
    let mut read = 0;
    if takeable > 0 {
        store.due_in_decks(decks, until, now, true, |id, stored| {
            due.push(Entry::new(id.to_string(), Some(stored.state)));
            read += 1;
            read < takeable
        })?;
    }
    due.sort_by(by_due_then_id);
    later.sort_by(by_due_then_id);
    let upcoming = take_due(due, reviews_left, budget);
    // The reviews past those read, if there may be any: as take_due would
    // count them, kept out by the day's reviews once those are spent,
    // else by the limit.
    if read == takeable {
        budget.uncounted.reviews = Some(UncountedReviews {
            decks: decks.to_vec(),
            until,
            now,
            read,
            by_day: *reviews_left == 0,
        });
    }
    Ok((upcoming, later))
}

/// The reviews the plans bring forward, for after the cards that are due.
fn early_reviews(
    store: &Store,
    chosen: &Chosen,
    plans: &[DeckPlan],
    upcoming: &[Entry],
    later: &[Entry],
    buried: &HashSet<String>,
    budget: &mut Budget,
) -> Result<Vec<Entry>> {
    let queued: HashSet<&str> = upcoming
        .iter()
        .chain(later)
        .map(|entry| entry.card_id.as_str())
        .collect();
    let mut early = Vec::new();
    for plan in plans.iter().filter(|plan| plan.stage == Stage::Ahead) {
        for id in &plan.early_today {
            if queued.contains(id.as_str()) || buried.contains(id) || !chosen.wants(id)? {
                continue;
            }
            if !budget.take() {
                continue;
            }
            let state = store.card_state(id)?;
            early.push(Entry {
                card_id: id.clone(),
                state: state.map(|stored| stored.state),
                early: true,
            });
        }
    }
    Ok(early)
}

/// How many new cards each deck may introduce: a planned deck its plan's
/// quota, the others what is left of `new_per_day` after their own
/// introductions today; `--new` overrides both.
struct NewQuotas<'a> {
    planned: HashMap<&'a str, usize>,
    shared: usize,
}

impl<'a> NewQuotas<'a> {
    fn new(
        plans: &'a [DeckPlan],
        new_cards: Option<u32>,
        new_per_day: u32,
        introduced: u32,
    ) -> NewQuotas<'a> {
        let mut planned = HashMap::new();
        let mut introduced_in_planned = 0;
        if new_cards.is_none() {
            for plan in plans.iter().filter(|plan| plan.stage == Stage::Ahead) {
                planned.insert(plan.deck.as_str(), plan.new_left as usize);
                introduced_in_planned += plan.introduced_today;
            }
        }
        let shared = match new_cards {
            Some(count) => count,
            None => new_per_day.saturating_sub(introduced.saturating_sub(introduced_in_planned)),
        } as usize;
        NewQuotas { planned, shared }
    }
}

/// The new cards to introduce, in deck order, or with `random_on` (the
/// scheduler day) in the day's random order.
fn new_cards(
    store: &Store,
    chosen: &Chosen,
    buried: &HashSet<String>,
    mut quotas: NewQuotas,
    random_on: Option<i64>,
    budget: &mut Budget,
) -> Result<Vec<Entry>> {
    let catalog = chosen.catalog;
    // Reviewed cards are marked by their place in the catalog rather than
    // collected into a set of ids: at 100,000 cards that saves as many
    // string copies and hash inserts.
    let mut reviewed: Vec<Vec<bool>> = catalog
        .decks
        .iter()
        .map(|loaded| vec![false; loaded.cards().len()])
        .collect();
    store.for_each_reviewed_id(|id| {
        if let Some((deck, card)) = catalog.position(id) {
            reviewed[deck][card] = true;
        }
    })?;
    let shared_ids = !catalog.duplicates.is_empty();
    // The candidates, in deck order: (deck, card).
    let mut candidates = Vec::new();
    for (deck_index, loaded) in catalog.decks.iter().enumerate() {
        for (card_index, card) in loaded.cards().iter().enumerate() {
            // The same card id in two decks is one card, shown once: the
            // first deck's copy stands for it.
            let is_copy =
                shared_ids && catalog.position(&card.id) != Some((deck_index, card_index));
            if is_copy
                || reviewed[deck_index][card_index]
                || buried.contains(&card.id)
                || !chosen.wants_new(card)
            {
                continue;
            }
            candidates.push((deck_index, card));
        }
    }
    if let Some(day) = random_on {
        candidates.sort_by_cached_key(|(_, card)| {
            (shuffle::place_of_new_card(day, &card.id), card.id.clone())
        });
    }
    let mut planned: Vec<Option<usize>> = catalog
        .decks
        .iter()
        .map(|loaded| quotas.planned.get(loaded.name.as_str()).copied())
        .collect();
    let mut entries = Vec::new();
    for (deck_index, card) in candidates {
        let left = planned[deck_index].as_mut().unwrap_or(&mut quotas.shared);
        if *left == 0 {
            budget.held_back.new += 1;
        } else if budget.take() {
            *left -= 1;
            entries.push(Entry::new(card.id.clone(), None));
        }
    }
    Ok(entries)
}

/// [`new_cards`] from the store's deck index, in deck order, for a session
/// of plain decks (no plans, no filter, the new cards in deck order): the
/// index lists each deck's new cards, so only those shown are read, and
/// the others are counted, not listed.
fn indexed_new_cards(
    index: &Indexed,
    chosen: &Chosen,
    buried: &HashSet<String>,
    mut quotas: NewQuotas,
    budget: &mut Budget,
) -> Result<Vec<Entry>> {
    let store = index.store;
    // New cards that are skipped today or suspended are no candidates.
    let mut excluded: HashMap<String, usize> = HashMap::new();
    let flagged = buried
        .iter()
        .chain(chosen.context.flags.suspended.keys())
        .collect::<HashSet<_>>();
    for id in flagged {
        if let Some(deck) = store.new_card_deck_in(id, index.decks)? {
            *excluded.entry(deck).or_default() += 1;
        }
    }
    let mut entries = Vec::new();
    for deck in index.decks {
        let mut seen = 0;
        if quotas.shared > 0 && budget.left > 0 {
            store.new_cards_of(deck, |id| {
                if buried.contains(id) || !chosen.allowed(id) {
                    return true;
                }
                seen += 1;
                // As in new_cards: a place in the budget for each card
                // the quota lets in.
                if budget.take() {
                    quotas.shared -= 1;
                    entries.push(Entry::new(id.to_string(), None));
                }
                quotas.shared > 0 && budget.left > 0
            })?;
        }
        // What the quota or the limit keeps out, as new_cards counts it:
        // once the quota is spent, the rest wait for another day; while it
        // is not, the limit kept them out.
        budget.uncounted.new.push(UncountedNew {
            deck: deck.clone(),
            excluded: excluded.get(deck.as_str()).copied().unwrap_or(0),
            seen,
            by_quota: quotas.shared == 0,
        });
    }
    Ok(entries)
}
