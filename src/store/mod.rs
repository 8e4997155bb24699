/*!
The review store: one SQLite database, `$PREP_HOME/prep.sqlite`, that holds
what the scheduler learned. The `card` table keeps each reviewed card's
current state, so loading never replays history; the `review` table keeps
every review with the state it produced, so state can be rebuilt and
parameters fitted. Decks stay YAML; nothing here is a copy of them.

Durability comes from SQLite, not from us: WAL mode with
`synchronous=FULL`, so a grade is on disk when `record` returns, a crash or
`kill -9` loses at most the transaction being written, and readers never
block the writer. Each grade is one `BEGIN IMMEDIATE` transaction that reads
the card's state and writes the new one, so two prep processes grading at
once serialise on SQLite's lock (waiting up to [`BUSY_TIMEOUT`]) and never
lose each other's grades.

A file that is not a prep database, is damaged, or comes from a newer prep
is an error naming the file; prep never writes to it.
*/

mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior, params,
};

use crate::schedule::{CardState, Grade, Phase, Transition};
pub use schema::latest_version;
use schema::{APPLICATION_ID, MIGRATIONS, STATE_COLUMNS};

pub const FILE_NAME: &str = "prep.sqlite";

/// How long a prep process waits for another one to finish writing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Failures callers and users tell apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{}: not a prep review database ({detail}); move it away to start afresh, or restore a backup",
        path.display()
    )]
    NotPrepDatabase { path: PathBuf, detail: String },
    #[error(
        "{}: the review database is damaged ({detail}); restore a backup, or move it away to start afresh",
        path.display()
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{}: written by a newer prep (schema version {found}, this prep knows up to {known}); upgrade prep, or move the file away",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{}: another prep process has held the database for more than {} s; try again when it has finished",
        path.display(),
        BUSY_TIMEOUT.as_secs()
    )]
    Locked { path: PathBuf },
    #[error("{}: the row for card {card} is damaged ({detail}); run `prep check`", path.display())]
    DamagedRow {
        path: PathBuf,
        card: String,
        detail: String,
    },
}

/// A reviewed card's state and the deck it was last reviewed in.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    /// Shared between the cards of one deck when many are loaded.
    pub deck: Arc<str>,
    pub state: CardState,
    /// Skipped in a quiz: not shown again before this time.
    pub buried_until: Option<DateTime<Utc>>,
}

/// What a summary needs of a reviewed card, read without the rest of its
/// state: at 100,000 cards, every column costs milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardSummary {
    pub phase: Phase,
    pub due: DateTime<Utc>,
    pub stability: f32,
    pub last_review: DateTime<Utc>,
    pub lapses: u32,
}

/// One entry of the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: i64,
    pub card_id: String,
    pub deck: String,
    pub reviewed_at: DateTime<Utc>,
    pub answer_ms: u32,
    pub transition: Transition,
}

/// A review to append to the log as it is (for bulk loads: generated
/// collections, imported history).
#[derive(Debug, Clone)]
pub struct NewReview {
    pub card_id: String,
    pub deck: String,
    pub answer_ms: u32,
    pub transition: Transition,
}

/// One deck's reviews on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// The scheduler day, counted from 1970-01-01.
    pub day: i64,
    pub deck: String,
    pub reviews: u32,
    pub answer_ms: u64,
    /// Reviews of cards that were in review (not new or learning).
    pub mature_reviews: u32,
    /// Of those, the ones graded Hard or better.
    pub mature_passed: u32,
}

