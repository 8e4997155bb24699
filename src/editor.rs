//! The user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, given as a
//! program and its words (`code --wait`), opened at a line (`+LINE`, which
//! vi, vim, nano, emacs, micro, kak and helix all take).

use std::path::Path;
use std::process::{Command, ExitStatus};

/// The editor the environment names: its program and its own arguments.
pub fn from_env() -> (String, Vec<String>) {
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|editor| !editor.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut words = editor.split_whitespace().map(str::to_string);
    let program = words.next().unwrap_or_else(|| "vi".to_string());
    (program, words.collect())
}

/// Runs the editor on `path` at `line` and waits for it. The error names
/// the program and says what to set.
pub fn open(path: &Path, line: usize) -> anyhow::Result<ExitStatus> {
    let (program, arguments) = from_env();
    Command::new(&program)
        .args(&arguments)
        .arg(format!("+{line}"))
        .arg(path)
        .status()
        .map_err(|err| {
            anyhow::anyhow!("cannot run the editor {program:?} ({err}); set $VISUAL or $EDITOR")
        })
}
