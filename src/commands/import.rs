//! `prep import [FILE|DIR|-]...`: read notes into decks and report what
//! was found, what changed, and what was skipped. Each file is done on its
//! own; a file that fails is reported with its path and the others go on.
//! With no file, every deck is imported again from the notes files its
//! import record names, so a folder of notes stays in step with its decks
//! in one command.

use foldhash::HashMapExt;
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use super::Outcome;
use super::import_report::{print_report, print_total};
use crate::Settings;
use crate::anki;
use crate::decks::collection::Collection;
use crate::decks::deck::{check_deck_name, slug};
use crate::decks::import_record::{ImportRecord, NotesFile};
use crate::decks::import_record::{recorded_path, resolve_path};
use crate::import;
use crate::import::into_deck::{MergeChoices, PendingDecks, Report, Source, merge_into};

pub struct Options {
    /// Files, directories, or `-` for standard input; none to import every
    /// deck again from its recorded notes.
    pub files: Vec<PathBuf>,
    pub deck: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub prune: bool,
    /// Also read an Anki package's review history into the store.
    pub with_progress: bool,
    /// Where a card changed in both the notes and the deck: keep the deck's
    /// and report it, or settle it for one side.
    pub conflicts: import::Resolve,
    /// The cards `conflicts` settles (ids or unique prefixes); all when
    /// empty.
    pub settle_only: Vec<String>,
    /// How the notes are written, when the detector should not judge; what
    /// is given here is recorded for the next import of the same notes.
    pub reading: import::Reading,
    /// Add the convention found and a decision per block to the report.
    pub explain: bool,
}

impl Options {
    /// What the merge of each deck is asked to do.
    pub(super) fn merge_choices(&self) -> MergeChoices<'_> {
        MergeChoices {
            prune: self.prune,
            conflicts: self.conflicts,
            settle_only: &self.settle_only,
            dry_run: self.dry_run,
            list_cards: self.json,
        }
    }
}

/// One thing to import: a file (or standard input) and the deck it goes
/// to, with the reading recorded for it.
struct Input {
    /// `None` for standard input.
    file: Option<PathBuf>,
    deck: Option<String>,
    recorded: Option<NotesFile>,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    if let Some(name) = &options.deck {
        check_deck_name(name)?;
    }
    let collection = settings.collection();
    let left_out_before = collection.bundled_left_out().unwrap_or_default();
    let mut failed = false;
    let inputs = if options.files.is_empty() {
        recorded_inputs(&collection, options, &mut failed)?
    } else {
        given_inputs(options)?
    };
    let mut decks = PendingDecks::new();
    let mut reports_done = Vec::new();
    for input in &inputs {
        match import_input(settings, &collection, options, input, &mut decks) {
            Ok(reports) => {
                for report in reports {
                    if options.json {
                        serde_json::to_writer(&mut *out, &report)?;
                        writeln!(out)?;
                    } else {
                        let deck = options.dry_run.then(|| &decks[&report.deck].deck);
                        print_report(out, &report, deck)?;
                    }
                    if let Some(error) = &report.error {
                        failed = true;
                        crate::messages::error(error);
                    }
                    for wanted in &report.unsettled {
                        failed = true;
                        out.flush()?;
                        crate::messages::error(format_args!(
                            "{}: no card in conflict has the id {wanted:?}; nothing was settled for it",
                            report.file
                        ));
                    }
                    if !report.conflicts.is_empty() {
                        failed = true;
                        out.flush()?;
                        crate::messages::error(format_args!(
                            "{}: {} changed in the notes and in deck {} since the last import; kept the deck's version; run `prep import {} --from-notes` to take the notes', or --from-deck to settle them as they are in the deck (`--from-notes=ID` settles one card)",
                            report.file,
                            plural(report.conflicts.len(), "card"),
                            report.path,
                            shell_word(&report.file),
                        ));
                    }
                    reports_done.push(report);
                }
            }
            Err(err) if super::is_broken_pipe(&err) => return Err(err),
            Err(err) => {
                failed = true;
                out.flush()?;
                crate::messages::error(format_args!("{err:#}"));
            }
        }
    }
    if !options.json && reports_done.len() > 1 {
        print_total(out, &reports_done)?;
    }
    if !options.json && !options.dry_run {
        tell_bundled_left_out(&collection, &left_out_before, out)?;
    }
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// Says so when this import made the first deck of the user's own, from
/// which on the bundled decks are used only when named.
fn tell_bundled_left_out(
    collection: &Collection,
    before: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let now = collection.bundled_left_out().unwrap_or_default();
    let newly: Vec<&String> = now.iter().filter(|name| !before.contains(name)).collect();
    if let Some(first) = newly.first() {
        let names: Vec<&str> = newly.iter().map(|name| name.as_str()).collect();
        writeln!(
            out,
            "Now that you have a deck of your own, the bundled decks ({}) stay out of quiz, stats, cards and export; name one to use it: prep quiz --deck {first}",
            names.join(", ")
        )?;
    }
    Ok(())
}

pub(super) fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// A path as a shell would need it typed.
fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|ch| ch.is_alphanumeric() || "/._-+:@%".contains(ch))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The files named on the command line, directories walked for notes.
fn given_inputs(options: &Options) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for file in &options.files {
        if file.as_os_str() == "-" {
            if options.deck.is_none() {
                return Err(anyhow!(
                    "reading notes from standard input needs --deck NAME to say where they go"
                ));
            }
            inputs.push(Input {
                file: None,
                deck: options.deck.clone(),
                recorded: None,
            });
        } else if file.is_dir() {
            let found = notes_below(file)?;
            if found.is_empty() {
                return Err(anyhow!(
                    "{}: no notes files (.md, .markdown, .txt, .org, .adoc, .asciidoc, .rst) below this directory",
                    file.display()
                ));
            }
            for (path, relative) in found {
                let deck = match &options.deck {
                    Some(deck) => Some(deck.clone()),
                    None => Some(dir_deck_name(&relative)),
                };
                inputs.push(Input {
                    file: Some(path),
                    deck,
                    recorded: None,
                });
            }
        } else {
            inputs.push(Input {
                file: Some(file.clone()),
                deck: options.deck.clone(),
                recorded: None,
            });
        }
    }
    Ok(inputs)
}

