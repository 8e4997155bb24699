//! `--type`: what the quiz says about a typed answer, in words both front
//! ends show.

pub use crate::typed_answer::{Assessment, assess, assess_card};

/// `covered 3 of 5 key points (60%); suggested grade: good`, with what
/// decided the grade when more than the share (`, as you told each side
/// apart`), then one line per point, `+` covered and `-` missed.
pub fn report(assessment: &Assessment) -> Vec<String> {
    if assessment.total == 0 {
        return vec!["no key points to check in this answer; grade yourself".to_string()];
    }
    let mut lines = vec![headline(assessment)];
    for result in &assessment.points {
        let mark = if result.covered { '+' } else { '-' };
        lines.push(format!("  {mark} {}", result.point.text));
    }
    lines
}

/// The first line of the report.
pub fn headline(assessment: &Assessment) -> String {
    let mut line = format!(
        "covered {} of {} key points ({:.0}%)",
        assessment.covered,
        assessment.total,
        assessment.covered as f32 * 100.0 / assessment.total.max(1) as f32
    );
    if let Some(grade) = assessment.suggested {
        line.push_str(&format!("; suggested grade: {grade}"));
        if let Some(reason) = assessment.reason {
            line.push_str(&format!(", {}", reason.text()));
        }
        line.push_str(" (Enter to accept)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHERE_HAVING: &str = "- **WHERE:** Filters rows before GROUP BY, cannot use aggregates\n\
        - **HAVING:** Filters groups after aggregation, can use aggregates";
    const QUESTION: &str = "What's the difference between WHERE and HAVING?";

    #[test]
    fn the_headline_says_what_decided_the_grade() {
        let swapped =
            "WHERE filters the groups after aggregation, HAVING filters rows before grouping";
        assert_eq!(
            headline(&assess_card(QUESTION, WHERE_HAVING, swapped)),
            "covered 4 of 4 key points (100%); suggested grade: again, as what you said fits \
             the other side (Enter to accept)"
        );
        // the share of points alone decided: nothing more is said
        let right = "WHERE filters rows before GROUP BY, HAVING filters groups after aggregation \
                     and only HAVING can use aggregates";
        let line = headline(&assess_card(QUESTION, WHERE_HAVING, right));
        assert!(
            line.ends_with("; suggested grade: easy (Enter to accept)"),
            "{line}"
        );
    }
}
