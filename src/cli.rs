/*!
The command line: every flag with its help text, and the dispatch from a
parsed command to the library. Flags are resolved into [`Settings`] here,
once; nothing deeper reads the environment.
*/

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

use prep::Settings;
use prep::commands;
use prep::commands::color::ColorChoice;

// The command line of prep. (No doc comment: clap would take it for the
// help text, over `about` and `long_about`.)
#[derive(Debug, Parser)]
#[command(
    name = "prep",
    version,
    about,
    long_about = LONG_ABOUT,
    max_term_width = 100
)]
pub struct Args {
    /// Directory that holds decks/ and the review state [env: PREP_HOME]
    /// [default: the platform data directory + /prep]
    // PREP_HOME is read by `Settings::resolve`, not by clap: a value clap
    // takes from the environment counts as typed, and its error messages
    // would then show `--home <DIR>` in every usage line as if required.
    #[arg(long, global = true, value_name = "DIR")]
    home: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

/// What `prep --help` and the manual page say prep is, before the flags.
const LONG_ABOUT: &str = "\
Turn interview Q&A notes into flashcard decks and drill them with spaced repetition in the terminal.

prep reads the Q&A notes you already keep (markdown or plain text, in any of the common ways of \
writing questions and answers, or Anki packages) into decks, YAML files you can read, edit and \
keep in git, and drills them with FSRS, so that each question comes back just before you would \
forget it.

Start with `prep import NOTES.md`, then `prep quiz` each day; `prep stats` shows where you stand, \
and `prep plan` gets a deck ready for an interview on a known date. Every command works on one \
home, the directory that holds the decks, the settings and the review history: --home DIR, or \
PREP_HOME.";

#[derive(Debug, Subcommand)]
enum Command {
    /// Read Q&A notes (markdown or plain text) into a YAML deck
    ///
    /// Each FILE becomes the deck named by --deck, or by a slug of the file
    /// name; a DIR gives one deck per .md, .markdown or .txt file below it,
    /// and `-` reads standard input (with --deck). With no FILE, every deck
    /// is imported again from the notes files it was imported from.
    ///
    /// Importing the same file again changes nothing; importing an edited
    /// file keeps each card's id (and so its review history) where the
    /// question stayed the same or was only lightly edited. An edit made in
    /// the deck is kept when the notes did not change there; a card changed
    /// in both is a conflict: the deck's version is kept, the import exits
    /// 1, and --from-notes takes the notes' version instead.
    Import(ImportArgs),
    /// Add a card to a deck, with an id made from its question
    ///
    /// Without --question or --answer, your editor ($VISUAL, $EDITOR) opens
    /// on a template: the question above the answer line, the answer below.
    /// A deck that does not exist yet is made.
    Add(AddArgs),
    /// List every deck: name, cards, bundled or user, path
    Decks(DecksArgs),
    /// Record one review of a card now (or at PREP_NOW) and print when it is
    /// due again
    ///
    /// For scripts and editor integrations. A card id may be shortened to
    /// any unique prefix of four or more characters.
    Grade(GradeArgs),
    /// List cards with their scheduling state
    Cards(CardsArgs),
    /// Open a card's deck in $VISUAL or $EDITOR at the card's line
    ///
    /// The same as `e` in a quiz. A bundled deck is first copied into the
    /// decks directory, where the edit is kept. When the edit leaves the
    /// deck unreadable, prep says where; the file keeps the edit.
    Edit(EditArgs),
    /// Print one card as the quiz shows it, with its tags, state and next
    /// due time
    Show(ShowArgs),
    /// Print the review log, oldest first
    History(HistoryArgs),
    /// Fit FSRS parameters to your review history and keep them if they
    /// predict it better
    Optimize(OptimizeArgs),
    /// Review the cards that are due, then new ones: question, answer,
    /// grade
    ///
    /// Cards due come first (most overdue first), then new cards in deck
    /// order, up to the day's limits in config.yaml (new_per_day: 20,
    /// reviews_per_day: 200). Every grade is saved at once, so quitting at
    /// any moment loses nothing. On a terminal the reviewer fills the
    /// screen; its keys are listed below. When standard input is not a
    /// terminal, the session reads a line protocol instead (see
    /// docs/quiz.md).
    #[command(after_long_help = prep::tui::keys::help_text())]
    Quiz(QuizArgs),
    /// Where you stand: cards by state, what is due, retention, streak,
    /// a forecast, a year of reviews and the hardest cards
    Stats(StatsArgs),
    /// Write decks out: an Anki package, Anki's text import format, or a
    /// Q&A markdown document
    ///
    /// `--format apkg -o FILE.apkg` makes a package Anki (desktop,
    /// AnkiDroid, AnkiMobile) imports; exporting again updates the notes
    /// there instead of adding them twice. `--with-progress` also carries
    /// each card's scheduling state and review history. csv and tsv are
    /// Anki's text import format; markdown is one document per deck that
    /// `prep import` reads back to the same cards.
    Export(ExportArgs),
    /// Set an interview date for decks, and see what each day needs so
    /// that you are ready on the day
    ///
    /// With --on, sets the date of the --deck decks (kept in config.yaml
    /// under `plans:`), or of the home's deck when it has one of its own;
    /// with --clear, removes their plans; alone, lists the plans. A planned deck's quiz introduces enough new cards a day for
    /// every card to be reviewed on two days before the date, and brings
    /// forward the reviews whose predicted recall on the day would fall
    /// under the target. After the date the deck is scheduled as usual.
    Plan(PlanArgs),
    /// Verify decks and the review database
    Check(CheckArgs),
    /// Share reviews and decks with your other machines through git
    ///
    /// Commits this device's review log (sync/DEVICE/), the decks and
    /// config.yaml, runs `git pull --rebase`, applies the other devices'
    /// reviews and pushes. Needs the home (or the sync folder) to be a git
    /// work tree with a remote: `--init URL` sets that up, taking what the
    /// remote already holds. With a file-sync tool instead (Syncthing,
    /// Dropbox), there is nothing to run: prep reads the other devices'
    /// logs whenever it starts.
    Sync(SyncArgs),
    /// Put cards aside: no quiz shows them until they are unsuspended
    ///
    /// Their history and schedule are kept; `prep stats` counts them and
    /// `prep cards --state suspended` lists them. Name cards by id (or a
    /// unique prefix), or choose them with the filters.
    Suspend(FlagArgs),
    /// Bring suspended cards back into quizzes
    Unsuspend(FlagArgs),
    /// Put cards back to new, as if never reviewed; their review history is
    /// kept
    ///
    /// More than one card needs --yes.
    Forget(ForgetArgs),
    /// Delete cards from their decks, or a whole deck
    ///
    /// Nothing is thrown away: deleted cards are kept in
    /// deleted/DECK.cards.yaml under the home, and a deleted deck's file
    /// moves to deleted/, from where moving it back restores it. Review
    /// history is kept and comes back with them. A card deleted from a
    /// deck made by `prep import` stays deleted when the notes are imported
    /// again, unless its text changes there. Bundled decks cannot be
    /// deleted: once you have a deck of your own they are used only when
    /// named.
    Delete(DeleteArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or
    /// powershell
    Completions(CompletionsArgs),
    /// Print prep's manual page (roff), or a subcommand's, for `man`
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
struct ManArgs {
    /// The subcommand whose page to print [default: prep's own, which
    /// lists every subcommand]
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    subcommand: Option<String>,
    /// Write every page (prep.1 and prep-SUBCOMMAND.1) into DIR instead
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Which cards a command works on, besides their decks.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only cards with this tag (repeat for any of several)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Only cards whose question or answer holds every word of TEXT, in
    /// any case
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only cards in this state: new, learning, review, buried or
    /// suspended (repeat for any of several)
    #[arg(long, value_name = "STATE")]
    state: Vec<prep::card_filter::StateFilter>,
    /// Only leeches: cards forgotten leech_threshold times (8) or more
    #[arg(long)]
    leech: bool,
    /// Only marked cards (`m` in a quiz)
    #[arg(long)]
    marked: bool,
}

impl FilterArgs {
    fn filter(&self, due: bool) -> prep::card_filter::CardFilter {
        prep::card_filter::CardFilter::new(
            &self.tag,
            self.search.as_deref(),
            &self.state,
            self.leech,
            self.marked,
            due,
        )
    }
}

#[derive(Debug, clap::Args)]
struct FlagArgs {
    /// Card ids, or unique prefixes of four or more characters
    #[arg(value_name = "CARD_ID")]
    cards: Vec<String>,
    /// Only cards of this deck (repeat for several)
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Only cards due now
    #[arg(long)]
    due: bool,
}

#[derive(Debug, clap::Args)]
struct DeleteArgs {
    /// Card ids, or unique prefixes of four or more characters
    #[arg(
        value_name = "CARD_ID",
        required_unless_present = "deck",
        conflicts_with = "deck"
    )]
    cards: Vec<String>,
    /// Delete this whole deck instead
    #[arg(long, value_name = "NAME")]
    deck: Option<String>,
}

#[derive(Debug, clap::Args)]
struct ForgetArgs {
    #[command(flatten)]
    cards: FlagArgs,
    /// Forget more than one card
    #[arg(long)]
    yes: bool,
}

#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL")]
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// Notes to import: markdown, plain text, Org, AsciiDoc or
    /// reStructuredText files in any of the common Q&A conventions,
    /// directories of them, `-` for standard input, or Anki packages
    #[arg(value_name = "FILE|DIR")]
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
    /// Remove cards that came from this file but are no longer in it (they
    /// are kept in deleted/DECK.cards.yaml)
    #[arg(long)]
    prune: bool,
    /// With an Anki package: also read its review history, so the cards
    /// keep their memory states; with an Org file, the last review of
    /// each org-drill entry
    #[arg(long)]
    with_progress: bool,
    /// Where a card changed both in the notes and in the deck since the
    /// last import, take the notes' version (the deck's is kept without
    /// it); `--from-notes=ID` settles that card only (repeat for several)
    #[arg(
        long,
        value_name = "ID",
        num_args = 0..=1,
        require_equals = true,
        action = clap::ArgAction::Append,
        conflicts_with = "from_deck"
    )]
    from_notes: Option<Vec<String>>,
    /// Where a card changed both in the notes and in the deck, keep the
    /// deck's version and stop reporting the conflict; `--from-deck=ID`
    /// settles that card only (repeat for several)
    #[arg(
        long,
        value_name = "ID",
        num_args = 0..=1,
        require_equals = true,
        action = clap::ArgAction::Append
    )]
    from_deck: Option<Vec<String>>,
    /// Which blocks are the questions, when the detector gets it wrong:
    /// heading[:LEVEL], list, bold, label[:WORD], table or line (every line
    /// ending in ?); several as a comma list or by repeating the flag
    /// (`heading:3,bold`); kept for the next import of the same notes
    #[arg(long, value_name = "FORM", value_delimiter = ',', action = clap::ArgAction::Append)]
    questions: Vec<prep::import::QuestionMode>,
    /// A word that labels answers (`Lösung` for `Lösung:` lines), besides
    /// the labels prep knows; kept for the next import of the same notes
    #[arg(long, value_name = "WORD")]
    answer_label: Option<String>,
    /// Say which convention was found and, for every block that could be a
    /// question, what was decided and why
    #[arg(long)]
    explain: bool,
    /// The notes' format: markdown, plain, org, asciidoc or rst
    /// [default: as the file's extension says (.org, .adoc, .rst), else
    /// as the text looks]
    #[arg(long, value_name = "FORMAT")]
    format: Option<prep::import::Format>,
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The deck to add to
    #[arg(long, value_name = "NAME")]
    deck: String,
    /// The question (markdown)
    #[arg(long, short = 'q', value_name = "TEXT")]
    question: Option<String>,
    /// The answer (markdown)
    #[arg(long, short = 'a', value_name = "TEXT")]
    answer: Option<String>,
    /// A tag for the card (repeat for several)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Print the card added as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DecksArgs {
    /// Print the list as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct GradeArgs {
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
}

