//! One module per subcommand. Each wires library pieces together and formats
//! their output; none holds domain logic of its own.

pub mod add;
pub mod cards;
pub mod check;
pub mod color;
pub mod decks;
pub mod delete;
pub mod edit;
pub mod export;
pub mod grade;
pub mod history;
pub mod import;
mod import_anki;
mod import_drill;
mod import_report;
pub mod optimize;
pub mod plan;
pub mod quiz;
pub mod show;
pub mod stats;
pub mod suspend;
pub mod sync;

use anyhow::Result;

use crate::Settings;
use crate::schedule::Schedulers;

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Some items failed (each already reported with its path on stderr);
    /// the others were done. The process exits 1.
    PartialFailure,
    /// The user stopped it with Ctrl-C (read as a key by the reviewer);
    /// everything done until then is kept. The process exits 130, as a
    /// shell reports a program that SIGINT ended.
    Interrupted,
}

/// Whether an error is the reader of our output going away (`prep decks |
/// head`), which is not a failure worth reporting. serde_json wraps the io::Error of a failed write in its own error,
/// which hides it from the chain, so that one is looked into too.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = match cause.downcast_ref::<serde_json::Error>() {
            Some(json) => json.io_error_kind(),
            None => cause
                .downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind),
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The schedulers for the home's config (see [`Settings::schedulers`]).
pub fn schedulers(settings: &Settings) -> Result<Schedulers> {
    settings.schedulers()
}

/// Writes each deck problem as an `error:` line on stderr; the outcome is a
/// partial failure when there were any.
pub fn report_problems(problems: &[String]) -> Result<Outcome> {
    for problem in problems {
        crate::messages::error(problem);
    }
    Ok(if problems.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader has gone.
    struct Closed;

    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_broken_pipe_is_seen_through_serde_json_and_context() {
        let json = serde_json::to_writer(Closed, &vec![1, 2, 3]).unwrap_err();
        let err = anyhow::Error::from(json).context("writing the cards");
        assert!(is_broken_pipe(&err));
        let io = std::io::Write::write_all(&mut Closed, b"x").unwrap_err();
        assert!(is_broken_pipe(&anyhow::Error::from(io)));
        assert!(!is_broken_pipe(&anyhow::anyhow!("no such deck")));
    }
}
