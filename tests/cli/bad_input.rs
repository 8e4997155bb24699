//! The bad-input catalogue: every way a user's files or environment can be
//! wrong that prep knows of, each run against the real binary. Each must
//! give one `error:` line that names the file (or variable) and says what
//! to do, exit non-zero, and leave every file under the home byte for byte
//! as it was.

use std::path::Path;

use crate::util::{Home, RDS_DECK};

/// One bad input: how to make it, what to run, and words the message must
/// hold.
struct Case {
    name: &'static str,
    setup: fn(&Home),
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    /// The exit status: 1 for a failed command, 2 for a usage error.
    status: i32,
    says: &'static [&'static str],
}

const DUPLICATE_IDS: &str = "\
cards:
- id: a
  question: First?
  answer: One.
- id: a
  question: Second?
  answer: Two.
";

/// A home with the RDS deck and a few reviews in its database.
fn reviewed(home: &Home) {
    home.write_deck("aws", RDS_DECK);
    home.prep()
        .args(["grade", "rds", "good"])
        .any_stdout()
        .run();
}

fn database(home: &Home) -> std::path::PathBuf {
    home.path().join("prep.sqlite")
}

const CASES: &[Case] = &[
    Case {
        name: "missing file",
        setup: |_| {},
        args: &["import", "missing.md"],
        env: &[],
        status: 1,
        says: &["missing.md", "check the path"],
    },
    Case {
        name: "directory without notes",
        setup: |home| std::fs::create_dir_all(home.path().join("notes")).unwrap(),
        args: &["import", "notes"],
        env: &[],
        status: 1,
        says: &["notes: no notes files", "below this directory"],
    },
    Case {
        name: "empty deck",
        setup: |home| {
            home.write_deck("empty", "");
        },
        args: &["quiz", "--deck", "empty"],
        env: &[],
        status: 1,
        says: &["decks/empty.yaml", "has no cards", "prep import"],
    },
    Case {
        name: "deck with duplicate ids",
        setup: |home| {
            home.write_deck("dup", DUPLICATE_IDS);
        },
        args: &["quiz", "--deck", "dup"],
        env: &[],
        status: 1,
        says: &[
            "decks/dup.yaml:5",
            "\"a\" is used twice",
            "give one of them a new id",
        ],
    },
    Case {
        name: "YAML syntax error",
        setup: |home| {
            home.write_deck("broken", "cards: [\n");
        },
        args: &["quiz", "--deck", "broken"],
        env: &[],
        status: 1,
        says: &["decks/broken.yaml:2:1", "fix the YAML"],
    },
    Case {
        name: "wrong types in YAML",
        setup: |home| {
            home.write_deck("typed", "cards: 5\n");
        },
        args: &["quiz", "--deck", "typed"],
        env: &[],
        status: 1,
        says: &[
            "decks/typed.yaml:1:8",
            "expected a sequence",
            "fix the YAML",
        ],
    },
    Case {
        name: "unknown deck name",
        setup: reviewed,
        args: &["quiz", "--deck", "awz"],
        env: &[],
        status: 1,
        says: &[
            "no deck named \"awz\"",
            "did you mean \"aws\"?",
            "prep decks",
        ],
    },
    Case {
        name: "unknown card id",
        setup: reviewed,
        args: &["grade", "no-such-card", "good"],
        env: &[],
        status: 1,
        says: &["no card with id \"no-such-card\"", "prep cards"],
    },
    Case {
        name: "database of random bytes",
        setup: |home| {
            reviewed(home);
            let noise: Vec<u8> = (0..4096u32)
                .map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            std::fs::write(database(home), noise).unwrap();
        },
        args: &["stats"],
        env: &[],
        status: 1,
        says: &["prep.sqlite", "not a prep review database", "move it away"],
    },
    Case {
        name: "truncated database",
        setup: |home| {
            reviewed(home);
            let bytes = std::fs::read(database(home)).unwrap();
            std::fs::write(database(home), &bytes[..bytes.len() / 2]).unwrap();
        },
        args: &["stats"],
        env: &[],
        status: 1,
        says: &["prep.sqlite", "damaged", "restore a backup"],
    },
    Case {
        name: "database from a newer schema",
        setup: |home| {
            reviewed(home);
            rusqlite::Connection::open(database(home))
                .unwrap()
                .execute_batch("PRAGMA user_version = 99")
                .unwrap();
        },
        args: &["grade", "rds", "good"],
        env: &[],
        status: 1,
        says: &["prep.sqlite", "newer prep", "upgrade prep"],
    },
    Case {
        name: "malformed PREP_NOW",
        setup: reviewed,
        args: &["stats"],
        env: &[("PREP_NOW", "yesterday")],
        status: 1,
        says: &["PREP_NOW=\"yesterday\"", "RFC 3339", "2026-01-31T09:00:00Z"],
    },
    Case {
        name: "empty PREP_HOME",
        setup: reviewed,
        args: &["stats"],
        env: &[("PREP_HOME", "")],
        status: 1,
        says: &["PREP_HOME is set but empty", "unset it or give a directory"],
    },
    Case {
        name: "PREP_HOME that is a file",
        setup: |home| {
            reviewed(home);
            home.write("notes.txt", "not a home");
        },
        args: &["stats"],
        env: &[("PREP_HOME", "notes.txt")],
        status: 1,
        says: &[
            "PREP_HOME=notes.txt is a file, not a directory",
            "give a directory",
        ],
    },
    Case {
        name: "--home that is a file",
        setup: |home| {
            reviewed(home);
            home.write("notes.txt", "not a home");
        },
        args: &["grade", "rds", "good", "--home", "notes.txt"],
        env: &[],
        status: 1,
        says: &["--home=notes.txt is a file, not a directory"],
    },
    Case {
        name: "config with an unknown key",
        setup: |home| {
            reviewed(home);
            home.write("config.yaml", "desired_retention: 0.9\nretention: 0.8\n");
        },
        args: &["quiz", "--deck", "aws"],
        env: &[],
        status: 1,
        says: &[
            "config.yaml:2:1",
            "unknown field `retention`",
            "README lists every key",
        ],
    },
    Case {
        name: "bad flag",
        setup: reviewed,
        args: &["stats", "--colour", "never"],
        env: &[],
        status: 2,
        says: &["unexpected argument '--colour'"],
    },
];

