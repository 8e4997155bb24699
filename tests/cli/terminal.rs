//! The reviewer on a real (pseudo-)terminal: keys go in as a person types
//! them, and the screen and the store are checked.

use std::time::Duration;

use expectrl::{ControlCode, Eof, Expect, Session};

use crate::util::{Home, RDS_DECK};

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
    // Ctrl-C quits like q, with the status of an interrupted program, and
    // the terminal is given back.
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
        format!("Exited(Pid({}), 130)", quiz.get_process().pid())
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

/// Everything the reviewer wrote until it exited, after `keys`, one key
/// at a time, each sent once `wait_for` (the text before it) is on screen.
fn session(home: &Home, size: (u16, u16), env: &[(&str, &str)], steps: &[(&str, &str)]) -> String {
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "aws"])
        .env("TERM", "xterm-256color");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(size.0, size.1)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    let mut seen = String::new();
    for (wait_for, key) in steps {
        let found = quiz
            .expect(*wait_for)
            .unwrap_or_else(|err| panic!("{wait_for:?} did not appear ({err}); so far: {seen:?}"));
        seen.push_str(&String::from_utf8_lossy(found.before()));
        seen.push_str(wait_for);
        quiz.send(*key).unwrap();
    }
    let rest = quiz.expect(Eof).unwrap();
    seen.push_str(&String::from_utf8_lossy(rest.as_bytes()));
    seen
}

#[test]
fn forty_columns_skip_and_no_color() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    // NO_COLOR: attributes such as bold stay, colours go.
    let screen = session(
        &home,
        (40, 20),
        &[("NO_COLOR", "1")],
        &[
            ("Space answer", " "),
            ("1 1m", "s"),
            ("skipped until tomorrow", "q"),
        ],
    );
    assert!(screen.contains("2 6m"), "narrow buttons: {screen:?}");
    assert!(!screen.contains("\x1b[38;5;"), "no colour: {screen:?}");
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws"])
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(
        output.stdout.contains("Q: What is an AMI?"),
        "{}",
        output.stdout
    );
    assert!(
        !output.stdout.contains("S3"),
        "one was skipped: {}",
        output.stdout
    );

    // --color always wins over NO_COLOR; the grade buttons are coloured.
    let screen = session(
        &home,
        (80, 24),
        &[("NO_COLOR", "1")],
        &[("Space show answer", " "), ("Easy", "q")],
    );
    assert!(!screen.contains("\x1b[38;5;"), "{screen:?}");
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "aws", "--color", "always"])
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("Space show answer").unwrap();
    quiz.send(" ").unwrap();
    let shown = quiz.expect("Easy").unwrap();
    assert!(
        String::from_utf8_lossy(shown.before()).contains("\x1b[38;5;"),
        "coloured buttons"
    );
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
}

#[test]
fn typed_answers_are_checked_against_the_key_points() {
    let home = Home::new();
    home.write_deck("aws", RDS_DECK);
    home.write("config.yaml", "fuzz: false\n");
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "aws", "--type"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("Your answer").unwrap();
    // Letters that are keys elsewhere (q, s, u, e) are text here.
    quiz.send("use the same vpc and security groups, quite simple")
        .unwrap();
    quiz.expect("quite simple").unwrap();
    quiz.send("\r").unwrap();
    quiz.expect("covered 2 of 3 key points").unwrap();
    quiz.expect("suggested grade: good").unwrap();
    // Enter takes the suggestion.
    quiz.send("\r").unwrap();
    quiz.expect("good: back in").unwrap();
    quiz.send(ControlCode::EndOfText).unwrap();
    quiz.expect(Eof).unwrap();
    let history = home.prep().args(["history", "--csv"]).any_stdout().run();
    assert!(
        history.stdout.contains(",rds,aws,good,"),
        "{}",
        history.stdout
    );
}

#[test]
fn a_typed_answers_verdict_is_wrapped_whole_with_its_reason() {
    let home = Home::new();
    home.write_deck(
        "sql",
        "cards:\n- id: where\n  question: What's the difference between WHERE and HAVING?\n  \
         answer: |-\n    - **WHERE:** Filters rows before GROUP BY, cannot use aggregates\n    \
         - **HAVING:** Filters groups after aggregation, can use aggregates\n",
    );
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "sql", "--type"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(40, 30)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("Your answer").unwrap();
    quiz.send("WHERE filters groups after aggregation, HAVING filters rows before GROUP BY\r")
        .unwrap();
    // at 40 columns the headline takes four lines, none of it cut
    quiz.expect("covered 4 of 4 key points").unwrap();
    quiz.expect("suggested grade: again, as what you").unwrap();
    quiz.expect("said fits the other side (Enter to").unwrap();
    quiz.expect("accept)").unwrap();
    quiz.send(ControlCode::EndOfText).unwrap();
    quiz.expect(Eof).unwrap();
}

