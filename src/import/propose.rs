//! The rules that propose a markdown document's candidates: each block
//! is offered to the rules of [`BLOCK_RULES`] in turn, and the first rule
//! that knows the block's convention proposes its candidates (or none). A
//! rule reads one convention; adding a convention is adding its rule to the
//! table, with its test. The candidates are weighed afterwards, all alike,
//! by [`super::detect`].

use std::ops::Range;

use super::detect::{Candidate, Shape, custom_question_label, is_spacer, question_text};
use super::document::{Block, BlockKind, Document};
use super::markers::{
    Numbering, QUESTION_MARKS, ends_like_question, is_anchor_link_line, is_answer_label,
    is_comparison, is_other_callout, is_question_label_alone, is_reveal_label, opens_like_prompt,
    split_numbering, strip_bold, strip_label, strip_question_marker,
};
use super::reading::{QuestionForms, QuestionMode};

/// The markdown source of a heading without its `#` marks (or setext
/// underline).
fn heading_source(source: &str) -> &str {
    let source = source.trim();
    if source.starts_with('#') {
        source
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim_end()
    } else {
        // Setext: the text lines, without the underline.
        match source.rfind('\n') {
            Some(at) => source[..at].trim(),
            None => source,
        }
    }
}

/// Where the bold question that opens `source` ends (just past its closing
/// `**`), when text follows it in the same paragraph: `**What is a pod?** A
/// pod is ...`. The bold text must read as a question or a prompt, so a
/// `**Note:**` or `**Pros:**` leading a paragraph of an answer is none.
fn bold_lead_question(source: &str) -> Option<usize> {
    let rest = source.trim_start();
    let lead = source.len() - rest.len();
    ["**", "__"].iter().find_map(|fence| {
        let inner = rest.strip_prefix(fence)?;
        let close = inner.find(fence)?;
        let question = inner[..close].trim();
        let after = &inner[close + fence.len()..];
        // (a bold term with its colon, `**Write Examples:** for each ...`,
        // is being described, not asked for)
        let question_like = ends_like_question(question)
            || (opens_like_prompt(question) && !question.ends_with([':', '：']));
        (question_like
            && !question.is_empty()
            && !question.contains("\n\n")
            && !after.trim().is_empty()
            && !after.starts_with(|c: char| c.is_alphanumeric()))
        .then_some(lead + fence.len() + close + fence.len())
    })
}

/// Where the line of `start` begins, when only blockquote markers stand
/// before `start` on it (`> What is sharding?`): the question's region takes
/// its `>` along, which would otherwise end the answer before it.
fn quote_start(text: &str, start: usize) -> usize {
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let prefix = &text[line_start..start];
    if prefix.contains('>') && prefix.chars().all(|ch| ch == '>' || ch.is_whitespace()) {
        line_start
    } else {
        start
    }
}

/// Whether `source` opens with a question label or number (`Q4.`, `Q:`,
/// `Question 3:`).
fn labelled_question(source: &str) -> bool {
    // (set in bold, as the label often is: `**Q19- What is…**`)
    let source = source.trim_start().trim_start_matches(['*', '_']);
    let (numbering, _, rest) = split_numbering(source);
    matches!(numbering, Numbering::QNumber | Numbering::Word)
        || strip_question_marker(source).is_some()
        || strip_question_marker(rest).is_some()
}

/// A paragraph that is one italic span (`*What happens when you send on
/// a closed channel,` / `or receive from one?*`): a question set apart as
/// a bold line is, whatever its line breaks.
pub(super) fn is_whole_emphasis(source: &str) -> bool {
    let text = source.trim();
    ['*', '_'].iter().any(|&mark| {
        text.len() > 2
            && text.starts_with(mark)
            && text.ends_with(mark)
            && !text[1..].starts_with(mark)
            && !text[1..text.len() - 1].contains(mark)
    })
}

