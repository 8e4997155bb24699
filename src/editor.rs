//! The user's editor: `$VISUAL`, else `$EDITOR`, else `vi`, read once into
//! [`Settings`](crate::Settings) and split into words as a shell would
//! (`code --wait`, `"/Applications/My Editor.app/bin/edit" -w`), then
//! opened at a line (`+LINE`, which vi, vim, nano, emacs, micro, kak and
//! helix all take).

use std::path::Path;
use std::process::{Command, ExitStatus};

use anyhow::{Result, anyhow};

/// The editor command, or why the environment's could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    /// Which variable named it (`VISUAL`, `EDITOR`), for messages.
    source: &'static str,
    words: std::result::Result<Vec<String>, String>,
}

impl Editor {
    /// The editor the environment names.
    pub fn from_env() -> Editor {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        match (var("VISUAL"), var("EDITOR")) {
            (Some(visual), _) => Editor::parse("VISUAL", &visual),
            (None, Some(editor)) => Editor::parse("EDITOR", &editor),
            (None, None) => Editor {
                source: "the default",
                words: Ok(vec!["vi".to_string()]),
            },
        }
    }

    /// The editor `value` of variable `source` names.
    pub fn parse(source: &'static str, value: &str) -> Editor {
        let words = shell_words(value).and_then(|words| {
            if words.is_empty() {
                Err("it names no program".to_string())
            } else {
                Ok(words)
            }
        });
        Editor { source, words }
    }

    /// The program, for messages.
    pub fn program(&self) -> &str {
        match &self.words {
            Ok(words) => &words[0],
            Err(_) => "?",
        }
    }

    /// Runs the editor on `path` at `line` and waits for it. The error
    /// names the program and says what to set.
    pub fn open(&self, path: &Path, line: usize) -> Result<ExitStatus> {
        let words = self.words.as_ref().map_err(|problem| {
            anyhow!(
                "cannot read the editor command in ${} ({problem}); fix its quotes",
                self.source
            )
        })?;
        Command::new(&words[0])
            .args(&words[1..])
            .arg(format!("+{line}"))
            .arg(path)
            .status()
            .map_err(|err| {
                anyhow!(
                    "cannot run the editor {:?} ({err}); set $VISUAL or $EDITOR",
                    words[0]
                )
            })
    }
}

/// Splits `text` into words as a POSIX shell does for a simple command
/// (quotes and backslashes; no expansions: a `$` is a `$`), with the
/// `shell-words` crate.
pub fn shell_words(text: &str) -> std::result::Result<Vec<String>, String> {
    shell_words::split(text).map_err(|_| "a quote is not closed".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_commands_split_as_a_shell_splits_them() {
        let split = |text: &str| shell_words(text).unwrap();
        assert_eq!(split("vim"), ["vim"]);
        assert_eq!(split("  code   --wait "), ["code", "--wait"]);
        assert_eq!(
            split(r#""/Applications/My Editor.app/bin/edit" -w"#),
            ["/Applications/My Editor.app/bin/edit", "-w"]
        );
        assert_eq!(split(r"/opt/my\ editor/bin/ed"), ["/opt/my editor/bin/ed"]);
        assert_eq!(
            split("emacs -nw --eval '(setq x \"y\")'"),
            ["emacs", "-nw", "--eval", "(setq x \"y\")"]
        );
        assert_eq!(split(r#"a"b c"d"#), ["ab cd"]);
        assert_eq!(split(r#""a\"b\\c\d""#), [r#"a"b\c\d"#]);
        assert_eq!(split("''"), [""]);
        assert!(shell_words("'open").is_err());
        assert!(shell_words("\"open").is_err());
    }

    #[test]
    fn an_unreadable_editor_is_an_error_that_says_which_variable() {
        let editor = Editor::parse("VISUAL", "'vim");
        let err = editor.open(Path::new("x"), 1).unwrap_err();
        assert!(format!("{err}").contains("$VISUAL"), "{err}");
        assert_eq!(Editor::parse("EDITOR", "   ").program(), "?");
    }
}
