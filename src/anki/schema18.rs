//! Anki's schema 18, the collection of its newer packages: where schema 11
//! keeps note types and decks as JSON in the `col` row, schema 18 has
//! tables (`notetypes` with `fields` and `templates`, `decks`) whose
//! settings are protobuf messages. Read here into the JSON schema 11 holds
//! (the keys prep reads: `id`, `name`, `type`, `flds`, `tmpls`, `desc`), so
//! that the rest of the reader is one for both. Notes, cards and the review
//! log have the same tables in both schemas.

use anyhow::{Context, Result, anyhow};
use rusqlite::Connection;
use serde_json::{Map, Value, json};

use super::protobuf::{self, Value as Field};

/// The schema the newer packages hold.
pub const VERSION: i64 = 18;

/// Declares `unicase`, the collation Anki's schema-18 names are declared
/// with (Anki's own, case-insensitive in Unicode): SQLite refuses to plan a
/// query on a table whose index uses a collation it does not know.
pub fn add_collation(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_collation("unicase", |a, b| {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    })
}

/// The note types as schema 11's `col.models`: id to note type.
pub fn models(conn: &Connection) -> Result<Value> {
    let mut models = Map::new();
    let mut statement = conn.prepare("SELECT id, name, config FROM notetypes")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (id, name, config): (i64, String, Vec<u8>) = (row.get(0)?, row.get(1)?, row.get(2)?);
        // Notetype.Config: kind (1, 1 for cloze), css (3).
        let kind = protobuf::last(&config, 1)
            .ok()
            .flatten()
            .and_then(Field::varint)
            .unwrap_or(0);
        let css = protobuf::last(&config, 3)
            .ok()
            .flatten()
            .and_then(Field::string)
            .unwrap_or("");
        models.insert(
            id.to_string(),
            json!({
                "id": id, "name": name, "type": kind, "css": css,
                "flds": fields(conn, id)?, "tmpls": templates(conn, id)?,
            }),
        );
    }
    Ok(Value::Object(models))
}