/// Where the question of a one-line `question? — answer` ends (just past
/// its `?`) and its answer starts (past the dash or colon): `Default state
/// file name? — terraform.tfstate`, `Exit code with changes?: 2`. The
/// question has two words at least; the answer is on the same line.
fn inline_answer(source: &str) -> Option<(usize, usize)> {
    let line_end = source.find('\n').unwrap_or(source.len());
    let line = &source[..line_end];
    // `TCP vs UDP — TCP gives you ...`: a comparison asks as a question does
    if !line.contains(QUESTION_MARKS)
        && let Some(dash) = line.find(" — ").or_else(|| line.find(" – "))
        && is_comparison(&line[..dash])
    {
        let answer = line[dash..].trim_start_matches([' ', '—', '–']);
        return (!answer.is_empty() && line_end == source.trim_end().len())
            .then(|| (dash, line_end - answer.len()));
    }
    let mark = line.find(QUESTION_MARKS)?;
    let asked = mark + line[mark..].chars().next().map_or(1, char::len_utf8);
    let rest = &line[asked..];
    let trimmed =
        rest.trim_start_matches(|ch: char| QUESTION_MARKS.contains(&ch) || ch.is_whitespace());
    let after = ["—", "–", " - ", "-", ":", "->", "→", "="]
        .iter()
        .find_map(|separator| trimmed.strip_prefix(separator.trim_start()))?;
    let answer = after.trim_start();
    let words = line[..mark].split_whitespace().count();
    (words >= 2 && !answer.is_empty() && line_end == source.trim_end().len())
        .then(|| (asked, line_end - answer.len()))
}

fn join_lines(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rule for one convention: offered the block at an index, it pushes
/// that block's candidates (none, one, or a table's rows) and says whether
/// the block was its convention's; if not, the next rule is asked.
type BlockRule = fn(&Document, usize, Option<&QuestionForms>, &mut Vec<Candidate>) -> bool;

/// The block rules, in the order they are asked: each convention's rule
/// before the more general ones it would otherwise fall to.
const BLOCK_RULES: &[BlockRule] = &[
    // `## What is X?`, `### 1. Explain Y`, setext headings
    heading_rule,
    // `Question:` alone over the paragraph that asks
    labelled_rule,
    // `??? question "What is X?"` over an indented answer (MkDocs)
    super::admonition::admonition_rule,
    // `**Q:** …`, bold lines, list items and lines that ask
    paragraph_rule,
    // `<p>What is X?</p>`, a question written as HTML
    html_rule,
    // rows of a `| Question | Answer |` table
    table_rule,
];

pub(super) fn markdown_candidates(
    document: &Document,
    mode: Option<&QuestionForms>,
) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for index in 0..document.blocks.len() {
        for rule in BLOCK_RULES {
            if rule(document, index, mode, &mut candidates) {
                break;
            }
        }
    }
    // `<details><summary>What is X?</summary>`: the document knows its
    // details elements apart from its blocks.
    candidates.extend(summary_candidates(document));
    // a question says something: `**12.** ???` is a number and marks
    candidates.retain(|candidate| candidate.question.chars().any(char::is_alphabetic));
    candidates.sort_by_key(|candidate| candidate.start);
    candidates
}

fn heading_rule(
    document: &Document,
    index: usize,
    _: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    let BlockKind::Heading(level) = document.blocks[index].kind else {
        return false;
    };
    candidates.extend(heading_candidate(document, index, level));
    true
}

fn labelled_rule(
    document: &Document,
    index: usize,
    _: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    if document.blocks[index].kind != BlockKind::Paragraph {
        return false;
    }
    let Some(at) = labelled_next(document, index) else {
        return false;
    };
    candidates.push(labelled_candidate(document, index, at));
    true
}

fn paragraph_rule(
    document: &Document,
    index: usize,
    mode: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    if document.blocks[index].kind != BlockKind::Paragraph {
        return false;
    }
    candidates.extend(paragraph_candidate(document, index, mode));
    true
}

fn html_rule(
    document: &Document,
    index: usize,
    _: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    if document.blocks[index].kind != BlockKind::Html {
        return false;
    }
    candidates.extend(html_candidate(document, index));
    true
}

