//! Anki material read back: packages (`.apkg`, `.colpkg`) in both forms
//! Anki writes, the schema-11 one of "Support older Anki versions" and the
//! newer one its export dialog writes by default (a zstd-compressed
//! schema-18 `collection.anki21b`, read through [`super::zstd_package`] and
//! [`super::schema18`]), with the media files their notes refer to
//! ([`super::package_media`]); and the text export ("Notes in Plain Text"). Zips
//! that hold no collection are refused with what to do. Nothing is written
//! here: the caller gets notes, reviews and media, and writes decks only
//! once the whole file was read.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, config::DbConfig};

use super::package::FIELD_SEPARATOR;
use super::package_media::{self as media, PackageMedia};
use super::zstd_package::{self, Compression};
use super::{schema18, text_files};

/// A note as Anki holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub guid: Option<String>,
    /// The deck of the note's first card (`Parent::Child` for subdecks).
    pub deck: Option<String>,
    /// That deck's description (prep keeps a deck's title there).
    pub deck_description: Option<String>,
    /// The fields, as HTML (or plain text, for a text export without
    /// `#html:true`).
    pub fields: Vec<String>,
    pub html: bool,
    pub tags: Vec<String>,
    /// What kind of note it is, by its note type's layout.
    pub kind: NoteKind,
    /// Anki's ids of the note's cards with their template (`ord`), lowest
    /// first, for its review log.
    pub cards: Vec<(i64, u32)>,
    /// Where the note is: its position in the package, or its line.
    pub position: usize,
}

/// The layouts of note type prep tells apart. They are told by their
/// shape, not their name: any standard note type with two templates whose
/// note has its second card is drilled both ways (Anki's "Basic (and
/// reversed card)", prep's `prep (and reversed card)`, one renamed by the
/// user), and any note type of Anki's cloze kind gives cloze cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoteKind {
    #[default]
    Basic,
    Reversed,
    Cloze,
}

/// One entry of Anki's review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub card: i64,
    pub at: DateTime<Utc>,
    /// 1-4.
    pub ease: u8,
    pub time_ms: u32,
}

/// What a file held.
#[derive(Debug, Clone, Default)]
pub struct Material {
    pub notes: Vec<Note>,
    pub reviews: Vec<Review>,
    /// The Anki cards suspended there (queue -1), by card id.
    pub suspended: std::collections::HashSet<i64>,
    /// The media files the notes refer to, from a package.
    pub media: PackageMedia,
}

/// The newest package version (Anki's `PackageMetadata.Version`) prep
/// reads: 1 and 2 are the schema-11 packages, 3 the zstd-compressed
/// `collection.anki21b`.
const NEWEST_VERSION: u64 = 3;

/// The version in a package's `meta` entry, a protobuf message whose one
/// field (number 1, a varint) is the version, written first; an empty
/// message is version 0, as protobuf leaves defaults out. None if it does
/// not start with the version.
fn package_version(meta: &[u8]) -> Option<u64> {
    let Some((&tag, rest)) = meta.split_first() else {
        return Some(0);
    };
    if tag != 0x08 {
        return None;
    }
    let mut version = 0u64;
    for (index, &byte) in rest.iter().enumerate().take(10) {
        version |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some(version);
        }
    }
    None
}

/// Whether bytes are a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Reads a package. Errors name the file and say what to do.
pub fn package(path: &Path, bytes: &[u8]) -> Result<Material> {
    let shown = path.display();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|err| {
        anyhow!("{shown}: not a readable zip archive ({err}); an Anki package (.apkg, .colpkg) is one: export it from Anki again")
    })?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .collect();
    let has = |name: &str| names.iter().any(|held| held == name);
    check_version(&mut zip, &shown)?;
    let inner = collection_entry(&names, &shown)?;
    let newer = inner == "collection.anki21b";
    let compression = if newer {
        Compression::Zstd
    } else {
        Compression::None
    };
    let entries = if has("media") {
        let mut map = Vec::new();
        zstd_package::unpack_entry(&mut zip, "media", compression, &mut map)
            .and_then(|_| media::read_map(&map, newer))
            .map_err(|err| anyhow!("{shown}: the media map {err}; export it from Anki again"))?
    } else {
        Vec::new()
    };
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let collection = dir.path().join("collection");
    {
        let mut file = std::fs::File::create(&collection)
            .with_context(|| format!("cannot write {}", collection.display()))?;
        let copied = zstd_package::unpack_entry(&mut zip, inner, compression, &mut file)
            .map_err(|err| anyhow!("{shown}: {inner} {err}; export it from Anki again"))?;
        if copied == 0 {
            bail!("{shown}: {inner} is empty; export the deck from Anki again");
        }
    }
    let mut material = read_collection(&collection)
        .map_err(|err| anyhow!("{shown}: {inner} is not an Anki collection prep can read ({err:#}); export it from Anki again"))?;
    let wanted = media::referred(material.notes.iter().flat_map(|note| &note.fields));
    material.media = PackageMedia::read(&entries, &wanted, |entry| {
        let mut bytes = Vec::new();
        zstd_package::unpack_entry(&mut zip, &entry.member, compression, &mut bytes)?;
        check_media_file(entry, &bytes)?;
        Ok(bytes)
    });
    Ok(material)
}

