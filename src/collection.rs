//! The decks a home directory offers: the user's YAML files in
//! `$PREP_HOME/decks/` and the decks bundled in the binary.
//! (to be written: list, resolve by name with a suggestion, bundled decks)

use std::path::PathBuf;

use crate::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckOrigin {
    User,
    Bundled,
}

#[derive(Debug, Clone)]
pub struct DeckEntry {
    pub name: String,
    pub origin: DeckOrigin,
    pub path: Option<PathBuf>,
}

pub struct Collection {
    decks_dir: PathBuf,
}

impl Collection {
    pub fn new(settings: &Settings) -> Collection {
        Collection {
            decks_dir: settings.decks_dir(),
        }
    }

    /// Where the user's deck of this name lives (whether or not it exists).
    pub fn user_deck_path(&self, name: &str) -> PathBuf {
        self.decks_dir.join(format!("{name}.yaml"))
    }
}
