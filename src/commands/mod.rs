//! One module per subcommand. Each wires library pieces together and formats
//! their output; none holds domain logic of its own.

pub mod decks;
pub mod import;

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
