/*!
`prep man`: the manual pages, `prep(1)` and one `prep-SUBCOMMAND(1)` per
subcommand, with the sections a Unix user looks for. NAME, SYNOPSIS,
DESCRIPTION and OPTIONS come from the clap definitions through
clap_mangen, as `--help` does; EXIT STATUS, ENVIRONMENT and FILES are
the same on every page and written once here, the config keys from
[`prep::config::key_reference`] and the quiz's keys from [`prep::tui::keys`];
EXAMPLES and SEE ALSO are each page's own, in [`PAGES`].
*/

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

/// What a page has besides what clap knows: examples, each a command line
/// and what it does, and the pages to see also.
struct Page {
    name: &'static str,
    examples: &'static [(&'static str, &'static str)],
    see_also: &'static [&'static str],
}

/// prep's own page (`prep`), then one per subcommand. A subcommand
/// without an entry is a test failure (`tests/cli/manage.rs`).
const PAGES: &[Page] = &[
    Page {
        name: "prep",
        examples: &[
            (
                "prep import interviews/sysadmin.md",
                "Turn notes into the deck sysadmin, and say which lines were left out and why.",
            ),
            (
                "prep quiz",
                "Review the cards due in your decks, then new ones.",
            ),
            (
                "prep stats",
                "See where you stand: what is due, retention, streak.",
            ),
            (
                "prep plan --deck devops --on +14d",
                "Get the deck devops ready for an interview in 14 days.",
            ),
            (
                "PREP_HOME=~/work-prep prep quiz",
                "Review in another home, with its own decks and history.",
            ),
        ],
        see_also: &["prep-import", "prep-quiz", "prep-stats", "prep-plan"],
    },
    Page {
        name: "import",
        examples: &[
            (
                "prep import --dry-run notes.md",
                "Show the cards the notes would give, and write nothing.",
            ),
            (
                "prep import notes/",
                "Import every .md, .markdown and .txt file below notes/, one deck each.",
            ),
            (
                "prep import --questions heading:3 notes.md",
                "Take the level-3 headings as the questions, where the detector chose wrong.",
            ),
            (
                "prep import",
                "Import every deck again from the notes it came from.",
            ),
            (
                "prep import --with-progress collection.apkg",
                "Read an Anki package with its review history.",
            ),
        ],
        see_also: &["prep-export", "prep-decks"],
    },
    Page {
        name: "add",
        examples: &[
            (
                "prep add --deck k8s -q 'What is a Pod?' -a 'The smallest unit Kubernetes deploys.'",
                "Add a card to the deck k8s.",
            ),
            ("prep add --deck k8s", "Write the card in your editor."),
        ],
        see_also: &["prep-edit", "prep-import"],
    },
    Page {
        name: "decks",
        examples: &[
            (
                "prep decks",
                "List the decks, their cards, and where they are.",
            ),
            ("prep decks --json", "The same as JSON, for scripts."),
        ],
        see_also: &["prep-import", "prep-delete"],
    },
    Page {
        name: "grade",
        examples: &[
            (
                "prep grade 2c62c81051d2 good",
                "Record a Good review of a card now.",
            ),
            (
                "printf '2c62 again\\n9f1e easy\\n' | prep grade --stdin --json",
                "Grade several cards from a script, one JSON object each.",
            ),
        ],
        see_also: &["prep-quiz", "prep-history"],
    },
    Page {
        name: "cards",
        examples: &[
            (
                "prep cards --deck aws --due",
                "The cards of aws due now, most overdue first.",
            ),
            (
                "prep cards --search 'pre-signed url'",
                "The cards that hold both words.",
            ),
            ("prep cards --leech --json", "The leeches, as JSON."),
        ],
        see_also: &["prep-show", "prep-suspend"],
    },
    Page {
        name: "edit",
        examples: &[(
            "prep edit 2c62",
            "Open the card's deck in your editor at the card.",
        )],
        see_also: &["prep-show", "prep-add"],
    },
    Page {
        name: "show",
        examples: &[
            ("prep show 2c62", "Print the card as the quiz shows it."),
            ("prep show 2c62 --json", "The card and its state as JSON."),
        ],
        see_also: &["prep-cards", "prep-edit"],
    },
    Page {
        name: "history",
        examples: &[
            ("prep history --since -7d", "The reviews of the last week."),
            (
                "prep history --card 2c62 --csv",
                "One card's reviews as CSV.",
            ),
        ],
        see_also: &["prep-stats", "prep-grade"],
    },
    Page {
        name: "optimize",
        examples: &[
            ("prep optimize", "Fit the scheduler to all your reviews."),
            (
                "prep optimize --deck aws",
                "Fit it to one deck's, for that deck.",
            ),
        ],
        see_also: &["prep-stats"],
    },
    Page {
        name: "quiz",
        examples: &[
            (
                "prep quiz",
                "Review what is due in your decks, then new cards.",
            ),
            (
                "prep quiz --deck aws --type",
                "Type each answer first and see which key points it covered.",
            ),
            (
                "prep quiz --deck devops --cram --order hardest",
                "The last evening: drill every card, the least likely to be recalled first.",
            ),
            (
                "prep quiz --cram --marked",
                "Go over the cards marked with m.",
            ),
        ],
        see_also: &["prep-stats", "prep-plan", "prep-grade"],
    },
    Page {
        name: "stats",
        examples: &[
            (
                "prep stats",
                "Every deck: cards by state, what is due, retention, streak, charts.",
            ),
            (
                "prep stats --deck aws --days 14",
                "One deck, with a forecast of two weeks.",
            ),
            ("prep stats --json", "Everything as one JSON object."),
        ],
        see_also: &["prep-history", "prep-plan"],
    },
    Page {
        name: "export",
        examples: &[
            (
                "prep export --deck aws -o aws.apkg --with-progress",
                "An Anki package of aws, with its schedule and reviews.",
            ),
            (
                "prep export -o cards.csv",
                "Every deck in Anki's text import format.",
            ),
            (
                "prep export --format markdown -o notes/",
                "One Q&A markdown document per deck, in notes/.",
            ),
        ],
        see_also: &["prep-import"],
    },
    Page {
        name: "plan",
        examples: &[
            (
                "prep plan --deck devops --on +14d",
                "An interview in 14 days on devops.",
            ),
            (
                "prep plan --on 2026-12-12",
                "An interview on that date, on the home's one deck of its own.",
            ),
            ("prep plan", "List the plans and what each asks of today."),
            ("prep plan --deck devops --clear", "Remove the plan."),
        ],
        see_also: &["prep-quiz", "prep-stats"],
    },
    Page {
        name: "check",
        examples: &[
            ("prep check", "Verify the decks and the review database."),
            (
                "prep check --repair",
                "Rebuild card states from the history, after a backup.",
            ),
        ],
        see_also: &["prep-sync"],
    },
    Page {
        name: "sync",
        examples: &[
            (
                "prep sync --init git@example.com:me/prep-data.git",
                "Once on each machine: keep the home in this git repository.",
            ),
            (
                "prep sync",
                "Share reviews and decks with the other machines.",
            ),
        ],
        see_also: &["prep-check", "git(1)"],
    },
    Page {
        name: "suspend",
        examples: &[
            ("prep suspend 2c62", "Put one card aside."),
            (
                "prep suspend --deck aws --tag legacy",
                "Put aside the cards of aws tagged legacy.",
            ),
        ],
        see_also: &["prep-unsuspend", "prep-cards"],
    },
    Page {
        name: "unsuspend",
        examples: &[(
            "prep unsuspend --state suspended",
            "Bring back every suspended card.",
        )],
        see_also: &["prep-suspend", "prep-cards"],
    },
    Page {
        name: "forget",
        examples: &[
            ("prep forget 2c62", "Make one card new again."),
            (
                "prep forget --deck aws --yes",
                "Make every card of aws new again.",
            ),
        ],
        see_also: &["prep-history", "prep-delete"],
    },
    Page {
        name: "delete",
        examples: &[
            (
                "prep delete 2c62",
                "Take a card out of its deck (its text is kept in deleted/).",
            ),
            (
                "prep delete --deck old-notes",
                "Move a whole deck to deleted/.",
            ),
        ],
        see_also: &["prep-forget", "prep-suspend"],
    },
    Page {
        name: "completions",
        examples: &[
            (
                "prep completions bash > ~/.local/share/bash-completion/completions/prep",
                "Install the completion script for bash.",
            ),
            (
                "prep completions zsh > ~/.zfunc/_prep",
                "For zsh, with fpath+=(~/.zfunc) before compinit.",
            ),
        ],
        see_also: &["prep-man"],
    },
    Page {
        name: "man",
        examples: &[
            (
                "prep man --dir ~/.local/share/man/man1",
                "Install every page, then man prep, man prep-quiz.",
            ),
            ("prep man quiz", "Print the quiz's page."),
        ],
        see_also: &["prep-completions", "man(1)"],
    },
];

