//! The review database under stress and abuse: processes killed while
//! grading, two processes grading at once, files that are not prep's
//! database, `prep check --repair`, and a home prep may only read.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::util::Home;

fn deck(cards: usize) -> String {
    let mut deck = String::from("cards:\n");
    for n in 0..cards {
        deck.push_str(&format!(
            "- id: c{n:02}\n  question: Question {n}?\n  answer: Answer {n}.\n"
        ));
    }
    deck
}

/// (card, reps) of every review in the history.
fn history(home: &Home) -> Vec<(String, u64)> {
    let output = home.prep().args(["history", "--json"]).any_stdout().run();
    output
        .stdout
        .lines()
        .map(|line| {
            let review: Value = serde_json::from_str(line).unwrap();
            (
                review["card"].as_str().unwrap().to_string(),
                review["reps"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A small deterministic generator, so a failing run can be repeated.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// Rounds of the kill test: a few by default, 120 with `PREP_SOAK=1` (the
/// soak the closing notes run).
fn kill_rounds() -> u32 {
    if crate::util::soak() { 120 } else { 12 }
}

#[test]
fn grades_acknowledged_before_kill_9_are_never_lost() {
    let rounds = kill_rounds();
    let home = Home::new();
    home.write_deck("kill", &deck(12));
    let mut random = Lcg(20_260_105);
    let mut acknowledged: Vec<(String, u64)> = Vec::new();
    let mut killed_mid_stream = 0;
    for round in 0..rounds {
        let now = format!("2026-01-05T{:02}:{:02}:00Z", 9 + round / 60, round % 60);
        let mut child = home
            .spawnable()
            .args(["grade", "--stdin", "--json"])
            .env("PREP_NOW", &now)
            // Segments of a dozen lines: kills land as one closes too.
            .env("PREP_LOG_SEGMENT_BYTES", "4096")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            for n in 0..400 {
                let grade = ["good", "again", "hard", "easy"][n % 4];
                if writeln!(stdin, "c{:02} {grade}", n % 12).is_err() {
                    break;
                }
            }
        });
        // Acknowledgements as they arrive, so the kill can wait for some
        // whatever the machine's load.
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // A line cut by the kill is not an acknowledgement.
                if let Ok(ack) = serde_json::from_str::<Value>(&line) {
                    let ack = (
                        ack["card"].as_str().unwrap().to_string(),
                        ack["reps"].as_u64().unwrap(),
                    );
                    if sender.send(ack).is_err() {
                        break;
                    }
                }
            }
        });
        // Kill at a random moment: one round in four soon after the start
        // (before the database opens, or while it is created), the others
        // after a random number of acknowledged grades, in the middle of
        // the stream.
        let mut acks = Vec::new();
        if random.below(4) == 0 {
            std::thread::sleep(Duration::from_micros(random.below(5_000)));
        } else {
            let wanted = 1 + random.below(300) as usize;
            while acks.len() < wanted {
                match receiver.recv_timeout(Duration::from_secs(30)) {
                    Ok(ack) => acks.push(ack),
                    Err(_) => break,
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        writer.join().unwrap();
        reader.join().unwrap();
        acks.extend(receiver.try_iter());
        if !acks.is_empty() && acks.len() < 400 {
            killed_mid_stream += 1;
        }
        acknowledged.extend(acks);
    }
    // (three rounds in four wait for acknowledgements before the kill)
    assert!(
        killed_mid_stream >= rounds / 6,
        "only {killed_mid_stream} of {rounds} kills landed mid-stream"
    );

    let recorded: BTreeSet<(String, u64)> = history(&home).into_iter().collect();
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|ack| !recorded.contains(ack))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the history: {missing:?}"
    );
    // So does this device's review log, which another device would
    // replay: every acknowledged review is a line of it.
    let log = std::fs::read_dir(home.path().join("sync"))
        .unwrap()
        .map(|entry| {
            let device = entry.unwrap().file_name();
            crate::util::device_log(&home, &device.to_string_lossy())
        })
        .collect::<String>();
    let logged: BTreeSet<(String, u64)> = crate::util::json_values(&log)
        .into_iter()
        .filter(|line| line["op"] == "grade")
        .map(|line| {
            (
                line["card"].as_str().unwrap().to_string(),
                line["reps"].as_u64().unwrap(),
            )
        })
        .collect();
    let unlogged: Vec<_> = acknowledged
        .iter()
        .filter(|ack| !logged.contains(ack))
        .collect();
    assert!(
        unlogged.is_empty(),
        "acknowledged but not in the log: {unlogged:?}"
    );
    // The database opens, passes SQLite's integrity check, every card's
    // state is the one its history ends with, and the store and the log
    // agree.
    home.prep()
        .args(["check"])
        .stdout_contains("integrity ok")
        .stdout_contains("\nok\n")
        .run();
}

#[test]
fn two_processes_grading_the_same_cards_lose_nothing() {
    let home = Home::new();
    home.write_deck("pair", &deck(8));
    let lines: String = (0..150).map(|n| format!("c{:02} good\n", n % 8)).collect();
    let spawn = || {
        let mut child = home
            .spawnable()
            .args(["grade", "--stdin", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(lines.as_bytes())
            .unwrap();
        child
    };
    let (first, second) = (spawn(), spawn());
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 150);
    }
    // Every grade of both is in the history, and each card's reviews
    // count up 1, 2, 3, ... with no repeats: each grade read the state the
    // other process had just written.
    let mut reps: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (card, rep) in history(&home) {
        reps.entry(card).or_default().push(rep);
    }
    assert_eq!(reps.values().map(Vec::len).sum::<usize>(), 300);
    for (card, mut seen) in reps {
        seen.sort_unstable();
        let expected: Vec<u64> = (1..=seen.len() as u64).collect();
        assert_eq!(seen, expected, "card {card}");
    }
    home.prep().args(["check"]).stdout_contains("\nok\n").run();
}

#[test]
fn a_file_that_is_not_the_database_is_refused_and_kept() {
    let home = Home::new();
    home.write_deck("aws", &deck(2));
    for (name, bytes) in [
        (
            "random bytes",
            (0..8192u32)
                .map(|n| (n.wrapping_mul(2_654_435_761) >> 11) as u8)
                .collect::<Vec<u8>>(),
        ),
        ("text", b"these are my notes\n".repeat(50)),
    ] {
        home.write("prep.sqlite", &bytes);
        for args in [
            &["grade", "c00", "good"][..],
            &["cards"],
            &["history"],
            &["check"],
            &["optimize"],
        ] {
            let output = home
                .prep()
                .args(args)
                .stderr_contains("[HOME]/prep.sqlite: not a prep review database")
                .stderr_contains("move it away")
                .any_stdout()
                .status(1)
                .unchanged()
                .run();
            assert_eq!(
                output.stderr.lines().count(),
                1,
                "{name}: {args:?}: {}",
                output.stderr
            );
        }
    }
}

#[test]
fn a_truncated_database_is_refused_and_kept() {
    let home = Home::new();
    home.write_deck("aws", &deck(40));
    let lines: String = (0..40).map(|n| format!("c{n:02} good\n")).collect();
    home.prep()
        .args(["grade", "--stdin"])
        .stdin(lines)
        .any_stdout()
        .run();
    // Fold the WAL into the main file, then cut the file short.
    rusqlite::Connection::open(home.path().join("prep.sqlite"))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let full = std::fs::read(home.path().join("prep.sqlite")).unwrap();
    assert!(full.len() > 8192);
    home.write("prep.sqlite", &full[..full.len() / 2]);
    let _ = std::fs::remove_file(home.path().join("prep.sqlite-wal"));
    let _ = std::fs::remove_file(home.path().join("prep.sqlite-shm"));
    let output = home
        .prep()
        .args(["cards"])
        .any_stdout()
        .any_stderr()
        .status(1)
        .unchanged()
        .run();
    assert!(
        output.stderr.starts_with("error: [HOME]/prep.sqlite"),
        "{}",
        output.stderr
    );
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
}

#[test]
fn a_database_from_a_newer_prep_is_refused_and_kept() {
    let home = Home::new();
    home.write_deck("aws", &deck(2));
    home.prep()
        .args(["grade", "c00", "good"])
        .any_stdout()
        .run();
    rusqlite::Connection::open(home.path().join("prep.sqlite"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 9")
        .unwrap();
    home.prep()
        .args(["grade", "c01", "good"])
        .stderr(
            "error: [HOME]/prep.sqlite: written by a newer prep (schema version 9, this prep knows up to 8); upgrade prep, or move the file away\n",
        )
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn check_finds_states_that_disagree_with_history_and_repair_rebuilds_them() {
    let home = Home::new();
    home.write_deck("aws", &deck(3));
    home.prep()
        .args(["grade", "--stdin"])
        .stdin("c00 good\nc01 good\nc02 easy\nc00 good\n")
        .any_stdout()
        .run();
    let before = home
        .prep()
        .args(["cards", "--json"])
        .any_stdout()
        .run()
        .json();
    {
        let db = rusqlite::Connection::open(home.path().join("prep.sqlite")).unwrap();
        db.execute_batch("UPDATE card SET stability = 1000, due = 0 WHERE id = 'c00'; DELETE FROM card WHERE id = 'c01';")
            .unwrap();
    }
    home.prep()
        .args(["check"])
        .any_stdout()
        .stderr(
            "error: [HOME]/prep.sqlite: 2 cards have a state that disagrees with their history (c00, c01); run `prep check --repair`\n",
        )
        .status(1)
        .unchanged()
        .run();
    let repaired = home
        .prep()
        .args(["check", "--repair"])
        .env("PREP_NOW", "2026-01-05T10:00:00Z")
        .any_stdout()
        .run();
    assert!(
        repaired
            .stdout
            .contains("backup: [HOME]/prep.sqlite.backup-20260105T100000\n"),
        "{}",
        repaired.stdout
    );
    assert!(
        repaired
            .stdout
            .contains("repaired: 0 lines applied from the logs, 0 changes written back to this device's log, 2 cards folded again from the logs (3 cards have a state)"),
        "{}",
        repaired.stdout
    );
    let backup = home.path().join("prep.sqlite.backup-20260105T100000");
    // Whole, and under its name only once whole.
    let reviews: i64 = rusqlite::Connection::open(&backup)
        .unwrap()
        .query_row("SELECT count(*) FROM review", [], |row| row.get(0))
        .unwrap();
    assert!(reviews > 0);
    assert!(
        !home
            .path()
            .join("prep.sqlite.backup-20260105T100000.partial")
            .exists()
    );
    let after = home
        .prep()
        .args(["cards", "--json"])
        .any_stdout()
        .run()
        .json();
    assert_eq!(before, after);
    home.prep().args(["check"]).stdout_contains("\nok\n").run();
}

/// Takes the write permission off everything under a home, and gives it
/// back when dropped, so that the home can be deleted whatever happens.
#[cfg(unix)]
struct WriteProtected<'a>(&'a Home);

#[cfg(unix)]
impl<'a> WriteProtected<'a> {
    fn new(home: &'a Home) -> WriteProtected<'a> {
        set_modes(home.path(), 0o555, 0o444);
        WriteProtected(home)
    }
}

#[cfg(unix)]
impl Drop for WriteProtected<'_> {
    fn drop(&mut self) {
        set_modes(self.0.path(), 0o755, 0o644);
    }
}

/// `chmod -R`, with one mode for directories and one for files.
#[cfg(unix)]
fn set_modes(path: &std::path::Path, dirs: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path).unwrap();
    if meta.is_dir() {
        // Open the directory before reading it, close it after.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        for entry in std::fs::read_dir(path).unwrap() {
            set_modes(&entry.unwrap().path(), dirs, files);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(dirs)).unwrap();
    } else if meta.is_file() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(files)).unwrap();
    }
}

