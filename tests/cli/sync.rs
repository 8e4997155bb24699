//! Review on several machines: homes set up from one git remote (a bare
//! repository in a temporary folder; no network), homes kept in step by
//! copying files as a file-sync tool does, and `kill -9` in the middle of
//! a sync.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::util::{Home, copy_sync_folder, device_log, history, json_values, last_segment};

pub(crate) const DECK: &str = "\
cards:
- id: c00
  question: What is a VPC?
  answer: A private network in AWS.
- id: c01
  question: What is S3?
  answer: Object storage.
- id: c02
  question: What is EC2?
  answer: Virtual machines.
- id: c03
  question: What is IAM?
  answer: Identity and access management.
- id: c04
  question: What is RDS?
  answer: Managed relational databases.
- id: c05
  question: What is SQS?
  answer: A message queue.
";

/// A bare repository to sync through.
pub(crate) fn remote() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("prep-remote-")
        .tempdir()
        .unwrap();
    let status = std::process::Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// `prep sync` (with `--init URL` when given) in `home`, with no git
/// identity configured, as on a fresh machine. Returns stdout.
pub(crate) fn sync(home: &Home, init: Option<&Path>) -> String {
    let mut test = home
        .prep()
        .arg("sync")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PREP_NOW", "2026-12-01T12:00:00Z")
        .any_stdout();
    if let Some(url) = init {
        test = test.arg("--init").arg(url);
    }
    test.run().stdout
}

fn grade(home: &Home, now: &str, card: &str, grade: &str) {
    crate::util::grade(home, now, card, grade);
}

fn cards_json(home: &Home) -> String {
    home.prep()
        .args(["cards", "--json"])
        .env("PREP_NOW", "2026-12-03T12:00:00Z")
        .any_stdout()
        .run()
        .stdout
}

/// Two homes set up from one remote, the first with the deck.
fn two_homes(remote: &Path) -> (Home, Home) {
    let laptop = Home::new();
    laptop.write_deck("aws", DECK);
    sync(&laptop, Some(remote));
    let desktop = Home::new();
    let out = sync(&desktop, Some(remote));
    assert!(out.contains("with what it holds"), "{out}");
    assert_eq!(desktop.read("decks/aws.yaml"), DECK);
    (laptop, desktop)
}

/// Overlapping reviews made offline on both, interleaved in time, and a
/// deck edit on each (different cards).
fn work_offline(laptop: &Home, desktop: &Home) {
    grade(laptop, "2026-12-01T09:00:00Z", "c00", "good");
    grade(laptop, "2026-12-01T09:01:00Z", "c01", "good");
    grade(desktop, "2026-12-01T09:02:00Z", "c01", "again");
    grade(laptop, "2026-12-01T09:03:00Z", "c02", "easy");
    grade(desktop, "2026-12-01T09:04:00Z", "c02", "hard");
    grade(laptop, "2026-12-01T09:12:00Z", "c01", "good");
    grade(desktop, "2026-12-01T09:13:00Z", "c03", "good");
    grade(desktop, "2026-12-01T09:20:00Z", "c01", "good");
    laptop
        .prep()
        .args(["suspend", "c04"])
        .env("PREP_NOW", "2026-12-01T09:30:00Z")
        .any_stdout()
        .run();
    laptop.write_deck(
        "aws",
        &DECK.replace(
            "A private network in AWS.",
            "A private network in an AWS region.",
        ),
    );
    desktop.write_deck(
        "aws",
        &DECK.replace("A message queue.", "A managed message queue."),
    );
}

fn assert_converged(laptop: &Home, desktop: &Home) {
    let (one, other) = (history(laptop), history(desktop));
    assert_eq!(one, other, "the same history on both");
    assert_eq!(one.len(), 8, "every review once: {one:#?}");
    let cards = cards_json(laptop);
    assert_eq!(cards, cards_json(desktop), "the same states on both");
    let stats = |home: &Home| {
        home.prep()
            .args(["stats", "--json"])
            .env("PREP_NOW", "2026-12-03T12:00:00Z")
            .any_stdout()
            .run()
            .stdout
    };
    assert_eq!(stats(laptop), stats(desktop), "the same statistics on both");
    let listed: Value = serde_json::from_str(&cards).unwrap();
    let c04 = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|card| card["id"] == "c04")
        .unwrap();
    assert_eq!(c04["suspended"], true);
    for home in [laptop, desktop] {
        let deck = home.read("decks/aws.yaml");
        assert!(deck.contains("an AWS region") && deck.contains("A managed message queue"));
        home.prep()
            .arg("check")
            .env("PREP_NOW", "2026-12-03T12:00:00Z")
            .stdout_contains("ok\n")
            .run();
    }
}

