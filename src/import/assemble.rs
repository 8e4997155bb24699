/*!
From detected questions to cards: each question's answer is cut from the
source (so lists, code, tables and emphasis stay exactly as written),
cleaned of markers and navigation, and tagged with the sections it sits
in. Every line that ends up in no card is reported as skipped, with its
line numbers and why, so nothing is dropped silently.
*/

use serde::Serialize;

use super::answer::{
    clean_markdown, dedent, is_layout_html, is_rule, plain_to_markdown,
    without_answer_label_headings,
};
use super::choices::split_choices;
use super::detect::{Candidate, Shape};
use super::document::Document;
use super::markers::{
    is_anchor_link_line, is_numbered_label, is_page_chrome, is_placeholder_answer, is_reveal_label,
    strip_label,
};
use super::regions::answer_end;
use super::sections::{SectionTracker, find_title, front_matter_title};
use super::unanswered::{
    is_link_only, is_table_of_contents, only_prompts, only_questions, split_metadata,
    split_trailing_prompts,
};

/// A card as found in the notes, before it gets an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCard {
    pub question: String,
    pub answer: String,
    pub tags: Vec<String>,
    /// 1-based line of the question (the note's number, for an Anki
    /// package).
    pub line: usize,
    /// The id the source already gives the card: a prep card sent to Anki
    /// and read back keeps its id, and so its history.
    pub id: Option<String>,
    /// Whether the source drills it both ways (an Anki note of type "Basic
    /// (and reversed card)"); a deck's own `reverse` is kept either way.
    pub reverse: bool,
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
    /// A heading that only numbers the question below it (`### Card 17`).
    Label,
    /// A question whose cloze deletion (`{{c1::...`) does not read: kept
    /// out, so the deck it would go to still loads.
    MalformedCloze,
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
            SkipReason::Label => "label of the question below",
            SkipReason::MalformedCloze => "cloze deletion that does not read",
        }
    }
}

/// Why a card of this question and answer cannot go into a deck, if it
/// cannot: a cloze deletion that does not read, or no answer on a card
/// without deletions.
pub fn unusable(question: &str, answer: &str) -> Option<SkipReason> {
    let clozes = if crate::decks::cloze::may_have_deletions(question) {
        crate::decks::cloze::numbers(question)
    } else {
        Ok(Vec::new())
    };
    match clozes {
        Err(_) => Some(SkipReason::MalformedCloze),
        Ok(numbers) if numbers.is_empty() && answer.trim().is_empty() => {
            Some(SkipReason::Unanswered)
        }
        Ok(_) => None,
    }
}

