use super::*;
use crate::config::Config;
use crate::schedule::{DayClock, Grade, Scheduler};
use chrono::{Duration, FixedOffset};
use std::collections::HashMap;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn scheduler() -> Scheduler {
    Scheduler::for_deck(
        &Config::default(),
        "aws",
        DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
    )
    .unwrap()
}

fn grade(store: &mut Store, card: &str, grade: Grade, now: DateTime<Utc>) -> Review {
    let scheduler = scheduler();
    store
        .record(card, "aws", 1500, |state| {
            scheduler.answer(card, state, grade, now)
        })
        .unwrap()
}

#[test]
fn reviews_and_states_survive_reopening() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    let first = grade(&mut store, "c1", Grade::Good, now);
    let second = grade(&mut store, "c1", Grade::Good, now + Duration::minutes(10));
    grade(&mut store, "c2", Grade::Again, now);
    assert_eq!(second.transition.state.reps, 2);
    assert_eq!(second.transition.phase_before, Phase::Learning);
    drop(store);

    let store = Store::open_existing(home.path()).unwrap().unwrap();
    let states = store.card_states().unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(states["c1"].state, second.transition.state);
    assert_eq!(&*states["c1"].deck, "aws");
    let mut log = Vec::new();
    store
        .for_each_review(None, |review| {
            log.push(review);
            Ok(())
        })
        .unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0], first);
    assert_eq!(log[0].answer_ms, 1500);
    assert!(store.disagreements().unwrap().is_empty());
    assert!(store.integrity_problems().unwrap().is_empty());
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn no_database_is_created_by_readers() {
    let home = tempfile::tempdir().unwrap();
    assert!(Store::open_existing(home.path()).unwrap().is_none());
    assert!(!Store::path_in(home.path()).exists());
}

#[test]
fn undo_puts_the_card_back() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    let first = grade(&mut store, "c1", Grade::Good, now);
    let second = grade(&mut store, "c1", Grade::Easy, now + Duration::minutes(10));
    assert_eq!(store.undo_last("c1", None).unwrap().unwrap(), second);
    assert_eq!(
        store.card_state("c1").unwrap().unwrap().state,
        first.transition.state
    );
    assert_eq!(store.review_count().unwrap(), 1);
    store.undo_last("c1", None).unwrap().unwrap();
    assert!(store.card_state("c1").unwrap().is_none());
    assert!(store.undo_last("c1", None).unwrap().is_none());
    assert!(store.disagreements().unwrap().is_empty());
}