#[test]
fn two_homes_syncing_in_either_order_agree_on_every_review_and_merge_their_decks() {
    for laptop_first in [true, false] {
        let remote = remote();
        let (laptop, desktop) = two_homes(remote.path());
        work_offline(&laptop, &desktop);
        let order = if laptop_first {
            [&laptop, &desktop]
        } else {
            [&desktop, &laptop]
        };
        for _ in 0..2 {
            for home in order {
                sync(home, None);
            }
        }
        assert_converged(&laptop, &desktop);
        // c01 was reviewed on both machines offline: all four reviews count,
        // in time order, so it went through Again.
        let c01: Vec<(String, String)> = history(&laptop)
            .into_iter()
            .filter(|review| review["card"] == "c01")
            .map(|review| {
                (
                    review["grade"].as_str().unwrap().to_string(),
                    review["reviewed_at"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            c01.iter()
                .map(|(grade, _)| grade.as_str())
                .collect::<Vec<_>>(),
            ["good", "again", "good", "good"]
        );
        // Nothing more to do: a third round changes no state.
        let before = cards_json(&laptop);
        sync(&laptop, None);
        assert_eq!(cards_json(&laptop), before);
    }
}

#[test]
fn a_deck_edited_on_both_machines_in_the_same_place_is_reported_and_nothing_is_lost() {
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    laptop.write_deck(
        "aws",
        &DECK.replace("Object storage.", "Object storage, by the laptop."),
    );
    desktop.write_deck(
        "aws",
        &DECK.replace("Object storage.", "Object storage, by the desktop."),
    );
    grade(&desktop, "2026-12-01T09:00:00Z", "c01", "good");
    grade(&laptop, "2026-12-01T09:01:00Z", "c02", "good");
    sync(&laptop, None);
    let output = desktop
        .prep()
        .arg("sync")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("PREP_NOW", "2026-12-01T12:00:00Z")
        .stdout_contains("from other devices, pushed this device's log to origin")
        .status(1)
        .stderr_contains("decks/aws.yaml: edited here and on another device in ways git cannot merge; nothing was lost")
        .run();
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
    // This machine's version, its review and its log are where they were;
    // no rebase is left half done. The logs went both ways all the same:
    // the laptop's review is here, this one reaches the laptop.
    assert!(desktop.read("decks/aws.yaml").contains("by the desktop"));
    assert_eq!(history(&desktop).len(), 2);
    assert!(!desktop.path().join(".git/rebase-merge").exists());
    // The laptop's version is on the remote.
    sync(&laptop, None);
    assert!(laptop.read("decks/aws.yaml").contains("by the laptop"));
    assert_eq!(history(&laptop).len(), 2);
    // Settled by hand as the message says, the next sync goes through and
    // the review reaches the laptop.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(desktop.path())
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_EDITOR", "true")
            .output()
            .unwrap()
    };
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "pull",
        "--rebase",
    ]);
    desktop.write_deck(
        "aws",
        &DECK.replace("Object storage.", "Object storage, settled."),
    );
    git(&["add", "decks/aws.yaml"]);
    let done = git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "rebase",
        "--continue",
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    sync(&desktop, None);
    sync(&laptop, None);
    assert!(laptop.read("decks/aws.yaml").contains("settled"));
    assert_eq!(history(&laptop).len(), 2);
    assert_eq!(history(&desktop), history(&laptop));
}

#[test]
fn a_home_kept_in_step_by_copying_files_while_prep_is_not_running_converges() {
    let laptop = Home::new();
    let desktop = Home::new();
    for home in [&laptop, &desktop] {
        home.write_deck("aws", DECK);
    }
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    grade(&desktop, "2026-12-01T09:01:00Z", "c00", "again");
    let devices = [device_of(&laptop), device_of(&desktop)];
    // As a file-sync tool does: the other devices' logs copied into a
    // home, whole or cut in the middle of a line (a copy under way).
    let copy_logs = |from: &Home, to: usize, cut: bool| {
        let to_home = [&laptop, &desktop][to];
        copy_sync_folder(
            &from.path().join("sync"),
            &to_home.path().join("sync"),
            Some(&devices[to]),
            cut,
        );
    };
    grade(&laptop, "2026-12-01T09:02:00Z", "c01", "good");
    copy_logs(&laptop, 1, true);
    grade(&desktop, "2026-12-01T09:05:00Z", "c02", "good");
    copy_logs(&desktop, 0, false);
    copy_logs(&laptop, 1, false);
    grade(&laptop, "2026-12-01T09:11:00Z", "c00", "good");
    copy_logs(&laptop, 1, false);
    copy_logs(&desktop, 0, false);
    // Read at a time after the reviews (before them, the other device's
    // clock would be said to be ahead).
    assert_eq!(cards_json(&laptop), cards_json(&desktop));
    let (one, other) = (history(&laptop), history(&desktop));
    assert_eq!(one, other);
    assert_eq!(one.len(), 5);
}

