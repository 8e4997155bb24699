use super::*;
use crate::card_filter::CardFilter;
use chrono::{Duration, FixedOffset};

const NOW: &str = "2026-01-05T09:00:00Z";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A home with one deck of `count` cards c01, c02, ...; odd cards tagged
/// `odd`.
fn home(count: usize) -> (tempfile::TempDir, Settings) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("cards:\n");
    for n in 1..=count {
        let tag = if n % 2 == 1 { "\n  tags: [odd]" } else { "" };
        text.push_str(&format!(
            "- id: c{n:02}\n  question: Question {n}?\n  answer: Answer {n}.{tag}\n"
        ));
    }
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    std::fs::write(dir.path().join("decks/mine.yaml"), text).unwrap();
    let settings = Settings::new(dir.path(), DateTime::parse_from_rfc3339(NOW).unwrap());
    (dir, settings)
}

fn mine(options: Options) -> Options {
    Options {
        decks: vec!["mine".into()],
        ..options
    }
}

fn current_id(session: &Session) -> Option<String> {
    session.current().map(|current| current.card.id.clone())
}

/// Answers every card with `grade` until the session ends, returning the
/// ids in the order shown.
fn run(
    session: &mut Session,
    now: DateTime<Utc>,
    grade: impl Fn(&str, u32) -> Grade,
) -> Vec<String> {
    let mut shown = Vec::new();
    let mut seen: std::collections::HashMap<String, u32> = Default::default();
    while let Some(id) = current_id(session) {
        let count = seen.entry(id.clone()).or_default();
        *count += 1;
        session.answer(grade(&id, *count), now, 1000).unwrap();
        shown.push(id);
        assert!(shown.len() < 1000, "the session does not end");
    }
    shown
}

#[test]
fn new_cards_come_in_deck_order_up_to_the_daily_limit() {
    let (_dir, settings) = home(25);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    let progress = session.progress();
    assert_eq!((progress.left, progress.new), (20, 20));
    let shown = run(&mut session, now, |_, _| Grade::Easy);
    let expected: Vec<String> = (1..=20).map(|n| format!("c{n:02}")).collect();
    assert_eq!(shown, expected);
    let summary = session.summary(now).unwrap();
    assert_eq!(summary.held_back.new, 5);
    assert_eq!(summary.grades, [0, 0, 0, 20]);
    // The 20 introduced today count: a second session has no new cards.
    let again = Session::start(&settings, mine(Options::default()), now).unwrap();
    assert!(again.current().is_none());
    // Unless --new asks for more.
    let more = Session::start(
        &settings,
        mine(Options {
            new_cards: Some(3),
            ..Options::default()
        }),
        now,
    )
    .unwrap();
    assert_eq!(current_id(&more).as_deref(), Some("c21"));
    assert_eq!(more.progress().new, 3);
}

#[test]
fn again_comes_back_after_three_cards_until_passed() {
    let (_dir, settings) = home(5);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    // c01 is forgotten twice, then passed; everything else is easy.
    let shown = run(&mut session, now, |id, count| match (id, count) {
        ("c01", 1 | 2) => Grade::Again,
        ("c01", _) => Grade::Good,
        _ => Grade::Easy,
    });
    // Good on a first-step card moves it to the 10-minute step, which the
    // session learns ahead at the end.
    assert_eq!(
        shown,
        ["c01", "c02", "c03", "c04", "c01", "c05", "c01", "c01"]
    );
    let summary = session.summary(now).unwrap();
    assert_eq!(summary.answers, 8);
    assert_eq!(summary.cards, 5);
    assert_eq!(summary.grades, [2, 0, 2, 4]);
    assert!(summary.next_due.is_some());
}