/// Counts for the daily limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoneToday {
    /// New cards reviewed for the first time.
    pub introduced: u32,
    /// Reviews of cards that were in review (not learning).
    pub reviewed: u32,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// The database path in a home directory.
    pub fn path_in(home: &Path) -> PathBuf {
        home.join(FILE_NAME)
    }

    /// Opens the store of `home` for reading and writing, creating the
    /// home directory and the database if there is none yet.
    pub fn open(home: &Path) -> Result<Store> {
        let path = Store::path_in(home);
        let exists = path.try_exists().unwrap_or(true);
        if !exists {
            std::fs::create_dir_all(home)
                .with_context(|| format!("cannot create {}", home.display()))?;
        }
        let mut store = Store::connect(&path, !exists)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the store of `home` if it has one; `None` when nothing has
    /// been reviewed yet (no file). Never creates anything.
    pub fn open_existing(home: &Path) -> Result<Option<Store>> {
        let path = Store::path_in(home);
        if !path.try_exists().unwrap_or(true) {
            return Ok(None);
        }
        let mut store = Store::connect(&path, false)?;
        store.migrate()?;
        Ok(Some(store))
    }

    fn connect(path: &Path, create: bool) -> Result<Store> {
        if path.is_dir() {
            return Err(anyhow!(
                "{} is a directory; prep keeps its review database in a file of that name, so move the directory away",
                path.display()
            ));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|err| explain(path, err))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        // The first read checks the header: garbage fails here, before any
        // write could touch it.
        let (application_id, version, tables) = store.identity()?;
        if version > latest_version() {
            return Err(StoreError::NewerSchema {
                path: store.path.clone(),
                found: version,
                known: latest_version(),
            }
            .into());
        }
        if application_id != APPLICATION_ID && !(application_id == 0 && tables == 0) {
            return Err(StoreError::NotPrepDatabase {
                path: store.path.clone(),
                detail: "it is an SQLite database of another program".into(),
            }
            .into());
        }
        // Switching a new database to WAL needs it to itself, and SQLite
        // does not wait for that through the busy handler: when two
        // processes create the database at once, the second retries here.
        retry_while_busy(|| {
            let mode: String = store
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                let _: String = store
                    .conn
                    .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            }
            Ok(())
        })
        .map_err(|err| store.explain(err))?;
        store
            .conn
            .execute_batch("PRAGMA synchronous = FULL")
            .map_err(|err| store.explain(err))?;
        Ok(store)
    }

    /// The application id, the schema version and the number of schema
    /// objects, read in one statement so that they come from one snapshot
    /// (another process may be creating the database at this moment).
    fn identity(&self) -> Result<(i64, i64, i64)> {
        retry_while_busy(|| {
            self.conn.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id()),
                        (SELECT user_version FROM pragma_user_version()),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
        })
        .map_err(|err| self.explain(err))
    }

    /// Brings the schema up to date in one transaction. Another process
    /// may have done it meanwhile, so the version is read again inside.
    fn migrate(&mut self) -> Result<()> {
        if self.identity()?.1 == latest_version() {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| explain(&path, err))?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        for migration in MIGRATIONS
            .iter()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            tx.execute_batch(migration)
                .with_context(|| format!("cannot update the schema of {}", path.display()))?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
            latest_version()
        ))?;
        tx.commit().map_err(|err| explain(&path, err))?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn explain(&self, err: rusqlite::Error) -> anyhow::Error {
        explain(&self.path, err)
    }

    /// Every reviewed card's state, by card id. One scan of the `card`
    /// table; the review log is not read. This is the hot path of every
    /// session at 100,000 cards, so it reads columns by reference, shares
    /// one string per deck name, and sizes the map once.
    pub fn card_states(&self) -> Result<HashMap<String, StoredCard>> {
        let mut cards = HashMap::with_capacity(self.card_count()?);
        self.scan_cards("NOT INDEXED", [], |id, card| {
            cards.insert(id.to_string(), card);
        })?;
        Ok(cards)
    }

    /// The states of the cards due before `until` and not buried at
    /// `now`: what a review session starts from, without the cost of the
    /// cards it will not show.
    pub fn due_states(
        &self,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, StoredCard)>> {
        let mut cards = Vec::new();
        self.scan_cards(
            "WHERE card.due < ?1",
            [until.timestamp_millis()],
            |id, card| {
                if card.buried_until.is_none_or(|until| until <= now) {
                    cards.push((id.to_string(), card));
                }
            },
        )?;
        Ok(cards)
    }

    /// Hands every reviewed card to `each` without collecting them: for
    /// summaries (stats) that need every card once and keep none.
    pub fn for_each_card(&self, each: impl FnMut(&str, StoredCard)) -> Result<()> {
        // In table order: left to itself, SQLite walks the due index and
        // looks every row up from it, several times slower.
        self.scan_cards("NOT INDEXED", [], each)
    }

    /// Hands every reviewed card's id, deck and [`CardSummary`] to `each`,
    /// in table order, without their burials.
    pub fn for_each_summary(&self, mut each: impl FnMut(&str, &str, CardSummary)) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, deck, phase, due, stability, last_review, lapses FROM card NOT INDEXED",
            )
            .map_err(|err| self.explain(err))?;
        let mut rows = statement.query([]).map_err(|err| self.explain(err))?;
        while let Some(row) = rows.next().map_err(|err| self.explain(err))? {
            let text = |index| {
                row.get_ref(index)
                    .and_then(|value| value.as_str().map_err(Into::into))
                    .map_err(|err| self.explain(err))
            };
            let (id, deck) = (text(0)?, text(1)?);
            let summary = summary_from_row(row).map_err(|detail| StoreError::DamagedRow {
                path: self.path.clone(),
                card: id.to_string(),
                detail,
            })?;
            each(id, deck, summary);
        }
        Ok(())
    }

    /// How many cards have been reviewed.
    pub fn card_count(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM card", [], |row| row.get(0))
            .map_err(|err| self.explain(err))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Hands the id of every reviewed card to `each`: with
    /// [`Store::due_states`], what a session needs to tell new cards from
    /// the rest. Streamed as borrowed text, since a caller that marks the
    /// ids in its own index needs no copy of 100,000 of them.
    pub fn for_each_reviewed_id(&self, mut each: impl FnMut(&str)) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id FROM card")
            .map_err(|err| self.explain(err))?;
        let mut rows = statement.query([]).map_err(|err| self.explain(err))?;
        while let Some(row) = rows.next().map_err(|err| self.explain(err))? {
            let id = row
                .get_ref(0)
                .and_then(|value| value.as_str().map_err(Into::into))
                .map_err(|err| self.explain(err))?;
            each(id);
        }
        Ok(())
    }

    /// Runs `SELECT ... FROM card {filter}` and hands each card to `each`.
    /// Streams the cards `FROM card {filter}` selects to `each`, with
    /// their burials. Burials are few, so they are read first into a map
    /// rather than joined, which would cost a search per card.
    fn scan_cards<P: rusqlite::Params>(
        &self,
        filter: &str,
        params: P,
        mut each: impl FnMut(&str, StoredCard),
    ) -> Result<()> {
        let buried: HashMap<String, i64> = self
            .conn
            .prepare_cached("SELECT card_id, until FROM buried")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .map_err(|err| self.explain(err))?;
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT card.id, card.deck, {}, card.last_review FROM card {filter}",
                prefixed("card", STATE_COLUMNS)
            ))
            .map_err(|err| self.explain(err))?;
        let mut rows = statement.query(params).map_err(|err| self.explain(err))?;
        let mut decks: HashMap<Box<str>, Arc<str>> = HashMap::new();
        while let Some(row) = rows.next().map_err(|err| self.explain(err))? {
            let id = row
                .get_ref(0)
                .and_then(|value| value.as_str().map_err(Into::into))
                .map_err(|err| self.explain(err))?;
            let deck = row
                .get_ref(1)
                .and_then(|value| value.as_str().map_err(Into::into))
                .map_err(|err| self.explain(err))?;
            // Decks are few: one shared name each, not a string per card.
            let deck = match decks.get(deck) {
                Some(known) => known.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(deck);
                    decks.insert(Box::from(deck), shared.clone());
                    shared
                }
            };
            let mut card = stored_card_fields(&self.path, id, deck, row)?;
            if !buried.is_empty() {
                card.buried_until = buried.get(id).copied().and_then(instant);
            }
            each(id, card);
        }
        Ok(())
    }

    /// One card's state, if it has been reviewed.
    pub fn card_state(&self, card_id: &str) -> Result<Option<StoredCard>> {
        card_state(&self.conn, &self.path, card_id)
    }

    /// Records one review of `card_id` at `at`: reads the card's state,
    /// asks `decide` for the transition, and writes the review and the new
    /// state, all in one transaction. When this returns, the review is on
    /// disk.
    pub fn record(
        &mut self,
        card_id: &str,
        deck: &str,
        answer_ms: u32,
        decide: impl FnOnce(Option<&CardState>) -> Result<Transition>,
    ) -> Result<Review> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| explain(&path, err))?;
        let previous = card_state(&tx, &path, card_id)?;
        let transition = decide(previous.as_ref().map(|card| &card.state))?;
        let review = NewReview {
            card_id: card_id.to_string(),
            deck: deck.to_string(),
            answer_ms,
            transition,
        };
        let id = insert_review(&tx, &review).map_err(|err| explain(&path, err))?;
        upsert_card(&tx, &review).map_err(|err| explain(&path, err))?;
        tx.commit().map_err(|err| explain(&path, err))?;
        Ok(Review {
            id,
            card_id: review.card_id,
            deck: review.deck,
            reviewed_at: transition.state.last_review,
            answer_ms,
            transition,
        })
    }

    /// Appends reviews in one transaction and sets each card's state to
    /// that of its last appended review.
    pub fn append(&mut self, reviews: &[NewReview]) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| explain(&path, err))?;
        for review in reviews {
            insert_review(&tx, review).map_err(|err| explain(&path, err))?;
        }
        let mut last: HashMap<&str, &NewReview> = HashMap::new();
        for review in reviews {
            last.insert(&review.card_id, review);
        }
        for review in last.values() {
            upsert_card(&tx, review).map_err(|err| explain(&path, err))?;
        }
        tx.commit().map_err(|err| explain(&path, err))
    }

    /// Takes back the last review of a card: deletes it from the log and
    /// puts the card back in the state the review before it left (or new).
    /// Returns the review taken back, if there was one. With `only` set,
    /// nothing is undone unless that review is still the card's last (a
    /// quiz undoing its own grade must not take back one another process
    /// made since); the result is then `None`.
    pub fn undo_last(&mut self, card_id: &str, only: Option<i64>) -> Result<Option<Review>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| explain(&path, err))?;
        let mut reviews = {
            let mut statement = tx.prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review WHERE card_id = ?1 ORDER BY id DESC LIMIT 2"
            ))?;
            let rows = statement
                .query_map([card_id], |row| Ok(review_from_row(&path, row)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().collect::<Result<Vec<Review>>>()?
        };
        if reviews
            .first()
            .is_none_or(|last| only.is_some_and(|id| id != last.id))
        {
            return Ok(None);
        }
        let undone = reviews.remove(0);
        tx.execute("DELETE FROM review WHERE id = ?1", [undone.id])?;
        match reviews.first() {
            Some(before) => upsert_card(
                &tx,
                &NewReview {
                    card_id: before.card_id.clone(),
                    deck: before.deck.clone(),
                    answer_ms: before.answer_ms,
                    transition: before.transition,
                },
            )?,
            None => {
                tx.execute("DELETE FROM card WHERE id = ?1", [card_id])?;
            }
        }
        tx.commit().map_err(|err| explain(&path, err))?;
        Ok(Some(undone))
    }

    /// Keeps a card, new or reviewed, out of sessions until `until` (a
    /// quiz's skip).
    pub fn bury(&mut self, card_id: &str, until: DateTime<Utc>) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO buried (card_id, until) VALUES (?1, ?2)",
                params![card_id, until.timestamp_millis()],
            )
            .map_err(|err| self.explain(err))?;
        Ok(())
    }

    /// Ends a card's skip (a quiz's undo of `s`).
    pub fn unbury(&mut self, card_id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM buried WHERE card_id = ?1", [card_id])
            .map_err(|err| self.explain(err))?;
        Ok(())
    }

    /// The ids of the cards still skipped at `now`.
    pub fn buried_ids(&self, now: DateTime<Utc>) -> Result<std::collections::HashSet<String>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT card_id FROM buried WHERE until > ?1")
            .map_err(|err| self.explain(err))?;
        let ids = statement
            .query_map([now.timestamp_millis()], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|err| self.explain(err))?;
        Ok(ids)
    }

    /// The review log summed per scheduler day and deck: reviews, time
    /// spent, and reviews of cards in review with how many were passed
    /// (Hard or better), for statistics. Days are counted like
    /// [`crate::schedule::DayClock`] counts them: from `starts_at_hour` in
    /// the time zone `offset_seconds` east of UTC.
    ///
    /// Read from `day_total`, which triggers keep as reviews come and go,
    /// so a million reviews cost a few thousand rows. When the totals were
    /// counted with another clock (a move across time zones, a change of
    /// `day_starts_at`, daylight saving time) or never, they are counted
    /// again here, once; when that cannot be written (a read-only home),
    /// the log is summed directly, which is slower but the same.
    pub fn activity(&self, offset_seconds: i64, starts_at_hour: u32) -> Result<Vec<Activity>> {
        let clock = (offset_seconds, i64::from(starts_at_hour));
        if let Some(totals) = self.day_totals(clock)? {
            return Ok(totals);
        }
        match self.count_day_totals(clock) {
            Ok(()) => {}
            Err(_) => return self.sum_activity(clock),
        }
        match self.day_totals(clock)? {
            Some(totals) => Ok(totals),
            // Another process counted with its own clock meanwhile.
            None => self.sum_activity(clock),
        }
    }

    /// [`Store::activity`] if the kept totals were counted with this
    /// clock, else `None`; never writes.
    pub fn kept_activity(
        &self,
        offset_seconds: i64,
        starts_at_hour: u32,
    ) -> Result<Option<Vec<Activity>>> {
        self.day_totals((offset_seconds, i64::from(starts_at_hour)))
    }

    /// The kept totals, if they were counted with `clock`; read in one
    /// transaction, so the clock and the rows agree.
    fn day_totals(&self, clock: (i64, i64)) -> Result<Option<Vec<Activity>>> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(|err| self.explain(err))?;
        let counted_with: Option<(i64, i64)> = tx
            .query_row(
                "SELECT offset_seconds, starts_at_hour FROM day_clock",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|err| self.explain(err))?;
        if counted_with != Some(clock) {
            return Ok(None);
        }
        let mut statement = tx
            .prepare_cached(
                "SELECT day, deck, reviews, answer_ms, mature_reviews, mature_passed
                 FROM day_total ORDER BY day",
            )
            .map_err(|err| self.explain(err))?;
        let rows = statement
            .query_map([], activity_from_row)
            .and_then(|rows| rows.collect())
            .map_err(|err| self.explain(err))?;
        Ok(Some(rows))
    }

    /// Counts `day_total` afresh from the log with `clock`, which the
    /// triggers then go on with.
    fn count_day_totals(&self, clock: (i64, i64)) -> Result<()> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|err| self.explain(err))?;
        tx.execute_batch("DELETE FROM day_clock; DELETE FROM day_total;")
            .map_err(|err| self.explain(err))?;
        tx.execute(
            "INSERT INTO day_clock (id, offset_seconds, starts_at_hour) VALUES (1, ?1, ?2)",
            params![clock.0, clock.1],
        )
        .map_err(|err| self.explain(err))?;
        tx.execute(
            &format!("INSERT INTO day_total {SUM_ACTIVITY}"),
            params![clock.0, clock.1, Phase::Review.code()],
        )
        .map_err(|err| self.explain(err))?;
        tx.commit().map_err(|err| self.explain(err))
    }

    /// The log summed directly, without the kept totals.
    fn sum_activity(&self, clock: (i64, i64)) -> Result<Vec<Activity>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("{SUM_ACTIVITY} ORDER BY day"))
            .map_err(|err| self.explain(err))?;
        let rows = statement
            .query_map(
                params![clock.0, clock.1, Phase::Review.code()],
                activity_from_row,
            )
            .and_then(|rows| rows.collect())
            .map_err(|err| self.explain(err))?;
        Ok(rows)
    }

    /// What has been done since `since` (the start of the day), for the
    /// daily limits: cards introduced (first reviews) and reviews of cards
    /// that were in review.
    pub fn done_since(&self, since: DateTime<Utc>) -> Result<DoneToday> {
        self.conn
            .query_row(
                "SELECT count(*) FILTER (WHERE phase_before = ?2),
                        count(*) FILTER (WHERE phase_before = ?3)
                 FROM review WHERE reviewed_at >= ?1",
                params![
                    since.timestamp_millis(),
                    Phase::New.code(),
                    Phase::Review.code()
                ],
                |row| {
                    Ok(DoneToday {
                        introduced: row.get(0)?,
                        reviewed: row.get(1)?,
                    })
                },
            )
            .map_err(|err| self.explain(err))
    }

    /// The new cards introduced since `since`, by the deck they were
    /// reviewed in: a plan's daily new-card quota is per deck.
    pub fn introduced_by_deck(&self, since: DateTime<Utc>) -> Result<HashMap<String, u32>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT deck, count(*) FROM review
                 WHERE reviewed_at >= ?1 AND phase_before = ?2 GROUP BY deck",
            )
            .map_err(|err| self.explain(err))?;
        let rows = statement
            .query_map(
                params![since.timestamp_millis(), Phase::New.code()],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)),
            )
            .map_err(|err| self.explain(err))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|err| self.explain(err))
    }

    /// When each reviewed card was first reviewed: a plan asks that every
    /// card be seen on two different days before the interview.
    pub fn first_reviews(&self) -> Result<HashMap<String, DateTime<Utc>>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT card_id, min(reviewed_at) FROM review GROUP BY card_id")
            .map_err(|err| self.explain(err))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|err| self.explain(err))?;
        let mut firsts = HashMap::new();
        for row in rows {
            let (id, ms) = row.map_err(|err| self.explain(err))?;
            if let Some(at) = instant(ms) {
                firsts.insert(id, at);
            }
        }
        Ok(firsts)
    }

    /// The earliest due time after `after` among the cards `wanted` keeps:
    /// when a session that has run out can say the next card comes.
    pub fn next_due(
        &self,
        after: DateTime<Utc>,
        mut wanted: impl FnMut(&str) -> bool,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, due FROM card WHERE due > ?1 ORDER BY due")
            .map_err(|err| self.explain(err))?;
        let mut rows = statement
            .query([after.timestamp_millis()])
            .map_err(|err| self.explain(err))?;
        while let Some(row) = rows.next().map_err(|err| self.explain(err))? {
            let id = row
                .get_ref(0)
                .and_then(|value| value.as_str().map_err(Into::into))
                .map_err(|err| self.explain(err))?;
            if wanted(id) {
                let due: i64 = row.get(1).map_err(|err| self.explain(err))?;
                return Ok(instant(due));
            }
        }
        Ok(None)
    }

    /// Calls `each` with every review in the order they were recorded,
    /// optionally only those of some decks, streaming (the log can be
    /// large).
    pub fn for_each_review(
        &self,
        decks: Option<&[String]>,
        mut each: impl FnMut(Review) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {REVIEW_COLUMNS} FROM review ORDER BY id"))
            .map_err(|err| self.explain(err))?;
        let mut rows = statement.query([]).map_err(|err| self.explain(err))?;
        while let Some(row) = rows.next().map_err(|err| self.explain(err))? {
            let review = review_from_row(&self.path, row)?;
            if decks.is_none_or(|decks| decks.contains(&review.deck)) {
                each(review)?;
            }
        }
        Ok(())
    }

    /// The number of reviews in the log.
    pub fn review_count(&self) -> Result<u64> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM review", [], |row| row.get(0))
            .map_err(|err| self.explain(err))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// SQLite's own `integrity_check`: empty when the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|err| self.explain(err))?;
        let lines = statement
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|err| self.explain(err))?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }

    /// Cards whose stored state is not the state their last review
    /// produced (or that have a state but no reviews, or reviews but no
    /// state), by id.
    pub fn disagreements(&self) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT c.id FROM card c LEFT JOIN review r
               ON r.id = (SELECT max(id) FROM review WHERE card_id = c.id)
             WHERE r.id IS NULL OR c.deck IS NOT r.deck
                OR ({columns}) IS NOT ({r_columns}) OR c.last_review IS NOT r.reviewed_at
             UNION
             SELECT DISTINCT card_id FROM review WHERE card_id NOT IN (SELECT id FROM card)
             ORDER BY 1",
            columns = prefixed("c", STATE_COLUMNS),
            r_columns = prefixed("r", STATE_COLUMNS),
        );
        let mut statement = self.conn.prepare(&sql).map_err(|err| self.explain(err))?;
        let ids = statement
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|err| self.explain(err))?;
        Ok(ids)
    }

    /// Rebuilds every card's state from its last review, in one
    /// transaction. Returns the number of cards with a state afterwards.
    pub fn rebuild_states(&mut self) -> Result<u64> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| explain(&path, err))?;
        tx.execute("DELETE FROM card", [])?;
        let count = tx.execute(
            &format!(
                "INSERT INTO card (id, deck, {STATE_COLUMNS}, last_review)
                 SELECT card_id, deck, {STATE_COLUMNS}, reviewed_at FROM review
                 WHERE id IN (SELECT max(id) FROM review GROUP BY card_id)"
            ),
            [],
        )?;
        tx.commit().map_err(|err| explain(&path, err))?;
        Ok(count as u64)
    }

    /// Writes a consistent copy of the database to `target` with SQLite's
    /// backup API (safe while other processes use the database).
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        let mut copy = Connection::open(target)
            .with_context(|| format!("cannot create the backup {}", target.display()))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)
            .with_context(|| format!("cannot back up {}", self.path.display()))?;
        backup
            .run_to_completion(1024, Duration::from_millis(10), None)
            .with_context(|| format!("cannot write the backup {}", target.display()))?;
        Ok(())
    }
}

