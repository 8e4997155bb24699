/*!
The question detector: finds every block that could be a question, scores
each on the evidence around it, and decides per document which conventions
it uses.

Candidates are grouped by their shape (a `###` heading numbered `1.`, a list
item led by `Q1)`, a bold line, a `<summary>`, a plain line ending in `?`).
A document is written in a few such shapes, so the decision is made per
group: a group is taken when enough of its members are convincing
questions (followed by an answer marker or a revealed answer, ending in `?`,
opening like a question, followed by a body). Stronger groups are taken
first; a weaker group's member that falls inside an answer already found is
a sub-heading of that answer, unless its own evidence is overwhelming. That
is how `### 1. **Control Access with IAM Policies**` inside an answer stays
there while `### 1. I have an application...` followed by `Ans:` is a
question. That decision is [`super::select`]'s; plain text's candidates
are found by [`super::plain`], and the forms a user names by
[`super::chosen`].
*/

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

use super::document::{Block, BlockKind, Document};
use super::markers::{
    Numbering, ends_like_question, is_anchor_link_line, is_answer_label, is_comparison,
    is_other_callout, is_question_label_alone, is_reveal_label, opens_like_prompt,
    opens_like_question, split_numbering, strip_bold, strip_label, strip_question_marker,
};
pub use super::plain::escape_plain;
pub(crate) use super::plain::is_standalone_title;
use super::reading::{QuestionForms, QuestionMode};
pub(crate) use super::select::CONVINCING;

/// The shape of a candidate, which with its numbering and boldness forms
/// its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Heading(u8),
    /// First paragraph of a list item at this nesting depth.
    ListLead(usize),
    BoldLine,
    Marked,
    QuestionLine,
    /// The first line of a block that follows a horizontal rule: cards
    /// written one per block, `---` between them.
    AfterRule,
    /// Plain text: a short line standing alone.
    Title,
    /// Plain text: a numbered line.
    Numbered,
    Summary,
    TableRow,
    /// The term of a definition list.
    Term,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub shape: Shape,
    pub numbering: Numbering,
    /// The number it is written with (`12.` is 12), if any.
    pub number: Option<u64>,
    pub bold: bool,
    /// Where the question's region starts: its list item's marker, its
    /// `<details>`, or its block.
    pub start: usize,
    /// Just past the question's own text.
    pub question_end: usize,
    /// Where the question's words start, when a label standing alone on
    /// the lines above says where it is (`Question:`, a blank line, the
    /// question); else `start`. The card's line is this one's.
    pub text_start: Option<usize>,
    /// The question as markdown, numbering and markers stripped.
    pub question: String,
    pub block: Option<usize>,
    pub details: Option<usize>,
    /// For a table row, the answer cell.
    pub answer_cell: Option<Range<usize>>,
    pub score: f32,
    /// Followed by an answer marker or a revealed answer.
    pub marked: bool,
    pub question_like: bool,
    pub has_body: bool,
    /// Where the marker or revealed answer that backs this candidate is.
    pub evidence: Option<usize>,
    pub blank_before: usize,
}

impl Candidate {
    /// A candidate with its question text cleaned of numbering, wrapping
    /// bold and markers, and nothing yet known about its evidence.
    pub(super) fn new(shape: Shape, raw: &str, start: usize, question_end: usize) -> Candidate {
        let (numbering, number, bold, question) = question_text(raw);
        Candidate {
            shape,
            numbering,
            number,
            bold,
            start,
            question_end,
            text_start: None,
            question,
            block: None,
            details: None,
            answer_cell: None,
            score: 0.0,
            marked: false,
            question_like: false,
            has_body: false,
            evidence: None,
            blank_before: 0,
        }
    }

    pub fn level(&self) -> Option<u8> {
        match self.shape {
            Shape::Heading(level) => Some(level),
            _ => None,
        }
    }

    pub fn group(&self) -> (Shape, Numbering, bool) {
        (self.shape, self.numbering, self.bold)
    }
}

/// Blocks that carry no content of their own: rules, empty HTML, spacing.
pub fn is_spacer(document: &Document, block: &Block) -> bool {
    match block.kind {
        BlockKind::Rule => true,
        BlockKind::Html => {
            let source = &document.text[block.range.clone()];
            !super::document::has_text_outside_tags(source) && !source.contains("<details")
        }
        BlockKind::Paragraph => is_anchor_link_line(&document.text[block.range.clone()]),
        // Plain text: a separator line (`#------#`, `*****`).
        BlockKind::Line => !block.text.chars().any(char::is_alphanumeric),
        _ => false,
    }
}