#[test]
fn damaged_foreign_and_newer_files_are_refused_and_untouched() {
    let home = tempfile::tempdir().unwrap();
    let path = Store::path_in(home.path());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "random bytes",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        ("text", b"not a database at all\n".repeat(100)),
    ];
    for (name, bytes) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(home.path())
            .err()
            .unwrap_or_else(|| panic!("{name} opened"));
        let message = format!("{err:#}");
        assert!(message.contains("prep.sqlite"), "{name}: {message}");
        assert!(message.contains("move it away"), "{name}: {message}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was changed");
    }

    // Another program's SQLite database.
    std::fs::remove_file(&path).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE notes (id INTEGER)")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let message = format!("{:#}", Store::open(home.path()).err().unwrap());
    assert!(message.contains("another program"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // A prep database from the future.
    std::fs::remove_file(&path).unwrap();
    drop(Store::open(home.path()).unwrap());
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let message = format!("{:#}", Store::open(home.path()).err().unwrap());
    assert!(message.contains("newer prep"), "{message}");
    assert!(message.contains("99"), "{message}");
}

#[test]
fn disagreements_are_found_and_repaired_from_history() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    for card in ["a", "b", "c"] {
        grade(&mut store, card, Grade::Good, now);
        grade(&mut store, card, Grade::Good, now + Duration::minutes(10));
    }
    store
        .conn
        .execute("UPDATE card SET stability = 99 WHERE id = 'a'", [])
        .unwrap();
    store
        .conn
        .execute("DELETE FROM card WHERE id = 'b'", [])
        .unwrap();
    store
        .conn
        .execute(
            "INSERT INTO card SELECT 'ghost', deck, phase, step, stability, difficulty, due, last_review, interval_days, reps, lapses FROM card WHERE id = 'c'",
            [],
        )
        .unwrap();
    assert_eq!(store.disagreements().unwrap(), vec!["a", "b", "ghost"]);

    let backup = home.path().join("backup.sqlite");
    store.backup_to(&backup).unwrap();
    assert_eq!(store.rebuild_states().unwrap(), 3);
    assert!(store.disagreements().unwrap().is_empty());
    // The backup holds the database as it was before the repair.
    let copy = Connection::open(&backup).unwrap();
    let stability: f64 = copy
        .query_row("SELECT stability FROM card WHERE id = 'a'", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(stability, 99.0);
}

#[test]
fn a_locked_database_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let other = Connection::open(Store::path_in(home.path())).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    store
        .conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let scheduler = scheduler();
    let err = store
        .record("c", "aws", 0, |state| {
            scheduler.answer("c", state, Grade::Good, at("2026-01-05T09:00:00Z"))
        })
        .unwrap_err();
    assert!(
        err.downcast_ref::<StoreError>()
            .is_some_and(|err| matches!(err, StoreError::Locked { .. })),
        "{err:#}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    grade(&mut store, "c", Grade::Good, at("2026-01-05T09:00:00Z"));
}

#[test]
fn due_states_and_scans_agree_with_the_full_load() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    grade(&mut store, "soon", Grade::Again, now); // due in a minute
    grade(&mut store, "later", Grade::Easy, now); // due in days
    grade(&mut store, "buried", Grade::Again, now);
    store.bury("buried", now, now + Duration::days(1)).unwrap();

    let in_an_hour = now + Duration::hours(1);
    let due: Vec<String> = store
        .due_states(in_an_hour, in_an_hour)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(due, ["soon"]);
    // Once the burial is over the card is due again.
    let tomorrow = now + Duration::days(1);
    assert_eq!(store.due_states(tomorrow, tomorrow).unwrap().len(), 2);

    let all = store.card_states().unwrap();
    let mut scanned = HashMap::new();
    store
        .for_each_card(|id, card| {
            scanned.insert(id.to_string(), card);
        })
        .unwrap();
    assert_eq!(scanned, all);
    // Summaries carry the same fields as the full states.
    let mut summaries = 0;
    store
        .for_each_summary(|id, deck, summary| {
            let full = &all[id];
            assert_eq!(deck, &*full.deck);
            let state = &full.state;
            let expected = CardSummary {
                phase: state.phase,
                due: state.due,
                stability: state.stability,
                last_review: state.last_review,
                lapses: state.lapses,
            };
            assert_eq!(summary, expected);
            summaries += 1;
        })
        .unwrap();
    assert_eq!(summaries, 3);
    assert_eq!(store.card_count().unwrap(), 3);
    let mut ids = std::collections::HashSet::new();
    store
        .for_each_reviewed_id(|id| {
            ids.insert(id.to_string());
        })
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains("later"));
    assert_eq!(all["buried"].buried_until, Some(now + Duration::days(1)));
}

#[test]
fn a_version_1_database_is_migrated_with_its_skips() {
    let home = tempfile::tempdir().unwrap();
    let path = Store::path_in(home.path());
    let now = at("2026-01-05T09:00:00Z");
    {
        let v1 = Connection::open(&path).unwrap();
        v1.execute_batch(schema::MIGRATIONS[0]).unwrap();
        v1.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 1;",
            schema::APPLICATION_ID
        ))
        .unwrap();
        let due = now.timestamp_millis();
        let until = (now + Duration::days(1)).timestamp_millis();
        v1.execute(
            "INSERT INTO card VALUES ('a', 'aws', 2, 0, 3.0, 5.0, ?1, ?1, 3, 1, 0, ?2)",
            [due, until],
        )
        .unwrap();
    }
    let store = Store::open(home.path()).unwrap();
    let card = store.card_state("a").unwrap().unwrap();
    assert_eq!(card.buried_until, Some(now + Duration::days(1)));
    assert_eq!(store.buried_ids(now).unwrap().len(), 1);
    assert!(
        store
            .buried_ids(now + Duration::days(2))
            .unwrap()
            .is_empty()
    );
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
}