/// The review columns in the order [`review_from_row`] reads them.
const REVIEW_COLUMNS: &str = "id, card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, \
     phase, step, stability, difficulty, due, interval_days, reps, lapses";

fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|column| format!("{table}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn card_state(conn: &Connection, path: &Path, card_id: &str) -> Result<Option<StoredCard>> {
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT card.id, card.deck, {}, card.last_review, buried.until
             FROM card LEFT JOIN buried ON buried.card_id = card.id WHERE card.id = ?1",
            prefixed("card", STATE_COLUMNS)
        ))
        .map_err(|err| explain(path, err))?;
    let row = statement
        .query_row([card_id], |row| {
            let deck: String = row.get(1)?;
            let buried_until = row.get_ref(11)?.as_i64_or_null()?.and_then(instant);
            Ok(
                stored_card_fields(path, card_id, Arc::from(deck), row).map(|card| StoredCard {
                    buried_until,
                    ..card
                }),
            )
        })
        .optional()
        .map_err(|err| explain(path, err))?;
    row.transpose()
}

/// Reads `STATE_COLUMNS, last_review` from column 2 on; the burial is
/// the caller's to fill in.
fn stored_card_fields(path: &Path, id: &str, deck: Arc<str>, row: &Row) -> Result<StoredCard> {
    let damaged = |detail: String| StoreError::DamagedRow {
        path: path.to_path_buf(),
        card: id.to_string(),
        detail,
    };
    let last_review = row
        .get_ref(10)?
        .as_i64()
        .ok()
        .and_then(instant)
        .ok_or_else(|| damaged("bad last review time".into()))?;
    let state = state_from_row(row, 2, last_review).map_err(damaged)?;
    Ok(StoredCard {
        deck,
        state,
        buried_until: None,
    })
}

