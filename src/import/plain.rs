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

/// What the plain-text rules read a line with.
struct Plain<'a> {
    document: &'a Document,
    /// The indentation of the least indented line: numbered questions
    /// stand there, numbered steps of an answer deeper.
    min_indent: usize,
    mode: Option<&'a QuestionForms>,
}

/// A plain-text rule for one convention: offered the line at an index, it
/// pushes its candidate (or none) and says whether the line was its
/// convention's; if not, the next rule is asked.
type LineRule = fn(&Plain, usize, &mut Vec<Candidate>) -> bool;

/// The plain-text rules, in the order they are asked.
const LINE_RULES: &[LineRule] = &[
    // answer labels, `Question 3` numbering and page chrome ask nothing
    not_a_question,
    // `Question:` alone over the paragraph that asks
    label_alone,
    // the first paragraph after a `#-----#` separator, when it asks
    after_separator_rule,
    // numbered lines, `Q:` lines, lines that ask, titles standing alone
    line_rule,
];

pub(super) fn plain_candidates(
    document: &Document,
    mode: Option<&QuestionForms>,
) -> Vec<Candidate> {
    let plain = Plain {
        document,
        min_indent: document
            .blocks
            .iter()
            .map(|block| block.indent)
            .min()
            .unwrap_or(0),
        mode,
    };
    let mut candidates = Vec::new();
    for index in 0..document.blocks.len() {
        for rule in LINE_RULES {
            if rule(&plain, index, &mut candidates) {
                break;
            }
        }
    }
    candidates
}

fn not_a_question(plain: &Plain, index: usize, _: &mut Vec<Candidate>) -> bool {
    let text = plain.document.blocks[index].text.as_str();
    plain.document.answer_marker(text).is_some()
        || is_page_chrome(text)
        || is_answer_label(text)
        || is_numbered_label(text)
}

/// `Question:` alone on its line labels the paragraph under it (the next
/// one, past blank lines).
fn label_alone(plain: &Plain, index: usize, candidates: &mut Vec<Candidate>) -> bool {
    let block = &plain.document.blocks[index];
    if !is_question_label_alone(&block.text) {
        return false;
    }
    let paragraph = paragraph_at(plain.document, index + 1);
    if let (Some(first), Some(last)) = (paragraph.first(), paragraph.last()) {
        candidates.push(Candidate {
            question: escape_plain(&joined(paragraph)),
            block: Some(index + paragraph.len()),
            blank_before: block.blank_before,
            text_start: Some(first.range.start),
            ..Candidate::new(Shape::Marked, "", block.range.start, last.range.end)
        });
    }
    true
}

/// The first paragraph after a separator line (`#-----#`) is the question
/// of the block it opens, when it asks.
fn after_separator_rule(plain: &Plain, index: usize, candidates: &mut Vec<Candidate>) -> bool {
    let blocks = &plain.document.blocks;
    let block = &blocks[index];
    let text = block.text.as_str();
    let asks = after_separator(blocks, index)
        && !is_separator(text)
        && block.indent == plain.min_indent
        && strip_question_marker(text).is_none()
        && (ends_like_question(text) || opens_like_prompt(text));
    if !asks {
        return false;
    }
    let mut paragraph = paragraph_at(plain.document, index);
    // A question that ends with its `?` before the paragraph does is
    // answered by the lines under it, written on without a blank line.
    if let Some(asked) = paragraph
        .iter()
        .position(|line| ends_like_question(&line.text))
        && asked + 1 < paragraph.len()
        && !ends_like_question(&paragraph[asked + 1].text)
    {
        paragraph = &paragraph[..=asked];
    }
    let Some(last) = paragraph.last().filter(|_| paragraph.len() <= 6) else {
        return false;
    };
    candidates.push(Candidate {
        question: escape_plain(&joined(paragraph)),
        block: Some(index + paragraph.len() - 1),
        blank_before: block.blank_before,
        ..Candidate::new(Shape::AfterRule, "", block.range.start, last.range.end)
    });
    true
}

