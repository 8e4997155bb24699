/*!
`prep check`: verify the decks, the review database and the devices'
review logs, and say what is wrong, without changing anything: lines of
the logs the store has not applied, changes the store holds that no log
has, and cards whose state is not the one their history gives.
`--repair`, after writing a backup copy of the database next to it
(SQLite's backup API, safe while other prep processes run), applies the
logs, writes this device's missing changes back to its log, and folds
every card again from the logs.

Cards with history that no deck has any more are not a problem: they are
counted (as orphaned) and keep their history, which resumes if the card
comes back.
*/

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Outcome;
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Contents;
use crate::format;
use crate::store::{LogDisagreements, Store};

pub struct Options {
    pub repair: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?;
    let mut problems = check_decks(&catalog, out)?;

    // A home in a git work tree where git is not at hand has no sync to
    // look at; that is no problem of the home.
    if crate::sync::git::available()
        && let Ok(Some(stopped)) = crate::sync::git::interrupted(&settings.home)
    {
        problems.push(stopped);
    }
    match Store::open_existing(&settings.home)? {
        None => writeln!(out, "database: none yet (nothing has been reviewed)")?,
        Some(store) => check_store(store, &catalog, settings, options, out, &mut problems)?,
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

/// Says what the decks hold, and returns their problems: decks that did
/// not load and card ids in more than one deck.
fn check_decks(catalog: &Catalog, out: &mut dyn Write) -> Result<Vec<String>> {
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
    Ok(problems)
}

/// Checks the database and the logs against each other and against the
/// cards' histories, and repairs them if asked.
fn check_store(
    mut store: Store,
    catalog: &Catalog,
    settings: &Settings,
    options: &Options,
    out: &mut dyn Write,
    problems: &mut Vec<String>,
) -> Result<()> {
    let path = store.path().display().to_string();
    describe_store(&store, catalog, &path, out, problems)?;
    let disagreeing = store.disagreements()?;
    let dir = crate::sync::dir_of(&settings.home, settings.config()?);
    store.look_at_logs(&dir)?;
    let logs = check_logs(&mut store, &dir, &disagreeing, out, problems)?;
    let log_trouble = logs
        .as_ref()
        .is_some_and(|(found, refolded)| !found.not_in_logs.is_empty() || !refolded.is_empty());
    if (!disagreeing.is_empty() || log_trouble) && options.repair {
        repair(store, settings, &disagreeing, out)?;
    } else if !disagreeing.is_empty() || log_trouble {
        report_disagreements(&path, &dir, &disagreeing, logs.as_ref(), problems);
    } else if options.repair {
        writeln!(out, "repaired: nothing to repair")?;
    }
    Ok(())
}

/// Says what the database holds, its integrity and the cards with history
/// that no deck holds.
fn describe_store(
    store: &Store,
    catalog: &Catalog,
    path: &str,
    out: &mut dyn Write,
    problems: &mut Vec<String>,
) -> Result<()> {
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
            "1 card with history is in no deck; its history is kept and resumes if it comes back"
                .to_string()
        } else {
            format!(
                "{orphaned} cards with history are in no deck; their history is kept and resumes if they come back"
            )
        };
        writeln!(out, "orphaned: {orphans}")?;
    }
    Ok(())
}

/// Compares the store with the logs in `dir`: what each holds that the
/// other has not, and the cards whose state the logs would fold
/// otherwise (those in `disagreeing` left out). `None` while reviews from
/// before syncing are still to be logged.
fn check_logs(
    store: &mut Store,
    dir: &Path,
    disagreeing: &[String],
    out: &mut dyn Write,
    problems: &mut Vec<String>,
) -> Result<Option<(LogDisagreements, Vec<String>)>> {
    let unlogged = store.unlogged_reviews()?;
    if unlogged > 0 {
        writeln!(
            out,
            "logs: {} from before syncing are not in {} yet; the next prep command writes them",
            format::count(unlogged, "review"),
            dir.display()
        )?;
        return Ok(None);
    }
    let found = store.log_disagreements()?;
    let mut refolded = store.refold_all(true)?;
    // Told once: these are reported against their history.
    refolded.retain(|card| !disagreeing.contains(card));
    writeln!(
        out,
        "logs: {}{}",
        dir.display(),
        if found.not_in_store.is_empty() {
            String::new()
        } else {
            format!(
                ", {} not applied yet (the next prep command applies them)",
                format::count(found.not_in_store.len() as u64, "line")
            )
        }
    )?;
    problems.extend(found.problems.iter().cloned());
    Ok(Some((found, refolded)))
}

/// Backs the database up, applies the logs, writes this device's missing
/// changes back to its log and folds the cards again.
fn repair(
    store: Store,
    settings: &Settings,
    disagreeing: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let backup = backup_path(&store, settings);
    store.backup_to(&backup)?;
    writeln!(out, "backup: {}", backup.display())?;
    let (mut store, caught) = crate::sync::attach(store, settings)?;
    let repaired = store.repair(disagreeing)?;
    writeln!(
        out,
        "repaired: {} applied from the logs, {} written back to this device's log, {} folded again from the logs ({} {} a state)",
        format::count(caught.applied as u64, "line"),
        format::count((caught.relogged + repaired.relogged) as u64, "change"),
        format::count(repaired.refolded.len() as u64, "card"),
        format::count(repaired.rebuilt, "card"),
        if repaired.rebuilt == 1 { "has" } else { "have" }
    )?;
    Ok(())
}

/// The problems to report without `--repair`: cards whose state
/// disagrees with their history, changes in no log, cards the logs fold
/// otherwise; each with the first few named.
fn report_disagreements(
    path: &str,
    dir: &Path,
    disagreeing: &[String],
    logs: Option<&(LogDisagreements, Vec<String>)>,
    problems: &mut Vec<String>,
) {
    if !disagreeing.is_empty() {
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
    }
    let Some((found, refolded)) = logs else {
        return;
    };
    if !found.not_in_logs.is_empty() {
        let shown: Vec<String> = found
            .not_in_logs
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect();
        problems.push(format!(
            "{path}: {} in the store {} in no log in {} ({}{}); run `prep check --repair` to write this device's back",
            format::count(found.not_in_logs.len() as u64, "change"),
            if found.not_in_logs.len() == 1 { "is" } else { "are" },
            dir.display(),
            shown.join(", "),
            if found.not_in_logs.len() > 5 { ", ..." } else { "" }
        ));
    }
    if !refolded.is_empty() {
        let shown: Vec<&str> = refolded.iter().take(5).map(String::as_str).collect();
        problems.push(format!(
            "{path}: {} {} a state other than the logs give ({}{}); run `prep check --repair`",
            format::count(refolded.len() as u64, "card"),
            if refolded.len() == 1 { "has" } else { "have" },
            shown.join(", "),
            if refolded.len() > 5 { ", ..." } else { "" }
        ));
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
