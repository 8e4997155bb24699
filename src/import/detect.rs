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
    is_reveal_label, opens_like_question, split_numbering, strip_bold, strip_question_marker,
};
pub use super::plain::escape_plain;
pub(crate) use super::plain::is_standalone_title;
use super::reading::QuestionForms;
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
    /// The answer's own range, when the layout says where it ends: a
    /// table row's answer cell, an admonition's indented body.
    pub answer_range: Option<Range<usize>>,
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
            answer_range: None,
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
            !crate::html::has_text(source) && !source.contains("<details")
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
        super::propose::markdown_candidates(document, mode)
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

pub(super) fn question_text(raw: &str) -> (Numbering, Option<u64>, bool, String) {
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
    if super::propose::is_whole_emphasis(text) {
        let trimmed = text.trim();
        text = trimmed[1..trimmed.len() - 1].trim();
    }
    if let Some(rest) = strip_question_marker(text) {
        text = rest;
    }
    (numbering, number, bold, text.trim().to_owned())
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
            body = !super::markers::is_placeholder_answer(inside) && crate::html::has_text(inside);
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
    if let Some(cell) = &candidate.answer_range {
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