/// Reads the state columns starting at `first`.
fn state_from_row(
    row: &Row,
    first: usize,
    last_review: DateTime<Utc>,
) -> std::result::Result<CardState, String> {
    // Columns by reference: this runs once per card on every load.
    let integer = |offset: usize| -> std::result::Result<i64, String> {
        row.get_ref(first + offset)
            .map_err(|err| err.to_string())?
            .as_i64()
            .map_err(|err| err.to_string())
    };
    let number = |offset: usize, name: &str| -> std::result::Result<u32, String> {
        let value = integer(offset)?;
        u32::try_from(value).map_err(|_| format!("{name} is {value}"))
    };
    let real = |offset: usize, name: &str| -> std::result::Result<f32, String> {
        let value = match row.get_ref(first + offset).map_err(|err| err.to_string())? {
            rusqlite::types::ValueRef::Real(value) => value,
            rusqlite::types::ValueRef::Integer(value) => value as f64,
            other => return Err(format!("{name} is {other:?}")),
        };
        if value.is_finite() && value > 0.0 {
            Ok(value as f32)
        } else {
            Err(format!("{name} is {value}"))
        }
    };
    let phase_code = integer(0)?;
    let phase = Phase::from_code(phase_code)
        .filter(|phase| *phase != Phase::New)
        .ok_or_else(|| format!("phase is {phase_code}"))?;
    let due_ms = integer(4)?;
    Ok(CardState {
        phase,
        step: number(1, "step")?,
        stability: real(2, "stability")?,
        difficulty: real(3, "difficulty")?,
        due: instant(due_ms).ok_or_else(|| format!("due is {due_ms}"))?,
        last_review,
        interval_days: number(5, "interval")?,
        reps: number(6, "reps")?,
        lapses: number(7, "lapses")?,
    })
}

