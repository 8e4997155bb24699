//! Images and sounds, both ways. A package names its media in a map from
//! zip entry to file name (JSON in the legacy packages, `{"0":
//! "router.png"}`; a zstd-compressed protobuf list in the newer ones, whose
//! entry `i` is zip entry `"i"` with its size and SHA-1). On import the
//! files the notes refer to are copied under `decks/media/DECK/` and the
//! references pointed at them; on export the local images (and sounds) a
//! card refers to go into the package under plain file names, as Anki
//! refers to them.
//!
//! A package is untrusted: a name that is not a plain file name (a path
//! separator, `..`, an absolute path, a NUL) is refused and reported, never
//! written, and characters that are unsafe in a file name elsewhere are
//! replaced, as Anki does. Names that then collide (or meet a different
//! file already in the folder) get a number.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::protobuf;
use crate::decks::media::{self as refs, Kind};

/// One entry of a package's media map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name notes refer to it by.
    pub name: String,
    /// The zip entry holding it.
    pub member: String,
    /// Its size and SHA-1, which the newer packages record.
    pub size: Option<u64>,
    pub sha1: Option<[u8; 20]>,
}

/// Reads a media map: JSON for the legacy packages, protobuf for the
/// newer ones. The error says what is wrong with it.
pub fn read_map(map: &[u8], newer: bool) -> Result<Vec<Entry>, String> {
    if !newer {
        let text = std::str::from_utf8(map).map_err(|_| "is not UTF-8".to_string())?;
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let map: HashMap<String, String> =
            serde_json::from_str(text).map_err(|err| format!("is damaged ({err})"))?;
        let mut entries: Vec<Entry> = map
            .into_iter()
            .map(|(member, name)| Entry {
                name,
                member,
                size: None,
                sha1: None,
            })
            .collect();
        entries.sort_by(|a, b| (a.member.len(), &a.member).cmp(&(b.member.len(), &b.member)));
        return Ok(entries);
    }
    let damaged = |err: protobuf::Damaged| format!("is damaged ({err})");
    let mut entries = Vec::new();
    for field in protobuf::fields(map) {
        let (number, value) = field.map_err(damaged)?;
        if number != 1 {
            continue;
        }
        let message = value.bytes().ok_or_else(|| damaged(protobuf::Damaged))?;
        let mut entry = Entry {
            name: String::new(),
            member: entries.len().to_string(),
            size: Some(0),
            sha1: None,
        };
        for field in protobuf::fields(message) {
            match field.map_err(damaged)? {
                (1, value) => {
                    entry.name = value
                        .string()
                        .ok_or("names a file in other than UTF-8".to_string())?
                        .to_string()
                }
                (2, value) => entry.size = value.varint(),
                (3, value) => entry.sha1 = value.bytes().and_then(|sha1| sha1.try_into().ok()),
                (255, value) => {
                    if let Some(member) = value.varint() {
                        entry.member = member.to_string();
                    }
                }
                _ => {}
            }
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// A file name safe to write in a media folder, or why there is none.
/// Separators, `.`/`..` and NUL are refused (the name would land
/// elsewhere); what Windows or a shell would trip on is replaced.
pub fn safe_file_name(name: &str) -> Result<String, &'static str> {
    if name.is_empty() {
        return Err("an empty name");
    }
    if name.contains(['/', '\\']) {
        return Err("a path, not a file name");
    }
    if name == "." || name == ".." {
        return Err("a folder, not a file name");
    }
    if name.contains('\0') {
        return Err("a name with a NUL in it");
    }
    if name.len() > 200 {
        return Err("a name longer than 200 bytes");
    }
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    // Windows drops trailing dots and spaces, which would merge names.
    let safe = safe.trim_end_matches(['.', ' ']);
    if safe.is_empty() {
        return Err("a name of dots and spaces");
    }
    Ok(safe.to_string())
}

/// `stem-N.ext`, the N-th alternative to a name (N from 2).
fn numbered(name: &str, number: usize) -> String {
    match name.rfind('.').filter(|&dot| dot > 0) {
        Some(dot) => format!("{}-{number}{}", &name[..dot], &name[dot..]),
        None => format!("{name}-{number}"),
    }
}

/// A media file read from a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// The name notes refer to it by.
    pub name: String,
    /// A safe file name for it, unique in the package.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An entry of the media map that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub name: String,
    pub why: String,
}

/// The media of a package that its notes refer to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageMedia {
    pub files: Vec<MediaFile>,
    /// How many files the package's media map lists.
    pub held: usize,
    pub refused: Vec<Refused>,
}

