//! Reversed cards and cloze deletions: a card with `reverse: true` gives a
//! second card, answer to question, under `ID:r`; a card whose question
//! holds `{{cN::...}}` gives one card per number, under `ID:cN`, each
//! hiding only its own deletions. Each has its own schedule and history,
//! and Anki packages carry them both ways.

use std::path::Path;
use std::time::Duration;

use expectrl::{Eof, Expect, Session};
use rusqlite::Connection;
use serde_json::Value;

use crate::util::{Home, deck_cards, json_values};

const DECK: &str = "\
cards:
- id: capital
  question: What is the capital of France?
  answer: Paris.
  reverse: true
- id: plain
  question: What is 2 + 2?
  answer: '4'
- id: where
  question: '{{c1::Paris}} is the capital of {{c2::France::a country}}, on the {{c1::Seine}}.'
  answer: Since the 10th century.
";

fn home() -> Home {
    let home = Home::new();
    home.write_deck("geo", DECK);
    home.write("config.yaml", "fuzz: false\n");
    home
}

fn cards(home: &Home) -> Vec<Value> {
    let output = home
        .prep()
        .args(["cards", "--deck", "geo", "--json"])
        .any_stdout()
        .run();
    json_values(&output.stdout)
}

fn history(home: &Home) -> Vec<Value> {
    let output = home.prep().args(["history", "--json"]).any_stdout().run();
    json_values(&output.stdout)
}

