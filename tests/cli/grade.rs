//! `prep grade`, `prep cards` and `prep history` over simulated weeks, with
//! the clock set by `PREP_NOW`.

use serde_json::Value;

use crate::util::{Home, card, cards, grade};

/// Two cards with fixed ids, so expected output can name them.
const DECK: &str = "\
cards:
- id: card-one
  question: What does S3 stand for?
  answer: Simple Storage Service.
- id: card-two
  question: What is an AMI?
  answer: An Amazon Machine Image.
";

/// Exact due dates need the fuzz off.
fn home_without_fuzz() -> Home {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    home
}

#[test]
fn a_card_goes_through_learning_steps_then_day_intervals() {
    let home = home_without_fuzz();

    let first = grade(&home, "2026-01-05T09:00:00Z", "card-one", "good");
    assert_eq!(first["state_before"], "new");
    assert_eq!(first["state"], "learning");
    assert_eq!(first["step"], 1);
    assert_eq!(first["due"], "2026-01-05T09:10:00Z");
    assert_eq!(first["interval"], "10m");

    // Not due until the step is over.
    assert!(cards(&home, "2026-01-05T09:05:00Z", &["--due"]).is_empty());
    let due = cards(&home, "2026-01-05T09:10:00Z", &["--due"]);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["id"], "card-one");

    // The second step graduates the card; the same-day review reached FSRS
    // with zero elapsed days, and the first interval is FSRS's Good
    // stability (2.3065 days) rounded, starting at 4:00.
    let second = grade(&home, "2026-01-05T09:10:00Z", "card-one", "good");
    assert_eq!(second["state"], "review");
    assert_eq!(second["elapsed_days"], 0);
    assert_eq!(second["interval_days"], 2);
    assert_eq!(second["due"], "2026-01-07T04:00:00Z");

    // Reviewed on time two days later: the interval grows.
    let third = grade(&home, "2026-01-07T10:00:00Z", "card-one", "good");
    assert_eq!(third["elapsed_days"], 2);
    let stability = third["stability"].as_f64().unwrap();
    assert!(stability > second["stability"].as_f64().unwrap());
    let interval = third["interval_days"].as_u64().unwrap();
    assert_eq!(interval, stability.round() as u64);
    assert_eq!(third["reps"], 3);

    // Forgotten at the next review: relearning for 10 minutes, one lapse.
    let lapse = grade(&home, "2026-02-01T10:00:00Z", "card-one", "again");
    assert_eq!(lapse["state_before"], "review");
    assert_eq!(lapse["state"], "relearning");
    assert_eq!(lapse["lapses"], 1);
    assert_eq!(lapse["due"], "2026-02-01T10:10:00Z");
    assert!(lapse["stability"].as_f64().unwrap() < stability);
    let back = grade(&home, "2026-02-01T10:10:00Z", "card-one", "good");
    assert_eq!(back["state"], "review");

    // `prep cards --json` agrees with the last acknowledgement.
    let listed = cards(&home, "2026-02-01T10:11:00Z", &[]);
    let one = card(&listed, "card-one");
    assert_eq!(one["state"], "review");
    assert_eq!(one["due"], back["due"]);
    assert_eq!(one["reps"], 5);
    assert_eq!(one["lapses"], 1);
    assert_eq!(one["stability"], back["stability"]);
    assert_eq!(one["difficulty"], back["difficulty"]);
    // Just reviewed: recall is near certain.
    assert!(one["retrievability"].as_f64().unwrap() > 0.99);
    let two = card(&listed, "card-two");
    assert_eq!(two["state"], "new");
    assert_eq!(two["due"], Value::Null);
    assert_eq!(two["reps"], 0);

    // The history has every review, oldest first.
    let history = home
        .prep()
        .args(["history", "--json"])
        .any_stdout()
        .run()
        .stdout;
    let grades: Vec<String> = history
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["grade"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(grades, ["good", "good", "good", "again", "good"]);
}

