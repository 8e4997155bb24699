//! What the import report advises when the detector's reading may not be
//! the author's: a role it judged close to the line either way, with the
//! `--questions` flag that reads it the other way, and lines that ask but
//! were read as part of the answer above them. Said in every report, not
//! only with `--explain`, since a misread document is most often noticed
//! by its card count.

use super::detect::{CONVINCING, Candidate, Detection, Shape};
use super::document::Document;
use super::reading::{QuestionForms, QuestionMode};
use super::regions::region_of;
use super::select::judge;

/// Within this much of the share a role needs, its verdict could have
/// gone the other way.
const CLOSE: f32 = 0.15;
/// Lines that ask inside answers listed by line, before `and N more`.
const LISTED: usize = 5;

/// The advice for a document read by the detector's own judgement.
pub fn advise(document: &Document, detection: &Detection) -> Vec<String> {
    let mut advice = close_roles(document, detection);
    advice.extend(asking_inside_answers(document, detection));
    advice
}

/// The `--questions` form that names a candidate's role, where one does.
/// (List items only at the outermost depth, which is the one the flag
/// reads.)
fn form_of(candidate: &Candidate, outer_list: Option<usize>) -> Option<QuestionMode> {
    match candidate.shape {
        Shape::Heading(level) => Some(QuestionMode::Heading(Some(level))),
        Shape::ListLead(depth) if Some(depth) == outer_list => Some(QuestionMode::List),
        Shape::BoldLine => Some(QuestionMode::Bold),
        Shape::Marked => Some(QuestionMode::Label(None)),
        Shape::TableRow => Some(QuestionMode::Table),
        _ => None,
    }
}

/// Roles the user could name, judged close to the line: one left out
/// whose members mostly have a body and stand outside the answers found,
/// and nearly enough of which ask (or which has twice as many members
/// with a body as the document has questions), and one taken with barely enough askers beside another
/// taken role. Roles are counted by the form that names them (`### 1.`
/// and `###` headings are both `heading:3`).
fn close_roles(document: &Document, detection: &Detection) -> Vec<String> {
    let outer_list = detection
        .candidates
        .iter()
        .filter_map(|candidate| match candidate.shape {
            Shape::ListLead(depth) => Some(depth),
            _ => None,
        })
        .min();
    // The forms of the roles the questions were found in; a flag that
    // adds or drops one keeps the others.
    let mut taken: Vec<QuestionMode> = Vec::new();
    for question in &detection.questions {
        match form_of(question, outer_list) {
            Some(form) if !taken.contains(&form) => taken.push(form),
            Some(_) => {}
            // (a role the flag cannot name would be lost by any flag)
            None => return Vec::new(),
        }
    }
    let mut forms: Vec<(QuestionMode, Vec<Candidate>)> = Vec::new();
    for candidate in &detection.candidates {
        let Some(form) = form_of(candidate, outer_list) else {
            continue;
        };
        match forms.iter_mut().find(|(known, _)| *known == form) {
            Some((_, members)) => members.push(candidate.clone()),
            None => forms.push((form, vec![candidate.clone()])),
        }
    }
    let flag = |forms: Vec<QuestionMode>| {
        QuestionForms::new(forms).map_or_else(String::new, |forms| forms.to_string())
    };
    let mut advice = Vec::new();
    for (form, members) in forms {
        let verdict = judge(&members);
        let with_body = members.iter().filter(|c| c.has_body).count();
        let (count, name) = (members.len(), form.describe());
        let (asking, counted) = (verdict.asking, verdict.counted);
        // (members standing inside the answers found are those answers'
        // own structure: follow-up questions, sub-headings)
        let inside = members
            .iter()
            .filter(|c| region_of(document, &detection.questions, c.start).is_some())
            .count();
        if !taken.contains(&form) {
            let close = verdict.share() + CLOSE >= verdict.needed
                || detection.questions.len() * 2 < with_body;
            if with_body >= 3 && close && inside * 2 <= count {
                let mut named = taken.clone();
                named.push(form);
                advice.push(format!(
                    "the {count} {name} were not read as questions ({asking} of {counted} ask); if they are your questions: --questions {}",
                    flag(named)
                ));
            }
        } else if verdict.taken && taken.len() > 1 && verdict.share() < verdict.needed + CLOSE {
            let others: Vec<QuestionMode> = taken
                .iter()
                .filter(|&other| *other != form)
                .cloned()
                .collect();
            advice.push(format!(
                "the {count} {name} were read as questions, though only {asking} of {counted} ask; if they are not: --questions {}",
                flag(others)
            ));
        }
    }
    advice
}

/// Lines that ask, with a body of their own, standing as high as the
/// question whose answer they were read into: a bold line or a line of
/// their own after a question's answer, or an item of the question's own
/// list. Sub-headings and nested items of an answer are its structure,
/// and are not listed.
fn asking_inside_answers(document: &Document, detection: &Detection) -> Option<String> {
    let questions = &detection.questions;
    let mut lines: Vec<usize> = Vec::new();
    for candidate in &detection.candidates {
        if !candidate.question_like || candidate.score < CONVINCING || !candidate.has_body {
            continue;
        }
        if questions
            .binary_search_by_key(&candidate.start, |question| question.start)
            .is_ok()
        {
            continue;
        }
        let Some(owner) = region_of(document, questions, candidate.start) else {
            continue;
        };
        let owner = &questions[owner];
        let as_high = match (candidate.shape, owner.shape) {
            (Shape::QuestionLine | Shape::BoldLine, Shape::ListLead(_)) => true,
            (Shape::QuestionLine | Shape::BoldLine, _) => owner.level().is_some(),
            (Shape::ListLead(depth), Shape::ListLead(owner_depth)) => depth == owner_depth,
            (Shape::Heading(level), Shape::Heading(owner_level)) => level <= owner_level,
            _ => false,
        };
        let in_a_list = candidate
            .block
            .is_some_and(|block| document.blocks[block].list_depth > 0);
        // (a line inside a list is the list's, unless it is an item)
        let own_line = !in_a_list || matches!(candidate.shape, Shape::ListLead(_));
        if as_high && own_line {
            lines.push(document.line_of(candidate.text_start.unwrap_or(candidate.start)));
        }
    }
    if lines.is_empty() {
        return None;
    }
    let shown: Vec<String> = lines.iter().take(LISTED).map(ToString::to_string).collect();
    let more = lines.len().saturating_sub(LISTED);
    let list = if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    };
    Some(if lines.len() == 1 {
        format!(
            "line {list} asks, but was read as part of the answer above it (--explain says why)"
        )
    } else {
        format!(
            "lines {list} ask, but were read as part of the answers above them (--explain says why)"
        )
    })
}
