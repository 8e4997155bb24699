/*!
What org-drill recorded of an entry's reviews, for `prep import
--with-progress`: the card's last review and the interval and ease it left,
from which the card's memory state is seeded as Anki seeds a card that has
an SM-2 schedule and no review log.

org-drill (gitlab.com/phillord/org-drill, `org-drill-store-item-data`)
keeps, in the entry's `:PROPERTIES:` drawer, `DRILL_LAST_INTERVAL` (days,
a decimal), `DRILL_EASE` (the SM-2 ease, 2.5 to start), `DRILL_LAST_QUALITY`
(the last answer, 0 to 5; 2 and below is a failure by default),
`DRILL_TOTAL_REPEATS`, `DRILL_FAILURE_COUNT` and `DRILL_LAST_REVIEWED`
(an inactive timestamp, `[2026-11-30 Mon 09:12]`), and schedules the next
review with a `SCHEDULED: <2026-12-04 Fri>` line under the heading. The
earlier reviews themselves are not kept, so only the last one can be
taken into prep's history.
*/

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::drill;
use super::formats::org::{self, Heading};
use crate::schedule::Grade;

/// One org-drill entry's review data.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillProgress {
    /// 1-based line of the entry's heading: the line its cards start on.
    pub line: usize,
    /// When it was last reviewed, in the writer's local time.
    pub last_reviewed: NaiveDateTime,
    /// The interval that review gave, in days; `None` when the entry says
    /// neither `DRILL_LAST_INTERVAL` nor a `SCHEDULED` date.
    pub interval_days: Option<f32>,
    pub ease: f32,
    /// The last answer, as prep grades.
    pub grade: Grade,
    pub total_repeats: u32,
    pub failures: u32,
}

/// The SM-2 ease org-drill starts a card at.
const FIRST_EASE: f32 = 2.5;

/// The review data of every `:drill:` entry of an Org document that was
/// reviewed at least once (it has `DRILL_LAST_REVIEWED`).
pub fn read(text: &str) -> Vec<DrillProgress> {
    if !text.to_ascii_lowercase().contains(":drill:") {
        return Vec::new();
    }
    let keywords = org::todo_keywords(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(heading) = Heading::parse(line, &keywords) else {
            continue;
        };
        if !heading
            .tags
            .iter()
            .any(|tag| tag.eq_ignore_ascii_case("drill"))
        {
            continue;
        }
        // The entry's own lines: up to its first sub-heading.
        let own_end = (index + 1..lines.len())
            .find(|&next| Heading::parse(lines[next], &keywords).is_some())
            .unwrap_or(lines.len());
        let own = &lines[index + 1..own_end];
        if let Some(progress) = entry_progress(index + 1, own) {
            found.push(progress);
        }
    }
    found
}