/// Whether a file is one `prep import DIR` takes as notes.
fn is_notes_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "md" | "markdown" | "txt" | "org" | "adoc" | "asciidoc" | "rst"
            )
        })
}

/// The notes files below `dir`, sorted, each with its path relative to
/// `dir`. Hidden files and directories (`.git`) are left out, and links to
/// directories are not followed, so a walk cannot loop.
fn notes_below(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let here = dir.join(&relative);
        let entries = std::fs::read_dir(&here)
            .with_context(|| format!("cannot read directory {}", here.display()))?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("cannot read directory {}", here.display()))?;
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            let inner = relative.join(&name);
            if kind.is_dir() {
                pending.push(inner);
            } else if is_notes_file(&entry.path()) && entry.path().is_file() {
                found.push((entry.path(), inner));
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

/// The deck a file found below a directory goes to: its path there, as a
/// slug (`k8s/pods.md` goes to `k8s-pods`), so two files of the same name
/// in different folders get different decks.
fn dir_deck_name(relative: &Path) -> String {
    let without_extension = relative.with_extension("");
    slug(&without_extension.to_string_lossy())
}

/// Every notes file the decks' records name (only `--deck`'s with it).
/// A recorded file that is gone is reported and its deck left alone.
fn recorded_inputs(
    collection: &Collection,
    options: &Options,
    failed: &mut bool,
) -> Result<Vec<Input>> {
    let names: Vec<String> = match &options.deck {
        Some(name) => vec![name.clone()],
        None => collection
            .list()?
            .into_iter()
            .filter(|entry| entry.origin == crate::DeckOrigin::User)
            .map(|entry| entry.name)
            .collect(),
    };
    let mut inputs = Vec::new();
    for name in &names {
        let path = collection.user_deck_path(name);
        let record = match ImportRecord::load(&path) {
            Ok(record) => record,
            Err(err) => {
                *failed = true;
                crate::messages::error(format_args!("{err:#}"));
                continue;
            }
        };
        for notes in record.notes {
            let file = resolve_path(&notes.path, collection.decks_dir());
            if !file.is_file() {
                *failed = true;
                crate::messages::error(format_args!(
                    "{}: the notes of deck {name} are gone; the deck is left as it is (import the notes from where they are now to record their new place)",
                    file.display()
                ));
                continue;
            }
            inputs.push(Input {
                file: Some(file),
                deck: Some(name.clone()),
                recorded: Some(notes),
            });
        }
    }
    if inputs.is_empty() && !*failed {
        let which = match &options.deck {
            Some(name) => format!("deck {name} records no notes file"),
            None => "no deck records a notes file".to_string(),
        };
        return Err(anyhow!(
            "{which} to import again; name the notes: `prep import notes.md` or `prep import DIR`"
        ));
    }
    Ok(inputs)
}

fn import_input(
    settings: &Settings,
    collection: &Collection,
    options: &Options,
    input: &Input,
    decks: &mut PendingDecks,
) -> Result<Vec<Report>> {
    let Some(file) = &input.file else {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        let deck = input.deck.clone().expect("standard input has a deck");
        return import_notes(
            settings,
            collection,
            options,
            Path::new("standard input"),
            "stdin",
            None,
            &deck,
            &bytes,
            &options.reading,
            decks,
        );
    };
    import_file(settings, collection, options, file, input, decks)
}

fn import_file(
    settings: &Settings,
    collection: &Collection,
    options: &Options,
    file: &Path,
    input: &Input,
    decks: &mut PendingDecks,
) -> Result<Vec<Report>> {
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
        && anki::text_files::is_anki_text(text)
    {
        let material = anki::read::notes_text(file, text)?;
        return super::import_anki::import(settings, options, file, &label, material, decks);
    }
    let deck_name = match &input.deck {
        Some(name) => name.clone(),
        None => file_deck_name(file)?,
    };
    // How to read the notes: as the command line says, else as recorded
    // the last time these notes went into this deck.
    let recorded = match &input.recorded {
        Some(recorded) => Some(recorded.clone()),
        None => match decks.get(&deck_name) {
            Some(pending) => pending
                .record
                .notes
                .iter()
                .find(|known| known.label == label)
                .cloned(),
            None => ImportRecord::load(&collection.user_deck_path(&deck_name))
                .ok()
                .and_then(|record| record.notes.into_iter().find(|known| known.label == label)),
        },
    };
    let reading = reading_for(options, recorded.as_ref(), file)?;
    let notes_file = NotesFile {
        label: label.clone(),
        path: recorded_path(file, collection.decks_dir()),
        questions: reading.questions.as_ref().map(ToString::to_string),
        answer_label: reading.answer_label.clone(),
        // Only what the user said: the extension says it again each time.
        format: options
            .reading
            .format
            .map(|format| format.name().to_string())
            .or_else(|| recorded.as_ref().and_then(|known| known.format.clone())),
    };
    import_notes(
        settings,
        collection,
        options,
        file,
        &label,
        Some(notes_file),
        &deck_name,
        &bytes,
        &reading,
        decks,
    )
}

/// The reading of `--format`, `--questions` and `--answer-label`, each
/// else as the deck's record has it for these notes (and the format else
/// as the extension says).
fn reading_for(
    options: &Options,
    recorded: Option<&NotesFile>,
    file: &Path,
) -> Result<import::Reading> {
    let mut reading = options.reading.clone();
    if reading.format.is_none()
        && let Some(format) = recorded.and_then(|known| known.format.as_deref())
    {
        reading.format = Some(format.parse().map_err(|err| {
            anyhow!(
                "{}: the recorded --format does not read ({err}); import with --format FORMAT to record another",
                file.display()
            )
        })?);
    }
    reading.format = reading.format.or_else(|| import::Format::from_path(file));
    if let Some(recorded) = recorded {
        if reading.questions.is_none()
            && let Some(questions) = &recorded.questions
        {
            reading.questions = Some(questions.parse().map_err(|err| {
                anyhow!(
                    "{}: the recorded --questions {questions:?} does not read ({err}); import with --questions FORM to record another",
                    file.display()
                )
            })?);
        }
        if reading.answer_label.is_none() {
            reading.answer_label = recorded.answer_label.clone();
        }
    }
    Ok(reading)
}

/// Reads notes from `bytes` and merges them into `deck_name`. A document
/// with no card writes nothing and says what was looked for.
#[allow(clippy::too_many_arguments)]
fn import_notes(
    settings: &Settings,
    collection: &Collection,
    options: &Options,
    file: &Path,
    label: &str,
    notes_file: Option<NotesFile>,
    deck_name: &str,
    bytes: &[u8],
    reading: &import::Reading,
    decks: &mut PendingDecks,
) -> Result<Vec<Report>> {
    let mut notes = import::read_notes_with(bytes, reading)
        .map_err(|err| anyhow!("{}: {err}", file.display()))?;
    if options.with_progress && notes.format != import::Format::Org {
        anyhow::bail!(
            "{}: --with-progress reads the review history of an Anki package (.apkg, .colpkg) or the org-drill data of an Org file; these notes carry none",
            file.display()
        );
    }
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    let lines: Vec<usize> = notes.cards.iter().map(|card| card.line).collect();
    let mut report = merge_into(
        collection,
        options.merge_choices(),
        Source {
            file,
            label,
            title: notes.title.clone(),
            format: notes.format.name(),
            notes_file,
        },
        deck_name,
        std::mem::take(&mut notes.cards),
        notes.skipped,
        decks,
    )?;
    if !notes.syntaxes.is_empty() && !options.explain {
        report.notes.push(format!(
            "read cards written for other tools: {}",
            notes.syntaxes
        ));
    }
    report.notes.extend(notes.advice);
    if options.with_progress && report.found > 0 {
        let history = super::import_drill::history(
            settings,
            options,
            &notes.drill_progress,
            &lines,
            &report,
            decks,
        )?;
        report.notes.extend(history);
    }
    if options.explain {
        report.notes.push(notes.convention);
        report.notes.extend(notes.roles);
        report.notes.extend(notes.decisions.iter().map(|decision| {
            let lines = if decision.first_line == decision.last_line {
                format!("line {}", decision.first_line)
            } else {
                format!("lines {}-{}", decision.first_line, decision.last_line)
            };
            format!("{lines}: {} ({})", decision.decision, decision.reason)
        }));
    }
    if empty {
        report.error = Some(format!(
            "{} is empty; write some questions and answers in it first",
            file.display()
        ));
    } else if report.found == 0 && report.left_deleted.is_empty() {
        report.error = Some(format!(
            "{}: no questions found (looked for headings, numbered, bulleted or bold questions, Q:/A: labels and question lines); deck {deck_name} is left as it is{}",
            file.display(),
            if report.skipped.is_empty() {
                ""
            } else {
                "; the skipped lines are listed in the report"
            }
        ));
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
