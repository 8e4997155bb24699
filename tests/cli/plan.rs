//! `prep plan`: a learner who follows the plan on the bundled decks, day by
//! day through `prep quiz` with the clock set by `PREP_NOW`, is ready on the
//! day; and a deck without a plan is scheduled exactly as before.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::util::{Home, json_values, without_answer_ms};

/// Day 0 of the simulations: a morning in UTC, the day starting at 4:00.
const START: &str = "2026-12-01";

fn at(day: i64, time: &str) -> String {
    let date =
        chrono::NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap() + chrono::Duration::days(day);
    format!("{date}T{time}Z")
}

/// A learner's answers: mostly Good, some Hard, Again and Easy, in an order
/// fixed by a seed, so that every run grades the same way.
fn answers(seed: u64, count: usize) -> String {
    let mut state = seed;
    let mut input = String::new();
    for _ in 0..count {
        // A linear congruential generator (Knuth's MMIX constants).
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let roll = (state >> 33) % 100;
        let grade = match roll {
            0..7 => "again",
            7..15 => "hard",
            15..95 => "good",
            _ => "easy",
        };
        input.push('\n');
        input.push_str(grade);
        input.push('\n');
    }
    input
}

fn plans(home: &Home, now: &str) -> Vec<Value> {
    let output = home
        .prep()
        .args(["plan", "--json"])
        .env("PREP_NOW", now)
        .any_stdout()
        .run();
    output.json().as_array().unwrap().clone()
}

/// The plans' predicted recall, weighted by the decks' sizes.
fn predicted(plans: &[Value]) -> f64 {
    let cards: f64 = plans
        .iter()
        .map(|plan| plan["cards"].as_f64().unwrap())
        .sum();
    plans
        .iter()
        .map(|plan| plan["predicted_recall"].as_f64().unwrap() * plan["cards"].as_f64().unwrap())
        .sum::<f64>()
        / cards
}

struct Outcome {
    /// What `prep plan` predicted on day 0.
    promised: f64,
    /// Whether it said every card could be introduced in time.
    complete: bool,
    /// Recall of the decks at the start of the interview day.
    reached: f64,
    /// Review days per card.
    days_seen: BTreeMap<String, BTreeSet<String>>,
    cards: usize,
    /// Reviews shown as brought forward by the plan.
    early: usize,
}

/// Sets a plan `days` ahead on both bundled decks and follows it: one quiz
/// session a day, every card the session offers answered.
fn follow(days: i64, seed: u64) -> Outcome {
    follow_with(days, seed, true)
}

/// [`follow`], or with `planned` false the same learner without a plan
/// (the plan is set on the interview day only, to read the recall).
fn follow_with(days: i64, seed: u64, planned: bool) -> Outcome {
    let home = Home::new();
    let set_plan = |now: &str| {
        home.prep()
            .args(["plan", "--deck", "aws", "--deck", "devops", "--on"])
            .arg(&at(days, "09:00:00")[..10])
            .env("PREP_NOW", now)
            .any_stdout()
            .run();
    };
    let today = at(0, "09:00:00");
    if planned {
        set_plan(&today);
    }
    let before = if planned {
        plans(&home, &today)
    } else {
        Vec::new()
    };
    let promised = if planned { predicted(&before) } else { 0.0 };
    let complete = before
        .iter()
        .all(|plan| plan["reach"]["last_day_only"] == 0 && plan["reach"]["not_introduced"] == 0);
    let mut early = 0;
    for day in 0..days {
        let now = at(day, "09:00:00");
        let output = home
            .prep()
            .args(["quiz", "--deck", "aws", "--deck", "devops"])
            .env("PREP_NOW", &now)
            .stdin(answers(seed + day as u64, 400))
            .any_stdout()
            .run();
        early += output.stdout.matches(" · early · ").count();
        if !planned {
            continue;
        }
        assert!(
            output.stdout.starts_with("aws: interview in "),
            "day {day}: {}",
            output.stdout
        );
        let left = plans(&home, &now);
        for plan in &left {
            assert_eq!(plan["new_left_today"], 0, "day {day}: {plan}");
            assert_eq!(plan["early_reviews_today"], 0, "day {day}: {plan}");
        }
    }
    if !planned {
        set_plan(&at(days, "04:00:00"));
    }
    // The day after, the plan is over: the quiz says nothing of it and
    // the usual new-card limit is back.
    let after = at(days + 1, "09:00:00");
    for plan in plans(&home, &after) {
        assert_eq!(plan["stage"], "over", "{plan}");
    }
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws", "--deck", "devops"])
        .env("PREP_NOW", &after)
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(!output.stdout.contains("interview"), "{}", output.stdout);
    let on_the_day = plans(&home, &at(days, "04:00:00"));
    for plan in &on_the_day {
        assert_eq!(plan["stage"], "today", "{plan}");
        assert_eq!(plan["unseen"], 0, "{plan}");
    }
    let history = home.prep().args(["history", "--json"]).any_stdout().run();
    let mut days_seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in history.stdout.lines() {
        let review: Value = serde_json::from_str(line).unwrap();
        // The day starts at 4:00 UTC: a review's day is its date 4 hours
        // earlier.
        let reviewed =
            chrono::DateTime::parse_from_rfc3339(review["reviewed_at"].as_str().unwrap()).unwrap()
                - chrono::Duration::hours(4);
        days_seen
            .entry(review["card"].as_str().unwrap().to_string())
            .or_default()
            .insert(reviewed.date_naive().to_string());
    }
    // The figures the closing notes quote: `cargo test plan:: -- --nocapture`.
    eprintln!(
        "{days}-day plan ({}): predicted on day 0 {promised:.3}, recall on the day {:.3}, {early} early reviews, review days per card {:?}",
        if planned { "followed" } else { "not set" },
        predicted(&on_the_day),
        {
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for days in days_seen.values() {
                *counts.entry(days.len()).or_default() += 1;
            }
            counts
        }
    );
    Outcome {
        promised,
        complete,
        reached: predicted(&on_the_day),
        days_seen,
        cards: on_the_day
            .iter()
            .map(|plan| plan["cards"].as_u64().unwrap() as usize)
            .sum(),
        early,
    }
}