fn table_rule(
    document: &Document,
    index: usize,
    mode: Option<&QuestionForms>,
    candidates: &mut Vec<Candidate>,
) -> bool {
    let block = &document.blocks[index];
    if block.kind != BlockKind::Table {
        return false;
    }
    let told = mode.is_some_and(|forms| forms.has(&QuestionMode::Table));
    candidates.extend(table_candidates(document, index, block, told));
    true
}

/// A candidate of the block at `index`: its region starts at its list
/// item's marker, or at its line's `>` markers.
pub(super) fn block_candidate(
    document: &Document,
    index: usize,
    shape: Shape,
    question_end: usize,
    raw: &str,
) -> Candidate {
    let block = &document.blocks[index];
    let start = block.item_lead.map_or_else(
        || quote_start(&document.text, block.range.start),
        |lead| lead.item_start,
    );
    Candidate {
        block: Some(index),
        ..Candidate::new(shape, raw, start, question_end)
    }
}

fn heading_candidate(document: &Document, index: usize, level: u8) -> Option<Candidate> {
    let block = &document.blocks[index];
    let source = heading_source(&document.text[block.range.clone()]);
    // `#### Answer` under a question heading says where the answer
    // starts; it asks nothing.
    (!is_answer_label(source)).then(|| {
        block_candidate(
            document,
            index,
            Shape::Heading(level),
            block.range.end,
            source,
        )
    })
}

/// Where a paragraph's question ends and what says so: the paragraph may
/// hold its answer too.
#[derive(Default)]
struct ParagraphSplit {
    question_end: usize,
    /// An answer label opens a later line of the paragraph.
    marked: bool,
    /// A bold question leads the paragraph.
    bold_lead: bool,
    /// Where a one-line answer after a dash or colon starts.
    answer_from: Option<usize>,
}

fn paragraph_candidate(
    document: &Document,
    index: usize,
    mode: Option<&QuestionForms>,
) -> Option<Candidate> {
    let block = &document.blocks[index];
    let source = &document.text[block.range.clone()];
    if document.answer_marker(&block.text).is_some()
        || is_anchor_link_line(source)
        || is_other_callout(source)
    {
        return None;
    }
    let split = split_paragraph(document, block);
    let question_source = document.text[block.range.start..split.question_end].trim_end();
    let text = join_lines(question_source);
    let custom = custom_question_label(mode);
    let (shape, marked) = paragraph_shape(document, index, &split, question_source, &text, mode)?;
    let question_end = split.answer_from.unwrap_or(split.question_end);
    let mut candidate = block_candidate(document, index, shape, question_end, &text);
    if let Some(rest) = custom.and_then(|word| strip_label(&candidate.question, word)) {
        candidate.question = rest.to_owned();
    }
    candidate.marked = marked;
    Some(candidate)
}

/// The question a label standing alone labels (`Question:` over the
/// paragraph at `at`).
fn labelled_candidate(document: &Document, index: usize, at: usize) -> Candidate {
    let question = &document.blocks[at];
    let text = join_lines(&document.text[question.range.clone()]);
    let mut candidate = block_candidate(document, index, Shape::Marked, question.range.end, &text);
    candidate.question = question_text(&text).3;
    candidate.text_start = Some(question.range.start);
    candidate.block = Some(at);
    candidate
}

