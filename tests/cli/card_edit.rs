//! Editing a card: `e` in the reviewer and `prep edit CARD` open the deck
//! in `$VISUAL` at the card's line, and what the editor wrote is what the
//! next screen (or `prep show`) shows. The editor is a shell script that
//! logs its arguments and edits the deck with sed, as a person would.

use std::path::{Path, PathBuf};
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};

use crate::util::Home;

/// A fake editor in the home: logs `+LINE FILE` to `editor.log`, then,
/// as `editor-mode` says, puts `EDITED at LINE, ` before the question on
/// that line or the next (`edit`, the default), breaks that question's
/// YAML (`break`), or mends what `break` did (`fix`).
fn fake_editor(home: &Home) -> PathBuf {
    script(
        home,
        "editor.sh",
        r#"#!/bin/sh
dir=$(dirname "$0")
echo "$@" >> "$dir/editor.log"
line=${1#+}
case "$(cat "$dir/editor-mode" 2>/dev/null)" in
  break) sed -i "${line},$((line + 1))s/question: /question: [broken /" "$2" ;;
  fix) sed -i "s/question: \[broken /question: FIXED /" "$2" ;;
  *) sed -i "${line},$((line + 1))s/question: /question: EDITED at ${line}, /" "$2" ;;
esac
"#,
    )
}

/// An executable shell script `name` in the home.
fn script(home: &Home, name: &str, text: &str) -> PathBuf {
    let path = home.write(name, text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// The lines the fake editor was opened at, in order, and the files.
fn editor_log(home: &Home) -> Vec<(String, String)> {
    let log = std::fs::read_to_string(home.path().join("editor.log")).unwrap_or_default();
    log.lines()
        .map(|line| {
            let (at, file) = line.split_once(' ').unwrap();
            let file = file.replace(&home.path().display().to_string(), "[HOME]");
            (at.to_string(), file)
        })
        .collect()
}

/// The line of each `- id:` in the bundled aws deck, counted by hand.
fn aws_card_lines() -> Vec<usize> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/aws.yaml");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("- id: "))
        .map(|(number, _)| number + 1)
        .collect()
}

/// The reviewer on a pseudo-terminal with the fake editor as `$VISUAL`.
fn reviewer(home: &Home) -> OsSession {
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "aws"])
        .env("TERM", "xterm-256color")
        .env("VISUAL", fake_editor(home));
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(100, 30)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz
}

/// Waits for `text` on screen, with what came before it in the panic.
fn wait_for(quiz: &mut OsSession, text: &str) -> String {
    let found = quiz
        .expect(text)
        .unwrap_or_else(|err| panic!("{text:?} did not appear ({err})"));
    String::from_utf8_lossy(found.before()).into_owned()
}

#[test]
fn e_opens_every_card_of_the_aws_deck_at_its_line_and_shows_the_edit() {
    let home = Home::new();
    let lines = aws_card_lines();
    assert_eq!(lines[..3], [4, 19, 94]);
    let mut quiz = reviewer(&home);
    wait_for(&mut quiz, "Space show answer");
    for (index, line) in lines.iter().enumerate() {
        quiz.send("e").unwrap();
        // The next screen shows the question as the editor left it.
        wait_for(&mut quiz, &format!("EDITED at {line}, "));
        let status = if index == 0 {
            "the bundled deck is now your copy at "
        } else {
            "aws.yaml again"
        };
        wait_for(&mut quiz, status);
        quiz.send("s").unwrap();
        let before = wait_for(&mut quiz, "skipped until tomorrow");
        assert_eq!(
            before.contains("Session done."),
            index == lines.len() - 1,
            "{before:?}"
        );
    }
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();

    let expected: Vec<(String, String)> = lines
        .iter()
        .map(|line| (format!("+{line}"), "[HOME]/decks/aws.yaml".to_string()))
        .collect();
    assert_eq!(editor_log(&home), expected);
    let deck = home.read("decks/aws.yaml");
    for line in &lines {
        assert!(
            deck.contains(&format!("question: EDITED at {line}, ")),
            "{deck}"
        );
    }
}