#[test]
fn a_home_from_before_syncing_keeps_its_history_as_this_devices_log() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    grade(&home, "2026-12-01T09:00:00Z", "c00", "good");
    grade(&home, "2026-12-01T09:10:00Z", "c00", "good");
    home.prep()
        .args(["suspend", "c01"])
        .env("PREP_NOW", "2026-12-01T09:20:00Z")
        .any_stdout()
        .run();
    home.prep()
        .args(["forget", "c00"])
        .env("PREP_NOW", "2026-12-01T09:25:00Z")
        .any_stdout()
        .run();
    grade(&home, "2026-12-01T09:30:00Z", "c00", "easy");
    let before = (history(&home), cards_json(&home));
    // Take the home back to how an earlier prep left it: no device, no
    // log, reviews belonging to nobody.
    std::fs::remove_dir_all(home.path().join("sync")).unwrap();
    run_sql(
        home.path(),
        "UPDATE review SET device = NULL, seq = NULL, after = NULL;
         DELETE FROM card_change; DELETE FROM setup; DELETE FROM sync_source;",
    );
    home.prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T09:30:00Z")
        .stdout_contains("logs: 3 reviews from before syncing are not in")
        .run();
    assert_eq!((history(&home), cards_json(&home)), before);
    home.prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T09:30:00Z")
        .stdout_contains("\nok\n")
        .run();
    assert_eq!(
        std::fs::read_dir(home.path().join("sync")).unwrap().count(),
        1
    );
    let lines = json_values(&device_log(&home, &device_of(&home)));
    let ops: Vec<&str> = lines
        .iter()
        .map(|line| line["op"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["grade", "grade", "grade", "forget", "suspend"]);
    assert_eq!(lines[1]["after"], format!("{}:1", device_of(&home)));
    // The review after the forget followed none.
    assert_eq!(lines[2]["after"], Value::Null);
}

/// Runs SQL on the home's store.
fn run_sql(home: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(home.join("prep.sqlite")).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn device_of(home: &Home) -> String {
    let log = std::fs::read_dir(home.path().join("sync"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    log.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn kill_9_in_the_middle_of_a_sync_loses_nothing_and_the_next_sync_goes_through() {
    use std::os::unix::process::CommandExt;
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    let mut acknowledged = 0;
    let mut killed = 0;
    let mut killed_in_pull = 0;
    for round in 0..60u64 {
        let (home, card) = if round % 2 == 0 {
            (&laptop, format!("c0{}", round % 6))
        } else {
            (&desktop, format!("c0{}", (round + 3) % 6))
        };
        let now = format!("2026-12-01T{:02}:{:02}:00Z", 9 + round / 60, round % 60);
        grade(
            home,
            &now,
            &card,
            ["good", "again", "hard", "easy"][(round % 4) as usize],
        );
        acknowledged += 1;
        // In a process group of its own, killed with its git children,
        // as when the machine goes down: a git killed in its checkout
        // leaves files written and not recorded, and its index lock.
        let mut child = home
            .spawnable()
            .arg("sync")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("PREP_NOW", &now)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let marker = home.path().join(".git/prep-sync-pulling");
        if round % 3 == 0 {
            // Into its pull (once the fetch is done), later and later.
            let started = std::time::Instant::now();
            while !marker.exists()
                && child.try_wait().unwrap().is_none()
                && started.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros(round * 997 % 30_000));
        } else {
            // Anywhere in the sync, later and later.
            std::thread::sleep(Duration::from_micros(round * 4_999 % 150_000));
        }
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        if marker.exists() {
            // In its pull: git dies with it. (Elsewhere prep alone is
            // killed: a git killed in its push could leave a lock in
            // the remote, which is not this home's to repair.)
            let group = i32::try_from(child.id()).unwrap();
            // SAFETY: kill(2) on a process group this test made.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        } else {
            let _ = child.kill();
        }
        child.wait().unwrap();
        if marker.exists() {
            // Stopped in its pull: the next sync repairs and goes through.
            killed_in_pull += 1;
            sync(home, None);
        }
    }
    eprintln!("{killed} kills landed in a sync, {killed_in_pull} in its pull");
    assert!(killed >= 30, "only {killed} kills landed in a sync");
    assert!(
        killed_in_pull >= 5,
        "only {killed_in_pull} kills landed in a pull"
    );
    // Orphaned git processes may still be finishing; then both sync.
    std::thread::sleep(Duration::from_millis(500));
    for home in [&laptop, &desktop, &laptop] {
        sync(home, None);
    }
    let (one, other) = (history(&laptop), history(&desktop));
    assert_eq!(one.len(), acknowledged, "every acknowledged review, once");
    assert_eq!(one, other);
    let ids: BTreeSet<String> = one
        .iter()
        .map(|review| format!("{}{}", review["card"], review["reviewed_at"]))
        .collect();
    assert_eq!(ids.len(), acknowledged);
    assert_eq!(cards_json(&laptop), cards_json(&desktop));
}

#[test]
fn sync_without_git_set_up_says_what_to_do() {
    let home = Home::new();
    home.prep()
        .arg("sync")
        .status(1)
        .stderr_contains("is not in a git work tree; run `prep sync --init URL`")
        .run();
}

#[test]
fn an_undo_on_one_machine_takes_the_review_back_on_the_other_too() {
    use std::io::{BufRead, BufReader, Write};
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    let mut quiz = laptop
        .spawnable()
        .args(["quiz", "--deck", "aws"])
        .env("PREP_NOW", "2026-12-01T09:00:00Z")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = quiz.stdin.take().unwrap();
    let (lines, receiver) = std::sync::mpsc::channel();
    let stdout = quiz.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for_question = |count: usize| {
        let mut seen = 0;
        while seen < count {
            let line = receiver.recv_timeout(Duration::from_secs(30)).unwrap();
            seen += usize::from(line.starts_with("Q: "));
        }
    };
    // Graded good in the quiz, then synced to the desktop while the quiz
    // is still open.
    input.write_all(b"\n3\n").unwrap();
    wait_for_question(2);
    sync(&laptop, None);
    sync(&desktop, None);
    assert_eq!(history(&desktop).len(), 1);
    // Taken back in the quiz: after the next sync, on the desktop too.
    input.write_all(b"u\nq\n").unwrap();
    drop(input);
    quiz.wait().unwrap();
    reader.join().unwrap();
    sync(&laptop, None);
    sync(&desktop, None);
    assert_eq!(history(&laptop), Vec::<Value>::new());
    assert_eq!(history(&desktop), Vec::<Value>::new());
    assert_eq!(cards_json(&laptop), cards_json(&desktop));
}

#[test]
fn check_reports_what_the_logs_and_the_store_disagree_on_and_repair_writes_it_back() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    grade(&home, "2026-12-01T09:00:00Z", "c00", "good");
    grade(&home, "2026-12-01T09:10:00Z", "c00", "good");
    let device = device_of(&home);
    let log = last_segment(&home, &device);
    let whole = std::fs::read_to_string(&log).unwrap();
    // The last line lost (a log restored from an old copy), and a device
    // whose log has a damaged line.
    let mut lines: Vec<&str> = whole.lines().collect();
    let last = json_values(lines.pop().unwrap())[0]["seq"].clone();
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    home.write("sync/phone-0a0b0c.jsonl", "not json\n");
    home.prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T12:00:00Z")
        .any_stdout()
        .stderr(format!(
            "error: [HOME]/sync/phone-0a0b0c.jsonl: byte 0: not a log line: expected ident at line 1 column 2; the line is set aside\n\
             error: [HOME]/prep.sqlite: 1 change in the store is in no log in [HOME]/sync ({device}:{last}); run `prep check --repair` to write this device's back\n"
        ))
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["check", "--repair"])
        .env("PREP_NOW", "2026-12-01T12:00:00Z")
        .stdout_contains("1 change written back to this device's log")
        .any_stderr()
        .status(1)
        .run();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), whole);
}

