/*!
A review session: which cards to show, in which order, and what each
answer, skip and undo does to the store. The terminal reviewer and the line
protocol both drive this one type, so they cannot disagree about what is
due, how limits count or where an Again goes.

A session is built from the decks asked for (and tags), the store's due
cards and the day's limits from `config.yaml`: cards due first, most overdue
first (reviews capped by `reviews_per_day`), then new cards in deck order
(capped by `new_per_day`, counting the cards already introduced today).
Every grade is committed to the store before the next card is shown.

A cram session (`--cram`) drills the chosen cards whatever their due dates
and writes nothing: schedules stay as they were.

The clock is a parameter of every call; nothing here reads the time.

What belongs elsewhere: the words a front end shows and the summary of a
session are [`crate::quiz`]'s, the screen and its keys [`crate::tui`]'s,
the line protocol `commands/quiz`'s. A session never prints, never reads
the terminal and knows neither front end; it returns what happened, and
the front ends say it.
*/

mod fill;
pub mod grading;
mod indexed;
pub mod leech;
pub mod lock;
mod planned;
mod queue;
mod shuffle;

use std::collections::BTreeSet;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};

use crate::Settings;
use crate::card_filter::CardFilter;
use crate::config::LeechAction;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Card;
use crate::decks::sides::Side;
use crate::plan::DeckPlan;
use crate::schedule::{CardState, DayClock, Grade, Phase, Schedulers, Transition};
use crate::store::{Flags, Store, SuspendReason};
pub use indexed::{INDEX_VAR, card_from_index};
pub use planned::PlannedWork;
pub use queue::{AGAIN_GAP, Entry, LEARN_AHEAD, Queue};

/// What to study, as the command line says it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Decks to draw from; all when empty.
    pub decks: Vec<String>,
    /// Which of their cards: tags, text, state, marks (all when empty).
    /// Suspended cards are left out unless it asks for them by state.
    pub filter: CardFilter,
    /// Let a cram session show suspended cards too.
    pub suspended: bool,
    /// At most this many cards in the session.
    pub limit: Option<usize>,
    /// New cards for this session, instead of what is left of the day's
    /// `new_per_day`.
    pub new_cards: Option<u32>,
    /// Drill the chosen cards regardless of due dates; record nothing.
    pub cram: bool,
    /// The order a cram session shows its cards in, or a review session
    /// its new cards (`deck` or `random`); `None` for the default: deck
    /// order in a cram, `new_order` of config.yaml for new cards.
    pub order: Option<Order>,
}

/// The order of a cram session, or of new cards (`--order`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Order {
    /// Deck order.
    #[default]
    Deck,
    /// Lowest predicted recall first: on the interview day for a deck with
    /// a plan, now for the others. Cards never reviewed count as the
    /// hardest. (Cram sessions only.)
    Hardest,
    /// Shuffled: a cram session's cards, or the new cards of a review
    /// session (each keeps its place for the day).
    Random,
}

/// The card on screen.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    pub deck: &'a str,
    pub card: &'a Card,
    /// Which side of its written card it is (reversed, a cloze number).
    pub side: Side,
    /// The card's state when it was queued; `None` for a new card.
    pub state: Option<&'a CardState>,
    /// A review an interview plan brought forward.
    pub early: bool,
    /// Marked to come back to (`m`).
    pub marked: bool,
}

impl Current<'_> {
    pub fn phase(&self) -> Phase {
        self.state.map_or(Phase::New, |state| state.phase)
    }
}

/// Where the session stands, for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Answers given so far.
    pub answered: u32,
    /// The cards of the session shown so far, the one on screen included;
    /// a learning card that comes back again is one card.
    pub cards_shown: usize,
    /// The cards of the session: those answered and those still to come,
    /// each once however often it comes back.
    pub cards: usize,
    /// Showings left, the card on screen included.
    pub left: usize,
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

/// What a session did, for its closing summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Tally {
    answers: u32,
    /// By grade, Again first.
    grades: [u32; 4],
    cards: BTreeSet<String>,
    skipped: u32,
}

/// The cards the limits kept out of the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldBack {
    /// Due review cards beyond the day's `reviews_per_day`.
    pub due: usize,
    /// New cards beyond the day's `new_per_day` (or `--new`).
    pub new: usize,
    /// Cards the day's limits allowed but `--limit` left out.
    pub by_limit: usize,
}

