use super::*;
use chrono::{FixedOffset, TimeZone};

fn clock() -> DayClock {
    DayClock::new(FixedOffset::east_opt(0).unwrap(), 4)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn scheduler(config: &Config) -> Scheduler {
    Scheduler::for_deck(config, "test", clock()).unwrap()
}

/// Pure FSRS-6 as the reference file was computed: no steps, no fuzz.
fn pure() -> Config {
    Config {
        learning_steps: vec![],
        relearning_steps: vec![],
        fuzz: false,
        ..Config::default()
    }
}

/// The 20 of 171 reviews where prep's interval is not py-fsrs's, all by
/// one rule: py-fsrs gives each grade its own interval, prep keeps a
/// review card's buttons a day apart as Anki does (Hard at least the
/// previous interval, Good at least Hard + 1, Easy at least Good + 1).
/// In each Good row FSRS's Hard interval rounds to Good's day (or Hard is
/// held at the previous interval), so Good is a day later; in the two
/// Easy rows Easy, Good and Hard all round to 1 day, so Easy is 3.
/// `(seq, step, grade, py-fsrs's interval, prep's)`.
const BUTTON_ORDER_DAYS: [(&str, &str, Grade, u32, u32); 20] = [
    ("2", "8", Grade::Good, 75, 76),
    ("7", "5", Grade::Good, 1, 2),
    ("7", "6", Grade::Easy, 1, 3),
    ("9", "6", Grade::Easy, 1, 3),
    ("9", "7", Grade::Good, 1, 2),
    ("13", "5", Grade::Good, 10, 11),
    ("18", "3", Grade::Good, 1, 2),
    ("23", "10", Grade::Good, 1, 2),
    ("23", "11", Grade::Good, 1, 2),
    ("27", "4", Grade::Good, 1, 2),
    ("27", "8", Grade::Good, 2, 3),
    ("27", "10", Grade::Good, 4, 5),
    ("33", "4", Grade::Good, 2, 3),
    ("33", "5", Grade::Good, 2, 3),
    ("33", "6", Grade::Good, 2, 3),
    ("33", "8", Grade::Good, 3, 4),
    ("40", "2", Grade::Good, 2, 3),
    ("40", "3", Grade::Good, 2, 3),
    ("40", "8", Grade::Good, 2, 3),
    ("40", "10", Grade::Good, 1, 2),
];

/// Replays `../shared/fsrs/reference.tsv` (py-fsrs 6.3.2, an independent
/// FSRS-6 implementation) through prep's scheduler and checks the
/// tolerance the file states: stability and difficulty within 1e-4
/// relative, intervals exact but for [`BUTTON_ORDER_DAYS`].
///
/// py-fsrs carries its state in f64; prep keeps stability to 4 decimals
/// and difficulty to 3 ([`stored_precision`], as Anki saves them), and
/// over a sequence that rounding, not FSRS, would decide the difference
/// (up to 2e-3 relative on the low stabilities of difficulty-10 cards).
/// So each review starts from py-fsrs's memory state before it (the
/// file's, as f32) with prep's own phase, interval and counts, and its
/// result must be the file's state to 1e-4 relative, give or take the
/// rounding to the precision prep keeps.
#[test]
fn reference_sequences_from_py_fsrs_replay_within_tolerance() {
    let text = include_str!("../../tests/fixtures/fsrs/reference.tsv");
    let scheduler = scheduler(&pure());
    let start = at("2026-01-05T12:00:00Z");
    let rows = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1);
    let (mut sequences, mut reviews) = (0, 0);
    let mut state: Option<CardState> = None;
    let mut now = start;
    let mut current_seq = String::new();
    let mut differing = Vec::new();
    for line in rows {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 7, "{line}");
        let (seq, step) = (fields[0], fields[1]);
        let elapsed: i64 = fields[2].parse().unwrap();
        let grade = Grade::from_rating(fields[3].parse().unwrap()).unwrap();
        let stability: f32 = fields[4].parse().unwrap();
        let difficulty: f32 = fields[5].parse().unwrap();
        let interval: u32 = fields[6].parse().unwrap();
        if seq != current_seq {
            assert_eq!(step, "1", "{line}");
            current_seq = seq.to_string();
            state = None;
            now = start;
            sequences += 1;
        }
        now += Duration::days(elapsed);
        let transition = scheduler
            .answer(&format!("seq-{seq}"), state.as_ref(), grade, now)
            .unwrap();
        assert_eq!(transition.elapsed_days as i64, elapsed, "{line}");
        let got = transition.state;
        let close =
            |got: f32, want: f32, unit: f32| (got - want).abs() <= 1e-4 * want.abs() + unit / 2.0;
        assert!(
            close(got.stability, stability, 1e-4),
            "seq {seq} step {step}: S {} vs {stability}",
            got.stability
        );
        assert!(
            close(got.difficulty, difficulty, 1e-3),
            "seq {seq} step {step}: D {} vs {difficulty}",
            got.difficulty
        );
        if got.interval_days != interval {
            differing.push((
                seq.to_string(),
                step.to_string(),
                grade,
                interval,
                got.interval_days,
            ));
        }
        assert_eq!(got.phase, Phase::Review);
        assert_eq!(got.due, clock().start_after(now, got.interval_days));
        state = Some(CardState {
            stability,
            difficulty,
            ..got
        });
        reviews += 1;
    }
    let expected: Vec<(String, String, Grade, u32, u32)> = BUTTON_ORDER_DAYS
        .iter()
        .map(|&(seq, step, grade, theirs, ours)| {
            (seq.to_string(), step.to_string(), grade, theirs, ours)
        })
        .collect();
    assert_eq!(differing, expected);
    assert_eq!(sequences, 30);
    assert_eq!(reviews, 171);
}

