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
question.
*/

use std::collections::HashMap;
use std::ops::Range;

use super::document::{Block, BlockKind, Document};
use super::markers::{
    Numbering, ends_like_question, is_anchor_link_line, is_answer_label, is_numbered_label,
    is_page_chrome, is_reveal_label, opens_like_prompt, opens_like_question, split_numbering,
    strip_bold, strip_label, strip_question_marker,
};
use super::reading::QuestionMode;
use super::regions::region_of;

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
    pub bold: bool,
    /// Where the question's region starts: its list item's marker, its
    /// `<details>`, or its block.
    pub start: usize,
    /// Just past the question's own text.
    pub question_end: usize,
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
    fn new(shape: Shape, raw: &str, start: usize, question_end: usize) -> Candidate {
        let (numbering, bold, question) = question_text(raw);
        Candidate {
            shape,
            numbering,
            bold,
            start,
            question_end,
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
pub fn detect_with(document: &Document, mode: Option<&QuestionMode>) -> Detection {
    let mut candidates = if document.markdown {
        markdown_candidates(document, mode)
    } else {
        plain_candidates(document, mode)
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
            let mut accepted = select(document, candidates.clone());
            if accepted.is_empty() && document.markdown {
                accepted = numbered_topics(&candidates);
            }
            if document.markdown {
                accepted
            } else {
                promote_parent_titles(&candidates, accepted)
            }
        }
    };
    Detection {
        questions,
        candidates,
    }
}

fn question_text(raw: &str) -> (Numbering, bool, String) {
    let mut text = raw.trim();
    let mut bold = false;
    let (mut numbering, _, rest) = split_numbering(text);
    text = rest;
    if let Some(inner) = strip_bold(text) {
        bold = true;
        text = inner;
        if numbering == Numbering::None {
            let (inner_numbering, _, rest) = split_numbering(text);
            numbering = inner_numbering;
            text = rest;
        }
    }
    if let Some(rest) = strip_question_marker(text) {
        text = rest;
    }
    (numbering, bold, text.trim().to_owned())
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

fn join_lines(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn markdown_candidates(document: &Document, mode: Option<&QuestionMode>) -> Vec<Candidate> {
    let custom = custom_question_label(mode);
    let mut candidates = Vec::new();
    for (index, block) in document.blocks.iter().enumerate() {
        let source = &document.text[block.range.clone()];
        let base = |shape, question_end, raw: &str| Candidate {
            block: Some(index),
            ..Candidate::new(
                shape,
                raw,
                block
                    .item_lead
                    .map_or(block.range.start, |lead| lead.item_start),
                question_end,
            )
        };
        match block.kind {
            // `#### Answer` under a question heading says where the answer
            // starts; it asks nothing.
            BlockKind::Heading(_) if is_answer_label(heading_source(source)) => {}
            BlockKind::Heading(level) => {
                candidates.push(base(
                    Shape::Heading(level),
                    block.range.end,
                    heading_source(source),
                ));
            }
            BlockKind::Paragraph => {
                if document.answer_marker(&block.text).is_some() || is_anchor_link_line(source) {
                    continue;
                }
                // A question and its answer in one paragraph: `**Q:** ...`
                // then a line `**A:** ...`.
                let mut question_end = block.range.end;
                let mut marked = false;
                let mut offset = block.range.start;
                for (number, line) in source.split_inclusive('\n').enumerate() {
                    if number > 0 && document.answer_marker(line).is_some() {
                        question_end = offset;
                        marked = true;
                        break;
                    }
                    offset += line.len();
                }
                // A question on the paragraph's first line with the answer
                // run on below it (`1. What is X?` then an indented answer).
                if !marked
                    && let Some(first_end) = source.find('\n')
                    && ends_like_question(&source[..first_end])
                    && !source[first_end..].trim().is_empty()
                {
                    question_end = block.range.start + first_end;
                }
                let question_source = document.text[block.range.start..question_end].trim_end();
                let text = join_lines(question_source);
                let (numbering, _, unnumbered) = split_numbering(&text);
                let q_marked = strip_question_marker(&text).is_some()
                    || strip_question_marker(unnumbered).is_some()
                    || custom.is_some_and(|word| strip_label(&text, word).is_some());
                let shape = if block.definition_term {
                    // `Term` over `: definition`: the layout says which part
                    // answers, as a table's columns do.
                    marked = true;
                    Shape::Term
                } else if block.item_lead.is_some() {
                    let q_numbered = matches!(numbering, Numbering::QNumber | Numbering::Word);
                    let next_marked = next_content(document, index)
                        .is_some_and(|next| document.answer_marker(&next.text).is_some());
                    if !(ends_like_question(&text)
                        || mode == Some(&QuestionMode::List)
                        || opens_like_prompt(&text)
                        || q_numbered
                        || next_marked
                        || marked
                        || q_marked)
                    {
                        continue;
                    }
                    Shape::ListLead(block.list_depth)
                } else if q_marked {
                    Shape::Marked
                } else if block.whole_bold && text.len() <= 300 {
                    Shape::BoldLine
                } else if !question_source.contains('\n')
                    && text.len() <= 250
                    && (ends_like_question(&text) || opens_like_prompt(&text))
                    && block.list_depth == 0
                {
                    Shape::QuestionLine
                } else {
                    continue;
                };
                let mut candidate = base(shape, question_end, &text);
                if let Some(rest) = custom.and_then(|word| strip_label(&candidate.question, word)) {
                    candidate.question = rest.to_owned();
                }
                candidate.marked = marked;
                candidates.push(candidate);
            }
            // `<p>1. What is the JVM?</p>`: a question written as HTML.
            BlockKind::Html if !source.trim_end().contains('\n') => {
                let text = super::document::strip_tags(source);
                let lower = source.to_ascii_lowercase();
                if !lower.contains("<details")
                    && !lower.contains("<summary")
                    && text.len() <= 250
                    && (ends_like_question(&text) || opens_like_prompt(&text))
                {
                    candidates.push(base(Shape::QuestionLine, block.range.end, &text));
                }
            }
            BlockKind::Table => candidates.extend(table_candidates(
                document,
                index,
                block,
                mode == Some(&QuestionMode::Table),
            )),
            _ => {}
        }
    }
    for (index, details) in document.details.iter().enumerate() {
        // Details are in the order they open, so the next one is the first
        // that could be inside this one.
        let holds_details = document
            .details
            .get(index + 1)
            .is_some_and(|inner| inner.open > details.open && inner.open < details.close);
        if details.summary_is_heading || holds_details || is_reveal_label(&details.summary) {
            continue;
        }
        candidates.push(Candidate {
            details: Some(index),
            ..Candidate::new(
                Shape::Summary,
                &details.summary,
                details.open,
                details.body_start,
            )
        });
    }
    candidates.sort_by_key(|candidate| candidate.start);
    candidates
}

/// Rows of a two-column table of questions and answers.
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
    let header_says_qa = header[0].contains("question") || header[0] == "q";
    let header_says_answer = header[1].contains("answer") || header[1] == "a";
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

fn plain_candidates(document: &Document, mode: Option<&QuestionMode>) -> Vec<Candidate> {
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
        // `Question:` alone on its line labels the paragraph under it.
        if strip_question_marker(text).is_some_and(str::is_empty) {
            let paragraph: Vec<&Block> = blocks[index + 1..]
                .iter()
                .take_while(|line| line.blank_before == 0)
                .take_while(|line| document.answer_marker(&line.text).is_none())
                .collect();
            if let Some(last) = paragraph.last() {
                let question: Vec<&str> = paragraph.iter().map(|line| line.text.as_str()).collect();
                candidates.push(Candidate {
                    question: escape_plain(&question.join(" ")),
                    block: Some(index + paragraph.len()),
                    blank_before: block.blank_before,
                    ..Candidate::new(Shape::Marked, "", block.range.start, last.range.end)
                });
            }
            continue;
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
                && (alone || marked || mode == Some(&QuestionMode::Line))
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
fn custom_question_label(mode: Option<&QuestionMode>) -> Option<&str> {
    match mode {
        Some(QuestionMode::Label(Some(word))) => Some(word),
        _ => None,
    }
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

/// The next block after `index` that carries content.
fn next_content(document: &Document, index: usize) -> Option<&Block> {
    document.blocks[index + 1..]
        .iter()
        .find(|block| !is_spacer(document, block))
}

fn score(document: &Document, candidates: &mut [Candidate]) {
    // For each candidate, where its body could end: the next candidate of
    // its own group, or a heading that outranks it.
    let mut next_in_group: HashMap<(Shape, Numbering, bool), usize> = HashMap::new();
    let mut body_limit = vec![document.text.len(); candidates.len()];
    for index in (0..candidates.len()).rev() {
        let key = candidates[index].group();
        if let Some(&next) = next_in_group.get(&key) {
            body_limit[index] = candidates[next].start;
        }
        next_in_group.insert(key, index);
    }
    let headings: Vec<usize> = document
        .blocks
        .iter()
        .filter(|block| matches!(block.kind, BlockKind::Heading(_)))
        .map(|block| block.range.start)
        .collect();
    for (index, candidate) in candidates.iter_mut().enumerate() {
        let mut limit = body_limit[index];
        if let Some(details) = candidate.details {
            limit = document.details[details].close;
        }
        let own_level = candidate.level().unwrap_or(7);
        let mut reveal = false;
        let mut body = candidate
            .answer_cell
            .as_ref()
            .is_some_and(|cell| !document.text[cell.clone()].trim().is_empty());
        // The rest of the question's own paragraph is body too.
        if let Some(block) = candidate.block
            && candidate.answer_cell.is_none()
            && candidate.question_end < document.blocks[block].range.end
        {
            body = true;
        }
        let mut first_marked = false;
        let first = document
            .blocks
            .partition_point(|block| block.range.start < candidate.question_end);
        for block in &document.blocks[first..] {
            if block.range.start >= limit {
                break;
            }
            if matches!(block.kind, BlockKind::Heading(_)) && is_answer_label(&block.text) {
                first_marked = true;
                candidate.evidence = Some(block.range.start);
                body = true;
                break;
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
            if document.answer_marker(&block.text).is_some() {
                first_marked = true;
                candidate.evidence = Some(block.range.start);
            }
            body = true;
            break;
        }
        // `Q:` labels a question that runs on to its `A:`: code or a
        // second paragraph between the two belongs to the question.
        if candidate.shape == Shape::Marked
            && !first_marked
            && candidate.question_end <= limit
            && let Some(answer) = labelled_answer_after(document, first, limit)
        {
            first_marked = true;
            candidate.evidence = Some(answer);
            candidate.question_end = answer;
        }
        // A revealed answer: `<details><summary>Answer</summary>` before
        // the next heading.
        if candidate.shape != Shape::Summary {
            let next_heading = headings
                .get(headings.partition_point(|&at| at < candidate.question_end))
                .copied()
                .unwrap_or(document.text.len());
            let from = document
                .details
                .partition_point(|details| details.open < candidate.question_end);
            let found = document.details[from..]
                .iter()
                .take_while(|details| details.open < next_heading.min(limit))
                .find(|details| is_reveal_label(&details.summary));
            if let Some(details) = found {
                reveal = true;
                body = true;
                candidate.evidence = Some(details.open);
            }
        } else if let Some(details) = candidate.details {
            let details = &document.details[details];
            let inside = &document.text[details.body_start..details.close];
            body = !super::markers::is_placeholder_answer(inside)
                && super::document::has_text_outside_tags(inside);
        }
        let text = &candidate.question;
        candidate.marked |= first_marked || reveal;
        candidate.question_like = ends_like_question(text) || opens_like_question(text);
        candidate.has_body = body;
        let mut score = 0.0;
        if candidate.marked {
            score += 4.0;
        }
        if matches!(candidate.numbering, Numbering::QNumber | Numbering::Word)
            || candidate.shape == Shape::Marked
        {
            score += 3.0;
        }
        if ends_like_question(text) {
            score += 2.0;
        }
        if opens_like_question(text) {
            score += 1.5;
        }
        score += if body { 1.0 } else { -2.0 };
        if candidate.shape == Shape::Summary {
            // A summary is a question by construction of the element.
            score += 1.0;
        }
        if is_anchor_link_line(text) || text.contains("](#") {
            score -= 6.0;
        }
        if text.chars().count() > 300 {
            score -= 2.0;
        }
        candidate.score = score;
    }
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

/// Above this score a candidate is convincing on its own.
pub(crate) const CONVINCING: f32 = 2.5;
/// Evidence strong enough to split an answer found by a stronger group.
const OVERWHELMING: f32 = 5.0;

/// Headings of one level numbered in sequence (`## 1 Python的函数参数传递`,
/// `## 2 …`), each over a body: topics to explain, in a document that asks
/// no question in any other form. The number goes; the topic is the card's
/// front.
fn numbered_topics(candidates: &[Candidate]) -> Vec<Candidate> {
    let number_of = |candidate: &Candidate| -> Option<u64> {
        let digits: String = candidate
            .question
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let rest = &candidate.question[digits.len()..];
        (!digits.is_empty() && digits.len() <= 3 && rest.starts_with([' ', '\u{3000}', '、']))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let mut best: Vec<Candidate> = Vec::new();
    for level in 1..=6u8 {
        let members: Vec<&Candidate> = candidates
            .iter()
            .filter(|candidate| candidate.level() == Some(level))
            .collect();
        let topics: Vec<Candidate> = members
            .iter()
            .filter(|candidate| candidate.has_body && number_of(candidate).is_some())
            .map(|candidate| {
                let mut topic = (*candidate).clone();
                let (_, rest) = topic.question.split_at(
                    topic
                        .question
                        .find(|ch: char| !ch.is_ascii_digit())
                        .unwrap_or(0),
                );
                topic.question = rest.trim_start_matches([' ', '\u{3000}', '、']).to_owned();
                topic
            })
            .collect();
        let in_sequence = topics.len() >= 2 && topics.len() * 5 >= members.len() * 3;
        if in_sequence && topics.len() > best.len() && topics.iter().all(|t| !t.question.is_empty())
        {
            best = topics;
        }
    }
    best
}

fn select(document: &Document, candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut groups: HashMap<(Shape, Numbering, bool), Vec<Candidate>> = HashMap::new();
    for candidate in candidates {
        groups.entry(candidate.group()).or_default().push(candidate);
    }
    let (mut groups, lone_questions): (Vec<Vec<Candidate>>, Vec<Vec<Candidate>>) =
        groups.into_values().partition(|members| {
            let convincing = members.iter().filter(|c| c.score >= CONVINCING).count();
            let share = convincing as f32 / members.len() as f32;
            // Plain titles are noisy by nature (sub-titles, bylines), so a
            // smaller share of convincing members is enough for them.
            let needed = if members[0].shape == Shape::Title {
                0.25
            } else {
                0.4
            };
            (convincing >= 2 && share >= needed)
                || (members.len() == 1 && members[0].score >= OVERWHELMING)
        });
    let lone_questions: Vec<Vec<Candidate>> = lone_questions
        .into_iter()
        .filter(|members| {
            members.len() == 1
                && members[0].score >= CONVINCING
                && members[0].question_like
                && members[0].has_body
        })
        .collect();
    // A document of one question (`## What is the CAP theorem?` and its
    // answer) has no group of two: a lone candidate that asks, and has a
    // body, is that question.
    if groups.is_empty() {
        groups = lone_questions;
    }

    groups.sort_by(|a, b| {
        let strength =
            |members: &[Candidate]| members.iter().map(|c| c.score.max(0.0)).sum::<f32>();
        strength(b).total_cmp(&strength(a))
    });

    let mut accepted: Vec<Candidate> = Vec::new();
    for members in groups {
        let before = accepted.clone();
        for candidate in members {
            if candidate.score < 1.0 {
                continue;
            }
            if let Some(owner) = region_of(document, &before, candidate.start) {
                // Inside an answer already found: only overwhelming evidence
                // of its own (not the owner's marker) makes a new question.
                let shared =
                    candidate.evidence.is_some() && candidate.evidence == before[owner].evidence;
                if candidate.score < OVERWHELMING || shared {
                    continue;
                }
            }
            accepted.push(candidate);
        }
        accepted.sort_by_key(|candidate| candidate.start);
    }
    accepted.dedup_by_key(|candidate| candidate.start);
    accepted
}

/// Plain text: a title with no body of its own followed by weaker titles
/// is the question, and those titles are sub-headings of its answer
/// ("How I Integrate OPA with EKS, API Gateway, IAM" over "EKS",
/// "CI/CD (Terraform)").
fn promote_parent_titles(candidates: &[Candidate], mut accepted: Vec<Candidate>) -> Vec<Candidate> {
    // Sorted, since `accepted` is: membership is a binary search.
    let accepted_at: Vec<usize> = accepted.iter().map(|c| c.start).collect();
    let is_accepted = |start: usize| accepted_at.binary_search(&start).is_ok();
    let mut promoted: Vec<Candidate> = Vec::new();
    let mut demoted: Vec<usize> = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if candidate.shape != Shape::Title && candidate.shape != Shape::QuestionLine {
            continue;
        }
        if candidate.has_body || is_accepted(candidate.start) {
            continue;
        }
        let Some(next) = candidates.get(index + 1) else {
            continue;
        };
        let next_block = candidate.block.map(|b| b + 1);
        if next.block != next_block || next.shape != Shape::Title || !is_accepted(next.start) {
            continue;
        }
        if next.question_like || next.marked {
            continue;
        }
        promoted.push(candidate.clone());
        for child in &candidates[index + 1..] {
            if !is_accepted(child.start) {
                continue;
            }
            if child.shape != Shape::Title
                || child.question_like
                || child.marked
                || child.blank_before >= 2
            {
                break;
            }
            demoted.push(child.start);
        }
    }
    demoted.sort_unstable();
    accepted.retain(|candidate| demoted.binary_search(&candidate.start).is_err());
    accepted.extend(promoted);
    accepted.sort_by_key(|candidate| candidate.start);
    accepted
}
