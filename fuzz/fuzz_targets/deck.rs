//! Arbitrary bytes as a deck file: loading may fail with an error, never
//! panic, and a deck that loads must save to text that loads back to the
//! same deck and the same text.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use prep::decks::deck::Deck;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.yaml");
    let Ok(deck) = Deck::from_bytes(bytes.to_vec(), path) else {
        return;
    };
    let yaml = deck.to_yaml();
    let again = Deck::parse(&yaml, path)
        .unwrap_or_else(|err| panic!("a saved deck does not load: {err:#}\n{yaml}"));
    assert_eq!(again, deck, "the deck changed on a round trip\n{yaml}");
    assert_eq!(again.to_yaml(), yaml, "saving is not stable");
});
