//! `prep export` and `prep import` of Anki material: the bundled decks go
//! out as a package and come back the same, with their history; Anki's own
//! packages and text exports read; what prep cannot read is refused with
//! what to do, and the home is left as it was.

use std::io::Write as _;
use std::path::Path;

use rusqlite::Connection;
use serde_json::Value;

use crate::util::{Home, cards, deck_cards, grade, history, json_values, without_answer_ms};

/// A few days of reviews on aws, so that there is history to carry.
fn reviewed_home() -> Home {
    let home = Home::new();
    for now in [
        "2026-11-24T09:00:00Z",
        "2026-11-26T09:00:00Z",
        "2026-11-29T09:00:00Z",
    ] {
        home.prep()
            .args(["quiz", "--deck", "aws"])
            .env("PREP_NOW", now)
            .stdin("\ngood\n\nagain\n\neasy\n".repeat(30))
            .any_stdout()
            .run();
    }
    home
}

const NOW: &str = "2026-11-29T12:00:00Z";

fn json_lines(home: &Home, args: &[&str]) -> Vec<Value> {
    let output = home
        .prep()
        .args(args)
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run();
    json_values(&output.stdout)
}

/// Exports every deck with its progress to `package`; what prep said.
fn export_with_progress(home: &Home, package: &Path) -> String {
    home.prep()
        .args(["export", "--format", "apkg", "--with-progress", "-o"])
        .arg(package)
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run()
        .stdout
}

/// The cards of a bundled deck.
fn bundled(deck: &str) -> Vec<Value> {
    let path = format!("{}/decks/{deck}.yaml", env!("CARGO_MANIFEST_DIR"));
    deck_cards(&std::fs::read_to_string(path).unwrap())
}

/// The collection inside a package, unpacked next to it.
fn collection(package: &Path) -> Connection {
    let file = std::fs::File::open(package).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut inner = zip.by_name("collection.anki2").unwrap();
    let path = package.with_extension("anki2");
    let mut out = std::fs::File::create(&path).unwrap();
    std::io::copy(&mut inner, &mut out).unwrap();
    Connection::open(path).unwrap()
}