/// What the detector found: the questions, and every candidate it weighed
/// (scored, in document order) for the explanation of its choice.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    pub questions: Vec<Candidate>,
    pub candidates: Vec<Candidate>,
}

/// Finds the questions of a document, in document order.
pub fn detect(document: &Document) -> Vec<Candidate> {
    detect_with(document, None).questions
}

/// Finds the questions of a document: by the detector's own judgement, or
/// every block of the form the user named.
pub fn detect_with(document: &Document, mode: Option<&QuestionForms>) -> Detection {
    let mut candidates = if document.markdown {
        markdown_candidates(document, mode)
    } else {
        super::plain::plain_candidates(document, mode)
    };
    // A marker or a number with no words after it (`Q:`, `**2.**`, a
    // `<summary>` or first cell that holds only those) asks nothing: it
    // cannot make a card, nor end the answer of the question before it.
    candidates.retain(|candidate| !candidate.question.is_empty());
    score(document, &mut candidates);
    drop_inside_labelled_questions(&mut candidates);
    let questions = match mode {
        Some(mode) => super::chosen::select(&candidates, mode),
        None => {
            let mut accepted = super::select::select(document, candidates.clone());
            // Topics numbered in sequence are the author's list of what to
            // know, when they outnumber the questions found in other forms
            // (which are then asked inside the topics' answers).
            if document.markdown {
                let topics = super::select::numbered_topics(&candidates);
                if topics.len() > accepted.len() {
                    accepted = topics;
                }
            }
            if document.markdown {
                accepted
            } else {
                super::select::promote_parent_titles(&candidates, accepted)
            }
        }
    };
    Detection {
        questions,
        candidates,
    }
}

fn question_text(raw: &str) -> (Numbering, Option<u64>, bool, String) {
    let mut text = raw.trim();
    let mut bold = false;
    let (mut numbering, mut number, rest) = split_numbering(text);
    text = rest;
    if let Some(inner) = strip_bold(text) {
        bold = true;
        text = inner;
        if numbering == Numbering::None {
            let (inner_numbering, inner_number, rest) = split_numbering(text);
            numbering = inner_numbering;
            number = inner_number;
            text = rest;
        }
    }
    // a question set apart in italics, as in bold: the emphasis is layout
    if is_whole_emphasis(text) {
        let trimmed = text.trim();
        text = trimmed[1..trimmed.len() - 1].trim();
    }
    if let Some(rest) = strip_question_marker(text) {
        text = rest;
    }
    (numbering, number, bold, text.trim().to_owned())
}

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
fn is_whole_emphasis(source: &str) -> bool {
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
    if !line.contains('?')
        && let Some(dash) = line.find(" — ").or_else(|| line.find(" – "))
        && is_comparison(&line[..dash])
    {
        let answer = line[dash..].trim_start_matches([' ', '—', '–']);
        return (!answer.is_empty() && line_end == source.trim_end().len())
            .then(|| (dash, line_end - answer.len()));
    }
    let mark = line.find('?')?;
    let asked = mark + 1;
    let rest = &line[asked..];
    let trimmed = rest.trim_start_matches(|ch: char| ch == '?' || ch.is_whitespace());
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

fn markdown_candidates(document: &Document, mode: Option<&QuestionForms>) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for (index, block) in document.blocks.iter().enumerate() {
        match block.kind {
            BlockKind::Heading(level) => {
                candidates.extend(heading_candidate(document, index, level))
            }
            BlockKind::Paragraph => candidates.extend(paragraph_candidate(document, index, mode)),
            BlockKind::Html => candidates.extend(html_candidate(document, index)),
            BlockKind::Table => candidates.extend(table_candidates(
                document,
                index,
                block,
                mode.is_some_and(|forms| forms.has(&QuestionMode::Table)),
            )),
            _ => {}
        }
    }
    candidates.extend(summary_candidates(document));
    // a question says something: `**12.** ???` is a number and marks
    candidates.retain(|candidate| candidate.question.chars().any(char::is_alphabetic));
    candidates.sort_by_key(|candidate| candidate.start);
    candidates
}