/// A line of its own: numbered, labelled `Q:`, asking, or a title; which
/// is decided by its siblings' roles.
fn line_rule(plain: &Plain, index: usize, candidates: &mut Vec<Candidate>) -> bool {
    let document = plain.document;
    let block = &document.blocks[index];
    let text = block.text.as_str();
    let custom = custom_question_label(plain.mode);
    let next = document.blocks.get(index + 1);
    // A line underlined (`Title` over `=====`) stands alone as a title
    // set off by blank lines does.
    let underlined =
        next.is_some_and(|next| next.blank_before == 0 && underlines(&next.text, text));
    let blank_after = next.is_none_or(|next| next.blank_before > 0) || underlined;
    let topic = rule_title(text);
    let opens_paragraph = index == 0 || block.blank_before > 0 || overlined(document, index);
    let alone = opens_paragraph && blank_after || topic.is_some();
    // A line that asks heading its paragraph, the answer written on under
    // it without a blank line (`What does DNS do?` / `It turns names
    // into addresses.`): the next line does not ask too (a list of
    // questions), nor is it the question's second line.
    // So is a line that asks over an answer indented under it, blank
    // lines or none (`What is DNS?` / `  The name system.`).
    let indented_under = next.is_some_and(|next| {
        next.blank_before == 0 && block.indent == plain.min_indent && next.indent > block.indent
    });
    let heads_answer =
        (opens_paragraph || indented_under || after_separator(&document.blocks, index))
            && ends_like_question(text)
            && next.is_some_and(|next| {
                next.blank_before == 0
                    && !underlined
                    && !ends_like_question(&next.text)
                    && !is_separator(&next.text)
                    && rule_title(&next.text).is_none()
            });
    let marked = next
        .is_some_and(|next| next.blank_before <= 2 && document.answer_marker(&next.text).is_some());
    let (numbering, _, rest) = split_numbering(text);
    let bullet = text.starts_with(['•', '-', '*', '–', '▪', '◦', '·', '>', '+']);
    let told_lines = plain
        .mode
        .is_some_and(|forms| forms.has(&QuestionMode::Line));
    let shape =
        if numbering != Numbering::None && block.indent == plain.min_indent && !rest.is_empty() {
            Shape::Numbered
        } else if strip_question_marker(text).is_some()
            || custom.is_some_and(|word| strip_label(text, word).is_some())
        {
            Shape::Marked
        } else if (ends_like_question(text) || opens_like_prompt(text))
            && (alone || marked || told_lines || heads_answer)
            && text.len() <= 250
            && !bullet
        {
            Shape::QuestionLine
        } else if (alone || marked) && is_title_like(text) && !bullet {
            Shape::Title
        } else {
            return true;
        };
    let mut candidate = Candidate::new(
        shape,
        topic.unwrap_or(text),
        block.range.start,
        block.range.end,
    );
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
    true
}

/// Whether the line at `index` opens a block after a separator line, past
/// lines without a letter (`7.2`, a section's number).
fn after_separator(blocks: &[Block], index: usize) -> bool {
    blocks[..index]
        .iter()
        .rev()
        .find(|block| is_separator(&block.text) || block.text.chars().any(char::is_alphabetic))
        .is_some_and(|block| is_separator(&block.text) || rule_title(&block.text).is_some())
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
                && rule_title(&line.text).is_none()
        })
        .count();
    &blocks[..length]
}

/// A paragraph's lines as one line of question.
fn joined(paragraph: &[Block]) -> String {
    let lines: Vec<&str> = paragraph.iter().map(|line| line.text.as_str()).collect();
    lines.join(" ")
}

/// A title drawn into a separator line (`#------Linux`, `==== Linux ====`):
/// its text, when the line opens with three marks or more and has words.
fn rule_title(line: &str) -> Option<&str> {
    let line = line.trim();
    let marks = line.len() - line.trim_start_matches(['-', '=', '#', '*', '~']).len();
    let dashes = line[..marks].chars().filter(|c| *c != '#').count();
    if dashes < 3 {
        return None;
    }
    let text = line[marks..]
        .trim_end_matches(['-', '=', '#', '*', '~'])
        .trim();
    (text.chars().any(char::is_alphabetic) && text.chars().count() <= 90).then_some(text)
}

/// Whether `line` underlines `title`: one mark (`=`, `-`, `~`, `*`, `^`,
/// `#`) repeated under it, about as long (half of it at least).
fn underlines(line: &str, title: &str) -> bool {
    let line = line.trim();
    let Some(mark) = line.chars().next() else {
        return false;
    };
    "=-~*^#".contains(mark)
        && line.chars().all(|c| c == mark)
        && line.chars().count() >= 3
        && line.chars().count() * 2 >= title.trim().chars().count()
}

/// Whether the line at `index` stands under a line of marks that its own
/// underline repeats (a title over- and underlined), directly.
fn overlined(document: &Document, index: usize) -> bool {
    let blocks = &document.blocks;
    let block = &blocks[index];
    index > 0
        && block.blank_before == 0
        && underlines(&blocks[index - 1].text, &block.text)
        && blocks.get(index + 1).is_some_and(|next| {
            next.blank_before == 0 && next.text.trim() == blocks[index - 1].text.trim()
        })
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
    let set_off = blocks
        .get(position + 1)
        .is_none_or(|next| next.blank_before > 0 || underlines(&next.text, &block.text));
    let standing = (position == 0 || block.blank_before > 0 || overlined(document, position))
        && set_off
        || rule_title(&block.text).is_some();
    standing
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
