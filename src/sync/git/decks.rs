//! What a pull changed in the decks, per deck and per device, for `prep
//! sync` to say; and what it took out, kept.
//!
//! Another device's import of older notes, a `prep delete` or an edit by
//! hand there changes this home's decks at the next pull, and a person
//! must hear of it: cards added, removed, changed, and who did it. A card
//! the pull removed (and that no deck holds now) is kept in this home's
//! `deleted/` as `prep delete` keeps one, and a deck deleted there is kept
//! whole, so that an import finding the card again brings it back under
//! its own id, with its review history.

use std::path::{Path, PathBuf};

use anyhow::Result;
use foldhash::HashMap;

use super::inside;
use super::run::{git, git_ok};
use crate::decks::changes::{self, CardChanges};
use crate::decks::collection::record_path;
use crate::decks::deck::{Card, Deck, write_atomically};
use crate::decks::deleted;

/// What a pull did to one deck.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckPulled {
    pub deck: String,
    /// The devices whose commits changed it, in the order they did.
    pub devices: Vec<String>,
    pub changes: CardChanges,
    /// Removed cards that another deck now holds: the card and that deck.
    pub moved: Vec<(Card, String)>,
    /// The deck was new to this home.
    pub created: bool,
    /// The deck's file was deleted.
    pub deleted: bool,
    /// Where the removed cards, or the deleted deck, are kept.
    pub kept_in: Option<PathBuf>,
    /// What could not be read or kept, for the user to hear of.
    pub problem: Option<String>,
}

/// The changes to the decks of `home` between this home's commit `before`
/// and `HEAD` after a pull of `incoming`; removed cards and deleted decks
/// are kept in `home`'s `deleted/`.
pub(super) fn pulled(
    root: &Path,
    home: &Path,
    before: &str,
    incoming: &str,
) -> Result<Vec<DeckPulled>> {
    let decks_dir = home.join("decks");
    let Some(decks_rel) = inside(root, &decks_dir) else {
        return Ok(Vec::new());
    };
    let listed = git_ok(
        root,
        &[
            "diff",
            "--name-status",
            "--no-renames",
            "-z",
            before,
            "HEAD",
            "--",
            &decks_rel,
        ],
    )?;
    let mut fields = listed.split('\0').filter(|field| !field.is_empty());
    let mut pulled = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let Some(name) = deck_name(path, &decks_rel) else {
            continue;
        };
        let file = root.join(path);
        let mut deck = DeckPulled {
            deck: name.to_string(),
            devices: devices(root, before, incoming, path),
            created: status == "A",
            deleted: status == "D",
            ..DeckPulled::default()
        };
        let version = |commit: &str| -> Result<Vec<Card>, String> {
            let text = show(root, commit, path).unwrap_or_default();
            Deck::parse(&text, &file)
                .map(|deck| deck.cards)
                .map_err(|err| format!("{err:#}"))
        };
        let old = if deck.created {
            Ok(Vec::new())
        } else {
            version(before)
        };
        let new = if deck.deleted {
            Ok(Vec::new())
        } else {
            version("HEAD")
        };
        match (old, new) {
            (Ok(old), Ok(new)) => deck.changes = changes::between(&old, &new),
            (Err(problem), _) | (_, Err(problem)) => deck.problem = Some(problem),
        }
        pulled.push(deck);
    }
    note_moves(&mut pulled);
    for deck in &mut pulled {
        keep_what_went(root, home, &decks_rel, before, deck);
    }
    Ok(pulled)
}

/// The deck a changed path is the file of: a `NAME.yaml` directly in the
/// decks folder (not an import record, not a temporary file).
fn deck_name<'a>(path: &'a str, decks_rel: &str) -> Option<&'a str> {
    let name = if decks_rel == "." {
        path
    } else {
        path.strip_prefix(decks_rel)?.strip_prefix('/')?
    };
    let stem = name.strip_suffix(".yaml")?;
    (!stem.contains('/') && !stem.starts_with('.') && !stem.is_empty()).then_some(stem)
}