const TWO_CARDS: &str = "\
cards:
- id: one
  question: What does S3 stand for?
  answer: Simple Storage Service.
  tags:
  - storage
- id: two
  question: What is an AMI?
  answer: An **Amazon Machine Image**.
";

#[test]
fn an_edit_that_breaks_the_deck_is_said_and_the_card_stays_as_it_was() {
    let home = Home::new();
    home.write_deck("aws", TWO_CARDS);
    home.write("editor-mode", "break");
    let mut quiz = reviewer(&home);
    wait_for(&mut quiz, "Space show answer");
    quiz.send(" ").unwrap();
    wait_for(&mut quiz, "Good");
    quiz.send("e").unwrap();
    // Still the old question and the revealed answer; the footer says what
    // is wrong, where, and what to do.
    let mut screen = wait_for(&mut quiz, "aws.yaml:3:13: ");
    screen += &wait_for(&mut quiz, "Easy");
    assert!(
        screen.contains("stays"),
        "the card stays as it was: {screen:?}"
    );
    assert!(screen.contains("What does S3 stand for?"), "{screen:?}");
    assert!(screen.contains("Simple Storage Service."), "{screen:?}");
    assert!(!screen.contains("[broken"), "{screen:?}");
    // Nothing is lost: the file keeps the edit.
    assert!(
        home.read("decks/aws.yaml")
            .contains("question: [broken What does S3")
    );

    // Grading goes on with the card as it was.
    quiz.send("3").unwrap();
    wait_for(&mut quiz, "What is an AMI?");
    home.write("editor-mode", "fix");
    quiz.send("e").unwrap();
    wait_for(&mut quiz, "aws.yaml again");
    quiz.send("q").unwrap();
    // Mended, the deck's error is not said again after the session.
    let rest = quiz.expect(Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes());
    assert!(tail.contains("Reviewed 1 card"), "{tail:?}");
    assert!(!tail.contains("error:"), "{tail:?}");

    // The second time the editor opened where the deck was broken.
    let at: Vec<String> = editor_log(&home).into_iter().map(|(at, _)| at).collect();
    assert_eq!(at, ["+2", "+3"]);
    let history = home.prep().args(["history", "--csv"]).any_stdout().run();
    assert!(
        history.stdout.contains(",one,aws,good,"),
        "{}",
        history.stdout
    );
    home.prep()
        .args(["show", "one"])
        .stdout_contains("FIXED What does S3 stand for?")
        .run();
}

#[test]
fn a_deck_left_broken_is_said_again_after_the_session() {
    let home = Home::new();
    home.write_deck("aws", TWO_CARDS);
    home.write("editor-mode", "break");
    let mut quiz = reviewer(&home);
    wait_for(&mut quiz, "Space show answer");
    quiz.send("e").unwrap();
    wait_for(&mut quiz, "aws.yaml:3:13: ");
    quiz.send("q").unwrap();
    // The error the footer showed is said again, whole, after the session.
    let rest = quiz.expect(Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes());
    assert!(
        tail.contains("error: not read again, the card stays as it was (e to edit it): ")
            && tail.contains("aws.yaml:3:13: ")
            && tail.contains("fix the YAML, or move the file away to start the deck afresh"),
        "{tail:?}"
    );
}

/// Two cards whose ids share a prefix, the first with tags and a block
/// scalar answer whose lines start with `- `.
const PREFIXED: &str = "\
cards:
- id: 5e1f00aa
  question: What does S3 stand for?
  answer: |-
    - Simple
    - Storage
    - Service
  tags:
  - storage
- id: 5e1fbb00
  question: What is an AMI?
  answer: An **Amazon Machine Image**.
";

