//! Small formatting helpers the commands share: spans of time as Anki
//! shows them, local times, shortened text and aligned tables.

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::schedule::day::calendar_days;
use crate::schedule::zone::Zone;

/// A span of time the way a review button shows it: `45s`, `10m`, `3h`,
/// `4d`, `1.2mo`, `2.5y`.
pub fn span(seconds: i64) -> String {
    let seconds = seconds.max(0) as f64;
    let (minute, hour, day) = (60.0, 3600.0, 86_400.0);
    if seconds < minute {
        format!("{}s", seconds.round())
    } else if seconds < hour {
        format!("{}m", (seconds / minute).round())
    } else if seconds < day {
        format!("{}h", trim(seconds / hour))
    } else if seconds < 30.0 * day {
        format!("{}d", (seconds / day).round())
    } else if seconds < 365.0 * day {
        format!("{}mo", trim(seconds / (30.0 * day)))
    } else {
        format!("{}y", trim(seconds / (365.0 * day)))
    }
}

/// `1 card`, `2 cards`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One decimal, without a trailing `.0`.
fn trim(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// A span in whole days, as `span` writes days.
pub fn days(days: u32) -> String {
    span(i64::from(days) * 86_400)
}

/// How far `at` is from `now`: `in 20s`, `in 4d`, `now` (up to a minute
/// past: due), `3d ago`. A time still to come is never "now": a card due
/// in 20 seconds is not due yet. A day or more away is counted in calendar
/// days where the user is ([`calendar_days`]), so that "in 7d" is the date
/// seven days from today's, at any hour.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    let seconds = (at - now).num_seconds();
    if seconds.abs() >= 86_400 {
        let days = calendar_days(now, at, zone);
        let span = self::days(u32::try_from(days.unsigned_abs()).unwrap_or(u32::MAX));
        return if days > 0 {
            format!("in {span}")
        } else {
            format!("{span} ago")
        };
    }
    if seconds > 0 {
        format!("in {}", span(seconds))
    } else if seconds > -60 {
        "now".to_string()
    } else {
        format!("{} ago", span(-seconds))
    }
}

/// A time in the user's zone, to the minute.
pub fn local(at: DateTime<Utc>, zone: Zone) -> String {
    at.with_timezone(&zone.offset_at(at))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A time in the user's zone as RFC 3339, for JSON and CSV.
pub fn rfc3339(at: DateTime<Utc>, zone: Zone) -> String {
    at.with_timezone(&zone.offset_at(at))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

use crate::text_width::columns as columns_of;
/// A configured `f32` (a desired retention of 0.9) as the `f64` JSON
/// carries, written as the user wrote it: `0.9`, not the `0.8999999761581421`
/// that widening the float gives.
pub fn as_written(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// A share as a whole percentage: `0.9` is `90%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

pub use crate::text_width::shorten;

/// Writes rows under a header with columns padded to their widest cell;
/// columns in `right` are right-aligned (numbers), and the last column is
/// never padded, so no line ends in spaces.
pub fn table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    right: &[usize],
) -> std::io::Result<()> {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|cell| columns_of(cell)).collect();
    for row in rows {
        for (column, cell) in row.iter().enumerate().take(columns) {
            widths[column] = widths[column].max(columns_of(cell));
        }
    }
    let header: Vec<String> = header.iter().map(|cell| cell.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate().take(columns) {
            let last = column + 1 == columns;
            let pad = widths[column] - columns_of(cell);
            if right.contains(&column) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.push_str(&" ".repeat(pad));
                }
            }
            if !last {
                line.push_str("  ");
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_like_ankis_buttons() {
        assert_eq!(span(30), "30s");
        assert_eq!(span(600), "10m");
        assert_eq!(span(330), "6m");
        assert_eq!(span(5400), "1.5h");
        assert_eq!(span(4 * 86_400), "4d");
        assert_eq!(span(45 * 86_400), "1.5mo");
        assert_eq!(span(730 * 86_400), "2y");
    }

    #[test]
    fn configured_numbers_are_written_as_configured() {
        assert_eq!(as_written(0.9), 0.9);
        assert_eq!(as_written(0.85).to_string(), "0.85");
        assert_eq!(as_written(1.0), 1.0);
    }

    #[test]
    fn times_to_come_are_never_now() {
        let now: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let utc = Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap());
        let at = |seconds: i64| relative(now + chrono::Duration::seconds(seconds), now, utc);
        assert_eq!(at(20), "in 20s");
        assert_eq!(at(0), "now");
        assert_eq!(at(-30), "now");
        assert_eq!(at(-90), "2m ago");
        assert_eq!(at(4 * 86_400), "in 4d");
        assert_eq!(at(-4 * 86_400), "4d ago");
    }

    #[test]
    fn days_ahead_are_calendar_days() {
        let zone = Zone::Fixed(chrono::FixedOffset::east_opt(3600).unwrap());
        let due: DateTime<Utc> = "2026-12-14T03:00:00Z".parse().unwrap();
        // 01:30 and 10:00 on 7 December, local time: 7 days either way,
        // where the seconds say 7.1 and 6.7.
        let night: DateTime<Utc> = "2026-12-07T00:30:00Z".parse().unwrap();
        let morning: DateTime<Utc> = "2026-12-07T09:00:00Z".parse().unwrap();
        assert_eq!(relative(due, night, zone), "in 7d");
        assert_eq!(relative(due, morning, zone), "in 7d");
        // 23 hours ahead is hours, even across midnight.
        let late: DateTime<Utc> = "2026-12-13T04:00:00Z".parse().unwrap();
        assert_eq!(relative(due, late, zone), "in 23h");
    }

    #[test]
    fn shortening_keeps_the_first_line() {
        assert_eq!(shorten("What is S3?", 20), "What is S3?");
        assert_eq!(shorten("What is S3?\nmore", 20), "What is S3?…");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn tables_align_and_do_not_end_in_spaces() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["a".into(), "1".into(), "x".into()],
            vec!["bbb".into(), "22".into(), "".into()],
        ];
        table(&mut out, &["NAME", "N", "NOTE"], &rows, &[1]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME   N  NOTE\na      1  x\nbbb   22\n"
        );
    }
}
