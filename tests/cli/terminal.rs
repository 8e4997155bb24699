//! The reviewer on a real (pseudo-)terminal: keys go in as a person types
//! them, and the screen and the store are checked.

use std::time::Duration;

use expectrl::{ControlCode, Eof, Expect, Session};

use crate::util::Home;

const DECK: &str = "\
cards:
- id: one
  question: What does S3 stand for?
  answer: Simple Storage Service.
- id: two
  question: What is an AMI?
  answer: An **Amazon Machine Image**.
";

#[test]
fn reveal_grade_undo_and_quit_on_a_terminal() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "aws"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(80, 24)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));

    quiz.expect("What does S3 stand for?").unwrap();
    quiz.expect("Space show answer").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("Simple Storage Service.").unwrap();
    quiz.expect("Good 10m").unwrap();
    quiz.send("3").unwrap();
    quiz.expect("What is an AMI?").unwrap();
    quiz.expect("good: back in 10m").unwrap();
    // Undo brings card one back, and its review leaves the store.
    quiz.send("u").unwrap();
    // (Each frame paints the question before the status line.)
    quiz.expect("What does S3 stand for?").unwrap();
    quiz.expect("undone: good").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("Easy").unwrap();
    quiz.send("4").unwrap();
    quiz.expect("easy: back in").unwrap();
    // Ctrl-C quits like q, and the terminal is given back.
    quiz.send(ControlCode::EndOfText).unwrap();
    let rest = quiz.expect(Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes());
    assert!(
        tail.contains("\x1b[?1049l"),
        "left the alternate screen: {tail:?}"
    );
    assert!(tail.contains("\x1b[?25h"), "showed the cursor: {tail:?}");
    assert!(tail.contains("Reviewed 1 card in"), "{tail:?}");
    let status = quiz.get_process().wait().unwrap();
    assert_eq!(
        format!("{status:?}"),
        format!("Exited(Pid({}), 0)", quiz.get_process().pid())
    );

    let history = home.prep().args(["history", "--csv"]).any_stdout().run();
    let rows: Vec<&str> = history.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", history.stdout);
    assert!(
        rows[0].contains(",one,") && rows[0].contains(",easy,"),
        "{}",
        rows[0]
    );
}
