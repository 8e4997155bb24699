//! The review store on realistic collections: reading the cards' states
//! (all of them into a map, streamed once, or the due ones) and recording
//! one grade.
//!
//! Each run first generates two collections in temporary directories, 1,000
//! and 100,000 cards spread over 20 decks with ten reviews each, by
//! simulating a learner through the real scheduler (default config, UTC,
//! day starting at 4:00): every card starts somewhere in the year before
//! 2026-01-05 and is reviewed a few hours after each due time, graded Good
//! 85% of the time, Again 8%, Hard 5% and Easy 2% from a fixed
//! pseudo-random sequence, so every run builds the same files. The reviews
//! are written in the order they happened, 50,000 per transaction, through
//! `Store::append`. Generation is not timed by criterion; its duration and
//! the size of the files are printed to stderr.
//!
//! - `load/N`: `Store::open_existing` plus `card_states` (every card's
//!   state in a map by id), closing included.
//! - `scan/N`: every card streamed once (`Store::for_each_card`) and
//!   counted by phase, what a summary such as `prep stats` does.
//! - `load_due/N`: the cards due before 2026-01-06 04:00
//!   (`Store::due_states`) and the ids of every reviewed card
//!   (`Store::for_each_reviewed_id`), what a review session starts from.
//! - `grade/N`: one `Store::record` of an existing card (a different card
//!   each iteration) on an open store, graded Good with the real scheduler,
//!   commit and fsync included.
//! - `grade_logged/N`: the same on a store attached to this device's review
//!   log (`sync/DEVICE.jsonl`): the line is appended and synced first.
//!
//! Run with `cargo bench --bench store`; it takes a few minutes, most of
//! it generating the 100,000-card collection.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use tempfile::TempDir;

use prep::config::Config;
use prep::schedule::{DayClock, Grade, Scheduler, Transition};
use prep::store::{NewReview, Store};

const SIZES: [usize; 2] = [1_000, 100_000];
const DECKS: usize = 20;
const REVIEWS_PER_CARD: usize = 10;
/// Reviews per `Store::append` transaction.
const CHUNK: usize = 50_000;

/// splitmix64: a small deterministic sequence, good enough for grades.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn grade(&mut self) -> Grade {
        match self.below(100) {
            0..85 => Grade::Good,
            85..93 => Grade::Again,
            93..98 => Grade::Hard,
            _ => Grade::Easy,
        }
    }
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn card_id(n: usize) -> String {
    format!("{:012x}", mix(n as u64) & 0xffff_ffff_ffff)
}

fn deck_name(index: usize) -> String {
    format!("deck-{index:02}")
}

fn clock() -> DayClock {
    DayClock::new(FixedOffset::east_opt(0).unwrap(), 4)
}

/// One scheduler per deck, indexed like [`deck_name`].
fn schedulers() -> Vec<Scheduler> {
    let config = Config::default();
    (0..DECKS)
        .map(|deck| Scheduler::for_deck(&config, &deck_name(deck), clock()).expect("scheduler"))
        .collect()
}

/// A generated collection: its home directory, its cards as (id, deck
/// index), and the time of its last review.
struct Collection {
    home: TempDir,
    cards: Vec<(String, usize)>,
    latest: DateTime<Utc>,
}

fn generate(size: usize, schedulers: &[Scheduler]) -> Collection {
    let started = Instant::now();
    let end = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    let year = chrono::Duration::days(365);
    let mut sequence = Sequence(size as u64);
    let cards: Vec<(String, usize)> = (0..size).map(|n| (card_id(n), n % DECKS)).collect();

    // (card index, answer time, transition) in the order cards are
    // simulated, then sorted into the order the reviews happened.
    let mut reviews: Vec<(usize, u32, Transition)> = Vec::with_capacity(size * REVIEWS_PER_CARD);
    for (index, (id, deck)) in cards.iter().enumerate() {
        let scheduler = &schedulers[*deck];
        let offset = sequence.below(year.num_seconds() as u64) as i64;
        let mut now = end - year + chrono::Duration::seconds(offset);
        let mut state = None;
        for _ in 0..REVIEWS_PER_CARD {
            let grade = sequence.grade();
            let transition = scheduler
                .answer(id, state.as_ref(), grade, now)
                .expect("scheduler answer");
            let answer_ms = 2_000 + sequence.below(20_000) as u32;
            reviews.push((index, answer_ms, transition));
            state = Some(transition.state);
            let late = sequence.below(4 * 3600) as i64;
            now = transition.state.due + chrono::Duration::seconds(late);
        }
    }
    let simulated = started.elapsed();
    reviews.sort_by_key(|(_, _, transition)| transition.state.last_review);
    let latest = reviews
        .last()
        .map_or(end, |review| review.2.state.last_review);

    let home = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(home.path()).expect("new store");
    for chunk in reviews.chunks(CHUNK) {
        let chunk: Vec<NewReview> = chunk
            .iter()
            .map(|&(index, answer_ms, transition)| NewReview {
                card_id: cards[index].0.clone(),
                deck: deck_name(cards[index].1),
                answer_ms,
                transition,
            })
            .collect();
        store.append(&chunk).expect("append");
    }
    let written = started.elapsed();
    let (database, wal) = sizes(home.path());
    drop(store);
    let (closed, _) = sizes(home.path());
    eprintln!(
        "generated {size} cards, {} reviews in {:.1} s ({:.1} s simulating, {:.1} s writing); \
         prep.sqlite {:.1} MB + WAL {:.1} MB while open, {:.1} MB once closed; last review {latest}",
        reviews.len(),
        written.as_secs_f64(),
        simulated.as_secs_f64(),
        (written - simulated).as_secs_f64(),
        megabytes(database),
        megabytes(wal),
        megabytes(closed),
    );
    Collection {
        home,
        cards,
        latest,
    }
}