#[derive(Debug, clap::Args)]
struct CardsArgs {
    /// Only this deck (repeat for several)
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Only cards due now, most overdue first
    #[arg(long)]
    due: bool,
    /// Print the cards as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct EditArgs {
    /// The card's id, or any unique prefix of four or more characters
    #[arg(value_name = "CARD_ID")]
    card: String,
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// The card's id, or any unique prefix of four or more characters
    #[arg(value_name = "CARD_ID")]
    card: String,
    /// Print the card and its state as JSON
    #[arg(long)]
    json: bool,
    /// When to use colour
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, clap::Args)]
struct HistoryArgs {
    /// Only reviews made in this deck (repeat for several)
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    /// Only reviews of this card: its id or a unique prefix of four or
    /// more characters (repeat for several)
    #[arg(long, value_name = "ID")]
    card: Vec<String>,
    /// Only reviews on or after this date: YYYY-MM-DD, today, yesterday,
    /// or days ago such as -7d
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    since: Option<String>,
    /// Only reviews on or before this date, in the forms of --since
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    until: Option<String>,
    /// Print JSON Lines, one review per line
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV with a header line
    #[arg(long)]
    csv: bool,
}

#[derive(Debug, clap::Args)]
struct OptimizeArgs {
    /// Fit one deck's history and save the parameters for that deck
    #[arg(long, value_name = "NAME")]
    deck: Option<String>,
}

