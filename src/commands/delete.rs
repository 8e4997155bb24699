/*!
`prep delete CARD_ID...` and `prep delete --deck NAME`: take cards, or a
whole deck, out of the home.

Nothing a person wrote is thrown away: a deleted card is kept in
`deleted/DECK.cards.yaml` under the home, and a deleted deck's file (with
its import record) moves to `deleted/`, from where moving it back restores
it. Review history is never deleted: it is what the cards' ids point to,
so a card or deck that comes back comes back with its history.

A deleted card that came from notes stays deleted when the notes are
imported again, unless its text changes there (the import's three-way
merge sees the deletion as an edit made in the deck).
*/

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::Outcome;
use super::import::plural;
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::decks::collection::{bundled, record_path};
use crate::decks::deck::{Card, Contents, Deck, write_atomically};
use crate::decks::deleted;

pub enum Options {
    /// Card ids or unique prefixes.
    Cards(Vec<String>),
    Deck(String),
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    match options {
        Options::Cards(ids) => delete_cards(settings, ids, out),
        Options::Deck(name) => delete_deck(settings, name, out),
    }
}

fn delete_cards(settings: &Settings, ids: &[String], out: &mut dyn Write) -> Result<Outcome> {
    if ids.is_empty() {
        bail!(
            "name the cards to delete (ids, as `prep cards` lists them), or a deck with --deck NAME"
        );
    }
    let collection = settings.collection();
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?;
    // Every id is resolved before anything is written: a typo in the
    // third id deletes nothing.
    let mut by_deck: Vec<(String, Vec<String>)> = Vec::new();
    for id in ids {
        let found = catalog.resolve(id)?;
        let written = found.written_id().to_string();
        match by_deck.iter_mut().find(|(deck, _)| deck == found.deck) {
            Some((_, wanted)) if wanted.contains(&written) => {}
            Some((_, wanted)) => wanted.push(written),
            None => by_deck.push((found.deck.to_string(), vec![written])),
        }
    }
    for (deck_name, wanted) in &by_deck {
        let (path, _, copied, _) = collection.edit_target(deck_name, &wanted[0])?;
        if copied {
            writeln!(
                out,
                "The bundled deck {deck_name} is now your copy at {}.",
                path.display()
            )?;
        }
        let mut deck = Deck::load(&path)?;
        let (gone, kept): (Vec<Card>, Vec<Card>) = std::mem::take(&mut deck.cards)
            .into_iter()
            .partition(|card| wanted.contains(&card.id));
        deck.cards = kept;
        let kept_at =
            deleted::keep_cards(&settings.home, deck_name, &gone).context("nothing was deleted")?;
        write_atomically(&path, deck.to_yaml().as_bytes())?;
        for card in &gone {
            writeln!(
                out,
                "deleted card {} from deck {deck_name}: {}",
                card.id,
                first_line(&card.question)
            )?;
        }
        writeln!(
            out,
            "the deleted text is kept in {}, and the review history stays in case {} back",
            kept_at.display(),
            if gone.len() == 1 {
                "it comes"
            } else {
                "they come"
            }
        )?;
    }
    Ok(Outcome::Success)
}

fn delete_deck(settings: &Settings, name: &str, out: &mut dyn Write) -> Result<Outcome> {
    crate::decks::deck::check_deck_name(name)?;
    let collection = settings.collection();
    let path = collection.user_deck_path(name);
    if std::fs::symlink_metadata(&path).is_err() {
        if bundled(name).is_some() {
            bail!(
                "deck {name} is bundled with prep and cannot be deleted; once you have a deck of your own it stays out of quiz, stats, cards and export, and is used only with --deck {name}"
            );
        }
        // Loading says what there is instead (with "did you mean").
        collection.load(name, Contents::WithoutAnswers)?;
        bail!("no deck file {}", path.display());
    }
    let cards = Deck::load(&path).map(|deck| deck.cards.len()).ok();
    let moved = deleted::free_deck_path(&settings.home, name);
    let dir = deleted::dir(&settings.home);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let record = record_path(&path);
    let record_moved = record_path(&moved);
    std::fs::rename(&path, &moved).with_context(|| {
        format!(
            "cannot move {} to {}; nothing was deleted",
            path.display(),
            moved.display()
        )
    })?;
    if record.try_exists().unwrap_or(false) {
        std::fs::rename(&record, &record_moved).with_context(|| {
            format!(
                "moved deck {name} to {}, but cannot move its import record {}",
                moved.display(),
                record.display()
            )
        })?;
    }
    let count = cards.map_or(String::new(), |cards| {
        format!(" ({})", plural(cards, "card"))
    });
    writeln!(
        out,
        "deleted deck {name}{count}: its file is kept at {}; move it back to {} to restore the deck",
        moved.display(),
        collection.decks_dir().display()
    )?;
    writeln!(
        out,
        "its review history stays, and comes back with the deck"
    )?;
    if bundled(name).is_some() {
        writeln!(
            out,
            "the bundled deck {name} takes its place, used only with --deck {name}"
        )?;
    }
    Ok(Outcome::Success)
}

fn first_line(text: &str) -> String {
    crate::text_width::shorten(text, 70)
}