impl PackageMedia {
    /// Picks safe, unique file names for the entries notes refer to, and
    /// refuses the unsafe ones (whether referred to or not: a hostile
    /// name is worth a word). `read` unpacks an entry, checking its size;
    /// an entry that cannot be read is refused with its error.
    pub fn read(
        entries: &[Entry],
        wanted: &HashSet<String>,
        mut read: impl FnMut(&Entry) -> Result<Vec<u8>, String>,
    ) -> PackageMedia {
        let mut media = PackageMedia {
            held: entries.len(),
            ..PackageMedia::default()
        };
        let mut taken: HashSet<String> = HashSet::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for entry in entries {
            let safe = match safe_file_name(&entry.name) {
                Ok(safe) => safe,
                Err(why) => {
                    media.refused.push(Refused {
                        name: entry.name.clone(),
                        why: format!(
                            "{why}, which would be written outside the deck's media folder"
                        ),
                    });
                    continue;
                }
            };
            if !wanted.contains(&entry.name) || !seen.insert(&entry.name) {
                continue;
            }
            let bytes = match read(entry) {
                Ok(bytes) => bytes,
                Err(why) => {
                    media.refused.push(Refused {
                        name: entry.name.clone(),
                        why,
                    });
                    continue;
                }
            };
            // Case-insensitive file systems would make two of one.
            let mut file_name = safe.clone();
            let mut number = 1;
            while !taken.insert(file_name.to_lowercase()) {
                number += 1;
                file_name = numbered(&safe, number);
            }
            media.files.push(MediaFile {
                name: entry.name.clone(),
                file_name,
                bytes,
            });
        }
        media
    }
}

/// What pointing a deck's cards at its media needs written.
#[derive(Debug, Default)]
pub struct Placed {
    /// The deck's media folder.
    pub folder: PathBuf,
    /// Files to write: where, and the package file (by index).
    pub writes: Vec<(PathBuf, usize)>,
    /// Files the cards refer to that were in the folder already, the same.
    pub present: usize,
    /// Names the cards refer to that the package does not hold.
    pub missing: Vec<String>,
}

/// The folder of a deck's media, and how its cards refer to it.
pub fn folder(decks_dir: &Path, deck: &str) -> (PathBuf, String) {
    (decks_dir.join("media").join(deck), format!("media/{deck}"))
}

/// Points the references in a deck's cards' texts (questions and answers)
/// at the package's files, to be
/// copied under `decks/media/DECK/`: images stay images, sounds become
/// links. A file already there with other bytes is kept, and the new one
/// takes a numbered name.
pub fn place<'a>(
    texts: impl IntoIterator<Item = &'a mut String>,
    deck: &str,
    media: &PackageMedia,
    decks_dir: &Path,
) -> Placed {
    let (dir, relative) = folder(decks_dir, deck);
    let by_name: HashMap<&str, usize> = media
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| (file.name.as_str(), index))
        .collect();
    let mut placed = Placed {
        folder: dir.clone(),
        ..Placed::default()
    };
    let mut chosen: HashMap<usize, String> = HashMap::new();
    let mut missing: HashSet<String> = HashSet::new();
    let mut choose = |index: usize, placed: &mut Placed| -> String {
        if let Some(name) = chosen.get(&index) {
            return name.clone();
        }
        let file = &media.files[index];
        let mut name = file.file_name.clone();
        let mut number = 1;
        loop {
            let path = dir.join(&name);
            let taken_here = placed.writes.iter().any(|(written, _)| *written == path);
            match std::fs::read(&path) {
                Ok(bytes) if bytes == file.bytes => {
                    placed.present += 1;
                    break;
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !taken_here => {
                    placed.writes.push((path, index));
                    break;
                }
                _ => {
                    number += 1;
                    name = numbered(&file.file_name, number);
                }
            }
        }
        chosen.insert(index, name.clone());
        name
    };
    for text in texts {
        let rewritten = refs::rewrite(text, |reference| {
            let kind = reference.kind;
            if kind == Kind::Link {
                return None;
            }
            let Some(&index) = by_name.get(reference.target.as_str()) else {
                if !reference.target.starts_with(&relative) {
                    missing.insert(reference.target.clone());
                }
                return None;
            };
            let target = format!("{relative}/{}", choose(index, &mut placed));
            Some(match kind {
                Kind::Image => refs::image(&reference.text, &target),
                _ => refs::link(&reference.target, &target),
            })
        });
        *text = rewritten;
    }
    placed.missing = missing.into_iter().collect();
    placed.missing.sort();
    placed
}