#[test]
fn a_line_logged_by_a_process_that_died_before_its_commit_is_applied_at_the_next_start() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    grade(&home, "2026-12-01T09:00:00Z", "c00", "good");
    let device = device_of(&home);
    let log = last_segment(&home, &device);
    let first = std::fs::read_to_string(&log).unwrap();
    // What a grade of c01 appends, as another home of the same history
    // logged it: the line is on disk, the store never saw it.
    let other = Home::new();
    other.write_deck("aws", DECK);
    grade(&other, "2026-12-01T09:05:00Z", "c01", "easy");
    let others = device_log(&other, &device_of(&other));
    let seq_of = |line: &str| json_values(line)[0]["seq"].as_u64().unwrap();
    let next = seq_of(first.lines().last().unwrap()) + 1;
    let line = others
        .lines()
        .find(|line| line.contains(r#""op":"grade""#))
        .unwrap();
    let line = line.replace(
        &format!("\"seq\":{},", seq_of(line)),
        &format!("\"seq\":{next},"),
    );
    std::fs::write(&log, format!("{first}{line}\n")).unwrap();
    let reviews = history(&home);
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[1]["card"], "c01");
    // The next grade takes the number after it.
    grade(&home, "2026-12-01T09:10:00Z", "c02", "good");
    let log = std::fs::read_to_string(&log).unwrap();
    assert_eq!(seq_of(log.lines().last().unwrap()), next + 1, "{log}");
}

#[test]
fn init_on_a_home_whose_deck_differs_from_the_remotes_keeps_it_and_waits_for_a_choice() {
    let remote = remote();
    let laptop = Home::new();
    laptop.write_deck("aws", DECK);
    sync(&laptop, Some(remote.path()));
    let desktop = Home::new();
    let own = DECK.replace("Object storage.", "Storage for objects.");
    desktop.write_deck("aws", &own);
    let out = sync(&desktop, Some(remote.path()));
    assert!(
        out.contains("kept this home's decks/aws.yaml, which differs from the remote's")
            && out.contains("not synced yet"),
        "{out}"
    );
    assert_eq!(desktop.read("decks/aws.yaml"), own);
    // Chosen: this home's version goes to the laptop with the next sync.
    sync(&desktop, None);
    sync(&laptop, None);
    assert_eq!(laptop.read("decks/aws.yaml"), own);
}

