//! `prep add --deck NAME`: append one card to a deck, with the id an import
//! would give its question, so nobody invents ids. The question and answer
//! come from flags, or from the editor on a small template when either is
//! missing.

use std::io::{IsTerminal as _, Write};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use super::Outcome;
use crate::Settings;
use crate::decks::card_identity::{new_id, normalize};
use crate::decks::collection::bundled;
use crate::decks::deck::{Card, Deck, check_deck_name};
use crate::decks::lines::written_card_lines;

pub struct Options {
    pub deck: String,
    pub question: Option<String>,
    pub answer: Option<String>,
    pub tags: Vec<String>,
    pub json: bool,
}

#[derive(Serialize)]
struct Added<'a> {
    deck: &'a str,
    path: String,
    line: usize,
    #[serde(flatten)]
    card: &'a Card,
}

/// The line between question and answer in the editor's template.
const ANSWER_LINE: &str = "------------------------ answer ------------------------";

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    check_deck_name(&options.deck)?;
    let collection = settings.collection();
    let path = collection.user_deck_path(&options.deck);
    let exists = path.try_exists().unwrap_or(true);
    let mut deck = if exists {
        Deck::load(&path).with_context(|| format!("not adding to deck {}", options.deck))?
    } else if let Some(text) = bundled(&options.deck) {
        // A bundled deck becomes the user's copy, as the editor does.
        Deck::parse(text, &path)?
    } else {
        Deck::default()
    };
    let (question, answer, from_the_editor) = match (&options.question, &options.answer) {
        (Some(question), Some(answer)) => (question.clone(), answer.clone(), false),
        _ => {
            let (question, answer) = from_editor(settings, options)?;
            (question, answer, true)
        }
    };
    let (question, answer) = (question.trim().to_string(), answer.trim().to_string());
    if question.is_empty() || answer.is_empty() {
        bail!(
            "a card needs a question and an answer; nothing was added to deck {}",
            options.deck
        );
    }
    if let Some(existing) = deck
        .cards
        .iter()
        .find(|card| normalize(&card.question) == normalize(&question))
    {
        // What was written in the editor is kept, not lost with the error.
        let kept = if from_the_editor {
            keep_written(&question, &answer)
                .map(|path| format!(" (what you wrote is kept in {})", path.display()))
                .unwrap_or_default()
        } else {
            String::new()
        };
        bail!(
            "deck {} already asks this as card {}; change it with `prep edit {}`, or delete it first with `prep delete {}`; nothing was added{kept}",
            options.deck,
            existing.id,
            existing.id,
            existing.id
        );
    }
    let taken: std::collections::HashSet<String> =
        deck.cards.iter().map(|card| card.id.clone()).collect();
    let card = Card {
        id: new_id(&options.deck, &question, &taken),
        question,
        answer,
        reverse: None,
        tags: options.tags.clone(),
        source: None,
    };
    deck.cards.push(card.clone());
    let text = deck.to_yaml();
    crate::decks::deck::write_atomically(&path, text.as_bytes())?;
    let line = written_card_lines(&text).last().copied().unwrap_or(1);
    if options.json {
        let added = Added {
            deck: &options.deck,
            path: path.display().to_string(),
            line,
            card: &card,
        };
        serde_json::to_writer(&mut *out, &added)?;
        writeln!(out)?;
    } else {
        let new = if exists { "" } else { " (a new deck file)" };
        writeln!(
            out,
            "added card {} to deck {} at {}:{line}{new}",
            card.id,
            options.deck,
            path.display()
        )?;
        if !deck.assigned_ids.is_empty() {
            writeln!(
                out,
                "wrote ids for cards typed without one: {}",
                deck.assigned_ids.join(", ")
            )?;
        }
    }
    Ok(Outcome::Success)
}

/// Writes a card's text to a file that stays, for an add that failed after
/// the editor; `None` if even that cannot be written.
fn keep_written(question: &str, answer: &str) -> Option<std::path::PathBuf> {
    let mut file = tempfile::Builder::new()
        .prefix("prep-add-")
        .suffix(".md")
        .tempfile()
        .ok()?;
    write!(file, "{question}\n{ANSWER_LINE}\n{answer}\n").ok()?;
    file.keep().ok().map(|(_, path)| path)
}

/// The question and answer written in the editor, starting from what the
/// flags gave.
fn from_editor(settings: &Settings, options: &Options) -> Result<(String, String)> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "pass both --question and --answer, or run `prep add` in a terminal to write them in your editor"
        );
    }
    let mut file = tempfile::Builder::new()
        .prefix("prep-add-")
        .suffix(".md")
        .tempfile()
        .context("cannot make a file for the editor")?;
    let template = format!(
        "{}\n{ANSWER_LINE}\n{}\n",
        options.question.as_deref().unwrap_or(""),
        options.answer.as_deref().unwrap_or("")
    );
    file.write_all(template.as_bytes())
        .and_then(|()| file.flush())
        .context("cannot write the editor's file")?;
    let status = settings.editor.open(file.path(), 1)?;
    if !status.success() {
        bail!(
            "the editor failed ({status}); nothing was added to deck {}",
            options.deck
        );
    }
    let text = std::fs::read_to_string(file.path()).context("cannot read the editor's file")?;
    split_template(&text).ok_or_else(|| {
        anyhow!(
            "the line {ANSWER_LINE:?} is gone, so the question cannot be told from the answer; nothing was added to deck {}",
            options.deck
        )
    })
}

/// The question above the answer line and the answer below it.
fn split_template(text: &str) -> Option<(String, String)> {
    let (question, answer) = text.split_once(&format!("{ANSWER_LINE}\n")).or_else(|| {
        text.strip_suffix(ANSWER_LINE)
            .map(|question| (question, ""))
    })?;
    Some((question.to_string(), answer.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_splits_at_its_answer_line() {
        let text = format!("What is X?\n{ANSWER_LINE}\nX is\n\n- a list\n");
        assert_eq!(
            split_template(&text),
            Some(("What is X?\n".into(), "X is\n\n- a list\n".into()))
        );
        assert_eq!(split_template("no line"), None);
    }
}
