//! `prep sync [--init URL]`: review on several machines through a git
//! remote (see [`crate::sync`]). The work is the domain's; this module
//! says what happened.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Outcome;
use crate::Settings;
use crate::decks::deck::Card;
use crate::format;
use crate::store::{CatchUp, Store};
use crate::sync::git::{self, DeckPulled, Hooks, Paths};

pub struct Options {
    /// Set the home up to sync through this remote first.
    pub init: Option<String>,
}

/// The store's part in a sync: its lock, and replaying what came in.
struct StoreHooks<'a> {
    store: &'a mut Store,
    caught: CatchUp,
}

impl Hooks for StoreHooks<'_> {
    fn holding_writes(&mut self, body: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        self.store.holding_writes(body)
    }

    fn replay(&mut self) -> Result<()> {
        let caught = self.store.catch_up()?;
        self.caught.applied += caught.applied;
        self.caught.problems.extend(caught.problems);
        self.caught.latest.extend(caught.latest);
        self.caught.second_writer = self.caught.second_writer.take().or(caught.second_writer);
        Ok(())
    }
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    // Set up before the store is opened: an `--init` that fails leaves
    // the home as it was.
    let initialised = match &options.init {
        Some(url) => Some((url, git::init(&settings.home, url)?)),
        None => None,
    };
    // Read after `--init`, which may have brought the remote's config.
    let sync_dir = crate::sync::dir_of(&settings.home, settings.config()?);
    let (mut store, first) = crate::sync::attach(Store::open(&settings.home)?, settings)?;
    let mut hooks = StoreHooks {
        caught: first,
        store: &mut store,
    };
    if let Some((url, done)) = initialised {
        let holds = if done.cloned {
            ", with what it holds"
        } else {
            " (empty so far)"
        };
        writeln!(
            out,
            "set up {} to sync through {url}{holds}",
            settings.home.display()
        )?;
        hooks.replay()?;
        if !tell_kept(settings, &done, out)? {
            let problems = std::mem::take(&mut hooks.caught.problems);
            return super::report_problems(&problems);
        }
    }
    let device = hooks.store.device().to_string();
    let paths = Paths {
        home: &settings.home,
        sync_dir: &sync_dir,
        device: &device,
    };
    let synced = git::sync(&paths, &mut hooks)?;
    for note in &synced.notes {
        writeln!(out, "{note}")?;
    }
    for deck in &synced.decks {
        tell_deck_pulled(deck, &settings.home, out)?;
    }
    if synced.rewritten || synced.restored_lines > 0 {
        writeln!(
            out,
            "the history on {} was rewritten (a force-push): it lacked commits this home had; {}",
            synced.remote,
            if synced.pushed {
                "they are pushed back"
            } else {
                "they go back with the next sync"
            }
        )?;
    }
    let did = what_sync_did(&synced, hooks.caught.applied);
    writeln!(out, "synced {}: {}", synced.root.display(), did.join(", "))?;
    out.flush()?;
    if let Some(warning) = crate::sync::second_writer(&hooks.caught) {
        crate::messages::warning(warning);
    }
    for warning in crate::sync::clocks_ahead(&hooks.caught, settings.now.to_utc()) {
        crate::messages::warning(warning);
    }
    if let Some(conflict) = synced.conflict {
        return Err(conflict.into());
    }
    let problems = std::mem::take(&mut hooks.caught.problems);
    super::report_problems(&problems)
}

/// Says which files of this home `--init` kept where they differ from
/// the remote's; `false` when there are any, and the sync waits for the
/// user to choose.
fn tell_kept(settings: &Settings, done: &git::Initialised, out: &mut dyn Write) -> Result<bool> {
    if done.kept.is_empty() {
        return Ok(true);
    }
    // Nothing is committed over the remote's versions until the user has
    // chosen.
    for file in &done.kept {
        writeln!(
            out,
            "kept this home's {file}, which differs from the remote's: `prep sync` commits it, `git -C {} checkout -- {file}` takes the remote's",
            settings.home.display()
        )?;
    }
    writeln!(
        out,
        "not synced yet: choose for each file above, then run `prep sync`"
    )?;
    out.flush()?;
    Ok(false)
}