/// The media names the notes' fields refer to.
pub fn referred(fields: impl IntoIterator<Item = impl AsRef<str>>) -> HashSet<String> {
    fields
        .into_iter()
        .flat_map(|field| super::html::to_markdown(field.as_ref()).media)
        .collect()
}

/// The files an export carries: a name in the package for each local
/// file a card refers to.
#[derive(Debug, Default)]
pub struct ExportMedia {
    /// Name in the package, and the file.
    pub files: Vec<(String, PathBuf)>,
    by_path: HashMap<PathBuf, String>,
    /// References to files that are not there: (deck, target).
    pub missing: Vec<(String, String)>,
}

/// Audio, which Anki plays with `[sound:name]`.
fn is_sound(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    [
        ".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac", ".aac",
    ]
    .iter()
    .any(|extension| lower.ends_with(extension))
}

impl ExportMedia {
    /// The markdown with each local image (and link to a sound) it refers
    /// to given a plain package name, found in the first of `bases` (the
    /// deck's folder, then the folders of its notes) that has it.
    pub fn carry(&mut self, markdown: &str, deck: &str, bases: &[PathBuf]) -> String {
        refs::rewrite(markdown, |reference| {
            if reference.kind == Kind::Link && !is_sound(&reference.target) {
                return None;
            }
            let Some(path) = refs::locate(&reference.target, bases) else {
                let missing = (deck.to_string(), reference.target.clone());
                if !self.missing.contains(&missing) {
                    self.missing.push(missing);
                }
                return None;
            };
            let name = self.name_for(path);
            Some(match reference.kind {
                Kind::Image => refs::image(&reference.text, &name),
                _ => format!("[sound:{name}]"),
            })
        })
    }