fn review_from_row(path: &Path, row: &Row) -> Result<Review> {
    let card_id: String = row.get(1)?;
    let damaged = |detail: String| StoreError::DamagedRow {
        path: path.to_path_buf(),
        card: card_id.clone(),
        detail: format!("review {}: {detail}", row.get::<_, i64>(0).unwrap_or(0)),
    };
    let reviewed_at = instant(row.get(3)?).ok_or_else(|| damaged("bad review time".into()))?;
    let grade_code: i64 = row.get(4)?;
    let grade =
        Grade::from_rating(grade_code).ok_or_else(|| damaged(format!("grade is {grade_code}")))?;
    let count = |index: usize| -> Result<u32> {
        let value: i64 = row.get(index)?;
        Ok(u32::try_from(value).map_err(|_| damaged(format!("column {index} is {value}")))?)
    };
    let phase_code: i64 = row.get(7)?;
    let phase_before =
        Phase::from_code(phase_code).ok_or_else(|| damaged(format!("phase is {phase_code}")))?;
    let state = state_from_row(row, 8, reviewed_at).map_err(damaged)?;
    Ok(Review {
        id: row.get(0)?,
        card_id: card_id.clone(),
        deck: row.get(2)?,
        reviewed_at,
        answer_ms: count(6)?,
        transition: Transition {
            grade,
            phase_before,
            elapsed_days: count(5)?,
            state,
        },
    })
}