#[test]
fn a_new_card_goes_through_the_learning_steps() {
    let config = Config {
        fuzz: false,
        ..Config::default()
    };
    let scheduler = scheduler(&config);
    let now = at("2026-01-05T09:00:00Z");
    let [again, hard, good, easy] = scheduler.preview("c", None, now).unwrap();
    assert_eq!((again.state.phase, again.state.step), (Phase::Learning, 0));
    assert_eq!(again.state.due, now + Duration::minutes(1));
    // Hard on the first step waits the mean of the first two steps.
    assert_eq!(hard.state.due, now + Duration::seconds(330));
    assert_eq!((good.state.phase, good.state.step), (Phase::Learning, 1));
    assert_eq!(good.state.due, now + Duration::minutes(10));
    // Easy graduates at once, on a day boundary (04:00).
    assert_eq!(easy.state.phase, Phase::Review);
    assert_eq!(easy.state.interval_days, 8);
    assert_eq!(easy.state.due, at("2026-01-13T04:00:00Z"));
    for transition in [again, hard, good, easy] {
        assert_eq!(transition.state.reps, 1);
        assert_eq!(transition.phase_before, Phase::New);
        assert_eq!(transition.elapsed_days, 0);
    }

    // Good on the last step graduates; the same-day review went through
    // FSRS with zero elapsed days (a Good on the same day never lowers
    // stability).
    let later = now + Duration::minutes(10);
    let graduated = scheduler
        .answer("c", Some(&good.state), Grade::Good, later)
        .unwrap();
    assert_eq!(graduated.elapsed_days, 0);
    assert_eq!(graduated.state.phase, Phase::Review);
    assert!(graduated.state.stability >= good.state.stability);
    assert_eq!(
        graduated.state.interval_days,
        graduated.state.stability.round() as u32
    );
    // Hard on a later step repeats it.
    let repeated = scheduler
        .answer("c", Some(&good.state), Grade::Hard, later)
        .unwrap();
    assert_eq!(
        (repeated.state.phase, repeated.state.step),
        (Phase::Learning, 1)
    );
    assert_eq!(repeated.state.due, later + Duration::minutes(10));
}

#[test]
fn a_forgotten_card_relearns_and_counts_a_lapse() {
    let config = Config {
        fuzz: false,
        ..Config::default()
    };
    let scheduler = scheduler(&config);
    let day0 = at("2026-01-05T09:00:00Z");
    let learned = scheduler
        .answer("c", None, Grade::Easy, day0)
        .unwrap()
        .state;
    let day8 = learned.due + Duration::hours(5);
    let lapse = scheduler
        .answer("c", Some(&learned), Grade::Again, day8)
        .unwrap();
    assert_eq!(lapse.phase_before, Phase::Review);
    assert_eq!(lapse.elapsed_days, 8);
    assert_eq!(
        (lapse.state.phase, lapse.state.lapses),
        (Phase::Relearning, 1)
    );
    assert_eq!(lapse.state.due, day8 + Duration::minutes(10));
    assert!(lapse.state.stability < learned.stability);
    let back = scheduler
        .answer(
            "c",
            Some(&lapse.state),
            Grade::Good,
            day8 + Duration::minutes(10),
        )
        .unwrap();
    assert_eq!(
        (back.state.phase, back.state.lapses, back.state.reps),
        (Phase::Review, 1, 3)
    );
    assert!(back.state.interval_days >= 1);

    // Without relearning steps a lapse goes straight to a day interval.
    let config = Config {
        relearning_steps: vec![],
        ..config
    };
    let lapse = crate::schedule::Scheduler::for_deck(&config, "t", clock())
        .unwrap()
        .answer("c", Some(&learned), Grade::Again, day8)
        .unwrap();
    assert_eq!((lapse.state.phase, lapse.state.lapses), (Phase::Review, 1));
    assert!(lapse.state.interval_days >= 1);
}

