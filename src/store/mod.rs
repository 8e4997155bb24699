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

The store's files, one concern each: `open.rs` (connecting, checking the
file is prep's, migrating), `cards.rs` (reading the cards' states),
`reviews.rs` (reading the review log), `activity.rs` (the log summed per
day, and the counts the daily limits need), `write.rs` (grades, bulk
appends, undo, skips), `bulk.rs` (a whole history loaded into an empty
store at once), `flags.rs` (suspending, marking, forgetting),
`cache.rs` (every change through the device's log, and catching up
with the other devices' logs, whose format and fold are
[`crate::journal`]'s), `replay.rs` (folding a card's changes into its
rows), `adopt.rs` (this device's log made whole from the store),
`check.rs` (integrity, repair, backup), `rows.rs` (decoding rows) and
`schema.rs`. This file holds the types and the
errors. Every error leaving the store passes through `explained`, which
names the database, so no path of the store can forget to.
*/

mod activity;
mod adopt;
mod bulk;
mod cards;
mod check;
mod deck_index;
pub use check::Repaired;
pub use deck_index::{IndexedCard, IndexedDeck};
mod cache;
mod flags;
mod open;
mod replay;
mod reviews;
mod rows;
mod schema;
mod sources;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode};

use crate::journal::event::EventId;
pub use crate::journal::event::SuspendReason;
pub use crate::journal::fold::Suspension;
use crate::schedule::{CardState, Phase, Transition};
pub use cache::{CatchUp, LogDisagreements};
pub use flags::Flags;
pub use schema::latest_version;

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

/// A review made elsewhere, placed after the review its writer's state
/// followed (for reviews made in Anki on a deck prep exported): replay
/// puts it among the card's reviews by time, and decides again whatever
/// its place makes out of date.
#[derive(Debug, Clone)]
pub struct PlacedReview {
    pub review: NewReview,
    pub follows: Follows,
}

/// Which review a [`PlacedReview`]'s writer had seen last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follows {
    /// None: the card was new where it was made.
    Nothing,
    /// One the store holds.
    Held(EventId),
    /// An earlier one of the same batch, by its index there.
    Earlier(usize),
}

/// What the store holds of one card's reviews, for telling reviews made
/// elsewhere from copies of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardHistory {
    /// Every review held, with its change id, in replay's order.
    pub reviews: Vec<(EventId, Review)>,
    /// When the reviews undone here were made (an undo is logged at its
    /// review's time).
    pub undone_at: Vec<DateTime<Utc>>,
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
    journal: cache::Journal,
    /// Opened for reading only ([`Store::open_read_only`]): every write
    /// fails, and nothing beside the file is made.
    read_only: bool,
}

impl Store {
    /// The database path in a home directory.
    pub fn path_in(home: &Path) -> PathBuf {
        home.join(FILE_NAME)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A failure inside the store, before it is told which database it is
/// about. Store code returns this rather than `anyhow::Error`, so `?` on a
/// rusqlite result can only make a [`Cause::Sqlite`], which
/// [`Failure::naming`] explains with the path: no error of SQLite's leaves
/// the store without the database's name. Boxed, so that the results of
/// the per-row functions the scans call 100,000 times stay small.
#[derive(Debug)]
struct Failure(Box<Cause>);

#[derive(Debug)]
enum Cause {
    /// SQLite's own error, explained at the boundary.
    Sqlite(rusqlite::Error),
    /// A row that does not hold what prep wrote.
    DamagedRow { card: String, detail: String },
    /// An error that already says what it is about: the caller's own
    /// (from a callback), or one naming some other file.
    Told(anyhow::Error),
}

/// Results inside the store; public methods return `anyhow::Result`
/// through [`explained`].
type Result<T, E = Failure> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Failure {
    fn from(err: rusqlite::Error) -> Failure {
        Failure(Box::new(Cause::Sqlite(err)))
    }
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Failure {
        Failure(Box::new(Cause::Told(err)))
    }
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Failure {
        Failure::from(anyhow::Error::from(err))
    }
}

impl Failure {
    /// The row of `card` is damaged: `detail` says how.
    fn damaged_row(card: &str, detail: String) -> Failure {
        Failure(Box::new(Cause::DamagedRow {
            card: card.to_string(),
            detail,
        }))
    }

    /// SQLite's primary result code, when the failure is SQLite's.
    fn code(&self) -> Option<ErrorCode> {
        match &*self.0 {
            Cause::Sqlite(err) => err.sqlite_error_code(),
            _ => None,
        }
    }

    /// The one place a store failure becomes the error users read.
    fn naming(self, path: &Path) -> anyhow::Error {
        match *self.0 {
            Cause::Sqlite(err) => explain(path, err),
            Cause::DamagedRow { card, detail } => StoreError::DamagedRow {
                path: path.to_path_buf(),
                card,
                detail,
            }
            .into(),
            Cause::Told(err) => err,
        }
    }
}

/// The store's error boundary: every public method of [`Store`] runs its
/// body through this, so whatever goes wrong in it comes out naming the
/// database.
fn explained<T>(path: &Path, body: impl FnOnce() -> Result<T>) -> anyhow::Result<T> {
    body().map_err(|failure| failure.naming(path))
}

/// Turns SQLite's failures into messages that say what to do.
fn explain(path: &Path, err: rusqlite::Error) -> anyhow::Error {
    match err.sqlite_error_code() {
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
