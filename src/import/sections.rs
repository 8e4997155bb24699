/*!
The document's title and its sections. Headings that are not questions
(the title, company, round and role sections, topic `<details>`) are never
cards: the top one names the deck and the ones around a question become its
tags.
*/

use std::cell::RefCell;
use std::ops::Range;

use super::detect::{Candidate, is_spacer};
use super::document::{Block, BlockKind, Document};
use super::markers::{is_numbered_label, is_page_chrome, split_numbering, strip_bold};
use super::regions::leads_to_question;
use crate::decks::deck::slug;

/// The document's title: the first top-level heading before the first
/// question (markdown), or the last standalone line before it that is not
/// page chrome (plain text).
pub fn find_title(document: &Document, questions: &[Candidate]) -> (Option<String>, Option<usize>) {
    let first_question = questions.first().map_or(document.text.len(), |q| q.start);
    let before: Vec<(usize, &Block)> = document
        .blocks
        .iter()
        .enumerate()
        .take_while(|(_, block)| block.range.start < first_question)
        .collect();
    if document.markdown {
        let top = before
            .iter()
            .filter_map(|(index, block)| match block.kind {
                BlockKind::Heading(level) => Some((level, *index)),
                _ => None,
            })
            .min_by_key(|&(level, index)| (level, index));
        if let Some((level, index)) = top
            && level <= 2
        {
            let block = &document.blocks[index];
            let text = heading_text(&document.text[block.range.clone()]);
            if !text.is_empty() {
                return (Some(text), Some(index));
            }
        }
        return (None, None);
    }
    for (index, block) in before.iter().rev() {
        let alone = block.blank_before > 0 || *index == 0;
        let next_blank = document
            .blocks
            .get(index + 1)
            .is_none_or(|next| next.blank_before > 0);
        if alone && next_blank && !is_page_chrome(&block.text) && block.text.chars().count() <= 120
        {
            return (Some(block.text.clone()), Some(*index));
        }
    }
    (None, None)
}

/// Whether at most one question stands between the heading at
/// `position` and the next heading of its level or above. The scan stops
/// at the second question, so it stays short.
pub fn covers_one_question(document: &Document, questions: &[Candidate], position: usize) -> bool {
    let level = match document.blocks[position].kind {
        BlockKind::Heading(level) => level,
        _ => 1,
    };
    let mut next_question =
        questions.partition_point(|q| q.start <= document.blocks[position].range.start);
    let mut found = 0;
    for block in &document.blocks[position + 1..] {
        let ends_section = match block.kind {
            BlockKind::Heading(other) => other <= level,
            BlockKind::Line => is_numbered_label(&block.text),
            _ => false,
        };
        if ends_section && found > 0 {
            return true;
        }
        while questions
            .get(next_question)
            .is_some_and(|q| q.start < block.range.end)
        {
            found += 1;
            next_question += 1;
        }
        if found > 1 {
            return false;
        }
    }
    true
}

/// A heading that is only a numbered label (`### Card 17`).
pub fn is_numbered_label_heading(document: &Document, block: &Block) -> bool {
    match block.kind {
        BlockKind::Heading(_) => {
            is_numbered_label(&heading_text(&document.text[block.range.clone()]))
        }
        BlockKind::Line => is_numbered_label(&block.text),
        _ => false,
    }
}

/// The `title:` of the document's front matter, and the range of its
/// line: the title its author gave it.
pub fn front_matter_title(document: &Document) -> Option<(String, Range<usize>)> {
    let range = document.front_matter.clone()?;
    let mut offset = range.start;
    for line in document.text[range].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(value) = line
            .strip_prefix("title")
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix([':', '=']))
        else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if !value.is_empty() {
            return Some((value.to_owned(), start..offset));
        }
    }
    None
}

fn heading_text(source: &str) -> String {
    let text = source
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    let text = strip_bold(text).unwrap_or(text);
    crate::html::text(text)
}

/// Section headings around questions, which become tags: a heading (or
/// a plain title) outside every answer that leads to a question, kept as a
/// stack by level. `<details>` topics around a question count too.
pub struct SectionTracker {
    /// (offset, level, tag, range) of each section heading, in order.
    headings: Vec<(usize, u8, String, Range<usize>)>,
    /// For each heading, the nearest heading before it of a lower level:
    /// the section it sits in.
    parents: Vec<Option<usize>>,
    /// Topic details: (open, close, tag, the summary's range).
    topics: Vec<(usize, usize, String, Range<usize>)>,
    /// Headings that gave a tag to at least one card.
    used: RefCell<Vec<bool>>,
    /// Headings whose every word is in their tag; a longer heading is cut
    /// to six words, so it stays in the skipped report to lose no words.
    whole: Vec<bool>,
}

