/*!
From detected questions to cards: each question's answer is cut from the
source (so lists, code, tables and emphasis stay exactly as written),
cleaned of markers and navigation, and tagged with the sections it sits
in. Every line that ends up in no card is reported as skipped, with its
line numbers and why, so nothing is dropped silently.
*/

use serde::Serialize;

use super::detect::{Candidate, Shape, answer_end, escape_plain, is_spacer, leads_to_question};
use super::document::{BlockKind, Document};
use super::markers::{
    is_anchor_link_line, is_page_chrome, is_placeholder_answer, is_reveal_label, split_numbering,
    strip_answer_marker, strip_bold,
};
use crate::deck::slug;

/// A card as found in the notes, before it gets an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCard {
    pub question: String,
    pub answer: String,
    pub tags: Vec<String>,
    /// 1-based line of the question.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// A question with no answer, or only a placeholder ("Answer coming soon").
    Unanswered,
    /// Text before the first question: title page, introduction, badges.
    BeforeFirstQuestion,
    /// Text after the last answer: contributing notes, licence, links.
    AfterLastAnswer,
    /// Text between answers that belongs to no question.
    Between,
    TableOfContents,
    /// Links back to the top or to other sections.
    Navigation,
    /// Bylines and comment counters a browser copied with the page.
    PageChrome,
    /// A section heading with no question under it.
    EmptySection,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Unanswered => "question without an answer",
            SkipReason::BeforeFirstQuestion => "before the first question",
            SkipReason::AfterLastAnswer => "after the last answer",
            SkipReason::Between => "not under any question",
            SkipReason::TableOfContents => "table of contents",
            SkipReason::Navigation => "navigation link",
            SkipReason::PageChrome => "page chrome",
            SkipReason::EmptySection => "heading with no questions under it",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub first_line: usize,
    pub last_line: usize,
    pub reason: SkipReason,
    /// The first line of the skipped text, shortened.
    pub excerpt: String,
}

#[derive(Debug, Clone, Default)]
pub struct Assembled {
    pub title: Option<String>,
    pub cards: Vec<FoundCard>,
    pub skipped: Vec<Skipped>,
}

/// How each line of the document was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Unused,
    Kept,
    Skipped,
}

pub fn assemble(document: &Document, questions: &[Candidate]) -> Assembled {
    let mut lines = vec![Use::Unused; document.line_count() + 2];
    let mut assembled = Assembled::default();
    let (title, title_block) = find_title(document, questions);
    assembled.title = title;
    if let Some(block) = title_block {
        mark(
            &mut lines,
            document,
            document.blocks[block].range.clone(),
            Use::Kept,
        );
    }

    let ends: Vec<usize> = (0..questions.len())
        .map(|index| answer_end(document, questions, index))
        .collect();
    let sections = SectionTracker::new(document, questions, &ends, title_block);
    for (index, question) in questions.iter().enumerate() {
        let end = ends[index];
        let first_line = document.line_of(question.start);
        let (question_text, raw_answer) = cut(document, question, end);
        let mut navigation = Vec::new();
        let answer = if document.markdown {
            clean_markdown(&raw_answer, &mut navigation)
        } else {
            plain_to_markdown(&raw_answer)
        };
        let region = question.start..end.max(question.question_end);
        if is_table_of_contents(&answer) {
            mark(&mut lines, document, region.clone(), Use::Skipped);
            assembled
                .skipped
                .push(skipped(document, region, SkipReason::TableOfContents));
            continue;
        }
        if answer.trim().is_empty()
            || is_placeholder_answer(&answer)
            || only_prompts(&question_text, &answer)
        {
            mark(&mut lines, document, region.clone(), Use::Skipped);
            assembled
                .skipped
                .push(skipped(document, region, SkipReason::Unanswered));
            continue;
        }
        mark(&mut lines, document, region.clone(), Use::Kept);
        for line in navigation {
            // Navigation lines are found by content; report each where it is.
            if let Some(number) = find_line(document, region.clone(), &line) {
                lines[number] = Use::Skipped;
                assembled.skipped.push(Skipped {
                    first_line: number,
                    last_line: number,
                    reason: SkipReason::Navigation,
                    excerpt: excerpt(&line),
                });
            }
        }
        assembled.cards.push(FoundCard {
            question: question_text,
            answer,
            tags: sections.tags_at(question.start),
            line: first_line,
        });
    }
    for range in sections.kept_headings() {
        mark(&mut lines, document, range, Use::Kept);
    }
    report_unused(document, questions, &lines, &mut assembled.skipped);
    assembled
        .skipped
        .sort_by_key(|skip| (skip.first_line, skip.last_line));
    assembled
}