/// The closing summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub answers: u32,
    /// Distinct cards answered.
    pub cards: usize,
    pub grades: [u32; 4],
    pub skipped: u32,
    /// When a reviewed card of the chosen decks can next be shown (not
    /// for cram): see [`Store::next_shown`]; at or before the summary's
    /// time when one is due now.
    pub next_due: Option<DateTime<Utc>>,
    pub held_back: HeldBack,
    /// Showings left when the session ended (quit early), the card on
    /// screen included.
    pub left: usize,
    /// Of those, the new cards.
    pub left_new: usize,
    pub cram: bool,
}

/// A grade refused because another session graded the card after this
/// one queued it; the card has left this session.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "not graded: card {card} was graded in another session at {at} since it was shown here; it has left this session"
)]
pub struct GradedElsewhere {
    pub card: String,
    pub at: DateTime<Utc>,
}

/// What a step of the session did to the card on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Grade(Grade),
    /// Skipped until the next day (`s`).
    Skip,
    /// Suspended (`!`).
    Suspend,
}

/// What an undo took back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub card_id: String,
    pub action: Action,
}

/// What a grade did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answered {
    /// The card's new schedule; `None` in a cram session.
    pub transition: Option<Transition>,
    /// Set when this grade's lapse made the card a leech: what was done
    /// to it, and its lapses.
    pub leech: Option<(LeechAction, u32)>,
}

/// One step that `undo` can take back: what it did, so that undo can do
/// the opposite. (A copy of the queue per answer would grow a cram session
/// over a large collection by megabytes an answer.)
#[derive(Debug, Clone)]
struct Step {
    entry: Entry,
    /// The review written, for a grade outside cram.
    review_id: Option<i64>,
    action: Action,
    /// Whether the grade suspended the card as a leech.
    leech_suspended: bool,
    /// Where the card was queued to come back, if it was.
    queued: Option<queue::Queued>,
    /// The card shown after it, and the line it came from.
    next: Option<queue::Line>,
    /// Whether this was the card's first answer in the session.
    first_answer: bool,
}

/// What a session does with grades, and the store it has for that.
enum Mode {
    /// Grades are recorded in the store.
    Review(Store),
    /// Grades change nothing; the store, when the home has one, is only
    /// read (for states and plans).
    Cram(Option<Store>),
}

impl Mode {
    fn is_cram(&self) -> bool {
        matches!(self, Mode::Cram(_))
    }

    /// The store to read, if any.
    fn store(&self) -> Option<&Store> {
        match self {
            Mode::Review(store) => Some(store),
            Mode::Cram(store) => store.as_ref(),
        }
    }

    /// The store, if any, to write flags to.
    fn store_mut(&mut self) -> Option<&mut Store> {
        match self {
            Mode::Review(store) => Some(store),
            Mode::Cram(store) => store.as_mut(),
        }
    }

    /// The store grades are written to: none in a cram session.
    fn recording(&mut self) -> Option<&mut Store> {
        match self {
            Mode::Review(store) => Some(store),
            Mode::Cram(_) => None,
        }
    }
}

pub struct Session {
    /// The chosen decks' cards: every one, or (when the session started
    /// from the store's deck index) those the session holds.
    catalog: Catalog,
    /// The chosen decks, when the session started from the deck index;
    /// `None` once the catalog holds every card of them.
    indexed_decks: Option<Vec<String>>,
    schedulers: Schedulers,
    mode: Mode,
    options: Options,
    /// The store's suspended and marked cards, kept in step with what the
    /// session does to them.
    flags: Flags,
    queue: Queue,
    current: Option<Entry>,
    steps: Vec<Step>,
    tally: Tally,
    held_back: HeldBack,
    /// What the limits kept out that a session started from the deck
    /// index counts before its first change to the store.
    uncounted: fill::Uncounted,
    /// The interview plans of the chosen decks.
    plans: Vec<DeckPlan>,
    /// What the session did to the decks on the way in, to say after it.
    notices: Vec<String>,
    /// Whether another review session runs on this home.
    standing: lock::Standing,
}