#[test]
fn a_deck_gives_a_reversed_side_and_one_card_per_cloze_number() {
    let home = home();
    let cards = cards(&home);
    let rows: Vec<(&str, &str, Option<u64>, &str)> = cards
        .iter()
        .map(|card| {
            (
                card["id"].as_str().unwrap(),
                card["side"].as_str().unwrap(),
                card["cloze"].as_u64(),
                card["question"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("capital", "forward", None, "What is the capital of France?"),
            ("capital:r", "reversed", None, "Paris."),
            ("plain", "forward", None, "What is 2 + 2?"),
            (
                "where:c1",
                "cloze",
                Some(1),
                "[...] is the capital of France, on the [...]."
            ),
            (
                "where:c2",
                "cloze",
                Some(2),
                "Paris is the capital of [a country], on the Seine."
            ),
        ]
    );
    // `prep show` says the side, and shows the back of the card it is:
    // the reversed side asks the answer; a cloze card's back is the text
    // with its deletions, then the card's answer.
    home.prep()
        .args(["show", "capital:r"])
        .stdout_contains("capital:r · geo · new · reversed\n")
        .stdout_contains("\nParis.\n\n── answer")
        .stdout_contains("\nWhat is the capital of France?\n")
        .run();
    home.prep()
        .args(["show", "wher:c2"])
        .stdout_contains("where:c2 · geo · new · cloze 2 of 2\n")
        .stdout_contains("\nParis is the capital of [a country], on the Seine.\n")
        .stdout_contains(
            "─\n\nParis is the capital of France, on the Seine.\n\nSince the 10th century.\n",
        )
        .run();
    let shown = home
        .prep()
        .args(["show", "where:c1", "--json"])
        .any_stdout()
        .run();
    let shown: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["side"], "cloze");
    assert_eq!(shown["cloze"], 1);
    assert_eq!(
        shown["answer"],
        "**Paris** is the capital of France, on the **Seine**.\n\nSince the 10th century."
    );
    // A short id means the card as written; a side after it, that side.
    home.prep()
        .args(["show", "capi"])
        .stdout_contains("capital · geo · new\n")
        .run();
    home.prep()
        .args(["show", "capi:r"])
        .stdout_contains("capital:r · geo · new · reversed\n")
        .run();
    // A cloze card has no forward side: its id alone names no one card.
    home.prep()
        .args(["show", "where"])
        .stderr(
            "error: card id \"where\" is ambiguous: it starts 2 ids (where:c1, where:c2); give more of it\n",
        )
        .status(1)
        .run();
    home.prep().args(["decks"]).stdout_contains("geo ").run();
}

#[test]
fn a_reversed_card_has_its_own_history() {
    let home = home();
    let graded = home
        .prep()
        .args(["grade", "capital:r", "good", "--json"])
        .any_stdout()
        .run();
    let graded: Value = serde_json::from_str(&graded.stdout).unwrap();
    assert_eq!(graded["side"], "reversed");
    let log = history(&home);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["card"], "capital:r");
    assert_eq!(log[0]["side"], "reversed");
    let cards = cards(&home);
    let state = |id: &str| {
        cards
            .iter()
            .find(|card| card["id"] == id)
            .map(|card| card["state"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(state("capital:r"), "learning");
    assert_eq!(state("capital"), "new", "the forward card is untouched");
    // The forward side keeps the card's own id: turning `reverse` off
    // leaves its history where it was, and the reversed side's is kept
    // for when it comes back.
    home.prep()
        .args(["grade", "capi", "easy"])
        .any_stdout()
        .run();
    home.write_deck("geo", &DECK.replace("reverse: true", "reverse: false"));
    let cards = self::cards(&home);
    assert!(cards.iter().all(|card| card["id"] != "capital:r"));
    let forward = cards.iter().find(|card| card["id"] == "capital").unwrap();
    assert_eq!(forward["state"], "review");
    assert_eq!(history(&home).len(), 2);
}

#[test]
fn the_line_protocol_hides_only_the_clozes_of_the_card_shown() {
    let home = Home::new();
    home.write_deck(
        "geo",
        "cards:\n- id: where\n  question: '{{c1::Paris}} is the capital of {{c2::France}}.'\n",
    );
    let output = home
        .prep()
        .args(["quiz", "--deck", "geo"])
        .stdin("\n3\n\n3\n")
        .any_stdout()
        .run();
    let transcript = output.stdout;
    assert!(
        transcript.contains(
            "card 1/2 · geo · new · cloze 1 of 2 · left: 0 review · 2 new · 0 learning\nQ: [...] is the capital of France.\n"
        ),
        "{transcript}"
    );
    assert!(
        transcript.contains("A: Paris is the capital of France.\n"),
        "{transcript}"
    );
    assert!(
        transcript.contains("· cloze 2 of 2 · left: 0 review · 1 new · 1 learning\nQ: Paris is the capital of [...].\n"),
        "{transcript}"
    );
    let ids: Vec<String> = history(&home)
        .iter()
        .map(|review| review["card"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["where:c1", "where:c2"]);
    let numbers: Vec<u64> = history(&home)
        .iter()
        .map(|review| review["cloze"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
}

#[test]
fn a_reversed_side_or_a_cloze_card_opens_the_card_it_comes_from() {
    let home = home();
    let editor = home.write(
        "editor.sh",
        "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/editor.log\"\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for id in ["capital:r", "where:c2"] {
        home.prep().args(["edit", id]).env("VISUAL", &editor).run();
    }
    let log = home.read("editor.log");
    let lines: Vec<&str> = log
        .lines()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(lines, ["+2", "+9"]);
}

#[test]
fn malformed_clozes_and_ids_a_side_would_take_are_errors_naming_the_line() {
    let home = Home::new();
    home.write_deck(
        "geo",
        "cards:\n- id: a\n  question: Q?\n  answer: A.\n- id: b\n  question: '{{c1::Paris is the capital'\n",
    );
    home.prep()
        .args(["cards", "--deck", "geo"])
        .stderr("error: [HOME]/decks/geo.yaml:5: card b: the deletion {{c1:: is not closed; end it with }} (at \"{{c1::Paris is the capital\")\n")
        .status(1)
        .run();
    home.write_deck(
        "geo",
        "cards:\n- id: a\n  question: Q?\n  answer: A.\n  reverse: true\n- id: a:r\n  question: Q2?\n  answer: A2.\n",
    );
    home.prep()
        .args(["cards", "--deck", "geo"])
        .stderr("error: [HOME]/decks/geo.yaml:2: card a gives the card \"a:r\", and card 2 of [HOME]/decks/geo.yaml is written with that id; give that card another id\n")
        .status(1)
        .run();
    // A card without deletions still needs its answer.
    home.write_deck("geo", "cards:\n- id: a\n  question: Q?\n");
    home.prep()
        .args(["cards", "--deck", "geo"])
        .stderr("error: [HOME]/decks/geo.yaml:2: card a has an empty answer; write one or remove the card\n")
        .status(1)
        .run();
}

/// The collection inside a package.
fn collection(package: &Path) -> Connection {
    let file = std::fs::File::open(package).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut inner = zip.by_name("collection.anki2").unwrap();
    let path = package.with_extension("anki2");
    let mut out = std::fs::File::create(&path).unwrap();
    std::io::copy(&mut inner, &mut out).unwrap();
    Connection::open(path).unwrap()
}

#[test]
fn anki_packages_carry_reversed_and_cloze_cards_both_ways() {
    let home = home();
    home.prep()
        .args(["grade", "capital:r", "good"])
        .any_stdout()
        .run();
    home.prep()
        .args(["grade", "where:c2", "easy"])
        .any_stdout()
        .run();
    let package = home.path().join("geo.apkg");
    home.prep()
        .args(["export", "--deck", "geo", "--format", "apkg", "--with-progress", "-o"])
        .arg(&package)
        .stdout("wrote [HOME]/geo.apkg (3 notes from 1 deck, with 2 reviews); import it in Anki with File > Import\n")
        .run();

    let conn = collection(&package);
    let models: String = conn
        .query_row("SELECT models FROM col", [], |row| row.get(0))
        .unwrap();
    let models: Value = serde_json::from_str(&models).unwrap();
    let model_of = |name: &str| {
        models
            .as_object()
            .unwrap()
            .values()
            .find(|model| model["name"] == name)
            .unwrap_or_else(|| panic!("no note type {name}"))
            .clone()
    };
    let reversed = model_of("prep (and reversed card)");
    assert_eq!(reversed["type"], 0);
    assert_eq!(reversed["tmpls"].as_array().unwrap().len(), 2);
    assert_eq!(reversed["tmpls"][1]["qfmt"], "{{Back}}");
    let cloze = model_of("prep cloze");
    assert_eq!(cloze["type"], 1);
    assert_eq!(cloze["flds"][1]["name"], "Back Extra");
    assert_eq!(cloze["tmpls"][0]["qfmt"], "{{cloze:Text}}");
    let mut statement = conn
        .prepare(
            "SELECT notes.guid, cards.ord, cards.type, (SELECT count(*) FROM revlog WHERE cid = cards.id)
             FROM cards JOIN notes ON notes.id = cards.nid ORDER BY notes.id, cards.ord",
        )
        .unwrap();
    let anki_cards: Vec<(String, i64, i64, i64)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected = [
        ("prep:capital", 0, 0, 0),
        ("prep:capital", 1, 1, 1),
        ("prep:plain", 0, 0, 0),
        ("prep:where", 0, 0, 0),
        // Easy on a new card: a review card at once.
        ("prep:where", 1, 2, 1),
    ];
    let expected: Vec<(String, i64, i64, i64)> = expected
        .iter()
        .map(|(guid, ord, kind, reviews)| (guid.to_string(), *ord, *kind, *reviews))
        .collect();
    assert_eq!(anki_cards, expected);
    let text: String = conn
        .query_row(
            "SELECT flds FROM notes WHERE guid = 'prep:where'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        text.starts_with("<p>{{c1::Paris}} is the capital of {{c2::France::a country}}, on the {{c1::Seine}}.</p>"),
        "{text}"
    );

    // Read back into a fresh home, the cards are what they were, each
    // with its own history.
    let other = Home::new();
    other.write("config.yaml", "fuzz: false\n");
    other
        .prep()
        .args(["import", "--with-progress", "--deck", "geo"])
        .arg(&package)
        .stdout_contains("read 2 reviews of 2 cards from the history")
        .run();
    let written = deck_cards(&other.read("decks/geo.yaml"));
    assert_eq!(written[0]["reverse"], true);
    assert_eq!(written[1].get("reverse"), None);
    assert_eq!(
        written[2]["question"],
        "{{c1::Paris}} is the capital of {{c2::France::a country}}, on the {{c1::Seine}}."
    );
    assert_eq!(written[2]["answer"], "Since the 10th century.");
    let ids: Vec<String> = cards(&other)
        .iter()
        .map(|card| {
            format!(
                "{} {}",
                card["id"].as_str().unwrap(),
                card["state"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            "capital new",
            "capital:r learning",
            "plain new",
            "where:c1 new",
            "where:c2 review"
        ]
    );

    // A re-import keeps `reverse: false` set by hand in the deck.
    let edited = other
        .read("decks/geo.yaml")
        .replace("reverse: true", "reverse: false");
    other.write("decks/geo.yaml", &edited);
    other
        .prep()
        .args(["import", "--deck", "geo"])
        .arg(&package)
        .any_stdout()
        .run();
    assert_eq!(
        deck_cards(&other.read("decks/geo.yaml"))[0]["reverse"],
        false
    );
}

#[test]
fn the_reviewer_says_which_side_it_shows() {
    let home = Home::new();
    home.write_deck(
        "geo",
        "reverse: true\ncards:\n- id: capital\n  question: What is the capital of France?\n  answer: Paris.\n- id: where\n  question: '{{c1::Lyon}} is on the {{c2::Rhône}}.'\n",
    );
    home.write("config.yaml", "fuzz: false\n");
    let mut command = home.spawnable();
    command
        .args(["quiz", "--deck", "geo"])
        .env("TERM", "xterm-256color");
    let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
    quiz.get_process_mut()
        .set_window_size(80, 24)
        .expect("a window size");
    quiz.set_expect_timeout(Some(Duration::from_secs(20)));
    quiz.expect("What is the capital of France?").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("Good 10m").unwrap();
    quiz.send("3").unwrap();
    quiz.expect("geo · new · reversed").unwrap();
    quiz.expect("Paris.").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("Good 10m").unwrap();
    quiz.send("3").unwrap();
    quiz.expect("geo · new · cloze 1 of 2").unwrap();
    quiz.expect("[...] is on the Rhône.").unwrap();
    quiz.send(" ").unwrap();
    quiz.expect("Lyon").unwrap();
    quiz.expect("Good 10m").unwrap();
    quiz.send("q").unwrap();
    quiz.expect(Eof).unwrap();
    let ids: Vec<String> = history(&home)
        .iter()
        .map(|review| review["card"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["capital", "capital:r"]);
}
