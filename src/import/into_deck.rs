/*!
Found cards merged into a deck: the import as a workflow, after the notes
are read. The deck is taken as this run left it (several files can go into
one deck) or as it is on disk, with its import record and the cards kept
as deleted; the three-way [`merge`](super::merge) decides card by card;
the record is brought up to date; the deck, its record and what `--prune`
took out are written when something changed (never in a dry run); and a
[`Report`] says what happened, for the command to print as text or JSON.
Nothing here prints.
*/

use foldhash::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{CardStatus, Field, FoundCard, Merged, Reconciled, Resolve, Skipped};
use crate::decks::collection::Collection;
use crate::decks::deck::{Card, Deck};
use crate::decks::deleted;
use crate::decks::import_record::{ImportRecord, NotesFile};

/// The report of one file, as printed with `--json`.
#[derive(Debug, Default, Serialize)]
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
    /// Cards whose edit in the deck was kept.
    pub kept: Vec<ReportDecision>,
    /// Cards changed in both the notes and the deck.
    pub conflicts: Vec<ReportDecision>,
    /// Ids given to `--from-notes=ID`/`--from-deck=ID` that name no card
    /// in conflict in this file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsettled: Vec<String>,
    pub removed: Vec<NamedCard>,
    /// Cards deleted in the deck whose notes did not change: they stay
    /// deleted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_deleted: Vec<NamedCard>,
    /// The cards updated from the notes, for the text report.
    #[serde(skip)]
    pub updated_cards: Vec<NamedCard>,
    pub pruned: bool,
    /// Where the cards `--prune` removed are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_pruned_in: Option<String>,
    /// Cards deleted earlier that the notes hold again, back under their
    /// own ids (with their review history).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restored: Vec<NamedCard>,
    pub skipped: Vec<Skipped>,
    /// The ids of the cards found, in the order they were found.
    #[serde(skip)]
    pub ids: Vec<String>,
    /// Ids given to cards typed into the deck without one, now written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids_written: Vec<String>,
    /// What else the report says: media left behind, history read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why this file's import failed, when it did (the deck is left as it
    /// is); printed as an `error:` line too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReportCard {
    #[serde(flatten)]
    pub card: Card,
    pub status: CardStatus,
}

#[derive(Debug, Serialize)]
pub struct NamedCard {
    pub id: String,
    pub question: String,
}

/// A card whose deck edit was kept, or that changed on both sides.
#[derive(Debug, Serialize)]
pub struct ReportDecision {
    pub id: String,
    pub question: String,
    /// The card's line in the deck file.
    pub deck_line: usize,
    /// The question's line in the notes.
    pub notes_line: usize,
    pub fields: Vec<Field>,
    /// For a conflict, each field's two versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<FieldVersions>,
}

/// A field's text in the deck and in the notes.
#[derive(Debug, Serialize)]
pub struct FieldVersions {
    pub field: Field,
    pub deck: String,
    pub notes: String,
}

/// A deck as this run leaves it, with its import record, so that several
/// files into one deck build on each other (also in a dry run, where
/// nothing is written).
#[derive(Debug, Clone, Default)]
pub struct Pending {
    pub deck: Deck,
    pub record: ImportRecord,
}

pub type PendingDecks = HashMap<String, Pending>;

/// Where found cards come from, for the report and the cards' sources.
pub struct Source<'a> {
    pub file: &'a Path,
    pub label: &'a str,
    pub title: Option<String>,
    pub format: &'static str,
    /// The notes file to record in the deck's import record, for notes
    /// that can be read again (not standard input, not Anki packages).
    pub notes_file: Option<NotesFile>,
}

/// What the person asked of the merge.
#[derive(Debug, Clone, Copy)]
pub struct MergeChoices<'a> {
    /// Take out of the deck the cards the notes no longer hold.
    pub prune: bool,
    /// Where a card changed in both the notes and the deck: keep the deck's
    /// and report it, or settle it for one side.
    pub conflicts: Resolve,
    /// The cards `conflicts` settles (ids or unique prefixes); all when
    /// empty.
    pub settle_only: &'a [String],
    /// Write nothing.
    pub dry_run: bool,
    /// List the cards themselves in the report (for `--json`).
    pub list_cards: bool,
}