/// A home without write permission (a backup, another user's, a copy on a
/// read-only disk) still answers `prep stats`, `prep cards`, `prep show`
/// and `prep history`, and nothing in it changes: no SQLite -wal or -shm
/// file, no counted day totals, no log applied. The superuser, whom
/// permissions do not stop, is kept out too: prep takes the missing write
/// bits as the user's wish, so this runs the same as root and as a user.
#[cfg(unix)]
#[test]
fn a_write_protected_home_can_still_be_read() {
    let home = Home::new();
    home.write_deck("aws", crate::util::THREE_CARDS);
    crate::util::grade(&home, crate::util::NOW, "one", "good");
    crate::util::grade(&home, "2026-01-05T09:10:00Z", "one", "good");
    crate::util::grade(&home, crate::util::NOW, "two", "again");
    let _protected = WriteProtected::new(&home);

    let stats = home
        .prep()
        .args(["stats", "--json"])
        .any_stdout()
        .unchanged()
        .run()
        .json();
    assert_eq!(stats["total"]["learning"], 1, "{stats}");
    assert_eq!(stats["total"]["review"], 1, "{stats}");
    home.prep()
        .args(["stats"])
        .stdout_contains("aws")
        .unchanged()
        .run();
    let cards = home
        .prep()
        .args(["cards", "--json"])
        .any_stdout()
        .unchanged()
        .run();
    let cards = crate::util::json_values(&cards.stdout);
    assert_eq!(crate::util::card(&cards, "one")["state"], "review");
    assert_eq!(crate::util::card(&cards, "three")["state"], "new");
    home.prep()
        .args(["show", "two"])
        .stdout_contains("learning")
        .unchanged()
        .run();
    let history = home
        .prep()
        .args(["history", "--json"])
        .any_stdout()
        .unchanged()
        .run();
    assert_eq!(crate::util::json_values(&history.stdout).len(), 3);
}