/// Prints the page of prep (`subcommand` None) or of a subcommand, or
/// writes every page into `dir` as `prep.1` and `prep-SUBCOMMAND.1`, as
/// git's pages are.
pub fn run(
    mut command: clap::Command,
    subcommand: Option<&str>,
    dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    // Built, so that each subcommand has the global --home; the help
    // subcommand clap adds has no page of its own.
    command.build();
    let command = command.mut_subcommand("help", |help| help.hide(true));
    let subcommands: Vec<&clap::Command> = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .collect();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for sub in std::iter::once(None).chain(subcommands.iter().copied().map(Some)) {
            let mut text = Vec::new();
            let name = render(&command, sub, &mut text)?;
            let path = dir.join(format!("{name}.1"));
            prep::decks::deck::write_atomically(&path, &text)?;
            writeln!(out, "{}", path.display())?;
        }
        return Ok(());
    }
    let sub = match subcommand {
        None => None,
        Some(name) => Some(command.find_subcommand(name).ok_or_else(|| {
            let names: Vec<&str> = subcommands.iter().map(|sub| sub.get_name()).collect();
            let near = prep::suggest::closest(name, names.iter().copied())
                .map(|near| format!("did you mean {near:?}? "))
                .unwrap_or_default();
            anyhow!(
                "no subcommand {name:?}; {near}the subcommands are: {}",
                names.join(", ")
            )
        })?),
    };
    render(&command, sub, out)?;
    Ok(())
}