/// Merges found cards into a deck (as this run left it, or as it is on
/// disk), writes the deck and its import record when something changed
/// (not in a dry run), and reports what happened. Finding no card changes
/// nothing.
pub fn merge_into(
    collection: &Collection,
    choices: MergeChoices,
    source: Source,
    deck_name: &str,
    found: Vec<FoundCard>,
    skipped: Vec<Skipped>,
    decks: &mut PendingDecks,
) -> Result<Report> {
    let file = source.file;
    let path = collection.user_deck_path(deck_name);
    let not_importing = || {
        format!(
            "not importing {}, the deck is left as it is",
            file.display()
        )
    };
    let pending = pending_deck(decks, deck_name, &path).with_context(not_importing)?;
    let nothing_found = found.is_empty();
    let home = collection.home();
    let deleted_earlier = if nothing_found {
        Vec::new()
    } else {
        deleted::kept_cards(home, deck_name).with_context(not_importing)?
    };
    let mut merged = super::merge_three_way(merge_input(
        &pending,
        deck_name,
        &source,
        found,
        choices,
        &deleted_earlier,
    ));
    // Write only when something changed, so re-importing leaves the file
    // (and its modification time) alone. Ids given to cards typed without
    // one are a change: they are written now.
    let changed = merged.deck != pending.deck
        || !pending.deck.assigned_ids.is_empty()
        || (!path.exists() && !merged.deck.cards.is_empty());
    let ids_written = if nothing_found {
        Vec::new()
    } else {
        pending.deck.assigned_ids.clone()
    };
    let Pending { deck, record } = if nothing_found {
        pending
    } else {
        merged_deck(pending, &mut merged, source.notes_file.clone())
    };
    let writes = !choices.dry_run && !nothing_found;
    // The deck's text, serialized once: to write it, and to name the lines
    // of the cards the report lists.
    let text = ((writes && changed) || !merged.decisions.is_empty()).then(|| deck.to_yaml());
    let files = DeckFiles {
        home,
        deck_name,
        path: &path,
        text: text.as_deref().filter(|_| changed),
    };
    let kept_pruned_in = if writes {
        files.write(&deck, &record, &merged, not_importing)?
    } else {
        None
    };
    let mut report = report_of(
        &deck,
        &merged,
        text.as_deref(),
        choices,
        Report {
            kept_pruned_in: kept_pruned_in.map(|path| path.display().to_string()),
            skipped,
            ids_written,
            ..Report::about(source, deck_name, &path, choices)
        },
    );
    if nothing_found {
        report.removed = Vec::new();
    }
    decks.insert(deck_name.to_string(), Pending { deck, record });
    Ok(report)
}

impl Report {
    /// A report on what `source` brings to the deck at `path`, before the
    /// merge says anything.
    fn about(source: Source, deck_name: &str, path: &Path, choices: MergeChoices) -> Report {
        Report {
            file: source.file.display().to_string(),
            deck: deck_name.to_string(),
            path: path.display().to_string(),
            title: source.title,
            format: source.format,
            dry_run: choices.dry_run,
            pruned: choices.prune,
            ..Report::default()
        }
    }
}

/// What the three-way merge is given, from the deck as it is and the
/// person's choices.
fn merge_input<'a>(
    pending: &'a Pending,
    deck_name: &'a str,
    source: &Source<'a>,
    found: Vec<FoundCard>,
    choices: MergeChoices<'a>,
    deleted_earlier: &'a [Card],
) -> super::MergeInput<'a> {
    super::MergeInput {
        existing: &pending.deck,
        imported: &pending.record.cards,
        reported: &pending.record.reported,
        deck_name,
        file_label: source.label,
        title: source.title.clone(),
        found,
        prune: choices.prune,
        conflicts: choices.conflicts,
        settle_only: choices.settle_only,
        deleted_earlier,
    }
}

