/*!
The user's text editor: the program `$VISUAL` names, else `$EDITOR`, else
`vi`, with any arguments written there (`VISUAL="code --wait"`), and how to
open a file at a line in it. It is resolved once, into [`Settings`], and
both the reviewer's `e` and `prep edit` run it through [`Editor::open`].

[`Settings`]: crate::Settings
*/

use std::path::Path;
use std::process::ExitStatus;

use anyhow::{Result, anyhow};

/// The editor command, split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    program: String,
    arguments: Vec<String>,
}

impl Default for Editor {
    fn default() -> Editor {
        Editor::parse("")
    }
}

impl Editor {
    /// `$VISUAL`, else `$EDITOR`; an empty one counts as unset.
    pub fn from_env() -> Editor {
        let named = ["VISUAL", "EDITOR"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|command| !command.trim().is_empty())
            .unwrap_or_default();
        Editor::parse(&named)
    }

    /// An editor command as a shell variable holds it: words split at
    /// whitespace (no quoting, as git does for the simple case); empty
    /// means `vi`.
    pub fn parse(command: &str) -> Editor {
        let mut words = command.split_whitespace().map(str::to_string);
        Editor {
            program: words.next().unwrap_or_else(|| "vi".to_string()),
            arguments: words.collect(),
        }
    }

    /// The program's name, for messages.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// Runs the editor on `path` with the cursor at `line` (`+LINE`, which
    /// vi, vim, neovim, emacs, nano, micro, kakoune and helix read) and
    /// waits for it. An error means it could not be started; how it ended
    /// is the status.
    pub fn open(&self, path: &Path, line: usize) -> Result<ExitStatus> {
        std::process::Command::new(&self.program)
            .args(&self.arguments)
            .arg(format!("+{line}"))
            .arg(path)
            .status()
            .map_err(|err| {
                anyhow!(
                    "cannot run the editor {:?} ({err}); set $VISUAL or $EDITOR to one that is installed",
                    self.program
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_after_the_program_are_its_arguments() {
        let editor = Editor::parse("code  --wait -n");
        assert_eq!(editor.program(), "code");
        assert_eq!(editor.arguments, ["--wait", "-n"]);
        assert_eq!(Editor::parse("  ").program(), "vi");
        assert_eq!(Editor::default(), Editor::parse("vi"));
    }

    #[test]
    fn a_missing_program_is_an_error_that_says_what_to_set() {
        let editor = Editor::parse("/nonexistent/prep-test-editor");
        let err = editor.open(Path::new("deck.yaml"), 3).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.starts_with("cannot run the editor \"/nonexistent/prep-test-editor\" ("),
            "{message}"
        );
        assert!(message.ends_with("set $VISUAL or $EDITOR to one that is installed"));
    }
}