#[test]
fn new_cards_can_be_skipped_and_a_review_ends_a_skip() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    store.bury("new", now, now + Duration::days(1)).unwrap();
    assert!(store.buried_ids(now).unwrap().contains("new"));
    store.unbury("new", now).unwrap();
    assert!(store.buried_ids(now).unwrap().is_empty());
    store.bury("new", now, now + Duration::days(1)).unwrap();
    grade(&mut store, "new", Grade::Good, now);
    assert!(store.buried_ids(now).unwrap().is_empty());
}

#[test]
fn done_since_counts_first_reviews_and_reviews_of_review_cards() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let day_one = at("2026-01-05T09:00:00Z");
    grade(&mut store, "a", Grade::Easy, day_one);
    grade(&mut store, "b", Grade::Again, day_one);
    grade(&mut store, "b", Grade::Good, day_one);
    let day_two = at("2026-01-20T09:00:00Z");
    grade(&mut store, "a", Grade::Good, day_two); // a review
    grade(&mut store, "c", Grade::Good, day_two); // introduced
    let done = store.done_since(at("2026-01-20T04:00:00Z")).unwrap();
    assert_eq!(
        done,
        DoneToday {
            introduced: 1,
            reviewed: 1
        }
    );
    let all = store.done_since(day_one).unwrap();
    assert_eq!(
        all,
        DoneToday {
            introduced: 3,
            reviewed: 1
        }
    );
    // The next time a wanted card can be shown: its due time, or the end
    // of its skip when that is later; suspended cards never.
    let due = |id: &str| store.card_state(id).unwrap().unwrap().state.due;
    let next = store
        .next_shown(day_two, |id| Ok(id != "c"))
        .unwrap()
        .unwrap();
    let first = ["a", "b"].into_iter().map(due).min().unwrap();
    assert_eq!(next, first);
    let (a, b) = (due("a"), due("b"));
    let (earlier, later) = if a <= b { ("a", b) } else { ("b", a) };
    let skip_end = later + chrono::Duration::hours(1);
    store.bury(earlier, day_two, skip_end).unwrap();
    assert_eq!(
        store.next_shown(day_two, |id| Ok(id != "c")).unwrap(),
        Some(later)
    );
    store
        .suspend(&["a", "b"], day_two, crate::store::SuspendReason::User)
        .unwrap();
    assert_eq!(store.next_shown(day_two, |id| Ok(id != "c")).unwrap(), None);
}

#[test]
fn undo_with_an_expected_review_leaves_a_newer_one_alone() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    let first = grade(&mut store, "c", Grade::Good, now);
    grade(&mut store, "c", Grade::Good, now + Duration::minutes(10));
    assert!(store.undo_last("c", Some(first.id)).unwrap().is_none());
    assert_eq!(store.card_state("c").unwrap().unwrap().state.reps, 2);
}

#[test]
fn kept_day_totals_follow_grades_undos_and_clock_changes() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let utc = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    // Nothing counted yet: the first call counts, and agrees with the log.
    // (Easy takes a new card straight to review.)
    grade(&mut store, "a", Grade::Easy, at("2026-01-05T09:00:00Z"));
    assert_eq!(
        store.activity(utc).unwrap(),
        store.sum_activity((0, 4)).unwrap()
    );
    // From now on the triggers keep them: a late-evening review (day 2 in
    // UTC), a review of a card in review, an undone review.
    grade(&mut store, "b", Grade::Again, at("2026-01-05T23:30:00Z"));
    grade(&mut store, "a", Grade::Hard, at("2026-01-20T09:00:00Z"));
    let undone = grade(&mut store, "c", Grade::Good, at("2026-01-20T10:00:00Z"));
    store.undo_last("c", Some(undone.id)).unwrap();
    let kept = store.day_totals((0, 4)).unwrap().expect("counted with UTC");
    assert_eq!(kept, store.sum_activity((0, 4)).unwrap());
    let days: Vec<(i64, u32, u32, u32)> = kept
        .iter()
        .map(|day| (day.day, day.reviews, day.mature_reviews, day.mature_passed))
        .collect();
    let day = |text: &str| at(text).timestamp().div_euclid(86_400);
    assert_eq!(
        days,
        [
            (day("2026-01-05T00:00:00Z"), 2, 0, 0),
            (day("2026-01-20T00:00:00Z"), 1, 1, 1),
        ]
    );
    assert_eq!(kept[0].answer_ms, 3000);
    // Eight hours east, the 23:30 review falls on the next day: counted
    // again with the new clock, and still the log's sum.
    let east = store
        .activity(DayClock::new(FixedOffset::east_opt(8 * 3600).unwrap(), 4))
        .unwrap();
    assert_eq!(east, store.sum_activity((8 * 3600, 4)).unwrap());
    assert_eq!(east.len(), 3);
    assert!(store.day_totals((0, 4)).unwrap().is_none());
}