/// Copies the logs in `from`'s sync folder into `to`'s, as a file-sync
/// tool does: all but `to`'s own.
pub(crate) fn copy_logs(from: &Home, to: &Home) {
    let own: Option<String> = rusqlite::Connection::open(to.path().join("prep.sqlite"))
        .ok()
        .and_then(|conn| {
            conn.query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
                row.get(0)
            })
            .ok()
        });
    // A home that has changed nothing has no log to copy.
    copy_sync_folder(
        &from.path().join("sync"),
        &to.path().join("sync"),
        own.as_deref(),
        false,
    );
}

/// Devices with the same logs hold the same states, whatever their own
/// UTC offset and config: a review decided again in replay is decided as
/// its writer would have, with the writer's offset, day start and
/// scheduler settings, which the log carries.
#[test]
fn homes_in_different_time_zones_and_configs_replay_the_same_logs_to_the_same_states() {
    let laptop = Home::new(); // +05:30
    let desktop = Home::new(); // -08:00
    let reader = Home::new(); // UTC, with a config of its own
    for home in [&laptop, &desktop, &reader] {
        home.write_deck("aws", DECK);
        home.prep()
            .args(["cards"])
            .env("PREP_NOW", "2026-11-01T00:00:00Z")
            .any_stdout()
            .run();
    }
    desktop.write(
        "config.yaml",
        "learning_steps: [1m, 30m]\ndesired_retention: 0.85\n",
    );
    reader.write("config.yaml", "desired_retention: 0.8\nday_starts_at: 2\n");
    grade(&laptop, "2026-11-20T09:00:00+05:30", "c00", "easy");
    copy_logs(&laptop, &desktop);
    // Both review c00 offline: the laptop at 20:00 UTC on the 1st (01:30
    // on the 2nd where it is), the desktop at 02:00 UTC on the 2nd (18:00
    // on the 1st where it is), having seen only the first review. Replay
    // puts the desktop's review after the laptop's and decides it again.
    grade(&laptop, "2026-12-02T01:30:00+05:30", "c00", "good");
    grade(&desktop, "2026-12-01T18:00:00-08:00", "c00", "hard");
    grade(&desktop, "2026-12-01T18:05:00-08:00", "c01", "again");
    for (from, to) in [
        (&laptop, &desktop),
        (&desktop, &laptop),
        (&laptop, &reader),
        (&desktop, &reader),
    ] {
        copy_logs(from, to);
    }
    // Each home catches up where it is.
    for (home, now) in [
        (&laptop, "2026-12-02T09:00:00+05:30"),
        (&desktop, "2026-12-01T19:30:00-08:00"),
        (&reader, "2026-12-02T03:30:00Z"),
    ] {
        home.prep()
            .args(["cards"])
            .env("PREP_NOW", now)
            .any_stdout()
            .run();
    }
    let seen = |home: &Home| {
        let history = home
            .prep()
            .args(["history", "--json"])
            .env("PREP_NOW", "2026-12-02T12:00:00Z")
            .any_stdout()
            .run()
            .stdout;
        let cards = home
            .prep()
            .args(["cards", "--json"])
            .env("PREP_NOW", "2026-12-02T12:00:00Z")
            .any_stdout()
            .run()
            .stdout;
        (history, cards)
    };
    let (laptop_seen, desktop_seen, reader_seen) = (seen(&laptop), seen(&desktop), seen(&reader));
    assert_eq!(json_values(&laptop_seen.0).len(), 4);
    assert_eq!(laptop_seen, desktop_seen);
    assert_eq!(laptop_seen, reader_seen);
    for home in [&laptop, &desktop, &reader] {
        home.prep()
            .arg("check")
            .env("PREP_NOW", "2026-12-02T12:00:00Z")
            .stdout_contains("ok")
            .any_stderr()
            .run();
    }
}