/// Where the question of a paragraph ends, when the paragraph goes on to
/// answer it; else the whole paragraph is the question.
fn split_paragraph(document: &Document, block: &Block) -> ParagraphSplit {
    let start = block.range.start;
    let source = &document.text[block.range.clone()];
    let whole = ParagraphSplit {
        question_end: block.range.end,
        ..ParagraphSplit::default()
    };
    // A question and its answer in one paragraph: `**Q:** ...` then a
    // line `**A:** ...`.
    let mut offset = start;
    for (number, line) in source.split_inclusive('\n').enumerate() {
        if number > 0 && document.answer_marker(line).is_some() {
            return ParagraphSplit {
                question_end: offset,
                marked: true,
                ..whole
            };
        }
        offset += line.len();
    }
    // A question on the paragraph's first line with the answer run on
    // below it (`1. What is X?` then an indented answer).
    // In a list item, so is a prompt on its first line (`1. Explain DNS.`
    // then `   It names hosts.`): the item's own lines run on under it.
    if let Some(first_end) = source.find('\n')
        && (ends_like_question(&source[..first_end])
            || block.item_lead.is_some() && is_prompt_line(&source[..first_end]))
        && !source[first_end..].trim().is_empty()
    {
        return ParagraphSplit {
            question_end: start + first_end,
            ..whole
        };
    }
    if source.trim_end().contains('\n')
        && labelled_question(source)
        && let Some(end) = labelled_sentence_end(source)
    {
        return ParagraphSplit {
            question_end: start + end,
            ..whole
        };
    }
    // A bold question leading its paragraph, the answer run on after it:
    // `**What is a pod?** A pod is ...`.
    if let Some(end) = bold_lead_question(source) {
        return ParagraphSplit {
            question_end: start + end,
            bold_lead: true,
            ..whole
        };
    }
    // A question and its short answer on one line of a list, after a dash
    // or colon: `- Default state file? — terraform.tfstate` (also a
    // paragraph of its own: `TCP vs UDP — TCP gives ...`).
    if (block.item_lead.is_some() || block.list_depth == 0)
        && let Some((asked, answer)) = inline_answer(source)
    {
        return ParagraphSplit {
            question_end: start + asked,
            answer_from: Some(start + answer),
            ..whole
        };
    }
    whole
}

/// A line that opens as a prompt does and ends as a sentence (`Explain
/// DNS.`, `Compare TCP and UDP:`), not one wrapped onto the next.
fn is_prompt_line(line: &str) -> bool {
    let line = line.trim();
    opens_like_prompt(line)
        && line.chars().count() <= 120
        && line
            .trim_end_matches(['*', '_'])
            .ends_with(['.', ':', '：', '。'])
}

/// A labelled question (`Q4.`, `Q:`) whose line ends as a sentence does,
/// the answer on the lines below it: `Q4. Explain precision, recall and
/// F1:` then the answer. A question may take two lines before its `?`.
/// Where its last line ends, when an answer follows.
fn labelled_sentence_end(source: &str) -> Option<usize> {
    let mut offset = 0;
    for (number, line) in source.split_inclusive('\n').enumerate() {
        offset += line.len();
        let line = line.trim_end();
        // (`Question:` alone on its line labels the lines under it,
        // which hold the question)
        if number == 0 && is_question_label_alone(line) {
            continue;
        }
        // (closing emphasis aside: `**Q19- What is X.**`)
        let ending = line.trim_end_matches(['*', '_']);
        if ending.ends_with([':', '.', '：', '。']) || ends_like_question(line) {
            return (!source[offset..].trim().is_empty()).then_some(offset - 1);
        }
    }
    None
}

/// The shape of a paragraph's question, and whether its layout marks the
/// answer; `None` when the paragraph is no candidate.
fn paragraph_shape(
    document: &Document,
    index: usize,
    split: &ParagraphSplit,
    question_source: &str,
    text: &str,
    mode: Option<&QuestionForms>,
) -> Option<(Shape, bool)> {
    let block = &document.blocks[index];
    let custom = custom_question_label(mode);
    let (numbering, _, unnumbered) = split_numbering(text);
    let q_marked = strip_question_marker(text).is_some()
        || strip_question_marker(unnumbered).is_some()
        || custom.is_some_and(|word| strip_label(text, word).is_some());
    let shape = if block.definition_term {
        // `Term` over `: definition`: the layout says which part answers,
        // as a table's columns do.
        return Some((Shape::Term, true));
    } else if block.item_lead.is_some() {
        let q_numbered = matches!(numbering, Numbering::QNumber | Numbering::Word);
        let next_marked = next_content(document, index)
            .is_some_and(|next| document.answer_marker(&next.text).is_some());
        // (an item set in bold as a whole is a candidate whatever it says:
        // its siblings decide whether bold items are the questions, `Fale
        // sobre você.` among `**Por que…?**`)
        let candidate = ends_like_question(text)
            || mode.is_some_and(|forms| forms.has(&QuestionMode::List))
            || opens_like_prompt(text)
            || q_numbered
            || block.whole_bold
            || next_marked
            || split.marked
            || q_marked;
        if !candidate {
            return None;
        }
        Shape::ListLead(block.list_depth)
    } else if q_marked {
        Shape::Marked
    } else if index > 0
        && document.blocks[index - 1].kind == BlockKind::Rule
        && block.list_depth == 0
        && !question_source.contains('\n')
        && text.len() <= 200
        && !text.trim_end().ends_with(':')
    {
        Shape::AfterRule
    } else if (block.whole_bold || split.bold_lead || strip_bold(question_source.trim()).is_some())
        && text.len() <= 300
        && !super::unanswered::is_metadata_line(question_source)
    {
        Shape::BoldLine
    } else if (!question_source.contains('\n') || is_whole_emphasis(question_source))
        && text.len() <= 250
        && (ends_like_question(text) || opens_like_prompt(text) || split.answer_from.is_some())
        && block.list_depth == 0
    {
        Shape::QuestionLine
    } else {
        return None;
    };
    Some((shape, split.marked))
}