#[derive(Debug, clap::Args)]
struct QuizArgs {
    /// Only this deck (repeat for several) [default: all decks]
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// With --cram, only cards due now
    #[arg(long, requires = "cram")]
    due: bool,
    /// With --cram, suspended cards too
    #[arg(long, requires = "cram")]
    suspended: bool,
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
    /// The order of new cards: deck or random (default: new_order in
    /// config.yaml); with --cram, of the session: deck, random, or hardest
    /// (lowest predicted recall first: on the interview day for a planned
    /// deck)
    #[arg(long, value_name = "ORDER")]
    order: Option<prep::session::Order>,
    /// Type your answer first; prep shows which key points it covered
    /// and suggests a grade
    #[arg(long = "type")]
    typing: bool,
    /// When to use colour
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, clap::Args)]
struct StatsArgs {
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
    /// List every leech (otherwise the 10 with the most lapses, and how
    /// many there are)
    #[arg(long)]
    all: bool,
    /// When to use colour (the charts read without it)
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Only this deck (repeat for several) [default: every deck]
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    /// apkg, csv, tsv or markdown [default: the one -o's extension names:
    /// .apkg, .csv, .tsv or .txt, .md]
    #[arg(long, value_name = "FORMAT")]
    format: Option<commands::export::Format>,
    /// Where to write [default: standard output, for the text formats;
    /// a directory for markdown of several decks]
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Carry scheduling state and review history (apkg only)
    #[arg(long)]
    with_progress: bool,
}