#[test]
fn the_last_grade_can_be_undone_before_the_session_ends() {
    let home = Home::new();
    home.write_deck(
        "aws",
        "cards:\n- id: one\n  question: What does S3 stand for?\n  answer: Simple Storage Service.\n",
    );
    let screen = session(
        &home,
        (80, 24),
        &[],
        &[
            ("Space show answer", " "),
            ("Easy", "4"),
            ("Session done.", "u"),
            ("undone: easy", " "),
            ("Easy", "2"),
            ("hard: back in", "\x03"),
        ],
    );
    assert!(screen.contains("Reviewed 1 card in"), "{screen:?}");
    let history = home.prep().args(["history", "--csv"]).any_stdout().run();
    let rows: Vec<&str> = history.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", history.stdout);
    assert!(rows[0].contains(",hard,"), "{}", rows[0]);
}

#[test]
fn a_planned_deck_starts_with_the_plan_of_the_day() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    home.prep()
        .args(["plan", "--deck", "aws", "--on", "+5d"])
        .any_stdout()
        .run();
    let screen = session(
        &home,
        (100, 24),
        &[],
        &[(
            "aws: interview in 5 days: 2 new and 0 early reviews today",
            "q",
        )],
    );
    assert!(screen.contains("What does S3 stand for?"), "{screen:?}");
}

/// The state letter of a process in /proc (`T` when stopped).
fn process_state(pid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next())
        .unwrap_or('?')
}

fn quiz_on_a_terminal(home: &Home) -> expectrl::session::OsSession {
    home.write_deck("aws", DECK);
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
    quiz
}

/// `kill -TERM` (and the hang-up of a closed window) puts the terminal
/// back before prep dies of the signal.
#[test]
fn a_terminating_signal_gives_the_terminal_back() {
    let home = Home::new();
    let mut quiz = quiz_on_a_terminal(&home);
    let pid = quiz.get_process().pid().as_raw();
    // SAFETY: a plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let rest = quiz.expect(Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes());
    assert!(
        tail.contains("\x1b[?1049l"),
        "left the alternate screen: {tail:?}"
    );
    assert!(tail.contains("\x1b[?25h"), "showed the cursor: {tail:?}");
    let status = quiz.get_process().wait().unwrap();
    assert!(format!("{status:?}").contains("SIGTERM"), "{status:?}");
}

/// Ctrl-Z gives the terminal back and stops prep; going on takes it again
/// and draws the card anew.
#[test]
fn ctrl_z_stops_and_going_on_redraws() {
    let home = Home::new();
    let mut quiz = quiz_on_a_terminal(&home);
    let pid = quiz.get_process().pid().as_raw();
    quiz.send(ControlCode::Substitute).unwrap();
    quiz.expect("\x1b[?1049l").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while process_state(pid) != 'T' {
        assert!(std::time::Instant::now() < deadline, "prep did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGCONT) }, 0);
    quiz.expect("\x1b[?1049h").unwrap();
    quiz.expect("What does S3 stand for?").unwrap();
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
    let status = quiz.get_process().wait().unwrap();
    assert!(format!("{status:?}").contains("Exited"), "{status:?}");
}

/// At 40 columns a code line twice as wide is shown whole, on rows that go
/// on where the one above stopped.
#[test]
fn a_long_code_line_can_be_read_whole_at_forty_columns() {
    let home = Home::new();
    home.write_deck(
        "code",
        "cards:\n- id: c1\n  question: How do you presign?\n  answer: |-\n    ```bash\n    aws s3 presign s3://bucket-name/object-key --expires-in 3600\n    ```\n",
    );
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "code"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(40, 20)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("How do you presign?").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("╭─ bash").unwrap();
    quiz.expect("aws s3 presign s3://bucket-name").unwrap();
    quiz.expect("↪").unwrap();
    quiz.expect("--expires-in 3600").unwrap();
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
}

#[test]
fn the_eighth_lapse_suspends_the_card_and_the_reviewer_says_so() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    // Seven lapses by `prep grade`: learnt, then forgotten and relearnt,
    // each time long after it was due.
    let day = |n: i64| {
        (chrono::DateTime::parse_from_rfc3339(crate::util::NOW).unwrap()
            + chrono::Duration::days(n))
        .to_rfc3339()
    };
    crate::util::grade(&home, &day(0), "one", "easy");
    for lapse in 1..=7 {
        let again = crate::util::grade(&home, &day(lapse * 100), "one", "again");
        assert_eq!(again["lapses"], lapse);
        crate::util::grade(&home, &day(lapse * 100 + 1), "one", "easy");
    }
    let screen = session(
        &home,
        (100, 30),
        &[("PREP_NOW", &day(800))],
        &[
            ("Space show answer", " "),
            ("Easy", "1"),
            ("suspended", "q"),
        ],
    );
    assert!(
        screen.contains("leech: forgotten 8 times, so it is suspended"),
        "{screen:?}"
    );
    let listed = crate::util::cards(&home, &day(800), &["--leech"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], "one");
    assert_eq!(listed[0]["suspended"], true);
    // No quiz shows it again, and stats list it as a leech.
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws"])
        .env("PREP_NOW", day(900))
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(!output.stdout.contains("S3"), "{}", output.stdout);
    let stats = home
        .prep()
        .args(["stats"])
        .env("PREP_NOW", day(900))
        .any_stdout()
        .run();
    assert!(
        stats
            .stdout
            .contains("Leeches: 1 card forgotten 8 times or more"),
        "{}",
        stats.stdout
    );
}

/// A reviewer at 60×14 on the long-answer fixture, its answer shown and
/// longer than the screen.
fn long_answer_shown(home: &Home) -> expectrl::session::OsSession {
    home.write_deck(
        "k8s",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/long-answer.yaml"
        ))
        .unwrap(),
    );
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "k8s"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(60, 14)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("Space show answer").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("↓ more").unwrap();
    quiz
}