/// A file at a commit; none when it is not there.
fn show(root: &Path, commit: &str, path: &str) -> Option<String> {
    let output = git(root, &["show", &format!("{commit}:{path}")]).ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The devices whose commits, new to this home, touched `path`, oldest
/// first: the device a prep commit names (`prep sync from DEVICE`), else
/// the commit's author (a commit made by hand).
fn devices(root: &Path, before: &str, incoming: &str, path: &str) -> Vec<String> {
    let range = format!("{before}..{incoming}");
    let Ok(log) = git_ok(
        root,
        &["log", "--reverse", "--format=%s%x1f%an", &range, "--", path],
    ) else {
        return Vec::new();
    };
    let mut devices: Vec<String> = Vec::new();
    for line in log.lines() {
        let (subject, author) = line.split_once('\u{1f}').unwrap_or((line, ""));
        let device = match subject.strip_prefix("prep sync from ") {
            Some(rest) => rest.split(':').next().unwrap_or(rest).trim(),
            None => author.trim(),
        };
        if !device.is_empty() && !devices.iter().any(|known| known == device) {
            devices.push(device.to_string());
        }
    }
    devices
}

/// A card removed from one deck and added to another in the same pull
/// moved: it is not lost, and is said so.
fn note_moves(pulled: &mut [DeckPulled]) {
    let added_to: HashMap<String, String> = pulled
        .iter()
        .flat_map(|deck| {
            deck.changes
                .added
                .iter()
                .map(|card| (card.id.clone(), deck.deck.clone()))
        })
        .collect();
    for deck in pulled.iter_mut() {
        let removed = std::mem::take(&mut deck.changes.removed);
        for card in removed {
            match added_to.get(&card.id) {
                Some(to) if *to != deck.deck => deck.moved.push((card, to.clone())),
                _ => deck.changes.removed.push(card),
            }
        }
    }
}

/// Keeps what the pull took from `deck`: the removed cards, or the whole
/// deleted deck with its import record; and a card kept before that the
/// pull brought back is kept no more. They are in git's history all the
/// same, so a failure is said, not fatal to the sync.
fn keep_what_went(root: &Path, home: &Path, decks_rel: &str, before: &str, deck: &mut DeckPulled) {
    // A card the deck holds again is no longer kept as deleted.
    let back: Vec<String> = deck
        .changes
        .added
        .iter()
        .map(|card| card.id.clone())
        .collect();
    if let Err(err) = deleted::take_back(home, &deck.deck, &back) {
        deck.problem = Some(format!("{err:#}"));
    }
    let kept = if deck.deleted {
        keep_deleted_deck(root, home, decks_rel, before, &deck.deck)
    } else if !deck.changes.removed.is_empty() {
        deleted::keep_cards(home, &deck.deck, &deck.changes.removed)
    } else {
        return;
    };
    match kept {
        Ok(path) => deck.kept_in = Some(path),
        Err(err) => {
            let problem = format!(
                "could not keep what was removed ({err:#}); it is in git at commit {}",
                &before[..before.len().min(12)]
            );
            deck.problem = Some(match deck.problem.take() {
                Some(earlier) => format!("{earlier}; {problem}"),
                None => problem,
            });
        }
    }
}

fn keep_deleted_deck(
    root: &Path,
    home: &Path,
    decks_rel: &str,
    before: &str,
    name: &str,
) -> Result<PathBuf> {
    let in_repo = |file: &str| {
        if decks_rel == "." {
            file.to_string()
        } else {
            format!("{decks_rel}/{file}")
        }
    };
    let to = deleted::free_deck_path(home, name);
    let text = show(root, before, &in_repo(&format!("{name}.yaml"))).unwrap_or_default();
    write_atomically(&to, text.as_bytes())?;
    if let Some(record) = show(root, before, &in_repo(&format!(".{name}.imported.json"))) {
        write_atomically(&record_path(&to), record.as_bytes())?;
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_deck_files_directly_in_the_decks_folder_are_decks() {
        assert_eq!(deck_name("home/decks/aws.yaml", "home/decks"), Some("aws"));
        assert_eq!(deck_name("aws.yaml", "."), Some("aws"));
        assert_eq!(
            deck_name("home/decks/.aws.imported.json", "home/decks"),
            None
        );
        assert_eq!(deck_name("home/decks/.aws.yaml", "home/decks"), None);
        assert_eq!(deck_name("home/decks/sub/aws.yaml", "home/decks"), None);
        assert_eq!(deck_name("home/decksx/aws.yaml", "home/decks"), None);
    }
}