/// `<p>1. What is the JVM?</p>`: a question written as HTML, on one line
/// or a few (`<p class="message">` / `<font>Question 1</font> – What is
/// CSRF ?` / `</p>`). (An HTML block runs on to a blank line: what follows
/// the element's closing tag is the answer.)
fn html_candidate(document: &Document, index: usize) -> Option<Candidate> {
    let block = &document.blocks[index];
    let source = &document.text[block.range.clone()];
    let question_end = html_element_end(source);
    let element = &source[..question_end];
    // (the cheap tests first: most HTML blocks are layout or `<details>`,
    // and are settled before their tags are read)
    if element.trim_end().lines().count() > 4 || element.len() > 1000 {
        return None;
    }
    // (a `<details>` is read as one, by its summary; the document knows
    // where each opens)
    let element_end = block.range.start + question_end;
    if document
        .details_from(block.range.start)
        .first()
        .is_some_and(|details| details.open < element_end)
        || element.contains("<summary")
    {
        return None;
    }
    let text = join_lines(&crate::html::text(element));
    (text.len() <= 250
        && (ends_like_question(&text) || opens_like_prompt(&text) || labelled_question(&text)))
    .then(|| block_candidate(document, index, Shape::QuestionLine, element_end, &text))
}

/// A `<details>` element's summary, unless the summary is a heading, the
/// element holds others, or the summary only says `Answer`.
fn summary_candidates(document: &Document) -> impl Iterator<Item = Candidate> + '_ {
    document
        .details
        .iter()
        .enumerate()
        .filter(|&(index, details)| {
            // Details are in the order they open, so the next one is the
            // first that could be inside this one.
            let holds_details = document
                .details
                .get(index + 1)
                .is_some_and(|inner| inner.open > details.open && inner.open < details.close);
            !(details.summary_is_heading || holds_details || is_reveal_label(&details.summary))
        })
        .map(|(index, details)| Candidate {
            details: Some(index),
            ..Candidate::new(
                Shape::Summary,
                &details.summary,
                details.open,
                details.body_start,
            )
        })
}

/// Where the element that opens an HTML block ends: just past the line
/// that closes it (`</p>`, `</div>`, `</h3>`), or the whole block.
fn html_element_end(source: &str) -> usize {
    let mut offset = 0;
    // (an element over more lines than a question takes is no question:
    // the search stops there)
    for line in source.split_inclusive('\n').take(5) {
        offset += line.len();
        let closing = line.trim_end().to_ascii_lowercase();
        // (by bytes: the line may end in any character, `…é</p>`)
        let heading_close = closing.as_bytes().rchunks(5).next().is_some_and(|end| {
            end.len() == 5 && end.starts_with(b"</h") && end[3].is_ascii_digit() && end[4] == b'>'
        });
        if closing.ends_with("</p>") || closing.ends_with("</div>") || heading_close {
            return offset;
        }
    }
    source.len()
}

