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
    let script = home.write(
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
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    script
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
    quiz.expect(Eof).unwrap();

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