/// Lines of another device's log that prep cannot apply (a number given
/// to two changes, a number past what the store keeps, a line far longer
/// than any change) are set aside and reported, file and byte; every
/// command of this home goes on working.
#[test]
fn bad_lines_from_another_device_are_set_aside_and_never_stop_this_home() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    grade(&home, "2026-12-01T09:00:00Z", "c00", "good");
    // The phone's log, made by another home, then damaged.
    let phone = Home::new();
    phone.write_deck("aws", DECK);
    grade(&phone, "2026-12-01T09:05:00Z", "c01", "good");
    let phone_log = device_log(&phone, &device_of(&phone));
    let grade_line = phone_log
        .lines()
        .find(|line| line.contains(r#""op":"grade""#))
        .unwrap()
        .to_string();
    let seq_of = |line: &str| json_values(line)[0]["seq"].as_u64().unwrap();
    let numbered = |seq: u64, card: &str| {
        grade_line
            .replace(
                &format!("\"seq\":{},", seq_of(&grade_line)),
                &format!("\"seq\":{seq},"),
            )
            .replace("\"card\":\"c01\"", &format!("\"card\":\"{card}\""))
    };
    let first = numbered(7, "c01");
    let twice = numbered(7, "c02");
    let huge = numbered(8, &"x".repeat(100_000));
    let too_far = numbered(u64::MAX, "c03");
    let good = numbered(9, "c04");
    let lines = [&first, &twice, &huge, &too_far, &good];
    home.write(
        "sync/phone-0a0b0c.jsonl",
        lines
            .iter()
            .map(|line| format!("{line}\n"))
            .collect::<String>(),
    );
    let byte = |index: usize| -> usize { lines[..index].iter().map(|line| line.len() + 1).sum() };
    let output = home
        .prep()
        .args(["cards", "--json"])
        .env("PREP_NOW", "2026-12-01T10:00:00Z")
        .any_stdout()
        .any_stderr()
        .run();
    for (index, why) in [
        (
            1,
            "number 7 is given to an earlier line too (of card \"c01\"), which is kept; the line is set aside",
        ),
        (2, "a line of 100"),
        (3, "seq 18446744073709551615 is not a change's number"),
    ] {
        let wanted = format!(
            "warning: [HOME]/sync/phone-0a0b0c.jsonl: byte {}: {why}",
            byte(index)
        );
        assert!(
            output.stderr.contains(&wanted),
            "{wanted}\n{}",
            output.stderr
        );
    }
    // Every command goes on; the good lines count.
    let reviewed: BTreeSet<String> = history(&home)
        .iter()
        .map(|review| review["card"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reviewed,
        BTreeSet::from(["c00".into(), "c01".into(), "c04".into()])
    );
    grade(&home, "2026-12-01T10:05:00Z", "c02", "good");
    for args in [&["stats"][..], &["history"], &["cards"]] {
        home.prep()
            .args(args)
            .env("PREP_NOW", "2026-12-01T10:10:00Z")
            .any_stdout()
            .stderr("")
            .run();
    }
    // `prep check` names each line set aside, and nothing else.
    let check = home
        .prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T10:10:00Z")
        .any_stdout()
        .any_stderr()
        .status(1)
        .run();
    assert_eq!(check.stderr.lines().count(), 3, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains(&format!("byte {}: number 7", byte(1))),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("UNIQUE"), "{}", check.stderr);
}

/// A device whose clock is a year ahead reviews a card; this home, having
/// seen that review, grades the card Again four times. Each Again counts
/// as acknowledged (the card is due in minutes, not next year), and the
/// other device's clock is reported.
#[test]
fn reviews_made_after_one_from_a_clock_far_ahead_count_as_acknowledged() {
    let laptop = Home::new();
    let phone = Home::new();
    for home in [&laptop, &phone] {
        home.write_deck("aws", DECK);
    }
    grade(&laptop, "2026-11-20T09:00:00Z", "c05", "good");
    grade(&phone, "2027-12-01T09:00:00Z", "c00", "easy");
    copy_logs(&phone, &laptop);
    let output = laptop
        .prep()
        .args(["cards"])
        .env("PREP_NOW", "2026-12-01T09:00:00Z")
        .any_stdout()
        .any_stderr()
        .run();
    assert!(
        output.stderr.contains(&format!(
            "warning: the clock of device {} is ahead: it dated a change 2027-12-01 09:00 UTC (365 days past this machine's time); set that machine's clock",
            device_of(&phone)
        )),
        "{}",
        output.stderr
    );
    let mut last = Value::Null;
    for minute in 0..4 {
        last = crate::util::grade(
            &laptop,
            &format!("2026-12-01T09:0{minute}:00Z"),
            "c00",
            "again",
        );
    }
    let cards = crate::util::cards(&laptop, "2026-12-01T09:05:00Z", &[]);
    let card = crate::util::card(&cards, "c00");
    assert_eq!(card["due"], last["due"], "{card}");
    assert!(
        card["due"].as_str().unwrap().starts_with("2026-12-01"),
        "{card}"
    );
}

/// A clock set back does not reorder this device's own grades: an Easy
/// given after a Good, with the clock a day behind, is the card's state.
#[test]
fn a_clock_set_back_keeps_this_devices_grades_in_the_order_they_were_made() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    grade(&home, "2026-12-01T10:00:00Z", "c00", "good");
    grade(&home, "2026-12-01T10:12:00Z", "c00", "good");
    let easy = crate::util::grade(&home, "2026-11-30T10:00:00Z", "c00", "easy");
    let cards = crate::util::cards(&home, "2026-12-01T10:30:00Z", &[]);
    let card = crate::util::card(&cards, "c00");
    assert_eq!(card["due"], easy["due"], "{card}");
    assert_eq!(card["state"], "review", "{card}");
    assert_eq!(history(&home).len(), 3);
}

/// git in `dir`, as the user runs it, with an identity.
fn git_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_EDITOR", "true")
        .output()
        .unwrap()
}

