//! The `prep` binary run against throwaway homes, one module per command.
//! Everything is one test binary, so the suite links once: on two cores
//! that is most of the time a test run takes.

mod util;

mod anki;
mod anki_media;
mod bad_input;
mod card_edit;
mod decks;
mod delete;
mod edits;
mod formats;
mod generated;
mod grade;
mod history;
mod import;
mod layers;
mod manage;
mod optimize;
mod plan;
mod quiz;
mod show;
mod sides;
mod stats;
mod store;
mod sync;
mod sync_decks;
mod sync_replay;
mod sync_segments;
mod syntaxes;
mod terminal;