/// The log summed per day and deck, in `day_total`'s columns: ?1 is the
/// clock's offset east of UTC in seconds, ?2 its day start hour, ?3 the
/// review phase's code. The day arithmetic is the triggers' (schema 3);
/// the large constant keeps the division flooring for times before 1970.
const SUM_ACTIVITY: &str = "
    SELECT (reviewed_at / 1000 + ?1 - ?2 * 3600 + 86400000000) / 86400 - 1000000 AS day,
           deck,
           count(*),
           sum(answer_ms),
           count(*) FILTER (WHERE phase_before = ?3),
           count(*) FILTER (WHERE phase_before = ?3 AND grade >= 2)
    FROM review GROUP BY day, deck";

fn activity_from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    Ok(Activity {
        day: row.get(0)?,
        deck: row.get(1)?,
        reviews: row.get(2)?,
        answer_ms: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
        mature_reviews: row.get(4)?,
        mature_passed: row.get(5)?,
    })
}

fn insert_review(conn: &Connection, review: &NewReview) -> rusqlite::Result<i64> {
    let transition = &review.transition;
    let state = &transition.state;
    conn.prepare_cached(&format!(
        "INSERT INTO review (card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, {STATE_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        review.card_id,
        review.deck,
        state.last_review.timestamp_millis(),
        transition.grade.rating(),
        transition.elapsed_days,
        review.answer_ms,
        transition.phase_before.code(),
        state.phase.code(),
        state.step,
        f64::from(state.stability),
        f64::from(state.difficulty),
        state.due.timestamp_millis(),
        state.interval_days,
        state.reps,
        state.lapses,
    ])?;
    Ok(conn.last_insert_rowid())
}