fn head_of(dir: &Path, rev: &str) -> String {
    let output = git_in(dir, &["rev-parse", rev]);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn a_remote_reset_to_an_older_commit_gets_back_every_review_and_a_retired_devices_log() {
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    sync(&laptop, None);
    let older = head_of(remote.path(), "main");
    // The desktop reviews once, syncs, and is never used again.
    sync(&desktop, None);
    grade(&desktop, "2026-12-01T09:05:00Z", "c03", "good");
    sync(&desktop, None);
    for (now, card) in [
        ("2026-12-01T09:10:00Z", "c01"),
        ("2026-12-01T09:20:00Z", "c02"),
    ] {
        grade(&laptop, now, card, "good");
        sync(&laptop, None);
    }
    // The remote is taken back to the first review, as a `git push
    // --force` of an older commit does.
    let reset = git_in(remote.path(), &["update-ref", "refs/heads/main", &older]);
    assert!(reset.status.success());
    let out = sync(&laptop, None);
    assert!(out.contains("was rewritten"), "{out}");
    assert_eq!(
        out.lines()
            .filter(|line| line.contains("rewritten"))
            .count(),
        1,
        "{out}"
    );
    assert_eq!(history(&laptop).len(), 4);
    // A new device gets every review, the retired device's too.
    let phone = Home::new();
    sync(&phone, Some(remote.path()));
    assert_eq!(history(&phone).len(), 4);
    assert_eq!(cards_json(&phone), cards_json(&laptop));
    // The laptop's log on disk holds all its lines.
    laptop
        .prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-03T12:00:00Z")
        .stdout_contains("\nok\n")
        .run();
}

#[test]
fn what_a_killed_sync_leaves_behind_is_put_right_by_the_next_one() {
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    sync(&laptop, None);
    // A device the desktop has not heard of yet.
    let phone = Home::new();
    sync(&phone, Some(remote.path()));
    grade(&phone, "2026-12-01T09:05:00Z", "c02", "good");
    sync(&phone, None);
    let in_home = |home: &Home| {
        last_segment(home, &own_device(home))
            .strip_prefix(home.path())
            .unwrap()
            .to_path_buf()
    };
    let (laptop_log, phone_log) = (in_home(&laptop), in_home(&phone));
    let (laptop_whole, phone_whole) = (laptop.read(&laptop_log), phone.read(&phone_log));
    // A pull killed in its checkout: logs written but not recorded, cut
    // short (the phone's, new here, untracked; the laptop's over the
    // version recorded), and git's index lock left by the dead git.
    desktop.write(&phone_log, &phone_whole[..phone_whole.len() / 2]);
    desktop.write(&laptop_log, &laptop_whole[..laptop_whole.len() / 2]);
    desktop.write(".git/index.lock", "");
    let out = sync(&desktop, None);
    assert!(out.contains("index.lock"), "{out}");
    assert!(!desktop.path().join(".git/index.lock").exists());
    assert_eq!(desktop.read(&phone_log), phone_whole);
    assert_eq!(desktop.read(&laptop_log), laptop_whole);
    assert_eq!(history(&desktop).len(), 2);
    // An untracked file with other contents is moved aside, not lost.
    grade(&laptop, "2026-12-01T09:10:00Z", "c01", "good");
    let notes = "sync/readme.txt";
    laptop.write(notes, "theirs\n");
    git_in(laptop.path(), &["add", notes]);
    git_in(laptop.path(), &["commit", "-q", "-m", "notes"]);
    sync(&laptop, None);
    desktop.write(notes, "mine\n");
    let out = sync(&desktop, None);
    assert!(
        out.contains(&format!("moved [HOME]/{notes} aside")),
        "{out}"
    );
    assert_eq!(desktop.read(format!("{notes}.aside-1")), "mine\n");
    assert_eq!(desktop.read(notes), "theirs\n");
    assert_eq!(history(&desktop).len(), 3);
}

#[test]
fn a_home_in_a_linked_git_worktree_syncs() {
    let remote = remote();
    let (laptop, _desktop) = two_homes(remote.path());
    let clone = tempfile::tempdir().unwrap();
    let repo = clone.path().join("repo");
    let cloned = std::process::Command::new("git")
        .args(["clone", "--quiet", "--branch", "main"])
        .arg(remote.path())
        .arg(&repo)
        .output()
        .unwrap();
    assert!(cloned.status.success());
    git_in(&repo, &["checkout", "--quiet", "--detach"]);
    let home = Home::new();
    let added = git_in(
        &repo,
        &[
            "worktree",
            "add",
            "--quiet",
            home.path().to_str().unwrap(),
            "main",
        ],
    );
    assert!(added.status.success(), "{added:?}");
    assert!(home.path().join(".git").is_file());
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    sync(&laptop, None);
    grade(&home, "2026-12-01T09:05:00Z", "c01", "good");
    sync(&home, None);
    assert_eq!(history(&home).len(), 2);
    sync(&laptop, None);
    assert_eq!(history(&laptop).len(), 2);
}

#[test]
fn a_rebase_left_in_progress_by_hand_is_named_with_how_to_finish_or_abort_it() {
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    laptop.write_deck("aws", &DECK.replace("Object storage.", "By the laptop."));
    desktop.write_deck("aws", &DECK.replace("Object storage.", "By the desktop."));
    sync(&laptop, None);
    git_in(desktop.path(), &["commit", "-q", "-am", "mine"]);
    let pulled = git_in(desktop.path(), &["pull", "--rebase", "--quiet"]);
    assert!(!pulled.status.success());
    let output = desktop
        .prep()
        .arg("sync")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status(1)
        .stderr_contains("a rebase is in progress that prep did not start")
        .stderr_contains("rebase --continue")
        .stderr_contains("rebase --abort")
        .run();
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
    git_in(desktop.path(), &["rebase", "--abort"]);
}

#[test]
fn init_with_an_unreachable_url_leaves_the_home_as_it_was_and_a_good_url_then_works() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    let before = home.snapshot();
    let missing = home.path().with_extension("nowhere");
    let output = home
        .prep()
        .arg("sync")
        .arg("--init")
        .arg(&missing)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status(1)
        .stderr_contains("error: cannot reach [HOME].nowhere (")
        .run();
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
    assert_eq!(before.changes_to(&home.snapshot()), Vec::<String>::new());
    let remote = remote();
    let out = sync(&home, Some(remote.path()));
    assert!(out.contains("set up"), "{out}");
}