#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// The deck (repeat for several) [default: every planned deck; with
    /// --on, the home's deck, when it has only one of its own]
    #[arg(long, value_name = "NAME")]
    deck: Vec<String>,
    /// The interview date: YYYY-MM-DD, or days ahead such as +14d
    #[arg(long, value_name = "DATE", conflicts_with = "clear")]
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
}

#[derive(Debug, clap::Args)]
struct SyncArgs {
    /// Make the home a git work tree whose remote is URL (any address git
    /// takes: a path, ssh, https), holding what the remote holds; then
    /// sync
    #[arg(long, value_name = "URL")]
    init: Option<String>,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Rebuild card states from the review history, after writing a
    /// backup copy of the database
    #[arg(long)]
    repair: bool,
}

/// Whether to colour standard output: `--color`, then for `auto` whether
/// it is a terminal and `NO_COLOR`.
fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
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
    // (a terminal nobody sized, as under `script`, says it has 0 columns)
    match crossterm::terminal::size() {
        Ok((width, _)) if width > 0 => usize::from(width),
        _ => 80,
    }
}

impl From<ImportArgs> for commands::import::Options {
    fn from(args: ImportArgs) -> Self {
        commands::import::Options {
            files: args.files,
            deck: args.deck,
            dry_run: args.dry_run,
            json: args.json,
            prune: args.prune,
            with_progress: args.with_progress,
            conflicts: match (&args.from_notes, &args.from_deck) {
                (Some(_), _) => prep::import::Resolve::FromNotes,
                (_, Some(_)) => prep::import::Resolve::FromDeck,
                _ => prep::import::Resolve::Report,
            },
            settle_only: args.from_notes.or(args.from_deck).unwrap_or_default(),
            reading: prep::import::Reading {
                questions: prep::import::QuestionForms::new(args.questions),
                answer_label: args.answer_label,
                explain: args.explain,
                format: args.format,
            },
            explain: args.explain,
        }
    }
}

