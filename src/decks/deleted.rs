/*!
What a home keeps of cards and decks taken out of it: `deleted/` under the
home, beside the decks directory (not in it, so that nothing there is read
as a deck).

A card leaves a deck by `prep delete`, by `prep import --prune`, or by a
`prep sync` that brings in another device's removal. Each way, its text is
kept in `deleted/DECK.cards.yaml` (a deck file like any other), and its
review history stays in the logs, which are keyed by the card's id. An
import that finds the card again in the notes (as it was, or lightly
edited) gives it back its id, and so its history, and takes it out of
here. A whole deck deleted moves here as its file, with its import record.

The folder is this home's own: it is never committed by `prep sync`, so
two devices keeping the same removed card never conflict over it.
*/

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::deck::{Card, Deck, write_atomically};

/// The folder of a home where deleted cards and decks are kept.
pub fn dir(home: &Path) -> PathBuf {
    home.join("deleted")
}

/// The file keeping the cards deleted from deck `deck_name`.
pub fn cards_path(home: &Path, deck_name: &str) -> PathBuf {
    dir(home).join(format!("{deck_name}.cards.yaml"))
}

/// The file of cards kept after deletion from deck `deck_name`, if any.
fn load_kept(home: &Path, deck_name: &str) -> Result<Option<Deck>> {
    let path = cards_path(home, deck_name);
    if !path.try_exists().unwrap_or(true) {
        return Ok(None);
    }
    Deck::load(&path).map(Some).with_context(|| {
        format!(
            "the cards deleted from deck {deck_name} are kept in {}, which does not load; mend or move it",
            path.display()
        )
    })
}

/// The cards kept after deletion from deck `deck_name`; none when nothing
/// was deleted from it.
pub fn kept_cards(home: &Path, deck_name: &str) -> Result<Vec<Card>> {
    Ok(load_kept(home, deck_name)?.map_or_else(Vec::new, |deck| deck.cards))
}

/// Keeps `cards`, deleted from deck `deck_name`, and returns the file
/// that keeps them. A card kept before under the same id is replaced by
/// this later version of it.
pub fn keep_cards(home: &Path, deck_name: &str, cards: &[Card]) -> Result<PathBuf> {
    let mut kept = load_kept(home, deck_name)?.unwrap_or_else(|| {
        Deck::new(
            Some(format!("Cards deleted from deck {deck_name}")),
            Vec::new(),
        )
    });
    kept.cards
        .retain(|old| !cards.iter().any(|card| card.id == old.id));
    kept.cards.extend(cards.iter().cloned());
    let path = cards_path(home, deck_name);
    write_atomically(&path, kept.to_yaml().as_bytes())?;
    Ok(path)
}

/// Takes the cards of `ids` out of those kept for deck `deck_name`: they
/// are back in the deck. The file goes when it keeps nothing more.
pub fn take_back(home: &Path, deck_name: &str, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let Some(mut kept) = load_kept(home, deck_name)? else {
        return Ok(());
    };
    let before = kept.cards.len();
    kept.cards.retain(|card| !ids.contains(&card.id));
    if kept.cards.len() == before {
        return Ok(());
    }
    let path = cards_path(home, deck_name);
    if kept.cards.is_empty() {
        return std::fs::remove_file(&path)
            .with_context(|| format!("cannot remove {}", path.display()));
    }
    write_atomically(&path, kept.to_yaml().as_bytes())
}

/// `name`, or `name.2`, `name.3`… if the folder already keeps a deck of
/// that name: deleting a deck twice must not overwrite the first one kept.
pub fn free_deck_path(home: &Path, name: &str) -> PathBuf {
    let dir = dir(home);
    let taken = |stem: &str| {
        let path = dir.join(format!("{stem}.yaml"));
        path.try_exists().unwrap_or(true)
            || super::collection::record_path(&path)
                .try_exists()
                .unwrap_or(true)
    };
    let stem = if taken(name) {
        (2..)
            .map(|number| format!("{name}.{number}"))
            .find(|stem| !taken(stem))
            .expect("some number is free")
    } else {
        name.to_string()
    };
    dir.join(format!("{stem}.yaml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, question: &str) -> Card {
        Card {
            id: id.to_string(),
            question: question.to_string(),
            answer: "An answer.".to_string(),
            reverse: None,
            tags: Vec::new(),
            source: None,
        }
    }

    #[test]
    fn a_card_kept_twice_is_kept_once_as_last_deleted_and_taken_back_leaves_nothing() {
        let home = tempfile::tempdir().unwrap();
        assert!(kept_cards(home.path(), "aws").unwrap().is_empty());
        keep_cards(
            home.path(),
            "aws",
            &[card("a1", "First?"), card("b2", "Second?")],
        )
        .unwrap();
        keep_cards(home.path(), "aws", &[card("a1", "First, reworded?")]).unwrap();
        let kept = kept_cards(home.path(), "aws").unwrap();
        let questions: Vec<&str> = kept.iter().map(|card| card.question.as_str()).collect();
        assert_eq!(questions, ["Second?", "First, reworded?"]);
        take_back(home.path(), "aws", &["b2".to_string()]).unwrap();
        assert_eq!(kept_cards(home.path(), "aws").unwrap().len(), 1);
        take_back(home.path(), "aws", &["a1".to_string()]).unwrap();
        assert!(!cards_path(home.path(), "aws").exists());
    }

    #[test]
    fn a_second_deck_of_one_name_is_kept_beside_the_first() {
        let home = tempfile::tempdir().unwrap();
        let first = free_deck_path(home.path(), "aws");
        assert!(first.ends_with("deleted/aws.yaml"));
        std::fs::create_dir_all(first.parent().unwrap()).unwrap();
        std::fs::write(&first, "cards: []\n").unwrap();
        assert!(free_deck_path(home.path(), "aws").ends_with("deleted/aws.2.yaml"));
    }
}
