//! The questions the user named (`--questions`): every candidate of the
//! form they chose is a question, whatever the detector would have made of
//! it. The detector still finds and measures the candidates, so their text,
//! their answers' ends and their evidence are read as usual.

use super::detect::{Candidate, Shape};
use super::markers::ends_like_question;
use super::reading::{QuestionForms, QuestionMode};

/// The candidates of any of the forms named, in document order.
pub fn select(candidates: &[Candidate], forms: &QuestionForms) -> Vec<Candidate> {
    let mut chosen: Vec<Candidate> = Vec::new();
    for form in forms.iter() {
        chosen.extend(of_form(candidates, form));
    }
    chosen.sort_by_key(|candidate| candidate.start);
    chosen.dedup_by_key(|candidate| candidate.start);
    chosen
}

/// The candidates of one form.
fn of_form(candidates: &[Candidate], mode: &QuestionMode) -> Vec<Candidate> {
    let level = match mode {
        QuestionMode::Heading(Some(level)) => Some(*level),
        QuestionMode::Heading(None) => question_heading_level(candidates),
        _ => None,
    };
    let list_depth = candidates
        .iter()
        .filter_map(|candidate| match candidate.shape {
            Shape::ListLead(depth) => Some(depth),
            _ => None,
        })
        .min();
    candidates
        .iter()
        .filter(|candidate| match mode {
            QuestionMode::Heading(_) => candidate.level().is_some() && candidate.level() == level,
            QuestionMode::List => {
                matches!(candidate.shape, Shape::ListLead(depth) if Some(depth) == list_depth)
            }
            QuestionMode::Bold => candidate.shape == Shape::BoldLine || candidate.bold,
            QuestionMode::Label(_) => candidate.shape == Shape::Marked,
            QuestionMode::Table => candidate.shape == Shape::TableRow,
            QuestionMode::Line => {
                candidate.shape != Shape::Summary
                    && candidate.shape != Shape::TableRow
                    && ends_like_question(&candidate.question)
            }
        })
        .cloned()
        .collect()
}

/// The heading level whose headings most read like questions (or, where
/// none does, most have a body); the deeper one on a tie, since questions
/// sit under topics.
fn question_heading_level(candidates: &[Candidate]) -> Option<u8> {
    let mut counts = [0usize; 7];
    for candidate in candidates {
        if let Some(level) = candidate.level() {
            counts[usize::from(level.min(6))] +=
                2 * usize::from(candidate.question_like) + usize::from(candidate.has_body);
        }
    }
    // `max_by_key` keeps the last of equals: the deepest level.
    (1..=6u8)
        .max_by_key(|&level| counts[usize::from(level)])
        .filter(|&level| counts[usize::from(level)] > 0)
}

#[cfg(test)]
mod tests {
    use crate::import::{Reading, read_text_with};

    fn questions(text: &str, mode: &str) -> Vec<(String, String)> {
        let reading = Reading {
            questions: Some(mode.parse().unwrap()),
            ..Reading::default()
        };
        read_text_with(text.to_owned(), &reading)
            .cards
            .into_iter()
            .map(|card| (card.question, card.answer))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
            .collect()
    }

    /// Topic headings the detector would not take for questions are
    /// questions when the user says so.
    #[test]
    fn heading_mode() {
        let text = "# Py\n\n## Decorators\n\nFunctions wrapping functions.\n\n## Generators\n\nLazy iterators.\n";
        assert_eq!(
            questions(text, "heading:2"),
            pairs(&[
                ("Decorators", "Functions wrapping functions."),
                ("Generators", "Lazy iterators.")
            ])
        );
        assert_eq!(questions(text, "heading").len(), 2);
        assert!(questions(text, "heading:3").is_empty());
    }

    #[test]
    fn list_mode() {
        let text = "# Terms\n\n- Idempotence\n  - Same result when repeated.\n- Backpressure\n  - Slowing producers down.\n";
        assert_eq!(
            questions(text, "list"),
            pairs(&[
                ("Idempotence", "- Same result when repeated."),
                ("Backpressure", "- Slowing producers down.")
            ])
        );
    }

    #[test]
    fn bold_mode() {
        let text = "# Terms\n\n**Idempotence**\n\nSame result when repeated.\n\n**Backpressure**\n\nSlowing producers.\n";
        assert_eq!(
            questions(text, "bold"),
            pairs(&[
                ("Idempotence", "Same result when repeated."),
                ("Backpressure", "Slowing producers.")
            ])
        );
    }

    #[test]
    fn label_mode() {
        let text = "# De\n\nFrage: Was ist DNS?\n\nLösung: Namen.\n\nFrage: Was ist TCP?\n\nLösung: Transport.\n";
        let reading = Reading {
            questions: Some("label:Frage".parse().unwrap()),
            answer_label: Some("Lösung".to_owned()),
            ..Reading::default()
        };
        let notes = read_text_with(text.to_owned(), &reading);
        let found: Vec<(&str, &str)> = notes
            .cards
            .iter()
            .map(|card| (card.question.as_str(), card.answer.as_str()))
            .collect();
        assert_eq!(
            found,
            [("Was ist DNS?", "Namen."), ("Was ist TCP?", "Transport.")]
        );
        assert_eq!(
            questions("Q: One\n\nA: 1\n\nQ: Two\n\nA: 2\n", "label").len(),
            2
        );
    }

    #[test]
    fn table_mode() {
        let text = "# Ports\n\n| Service | Port |\n|---|---|\n| SSH | 22 |\n| HTTPS | 443 |\n";
        assert_eq!(
            questions(text, "table"),
            pairs(&[("SSH", "22"), ("HTTPS", "443")])
        );
    }

    #[test]
    fn line_mode() {
        let text = "Notes\n\nwhat is dns?\nnames for hosts\nand what is tcp？\na transport\n";
        assert_eq!(
            questions(text, "line"),
            pairs(&[
                ("what is dns?", "names for hosts"),
                ("and what is tcp？", "a transport")
            ])
        );
    }
}