/// A store with two cards reviewed, for tests that then break it.
fn reviewed_store() -> (tempfile::TempDir, Store) {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    grade(&mut store, "a", Grade::Good, now);
    grade(&mut store, "a", Grade::Good, now + Duration::minutes(10));
    grade(&mut store, "b", Grade::Again, now);
    (home, store)
}

fn names_the_database(store: &Store, what: &str, err: anyhow::Error) {
    let message = format!("{err:#}");
    let path = store.path().display().to_string();
    assert!(message.contains(&path), "{what}: {message}");
}

#[test]
fn every_error_names_the_database() {
    // Read-only (what a home prep may not write gives): every write fails
    // naming the file, the undo and the repair included.
    let (_home, mut store) = reviewed_store();
    let mut again = Vec::new();
    store
        .for_each_review(None, |review| {
            again.push(NewReview {
                card_id: review.card_id,
                deck: review.deck,
                answer_ms: review.answer_ms,
                transition: review.transition,
            });
            Ok(())
        })
        .unwrap();
    store.conn.execute_batch("PRAGMA query_only = ON").unwrap();
    let scheduler = scheduler();
    let now = at("2026-01-06T09:00:00Z");
    let errors = [
        (
            "record",
            store
                .record("a", "aws", 0, |state| {
                    scheduler.answer("a", state, Grade::Good, now)
                })
                .err(),
        ),
        ("undo_last", store.undo_last("a", None).err()),
        ("rebuild_states", store.rebuild_states().err()),
        ("bury", store.bury("a", now, now).err()),
        ("unbury", store.unbury("a", now).err()),
        ("append", store.append(&again).err()),
    ];
    for (what, err) in errors {
        let err = err.unwrap_or_else(|| panic!("{what} wrote to a read-only store"));
        names_the_database(&store, what, err);
    }

    // Damaged: the review log is gone. Every path that reads it fails
    // naming the file.
    let (_home, mut store) = reviewed_store();
    store.conn.execute_batch("DROP TABLE review").unwrap();
    let errors = [
        ("undo_last", store.undo_last("a", None).err()),
        ("rebuild_states", store.rebuild_states().err()),
        ("review_count", store.review_count().err()),
        ("disagreements", store.disagreements().err()),
        ("first_reviews", store.first_reviews().err()),
        ("done_since", store.done_since(now).err()),
        (
            "for_each_review",
            store.for_each_review(None, |_| Ok(())).err(),
        ),
    ];
    for (what, err) in errors {
        let err = err.unwrap_or_else(|| panic!("{what} read a missing table"));
        names_the_database(&store, what, err);
    }

    // A damaged row names the file and the card.
    let (_home, store) = reviewed_store();
    store
        .conn
        .execute("UPDATE card SET phase = 9 WHERE id = 'b'", [])
        .unwrap();
    let err = store.card_states().unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::DamagedRow { card, .. }) if card == "b"
        ),
        "{err:#}"
    );
    names_the_database(&store, "card_states", err);
}

#[test]
fn activity_falls_back_to_the_log_only_when_the_store_is_read_only() {
    let utc = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    // Read-only: the totals cannot be counted, so the log is summed.
    let (_home, store) = reviewed_store();
    store.conn.execute_batch("PRAGMA query_only = ON").unwrap();
    assert_eq!(
        store.activity(utc).unwrap(),
        store.sum_activity((0, 4)).unwrap()
    );
    assert!(store.day_totals((0, 4)).unwrap().is_none());

    // Locked by another process for longer than the store waits: an
    // error that says so, not a silent slow path.
    let (home, store) = reviewed_store();
    let other = Connection::open(Store::path_in(home.path())).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    store
        .conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let err = store.activity(utc).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::Locked { .. })
        ),
        "{err:#}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        store.activity(utc).unwrap(),
        store.sum_activity((0, 4)).unwrap()
    );

    // Damaged (the kept totals' table is gone): an error naming the file.
    let (_home, store) = reviewed_store();
    store.conn.execute_batch("DROP TABLE day_total").unwrap();
    let err = store.activity(utc).unwrap_err();
    names_the_database(&store, "activity", err);
}