/// Refuses a package in a format newer than prep reads. The `meta` entry
/// (Anki 2.1.50 and later) says which format the package is in. A package
/// in a newer format still holds a stub collection.anki2 whose one note
/// asks to update Anki: reading that would make a deck of the stub, so the
/// version is checked first.
fn check_version(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    shown: &std::path::Display,
) -> Result<()> {
    let Ok(meta) = zip.by_name("meta") else {
        return Ok(());
    };
    let mut bytes = Vec::new();
    meta.take(64).read_to_end(&mut bytes).map_err(|err| {
        anyhow!("{shown}: the package's meta entry is damaged ({err}); export it from Anki again")
    })?;
    let version = package_version(&bytes).ok_or_else(|| {
        anyhow!("{shown}: the package's meta entry is not one prep understands; export it from Anki again with \"Support older Anki versions\" ticked")
    })?;
    if version > NEWEST_VERSION {
        bail!(
            "{shown}: this package is in a newer Anki format (package version {version}), which prep cannot read; in Anki, export the deck again with \"Support older Anki versions\" ticked"
        );
    }
    Ok(())
}

/// The entry holding the collection, the newest there: packages of Anki
/// 2.1.50 and later hold it compressed in schema 18, beside the stub.
fn collection_entry(names: &[String], shown: &std::path::Display) -> Result<&'static str> {
    let has = |name: &str| names.iter().any(|held| held == name);
    let Some(inner) = [
        "collection.anki21b",
        "collection.anki21",
        "collection.anki2",
    ]
    .into_iter()
    .find(|name| has(name)) else {
        let mut listed: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        if names.len() > 5 {
            listed.push("...");
        }
        bail!(
            "{shown}: not an Anki package: the zip holds no collection ({}); export the deck from Anki as an .apkg",
            if listed.is_empty() {
                "it is empty".to_string()
            } else {
                format!("it holds {}", listed.join(", "))
            }
        );
    };
    Ok(inner)
}

/// A media file as the media map describes it: its size and checksum.
fn check_media_file(entry: &media::Entry, bytes: &[u8]) -> Result<(), String> {
    if entry.size.is_some_and(|size| size != bytes.len() as u64) {
        return Err(format!(
            "its file is {} bytes where the media map says {}: the sizes do not add up",
            bytes.len(),
            entry.size.unwrap_or(0)
        ));
    }
    if entry
        .sha1
        .is_some_and(|sha1| sha1 != sha1_smol::Sha1::from(bytes).digest().bytes())
    {
        return Err("its file does not match the checksum in the media map".to_string());
    }
    Ok(())
}

fn read_collection(path: &Path) -> Result<Material> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // The collection is the package's, not the user's: no trigger, view or
    // schema-declared function of its may do more than read, and what a
    // crafted schema could do to SQLite's own structures is off.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    schema18::add_collation(&conn)?;
    let (models, decks) = note_types_and_decks(&conn)?;
    let layouts = layouts(&models);
    let deck_names = deck_names(&decks);
    let (note_cards, suspended) = cards_by_note(&conn)?;
    Ok(Material {
        notes: read_notes(&conn, note_cards, &layouts, &deck_names)?,
        reviews: read_reviews(&conn)?,
        suspended,
        media: PackageMedia::default(),
    })
}

type JsonById = HashMap<String, serde_json::Value>;

/// The collection's note types and decks, as schema 11's JSON: schema 18
/// keeps them in tables of their own, read as that JSON.
fn note_types_and_decks(conn: &Connection) -> Result<(JsonById, JsonById)> {
    let (version, models, decks): (i64, String, String) =
        conn.query_row("SELECT ver, models, decks FROM col", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let (models, decks) = if version >= schema18::VERSION {
        (
            schema18::models(conn)?.to_string(),
            schema18::decks(conn)?.to_string(),
        )
    } else {
        (models, decks)
    };
    if version > schema18::VERSION || models.trim().is_empty() {
        bail!("schema {version}, newer than the schemas 11 and 18 prep reads");
    }
    let decks: JsonById = serde_json::from_str(&decks)?;
    let models: JsonById = serde_json::from_str(&models)?;
    Ok((models, decks))
}

/// Note type id to (Anki's type: 1 for cloze; number of templates).
fn layouts(models: &JsonById) -> HashMap<i64, (i64, usize)> {
    models
        .iter()
        .filter_map(|(id, model)| {
            let id = model
                .get("id")
                .and_then(|id| id.as_i64())
                .or_else(|| id.parse().ok())?;
            let kind = model
                .get("type")
                .and_then(|kind| kind.as_i64())
                .unwrap_or(0);
            let templates = model
                .get("tmpls")
                .and_then(|templates| templates.as_array())
                .map_or(1, Vec::len);
            Some((id, (kind, templates)))
        })
        .collect()
}

/// Deck id to (name, description).
fn deck_names(decks: &JsonById) -> HashMap<i64, (String, String)> {
    decks
        .values()
        .filter_map(|deck| {
            let description = deck
                .get("desc")
                .and_then(|desc| desc.as_str())
                .unwrap_or("");
            Some((
                deck.get("id")?.as_i64()?,
                (
                    deck.get("name")?.as_str()?.to_string(),
                    description.to_string(),
                ),
            ))
        })
        .collect()
}

/// The cards of each note, by note id: (card, template, deck).
type NoteCards = HashMap<i64, Vec<(i64, u32, i64)>>;

/// The cards of each note, by template: the first one's deck is the
/// note's, and the review log names them. With the suspended cards.
fn cards_by_note(conn: &Connection) -> Result<(NoteCards, std::collections::HashSet<i64>)> {
    let mut note_cards: NoteCards = HashMap::new();
    let mut suspended = std::collections::HashSet::new();
    let mut statement =
        conn.prepare("SELECT nid, id, ord, did, queue FROM cards ORDER BY nid, ord")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (note, card, ord, deck): (i64, i64, i64, i64) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        if row.get::<_, i64>(4)? == super::package::SUSPENDED_QUEUE {
            suspended.insert(card);
        }
        let Ok(ord) = u32::try_from(ord) else {
            continue;
        };
        note_cards.entry(note).or_default().push((card, ord, deck));
    }
    Ok((note_cards, suspended))
}

