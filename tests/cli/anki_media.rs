//! Anki packages as Anki writes them today, and their media: the same deck
//! exported by Anki in the legacy and in the default (newer) format gives
//! the same prep deck, history and image file; hostile packages (media
//! names that climb out of their folder, sizes that do not add up, a
//! collection that decompresses past prep's bound) are refused, and
//! nothing lands outside the deck's media folder.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use crate::util::{Home, json_values};

const NOW: &str = "2026-12-01T10:00:00Z";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

/// A package's entries: name and bytes.
type Entries = Vec<(String, Vec<u8>)>;

/// The entries of a package, by name.
fn entries(package: &Path) -> Entries {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(package).unwrap()).unwrap();
    (0..zip.len())
        .map(|index| {
            let mut entry = zip.by_index(index).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn zip_with(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The package with `name`'s entry replaced (or added).
fn with_entry(entries: &[(String, Vec<u8>)], name: &str, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut changed: Vec<(String, Vec<u8>)> = entries
        .iter()
        .filter(|(held, _)| held != name)
        .cloned()
        .collect();
    changed.push((name.to_string(), bytes));
    changed
}

/// A zstd frame holding `bytes` in one raw block, as a test writes one
/// without an encoder.
fn zstd_raw(bytes: &[u8]) -> Vec<u8> {
    assert!(bytes.len() < 128 << 10);
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
    let header = 1 | ((bytes.len() as u32) << 3);
    frame.extend_from_slice(&header.to_le_bytes()[..3]);
    frame.extend_from_slice(bytes);
    frame
}

/// A zstd frame of `blocks` blocks of 128 KiB of zeros, four bytes each.
fn zstd_bomb(blocks: usize) -> Vec<u8> {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
    for index in 0..blocks {
        let header = u32::from(index + 1 == blocks) | (1 << 1) | ((128 << 10) << 3);
        frame.extend_from_slice(&header.to_le_bytes()[..3]);
        frame.push(0);
    }
    frame
}

/// Anki's protobuf media map: (name, size) per entry, no checksum.
fn media_map(files: &[(&str, u64)]) -> Vec<u8> {
    let mut map = Vec::new();
    for (name, size) in files {
        let mut entry = vec![0x0a, name.len() as u8];
        entry.extend_from_slice(name.as_bytes());
        entry.push(0x10);
        let mut size = *size;
        while size >= 0x80 {
            entry.push((size as u8) | 0x80);
            size >>= 7;
        }
        entry.push(size as u8);
        map.push(0x0a);
        map.push(entry.len() as u8);
        map.extend_from_slice(&entry);
    }
    map
}

fn import(home: &Home, package: &Path) -> String {
    home.prep()
        .args(["import", "--with-progress"])
        .arg(package)
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run()
        .stdout
}

fn history(home: &Home) -> Vec<serde_json::Value> {
    json_values(
        &home
            .prep()
            .args(["history", "--json"])
            .env("PREP_NOW", NOW)
            .any_stdout()
            .run()
            .stdout,
    )
}

/// The image Anki put in both fixtures.
fn router_png() -> Vec<u8> {
    entries(&fixture("anki-legacy.apkg"))
        .into_iter()
        .find(|(name, _)| name == "0")
        .unwrap()
        .1
}

#[test]
fn both_package_formats_give_the_same_deck_history_and_image() {
    let legacy = Home::new();
    let newer = Home::new();
    // A dry run says what it would copy, and copies nothing.
    newer
        .prep()
        .args(["import", "--dry-run"])
        .arg(fixture("anki-newer.apkg"))
        .stdout_contains("media: would copy 1 file into [HOME]/decks/media/networking-basics")
        .unchanged()
        .run();
    let said = import(&legacy, &fixture("anki-legacy.apkg"));
    assert!(said.contains("media: copied 1 file into"), "{said}");
    let said = import(&newer, &fixture("anki-newer.apkg"));
    assert!(said.contains("into deck networking-basics"), "{said}");
    assert!(said.contains("media: copied 1 file into"), "{said}");
    assert!(
        said.contains("read 3 reviews of 3 cards from the history"),
        "{said}"
    );
    assert!(
        said.contains("media: 1 file the notes refer to is not in the package, so its reference stays as it is: router.mp3"),
        "{said}"
    );
    let deck = newer.read("decks/networking-basics.yaml");
    assert_eq!(
        deck.replace("anki-newer.apkg", "X"),
        legacy
            .read("decks/networking-basics.yaml")
            .replace("anki-legacy.apkg", "X")
    );
    assert!(deck.contains("question: What does **DNS** do?"), "{deck}");
    assert!(
        deck.contains("![](media/networking-basics/router.png)"),
        "{deck}"
    );
    let image = newer
        .path()
        .join("decks/media/networking-basics/router.png");
    assert_eq!(std::fs::read(image).unwrap(), router_png());
    assert!(router_png().starts_with(b"\x89PNG"));
    let (legacy, newer_history) = (history(&legacy), history(&newer));
    assert_eq!(newer_history.len(), 3);
    assert_eq!(newer_history, legacy);

    // The same package again: the file is there already, nothing changes.
    let before = newer.snapshot();
    let said = import(&newer, &fixture("anki-newer.apkg"));
    assert!(said.contains("media: copied 0 files into"), "{said}");
    assert!(said.contains("1 file there already"), "{said}");
    let changes = before.changes_to(&newer.snapshot());
    assert!(
        !changes.iter().any(|change| change.contains("media")),
        "{changes:?}"
    );
}

#[test]
fn a_different_file_of_the_same_name_is_kept_and_the_new_one_numbered() {
    let home = Home::new();
    home.write("decks/media/networking-basics/router.png", "mine");
    let said = import(&home, &fixture("anki-newer.apkg"));
    assert!(said.contains("media: copied 1 file into"), "{said}");
    assert_eq!(
        home.read("decks/media/networking-basics/router.png"),
        "mine"
    );
    let deck = home.read("decks/networking-basics.yaml");
    assert!(
        deck.contains("![](media/networking-basics/router-2.png)"),
        "{deck}"
    );
    assert_eq!(
        std::fs::read(
            home.path()
                .join("decks/media/networking-basics/router-2.png")
        )
        .unwrap(),
        router_png()
    );
}

#[test]
fn media_names_that_climb_out_of_the_folder_are_refused_and_nothing_is_written() {
    let home = Home::new();
    let outside = home.path().join("evil-absolute");
    let absolute = outside.display().to_string();
    // The legacy format: the JSON map names the zip entries.
    let legacy = entries(&fixture("anki-legacy.apkg"));
    let map = serde_json::json!({ "0": "../../evil", "1": absolute }).to_string();
    let mut hostile = with_entry(&legacy, "media", map.into_bytes());
    hostile.push(("1".to_string(), b"owned".to_vec()));
    zip_with(&home.path().join("hostile-legacy.apkg"), &hostile);
    // The newer format: the protobuf map, entry i in zip entry "i".
    let newer = entries(&fixture("anki-newer.apkg"));
    let mut hostile = with_entry(
        &newer,
        "media",
        zstd_raw(&media_map(&[("../../evil", 73), (&absolute, 5)])),
    );
    hostile.push(("1".to_string(), zstd_raw(b"owned")));
    zip_with(&home.path().join("hostile-newer.apkg"), &hostile);

    for package in ["hostile-legacy.apkg", "hostile-newer.apkg"] {
        let before = home.snapshot();
        let said = home
            .prep()
            .args(["import", package])
            .env("PREP_NOW", NOW)
            .any_stdout()
            .run()
            .stdout;
        assert!(
            said.contains("media: refused the package's entry \"../../evil\": a path, not a file name, which would be written outside the deck's media folder"),
            "{said}"
        );
        assert!(
            // The harness shows the home as [HOME].
            said.contains("media: refused the package's entry \"[HOME]/evil-absolute\": a path"),
            "{said}"
        );
        // The notes' image is not among the entries, so it is missing.
        assert!(said.contains("not in the package"), "{said}");
        let changes = before.changes_to(&home.snapshot());
        assert!(
            changes
                .iter()
                .all(|change| change[2..].starts_with("decks") && !change.contains("evil")),
            "{changes:?}"
        );
        assert!(!outside.exists());
        assert!(!home.path().join("evil").exists());
        assert!(!home.path().join("decks/media").exists());
    }
}

#[test]
fn a_media_file_whose_size_does_not_add_up_is_refused() {
    let home = Home::new();
    let newer = entries(&fixture("anki-newer.apkg"));
    let lying = with_entry(
        &newer,
        "media",
        zstd_raw(&media_map(&[("router.png", 9999)])),
    );
    zip_with(&home.path().join("lying.apkg"), &lying);
    let said = import(&home, &home.path().join("lying.apkg"));
    assert!(
        said.contains("media: refused the package's entry \"router.png\": its file is 73 bytes where the media map says 9999: the sizes do not add up"),
        "{said}"
    );
    assert!(!home.path().join("decks/media").exists());
    // The reference stays as Anki wrote it.
    assert!(
        home.read("decks/networking-basics.yaml")
            .contains("![](router.png)")
    );
}

#[test]
fn a_collection_that_decompresses_past_the_bound_is_refused() {
    let home = Home::new();
    let newer = entries(&fixture("anki-newer.apkg"));
    // 2.4 KB that would unpack to 75 MiB, past the 64 MiB an entry that
    // small may unpack to.
    let bomb = with_entry(&newer, "collection.anki21b", zstd_bomb(600));
    zip_with(&home.path().join("bomb.apkg"), &bomb);
    let mut media_bomb = with_entry(&newer, "media", zstd_bomb(600));
    media_bomb.retain(|(name, _)| name != "collection.anki2");
    zip_with(&home.path().join("media-bomb.apkg"), &media_bomb);
    let before = home.snapshot();
    home.prep()
        .args(["import", "bomb.apkg"])
        .stderr_contains("bomb.apkg: collection.anki21b unpacks to more than 67108864 bytes, more than prep reads from an entry of its size; export it from Anki again")
        .status(1)
        .run();
    home.prep()
        .args(["import", "media-bomb.apkg"])
        .stderr_contains("media-bomb.apkg: the media map unpacks to more than 67108864 bytes")
        .status(1)
        .run();
    assert_eq!(before.changes_to(&home.snapshot()), Vec::<String>::new());
}

/// The notes of the package's collection (Front, Back) and its media map
/// with each file's bytes.
fn package_notes_and_media(package: &Path) -> (Vec<(String, String)>, Entries) {
    let held = entries(package);
    let get = |name: &str| {
        held.iter()
            .find(|(held, _)| held == name)
            .map(|(_, bytes)| bytes.clone())
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let collection = dir.path().join("collection.anki2");
    std::fs::write(&collection, get("collection.anki2")).unwrap();
    let conn = rusqlite::Connection::open(&collection).unwrap();
    let mut statement = conn.prepare("SELECT flds FROM notes ORDER BY id").unwrap();
    let notes = statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|fields| {
            let fields = fields.unwrap();
            let (front, back) = fields.split_once('\u{1f}').unwrap();
            (front.to_string(), back.to_string())
        })
        .collect();
    let map: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&get("media")).unwrap();
    let media = map
        .into_iter()
        .map(|(entry, name)| (name, get(&entry)))
        .collect();
    (notes, media)
}

#[test]
fn images_go_out_with_the_package_and_come_back() {
    let home = Home::new();
    // Notes with an image beside them, and one that is not there.
    home.write("notes/img/diagram one.png", b"\x89PNG diagram");
    home.write(
        "notes/net.md",
        "# Net\n\n## What does a router do?\n\nForwards packets. ![the diagram](img/diagram%20one.png)\n\n\
         ## What is a switch?\n\nA box. ![gone](img/missing.png) ![remote](https://example.org/x.png)\n",
    );
    home.prep()
        .args(["import", "notes/net.md"])
        .any_stdout()
        .run();
    let package = home.path().join("net.apkg");
    home.prep()
        .args(["export", "--deck", "net", "--format", "apkg", "-o"])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .stdout_contains("(2 notes from 1 deck, 1 media file)")
        .stdout_contains("media: net: img/missing.png is not there (looked beside the deck and its notes), so the package refers to it without the file")
        .run();
    let (notes, media) = package_notes_and_media(&package);
    assert_eq!(
        media,
        [("diagram_one.png".to_string(), b"\x89PNG diagram".to_vec())]
    );
    assert!(
        notes[0]
            .1
            .contains(r#"<img src="diagram_one.png" alt="the diagram" />"#),
        "{notes:?}"
    );
    assert!(notes[1].1.contains(r#"src="img/missing.png""#), "{notes:?}");
    assert!(
        notes[1].1.contains(r#"src="https://example.org/x.png""#),
        "{notes:?}"
    );

    // And back into a fresh home: the file is copied beside the deck.
    let other = Home::new();
    let said = import(&other, &package);
    assert!(said.contains("media: copied 1 file into"), "{said}");
    assert_eq!(
        std::fs::read(other.path().join("decks/media/net/diagram_one.png")).unwrap(),
        b"\x89PNG diagram"
    );
    assert!(
        other
            .read("decks/net.yaml")
            .contains("![the diagram](media/net/diagram_one.png)")
    );
}

#[test]
fn an_image_imported_from_anki_goes_back_to_anki() {
    let home = Home::new();
    import(&home, &fixture("anki-newer.apkg"));
    let package = home.path().join("again.apkg");
    home.prep()
        .args(["export", "--format", "apkg", "-o"])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .stdout_contains("1 media file)")
        .run();
    let (notes, media) = package_notes_and_media(&package);
    assert_eq!(media, [("router.png".to_string(), router_png())]);
    let with_image = notes
        .iter()
        .find(|(front, _)| front.contains("<img"))
        .unwrap();
    assert!(
        with_image.0.contains(r#"<img src="router.png" alt="" />"#),
        "{with_image:?}"
    );
    // The sound the package did not hold stays as Anki wrote it.
    assert!(
        with_image.1.contains("[sound:router.mp3]"),
        "{with_image:?}"
    );
}

#[cfg(unix)]
#[test]
fn the_reviewer_names_an_image_and_opens_it_with_the_systems_opener() {
    use std::os::unix::fs::PermissionsExt;
    use std::time::Duration;

    use expectrl::{Eof, Expect, Session};

    let home = Home::new();
    // Without its history, so that the card is new, and shown.
    home.prep()
        .arg("import")
        .arg(fixture("anki-newer.apkg"))
        .any_stdout()
        .run();
    // An opener that says what it was asked to open.
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = home.path().join("opened");
    let opener = bin.join(prep::opener::NAME);
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let quiz = |path: &str| {
        let mut command = home.spawnable();
        command
            .args(["quiz", "--deck", "networking-basics", "--search", "router"])
            .env("TERM", "xterm-256color")
            .env("PATH", path);
        let mut quiz = Session::spawn(command).expect("a pseudo-terminal");
        quiz.get_process_mut().set_window_size(100, 30).unwrap();
        quiz.set_expect_timeout(Some(Duration::from_secs(20)));
        let shown = quiz
            .expect("router.png")
            .unwrap_or_else(|err| panic!("no image on screen ({err})"));
        assert!(String::from_utf8_lossy(shown.before()).contains("[image]"));
        quiz.expect("Space show answer").unwrap();
        quiz.send("o").unwrap();
        quiz
    };
    let mut with = quiz(&format!("{}:/usr/bin:/bin", bin.display()));
    with.expect(format!("with {}", prep::opener::NAME).as_str())
        .unwrap();
    with.send("q").unwrap();
    with.expect(Eof).unwrap();
    let image = home.path().join("decks/media/networking-basics/router.png");
    for _ in 0..200 {
        if log.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().trim_end(),
        image.display().to_string()
    );
    // Without one, the reviewer says so and goes on.
    let mut without = quiz("/nonexistent");
    // (The message wraps in the footer: its last word is enough.)
    without.expect("PATH").unwrap();
    without.send("q").unwrap();
    without.expect(Eof).unwrap();
}
