/*!
`prep export`: decks out of prep, as an Anki package (`apkg`, optionally
with each card's scheduling state and review history), Anki's text import
format (`csv`, `tsv`), or one plain Q&A markdown document per deck
(`markdown`) that `prep import` reads back to the same cards. Files are
written atomically; text formats go to standard output without `-o`.
*/

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use super::{Outcome, report_problems, schedulers};
use crate::Card;
use crate::Settings;
use crate::anki::package_media::ExportMedia;
use crate::anki::{package, text_files};
use crate::decks::catalog::Catalog;
use crate::decks::deck::write_atomically;
use crate::decks::media::media_bases;
use crate::decks::sides;
use crate::store::{Flags, Review, StoredCard};

/// What `--format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Apkg,
    Csv,
    Tsv,
    Markdown,
}

impl Format {
    /// The format a file name's extension names, in any case: `.apkg`,
    /// `.csv`, `.tsv` or `.txt` (Anki's text import), `.md` or `.markdown`.
    pub fn of_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "apkg" => Some(Format::Apkg),
            "csv" => Some(Format::Csv),
            "tsv" | "txt" => Some(Format::Tsv),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

pub struct Options {
    pub decks: Vec<String>,
    /// `--format`; without it, the extension of `output` says.
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
    pub with_progress: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let format = format_of(options)?;
    if options.with_progress && format != Format::Apkg {
        bail!(
            "--with-progress needs --format apkg: only an Anki package carries scheduling state and review history"
        );
    }
    let catalog = Catalog::load(&settings.collection(), &options.decks)?;
    if catalog.decks.is_empty() {
        bail!("no decks to export; import notes first with `prep import NOTES.md`");
    }
    match format {
        Format::Apkg => {
            let Some(path) = &options.output else {
                bail!("an Anki package is a file: say where with -o FILE.apkg");
            };
            write_package(settings, options, &catalog, path, out)?;
        }
        Format::Csv | Format::Tsv => {
            let separator = if format == Format::Csv {
                text_files::Separator::Comma
            } else {
                text_files::Separator::Tab
            };
            let body = text_files::notes_text(
                catalog
                    .decks
                    .iter()
                    .map(|loaded| (loaded.name.as_str(), &loaded.deck.cards[..])),
                separator,
            );
            emit(options, &body, out)?;
        }
        Format::Markdown => write_markdown(options, &catalog, out)?,
    }
    report_problems(&catalog.problems)
}

/// What the store knows of the cards, for a package with progress; empty
/// without.
#[derive(Default)]
struct Progress {
    states: HashMap<String, StoredCard>,
    reviews: Vec<Review>,
    flags: Flags,
}

impl Progress {
    fn read(settings: &Settings, catalog: &Catalog) -> Result<Progress> {
        let mut progress = Progress::default();
        if let Some(store) = crate::sync::open_existing_store(settings)? {
            progress.states = store.card_states()?;
            progress.flags = store.flags()?;
            store.for_each_review(None, |review| {
                if catalog.contains(&review.card_id) {
                    progress.reviews.push(review);
                }
                Ok(())
            })?;
        }
        Ok(progress)
    }
}

/// The decks as an Anki package at `path`, with progress if asked.
fn write_package(
    settings: &Settings,
    options: &Options,
    catalog: &Catalog,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    check_output(path)?;
    let schedulers = schedulers(settings)?;
    let config = schedulers.config();
    let now = settings.now.to_utc();
    let progress = if options.with_progress {
        Progress::read(settings, catalog)?
    } else {
        Progress::default()
    };
    let (carried, media) = carry_media(settings, catalog);
    let decks = export_decks(catalog, &carried, &progress);
    let scheduling = package::Scheduling {
        clock: schedulers.clock(),
        now,
        desired_retention: config.desired_retention,
        learning_steps: config.learning_steps.len(),
        relearning_steps: config.relearning_steps.len(),
    };
    let written = package::write(path, &decks, &scheduling, &media.files)?;
    writeln!(
        out,
        "wrote {} ({} from {}{}{}); import it in Anki with File > Import",
        path.display(),
        crate::format::count(written.notes as u64, "note"),
        crate::format::count(decks.len() as u64, "deck"),
        if options.with_progress {
            format!(
                ", with {}",
                crate::format::count(written.reviews as u64, "review")
            )
        } else {
            String::new()
        },
        if media.files.is_empty() {
            String::new()
        } else {
            format!(
                ", {}",
                crate::format::count(media.files.len() as u64, "media file")
            )
        }
    )?;
    for (deck, target) in &media.missing {
        writeln!(
            out,
            "media: {deck}: {target} is not there (looked beside the deck and its notes), so the package refers to it without the file"
        )?;
    }
    Ok(())
}

/// The decks as the package writes them: each card (as `carried`, its
/// media renamed) with its sides and what `progress` knows of each.
fn export_decks<'a>(
    catalog: &'a Catalog,
    carried: &'a [Vec<Card>],
    progress: &'a Progress,
) -> Vec<package::ExportDeck<'a>> {
    let by_card = package::reviews_by_card(&progress.reviews);
    catalog
        .decks
        .iter()
        .zip(carried)
        .map(|(loaded, cards)| package::ExportDeck {
            name: &loaded.name,
            title: loaded.deck.title.as_deref(),
            cards: cards
                .iter()
                .map(|card| package::ExportCard {
                    card,
                    sides: sides::sides_of(&loaded.deck, card)
                        .into_iter()
                        .map(|side| {
                            let id = side.review_id(&card.id);
                            package::ExportSide {
                                side,
                                suspended: progress.flags.is_suspended(&id),
                                state: progress.states.get(&id).map(|stored| stored.state),
                                reviews: by_card.get(id.as_str()).cloned().unwrap_or_default(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// One markdown document per deck: one to `-o FILE` or standard output,
/// several into the directory `-o` names or one after another to
/// standard output.
fn write_markdown(options: &Options, catalog: &Catalog, out: &mut dyn Write) -> Result<()> {
    let documents: Vec<(String, String)> = catalog
        .decks
        .iter()
        .map(|loaded| {
            let title = loaded
                .deck
                .title
                .clone()
                .unwrap_or_else(|| loaded.name.clone());
            (
                loaded.name.clone(),
                text_files::markdown(&title, &loaded.deck.cards),
            )
        })
        .collect();
    match (&options.output, documents.as_slice()) {
        (_, [(_, document)]) => emit(options, document, out)?,
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).map_err(|err| {
                anyhow::anyhow!(
                    "cannot create {}: {err}; with several decks -o names a directory",
                    dir.display()
                )
            })?;
            for (name, document) in &documents {
                let path = dir.join(format!("{name}.md"));
                write_atomically(&path, document.as_bytes())?;
                writeln!(out, "wrote {}", path.display())?;
            }
        }
        (None, _) => {
            for (index, (_, document)) in documents.iter().enumerate() {
                if index > 0 {
                    writeln!(out)?;
                }
                write!(out, "{document}")?;
            }
        }
    }
    Ok(())
}

/// The format to write: `--format`, else the one the output file's
/// extension names.
fn format_of(options: &Options) -> Result<Format> {
    const FORMATS: &str = "--format apkg, csv, tsv or markdown";
    match (options.format, &options.output) {
        (Some(format), _) => Ok(format),
        (None, Some(path)) => Format::of_path(path).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {} from its extension; pass {FORMATS}, or name the file .apkg, .csv, .tsv, .txt or .md",
                path.display()
            )
        }),
        (None, None) => {
            bail!("say what to write: {FORMATS}, or -o FILE with one of the extensions .apkg, .csv, .tsv, .txt or .md")
        }
    }
}

/// The decks' cards with the local images (and sounds) they refer to
/// given the names they have in the package, and those files. A path is
/// looked for beside the deck file, then beside each notes file the deck
/// was imported from.
fn carry_media(settings: &Settings, catalog: &Catalog) -> (Vec<Vec<Card>>, ExportMedia) {
    let decks_dir = settings.decks_dir();
    let mut media = ExportMedia::default();
    let carried = catalog
        .decks
        .iter()
        .map(|loaded| {
            let bases = media_bases(&decks_dir, &loaded.name);
            loaded
                .deck
                .cards
                .iter()
                .map(|card| Card {
                    question: media.carry(&card.question, &loaded.name, &bases),
                    answer: media.carry(&card.answer, &loaded.name, &bases),
                    ..card.clone()
                })
                .collect()
        })
        .collect();
    (carried, media)
}

/// An output file must be a file in a directory that exists: a mistyped
/// directory is an error, not a new directory.
fn check_output(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!(
            "{} is a directory; give a file name, such as {}",
            path.display(),
            path.join("decks.apkg").display()
        );
    }
    let parent = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty());
    if let Some(parent) = parent
        && !parent.is_dir()
    {
        bail!(
            "cannot write {}: the directory {} does not exist; create it first or choose another path",
            path.display(),
            parent.display()
        );
    }
    Ok(())
}

/// Text to `-o FILE` (atomically) or standard output.
fn emit(options: &Options, body: &str, out: &mut dyn Write) -> Result<()> {
    match &options.output {
        Some(path) => {
            check_output(path)?;
            write_atomically(path, body.as_bytes())?;
            writeln!(out, "wrote {}", path.display())?;
        }
        None => write!(out, "{body}")?,
    }
    Ok(())
}