#[test]
fn review_intervals_are_ordered_and_fuzz_is_reproducible() {
    let scheduler = scheduler(&Config::default());
    let day0 = at("2026-01-05T09:00:00Z");
    let mut state = scheduler
        .answer("card-1", None, Grade::Easy, day0)
        .unwrap()
        .state;
    for _ in 0..6 {
        let now = state.due + Duration::hours(1);
        let preview = scheduler.preview("card-1", Some(&state), now).unwrap();
        let days: Vec<u32> = preview[1..].iter().map(|t| t.state.interval_days).collect();
        assert!(days[0] <= days[1] && days[1] <= days[2], "{days:?}");
        let answered = scheduler
            .answer("card-1", Some(&state), Grade::Good, now)
            .unwrap();
        assert_eq!(answered, preview[2]);
        state = answered.state;
    }
    // Fuzz spreads cards learned together.
    let mut due = std::collections::BTreeSet::new();
    for card in 0..40 {
        let id = format!("card-{card}");
        let mut state = scheduler
            .answer(&id, None, Grade::Easy, day0)
            .unwrap()
            .state;
        state = scheduler
            .answer(&id, Some(&state), Grade::Good, state.due)
            .unwrap()
            .state;
        due.insert(state.interval_days);
    }
    assert!(due.len() >= 4, "{due:?}");
}

#[test]
fn the_maximum_interval_is_respected() {
    let config = Config {
        maximum_interval: 10,
        ..Config::default()
    };
    let scheduler = scheduler(&config);
    let mut now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let mut state = scheduler.answer("c", None, Grade::Easy, now).unwrap().state;
    for _ in 0..10 {
        now = state.due;
        state = scheduler
            .answer("c", Some(&state), Grade::Easy, now)
            .unwrap()
            .state;
        assert!(state.interval_days <= 10, "{}", state.interval_days);
    }
}

#[test]
fn grades_parse_from_words_and_numbers() {
    assert_eq!("GOOD".parse::<Grade>().unwrap(), Grade::Good);
    assert_eq!("1".parse::<Grade>().unwrap(), Grade::Again);
    assert!("5".parse::<Grade>().is_err());
    assert!(
        "great"
            .parse::<Grade>()
            .unwrap_err()
            .to_string()
            .contains("again, hard, good or easy")
    );
}

/// A review card answered again on the same day, as real Anki 26.9.3
/// (FSRS, default preset, fuzz off) answered it in
/// `../shared/anki-schedule/` (sequence S06, step 5): FSRS gives Hard and
/// Good the same stability, so the same 11 days; Anki, and prep, keep Hard
/// at the previous interval (12 d) and put Good a day past it.
#[test]
fn a_review_cards_buttons_are_a_day_apart_as_in_anki() {
    let scheduler = scheduler(&Config {
        fuzz: false,
        ..Config::default()
    });
    let state = CardState {
        phase: Phase::Review,
        step: 0,
        stability: 10.9713,
        difficulty: 2.097,
        due: at("2026-01-19T04:00:00Z"),
        last_review: at("2026-01-07T10:40:00Z"),
        interval_days: 12,
        reps: 4,
        lapses: 0,
    };
    let [again, hard, good, easy] = scheduler
        .preview("c", Some(&state), at("2026-01-07T12:40:00Z"))
        .unwrap();
    assert_eq!(hard.elapsed_days, 0);
    assert_eq!(hard.state.stability, good.state.stability);
    assert_eq!(
        [hard, good, easy].map(|t| t.state.interval_days),
        [12, 13, 17]
    );
    assert_eq!(
        (again.state.phase, again.state.due),
        (Phase::Relearning, at("2026-01-07T12:50:00Z"))
    );
    // The states Anki saved for each button: stability to 4 decimals,
    // difficulty to 3.
    let saved = [again, hard, good, easy].map(|t| (t.state.stability, t.state.difficulty));
    assert_eq!(
        saved,
        [
            (3.3273, 7.388),
            (10.9713, 4.739),
            (10.9713, 2.09),
            (16.9395, 1.0)
        ]
    );
}

