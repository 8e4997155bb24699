//! The database schema and its migrations. `PRAGMA user_version` holds the
//! number of migrations applied; `PRAGMA application_id` marks the file as
//! prep's, so that prep never adopts some other program's database.
//!
//! The "Review store" section of docs/files.md documents these tables;
//! change both together, and add a migration rather than editing one that
//! has shipped.

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
    // 3: the review log summed per day and deck, kept by triggers, so that
    // statistics over a million reviews read a few thousand rows. A day
    // depends on the user's time zone and day start, which the log does
    // not know: `day_clock` holds the ones the totals were counted with,
    // and while it is empty the triggers do nothing.
    // [`super::Store::activity`] (re)counts the totals when the clock is
    // missing or different. Phase 2 is review, grade 2 is Hard.
    "
    CREATE TABLE day_clock (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        offset_seconds INTEGER NOT NULL,
        starts_at_hour INTEGER NOT NULL
    );
    CREATE TABLE day_total (
        day            INTEGER NOT NULL,
        deck           TEXT NOT NULL,
        reviews        INTEGER NOT NULL,
        answer_ms      INTEGER NOT NULL,
        mature_reviews INTEGER NOT NULL,
        mature_passed  INTEGER NOT NULL,
        PRIMARY KEY (day, deck)
    ) WITHOUT ROWID;
    CREATE TRIGGER day_total_insert AFTER INSERT ON review
    BEGIN
        INSERT INTO day_total (day, deck, reviews, answer_ms, mature_reviews, mature_passed)
            SELECT (NEW.reviewed_at / 1000 + offset_seconds - starts_at_hour * 3600 + 86400000000) / 86400 - 1000000,
                   NEW.deck, 1, NEW.answer_ms,
                   NEW.phase_before = 2, NEW.phase_before = 2 AND NEW.grade >= 2
            FROM day_clock WHERE true
            ON CONFLICT (day, deck) DO UPDATE SET
                reviews = reviews + 1,
                answer_ms = answer_ms + excluded.answer_ms,
                mature_reviews = mature_reviews + excluded.mature_reviews,
                mature_passed = mature_passed + excluded.mature_passed;
    END;
    CREATE TRIGGER day_total_delete AFTER DELETE ON review
    BEGIN
        UPDATE day_total SET
                reviews = reviews - 1,
                answer_ms = answer_ms - OLD.answer_ms,
                mature_reviews = mature_reviews - (OLD.phase_before = 2),
                mature_passed = mature_passed - (OLD.phase_before = 2 AND OLD.grade >= 2)
            WHERE deck = OLD.deck AND day = (
                SELECT (OLD.reviewed_at / 1000 + offset_seconds - starts_at_hour * 3600 + 86400000000) / 86400 - 1000000
                FROM day_clock);
        DELETE FROM day_total WHERE reviews <= 0;
    END;
    -- Nothing updates the log in place; should anything ever, the totals
    -- are counted again rather than adjusted.
    CREATE TRIGGER day_total_update AFTER UPDATE ON review
    BEGIN
        DELETE FROM day_clock;
        DELETE FROM day_total;
    END;
    ",
    // 4: what a person decides about a card, kept apart from its schedule:
    // put aside (`suspended`, by hand or as a leech), marked to come back
    // to, and put back to new (`forgotten`: the reviews up to
    // `last_review_id` stay in the log, as history, but no longer make
    // the card's state). New cards have no row in `card`, so each is a
    // table of its own, as skips are.
    "
    CREATE TABLE suspended (
        card_id TEXT PRIMARY KEY,
        since   INTEGER NOT NULL,
        reason  TEXT NOT NULL CHECK (reason IN ('user', 'leech'))
    ) WITHOUT ROWID;
    CREATE TABLE marked (
        card_id TEXT PRIMARY KEY,
        since   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE forgotten (
        card_id        TEXT PRIMARY KEY,
        at             INTEGER NOT NULL,
        last_review_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    ",
    // 5: the store as a cache of the devices' review logs (`cache.rs`):
    // which line each review is, this home's device id, how far each log
    // is applied, and the lines that are not reviews. Rows from before
    // belong to no device until the store is attached to its log, which
    // numbers them as this device's first lines.
    "
    ALTER TABLE review ADD COLUMN device TEXT;
    ALTER TABLE review ADD COLUMN seq INTEGER;
    ALTER TABLE review ADD COLUMN after TEXT;
    ALTER TABLE review ADD COLUMN logged TEXT;
    CREATE UNIQUE INDEX review_by_event ON review (device, seq);
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE sync_source (
        device        TEXT PRIMARY KEY,
        applied_bytes INTEGER NOT NULL,
        next_seq      INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE card_change (
        device  TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        card_id TEXT NOT NULL,
        at      INTEGER NOT NULL,
        line    TEXT NOT NULL,
        PRIMARY KEY (device, seq)
    ) WITHOUT ROWID;
    CREATE INDEX card_change_by_card ON card_change (card_id);
    DROP INDEX review_by_time;
    CREATE INDEX review_by_time ON review (reviewed_at, device, seq);
    -- Numbering the log's reviews changes no total: only the columns the
    -- totals are made of count them again.
    DROP TRIGGER day_total_update;
    CREATE TRIGGER day_total_update
        AFTER UPDATE OF reviewed_at, deck, grade, answer_ms, phase_before ON review
    BEGIN
        DELETE FROM day_clock;
        DELETE FROM day_total;
    END;
    ",
    // 6: each device's setup lines (`journal/setup.rs`): what it scheduled
    // with from that line on, which replay decides its reviews with.
    "
    CREATE TABLE setup (
        device TEXT NOT NULL,
        seq    INTEGER NOT NULL,
        line   TEXT NOT NULL,
        PRIMARY KEY (device, seq)
    ) WITHOUT ROWID;
    ",
    // 7: logs in segments (`journal/log.rs`): for each device, the first
    // segment not yet read to its close, and how far it is read; every
    // segment before it is closed and applied, and never looked at again.
    // `applied_bytes` stays for a log in the single-file form.
    "
    ALTER TABLE sync_source ADD COLUMN segment INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_source ADD COLUMN segment_bytes INTEGER NOT NULL DEFAULT 0;
    ",
    // 8: the deck index (`deck_index.rs`): the cards each deck file gives,
    // as of the file's stamp, so that a session finds its cards without
    // reading every deck; and which of them are new (no `card` row), kept
    // exact by triggers on `card` whatever writes it. Cards by phase and
    // due time, so that a session reads the reviews it takes and the
    // cards in learning, not every card due.
    "
    CREATE TABLE deck_file (
        deck   TEXT PRIMARY KEY,
        stamp  BLOB,
        cards  INTEGER NOT NULL,
        shared INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE deck_card (
        deck     TEXT NOT NULL,
        position INTEGER NOT NULL,
        id       TEXT NOT NULL,
        side     INTEGER NOT NULL,
        cloze_of INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer   TEXT NOT NULL,
        reverse  INTEGER,
        tags     TEXT NOT NULL,
        source   TEXT
    );
    CREATE UNIQUE INDEX deck_card_by_place ON deck_card (deck, position);
    CREATE INDEX deck_card_by_id ON deck_card (id);
    CREATE TABLE new_card (
        deck     TEXT NOT NULL,
        position INTEGER NOT NULL,
        id       TEXT NOT NULL,
        PRIMARY KEY (deck, position)
    ) WITHOUT ROWID;
    CREATE INDEX new_card_by_id ON new_card (id);
    CREATE INDEX card_by_phase_due ON card (phase, due);
    CREATE TRIGGER new_card_reviewed AFTER INSERT ON card
    BEGIN
        DELETE FROM new_card WHERE id = NEW.id;
    END;
    CREATE TRIGGER new_card_forgotten AFTER DELETE ON card
    BEGIN
        INSERT OR IGNORE INTO new_card (deck, position, id)
            SELECT deck, position, id FROM deck_card WHERE id = OLD.id;
    END;
    ",
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The state columns, in the order both tables list them after their keys.
pub const STATE_COLUMNS: &str =
    "phase, step, stability, difficulty, due, interval_days, reps, lapses";
