//! `--type`: what the quiz says about a typed answer, in words both front
//! ends show.

pub use crate::typed_answer::{Assessment, assess, assess_card};

/// `covered 3 of 5 key points (60%); suggested grade: good`, then one line
/// per point, `+` covered and `-` missed.
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
        line.push_str(&format!("; suggested grade: {grade} (Enter to accept)"));
    }
    line
}
