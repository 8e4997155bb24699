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

/// Replays `../shared/fsrs/reference.tsv` (py-fsrs 6.3.2, an independent
/// FSRS-6 implementation) through prep's scheduler, feeding each review the
/// state prep computed, and checks the tolerance the file states:
/// stability and difficulty within 1e-4 relative, intervals exact.
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
        let close = |got: f32, want: f32| ((got - want) / want).abs() <= 1e-4;
        assert!(
            close(got.stability, stability),
            "seq {seq} step {step}: S {} vs {stability}",
            got.stability
        );
        assert!(
            close(got.difficulty, difficulty),
            "seq {seq} step {step}: D {} vs {difficulty}",
            got.difficulty
        );
        assert_eq!(
            got.interval_days, interval,
            "seq {seq} step {step}: interval"
        );
        assert_eq!(got.phase, Phase::Review);
        assert_eq!(got.due, clock().start_after(now, interval));
        state = Some(got);
        reviews += 1;
    }
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
