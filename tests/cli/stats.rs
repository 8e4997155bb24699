//! `prep stats` over a history built with `prep grade` on simulated days,
//! every figure checked against what the grades imply.

use serde_json::Value;

use crate::util::Home;

const DECK: &str = "\
cards:
- id: one
  question: What does S3 stand for?
  answer: Simple Storage Service.
- id: two
  question: What is an AMI?
  answer: An Amazon Machine Image.
- id: three
  question: What is IAM?
  answer: Identity and Access Management.
";

fn grade(home: &Home, now: &str, card: &str, grade: &str) -> Value {
    home.prep()
        .args(["grade", card, grade, "--json", "--answer-ms", "1500"])
        .env("PREP_NOW", now)
        .any_stdout()
        .run()
        .json()
}

fn stats(home: &Home, now: &str) -> Value {
    home.prep()
        .args(["stats", "--deck", "aws", "--json", "--days", "10"])
        .env("PREP_NOW", now)
        .any_stdout()
        .run()
        .json()
}

#[test]
fn stats_follow_a_history_of_simulated_weeks() {
    let home = Home::new();
    home.write_deck("aws", DECK);
    home.write("config.yaml", "fuzz: false\n");

    // Day 0, Monday 2026-01-05: one is easy (graduates), two is learned in
    // two steps, three stays new.
    let one = grade(&home, "2026-01-05T09:00:00Z", "one", "easy");
    grade(&home, "2026-01-05T09:01:00Z", "two", "good");
    let two = grade(&home, "2026-01-05T09:12:00Z", "two", "good");
    let one_days = one["interval_days"].as_i64().unwrap();
    let two_days = two["interval_days"].as_i64().unwrap();
    assert!(two_days >= 1 && one_days > two_days);

    let day0 = stats(&home, "2026-01-05T20:00:00Z");
    let total = &day0["total"];
    assert_eq!(total["cards"], 3);
    assert_eq!(total["new"], 1);
    assert_eq!(total["learning"], 0);
    assert_eq!(total["review"], 2);
    assert_eq!(total["due_now"], 0);
    assert_eq!(total["due_tomorrow"], i64::from(two_days == 1));
    let within_week = [one_days, two_days].iter().filter(|&&d| d <= 7).count();
    assert_eq!(total["due_week"], within_week);
    assert_eq!(total["reviewed_today"], 3);
    assert_eq!(total["time_today_ms"], 4500);
    assert_eq!(total["true_retention_30d"], Value::Null);
    assert_eq!(total["desired_retention"].as_f64().unwrap(), 0.9f32 as f64);
    assert_eq!(day0["streak"]["current"], 1);
    assert_eq!(day0["streak"]["longest"], 1);
    // The forecast counts each card on the day it falls due.
    let forecast = day0["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 10);
    assert_eq!(forecast[0]["date"], "2026-01-05");
    for (offset, day) in forecast.iter().enumerate() {
        let expected = [one_days, two_days]
            .iter()
            .filter(|&&d| d == offset as i64)
            .count();
        assert_eq!(day["count"], expected, "forecast day {offset}");
    }
    let heatmap = day0["heatmap"].as_array().unwrap();
    assert_eq!(heatmap.len(), 365);
    assert_eq!(
        heatmap[364],
        serde_json::json!({"date": "2026-01-05", "count": 3})
    );

    // Two weeks later both are due: one is remembered, two forgotten.
    grade(&home, "2026-01-19T09:00:00Z", "one", "good");
    grade(&home, "2026-01-19T09:01:00Z", "two", "again");
    // The next day, one more review keeps the streak going.
    grade(&home, "2026-01-20T09:00:00Z", "two", "good");

    let later = stats(&home, "2026-01-20T10:00:00Z");
    let total = &later["total"];
    // Two reviews of cards in review in the last 30 days, one passed.
    assert_eq!(total["mature_reviews_30d"], 2);
    assert_eq!(total["true_retention_30d"], 0.5);
    assert_eq!(total["reviewed_today"], 1);
    assert_eq!(later["streak"]["current"], 2);
    assert_eq!(later["streak"]["longest"], 2);
    let hardest = later["hardest"].as_array().unwrap();
    assert_eq!(hardest.len(), 2);
    assert_eq!(hardest[0]["id"], "two");
    assert_eq!(hardest[0]["lapses"], 1);
    assert_eq!(hardest[0]["question"], "What is an AMI?");
    let recall = total["average_retrievability"].as_f64().unwrap();
    assert!(recall > 0.5 && recall <= 1.0, "{recall}");

    // A day without reviews ends the current streak but not the longest.
    let after = stats(&home, "2026-01-23T10:00:00Z");
    assert_eq!(after["streak"]["current"], 0);
    assert_eq!(after["streak"]["longest"], 2);
}

#[test]
fn a_fresh_home_shows_the_bundled_decks_and_how_to_start() {
    let home = Home::new();
    let output = home.prep().arg("stats").any_stdout().unchanged().run();
    assert!(output.stdout.starts_with("DECK "), "{}", output.stdout);
    assert!(
        output
            .stdout
            .ends_with("Nothing reviewed yet: start with `prep quiz --deck aws`.\n"),
        "{}",
        output.stdout
    );
    home.prep()
        .args(["stats", "--deck", "nope"])
        .stderr_contains("no deck named \"nope\"")
        .status(1)
        .unchanged()
        .run();
}
