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
    },
    /// List every deck: name, cards, bundled or user, path
    Decks {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
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
        } => commands::import::run(
            &settings,
            &commands::import::Options {
                files,
                deck,
                dry_run,
                json,
                prune,
            },
            &mut out,
        ),
        Command::Decks { json } => commands::decks::run(&settings, json, &mut out),
    };
    match outcome {
        Ok(commands::Outcome::Success) => Ok(ExitCode::SUCCESS),
        Ok(commands::Outcome::PartialFailure) => Ok(ExitCode::from(1)),
        Err(err) if commands::is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err),
    }
}
