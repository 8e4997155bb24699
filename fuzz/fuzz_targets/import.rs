//! Arbitrary bytes as notes: reading may fail with an error, never panic,
//! in the format the text looks written in and in each format `--format`
//! can name. Every card found has a question and an answer (a cloze card
//! may have none: its question is both sides), and the deck the import
//! command would write from them loads back as the same deck.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use prep::decks::deck::Deck;
use prep::import::{Format, Notes, Reading};

fn check_cards(notes: &Notes) {
    for card in &notes.cards {
        assert!(!card.question.trim().is_empty(), "empty question: {card:?}");
        assert!(
            prep::import::unusable(&card.question, &card.answer).is_none(),
            "a card no deck can hold: {card:?}"
        );
    }
}

fuzz_target!(|bytes: &[u8]| {
    for format in [Format::Org, Format::AsciiDoc, Format::Rst] {
        let reading = Reading {
            format: Some(format),
            ..Reading::default()
        };
        if let Ok(notes) = prep::import::read_notes_with(bytes, &reading) {
            check_cards(&notes);
        }
    }
    let Ok(notes) = prep::import::read_notes(bytes) else {
        return;
    };
    check_cards(&notes);
    // As `prep import fuzz.md` into a new deck.
    let merged = prep::import::merge(
        &Deck::default(),
        "fuzz",
        "fuzz.md",
        notes.title.clone(),
        notes.cards.clone(),
        false,
    );
    let deck = merged.deck;
    assert_eq!(deck.cards.len(), notes.cards.len());
    let path = Path::new("fuzz.yaml");
    let yaml = deck.to_yaml();
    let again = Deck::parse(&yaml, path)
        .unwrap_or_else(|err| panic!("an imported deck does not load: {err:#}\n{yaml}"));
    assert_eq!(again, deck, "the deck changed on a round trip\n{yaml}");
});
