//! Logs in segments: a device's log is `sync/DEVICE/AA/BB/NNNNNN.jsonl`,
//! closed one after another (after a line or two here, with
//! `PREP_LOG_SEGMENT_BYTES`); a log in the single-file form of an older
//! prep becomes segments with nothing lost, another device's such log is
//! still read, and segments travel through git like any log.

use std::path::{Path, PathBuf};

use crate::sync::{DECK, own_device, remote, sync};
use crate::util::{Home, cards, device_log, grade, history, json_values, log_segments};

/// Segments close after two grades or so.
const SEGMENT: u64 = 700;

/// Grades the deck's cards in turn, a minute apart from `first`.
fn grade_in_turn(home: &Home, hour: u32, count: usize) {
    for n in 0..count {
        let now = format!("2026-01-04T{hour:02}:{n:02}:00Z");
        grade(home, &now, &format!("c{:02}", n % 4), "good");
    }
}

fn check_ok(home: &Home) {
    home.prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-02T12:00:00Z")
        .stdout_contains("\nok\n")
        .run();
}

fn relative(home: &Home, path: &Path) -> PathBuf {
    path.strip_prefix(home.path()).unwrap().to_path_buf()
}

#[test]
fn a_log_closes_its_segment_and_goes_on_in_the_next() {
    let home = Home::with_segment_bytes(SEGMENT);
    home.write_deck("aws", DECK);
    grade_in_turn(&home, 9, 8);
    let device = own_device(&home);
    let segments = log_segments(&home, &device);
    assert!(segments.len() >= 3, "{segments:?}");
    for (number, path) in segments.iter().enumerate() {
        assert_eq!(
            relative(&home, path),
            Path::new(&format!("sync/{device}/00/00/{number:06}.jsonl"))
        );
        // Closed by whole lines once it reached the length.
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.ends_with('\n'));
        if number + 1 < segments.len() {
            assert!(text.len() as u64 >= SEGMENT, "{path:?}: {}", text.len());
        }
    }
    // Every change once, numbered in the order made.
    let lines = json_values(&device_log(&home, &device));
    let numbers: Vec<u64> = lines
        .iter()
        .map(|line| line["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(lines.iter().filter(|line| line["op"] == "grade").count(), 8);
    assert_eq!(history(&home).len(), 8);
    check_ok(&home);
    // A closed segment is never looked at again: moved away, no command
    // notices, and the log goes on.
    let aside = home.path().join("segment-aside");
    std::fs::rename(&segments[0], &aside).unwrap();
    grade(&home, "2026-01-04T10:00:00Z", "c02", "easy");
    assert_eq!(history(&home).len(), 9);
    std::fs::rename(&aside, &segments[0]).unwrap();
    check_ok(&home);
}

#[test]
fn a_home_whose_log_is_one_file_moves_to_segments_with_nothing_lost() {
    let home = Home::with_segment_bytes(SEGMENT);
    home.write_deck("aws", DECK);
    grade_in_turn(&home, 9, 6);
    let device = own_device(&home);
    let applied = device_log(&home, &device);
    // One more review, on disk in the log and never committed by the
    // store (a crash in between), which the move must not lose.
    grade(&home, "2026-01-04T10:00:00Z", "c03", "again");
    let whole = device_log(&home, &device);
    let after = (history(&home), cards(&home, "2026-12-02T12:00:00Z", &[]));
    let last: u64 = json_values(&whole).last().unwrap()["seq"].as_u64().unwrap();
    // The home as an older prep left it: the log in one file, the store
    // at schema 6, which had applied all but the last line.
    std::fs::remove_dir_all(home.path().join("sync").join(&device)).unwrap();
    home.write(format!("sync/{device}.jsonl"), &whole);
    let conn = rusqlite::Connection::open(home.path().join("prep.sqlite")).unwrap();
    conn.execute(
        "DELETE FROM review WHERE device = ?1 AND seq = ?2",
        rusqlite::params![device, last as i64],
    )
    .unwrap();
    conn.execute(
        "UPDATE sync_source SET applied_bytes = ?2, next_seq = ?3 WHERE device = ?1",
        rusqlite::params![device, applied.len() as i64, last as i64],
    )
    .unwrap();
    conn.execute_batch(
        "DROP INDEX card_by_phase_due;
         DROP TRIGGER new_card_reviewed;
         DROP TRIGGER new_card_forgotten;
         DROP TABLE new_card;
         DROP TABLE deck_card;
         DROP TABLE deck_file;
         ALTER TABLE sync_source DROP COLUMN segment;
         ALTER TABLE sync_source DROP COLUMN segment_bytes;
         PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(
        (history(&home), cards(&home, "2026-12-02T12:00:00Z", &[])),
        after
    );
    assert!(!home.path().join(format!("sync/{device}.jsonl")).exists());
    assert_eq!(device_log(&home, &device), whole);
    assert!(log_segments(&home, &device).len() >= 3);
    check_ok(&home);
    // The next change takes the next number, in the last segment.
    grade(&home, "2026-01-04T11:00:00Z", "c00", "good");
    let lines = json_values(&device_log(&home, &device));
    assert_eq!(lines.last().unwrap()["seq"].as_u64(), Some(last + 1));
    check_ok(&home);
}

#[test]
fn another_devices_log_in_one_file_is_read_and_read_on_from_where_it_was_left() {
    let phone = Home::new();
    phone.write_deck("aws", DECK);
    grade_in_turn(&phone, 9, 2);
    let laptop = Home::new();
    laptop.write_deck("aws", DECK);
    grade(&laptop, "2026-01-04T08:00:00Z", "c03", "good");
    let phone_device = own_device(&phone);
    // As a phone running an older prep writes it, copied by a file-sync
    // tool: its whole log in one file.
    let single = format!("sync/{phone_device}.jsonl");
    laptop.write(&single, device_log(&phone, &phone_device));
    assert_eq!(history(&laptop).len(), 3);
    // The phone goes on in the same file; the laptop reads what is new.
    grade_in_turn(&phone, 10, 3);
    laptop.write(&single, device_log(&phone, &phone_device));
    assert_eq!(history(&laptop).len(), 6);
    // The file is the phone's: left as it is.
    assert_eq!(laptop.read(&single), device_log(&phone, &phone_device));
    check_ok(&laptop);
}

#[test]
fn two_homes_exchange_segmented_logs_through_git_and_a_sync_commits_only_the_open_segment() {
    let remote = remote();
    let laptop = Home::with_segment_bytes(SEGMENT);
    laptop.write_deck("aws", DECK);
    sync(&laptop, Some(remote.path()));
    let desktop = Home::with_segment_bytes(SEGMENT);
    sync(&desktop, Some(remote.path()));
    grade_in_turn(&laptop, 9, 7);
    grade_in_turn(&desktop, 10, 7);
    sync(&laptop, None);
    sync(&desktop, None);
    sync(&laptop, None);
    assert_eq!(history(&laptop), history(&desktop));
    assert_eq!(history(&laptop).len(), 14);
    for device in [own_device(&laptop), own_device(&desktop)] {
        let on = |home: &Home| -> Vec<(PathBuf, String)> {
            log_segments(home, &device)
                .iter()
                .map(|path| (relative(home, path), std::fs::read_to_string(path).unwrap()))
                .collect()
        };
        assert!(on(&laptop).len() >= 3);
        assert_eq!(on(&laptop), on(&desktop));
    }
    // One more grade: the sync commits the segment it went into (and the
    // one before, had it just closed), nothing else of the log.
    let device = own_device(&laptop);
    grade(&laptop, "2026-01-04T11:00:00Z", "c01", "easy");
    sync(&laptop, None);
    let segments = log_segments(&laptop, &device);
    let open: Vec<PathBuf> = segments[segments.len().saturating_sub(2)..]
        .iter()
        .map(|path| relative(&laptop, path))
        .collect();
    let committed = std::process::Command::new("git")
        .args(["show", "--name-only", "--format=", "HEAD~0"])
        .current_dir(laptop.path())
        .output()
        .unwrap();
    let committed = String::from_utf8(committed.stdout).unwrap();
    let committed: Vec<PathBuf> = committed.lines().map(PathBuf::from).collect();
    assert!(!committed.is_empty());
    assert!(
        committed.iter().all(|path| open.contains(path)),
        "{committed:?} beyond {open:?}"
    );
    // Two versions of one segment are joined line by line.
    let attributes = laptop.read(".git/info/attributes");
    assert!(
        attributes.contains("/sync/**/*.jsonl merge=union"),
        "{attributes}"
    );
    sync(&desktop, None);
    assert_eq!(history(&laptop), history(&desktop));
}

/// A file-sync tool copies files in any order: a segment may arrive
/// before the end of the one it follows. The earlier one counts as read
/// to its close only once it is as long as a segment grows, so its end,
/// when it comes, is read too.
#[test]
fn a_segment_copied_before_the_end_of_the_one_before_loses_nothing() {
    let phone = Home::with_segment_bytes(SEGMENT);
    phone.write_deck("aws", DECK);
    grade_in_turn(&phone, 9, 7);
    let laptop = Home::with_segment_bytes(SEGMENT);
    laptop.write_deck("aws", DECK);
    grade(&laptop, "2026-01-04T08:00:00Z", "c03", "good");
    let device = own_device(&phone);
    let segments = log_segments(&phone, &device);
    assert!(segments.len() >= 3, "{segments:?}");
    let copy = |path: &Path, text: &str| {
        laptop.write(relative(&phone, path), text);
    };
    // Every segment but the first whole; of the first, its first line.
    for path in &segments[1..] {
        copy(path, &std::fs::read_to_string(path).unwrap());
    }
    let first = std::fs::read_to_string(&segments[0]).unwrap();
    let first_line = &first[..=first.find('\n').unwrap()];
    assert!(first_line.len() < first.len());
    copy(&segments[0], first_line);
    let early = history(&laptop).len();
    assert!(early < 8, "{early}");
    // The rest of it arrives.
    copy(&segments[0], &first);
    assert_eq!(history(&laptop).len(), 8);
    check_ok(&laptop);
    // And the phone goes on.
    grade_in_turn(&phone, 10, 2);
    for path in log_segments(&phone, &device) {
        copy(&path, &std::fs::read_to_string(&path).unwrap());
    }
    assert_eq!(history(&laptop).len(), 10);
    check_ok(&laptop);
}