    fn name_for(&mut self, path: PathBuf) -> String {
        let path = path.canonicalize().unwrap_or(path);
        if let Some(name) = self.by_path.get(&path) {
            return name.clone();
        }
        // A plain file name, without the spaces an HTML `src` would have
        // to escape.
        let base = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .and_then(|name| safe_file_name(&name).ok())
            .unwrap_or_else(|| "media".to_string())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_");
        let mut name = base.clone();
        let mut number = 1;
        while self
            .files
            .iter()
            .any(|(taken, _)| taken.eq_ignore_ascii_case(&name))
        {
            number += 1;
            name = numbered(&base, number);
        }
        self.files.push((name.clone(), path.clone()));
        self.by_path.insert(path, name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused_and_odd_ones_made_safe() {
        for hostile in [
            "../../evil",
            "/etc/passwd",
            "a/b.png",
            "..\\x",
            "..",
            ".",
            "",
            "a\0b",
            "C:\\x",
        ] {
            assert!(safe_file_name(hostile).is_err(), "{hostile:?}");
        }
        assert_eq!(safe_file_name("router.png").unwrap(), "router.png");
        assert_eq!(safe_file_name("a:b?.png").unwrap(), "a_b_.png");
        assert_eq!(safe_file_name("x.png. ").unwrap(), "x.png");
        assert_eq!(safe_file_name("...").map_err(|_| ()), Err(()));
        assert_eq!(numbered("router.png", 2), "router-2.png");
        assert_eq!(numbered(".hidden", 3), ".hidden-3");
    }

    #[test]
    fn media_maps_of_both_formats_are_read() {
        let legacy = read_map(br#"{"1": "b.mp3", "0": "a.png", "10": "c.png"}"#, false).unwrap();
        let members: Vec<(&str, &str)> = legacy
            .iter()
            .map(|entry| (entry.member.as_str(), entry.name.as_str()))
            .collect();
        assert_eq!(members, [("0", "a.png"), ("1", "b.mp3"), ("10", "c.png")]);
        assert!(read_map(b"{", false).is_err());
        // Two entries as Anki writes them (the second with an explicit
        // zip entry, as for maps converted from legacy ones).
        let sha1 = [7u8; 20];
        let mut newer = vec![0x0a, 0x24, 0x0a, 0x0a];
        newer.extend_from_slice(b"router.png");
        newer.extend_from_slice(&[0x10, 0x49, 0x1a, 0x14]);
        newer.extend_from_slice(&sha1);
        newer.extend_from_slice(&[0x0a, 0x08, 0x0a, 0x03, b'b', b'.', b'x', 0xf8, 0x0f, 0x05]);
        let entries = read_map(&newer, true).unwrap();
        assert_eq!(
            entries,
            [
                Entry {
                    name: "router.png".into(),
                    member: "0".into(),
                    size: Some(73),
                    sha1: Some(sha1)
                },
                Entry {
                    name: "b.x".into(),
                    member: "5".into(),
                    size: Some(0),
                    sha1: None
                },
            ]
        );
        assert!(read_map(&newer[..10], true).is_err());
    }

    #[test]
    fn an_export_carries_local_images_and_sounds_under_plain_names() {
        let dir = tempfile::tempdir().unwrap();
        let (deck_dir, notes_dir) = (dir.path().join("decks"), dir.path().join("notes"));
        std::fs::create_dir_all(deck_dir.join("media/d")).unwrap();
        std::fs::create_dir_all(notes_dir.join("other")).unwrap();
        std::fs::write(deck_dir.join("media/d/a b.png"), "1").unwrap();
        std::fs::write(notes_dir.join("beep.mp3"), "2").unwrap();
        std::fs::write(notes_dir.join("other/a_b.png"), "3").unwrap();
        let bases = [deck_dir.clone(), notes_dir.clone()];
        let mut media = ExportMedia::default();
        let carried = media.carry(
            "![x](<media/d/a b.png>) [beep](beep.mp3) ![y](other/a_b.png) ![z](gone.png) [doc](notes.md)",
            "d",
            &bases,
        );
        assert_eq!(
            carried,
            "![x](a_b.png) [sound:beep.mp3] ![y](a_b-2.png) ![z](gone.png) [doc](notes.md)"
        );
        // The same file again takes the same name.
        assert_eq!(
            media.carry("![again](media/d/a%20b.png)", "d", &bases),
            "![again](a_b.png)"
        );
        let names: Vec<&str> = media.files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a_b.png", "beep.mp3", "a_b-2.png"]);
        assert_eq!(media.missing, [("d".to_string(), "gone.png".to_string())]);
    }

    #[test]
    fn an_imported_decks_references_point_at_its_media_folder() {
        let dir = tempfile::tempdir().unwrap();
        let media = PackageMedia {
            files: vec![
                MediaFile {
                    name: "r.png".into(),
                    file_name: "r.png".into(),
                    bytes: b"png".to_vec(),
                },
                MediaFile {
                    name: "b.mp3".into(),
                    file_name: "b.mp3".into(),
                    bytes: b"mp3".to_vec(),
                },
            ],
            held: 2,
            refused: Vec::new(),
        };
        let mut question = "What? ![](r.png)".to_string();
        let mut answer = "This. [sound:b.mp3] [sound:none.mp3] ![again](r.png)".to_string();
        let placed = place([&mut question, &mut answer], "net", &media, dir.path());
        assert_eq!(question, "What? ![](media/net/r.png)");
        assert_eq!(
            answer,
            "This. [b.mp3](media/net/b.mp3) [sound:none.mp3] ![again](media/net/r.png)"
        );
        let writes: Vec<(PathBuf, usize)> = placed.writes;
        assert_eq!(
            writes,
            [
                (dir.path().join("media/net/r.png"), 0),
                (dir.path().join("media/net/b.mp3"), 1)
            ]
        );
        assert_eq!(placed.missing, ["none.mp3"]);
    }

    fn entry(name: &str, member: &str) -> Entry {
        Entry {
            name: name.into(),
            member: member.into(),
            size: None,
            sha1: None,
        }
    }

    #[test]
    fn only_wanted_safe_entries_are_read_and_collisions_numbered() {
        let entries = [
            entry("a.png", "0"),
            entry("../../evil", "1"),
            entry("A.png", "2"),
            entry("unused.png", "3"),
            entry("bad.png", "4"),
        ];
        let wanted: HashSet<String> = ["a.png", "A.png", "../../evil", "bad.png"]
            .map(String::from)
            .into();
        let mut asked = Vec::new();
        let media = PackageMedia::read(&entries, &wanted, |entry| {
            asked.push(entry.member.clone());
            if entry.member == "4" {
                Err("damaged".to_string())
            } else {
                Ok(entry.member.as_bytes().to_vec())
            }
        });
        assert_eq!(
            asked,
            ["0", "2", "4"],
            "the hostile and the unused are not read"
        );
        let names: Vec<(&str, &str)> = media
            .files
            .iter()
            .map(|file| (file.name.as_str(), file.file_name.as_str()))
            .collect();
        assert_eq!(names, [("a.png", "a.png"), ("A.png", "A-2.png")]);
        assert_eq!(media.held, 5);
        assert_eq!(
            media
                .refused
                .iter()
                .map(|refused| refused.name.as_str())
                .collect::<Vec<_>>(),
            ["../../evil", "bad.png"]
        );
    }
}
