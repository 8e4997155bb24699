//! Anki packages (`.apkg`) as prep writes them: a zip holding an SQLite
//! collection in Anki's schema 11 (`collection.anki2`, the form every Anki
//! since 2.1 imports, 2.1.50 and the 2026 releases included) and the media
//! files the cards refer to ([`super::package_media`] names them). One note per
//! card, whose GUID is derived from the card id, so that importing a later
//! export updates the notes instead of adding them again. A plain card is a
//! note of type `prep` (Front, Back); a card with `reverse` one of type
//! `prep (and reversed card)`, Anki's "Basic (and reversed card)" (two
//! templates, the second answer to question); a cloze card one of type
//! `prep cloze`, Anki's "Cloze" (Text, Back Extra), with one Anki card per
//! cloze number (ord N-1).
//!
//! With progress, each card carries its scheduling state (Anki's card
//! type, queue, due and interval, and the FSRS memory state in the card's
//! data) and its reviews become Anki's review log.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::json;

use super::{guid, html, stable_id};
use crate::decks::deck::{Card, write_atomically};
use crate::decks::sides::Side;
use crate::schedule::{CardState, DayClock, Phase};
use crate::store::Review;

mod collection_settings;

/// Where the package's note and card ids start: a time in 2020, in
/// milliseconds, as Anki's ids are.
const NOTE_IDS: i64 = 1_600_000_000_000;

/// The schema Anki's legacy packages use.
const SCHEMA_VERSION: i64 = 11;

/// Anki's field separator.
pub const FIELD_SEPARATOR: char = '\u{1f}';

/// One card as written, a note in Anki, with the cards it gives.
pub struct ExportCard<'a> {
    pub card: &'a Card,
    /// One per card of the note, in the order of Anki's templates.
    pub sides: Vec<ExportSide<'a>>,
}

/// One card of a note, with what the store knows of it.
pub struct ExportSide<'a> {
    pub side: Side,
    /// With progress: the card's state, `None` for a new card.
    pub state: Option<CardState>,
    /// With progress: its reviews, oldest first.
    pub reviews: Vec<&'a Review>,
    /// With progress: suspended in prep, so suspended in Anki (queue -1).
    pub suspended: bool,
}

/// The note types prep writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NoteType {
    Basic,
    Reversed,
    Cloze,
}

impl NoteType {
    fn of(card: &ExportCard) -> NoteType {
        if card
            .sides
            .iter()
            .any(|side| matches!(side.side, Side::Cloze { .. }))
        {
            NoteType::Cloze
        } else if card.sides.iter().any(|side| side.side == Side::Reversed) {
            NoteType::Reversed
        } else {
            NoteType::Basic
        }
    }

    fn id(self) -> i64 {
        match self {
            // The id prep's plain notes have always had.
            NoteType::Basic => stable_id("prep note type"),
            NoteType::Reversed => stable_id("prep reversed note type"),
            NoteType::Cloze => stable_id("prep cloze note type"),
        }
    }
}

/// The template of a side: Anki's card `ord`.
fn ord(side: Side) -> i64 {
    match side {
        Side::Forward => 0,
        Side::Reversed => 1,
        Side::Cloze { number, .. } => i64::from(number) - 1,
    }
}

/// One deck to export.
pub struct ExportDeck<'a> {
    pub name: &'a str,
    /// The deck's title, kept as the Anki deck's description.
    pub title: Option<&'a str>,
    pub cards: Vec<ExportCard<'a>>,
}

/// What a package holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub notes: usize,
    pub reviews: usize,
}

/// The scheduling settings the package's cards are described with.
pub struct Scheduling {
    pub clock: DayClock,
    pub now: DateTime<Utc>,
    pub desired_retention: f32,
    /// How many learning steps a new card goes through, so that a card in
    /// its steps tells Anki how many are left.
    pub learning_steps: usize,
    pub relearning_steps: usize,
}

/// Writes `decks` as an Anki package at `path`, atomically, with the
/// `media` files (name in the package, file) the cards refer to.
pub fn write(
    path: &Path,
    decks: &[ExportDeck],
    scheduling: &Scheduling,
    media: &[(String, std::path::PathBuf)],
) -> Result<Written> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let collection = dir.path().join("collection.anki2");
    let written = write_collection(&collection, decks, scheduling)
        .with_context(|| format!("cannot write the collection for {}", path.display()))?;
    let bytes = std::fs::read(&collection)
        .with_context(|| format!("cannot read {}", collection.display()))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)?;
    zip.write_all(&bytes)?;
    // The legacy media map: zip entry "i" is the file named in entry i,
    // which Anki puts in its media folder under that name.
    let mut map = serde_json::Map::new();
    for (index, (name, file)) in media.iter().enumerate() {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        zip.start_file(index.to_string(), options)?;
        zip.write_all(&bytes)?;
        map.insert(index.to_string(), serde_json::Value::from(name.as_str()));
    }
    zip.start_file("media", options)?;
    zip.write_all(serde_json::Value::Object(map).to_string().as_bytes())?;
    let package = zip.finish()?.into_inner();
    write_atomically(path, &package)?;
    Ok(written)
}

