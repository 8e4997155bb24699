/*!
The command line: every flag with its help text, and the dispatch from a
parsed command to the library. Flags are resolved into [`Settings`] here,
once; nothing deeper reads the environment.
*/

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use prep::Settings;
use prep::commands;
use prep::commands::color::ColorChoice;

/// Turn interview Q&A notes into flashcard decks and drill them with spaced
/// repetition.
#[derive(Debug, Parser)]
#[command(name = "prep", version, about, max_term_width = 100)]
pub struct Args {
    /// Directory that holds decks/ and the review state
    /// [default: the platform data directory + /prep]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "PREP_HOME",
        hide_env_values = true
    )]
    home: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read Q&A notes (markdown or plain text) into a YAML deck
    ///
    /// Each FILE becomes the deck named by --deck, or by a slug of the file
    /// name. Importing the same file again changes nothing; importing an
    /// edited file keeps each card's id (and so its review history) where the
    /// question stayed the same or was only lightly edited.
    Import {
        /// Notes to import: markdown or plain text, in any of the common Q&A
        /// conventions
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Deck to write to [default: a slug of each file's name]
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Print the report and the cards, write nothing
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        /// Remove cards that came from this file but are no longer in it
        #[arg(long)]
        prune: bool,
        /// With an Anki package: also read its review history, so the cards
        /// keep their memory states
        #[arg(long)]
        with_progress: bool,
        /// Which blocks are the questions, when the detector gets it wrong:
        /// heading[:LEVEL], list, bold, label[:WORD], table or line (every
        /// line ending in ?)
        #[arg(long, value_name = "FORM")]
        questions: Option<prep::import::QuestionMode>,
        /// A word that labels answers (`Lösung` for `Lösung:` lines),
        /// besides the labels prep knows
        #[arg(long, value_name = "WORD")]
        answer_label: Option<String>,
        /// Say which convention was found and, for every block that could
        /// be a question, what was decided and why
        #[arg(long)]
        explain: bool,
    },
    /// List every deck: name, cards, bundled or user, path
    Decks {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record one review of a card now (or at PREP_NOW) and print when it is
    /// due again
    ///
    /// For scripts and editor integrations. A card id may be shortened to
    /// any unique prefix of four or more characters.
    Grade {
        /// The card's id, as `prep cards` lists it
        #[arg(required_unless_present = "stdin", value_name = "CARD_ID")]
        card: Option<String>,
        /// again, hard, good or easy (or 1-4)
        #[arg(required_unless_present = "stdin", value_name = "GRADE")]
        grade: Option<String>,
        /// Milliseconds spent answering, kept in the history
        #[arg(long, value_name = "MS", default_value_t = 0)]
        answer_ms: u32,
        /// Read `CARD_ID GRADE [ANSWER_MS]` lines from standard input and
        /// grade each; each line's result is printed once it is on disk
        #[arg(long, conflicts_with_all = ["card", "grade"])]
        stdin: bool,
        /// Print the result as JSON (one object per grade)
        #[arg(long)]
        json: bool,
    },
    /// List cards with their scheduling state
    Cards {
        /// Only this deck (repeat for several)
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// Only cards due now, most overdue first
        #[arg(long)]
        due: bool,
        /// Print the cards as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the review log, oldest first
    History {
        /// Only reviews made in this deck (repeat for several)
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// Print JSON Lines, one review per line
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV with a header line
        #[arg(long)]
        csv: bool,
    },
    /// Fit FSRS parameters to your review history and keep them if they
    /// predict it better
    Optimize {
        /// Fit one deck's history and save the parameters for that deck
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
    },
    /// Review the cards that are due, then new ones: question, answer,
    /// grade
    ///
    /// Cards due come first (most overdue first), then new cards in deck
    /// order, up to the day's limits in config.yaml (new_per_day: 20,
    /// reviews_per_day: 200). Every grade is saved at once, so quitting at
    /// any moment loses nothing. Keys: Space/Enter show the answer, 1-4
    /// grade (again, hard, good, easy), u undo, s skip until tomorrow,
    /// e edit the card, ? help, q quit. When standard input is not a
    /// terminal, the session reads a line protocol instead (see the
    /// README).
    Quiz {
        /// Only this deck (repeat for several) [default: all decks]
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// Only cards with this tag (repeat for any of several)
        #[arg(long, value_name = "TAG")]
        tag: Vec<String>,
        /// At most this many cards in this session
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Introduce this many new cards in this session, instead of what is
        /// left of the day's new_per_day
        #[arg(long = "new", value_name = "N")]
        new_cards: Option<u32>,
        /// Drill the chosen cards whatever their due dates, without
        /// changing their schedule
        #[arg(long)]
        cram: bool,
        /// The order of a cram session: deck, or hardest (lowest predicted
        /// recall first: on the interview day for a planned deck)
        #[arg(long, value_name = "ORDER", default_value = "deck", requires = "cram")]
        order: OrderArg,
        /// Type your answer first; prep shows which key points it covered
        /// and suggests a grade
        #[arg(long = "type")]
        typing: bool,
        /// When to use colour
        #[arg(long, value_name = "WHEN", default_value = "auto")]
        color: ColorArg,
    },
    /// Where you stand: cards by state, what is due, retention, streak,
    /// a forecast, a year of reviews and the hardest cards
    Stats {
        /// Only this deck (repeat for several)
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// Days the forecast covers
        #[arg(long, value_name = "N", default_value_t = 30,
              value_parser = clap::value_parser!(u32).range(1..=365))]
        days: u32,
        /// Print everything as one JSON object
        #[arg(long)]
        json: bool,
        /// When to use colour (the charts read without it)
        #[arg(long, value_name = "WHEN", default_value = "auto")]
        color: ColorArg,
    },
    /// Write decks out: an Anki package, Anki's text import format, or a
    /// Q&A markdown document
    ///
    /// `--format apkg -o FILE.apkg` makes a package Anki (desktop,
    /// AnkiDroid, AnkiMobile) imports; exporting again updates the notes
    /// there instead of adding them twice. `--with-progress` also carries
    /// each card's scheduling state and review history. csv and tsv are
    /// Anki's text import format; markdown is one document per deck that
    /// `prep import` reads back to the same cards.
    Export {
        /// Only this deck (repeat for several) [default: every deck]
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// apkg, csv, tsv or markdown
        #[arg(long, value_name = "FORMAT")]
        format: FormatArg,
        /// Where to write [default: standard output, for the text formats;
        /// a directory for markdown of several decks]
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Carry scheduling state and review history (apkg only)
        #[arg(long)]
        with_progress: bool,
    },
    /// Set an interview date for decks, and see what each day needs so
    /// that you are ready on the day
    ///
    /// With --on, sets the date of the --deck decks (kept in config.yaml
    /// under `plans:`); with --clear, removes their plans; alone, lists the
    /// plans. A planned deck's quiz introduces enough new cards a day for
    /// every card to be reviewed on two days before the date, and brings
    /// forward the reviews whose predicted recall on the day would fall
    /// under the target. After the date the deck is scheduled as usual.
    Plan {
        /// The deck (repeat for several) [default: every planned deck]
        #[arg(long, value_name = "NAME")]
        deck: Vec<String>,
        /// The interview date: YYYY-MM-DD, or days ahead such as +14d
        #[arg(long, value_name = "DATE", requires = "deck", conflicts_with = "clear")]
        on: Option<String>,
        /// The share of the deck to recall on the day: 0.9 or 90%
        /// [default: 0.9, or the plan's]
        #[arg(long, value_name = "SHARE", requires = "on", value_parser = commands::plan::parse_target)]
        target: Option<f32>,
        /// At most this many new cards a day [default: 50, or the plan's]
        #[arg(long = "max-new", value_name = "N", requires = "on",
              value_parser = clap::value_parser!(u32).range(1..=10_000))]
        max_new_per_day: Option<u32>,
        /// Remove the plans of the --deck decks
        #[arg(long)]
        clear: bool,
        /// Print the plans as JSON
        #[arg(long, conflicts_with = "clear")]
        json: bool,
    },
    /// Verify decks and the review database
    Check {
        /// Rebuild card states from the review history, after writing a
        /// backup copy of the database
        #[arg(long)]
        repair: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Apkg,
    Csv,
    Tsv,
    Markdown,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OrderArg {
    Deck,
    Hardest,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Whether to colour standard output: `--color`, then for `auto` whether
/// it is a terminal and `NO_COLOR`.
fn use_color(when: ColorArg) -> bool {
    use std::io::IsTerminal;
    let choice = match when {
        ColorArg::Auto => ColorChoice::Auto,
        ColorArg::Always => ColorChoice::Always,
        ColorArg::Never => ColorChoice::Never,
    };
    choice.enabled(std::io::stdout().is_terminal())
}

/// The width charts are drawn to: the terminal's, or 80 when standard
/// output is not a terminal (so piped output and tests are the same
/// everywhere).
fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return 80;
    }
    crossterm::terminal::size().map_or(80, |(width, _)| usize::from(width))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let settings = Settings::resolve(args.home)?;
    let mut out = std::io::stdout().lock();
    let outcome = match args.command {
        Command::Import {
            files,
            deck,
            dry_run,
            json,
            prune,
            with_progress,
            questions,
            answer_label,
            explain,
        } => commands::import::run(
            &settings,
            &commands::import::Options {
                files,
                deck,
                dry_run,
                json,
                prune,
                with_progress,
                reading: prep::import::Reading {
                    questions,
                    answer_label,
                    explain,
                },
                explain,
            },
            &mut out,
        ),
        Command::Decks { json } => commands::decks::run(&settings, json, &mut out),
        Command::Grade {
            card,
            grade,
            answer_ms,
            stdin,
            json,
        } => commands::grade::run(
            &settings,
            &commands::grade::Options {
                card,
                grade,
                answer_ms,
                stdin,
                json,
            },
            &mut out,
        ),
        Command::Cards { deck, due, json } => commands::cards::run(
            &settings,
            &commands::cards::Options {
                decks: deck,
                due,
                json,
            },
            &mut out,
        ),
        Command::History { deck, json, csv } => commands::history::run(
            &settings,
            &commands::history::Options {
                decks: deck,
                form: match (json, csv) {
                    (true, _) => commands::history::Form::Json,
                    (_, true) => commands::history::Form::Csv,
                    _ => commands::history::Form::Table,
                },
            },
            &mut out,
        ),
        Command::Optimize { deck } => {
            commands::optimize::run(&settings, &commands::optimize::Options { deck }, &mut out)
        }
        Command::Quiz {
            deck,
            tag,
            limit,
            new_cards,
            cram,
            order,
            typing,
            color,
        } => commands::quiz::run(
            &settings,
            &commands::quiz::Options {
                session: prep::session::Options {
                    decks: deck,
                    tags: tag,
                    limit,
                    new_cards,
                    cram,
                    order: match order {
                        OrderArg::Deck => prep::session::Order::Deck,
                        OrderArg::Hardest => prep::session::Order::Hardest,
                    },
                },
                typing,
                color: use_color(color),
            },
            &mut out,
        ),
        Command::Stats {
            deck,
            days,
            json,
            color,
        } => commands::stats::run(
            &settings,
            &commands::stats::Options {
                decks: deck,
                days,
                json,
                width: terminal_width(),
                color: use_color(color),
            },
            &mut out,
        ),
        Command::Export {
            deck,
            format,
            output,
            with_progress,
        } => commands::export::run(
            &settings,
            &commands::export::Options {
                decks: deck,
                format: match format {
                    FormatArg::Apkg => commands::export::Format::Apkg,
                    FormatArg::Csv => commands::export::Format::Csv,
                    FormatArg::Tsv => commands::export::Format::Tsv,
                    FormatArg::Markdown => commands::export::Format::Markdown,
                },
                output,
                with_progress,
            },
            &mut out,
        ),
        Command::Plan {
            deck,
            on,
            target,
            max_new_per_day,
            clear,
            json,
        } => commands::plan::run(
            &settings,
            &commands::plan::Options {
                decks: deck,
                on,
                target,
                max_new_per_day,
                clear,
                json,
            },
            &mut out,
        ),
        Command::Check { repair } => {
            commands::check::run(&settings, &commands::check::Options { repair }, &mut out)
        }
    };
    match outcome {
        Ok(commands::Outcome::Success) => Ok(ExitCode::SUCCESS),
        Ok(commands::Outcome::PartialFailure) => Ok(ExitCode::from(1)),
        Err(err) if commands::is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err),
    }
}