/// `found` without the cards [`unusable`] finds, each of those added to
/// `skipped`: a deck with one would not load. (Anki notes are checked as
/// they are read, in [`crate::anki::notes`].)
pub fn checked_cards(found: Vec<FoundCard>, skipped: &mut Vec<Skipped>) -> Vec<FoundCard> {
    let mut kept = Vec::with_capacity(found.len());
    for card in found {
        match unusable(&card.question, &card.answer) {
            Some(reason) => skipped.push(Skipped {
                first_line: card.line,
                last_line: card.line,
                reason,
                excerpt: excerpt(card.question.lines().next().unwrap_or("")),
            }),
            // A cloze card has no reversed side: a two-way mark on one
            // (`:::` around a `==deletion==`) is dropped, not a deck that
            // does not load.
            None if card.reverse && crate::decks::cloze::may_have_deletions(&card.question) => {
                kept.push(FoundCard {
                    reverse: false,
                    ..card
                });
            }
            None => kept.push(card),
        }
    }
    kept
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
    let title_block = place_title(document, questions, &mut lines, &mut assembled);
    let ends: Vec<usize> = (0..questions.len())
        .map(|index| answer_end(document, questions, index))
        .collect();
    let sections = SectionTracker::new(document, questions, &ends, title_block);
    for (question, &end) in questions.iter().zip(&ends) {
        let region = question.start..end.max(question.question_end);
        let mut card = card_of(document, question, end);
        if let Err(reason) = card.answered() {
            mark(&mut lines, document, region.clone(), Use::Skipped);
            assembled.skipped.push(skipped(document, region, reason));
            continue;
        }
        mark(&mut lines, document, region.clone(), Use::Kept);
        if document.markdown {
            set_aside_trailing_prompts(document, &region, &mut card, &mut lines, &mut assembled);
        }
        report_navigation(
            document,
            &region,
            &card.navigation,
            &mut lines,
            &mut assembled,
        );
        let mut tags = sections.tags_at(question.start);
        tags.extend(card.metadata.into_iter().filter(|tag| !tag.is_empty()));
        assembled.cards.push(FoundCard {
            question: card.question,
            answer: card.answer,
            tags,
            line: document.line_of(question.text_start.unwrap_or(question.start)),
            id: None,
            reverse: false,
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

/// The document's title, kept out of the cards: the title the front matter
/// gives wins; a top heading saying the same is that title, one saying
/// something else is left to the report. The title's block, if a heading.
fn place_title(
    document: &Document,
    questions: &[Candidate],
    lines: &mut [Use],
    assembled: &mut Assembled,
) -> Option<usize> {
    let (mut title, mut title_block) = find_title(document, questions);
    if let Some((given, range)) = front_matter_title(document) {
        if title.as_deref() != Some(given.as_str()) {
            title_block = None;
            mark(lines, document, range, Use::Kept);
        }
        title = Some(given);
    }
    assembled.title = title;
    if let Some(block) = title_block {
        mark(
            lines,
            document,
            document.blocks[block].range.clone(),
            Use::Kept,
        );
    }
    title_block
}

/// A card as cut from the notes, before it is judged answered.
struct CutCard {
    question: String,
    /// The answer's source, before it was tidied.
    raw_answer: String,
    answer: String,
    /// Tags the answer's metadata lines gave (`Difficulty: Easy`).
    metadata: Vec<String>,
    /// Navigation lines taken out of the answer.
    navigation: Vec<String>,
    /// An answer label or a revealed answer backs the question.
    marked: bool,
    heading: bool,
}

/// Cuts a question's card from the notes and tidies its answer.
fn card_of(document: &Document, question: &Candidate, end: usize) -> CutCard {
    let (mut question_text, mut raw_answer) = cut(document, question, end);
    if let Some(label) = &document.answer_label {
        raw_answer = without_label(&raw_answer, label);
    }
    let mut navigation = Vec::new();
    let (metadata, mut answer) = if document.markdown {
        split_metadata(&clean_markdown(&raw_answer, &mut navigation))
    } else {
        (Vec::new(), plain_to_markdown(&raw_answer))
    };
    if let Some((options, back)) = split_choices(&answer) {
        question_text.push_str("\n\n");
        question_text.push_str(&options);
        answer = back;
    }
    CutCard {
        question: question_text,
        raw_answer,
        answer,
        metadata,
        navigation,
        marked: question.marked,
        heading: question.level().is_some(),
    }
}

impl CutCard {
    /// Whether the card has an answer: not a table of contents, nor a
    /// placeholder, a link, or only more prompts.
    fn answered(&self) -> Result<(), SkipReason> {
        let answer = &self.answer;
        // A topic label over a folded list of links (`### Css` over
        // `<details><summary>View contents</summary>` and links) is a table
        // of contents even once the links are gone from the answer.
        let only_navigation = !self.navigation.is_empty()
            && answer.lines().all(|line| {
                let line = line.trim();
                is_markup_only(line) || (line.starts_with("<summary") && line.ends_with('>'))
            });
        let folded_links = !self.navigation.is_empty() && is_table_of_contents(&self.raw_answer);
        if is_table_of_contents(answer) || folded_links || only_navigation {
            return Err(SkipReason::TableOfContents);
        }
        if answer.trim().is_empty()
            || is_placeholder_answer(answer)
            || placeholder_then_note(answer)
            || is_link_only(answer)
            || only_prompts(&self.question, answer, self.heading)
            || (!self.marked && only_questions(answer))
        {
            return Err(SkipReason::Unanswered);
        }
        Ok(())
    }
}

/// A note to self, then only a callout of another kind (`TODO`, then
/// `[!warning] ...`): the question has no answer yet. (A placeholder is
/// short: its end is looked for near the start.)
fn placeholder_then_note(answer: &str) -> bool {
    let mut head_end = answer.len().min(256);
    while !answer.is_char_boundary(head_end) {
        head_end -= 1;
    }
    answer[..head_end].find("\n\n").is_some_and(|at| {
        is_placeholder_answer(&answer[..at])
            && super::markers::is_other_callout(answer[at..].trim_start())
    })
}

/// Prompts left unanswered at the end of an answer are no part of it:
/// taken out, and reported where they stand.
fn set_aside_trailing_prompts(
    document: &Document,
    region: &std::ops::Range<usize>,
    card: &mut CutCard,
    lines: &mut [Use],
    assembled: &mut Assembled,
) {
    let Some((kept, prompts)) = split_trailing_prompts(&card.answer) else {
        return;
    };
    card.answer = kept;
    let numbers: Vec<usize> = prompts
        .iter()
        .filter_map(|prompt| find_line(document, region.clone(), prompt))
        .collect();
    for &number in &numbers {
        lines[number] = Use::Skipped;
    }
    if let (Some(&first_line), Some(&last_line)) = (numbers.first(), numbers.last()) {
        assembled.skipped.push(Skipped {
            first_line,
            last_line,
            reason: SkipReason::Unanswered,
            excerpt: excerpt(&prompts[0]),
        });
    }
}

/// Navigation lines taken out of an answer, each reported where it is
/// (found by content).
fn report_navigation(
    document: &Document,
    region: &std::ops::Range<usize>,
    navigation: &[String],
    lines: &mut [Use],
    assembled: &mut Assembled,
) {
    for line in navigation {
        if let Some(number) = find_line(document, region.clone(), line) {
            lines[number] = Use::Skipped;
            assembled.skipped.push(Skipped {
                first_line: number,
                last_line: number,
                reason: SkipReason::Navigation,
                excerpt: excerpt(line),
            });
        }
    }
}

/// The question text and the raw answer source of one question.
fn cut(document: &Document, question: &Candidate, end: usize) -> (String, String) {
    let text = &document.text;
    if let Some(range) = &question.answer_range {
        let answer = &text[range.clone()];
        // (a table's cell escapes the pipes it holds)
        let answer = if question.shape == Shape::TableRow {
            answer.replace("\\|", "|")
        } else {
            answer.to_owned()
        };
        return (question.question.clone(), answer);
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
    // part of the question. The reveal's summary must end inside the
    // answer: one whose `</summary>` comes only after the next question
    // reveals nothing here.
    if question.shape != Shape::Summary
        && let Some(reveal) = document
            .details_from(body_start)
            .iter()
            .take_while(|details| details.open < end)
            .find(|details| details.body_start <= end && is_reveal_label(&details.summary))
    {
        let extra = dedent(&without_answer_label_headings(
            &text[body_start..reveal.open],
        ));
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
    // A `Q:` question that runs on past its own block to its `A:`.
    let mut question_text = question.question.clone();
    if let Some(block) = question.block
        && question.answer_range.is_none()
        && document.blocks[block].range.end < body_start
    {
        let more = &text[document.blocks[block].range.end..body_start];
        let more = if document.markdown {
            dedent(more)
        } else {
            plain_to_markdown(more)
        };
        if !more.trim().is_empty() {
            question_text.push_str("\n\n");
            question_text.push_str(more.trim());
        }
    }
    let answer = &text[body_start..end];
    if question.shape == Shape::Term {
        // The definitions' `: ` marks only lay the list out.
        let definitions: Vec<&str> = answer
            .split('\n')
            .map(|line| {
                line.trim_start()
                    .strip_prefix(": ")
                    .or_else(|| line.trim_start().strip_prefix(':'))
                    .unwrap_or(line)
            })
            .collect();
        return (question_text, definitions.join("\n"));
    }
    (question_text, answer.to_owned())
}

/// The answer without the user's own answer label at its start
/// (`Lösung: …`, or a list item `- Lösung: …`).
fn without_label(raw: &str, label: &str) -> String {
    let start = raw.len() - raw.trim_start().len();
    let body = &raw[start..];
    let (bullet, item) = match body.strip_prefix(['-', '*', '+']) {
        Some(item) if item.starts_with(' ') => (&body[..2], item.trim_start()),
        _ => ("", body),
    };
    match strip_label(item, label) {
        Some(rest) if bullet.is_empty() => rest.to_owned(),
        Some(rest) => format!("{bullet}{rest}"),
        None => raw.to_owned(),
    }
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
        // `### Card 17`, or `Question 2` over `Level 1` in plain text.
        let label = content.len() <= 2
            && questions
                .get(questions.partition_point(|q| document.line_of(q.start) <= start))
                .is_some_and(|q| document.line_of(q.start) <= end_content + 3)
            && content.iter().all(|text| {
                let text = text.trim();
                (document.markdown == text.starts_with('#'))
                    && is_numbered_label(text.trim_start_matches('#'))
            });
        let reason = if label {
            SkipReason::Label
        } else if content.iter().any(|text| is_placeholder_answer(text)) {
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
