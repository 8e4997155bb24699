/*!
A deck's import record: what its notes said when they were last imported.

A re-import compares three versions of each card: the notes now, the deck
now, and the notes as they were last imported. Only with the third can it
tell an edit made in the deck (keep it) from one made in the notes (take
it). The record holds that third version as [`Fingerprint`]s, one per card,
and the notes files the deck was imported from (with the reading the user
chose for each), so `prep import` alone can re-import them all.

It lives beside the deck as a hidden file, `.NAME.imported.json`, so the
YAML a person reads and diffs carries no hashes, while the record still
travels with the deck when the decks folder is kept in git. One card per
line keeps its diffs small too. A missing record is no error (a deck typed
by hand, or written by an earlier prep): every difference between deck and
notes is then a conflict, resolved by the user, never guessed.
*/

use foldhash::{HashMap, HashMapExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use super::card_identity::Fingerprint;

/// The format of the record file; another number is refused with advice.
/// Format 2 added what was last reported (`reported`); format 1 records,
/// which have none, are read as they are.
const FORMAT: u32 = 2;
const FORMATS_READ: std::ops::RangeInclusive<u32> = 1..=FORMAT;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRecord {
    /// The notes files this deck was imported from, in the order first
    /// imported.
    pub notes: Vec<NotesFile>,
    /// Per card id, its fields as last imported.
    pub cards: HashMap<String, Fingerprint>,
    /// Per card id, the deck's edit of it that the last import reported as
    /// kept, so that it is said once, when first kept, and not on every
    /// import after.
    pub reported: HashMap<String, Reported>,
}

/// A deck edit an import reported as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    /// The card as the deck held it: [`Fingerprint::digest`] of its fields.
    Edit(u64),
    /// The card was deleted from the deck.
    Deletion,
}

impl Reported {
    const DELETION: &'static str = "deleted";
}

/// A notes file a deck is imported from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotesFile {
    /// The name cards' `source` fields carry (`notes.md` of `notes.md:12`).
    pub label: String,
    /// Where the file is: relative to the decks directory when it can be
    /// said so (a decks folder and its notes moved together keep working),
    /// else absolute.
    pub path: String,
    /// How the user said the notes are to be read (`--questions` and
    /// `--answer-label`), when they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_label: Option<String>,
    /// The format the user said the notes are in (`--format`), when they
    /// did: the extension or the content may say otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    #[serde(default)]
    notes: Vec<NotesFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardLine {
    id: String,
    question: String,
    answer: String,
    tags: String,
    #[serde(default)]
    reported: Option<String>,
}

pub use crate::decks::collection::record_path;

impl ImportRecord {
    /// The record of the deck at `deck_path`; none yet is an empty record.
    pub fn load(deck_path: &Path) -> Result<ImportRecord> {
        let path = record_path(deck_path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ImportRecord::default());
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        ImportRecord::parse(&text).map_err(|err| {
            anyhow!(
                "{}: {err}; delete it to import afresh (every difference between deck and notes is then reported as a conflict)",
                path.display()
            )
        })
    }

