//! `prep optimize` on a history built by grading through `prep grade` over
//! simulated months.

use serde_json::Value;

use crate::util::Home;

/// Grades every due card each simulated day (twice a day, so learning
/// steps finish) with a fixed pattern in which harder cards (higher
/// numbers) are forgotten more often. Returns the number of reviews.
fn simulate(home: &Home, days: i64) -> usize {
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").unwrap();
    let mut reviews = 0;
    let mut seen = std::collections::HashSet::new();
    for day in 0..days {
        for minutes in [0, 20] {
            let now = (start + chrono::Duration::days(day) + chrono::Duration::minutes(minutes))
                .to_rfc3339();
            let listed = home
                .prep()
                .args(["cards", "--json"])
                .env("PREP_NOW", &now)
                .any_stdout()
                .run()
                .json();
            let mut input = String::new();
            for card in listed.as_array().unwrap() {
                let id = card["id"].as_str().unwrap();
                let is_new = card["state"] == "new";
                // Ten new cards a day, like a daily limit.
                let due = card["due"].as_str().is_some_and(|due| due <= now.as_str());
                if !(due || (is_new && minutes == 0 && seen.len() < (day as usize + 1) * 10)) {
                    continue;
                }
                seen.insert(id.to_string());
                let difficulty = id.bytes().map(u64::from).sum::<u64>() % 10;
                let roll = (reviews as u64 * 7 + day as u64 * 13 + difficulty * 5) % 20;
                let grade = if roll < difficulty / 2 + 1 {
                    "again"
                } else if roll < difficulty {
                    "hard"
                } else if roll == 19 {
                    "easy"
                } else {
                    "good"
                };
                input.push_str(&format!("{id} {grade} 5000\n"));
                reviews += 1;
            }
            if !input.is_empty() {
                home.prep()
                    .args(["grade", "--stdin"])
                    .env("PREP_NOW", &now)
                    .stdin(input)
                    .any_stdout()
                    .run();
            }
        }
    }
    reviews
}

#[test]
fn optimize_fits_a_few_hundred_reviews_and_saves_only_an_improvement() {
    let home = Home::new();
    home.write("config.yaml", "# my settings\ndesired_retention: 0.9\n");
    let reviews = simulate(&home, 75);
    assert!(reviews >= 300, "only {reviews} reviews");

    let output = home.prep().args(["optimize"]).any_stdout().run();
    assert!(
        output
            .stdout
            .starts_with(&format!("history: {reviews} reviews of 34 cards\n")),
        "{}",
        output.stdout
    );
    let loss = |label: &str| -> f64 {
        let line = output
            .stdout
            .lines()
            .find(|line| line.starts_with(label))
            .unwrap();
        line.split("log loss ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (before, after) = (loss("current parameters"), loss("fitted parameters"));
    let config = home.read("config.yaml");
    if after < before {
        assert!(
            output
                .stdout
                .contains("saved: parameters in [HOME]/config.yaml"),
            "{}",
            output.stdout
        );
        assert!(
            config.starts_with("# my settings\ndesired_retention: 0.9\n"),
            "{config}"
        );
        assert!(
            config.contains("# Fitted by prep optimize on 2026-01-05 from"),
            "{config}"
        );
        let line = config
            .lines()
            .find(|line| line.starts_with("parameters: ["))
            .unwrap();
        assert_eq!(line.matches(',').count(), 20, "{line}");
        assert_ne!(
            line,
            "parameters: [0.2120, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.0010, 1.8722, 0.1666, 0.7960, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]"
        );
        // The new parameters are in use: the config still loads.
        home.prep().args(["cards", "--due"]).any_stdout().run();
        // Fitting again to the same history finds nothing better to save,
        // or saves in place: never a second key.
        home.prep().args(["optimize"]).any_stdout().run();
        assert_eq!(home.read("config.yaml").matches("parameters:").count(), 1);
    } else {
        assert!(
            output.stdout.contains("kept: the current parameters"),
            "{}",
            output.stdout
        );
        assert_eq!(config, "# my settings\ndesired_retention: 0.9\n");
    }
}

#[test]
fn optimize_with_too_little_history_explains_and_changes_nothing() {
    let home = Home::new();
    home.prep()
        .args(["optimize"])
        .stdout(
            "history: 0 reviews of 0 cards\n\
             not enough history: fitting needs at least 8 reviews made on a later day than the card's previous review, and there are 0; keep reviewing and try again. config.yaml is unchanged.\n",
        )
        .unchanged()
        .run();
    let listed: Value = home
        .prep()
        .args(["cards", "--json", "--deck", "aws"])
        .any_stdout()
        .run()
        .json();
    let first = listed[0]["id"].as_str().unwrap().to_string();
    home.prep()
        .args(["grade", &first, "good"])
        .any_stdout()
        .run();
    home.prep()
        .args(["grade", &first, "good"])
        .env("PREP_NOW", "2026-01-09T09:00:00Z")
        .any_stdout()
        .run();
    home.prep()
        .args(["optimize", "--deck", "aws"])
        .stdout_contains("history: 2 reviews of 1 card\n")
        .stdout_contains("and there are 1;")
        .unchanged()
        .run();
}
