//! prep turns interview Q&A notes into flashcard decks and drills them with
//! spaced repetition. The `prep` binary (`src/main.rs`, `src/cli.rs`) parses
//! flags, resolves them into [`Settings`] once, and runs one of
//! [`commands`]; everything else is this library.
//!
//! The domain, which reads and writes files but never the terminal:
//!
//! - [`import`]: notes to cards, and re-imports that keep ids and edits.
//! - [`decks`]: deck files: the model, where cards start, the cache, the
//!   decks of a home, and the cards of the decks a command is about.
//! - [`anki`]: Anki packages and text files, out and back in.
//! - [`schedule`]: FSRS: grades, memory states, intervals, days, fuzz, and
//!   fitting parameters; [`config`]: `config.yaml`, read and edited.
//! - [`journal`]: review state as the devices' logs define it: the
//!   change format, the log files, the setups and the fold; [`store`]
//!   caches it in SQLite (state and history), and [`sync`] moves the logs
//!   between machines over git.
//! - [`card_filter`]: which cards a command works on (text, tags, state,
//!   leeches, marks, due).
//! - [`session`]: which card a quiz shows next, and what each answer, skip
//!   and undo does; [`quiz`]: the words and reports both quiz front ends
//!   share; [`typed_answer`]: checking a typed answer's key points.
//! - [`stats`] and [`plan`]: figures and interview plans from the store.
//! - Shared definitions: [`markdown`] (the card flavour), [`html`] (tags
//!   and text of HTML, for the importer and the Anki reader), [`stable_hash`]
//!   (ids, fingerprints, fuzz), [`text_width`] (terminal columns),
//!   [`format`] (times, counts, tables as text), [`files`] (written
//!   atomically, YAML errors that name the place), [`suggest`] ("did you
//!   mean"), [`editor`] (the user's editor command), [`opener`] (the
//!   system's opener of files), [`exit`] (memory left
//!   to the exiting process), [`settings`].
//!
//! The layers on top, which do terminal I/O: [`commands`] (one per
//! subcommand: wire the domain, print its results), [`tui`] (the
//! full-screen reviewer and its markdown renderer) and [`messages`] (the
//! `error:` lines both write). Nothing in the domain imports from them, and
//! `tui` does not import from `commands`.

pub mod anki;
pub mod card_filter;
pub mod commands;
pub mod config;
pub mod decks;
pub mod editor;
pub mod exit;
pub mod files;
pub mod format;
pub mod html;
pub mod import;
pub mod journal;
pub mod markdown;
pub mod messages;
pub mod opener;
pub mod plan;
pub mod quiz;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod stable_hash;
pub mod stats;
pub mod store;
pub mod suggest;
pub mod sync;
pub mod text_width;
pub mod tui;
pub mod typed_answer;

pub use decks::collection::{Collection, DeckEntry, DeckOrigin};
pub use decks::deck::{Card, Deck};
pub use settings::Settings;
