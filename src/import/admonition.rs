//! Admonitions that ask (Python-Markdown and MkDocs Material): `???
//! question "What is a pod?"`, `!!! faq "…"` or `???+ help "…"` over an
//! answer indented four spaces. The title is the question and the indented
//! body its answer, which the answer's dedent turns back into prose. The
//! question types ask whatever their title says (`Explain a Deployment`);
//! other types (`!!! note`, `!!! tip`) are part of the text they stand in.
//!
//! The importer's one rule for this convention: [`admonition_rule`], in
//! [`super::propose`]'s table.

use super::detect::{Candidate, Shape};
use super::document::{BlockKind, Document};
use super::propose::block_candidate;
use super::reading::QuestionForms;

/// The admonition types that are questions by name (MkDocs Material's
/// `question` and its aliases).
const QUESTION_TYPES: &[&str] = &["question", "faq", "help"];

/// An admonition's opening line: its type and title (`??? question "What
/// is a pod?"` is `question` and `What is a pod?`). `None` for any other
/// line, and for an admonition without a title.
fn opening(line: &str) -> Option<(&str, &str)> {
    let rest = ["???+", "???", "!!!"]
        .iter()
        .find_map(|mark| line.strip_prefix(mark))?;
    let rest = rest.strip_prefix(' ')?.trim();
    let quote = rest.find('"')?;
    let kind = rest[..quote].split_whitespace().next()?;
    let title = rest[quote..].strip_prefix('"')?.strip_suffix('"')?.trim();
    (!title.is_empty() && kind.chars().all(|ch| ch.is_alphanumeric() || ch == '-'))
        .then_some((kind, title))
}

/// The rule: a paragraph that opens with a question admonition proposes
/// its title as a labelled question; any other paragraph is left to the
/// rules after this one.
pub(super) fn admonition_rule(
    document: &Document,
    index: usize,
    _: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    let block = &document.blocks[index];
    if block.kind != BlockKind::Paragraph || block.list_depth > 0 {
        return false;
    }
    let source = &document.text[block.range.clone()];
    let first_line = source.lines().next().unwrap_or("");
    let Some((kind, title)) = opening(first_line) else {
        return false;
    };
    if !QUESTION_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
        return false;
    }
    let question_end = block.range.start + first_line.len();
    let mut candidate = block_candidate(document, index, Shape::Marked, question_end, title);
    candidate.answer_range = Some(question_end..body_end(&document.text, question_end));
    candidates.push(candidate);
    true
}

/// Where an admonition's body ends: after its last line indented by four
/// spaces or a tab, blank lines between them being part of it.
fn body_end(text: &str, from: usize) -> usize {
    let mut end = from;
    let mut offset = from;
    for line in text[from..].split_inclusive('\n').skip(1) {
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        if !(line.starts_with("    ") || line.starts_with('\t')) {
            break;
        }
        end = offset;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::opening;
    use crate::import::read_text;

    #[test]
    fn openings_read_type_and_title() {
        assert_eq!(
            opening(r#"??? question "What is a pod?""#),
            Some(("question", "What is a pod?"))
        );
        assert_eq!(
            opening(r#"???+ faq "Explain DNS""#),
            Some(("faq", "Explain DNS"))
        );
        assert_eq!(
            opening(r#"!!! note inline end "Why?""#),
            Some(("note", "Why?"))
        );
        assert_eq!(opening("!!! note"), None);
        assert_eq!(opening(r#"!!! note """#), None);
        assert_eq!(opening("??? is this a question"), None);
        assert_eq!(opening(r#"Wait!!! "no""#), None);
    }

    /// Question admonitions over indented answers, collapsed or open, with
    /// a blank line before the answer or none. A note admonition that
    /// does not ask, outside their bodies, is no answer and is reported.
    #[test]
    fn question_admonitions_are_cards() {
        let notes = read_text(
            "# Kubernetes\n\n\
             ??? question \"What is a pod?\"\n\n    The smallest deployable unit.\n\n    \
             It holds one or more containers.\n\n\
             !!! note \"Sidecars\"\n\n    A pod may hold helpers.\n\n\
             ???+ faq \"Explain a Deployment\"\n    A controller that keeps pods running.\n\n\
             ??? question \"Why use a Service?\"\n\n    Pods come and go; a Service stays.\n"
                .into(),
        );
        let cards: Vec<(&str, &str)> = notes
            .cards
            .iter()
            .map(|card| (card.question.as_str(), card.answer.as_str()))
            .collect();
        assert_eq!(
            cards,
            [
                (
                    "What is a pod?",
                    "The smallest deployable unit.\n\nIt holds one or more containers."
                ),
                (
                    "Explain a Deployment",
                    "A controller that keeps pods running."
                ),
                ("Why use a Service?", "Pods come and go; a Service stays.")
            ]
        );
        // The note stands outside every body: kept out of the cards, and
        // said so.
        let skipped: Vec<(usize, usize)> = notes
            .skipped
            .iter()
            .map(|skip| (skip.first_line, skip.last_line))
            .collect();
        assert_eq!(skipped, [(9, 11)], "{:?}", notes.skipped);
    }
}