fn check_every_card_seen_twice(outcome: &Outcome) {
    assert_eq!(outcome.days_seen.len(), outcome.cards);
    for (card, days) in &outcome.days_seen {
        assert!(days.len() >= 2, "card {card} was reviewed on {days:?} only");
    }
}

/// Every card introduced in time and seen on two days, and the target
/// (0.9) reached on the day.
fn check_ready(outcome: &Outcome) {
    assert!(outcome.complete);
    check_every_card_seen_twice(outcome);
    assert!(
        outcome.reached >= 0.9,
        "recall on the day {:.3} (promised {:.3})",
        outcome.reached,
        outcome.promised
    );
}

#[test]
fn a_learner_who_follows_a_30_day_plan_reaches_the_target() {
    let outcome = follow(30, 30);
    check_ready(&outcome);
}

#[test]
fn a_learner_who_follows_a_14_day_plan_reaches_the_target() {
    let outcome = follow(14, 14);
    assert!(outcome.early > 0, "the plan brought no review forward");
    check_ready(&outcome);
}

#[test]
fn a_5_day_plan_reaches_what_it_said_it_would() {
    let outcome = follow(5, 5);
    assert!(outcome.complete);
    check_every_card_seen_twice(&outcome);
    assert!(
        (outcome.reached - outcome.promised).abs() <= 0.05,
        "recall on the day {:.3}, promised {:.3}",
        outcome.reached,
        outcome.promised
    );
}

/// The same learner without a plan recalls no more on the day than with
/// one.
#[test]
fn following_the_plan_does_at_least_as_well_as_no_plan() {
    for days in [5, 14, 30] {
        let without = follow_with(days, days as u64, false);
        let with = follow(days, days as u64);
        assert!(
            with.reached >= without.reached,
            "{days} days: {:.3} with the plan, {:.3} without",
            with.reached,
            without.reached
        );
    }
}

