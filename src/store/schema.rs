//! The database schema and its migrations. `PRAGMA user_version` holds the
//! number of migrations applied; `PRAGMA application_id` marks the file as
//! prep's, so that prep never adopts some other program's database.
//!
//! The README's "Review store" section documents these tables; change both
//! together, and add a migration rather than editing one that has shipped.

/// "prep" in ASCII.
pub const APPLICATION_ID: i64 = 0x7072_6570;

/// Each entry moves the schema from version `index` to `index + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: cards' current state and the review log.
    "
    CREATE TABLE card (
        id            TEXT PRIMARY KEY,
        deck          TEXT NOT NULL,
        phase         INTEGER NOT NULL,
        step          INTEGER NOT NULL,
        stability     REAL NOT NULL,
        difficulty    REAL NOT NULL,
        due           INTEGER NOT NULL,
        last_review   INTEGER NOT NULL,
        interval_days INTEGER NOT NULL,
        reps          INTEGER NOT NULL,
        lapses        INTEGER NOT NULL,
        buried_until  INTEGER
    ) WITHOUT ROWID;

    CREATE TABLE review (
        id            INTEGER PRIMARY KEY,
        card_id       TEXT NOT NULL,
        deck          TEXT NOT NULL,
        reviewed_at   INTEGER NOT NULL,
        grade         INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
        elapsed_days  INTEGER NOT NULL,
        answer_ms     INTEGER NOT NULL,
        phase_before  INTEGER NOT NULL,
        phase         INTEGER NOT NULL,
        step          INTEGER NOT NULL,
        stability     REAL NOT NULL,
        difficulty    REAL NOT NULL,
        due           INTEGER NOT NULL,
        interval_days INTEGER NOT NULL,
        reps          INTEGER NOT NULL,
        lapses        INTEGER NOT NULL
    );
    CREATE INDEX review_by_card ON review (card_id, id);
    CREATE INDEX review_by_time ON review (reviewed_at);
    ",
    // 2: skips in a table of their own, so that a new card (which has no
    // row in `card`) can be skipped too.
    "
    CREATE TABLE buried (
        card_id TEXT PRIMARY KEY,
        until   INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO buried (card_id, until)
        SELECT id, buried_until FROM card WHERE buried_until IS NOT NULL;
    ALTER TABLE card DROP COLUMN buried_until;
    CREATE INDEX card_by_due ON card (due);
    ",
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The state columns, in the order both tables list them after their keys.
pub const STATE_COLUMNS: &str =
    "phase, step, stability, difficulty, due, interval_days, reps, lapses";
