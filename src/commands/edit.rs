/*!
`prep edit CARD`: open the card's deck in `$VISUAL`/`$EDITOR` at the
card's line, as `e` does in the reviewer, and check the deck once the
editor is closed.

The card is found as every command finds one ([`Catalog::resolve`]: its id
or a unique prefix). A bundled deck is first copied into the decks
directory, where the edit is kept. An edit that leaves the deck unreadable
is an error naming the file and the line, and the file keeps the edit; a
deck that does not load is still searched for the exact id, so `prep edit`
is also how to go back and mend it.
*/

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};

use super::{Outcome, report_problems};
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::decks::collection::Collection;
use crate::decks::deck::Contents;
use crate::decks::lines::{CardAt, card_line, edit_line};

pub struct Options {
    /// A card id or a unique prefix of one.
    pub card: String,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let collection = settings.collection();
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?;
    let (path, line, id) = match catalog.resolve(&options.card) {
        Ok(found) => {
            // A reversed side or a cloze card opens the card it comes from.
            let id = found.written_id().to_string();
            let (path, line, copied, ids_written) = collection.edit_target(found.deck, &id)?;
            if !ids_written.is_empty() {
                writeln!(
                    out,
                    "Wrote into {} the ids of cards typed without one: {}",
                    path.display(),
                    ids_written.join(", ")
                )?;
                out.flush()?;
            }
            if copied {
                writeln!(
                    out,
                    "The bundled deck {} is now your copy at {}; edits there are kept.",
                    found.deck,
                    path.display()
                )?;
                out.flush()?;
            }
            (path, line, id)
        }
        Err(err) => match in_broken_deck(&collection, &options.card) {
            Some((path, line)) => (path, line, options.card.clone()),
            None => return Err(err),
        },
    };

    let status = settings.editor.open(&path, line)?;
    if !status.success() {
        bail!(
            "the editor {:?} failed ({status}); {} is as it left it",
            settings.editor.program(),
            path.display()
        );
    }
    // Read through the cache, so that a large deck's next run finds it
    // parsed.
    let deck = settings
        .deck_cache
        .load(&path, Contents::WithoutAnswers)
        .map_err(|err| {
            anyhow!("{err:#}; the edit is kept in the file: run `prep edit {id}` to fix it")
        })?;
    if deck.card(&id).is_none() {
        // Not an error (removing a card or giving it a new id is an edit
        // like any other), but its history no longer has a card.
        writeln!(
            out,
            "Card {id} is no longer in {}; its review history stays under that id.",
            path.display()
        )?;
    }
    // Other decks' problems are reported as every command reports them.
    let others: Vec<String> = catalog
        .problems
        .iter()
        .filter(|problem| !problem.starts_with(&path.display().to_string()))
        .cloned()
        .collect();
    report_problems(&others)
}

/// The file and line of card `id` (the exact id) in a user deck that does
/// not load: the cards of such a deck are in no catalog, and it is the
/// deck most in need of an editor.
fn in_broken_deck(collection: &Collection, id: &str) -> Option<(PathBuf, usize)> {
    let entries = collection.load_all(Contents::WithoutAnswers).ok()?;
    entries.into_iter().find_map(|(entry, deck)| {
        let path = entry.path.filter(|_| deck.is_none())?;
        let text = std::fs::read_to_string(&path).ok()?;
        card_line(&text, CardAt::Id(id))?;
        let line = edit_line(&text, &path, id);
        Some((path, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_of_a_deck_that_does_not_load_is_found_by_its_exact_id() {
        let home = tempfile::tempdir().unwrap();
        let decks = home.path().join("decks");
        std::fs::create_dir_all(&decks).unwrap();
        let text =
            "cards:\n- id: keep\n  question: Q?\n  answer: A.\n- id: broken\n  question: [Q?\n";
        std::fs::write(decks.join("mine.yaml"), text).unwrap();
        let collection = Collection::new(home.path(), crate::decks::cache::DeckCache::off());
        // The editor opens where the YAML breaks, the first thing to fix.
        assert_eq!(
            in_broken_deck(&collection, "keep"),
            Some((decks.join("mine.yaml"), 6))
        );
        assert_eq!(in_broken_deck(&collection, "kee"), None);
    }
}