/// A candidate of the block at `index`: its region starts at its list
/// item's marker, or at its line's `>` markers.
fn block_candidate(
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
    if let Some(at) = labelled_next(document, index) {
        return Some(labelled_candidate(document, index, at));
    }
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
    if let Some(first_end) = source.find('\n')
        && ends_like_question(&source[..first_end])
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
    let text = join_lines(&super::document::strip_tags(element));
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
    if rows.len() < 2 || rows.iter().any(|row| row.len() != 2) {
        return Vec::new();
    }
    let cell = |range: &Range<usize>| document.text[range.clone()].trim().to_owned();
    let header: Vec<String> = rows[0]
        .iter()
        .map(|range| cell(range).to_lowercase())
        .collect();
    // `Question | Answer`, or a glossary's `Term | Meaning`, which is read
    // as a definition list is
    let header_says_qa = header[0].contains("question")
        || header[0] == "q"
        || GLOSSARY_TERMS.contains(&header[0].as_str());
    let header_says_answer = header[1].contains("answer")
        || header[1] == "a"
        || GLOSSARY_MEANINGS.contains(&header[1].as_str());
    let body = &rows[1..];
    let asking = body
        .iter()
        .filter(|row| ends_like_question(&cell(&row[0])))
        .count();
    let linked = body
        .iter()
        .filter(|row| is_anchor_link_line(&cell(&row[1])) || is_anchor_link_line(&cell(&row[0])))
        .count();
    if !told
        && (linked * 2 > body.len()
            || !(header_says_qa && header_says_answer || asking * 2 > body.len()))
    {
        return Vec::new();
    }
    body.iter()
        .filter(|row| !cell(&row[0]).is_empty())
        .map(|row| {
            Candidate {
                block: Some(index),
                answer_cell: Some(row[1].clone()),
                // The table's own layout says which column answers.
                marked: true,
                ..Candidate::new(Shape::TableRow, &cell(&row[0]), row[0].start, row[0].end)
            }
        })
        .collect()
}

/// A `Q:` question runs on to its `A:`; what stands between (a hint line
/// over the `A:`, a sentence ending in `?`) is part of it, not another
/// question. Candidates are in document order, so one sweep does.
fn drop_inside_labelled_questions(candidates: &mut Vec<Candidate>) {
    let mut open_until = 0;
    candidates.retain(|candidate| {
        let inside = candidate.start < open_until;
        if candidate.shape == Shape::Marked && !inside {
            open_until = candidate.question_end;
        }
        !inside
    });
}

/// The word of `--questions label:WORD`.
pub(super) fn custom_question_label(mode: Option<&QuestionForms>) -> Option<&str> {
    mode.and_then(QuestionForms::label_word)
}

/// The next block after `index` that carries content.
fn next_content(document: &Document, index: usize) -> Option<&Block> {
    document.blocks[index + 1..]
        .iter()
        .find(|block| !is_spacer(document, block))
}

/// What each piece of evidence about a candidate weighs, in one table. A
/// candidate's score is the sum of the weights of what it shows; a role is
/// then judged on how many of its members score [`CONVINCING`] or more.
struct Weight;

impl Weight {
    /// An answer label (`A:`, `**Answer:**`, `#### Answer`) or a revealed
    /// answer (`<details><summary>Answer`) follows: the author said where
    /// the answer is. Convincing on its own (the `Q:`/`A:` and `<details>`
    /// notes: qa-list-markers-devops, details-summary-techvault, the seeds).
    const ANSWER_MARKED: f32 = 4.0;
    /// Labelled or numbered as a question (`Q:`, `Q12.`, `Question 3`):
    /// the label asks whatever the sentence says (the interview lists of
    /// the corpus and realnotes whose prompts end in `.`).
    const QUESTION_LABELLED: f32 = 3.0;
    /// Ends in a question mark, in any script (`?`, `？`, `؟`): the one
    /// mark every language shares (most documents of every set).
    const ENDS_LIKE_QUESTION: f32 = 2.0;
    /// Opens as a question or a prompt does (`What`, `How`, `Explain`,
    /// `Tell me about`, `Was ist`, `什么是`), or compares (`TCP vs UDP`):
    /// questions written without a `?` (toc-list-headings-angular, the
    /// behavioural prompts).
    const OPENS_LIKE_QUESTION: f32 = 1.5;
    /// Followed by something to answer with before the next member of its
    /// role; a question with nothing under it is likelier a title.
    const HAS_BODY: f32 = 1.0;
    const NO_BODY: f32 = -2.0;
    /// A `<summary>` is a question by construction of the element
    /// (details-summary-techvault, the Korean `<details>` notes).
    const SUMMARY: f32 = 1.0;
    /// A link to an anchor of the same page is a table of contents' entry,
    /// never a question (every document that opens with a contents list).
    const ANCHOR_LINK: f32 = -6.0;
    /// Over 300 characters reads as a paragraph, not a question.
    const TOO_LONG: f32 = -2.0;
}