#[test]
fn again_and_hard_on_a_new_card_follow_ankis_steps() {
    let home = home_without_fuzz();
    let again = grade(&home, "2026-01-05T09:00:00Z", "card-one", "again");
    assert_eq!(
        (again["state"].as_str(), again["step"].as_u64()),
        (Some("learning"), Some(0))
    );
    assert_eq!(again["due"], "2026-01-05T09:01:00Z");
    // Hard on the first step waits the mean of the first two (5.5 min).
    let hard = grade(&home, "2026-01-05T09:00:00Z", "card-two", "2");
    assert_eq!(hard["due"], "2026-01-05T09:05:30Z");
    // Easy graduates at once.
    let easy = grade(&home, "2026-01-05T09:01:00Z", "card-one", "easy");
    assert_eq!(easy["state"], "review");
    assert!(easy["interval_days"].as_u64().unwrap() >= 1);
}

#[test]
fn steps_and_the_day_cutoff_come_from_the_config() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write(
        "config.yaml",
        "fuzz: false\nlearning_steps: []\nday_starts_at: 0\n",
    );
    // No learning steps: the first review schedules days straight away,
    // from midnight.
    let first = grade(&home, "2026-01-05T09:00:00Z", "card-one", "good");
    assert_eq!(first["state"], "review");
    assert_eq!(first["due"], "2026-01-07T00:00:00Z");
}

#[test]
fn a_late_night_review_belongs_to_the_day_before() {
    let home = home_without_fuzz();
    // Graduated at 23:00 local (UTC+2)...
    grade(&home, "2026-01-05T23:00:00+02:00", "card-one", "easy");
    // ...and reviewed at 02:00 the next night: still the same scheduler day.
    let again = grade(&home, "2026-01-06T02:00:00+02:00", "card-one", "good");
    assert_eq!(again["elapsed_days"], 0);
    assert_eq!(again["reviewed_at"], "2026-01-06T02:00:00+02:00");
}

