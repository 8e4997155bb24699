/*!
`prep suspend`, `prep unsuspend` and `prep forget`: what a person decides
about cards outside a quiz. Cards are named by id (or a unique prefix),
chosen by the filters `prep cards` takes, or both (the named cards the
filters keep). With neither, nothing is chosen: a bare `prep forget` must
not mean every card.
*/

use std::io::Write;

use anyhow::{Result, bail};

use super::{Outcome, report_problems};
use crate::Settings;
use crate::card_filter::{CardFilter, Context, choose};
use crate::decks::catalog::Catalog;
use crate::decks::deck::Contents;
use crate::format;
use crate::store::SuspendReason;

/// The cards a command is about, as the command line says.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub cards: Vec<String>,
    pub decks: Vec<String>,
    pub filter: CardFilter,
}

/// What to do to the chosen cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Suspend,
    Unsuspend,
    Forget,
}

impl Change {
    fn verb(self) -> &'static str {
        match self {
            Change::Suspend => "suspend",
            Change::Unsuspend => "unsuspend",
            Change::Forget => "forget",
        }
    }
}

pub fn suspend(settings: &Settings, selection: &Selection, out: &mut dyn Write) -> Result<Outcome> {
    change(settings, selection, Change::Suspend, out)
}

pub fn unsuspend(
    settings: &Settings,
    selection: &Selection,
    out: &mut dyn Write,
) -> Result<Outcome> {
    change(settings, selection, Change::Unsuspend, out)
}

/// Forgetting more than one card needs `yes`: it cannot be undone from
/// the quiz, and a filter may choose more than was meant.
pub fn forget(
    settings: &Settings,
    selection: &Selection,
    yes: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let chosen = chosen_ids(settings, selection, Change::Forget)?;
    if !yes && chosen.ids.len() > 1 {
        bail!(
            "this would forget {}: {}; add --yes to put them back to new (their history is kept)",
            format::count(chosen.ids.len() as u64, "card"),
            listed(&chosen.ids)
        );
    }
    apply(settings, chosen, Change::Forget, out)
}

/// The chosen cards' ids, and the catalog's problems.
struct ChosenIds {
    ids: Vec<String>,
    problems: Vec<String>,
}

fn chosen_ids(settings: &Settings, selection: &Selection, change: Change) -> Result<ChosenIds> {
    if selection.cards.is_empty() && selection.filter.is_empty() && selection.decks.is_empty() {
        bail!(
            "name the cards to {} (ids, as `prep cards` lists them), or choose them with --deck, --search, --tag, --state, --leech, --marked or --due",
            change.verb()
        );
    }
    let contents = if selection.filter.needs_answers() {
        Contents::Everything
    } else {
        Contents::WithoutAnswers
    };
    // Cards named by id may be of any deck, a bundled one left out of the
    // home's decks included.
    let catalog = if !selection.cards.is_empty() && selection.decks.is_empty() {
        Catalog::load_every_deck(&settings.collection(), contents)?
    } else if selection.filter.needs_answers() {
        Catalog::load(&settings.collection(), &selection.decks)?
    } else {
        Catalog::load_without_answers(&settings.collection(), &selection.decks)?
    };
    let schedulers = settings.schedulers()?;
    let store = crate::sync::open_existing_store(settings)?;
    let (states, flags) = match &store {
        Some(store) => (store.card_states()?, store.flags()?),
        None => Default::default(),
    };
    let context = Context {
        flags: &flags,
        now: settings.now.to_utc(),
        clock: schedulers.clock(),
        config: schedulers.config(),
    };
    let chosen = choose(
        &catalog,
        &selection.cards,
        &selection.filter,
        &states,
        &context,
    )?;
    Ok(ChosenIds {
        ids: chosen.iter().map(|chosen| chosen.card.id.clone()).collect(),
        problems: catalog.problems.clone(),
    })
}

fn change(
    settings: &Settings,
    selection: &Selection,
    change: Change,
    out: &mut dyn Write,
) -> Result<Outcome> {
    apply(
        settings,
        chosen_ids(settings, selection, change)?,
        change,
        out,
    )
}

/// Does `change` to the cards chosen.
fn apply(
    settings: &Settings,
    chosen: ChosenIds,
    change: Change,
    out: &mut dyn Write,
) -> Result<Outcome> {
    if chosen.ids.is_empty() {
        writeln!(out, "No card matches; nothing to {}.", change.verb())?;
        return report_problems(&chosen.problems);
    }
    let ids: Vec<&str> = chosen.ids.iter().map(String::as_str).collect();
    let now = settings.now.to_utc();
    let (changed, verb, already) = match change {
        Change::Suspend => {
            let mut store = crate::sync::open_store(settings)?;
            let changed = store.suspend(&ids, now, SuspendReason::User)?;
            (changed, "suspended", "already suspended")
        }
        Change::Unsuspend => {
            let changed = match crate::sync::open_existing_store(settings)? {
                Some(mut store) => store.unsuspend(&ids, now)?,
                None => 0,
            };
            (changed, "unsuspended", "not suspended")
        }
        Change::Forget => {
            let changed = match crate::sync::open_existing_store(settings)? {
                Some(mut store) => store.forget(&ids, now)?,
                None => 0,
            };
            (changed, "forgot", "already new")
        }
    };
    let mut line = format!(
        "{verb} {}: {}",
        format::count(changed as u64, "card"),
        listed(&ids)
    );
    if changed < ids.len() {
        line.push_str(&format!(" ({} {already})", ids.len() - changed));
    }
    if change == Change::Forget && changed > 0 {
        line.push_str("; they are new again, and `prep history` keeps their reviews");
    }
    writeln!(out, "{line}")?;
    report_problems(&chosen.problems)
}

/// The first few ids, and how many more.
fn listed<S: AsRef<str>>(ids: &[S]) -> String {
    const SHOWN: usize = 8;
    let mut text: Vec<&str> = ids.iter().take(SHOWN).map(AsRef::as_ref).collect();
    let more = ids.len().saturating_sub(SHOWN);
    let more_text = format!("and {more} more");
    if more > 0 {
        text.push(&more_text);
    }
    text.join(", ")
}
