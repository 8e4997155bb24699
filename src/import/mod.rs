/*!
Notes to cards.

The importer is a general reader of Q&A documents, not a set of rules for
known files. [`text`] repairs the bytes; [`formats`] tells the format and
rewrites Org, AsciiDoc and reStructuredText into markdown line for line
([`drill`] first takes the cards of Emacs tools from Org); [`document`]
reads markdown (with pulldown-cmark, [`html_details`] for `<details>`, from the
tags of [`crate::html`]) or plain
text into one flat model of blocks; [`markers`]
and [`labels`] know the small vocabulary of notes (numbering, openers,
`Q:`/`A:` in several languages, placeholders); [`detect`] scores every
block that could be a question ([`plain`] for plain text) and [`select`]
decides, per document, which conventions the author used, unless the user
named the form ([`reading`], [`chosen`]); [`regions`] says where each
answer ends; [`assemble`] cuts each answer ([`answer`] tidies it, [`code`]
fences plain-text code, [`choices`] splits multiple-choice options,
[`unanswered`] tells what is no answer), tags it ([`sections`]) and
reports every line no card took; [`explain`] says why. [`card_matching`]
tells which old card a found one is, [`merge`] folds the result into an
existing deck three ways, and [`into_deck`] does that for one deck and
writes it, against the deck's import record (kept by
`decks::import_record`, with the ids and fingerprints of
`decks::card_identity`).
*/

mod admonition;
mod advice;
pub mod answer;
pub mod assemble;
pub mod card_matching;
pub mod card_syntax;
pub mod choices;
pub mod chosen;
pub mod code;
pub mod detect;
pub mod document;
pub mod drill;
pub mod drill_progress;
#[cfg(test)]
mod edit_survival;
pub mod explain;
pub mod fences;
pub mod formats;
pub mod html_details;
pub mod into_deck;
pub mod labels;
pub mod markers;
pub mod merge;
pub mod plain;
mod propose;
pub mod reading;
pub mod regions;
pub mod sections;
pub mod select;
pub mod text;
pub mod unanswered;

pub use assemble::{FoundCard, SkipReason, Skipped, unusable};
pub use explain::Decision;
pub use formats::Format;
pub use merge::{
    CardStatus, Field, MergeInput, Merged, Reconciled, Resolve, merge, merge_three_way,
};
pub use reading::{QuestionForms, QuestionMode, Reading};
pub use text::TextError;

/// What a document holds: its title, its cards, and what was left out.
#[derive(Debug, Clone)]
pub struct Notes {
    pub title: Option<String>,
    /// Whether the document was read as markdown (else as plain text).
    pub markdown: bool,
    /// The format the notes were read in: markdown or plain when the text
    /// was read as it is, else the format rewritten into markdown.
    pub format: Format,
    pub cards: Vec<FoundCard>,
    pub skipped: Vec<Skipped>,
    /// The convention the questions were found in, in one line:
    /// `questions: level-3 headings (37 of 41)`.
    pub convention: String,
    /// Each role weighed, with its members' evidence and the verdict (for
    /// `--explain`, by the detector's own judgement).
    pub roles: Vec<String>,
    /// For every block that could have been a question, what was decided
    /// and why (for `--explain`); empty unless [`Reading::explain`].
    pub decisions: Vec<Decision>,
    /// What the report advises when the reading may not be the author's
    /// (a role close to the line, a line that asks read into an answer),
    /// a sentence each; empty when the user named the forms.
    pub advice: Vec<String>,
    /// The other tools' card syntaxes found, in one line (`Obsidian spaced
    /// repetition cards (5), carddown cards (2)`); empty when none.
    pub syntaxes: String,
    /// The review data of the org-drill entries, for `--with-progress`
    /// (their cards start on the entry's line).
    pub drill_progress: Vec<drill_progress::DrillProgress>,
}

/// Reads notes from raw bytes.
pub fn read_notes(bytes: &[u8]) -> Result<Notes, TextError> {
    read_notes_with(bytes, &Reading::default())
}