/// Writes one page; returns its name (`prep`, `prep-quiz`).
fn render(
    command: &clap::Command,
    sub: Option<&clap::Command>,
    out: &mut dyn Write,
) -> Result<String> {
    let (page, own) = match sub {
        None => (command.clone(), "prep"),
        Some(sub) => (
            sub.clone()
                .name(format!("prep-{}", sub.get_name()))
                .bin_name(format!("prep {}", sub.get_name())),
            sub.get_name(),
        ),
    };
    let name = page.get_name().to_string();
    let extras = PAGES
        .iter()
        .find(|extras| extras.name == own)
        .with_context(|| format!("the manual has no examples for {name}"))?;
    let version = env!("CARGO_PKG_VERSION");
    let man = Man::new(page.clone());
    // Each piece clap_mangen renders starts with the same two lines of
    // set-up; the page needs them once.
    let mut pieces = Vec::new();
    man.render_title(&mut pieces)?;
    let preamble = String::from_utf8_lossy(&pieces)
        .find(".TH")
        .unwrap_or_default();
    // The title line by hand: roff drops an empty argument, and the date
    // left empty would let the source and manual slide into its place.
    pieces.truncate(preamble);
    writeln!(
        pieces,
        ".TH {name} 1 \"\" \"prep {version}\" \"prep manual\""
    )?;
    let mut piece = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| -> Result<()> {
        let mut text = Vec::new();
        render(&mut text)?;
        pieces.extend_from_slice(&text[preamble.min(text.len())..]);
        Ok(())
    };
    piece(&|w| man.render_name_section(w))?;
    piece(&|w| man.render_synopsis_section(w))?;
    piece(&|w| man.render_description_section(w))?;
    piece(&|w| man.render_options_section(w))?;
    if page.get_subcommands().any(|sub| !sub.is_hide_set()) {
        piece(&|w| man.render_subcommands_section(w))?;
    }
    let mut roff = Roff::new();
    if own == "quiz" {
        quiz_keys(&mut roff);
    }
    exit_status(&mut roff);
    environment(&mut roff);
    files(&mut roff);
    examples(&mut roff, extras.examples);
    see_also(&mut roff, sub.is_some(), extras.see_also);
    roff.control("SH", ["VERSION"]);
    roff.text([roman(version)]);
    let text = roff.render();
    out.write_all(&pieces)?;
    out.write_all(&text.as_bytes()[preamble.min(text.len())..])?;
    Ok(name)
}

/// A tagged paragraph: `term` on its line, `text` indented below.
fn item(roff: &mut Roff, term: impl Into<Vec<Inline>>, text: &str) {
    roff.control("TP", []);
    roff.text(term);
    roff.text([roman(text)]);
}