#[test]
fn fuzz_spreads_cards_learned_together() {
    let home = Home::new();
    let mut deck = String::from("cards:\n");
    for n in 0..30 {
        deck.push_str(&format!(
            "- id: c{n:02}\n  question: Q{n}?\n  answer: A{n}.\n"
        ));
    }
    home.write_deck("many", &deck);
    let mut input = String::new();
    for n in 0..30 {
        input.push_str(&format!("c{n:02} easy\n"));
    }
    home.prep()
        .args(["grade", "--stdin", "--json"])
        .stdin(input.clone())
        .any_stdout()
        .run();
    let output = home
        .prep()
        .args(["grade", "--stdin", "--json"])
        .env("PREP_NOW", "2026-01-20T09:00:00Z")
        .stdin(input)
        .any_stdout()
        .run();
    let intervals: std::collections::BTreeSet<u64> = output
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["interval_days"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(
        intervals.len() >= 4,
        "intervals did not spread: {intervals:?}"
    );
}

#[test]
fn a_month_of_daily_reviews_keeps_every_card_scheduled_ahead() {
    let home = Home::new();
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").unwrap();
    let mut total = 0;
    for day in 0..30 {
        for minutes in [0, 15] {
            let now = (start + chrono::Duration::days(day) + chrono::Duration::minutes(minutes))
                .to_rfc3339();
            let due: Vec<String> = if day == 0 && minutes == 0 {
                cards(&home, &now, &["--deck", "aws"])
                    .iter()
                    .map(|card| card["id"].as_str().unwrap().to_string())
                    .collect()
            } else {
                cards(&home, &now, &["--due"])
                    .iter()
                    .map(|card| card["id"].as_str().unwrap().to_string())
                    .collect()
            };
            if due.is_empty() {
                continue;
            }
            // A fixed pattern of grades: mostly Good, some Again and Hard.
            let input: String = due
                .iter()
                .enumerate()
                .map(|(n, id)| {
                    let grade = ["good", "good", "again", "good", "hard", "easy", "good"]
                        [(n + day as usize) % 7];
                    format!("{id} {grade} 4000\n")
                })
                .collect();
            let output = home
                .prep()
                .args(["grade", "--stdin", "--json"])
                .env("PREP_NOW", &now)
                .stdin(input)
                .any_stdout()
                .run();
            for line in output.stdout.lines() {
                let ack: Value = serde_json::from_str(line).unwrap();
                let due =
                    chrono::DateTime::parse_from_rfc3339(ack["due"].as_str().unwrap()).unwrap();
                assert!(
                    due > chrono::DateTime::parse_from_rfc3339(&now).unwrap(),
                    "{ack}"
                );
                total += 1;
            }
        }
    }
    assert!(total > 40, "only {total} reviews in a month");
    let history = home
        .prep()
        .args(["history", "--csv"])
        .any_stdout()
        .run()
        .stdout;
    assert_eq!(history.lines().count(), total + 1);
    assert!(
        history
            .lines()
            .skip(1)
            .all(|line| line.contains(",aws,") && line.contains(",4000,"))
    );
    home.prep()
        .args(["check"])
        .stdout_contains("integrity ok")
        .run();
}

#[test]
fn unknown_cards_and_grades_are_clear_errors_that_change_nothing() {
    let home = home_without_fuzz();
    home.prep()
        .args(["grade", "card-three", "good"])
        .stderr("error: no card with id \"card-three\" in any deck; run `prep cards` to list card ids\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["grade", "card-one", "great"])
        .stderr("error: \"great\" is not a grade; use again, hard, good or easy (or 1-4)\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["grade", "card", "good"])
        .stderr_contains("ambiguous")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["cards", "--deck", "awz"])
        .stderr_contains("did you mean \"aws\"")
        .status(1)
        .unchanged()
        .run();
    // A unique prefix is enough.
    home.prep()
        .args(["grade", "card-o", "good"])
        .stdout("card-one good: learning step 2, due 2026-01-05 09:10 (in 10m)\n")
        .run();
}

#[test]
fn a_bad_line_on_stdin_is_reported_and_the_others_are_graded() {
    let home = home_without_fuzz();
    let output = home
        .prep()
        .args(["grade", "--stdin"])
        .stdin("card-one good\nnonsense\ncard-two again 2500\n")
        .any_stdout()
        .stderr_contains("error: <stdin>:2:")
        .status(1)
        .run();
    assert_eq!(output.stdout.lines().count(), 2);
    let history = home
        .prep()
        .args(["history", "--json"])
        .any_stdout()
        .run()
        .stdout;
    assert_eq!(history.lines().count(), 2);
    assert!(history.contains("\"answer_ms\":2500"));
}

#[test]
fn removed_cards_keep_their_history_and_resume_when_they_return() {
    let home = home_without_fuzz();
    grade(&home, "2026-01-05T09:00:00Z", "card-two", "easy");
    let before = card(&cards(&home, "2026-01-06T09:00:00Z", &[]), "card-two").clone();

    // The card leaves the deck: its history stays, reported as orphaned.
    home.write_deck("aws", DECK.split("- id: card-two").next().unwrap());
    home.prep()
        .args(["check"])
        .stdout_contains("orphaned: 1 card with history is in no deck; its history is kept and resumes if it comes back")
        .stdout_contains("\nok\n")
        .unchanged()
        .run();
    assert_eq!(
        cards(&home, "2026-01-06T09:00:00Z", &["--deck", "aws"]).len(),
        1
    );

    // It comes back, edited, with the same id: the state resumes.
    home.write_deck(
        "aws",
        &DECK.replace("What is an AMI?", "What is an AMI, exactly?"),
    );
    let after = card(&cards(&home, "2026-01-06T09:00:00Z", &[]), "card-two").clone();
    assert_eq!(after["question"], "What is an AMI, exactly?");
    for key in ["state", "due", "stability", "difficulty", "reps"] {
        assert_eq!(after[key], before[key], "{key}");
    }
}

#[test]
fn history_is_exported_as_csv_and_json_lines() {
    let home = home_without_fuzz();
    home.prep()
        .args(["history", "--csv"])
        .stdout("reviewed_at,card,deck,grade,rating,elapsed_days,answer_ms,state_before,state,step,due,interval_days,stability,difficulty,reps,lapses,question\n")
        .unchanged()
        .run();
    home.prep()
        .args(["history"])
        .stdout("No reviews yet.\n")
        .unchanged()
        .run();
    home.prep()
        .args(["grade", "card-one", "good", "--answer-ms", "3100"])
        .any_stdout()
        .run();
    home.prep()
        .args(["history", "--csv"])
        .stdout(
            "reviewed_at,card,deck,grade,rating,elapsed_days,answer_ms,state_before,state,step,due,interval_days,stability,difficulty,reps,lapses,question\n\
             2026-01-05T09:00:00Z,card-one,aws,good,3,0,3100,new,learning,1,2026-01-05T09:10:00Z,0,2.3065,2.118,1,0,What does S3 stand for?\n",
        )
        .run();
    home.prep()
        .args(["history"])
        .stdout(
            "REVIEWED          CARD      DECK  GRADE  ELAPSED  TIME  STATE     NEXT  QUESTION\n\
             2026-01-05 09:00  card-one  aws   good         0  3.1s  learning  10m   What does S3 stand for?\n",
        )
        .run();
    home.prep()
        .args(["history", "--deck", "nope"])
        .stderr_contains("no deck named \"nope\"")
        .status(1)
        .run();
}

#[test]
fn a_bad_config_is_an_error_naming_the_key_and_nothing_is_graded() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write(
        "config.yaml",
        "desired_retention: 0.9\nlearning_step: [1m]\n",
    );
    home.prep()
        .args(["grade", "card-one", "good"])
        .stderr_contains("error: [HOME]/config.yaml:2:1: unknown field `learning_step`")
        .status(1)
        .unchanged()
        .run();
    home.write("config.yaml", "desired_retention: 1.2\n");
    home.prep()
        .args(["cards"])
        .stderr(
            "error: [HOME]/config.yaml: desired_retention is 1.2; it must be between 0.70 and 0.99; fix it or remove the key to use the default\n",
        )
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn a_card_moved_to_another_deck_is_graded_there() {
    let home = home_without_fuzz();
    let first = grade(&home, "2026-01-05T09:00:00Z", "card-one", "good");
    assert_eq!(first["deck"], "aws");
    // The card leaves aws for a new deck; the store still names aws.
    home.write_deck(
        "aws",
        "cards:\n- id: card-two\n  question: What is an AMI?\n  answer: An Amazon Machine Image.\n",
    );
    home.write_deck(
        "storage",
        "cards:\n- id: card-one\n  question: What does S3 stand for?\n  answer: Simple Storage Service.\n",
    );
    let second = grade(&home, "2026-01-05T09:10:00Z", "card-one", "good");
    assert_eq!(second["deck"], "storage");
    assert_eq!(second["state_before"], "learning");
}

/// A review belongs to the deck that holds its card now (a card moved to
/// another deck takes its history along), or, for a card no deck holds any
/// more, to the deck it was made in; `history` and `optimize` agree.
#[test]
fn reviews_follow_their_card_to_another_deck() {
    let home = Home::new();
    home.write_deck("first", "cards:\n- id: moved\n  question: Q?\n  answer: A.\n- id: gone\n  question: R?\n  answer: B.\n");
    home.write_deck(
        "second",
        "cards:\n- id: other\n  question: S?\n  answer: C.\n",
    );
    for card in ["moved", "gone"] {
        home.prep().args(["grade", card, "good"]).any_stdout().run();
    }
    home.write_deck(
        "first",
        "cards:\n- id: kept\n  question: T?\n  answer: D.\n",
    );
    home.write_deck("second", "cards:\n- id: other\n  question: S?\n  answer: C.\n- id: moved\n  question: Q?\n  answer: A.\n");
    let cards_in = |deck: &str| -> Vec<String> {
        let out = home
            .prep()
            .args(["history", "--deck", deck, "--json"])
            .any_stdout()
            .run()
            .stdout;
        crate::util::json_values(&out)
            .iter()
            .map(|review| review["card"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(cards_in("second"), ["moved"]);
    assert_eq!(cards_in("first"), ["gone"]);
    home.prep()
        .args(["optimize", "--deck", "second"])
        .stdout_contains("history: 1 review of 1 card")
        .run();
}

/// A shortened id needs four characters; an unknown config key names the
/// key it is most like.
#[test]
fn short_ids_and_mistyped_config_keys_say_what_to_do() {
    let home = Home::new();
    home.prep()
        .args(["grade", "75f", "good"])
        .status(1)
        .stderr("error: no card with id \"75f\"; a shortened id needs at least 4 characters (run `prep cards` to list card ids)\n")
        .unchanged()
        .run();
    home.write("config.yaml", "new_cards_per_day: 5\n");
    home.prep()
        .args(["stats"])
        .status(1)
        .stderr_contains("unknown field `new_cards_per_day`")
        .stderr_contains("(did you mean `new_per_day`?)")
        .unchanged()
        .run();
}

/// In a zone with daylight saving time the review day starts at the same
/// hour of the wall clock before and after the change: a card graded on
/// Friday 27 March 2026 in Berlin and due after the clocks go forward on
/// the 29th is due at 04:00 summer time (02:00 UTC), not at 05:00.
#[test]
fn a_card_due_after_a_daylight_saving_change_is_due_at_the_days_start_there() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\nlearning_steps: []\n");
    let review = home
        .prep()
        .args(["grade", "card-one", "easy", "--json"])
        .env("PREP_NOW", "2026-03-27T10:00:00+01:00")
        .env("TZ", "Europe/Berlin")
        .any_stdout()
        .run()
        .json();
    let due = chrono::DateTime::parse_from_rfc3339(review["due"].as_str().unwrap()).unwrap();
    assert!(
        due.to_utc()
            > "2026-03-29T01:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
    );
    assert_eq!(
        due.with_timezone(&chrono::FixedOffset::east_opt(7200).unwrap())
            .format("%H:%M")
            .to_string(),
        "04:00",
        "{review}"
    );
    // Where the machine's zone does not give PREP_NOW's offset, the
    // offset is taken as it is, fixed: 04:00 at +01:00.
    let review = home
        .prep()
        .args(["grade", "card-two", "easy", "--json"])
        .env("PREP_NOW", "2026-03-27T10:00:00+01:00")
        .env("TZ", "America/New_York")
        .any_stdout()
        .run()
        .json();
    assert!(
        review["due"].as_str().unwrap().ends_with("T04:00:00+01:00"),
        "{review}"
    );
}

/// A grade that was recorded is a success, even when another deck of the
/// home does not load: that deck is named in a warning, and the exit
/// status is 0, so a script does not grade again and count twice.
#[test]
fn a_recorded_grade_succeeds_when_another_deck_is_broken() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("decks/broken.yaml", "cards:\n- id: [\n");
    let output = home
        .prep()
        .args(["grade", "card-one", "good"])
        .stdout_contains("card-one good:")
        .any_stderr()
        .run();
    assert!(
        output
            .stderr
            .starts_with("warning: [HOME]/decks/broken.yaml:"),
        "{}",
        output.stderr
    );
    assert_eq!(crate::util::history(&home).len(), 1);
}

/// Once a quiz has indexed the decks, a grade by card id reads the card
/// from the store's deck index, and says what reading the decks says; an
/// edit of the deck since is read from the deck.
#[test]
fn a_grade_after_a_quiz_reads_the_card_from_the_deck_index() {
    let reversed = format!("reverse: true\n{DECK}");
    let graded = |use_index: &str| {
        let home = home_without_fuzz();
        home.write_deck("aws", &reversed);
        // The first quiz makes the store, the second indexes the deck.
        for _ in 0..2 {
            home.prep()
                .arg("quiz")
                .env("PREP_CACHE_SETTLE_MS", "0")
                .stdin("q\n")
                .any_stdout()
                .run();
        }
        let mut said = Vec::new();
        for (card, edit) in [
            ("card-one:r", None),
            ("card-two", Some("What is an AMI, again?")),
        ] {
            if let Some(edit) = edit {
                home.write_deck("aws", &reversed.replace("What is an AMI?", edit));
            }
            let output = home
                .prep()
                .args(["grade", card, "good", "--json", "--answer-ms", "1500"])
                .env("PREP_CACHE_SETTLE_MS", "0")
                .env("PREP_DECK_INDEX", use_index)
                .any_stdout()
                .run();
            said.push(output.json());
        }
        let listed = cards(&home, "2026-01-05T09:00:00Z", &[]);
        (said, card(&listed, "card-two")["question"].clone())
    };
    let (from_index, question) = graded("1");
    assert_eq!(from_index, graded("0").0);
    assert_eq!(from_index[0]["card"], "card-one:r");
    assert_eq!(question, "What is an AMI, again?");
}