fn write_collection(path: &Path, decks: &[ExportDeck], scheduling: &Scheduling) -> Result<Written> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch(SCHEMA)?;
    let deck_ids: Vec<i64> = decks
        .iter()
        .map(|deck| stable_id(&format!("deck {}", deck.name)))
        .collect();
    collection_settings::insert_col(&conn, decks, &deck_ids, scheduling)?;

    let tx = conn.transaction()?;
    let mut writer = NoteWriter {
        conn: &tx,
        scheduling,
        revlog_ids: revlog_ids(decks),
        used_ids: HashSet::new(),
        written: Written::default(),
    };
    let mut position = 0i64;
    for (deck, &deck_id) in decks.iter().zip(&deck_ids) {
        for export in &deck.cards {
            position += 1;
            writer.note(export, deck.name, deck_id, position)?;
        }
    }
    let written = writer.written;
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    Ok(written)
}

/// The id of each review in Anki's review log, by prep's review id. Anki's
/// review log is keyed by the time of each review in milliseconds; reviews
/// made in the same millisecond (a script, a fixed clock) take the next
/// free one, in the order prep made them.
fn revlog_ids(decks: &[ExportDeck]) -> HashMap<i64, i64> {
    let mut all_reviews: Vec<&Review> = decks
        .iter()
        .flat_map(|deck| {
            deck.cards
                .iter()
                .flat_map(|card| card.sides.iter())
                .flat_map(|side| side.reviews.iter().copied())
        })
        .collect();
    all_reviews.sort_by_key(|review| review.id);
    let mut revlog_ids: HashMap<i64, i64> = HashMap::with_capacity(all_reviews.len());
    let mut last_id = i64::MIN;
    for review in all_reviews {
        let id = review.reviewed_at.timestamp_millis().max(last_id + 1);
        revlog_ids.insert(review.id, id);
        last_id = id;
    }
    revlog_ids
}

/// Writes the notes, their cards and their reviews into the collection.
struct NoteWriter<'a> {
    conn: &'a Connection,
    scheduling: &'a Scheduling,
    revlog_ids: HashMap<i64, i64>,
    /// The note and card ids given so far.
    used_ids: HashSet<i64>,
    written: Written,
}

impl NoteWriter<'_> {
    /// `id`, or the next one free.
    fn unique(&mut self, mut id: i64) -> i64 {
        while !self.used_ids.insert(id) {
            id += 1;
        }
        id
    }

    /// One card as a note, the `position`th of the package, with its
    /// cards.
    fn note(
        &mut self,
        export: &ExportCard,
        deck_name: &str,
        deck_id: i64,
        position: i64,
    ) -> Result<()> {
        let card = export.card;
        // Anki lists notes by id (their creation time, for notes made
        // in Anki): ids that grow in deck order keep the deck's order.
        // Notes are matched by GUID, not id, so ids need not be
        // stable from one export to the next.
        let note_id = self.unique(NOTE_IDS + position);
        let front = html::to_html(&card.question);
        let back = html::to_html(&card.answer);
        let sort_field = card.question.trim();
        self.conn.execute(
            "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
            params![
                note_id,
                guid(&card.id),
                NoteType::of(export).id(),
                self.scheduling.now.timestamp(),
                tags(card, deck_name),
                format!("{front}{FIELD_SEPARATOR}{back}"),
                sort_field,
                checksum(sort_field),
            ],
        )?;
        self.written.notes += 1;
        for side in &export.sides {
            let card_id = self.unique(NOTE_IDS + position);
            self.card(side, card_id, note_id, deck_id, position)?;
            self.reviews(side, card_id)?;
        }
        Ok(())
    }

    /// One card of a note, scheduled as prep has it.
    fn card(
        &self,
        export: &ExportSide,
        card_id: i64,
        note_id: i64,
        deck_id: i64,
        position: i64,
    ) -> Result<()> {
        let mut scheduled = schedule(export.state.as_ref(), position, self.scheduling);
        if export.suspended {
            scheduled.queue = SUSPENDED_QUEUE;
        }
        self.conn.execute(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0, 0, ?14)",
            params![
                card_id,
                note_id,
                deck_id,
                ord(export.side),
                self.scheduling.now.timestamp(),
                scheduled.kind,
                scheduled.queue,
                scheduled.due,
                scheduled.interval,
                scheduled.factor,
                export.state.map_or(0, |state| state.reps),
                export.state.map_or(0, |state| state.lapses),
                scheduled.left,
                scheduled.data,
            ],
        )?;
        Ok(())
    }

    /// A card's reviews, as Anki's review log.
    fn reviews(&mut self, export: &ExportSide, card_id: i64) -> Result<()> {
        let mut last_interval = 0i64;
        for review in &export.reviews {
            let id = self.revlog_ids[&review.id];
            let transition = &review.transition;
            let interval = revlog_interval(&transition.state);
            self.conn.execute(
                "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    card_id,
                    transition.grade.rating(),
                    interval,
                    last_interval,
                    if transition.state.phase == Phase::Review {
                        2500
                    } else {
                        0
                    },
                    review.answer_ms.min(60_000),
                    revlog_kind(transition.phase_before),
                ],
            )?;
            last_interval = interval;
            self.written.reviews += 1;
        }
        Ok(())
    }
}