/// Anki's floor for Hard: the previous interval when FSRS's interval did
/// not grow past it, a day more when it did, and none when FSRS's interval
/// shrank out of the previous one's fuzz range.
#[test]
fn hard_keeps_the_previous_interval_unless_fsrs_shrank_it_far() {
    let scheduler = scheduler(&Config {
        fuzz: false,
        ..Config::default()
    });
    let reviewed = at("2026-01-07T10:00:00Z");
    let state = |interval_days: u32| CardState {
        phase: Phase::Review,
        step: 0,
        stability: 10.9713,
        difficulty: 2.097,
        due: reviewed,
        last_review: reviewed,
        interval_days,
        reps: 4,
        lapses: 0,
    };
    let days = |interval_days: u32| {
        scheduler
            .preview(
                "c",
                Some(&state(interval_days)),
                reviewed + Duration::hours(2),
            )
            .unwrap()[1..]
            .iter()
            .map(|t| t.state.interval_days)
            .collect::<Vec<_>>()
    };
    // FSRS's Hard and Good: 11 days (10.9713), fuzz range 9-13.
    assert_eq!(days(10), [11, 12, 17]);
    assert_eq!(days(11), [11, 12, 17]);
    assert_eq!(days(13), [13, 14, 17]);
    assert_eq!(days(14), [11, 12, 17]);
}

/// FSRS's next states with these intervals (the memory states play no
/// part in the day intervals).
fn next_states(again: f32, hard: f32, good: f32, easy: f32) -> NextStates {
    let item = |interval: f32| fsrs::ItemState {
        memory: MemoryState {
            stability: interval,
            difficulty: 5.0,
        },
        interval,
    };
    NextStates {
        again: item(again),
        hard: item(hard),
        good: item(good),
        easy: item(easy),
    }
}