/// The deck as this run left it, else as it is on disk, else a new one.
fn pending_deck(decks: &PendingDecks, deck_name: &str, path: &Path) -> Result<Pending> {
    Ok(match decks.get(deck_name) {
        Some(pending) => pending.clone(),
        // The record of a deck file that is gone speaks of nothing: the
        // cards it lists are not deleted, the file is.
        None if path.exists() => Pending {
            deck: Deck::load(path)?,
            record: ImportRecord::load(path)?,
        },
        None => Pending {
            deck: Deck::default(),
            record: ImportRecord::default(),
        },
    })
}

/// The deck as the merge leaves it, with its record brought up to date.
fn merged_deck(pending: Pending, merged: &mut Merged, notes_file: Option<NotesFile>) -> Pending {
    // Moved, not copied: a deck can be 100,000 cards.
    let mut record = pending.record;
    update_record(&mut record, merged, notes_file);
    Pending {
        deck: std::mem::take(&mut merged.deck),
        record,
    }
}

/// Brings the import record up to date with a merge: the fingerprints of
/// the cards imported now, what their report said, and the notes file.
fn update_record(record: &mut ImportRecord, merged: &mut Merged, notes_file: Option<NotesFile>) {
    let imported = std::mem::take(&mut merged.imported);
    let in_deck: HashSet<&str> = merged
        .deck
        .cards
        .iter()
        .map(|card| card.id.as_str())
        .collect();
    record
        .cards
        .retain(|id, _| in_deck.contains(id.as_str()) && !imported.contains_key(id));
    record.cards.extend(imported);
    // What this file's cards had reported is replaced by what they have
    // now.
    let reported = std::mem::take(&mut merged.reported);
    for (id, _) in &merged.statuses {
        record.reported.remove(id);
    }
    for (id, _) in &merged.left_deleted {
        record.reported.remove(id);
    }
    record.reported.extend(reported);
    let ImportRecord {
        cards, reported, ..
    } = record;
    reported.retain(|id, _| cards.contains_key(id));
    if let Some(notes_file) = notes_file {
        record.note_file(notes_file);
    }
}

/// The files an import writes for one deck.
struct DeckFiles<'a> {
    home: &'a Path,
    deck_name: &'a str,
    /// The deck file.
    path: &'a Path,
    /// The deck's new text, when it changed.
    text: Option<&'a str>,
}

impl DeckFiles<'_> {
    /// Keeps what `--prune` took out, writes the deck when it changed and
    /// its record when that changed, and takes the restored cards out of
    /// those kept as deleted. Returns where the pruned cards are kept.
    fn write(
        &self,
        deck: &Deck,
        record: &ImportRecord,
        merged: &Merged,
        not_importing: impl Fn() -> String,
    ) -> Result<Option<PathBuf>> {
        let mut kept_pruned_in = None;
        // What --prune takes out is kept before the deck loses it.
        if !merged.pruned.is_empty() {
            kept_pruned_in = Some(
                deleted::keep_cards(self.home, self.deck_name, &merged.pruned)
                    .with_context(not_importing)?,
            );
        }
        if let Some(text) = self.text {
            crate::decks::deck::write_atomically(self.path, text.as_bytes())?;
        }
        let order: Vec<&str> = deck.cards.iter().map(|card| card.id.as_str()).collect();
        let record_text = record.to_text(&order);
        let record_path = crate::decks::import_record::record_path(self.path);
        if std::fs::read_to_string(&record_path).ok().as_deref() != Some(record_text.as_str()) {
            crate::decks::deck::write_atomically(&record_path, record_text.as_bytes())?;
        }
        // Back in the deck: no longer kept as deleted.
        let restored: Vec<String> = merged.restored.iter().map(|(id, _)| id.clone()).collect();
        deleted::take_back(self.home, self.deck_name, &restored)?;
        Ok(kept_pruned_in)
    }
}