fn fields(conn: &Connection, notetype: i64) -> Result<Vec<Value>> {
    let mut statement =
        conn.prepare("SELECT ord, name FROM fields WHERE ntid = ?1 ORDER BY ord")?;
    let rows = statement.query_map([notetype], |row| {
        Ok(json!({ "ord": row.get::<_, i64>(0)?, "name": row.get::<_, String>(1)? }))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn templates(conn: &Connection, notetype: i64) -> Result<Vec<Value>> {
    let mut statement =
        conn.prepare("SELECT ord, name, config FROM templates WHERE ntid = ?1 ORDER BY ord")?;
    let mut rows = statement.query([notetype])?;
    let mut templates = Vec::new();
    while let Some(row) = rows.next()? {
        let (ord, name, config): (i64, String, Vec<u8>) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let format = |number| -> Result<String> {
            Ok(protobuf::last(&config, number)
                .map_err(|err| anyhow!("template {name:?}: {err}"))?
                .and_then(Field::string)
                .unwrap_or("")
                .to_string())
        };
        // Template.Config: q_format (1), a_format (2).
        templates.push(json!({ "ord": ord, "name": name, "qfmt": format(1)?, "afmt": format(2)? }));
    }
    Ok(templates)
}

/// The decks as schema 11's `col.decks`: id to deck, with its name in
/// schema 11's `Parent::Child` form and its description.
pub fn decks(conn: &Connection) -> Result<Value> {
    let mut decks = Map::new();
    let mut statement = conn.prepare("SELECT id, name, kind FROM decks")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (id, name, kind): (i64, String, Vec<u8>) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let description = description(&kind).with_context(|| format!("deck {id}"))?;
        decks.insert(
            id.to_string(),
            json!({
                "id": id,
                // Schema 18 separates a subdeck's parts with the unit
                // separator, schema 11 with `::`.
                "name": name.replace('\u{1f}', "::"),
                "desc": description,
                "dyn": i64::from(protobuf::last(&kind, 2)?.is_some()),
            }),
        );
    }
    Ok(Value::Object(decks))
}

/// A deck's description: Deck.KindContainer's `normal` (1) holds it in
/// its field 4; a filtered deck (2) has none.
fn description(kind: &[u8]) -> Result<String> {
    let Some(normal) = protobuf::last(kind, 1)? else {
        return Ok(String::new());
    };
    let normal = normal.bytes().ok_or(protobuf::Damaged)?;
    Ok(protobuf::last(normal, 4)?
        .and_then(Field::string)
        .unwrap_or("")
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The collection of a fixture package, unpacked.
    fn fixture(name: &str, inner: &str) -> (tempfile::TempDir, Connection) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki")
            .join(name);
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let collection = dir.path().join("collection");
        let compression = if inner.ends_with('b') {
            super::super::zstd_package::Compression::Zstd
        } else {
            super::super::zstd_package::Compression::None
        };
        let mut file = std::fs::File::create(&collection).unwrap();
        super::super::zstd_package::unpack_entry(&mut zip, inner, compression, &mut file).unwrap();
        let conn =
            Connection::open_with_flags(&collection, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        add_collation(&conn).unwrap();
        (dir, conn)
    }

    #[test]
    fn note_types_and_decks_read_as_schema_11_holds_them() {
        let (_dir, newer) = fixture("anki-newer.apkg", "collection.anki21b");
        let (_dir2, legacy) = fixture("anki-legacy.apkg", "collection.anki21");
        let (models, decks): (String, String) = legacy
            .query_row("SELECT models, decks FROM col", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        let legacy_models: Value = serde_json::from_str(&models).unwrap();
        let legacy_decks: Value = serde_json::from_str(&decks).unwrap();
        // The keys schema 18 gives are schema 11's, with the same values.
        let models = models_of(&newer);
        for (id, model) in models.as_object().unwrap() {
            let old = &legacy_models[id];
            for key in ["id", "name", "type", "css"] {
                assert_eq!(model[key], old[key], "{key}");
            }
            for (list, keys) in [
                ("flds", &["name", "ord"][..]),
                ("tmpls", &["name", "ord", "qfmt", "afmt"]),
            ] {
                let (new, old) = (
                    model[list].as_array().unwrap(),
                    old[list].as_array().unwrap(),
                );
                assert_eq!(new.len(), old.len());
                for (new, old) in new.iter().zip(old) {
                    for key in keys {
                        assert_eq!(new[key], old[key], "{list} {key}");
                    }
                }
            }
        }
        assert!(
            models
                .as_object()
                .unwrap()
                .values()
                .any(|model| model["name"] == "Basic")
        );
        let decks = decks_of(&newer);
        let names = |decks: &Value| {
            let mut names: Vec<(String, String)> = decks
                .as_object()
                .unwrap()
                .values()
                .map(|deck| {
                    (
                        deck["name"].as_str().unwrap().to_string(),
                        deck["desc"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&decks), names(&legacy_decks));
        assert!(
            names(&decks)
                .iter()
                .any(|(name, _)| name == "Networking::Basics")
        );
    }

    fn models_of(conn: &Connection) -> Value {
        models(conn).unwrap()
    }

    fn decks_of(conn: &Connection) -> Value {
        decks(conn).unwrap()
    }

    #[test]
    fn a_decks_description_is_read_from_its_kind() {
        // What Anki writes for a deck with no description, and one with.
        assert_eq!(description(b"\x0a\x02\x08\x01").unwrap(), "");
        assert_eq!(
            description(b"\x0a\x08\x08\x01\x22\x04<b>T").unwrap(),
            "<b>T"
        );
        assert_eq!(description(b"\x12\x00").unwrap(), "", "a filtered deck");
        assert!(description(b"\x0a\x09\x08").is_err());
    }
}