    fn parse(text: &str) -> Result<ImportRecord> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty());
        let Some((_, first)) = lines.next() else {
            return Ok(ImportRecord::default());
        };
        let header: Header = serde_json::from_str(first).map_err(|err| anyhow!("line 1: {err}"))?;
        if !FORMATS_READ.contains(&header.format) {
            return Err(anyhow!(
                "format {} is not one this prep reads (it reads 1 to {FORMAT}); a newer prep wrote it",
                header.format
            ));
        }
        let mut cards = HashMap::new();
        let mut reported = HashMap::new();
        for (number, line) in lines {
            let card: CardLine =
                serde_json::from_str(line).map_err(|err| anyhow!("line {}: {err}", number + 1))?;
            let hex = |field: &str| {
                u64::from_str_radix(field, 16)
                    .map_err(|_| anyhow!("line {}: {field:?} is not a fingerprint", number + 1))
            };
            let fingerprint = Fingerprint {
                question: hex(&card.question)?,
                answer: hex(&card.answer)?,
                tags: hex(&card.tags)?,
            };
            match card.reported.as_deref() {
                None => {}
                Some(Reported::DELETION) => {
                    reported.insert(card.id.clone(), Reported::Deletion);
                }
                Some(digest) => {
                    reported.insert(card.id.clone(), Reported::Edit(hex(digest)?));
                }
            }
            cards.insert(card.id, fingerprint);
        }
        Ok(ImportRecord {
            notes: header.notes,
            cards,
            reported,
        })
    }

    /// The file's text: a header line, then one line per card in the
    /// deck's order (ids not in `order` last, sorted), so that the same
    /// record always gives the same bytes.
    pub fn to_text(&self, order: &[&str]) -> String {
        let header = Header {
            format: FORMAT,
            notes: self.notes.clone(),
        };
        let mut text = serde_json::to_string(&header).expect("a header serializes");
        text.push('\n');
        let mut ids: Vec<&str> = order
            .iter()
            .copied()
            .filter(|id| self.cards.contains_key(*id))
            .collect();
        let listed: foldhash::HashSet<&str> = ids.iter().copied().collect();
        let mut rest: Vec<&str> = self
            .cards
            .keys()
            .map(String::as_str)
            .filter(|id| !listed.contains(id))
            .collect();
        rest.sort_unstable();
        ids.extend(rest);
        // The lines serde would write for a `CardLine`, written straight
        // into the text: a record can hold 100,000 cards.
        text.reserve(ids.len() * 110);
        for id in ids {
            let print = &self.cards[id];
            text.push_str(r#"{"id":"#);
            push_json_string(&mut text, id);
            text.push_str(r#","question":""#);
            push_hex(&mut text, print.question);
            text.push_str(r#"","answer":""#);
            push_hex(&mut text, print.answer);
            text.push_str(r#"","tags":""#);
            push_hex(&mut text, print.tags);
            match self.reported.get(id) {
                None => {}
                Some(Reported::Edit(digest)) => {
                    text.push_str(r#"","reported":""#);
                    push_hex(&mut text, *digest);
                }
                Some(Reported::Deletion) => {
                    text.push_str(r#"","reported":""#);
                    text.push_str(Reported::DELETION);
                }
            }
            text.push_str("\"}\n");
        }
        text
    }

    /// Writes the record beside the deck at `deck_path`, atomically.
    pub fn save(&self, deck_path: &Path, order: &[&str]) -> Result<()> {
        crate::decks::deck::write_atomically(
            &record_path(deck_path),
            self.to_text(order).as_bytes(),
        )
    }

    /// Records that the deck is imported from `file` (replacing an entry of
    /// the same label, which is the same notes moved).
    pub fn note_file(&mut self, file: NotesFile) {
        match self
            .notes
            .iter_mut()
            .find(|known| known.label == file.label)
        {
            Some(known) => *known = file,
            None => self.notes.push(file),
        }
    }
}

/// `text` as a JSON string, as serde_json writes it. An id holds no
/// quote, backslash or control character (the only ones JSON escapes)
/// unless it was typed so, and is then left to serde_json.
fn push_json_string(out: &mut String, text: &str) {
    if text
        .bytes()
        .all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\')
    {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).expect("a string serializes"));
    }
}

/// `value` as 16 lowercase hex digits, as `{:016x}` writes it.
fn push_hex(out: &mut String, value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[(value >> (shift * 4)) as usize & 0xf]));
    }
}

/// How to write `file` in a record kept in `decks_dir`: relative when both
/// are under one root, else absolute. Both are made absolute first.
pub fn recorded_path(file: &Path, decks_dir: &Path) -> String {
    let absolute = |path: &Path| {
        std::fs::canonicalize(path).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|dir| dir.join(path))
                .unwrap_or_else(|_| path.to_path_buf())
        })
    };
    let (file, dir) = (absolute(file), absolute(decks_dir));
    let file_parts: Vec<_> = file.components().collect();
    let dir_parts: Vec<_> = dir.components().collect();
    let shared = file_parts
        .iter()
        .zip(&dir_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Only the root in common: an absolute path says it better.
    if shared <= 1 {
        return file.display().to_string();
    }
    let mut relative = PathBuf::new();
    for _ in shared..dir_parts.len() {
        relative.push("..");
    }
    for part in &file_parts[shared..] {
        relative.push(part);
    }
    relative.display().to_string()
}