#[test]
fn prep_edit_opens_the_deck_at_the_card_a_unique_prefix_names() {
    let home = Home::new();
    home.write_deck("aws", PREFIXED);
    let editor = fake_editor(&home);
    home.prep()
        .args(["edit", "5e1fb"])
        .env("VISUAL", &editor)
        .run();
    assert_eq!(
        editor_log(&home),
        [("+10".to_string(), "[HOME]/decks/aws.yaml".to_string())]
    );
    home.prep()
        .args(["show", "5e1fbb00"])
        .stdout_contains("\nEDITED at 10, What is an AMI?\n")
        .run();
    // $EDITOR when $VISUAL is not set, with the words after the program
    // as its arguments.
    home.prep()
        .args(["edit", "5e1f00aa"])
        .env("EDITOR", format!("{} ", editor.display()))
        .run();
    assert_eq!(editor_log(&home)[1].0, "+2");

    // An edit that gives the card another id is said.
    let renamer = script(
        &home,
        "rename.sh",
        "#!/bin/sh\nsed -i \"${1#+}s/- id: .*/- id: renamed/\" \"$2\"\n",
    );
    home.prep()
        .args(["edit", "5e1fbb00"])
        .env("VISUAL", &renamer)
        .stdout(
            "Card 5e1fbb00 is no longer in [HOME]/decks/aws.yaml; its review history stays under that id.\n",
        )
        .run();
    home.prep()
        .args(["show", "renamed"])
        .stdout_contains("renamed · aws · new\n")
        .run();
}

#[test]
fn prep_edit_of_a_bundled_card_copies_the_deck_first() {
    let home = Home::new();
    let editor = fake_editor(&home);
    home.prep()
        .args(["edit", "dd1167e1078d"])
        .env("VISUAL", &editor)
        .stdout(
            "The bundled deck aws is now your copy at [HOME]/decks/aws.yaml; edits there are kept.\n",
        )
        .run();
    assert_eq!(editor_log(&home)[0].0, "+94");
    assert!(
        home.read("decks/aws.yaml")
            .contains("question: EDITED at 94, What is the use of pre-signed URL in s3?")
    );
}

#[test]
fn prep_edit_of_an_unknown_or_ambiguous_id_is_one_error_and_runs_no_editor() {
    let home = Home::new();
    home.write_deck("aws", PREFIXED);
    let editor = fake_editor(&home);
    home.prep()
        .args(["edit", "zzzz"])
        .env("VISUAL", &editor)
        .stderr("error: no card with id \"zzzz\" in any deck; run `prep cards` to list card ids\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["edit", "5e1f"])
        .env("VISUAL", &editor)
        .stderr("error: card id \"5e1f\" is ambiguous: it starts 2 ids (5e1f00aa, 5e1fbb00); give more of it\n")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["edit", "5e1f00aa"])
        .env("VISUAL", "/nonexistent/editor")
        .stderr_contains("error: cannot run the editor \"/nonexistent/editor\" (")
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn prep_edit_that_breaks_the_deck_says_where_and_mends_it_the_next_time() {
    let home = Home::new();
    home.write_deck("aws", PREFIXED);
    let editor = fake_editor(&home);
    home.write("editor-mode", "break");
    home.prep()
        .args(["edit", "5e1fbb00"])
        .env("VISUAL", &editor)
        .stderr(
            "error: [HOME]/decks/aws.yaml:11:13: cards[1].question: invalid type: sequence, \
             expected a string; fix the YAML, or move the file away to start the deck afresh; \
             the edit is kept in the file: run `prep edit 5e1fbb00` to fix it\n",
        )
        .status(1)
        .run();
    assert!(
        home.read("decks/aws.yaml")
            .contains("question: [broken What is an AMI?")
    );
    // The deck does not load, but the card is still found by its id, and
    // the editor opens where the deck is broken.
    home.write("editor-mode", "fix");
    home.prep()
        .args(["edit", "5e1fbb00"])
        .env("VISUAL", &editor)
        .run();
    let at: Vec<String> = editor_log(&home).into_iter().map(|(at, _)| at).collect();
    assert_eq!(at, ["+10", "+11"]);
    home.prep()
        .args(["show", "5e1fbb00"])
        .stdout_contains("\nFIXED What is an AMI?\n")
        .run();
}
