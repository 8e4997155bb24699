//! One module per subcommand. Each wires library pieces together and formats
//! their output; none holds domain logic of its own.

pub mod cards;
pub mod check;
pub mod color;
pub mod decks;
pub mod edit;
pub mod export;
pub(crate) mod format;
pub mod grade;
pub mod history;
pub mod import;
mod import_anki;
pub mod optimize;
pub mod plan;
pub mod quiz;
pub mod show;
pub mod stats;

use anyhow::Result;

use crate::Settings;
use crate::config::Config;
use crate::schedule::{DayClock, Schedulers};

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Some items failed (each already reported with its path on stderr);
    /// the others were done. The process exits 1.
    PartialFailure,
}

/// Whether an error is the reader of our output going away (`prep decks |
/// head`), which is not a failure worth reporting.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The schedulers for the home's config, counting days in the offset of
/// the current time.
pub fn schedulers(settings: &Settings) -> Result<Schedulers> {
    let config = Config::load(&settings.home)?;
    let clock = DayClock::new(*settings.now.offset(), config.day_starts_at);
    Ok(Schedulers::new(config, clock))
}

/// Writes each deck problem as an `error:` line on stderr; the outcome is a
/// partial failure when there were any.
pub fn report_problems(problems: &[String]) -> Result<Outcome> {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    for problem in problems {
        writeln!(stderr, "error: {problem}")?;
    }
    Ok(if problems.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}