/// The file a record's path names, read from `decks_dir`, with `..`
/// taken out where it can be so the path reads as people would write it.
pub fn resolve_path(recorded: &str, decks_dir: &Path) -> PathBuf {
    let path = Path::new(recorded);
    // Relative to the directory as it really is, as `recorded_path` made
    // it, so a decks folder reached through a link resolves the same.
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::fs::canonicalize(decks_dir)
            .unwrap_or_else(|_| decks_dir.to_path_buf())
            .join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir
                if matches!(
                    clean.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_back_and_its_bytes_are_stable() {
        let mut record = ImportRecord::default();
        record.note_file(NotesFile {
            label: "k8s.md".into(),
            path: "../notes/k8s.md".into(),
            questions: Some("heading:2".into()),
            answer_label: None,
            format: None,
        });
        record
            .cards
            .insert("b".into(), Fingerprint::of("Q?", "A.", &["t".into()]));
        record
            .cards
            .insert("a".into(), Fingerprint::of("R?", "B.", &[]));
        record
            .cards
            .insert("c".into(), Fingerprint::of("S?", "C.", &[]));
        record
            .reported
            .insert("a".into(), Reported::Edit(0x0123_4567_89ab_cdef));
        record.reported.insert("c".into(), Reported::Deletion);
        let text = record.to_text(&["b"]);
        assert_eq!(
            text.lines().next().unwrap(),
            r#"{"format":2,"notes":[{"label":"k8s.md","path":"../notes/k8s.md","questions":"heading:2"}]}"#
        );
        let print = Fingerprint::of("Q?", "A.", &["t".into()]);
        assert_eq!(
            text.lines().nth(1).unwrap(),
            format!(
                r#"{{"id":"b","question":"{:016x}","answer":"{:016x}","tags":"{:016x}"}}"#,
                print.question, print.answer, print.tags
            )
        );
        let a = Fingerprint::of("R?", "B.", &[]);
        assert_eq!(
            text.lines().nth(2).unwrap(),
            format!(
                r#"{{"id":"a","question":"{:016x}","answer":"{:016x}","tags":"{:016x}","reported":"0123456789abcdef"}}"#,
                a.question, a.answer, a.tags
            )
        );
        assert!(
            text.lines()
                .nth(3)
                .unwrap()
                .ends_with(r#","reported":"deleted"}"#)
        );
        assert_eq!(ImportRecord::parse(&text).unwrap(), record);
    }

    #[test]
    fn a_format_1_record_reads_with_nothing_reported() {
        let print = Fingerprint::of("Q?", "A.", &[]);
        let text = format!(
            "{{\"format\":1,\"notes\":[]}}\n{{\"id\":\"b\",\"question\":\"{:016x}\",\"answer\":\"{:016x}\",\"tags\":\"{:016x}\"}}\n",
            print.question, print.answer, print.tags
        );
        let record = ImportRecord::parse(&text).unwrap();
        assert_eq!(record.cards["b"], print);
        assert!(record.reported.is_empty());
    }

    #[test]
    fn ids_and_fingerprints_are_written_as_serde_json_and_format_write_them() {
        for id in [
            "0a1b2c3d4e5f",
            "typed id",
            "q\"uote",
            "back\\slash",
            "tab\there",
            "\u{7f}é✓",
            "",
        ] {
            let mut text = String::new();
            push_json_string(&mut text, id);
            assert_eq!(text, serde_json::to_string(id).unwrap(), "{id:?}");
        }
        for value in [0, 1, 0xabc, u64::MAX, 0x0123_4567_89ab_cdef] {
            let mut text = String::new();
            push_hex(&mut text, value);
            assert_eq!(text, format!("{value:016x}"));
        }
    }

    #[test]
    fn a_damaged_or_newer_record_is_an_error_with_its_line() {
        let err = ImportRecord::parse("{\"format\":1}\n{\"id\":\"a\"}\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
        let err = ImportRecord::parse("{\"format\":9}\n").unwrap_err();
        assert!(err.to_string().contains("newer prep"), "{err}");
    }

    #[test]
    fn paths_are_relative_to_the_decks_directory() {
        let root = tempfile::tempdir().unwrap();
        let decks = root.path().join("home/decks");
        let notes = root.path().join("notes/k8s.md");
        std::fs::create_dir_all(&decks).unwrap();
        std::fs::create_dir_all(notes.parent().unwrap()).unwrap();
        std::fs::write(&notes, "x").unwrap();
        let recorded = recorded_path(&notes, &decks);
        assert_eq!(recorded, "../../notes/k8s.md");
        assert_eq!(
            std::fs::canonicalize(resolve_path(&recorded, &decks)).unwrap(),
            std::fs::canonicalize(&notes).unwrap()
        );
    }
}
