//! Your own decks first, and taking cards and decks out: the bundled decks
//! step aside once the home has a deck of its own, `prep delete` keeps what
//! it takes out, a deleted card stays deleted through re-imports, and
//! `prep add` will not add a question twice.

use crate::util::{Home, NOW, cards};

const NOTES: &str = "\
# Backend notes

## What is a race condition?
Two threads touch shared state and the outcome depends on timing.

## What does idempotent mean?
Doing it twice has the same effect as once.
";

fn imported() -> Home {
    let home = Home::new();
    home.write("notes.md", NOTES);
    home.prep()
        .args(["import", "notes.md"])
        .stdout_contains(
            "Now that you have a deck of your own, the bundled decks (aws, devops) stay out of quiz, stats, cards and export; name one to use it: prep quiz --deck aws",
        )
        .run();
    home
}

fn decks_of(listed: &[serde_json::Value]) -> Vec<&str> {
    let mut decks: Vec<&str> = listed
        .iter()
        .map(|card| card["deck"].as_str().unwrap())
        .collect();
    decks.dedup();
    decks
}

fn id_of(home: &Home, question: &str) -> String {
    cards(home, NOW, &[])
        .iter()
        .find(|card| card["question"] == question)
        .unwrap_or_else(|| panic!("no card {question:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn once_you_have_a_deck_the_bundled_decks_are_used_only_when_named() {
    let home = Home::new();
    // Before: the bundled decks are the home's cards, so the first run works.
    assert_eq!(decks_of(&cards(&home, NOW, &[])), ["aws", "devops"]);
    home.write("notes.md", NOTES);
    home.prep().args(["import", "notes.md"]).any_stdout().run();

    assert_eq!(decks_of(&cards(&home, NOW, &[])), ["notes"]);
    let quizzed = home
        .prep()
        .arg("quiz")
        .env("PREP_NOW", NOW)
        .stdin("\n4\n".repeat(5))
        .any_stdout()
        .run();
    let questions: Vec<&str> = quizzed
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Q: "))
        .collect();
    assert_eq!(
        questions,
        ["What is a race condition?", "What does idempotent mean?"]
    );
    let stats = home
        .prep()
        .args(["stats", "--json"])
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run()
        .json();
    assert_eq!(stats["total"]["cards"], 2, "{stats}");

    // Named, a bundled deck is still there, and its cards by id.
    let aws = cards(&home, NOW, &["--deck", "aws"]);
    assert!(!aws.is_empty());
    let aws_id = aws[0]["id"].as_str().unwrap();
    home.prep()
        .args(["show", aws_id, "--color", "never"])
        .any_stdout()
        .run();
}

#[test]
fn a_deleted_card_is_kept_aside_and_stays_deleted_when_the_notes_are_imported_again() {
    let home = imported();
    let race = id_of(&home, "What is a race condition?");
    crate::util::grade(&home, NOW, &race, "good");
    let output = home
        .prep()
        .args(["delete", &race[..6]])
        .stdout_contains(format!(
            "deleted card {race} from deck notes: What is a race condition?"
        ))
        .run();
    assert!(
        output.stdout.contains("deleted/notes.cards.yaml"),
        "{}",
        output.stdout
    );
    let deck = home.read("decks/notes.yaml");
    assert!(!deck.contains("race condition"), "{deck}");
    // What was deleted is kept, as a deck file a person can read.
    let kept = home.read("deleted/notes.cards.yaml");
    assert!(kept.contains(&format!("id: {race}")), "{kept}");
    assert!(kept.contains("outcome depends on timing"), "{kept}");

    home.prep()
        .args(["import", "notes.md"])
        .stdout_contains("1 card deleted from the deck stays deleted")
        .run();
    assert_eq!(home.read("decks/notes.yaml"), deck);
    // Said once: the next import has no news of it.
    let again = home.prep().args(["import", "notes.md"]).any_stdout().run();
    assert!(!again.stdout.contains("deleted"), "{}", again.stdout);
    assert_eq!(home.read("decks/notes.yaml"), deck);

    // Changed in the notes, it comes back: the notes have news. It is
    // the card deleted, reworded: back under its own id, with its review.
    home.write(
        "notes.md",
        NOTES.replace(
            "What is a race condition?",
            "What is a race condition in concurrent code?",
        ),
    );
    home.prep()
        .args(["import", "notes.md"])
        .stdout_contains("1 added")
        .stdout_contains(format!(
            "  1 card was deleted earlier and found in the notes again, back with its review history:\n    {race}  What is a race condition in concurrent code?\n"
        ))
        .run();
    assert!(home.read("decks/notes.yaml").contains("race condition"));
    let back = cards(&home, NOW, &[]);
    let back = crate::util::card(&back, &race);
    assert_eq!(back["reps"], 1, "{back}");
    assert!(!home.path().join("deleted/notes.cards.yaml").exists());
}

#[test]
fn a_deleted_deck_moves_aside_with_its_record_and_bundled_decks_cannot_be_deleted() {
    let home = imported();
    home.prep()
        .args(["delete", "--deck", "notes"])
        .stdout_contains(
            "deleted deck notes (2 cards): its file is kept at [HOME]/deleted/notes.yaml",
        )
        .run();
    assert!(!home.path().join("decks/notes.yaml").exists());
    assert!(home.read("deleted/notes.yaml").contains("idempotent"));
    assert!(home.path().join("deleted/.notes.imported.json").exists());
    // `prep import` alone no longer brings it back from its record.
    home.prep()
        .arg("import")
        .stderr_contains("error: no deck records a notes file to import again")
        .status(1)
        .run();
    assert!(!home.path().join("decks/notes.yaml").exists());
    // Deleted twice, the first one kept is not overwritten.
    home.prep().args(["import", "notes.md"]).any_stdout().run();
    home.prep()
        .args(["delete", "--deck", "notes"])
        .stdout_contains("[HOME]/deleted/notes.2.yaml")
        .run();
    assert!(home.path().join("deleted/notes.yaml").exists());

    let before = home.snapshot();
    home.prep()
        .args(["delete", "--deck", "aws"])
        .stderr(
            "error: deck aws is bundled with prep and cannot be deleted; once you have a deck of your own it stays out of quiz, stats, cards and export, and is used only with --deck aws\n",
        )
        .status(1)
        .run();
    home.prep()
        .args(["delete", "--deck", "note"])
        .stderr_contains("error: no deck named \"note\"")
        .status(1)
        .run();
    assert!(before.changes_to(&home.snapshot()).is_empty());
}

#[test]
fn adding_a_question_the_deck_already_asks_says_so_and_adds_nothing() {
    let home = imported();
    let id = id_of(&home, "What does idempotent mean?");
    let before = home.snapshot();
    home.prep()
        .args([
            "add",
            "--deck",
            "notes",
            "-q",
            "what does  IDEMPOTENT mean",
            "-a",
            "Same effect twice.",
        ])
        .stderr(format!(
            "error: deck notes already asks this as card {id}; change it with `prep edit {id}`, or delete it first with `prep delete {id}`; nothing was added\n"
        ))
        .status(1)
        .run();
    assert!(before.changes_to(&home.snapshot()).is_empty());
}
