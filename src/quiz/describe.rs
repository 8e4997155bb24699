//! The words a quiz shows, shared by the terminal reviewer and the line
//! protocol so that both say the same thing: grade buttons with their
//! intervals, the progress line, what a grade did and the closing summary.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::LeechAction;
use crate::format;
use crate::plan::{DeckPlan, Stage};
use crate::schedule::day::calendar_days;
use crate::schedule::zone::Zone;
use crate::schedule::{Grade, Phase, Transition};
use crate::session::{
    Action, Answered, Current, GradedElsewhere, Progress, Session, Summary, Undone,
};

/// The line a quiz session starts with on a planned deck.
pub fn session_line(plan: &DeckPlan, new: usize, early: usize) -> Option<String> {
    let percent = |share: f32| format::percent(f64::from(share));
    match plan.stage {
        Stage::Ahead => Some(format!(
            "{}: interview in {}: {} new and {} today; predicted recall on the day {} (target {}).",
            plan.deck,
            format::count(plan.days_left as u64, "day"),
            new,
            format::count(early as u64, "early review"),
            percent(plan.predicted_recall),
            percent(plan.target)
        )),
        Stage::Today => Some(format!(
            "{}: interview today; recall now {} (target {}).",
            plan.deck,
            percent(plan.predicted_recall),
            percent(plan.target)
        )),
        Stage::Over => None,
    }
}

/// How long until a transition brings the card back: the step (`10m`),
/// or for a review the days to its due date (`1d`, not the 19 hours to
/// 4:00 tomorrow), as Anki's buttons say it. The days are calendar days
/// ([`calendar_days`]), as `prep cards` counts them: at 1:30, before the
/// day's cutoff, an 8-day interval ends on the date 7 days from today's.
pub fn interval(transition: &Transition, now: DateTime<Utc>, zone: Zone) -> String {
    match transition.state.phase {
        Phase::Review => {
            let days = calendar_days(now, transition.state.due, zone).max(1);
            format::days(u32::try_from(days).unwrap_or(u32::MAX))
        }
        _ => format::span((transition.state.due - now).num_seconds()),
    }
}

/// Each grade with the interval it gives (none in cram), as Anki's buttons
/// show them: `(Again, "10m")`.
pub fn buttons(
    preview: Option<&[Transition; 4]>,
    now: DateTime<Utc>,
    zone: Zone,
) -> [(Grade, String); 4] {
    Grade::ALL.map(|grade| {
        let label = preview
            .map(|preview| interval(&preview[grade as usize - 1], now, zone))
            .unwrap_or_default();
        (grade, label)
    })
}

