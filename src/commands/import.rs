//! `prep import FILE...`: read notes into decks and report what was found,
//! what changed, and what was skipped. Each file is done on its own; a file
//! that fails is reported with its path and the others go on.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::Serialize;

use super::Outcome;
use crate::Settings;
use crate::anki;
use crate::collection::Collection;
use crate::deck::{Card, Deck, check_deck_name, slug};
use crate::import::{self, CardStatus, SkipReason, Skipped};

pub struct Options {
    pub files: Vec<PathBuf>,
    pub deck: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub prune: bool,
    /// Also read an Anki package's review history into the store.
    pub with_progress: bool,
    /// How the notes are written, when the detector should not judge.
    pub reading: import::Reading,
    /// Add the convention found and a decision per block to the report.
    pub explain: bool,
}

/// The report of one file, as printed with `--json`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub file: String,
    pub deck: String,
    pub path: String,
    pub title: Option<String>,
    pub format: &'static str,
    pub dry_run: bool,
    /// The cards found, with --json only.
    pub cards: Vec<ReportCard>,
    /// How many cards were found.
    #[serde(skip)]
    pub found: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: Vec<RemovedCard>,
    pub pruned: bool,
    pub skipped: Vec<Skipped>,
    /// The ids of the cards found, in the order they were found.
    #[serde(skip)]
    pub ids: Vec<String>,
    /// What else the report says: media left behind, history read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ReportCard {
    #[serde(flatten)]
    pub card: Card,
    pub status: CardStatus,
}

#[derive(Debug, Serialize)]
pub struct RemovedCard {
    pub id: String,
    pub question: String,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    if let Some(name) = &options.deck {
        check_deck_name(name)?;
    }
    let collection = Collection::new(settings);
    // Decks as this run leaves them, so that several files into one deck
    // build on each other (also in a dry run, where nothing is written).
    let mut decks: HashMap<String, Deck> = HashMap::new();
    let mut failed = false;
    for file in &options.files {
        match import_file(settings, &collection, options, file, &mut decks) {
            Ok(reports) => {
                for report in reports {
                    if options.json {
                        serde_json::to_writer(&mut *out, &report)?;
                        writeln!(out)?;
                    } else {
                        let deck = options.dry_run.then(|| &decks[&report.deck]);
                        print_report(out, &report, deck)?;
                    }
                }
            }
            Err(err) if super::is_broken_pipe(&err) => return Err(err),
            Err(err) => {
                failed = true;
                eprintln!("error: {err:#}");
            }
        }
    }
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

fn import_file(
    settings: &Settings,
    collection: &Collection,
    options: &Options,
    file: &Path,
    decks: &mut HashMap<String, Deck>,
) -> Result<Vec<Report>> {
    if file.is_dir() {
        return Err(anyhow!(
            "{} is a directory; pass the notes files inside it",
            file.display()
        ));
    }
    let bytes = match std::fs::read(file) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!(
                "cannot read {}: no such file; check the path",
                file.display()
            )
        }
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => {
            anyhow::bail!(
                "cannot read {}: permission denied; make the file readable to you",
                file.display()
            )
        }
        read => read.with_context(|| format!("cannot read {}", file.display()))?,
    };
    let label = file.file_name().map_or_else(
        || file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let is_package = anki::read::is_zip(&bytes)
        || file
            .extension()
            .is_some_and(|extension| extension == "apkg" || extension == "colpkg");
    if is_package {
        let material = anki::read::package(file, &bytes)?;
        return super::import_anki::import(settings, options, file, &label, material, decks);
    }
    if let Ok(text) = std::str::from_utf8(&bytes)
        && anki::text::is_anki_text(text)
    {
        let material = anki::read::notes_text(file, text)?;
        return super::import_anki::import(settings, options, file, &label, material, decks);
    }
    if options.with_progress {
        anyhow::bail!(
            "{}: --with-progress reads the review history of an Anki package (.apkg, .colpkg); notes carry none",
            file.display()
        );
    }
    let mut notes = import::read_notes_with(&bytes, &options.reading)
        .map_err(|err| anyhow!("{}: {err}", file.display()))?;
    let deck_name = match &options.deck {
        Some(name) => name.clone(),
        None => file_deck_name(file)?,
    };
    let mut report = merge_into(
        collection,
        options,
        Source {
            file,
            label: &label,
            title: notes.title.clone(),
            format: if notes.markdown { "markdown" } else { "plain" },
        },
        &deck_name,
        std::mem::take(&mut notes.cards),
        notes.skipped,
        decks,
    )?;
    if options.explain {
        report.notes.push(notes.convention);
        report.notes.extend(notes.decisions.iter().map(|decision| {
            let lines = if decision.first_line == decision.last_line {
                format!("line {}", decision.first_line)
            } else {
                format!("lines {}-{}", decision.first_line, decision.last_line)
            };
            format!("{lines}: {} ({})", decision.decision, decision.reason)
        }));
    }
    Ok(vec![report])
}

/// The deck a file goes to without --deck: a slug of its name.
pub(super) fn file_deck_name(file: &Path) -> Result<String> {
    let stem = file
        .file_stem()
        .map(|stem| stem.to_string_lossy())
        .unwrap_or_default();
    let name = slug(&stem);
    if name.is_empty() {
        return Err(anyhow!(
            "{}: cannot make a deck name from this file name; pass --deck NAME",
            file.display()
        ));
    }
    Ok(name)
}