fn upsert_card(conn: &Connection, review: &NewReview) -> rusqlite::Result<()> {
    let state = &review.transition.state;
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO card (id, deck, {STATE_COLUMNS}, last_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        review.card_id,
        review.deck,
        state.phase.code(),
        state.step,
        f64::from(state.stability),
        f64::from(state.difficulty),
        state.due.timestamp_millis(),
        state.interval_days,
        state.reps,
        state.lapses,
        state.last_review.timestamp_millis(),
    ])?;
    // A review ends a skip: the card has been seen.
    conn.prepare_cached("DELETE FROM buried WHERE card_id = ?1")?
        .execute([&review.card_id])?;
    Ok(())
}

/// Runs `attempt` again while SQLite answers busy, for up to
/// [`BUSY_TIMEOUT`], for the few operations its busy handler does not
/// cover.
fn retry_while_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match attempt() {
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if matches!(
                    failure.code,
                    ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            result => return result,
        }
    }
}

/// Reads `phase, due, stability, last_review, lapses` from column 2 on.
fn summary_from_row(row: &Row) -> std::result::Result<CardSummary, String> {
    let integer = |index: usize| -> std::result::Result<i64, String> {
        row.get_ref(index)
            .map_err(|err| err.to_string())?
            .as_i64()
            .map_err(|err| err.to_string())
    };
    let time = |index: usize, name: &str| {
        let value = integer(index)?;
        instant(value).ok_or_else(|| format!("{name} is {value}"))
    };
    let phase_code = integer(2)?;
    let phase = Phase::from_code(phase_code)
        .filter(|phase| *phase != Phase::New)
        .ok_or_else(|| format!("phase is {phase_code}"))?;
    let stability = match row.get_ref(4).map_err(|err| err.to_string())? {
        rusqlite::types::ValueRef::Real(value) => value,
        rusqlite::types::ValueRef::Integer(value) => value as f64,
        other => return Err(format!("stability is {other:?}")),
    };
    if !(stability.is_finite() && stability > 0.0) {
        return Err(format!("stability is {stability}"));
    }
    let lapses = integer(6)?;
    Ok(CardSummary {
        phase,
        due: time(3, "due")?,
        stability: stability as f32,
        last_review: time(5, "last review")?,
        lapses: u32::try_from(lapses).map_err(|_| format!("lapses is {lapses}"))?,
    })
}

fn instant(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// Turns SQLite's failures into messages that say what to do.
fn explain(path: &Path, err: rusqlite::Error) -> anyhow::Error {
    let code = match &err {
        rusqlite::Error::SqliteFailure(failure, _) => Some(failure.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::NotADatabase) => StoreError::NotPrepDatabase {
            path: path.to_path_buf(),
            detail: "the file is not an SQLite database".into(),
        }
        .into(),
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path: path.to_path_buf(),
            detail: err.to_string(),
        }
        .into(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
            path: path.to_path_buf(),
        }
        .into(),
        Some(ErrorCode::ReadOnly) => anyhow!(
            "{}: cannot write (read-only file or directory); make {} writable",
            path.display(),
            path.parent().unwrap_or(path).display()
        ),
        Some(ErrorCode::CannotOpen) => anyhow!(
            "{}: cannot open ({err}); check that {} exists and is writable",
            path.display(),
            path.parent().unwrap_or(path).display()
        ),
        _ => anyhow::Error::new(err).context(format!("{}: database error", path.display())),
    }
}

#[cfg(test)]
mod tests;