#[test]
fn every_bad_input_is_one_clear_error_and_changes_nothing() {
    for case in CASES {
        let home = Home::new();
        (case.setup)(&home);
        let mut test = home.prep().args(case.args).any_stderr().unchanged();
        for (key, value) in case.env {
            test = test.env(key, value);
        }
        let output = test.status(case.status).run();
        let first = output.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: "),
            "{}: the first line is not an error: {:?}",
            case.name,
            output.stderr
        );
        for words in case.says {
            assert!(
                first.contains(words),
                "{}: {first:?} does not say {words:?}",
                case.name
            );
        }
        // A usage error is followed by clap's usage lines; anything else
        // is one line.
        if case.status != 2 {
            assert_eq!(
                output.stderr.lines().count(),
                1,
                "{}: {}",
                case.name,
                output.stderr
            );
        }
    }
}

/// Permissions do not stop the superuser, so these cases run only for an
/// ordinary user; run `cargo test` as one to check them.
fn permissions_apply(probe: &Path) -> bool {
    std::fs::read(probe).is_err()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_a_read_only_home_are_clear_errors() {
    use std::os::unix::fs::PermissionsExt;

    let home = Home::new();
    // Outside the home, which the test must be able to read to compare.
    let elsewhere = tempfile::tempdir().unwrap();
    let notes = elsewhere.path().join("notes.md");
    std::fs::write(&notes, "## What is S3?\nObject storage.\n").unwrap();
    std::fs::set_permissions(&notes, std::fs::Permissions::from_mode(0o000)).unwrap();
    if !permissions_apply(&notes) {
        eprintln!("skipped: running as a user whom permissions do not stop");
        return;
    }
    let output = home
        .prep()
        .arg("import")
        .arg(&notes)
        .any_stderr()
        .status(1)
        .unchanged()
        .run();
    std::fs::set_permissions(&notes, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot read {}: permission denied; make the file readable to you\n",
            notes.display()
        )
    );

    // A home prep may read but not write: grading says which file it
    // could not open and to check the directory, and nothing changes.
    home.write_deck("aws", RDS_DECK);
    let read_only = std::fs::Permissions::from_mode(0o555);
    std::fs::set_permissions(home.path().join("decks"), read_only.clone()).unwrap();
    std::fs::set_permissions(home.path(), read_only).unwrap();
    let output = home
        .prep()
        .args(["grade", "rds", "good"])
        .any_stderr()
        .status(1)
        .unchanged()
        .run();
    for dir in [home.path().join("decks"), home.path().to_path_buf()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
    assert!(
        output.stderr.contains("[HOME]/prep.sqlite"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("writable"), "{}", output.stderr);
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
}

#[test]
fn a_home_that_cannot_be_created_is_a_clear_error() {
    // Even the superuser cannot make a directory under a file.
    let home = Home::new();
    home.write("file", "not a directory");
    home.prep()
        .args(["grade", "rds", "good"])
        .env("PREP_HOME", home.path().join("file/home"))
        .any_stderr()
        .stderr_contains("error: ")
        .stderr_contains("file/home")
        .status(1)
        .unchanged()
        .run();
}

#[test]
fn usage_lines_name_what_is_required_and_not_the_home_from_prep_home() {
    // The harness sets PREP_HOME; the home it names was not typed, so a
    // usage line must not show `--home <DIR>` as if it were required.
    let home = Home::new();
    home.prep()
        .args(["show"])
        .status(2)
        .stderr_contains("\nUsage: prep show <CARD_ID>\n")
        .unchanged()
        .run();
    for args in [&["plan", "--target", "0.8"][..], &["grade", "--json"]] {
        let output = home
            .prep()
            .args(args)
            .status(2)
            .any_stderr()
            .unchanged()
            .run();
        assert!(output.stderr.contains("Usage: prep "), "{}", output.stderr);
        assert!(!output.stderr.contains("--home"), "{}", output.stderr);
    }
}