/// Where found cards come from, for the report and the cards' sources.
pub(super) struct Source<'a> {
    pub file: &'a Path,
    pub label: &'a str,
    pub title: Option<String>,
    pub format: &'static str,
}

/// Merges found cards into a deck (as this run left it, or as it is on
/// disk), writes the deck when something changed (not in a dry run), and
/// reports what happened.
#[allow(clippy::too_many_arguments)]
pub(super) fn merge_into(
    collection: &Collection,
    options: &Options,
    source: Source,
    deck_name: &str,
    found: Vec<import::FoundCard>,
    skipped: Vec<Skipped>,
    decks: &mut HashMap<String, Deck>,
) -> Result<Report> {
    let file = source.file;
    let path = collection.user_deck_path(deck_name);
    let existing = match decks.get(deck_name) {
        Some(deck) => deck.clone(),
        None if path.exists() => Deck::load(&path).with_context(|| {
            format!(
                "not importing {}, the deck is left as it is",
                file.display()
            )
        })?,
        None => Deck::default(),
    };
    let merged = import::merge(
        &existing,
        deck_name,
        source.label,
        source.title.clone(),
        found,
        options.prune,
    );
    // Write only when something changed, so re-importing leaves the file
    // (and its modification time) alone.
    let changed = merged.deck != existing || (!path.exists() && !merged.deck.cards.is_empty());
    if !options.dry_run && changed {
        merged.deck.save(&path)?;
    }
    let count = |status| merged.statuses.iter().filter(|(_, s)| *s == status).count();
    // The cards themselves are listed with --json only. By id, since a
    // search of the deck per card would be quadratic in a document of
    // 100,000 questions.
    let cards = if options.json {
        let by_id: HashMap<&str, &Card> = merged
            .deck
            .cards
            .iter()
            .map(|card| (card.id.as_str(), card))
            .collect();
        merged
            .statuses
            .iter()
            .filter_map(|(id, status)| {
                by_id.get(id.as_str()).map(|&card| ReportCard {
                    card: card.clone(),
                    status: *status,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let report = Report {
        file: file.display().to_string(),
        deck: deck_name.to_string(),
        path: path.display().to_string(),
        title: source.title,
        format: source.format,
        dry_run: options.dry_run,
        cards,
        found: merged.statuses.len(),
        added: count(CardStatus::Added),
        updated: count(CardStatus::Updated),
        unchanged: count(CardStatus::Unchanged),
        removed: merged
            .removed
            .iter()
            .map(|(id, question)| RemovedCard {
                id: id.clone(),
                question: question.clone(),
            })
            .collect(),
        pruned: options.prune,
        skipped,
        ids: merged.statuses.iter().map(|(id, _)| id.clone()).collect(),
        notes: Vec::new(),
    };
    decks.insert(deck_name.to_string(), merged.deck);
    Ok(report)
}

fn print_report(out: &mut dyn Write, report: &Report, dry_run_deck: Option<&Deck>) -> Result<()> {
    let verb = if report.dry_run {
        "would import"
    } else {
        "imported"
    };
    writeln!(
        out,
        "{verb} {} into deck {} ({})",
        report.file, report.deck, report.path
    )?;
    writeln!(
        out,
        "  {} cards: {} added, {} updated, {} unchanged",
        report.found, report.added, report.updated, report.unchanged
    )?;
    if report.found == 0 {
        writeln!(out, "  no questions found; see the skipped lines below")?;
    }
    if !report.removed.is_empty() {
        let what = if report.pruned {
            "removed from the deck"
        } else {
            "kept in the deck (pass --prune to remove them)"
        };
        writeln!(
            out,
            "  {} cards are no longer in the notes, {what}:",
            report.removed.len()
        )?;
        for card in &report.removed {
            writeln!(out, "    {}  {}", card.id, shorten(&card.question, 70))?;
        }
    }
    if !report.skipped.is_empty() {
        writeln!(out, "  skipped {} blocks:", report.skipped.len())?;
        // Navigation links repeat after every answer in some documents:
        // one line lists them all.
        let navigation: Vec<String> = report
            .skipped
            .iter()
            .filter(|skip| skip.reason == SkipReason::Navigation)
            .map(|skip| skip.first_line.to_string())
            .collect();
        if navigation.len() > 3 {
            let shown = navigation
                .iter()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let more = navigation.len().saturating_sub(8);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            writeln!(
                out,
                "    {} navigation links, lines {shown}{more}",
                navigation.len()
            )?;
        }
        for skip in &report.skipped {
            if navigation.len() > 3 && skip.reason == SkipReason::Navigation {
                continue;
            }
            let lines = if skip.first_line == skip.last_line {
                format!("line {}", skip.first_line)
            } else {
                format!("lines {}-{}", skip.first_line, skip.last_line)
            };
            writeln!(
                out,
                "    {lines:<14} {:<34} {}",
                skip.reason.describe(),
                skip.excerpt
            )?;
        }
    }
    for note in &report.notes {
        writeln!(out, "  {note}")?;
    }
    if let Some(deck) = dry_run_deck {
        writeln!(out, "  dry run: nothing written; the deck would read:\n")?;
        write!(out, "{}", deck.to_yaml())?;
    }
    Ok(())
}

fn shorten(text: &str, width: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= width {
        line.to_owned()
    } else {
        let mut short: String = line.chars().take(width - 1).collect();
        short.push('…');
        short
    }
}