/// The parts of the summary line: what was committed, pulled, applied and
/// pushed.
fn what_sync_did(synced: &git::Synced, applied: usize) -> Vec<String> {
    let mut did = Vec::new();
    if synced.committed {
        did.push("committed this device's changes".to_string());
    }
    match applied {
        0 if synced.pulled => did.push("pulled".to_string()),
        0 => {}
        applied => did.push(format!(
            "applied {} from other devices",
            format::count(applied as u64, "change")
        )),
    }
    if synced.pushed && synced.conflict.is_some() {
        did.push(format!("pushed this device's log to {}", synced.remote));
    } else if synced.pushed {
        did.push(format!("pushed to {}", synced.remote));
    }
    if did.is_empty() {
        did.push("nothing to do".into());
    }
    did
}

/// How many cards of each kind a deck's report names; the rest are
/// counted.
const CARDS_NAMED: usize = 10;

/// What the pull did to one deck: a line, then its cards.
fn tell_deck_pulled(deck: &DeckPulled, home: &Path, out: &mut dyn Write) -> Result<()> {
    let by = match deck.devices.as_slice() {
        [] => String::new(),
        devices => format!(" on {}", devices.join(", ")),
    };
    let name = &deck.deck;
    let changes = &deck.changes;
    if deck.deleted {
        let count = changes.removed.len() + deck.moved.len();
        write!(
            out,
            "deck {name} was deleted{by} ({})",
            format::count(count as u64, "card")
        )?;
        match &deck.kept_in {
            Some(path) => writeln!(
                out,
                "; its file is kept at {}: move it back to {} to have it here again",
                path.display(),
                home.join("decks").display()
            )?,
            None => writeln!(out)?,
        }
    } else {
        let mut what = Vec::new();
        for (count, word) in [
            (changes.added.len(), "added"),
            (changes.removed.len(), "removed"),
            (deck.moved.len(), "moved to another deck"),
            (changes.changed.len(), "changed"),
        ] {
            if count > 0 {
                what.push(format!("{} {word}", format::count(count as u64, "card")));
            }
        }
        if what.is_empty() && deck.problem.is_none() {
            return Ok(());
        }
        let verb = if deck.created { "new" } else { "changed" };
        writeln!(out, "deck {name} {verb}{by}: {}", what.join(", "))?;
        let mut list = |label: &str, cards: Vec<(&str, &str, Option<&str>)>| -> Result<()> {
            for (id, question, to) in cards.iter().take(CARDS_NAMED) {
                let to = to.map_or(String::new(), |to| format!(" (to deck {to})"));
                writeln!(
                    out,
                    "  {label:<8} {id}  {}{to}",
                    crate::text_width::shorten(question, 60)
                )?;
            }
            if cards.len() > CARDS_NAMED {
                writeln!(out, "  {label:<8} … and {} more", cards.len() - CARDS_NAMED)?;
            }
            Ok(())
        };

        if !deck.created {
            list("added", named(&changes.added))?;
        }
        list("removed", named(&changes.removed))?;
        list(
            "moved",
            deck.moved
                .iter()
                .map(|(card, to)| (card.id.as_str(), card.question.as_str(), Some(to.as_str())))
                .collect(),
        )?;
        list("changed", named(&changes.changed))?;
        if let Some(path) = &deck.kept_in {
            writeln!(
                out,
                "  the removed cards are kept in {}; importing notes that hold them brings them back with their reviews",
                path.display()
            )?;
        }
    }
    if let Some(problem) = &deck.problem {
        crate::messages::warning(format_args!("deck {name}: {problem}"));
    }
    Ok(())
}

/// A card's id and question, for a list of cards.
fn named(cards: &[Card]) -> Vec<(&str, &str, Option<&str>)> {
    cards
        .iter()
        .map(|card| (card.id.as_str(), card.question.as_str(), None))
        .collect()
}