#[test]
fn a_temporary_file_a_killed_import_left_is_never_committed() {
    let remote = remote();
    let (laptop, desktop) = two_homes(remote.path());
    laptop.write("decks/.prep-a1b2c3.tmp", "cards:\n- id: c0");
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    sync(&laptop, None);
    sync(&desktop, None);
    assert_eq!(history(&desktop).len(), 1);
    assert!(!desktop.path().join("decks/.prep-a1b2c3.tmp").exists());
    let listed = git_in(laptop.path(), &["ls-files"]);
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(".prep-"));
}

/// The device id a home's store holds.
pub(crate) fn own_device(home: &Home) -> String {
    let conn = rusqlite::Connection::open(home.path().join("prep.sqlite")).unwrap();
    conn.query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
        row.get(0)
    })
    .unwrap()
}

/// A sync stopped in the middle of its pull is named by `prep check`, and
/// the next `prep sync` puts it right.
#[test]
fn check_names_a_sync_stopped_in_its_pull_and_the_next_sync_puts_it_right() {
    let remote = remote();
    let (laptop, _desktop) = two_homes(remote.path());
    grade(&laptop, "2026-12-01T09:00:00Z", "c00", "good");
    // What a sync killed after it noted its pull leaves in the git
    // directory.
    let git_dir =
        String::from_utf8(git_in(laptop.path(), &["rev-parse", "--absolute-git-dir"]).stdout)
            .unwrap();
    let branch =
        String::from_utf8(git_in(laptop.path(), &["rev-parse", "--abbrev-ref", "HEAD"]).stdout)
            .unwrap();
    let head = head_of(laptop.path(), "HEAD");
    std::fs::write(
        Path::new(git_dir.trim()).join("prep-sync-pulling"),
        format!("{} {head}", branch.trim()),
    )
    .unwrap();
    laptop
        .prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T10:00:00Z")
        .any_stdout()
        .stderr(
            "error: [HOME]: a sync was stopped in the middle of its pull; run `prep sync` to put it right\n",
        )
        .status(1)
        .run();
    sync(&laptop, None);
    laptop
        .prep()
        .arg("check")
        .env("PREP_NOW", "2026-12-01T10:00:00Z")
        .stdout_contains("\nok\n")
        .run();
    assert_eq!(history(&laptop).len(), 1);
}

/// Copies every file of `from` into `to`, as `cp -a` does.
pub(crate) fn copy_home(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_home(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copied home (`cp -a`, a restored backup) is found to be a copy and
/// writes as a new device, so the original's and the copy's reviews both
/// count once their logs meet.
#[test]
fn a_copied_home_writes_as_a_new_device_and_both_homes_reviews_count() {
    let original = Home::new();
    original.write_deck("aws", DECK);
    grade(&original, "2026-12-01T09:00:00Z", "c00", "good");
    let copy = Home::new();
    copy_home(original.path(), copy.path());
    grade(&original, "2026-12-01T10:00:00Z", "c01", "good");
    let output = copy
        .prep()
        .args(["grade", "c02", "good"])
        .env("PREP_NOW", "2026-12-01T10:05:00Z")
        .any_stdout()
        .any_stderr()
        .run();
    assert!(
        output.stderr.contains(&format!(
            "is a copy of a home that writes as device {}",
            device_of(&original)
        )),
        "{}",
        output.stderr
    );
    copy_logs(&original, &copy);
    copy_logs(&copy, &original);
    for home in [&original, &copy] {
        let cards: BTreeSet<String> = home
            .prep()
            .args(["history", "--json"])
            .env("PREP_NOW", "2026-12-01T11:00:00Z")
            .any_stdout()
            .stderr("")
            .run()
            .stdout
            .lines()
            .map(|line| json_values(line)[0]["card"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            cards,
            BTreeSet::from(["c00".into(), "c01".into(), "c02".into()])
        );
    }
}