/// Reads notes from raw bytes the way the user said they are written.
pub fn read_notes_with(bytes: &[u8], reading: &Reading) -> Result<Notes, TextError> {
    let text = text::decode(bytes)?;
    Ok(read_text_with(text, reading))
}

/// Reads notes from text that is already clean UTF-8 with `\n` line ends.
pub fn read_text(text: String) -> Notes {
    read_text_with(text, &Reading::default())
}

/// [`read_text`], the way the user said the notes are written.
pub fn read_text_with(text: String, reading: &Reading) -> Notes {
    // Cards written in another tool's syntax are taken first; the detector
    // reads the rest, their lines blanked. A `--questions` form the user
    // gave is about the whole document, so it turns them off.
    let mut format = reading.format.unwrap_or_else(|| Format::of_text(&text));
    let mut emacs_cards = Vec::new();
    let mut drill_progress = Vec::new();
    let mut text = text;
    if format == Format::Org && reading.questions.is_none() {
        drill_progress = drill_progress::read(&text);
        let (cards, rest) = drill::extract(&text);
        emacs_cards = cards;
        text = rest.unwrap_or(text);
    }
    let mut given_title = None;
    if let Some(rewritten) = formats::to_markdown(format, &text) {
        text = rewritten.markdown;
        given_title = rewritten.title;
    }
    let mut extracted = if reading.questions.is_none() {
        card_syntax::extract(&text)
    } else {
        card_syntax::Extracted::default()
    };
    extracted.cards.extend(emacs_cards);
    let markdown = match format {
        Format::Markdown => text::looks_like_markdown(&text),
        Format::Plain => false,
        Format::Org | Format::AsciiDoc | Format::Rst => true,
    };
    if format == Format::Markdown && !markdown {
        format = Format::Plain;
    }
    let text = extracted.rest.unwrap_or(text);
    let document = document::Document::parse_labelled(text, markdown, reading.answer_label.clone());
    let mode = reading.questions.as_ref();
    let detection = detect::detect_with(&document, mode);
    let assembled = assemble::assemble(&document, &detection.questions);
    let (roles, decisions) = if reading.explain {
        let roles = match mode {
            Some(_) => Vec::new(),
            None => explain::roles(&detection),
        };
        let decisions = explain::decisions(&document, &detection, &assembled, mode);
        (roles, decisions)
    } else {
        (Vec::new(), Vec::new())
    };
    let advice = if mode.is_none() {
        advice::advise(&document, &detection)
    } else {
        Vec::new()
    };
    let mut skipped = assembled.skipped;
    let mut convention = explain::convention(&detection, mode);
    let mut found = assembled.cards;
    let mut syntaxes = String::new();
    if !extracted.cards.is_empty() {
        syntaxes = syntax_counts(&extracted.cards);
        convention = if found.is_empty() {
            format!("questions: {syntaxes}")
        } else {
            format!("{convention}; also {syntaxes}")
        };
        found.extend(extracted.cards.into_iter().map(|card| FoundCard {
            question: card.question,
            answer: card.answer,
            tags: card.tags,
            line: card.line,
            id: None,
            reverse: card.reverse,
        }));
        found.sort_by_key(|card| card.line);
    }
    let cards = assemble::checked_cards(found, &mut skipped);
    Notes {
        syntaxes,
        convention,
        roles,
        decisions,
        advice,
        title: given_title.or(assembled.title),
        markdown,
        format,
        cards,
        skipped,
        drill_progress,
    }
}

/// How many cards each other tool's syntax gave, in one line:
/// `Obsidian spaced repetition cards (3), carddown cards (1)`.
fn syntax_counts(cards: &[card_syntax::SyntaxCard]) -> String {
    let mut counts: Vec<(card_syntax::Syntax, usize)> = Vec::new();
    for card in cards {
        match counts.iter_mut().find(|(syntax, _)| *syntax == card.syntax) {
            Some((_, count)) => *count += 1,
            None => counts.push((card.syntax, 1)),
        }
    }
    counts.sort();
    counts
        .iter()
        .map(|(syntax, count)| format!("{syntax} cards ({count})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