#[test]
fn the_question_stays_in_sight_and_a_resize_keeps_the_reading_position() {
    let home = Home::new();
    let mut quiz = long_answer_shown(&home);
    // At the end of the answer, the question is pinned above it as one
    // line.
    quiz.send("G").unwrap();
    quiz.expect("annotation on the").unwrap();
    quiz.expect(" end ").unwrap();
    // Narrower, the answer wraps onto more rows; the end is still the
    // end, and the question still in sight.
    quiz.get_process_mut()
        .set_window_size(45, 14)
        .expect("a window size");
    let redrawn = quiz.expect(" end ").unwrap();
    let redrawn = String::from_utf8_lossy(redrawn.before()).to_string();
    assert!(
        redrawn.contains("What are the steps of a blue-green deploym…"),
        "{redrawn:?}"
    );
    assert!(!redrawn.contains("% ↓ more"), "{redrawn:?}");
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
}

#[test]
fn a_second_reviewer_on_the_home_says_another_session_runs() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    let first = quiz_on_a_terminal(&home);
    let screen = session(
        &home,
        (100, 30),
        &[],
        &[("another prep quiz is running on this home", "q")],
    );
    assert!(screen.contains("reviewing here too is fine"), "{screen:?}");
    drop(first);
}

#[test]
fn enter_and_space_grade_good_and_the_counter_counts_cards() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    let screen = session(
        &home,
        (80, 24),
        &[],
        &[
            ("1/2", " "),
            // Enter once the answer shows: Good, as in Anki.
            ("Enter good", "\r"),
            ("good: back in 10m", " "),
            // Space too, when the whole answer is in sight.
            ("Enter good", " "),
            // Card one comes back, learning.
            ("aws · learning", "q"),
        ],
    );
    assert!(
        screen.contains("2/2  0 review · 0 new · 2 learning"),
        "{screen:?}"
    );
    // Card one comes back, learning: still one of the session's two
    // cards, never "3/4".
    assert!(!screen.contains("3/"), "{screen:?}");
    let grades: Vec<String> = crate::util::history(&home)
        .iter()
        .map(|review| review["grade"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(grades[..2], ["good", "good"]);
}

#[test]
fn the_mark_toast_says_how_to_drill_marked_cards() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    let screen = session(
        &home,
        (100, 24),
        &[],
        &[("Space show answer", "m"), ("marked:", "q")],
    );
    assert!(
        screen.contains("marked: `prep quiz --cram --marked` drills the marked cards"),
        "{screen:?}"
    );
}

#[test]
fn twenty_columns_keep_the_units_of_the_intervals() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");
    // (An interval cut to `8` would not do.)
    let screen = session(&home, (20, 20), &[], &[("answer", " "), ("8d", "q")]);
    assert!(screen.contains("10m"), "{screen:?}");
}

#[test]
fn a_resize_never_shows_the_question_twice() {
    let home = Home::new();
    let mut quiz = long_answer_shown(&home);
    // At 40 columns the question takes three rows; one row down, two of
    // them are in sight, and the pinned line must not repeat them.
    quiz.get_process_mut()
        .set_window_size(40, 14)
        .expect("a window size");
    quiz.expect("↓ more").unwrap();
    quiz.send("j").unwrap();
    let frame = quiz.expect("↓ more").unwrap();
    let frame = String::from_utf8_lossy(frame.before()).to_string();
    assert!(frame.contains("you roll back?"), "{frame:?}");
    assert!(!frame.contains("What are the steps"), "{frame:?}");
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
}