fn quiz_keys(roff: &mut Roff) {
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "On a terminal the reviewer fills the screen; ? shows these keys.",
    )]);
    for (keys, what) in prep::tui::keys::KEYS {
        item(roff, [bold(*keys)], what);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    item(roff, [bold("0")], "Success.");
    item(
        roff,
        [bold("1")],
        "The command failed, or one of several files did, or an import left a conflict to settle. Each failure is one line on standard error that starts with error: and names the file or variable and what to do; no file is changed by a failed command.",
    );
    item(
        roff,
        [bold("2")],
        "A usage error: an unknown flag, a missing or malformed argument.",
    );
    item(
        roff,
        [bold("130")],
        "Ctrl-C ended a quiz; every grade given is kept.",
    );
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    item(
        roff,
        [bold(prep::settings::HOME_VAR)],
        "The home directory, when --home is not given: decks, settings and review history (see FILES). Default: the platform data directory + prep (~/.local/share/prep on Linux, ~/Library/Application Support/prep on macOS). Set but empty, or naming a file, is an error.",
    );
    item(
        roff,
        [bold(prep::settings::NOW_VAR)],
        "The current time, RFC 3339 (2026-01-31T09:00:00Z), for tests and scripts; a malformed value is an error.",
    );
    item(
        roff,
        [bold("PREP_CACHE")],
        "Where parsed decks are kept between runs (default: the platform cache directory + prep/decks); empty turns the cache off.",
    );
    item(
        roff,
        [bold("NO_COLOR")],
        "Set and not empty: no colour with --color auto (the default). --color always wins over it.",
    );
    item(
        roff,
        [bold("VISUAL"), roman(", "), bold("EDITOR")],
        "The editor e in a quiz, prep edit and prep add open, split into words as a shell would (default: vi).",
    );
    item(
        roff,
        [bold(crate::complete::VAR)],
        "Set to a shell's name (bash, zsh, fish, elvish, powershell): prep prints the script that has the shell ask prep what to complete, the home's deck names and card ids included, and answers it. source <(COMPLETE=bash prep) in ~/.bashrc installs it.",
    );
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "Everything lives in the home ($PREP_HOME, or --home DIR):",
    )]);
    for (path, what) in [
        (
            "decks/NAME.yaml",
            "Your decks, one YAML file each, to read, edit and keep in git.",
        ),
        (
            "decks/.NAME.imported.json",
            "What each deck's notes said when last imported, and where they are; keep it with the deck.",
        ),
        (
            "deleted/",
            "Cards taken out by prep delete (DECK.cards.yaml) and deleted decks, from where moving them back restores them.",
        ),
        (
            "config.yaml",
            "Settings; every key is optional, and an unknown key or a value out of range is an error naming it. The keys and their defaults are below.",
        ),
        (
            "prep.sqlite",
            "Review state and history (with SQLite's -wal and -shm beside it): a cache of the review logs, never synced.",
        ),
        (
            "sync/DEVICE/",
            "Each device's review log (in the folder sync_dir names), in segments AA/BB/NNNNNN.jsonl of which only the last grows; sync these, with prep sync or a file-sync tool. A device running an older prep keeps its log in one file, sync/DEVICE.jsonl, which is read too.",
        ),
        (
            "quiz.lock",
            "Held while a review session runs, so that two sessions do not show the same cards.",
        ),
        (
            "prep.sqlite.backup-YYYYMMDDTHHMMSS",
            "Backups made by prep check --repair.",
        ),
    ] {
        item(roff, [italic(path)], what);
    }
    roff.control("PP", []);
    roff.text([roman("The keys of "), italic("config.yaml"), roman(":")]);
    for key in prep::config::key_reference::KEYS {
        let default = match key.default {
            prep::config::key_reference::KeyDefault::Value(value) => value,
            prep::config::key_reference::KeyDefault::Said(words) => words,
        };
        item(
            roff,
            [bold(key.name)],
            &format!("{} [default: {default}]", key.meaning),
        );
    }
}

fn examples(roff: &mut Roff, examples: &[(&str, &str)]) {
    roff.control("SH", ["EXAMPLES"]);
    for (command, what) in examples {
        item(roff, [bold(*command)], what);
    }
}

fn see_also(roff: &mut Roff, subcommand: bool, pages: &[&str]) {
    roff.control("SH", ["SEE ALSO"]);
    let mut names: Vec<String> = Vec::new();
    if subcommand {
        names.push("prep(1)".to_string());
    }
    names.extend(pages.iter().map(|page| {
        if page.ends_with(')') {
            page.to_string()
        } else {
            format!("{page}(1)")
        }
    }));
    let mut line = Vec::new();
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            line.push(roman(", "));
        }
        line.push(bold(name.as_str()));
    }
    roff.text(line);
    roff.control("PP", []);
    roff.text([roman(
        "The pages of docs/ in prep's source: commands.md, quiz.md, import.md, files.md and the others.",
    )]);
}
