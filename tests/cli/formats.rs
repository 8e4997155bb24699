//! Notes in Org, AsciiDoc and reStructuredText, and the cards of Emacs
//! tools: one small document of each (`tests/fixtures/formats/`, written
//! for these tests), imported through the binary card for card, each card
//! by the line its question starts on.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{Home, json_values};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn dry_run(home: &Home, file: &PathBuf, extra: &[&str]) -> Value {
    home.prep()
        .arg("import")
        .arg(file)
        .args(["--dry-run", "--json"])
        .args(extra)
        .any_stdout()
        .unchanged()
        .run()
        .json()
}

/// Each card's line and question, in order.
fn cards(report: &Value) -> Vec<(usize, String)> {
    report["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| {
            let source = card["source"].as_str().unwrap();
            let line = source.rsplit(':').next().unwrap().parse().unwrap();
            (line, card["question"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn at(line: usize, question: &str) -> (usize, String) {
    (line, question.to_owned())
}

#[test]
fn org_headings_give_cards_without_keywords_tags_or_drawers() {
    let home = Home::new();
    let report = dry_run(&home, &fixture("networking.org"), &[]);
    assert_eq!(report["format"], "org");
    assert_eq!(report["title"], "Networking notes");
    assert_eq!(
        cards(&report),
        [
            at(9, "What does DNS do?"),
            at(15, "What is the **TTL** of a record?"),
            at(18, "Which port does `ssh` listen on?"),
            at(21, "How do you list the listening sockets?"),
            at(24, "How do you test a TCP port by hand?"),
        ]
    );
    let text = report.to_string();
    for absent in [
        ":PROPERTIES:",
        "5b1c-dns",
        "SCHEDULED",
        "BGP",
        "#+begin_src",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    assert_eq!(
        report["cards"][4]["answer"],
        "```sh\nnc -vz example.com 443\n```\n*nc* prints whether the connection opened."
    );
}

#[test]
fn org_drill_cards_of_each_type() {
    let home = Home::new();
    let report = dry_run(&home, &fixture("drill.org"), &[]);
    assert_eq!(
        cards(&report),
        [
            at(6, "What does TCP guarantee that UDP does not?"),
            at(18, "The default port of HTTPS is {{c1::443}}."),
            at(21, "the dog"),
            at(
                30,
                "A {{c1::SYN}} is answered by a {{c2::SYN-ACK::two flags}}."
            ),
            at(
                36,
                "{{c1::IPv4}} addresses have {{c1::32}} bits, {{c1::IPv6}} ones have {{c1::128}}."
            ),
        ]
    );
    assert_eq!(report["cards"][0]["answer"], "Ordered, reliable delivery.");
    assert_eq!(report["cards"][2]["answer"], "el perro");
    assert_eq!(report["cards"][2]["reverse"], true);
    let text = report.to_string();
    assert!(!text.contains("DRILL_"), "{text}");
    assert!(!text.contains("Mon 09:12"), "{text}");
}

#[test]
fn org_fc_cards_of_each_type() {
    let home = Home::new();
    let report = dry_run(&home, &fixture("fc.org"), &[]);
    assert_eq!(
        cards(&report),
        [
            at(4, "What is a socket?"),
            at(18, "MTU"),
            at(
                25,
                "A TCP connection opens with {{c1::SYN}}, then {{c2::SYN-ACK::two flags}}, then ACK."
            ),
            at(33, "Port to type\n\nWhich port does DNS use?"),
        ]
    );
    assert_eq!(report["cards"][1]["reverse"], true);
    assert_eq!(report["cards"][3]["answer"], "53");
    let text = report.to_string();
    for absent in ["REVIEW_DATA", "2026-12-10", "FC_TYPE", "position"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
}

#[test]
fn asciidoc_titles_and_single_asterisk_bold_lines_are_questions() {
    let home = Home::new();
    let report = dry_run(&home, &fixture("storage.adoc"), &[]);
    assert_eq!(report["format"], "asciidoc");
    assert_eq!(report["title"], "Storage notes");
    assert_eq!(
        cards(&report),
        [
            at(8, "What is RAID 1?"),
            at(12, "What does `fsck` do?"),
            at(23, "What is an inode?"),
            at(28, "How do you find the largest files?"),
        ]
    );
    let text = report.to_string();
    for absent in ["toc", "icons", "Written for prep", "disk-layout", "[source"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
}

#[test]
fn rst_titles_and_literal_blocks_and_no_ipv6_cards() {
    let home = Home::new();
    let report = dry_run(&home, &fixture("shell.rst"), &[]);
    assert_eq!(report["format"], "rst");
    assert_eq!(report["title"], "Shell notes");
    assert_eq!(
        cards(&report),
        [
            at(17, "What does ``ping6`` need on a link-local address?"),
            at(30, "How do you see the routes?"),
            at(40, "How do you find what holds a port?"),
            at(47, "How do you stop a process gently?"),
        ]
    );
    let first = report["cards"][0]["answer"].as_str().unwrap();
    assert!(
        first.starts_with("The interface, as in:\n```\nping6 fe80::1%eth0\n```\n"),
        "{first}"
    );
    let text = report.to_string();
    for absent in ["ping.png", "contents", "depth"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
}

#[test]
fn the_first_line_of_the_report_names_the_format() {
    let home = Home::new();
    home.prep()
        .arg("import")
        .arg(fixture("storage.adoc"))
        .arg("--dry-run")
        .stdout_contains("would import ")
        .stdout_contains("storage.adoc as AsciiDoc into deck storage (")
        .unchanged()
        .run();
}

#[test]
fn the_text_says_the_format_when_the_extension_does_not_and_format_overrides_both() {
    let home = Home::new();
    let org = std::fs::read_to_string(fixture("networking.org")).unwrap();
    let as_text = home.write("networking.txt", &org);
    assert_eq!(dry_run(&home, &as_text, &[])["format"], "org");
    assert_eq!(cards(&dry_run(&home, &as_text, &[])).len(), 5);
    // Read as plain text, the same notes give no card.
    let plain = home
        .prep()
        .arg("import")
        .arg(&as_text)
        .args(["--dry-run", "--json", "--format", "plain"])
        .any_stdout()
        .stderr_contains("no questions found")
        .status(1)
        .unchanged()
        .run()
        .json();
    assert_eq!(plain["format"], "plain");
    let rst = std::fs::read_to_string(fixture("shell.rst")).unwrap();
    let named_wrong = home.write("shell.md", &rst);
    let read = dry_run(&home, &named_wrong, &["--format", "rst"]);
    assert_eq!(read["format"], "rst");
    assert_eq!(cards(&read).len(), 4);
    home.prep()
        .args(["import", "--format", "docx"])
        .arg(&as_text)
        .any_stdout()
        .stderr_contains("unknown format `docx`")
        .status(2)
        .unchanged()
        .run();
}

#[test]
fn reimporting_org_notes_keeps_every_card_and_a_folder_takes_every_format() {
    let home = Home::new();
    let notes = home.write(
        "notes/drill.org",
        std::fs::read_to_string(fixture("drill.org")).unwrap(),
    );
    home.write(
        "notes/shell.rst",
        std::fs::read_to_string(fixture("shell.rst")).unwrap(),
    );
    let first = json_values(
        &home
            .prep()
            .arg("import")
            .arg(home.path().join("notes"))
            .arg("--json")
            .any_stdout()
            .run()
            .stdout,
    );
    assert_eq!(first[0]["added"], 5, "{first:?}");
    assert_eq!(first[1]["added"], 4, "{first:?}");
    // A light edit of a question keeps its card.
    let text = std::fs::read_to_string(&notes)
        .unwrap()
        .replace("guarantee that UDP", "guarantee, that UDP");
    std::fs::write(&notes, text).unwrap();
    let again = home
        .prep()
        .arg("import")
        .arg(&notes)
        .arg("--json")
        .any_stdout()
        .run()
        .json();
    assert_eq!(
        (&again["added"], &again["updated"], &again["unchanged"]),
        (&Value::from(0), &Value::from(1), &Value::from(4)),
        "{again}"
    );
}

#[test]
fn explain_and_questions_read_other_formats_as_markdown() {
    let home = Home::new();
    home.prep()
        .arg("import")
        .arg(fixture("storage.adoc"))
        .args(["--dry-run", "--explain"])
        .stdout_contains("questions: ")
        .stdout_contains("line 8: ")
        .unchanged()
        .run();
    let headings = dry_run(&home, &fixture("storage.adoc"), &["--questions", "bold"]);
    assert_eq!(
        cards(&headings),
        [
            at(23, "What is an inode?"),
            at(28, "How do you find the largest files?"),
        ]
    );
}

/// `--format` is remembered with the notes: a bare `prep import` reads
/// them the same way again, whatever the extension says.
#[test]
fn the_format_given_is_recorded_and_a_bare_import_reads_the_notes_so_again() {
    let home = Home::new();
    // Org in a file named .md: as markdown, the drawer is answer text.
    home.write(
        "go.md",
        "* What is a goroutine?\n:PROPERTIES:\n:ID: g1\n:END:\nA lightweight thread.\n\n* What is a channel?\nA typed pipe between goroutines.\n",
    );
    home.prep()
        .args(["import", "go.md", "--format", "org"])
        .stdout_contains("2 cards: 2 added")
        .run();
    let record = home.read("decks/.go.imported.json");
    assert!(record.contains("\"format\":\"org\""), "{record}");
    home.prep()
        .arg("import")
        .stdout_contains("2 cards: 0 added, 0 updated, 2 unchanged")
        .run();
    assert!(!home.read("decks/go.yaml").contains("PROPERTIES"));
    // Read as the extension says, the drawer would be an edit of the card.
    home.prep()
        .args(["import", "go.md", "--format", "markdown", "--dry-run"])
        .stdout_contains("1 updated")
        .run();
}

#[test]
fn with_progress_org_drill_entries_bring_their_last_review_once() {
    let home = Home::new();
    home.write(
        "drill.org",
        "* Item :drill:\n  SCHEDULED: <2026-12-10 Thu>\n  :PROPERTIES:\n  :DRILL_LAST_INTERVAL: 10.3\n  :DRILL_EASE: 2.6\n  :DRILL_LAST_QUALITY: 4\n  :DRILL_TOTAL_REPEATS: 4\n  :DRILL_FAILURE_COUNT: 1\n  :DRILL_LAST_REVIEWED: [2026-11-30 Mon 09:12]\n  :END:\n  What does TCP guarantee?\n** Answer\n   Ordered delivery.\n\n* Word :drill:\n  :PROPERTIES:\n  :DRILL_CARD_TYPE: twosided\n  :DRILL_LAST_REVIEWED: [2026-12-01 Tue 20:00]\n  :DRILL_LAST_QUALITY: 2\n  :END:\n** English\n   the dog\n** Spanish\n   el perro\n\n* Item :drill:\n  Never drilled: HTTPS is on port [443].\n",
    );
    let now = "2026-12-02T10:00:00Z";
    // A dry run says what it would read and records nothing.
    home.prep()
        .args(["import", "drill.org", "--with-progress", "--dry-run"])
        .env("PREP_NOW", now)
        .stdout_contains("would read the last org-drill review of 1 card;")
        .stdout_contains("2 cards left new: their entry has DRILL_LAST_REVIEWED but neither DRILL_LAST_INTERVAL nor a SCHEDULED date")
        .run();
    assert!(!home.path().join("prep.sqlite").exists());
    home.prep()
        .args(["import", "drill.org", "--with-progress"])
        .env("PREP_NOW", now)
        .stdout_contains("read the last org-drill review of 1 card into [HOME]/prep.sqlite, each due when its interval ends")
        .run();
    let listed = crate::util::cards(&home, now, &["--deck", "drill"]);
    let reviewed = listed
        .iter()
        .find(|card| card["question"] == "What does TCP guarantee?")
        .unwrap();
    assert_eq!(reviewed["state"], "review");
    // Reviewed on 30 November with a 10-day interval: due on the tenth,
    // at the start of the scheduler day.
    assert_eq!(reviewed["due"], "2026-12-10T04:00:00Z");
    assert_eq!(
        (reviewed["reps"].as_u64(), reviewed["lapses"].as_u64()),
        (Some(4), Some(1))
    );
    let stability = reviewed["stability"].as_f64().unwrap();
    assert!((stability - 10.0).abs() < 0.05, "{stability}");
    let new = listed.iter().filter(|card| card["state"] == "new").count();
    assert_eq!(new, 3, "{listed:?}");
    let reviews = crate::util::history(&home);
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["grade"], "good");
    // Again: the card's history is prep's now, and nothing is seeded twice.
    home.prep()
        .args(["import", "drill.org", "--with-progress"])
        .env("PREP_NOW", now)
        .stdout_contains("1 card of org-drill already had reviews in prep, kept as they are")
        .run();
    assert_eq!(crate::util::history(&home).len(), 1);
}

#[test]
fn with_progress_on_notes_without_review_data_is_an_error() {
    let home = Home::new();
    home.write("notes.md", "## What is DNS?\nThe name system.\n");
    home.prep()
        .args(["import", "notes.md", "--with-progress"])
        .status(1)
        .stderr_contains("error: notes.md: --with-progress reads the review history of an Anki package (.apkg, .colpkg) or the org-drill data of an Org file; these notes carry none")
        .run();
    assert!(!home.path().join("decks/notes.yaml").exists());
}