#[test]
fn due_cards_come_first_most_overdue_first_and_reviews_are_capped() {
    let (dir, settings) = home(6);
    let day_one = at(NOW);
    let mut first = Session::start(
        &settings,
        mine(Options {
            limit: Some(3),
            ..Options::default()
        }),
        day_one,
    )
    .unwrap();
    // c01 easy (long interval), c02 and c03 good twice (graduate to a day).
    run(&mut first, day_one, |id, _| {
        if id == "c01" {
            Grade::Easy
        } else {
            Grade::Good
        }
    });
    std::fs::write(
        dir.path().join("config.yaml"),
        "reviews_per_day: 1\nfuzz: false\n",
    )
    .unwrap();
    // A command reads the config once: the next one sees the change.
    let settings = Settings::new(dir.path(), DateTime::parse_from_rfc3339(NOW).unwrap());
    let later = day_one + Duration::days(40);
    let session = Session::start(&settings, mine(Options::default()), later).unwrap();
    // All three are due; one review allowed today, the most overdue one.
    let progress = session.progress();
    assert_eq!((progress.review, progress.new), (1, 3));
    let summary = session.summary(later).unwrap();
    assert_eq!(summary.held_back.due, 2);
    let id = current_id(&session).unwrap();
    assert_ne!(id, "c01", "c01 was easy, so it is the least overdue");
}

#[test]
fn the_position_counts_cards_not_showings() {
    let (_dir, settings) = home(3);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    let position = |session: &Session| {
        let progress = session.progress();
        (progress.cards_shown, progress.cards)
    };
    assert_eq!(position(&session), (1, 3));
    // Again: the card comes back later in the session, as the same card.
    session.answer(Grade::Again, now, 500).unwrap();
    assert_eq!(position(&session), (2, 3));
    session.answer(Grade::Again, now, 500).unwrap();
    session.answer(Grade::Again, now, 500).unwrap();
    assert_eq!(position(&session), (3, 3));
    let later = now + chrono::Duration::minutes(2);
    while session.current().is_some() {
        session.answer(Grade::Easy, later, 500).unwrap();
        let (shown, cards) = position(&session);
        assert!(shown <= cards && cards == 3, "{shown}/{cards}");
    }
}

#[test]
fn undo_puts_store_queue_and_tally_back() {
    let (dir, settings) = home(3);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    session.answer(Grade::Again, now, 500).unwrap();
    assert_eq!(current_id(&session).as_deref(), Some("c02"));
    let undone = session.undo(now).unwrap().unwrap();
    assert_eq!(
        undone,
        Undone {
            card_id: "c01".into(),
            action: Action::Grade(Grade::Again)
        }
    );
    assert_eq!(current_id(&session).as_deref(), Some("c01"));
    assert_eq!(
        session.progress(),
        Progress {
            answered: 0,
            cards_shown: 1,
            cards: 3,
            left: 3,
            new: 3,
            learning: 0,
            review: 0
        }
    );
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(store.card_state("c01").unwrap().is_none());
    // A skip is undone too, and the card leaves the buried list.
    session.skip(now).unwrap();
    assert!(store.buried_ids(now).unwrap().contains("c01"));
    session.undo(now).unwrap().unwrap();
    assert!(store.buried_ids(now).unwrap().is_empty());
    assert!(session.undo(now).unwrap().is_none());
}

#[test]
fn skipped_cards_wait_for_the_next_day() {
    let (_dir, settings) = home(2);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    session.skip(now).unwrap();
    assert_eq!(current_id(&session).as_deref(), Some("c02"));
    let again = Session::start(
        &settings,
        mine(Options::default()),
        now + Duration::hours(2),
    )
    .unwrap();
    assert_eq!(again.progress().new, 1);
    // The day starts at 4:00: the next morning it is back.
    let tomorrow = at("2026-01-06T04:30:00Z");
    let next_day = Session::start(&settings, mine(Options::default()), tomorrow).unwrap();
    assert_eq!(current_id(&next_day).as_deref(), Some("c01"));
}

#[test]
fn cram_drills_everything_and_writes_nothing() {
    let (dir, settings) = home(4);
    let now = at(NOW);
    let mut normal = Session::start(
        &settings,
        mine(Options {
            limit: Some(1),
            ..Options::default()
        }),
        now,
    )
    .unwrap();
    normal.answer(Grade::Easy, now, 0).unwrap();
    let before = std::fs::read(Store::path_in(dir.path())).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let state = store.card_state("c01").unwrap();

    let mut cram = Session::start(
        &settings,
        mine(Options {
            cram: true,
            ..Options::default()
        }),
        now,
    )
    .unwrap();
    assert!(cram.preview(now).unwrap().is_none());
    let shown = run(&mut cram, now, |id, count| {
        if id == "c02" && count == 1 {
            Grade::Again
        } else {
            Grade::Good
        }
    });
    assert_eq!(shown, ["c01", "c02", "c03", "c04", "c02"]);
    assert_eq!(store.card_state("c01").unwrap(), state);
    assert_eq!(store.review_count().unwrap(), 1);
    assert!(store.card_state("c02").unwrap().is_none());
    drop(store);
    assert_eq!(std::fs::read(Store::path_in(dir.path())).unwrap(), before);
}