impl Session {
    /// Builds the session for `options` at `now`. Unknown decks and tags
    /// are errors (with a suggestion); decks that fail to load when none
    /// were named are left out and listed in [`Session::problems`].
    pub fn start(settings: &Settings, options: Options, now: DateTime<Utc>) -> Result<Session> {
        let use_index = std::env::var_os(INDEX_VAR).is_none_or(|value| value != "0");
        Session::start_with(settings, options, now, use_index)
    }

    /// [`Session::start`], from the store's deck index where it serves
    /// when `use_index`, else reading every chosen deck.
    fn start_with(
        settings: &Settings,
        options: Options,
        now: DateTime<Utc>,
        use_index: bool,
    ) -> Result<Session> {
        if options.order == Some(Order::Hardest) && !options.cram {
            anyhow::bail!(
                "--order hardest orders a cram session; add --cram (`prep quiz --cram --order hardest`), or use --order deck or random for new cards"
            );
        }
        let schedulers = settings.schedulers()?;
        let collection = settings.collection();
        // A home without a store is new: its decks are read, as they are
        // to make the store's index. The deck names are checked before the
        // store is opened, so that a mistyped one is told by the full read.
        let has_store = crate::store::Store::path_in(&settings.home).exists();
        let sources = if use_index && has_store && indexed::serves(&options, schedulers.config()) {
            collection.sources(&options.decks)?
        } else {
            None
        };
        let Some(sources) = sources else {
            return Session::start_reading_decks(settings, options, now, schedulers, None);
        };
        let mut store = crate::sync::open_store(settings)?;
        let prepared =
            indexed::prepare(&collection, &sources, !options.decks.is_empty(), &mut store)?;
        let Some(decks) = prepared else {
            let mode = Some(Mode::Review(store));
            return Session::start_reading_decks(settings, options, now, schedulers, mode);
        };
        let mut session = Session::assemble(
            settings,
            Catalog::default(),
            schedulers,
            Mode::Review(store),
            options,
            Vec::new(),
        )?;
        session.indexed_decks = Some(decks);
        session.fill_queue(now)?;
        if let (Some(store), Some(decks)) = (session.mode.store(), &session.indexed_decks) {
            let ids = session.queue.entries().map(|entry| entry.card_id.as_str());
            session.catalog = indexed::catalog_of(store, decks, ids)?;
        }
        session.current = session.queue.next(now);
        Ok(session)
    }

    /// [`Session::start`] from every card of the chosen decks, read from
    /// their files (through the deck cache); `mode` when the store is open
    /// already.
    fn start_reading_decks(
        settings: &Settings,
        options: Options,
        now: DateTime<Utc>,
        schedulers: Schedulers,
        mode: Option<Mode>,
    ) -> Result<Session> {
        let catalog = Catalog::load(&settings.collection(), &options.decks)?;
        // A deck asked for by name that holds nothing is a mistake worth
        // saying, not an empty session ("nothing to review" would suggest
        // the cards were all done).
        let named_empty = catalog
            .decks
            .iter()
            .find(|loaded| !options.decks.is_empty() && loaded.cards().is_empty());
        if let Some(empty) = named_empty {
            let path = settings.collection().user_deck_path(&empty.name);
            anyhow::bail!(
                "{}: deck {:?} has no cards; import notes into it with `prep import NOTES.md --deck {}`, or add cards to the file",
                path.display(),
                empty.name,
                empty.name
            );
        }
        // Cards typed into a deck without an id are reviewed under the id
        // their question gives; it is written into the file now, so a later
        // edit of the question does not part the card from its history.
        let mut notices = Vec::new();
        let collection = settings.collection();
        for loaded in catalog
            .decks
            .iter()
            .filter(|loaded| !loaded.deck.assigned_ids.is_empty())
        {
            let path = collection.user_deck_path(&loaded.name);
            let written = crate::decks::deck::write_missing_ids(&path)?;
            if !written.is_empty() {
                notices.push(format!(
                    "wrote into {} the ids of cards typed without one: {}",
                    path.display(),
                    written.join(", ")
                ));
            }
        }
        check_tags(&catalog, &options.filter.tags)?;
        let mode = match mode {
            Some(mode) => mode,
            None if options.cram => Mode::Cram(crate::sync::open_existing_store(settings)?),
            None => Mode::Review(crate::sync::open_store(settings)?),
        };
        let mut session = Session::assemble(settings, catalog, schedulers, mode, options, notices)?;
        session.fill_queue(now)?;
        session.current = session.queue.next(now);
        Ok(session)
    }

