/*!
`prep check`: verify the decks and the review database and say what is
wrong, without changing anything. `--repair` rebuilds every card's state
from its last review, after writing a backup copy of the database next to
it (SQLite's backup API, safe while other prep processes run).

Cards with history that no deck has any more are not a problem: they are
counted (as orphaned) and keep their history, which resumes if the card
comes back.
*/

use std::io::Write;

use anyhow::Result;

use super::Outcome;
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::format;
use crate::store::Store;

pub struct Options {
    pub repair: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = Catalog::load_without_answers(settings, &[])?;
    let mut problems: Vec<String> = catalog.problems.clone();
    for (id, decks) in &catalog.duplicates {
        problems.push(format!(
            "card id {id} is in decks {}; give all but one of them a new id",
            decks.join(" and ")
        ));
    }
    writeln!(
        out,
        "decks: {} loaded, {}{}",
        catalog.decks.len(),
        format::count(catalog.card_count() as u64, "card"),
        if catalog.problems.is_empty() {
            String::new()
        } else {
            format!(", {} did not load", catalog.problems.len())
        }
    )?;

    match Store::open_existing(&settings.home)? {
        None => writeln!(out, "database: none yet (nothing has been reviewed)")?,
        Some(mut store) => {
            let path = store.path().display().to_string();
            let integrity = store.integrity_problems()?;
            for line in &integrity {
                problems.push(format!("{path}: {line}; restore a backup of the database"));
            }
            let states = store.card_states()?;
            let orphaned = states.keys().filter(|id| !catalog.contains(id)).count();
            writeln!(
                out,
                "database: {path}, {} of {}, integrity {}",
                format::count(store.review_count()?, "review"),
                format::count(states.len() as u64, "card"),
                if integrity.is_empty() { "ok" } else { "FAILED" }
            )?;
            if orphaned > 0 {
                let orphans = if orphaned == 1 {
                    "1 card with history is in no deck; its history is kept and resumes if it comes back".to_string()
                } else {
                    format!(
                        "{orphaned} cards with history are in no deck; their history is kept and resumes if they come back"
                    )
                };
                writeln!(out, "orphaned: {orphans}")?;
            }
            let disagreeing = store.disagreements()?;
            if !disagreeing.is_empty() && options.repair {
                let backup = backup_path(&store, settings);
                store.backup_to(&backup)?;
                writeln!(out, "backup: {}", backup.display())?;
                let rebuilt = store.rebuild_states()?;
                writeln!(
                    out,
                    "repaired: the state of {} rebuilt from history ({} {} a state)",
                    format::count(disagreeing.len() as u64, "card"),
                    format::count(rebuilt, "card"),
                    if rebuilt == 1 { "has" } else { "have" }
                )?;
            } else if !disagreeing.is_empty() {
                let shown: Vec<&str> = disagreeing.iter().take(5).map(String::as_str).collect();
                let (have, their) = if disagreeing.len() == 1 {
                    ("has", "its")
                } else {
                    ("have", "their")
                };
                problems.push(format!(
                    "{path}: {} {have} a state that disagrees with {their} history ({}{}); run `prep check --repair`",
                    format::count(disagreeing.len() as u64, "card"),
                    shown.join(", "),
                    if disagreeing.len() > 5 { ", ..." } else { "" }
                ));
            } else if options.repair {
                writeln!(out, "repaired: nothing to repair")?;
            }
        }
    }
    out.flush()?;

    for problem in &problems {
        crate::messages::error(problem);
    }
    if problems.is_empty() {
        writeln!(out, "ok")?;
        Ok(Outcome::Success)
    } else {
        Ok(Outcome::PartialFailure)
    }
}

/// `prep.sqlite.backup-20260105T090000` beside the database; never an
/// existing file.
fn backup_path(store: &Store, settings: &Settings) -> std::path::PathBuf {
    let stamp = settings.current_time().format("%Y%m%dT%H%M%S");
    let base = store
        .path()
        .with_extension(format!("sqlite.backup-{stamp}"));
    let mut path = base.clone();
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = std::path::PathBuf::from(format!("{}-{n}", base.display()));
    }
    path
}