#[test]
fn tags_filter_and_unknown_tags_are_errors() {
    let (_dir, settings) = home(5);
    let now = at(NOW);
    let session = Session::start(
        &settings,
        mine(Options {
            filter: CardFilter::new(&["ODD".into()], None, &[], false, false, false),
            ..Options::default()
        }),
        now,
    )
    .unwrap();
    assert_eq!(session.progress().new, 3);
    let err = Session::start(
        &settings,
        mine(Options {
            filter: CardFilter::new(&["od".into()], None, &[], false, false, false),
            ..Options::default()
        }),
        now,
    )
    .err()
    .unwrap();
    let message = format!("{err:#}");
    assert!(
        message.contains("\"od\"") && message.contains("odd"),
        "{message}"
    );
}

#[test]
fn preview_matches_answer_and_learning_cards_wait_for_their_step() {
    let (_dir, settings) = home(1);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    let preview = session.preview(now).unwrap().unwrap();
    let given = session
        .answer(Grade::Hard, now, 0)
        .unwrap()
        .transition
        .unwrap();
    assert_eq!(given, preview[1]);
    // Hard on the first step: about six minutes, learned ahead at the end.
    assert_eq!(current_id(&session).as_deref(), Some("c01"));
    session.answer(Grade::Good, now, 0).unwrap();
    session.answer(Grade::Good, now, 0).unwrap();
    assert!(session.current().is_none());
    let offset = FixedOffset::east_opt(0).unwrap();
    assert_eq!(session.clock().offset(), offset);
}

#[test]
fn a_card_id_in_two_decks_is_one_card() {
    let (dir, settings) = home(3);
    std::fs::write(
        dir.path().join("decks/other.yaml"),
        "cards:\n- id: c02\n  question: Question 2 again?\n  answer: Answer 2.\n- id: d01\n  question: Other?\n  answer: Other.\n",
    )
    .unwrap();
    let now = at(NOW);
    let both = Options {
        decks: vec!["mine".into(), "other".into()],
        ..Options::default()
    };
    let mut session = Session::start(&settings, both, now).unwrap();
    let shown = run(&mut session, now, |_, _| Grade::Easy);
    assert_eq!(shown, ["c01", "c02", "c03", "d01"]);
    // Reviewed through the first deck, c02 is not new in the second either.
    let later = now + Duration::hours(1);
    let other = Session::start(
        &settings,
        Options {
            decks: vec!["other".into()],
            new_cards: Some(10),
            ..Options::default()
        },
        later,
    )
    .unwrap();
    assert!(other.current().is_none());
    assert_eq!(other.summary(later).unwrap().held_back.new, 0);
}

/// Undo records the opposite of each step rather than a copy of the queue:
/// a long mixed session undone step by step passes back through exactly
/// the states it went through, queue, card on screen and tally.
#[test]
fn undoing_every_step_retraces_the_session_exactly() {
    let (_dir, settings) = home(12);
    let mut now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    let mut states = Vec::new();
    let grades = [
        Grade::Again,
        Grade::Good,
        Grade::Hard,
        Grade::Again,
        Grade::Easy,
    ];
    for step in 0..40 {
        if session.current().is_none() {
            break;
        }
        states.push((
            session.queue.clone(),
            session.current.clone(),
            session.tally.clone(),
        ));
        if step % 7 == 3 {
            session.skip(now).unwrap();
        } else {
            session
                .answer(grades[step % grades.len()], now, 1000)
                .unwrap();
        }
        now += Duration::seconds(50);
    }
    assert!(
        states.len() > 20,
        "the session ended after {}",
        states.len()
    );
    while let Some((queue, current, tally)) = states.pop() {
        session.undo(now).unwrap().unwrap();
        assert_eq!(session.queue, queue);
        assert_eq!(session.current, current);
        assert_eq!(session.tally, tally);
    }
    assert!(!session.can_undo());
}