impl From<AddArgs> for commands::add::Options {
    fn from(args: AddArgs) -> Self {
        commands::add::Options {
            deck: args.deck,
            question: args.question,
            answer: args.answer,
            tags: args.tag,
            json: args.json,
        }
    }
}

impl From<GradeArgs> for commands::grade::Options {
    fn from(args: GradeArgs) -> Self {
        commands::grade::Options {
            card: args.card,
            grade: args.grade,
            answer_ms: args.answer_ms,
            stdin: args.stdin,
            json: args.json,
        }
    }
}

impl From<CardsArgs> for commands::cards::Options {
    fn from(args: CardsArgs) -> Self {
        commands::cards::Options {
            decks: args.deck,
            filter: args.filter.filter(args.due),
            json: args.json,
        }
    }
}

impl From<ShowArgs> for commands::show::Options {
    fn from(args: ShowArgs) -> Self {
        commands::show::Options {
            card: args.card,
            json: args.json,
            color: use_color(args.color),
            width: terminal_width(),
        }
    }
}

impl From<HistoryArgs> for commands::history::Options {
    fn from(args: HistoryArgs) -> Self {
        commands::history::Options {
            decks: args.deck,
            cards: args.card,
            since: args.since,
            until: args.until,
            form: match (args.json, args.csv) {
                (true, _) => commands::history::Form::Json,
                (_, true) => commands::history::Form::Csv,
                _ => commands::history::Form::Table,
            },
        }
    }
}

impl From<QuizArgs> for commands::quiz::Options {
    fn from(args: QuizArgs) -> Self {
        commands::quiz::Options {
            session: prep::session::Options {
                decks: args.deck,
                filter: args.filter.filter(args.due),
                suspended: args.suspended,
                limit: args.limit,
                new_cards: args.new_cards,
                cram: args.cram,
                order: args.order,
            },
            typing: args.typing,
            color: use_color(args.color),
        }
    }
}

impl From<FlagArgs> for commands::suspend::Selection {
    fn from(args: FlagArgs) -> Self {
        commands::suspend::Selection {
            cards: args.cards,
            decks: args.deck,
            filter: args.filter.filter(args.due),
        }
    }
}

