//! `prep decks`: what a fresh home offers, how user decks show up and
//! replace bundled ones, the JSON shape, and how a broken deck is reported
//! without hiding the others or touching any file.

use std::path::Path;

use crate::util::Home;

const K8S: &str = "\
cards:
- id: k8s-pod
  question: What is a pod?
  answer: The smallest deployable unit, one or more containers sharing a network namespace.
- id: k8s-service
  question: What does a Service give a set of pods?
  answer: A stable virtual IP and DNS name that load-balances across them.
";

const MY_AWS: &str = "\
cards:
- id: my-iam
  question: What is an IAM role?
  answer: An identity with permissions that a user, service or workload assumes for temporary credentials.
";

/// A hand edit gone wrong: an unquoted colon in a value.
const BROKEN: &str = "\
cards:
- id: k1
  question: What is a pod?
  answer: Answer: the smallest deployable unit.
";

/// How many cards a bundled deck holds; the bundled decks are generated,
/// so the tests do not hard-code their size.
fn bundled_cards(name: &str) -> usize {
    let text = prep::decks::collection::bundled(name).expect("a bundled deck");
    prep::Deck::parse(text, Path::new(name))
        .unwrap()
        .cards
        .len()
}

#[test]
fn a_fresh_home_lists_the_bundled_decks_and_says_how_to_import() {
    let home = Home::new();
    let (aws, devops) = (bundled_cards("aws"), bundled_cards("devops"));
    home.prep()
        .arg("decks")
        .stdout(format!(
            "\
NAME    CARDS  ORIGIN   PATH
aws     {aws:>5}  bundled  (built in)
devops  {devops:>5}  bundled  (built in)

No decks of your own yet; run `prep import NOTES.md` to make one from your notes.
"
        ))
        .unchanged()
        .run();
    assert!(home.snapshot().paths().is_empty(), "listing created files");
}

#[test]
fn a_user_deck_replaces_the_bundled_deck_of_the_same_name() {
    let home = Home::new();
    home.write_deck("aws", MY_AWS);
    home.write_deck("k8s", K8S);
    home.write_deck("empty", "");
    let devops = bundled_cards("devops");
    home.prep()
        .arg("decks")
        .stdout(format!(
            "\
NAME    CARDS  ORIGIN                      PATH
aws         1  user (replaces bundled)     [HOME]/decks/aws.yaml
devops  {devops:>5}  bundled (only with --deck)  (built in)
empty       0  user                        [HOME]/decks/empty.yaml
k8s         2  user                        [HOME]/decks/k8s.yaml

Bundled decks stay out of quiz, stats, cards and export now that you have decks of your own; name one to use it: --deck devops
"
        ))
        .unchanged()
        .run();
}

#[test]
fn only_visible_yaml_files_in_decks_are_decks() {
    let home = Home::new();
    home.write_deck("k8s", K8S);
    home.write("decks/notes.md", "# Kubernetes\n");
    home.write("decks/.k8s.yaml", K8S);
    home.write("decks/old/aws.yaml", MY_AWS);
    let output = home.prep().arg("decks").any_stdout().unchanged().run();
    let names: Vec<_> = output
        .stdout
        .lines()
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(names, ["aws", "devops", "k8s"], "{}", output.stdout);
}

#[test]
fn json_lists_every_deck_with_a_fixed_shape() {
    let home = Home::new();
    home.write_deck("k8s", K8S);
    let output = home
        .prep()
        .args(["decks", "--json"])
        .any_stdout()
        .unchanged()
        .run();
    let decks = output.json();
    let decks = decks.as_array().expect("a JSON array");
    for deck in decks {
        let keys: Vec<_> = deck.as_object().expect("objects").keys().collect();
        assert_eq!(keys.len(), 6, "{deck}");
        for key in [
            "name",
            "cards",
            "origin",
            "only_when_named",
            "path",
            "problem",
        ] {
            assert!(deck.get(key).is_some(), "{key} missing from {deck}");
        }
    }
    assert_eq!(
        decks[0],
        serde_json::json!({
            "name": "aws",
            "cards": bundled_cards("aws"),
            "origin": "bundled",
            "only_when_named": true,
            "path": null,
            "problem": null,
        })
    );
    assert_eq!(decks[1]["name"], "devops");
    assert_eq!(
        decks[2],
        serde_json::json!({
            "name": "k8s",
            "cards": 2,
            "origin": "user",
            "only_when_named": false,
            "path": "[HOME]/decks/k8s.yaml",
            "problem": null,
        })
    );
    assert_eq!(decks.len(), 3);
}