/// Text that is mostly links to places in the same document: a table of
/// contents under a heading, not an answer.
fn is_table_of_contents(answer: &str) -> bool {
    let lines: Vec<&str> = answer
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let links = lines.iter().filter(|line| line.contains("](#")).count();
    lines.len() >= 3 && links * 2 > lines.len()
}

/// An "answer" that only lists further prompts: every line a list item
/// that is itself a question, or a list under a topic line ending in `:`
/// ("Distributed systems:" over "- What's Paxos?"). Such a block is a
/// question without an answer, not a card.
fn only_prompts(question: &str, answer: &str) -> bool {
    let items: Vec<&str> = answer
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let all_items = items
        .iter()
        .all(|line| line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ "));
    if !all_items || items.is_empty() {
        return false;
    }
    let all_questions = items
        .iter()
        .all(|line| super::markers::ends_like_question(line));
    let topic = question.trim_end().ends_with(':') && !question.contains('?');
    all_questions || topic
}

/// The question text and the raw answer source of one question.
fn cut(document: &Document, question: &Candidate, end: usize) -> (String, String) {
    let text = &document.text;
    if let Some(cell) = &question.answer_cell {
        return (
            question.question.clone(),
            text[cell.clone()].replace("\\|", "|"),
        );
    }
    if let Some(index) = question.details {
        let details = &document.details[index];
        let mut answer = text[details.body_start..details.close].to_owned();
        if details.close_end < end {
            answer.push_str("\n\n");
            answer.push_str(&text[details.close_end..end]);
        }
        return (question.question.clone(), answer);
    }
    let body_start = question.question_end.min(end);
    // A question whose answer is revealed by `<details><summary>Answer`:
    // what stands between the question and the reveal (code, options) is
    // part of the question.
    if question.shape != Shape::Summary
        && let Some(reveal) = document.details.iter().find(|details| {
            details.open >= body_start && details.open < end && is_reveal_label(&details.summary)
        })
    {
        let extra = dedent(&text[body_start..reveal.open]);
        let mut question_text = question.question.clone();
        let extra = extra.trim();
        if !extra.is_empty() {
            question_text.push_str("\n\n");
            question_text.push_str(extra);
        }
        let mut answer = text[reveal.body_start..reveal.close.min(end)].to_owned();
        if reveal.close_end < end {
            answer.push_str("\n\n");
            answer.push_str(&text[reveal.close_end..end]);
        }
        return (question_text, answer);
    }
    (question.question.clone(), text[body_start..end].to_owned())
}

/// Removes the indentation every non-blank line shares. The first line is
/// left out of the measure when it is the tail of a line already cut.
pub fn dedent(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    while lines.first().is_some_and(|line| line.trim().is_empty()) {
        lines.remove(0);
    }
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| {
            if line.len() >= indent {
                &line[indent..]
            } else {
                line.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// HTML that only shapes the page (`<p>`, `<br/>`, `</b>`): dropped from
/// answers. Images and other content tags stay.
fn is_layout_html(line: &str) -> bool {
    let trimmed = line.trim();
    if !trimmed.starts_with('<') || !trimmed.ends_with('>') {
        return false;
    }
    let mut rest = trimmed;
    while let Some(open) = rest.strip_prefix('<') {
        let Some(close) = open.find('>') else {
            return false;
        };
        let name = open[..close]
            .trim_start_matches('/')
            .split(|ch: char| ch.is_whitespace() || ch == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "p" | "br"
                | "hr"
                | "div"
                | "b"
                | "i"
                | "strong"
                | "em"
                | "span"
                | "center"
                | "details"
                | "summary"
        ) {
            return false;
        }
        rest = open[close + 1..].trim_start();
    }
    rest.is_empty()
}

fn is_rule(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= 3
        && (trimmed.chars().all(|ch| ch == '-' || ch == ' ')
            || trimmed.chars().all(|ch| ch == '*' || ch == ' ')
            || trimmed.chars().all(|ch| ch == '_' || ch == ' '))
}

/// Tidies a markdown answer cut from the notes: answer marker, layout
/// HTML, navigation links and stray rules go; indentation and trailing
/// spaces are normalised so the YAML stays readable.
pub fn clean_markdown(raw: &str, navigation: &mut Vec<String>) -> String {
    let text = dedent(raw);
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<String> = None;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed.starts_with(fence.as_str()) {
                in_fence = None;
            }
            out.push(line.trim_end().to_owned());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(trimmed[..3].to_owned());
            out.push(line.trim_end().to_owned());
            continue;
        }
        if is_anchor_link_line(line) {
            navigation.push(line.trim().to_owned());
            continue;
        }
        if is_layout_html(line) {
            continue;
        }
        // `  ` at a line end is a hard break in markdown; a backslash says
        // the same without trailing spaces the YAML could not show.
        let hard_break = line.ends_with("  ") && !line.trim().is_empty();
        let mut kept = line.trim_end().to_owned();
        if hard_break {
            kept.push('\\');
        }
        out.push(kept);
    }
    // A hard break before a blank line or at the end means nothing.
    for index in 0..out.len() {
        let next_blank = out
            .get(index + 1)
            .is_none_or(|next| next.trim().is_empty() || starts_block(next));
        if next_blank && out[index].ends_with('\\') && !out[index].ends_with("\\\\") {
            out[index].pop();
        }
    }
    while out
        .first()
        .is_some_and(|line| line.trim().is_empty() || is_rule(line))
    {
        out.remove(0);
    }
    while out
        .last()
        .is_some_and(|line| line.trim().is_empty() || is_rule(line))
    {
        out.pop();
    }
    let mut answer = out.join("\n");
    answer = strip_leading_marker(&answer);
    collapse_blank_lines(answer.trim())
}

/// A line that opens a new block, before which a hard break is void.
fn starts_block(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with(['-', '*', '+', '#', '>', '|'])
        || trimmed.starts_with("```")
        || split_numbering(trimmed).0 != super::markers::Numbering::None
}

/// `Ans: text`, `**A:** text` or a list item `- A: text` at the start of
/// an answer: the text without the marker.
fn strip_leading_marker(answer: &str) -> String {
    let first_end = answer.find('\n').unwrap_or(answer.len());
    let first = &answer[..first_end];
    if let Some(rest) = strip_answer_marker(first) {
        return format!("{}{}", rest, &answer[first_end..])
            .trim()
            .to_owned();
    }
    // A single list item carrying the marker: unwrap it.
    for bullet in ["- ", "* ", "+ "] {
        if let Some(item) = first.strip_prefix(bullet)
            && let Some(rest) = strip_answer_marker(item)
        {
            let mut lines = vec![rest.to_owned()];
            for line in answer[first_end..].split('\n').skip(1) {
                lines.push(line.strip_prefix("  ").unwrap_or(line).to_owned());
            }
            return lines.join("\n").trim().to_owned();
        }
    }
    answer.to_owned()
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut in_fence = false;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if line.trim().is_empty() && !in_fence {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// Plain text becomes markdown that renders as it read: bullets become
/// list items, and lines of one paragraph keep their breaks.
pub fn plain_to_markdown(raw: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut previous_text = false;
    for (number, line) in raw.split('\n').enumerate() {
        let mut trimmed = line.trim();
        if number == 0 {
            // The rest of the question's own line, if any.
            if trimmed.is_empty() {
                continue;
            }
        }
        if out.is_empty()
            && let Some(rest) = strip_answer_marker(trimmed)
        {
            trimmed = rest;
            if trimmed.is_empty() {
                continue;
            }
        }
        if trimmed.is_empty() {
            if !out.is_empty() && !out.last().is_some_and(String::is_empty) {
                out.push(String::new());
            }
            previous_text = false;
            continue;
        }
        let bullet = ['•', '▪', '◦', '·', '●', '-', '*', '+', '–']
            .iter()
            .find_map(|mark| {
                trimmed
                    .strip_prefix(*mark)
                    .filter(|rest| rest.starts_with(' '))
            });
        let (numbering, number_value, rest) = split_numbering(trimmed);
        let item = if let Some(rest) = bullet {
            Some(format!("- {}", escape_plain(rest.trim())))
        } else if matches!(
            numbering,
            super::markers::Numbering::Dot | super::markers::Numbering::Paren
        ) && !rest.is_empty()
        {
            Some(format!(
                "{}. {}",
                number_value.unwrap_or(1),
                escape_plain(rest)
            ))
        } else {
            None
        };
        match item {
            Some(item) => {
                if previous_text && let Some(last) = out.last_mut() {
                    last.pop();
                    out.push(String::new());
                }
                out.push(item);
                previous_text = false;
            }
            None => {
                if out.last().is_some_and(|last| {
                    last.starts_with("- ")
                        || last.contains(". ")
                            && split_numbering(last).0 != super::markers::Numbering::None
                }) && !out.last().is_some_and(String::is_empty)
                {
                    out.push(String::new());
                }
                let mut text = escape_plain(trimmed);
                if text.starts_with('#') || text.starts_with('>') {
                    text.insert(0, '\\');
                }
                text.push('\\');
                out.push(text);
                previous_text = true;
            }
        }
        // A hard break goes only between two lines of text.
        if !previous_text && out.len() >= 2 {
            let before = out.len() - 2;
            if out[before].ends_with('\\') {
                out[before].pop();
            }
        }
    }
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    for (index, line) in out.iter().enumerate() {
        let next_is_text = out.get(index + 1).is_some_and(|next| {
            !next.is_empty() && !next.starts_with("- ") && !is_numbered_item(next)
        });
        let mut line = line.clone();
        if line.ends_with('\\') && !next_is_text {
            line.pop();
        }
        joined.push(line);
    }
    joined.join("\n").trim().to_owned()
}

fn is_numbered_item(line: &str) -> bool {
    let (numbering, _, rest) = split_numbering(line);
    numbering == super::markers::Numbering::Dot
        && !rest.is_empty()
        && line.starts_with(|ch: char| ch.is_ascii_digit())
}

fn mark(lines: &mut [Use], document: &Document, range: std::ops::Range<usize>, usage: Use) {
    if range.is_empty() {
        return;
    }
    let first = document.line_of(range.start);
    let last = document.last_line_of(&range);
    for line in first..=last.min(lines.len() - 1) {
        if lines[line] == Use::Unused || usage == Use::Skipped {
            lines[line] = usage;
        }
    }
}

fn find_line(document: &Document, range: std::ops::Range<usize>, content: &str) -> Option<usize> {
    let first = document.line_of(range.start);
    let last = document.last_line_of(&range);
    (first..=last).find(|&line| document.line(line).trim() == content)
}

fn skipped(document: &Document, range: std::ops::Range<usize>, reason: SkipReason) -> Skipped {
    let first_line = document.line_of(range.start);
    let last_line = last_content_line(document, first_line, document.last_line_of(&range));
    Skipped {
        first_line,
        last_line,
        reason,
        excerpt: excerpt(document.line(first_line)),
    }
}

fn last_content_line(document: &Document, first: usize, mut last: usize) -> usize {
    while last > first && document.line(last).trim().is_empty() {
        last -= 1;
    }
    last
}

fn excerpt(line: &str) -> String {
    let trimmed = line.trim();
    let mut short: String = trimmed.chars().take(60).collect();
    if short.len() < trimmed.len() {
        short.push('…');
    }
    short
}

/// Lines that carry no words: blank, rules, layout HTML, a bare `</details>`.
fn is_markup_only(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty()
        || is_rule(trimmed)
        || is_layout_html(trimmed)
        || trimmed.chars().all(|ch| !ch.is_alphanumeric())
}

fn report_unused(
    document: &Document,
    questions: &[Candidate],
    lines: &[Use],
    skipped: &mut Vec<Skipped>,
) {
    let first_question_line = questions
        .first()
        .map_or(usize::MAX, |q| document.line_of(q.start));
    let last_answer_line = questions
        .iter()
        .map(|q| document.line_of(q.start))
        .max()
        .unwrap_or(0);
    let mut line = 1;
    let total = document.line_count();
    while line <= total {
        if lines[line] != Use::Unused || is_markup_only(document.line(line)) {
            line += 1;
            continue;
        }
        let start = line;
        let mut end = line;
        while end < total && lines[end + 1] == Use::Unused {
            end += 1;
        }
        let end_content = last_content_line(document, start, end);
        let run: Vec<&str> = (start..=end_content).map(|n| document.line(n)).collect();
        if run.iter().all(|text| is_markup_only(text)) {
            line = end + 1;
            continue;
        }
        let content: Vec<&&str> = run.iter().filter(|text| !is_markup_only(text)).collect();
        let links = content
            .iter()
            .filter(|text| is_anchor_link_line(text) || text.contains("](#"))
            .count();
        let reason = if content.iter().any(|text| is_placeholder_answer(text)) {
            SkipReason::Unanswered
        } else if links * 2 > content.len() {
            SkipReason::TableOfContents
        } else if !document.markdown && content.iter().all(|text| is_page_chrome(text)) {
            SkipReason::PageChrome
        } else if start < first_question_line {
            SkipReason::BeforeFirstQuestion
        } else if start > last_answer_line
            && !questions.iter().any(|q| document.line_of(q.start) > start)
        {
            SkipReason::AfterLastAnswer
        } else {
            SkipReason::Between
        };
        skipped.push(Skipped {
            first_line: start,
            last_line: end_content,
            reason,
            excerpt: excerpt(content.first().map_or("", |text| text)),
        });
        line = end + 1;
    }
}

/// The document's title: the first top-level heading before the first
/// question (markdown), or the last standalone line before it that is not
/// page chrome (plain text).
fn find_title(document: &Document, questions: &[Candidate]) -> (Option<String>, Option<usize>) {
    let first_question = questions.first().map_or(document.text.len(), |q| q.start);
    let before: Vec<(usize, &super::document::Block)> = document
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

fn heading_text(source: &str) -> String {
    let text = source
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    let text = strip_bold(text).unwrap_or(text);
    super::document::strip_tags(text)
}

/// Section headings around questions, which become tags: a heading (or
/// a plain title) outside every answer that leads to a question, kept as a
/// stack by level. `<details>` topics around a question count too.
struct SectionTracker {
    /// (offset, level, tag, range) of each section heading, in order.
    headings: Vec<(usize, u8, String, std::ops::Range<usize>)>,
    /// Topic details: (open, close, tag, the summary's range).
    topics: Vec<(usize, usize, String, std::ops::Range<usize>)>,
    /// Headings that gave a tag to at least one card.
    used: std::cell::RefCell<Vec<bool>>,
}

impl SectionTracker {
    fn new(
        document: &Document,
        questions: &[Candidate],
        ends: &[usize],
        title_block: Option<usize>,
    ) -> SectionTracker {
        let mut headings = Vec::new();
        let inside_answer = |offset: usize| {
            let index = questions.partition_point(|q| q.start <= offset);
            index > 0 && offset < ends[index - 1]
        };
        for (position, block) in document.blocks.iter().enumerate() {
            if Some(position) == title_block || inside_answer(block.range.start) {
                continue;
            }
            let level = match block.kind {
                BlockKind::Heading(level) => level,
                BlockKind::Line if !is_spacer(document, block) => 1,
                _ => continue,
            };
            if questions.iter().any(|q| q.block == Some(position)) {
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
            let tag = tag_of(&text);
            if !tag.is_empty() {
                headings.push((block.range.start, level, tag, block.range.clone()));
            }
        }
        let topics = document
            .details
            .iter()
            .filter(|details| details.summary_is_heading)
            .map(|details| {
                (
                    details.open,
                    details.close,
                    tag_of(&details.summary),
                    details.open..details.body_start,
                )
            })
            .filter(|(_, _, tag, _)| !tag.is_empty())
            .collect::<Vec<_>>();
        let used = std::cell::RefCell::new(vec![false; headings.len() + topics.len()]);
        SectionTracker {
            headings,
            topics,
            used,
        }
    }

    fn tags_at(&self, offset: usize) -> Vec<String> {
        let mut stack: Vec<(u8, usize)> = Vec::new();
        for (index, (start, level, _, _)) in self.headings.iter().enumerate() {
            if *start > offset {
                break;
            }
            while stack.last().is_some_and(|&(top, _)| top >= *level) {
                stack.pop();
            }
            stack.push((*level, index));
        }
        let mut tags: Vec<String> = Vec::new();
        let mut used = self.used.borrow_mut();
        for (index, (open, close, tag, _)) in self.topics.iter().enumerate() {
            if *open < offset && offset < *close && !tags.contains(tag) {
                tags.push(tag.clone());
                used[self.headings.len() + index] = true;
            }
        }
        for (_, index) in stack {
            used[index] = true;
            let tag = &self.headings[index].2;
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        tags
    }

    fn kept_headings(&self) -> Vec<std::ops::Range<usize>> {
        let used = self.used.borrow();
        let headings = self.headings.iter().map(|heading| heading.3.clone());
        let topics = self.topics.iter().map(|topic| topic.3.clone());
        headings
            .chain(topics)
            .zip(used.iter())
            .filter(|(_, used)| **used)
            .map(|(range, _)| range)
            .collect()
    }
}

/// A tag from a section heading: a slug of at most six words.
fn tag_of(text: &str) -> String {
    let (_, _, text) = split_numbering(text);
    let slug = slug(text);
    slug.split('-').take(6).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_answers_lose_markers_and_navigation() {
        let mut navigation = Vec::new();
        let answer = clean_markdown(
            "\nAns: To connect:  \n\n1. **VPC**: same.  \n2. Done\n\n**[⬆ Back to Top](#table-of-contents)**\n---\n",
            &mut navigation,
        );
        assert_eq!(answer, "To connect:\n\n1. **VPC**: same.\n2. Done");
        assert_eq!(navigation, vec!["**[⬆ Back to Top](#table-of-contents)**"]);
    }

    #[test]
    fn list_answer_markers_are_unwrapped() {
        let mut navigation = Vec::new();
        let answer = clean_markdown(
            "  - A: Although they differ:\n\n    - Agile – dev only.\n\n    - DevOps – both.\n",
            &mut navigation,
        );
        assert_eq!(
            answer,
            "Although they differ:\n\n- Agile – dev only.\n\n- DevOps – both."
        );
    }

    #[test]
    fn hard_breaks_inside_paragraphs_survive() {
        let mut navigation = Vec::new();
        let answer = clean_markdown("line one  \nline two\n", &mut navigation);
        assert_eq!(answer, "line one\\\nline two");
    }

    #[test]
    fn plain_text_keeps_its_lines_and_bullets() {
        let answer =
            plain_to_markdown("\nAnswer:\n\nGit\nJenkins\n\nIt has:\n  • a <tag>\n  • b\nDone.");
        assert_eq!(
            answer,
            "Git\\\nJenkins\n\nIt has:\n\n- a \\<tag>\n- b\n\nDone."
        );
    }
}
