//! `prep show CARD`: one card as the quiz shows it, with its state.

use crate::util::Home;

const DECK: &str = "\
cards:
- id: s3-name
  question: What does **S3** stand for?
  answer: |-
    Simple Storage Service:

    - objects in `buckets`
    - eleven nines of durability
  tags:
  - storage
  - basics
  source: notes.md:3
- id: s3-ami
  question: What is an AMI?
  answer: An **Amazon Machine Image**.
";

#[test]
fn a_new_card_as_plain_text() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.prep()
        .args(["show", "s3-n"])
        .stdout(
            "\
s3-name · aws · new
new: not reviewed yet; a quiz introduces it in deck order
tags: storage, basics
source: notes.md:3

What does S3 stand for?

── answer ──────────────────────────────────────────────────────────────────────

Simple Storage Service:

• objects in `buckets`
• eleven nines of durability
",
        )
        .unchanged()
        .run();
}

#[test]
fn a_reviewed_card_shows_its_state_and_when_it_is_due() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    home.prep()
        .args(["grade", "s3-ami", "good"])
        .any_stdout()
        .run();
    let shown = home.prep().args(["show", "s3-ami"]).any_stdout().run();
    let lines: Vec<&str> = shown.stdout.lines().collect();
    assert_eq!(lines[0], "s3-ami · aws · learning");
    assert!(
        lines[1].starts_with("due 2026-01-05 09:10 (in 10m) · stability "),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(" · recall 100% · 1 rep · 0 lapses"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[3], "What is an AMI?");
    assert!(lines[5].starts_with("── answer ─"), "{}", lines[5]);
    assert_eq!(lines[7..], ["An Amazon Machine Image."]);

    // Later it is due, as `prep cards --due` says.
    let later = home
        .prep()
        .args(["show", "s3-ami"])
        .env("PREP_NOW", "2026-01-05T09:30:00Z")
        .any_stdout()
        .run();
    assert!(
        later
            .stdout
            .contains("due 2026-01-05 09:10 (20m ago), in a quiz now · "),
        "{}",
        later.stdout
    );
    home.prep()
        .args(["cards", "--due"])
        .env("PREP_NOW", "2026-01-05T09:30:00Z")
        .stdout_contains("s3-ami")
        .run();

    let json = home
        .prep()
        .args(["show", "s3-ami", "--json"])
        .any_stdout()
        .run()
        .json();
    assert_eq!(json["id"], "s3-ami");
    assert_eq!(json["deck"], "aws");
    assert_eq!(json["state"], "learning");
    assert_eq!(json["due"], "2026-01-05T09:10:00Z");
    assert_eq!(json["due_now"], false);
    assert_eq!(json["reps"], 1);
    assert_eq!(json["answer"], "An **Amazon Machine Image**.");
    assert_eq!(json["tags"], serde_json::json!([]));
    assert_eq!(json["source"], serde_json::Value::Null);
}

#[test]
fn color_always_styles_the_card() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    let shown = home
        .prep()
        .args(["show", "s3-name", "--color", "always"])
        .any_stdout()
        .run();
    // The question in bold, code in colour, the rule dim.
    assert!(
        shown.stdout.contains("\x1b[1mWhat does \x1b[0m"),
        "{:?}",
        shown.stdout
    );
    assert!(shown.stdout.contains("\x1b[38;5;11m"), "{:?}", shown.stdout);
    assert!(
        shown.stdout.contains("\x1b[2m── answer"),
        "{:?}",
        shown.stdout
    );
}

#[test]
fn an_unknown_card_is_one_error() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.prep()
        .args(["show", "s3-x"])
        .stderr("error: no card with id \"s3-x\" in any deck; run `prep cards` to list card ids\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["show", "s3-a", "--json"])
        .stdout_contains("\"id\": \"s3-ami\"")
        .run();
}

/// Everything `prep show` writes to a pseudo-terminal that nobody sized:
/// it reports 0 columns, as a terminal under `script` does.
fn shown_on_a_terminal(home: &Home, flags: &[&str], env: &[(&str, &str)]) -> String {
    use expectrl::{Eof, Expect, Session};
    let mut command = home.spawnable();
    command
        .args(["show", "s3-name"])
        .args(flags)
        .env("TERM", "xterm-256color");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut show = Session::spawn(command).expect("a pseudo-terminal");
    show.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    let output = show.expect(Eof).unwrap();
    String::from_utf8_lossy(output.as_bytes()).replace("\r\n", "\n")
}

/// On a terminal the card is styled unless colour is off, by `--color
/// never` or `NO_COLOR`: then not one escape is written. A terminal of 0
/// columns is laid out at 80, not a word a line.
#[test]
fn colour_off_on_a_terminal_writes_no_escape() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    let styled = shown_on_a_terminal(&home, &[], &[]);
    assert!(styled.contains("\x1b[1m"), "{styled:?}");
    for (flags, env) in [
        (&["--color", "never"][..], &[][..]),
        (&[][..], &[("NO_COLOR", "1")][..]),
    ] {
        let plain = shown_on_a_terminal(&home, flags, env);
        assert!(!plain.contains('\x1b'), "{flags:?} {env:?}: {plain:?}");
        assert!(plain.contains("What does S3 stand for?\n"), "{plain:?}");
        assert!(
            plain.contains(&format!("── answer {}\n", "─".repeat(70))),
            "{plain:?}"
        );
    }
    // --color always wins over NO_COLOR.
    let forced = shown_on_a_terminal(&home, &["--color", "always"], &[("NO_COLOR", "1")]);
    assert!(forced.contains("\x1b[1m"), "{forced:?}");
}

/// An answer written line by line (`Situation:` over `Task:`) is shown
/// line by line, not as one run-on paragraph.
#[test]
fn answers_keep_their_line_breaks() {
    let home = Home::new();
    home.write_deck(
        "star",
        "cards:\n- id: failed\n  question: Tell me about a time you failed.\n  answer: |-\n    Situation: an outage.\n    Task: restore it.\n    Action: rolled back.\n    Result: back in an hour.\n",
    );
    let shown = home.prep().args(["show", "failed"]).any_stdout().run();
    assert!(
        shown.stdout.ends_with(
            "\nSituation: an outage.\nTask: restore it.\nAction: rolled back.\nResult: back in an hour.\n"
        ),
        "{:?}",
        shown.stdout
    );
}