/// Where the floors stack, one fuzz factor moves all three buttons: Hard
/// is fuzzed above its floor, Good's floor is that Hard + 1, and Anki's
/// `constrained_fuzz_bounds` first lifts Good's interval to its floor and
/// takes the fuzz range around that, so Good (then Easy) can pass the
/// fuzz range of FSRS's own interval, in Anki as in prep. For every factor
/// the buttons are exactly those Anki's rules give, the table of each
/// case, computed from rslib `scheduler/states/` (review.rs, fuzz.rs).
///
/// The first card is the one the comparison with real Anki 26.9.3
/// (`../shared/anki-schedule/`, fuzz on, sequence S05 step 7) reached in
/// both programs: Anki's factor gave 3, 4, 5 days and prep's 4, 6, 9,
/// Good a day past its FSRS range (2-5) and Easy two past its (4-7). The
/// second is the card prep reached in sequence S07 step 7 (reviewed
/// early, so FSRS's intervals, about 110 days, are below the previous
/// 111 but within its range, and the previous interval is the floor).
#[test]
fn stacked_floors_keep_every_button_where_ankis_rules_put_it() {
    let scheduler = scheduler(&Config::default());
    let card = |interval_days: u32| CardState {
        phase: Phase::Review,
        step: 0,
        stability: 1.0,
        difficulty: 5.0,
        due: at("2026-01-10T04:00:00Z"),
        last_review: at("2026-01-08T10:00:00Z"),
        interval_days,
        reps: 6,
        lapses: 1,
    };
    // (previous interval, FSRS's intervals, [(from factor, Hard, Good, Easy)]).
    type Case = (u32, NextStates, &'static [(f32, [u32; 3])]);
    let cases: [Case; 2] = [
        (
            2,
            next_states(0.4882, 2.8985, 3.5938, 5.1166),
            &[
                (0.0, [3, 4, 5]),
                (1.0 / 3.0, [3, 4, 6]),
                (0.5, [4, 6, 8]),
                (2.0 / 3.0, [4, 6, 9]),
            ],
        ),
        (
            111,
            next_states(3.292, 109.704, 110.596, 112.549),
            &[
                (0.0, [111, 112, 113]),
                (1.0 / 9.0, [112, 114, 116]),
                (2.0 / 9.0, [113, 116, 119]),
                (3.0 / 9.0, [114, 118, 122]),
                (4.0 / 9.0, [115, 120, 125]),
                (5.0 / 9.0, [116, 122, 128]),
                (6.0 / 9.0, [117, 124, 131]),
                (7.0 / 9.0, [118, 126, 134]),
                (8.0 / 9.0, [119, 128, 137]),
            ],
        ),
    ];
    for (previous, next, table) in cases {
        let state = card(previous);
        // Factors from 0 to just below 1, none on a step of the table.
        let factors = (0..1000)
            .map(|i| (i as f32 + 0.5) / 1000.0)
            .chain([0.0, 0.999_999]);
        for factor in factors {
            let days = scheduler.day_intervals(Some(&state), &next, Some(factor));
            let want = table
                .iter()
                .rev()
                .find(|(from, _)| *from <= factor)
                .unwrap()
                .1;
            assert_eq!(days[1..], want, "previous {previous} d, factor {factor}");
        }
    }
}

/// Leaving relearning, Good gets its own FSRS interval, fuzzed within its
/// own range: Hard there is a step of minutes and floors nothing (prep
/// used to floor Good by a fuzzed Hard interval, 6 d where Anki's range
/// was 3-5 d). Easy stays past Good.
#[test]
fn good_leaving_relearning_is_not_floored_by_hard() {
    let scheduler = scheduler(&Config::default());
    let lapsed = at("2026-01-10T10:00:00Z");
    for card in 0..200 {
        let id = format!("card-{card}");
        let state = CardState {
            phase: Phase::Relearning,
            step: 0,
            stability: 3.9233,
            difficulty: 7.5,
            due: lapsed + Duration::minutes(10),
            last_review: lapsed,
            interval_days: 0,
            reps: 3,
            lapses: 1,
        };
        let [_, hard, good, easy] = scheduler
            .preview(&id, Some(&state), lapsed + Duration::minutes(10))
            .unwrap();
        assert_eq!(hard.state.phase, Phase::Relearning);
        assert_eq!(good.state.phase, Phase::Review);
        let (lower, upper) = fuzz::bounds(good.state.stability.round(), 1, 36500);
        assert!(
            (lower..=upper).contains(&good.state.interval_days),
            "{id}: Good {} d outside {lower}-{upper} (S {})",
            good.state.interval_days,
            good.state.stability
        );
        assert!(easy.state.interval_days > good.state.interval_days, "{id}");
    }
}

/// Without relearning steps a lapse goes to FSRS's Again interval at
/// once, rounded but not fuzzed (Anki's `answer_again` on a review card).
#[test]
fn a_lapse_without_relearning_steps_is_not_fuzzed() {
    let scheduler = scheduler(&Config {
        relearning_steps: vec![],
        ..Config::default()
    });
    let reviewed = at("2026-01-05T10:00:00Z");
    for card in 0..50 {
        let state = CardState {
            phase: Phase::Review,
            step: 0,
            stability: 60.0,
            difficulty: 5.0,
            due: reviewed + Duration::days(60),
            last_review: reviewed,
            interval_days: 60,
            reps: 5,
            lapses: 0,
        };
        let lapse = scheduler
            .answer(
                &format!("card-{card}"),
                Some(&state),
                Grade::Again,
                reviewed + Duration::days(60),
            )
            .unwrap()
            .state;
        assert_eq!(lapse.phase, Phase::Review);
        assert_eq!(lapse.interval_days, lapse.stability.round() as u32);
        assert!(lapse.interval_days > 2, "{}", lapse.interval_days);
    }
}

#[test]
fn memory_states_are_kept_at_ankis_precision() {
    let kept = stored_precision(MemoryState {
        stability: 25.123_456,
        difficulty: 5.245_96,
    });
    assert_eq!((kept.stability, kept.difficulty), (25.1235, 5.246));
    let kept = stored_precision(MemoryState {
        stability: 0.084_611_15,
        difficulty: 9.900_359,
    });
    assert_eq!((kept.stability, kept.difficulty), (0.0846, 9.9));
    // A grade gives the state at that precision, so the next review
    // starts from what was saved.
    let scheduler = scheduler(&pure());
    let first = scheduler
        .answer("c", None, Grade::Good, at("2026-01-05T10:00:00Z"))
        .unwrap()
        .state;
    assert_eq!((first.stability, first.difficulty), (2.3065, 2.118));
}