/// A time between two reviews: minutes (learning steps), hours (same day)
/// or days (reviews on time, early or late).
fn gap() -> impl proptest::strategy::Strategy<Value = Duration> {
    use proptest::prelude::*;
    prop_oneof![
        (1i64..60).prop_map(Duration::minutes),
        (1i64..24).prop_map(Duration::hours),
        (1i64..400).prop_map(Duration::days),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Replaying a card's logged grades at their logged times through a
    /// fresh scheduler gives, review by review, the states grading live
    /// stored; and rebuilding the card table from the log gives the live
    /// state too.
    #[test]
    fn replaying_the_log_gives_the_live_state(
        steps in proptest::collection::vec((1u32..=4, gap()), 1..25)
    ) {
        let home = tempfile::tempdir().unwrap();
        let mut store = Store::open(home.path()).unwrap();
        let scheduler = scheduler();
        let mut now = at("2026-01-05T09:00:00Z");
        for (rating, gap) in &steps {
            now += *gap;
            grade(&mut store, "c1", Grade::from_rating(i64::from(*rating)).unwrap(), now);
        }
        let live = store.card_state("c1").unwrap().unwrap().state;

        let mut logged = Vec::new();
        store
            .for_each_review(None, |review| {
                logged.push(review);
                Ok(())
            })
            .unwrap();
        proptest::prop_assert_eq!(logged.len(), steps.len());
        let mut replayed: Option<CardState> = None;
        for review in &logged {
            let transition = scheduler
                .answer("c1", replayed.as_ref(), review.transition.grade, review.reviewed_at)
                .unwrap();
            proptest::prop_assert_eq!(transition, review.transition);
            replayed = Some(transition.state);
        }
        proptest::prop_assert_eq!(replayed, Some(live));

        store.rebuild_states().unwrap();
        proptest::prop_assert_eq!(store.card_state("c1").unwrap().unwrap().state, live);
    }
}

/// What is in a directory, by name.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_store_opened_read_only_reads_and_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    let now = at("2026-01-05T09:00:00Z");
    let reviewed = grade(&mut store, "c1", Grade::Good, now);
    drop(store);
    let path = Store::path_in(home.path());
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(files_in(home.path()), ["prep.sqlite"]);

    let mut store = Store::open_read_only(home.path()).unwrap().unwrap();
    assert!(store.is_read_only());
    assert_eq!(
        store.card_states().unwrap()["c1"].state,
        reviewed.transition.state
    );
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    assert_eq!(store.activity(clock).unwrap().len(), 1);
    // A write fails, saying why, and changes nothing.
    let scheduler = scheduler();
    let err = store
        .record("c2", "aws", 0, |state| {
            scheduler.answer("c2", state, Grade::Good, now)
        })
        .unwrap_err();
    assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // Not even SQLite's -wal and -shm files were made.
    assert_eq!(files_in(home.path()), ["prep.sqlite"]);
    assert!(
        Store::open_read_only(tempfile::tempdir().unwrap().path())
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_home_without_write_permission_is_opened_read_only() {
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(home.path()).unwrap();
    grade(&mut store, "c1", Grade::Good, at("2026-01-05T09:00:00Z"));
    drop(store);
    let path = Store::path_in(home.path());
    let writable = std::fs::metadata(&path).unwrap().permissions();
    let mut read_only = writable.clone();
    read_only.set_readonly(true);
    std::fs::set_permissions(&path, read_only).unwrap();
    let store = Store::open_existing(home.path()).unwrap().unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.card_states().unwrap().len(), 1);
    drop(store);
    std::fs::set_permissions(&path, writable).unwrap();
    let store = Store::open_existing(home.path()).unwrap().unwrap();
    assert!(!store.is_read_only());
}
