//! Cards written for other flashcard tools, read as those tools read them:
//! one test document per syntax (written from each tool's documentation;
//! the sources are named at the top of each, and in
//! `src/import/card_syntax.rs`), imported card for card through the binary.

use crate::util::{Home, NOW, cards};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/syntaxes/{name}.md",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Each review card of a deck imported from the fixture `name`: its side,
/// cloze number and front.
fn imported(home: &Home, name: &str) -> Vec<(String, Option<u64>, String)> {
    home.prep()
        .args(["import", &fixture(name)])
        .any_stdout()
        .run();
    cards(home, NOW, &["--deck", name])
        .iter()
        .map(|card| {
            (
                card["side"].as_str().unwrap().to_string(),
                card["cloze"].as_u64(),
                card["question"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn side(kind: &str, cloze: Option<u64>, front: &str) -> (String, Option<u64>, String) {
    (kind.to_string(), cloze, front.to_string())
}

#[test]
fn obsidian_spaced_repetition_cards_both_ways_and_clozes() {
    let home = Home::new();
    assert_eq!(
        imported(&home, "obsidian-spaced-repetition"),
        [
            side("forward", None, "What does DNS stand for"),
            side("forward", None, "What port does HTTPS use by default"),
            side("reversed", None, "443"),
            side(
                "forward",
                None,
                "What happens in a TCP three-way handshake?"
            ),
            side("forward", None, "TTL"),
            side(
                "reversed",
                None,
                "Time to live: how long a resolver may cache a record."
            ),
            side(
                "cloze",
                Some(1),
                "A resolver caches [...] for their TTL and negative answers for the SOA minimum."
            ),
            side(
                "cloze",
                Some(2),
                "A resolver caches positive answers for their TTL and [...] for the SOA minimum."
            ),
        ]
    );
    let deck = home.read("decks/obsidian-spaced-repetition.yaml");
    // Schedule comments are not the card's text; the deck tag is a tag.
    assert!(!deck.contains("<!--SR:"), "{deck}");
    assert!(deck.contains("- flashcards/networking"), "{deck}");
    assert!(
        deck.contains("  answer: |-\n    The client sends SYN, the server answers SYN-ACK,\n    and the client confirms with ACK.\n"),
        "{deck}"
    );
}

#[test]
fn hashcards_carddown_logseq_and_obsidian_to_anki_cards() {
    let home = Home::new();
    assert_eq!(
        imported(&home, "hashcards"),
        [
            side("forward", None, "What does `fsync` guarantee?"),
            side(
                "cloze",
                Some(1),
                "A [...] makes a write durable before the data file changes."
            ),
            side(
                "cloze",
                Some(2),
                "A write-ahead log makes a write durable before the [...] changes."
            ),
            side("forward", None, "What is a B-tree's fan-out?"),
        ]
    );
    assert_eq!(
        imported(&home, "carddown"),
        [
            side("forward", None, "What does LRU evict?"),
            side("forward", None, "What is a cache stampede?"),
            side("forward", None, "Explain write-through caching"),
        ]
    );
    assert!(home.read("decks/carddown.yaml").contains("- caching"));
    assert_eq!(
        imported(&home, "logseq"),
        [
            side("forward", None, "What is a pod?"),
            side("forward", None, "What does a Service give a set of pods?"),
            side(
                "cloze",
                Some(1),
                "The [...] runs on every node and starts the pods scheduled there"
            ),
        ]
    );
    // Logseq's own schedule, written as block properties, is no answer.
    let deck = home.read("decks/logseq.yaml");
    assert!(!deck.contains("card-last-interval"), "{deck}");
    assert!(
        deck.contains("- The smallest deployable unit\n    - One or more containers"),
        "{deck}"
    );
    assert_eq!(
        imported(&home, "obsidian-to-anki"),
        [
            side("forward", None, "What is IAM?"),
            side("forward", None, "S3"),
            side("reversed", None, "Simple Storage Service"),
            side(
                "cloze",
                Some(1),
                "A [...] is an isolated network; a subnet is a range of its addresses."
            ),
            side(
                "cloze",
                Some(2),
                "A VPC is an isolated network; a [...] is a range of its addresses."
            ),
        ]
    );
    let deck = home.read("decks/obsidian-to-anki.yaml");
    assert!(!deck.contains("<!--ID:"), "{deck}");
}

#[test]
fn a_file_mixing_them_with_ordinary_notes_gives_both_and_says_so() {
    let home = Home::new();
    let output = home
        .prep()
        .args(["import", &fixture("mixed")])
        .any_stdout()
        .run();
    assert!(
        output.stdout.contains(
            "read cards written for other tools: Obsidian spaced repetition cards (1), carddown cards (1)"
        ),
        "{}",
        output.stdout
    );
    let fronts: Vec<String> = imported(&home, "mixed")
        .into_iter()
        .map(|(_, _, front)| front)
        .collect();
    assert_eq!(
        fronts,
        [
            "What is a race condition?",
            "What does ACID stand for",
            "What is a deadlock?",
            "How do you find a memory leak?",
        ]
    );
}

#[test]
fn a_card_edited_in_the_other_tools_syntax_keeps_its_id() {
    let home = Home::new();
    let notes = home.write(
        "notes/vault.md",
        std::fs::read_to_string(fixture("obsidian-spaced-repetition")).unwrap(),
    );
    home.prep().args(["import"]).arg(&notes).any_stdout().run();
    let before = cards(&home, NOW, &["--deck", "vault"]);
    let id_of = |listed: &[serde_json::Value], front: &str| {
        listed
            .iter()
            .find(|card| card["question"].as_str().unwrap().starts_with(front))
            .map(|card| card["id"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no card {front}"))
    };
    let dns = id_of(&before, "What does DNS");
    let handshake = id_of(&before, "What happens in a TCP");
    let text = std::fs::read_to_string(&notes)
        .unwrap()
        .replace(
            "What does DNS stand for::Domain Name System",
            "What does DNS stand for?::The Domain Name System",
        )
        .replace(
            "and the client confirms with ACK.",
            "and the client confirms it with ACK.",
        );
    std::fs::write(&notes, text).unwrap();
    home.prep().args(["import"]).arg(&notes).any_stdout().run();
    let after = cards(&home, NOW, &["--deck", "vault"]);
    assert_eq!(id_of(&after, "What does DNS"), dns);
    assert_eq!(id_of(&after, "What happens in a TCP"), handshake);
    assert_eq!(after.len(), before.len());
}
