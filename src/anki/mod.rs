//! Anki interop: decks out to Anki packages and text files
//! ([`package`], [`text_files`]), and Anki packages and text exports back into
//! decks ([`read`] the files, [`notes`] their notes as cards, [`review_log`]
//! their review log). Markdown and HTML meet in [`html`]; images and sounds
//! travel both ways through [`package_media`]. The newer package format is
//! unpacked within bounds by [`zstd_package`], its schema read by
//! [`schema18`], its protobuf messages by [`protobuf`].

pub mod html;
pub mod notes;
pub mod package;
pub mod package_media;
pub mod protobuf;
pub mod read;
pub mod review_log;
pub mod schema18;
pub mod text_files;
pub mod zstd_package;

/// The name of the note type prep's notes use in Anki.
pub const NOTE_TYPE: &str = "prep";

/// The note type of cards drilled both ways: Anki's "Basic (and reversed
/// card)", under prep's name.
pub const REVERSED_NOTE_TYPE: &str = "prep (and reversed card)";

/// The note type of cloze cards: Anki's "Cloze", under prep's name.
pub const CLOZE_NOTE_TYPE: &str = "prep cloze";

/// The GUID prep gives a card's note: derived from the card id, so that
/// exporting again updates the note in Anki, and reading it back keeps
/// the card's id (and history).
pub fn guid(card_id: &str) -> String {
    format!("prep:{card_id}")
}

/// The prep card id a note's GUID names, for notes prep wrote.
pub fn card_id_of(guid: &str) -> Option<&str> {
    guid.strip_prefix("prep:")
        .filter(|id| !id.is_empty() && id.len() <= 64 && !id.contains(char::is_whitespace))
}

/// A positive id below 2^53 (Anki's ids are JavaScript-safe integers)
/// derived from `text`, so that the same card gets the same note and card
/// ids in every export.
pub fn stable_id(text: &str) -> i64 {
    let hash = crate::stable_hash::hash(text.as_bytes()) >> 11;
    // Keep clear of 0 and of the ids Anki gives its own Default deck.
    (hash as i64).max(1 << 20)
}
