/*!
Completion that knows the home: `--deck` offers the home's deck names and
card arguments the ids of its cards, each with its question as the help
zsh and fish show. The shell asks prep itself, through clap_complete's
engine (`COMPLETE=bash prep` prints the script that does); the static
scripts of `prep completions SHELL` complete flags and subcommands only.

The completers are attached here, by argument name, rather than on each
flag: every `deck` argument names a deck and every `card` or `cards`
argument a card, so a new command's flags complete without a line more.
*/

use std::ffi::OsString;
use std::path::PathBuf;

use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

/// The variable the shell's script sets to the shell's name when it asks
/// prep for completions (clap_complete's default).
pub const VAR: &str = "COMPLETE";

/// Answers the shell and exits, when prep was run by a completion script
/// (or prints the script, for `COMPLETE=bash prep`); otherwise returns.
pub fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(|| {
        with_completers(
            <crate::cli::Args as clap::CommandFactory>::command(),
            typed_home(std::env::args_os()),
        )
    })
    .var(VAR)
    .complete();
}

/// `command` with the home's decks and cards offered for its deck and card
/// arguments, in every subcommand.
fn with_completers(command: clap::Command, home: Option<PathBuf>) -> clap::Command {
    let decks = {
        let home = home.clone();
        ArgValueCandidates::new(move || deck_names(home.clone()))
    };
    let cards = ArgValueCandidates::new(move || card_ids(home.clone()));
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    // (mut_args keeps the arguments in their order, which numbers the
    // positional ones; mut_arg would move the one it changes to the end.)
    subcommands.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| {
            sub.mut_args(|arg| match arg.get_id().as_str() {
                "deck" => arg.add(decks.clone()),
                "card" | "cards" => arg.add(cards.clone()),
                _ => arg,
            })
        })
    })
}

/// The `--home` typed on the command line being completed, if any: the
/// completers see only the word being completed, not the rest.
fn typed_home(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    let mut home = None;
    while let Some(arg) = args.next() {
        if arg == "--home" {
            home = args.next().map(PathBuf::from);
        } else if let Some(value) = arg.to_str().and_then(|arg| arg.strip_prefix("--home=")) {
            home = Some(PathBuf::from(value));
        }
    }
    home.filter(|home| !home.as_os_str().is_empty())
}

/// The home's deck names, its own and the bundled ones; none when the home
/// cannot be read (a completion must never fail loudly).
fn deck_names(home: Option<PathBuf>) -> Vec<CompletionCandidate> {
    let Ok(settings) = prep::Settings::resolve(home) else {
        return Vec::new();
    };
    let mut names = settings.collection().user_deck_names().unwrap_or_default();
    names.extend(prep::decks::collection::bundled_names().map(str::to_string));
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The ids of the cards of the decks commands use when none is named
/// (the bundled decks' only while the home has none of its own), each
/// with its question.
fn card_ids(home: Option<PathBuf>) -> Vec<CompletionCandidate> {
    let Ok(settings) = prep::Settings::resolve(home) else {
        return Vec::new();
    };
    let Ok(decks) = settings
        .collection()
        .load_home(prep::decks::deck::Contents::WithoutAnswers)
    else {
        return Vec::new();
    };
    decks
        .iter()
        .filter_map(|(_, deck)| deck.as_ref())
        .flat_map(|deck| &deck.cards)
        .map(|card| {
            let question = prep::text_width::shorten(&one_line(&card.question), 60);
            CompletionCandidate::new(&card.id).help(Some(question.into()))
        })
        .collect()
}

/// A question on one line, as a completion menu shows it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_home_is_the_last_one_given() {
        let args = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(typed_home(args(&["prep", "--", "prep", "quiz"])), None);
        assert_eq!(
            typed_home(args(&[
                "prep", "--", "prep", "--home", "/h", "quiz", "--deck"
            ])),
            Some(PathBuf::from("/h"))
        );
        assert_eq!(
            typed_home(args(&["prep", "--", "prep", "show", "--home=/x"])),
            Some(PathBuf::from("/x"))
        );
    }
}