#[test]
fn a_suspended_card_is_left_out_until_unsuspended_and_the_suspension_can_be_undone() {
    let (dir, settings) = home(3);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    assert_eq!(current_id(&session).as_deref(), Some("c01"));
    session.suspend(&settings, now).unwrap();
    assert_eq!(current_id(&session).as_deref(), Some("c02"));
    let undone = session.undo(now).unwrap().unwrap();
    assert_eq!(undone.action, Action::Suspend);
    assert_eq!(current_id(&session).as_deref(), Some("c01"));
    assert!(
        Store::open(dir.path())
            .unwrap()
            .flags()
            .unwrap()
            .suspended
            .is_empty()
    );
    session.suspend(&settings, now).unwrap();
    drop(session);

    // Neither a review session nor a cram shows it; a cram with
    // --suspended (or --state suspended) does.
    let shown = |options: Options| {
        let mut session = Session::start(&settings, mine(options), now).unwrap();
        run(&mut session, now, |_, _| Grade::Easy)
    };
    assert_eq!(shown(Options::default()), ["c02", "c03"]);
    let cram = Options {
        cram: true,
        ..Options::default()
    };
    assert_eq!(shown(cram.clone()), ["c02", "c03"]);
    assert_eq!(
        shown(Options {
            suspended: true,
            ..cram.clone()
        }),
        ["c01", "c02", "c03"]
    );
    assert_eq!(
        shown(Options {
            filter: CardFilter::new(
                &[],
                None,
                &[crate::card_filter::StateFilter::Suspended],
                false,
                false,
                false
            ),
            ..cram
        }),
        ["c01"]
    );
    Store::open(dir.path())
        .unwrap()
        .unsuspend(&["c01"], chrono::Utc::now())
        .unwrap();
    assert_eq!(shown(Options::default()), ["c01"]);
}

#[test]
fn marks_toggle_and_choose_a_session() {
    let (_dir, settings) = home(3);
    let now = at(NOW);
    let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
    session.answer(Grade::Easy, now, 1000).unwrap();
    assert!(session.toggle_mark(&settings, now).unwrap());
    assert!(session.is_marked());
    assert!(session.current().unwrap().marked);
    assert!(!session.toggle_mark(&settings, now).unwrap());
    assert!(session.toggle_mark(&settings, now).unwrap());
    drop(session);
    let marked = Options {
        filter: CardFilter::new(&[], None, &[], false, true, false),
        cram: true,
        ..Options::default()
    };
    let mut session = Session::start(&settings, mine(marked), now).unwrap();
    assert_eq!(run(&mut session, now, |_, _| Grade::Good), ["c02"]);
}

#[test]
fn the_lapse_that_reaches_the_threshold_suspends_the_card_and_undo_takes_it_back() {
    let (dir, settings) = home(1);
    std::fs::write(
        dir.path().join("config.yaml"),
        "leech_threshold: 2\nfuzz: false\n",
    )
    .unwrap();
    let mut now = at(NOW);
    let mut lapses_seen = Vec::new();
    // Learn the card, then let it lapse each time it comes back.
    for round in 0..6 {
        let mut session = Session::start(&settings, mine(Options::default()), now).unwrap();
        while session.current().is_some() {
            let phase = session.current().unwrap().phase();
            let grade = if phase == Phase::Review || round == 0 && phase == Phase::New {
                if phase == Phase::New {
                    Grade::Easy
                } else {
                    Grade::Again
                }
            } else {
                Grade::Easy
            };
            let answered = session.answer(grade, now, 1000).unwrap();
            if let Some(leech) = answered.leech {
                lapses_seen.push(leech);
                // Undo takes the suspension back with the grade.
                session.undo(now).unwrap();
                assert!(
                    Store::open(dir.path())
                        .unwrap()
                        .flags()
                        .unwrap()
                        .suspended
                        .is_empty()
                );
                let again = session.answer(grade, now, 1000).unwrap();
                assert_eq!(again.leech, Some(leech));
                assert!(
                    session.current().is_none(),
                    "a suspended leech leaves the session"
                );
                break;
            }
        }
        now += Duration::days(30);
        if !lapses_seen.is_empty() {
            break;
        }
    }
    assert_eq!(lapses_seen, [(LeechAction::Suspend, 2)]);
    let flags = Store::open(dir.path()).unwrap().flags().unwrap();
    assert_eq!(flags.suspended["c01"].reason, SuspendReason::Leech);
}