/// The sizes of the database and its WAL (0 when there is none).
fn sizes(home: &Path) -> (u64, u64) {
    let size = |name: &str| std::fs::metadata(home.join(name)).map_or(0, |meta| meta.len());
    (size("prep.sqlite"), size("prep.sqlite-wal"))
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn load(home: &Path) -> usize {
    let store = Store::open_existing(home)
        .expect("open")
        .expect("a store exists");
    store.card_states().expect("card states").len()
}

/// A session's start: the due cards and the ids of every reviewed card.
fn load_due(home: &Path, until: DateTime<Utc>) -> usize {
    let store = Store::open_existing(home)
        .expect("open")
        .expect("a store exists");
    let due = store.due_states(until, until).expect("due states");
    let mut reviewed = 0;
    store
        .for_each_reviewed_id(|_| reviewed += 1)
        .expect("reviewed ids");
    due.len() + reviewed
}

/// A summary's pass: every card streamed once, counted by phase.
fn scan(home: &Path) -> [usize; 4] {
    let store = Store::open_existing(home)
        .expect("open")
        .expect("a store exists");
    let mut phases = [0; 4];
    store
        .for_each_card(|_, card| phases[card.state.phase.code() as usize] += 1)
        .expect("scan");
    phases
}

fn benches(c: &mut Criterion) {
    let schedulers = schedulers();
    let collections: Vec<Collection> = SIZES
        .iter()
        .map(|&size| generate(size, &schedulers))
        .collect();

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    for (size, collection) in SIZES.iter().zip(&collections) {
        assert_eq!(load(collection.home.path()), *size, "one state per card");
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| load(black_box(collection.home.path())))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    for (size, collection) in SIZES.iter().zip(&collections) {
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| scan(black_box(collection.home.path())))
        });
    }
    group.finish();

    // What a session starts from: the cards due by the end of one day.
    let mut group = c.benchmark_group("load_due");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    let until = Utc.with_ymd_and_hms(2026, 1, 6, 4, 0, 0).unwrap();
    for (size, collection) in SIZES.iter().zip(&collections) {
        let store = Store::open_existing(collection.home.path())
            .expect("open")
            .expect("a store exists");
        let due = store.due_states(until, until).expect("due states").len();
        eprintln!("load_due/{size}: {due} of {size} cards due before {until}");
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| load_due(black_box(collection.home.path()), until))
        });
    }
    group.finish();

    let decks: Vec<String> = (0..DECKS).map(deck_name).collect();
    let mut group = c.benchmark_group("grade");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (size, collection) in SIZES.iter().zip(&collections) {
        let mut store = Store::open_existing(collection.home.path())
            .expect("open")
            .expect("a store exists");
        // Ten reviews at the due times the scheduler gives reach decades
        // past 2026, so "now" is a day after the collection's last review.
        let now = collection.latest + chrono::Duration::days(1);
        let mut next = 0;
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| {
                let (id, deck) = &collection.cards[next % collection.cards.len()];
                next += 1;
                let scheduler = &schedulers[*deck];
                store
                    .record(id, &decks[*deck], 4_000, |state| {
                        scheduler.answer(id, state, Grade::Good, now)
                    })
                    .expect("record")
            })
        });
    }
    group.finish();

    // The same through this device's review log, as every prep command
    // writes since syncing: the line appended and synced, then the
    // commit. Attaching writes the whole history into the log once,
    // before timing.
    let mut group = c.benchmark_group("grade_logged");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (size, collection) in SIZES.iter().zip(&collections) {
        let mut store = Store::open_existing(collection.home.path())
            .expect("open")
            .expect("a store exists");
        let started = Instant::now();
        let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
        store
            .attach(
                &collection.home.path().join("sync"),
                prep::journal::setup::Setup::of(&Config::default(), clock),
            )
            .expect("attach");
        eprintln!(
            "grade_logged/{size}: the history written into the log in {:.1?}",
            started.elapsed()
        );
        let now = collection.latest + chrono::Duration::days(2);
        let mut next = 0;
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| {
                let (id, deck) = &collection.cards[next % collection.cards.len()];
                next += 1;
                let scheduler = &schedulers[*deck];
                store
                    .record(id, &decks[*deck], 4_000, |state| {
                        scheduler.answer(id, state, Grade::Good, now)
                    })
                    .expect("record")
            })
        });
    }
    group.finish();
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