/// The score of a candidate whose evidence has been read.
fn weigh(candidate: &Candidate) -> f32 {
    let text = &candidate.question;
    let mut score = 0.0;
    if candidate.marked {
        score += Weight::ANSWER_MARKED;
    }
    if matches!(candidate.numbering, Numbering::QNumber | Numbering::Word)
        || candidate.shape == Shape::Marked
    {
        score += Weight::QUESTION_LABELLED;
    }
    if ends_like_question(text) {
        score += Weight::ENDS_LIKE_QUESTION;
    }
    if opens_like_question(text) || is_comparison(text) {
        score += Weight::OPENS_LIKE_QUESTION;
    }
    score += if candidate.has_body {
        Weight::HAS_BODY
    } else {
        Weight::NO_BODY
    };
    if candidate.shape == Shape::Summary {
        score += Weight::SUMMARY;
    }
    if is_anchor_link_line(text) || text.contains("](#") {
        score += Weight::ANCHOR_LINK;
    }
    if text.chars().count() > 300 {
        score += Weight::TOO_LONG;
    }
    score
}

/// Reads the evidence around each candidate (what follows it, up to the
/// next member of its role) and scores it.
fn score(document: &Document, candidates: &mut [Candidate]) {
    let limits = body_limits(document, candidates);
    let headings: Vec<usize> = document
        .blocks
        .iter()
        .filter(|block| matches!(block.kind, BlockKind::Heading(_)))
        .map(|block| block.range.start)
        .collect();
    for (candidate, limit) in candidates.iter_mut().zip(limits) {
        let mut body = own_body(document, candidate);
        let after = read_after(document, candidate, limit);
        if after.marker.is_some() {
            candidate.evidence = after.marker;
        }
        body |= after.body;
        let mut marked = after.marker.is_some();
        // `Q:` labels a question that runs on to its `A:`: code or a
        // second paragraph between the two belongs to the question.
        if candidate.shape == Shape::Marked
            && !marked
            && candidate.question_end <= limit
            && let Some(answer) = labelled_answer_after(document, after.first, limit)
        {
            marked = true;
            candidate.evidence = Some(answer);
            candidate.question_end = answer;
        }
        if candidate.shape != Shape::Summary {
            if let Some(open) = revealed_answer(document, candidate, limit, &headings) {
                marked = true;
                body = true;
                candidate.evidence = Some(open);
            }
        } else if let Some(details) = candidate.details {
            let details = &document.details[details];
            let inside = &document.text[details.body_start..details.close];
            body = !super::markers::is_placeholder_answer(inside)
                && super::document::has_text_outside_tags(inside);
        }
        let text = &candidate.question;
        candidate.marked |= marked;
        candidate.question_like =
            ends_like_question(text) || opens_like_question(text) || is_comparison(text);
        candidate.has_body = body;
        candidate.score = weigh(candidate);
    }
}

/// Where each candidate's body could end: the next member of its own
/// group, or the close of its `<details>`.
fn body_limits(document: &Document, candidates: &[Candidate]) -> Vec<usize> {
    let mut next_in_group: HashMap<(Shape, Numbering, bool), usize> = HashMap::new();
    let mut limits = vec![document.text.len(); candidates.len()];
    for index in (0..candidates.len()).rev() {
        let key = candidates[index].group();
        if let Some(&next) = next_in_group.get(&key) {
            limits[index] = candidates[next].start;
        }
        next_in_group.insert(key, index);
    }
    for (limit, candidate) in limits.iter_mut().zip(candidates) {
        if let Some(details) = candidate.details {
            *limit = document.details[details].close;
        }
    }
    limits
}

