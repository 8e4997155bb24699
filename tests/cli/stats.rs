//! `prep stats` over a history built with `prep grade` on simulated days,
//! every figure checked against what the grades imply.

use serde_json::Value;

use std::time::Duration;

use expectrl::{Eof, Expect, Session};

use crate::util::{Home, grade};

const DECK: &str = crate::util::THREE_CARDS;

const K8S: &str = "\
cards:
- id: pod
  question: What is a pod?
  answer: The smallest deployable unit, one or more containers.
- id: svc
  question: What does a Service give a set of pods?
  answer: A stable address and load balancing.
";

fn stats(home: &Home, now: &str) -> Value {
    home.prep()
        .args(["stats", "--deck", "aws", "--json", "--days", "10"])
        .env("PREP_NOW", now)
        .any_stdout()
        .run()
        .json()
}

#[test]
fn stats_follow_a_history_of_simulated_weeks() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");

    // Day 0, Monday 2026-01-05: one is easy (graduates), two is learned in
    // two steps, three stays new.
    let one = grade(&home, "2026-01-05T09:00:00Z", "one", "easy");
    grade(&home, "2026-01-05T09:01:00Z", "two", "good");
    let two = grade(&home, "2026-01-05T09:12:00Z", "two", "good");
    let one_days = one["interval_days"].as_i64().unwrap();
    let two_days = two["interval_days"].as_i64().unwrap();
    assert!(two_days >= 1 && one_days > two_days);

    let day0 = stats(&home, "2026-01-05T20:00:00Z");
    let total = &day0["total"];
    assert_eq!(total["cards"], 3);
    assert_eq!(total["new"], 1);
    assert_eq!(total["learning"], 0);
    assert_eq!(total["review"], 2);
    assert_eq!(total["due_now"], 0);
    assert_eq!(total["due_tomorrow"], i64::from(two_days == 1));
    let within_week = [one_days, two_days].iter().filter(|&&d| d <= 7).count();
    assert_eq!(total["due_week"], within_week);
    assert_eq!(total["reviewed_today"], 3);
    assert_eq!(total["time_today_ms"], 4500);
    assert_eq!(total["true_retention_30d"], Value::Null);
    assert_eq!(total["desired_retention"].as_f64().unwrap(), 0.9);
    assert_eq!(day0["streak"]["current"], 1);
    assert_eq!(day0["streak"]["longest"], 1);
    // The forecast counts each card on the day it falls due.
    let forecast = day0["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 10);
    assert_eq!(forecast[0]["date"], "2026-01-05");
    for (offset, day) in forecast.iter().enumerate() {
        let expected = [one_days, two_days]
            .iter()
            .filter(|&&d| d == offset as i64)
            .count();
        assert_eq!(day["count"], expected, "forecast day {offset}");
    }
    let heatmap = day0["heatmap"].as_array().unwrap();
    assert_eq!(heatmap.len(), 365);
    assert_eq!(
        heatmap[364],
        serde_json::json!({"date": "2026-01-05", "count": 3})
    );

    // Two weeks later both are due: one is remembered, two forgotten.
    grade(&home, "2026-01-19T09:00:00Z", "one", "good");
    grade(&home, "2026-01-19T09:01:00Z", "two", "again");
    // The next day, one more review keeps the streak going.
    grade(&home, "2026-01-20T09:00:00Z", "two", "good");

    let later = stats(&home, "2026-01-20T10:00:00Z");
    let total = &later["total"];
    // Two reviews of cards in review in the last 30 days, one passed.
    assert_eq!(total["mature_reviews_30d"], 2);
    assert_eq!(total["true_retention_30d"], 0.5);
    assert_eq!(total["reviewed_today"], 1);
    assert_eq!(later["streak"]["current"], 2);
    assert_eq!(later["streak"]["longest"], 2);
    let hardest = later["hardest"].as_array().unwrap();
    assert_eq!(
        hardest.len(),
        1,
        "a card never forgotten and recalled above the desired retention is not hard"
    );
    assert_eq!(hardest[0]["id"], "two");
    assert_eq!(hardest[0]["lapses"], 1);
    assert_eq!(hardest[0]["question"], "What is an AMI?");
    let recall = total["average_retrievability"].as_f64().unwrap();
    assert!(recall > 0.5 && recall <= 1.0, "{recall}");

    // A day without reviews ends the current streak but not the longest.
    let after = stats(&home, "2026-01-23T10:00:00Z");
    assert_eq!(after["streak"]["current"], 0);
    assert_eq!(after["streak"]["longest"], 2);
}

