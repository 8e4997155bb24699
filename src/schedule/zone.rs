//! Where a person is: a time zone with its rules (`Europe/Berlin`), so that
//! the 04:00 start of a review day stays at 04:00 across a daylight saving
//! change, or a fixed UTC offset when no named zone is known or the clock
//! was set with another offset (`PREP_NOW=…+05:30`).
//!
//! The rules are the IANA database compiled into prep (`chrono-tz`), not
//! the machine's copy, so two devices running one prep count days alike.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(Tz),
}

impl Zone {
    /// The zone of a person whose clock reads `now`: the machine's named
    /// zone (`TZ`, else the system's), when it gives `now`'s offset at
    /// `now`; else `now`'s offset, fixed.
    pub fn local(now: DateTime<FixedOffset>) -> Zone {
        let named = std::env::var("TZ")
            .ok()
            .map(|tz| tz.trim_start_matches(':').to_string())
            .filter(|tz| !tz.is_empty())
            .or_else(|| iana_time_zone::get_timezone().ok())
            .and_then(|name| name.parse::<Tz>().ok());
        match named {
            Some(tz) if tz.offset_from_utc_datetime(&now.naive_utc()).fix() == *now.offset() => {
                Zone::Named(tz)
            }
            _ => Zone::Fixed(*now.offset()),
        }
    }

    /// The UTC offset in force at `at`.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&at.naive_utc()).fix(),
        }
    }

    /// The local time a clock on the wall shows at `at`.
    pub fn local_time(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + self.offset_at(at)
    }

    /// The instant a wall clock shows `local`: the earlier of two when the
    /// clocks went back, and the first instant after the gap when they
    /// went forward over it.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Fixed(offset) => (local - *offset).and_utc(),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.to_utc(),
                LocalResult::None => {
                    // In a gap: the offset before it, which puts the
                    // instant just past the gap.
                    let before = tz
                        .offset_from_utc_datetime(&(local - chrono::Duration::hours(3)))
                        .fix();
                    (local - before).and_utc()
                }
            },
        }
    }
}

impl From<FixedOffset> for Zone {
    fn from(offset: FixedOffset) -> Zone {
        Zone::Fixed(offset)
    }
}

impl fmt::Display for Zone {
    /// `Europe/Berlin`, or an offset as `+05:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Fixed(offset) => write!(f, "{offset}"),
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

impl FromStr for Zone {
    type Err = String;

    fn from_str(text: &str) -> Result<Zone, String> {
        if let Ok(offset) = text.parse::<FixedOffset>() {
            return Ok(Zone::Fixed(offset));
        }
        text.parse::<Tz>().map(Zone::Named).map_err(|_| {
            format!("{text:?} is not a time zone (Europe/Berlin) or UTC offset (+05:30)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    /// Zones are written into logs: their text is pinned.
    #[test]
    fn zones_read_back_from_their_text() {
        for text in [
            "Europe/Berlin",
            "America/Los_Angeles",
            "+05:30",
            "-08:00",
            "+00:00",
        ] {
            assert_eq!(text.parse::<Zone>().unwrap().to_string(), text);
        }
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }

    #[test]
    fn a_named_zone_follows_daylight_saving() {
        let berlin: Zone = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            berlin
                .offset_at(at("2026-01-15T12:00:00Z"))
                .local_minus_utc(),
            3600
        );
        assert_eq!(
            berlin
                .offset_at(at("2026-07-15T12:00:00Z"))
                .local_minus_utc(),
            7200
        );
        let local = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            berlin.instant(local("2026-07-15 04:00")),
            at("2026-07-15T02:00:00Z")
        );
        // 02:30 on 29 March 2026 does not exist in Berlin: just past the gap.
        assert_eq!(
            berlin.instant(local("2026-03-29 02:30")),
            at("2026-03-29T01:30:00Z")
        );
        // 02:30 on 25 October 2026 happens twice: the first.
        assert_eq!(
            berlin.instant(local("2026-10-25 02:30")),
            at("2026-10-25T00:30:00Z")
        );
    }
}