impl SectionTracker {
    pub fn new(
        document: &Document,
        questions: &[Candidate],
        ends: &[usize],
        title_block: Option<usize>,
    ) -> SectionTracker {
        let mut headings = Vec::new();
        let mut whole = Vec::new();
        let inside_answer = |offset: usize| {
            let index = questions.partition_point(|q| q.start <= offset);
            index > 0 && offset < ends[index - 1]
        };
        let mut is_question = vec![false; document.blocks.len()];
        for block in questions.iter().filter_map(|question| question.block) {
            is_question[block] = true;
        }
        for (position, block) in document.blocks.iter().enumerate() {
            if Some(position) == title_block || inside_answer(block.range.start) {
                continue;
            }
            let level = match block.kind {
                BlockKind::Heading(level) => level,
                BlockKind::Line if !is_spacer(document, block) => 1,
                _ => continue,
            };
            // `### Card 17` over a question labels that question; it is
            // reported, not made a tag every card would carry alone.
            // `# Part 1` over many questions is a section.
            if is_question[position]
                || (is_numbered_label_heading(document, block)
                    && covers_one_question(document, questions, position))
            {
                continue;
            }
            if !leads_to_question(document, questions, position) {
                continue;
            }
            let text = if document.markdown {
                heading_text(&document.text[block.range.clone()])
            } else {
                block.text.clone()
            };
            let (tag, complete) = tag_of(&text);
            if !tag.is_empty() {
                headings.push((block.range.start, level, tag, block.range.clone()));
                whole.push(complete);
            }
        }
        let topics = document
            .details
            .iter()
            .filter(|details| details.summary_is_heading)
            .filter_map(|details| {
                let (tag, complete) = tag_of(&details.summary);
                (!tag.is_empty()).then(|| {
                    whole.push(complete);
                    (
                        details.open,
                        details.close,
                        tag,
                        details.open..details.body_start,
                    )
                })
            })
            .collect::<Vec<_>>();
        let used = RefCell::new(vec![false; headings.len() + topics.len()]);
        // The open sections at each heading, as a stack by level.
        let mut parents = Vec::with_capacity(headings.len());
        let mut open: Vec<usize> = Vec::new();
        for (index, (_, level, _, _)) in headings.iter().enumerate() {
            while open.last().is_some_and(|&top| headings[top].1 >= *level) {
                open.pop();
            }
            parents.push(open.last().copied());
            open.push(index);
        }
        SectionTracker {
            parents,
            headings,
            topics,
            used,
            whole,
        }
    }

    pub fn tags_at(&self, offset: usize) -> Vec<String> {
        // The last heading at or before `offset` and the sections around
        // it, outermost first.
        let last = self
            .headings
            .partition_point(|(start, _, _, _)| *start <= offset)
            .checked_sub(1);
        let mut stack: Vec<usize> =
            std::iter::successors(last, |&index| self.parents[index]).collect();
        stack.reverse();
        let mut tags: Vec<String> = Vec::new();
        let mut used = self.used.borrow_mut();
        for (index, (open, close, tag, _)) in self.topics.iter().enumerate() {
            if *open < offset && offset < *close && !tags.contains(tag) {
                tags.push(tag.clone());
                used[self.headings.len() + index] = true;
            }
        }
        for index in stack {
            used[index] = true;
            let tag = &self.headings[index].2;
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        tags
    }

    pub fn kept_headings(&self) -> Vec<Range<usize>> {
        let used = self.used.borrow();
        let headings = self.headings.iter().map(|heading| heading.3.clone());
        let topics = self.topics.iter().map(|topic| topic.3.clone());
        headings
            .chain(topics)
            .zip(used.iter().zip(&self.whole))
            .filter(|(_, (used, whole))| **used && **whole)
            .map(|(range, _)| range)
            .collect()
    }
}

/// A tag from a section heading: a slug of at most six words, and whether
/// it holds every word of the heading.
fn tag_of(text: &str) -> (String, bool) {
    let (_, _, text) = split_numbering(text);
    let slug = slug(text);
    let words: Vec<&str> = slug.split('-').collect();
    (
        words.iter().take(6).copied().collect::<Vec<_>>().join("-"),
        words.len() <= 6,
    )
}
