//! The `prep` binary: parse the command line, resolve the settings once,
//! run the command, and turn its outcome into one `error:` line and an exit
//! code; and the manual pages and shell completion, made from the same
//! command line. Everything
//! else lives in the library.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod complete;
mod man;

/// A large collection is 100,000 cards of small strings, read on several
/// threads: glibc's malloc spent a third of `prep quiz`'s start-up growing
/// and locking its per-thread heaps. mimalloc's thread-local free lists
/// cut the loading of the decks to about a third.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    complete::complete_if_asked();
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            // One line: the error and its causes, outermost first, the way
            // anyhow's alternate Display joins them.
            prep::messages::error(format_args!("{err:#}"));
            ExitCode::from(1)
        }
    }
}
