//! Anki packages (`.apkg`) as prep writes them: a zip holding an SQLite
//! collection in Anki's schema 11 (`collection.anki2`, the form every Anki
//! since 2.1 imports, 2.1.50 and the 2026 releases included) and the media
//! files the cards refer to ([`super::media`] names them). One note per
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

/// Where the package's note and card ids start: a time in 2020, in
/// milliseconds, as Anki's ids are.
const NOTE_IDS: i64 = 1_600_000_000_000;

/// The schema Anki's legacy packages use.
const SCHEMA_VERSION: i64 = 11;

/// Anki's field separator.
pub const FIELD_SEPARATOR: char = '\u{1f}';

/// How a card's note looks in Anki: the answer under the question, code
/// blocks and tables readable on a phone.
const CSS: &str = ".card { font-family: -apple-system, system-ui, sans-serif; font-size: 18px; text-align: left; color: black; background-color: white; }
.nightMode .card { color: #ddd; background-color: #222; }
pre { background: rgba(127,127,127,0.12); padding: 0.6em; border-radius: 4px; overflow-x: auto; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.5em; }
.cloze { font-weight: bold; color: #1a5fb4; }
.nightMode .cloze { color: #8ab4f8; }";

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
    let now = scheduling.now;
    let clock = scheduling.clock;
    let today = clock.day(now);
    let created = clock.start(today).timestamp();
    let model_id = NoteType::Basic.id();
    let deck_ids: Vec<i64> = decks
        .iter()
        .map(|deck| stable_id(&format!("deck {}", deck.name)))
        .collect();

    let mut anki_decks = serde_json::Map::new();
    anki_decks.insert("1".into(), deck_json(1, "Default", "", now));
    for (deck, id) in decks.iter().zip(&deck_ids) {
        let description = deck.title.unwrap_or("");
        anki_decks.insert(id.to_string(), deck_json(*id, deck.name, description, now));
    }
    let first_deck = deck_ids.first().copied().unwrap_or(1);
    // prep's plain note type (the collection's current one), and the
    // others where a note needs them.
    let used: HashSet<NoteType> = decks
        .iter()
        .flat_map(|deck| deck.cards.iter().map(NoteType::of))
        .collect();
    let models: serde_json::Map<String, serde_json::Value> =
        [NoteType::Basic, NoteType::Reversed, NoteType::Cloze]
            .into_iter()
            .filter(|kind| *kind == NoteType::Basic || used.contains(kind))
            .map(|kind| (kind.id().to_string(), model_json(kind, first_deck, now)))
            .collect();
    let models = serde_json::Value::Object(models);
    let total: usize = decks.iter().map(|deck| deck.cards.len()).sum();
    let conf = json!({
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": model_id.to_string(),
        "nextPos": total + 1, "sortType": "noteFld", "sortBackwards": false,
        "addToCur": true, "newBury": true,
        // Anki's v2/v3 scheduler, whose learning cards have four buttons:
        // without this, Anki reads the review log with the old
        // scheduler's three and turns Good on a learning card into Easy.
        "schedVer": 2, "sched2021": true,
    });
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, ?3, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            created,
            now.timestamp_millis(),
            SCHEMA_VERSION,
            conf.to_string(),
            models.to_string(),
            serde_json::Value::Object(anki_decks).to_string(),
            json!({ "1": options_json(scheduling) }).to_string(),
        ],
    )?;

    let tx = conn.transaction()?;
    let mut written = Written::default();
    let mut used_ids = HashSet::new();
    let mut unique = |mut id: i64| {
        while !used_ids.insert(id) {
            id += 1;
        }
        id
    };
    // Anki's review log is keyed by the time of each review in
    // milliseconds; reviews made in the same millisecond (a script, a
    // fixed clock) take the next free one, in the order prep made them.
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
    let mut position = 0i64;
    for (deck, &deck_id) in decks.iter().zip(&deck_ids) {
        for export in &deck.cards {
            let card = export.card;
            position += 1;
            // Anki lists notes by id (their creation time, for notes made
            // in Anki): ids that grow in deck order keep the deck's order.
            // Notes are matched by GUID, not id, so ids need not be
            // stable from one export to the next.
            let note_id = unique(NOTE_IDS + position);
            let front = html::to_html(&card.question);
            let back = html::to_html(&card.answer);
            let sort_field = card.question.trim();
            tx.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
                params![
                    note_id,
                    guid(&card.id),
                    NoteType::of(export).id(),
                    now.timestamp(),
                    tags(card, deck.name),
                    format!("{front}{FIELD_SEPARATOR}{back}"),
                    sort_field,
                    checksum(sort_field),
                ],
            )?;
            written.notes += 1;
            for export in &export.sides {
                let card_id = unique(NOTE_IDS + position);
                let mut scheduled = schedule(export.state.as_ref(), position, scheduling);
                if export.suspended {
                    scheduled.queue = SUSPENDED_QUEUE;
                }
                tx.execute(
                "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0, 0, ?14)",
                params![
                    card_id,
                    note_id,
                    deck_id,
                    ord(export.side),
                    now.timestamp(),
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
                let mut last_interval = 0i64;
                for review in &export.reviews {
                    let id = revlog_ids[&review.id];
                    let transition = &review.transition;
                    let interval = revlog_interval(&transition.state);
                    tx.execute(
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
                    written.reviews += 1;
                }
            }
        }
    }
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    Ok(written)
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

fn deck_json(id: i64, name: &str, description: &str, now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "id": id, "name": name, "mod": now.timestamp(), "usn": -1,
        "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
        "collapsed": false, "browserCollapsed": false, "desc": description, "dyn": 0, "conf": 1,
        "extendNew": 0, "extendRev": 0,
    })
}

fn model_json(kind: NoteType, deck_id: i64, now: DateTime<Utc>) -> serde_json::Value {
    let field = |name: &str, ord: usize| {
        json!({
            "name": name, "ord": ord, "sticky": false, "rtl": false,
            "font": "Arial", "size": 20, "media": [],
        })
    };
    let template = |name: &str, ord: usize, front: &str, back: &str| {
        json!({
            "name": name, "ord": ord, "qfmt": front, "afmt": back,
            "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
        })
    };
    let forward = template(
        "Card 1",
        0,
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
    );
    let (name, anki_type, fields, templates, req) = match kind {
        NoteType::Basic => (
            super::NOTE_TYPE,
            0,
            json!([field("Front", 0), field("Back", 1)]),
            json!([forward]),
            json!([[0, "any", [0]]]),
        ),
        NoteType::Reversed => (
            super::REVERSED_NOTE_TYPE,
            0,
            json!([field("Front", 0), field("Back", 1)]),
            json!([
                forward,
                template(
                    "Card 2",
                    1,
                    "{{Back}}",
                    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"
                )
            ]),
            json!([[0, "any", [0]], [1, "any", [1]]]),
        ),
        NoteType::Cloze => (
            super::CLOZE_NOTE_TYPE,
            1,
            json!([field("Text", 0), field("Back Extra", 1)]),
            json!([template(
                "Cloze",
                0,
                "{{cloze:Text}}",
                "{{cloze:Text}}<br>\n{{Back Extra}}"
            )]),
            json!([[0, "any", [0]]]),
        ),
    };
    json!({
        "id": kind.id(), "name": name, "type": anki_type, "mod": now.timestamp(), "usn": -1,
        "sortf": 0, "did": deck_id, "tags": [], "vers": [],
        "flds": fields,
        "tmpls": templates,
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": req,
    })
}

/// The options group the decks use: Anki's defaults, with prep's steps
/// and daily limits.
fn options_json(scheduling: &Scheduling) -> serde_json::Value {
    json!({
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {
            "delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500,
            "order": 1, "perDay": 20, "bury": false, "separate": true,
        },
        "lapse": { "delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8, "leechAction": 1 },
        "rev": {
            "perDay": 200, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "bury": false,
            "hardFactor": 1.2, "fuzz": 0.05, "minSpace": 1,
        },
        "desiredRetention": round(scheduling.desired_retention),
    })
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