/// Whether the candidate's own block holds its answer: a table row's
/// answer cell, or the rest of the question's paragraph.
fn own_body(document: &Document, candidate: &Candidate) -> bool {
    if let Some(cell) = &candidate.answer_cell {
        return !document.text[cell.clone()].trim().is_empty();
    }
    candidate
        .block
        .is_some_and(|block| candidate.question_end < document.blocks[block].range.end)
}

/// What follows a candidate up to `limit`: the first block after it
/// (`first`), whether something answers it, and where the answer label
/// that says so stands.
struct After {
    first: usize,
    body: bool,
    marker: Option<usize>,
}

fn read_after(document: &Document, candidate: &Candidate, limit: usize) -> After {
    let first = document
        .blocks
        .partition_point(|block| block.range.start < candidate.question_end);
    let own_level = candidate.level().unwrap_or(7);
    let found = |body, marker| After {
        first,
        body,
        marker,
    };
    let mut passed_prompt = false;
    for block in &document.blocks[first..] {
        if block.range.start >= limit {
            break;
        }
        if matches!(block.kind, BlockKind::Heading(_)) && is_answer_label(&block.text) {
            return found(true, Some(block.range.start));
        }
        // A heading that outranks the candidate ends its body; under a
        // heading question, deeper headings are part of the answer.
        if let BlockKind::Heading(level) = block.kind
            && (level <= own_level || candidate.level().is_none())
        {
            break;
        }
        if is_spacer(document, block) {
            continue;
        }
        // The next number of the candidate's own numbering is the next
        // item of its list (`19 What is inode?` over `20 How do you
        // ...`), not its answer.
        if let Some(number) = candidate.number {
            let (numbering, next, _) = split_numbering(&block.text);
            if numbering == candidate.numbering && next == Some(number + 1) {
                break;
            }
        }
        if document.answer_marker(&block.text).is_some() {
            // (the answer of a prompt skipped on the way is that
            // prompt's, not this candidate's)
            return if passed_prompt {
                found(false, None)
            } else {
                found(true, Some(block.range.start))
            };
        }
        // A list item's answer is inside it: the next item of its list
        // is the next prompt, not this one's answer.
        if super::regions::next_item_of_its_list(document, candidate, block) {
            break;
        }
        if only_asks(document, block) {
            // Another prompt is no answer: an unanswered question never
            // takes the next question as its answer.
            passed_prompt = true;
            continue;
        }
        return found(true, None);
    }
    found(false, None)
}

/// Where a revealed answer (`<details><summary>Answer</summary>`) opens
/// before the next heading and `limit`, if one does.
fn revealed_answer(
    document: &Document,
    candidate: &Candidate,
    limit: usize,
    headings: &[usize],
) -> Option<usize> {
    let next_heading = headings
        .get(headings.partition_point(|&at| at < candidate.question_end))
        .copied()
        .unwrap_or(document.text.len());
    let from = document
        .details
        .partition_point(|details| details.open < candidate.question_end);
    document.details[from..]
        .iter()
        .take_while(|details| details.open < next_heading.min(limit))
        .find(|details| is_reveal_label(&details.summary))
        .map(|details| details.open)
}

/// A block that only asks: one line of text ending in a question mark
/// (`What is a Deployment?`, `- How does DNS work?`), however it is laid
/// out. Under a question it is a further prompt, not an answer.
fn only_asks(document: &Document, block: &Block) -> bool {
    matches!(block.kind, BlockKind::Paragraph | BlockKind::Line)
        && !document.text[block.range.clone()].trim_end().contains('\n')
        && super::markers::is_question_line(&block.text)
}

/// Where the `A:` of a `Q:` question stands, when only the question's own
/// material (code, paragraphs) comes between them: the blocks from `first`,
/// up to a heading, another `Q:` or `limit`. A few blocks at most, so a
/// `Q:` left unanswered does not search the whole document.
fn labelled_answer_after(document: &Document, first: usize, limit: usize) -> Option<usize> {
    for block in document.blocks[first..].iter().take(8) {
        if block.range.start >= limit
            || matches!(block.kind, BlockKind::Heading(_))
            || strip_question_marker(&block.text).is_some()
        {
            return None;
        }
        if document.answer_marker(&block.text).is_some() {
            return Some(block.range.start);
        }
    }
    None
}