/// `1 again 10m · 2 hard 2d · 3 good 4d · 4 easy 9d`.
pub fn buttons_line(preview: Option<&[Transition; 4]>, now: DateTime<Utc>, zone: Zone) -> String {
    buttons(preview, now, zone)
        .iter()
        .map(|(grade, label)| {
            let mut text = format!("{} {}", grade.rating(), grade);
            if !label.is_empty() {
                text.push(' ');
                text.push_str(label);
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Where the session is: `3/20`, the third of its twenty cards (a card
/// that comes back, learning, is not counted again).
pub fn position(progress: &Progress) -> String {
    format!("{}/{}", progress.cards_shown, progress.cards)
}

/// What is left: `12 review · 5 new · 2 learning`.
pub fn left(progress: &Progress) -> String {
    format!(
        "{} review · {} new · {} learning",
        progress.review, progress.new, progress.learning
    )
}

/// The card's deck and phase: `aws · new`, or for a review an interview
/// plan brought forward `aws · review · early`; then its side, if it is
/// not the card as written: `aws · new · reversed`, `aws · new · cloze 1
/// of 2`.
pub fn card_place(current: &Current) -> String {
    let mut place = format!("{} · {}", current.deck, current.phase());
    if current.early {
        place.push_str(" · early");
    }
    if let Some(label) = current.side.label() {
        place.push_str(" · ");
        place.push_str(&label);
    }
    if current.marked {
        place.push_str(" · marked");
    }
    place
}

/// The lines a session on planned decks starts with, one per deck: the
/// days left, what this session holds of the day's plan, and the
/// predicted recall on the day.
pub fn plan_lines(session: &Session) -> Vec<String> {
    session
        .planned_work()
        .iter()
        .filter_map(|work| session_line(work.plan, work.new, work.early))
        .collect()
}

/// What a grade did: `good: back in 10m`, or in cram `good`.
pub fn graded(grade: Grade, answered: &Answered, now: DateTime<Utc>, zone: Zone) -> String {
    let mut text = match &answered.transition {
        Some(transition) => format!("{grade}: back in {}", interval(transition, now, zone)),
        None => grade.to_string(),
    };
    if let Some((action, lapses)) = answered.leech {
        text.push_str(&format!("; {}", leech(action, lapses)));
    }
    text
}

/// A grade another session made first: `not graded: ...`.
pub fn graded_elsewhere(elsewhere: &GradedElsewhere) -> String {
    format!(
        "not graded: another session graded {} after this one showed it; it has left this session",
        elsewhere.card
    )
}

/// What becoming a leech did to a card.
pub fn leech(action: LeechAction, lapses: u32) -> String {
    match action {
        LeechAction::Suspend => format!(
            "leech: forgotten {lapses} times, so it is suspended (rewrite it, then `prep unsuspend`)"
        ),
        LeechAction::Tag => {
            format!("leech: forgotten {lapses} times (rewrite it, or split it in two)")
        }
    }
}

/// What an undo took back, for the card named `id`.
pub fn undone(undone: &Undone) -> String {
    match undone.action {
        Action::Grade(grade) => format!("undone: {grade}"),
        Action::Skip => "undone: skip".to_string(),
        Action::Suspend => "undone: suspend".to_string(),
    }
}

/// A duration as `45s`, `2m 10s`, `1h 5m`.
pub fn duration(spent: Duration) -> String {
    let seconds = spent.as_secs();
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {}s", seconds / 60, seconds % 60),
        _ => format!("{}h {}m", seconds / 3600, seconds % 3600 / 60),
    }
}

/// The closing summary, one sentence per line.
pub fn summary(summary: &Summary, spent: Duration, now: DateTime<Utc>, zone: Zone) -> Vec<String> {
    // A session that had nothing to show says so once.
    let empty = summary.answers == 0 && summary.skipped == 0 && summary.left == 0;
    let mut lines = vec![if empty {
        "Nothing to review now.".to_string()
    } else {
        reviewed(summary, spent)
    }];
    if summary.left > 0 {
        lines.push(left_in_session(summary));
    }
    if summary.cram {
        lines.push("Cram session: no schedule was changed.".to_string());
        return lines;
    }
    lines.extend(held_back(summary));
    lines.extend(next_due(summary, now, zone));
    if empty {
        lines.push(
            "`prep quiz --cram` drills the cards anyway, without changing their schedule."
                .to_string(),
        );
    }
    lines
}

/// What the session reviewed: the cards, the time and the grades.
fn reviewed(summary: &Summary, spent: Duration) -> String {
    if summary.answers == 0 {
        return if summary.skipped > 0 {
            format!(
                "Nothing reviewed; {} skipped.",
                format::count(summary.skipped, "card")
            )
        } else {
            "Nothing reviewed.".to_string()
        };
    }
    let [again, hard, good, easy] = summary.grades;
    let mut counted = format::count(summary.cards as u64, "card");
    if summary.answers as usize != summary.cards {
        counted.push_str(&format!(" ({})", format::count(summary.answers, "answer")));
    }
    let mut line = format!(
        "{} {counted} in {}: {again} again, {hard} hard, {good} good, {easy} easy",
        if summary.cram { "Crammed" } else { "Reviewed" },
        duration(spent),
    );
    if summary.skipped > 0 {
        line.push_str(&format!("; {} skipped", summary.skipped));
    }
    line.push('.');
    line
}

/// The cards left in the session.
fn left_in_session(summary: &Summary) -> String {
    let mut left = format::count(summary.left as u64, "card");
    if summary.left_new == summary.left {
        left = format::count(summary.left as u64, "new card");
    } else if summary.left_new > 0 {
        left.push_str(&format!(" ({} new)", summary.left_new));
    }
    if summary.cram {
        format!("{left} left in this session.")
    } else {
        format!("{left} left in this session; `prep quiz` goes on where you stopped.")
    }
}

/// The cards held back for another session or day, and by what.
fn held_back(summary: &Summary) -> Vec<String> {
    let mut lines = Vec::new();
    if summary.held_back.by_limit > 0 {
        lines.push(format!(
            "{} left for another session (--limit).",
            format::count(summary.held_back.by_limit as u64, "more card")
        ));
    }
    if summary.held_back.due > 0 {
        lines.push(format!(
            "{} due today {} for another day (reviews_per_day in config.yaml).",
            format::count(summary.held_back.due as u64, "more review"),
            if summary.held_back.due == 1 {
                "waits"
            } else {
                "wait"
            }
        ));
    }
    if summary.held_back.new > 0 {
        lines.push(format!(
            "{} {} for another day (new_per_day in config.yaml, or --new N).",
            format::count(summary.held_back.new as u64, "new card"),
            if summary.held_back.new == 1 {
                "waits"
            } else {
                "wait"
            }
        ));
    }
    lines
}

/// When the next card is due, where the lines before do not say it.
fn next_due(summary: &Summary, now: DateTime<Utc>, zone: Zone) -> Option<String> {
    let waiting = summary.left > 0 || summary.held_back.due > 0 || summary.held_back.by_limit > 0;
    match summary.next_due {
        // The lines above say what is due now, unless nothing did.
        Some(due) if due <= now && !waiting => {
            Some("More cards are due now: `prep quiz` shows them.".to_string())
        }
        Some(due) if due <= now => None,
        // Reviews due later come after the cards left now.
        Some(due) if summary.left > 0 => Some(format!(
            "After them, the next review is due {} ({}).",
            format::relative(due, now, zone),
            format::local(due, zone)
        )),
        Some(due) => Some(format!(
            "Next card due {} ({}).",
            format::relative(due, now, zone),
            format::local(due, zone)
        )),
        None if summary.held_back.new == 0 && summary.left == 0 => {
            Some("No card is scheduled yet.".to_string())
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::HeldBack;

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(duration(Duration::from_secs(45)), "45s");
        assert_eq!(duration(Duration::from_secs(130)), "2m 10s");
        assert_eq!(duration(Duration::from_secs(3900)), "1h 5m");
    }

    #[test]
    fn the_summary_counts_cards_answers_and_what_waits() {
        let now = DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
            .unwrap()
            .to_utc();
        let summary = Summary {
            answers: 6,
            cards: 5,
            grades: [1, 0, 4, 1],
            skipped: 1,
            next_due: Some(now + chrono::Duration::minutes(10)),
            held_back: HeldBack {
                due: 0,
                new: 3,
                by_limit: 0,
            },
            left: 2,
            left_new: 1,
            cram: false,
        };
        let zone = Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap());
        assert_eq!(
            super::summary(&summary, Duration::from_secs(75), now, zone),
            [
                "Reviewed 5 cards (6 answers) in 1m 15s: 1 again, 0 hard, 4 good, 1 easy; 1 skipped.",
                "2 cards (1 new) left in this session; `prep quiz` goes on where you stopped.",
                "3 new cards wait for another day (new_per_day in config.yaml, or --new N).",
                "After them, the next review is due in 10m (2026-01-05 09:10).",
            ]
        );
        // Quitting on a card due now says what is left, not a time to
        // come back.
        let quit = Summary {
            next_due: Some(now - chrono::Duration::minutes(2)),
            left: 1,
            left_new: 0,
            held_back: HeldBack::default(),
            ..summary.clone()
        };
        let lines = super::summary(&quit, Duration::from_secs(75), now, zone);
        assert_eq!(
            lines[1..],
            ["1 card left in this session; `prep quiz` goes on where you stopped."]
        );
        // All of them new: said so.
        let new = Summary {
            left: 6,
            left_new: 6,
            ..quit.clone()
        };
        let lines = super::summary(&new, Duration::from_secs(75), now, zone);
        assert_eq!(
            lines[1],
            "6 new cards left in this session; `prep quiz` goes on where you stopped."
        );
        // Nothing left in the session, and the next card comes back
        // tomorrow when its skip ends.
        let done = Summary {
            left: 0,
            left_new: 0,
            next_due: Some(now + chrono::Duration::hours(19)),
            ..quit
        };
        let lines = super::summary(&done, Duration::from_secs(75), now, zone);
        assert_eq!(lines[1], "Next card due in 19h (2026-01-06 04:00).");
    }
}