#[test]
fn a_date_too_close_says_what_can_be_reached() {
    let home = Home::new();
    home.write("config.yaml", "new_per_day: 5\n");
    let now = at(0, "09:00:00");
    let output = home
        .prep()
        .args(["plan", "--deck", "devops", "--on", "+1d", "--max-new", "10"])
        .env("PREP_NOW", &now)
        .any_stdout()
        .run();
    assert!(
        output.stdout.contains(
            "the date is too close to bring every card in twice: of 26 not yet seen, 0 can be introduced in time for a second look, 10 only on the last day, 16 not at all (at most 10 new a day)"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("the target is not"),
        "{}",
        output.stdout
    );
    // Three days ahead, it says what maximum would bring every card in.
    let output = home
        .prep()
        .args(["plan", "--deck", "devops", "--on", "+3d", "--max-new", "5"])
        .env("PREP_NOW", &now)
        .any_stdout()
        .run();
    assert!(
        output.stdout.contains(
            "`prep plan --deck devops --on 2026-12-04 --max-new 13` would bring every card in"
        ),
        "{}",
        output.stdout
    );
}

/// The same days of quizzing on aws in two homes, one of which has a plan
/// for devops: the aws transcripts, history and states are identical.
#[test]
fn a_deck_without_a_plan_is_scheduled_as_before() {
    let plain = Home::new();
    let planned = Home::new();
    planned
        .prep()
        .args(["plan", "--deck", "devops", "--on", "+6d"])
        .env("PREP_NOW", at(0, "09:00:00"))
        .any_stdout()
        .run();
    for day in [0, 1, 3, 6, 9] {
        let now = at(day, "09:00:00");
        // The transcript but its last line, which says how long it took.
        let run = |home: &Home| {
            let stdout = home
                .prep()
                .args(["quiz", "--deck", "aws"])
                .env("PREP_NOW", &now)
                .stdin(answers(day as u64, 60))
                .any_stdout()
                .run()
                .stdout;
            stdout
                .lines()
                .filter(|line| !line.starts_with("Reviewed "))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(&plain), run(&planned), "day {day}");
    }
    // Everything but the time spent answering, which is measured.
    let dump = |home: &Home, args: &[&str]| {
        let stdout = home
            .prep()
            .args(args)
            .env("PREP_NOW", at(10, "09:00:00"))
            .any_stdout()
            .run()
            .stdout;
        without_answer_ms(json_values(&stdout))
    };
    for args in [
        &["history", "--json"][..],
        &["cards", "--deck", "aws", "--json"],
    ] {
        assert_eq!(dump(&plain, args), dump(&planned, args), "{args:?}");
    }
}

#[test]
fn plans_are_set_listed_and_cleared_in_config_yaml() {
    let home = Home::new();
    home.write("config.yaml", "# my settings\nnew_per_day: 10\n");
    let now = at(0, "09:00:00");
    home.prep()
        .args([
            "plan",
            "--deck",
            "devops",
            "--on",
            "2026-12-15",
            "--target",
            "85%",
        ])
        .env("PREP_NOW", &now)
        .any_stdout()
        .run();
    assert_eq!(
        home.read("config.yaml"),
        "# my settings\nnew_per_day: 10\nplans:\n  # Planned with prep plan on 2026-12-01\n  devops: {date: 2026-12-15, target: 0.85}\n"
    );
    let listed = plans(&home, &now);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["deck"], "devops");
    assert_eq!(listed[0]["days_left"], 14);
    assert_eq!(
        listed[0]["new_today"], 10,
        "the configured limit is a floor"
    );
    home.prep()
        .args(["plan", "--deck", "devops", "--clear"])
        .env("PREP_NOW", &now)
        .stdout("devops: plan removed; the deck is scheduled as usual.\n")
        .run();
    assert_eq!(home.read("config.yaml"), "# my settings\nnew_per_day: 10\n");
    // A plan whose deck is gone is reported, with how to remove it.
    home.write(
        "config.yaml",
        "plans:\n  gone: {date: 2026-12-15, target: 0.9}\n",
    );
    home.prep()
        .args(["plan"])
        .env("PREP_NOW", &now)
        .stderr(
            "error: [HOME]/config.yaml: plans.gone names no deck; import it again or remove the plan with `prep plan --deck gone --clear`\n",
        )
        .status(1)
        .run();
    home.prep()
        .args(["plan", "--deck", "gone", "--clear"])
        .env("PREP_NOW", &now)
        .stdout("gone: plan removed; the deck is scheduled as usual.\n")
        .run();
    assert_eq!(home.read("config.yaml"), "");
    // A bad date, an unknown deck and --clear alone change nothing.
    for (args, says) in [
        (
            &["plan", "--deck", "aws", "--on", "2026-11-30"][..],
            "error: --on 2026-11-30: 2026-11-30 is in the past",
        ),
        (
            &["plan", "--deck", "awz", "--on", "+3d"],
            "error: no deck named \"awz\" in [HOME]/decks (did you mean \"aws\"?)",
        ),
        (
            &["plan", "--clear"],
            "error: --clear removes the plans of the decks named with --deck",
        ),
        (
            &["plan", "--deck", "aws", "--on", "+3d", "--target", "2"],
            "a target is the share of the deck to recall, between 0.50 and 0.99",
        ),
    ] {
        home.prep()
            .args(args)
            .env("PREP_NOW", &now)
            .stderr_contains(says)
            .status(if args.contains(&"2") { 2 } else { 1 })
            .unchanged()
            .run();
    }
}

#[test]
fn cram_hardest_first_drills_the_weakest_card_first() {
    let home = Home::new();
    let now = at(0, "09:00:00");
    // Two aws cards learned, one of them forgotten on its first review.
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws", "--new", "2"])
        .env("PREP_NOW", &now)
        .stdin("\neasy\n\nagain\n\ngood\n\ngood\n\ngood\n")
        .any_stdout()
        .run();
    let first_question = |text: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix("Q: "))
            .unwrap()
            .to_string()
    };
    let easy = first_question(&output.stdout);
    let crammed = home
        .prep()
        .args([
            "quiz", "--deck", "aws", "--cram", "--order", "hardest", "--limit", "8",
        ])
        .env("PREP_NOW", at(3, "09:00:00"))
        .stdin("\ngood\n".repeat(8))
        .any_stdout()
        .run();
    let shown: Vec<&str> = crammed
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Q: "))
        .collect();
    // The six never-reviewed cards come first, the card answered Easy last.
    assert_eq!(shown.len(), 8, "{}", crammed.stdout);
    assert_eq!(shown[7], easy, "{}", crammed.stdout);
}

