//! Why the importer read the notes as it did: one sentence on the
//! convention it found (or was told), and a decision with its reason for
//! every block that could have been a question. `prep import --explain`
//! prints them, so a user whose notes were misread sees which rule to
//! override with `--questions`.

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use super::assemble::Assembled;
use super::detect::{CONVINCING, Candidate, Detection, Shape};
use super::document::Document;
use super::markers::{Numbering, ends_like_question, opens_like_question};
use super::reading::QuestionForms;
use super::regions::region_of;

/// What was decided about one block that could have been a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub first_line: usize,
    pub last_line: usize,
    /// `question`, `not a question`, or `skipped: <why>` for a question
    /// that gave no card.
    pub decision: String,
    pub reason: String,
}

type Group = (Shape, Numbering, bool);

fn describe_group(&(shape, numbering, bold): &Group) -> String {
    let mut text = match shape {
        Shape::Heading(level) => format!("level-{level} headings"),
        Shape::ListLead(depth) if depth <= 1 => "list items".to_owned(),
        Shape::ListLead(depth) => format!("list items nested {depth} deep"),
        Shape::BoldLine => "bold lines".to_owned(),
        Shape::Marked => "lines labelled Q:".to_owned(),
        Shape::QuestionLine => "lines ending in ?".to_owned(),
        Shape::AfterRule => "first lines after a `---` rule".to_owned(),
        Shape::Title => "short lines standing alone".to_owned(),
        Shape::Numbered => "numbered lines".to_owned(),
        Shape::Summary => "<details> summaries".to_owned(),
        Shape::TableRow => "table rows".to_owned(),
        Shape::Term => "definition-list terms".to_owned(),
    };
    if bold && shape != Shape::BoldLine {
        text.push_str(", bold");
    }
    match numbering {
        Numbering::None => {}
        Numbering::Dot => text.push_str(", numbered `1.`"),
        Numbering::Paren => text.push_str(", numbered `1)`"),
        Numbering::QNumber => text.push_str(", numbered `Q1`"),
        Numbering::Word => text.push_str(", numbered `Question 1`"),
        Numbering::Bare => text.push_str(", numbered `1` and a tab"),
    }
    text
}

/// The convention in one line: `questions: level-3 headings (37 of 41)`.
pub fn convention(detection: &Detection, mode: Option<&QuestionForms>) -> String {
    if let Some(mode) = mode {
        return format!(
            "questions: {}, as told (--questions {mode}): {} found",
            mode.describe(),
            detection.questions.len()
        );
    }
    if detection.questions.is_empty() {
        return "questions: none found".to_owned();
    }
    let mut members: HashMap<Group, usize> = HashMap::new();
    for candidate in &detection.candidates {
        *members.entry(candidate.group()).or_default() += 1;
    }
    let mut taken: Vec<(Group, usize)> = Vec::new();
    for question in &detection.questions {
        match taken
            .iter_mut()
            .find(|(group, _)| *group == question.group())
        {
            Some((_, count)) => *count += 1,
            None => taken.push((question.group(), 1)),
        }
    }
    taken.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    let parts: Vec<String> = taken
        .iter()
        .map(|(group, count)| {
            format!(
                "{} ({count} of {})",
                describe_group(group),
                members.get(group).copied().unwrap_or(*count)
            )
        })
        .collect();
    format!("questions: {}", parts.join("; "))
}

/// Each role the detector weighed, one line each, in document order:
/// `role: level-3 headings — 41 members, 37 ask, 36 answered; needs 40%
/// asking: taken`. What decides a role is its members as a whole, so the
/// numbers are the members'; each member's own decision follows.
pub fn roles(detection: &Detection) -> Vec<String> {
    super::select::roles(detection.candidates.clone())
        .iter()
        .map(|members| {
            let verdict = super::select::judge(members);
            let outcome = if verdict.taken {
                "taken"
            } else if members.iter().any(|member| is_question(detection, member)) {
                "left out; members with evidence of their own taken"
            } else {
                "left out"
            };
            format!(
                "role: {} — {} member{}, {} ask, {} answered; needs {:.0}% asking: {outcome}",
                describe_group(&members[0].group()),
                members.len(),
                if members.len() == 1 { "" } else { "s" },
                verdict.asking,
                verdict.answered,
                verdict.needed * 100.0,
            )
        })
        .collect()
}

