/*!
`prep decks`: list every deck the home offers, as an aligned table for
people or as JSON for scripts.

The listing itself comes from [`Collection::list`]; this file only formats
it. A user deck that does not load is still a row (so you can see it is
there), and its problem goes to stderr as an `error:` line after the
listing, with exit status 1, the way ripgrep reports one bad file among
many.
*/

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Outcome;
use crate::Settings;
use crate::decks::collection::{DeckEntry, DeckOrigin};

/// What `PATH` shows for a deck compiled into the binary.
const BUILT_IN: &str = "(built in)";

pub fn run(settings: &Settings, json: bool, out: &mut dyn Write) -> Result<Outcome> {
    let entries = settings.collection().list()?;
    if json {
        write_json(&entries, out)?;
    } else {
        write_table(&entries, out)?;
    }
    out.flush()?;

    let problems: Vec<String> = entries
        .iter()
        .filter_map(|entry| entry.problem.clone())
        .collect();
    super::report_problems(&problems)
}

/// The table: a header, one row per deck, and a hint when the user has no
/// decks of their own yet.
fn write_table(entries: &[DeckEntry], out: &mut dyn Write) -> Result<()> {
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| {
            let cards = match entry.problem {
                Some(_) => "-".to_string(),
                None => entry.cards.to_string(),
            };
            let origin = if entry.overrides_bundled() {
                "user (replaces bundled)"
            } else if entry.only_when_named {
                "bundled (only with --deck)"
            } else {
                entry.origin.as_str()
            };
            let path = match &entry.path {
                Some(path) => path.display().to_string(),
                None => BUILT_IN.to_string(),
            };
            vec![entry.name.clone(), cards, origin.to_string(), path]
        })
        .collect();
    // Counts are right-aligned so that their digits line up.
    crate::format::table(out, &["NAME", "CARDS", "ORIGIN", "PATH"], &rows, &[1])?;
    if !entries.iter().any(|entry| entry.origin == DeckOrigin::User) {
        writeln!(
            out,
            "\nNo decks of your own yet; run `prep import NOTES.md` to make one from your notes."
        )?;
    } else if let Some(example) = entries.iter().find(|entry| entry.only_when_named) {
        writeln!(
            out,
            "\nBundled decks stay out of quiz, stats, cards and export now that you have decks of your own; name one to use it: --deck {}",
            example.name
        )?;
    }
    Ok(())
}

/// One deck as `--json` prints it. Kept apart from [`DeckEntry`] so the
/// JSON shape is a promise made here, not a side effect of the model.
#[derive(Serialize)]
struct JsonDeck<'a> {
    name: &'a str,
    cards: usize,
    origin: &'static str,
    /// A bundled deck that commands leave out unless it is named.
    only_when_named: bool,
    path: Option<String>,
    problem: Option<&'a str>,
}

fn write_json(entries: &[DeckEntry], out: &mut dyn Write) -> Result<()> {
    let decks: Vec<JsonDeck> = entries
        .iter()
        .map(|entry| JsonDeck {
            name: &entry.name,
            cards: entry.cards,
            origin: entry.origin.as_str(),
            only_when_named: entry.only_when_named,
            path: entry.path.as_ref().map(|path| path.display().to_string()),
            problem: entry.problem.as_deref(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &decks)?;
    writeln!(out)?;
    Ok(())
}
