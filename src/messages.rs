//! The one place an `error:` or `warning:` line is written (as ripgrep's `messages.rs`
//! is for its warnings): one line on stderr, never a panic when stderr is
//! closed (`eprintln!` would panic), and stdout flushed first so the line
//! comes after the report it belongs to.

use std::fmt::Display;
use std::io::Write;

/// Writes `error: MESSAGE` on stderr.
pub fn error(message: impl Display) {
    let _ = std::io::stdout().flush();
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}

/// Writes `warning: MESSAGE` on stderr: something the user should know
/// that did not stop the command (a line of another device's log that was
/// set aside).
pub fn warning(message: impl Display) {
    let _ = std::io::stdout().flush();
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}