    /// A session of these parts, its queue not yet filled.
    fn assemble(
        settings: &Settings,
        catalog: Catalog,
        schedulers: Schedulers,
        mode: Mode,
        options: Options,
        notices: Vec<String>,
    ) -> Result<Session> {
        let flags = match mode.store() {
            Some(store) => store.flags()?,
            None => Flags::default(),
        };
        let standing = if options.cram {
            lock::Standing::Unknown
        } else {
            lock::take(&settings.home)
        };
        Ok(Session {
            schedulers,
            catalog,
            indexed_decks: None,
            mode,
            options,
            flags,
            queue: Queue::default(),
            current: None,
            steps: Vec::new(),
            tally: Tally::default(),
            held_back: HeldBack::default(),
            uncounted: fill::Uncounted::default(),
            plans: Vec::new(),
            notices,
            standing,
        })
    }

    /// The cards this session is about, as they stand at `now`.
    fn chosen(&self, now: DateTime<Utc>) -> fill::Chosen<'_> {
        fill::Chosen {
            catalog: &self.catalog,
            index: match (self.mode.store(), &self.indexed_decks) {
                (Some(store), Some(decks)) => Some(fill::Indexed { store, decks }),
                _ => None,
            },
            filter: &self.options.filter,
            context: crate::card_filter::Context {
                flags: &self.flags,
                now,
                clock: self.schedulers.clock(),
                config: self.schedulers.config(),
            },
            suspended: self.options.suspended || self.options.filter.wants_suspended(),
        }
    }

    /// Ends the session of a process about to exit: closes the store and
    /// leaves the catalog's memory to the system. Freeing 100,000 cards one
    /// by one takes longer than showing the first of them did.
    pub fn close_for_exit(self) {
        let Session { catalog, mode, .. } = self;
        drop(mode);
        crate::exit::leave_to_exit(catalog);
    }

    /// What to say when another review session runs on this home.
    pub fn other_session(&self) -> Option<String> {
        let lock::Standing::Second { pid } = self.standing else {
            return None;
        };
        let who = pid
            .map(|pid| format!(" (process {pid})"))
            .unwrap_or_default();
        Some(format!(
            "another prep quiz is running on this home{who}; reviewing here too is fine, and a card graded there will not be graded again here"
        ))
    }

    /// What the session did to the decks as it started, one line each.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Decks that did not load (when none were named), one message each.
    pub fn problems(&self) -> &[String] {
        &self.catalog.problems
    }

    pub fn is_cram(&self) -> bool {
        self.mode.is_cram()
    }

    pub fn clock(&self) -> DayClock {
        self.schedulers.clock()
    }

    /// The card to show, or `None` when the session is over.
    pub fn current(&self) -> Option<Current<'_>> {
        let entry = self.current.as_ref()?;
        let found = self.catalog.get(&entry.card_id)?;
        Some(Current {
            deck: found.deck,
            card: found.card,
            side: found.side,
            state: entry.state.as_ref(),
            early: entry.early,
            marked: self.flags.is_marked(&entry.card_id),
        })
    }

    /// What each grade would do to the card on screen, Again first; `None`
    /// in a cram session (grades change nothing there).
    pub fn preview(&mut self, now: DateTime<Utc>) -> Result<Option<[Transition; 4]>> {
        if self.mode.is_cram() {
            return Ok(None);
        }
        let Some(entry) = &self.current else {
            return Ok(None);
        };
        let deck = self.deck_of(&entry.card_id)?;
        let scheduler = self.schedulers.for_deck(&deck)?;
        Ok(Some(scheduler.preview(
            &entry.card_id,
            entry.state.as_ref(),
            now,
        )?))
    }

    fn deck_of(&self, card_id: &str) -> Result<String> {
        self.catalog
            .get(card_id)
            .map(|found| found.deck.to_string())
            .ok_or_else(|| anyhow!("card {card_id} is no longer in its deck"))
    }

    /// Grades the card on screen and moves on. The grade is on disk when
    /// this returns (outside cram). Returns what it did to the card.
    pub fn answer(&mut self, grade: Grade, now: DateTime<Utc>, answer_ms: u32) -> Result<Answered> {
        self.count_held_back()?;
        let Some(entry) = self.current.clone() else {
            bail!("no card to grade: the session is over");
        };
        let mut step = Step {
            entry: entry.clone(),
            review_id: None,
            action: Action::Grade(grade),
            leech_suspended: false,
            queued: None,
            next: None,
            first_answer: false,
        };
        let mut answered = Answered {
            transition: None,
            leech: None,
        };
        let mut next_entry = entry.clone();
        if !self.mode.is_cram() {
            let deck = self.deck_of(&entry.card_id)?;
            let store = self.mode.recording().expect("a review session records");
            let id = entry.card_id.as_str();
            let answer = grading::Answer {
                deck: &deck,
                card: id,
                grade,
                answer_ms,
                now,
                // Graded in another session since this one queued it: a
                // second grade seconds later would count twice.
                seen: Some(entry.state.map(|state| state.last_review)),
            };
            let graded = match grading::record(store, &mut self.schedulers, answer) {
                Ok(graded) => graded,
                Err(err) => match err.downcast::<GradedElsewhere>() {
                    Ok(elsewhere) => {
                        // The card leaves this session; the other one has it.
                        self.queue.remove(id);
                        self.current = self.queue.next(now);
                        return Err(elsewhere.into());
                    }
                    Err(err) => return Err(err),
                },
            };
            step.review_id = Some(graded.review.id);
            let transition = graded.review.transition;
            answered.transition = Some(transition);
            next_entry.state = Some(transition.state);
            next_entry.early = false;
            if let Some(leech) = graded.leech {
                answered.leech = Some((leech.action, leech.lapses));
                step.leech_suspended = leech.suspended;
                if leech.suspended {
                    self.flags.suspended.insert(
                        id.to_string(),
                        crate::store::Suspension {
                            since: now,
                            reason: SuspendReason::Leech,
                        },
                    );
                }
            }
        }
        self.tally.answers += 1;
        self.tally.grades[grade as usize - 1] += 1;
        step.first_answer = self.tally.cards.insert(entry.card_id.clone());

        let clock = self.schedulers.clock();
        step.queued = match (grade, next_entry.state) {
            // A card suspended as a leech leaves the session.
            _ if step.leech_suspended => None,
            (Grade::Again, _) => Some(self.queue.again(next_entry)),
            (_, Some(state))
                if !self.mode.is_cram()
                    && matches!(state.phase, Phase::Learning | Phase::Relearning)
                    && state.due < clock.end_of_day(now) =>
            {
                Some(self.queue.when_due(next_entry))
            }
            _ => None,
        };
        self.show_next(&mut step, now);
        self.steps.push(step);
        Ok(answered)
    }

    /// Skips the card on screen: it is buried until the next day starts
    /// (outside cram) and this session moves on.
    pub fn skip(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.count_held_back()?;
        let Some(entry) = self.current.clone() else {
            bail!("no card to skip: the session is over");
        };
        if let Some(store) = self.mode.recording() {
            let until = self.schedulers.clock().end_of_day(now);
            store.bury(&entry.card_id, now, until)?;
        }
        let mut step = Step {
            entry,
            review_id: None,
            action: Action::Skip,
            leech_suspended: false,
            queued: None,
            next: None,
            first_answer: false,
        };
        self.tally.skipped += 1;
        self.show_next(&mut step, now);
        self.steps.push(step);
        Ok(())
    }

    /// Suspends the card on screen (in any session: a suspension is not
    /// a schedule) and moves on. A cram session in a home with no store
    /// yet makes one.
    pub fn suspend(&mut self, settings: &Settings, now: DateTime<Utc>) -> Result<()> {
        self.count_held_back()?;
        let Some(entry) = self.current.clone() else {
            bail!("no card to suspend: the session is over");
        };
        self.flag_store(settings)?
            .suspend(&[&entry.card_id], now, SuspendReason::User)?;
        self.flags.suspended.insert(
            entry.card_id.clone(),
            crate::store::Suspension {
                since: now,
                reason: SuspendReason::User,
            },
        );
        let mut step = Step {
            entry,
            review_id: None,
            action: Action::Suspend,
            leech_suspended: false,
            queued: None,
            next: None,
            first_answer: false,
        };
        self.show_next(&mut step, now);
        self.steps.push(step);
        Ok(())
    }

    /// Marks the card on screen, or unmarks it; returns whether it is
    /// marked now. The card stays on screen.
    pub fn toggle_mark(&mut self, settings: &Settings, now: DateTime<Utc>) -> Result<bool> {
        self.count_held_back()?;
        let Some(id) = self.current.as_ref().map(|entry| entry.card_id.clone()) else {
            bail!("no card to mark: the session is over");
        };
        let marked = self.flag_store(settings)?.toggle_mark(&id, now)?;
        if marked {
            self.flags.marked.insert(id);
        } else {
            self.flags.marked.remove(&id);
        }
        Ok(marked)
    }

    /// Whether the card on screen is marked.
    pub fn is_marked(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|entry| self.flags.is_marked(&entry.card_id))
    }

    /// The store that suspensions and marks go to: the session's own, or,
    /// in a cram session of a home that has none yet, a new one.
    fn flag_store(&mut self, settings: &Settings) -> Result<&mut Store> {
        if let Mode::Cram(store @ None) = &mut self.mode {
            *store = Some(crate::sync::open_store(settings)?);
        }
        Ok(match &mut self.mode {
            Mode::Review(store) => store,
            Mode::Cram(store) => store.as_mut().expect("opened above"),
        })
    }

    /// Moves on to the next card, noting in `step` where it came from.
    fn show_next(&mut self, step: &mut Step, now: DateTime<Utc>) {
        self.current = match self.queue.take_next(now) {
            Some((entry, line)) => {
                step.next = Some(line);
                Some(entry)
            }
            None => None,
        };
    }

    /// Whether there is a grade or skip to take back.
    pub fn can_undo(&self) -> bool {
        !self.steps.is_empty()
    }

    /// Takes back the last grade or skip: the store and the queue are as
    /// they were before it, and that card is on screen again.
    pub fn undo(&mut self, now: DateTime<Utc>) -> Result<Option<Undone>> {
        self.count_held_back()?;
        let Some(step) = self.steps.pop() else {
            return Ok(None);
        };
        let id = step.entry.card_id.as_str();
        if let Some(store) = self.mode.recording() {
            match (step.action, step.review_id) {
                (Action::Grade(_), Some(review_id)) => {
                    if store.undo_last(id, Some(review_id))?.is_none() {
                        let card = id.to_string();
                        self.steps.push(step);
                        bail!(
                            "card {card} was reviewed again elsewhere since; that review is kept"
                        );
                    }
                    if step.leech_suspended {
                        store.unsuspend(&[id], now)?;
                    }
                }
                (Action::Skip, _) => store.unbury(id, now)?,
                _ => {}
            }
        }
        if step.action == Action::Suspend
            && let Some(store) = self.mode.store_mut()
        {
            store.unsuspend(&[id], now)?;
        }
        if step.action == Action::Suspend || step.leech_suspended {
            self.flags.suspended.remove(id);
        }
        let undone = Undone {
            card_id: step.entry.card_id.clone(),
            action: step.action,
        };
        // The opposite of each thing the step did, last first.
        if let (Some(line), Some(shown)) = (step.next, self.current.take()) {
            self.queue.put_back(shown, line);
        }
        if let Some(queued) = step.queued {
            self.queue.unqueue(queued, &step.entry.card_id);
        }
        match step.action {
            Action::Grade(grade) => {
                self.tally.answers -= 1;
                self.tally.grades[grade as usize - 1] -= 1;
                if step.first_answer {
                    self.tally.cards.remove(&step.entry.card_id);
                }
            }
            Action::Skip => self.tally.skipped -= 1,
            Action::Suspend => {}
        }
        self.current = Some(step.entry);
        Ok(Some(undone))
    }

    /// Where the session stands.
    pub fn progress(&self) -> Progress {
        let answered_cards = self.tally.cards.len();
        let mut progress = Progress {
            answered: self.tally.answers,
            cards_shown: answered_cards,
            cards: answered_cards,
            left: 0,
            new: 0,
            learning: 0,
            review: 0,
        };
        // A card waits in the queue once at most (an answer takes it out
        // before it is put back), so counting entries counts cards.
        for entry in self.current.iter().chain(self.queue.entries()) {
            if !self.tally.cards.contains(&entry.card_id) {
                progress.cards += 1;
            }
            progress.left += 1;
            match entry.phase() {
                Phase::New => progress.new += 1,
                Phase::Learning | Phase::Relearning => progress.learning += 1,
                Phase::Review => progress.review += 1,
            }
        }
        if let Some(current) = &self.current
            && !self.tally.cards.contains(&current.card_id)
        {
            progress.cards_shown += 1;
        }
        progress
    }

    /// What the limits kept out of the session, counted in full.
    fn held_back(&self) -> Result<HeldBack> {
        match self.mode.store() {
            Some(store) if !self.uncounted.is_empty() => {
                self.uncounted.count(store, self.held_back)
            }
            _ => Ok(self.held_back),
        }
    }

    /// Counts what the session left uncounted at its start, before the
    /// store changes under the count.
    fn count_held_back(&mut self) -> Result<()> {
        self.held_back = self.held_back()?;
        self.uncounted = fill::Uncounted::default();
        Ok(())
    }

    /// The closing summary at `now`.
    pub fn summary(&self, now: DateTime<Utc>) -> Result<Summary> {
        let next_due = match &self.mode {
            Mode::Review(store) => {
                let chosen = self.chosen(now);
                store.next_shown(now, |id| chosen.wants(id))?
            }
            Mode::Cram(_) => None,
        };
        Ok(Summary {
            answers: self.tally.answers,
            cards: self.tally.cards.len(),
            grades: self.tally.grades,
            skipped: self.tally.skipped,
            next_due,
            held_back: self.held_back()?,
            left: self.progress().left,
            left_new: self.progress().new,
            cram: self.mode.is_cram(),
        })
    }

    /// Reads the decks again (after the user edited one). Cards that are
    /// gone leave the session; a deck that no longer loads is an error and
    /// the session keeps the cards as they were. A deck that was already
    /// broken when the session started stays a problem, not an error: it
    /// must not stop edits to the others from being read.
    pub fn reload(&mut self, settings: &Settings, now: DateTime<Utc>) -> Result<()> {
        self.count_held_back()?;
        let catalog = Catalog::load(&settings.collection(), &self.options.decks)?;
        let new_problems: Vec<&str> = catalog
            .problems
            .iter()
            .filter(|problem| !self.catalog.problems.contains(problem))
            .map(String::as_str)
            .collect();
        if !new_problems.is_empty() {
            bail!("{}", new_problems.join("; "));
        }
        self.catalog = catalog;
        self.indexed_decks = None;
        let gone: Vec<String> = self
            .current
            .iter()
            .chain(self.queue.entries())
            .filter(|entry| !self.catalog.contains(&entry.card_id))
            .map(|entry| entry.card_id.clone())
            .collect();
        for id in &gone {
            self.queue.remove(id);
        }
        if self
            .current
            .as_ref()
            .is_some_and(|entry| gone.contains(&entry.card_id))
        {
            self.current = self.queue.next(now);
        }
        Ok(())
    }
}

/// An unknown tag is an error naming the closest known one, as deck names
/// are.
fn check_tags(catalog: &Catalog, tags: &[String]) -> Result<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let known: BTreeSet<String> = catalog
        .cards()
        .flat_map(|(_, card)| card.tags.iter().map(|tag| tag.to_lowercase()))
        .collect();
    for tag in tags {
        if known.contains(tag) {
            continue;
        }
        let closest = crate::suggest::closest(tag, &known)
            .map(|other| format!("did you mean {other:?}? "))
            .unwrap_or_default();
        let listed: Vec<&str> = known.iter().take(8).map(String::as_str).collect();
        let more = known.len().saturating_sub(listed.len());
        bail!(
            "no card has the tag {tag:?}; {closest}the tags are: {}{}",
            if listed.is_empty() {
                "(none)".to_string()
            } else {
                listed.join(", ")
            },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
