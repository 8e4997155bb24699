//! `prep quiz` through its line protocol (standard input not a terminal),
//! with the clock set by `PREP_NOW`: order, limits, Again, undo, skip, cram
//! and the state the store holds after.

use serde_json::Value;

use crate::util::{Home, NOW, RDS_DECK, history};

const DECK: &str = crate::util::THREE_CARDS;

fn home() -> Home {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    home
}

/// Runs a quiz session with `input` at `now` and returns its stdout, the
/// time spent written as `[TIME]`.
fn quiz(home: &Home, now: &str, args: &[&str], input: &str) -> String {
    let output = home
        .prep()
        .arg("quiz")
        .args(args)
        .env("PREP_NOW", now)
        .stdin(input)
        .any_stdout()
        .run();
    without_time(&output.stdout)
}

fn without_time(text: &str) -> String {
    text.lines()
        .map(|line| match (line.find(" in "), line.find("s: ")) {
            (Some(start), Some(end)) if start < end && line.starts_with(['R', 'C']) => {
                format!("{} in [TIME]{}", &line[..start], &line[end + 1..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn cards(home: &Home, now: &str) -> Vec<Value> {
    crate::util::cards(home, now, &[])
}

fn state<'a>(cards: &'a [Value], id: &str) -> &'a Value {
    cards.iter().find(|card| card["id"] == id).unwrap()
}

#[test]
fn a_whole_session_reads_like_a_transcript() {
    let home = home();
    // one: Again, then Good; two: Easy; three: Good, Good.
    let transcript = quiz(
        &home,
        NOW,
        &["--deck", "aws"],
        "\n1\n\n4\n\n3\n\n3\n\n3\n\n3\n",
    );
    assert_eq!(
        transcript,
        "\
card 1/3 · aws · new · left: 0 review · 3 new · 0 learning
Q: What does S3 stand for?
A: Simple Storage Service.
grades: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 8d
again: back in 1m
card 2/3 · aws · new · left: 0 review · 2 new · 1 learning
Q: What is an AMI?
A: An Amazon Machine Image:

   1. a root volume template
   2. launch permissions
grades: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 8d
easy: back in 8d
card 3/3 · aws · new · left: 0 review · 1 new · 1 learning
Q: What is IAM?
A: Identity and Access Management.
grades: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 8d
good: back in 10m
card 3/3 · aws · learning · left: 0 review · 0 new · 2 learning
Q: What does S3 stand for?
A: Simple Storage Service.
grades: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 2d
good: back in 10m
card 3/3 · aws · learning · left: 0 review · 0 new · 2 learning
Q: What is IAM?
A: Identity and Access Management.
grades: 1 again 1m · 2 hard 10m · 3 good 2d · 4 easy 4d
good: back in 2d
card 3/3 · aws · learning · left: 0 review · 0 new · 1 learning
Q: What does S3 stand for?
A: Simple Storage Service.
grades: 1 again 1m · 2 hard 10m · 3 good 1d · 4 easy 2d
good: back in 1d
Reviewed 3 cards (6 answers) in [TIME]: 1 again, 0 hard, 4 good, 1 easy.
Next card due in 19h (2026-01-06 04:00).
"
    );
    // Every answer is in the history, in order, and the states agree.
    let grades: Vec<(String, String)> = history(&home)
        .iter()
        .map(|review| {
            (
                review["card"].as_str().unwrap().to_string(),
                review["grade"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("one", "again"),
        ("two", "easy"),
        ("three", "good"),
        ("one", "good"),
        ("three", "good"),
        ("one", "good"),
    ];
    assert_eq!(
        grades,
        expected.map(|(card, grade)| (card.to_string(), grade.to_string()))
    );
    let after = cards(&home, NOW);
    assert_eq!(state(&after, "one")["state"], "review");
    assert_eq!(state(&after, "two")["due"], "2026-01-13T04:00:00Z");
    assert_eq!(state(&after, "three")["reps"], 2);
}

/// A deck of `count` cards n01, n02, ...
fn numbered(count: usize) -> String {
    let mut text = String::from("cards:\n");
    for n in 1..=count {
        text.push_str(&format!(
            "- id: n{n:02}\n  question: Question {n}?\n  answer: Answer {n}.\n"
        ));
    }
    text
}

/// The card ids a transcript showed, in order.
fn shown(transcript: &str) -> Vec<String> {
    transcript
        .lines()
        .filter_map(|line| line.strip_prefix("Q: Question "))
        .map(|rest| format!("n{:02}", rest.trim_end_matches('?').parse::<u32>().unwrap()))
        .collect()
}

#[test]
fn the_daily_new_card_limit_counts_cards_introduced_earlier_that_day() {
    let home = Home::new();
    home.write_deck("many", &numbered(7));
    home.write("config.yaml", "new_per_day: 3\nfuzz: false\n");
    let first = quiz(&home, NOW, &["--deck", "many"], &"\n4\n".repeat(10));
    assert_eq!(shown(&first), ["n01", "n02", "n03"]);
    assert!(
        first.contains("4 new cards wait for another day"),
        "{first}"
    );
    // Later the same day: nothing new left.
    let later = quiz(&home, "2026-01-05T20:00:00Z", &["--deck", "many"], "");
    assert!(later.starts_with("Nothing to review now.\n"), "{later}");
    // --new overrides the limit for one session.
    let extra = quiz(
        &home,
        "2026-01-05T20:00:00Z",
        &["--deck", "many", "--new", "1"],
        "\n4\n",
    );
    assert_eq!(shown(&extra), ["n04"]);
    // The next day (from 4:00) brings three more.
    let next_day = quiz(
        &home,
        "2026-01-06T05:00:00Z",
        &["--deck", "many"],
        &"\n4\n".repeat(10),
    );
    assert_eq!(shown(&next_day), ["n05", "n06", "n07"]);
}

/// A session starts from the store's deck index once the store exists;
/// a deck file that changes is read again, whether its stamp was trusted
/// (left alone long enough) or it changed a moment before.
#[test]
fn a_deck_edited_between_sessions_is_read_again() {
    let home = Home::new();
    home.write_deck("many", &numbered(4));
    home.write("config.yaml", "new_per_day: 1\nfuzz: false\n");
    let run = |now: &str, settle_ms: &str| {
        let output = home
            .prep()
            .args(["quiz", "--deck", "many"])
            .env("PREP_NOW", now)
            .env("PREP_CACHE_SETTLE_MS", settle_ms)
            .stdin("\n4\n".repeat(5))
            .any_stdout()
            .run();
        without_time(&output.stdout)
    };
    let first = run(NOW, "0");
    assert_eq!(shown(&first), ["n01"]);
    let edited = |card: usize, words: &str| {
        numbered(4).replace(&format!("Question {card}?"), &format!("{words}?"))
    };
    // The stamp was trusted: the edit changes it.
    home.write_deck("many", &edited(2, "Changed once"));
    let second = run("2026-01-06T05:00:00Z", "0");
    assert!(second.contains("Q: Changed once?"), "{second}");
    // Edited again, and read while the edit is too fresh to trust.
    let deck = edited(2, "Changed once").replace("Question 3?", "Changed twice?");
    home.write_deck("many", &deck);
    let third = run("2026-01-07T05:00:00Z", "3600000");
    assert!(third.contains("Q: Changed twice?"), "{third}");
    // A card added at the end comes in its turn.
    home.write_deck(
        "many",
        &(deck + "- id: n05\n  question: Fifth?\n  answer: Five.\n"),
    );
    let fourth = run("2026-01-08T05:00:00Z", "0");
    assert_eq!(shown(&fourth), ["n04"]);
    let fifth = run("2026-01-09T05:00:00Z", "0");
    assert!(fifth.contains("Q: Fifth?"), "{fifth}");
}

#[test]
fn due_cards_come_before_new_ones_most_overdue_first_within_the_review_limit() {
    let home = Home::new();
    home.write_deck("many", &numbered(6));
    home.write("config.yaml", "fuzz: false\nreviews_per_day: 2\n");
    // Day 0: n01..n03 learned with Easy, which sets different intervals
    // for each once they have been reviewed at different times.
    for (now, card) in [
        ("2026-01-01T09:00:00Z", "n01"),
        ("2026-01-02T09:00:00Z", "n02"),
        ("2026-01-03T09:00:00Z", "n03"),
    ] {
        home.prep()
            .args(["grade", card, "easy"])
            .env("PREP_NOW", now)
            .any_stdout()
            .run();
    }
    // A month later all three are due; n01 is the most overdue. Two
    // reviews are allowed, then the new cards come in deck order.
    let transcript = quiz(
        &home,
        "2026-02-01T09:00:00Z",
        &["--deck", "many", "--limit", "4"],
        &"\n3\n".repeat(20),
    );
    assert_eq!(shown(&transcript)[..4], ["n01", "n02", "n04", "n05"]);
    assert!(
        transcript.contains("1 more review due today wait"),
        "{transcript}"
    );
    assert!(
        transcript.contains("left for another session (--limit)"),
        "{transcript}"
    );
}

#[test]
fn undo_takes_a_grade_back_from_the_store_and_shows_the_card_again() {
    let home = home();
    let transcript = quiz(&home, NOW, &["--deck", "aws"], "\n3\n\nu\n\n4\nq\n");
    assert!(transcript.contains("undone: good on one\n"), "{transcript}");
    // After the undo, card one is asked again and graded easy.
    let questions: Vec<&str> = transcript
        .lines()
        .filter(|line| line.starts_with("Q: "))
        .collect();
    assert_eq!(
        questions,
        [
            "Q: What does S3 stand for?",
            "Q: What is an AMI?",
            "Q: What does S3 stand for?",
            "Q: What is an AMI?"
        ]
    );
    let reviews = history(&home);
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert_eq!(reviews[0]["card"], "one");
    assert_eq!(reviews[0]["grade"], "easy");
    assert_eq!(reviews[0]["reps"], 1);
}

#[test]
fn a_skipped_card_is_buried_until_the_next_day() {
    let home = home();
    let transcript = quiz(&home, NOW, &["--deck", "aws"], "s\n\n4\nq\n");
    assert!(
        transcript.contains("skipped: back tomorrow\n"),
        "{transcript}"
    );
    let again = quiz(&home, "2026-01-05T12:00:00Z", &["--deck", "aws"], "q\n");
    assert!(again.contains("Q: What is IAM?"), "{again}");
    assert!(!again.contains("What does S3"), "{again}");
    let tomorrow = quiz(&home, "2026-01-06T05:00:00Z", &["--deck", "aws"], "q\n");
    assert!(
        tomorrow.contains("Q: What does S3 stand for?"),
        "{tomorrow}"
    );
}

#[test]
fn cram_drills_every_card_and_leaves_every_file_alone() {
    let home = home();
    quiz(&home, NOW, &["--deck", "aws", "--limit", "1"], "\n4\n");
    let before = home.snapshot();
    let transcript = quiz(
        &home,
        NOW,
        &["--deck", "aws", "--cram"],
        "\n1\n\n3\n\n3\n\n3\n",
    );
    let questions: Vec<&str> = transcript
        .lines()
        .filter(|line| line.starts_with("Q: "))
        .collect();
    assert_eq!(
        questions,
        [
            "Q: What does S3 stand for?",
            "Q: What is an AMI?",
            "Q: What is IAM?",
            "Q: What does S3 stand for?"
        ]
    );
    assert!(
        transcript.contains("grades: 1 again · 2 hard · 3 good · 4 easy\n"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Crammed 3 cards (4 answers)"),
        "{transcript}"
    );
    assert!(
        transcript.contains("no schedule was changed"),
        "{transcript}"
    );
    assert!(before.changes_to(&home.snapshot()).is_empty());
    assert_eq!(history(&home).len(), 1);
}

#[test]
fn tags_choose_cards_and_bad_input_is_reported_without_ending_the_session() {
    let home = home();
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws", "--tag", "security"])
        .stdin("\nfive\n3\nq\n")
        .any_stdout()
        .stderr("error: <stdin>:2: \"five\" is not a grade; use 1-4, again, hard, good or easy (or u, s, !, m, q)\n")
        .run();
    assert!(
        output.stdout.contains("Q: What is IAM?"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("good: back in 10m"),
        "{}",
        output.stdout
    );
}

#[test]
fn unknown_decks_and_tags_are_errors_that_change_nothing() {
    let home = home();
    home.prep()
        .args(["quiz", "--deck", "awz"])
        .stderr_contains("error: ")
        .stderr_contains("aws")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["quiz", "--deck", "aws", "--tag", "securty"])
        .stderr("error: no card has the tag \"securty\"; did you mean \"security\"? the tags are: security\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["quiz", "--limit", "many"])
        .stderr_contains("invalid value 'many' for '--limit <N>'")
        .status(2)
        .unchanged()
        .run();
}

#[test]
fn the_bundled_deck_starts_in_an_empty_home() {
    let home = Home::new();
    let transcript = quiz(&home, NOW, &["--deck", "aws"], "\n3\nq\n");
    assert!(transcript.starts_with("card 1/"), "{transcript}");
    assert!(transcript.contains("good: back in"), "{transcript}");
    assert_eq!(history(&home).len(), 1);
}

#[test]
fn typed_answers_get_a_key_point_report_and_a_suggested_grade() {
    let home = Home::new();
    home.write_deck("aws", RDS_DECK);
    home.write("config.yaml", "fuzz: false\n");
    // The reveal line is the typed answer; an empty grade line takes the
    // suggestion.
    let transcript = quiz(
        &home,
        NOW,
        &["--deck", "aws", "--type"],
        "same vpc, securty groups and tls\n\nq\n",
    );
    assert!(
        transcript.contains(
            "covered 3 of 3 key points (100%); suggested grade: easy (Enter to accept)\n  + Same VPC\n  + Security Groups\n  + SSL/TLS\n"
        ),
        "{transcript}"
    );
    assert!(transcript.contains("easy: back in"), "{transcript}");
    let transcript = quiz(
        &home,
        "2026-02-20T09:00:00Z",
        &["--deck", "aws", "--type"],
        "no idea\n3\nq\n",
    );
    assert!(
        transcript.contains("covered 0 of 3 key points (0%); suggested grade: again"),
        "{transcript}"
    );
    // The suggestion was overridden with good.
    let reviews = history(&home);
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[1]["grade"], "good");
}

/// A `--type` session on the cards of `deck` (YAML) in a fresh home: the
/// first is answered with `typed`, and the suggested grade taken.
fn typed_session(deck: &str, typed: &str) -> String {
    let home = Home::new();
    home.write_deck("d", deck);
    home.write("config.yaml", "fuzz: false\n");
    quiz(
        &home,
        NOW,
        &["--deck", "d", "--type"],
        &format!("{typed}\n\nq\n"),
    )
}

/// A card in German is read in German: its key points are no German
/// function words (`einen`, `sich`, `sind`), and a right answer typed in
/// German is an answer, not a list of keywords.
#[test]
fn a_german_card_is_judged_in_german() {
    let transcript = typed_session(
        "cards:\n- id: ns\n  question: Was ist ein Namespace in Kubernetes?\n  answer: >-\n    \
         Ein Namespace teilt einen Cluster in virtuelle Bereiche auf. Ressourcen in\n    \
         verschiedenen Namespaces sind voneinander getrennt und lassen sich mit eigenen\n    \
         Quotas und Berechtigungen versehen. Namen müssen nur innerhalb eines Namespaces\n    \
         eindeutig sein.\n",
        "Ein Namespace teilt den Cluster auf: getrennte Bereiche, jeder mit eigenen Quotas \
         und Berechtigungen; Namen müssen nur darin eindeutig sein",
    );
    assert!(
        transcript.contains(
            "covered 5 of 6 key points (83%); suggested grade: easy (Enter to accept)\n  \
             + teilt\n  + Cluster\n  - virtuelle\n  + Bereiche\n  + Quotas\n  + Berechtigungen\n"
        ),
        "{transcript}"
    );
    assert!(transcript.contains("easy: back in"), "{transcript}");
}

/// A wrong answer that reuses the reference's words is no Good: a container
/// shares the host's kernel, it is no small VM with a kernel of its own.
#[test]
fn a_wrong_answer_in_the_references_words_is_not_good() {
    let transcript = typed_session(
        "cards:\n- id: cvm\n  question: How is a container different from a virtual machine?\n  \
         answer: >-\n    A container shares the host operating system's kernel and runs as an\n    \
         isolated process, making it lightweight and fast to start. A virtual machine\n    \
         includes a full guest operating system on top of a hypervisor, which makes it\n    \
         heavier and slower to boot. Containers are more efficient for running\n    \
         applications, while virtual machines provide stronger isolation.\n",
        "a container is just a lightweight VM with its own kernel",
    );
    let suggested = transcript
        .lines()
        .find_map(|line| line.split_once("suggested grade: "))
        .map(|(_, grade)| grade.split_whitespace().next().unwrap_or_default())
        .unwrap_or_else(|| panic!("no suggestion in {transcript}"));
    assert!(
        matches!(suggested, "again" | "hard"),
        "suggested {suggested}: {transcript}"
    );
}

/// A session with nothing to show says so once, when the next card is due,
/// and how to drill anyway.
#[test]
fn nothing_to_review_says_what_comes_next() {
    let home = Home::new();
    home.write_deck("d", "cards:\n- id: a1\n  question: Q?\n  answer: A.\n");
    crate::util::grade(&home, "2026-12-01T10:00:00Z", "a1", "easy");
    let out = quiz(&home, "2026-12-01T11:00:00Z", &["--deck", "d"], "");
    assert_eq!(
        out,
        "Nothing to review now.\nNext card due in 10d (2026-12-11 04:00).\n`prep quiz --cram` drills the cards anyway, without changing their schedule.\n"
    );
}

#[test]
fn a_skipped_overdue_card_is_next_due_when_its_skip_ends() {
    let home = Home::new();
    home.write_deck("aws", "cards:\n- id: one\n  question: What does S3 stand for?\n  answer: Simple Storage Service.\n");
    home.write("config.yaml", "fuzz: false\n");
    crate::util::grade(&home, NOW, "one", "easy");
    // A month later it is overdue; skipping it puts it off until the day
    // ends at 04:00, and that is when the summary and stats say it comes.
    let later = "2026-02-05T09:00:00Z";
    let transcript = quiz(&home, later, &["--deck", "aws"], "s\n");
    assert!(
        transcript.contains("Next card due in 19h (2026-02-06 04:00)."),
        "{transcript}"
    );
    let stats = home
        .prep()
        .args(["stats", "--json"])
        .env("PREP_NOW", later)
        .any_stdout()
        .run()
        .json();
    assert_eq!(stats["total"]["due_now"], 0);
    assert_eq!(stats["total"]["due_tomorrow"], 1);
    assert_eq!(stats["total"]["buried"], 1);
    assert_eq!(stats["forecast"][1]["count"], 1);
}

#[test]
fn a_second_session_says_so_and_a_card_graded_there_is_not_graded_again() {
    use std::io::{BufRead, BufReader, Write};
    let home = home();
    let mut first = home
        .spawnable()
        .args(["quiz", "--deck", "aws"])
        .env("PREP_NOW", NOW)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_out = BufReader::new(first.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("Q: ") {
        line.clear();
        assert!(
            first_out.read_line(&mut line).unwrap() > 0,
            "the first session ended"
        );
    }
    assert_eq!(line, "Q: What does S3 stand for?\n");
    // The second session, meanwhile, shows the same card, says another
    // session runs, and grades it.
    let second = quiz(&home, NOW, &["--deck", "aws", "--limit", "1"], "\n4\n");
    assert!(
        second.contains("another prep quiz is running on this home (process "),
        "{second}"
    );
    assert!(second.contains("easy: back in"), "{second}");
    // The first session's grade of that card is refused, and said so.
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all(b"\n3\nq\n").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut first_out, &mut rest).unwrap();
    assert!(first.wait().unwrap().success());
    assert!(
        rest.contains("not graded: another session graded one after this one showed it; it has left this session"),
        "{rest}"
    );
    let one: Vec<_> = history(&home)
        .into_iter()
        .filter(|review| review["card"] == "one")
        .collect();
    assert_eq!(one.len(), 1, "graded once, by the second session");
    // Once the first has ended, a session is alone again.
    let alone = quiz(&home, NOW, &["--deck", "aws"], "q\n");
    assert!(!alone.contains("another prep quiz"), "{alone}");
}

/// A deck of `count` cards, `Question 1?` to `Question {count}?`.
fn numbered_deck(count: usize) -> String {
    let mut yaml = String::from("cards:\n");
    for n in 1..=count {
        yaml.push_str(&format!(
            "- id: q{n:02}\n  question: Question {n}?\n  answer: Answer {n}.\n"
        ));
    }
    yaml
}

fn numbered_home(config: &str) -> Home {
    let home = Home::new();
    home.write_deck("nums", &numbered_deck(15));
    home.write("config.yaml", format!("fuzz: false\n{config}"));
    home
}

/// The questions a session shows, in order, each first time only,
/// answering Easy.
fn first_showings(home: &Home, now: &str, args: &[&str]) -> Vec<String> {
    let shown = quiz(home, now, args, &"\n4\n".repeat(40));
    let mut questions: Vec<String> = Vec::new();
    for question in shown.lines().filter_map(|line| line.strip_prefix("Q: ")) {
        if !questions.iter().any(|seen| seen == question) {
            questions.push(question.to_string());
        }
    }
    questions
}

#[test]
fn new_cards_and_crams_come_in_random_order_drawn_reproducibly() {
    let deck_order: Vec<String> = (1..=15).map(|n| format!("Question {n}?")).collect();
    let sorted = |mut questions: Vec<String>| {
        questions.sort_by_key(|q| q[9..q.len() - 1].parse::<u32>().unwrap());
        questions
    };

    // New cards: shuffled, every card once, and the same for the same day.
    let random = first_showings(&numbered_home(""), NOW, &["--order", "random"]);
    assert_ne!(random, deck_order);
    assert_eq!(sorted(random.clone()), deck_order);
    assert_eq!(
        first_showings(&numbered_home(""), NOW, &["--order", "random"]),
        random
    );
    // `new_order: random` in config.yaml does the same; --order deck
    // overrides it.
    let configured = numbered_home("new_order: random\n");
    assert_eq!(
        first_showings(&configured, NOW, &["--limit", "5"]),
        random[..5]
    );
    // Started again the same day, the session goes on in the same order.
    assert_eq!(
        first_showings(&configured, NOW, &["--limit", "5"]),
        random[5..10]
    );
    assert_eq!(
        first_showings(
            &numbered_home("new_order: random\n"),
            NOW,
            &["--order", "deck"]
        ),
        deck_order
    );

    // A cram: shuffled by the moment it starts, so the same under PREP_NOW.
    let home = numbered_home("");
    let cram = first_showings(&home, NOW, &["--cram", "--order", "random"]);
    assert_ne!(cram, deck_order);
    assert_eq!(sorted(cram.clone()), deck_order);
    assert_eq!(
        first_showings(&home, NOW, &["--cram", "--order", "random"]),
        cram
    );
    let later = first_showings(
        &home,
        "2026-01-05T10:00:00Z",
        &["--cram", "--order", "random"],
    );
    assert_ne!(later, cram);

    home.prep()
        .args(["quiz", "--order", "hardest"])
        .stderr(
            "error: --order hardest orders a cram session; add --cram (`prep quiz --cram --order hardest`), or use --order deck or random for new cards\n",
        )
        .status(1)
        .run();
    home.write("config.yaml", "new_order: shuffled\n");
    home.prep()
        .arg("cards")
        .stderr_contains("new_order")
        .status(1)
        .run();
}

/// `prep help quiz` lists every key of the reviewer, in the words `?`
/// shows them, and says that Enter and Space grade Good after the answer.
#[test]
fn help_quiz_lists_every_key_of_the_reviewer() {
    let home = Home::new();
    let help = home
        .prep()
        .args(["help", "quiz"])
        .any_stdout()
        .unchanged()
        .run()
        .stdout;
    let keys = help
        .split("Keys in the reviewer:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no keys in:\n{help}"));
    for (key, what) in prep::tui::keys::KEYS {
        assert!(
            keys.lines()
                .any(|line| line.trim_start().starts_with(key) && line.ends_with(what)),
            "{key} {what}:\n{keys}"
        );
    }
    for key in [
        "Space, Enter",
        "1 2 3 4",
        "u ",
        "s ",
        "! ",
        "m ",
        "e ",
        "o ",
        "? ",
        "q ",
    ] {
        assert!(
            keys.lines().any(|line| line.trim_start().starts_with(key)),
            "{key:?}:\n{keys}"
        );
    }
    assert!(
        keys.contains("Enter, Space  once the answer shows: grade good"),
        "{keys}"
    );
}