fn is_question(detection: &Detection, candidate: &Candidate) -> bool {
    detection
        .questions
        .binary_search_by_key(&candidate.start, |question| question.start)
        .is_ok()
}

/// The evidence for and against one candidate, as the detector weighed it.
fn evidence(candidate: &Candidate) -> String {
    let mut found = Vec::new();
    if candidate.marked {
        found.push("an answer label or a revealed answer follows");
    }
    if matches!(candidate.numbering, Numbering::QNumber | Numbering::Word) {
        found.push("numbered as a question");
    }
    if candidate.shape == Shape::Marked {
        found.push("labelled as a question");
    }
    if ends_like_question(&candidate.question) {
        found.push("ends in ?");
    }
    if opens_like_question(&candidate.question) {
        found.push("opens like a question");
    }
    found.push(if candidate.has_body {
        "has a body"
    } else {
        "has nothing under it"
    });
    format!("{}; score {:.1}", found.join(", "), candidate.score)
}

/// A decision for every candidate, in document order.
pub fn decisions(
    document: &Document,
    detection: &Detection,
    assembled: &Assembled,
    mode: Option<&QuestionForms>,
) -> Vec<Decision> {
    let mut convincing: HashMap<Group, (usize, usize)> = HashMap::new();
    for candidate in &detection.candidates {
        let entry = convincing.entry(candidate.group()).or_default();
        entry.1 += 1;
        if candidate.score >= CONVINCING {
            entry.0 += 1;
        }
    }
    let questions = &detection.questions;
    let taken: Vec<Group> = questions.iter().map(Candidate::group).collect();
    let mut decisions = Vec::with_capacity(detection.candidates.len());
    for candidate in &detection.candidates {
        let first_line = document.line_of(candidate.start);
        let last_line = document.last_line_of(&(candidate.start..candidate.question_end));
        let group = describe_group(&candidate.group());
        let accepted = questions
            .binary_search_by_key(&candidate.start, |question| question.start)
            .is_ok();
        let (decision, reason) = if accepted {
            // The skipped report is sorted by line: a binary search, since a
            // document can hold a hundred thousand questions.
            let at = assembled
                .skipped
                .partition_point(|skip| skip.first_line < first_line);
            let skipped = assembled
                .skipped
                .get(at)
                .filter(|skip| skip.first_line == first_line);
            let decision = match skipped {
                Some(skip) => format!("skipped: {}", skip.reason.describe()),
                None => "question".to_owned(),
            };
            let why = match mode {
                Some(mode) => format!("{group}, as told (--questions {mode})"),
                None => format!("{group}, a form this document asks in"),
            };
            (decision, format!("{why}; {}", evidence(candidate)))
        } else {
            let why = match mode {
                Some(mode) => format!("not of the form told (--questions {mode})"),
                None => match region_of(document, questions, candidate.start) {
                    Some(owner) => format!(
                        "inside the answer of line {}",
                        document.line_of(questions[owner].start)
                    ),
                    None if taken.contains(&candidate.group()) => {
                        format!("{group}, but too little evidence for this one")
                    }
                    None => {
                        let (strong, all) = convincing[&candidate.group()];
                        format!("{group}: too few read as questions ({strong} of {all})")
                    }
                },
            };
            (
                "not a question".to_owned(),
                format!("{why}; {}", evidence(candidate)),
            )
        };
        decisions.push(Decision {
            first_line,
            last_line,
            decision,
            reason,
        });
    }
    decisions
}
