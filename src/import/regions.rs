/*!
Where answers end. An answer runs from its question to the next question,
unless something closes it first: a section heading that leads to the next
questions, a heading that outranks the question (but not a sub-heading
sandwiched between the answer's own sub-headings), the end of the
`<details>` or the topic that holds it, or page chrome. The detector asks
this while deciding which candidates are questions; the assembler asks it
to cut each answer.
*/

use super::detect::{Candidate, Shape, is_spacer, is_standalone_title};
use super::document::{Block, BlockKind, Details, Document};
use super::markers::{is_answer_label, is_numbered_label, is_page_chrome};

/// The index of the accepted question whose answer region holds `offset`.
pub fn region_of(document: &Document, questions: &[Candidate], offset: usize) -> Option<usize> {
    let index = questions.partition_point(|question| question.start <= offset);
    let owner = index.checked_sub(1)?;
    let end = answer_end(document, questions, owner);
    (offset < end).then_some(owner)
}

/// Where the answer of `questions[index]` ends: at the next question, at a
/// heading that opens a new section, at the end of the `<details>` or the
/// topic that holds it, or at page chrome.
pub fn answer_end(document: &Document, questions: &[Candidate], index: usize) -> usize {
    let question = &questions[index];
    let mut limit = questions
        .get(index + 1)
        .map_or(document.text.len(), |next| next.start);
    if let Some(details) = question.details {
        limit = limit.min(document.details[details].close_end);
    }
    if let Some(range) = &question.answer_range {
        return limit.min(range.end);
    }
    let limit = limit.min(enclosing_topic_end(document, question));
    let mut scan = Scan {
        question,
        limit,
        answer_details: details_within(document, question.question_end, limit),
        deeper_heading_seen: false,
    };
    let blocks = &document.blocks;
    let first = blocks.partition_point(|block| block.range.start < question.question_end);
    for (position, block) in blocks.iter().enumerate().skip(first) {
        if block.range.start >= limit {
            break;
        }
        if let Some(end) = scan.ends_at(document, questions, position) {
            return end;
        }
    }
    limit
}

/// Where the innermost topic `<details>` around the question closes (the
/// end of the text when none holds it).
fn enclosing_topic_end(document: &Document, question: &Candidate) -> usize {
    let opened_before = document
        .details
        .partition_point(|details| details.open < question.start);
    let mut enclosing = opened_before.checked_sub(1);
    while let Some(index) = enclosing {
        let details = &document.details[index];
        if question.start < details.close && Some(index) != question.details {
            return details.close;
        }
        enclosing = details.parent;
    }
    document.text.len()
}

/// The `<details>` elements opened between `from` and `limit` (usually
/// none or one), looked up once rather than for every block: they are in
/// the order they open, so they are one run of the list.
fn details_within(document: &Document, from: usize, limit: usize) -> &[Details] {
    let first = document
        .details
        .partition_point(|details| details.open < from);
    let after: &[Details] = &document.details[first..];
    &after[..after.partition_point(|details| details.open < limit)]
}

/// The walk over one answer's blocks, and what it has seen.
struct Scan<'a> {
    question: &'a Candidate,
    limit: usize,
    /// The `<details>` the answer opened: headings inside belong to it.
    answer_details: &'a [Details],
    /// A heading as deep as the question's, or deeper, was passed: a
    /// higher heading after it may be sandwiched between the answer's own
    /// sub-headings.
    deeper_heading_seen: bool,
}

