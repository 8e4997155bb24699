//! Card management through the real binary: suspend and unsuspend, marks,
//! search and the other filters, forget, completions and the man page.

use serde_json::Value;

use crate::util::{Home, NOW, cards, grade, history};

fn home() -> Home {
    let home = Home::new();
    home.write_deck("aws", crate::util::THREE_CARDS);
    home.write("config.yaml", "fuzz: false\n");
    home
}

/// The questions a line-protocol quiz shows, answering every card Easy.
fn quizzed(home: &Home, args: &[&str]) -> Vec<String> {
    let output = home
        .prep()
        .arg("quiz")
        .args(args)
        .stdin("\n4\n".repeat(10))
        .any_stdout()
        .run();
    output
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Q: ").map(str::to_string))
        .collect()
}

fn ids(listed: &[Value]) -> Vec<&str> {
    listed
        .iter()
        .map(|card| card["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_suspended_card_is_never_quizzed_and_comes_back_when_unsuspended() {
    let home = home();
    home.prep()
        .args(["suspend", "one"])
        .stdout("suspended 1 card: one\n")
        .run();
    // Suspending again changes nothing, and says so.
    home.prep()
        .args(["suspend", "one"])
        .stdout("suspended 0 cards: one (1 already suspended)\n")
        .run();
    let listed = cards(&home, NOW, &["--state", "suspended"]);
    assert_eq!(ids(&listed), ["one"]);
    assert_eq!(listed[0]["suspended"], true);
    assert_eq!(
        quizzed(&home, &["--deck", "aws"]),
        ["What is an AMI?", "What is IAM?"]
    );
    // A cram leaves it out too, unless asked for it.
    let cram = home
        .prep()
        .args(["quiz", "--cram"])
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(!cram.stdout.contains("S3"), "{}", cram.stdout);
    let cram = home
        .prep()
        .args(["quiz", "--cram", "--suspended"])
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(
        cram.stdout.contains("What does S3 stand for?"),
        "{}",
        cram.stdout
    );
    // Stats count it.
    let stats = home
        .prep()
        .args(["stats", "--json"])
        .any_stdout()
        .run()
        .json();
    assert_eq!(stats["total"]["suspended"], 1);

    home.prep()
        .args(["unsuspend", "--state", "suspended"])
        .stdout("unsuspended 1 card: one\n")
        .run();
    assert_eq!(
        quizzed(&home, &["--deck", "aws", "--new", "1"]),
        ["What does S3 stand for?"]
    );
}

#[test]
fn bang_in_the_line_protocol_suspends_and_undo_takes_it_back() {
    let home = home();
    let output = home
        .prep()
        .args(["quiz", "--deck", "aws"])
        .stdin("!\nu\nm\n\n3\nq\n")
        .any_stdout()
        .run();
    let stdout = &output.stdout;
    assert!(
        stdout.contains("suspended one: `prep unsuspend` brings it back"),
        "{stdout}"
    );
    assert!(stdout.contains("undone: suspend on one"), "{stdout}");
    assert!(stdout.contains("marked\n"), "{stdout}");
    let listed = cards(&home, NOW, &[]);
    assert_eq!(crate::util::card(&listed, "one")["suspended"], false);
    assert_eq!(crate::util::card(&listed, "one")["marked"], true);
    assert_eq!(ids(&cards(&home, NOW, &["--marked"])), ["one"]);
    // --marked chooses the session.
    let cram = home
        .prep()
        .args(["quiz", "--cram", "--marked"])
        .stdin("\n3\n\n3\n")
        .any_stdout()
        .run();
    assert!(cram.stdout.contains("card 1/1"), "{}", cram.stdout);
}

#[test]
fn search_finds_cards_by_text_tag_and_state() {
    let home = home();
    let search = |args: &[&str]| -> Vec<String> {
        let mut args = args.to_vec();
        args.extend(["--deck", "aws"]);
        ids(&cards(&home, NOW, &args))
            .iter()
            .map(|id| id.to_string())
            .collect()
    };
    // Every word, in any case, in the question or the answer.
    assert_eq!(search(&["--search", "amazon IMAGE"]), ["two"]);
    assert_eq!(search(&["--search", "storage s3"]), ["one"]);
    assert!(search(&["--search", "storage image"]).is_empty());
    assert_eq!(search(&["--tag", "SECURITY"]), ["three"]);
    assert_eq!(search(&["--state", "new"]), ["one", "two", "three"]);
    grade(&home, NOW, "two", "good");
    assert_eq!(search(&["--state", "learning"]), ["two"]);
    assert_eq!(
        search(&["--state", "new", "--search", "what"]),
        ["one", "three"]
    );
    // The text view says when nothing matches.
    home.prep()
        .args(["cards", "--search", "kubernetes", "--deck", "aws"])
        .stdout("No card matches.\n")
        .run();
    // A bad state is a clap error naming the choices.
    home.prep()
        .args(["cards", "--state", "sleeping"])
        .status(2)
        .stderr_contains("possible values: new, learning, review, buried, suspended")
        .run();
}

#[test]
fn a_skipped_new_card_shows_as_buried_with_its_return() {
    let home = home();
    home.prep()
        .args(["quiz", "--deck", "aws"])
        .stdin("s\nq\n")
        .any_stdout()
        .run();
    let listed = cards(&home, NOW, &[]);
    let one = crate::util::card(&listed, "one");
    assert_eq!(one["state"], "new");
    assert_eq!(one["buried_until"], "2026-01-06T04:00:00Z");
    assert_eq!(ids(&cards(&home, NOW, &["--state", "buried"])), ["one"]);
    let table = home.prep().args(["cards"]).any_stdout().run().stdout;
    let row = table.lines().find(|line| line.starts_with("one ")).unwrap();
    assert!(row.contains("buried") && row.contains("in 19h"), "{row}");
    let stats = home
        .prep()
        .args(["stats", "--json"])
        .any_stdout()
        .run()
        .json();
    assert_eq!(stats["total"]["buried"], 1);
}

#[test]
fn forget_puts_a_card_back_to_new_and_keeps_its_history() {
    let home = home();
    grade(&home, NOW, "one", "good");
    grade(&home, "2026-01-05T09:10:00Z", "one", "good");
    grade(&home, NOW, "two", "easy");
    // Two cards need --yes, and nothing changes without it.
    let before = home.snapshot();
    home.prep()
        .args(["forget", "one", "two"])
        .status(1)
        .stderr("error: this would forget 2 cards: one, two; add --yes to put them back to new (their history is kept)\n")
        .run();
    assert!(before.changes_to(&home.snapshot()).is_empty());
    home.prep()
        .args(["forget", "one"])
        .stdout("forgot 1 card: one; they are new again, and `prep history` keeps their reviews\n")
        .run();
    let listed = cards(&home, NOW, &[]);
    assert_eq!(crate::util::card(&listed, "one")["state"], "new");
    assert_eq!(crate::util::card(&listed, "one")["reps"], 0);
    assert_eq!(crate::util::card(&listed, "two")["state"], "review");
    let reviews = history(&home);
    assert_eq!(
        reviews
            .iter()
            .filter(|review| review["card"] == "one")
            .count(),
        2
    );
    // The store still agrees with its log, and a new grade starts afresh.
    home.prep().args(["check"]).any_stdout().run();
    let again = grade(&home, "2026-01-06T09:00:00Z", "one", "good");
    assert_eq!(again["reps"], 1);
    // Nothing named and no filter is refused.
    home.prep()
        .args(["forget"])
        .status(1)
        .stderr_contains("name the cards to forget")
        .run();
}

#[test]
fn the_bash_completion_script_parses_and_the_man_page_names_every_subcommand() {
    let home = home();
    let script = home
        .prep()
        .args(["completions", "bash"])
        .any_stdout()
        .run()
        .stdout;
    assert_bash_reads(&script);
    let dir = tempfile::tempdir().unwrap();
    assert!(script.contains("suspend") && script.contains("--search"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let text = home
            .prep()
            .args(["completions", shell])
            .any_stdout()
            .run()
            .stdout;
        assert!(text.contains("unsuspend"), "{shell}");
    }

    let page = home.prep().args(["man"]).any_stdout().run().stdout;
    assert!(
        page.starts_with(".ie") || page.contains(".TH prep"),
        "{}",
        &page[..200.min(page.len())]
    );
    let subcommands = subcommands(&home);
    assert!(subcommands.len() >= 19, "{subcommands:?}");
    for name in &subcommands {
        assert!(
            page.contains(&format!("prep\\-{name}")) || page.contains(name.as_str()),
            "{name}"
        );
        let own = home
            .prep()
            .args(["man", name.as_str()])
            .any_stdout()
            .run()
            .stdout;
        assert!(
            own.contains(&format!(".TH prep-{name} 1")),
            "{name}: {}",
            &own[..200.min(own.len())]
        );
    }
    let pages = home
        .prep()
        .args(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .any_stdout()
        .run();
    assert_eq!(pages.stdout.lines().count(), subcommands.len() + 1);
    home.prep()
        .args(["man", "sspend"])
        .status(1)
        .stderr_contains("did you mean \"suspend\"?")
        .run();
}

#[test]
fn completions_and_manual_pages_need_no_home() {
    let home = Home::new();
    for args in [&["completions", "bash"][..], &["man"]] {
        let output = home
            .prep()
            .args(args)
            .env("PREP_HOME", "")
            .any_stdout()
            .unchanged()
            .run();
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

/// The subcommands `prep help` lists, `help` left out.
fn subcommands(home: &Home) -> Vec<String> {
    let help = home.prep().args(["help"]).any_stdout().run().stdout;
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_manual_page_has_the_sections_a_unix_user_expects() {
    let home = Home::new();
    let mut pages = vec![Vec::new()];
    pages.extend(subcommands(&home).into_iter().map(|name| vec![name]));
    assert!(pages.len() >= 20, "{pages:?}");
    for name in pages {
        let page = home
            .prep()
            .arg("man")
            .args(&name)
            .any_stdout()
            .unchanged()
            .run()
            .stdout;
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(page.contains(section), "prep man {name:?}: no {section}");
        }
        assert!(
            page.contains("\\fB\\-\\-home\\fR \\fI<DIR>\\fR"),
            "prep man {name:?}: no --home"
        );
        for words in ["PREP_HOME", "PREP_NOW", "NO_COLOR", "VISUAL", "EDITOR"] {
            assert!(page.contains(words), "prep man {name:?}: no {words}");
        }
        for file in [
            "decks/NAME.yaml",
            "deleted/",
            "prep.sqlite",
            "sync/",
            "config.yaml",
        ] {
            assert!(page.contains(file), "prep man {name:?}: no {file}");
        }
        for code in ["\\fB130\\fR", "\\fB2\\fR", "\\fB1\\fR", "\\fB0\\fR"] {
            assert!(
                page.contains(code),
                "prep man {name:?}: no exit status {code}"
            );
        }
        // Every key of config.yaml, with its default.
        for key in [
            "desired_retention",
            "new_per_day",
            "leech_action",
            "sync_dir",
        ] {
            assert!(page.contains(key), "prep man {name:?}: no {key}");
        }
        assert!(page.contains("[default: 0.9]"), "prep man {name:?}");
    }
    // The quiz's page lists the reviewer's keys.
    let quiz = home.prep().args(["man", "quiz"]).any_stdout().run().stdout;
    assert!(quiz.contains(".SH KEYS"), "{quiz}");
    for (keys, _) in prep::tui::keys::KEYS {
        let roff = keys.replace('-', "\\-");
        assert!(quiz.contains(&format!("\\fB{roff}\\fR")), "{keys}");
    }
}

/// What a completion script's request gets: `prep` run with `COMPLETE`
/// set to the shell, the words of the command line after `--`, and the
/// index of the word being completed, as clap_complete's bash script
/// passes them.
fn completed(home: &Home, words: &[&str]) -> Vec<String> {
    let output = home
        .command()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn completion_offers_the_homes_deck_names_and_card_ids() {
    let home = home();
    home.write_deck(
        "k8s",
        "cards:\n- id: pod\n  question: What is a Pod?\n  answer: A unit.\n",
    );
    let decks = completed(&home, &["prep", "quiz", "--deck", ""]);
    for name in ["aws", "k8s", "devops"] {
        assert!(decks.contains(&name.to_string()), "{name}: {decks:?}");
    }
    assert_eq!(completed(&home, &["prep", "stats", "--deck", "k"]), ["k8s"]);
    let cards = completed(&home, &["prep", "show", ""]);
    for id in ["one", "two", "three", "pod"] {
        assert!(cards.contains(&id.to_string()), "{id}: {cards:?}");
    }
    assert_eq!(completed(&home, &["prep", "grade", "po"]), ["pod"]);
    assert_eq!(
        completed(&home, &["prep", "history", "--card", "th"]),
        ["three"]
    );
    // The home typed on the command line is the one completed from.
    let other = Home::new();
    other.write_deck("sysadmin", crate::util::RDS_DECK);
    let home_flag = other.path().to_str().unwrap();
    assert_eq!(
        completed(&home, &["prep", "--home", home_flag, "plan", "--deck", "s"]),
        ["sysadmin"]
    );

    // `COMPLETE=bash prep` prints the script that asks, and bash reads it.
    let script = home.command().env("COMPLETE", "bash").output().unwrap();
    let script = String::from_utf8(script.stdout).unwrap();
    assert!(script.contains("complete -o nospace"), "{script}");
    assert_bash_reads(&script);
}

/// bash reads `script` without a syntax error.
fn assert_bash_reads(script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prep.bash");
    std::fs::write(&path, script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(status.success(), "bash -n rejected the script");
}