/// The report of a merge: `report` (which says where) completed with what
/// the merge did to the deck.
fn report_of(
    deck: &Deck,
    merged: &Merged,
    text: Option<&str>,
    choices: MergeChoices,
    report: Report,
) -> Report {
    let count = |status| merged.statuses.iter().filter(|(_, s)| *s == status).count();
    let index_of: HashMap<&str, usize> = deck
        .cards
        .iter()
        .enumerate()
        .map(|(index, card)| (card.id.as_str(), index))
        .collect();
    let card_named = |id: &String| {
        index_of.get(id.as_str()).map(|&index| NamedCard {
            id: id.clone(),
            question: deck.cards[index].question.clone(),
        })
    };
    let (kept, conflicts) = decisions(deck, merged, text, &index_of);
    Report {
        cards: if choices.list_cards {
            listed_cards(deck, merged, &index_of)
        } else {
            Vec::new()
        },
        found: merged.statuses.len(),
        added: count(CardStatus::Added),
        updated: count(CardStatus::Updated),
        unchanged: count(CardStatus::Unchanged)
            + count(CardStatus::Kept)
            + count(CardStatus::Conflict),
        kept,
        conflicts,
        unsettled: unsettled(choices.settle_only, merged),
        removed: named(&merged.removed),
        restored: named(&merged.restored),
        left_deleted: named(&merged.left_deleted),
        updated_cards: merged
            .statuses
            .iter()
            .filter(|(_, status)| *status == CardStatus::Updated)
            .filter_map(|(id, _)| card_named(id))
            .collect(),
        ids: merged.statuses.iter().map(|(id, _)| id.clone()).collect(),
        ..report
    }
}

/// The cards themselves, as the report lists them with `--json`. By id,
/// since a search of the deck per card would be quadratic in a document
/// of 100,000 questions.
fn listed_cards(deck: &Deck, merged: &Merged, index_of: &HashMap<&str, usize>) -> Vec<ReportCard> {
    merged
        .statuses
        .iter()
        .filter_map(|(id, status)| {
            index_of.get(id.as_str()).map(|&index| ReportCard {
                card: deck.cards[index].clone(),
                status: *status,
            })
        })
        .collect()
}

/// The cards whose deck edit was kept, and those in conflict, each with
/// its line in the deck's `text`.
fn decisions(
    deck: &Deck,
    merged: &Merged,
    text: Option<&str>,
    index_of: &HashMap<&str, usize>,
) -> (Vec<ReportDecision>, Vec<ReportDecision>) {
    // Only a report that names cards needs their lines.
    let card_lines = text
        .filter(|_| !merged.decisions.is_empty())
        .map(crate::decks::lines::written_card_lines)
        .unwrap_or_default();
    let decision = |decision: &Reconciled, fields: &[Field]| {
        let index = index_of.get(decision.id.as_str()).copied();
        ReportDecision {
            id: decision.id.clone(),
            question: index.map_or_else(String::new, |index| deck.cards[index].question.clone()),
            deck_line: index
                .and_then(|index| card_lines.get(index).copied())
                .unwrap_or(1),
            notes_line: decision.notes_line,
            fields: fields.to_vec(),
            versions: decision
                .versions
                .iter()
                .filter(|(field, _, _)| fields.contains(field))
                .map(|(field, deck, notes)| FieldVersions {
                    field: *field,
                    deck: deck.clone(),
                    notes: notes.clone(),
                })
                .collect(),
        }
    };
    let kept = merged
        .decisions
        .iter()
        .filter(|d| !d.kept.is_empty())
        .map(|d| decision(d, &d.kept))
        .collect();
    let conflicts = merged
        .decisions
        .iter()
        .filter(|d| !d.conflicts.is_empty() && !d.settled)
        .map(|d| decision(d, &d.conflicts))
        .collect();
    (kept, conflicts)
}

/// The ids given to settle that name no card in conflict here: a typo,
/// or a card of another file.
fn unsettled(settle_only: &[String], merged: &Merged) -> Vec<String> {
    settle_only
        .iter()
        .filter(|wanted| {
            !merged
                .decisions
                .iter()
                .any(|d| d.settled && d.id.starts_with(wanted.as_str()))
        })
        .cloned()
        .collect()
}

fn named(cards: &[(String, String)]) -> Vec<NamedCard> {
    cards
        .iter()
        .map(|(id, question)| NamedCard {
            id: id.clone(),
            question: question.clone(),
        })
        .collect()
}