/// Markdown compared by what it renders to, white space aside: HTML read
/// back from Anki is markdown again, written the way prep writes it.
fn rendered(markdown: &str) -> String {
    prep::anki::html::to_html(markdown)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn both_bundled_decks_go_to_anki_and_come_back_the_same() {
    let home = reviewed_home();
    let package = home.path().join("decks.apkg");
    let said = export_with_progress(&home, &package);
    assert!(said.contains("(34 notes from 2 decks, with "), "{said}");
    let cards = json_lines(&home, &["cards", "--json"]);
    let history = json_lines(&home, &["history", "--json"]);
    assert_eq!(cards.len(), 34);
    assert!(history.len() > 20, "{}", history.len());

    // The package as Anki reads it.
    let conn = collection(&package);
    let version: i64 = conn
        .query_row("SELECT ver FROM col", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 11);
    let models: String = conn
        .query_row("SELECT models FROM col", [], |row| row.get(0))
        .unwrap();
    let models: Value = serde_json::from_str(&models).unwrap();
    let model = models.as_object().unwrap().values().next().unwrap();
    assert_eq!(model["name"], "prep");
    assert_eq!(model["flds"][0]["name"], "Front");
    assert_eq!(model["flds"][1]["name"], "Back");
    let mut notes = conn
        .prepare("SELECT guid, flds, tags FROM notes ORDER BY id")
        .unwrap();
    let notes: Vec<(String, String, String)> = notes
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(notes.len(), 34);
    for (card, (guid, fields, tags)) in cards.iter().zip(&notes) {
        assert_eq!(guid, &format!("prep:{}", card["id"].as_str().unwrap()));
        let (front, back) = fields.split_once('\u{1f}').unwrap();
        assert_eq!(
            front,
            prep::anki::html::to_html(card["question"].as_str().unwrap())
        );
        assert!(back.starts_with('<'), "{back}");
        let deck = card["deck"].as_str().unwrap();
        assert!(tags.split_whitespace().any(|tag| tag == deck), "{tags}");
    }
    let card_count: i64 = conn
        .query_row("SELECT count(*) FROM cards", [], |row| row.get(0))
        .unwrap();
    assert_eq!(card_count, 34);
    let mut revlog = conn.prepare("SELECT ease FROM revlog ORDER BY id").unwrap();
    let eases: Vec<i64> = revlog
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ratings: Vec<i64> = history
        .iter()
        .map(|review| review["rating"].as_i64().unwrap())
        .collect();
    assert_eq!(eases, ratings, "the review log, in the order it was made");
    let reviewed: i64 = conn
        .query_row("SELECT count(*) FROM cards WHERE type != 0", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(reviewed, 8, "the aws cards carry their state");

    // And back into a fresh home.
    let other = Home::new();
    other
        .prep()
        .args(["import", "--with-progress"])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .stdout_contains("from the history")
        .run();
    let back = json_lines(&other, &["cards", "--json"]);
    assert_eq!(back.len(), cards.len());
    for deck in ["aws", "devops"] {
        let original = bundled(deck);
        let imported = deck_cards(&other.read(format!("decks/{deck}.yaml")));
        assert_eq!(imported.len(), original.len(), "{deck}");
        for (was, now) in original.iter().zip(&imported) {
            assert_eq!(was["id"], now["id"]);
            assert_eq!(was["question"], now["question"]);
            assert_eq!(
                rendered(was["answer"].as_str().unwrap()),
                rendered(now["answer"].as_str().unwrap()),
                "{deck} {}",
                was["id"]
            );
            assert_eq!(was.get("tags"), now.get("tags"));
        }
    }
    assert_eq!(
        without_answer_ms(json_lines(&other, &["history", "--json"])),
        without_answer_ms(history),
        "the same review history"
    );
    // Importing the package again adds nothing and keeps the history.
    other
        .prep()
        .args(["import", "--with-progress"])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .stdout_contains("reviews were prep's own, already in its history")
        .run();
    assert_eq!(json_lines(&other, &["cards", "--json"]).len(), 34);
}

#[test]
fn exporting_twice_gives_the_same_notes() {
    let home = Home::new();
    let guids = |name: &str| -> Vec<String> {
        let package = home.path().join(name);
        home.prep()
            .args(["export", "--format", "apkg", "-o"])
            .arg(&package)
            .any_stdout()
            .run();
        let conn = collection(&package);
        let mut statement = conn.prepare("SELECT guid FROM notes ORDER BY id").unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let first = guids("one.apkg");
    assert_eq!(first.len(), 34);
    assert_eq!(first, guids("two.apkg"));
}

#[test]
fn text_exports_carry_ankis_header_lines_and_markdown_reads_back() {
    let home = Home::new();
    let tsv = home
        .prep()
        .args(["export", "--deck", "aws", "--format", "tsv"])
        .any_stdout()
        .run()
        .stdout;
    assert!(
        tsv.starts_with("#separator:tab\n#html:true\n#notetype:Basic\n#columns:GUID\tFront\tBack\tTags\tDeck\n#guid column:1\n#tags column:4\n#deck column:5\n"),
        "{tsv}"
    );
    let csv = home
        .prep()
        .args(["export", "--deck", "aws", "--format", "csv"])
        .any_stdout()
        .run()
        .stdout;
    assert!(csv.starts_with("#separator:comma\n#html:true\n"), "{csv}");
    // Anki's text format comes back in as the same cards.
    home.write("aws.tsv", &tsv);
    home.prep()
        .args(["import", "aws.tsv", "--deck", "aws-again", "--json"])
        .any_stdout()
        .run();
    let again = json_lines(&home, &["cards", "--deck", "aws-again", "--json"]);
    let original = json_lines(&home, &["cards", "--deck", "aws", "--json"]);
    assert_eq!(again.len(), original.len());
    for (was, now) in original.iter().zip(&again) {
        assert_eq!(
            was["id"], now["id"],
            "ids come back through the GUID column"
        );
        assert_eq!(was["question"], now["question"]);
    }

    // The markdown document reads back to the same questions and answers.
    for deck in ["aws", "devops"] {
        let markdown = home
            .prep()
            .args(["export", "--deck", deck, "--format", "markdown"])
            .any_stdout()
            .run()
            .stdout;
        let file = format!("{deck}-export.md");
        home.write(&file, &markdown);
        let name = format!("{deck}-md");
        home.prep()
            .args(["import", &file, "--deck", &name])
            .any_stdout()
            .run();
        let original = bundled(deck);
        let back = deck_cards(&home.read(format!("decks/{name}.yaml")));
        assert_eq!(back.len(), original.len(), "{deck}:\n{markdown}");
        for (was, now) in original.iter().zip(&back) {
            assert_eq!(
                was["question"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>(),
                now["question"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
            );
            // The export makes headings of the first two levels in an
            // answer third-level ones, so that they do not read as
            // questions.
            let demoted = rendered(was["answer"].as_str().unwrap())
                .replace("<h1>", "<h3>")
                .replace("</h1>", "</h3>")
                .replace("<h2>", "<h3>")
                .replace("</h2>", "</h3>");
            assert_eq!(demoted, rendered(now["answer"].as_str().unwrap()), "{deck}");
        }
    }
}

#[test]
fn packages_and_text_written_by_anki_are_read() {
    let home = Home::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki");
    let output = home
        .prep()
        .args(["import", "--with-progress"])
        .arg(fixtures.join("anki-legacy.apkg"))
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run();
    assert!(
        output.stdout.contains("into deck networking-basics"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("media: copied 1 file into "),
        "{}",
        output.stdout
    );
    let deck = home.read("decks/networking-basics.yaml");
    assert!(deck.contains("question: What does **DNS** do?"), "{deck}");
    assert!(deck.contains("- GET\n    - POST\n    - PUT"), "{deck}");
    assert!(
        deck.contains("![](media/networking-basics/router.png)"),
        "{deck}"
    );
    assert!(deck.contains("[sound:router.mp3]"), "{deck}");
    let history = json_lines(&home, &["history", "--json"]);
    assert_eq!(history.len(), 3, "the reviews made in Anki");

    // A collection package (the whole collection) gives the same cards and
    // reviews.
    let colpkg = Home::new();
    colpkg
        .prep()
        .args(["import", "--with-progress"])
        .arg(fixtures.join("anki-legacy.colpkg"))
        .env("PREP_NOW", NOW)
        .stdout_contains("into deck networking-basics")
        .run();
    // The deck without card ids (they come from Anki's note ids, which
    // differ between the runs that made the fixtures) and sources.
    let content = |deck: &str| {
        deck.lines()
            .filter(|text| {
                let key = text.trim_start().trim_start_matches("- ");
                !key.starts_with("id:") && !key.starts_with("source:")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        content(&colpkg.read("decks/networking-basics.yaml")),
        content(&deck)
    );
    assert_eq!(json_lines(&colpkg, &["history", "--json"]).len(), 3);

    // Anki's "Notes in Plain Text" gives the same cards, whose image stays
    // a reference to the file in Anki's media folder.
    let text = Home::new();
    text.prep()
        .arg("import")
        .arg(fixtures.join("anki-notes.txt"))
        .stdout_contains(
            "media: 2 files the notes refer to are not in a text export, which carries no files",
        )
        .run();
    // (The card with the image has another id: a note without prep's GUID
    // gets one from its question, whose image is another path here.)
    assert_eq!(
        content(&text.read("decks/networking-basics.yaml"))
            .replace("![](router.png)", "![](media/networking-basics/router.png)"),
        content(&deck)
    );
}

#[test]
fn reviews_made_in_anki_after_the_export_come_back() {
    let home = reviewed_home();
    let exported = home.path().join("decks.apkg");
    export_with_progress(&home, &exported);
    let before = json_lines(&home, &["history", "--json"]);

    // A review made on the phone days later, as Anki logs it, and the
    // package Anki then exports.
    let conn = collection(&exported);
    let guid: String = conn
        .query_row(
            "SELECT notes.guid FROM cards JOIN notes ON notes.id = cards.nid \
             WHERE cards.type = 2 ORDER BY cards.id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    drop(conn);
    let from_anki = reviewed_on_the_phone(
        &home,
        &exported,
        guid.strip_prefix("prep:").unwrap(),
        &[(None, "2026-12-03T09:00:00Z", 3)],
    );
    let later = "2026-12-03T12:00:00Z";
    home.prep()
        .args(["import", "--with-progress", "--dry-run"])
        .arg(&from_anki)
        .env("PREP_NOW", later)
        .stdout_contains("would read 1 review of 1 card from the history")
        .unchanged()
        .run();
    home.prep()
        .args(["import", "--with-progress"])
        .arg(&from_anki)
        .env("PREP_NOW", later)
        .stdout_contains("read 1 review of 1 card from the history")
        .stdout_contains("reviews were prep's own, already in its history")
        .run();
    let after = json_lines(&home, &["history", "--json"]);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "only the review made in Anki"
    );
    let added = after.last().unwrap();
    assert_eq!(
        Some(added["card"].as_str().unwrap()),
        guid.strip_prefix("prep:")
    );
    assert_eq!(added["rating"], 3);
    assert_eq!(
        without_answer_ms(after[..before.len()].to_vec()),
        without_answer_ms(before),
        "prep's own reviews are not read again"
    );
    // Importing the same package again adds nothing.
    home.prep()
        .args(["import", "--with-progress"])
        .arg(&from_anki)
        .env("PREP_NOW", later)
        .stdout_contains("read 0 reviews of 0 cards from the history")
        .run();
    assert_eq!(json_lines(&home, &["history", "--json"]).len(), after.len());
}

/// A zip holding the named entries.
fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn what_prep_cannot_read_is_refused_and_the_home_left_alone() {
    let home = Home::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki");
    std::fs::write(
        home.path().join("garbage.apkg"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    zip_with(&home.path().join("foreign.apkg"), &[("hello.txt", b"hi")]);
    zip_with(
        &home.path().join("broken.apkg"),
        &[("collection.anki2", b"SQLite format 3\0 but not a database")],
    );
    // A package from an Anki newer than this test: its meta entry says so,
    // and beside the collection prep cannot read is the stub collection.anki2
    // Anki writes for old versions, which must not become a deck.
    let stub = {
        let newer = std::fs::File::open(fixtures.join("anki-newer.apkg")).unwrap();
        let mut newer = zip::ZipArchive::new(newer).unwrap();
        let mut stub = Vec::new();
        std::io::Read::read_to_end(&mut newer.by_name("collection.anki2").unwrap(), &mut stub)
            .unwrap();
        stub
    };
    zip_with(
        &home.path().join("future.apkg"),
        &[
            ("meta", b"\x08\x04"),
            ("collection.anki2", &stub),
            ("collection.anki22", b"\x28\xb5\x2f\xfd"),
        ],
    );
    let before = home.snapshot();
    for (file, expected) in [
        (
            "future.apkg",
            "future.apkg: this package is in a newer Anki format (package version 4), which prep cannot read",
        ),
        ("garbage.apkg", "not a readable zip archive"),
        (
            "foreign.apkg",
            "not an Anki package: the zip holds no collection (it holds hello.txt)",
        ),
        (
            "broken.apkg",
            "collection.anki2 is not an Anki collection prep can read",
        ),
    ] {
        home.prep()
            .args(["import", file])
            .stderr_contains(expected)
            .status(1)
            .run();
    }
    assert_eq!(before.changes_to(&home.snapshot()), Vec::<String>::new());
    home.prep()
        .args(["export", "--format", "csv", "--with-progress"])
        .stderr_contains("--with-progress needs --format apkg")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["export", "--format", "apkg"])
        .stderr_contains("say where with -o FILE.apkg")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["export", "--format", "apkg", "-o", "missing/decks.apkg"])
        .stderr_contains("the directory missing does not exist; create it first")
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["export", "--format", "apkg", "-o", "."])
        .stderr_contains("is a directory; give a file name")
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn suspended_cards_go_to_anki_suspended_and_come_back_suspended() {
    let home = Home::new();
    home.write_deck("aws", crate::util::THREE_CARDS);
    crate::util::grade(&home, NOW, "one", "good");
    home.prep()
        .args(["suspend", "one", "two"])
        .any_stdout()
        .run();
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("aws.apkg");
    home.prep()
        .args([
            "export",
            "--deck",
            "aws",
            "--format",
            "apkg",
            "--with-progress",
            "-o",
        ])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run();
    // Anki's queue -1 is suspended, whatever the card's type.
    let queues: Vec<(String, i64)> = collection(&package)
        .prepare("SELECT n.guid, c.queue FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.guid")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        queues,
        [
            ("prep:one".to_string(), -1),
            ("prep:three".to_string(), 0),
            ("prep:two".to_string(), -1)
        ]
    );
    // Into a new home with progress: suspended as Anki had them.
    let other = Home::new();
    let output = other
        .prep()
        .args(["import", "--with-progress"])
        .arg(&package)
        .env("PREP_NOW", NOW)
        .any_stdout()
        .run();
    assert!(
        output
            .stdout
            .contains("suspended 2 cards, as Anki had them"),
        "{}",
        output.stdout
    );
    let listed = crate::util::cards(&other, NOW, &["--state", "suspended"]);
    let ids: Vec<&str> = listed
        .iter()
        .map(|card| card["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["one", "two"]);
}

/// Without --format, the extension of -o says what to write; an extension
/// that names no format is an error that lists them, and writes nothing.
#[test]
fn the_output_files_extension_chooses_the_format() {
    let home = Home::new();
    let out = tempfile::tempdir().unwrap();
    let export = |name: &str| -> String {
        let path = out.path().join(name);
        home.prep()
            .args(["export", "--deck", "aws", "-o"])
            .arg(&path)
            .any_stdout()
            .unchanged()
            .run();
        String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()
    };
    assert!(export("aws.apkg").starts_with("PK"));
    assert!(export("aws.APKG").starts_with("PK"));
    assert!(export("aws.csv").starts_with("#separator:comma\n"));
    assert!(export("aws.tsv").starts_with("#separator:tab\n"));
    assert!(export("aws.txt").starts_with("#separator:tab\n"));
    let markdown = export("aws.md");
    assert!(
        markdown.starts_with("# ") && markdown.contains("\n## "),
        "{markdown}"
    );
    // --format wins over the extension.
    home.prep()
        .args(["export", "--deck", "aws", "--format", "csv", "-o"])
        .arg(out.path().join("forced.txt"))
        .any_stdout()
        .run();
    let forced = std::fs::read_to_string(out.path().join("forced.txt")).unwrap();
    assert!(forced.starts_with("#separator:comma\n"), "{forced}");

    home.prep()
        .args(["export", "--deck", "aws", "-o", "aws.json"])
        .stderr(
            "error: cannot tell the format of aws.json from its extension; pass --format apkg, csv, tsv or markdown, or name the file .apkg, .csv, .tsv, .txt or .md\n",
        )
        .status(1)
        .unchanged()
        .run();
    home.prep()
        .args(["export", "--deck", "aws"])
        .stderr_contains("error: say what to write: --format apkg, csv, tsv or markdown")
        .status(1)
        .unchanged()
        .run();
}

/// Notes of two cards imported into a deck of their own; the first card
/// reviewed twice in prep, then the deck exported with its progress at
/// `PHONE_EXPORT`, as for the phone. Returns the first card's id and the
/// package.
fn phone_loop_home(home: &Home) -> (String, std::path::PathBuf) {
    home.write(
        "notes.md",
        "# Net\n\n## What is DNS?\n\nNames to addresses.\n\n## What is TCP?\n\nA reliable stream protocol.\n",
    );
    home.prep()
        .args(["import", "notes.md"])
        .env("PREP_NOW", "2026-11-20T08:00:00Z")
        .any_stdout()
        .run();
    let card = deck_cards(&home.read("decks/notes.yaml"))[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    grade(home, "2026-11-20T09:00:00Z", &card, "good");
    grade(home, "2026-11-22T09:00:00Z", &card, "good");
    let package = home.path().join("loop.apkg");
    home.prep()
        .args(["export", "--with-progress", "-o"])
        .arg(&package)
        .env("PREP_NOW", PHONE_EXPORT)
        .any_stdout()
        .run();
    (card, package)
}

const PHONE_EXPORT: &str = "2026-11-22T10:00:00Z";

/// The package Anki would export after the reviews `revlog` (an Anki
/// card id, or None for the Anki card of prep's `card`; the time; the
/// ease) were made on the phone: prep's export with those rows added to
/// its review log, the columns prep reads filled as Anki fills them.
fn reviewed_on_the_phone(
    home: &Home,
    exported: &Path,
    card: &str,
    revlog: &[(Option<i64>, &str, i64)],
) -> std::path::PathBuf {
    let conn = collection(exported);
    let anki_card: i64 = conn
        .query_row(
            "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.guid = ?1",
            [format!("prep:{card}")],
            |row| row.get(0),
        )
        .unwrap();
    for &(other, at, ease) in revlog {
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
        conn.execute(
            "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, 1, 1, 0, 5000, 1)",
            rusqlite::params![at.timestamp_millis(), other.unwrap_or(anki_card), ease],
        )
        .unwrap();
    }
    drop(conn);
    let from_anki = home.path().join("from-anki.apkg");
    zip_with(
        &from_anki,
        &[
            (
                "collection.anki2",
                &std::fs::read(exported.with_extension("anki2")).unwrap(),
            ),
            ("media", b"{}"),
        ],
    );
    from_anki
}

/// The fields of a card's listing that its review state makes.
fn state_of(home: &Home, now: &str, card: &str) -> Value {
    let listed = cards(home, now, &[]);
    let mut listed = crate::util::card(&listed, card).clone();
    listed.as_object_mut().unwrap().retain(|key, _| {
        ["state", "due", "stability", "difficulty", "reps", "lapses"].contains(&key.as_str())
    });
    listed
}

#[test]
fn a_card_reviewed_in_anki_and_in_prep_since_the_export_keeps_both_reviews_in_time_order() {
    let home = Home::new();
    let (card, exported) = phone_loop_home(&home);
    // On the phone the card is forgotten on the 23rd; prep, which has not
    // seen that yet, reviews it on the 24th. Anki also holds a review of a
    // card deleted since (Anki keeps the reviews of deleted cards).
    let from_anki = reviewed_on_the_phone(
        &home,
        &exported,
        &card,
        &[
            (None, "2026-11-23T09:00:00Z", 1),
            (Some(99), "2026-11-23T09:05:00Z", 3),
        ],
    );
    grade(&home, "2026-11-24T09:00:00Z", &card, "good");
    let later = "2026-11-25T09:00:00Z";
    let import = || {
        home.prep()
            .args(["import", "--with-progress"])
            .arg(&from_anki)
            .env("PREP_NOW", later)
            .any_stdout()
            .run()
            .stdout
    };
    let said = import();
    assert!(
        said.contains("read 1 review of 1 card from the history"),
        "{said}"
    );
    assert!(
        said.contains("2 reviews were prep's own, already in its history"),
        "{said}"
    );
    assert!(
        said.contains(
            "1 card was reviewed in prep too since the package was made: the reviews of both count, in time order"
        ),
        "{said}"
    );
    assert!(
        said.contains(
            "not taken: Anki card 99, reviewed good at 2026-11-23 09:05:00 UTC: the package holds no such card"
        ),
        "{said}"
    );
    let reviews: Vec<(String, i64)> = history(&home)
        .iter()
        .filter(|review| review["card"] == card.as_str())
        .map(|review| {
            (
                review["reviewed_at"].as_str().unwrap().to_string(),
                review["rating"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reviews,
        [
            ("2026-11-20T09:00:00Z".to_string(), 3),
            ("2026-11-22T09:00:00Z".to_string(), 3),
            ("2026-11-23T09:00:00Z".to_string(), 1),
            ("2026-11-24T09:00:00Z".to_string(), 3),
        ]
    );
    // The card's state is the one these four reviews give when made in
    // prep in that order.
    let twin = Home::new();
    let (twin_card, _) = phone_loop_home(&twin);
    assert_eq!(twin_card, card);
    grade(&twin, "2026-11-23T09:00:00Z", &card, "again");
    grade(&twin, "2026-11-24T09:00:00Z", &card, "good");
    assert_eq!(state_of(&home, later, &card), state_of(&twin, later, &card));
    assert_eq!(state_of(&home, later, &card)["lapses"], 1);

    // Read again, the package adds nothing, and still says what it left.
    let again = import();
    assert!(again.contains("read 0 reviews of 0 cards"), "{again}");
    assert!(again.contains("3 reviews were prep's own"), "{again}");
    assert!(again.contains("not taken: Anki card 99"), "{again}");
    assert_eq!(history(&home).len(), 4);
}

#[test]
fn a_round_trip_through_anki_leaves_cards_that_came_back_the_same_unchanged() {
    let home = Home::new();
    let (_, exported) = phone_loop_home(&home);
    let before = home.snapshot();
    let deck = home.read("decks/notes.yaml");
    home.prep()
        .args(["import", "--with-progress"])
        .arg(&exported)
        .env("PREP_NOW", PHONE_EXPORT)
        .stdout_contains("2 cards: 0 added, 0 updated, 2 unchanged")
        .run();
    assert_eq!(
        home.read("decks/notes.yaml"),
        deck,
        "sources stay notes.md's"
    );
    assert!(deck.contains("source: notes.md:3"), "{deck}");
    // The notes file is still the cards' source: importing it again finds
    // them unchanged.
    home.prep()
        .args(["import", "notes.md"])
        .env("PREP_NOW", PHONE_EXPORT)
        .stdout_contains("2 cards: 0 added, 0 updated, 2 unchanged")
        .run();
    assert_eq!(home.read("decks/notes.yaml"), deck);
    let changes = before.changes_to(&home.snapshot());
    assert!(
        changes.iter().all(|change| !change.contains("decks/")),
        "{changes:?}"
    );
}