/// The paragraph a question label standing alone labels (`Question:`, or
/// `**Question:**`, over a blank line and the question): the next block,
/// when it is text and not itself an answer.
fn labelled_next(document: &Document, index: usize) -> Option<usize> {
    let block = &document.blocks[index];
    if !is_question_label_alone(&block.text) {
        return None;
    }
    let at = index
        + 1
        + document.blocks[index + 1..]
            .iter()
            .position(|next| !is_spacer(document, next))?;
    let next = &document.blocks[at];
    (next.kind == BlockKind::Paragraph
        && next.list_depth == block.list_depth
        && document.answer_marker(&next.text).is_none())
    .then_some(at)
}

/// Rows of a two-column table of questions and answers.
/// The headers of a glossary table's columns: `Term | Meaning`.
const GLOSSARY_TERMS: &[&str] = &[
    "term", "concept", "keyword", "acronym", "word", "terme", "término", "begriff",
];
const GLOSSARY_MEANINGS: &[&str] = &[
    "meaning",
    "definition",
    "description",
    "explanation",
    "what it means",
    "what it is",
    "signification",
    "définition",
    "significado",
    "definición",
    "bedeutung",
    "erklärung",
];

fn table_candidates(
    document: &Document,
    index: usize,
    block: &Block,
    told: bool,
) -> Vec<Candidate> {
    let rows = &block.table_rows;
    let width = rows.first().map_or(0, Vec::len);
    if rows.len() < 2 || width < 2 || rows.iter().any(|row| row.len() != width) {
        return Vec::new();
    }
    let cell = |range: &Range<usize>| document.text[range.clone()].trim().to_owned();
    let header: Vec<String> = rows[0]
        .iter()
        .map(|range| cell(range).to_lowercase())
        .collect();
    // `Question | Answer`, or a glossary's `Term | Meaning`, which is read
    // as a definition list is
    let says_question = |h: &str| h.contains("question") || h == "q" || GLOSSARY_TERMS.contains(&h);
    let says_answer = |h: &str| h.contains("answer") || h == "a" || GLOSSARY_MEANINGS.contains(&h);
    // A wider table names its two columns (`# | Question | Answer`), and
    // its others only number the rows: text in another column would be
    // lost from the cards.
    let (asked, answered) = if width == 2 {
        (0, 1)
    } else {
        let asked = header.iter().position(|h| says_question(h));
        let answered = header.iter().position(|h| says_answer(h));
        let (Some(asked), Some(answered)) = (asked, answered) else {
            return Vec::new();
        };
        let numbers_only = rows[1..].iter().all(|row| {
            row.iter().enumerate().all(|(column, range)| {
                column == asked
                    || column == answered
                    || cell(range)
                        .chars()
                        .all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | ')' | '#' | ' '))
            })
        });
        if asked == answered || !numbers_only {
            return Vec::new();
        }
        (asked, answered)
    };
    let header_says_qa = says_question(&header[asked]);
    let header_says_answer = says_answer(&header[answered]);
    let body = &rows[1..];
    let asking = body
        .iter()
        .filter(|row| ends_like_question(&cell(&row[asked])))
        .count();
    let linked = body
        .iter()
        .filter(|row| {
            is_anchor_link_line(&cell(&row[answered])) || is_anchor_link_line(&cell(&row[asked]))
        })
        .count();
    if !told
        && (linked * 2 > body.len()
            || !(header_says_qa && header_says_answer || asking * 2 > body.len()))
    {
        return Vec::new();
    }
    body.iter()
        .filter(|row| !cell(&row[asked]).is_empty())
        .map(|row| {
            Candidate {
                block: Some(index),
                answer_range: Some(row[answered].clone()),
                // The table's own layout says which column answers.
                marked: true,
                ..Candidate::new(
                    Shape::TableRow,
                    &cell(&row[asked]),
                    row[asked].start,
                    row[asked].end,
                )
            }
        })
        .collect()
}

/// The next block after `index` that carries content.
fn next_content(document: &Document, index: usize) -> Option<&Block> {
    document.blocks[index + 1..]
        .iter()
        .find(|block| !is_spacer(document, block))
}
