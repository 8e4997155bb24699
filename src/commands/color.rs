/*!
Whether a command colours its output: `--color auto|always|never` and
`NO_COLOR` (<https://no-color.org/>), decided once for `prep quiz` and
`prep stats` alike, so the two cannot disagree about what `auto` means.
*/

use std::ffi::OsStr;

/// When to colour what a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset or
    /// empty
    #[default]
    Auto,
    /// Colour even when piped, whatever NO_COLOR says
    Always,
    /// Never colour
    Never,
}

impl ColorChoice {
    /// Whether to colour, for output that goes to a terminal or not,
    /// reading `NO_COLOR` from the environment.
    pub fn enabled(self, terminal: bool) -> bool {
        self.enabled_with(terminal, std::env::var_os("NO_COLOR").as_deref())
    }

    /// [`ColorChoice::enabled`] with the value of `NO_COLOR` given.
    fn enabled_with(self, terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // An empty NO_COLOR counts as unset, as no-color.org asks.
            ColorChoice::Auto => terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color_is_set() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(ColorChoice::Auto.enabled_with(true, None));
        assert!(ColorChoice::Auto.enabled_with(true, empty));
        assert!(!ColorChoice::Auto.enabled_with(true, set));
        assert!(!ColorChoice::Auto.enabled_with(false, None));
        assert!(ColorChoice::Always.enabled_with(false, set));
        assert!(!ColorChoice::Never.enabled_with(true, None));
    }
}
