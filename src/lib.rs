//! prep turns interview Q&A notes into flashcard decks and drills them with
//! spaced repetition.
//!
//! This library holds the domain and never touches the terminal: the
//! importer (notes to cards), the YAML deck model, and the set of decks a
//! home directory holds. The `prep` binary (`src/main.rs`) parses flags,
//! resolves them into [`Settings`] once, and runs one of [`commands`].

pub mod anki;
pub mod card_lines;
pub mod catalog;
pub mod collection;
pub mod commands;
pub mod config;
pub mod deck;
pub mod deck_cache;
pub mod editor;
pub mod exit;
pub mod format;
pub mod import;
pub mod markdown;
pub mod messages;
pub mod plan;
pub mod quiz;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod stable_hash;
pub mod stats;
pub mod store;
pub mod suggest;
pub mod text_width;
pub mod tui;
pub mod typed_answer;

pub use collection::{Collection, DeckEntry, DeckOrigin};
pub use deck::{Card, Deck};
pub use settings::Settings;
