//! `prep history`: the review log with each card's question, and the
//! filters that choose reviews by deck, card and date, all at once.

use crate::util::{Home, grade, history, json_values};

const AWS: &str = "\
cards:
- id: card-one
  question: What does S3 stand for?
  answer: Simple Storage Service.
- id: card-two
  question: What is an AMI, \"exactly\"?
  answer: An Amazon Machine Image.
";

const K8S: &str = "\
cards:
- id: pod
  question: What is a pod, and how does Kubernetes place its containers on the nodes?
  answer: The smallest unit Kubernetes schedules.
";

/// Two decks and four reviews over four days, the second late on the 3rd
/// in UTC, which is already the 4th two hours east.
fn reviewed_home() -> Home {
    let home = Home::new();
    home.write_deck("aws", AWS);
    home.write_deck("k8s", K8S);
    home.write("config.yaml", "fuzz: false\n");
    for (now, card) in [
        ("2026-01-02T10:00:00Z", "card-one"),
        ("2026-01-03T23:30:00Z", "card-two"),
        ("2026-01-04T10:00:00Z", "pod"),
        ("2026-01-05T08:00:00Z", "card-one"),
    ] {
        grade(&home, now, card, "good");
    }
    home
}

/// `prep history --json` with `args`, as `reviewed_at card` lines.
fn reviews(home: &Home, args: &[&str]) -> Vec<String> {
    let output = home
        .prep()
        .args(["history", "--json"])
        .args(args)
        .any_stdout()
        .run();
    json_values(&output.stdout)
        .iter()
        .map(|review| format!("{} {}", review["reviewed_at"], review["card"]))
        .map(|line| line.replace('"', ""))
        .collect()
}

#[test]
fn history_shows_each_reviews_question_and_a_dash_once_its_card_is_gone() {
    let home = reviewed_home();
    home.prep()
        .args(["history"])
        .stdout(
            "REVIEWED          CARD      DECK  GRADE  ELAPSED  TIME  STATE     NEXT  QUESTION\n\
             2026-01-02 10:00  card-one  aws   good         0  1.5s  learning  10m   What does S3 stand for?\n\
             2026-01-03 23:30  card-two  aws   good         0  1.5s  learning  10m   What is an AMI, \"exactly\"?\n\
             2026-01-04 10:00  pod       k8s   good         0  1.5s  learning  10m   What is a pod, and how does Kubernetes place its containers…\n\
             2026-01-05 08:00  card-one  aws   good         3  1.5s  review    14d   What does S3 stand for?\n",
        )
        .unchanged()
        .run();
    // CSV adds the question as its last column, quoted where it must be.
    let csv = home.prep().args(["history", "--csv"]).any_stdout().run();
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert!(lines[0].ends_with(",reps,lapses,question"), "{}", lines[0]);
    assert!(
        lines[2].ends_with(",\"What is an AMI, \"\"exactly\"\"?\""),
        "{}",
        lines[2]
    );

    // The card leaves its deck; its reviews stay, without a question.
    home.write_deck("aws", AWS.split("- id: card-two").next().unwrap());
    let table = home.prep().args(["history"]).any_stdout().run().stdout;
    assert!(
        table.contains(
            "2026-01-03 23:30  card-two  aws   good         0  1.5s  learning  10m   -\n"
        ),
        "{table}"
    );
    let csv = home.prep().args(["history", "--csv"]).any_stdout().run();
    assert!(
        csv.stdout.lines().nth(2).unwrap().ends_with(",1,0,"),
        "{}",
        csv.stdout
    );
    let json = history(&home);
    assert_eq!(json[0]["question"], "What does S3 stand for?");
    assert_eq!(json[1]["question"], serde_json::Value::Null);
}

#[test]
fn history_of_one_card_takes_a_prefix_or_a_gone_cards_exact_id() {
    let home = reviewed_home();
    assert_eq!(
        reviews(&home, &["--card", "card-o"]),
        [
            "2026-01-02T10:00:00Z card-one",
            "2026-01-05T08:00:00Z card-one"
        ]
    );
    assert_eq!(
        reviews(&home, &["--card", "card-o", "--card", "pod"]),
        [
            "2026-01-02T10:00:00Z card-one",
            "2026-01-04T10:00:00Z pod",
            "2026-01-05T08:00:00Z card-one"
        ]
    );
    // Filters combine: card-one is not in k8s.
    home.prep()
        .args(["history", "--card", "card-one", "--deck", "k8s"])
        .stdout("No review matches.\n")
        .run();

    // A card no deck holds any more is found by its whole id, in the log.
    home.write_deck("aws", AWS.split("- id: card-two").next().unwrap());
    assert_eq!(
        reviews(&home, &["--card", "card-two"]),
        ["2026-01-03T23:30:00Z card-two"]
    );
    for unknown in ["card-t", "nope"] {
        home.prep()
            .args(["history", "--card", unknown])
            .stderr(format!(
                "error: no card with id \"{unknown}\" in any deck; run `prep cards` to list card ids\n"
            ))
            .status(1)
            .unchanged()
            .run();
    }
}

#[test]
fn history_since_a_date_starts_at_its_local_midnight() {
    let home = reviewed_home();
    let from_the_4th = ["2026-01-04T10:00:00Z pod", "2026-01-05T08:00:00Z card-one"];
    assert_eq!(reviews(&home, &["--since", "2026-01-04"]), from_the_4th);
    // Today is the 5th: yesterday, one day ago, is the 4th.
    assert_eq!(reviews(&home, &["--since", "-1d"]), from_the_4th);
    assert_eq!(reviews(&home, &["--since=yesterday"]), from_the_4th);
    assert_eq!(
        reviews(&home, &["--since", "today"]),
        ["2026-01-05T08:00:00Z card-one"]
    );
    // Two hours east, the review at 23:30 UTC on the 3rd was on the 4th.
    let east = home
        .prep()
        .args(["history", "--since", "2026-01-04", "--csv"])
        .env("PREP_NOW", "2026-01-05T11:00:00+02:00")
        .any_stdout()
        .run()
        .stdout;
    let cards: Vec<&str> = east
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(cards, ["card-two", "pod", "card-one"]);
    // --until takes its whole day; with --deck, all filters hold.
    assert_eq!(
        reviews(&home, &["--until", "2026-01-03"]),
        [
            "2026-01-02T10:00:00Z card-one",
            "2026-01-03T23:30:00Z card-two"
        ]
    );
    assert_eq!(
        reviews(
            &home,
            &["--since", "2026-01-03", "--until", "-1d", "--deck", "aws"]
        ),
        ["2026-01-03T23:30:00Z card-two"]
    );
}

#[test]
fn history_of_a_bad_date_says_what_dates_look_like() {
    let home = reviewed_home();
    for flag in ["--since", "--until"] {
        home.prep()
            .args(["history", flag, "last week"])
            .stderr(format!(
                "error: {flag} last week: not a date; write it as YYYY-MM-DD (such as 2026-01-05), today, yesterday, or days ago such as -7d\n"
            ))
            .status(1)
            .unchanged()
            .run();
    }
}