#[test]
fn a_fresh_home_shows_the_bundled_decks_and_how_to_start() {
    let home = Home::new();
    let output = home.prep().arg("stats").any_stdout().unchanged().run();
    assert!(output.stdout.starts_with("DECK "), "{}", output.stdout);
    assert!(
        output
            .stdout
            .ends_with("Nothing reviewed yet: start with `prep quiz --deck aws`.\n"),
        "{}",
        output.stdout
    );
    home.prep()
        .args(["stats", "--deck", "nope"])
        .stderr_contains("no deck named \"nope\"")
        .status(1)
        .unchanged()
        .run();
}

/// Two decks reviewed over two weeks from Monday 2026-01-05: a busy first
/// day, idle days, lapses in both decks, and on the last morning a new
/// card learned while another is left due, so every part of the text has
/// something to draw.
fn two_weeks(home: &Home) {
    home.write_deck("aws", DECK);
    home.write_deck("k8s", K8S);
    home.write("config.yaml", "fuzz: false\n");
    let reviews = [
        ("2026-01-05T09:00:00Z", "one", "easy"),
        ("2026-01-05T09:01:00Z", "two", "good"),
        ("2026-01-05T09:12:00Z", "two", "good"),
        ("2026-01-05T09:13:00Z", "pod", "good"),
        ("2026-01-05T09:24:00Z", "pod", "good"),
        ("2026-01-06T09:00:00Z", "svc", "again"),
        ("2026-01-06T09:01:00Z", "svc", "good"),
        ("2026-01-06T09:12:00Z", "svc", "good"),
        ("2026-01-07T09:00:00Z", "two", "good"),
        ("2026-01-08T09:00:00Z", "pod", "again"),
        ("2026-01-08T09:10:00Z", "pod", "good"),
        ("2026-01-12T09:00:00Z", "one", "good"),
        ("2026-01-12T09:01:00Z", "svc", "good"),
        ("2026-01-13T09:00:00Z", "pod", "good"),
        ("2026-01-14T09:00:00Z", "two", "again"),
        ("2026-01-14T09:10:00Z", "two", "good"),
        ("2026-01-16T09:00:00Z", "svc", "again"),
        ("2026-01-16T09:10:00Z", "svc", "good"),
        ("2026-01-19T09:00:00Z", "two", "hard"),
        ("2026-01-19T09:01:00Z", "pod", "good"),
        ("2026-01-20T09:00:00Z", "three", "good"),
    ];
    for (now, card, answer) in reviews {
        grade(home, now, card, answer);
    }
}

/// The morning after [`two_weeks`].
const AFTER_TWO_WEEKS: &str = "2026-01-20T10:00:00Z";

/// `prep stats` for the two decks of [`two_weeks`], piped (so 80 columns).
fn stats_text(home: &Home, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut test = home
        .prep()
        .args(["stats", "--deck", "aws", "--deck", "k8s"])
        .args(args)
        .env("PREP_NOW", AFTER_TWO_WEEKS)
        .any_stdout();
    for (key, value) in env {
        test = test.env(*key, *value);
    }
    test.run().stdout
}

/// `text` without its SGR escape codes (`ESC [ ... m`).
fn without_color(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\x1b[") {
        plain.push_str(&rest[..start]);
        let end = rest[start..].find('m').expect("an escape code ends in m");
        rest = &rest[start + end + 1..];
    }
    plain.push_str(rest);
    plain
}