#[test]
fn a_broken_deck_is_reported_with_its_place_and_the_others_still_listed() {
    let home = Home::new();
    home.write_deck("broken", BROKEN);
    home.write_deck("k8s", K8S);
    let (aws, devops) = (bundled_cards("aws"), bundled_cards("devops"));
    home.prep()
        .arg("decks")
        .stdout(format!(
            "\
NAME    CARDS  ORIGIN                      PATH
aws     {aws:>5}  bundled (only with --deck)  (built in)
broken      -  user                        [HOME]/decks/broken.yaml
devops  {devops:>5}  bundled (only with --deck)  (built in)
k8s         2  user                        [HOME]/decks/k8s.yaml

Bundled decks stay out of quiz, stats, cards and export now that you have decks of your own; name one to use it: --deck aws
"
        ))
        .stderr(
            "error: [HOME]/decks/broken.yaml:4:17: mapping values are not allowed in this \
             context; fix the YAML, or move the file away to start the deck afresh\n",
        )
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn a_broken_deck_in_json_carries_its_problem() {
    let home = Home::new();
    home.write_deck("aws", BROKEN);
    let output = home
        .prep()
        .args(["decks", "--json"])
        .any_stdout()
        .stderr_contains("error: [HOME]/decks/aws.yaml:4:17: ")
        .status(1)
        .unchanged()
        .run();
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
    let decks = output.json();
    // The broken file still stands for "aws": the bundled deck is not
    // quietly used in its place.
    let aws = &decks[0];
    assert_eq!(aws["name"], "aws");
    assert_eq!(aws["origin"], "user");
    assert_eq!(aws["cards"], 0);
    let problem = aws["problem"].as_str().expect("a problem");
    assert!(
        problem.starts_with("[HOME]/decks/aws.yaml:4:17: "),
        "{problem}"
    );
}

#[test]
fn a_decks_path_that_is_not_a_directory_is_an_error_naming_it() {
    let home = Home::new();
    home.write("decks", "not a directory");
    home.prep()
        .arg("decks")
        .stderr_contains("error: cannot read deck directory [HOME]/decks: ")
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn a_large_deck_is_kept_in_the_cache_and_an_edit_is_seen_at_once() {
    let home = Home::new();
    let cache = tempfile::tempdir().unwrap();
    // Large enough to be cached (64 KiB and up).
    let mut yaml = String::from("cards:\n");
    for n in 0..600 {
        yaml.push_str(&format!(
            "- id: big-{n:03}\n  question: What is big question {n}?\n  answer: |-\n    {}\n",
            "A long answer line that makes the deck big enough to cache. ".repeat(8)
        ));
    }
    let path = home.write_deck("big", &yaml);
    let cards = |home: &Home| {
        home.prep()
            .args(["cards", "--deck", "big", "--json"])
            .env("PREP_CACHE", cache.path())
            .env("PREP_CACHE_SETTLE_MS", "300")
            .any_stdout()
            .run()
            .stdout
    };
    let first = cards(&home);
    assert!(first.contains("What is big question 599?"));
    let entries = || std::fs::read_dir(cache.path().join("decks")).map_or(0, |dir| dir.count());
    assert_eq!(entries(), 0, "a deck changed just now is not cached yet");
    // Once the file has settled, the next run keeps it, and the one after
    // reads it back: the same cards either way.
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(cards(&home), first);
    assert_eq!(entries(), 1);
    assert_eq!(cards(&home), first);
    // An edit of the same size is seen at once.
    std::fs::write(&path, yaml.replace("big question 7?", "BIG question 7?")).unwrap();
    let edited = cards(&home);
    assert!(edited.contains("What is BIG question 7?"), "{edited}");
    assert!(
        home.snapshot()
            .paths()
            .iter()
            .all(|path| !path.contains("cache"))
    );
}

/// `prep cards --json | head -1` and the like: the reader going away is no
/// error, whatever the command was writing.
#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    let home = Home::new();
    let mut deck = String::from("cards:\n");
    for n in 0..3000 {
        deck.push_str(&format!(
            "- id: c{n}\n  question: Question number {n}?\n  answer: An answer long enough to fill the pipe, number {n}.\n"
        ));
    }
    home.write_deck("big", &deck);
    for args in [
        &["cards", "--json"][..],
        &["cards"],
        &["decks", "--json"],
        &["stats", "--json"],
        &["export", "--format", "markdown", "-o", "-"],
    ] {
        let mut child = home
            .spawnable()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The pipe's reader is dropped here, as `head -1` exits.
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.is_empty(),
            "prep {}: {:?}, stderr: {stderr}",
            args.join(" "),
            output.status
        );
    }
}

/// Tables are aligned by terminal columns, not characters: a deck named in
/// Chinese takes two columns a character.
#[test]
fn tables_line_up_with_wide_characters() {
    let home = Home::new();
    home.write_deck(
        "日本",
        "cards:\n- id: cjk1\n  question: 什么是三次握手？\n  answer: 握手\n",
    );
    home.write_deck("abc", "cards:\n- id: x1\n  question: q\n  answer: a\n");
    let columns = |line: &str, word: &str| {
        let at = line
            .find(word)
            .unwrap_or_else(|| panic!("no {word:?} in {line:?}"));
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let decks = home.prep().arg("decks").any_stdout().run().stdout;
    let lines: Vec<&str> = decks.lines().take(5).collect();
    let user_at: Vec<usize> = lines
        .iter()
        .filter(|line| line.contains("user"))
        .map(|line| columns(line, "user"))
        .collect();
    assert_eq!(user_at.len(), 2, "{decks}");
    assert_eq!(user_at[0], user_at[1], "{decks}");
    let cards = home.prep().arg("cards").any_stdout().run().stdout;
    let state_at: Vec<usize> = cards
        .lines()
        .filter(|line| line.contains(" new "))
        .map(|line| columns(line, " new "))
        .collect();
    assert!(state_at.len() >= 2, "{cards}");
    assert!(state_at.iter().all(|&at| at == state_at[0]), "{cards}");
}