/// At 1:30 on Monday 7 December, before the 4:00 cutoff, the review day
/// is still Sunday's, but the dates a person types and reads are
/// Monday's; at 10:00 both agree. Plans, the quiz and `prep cards` say
/// the same, by the calendar, at both hours.
#[test]
fn dates_and_days_are_the_calendars_before_and_after_the_day_cutoff() {
    for time in ["01:30", "10:00"] {
        let now = format!("2026-12-07T{time}:00+01:00");
        let home = Home::new();
        home.write_deck("k8s", crate::util::THREE_CARDS);
        home.write("config.yaml", "fuzz: false\n");
        let card = crate::util::cards(&home, &now, &[])[0]["id"]
            .as_str()
            .unwrap()
            .to_string();

        home.prep()
            .args(["plan", "--deck", "k8s", "--on", "2026-12-06"])
            .env("PREP_NOW", &now)
            .stderr(
                "error: --on 2026-12-06: 2026-12-06 is in the past (today is 2026-12-07); give the date of the interview\n",
            )
            .status(1)
            .run();
        home.prep()
            .args(["plan", "--deck", "k8s", "--on", "2026-12-07"])
            .env("PREP_NOW", &now)
            .stdout_contains("k8s: the interview is today (Mon 2026-12-07)")
            .run();
        home.prep()
            .args(["plan", "--deck", "k8s", "--on", "2026-12-08"])
            .env("PREP_NOW", &now)
            .stdout_contains("k8s: interview on Tue 2026-12-08, in 1 day")
            .run();
        home.prep()
            .args(["plan", "--deck", "k8s", "--clear"])
            .any_stdout()
            .run();

        // A review card graded Good now: the quiz's "back in" is the
        // listing's "in".
        for earlier in ["2026-11-20T10:00:00+01:00", "2026-11-20T10:10:00+01:00"] {
            crate::util::grade(&home, earlier, &card, "good");
        }
        let quizzed = home
            .prep()
            .args(["quiz", "--deck", "k8s", "--limit", "1"])
            .env("PREP_NOW", &now)
            .stdin("\ngood\n")
            .any_stdout()
            .run();
        let back = quizzed
            .stdout
            .lines()
            .find_map(|line| line.strip_prefix("good: back in "))
            .unwrap_or_else(|| panic!("no grade line at {time}:\n{}", quizzed.stdout))
            .to_string();
        let listed = crate::util::cards(&home, &now, &[]);
        let due = &crate::util::card(&listed, &card)["due"];
        let shown = home
            .prep()
            .args(["cards", "--deck", "k8s"])
            .env("PREP_NOW", &now)
            .any_stdout()
            .run()
            .stdout;
        let row = shown
            .lines()
            .find(|line| line.starts_with(card.as_str()))
            .unwrap();
        assert!(
            row.contains(&format!(" in {back} ")),
            "at {time}: the quiz said back in {back}, the listing: {row} (due {due})"
        );
    }
}

/// `--on` alone plans the home's deck when it has one of its own; with
/// none or several it says which decks there are and asks for --deck.
#[test]
fn on_without_deck_plans_the_homes_only_deck_of_its_own() {
    let home = Home::new();
    home.prep()
        .args(["plan", "--on", "+14d"])
        .stderr(
            "error: --on needs --deck: the home has no deck of its own; the bundled decks are aws, devops, so pass --deck, such as `prep plan --deck aws --on YYYY-MM-DD`\n",
        )
        .status(1)
        .unchanged()
        .run();

    home.write_deck("k8s", crate::util::THREE_CARDS);
    home.prep()
        .args(["plan", "--on", "+14d"])
        .stdout_contains("k8s: interview on Mon 2026-01-19, in 14 days; target 90%")
        .run();
    assert!(home.read("config.yaml").contains("k8s:"));

    home.write_deck("sysadmin", crate::util::RDS_DECK);
    home.prep()
        .args(["plan", "--on", "+14d"])
        .stderr(
            "error: --on needs --deck: the home has 2 decks (k8s, sysadmin); pass --deck to say which, such as `prep plan --deck k8s --on YYYY-MM-DD`\n",
        )
        .status(1)
        .unchanged()
        .run();
}