/// Anki's tags: the card's, with spaces made underscores (a tag is one
/// word there), and the deck's name; space-separated with a space at
/// either end, as Anki stores them.
fn tags(card: &Card, deck: &str) -> String {
    let mut tags: Vec<String> = card.tags.iter().map(|tag| tag_word(tag)).collect();
    let deck = tag_word(deck);
    if !tags.contains(&deck) {
        tags.push(deck);
    }
    format!(" {} ", tags.join(" "))
}

fn tag_word(tag: &str) -> String {
    tag.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Anki's duplicate check: the first 8 hex digits of the SHA-1 of the
/// sort field.
fn checksum(text: &str) -> i64 {
    let digest = sha1_smol::Sha1::from(text).digest().bytes();
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// Anki's queue of a suspended card, whatever its type.
pub const SUSPENDED_QUEUE: i64 = -1;

/// A card's columns in Anki's terms.
struct Scheduled {
    kind: i64,
    queue: i64,
    due: i64,
    interval: i64,
    factor: i64,
    left: i64,
    data: String,
}

fn schedule(state: Option<&CardState>, position: i64, scheduling: &Scheduling) -> Scheduled {
    let Some(state) = state else {
        return Scheduled {
            kind: 0,
            queue: 0,
            due: position,
            interval: 0,
            factor: 0,
            left: 0,
            data: String::new(),
        };
    };
    let clock = scheduling.clock;
    let data = json!({
        "s": round(state.stability),
        "d": round(state.difficulty),
        "dr": round(scheduling.desired_retention),
        "lrt": state.last_review.timestamp(),
    })
    .to_string();
    let steps_left = |steps: usize| {
        let left = steps.saturating_sub(state.step as usize).max(1) as i64;
        left * 1000 + left
    };
    match state.phase {
        Phase::Review | Phase::New => Scheduled {
            kind: 2,
            queue: 2,
            // Review cards are due on a day counted from the collection's
            // creation, which is today.
            due: clock.day(state.due) - clock.day(scheduling.now),
            interval: i64::from(state.interval_days.max(1)),
            factor: 2500,
            left: 0,
            data,
        },
        Phase::Learning | Phase::Relearning => Scheduled {
            kind: if state.phase == Phase::Learning { 1 } else { 3 },
            queue: 1,
            due: state.due.timestamp(),
            interval: if state.phase == Phase::Relearning {
                1
            } else {
                0
            },
            factor: if state.phase == Phase::Relearning {
                2500
            } else {
                0
            },
            left: steps_left(if state.phase == Phase::Learning {
                scheduling.learning_steps
            } else {
                scheduling.relearning_steps
            }),
            data,
        },
    }
}

/// Anki's revlog interval: days, or minus the seconds of a step.
fn revlog_interval(state: &CardState) -> i64 {
    match state.phase {
        Phase::Review => i64::from(state.interval_days),
        _ => -(state.due - state.last_review).num_seconds().max(1),
    }
}

/// Anki's revlog type: learning, review or relearning.
fn revlog_kind(before: Phase) -> i64 {
    match before {
        Phase::New | Phase::Learning => 0,
        Phase::Review => 1,
        Phase::Relearning => 2,
    }
}

fn round(value: f32) -> f64 {
    (f64::from(value) * 10_000.0).round() / 10_000.0
}

/// Anki's schema 11, as its legacy packages hold it.
pub const SCHEMA: &str = "
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null,
    usn integer not null, ls integer not null, conf text not null,
    models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null,
    mod integer not null, usn integer not null, tags text not null,
    flds text not null, sfld integer not null, csum integer not null,
    flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null,
    ord integer not null, mod integer not null, usn integer not null,
    type integer not null, queue integer not null, due integer not null,
    ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null,
    ease integer not null, ivl integer not null, lastIvl integer not null,
    factor integer not null, time integer not null, type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// Reviews by card id, for export with progress.
pub fn reviews_by_card(reviews: &[Review]) -> HashMap<&str, Vec<&Review>> {
    let mut by_card: HashMap<&str, Vec<&Review>> = HashMap::new();
    for review in reviews {
        by_card
            .entry(review.card_id.as_str())
            .or_default()
            .push(review);
    }
    by_card
}