impl From<StatsArgs> for commands::stats::Options {
    fn from(args: StatsArgs) -> Self {
        commands::stats::Options {
            decks: args.deck,
            days: args.days,
            json: args.json,
            all: args.all,
            width: terminal_width(),
            color: use_color(args.color),
        }
    }
}

impl From<ExportArgs> for commands::export::Options {
    fn from(args: ExportArgs) -> Self {
        commands::export::Options {
            decks: args.deck,
            format: args.format,
            output: args.output,
            with_progress: args.with_progress,
        }
    }
}

impl From<PlanArgs> for commands::plan::Options {
    fn from(args: PlanArgs) -> Self {
        commands::plan::Options {
            decks: args.deck,
            on: args.on,
            target: args.target,
            max_new_per_day: args.max_new_per_day,
            clear: args.clear,
            json: args.json,
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let out = &mut out;
    // The shell's script and the manual pages are about prep, not a home:
    // a PREP_HOME that cannot be one must not keep them from printing.
    let outcome = match args.command {
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Args::command(), "prep", out);
            Ok(commands::Outcome::Success)
        }
        Command::Man(args) => crate::man::run(
            Args::command(),
            args.subcommand.as_deref(),
            args.dir.as_deref(),
            out,
        )
        .map(|()| commands::Outcome::Success),
        command => run_in_home(&Settings::resolve(args.home)?, command, out),
    };
    match outcome {
        Ok(commands::Outcome::Success) => Ok(ExitCode::SUCCESS),
        Ok(commands::Outcome::PartialFailure) => Ok(ExitCode::from(1)),
        Ok(commands::Outcome::Interrupted) => Ok(ExitCode::from(130)),
        Err(err) if commands::is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err),
    }
}

/// Runs a command that works on the home `settings` names.
fn run_in_home(
    settings: &Settings,
    command: Command,
    out: &mut dyn std::io::Write,
) -> Result<commands::Outcome> {
    match command {
        Command::Import(args) => commands::import::run(settings, &args.into(), out),
        Command::Add(args) => commands::add::run(settings, &args.into(), out),
        Command::Decks(args) => commands::decks::run(settings, args.json, out),
        Command::Grade(args) => commands::grade::run(settings, &args.into(), out),
        Command::Cards(args) => commands::cards::run(settings, &args.into(), out),
        Command::Edit(args) => {
            commands::edit::run(settings, &commands::edit::Options { card: args.card }, out)
        }
        Command::Show(args) => commands::show::run(settings, &args.into(), out),
        Command::History(args) => commands::history::run(settings, &args.into(), out),
        Command::Optimize(args) => commands::optimize::run(
            settings,
            &commands::optimize::Options { deck: args.deck },
            out,
        ),
        Command::Quiz(args) => commands::quiz::run(settings, &args.into(), out),
        Command::Stats(args) => commands::stats::run(settings, &args.into(), out),
        Command::Export(args) => commands::export::run(settings, &args.into(), out),
        Command::Plan(args) => commands::plan::run(settings, &args.into(), out),
        Command::Check(args) => commands::check::run(
            settings,
            &commands::check::Options {
                repair: args.repair,
            },
            out,
        ),
        Command::Sync(args) => {
            commands::sync::run(settings, &commands::sync::Options { init: args.init }, out)
        }
        Command::Suspend(args) => commands::suspend::suspend(settings, &args.into(), out),
        Command::Unsuspend(args) => commands::suspend::unsuspend(settings, &args.into(), out),
        Command::Forget(args) => {
            commands::suspend::forget(settings, &args.cards.into(), args.yes, out)
        }
        Command::Delete(args) => {
            let options = match args.deck {
                Some(deck) => commands::delete::Options::Deck(deck),
                None => commands::delete::Options::Cards(args.cards),
            };
            commands::delete::run(settings, &options, out)
        }
        Command::Completions(_) | Command::Man(_) => {
            unreachable!("prep completions and prep man need no home")
        }
    }
}