fn entry_progress(line: usize, own: &[&str]) -> Option<DrillProgress> {
    let properties = drill::properties(own);
    let property = |name: &str| {
        properties
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let last_reviewed = timestamp(property("DRILL_LAST_REVIEWED")?)?;
    let scheduled = own.iter().find_map(|line| scheduled_date(line));
    let interval_days = property("DRILL_LAST_INTERVAL")
        .and_then(|value| value.parse::<f32>().ok())
        .filter(|days| days.is_finite())
        .or_else(|| {
            let days = scheduled?
                .signed_duration_since(last_reviewed.date())
                .num_days();
            Some(days as f32)
        });
    let count = |name: &str| {
        property(name)
            .and_then(|value| value.parse::<u32>().ok())
            .unwrap_or(0)
    };
    Some(DrillProgress {
        line,
        last_reviewed,
        interval_days,
        ease: property("DRILL_EASE")
            .and_then(|value| value.parse::<f32>().ok())
            .filter(|ease| ease.is_finite() && *ease > 0.0)
            .unwrap_or(FIRST_EASE),
        grade: property("DRILL_LAST_QUALITY")
            .and_then(|value| value.parse::<u8>().ok())
            .map_or(Grade::Good, grade_of_quality),
        total_repeats: count("DRILL_TOTAL_REPEATS").max(1),
        failures: count("DRILL_FAILURE_COUNT"),
    })
}

/// An SM-2 answer quality (0-5) as a grade: org-drill counts 2 and below
/// as a failure (`org-drill-failure-quality`), 3 as recalled with
/// difficulty, 5 as perfect.
fn grade_of_quality(quality: u8) -> Grade {
    match quality {
        0..=2 => Grade::Again,
        3 => Grade::Hard,
        4 => Grade::Good,
        _ => Grade::Easy,
    }
}

/// An Org timestamp, active or inactive: `[2026-11-30 Mon 09:12]`,
/// `<2026-12-04 Fri>` (midnight when it has no time).
fn timestamp(text: &str) -> Option<NaiveDateTime> {
    let inner = text
        .trim()
        .strip_prefix(['[', '<'])?
        .strip_suffix([']', '>'])?;
    let mut words = inner.split_whitespace();
    let date = NaiveDate::parse_from_str(words.next()?, "%Y-%m-%d").ok()?;
    let time = words
        .find_map(|word| NaiveTime::parse_from_str(word, "%H:%M").ok())
        .unwrap_or(NaiveTime::MIN);
    Some(date.and_time(time))
}

/// The date of a `SCHEDULED: <...>` planning line.
fn scheduled_date(line: &str) -> Option<NaiveDate> {
    let at = line.find("SCHEDULED:")?;
    let rest = line[at + "SCHEDULED:".len()..].trim_start();
    let end = rest.find('>')?;
    timestamp(&rest[..=end]).map(|at| at.date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewed_entries_give_their_last_review() {
        let org = "* Item :drill:\nSCHEDULED: <2026-12-04 Fri>\n:PROPERTIES:\n:DRILL_LAST_INTERVAL: 4.12\n:DRILL_EASE: 2.36\n:DRILL_LAST_QUALITY: 3\n:DRILL_TOTAL_REPEATS: 3\n:DRILL_FAILURE_COUNT: 1\n:DRILL_LAST_REVIEWED: [2026-11-30 Mon 09:12]\n:END:\nWhat is TCP?\n** Answer\nA protocol.\n* Item :drill:\nNever reviewed.\n* Plain\n:PROPERTIES:\n:DRILL_LAST_REVIEWED: [2026-11-30 Mon 09:12]\n:END:\n";
        let found = read(org);
        assert_eq!(
            found,
            vec![DrillProgress {
                line: 1,
                last_reviewed: NaiveDate::from_ymd_opt(2026, 11, 30)
                    .unwrap()
                    .and_hms_opt(9, 12, 0)
                    .unwrap(),
                interval_days: Some(4.12),
                ease: 2.36,
                grade: Grade::Hard,
                total_repeats: 3,
                failures: 1,
            }]
        );
    }

    #[test]
    fn the_interval_comes_from_the_scheduled_date_when_not_recorded() {
        let org = "** Q :drill:\n   SCHEDULED: <2026-12-10 Thu>\n   :PROPERTIES:\n   :DRILL_LAST_REVIEWED: <2026-12-01 Tue>\n   :DRILL_LAST_QUALITY: 1\n   :END:\n";
        let found = read(org);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].interval_days, Some(9.0));
        assert_eq!(found[0].grade, Grade::Again);
        assert_eq!(found[0].ease, FIRST_EASE);
        assert_eq!(found[0].total_repeats, 1);
    }

    #[test]
    fn timestamps_of_both_kinds_read() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(
            timestamp("[2026-01-02 Fri 23:05]"),
            Some(date.and_hms_opt(23, 5, 0).unwrap())
        );
        assert_eq!(
            timestamp("<2026-01-02>"),
            Some(date.and_time(NaiveTime::MIN))
        );
        assert_eq!(timestamp("2026-01-02"), None);
        assert_eq!(timestamp("[tomorrow]"), None);
    }
}