#[test]
fn the_text_of_two_weeks_at_80_columns() {
    let home = Home::new();
    two_weeks(&home);
    let text = stats_text(&home, &[], &[]);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn colour_only_adds_escape_codes_to_the_plain_text() {
    let home = Home::new();
    two_weeks(&home);
    let never = stats_text(&home, &["--color", "never"], &[]);
    let always = stats_text(&home, &["--color", "always"], &[]);
    // The header in bold, the retention short of the desired 90% in red,
    // today's column apart from the later days, greens on the calendar.
    assert!(always.starts_with("\x1b[1mDECK "), "{always:?}");
    assert!(
        always.contains("days: \x1b[38;5;9m67%\x1b[39m of"),
        "{always:?}"
    );
    assert!(always.contains("\x1b[38;5;11m█"), "{always:?}");
    assert!(always.contains("\x1b[38;5;14m█"), "{always:?}");
    assert!(always.contains("\x1b[38;5;40m█"), "{always:?}");
    assert_eq!(without_color(&always), never);
    // --color always wins over NO_COLOR, which crossterm also reads.
    let forced = stats_text(&home, &["--color", "always"], &[("NO_COLOR", "1")]);
    assert_eq!(forced, always);
    for plain in [
        &never,
        &stats_text(&home, &[], &[]),
        &stats_text(&home, &[], &[("NO_COLOR", "1")]),
        &stats_text(&home, &["--color", "never"], &[("NO_COLOR", "")]),
    ] {
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert_eq!(plain, &never);
    }
}

/// Everything `prep stats` writes to a (pseudo-)terminal.
fn on_a_terminal(home: &Home, env: &[(&str, &str)]) -> String {
    let mut command = home.spawnable();
    command
        .args(["stats", "--deck", "aws", "--deck", "k8s"])
        .env("PREP_NOW", AFTER_TWO_WEEKS)
        .env("TERM", "xterm-256color");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut stats = Session::spawn(command).expect("a pseudo-terminal");
    stats.set_expect_timeout(Some(Duration::from_secs(20)));
    let output = stats.expect(Eof).unwrap();
    String::from_utf8_lossy(output.as_bytes()).into_owned()
}

#[test]
fn auto_colours_a_terminal_unless_no_color_is_set() {
    let home = Home::new();
    two_weeks(&home);
    let coloured = on_a_terminal(&home, &[]);
    assert!(coloured.contains("\x1b[38;5;"), "{coloured:?}");
    let plain = on_a_terminal(&home, &[("NO_COLOR", "1")]);
    assert!(plain.contains("Reviews, last 365 days"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

/// Stats closes the review store as every command does, so SQLite folds its
/// write-ahead log back into the database and removes it.
#[test]
fn stats_leave_no_write_ahead_log_behind() {
    let home = Home::new();
    two_weeks(&home);
    home.prep().arg("stats").any_stdout().run();
    for leftover in ["prep.sqlite-wal", "prep.sqlite-shm"] {
        assert!(
            !home.path().join(leftover).exists(),
            "{leftover} left behind by prep stats"
        );
    }
}

/// Twelve leeches: the report lists the ten with most lapses and counts
/// the rest, in text and JSON; `--all` lists every one.
#[test]
fn stats_list_the_worst_leeches_and_all_of_them_when_asked() {
    let home = Home::new();
    let mut deck = String::from("cards:\n");
    for n in 0..12 {
        deck.push_str(&format!(
            "- id: c{n:02}\n  question: Question {n}?\n  answer: Answer {n}.\n"
        ));
    }
    home.write_deck("big", &deck);
    home.write(
        "config.yaml",
        "fuzz: false\nleech_threshold: 1\nleech_action: tag\n",
    );
    for n in 0..12 {
        let id = format!("c{n:02}");
        grade(&home, "2026-01-05T09:00:00Z", &id, "easy");
        grade(&home, "2026-01-20T09:00:00Z", &id, "again");
        // The first two lapse twice, so they head the list.
        if n < 2 {
            grade(&home, "2026-01-20T09:20:00Z", &id, "good");
            grade(&home, "2026-02-20T09:00:00Z", &id, "again");
        }
    }
    let json = |extra: &[&str]| -> Value {
        home.prep()
            .args(["stats", "--json"])
            .args(extra)
            .env("PREP_NOW", "2026-02-21T09:00:00Z")
            .any_stdout()
            .run()
            .json()
    };
    let some = json(&[]);
    assert_eq!(some["total"]["leeches"], 12);
    let listed: Vec<&str> = some["leeches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 10);
    assert_eq!(listed[..2], ["c00", "c01"]);
    assert_eq!(json(&["--all"])["leeches"].as_array().unwrap().len(), 12);
    let text = home
        .prep()
        .arg("stats")
        .env("PREP_NOW", "2026-02-21T09:00:00Z")
        .any_stdout()
        .run()
        .stdout;
    assert!(
        text.contains("Leeches: 12 cards forgotten 1 times or more")
            && text.contains("  and 2 more (`prep stats --all` lists them)\n"),
        "{text}"
    );
    let all = home
        .prep()
        .args(["stats", "--all"])
        .env("PREP_NOW", "2026-02-21T09:00:00Z")
        .any_stdout()
        .run()
        .stdout;
    assert!(
        all.contains("c11") && !all.contains("more (`prep stats"),
        "{all}"
    );
}

/// The first `prep stats` in a copied home says it is a copy, and finishes:
/// the warning used to come from the thread reading the store, and wait
/// for standard output, which the main thread held while it waited for
/// that thread.
#[test]
fn stats_in_a_copied_home_warns_and_finishes() {
    let original = Home::new();
    original.write_deck("aws", DECK);
    grade(&original, "2026-01-05T09:00:00Z", "one", "good");
    let copy = Home::new();
    crate::sync::copy_home(original.path(), copy.path());
    let mut child = copy
        .spawnable()
        .arg("stats")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("prep stats in a copied home did not finish in 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is a copy of a home"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("aws"));
}