fn read_notes(
    conn: &Connection,
    mut note_cards: NoteCards,
    layouts: &HashMap<i64, (i64, usize)>,
    deck_names: &HashMap<i64, (String, String)>,
) -> Result<Vec<Note>> {
    let mut notes = Vec::new();
    let mut statement = conn.prepare("SELECT id, guid, tags, flds, mid FROM notes ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let fields: String = row.get(3)?;
        let tags: String = row.get(2)?;
        let model: i64 = row.get(4)?;
        let cards = note_cards.remove(&id).unwrap_or_default();
        let first = cards.first().map(|&(card, _, deck)| (card, deck));
        let kind = match layouts.get(&model) {
            Some((1, _)) => NoteKind::Cloze,
            Some((_, 2)) if cards.iter().any(|&(_, ord, _)| ord == 1) => NoteKind::Reversed,
            _ => NoteKind::Basic,
        };
        notes.push(Note {
            guid: Some(row.get::<_, String>(1)?),
            deck: first.and_then(|(_, deck)| deck_names.get(&deck).map(|(name, _)| name.clone())),
            deck_description: first
                .and_then(|(_, deck)| {
                    deck_names
                        .get(&deck)
                        .map(|(_, description)| description.clone())
                })
                .filter(|description| !description.trim().is_empty()),
            fields: fields.split(FIELD_SEPARATOR).map(str::to_string).collect(),
            html: true,
            tags: tags.split_whitespace().map(str::to_string).collect(),
            kind,
            cards: cards.iter().map(|&(card, ord, _)| (card, ord)).collect(),
            position: notes.len() + 1,
        });
    }
    Ok(notes)
}

/// The review log's answered reviews.
fn read_reviews(conn: &Connection) -> Result<Vec<Review>> {
    let mut reviews = Vec::new();
    let mut statement = conn.prepare("SELECT id, cid, ease, time, type FROM revlog ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (id, card, ease, time, kind): (i64, i64, i64, i64, i64) = (
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
        );
        // Learning, review, relearning and filtered-deck reviews were
        // answered; manual reschedules (ease 0) were not.
        if !(1..=4).contains(&ease) || !(0..=3).contains(&kind) {
            continue;
        }
        let Some(at) = DateTime::from_timestamp_millis(id) else {
            continue;
        };
        reviews.push(Review {
            card,
            at,
            ease: ease as u8,
            time_ms: u32::try_from(time.clamp(0, 60_000)).unwrap_or(60_000),
        });
    }
    Ok(reviews)
}

/// Reads Anki's text export.
pub fn notes_text(path: &Path, text: &str) -> Result<Material> {
    let html = text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .any(|line| line.trim() == "#html:true");
    let notes =
        text_files::read_notes_text(text).map_err(|err| anyhow!("{}: {err}", path.display()))?;
    Ok(Material {
        notes: notes
            .into_iter()
            .map(|note| Note {
                guid: note.guid,
                deck: note.deck,
                deck_description: None,
                fields: note.fields,
                html,
                tags: note.tags,
                kind: NoteKind::Basic,
                cards: Vec::new(),
                position: note.line,
            })
            .collect(),
        reviews: Vec::new(),
        suspended: Default::default(),
        media: PackageMedia::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_versions_are_read_from_the_meta_entry() {
        // What Anki 26 writes for a legacy and for a current package.
        assert_eq!(package_version(b"\x08\x02"), Some(2));
        assert_eq!(package_version(b"\x08\x03"), Some(3));
        assert_eq!(package_version(b""), Some(0));
        assert_eq!(package_version(b"\x08\x96\x01"), Some(150));
        assert_eq!(package_version(b"\x08\x96"), None, "cut short");
        assert_eq!(package_version(b"\x12\x00"), None, "not the version");
        assert_eq!(
            package_version(&[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ]),
            None
        );
    }
}
