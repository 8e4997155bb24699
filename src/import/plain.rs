//! Candidates in plain text (a page copied from a browser, notes typed
//! without markup), where the only structure is lines and blank lines: a
//! numbered line, a `Q:` line or a `Question:` label over its paragraph, a
//! line ending in `?` or opening with a prompt's verb, a short title
//! standing alone. Plain text becomes markdown on the card, so the
//! characters markdown would read as markup are escaped here.

use super::detect::{Candidate, Shape, custom_question_label};
use super::document::{Block, Document};
use super::markers::{
    Numbering, ends_like_question, is_answer_label, is_numbered_label, is_page_chrome,
    is_question_label_alone, opens_like_prompt, split_numbering, strip_label,
    strip_question_marker,
};
use super::reading::{QuestionForms, QuestionMode};

pub(super) fn plain_candidates(
    document: &Document,
    mode: Option<&QuestionForms>,
) -> Vec<Candidate> {
    let custom = custom_question_label(mode);
    let blocks = &document.blocks;
    let min_indent = blocks.iter().map(|block| block.indent).min().unwrap_or(0);
    let mut candidates = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let text = block.text.as_str();
        if document.answer_marker(text).is_some()
            || is_page_chrome(text)
            || is_answer_label(text)
            || is_numbered_label(text)
        {
            continue;
        }
        // `Question:` alone on its line labels the paragraph under it (the
        // next one, past blank lines).
        if is_question_label_alone(text) {
            let paragraph = paragraph_at(document, index + 1);
            if let (Some(first), Some(last)) = (paragraph.first(), paragraph.last()) {
                candidates.push(Candidate {
                    question: escape_plain(&joined(paragraph)),
                    block: Some(index + paragraph.len()),
                    blank_before: block.blank_before,
                    text_start: Some(first.range.start),
                    ..Candidate::new(Shape::Marked, "", block.range.start, last.range.end)
                });
            }
            continue;
        }
        // The first paragraph after a separator line (`#-----#`) is the
        // question of the block it opens, when it asks.
        if after_separator(blocks, index)
            && !is_separator(text)
            && block.indent == min_indent
            && strip_question_marker(text).is_none()
            && (ends_like_question(text) || opens_like_prompt(text))
        {
            let paragraph = paragraph_at(document, index);
            if let Some(last) = paragraph.last()
                && paragraph.len() <= 6
            {
                candidates.push(Candidate {
                    question: escape_plain(&joined(paragraph)),
                    block: Some(index + paragraph.len() - 1),
                    blank_before: block.blank_before,
                    ..Candidate::new(Shape::AfterRule, "", block.range.start, last.range.end)
                });
                continue;
            }
        }
        let next = blocks.get(index + 1);
        let blank_after = next.is_none_or(|next| next.blank_before > 0);
        let alone = (index == 0 || block.blank_before > 0) && blank_after;
        let marked = next.is_some_and(|next| {
            next.blank_before <= 2 && document.answer_marker(&next.text).is_some()
        });
        let (numbering, _, rest) = split_numbering(text);
        let bullet = text.starts_with(['•', '-', '*', '–', '▪', '◦', '·', '>', '+']);
        let shape =
            if numbering != Numbering::None && block.indent == min_indent && !rest.is_empty() {
                Shape::Numbered
            } else if strip_question_marker(text).is_some()
                || custom.is_some_and(|word| strip_label(text, word).is_some())
            {
                Shape::Marked
            } else if (ends_like_question(text) || opens_like_prompt(text))
                && (alone || marked || mode.is_some_and(|forms| forms.has(&QuestionMode::Line)))
                && text.len() <= 250
                && !bullet
            {
                Shape::QuestionLine
            } else if (alone || marked) && is_title_like(text) && !bullet {
                Shape::Title
            } else {
                continue;
            };
        let mut candidate = Candidate::new(shape, text, block.range.start, block.range.end);
        if let Some(rest) = custom.and_then(|word| strip_label(&candidate.question, word)) {
            candidate.question = rest.to_owned();
        }
        candidates.push(Candidate {
            question: escape_plain(&candidate.question),
            block: Some(index),
            marked,
            blank_before: block.blank_before,
            ..candidate
        });
    }
    candidates
}

/// Whether the line at `index` opens a block after a separator line, past
/// lines without a letter (`7.2`, a section's number).
fn after_separator(blocks: &[Block], index: usize) -> bool {
    blocks[..index]
        .iter()
        .rev()
        .find(|block| is_separator(&block.text) || block.text.chars().any(char::is_alphabetic))
        .is_some_and(|block| is_separator(&block.text))
}

/// The lines of the paragraph that starts at `from`, up to a blank line,
/// an answer label or a separator line.
fn paragraph_at(document: &Document, from: usize) -> &[Block] {
    let blocks = &document.blocks[from..];
    let length = blocks
        .iter()
        .enumerate()
        .take_while(|(at, line)| {
            (*at == 0 || line.blank_before == 0)
                && document.answer_marker(&line.text).is_none()
                && !is_separator(&line.text)
        })
        .count();
    &blocks[..length]
}

/// A paragraph's lines as one line of question.
fn joined(paragraph: &[Block]) -> String {
    let lines: Vec<&str> = paragraph.iter().map(|line| line.text.as_str()).collect();
    lines.join(" ")
}

/// A line that only separates (`#----------#`, `*****`, `=====`): no
/// letter or digit, three marks at least.
fn is_separator(text: &str) -> bool {
    text.chars().count() >= 3 && !text.chars().any(char::is_alphanumeric)
}

/// A short line that reads like a title: no closing punctuation of a
/// sentence, starts with a capital, a digit or a symbol.
fn is_title_like(text: &str) -> bool {
    let chars = text.chars().count();
    (2..=90).contains(&chars)
        && !text.ends_with(['.', ',', ';', ':'])
        && text.chars().any(char::is_alphabetic)
        && text.chars().next().is_some_and(|first| {
            first.is_uppercase() || first.is_ascii_digit() || !first.is_alphanumeric()
        })
}

/// Plain text: a title-like line with blank lines around it.
pub(crate) fn is_standalone_title(document: &Document, position: usize) -> bool {
    let blocks = &document.blocks;
    let block = &blocks[position];
    (position == 0 || block.blank_before > 0)
        && blocks
            .get(position + 1)
            .is_none_or(|next| next.blank_before > 0)
        && is_title_like(&block.text)
        // `A: 1` stands alone too, but opens an answer.
        && document.answer_marker(&block.text).is_none()
}

/// Plain text becomes markdown: characters markdown would read as markup
/// are escaped.
pub fn escape_plain(text: &str) -> String {
    // Brackets only make a link before `(` or `[`: `s[::-1]` reads the
    // same in markdown, and stays as typed.
    let links = text.contains("](") || text.contains("][");
    let mut escaped = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        if matches!(ch, '\\' | '*' | '_' | '`' | '<') || (links && matches!(ch, '[' | ']')) {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}