impl Scan<'_> {
    /// Where the answer ends, if the block at `position` ends it.
    fn ends_at(
        &mut self,
        document: &Document,
        questions: &[Candidate],
        position: usize,
    ) -> Option<usize> {
        let block = &document.blocks[position];
        let at = block.range.start.min(self.limit);
        // A list item question's answer is inside its item: the next item
        // of its list, or a heading outside the list, ends it.
        if let Shape::ListLead(depth) = self.question.shape {
            if let Some(lead) = block.item_lead
                && next_item_of_its_list(document, self.question, block)
            {
                return Some(lead.item_start.min(self.limit));
            }
            if matches!(block.kind, BlockKind::Heading(_)) && block.list_depth < depth {
                return Some(at);
            }
        }
        let in_answer_details = self
            .answer_details
            .iter()
            .any(|details| details.open < block.range.start && block.range.start < details.close);
        match block.kind {
            // A rule outside lists: the document moves on (`---` then
            // `### Further reading` or a sign-off after the last question),
            // which no answer of a question in a line or list runs into;
            // under a heading question, the heading's section decides.
            BlockKind::Rule
                if self.question.level().is_none()
                    && block.list_depth == 0
                    && !in_answer_details =>
            {
                Some(at)
            }
            BlockKind::Heading(_) if in_answer_details || is_answer_label(&block.text) => None,
            BlockKind::Heading(level) => {
                if leads_to_question(document, questions, position) {
                    return Some(at);
                }
                self.heading_ends(document, position, level).then_some(at)
            }
            BlockKind::Line
                if is_page_chrome(&block.text)
                    || leads_to_question(document, questions, position) =>
            {
                Some(at)
            }
            _ => None,
        }
    }

    /// Whether a heading of `level` ends the answer by outranking its
    /// question: a heading question's answer ends at a higher heading,
    /// unless that heading is sandwiched between the answer's own deeper
    /// sub-headings; any other question's at a level-1 or level-2 heading.
    fn heading_ends(&mut self, document: &Document, position: usize, level: u8) -> bool {
        match self.question.level() {
            Some(question_level) if level < question_level => {
                let sandwiched = self.deeper_heading_seen
                    && document.blocks[position + 1..]
                        .iter()
                        .take_while(|later| later.range.start < self.limit)
                        .any(|later| {
                            matches!(later.kind, BlockKind::Heading(l) if l >= question_level)
                        });
                !sandwiched
            }
            Some(question_level) => {
                self.deeper_heading_seen |= level >= question_level;
                false
            }
            None => level <= 2,
        }
    }
}

/// Whether `block` opens the next item of the list a list item question
/// stands in (as deep and bulleted or numbered as it is), or of a list
/// around it:
/// the next prompt, not this question's answer. An item that opens with an
/// answer label (`- A: ...` under `- Q1) ...`) is its answer.
pub fn next_item_of_its_list(document: &Document, question: &Candidate, block: &Block) -> bool {
    let (Shape::ListLead(depth), Some(lead)) = (question.shape, block.item_lead) else {
        return false;
    };
    let numbered = question
        .block
        .and_then(|own| document.blocks[own].item_lead)
        .is_some_and(|own| own.number.is_some());
    (block.list_depth < depth || block.list_depth == depth && lead.number.is_some() == numbered)
        && document.answer_marker(&block.text).is_none()
}

/// Whether the block at `position` is directly followed (past spacers and
/// other such headings) by the start of a question: a section heading.
pub fn leads_to_question(document: &Document, questions: &[Candidate], position: usize) -> bool {
    let blocks = &document.blocks;
    // Plain text: a title, a separator line or a numbered label
    // (`Question 2`) can open the next question's section.
    let opens_section = |position: usize| {
        (is_standalone_title(document, position) && !announced_answer(document, position))
            || is_spacer(document, &blocks[position])
            || is_numbered_label(&blocks[position].text)
    };
    if blocks[position].kind == BlockKind::Line && !opens_section(position) {
        return false;
    }
    for (next, block) in blocks.iter().enumerate().skip(position + 1) {
        if is_spacer(document, block) {
            continue;
        }
        let starts_question = questions
            .binary_search_by_key(&block.range.start, |q| q.start)
            .is_ok()
            || (block.kind == BlockKind::Html
                && questions
                    .get(questions.partition_point(|q| q.start < block.range.start))
                    .is_some_and(|q| q.start < block.range.end))
            || block.item_lead.is_some_and(|lead| {
                questions
                    .binary_search_by_key(&lead.item_start, |q| q.start)
                    .is_ok()
            });
        if starts_question {
            return true;
        }
        let is_heading = matches!(block.kind, BlockKind::Heading(_))
            || (block.kind == BlockKind::Line && opens_section(next));
        if !is_heading {
            return false;
        }
    }
    false
}

/// Whether the line at `position` comes right after an answer label that
/// stands alone (`Solution:`, a blank line, `# -*- coding: utf-8 -*-`): the
/// label said an answer follows, so the line is that answer, whatever it
/// looks like, and not a title over the next question.
fn announced_answer(document: &Document, position: usize) -> bool {
    document.blocks[..position]
        .iter()
        .rev()
        .find(|block| !is_spacer(document, block))
        .and_then(|block| document.answer_marker(&block.text))
        .is_some_and(|rest| rest.trim().is_empty())
}
