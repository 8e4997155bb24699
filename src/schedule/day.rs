//! Scheduler days. Like Anki, prep counts days from a cutoff hour in local
//! time (4:00 by default), so a late-night session still belongs to the day
//! before and a review card due "tomorrow" becomes due at 4:00, not at
//! midnight. Elapsed days for FSRS are differences of these day numbers.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use super::zone::Zone;

const SECONDS_PER_DAY: i64 = 86_400;

/// The first day, number 0.
const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");

/// The calendar date a day number stands for: day 0 is 1970-01-01 (in
/// local time, from its cutoff hour), as [`DayClock::day`] counts.
pub fn date_of_day(day: i64) -> NaiveDate {
    EPOCH
        .checked_add_signed(Duration::days(day))
        .unwrap_or(if day < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The day number of a calendar date, the inverse of [`date_of_day`].
pub fn day_of_date(date: NaiveDate) -> i64 {
    date.signed_duration_since(EPOCH).num_days()
}

/// The calendar date of an instant where the user is: the date a person
/// reads on a clock, which turns at midnight, not at the cutoff hour.
pub fn calendar_date(at: DateTime<Utc>, zone: Zone) -> NaiveDate {
    zone.local_time(at).date()
}

/// The instant the calendar date `date` begins where the user is: its
/// midnight, the inverse of [`calendar_date`].
pub fn midnight(date: NaiveDate, zone: Zone) -> DateTime<Utc> {
    zone.instant(date.and_time(NaiveTime::MIN))
}

/// Most days a date typed as days from today may be away: ten years.
const MOST_DAYS_AWAY: u32 = 3650;

/// The calendar date a person means by `text` when today is `today`:
/// `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday`, or days from today as
/// `+14d` or `-7d` (the `d` may be left out; `+2w` counts weeks), at most
/// ten years away. `None` for anything else: each command says which of
/// these forms make sense for it.
pub fn parse_calendar_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    let away = |days: &str, sign: i64| {
        let (count, per) = match days.strip_suffix('w') {
            Some(weeks) => (weeks, 7),
            None => (days.strip_suffix('d').unwrap_or(days), 1),
        };
        let days = count
            .parse::<u32>()
            .ok()?
            .checked_mul(per)
            .filter(|days| *days <= MOST_DAYS_AWAY)?;
        today.checked_add_signed(Duration::days(sign * i64::from(days)))
    };
    if let Some(ahead) = text.strip_prefix('+') {
        away(ahead, 1)
    } else if let Some(ago) = text.strip_prefix('-') {
        away(ago, -1)
    } else if text.eq_ignore_ascii_case("today") {
        Some(today)
    } else if text.eq_ignore_ascii_case("tomorrow") {
        today.succ_opt()
    } else if text.eq_ignore_ascii_case("yesterday") {
        today.pred_opt()
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }
}

/// Calendar days from the date of `from` to the date of `to`: what "in 7
/// days", "tomorrow" and "the interview is today" mean to a person. The
/// review day may start at 4:00 (a session at 1:30 still counts for the
/// day before), but the dates a person types and reads are calendar dates,
/// so every wait in days that prep shows (due times, the quiz's "back in",
/// the days left before an interview) is counted here, and only here.
pub fn calendar_days(from: DateTime<Utc>, to: DateTime<Utc>, zone: Zone) -> i64 {
    (calendar_date(to, zone) - calendar_date(from, zone)).num_days()
}

/// Maps instants to day numbers and back, for one time zone and cutoff
/// hour. In a named zone the cutoff stays at its hour of the wall clock
/// across daylight saving changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayClock {
    zone: Zone,
    /// The offset times are shown in: the zone's now.
    shown_in: FixedOffset,
    starts_at_hour: u32,
}

impl DayClock {
    /// A clock at a fixed UTC offset. `starts_at_hour` is 0..=23; callers
    /// validate it (the config does).
    pub fn new(offset: FixedOffset, starts_at_hour: u32) -> DayClock {
        DayClock {
            zone: Zone::Fixed(offset),
            shown_in: offset,
            starts_at_hour: starts_at_hour.min(23),
        }
    }

    /// A clock in `zone`, showing times in its offset at `now`.
    pub fn in_zone(zone: Zone, starts_at_hour: u32, now: DateTime<Utc>) -> DayClock {
        DayClock {
            zone,
            shown_in: zone.offset_at(now),
            starts_at_hour: starts_at_hour.min(23),
        }
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The day an instant belongs to, counted from 1970-01-01.
    pub fn day(&self, at: DateTime<Utc>) -> i64 {
        match self.zone {
            Zone::Fixed(offset) => {
                let shifted = at.timestamp() + i64::from(offset.local_minus_utc())
                    - i64::from(self.starts_at_hour) * 3600;
                shifted.div_euclid(SECONDS_PER_DAY)
            }
            Zone::Named(_) => {
                let shifted =
                    self.zone.local_time(at) - Duration::hours(i64::from(self.starts_at_hour));
                day_of_date(shifted.date())
            }
        }
    }

    /// The instant a day begins (the cutoff hour, local time).
    pub fn start(&self, day: i64) -> DateTime<Utc> {
        match self.zone {
            Zone::Fixed(offset) => {
                let seconds = day * SECONDS_PER_DAY + i64::from(self.starts_at_hour) * 3600
                    - i64::from(offset.local_minus_utc());
                Utc.timestamp_opt(seconds, 0)
                    .single()
                    .unwrap_or(DateTime::<Utc>::MAX_UTC)
            }
            Zone::Named(_) => match date_of_day(day).and_hms_opt(self.starts_at_hour, 0, 0) {
                Some(local) if day_of_date(local.date()) == day => self.zone.instant(local),
                _ if day < 0 => DateTime::<Utc>::MIN_UTC,
                _ => DateTime::<Utc>::MAX_UTC,
            },
        }
    }

    /// Whole scheduler days from `earlier` to `later` (0 when the same day
    /// or when the clock went backwards).
    pub fn days_between(&self, earlier: DateTime<Utc>, later: DateTime<Utc>) -> u32 {
        let days = self.day(later) - self.day(earlier);
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    }

    /// The start of the day `days` after the day of `from`.
    pub fn start_after(&self, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        self.start(self.day(from) + i64::from(days))
    }

    /// The offset local times are shown in.
    pub fn offset(&self) -> FixedOffset {
        self.shown_in
    }

    /// The hour, local time, at which a day begins.
    pub fn starts_at_hour(&self) -> u32 {
        self.starts_at_hour
    }

    /// The end of the day `at` belongs to: cards due before it are due today.
    pub fn end_of_day(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.start(self.day(at) + 1)
    }
}

/// Fractional days between two instants, for retrievability.
pub fn fractional_days(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f32 {
    let span: Duration = later - earlier;
    (span.num_milliseconds().max(0) as f64 / (SECONDS_PER_DAY as f64 * 1000.0)) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_are_dates() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(day_of_date(date), 20_788);
        assert_eq!(date_of_day(20_788), date);
        assert_eq!(date_of_day(0), EPOCH);
        assert_eq!(
            date_of_day(-1),
            NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()
        );
        // A review late at night belongs to the day it began on.
        let clock = DayClock::new(FixedOffset::east_opt(3600).unwrap(), 4);
        let late = "2026-12-02T01:30:00+01:00"
            .parse::<DateTime<FixedOffset>>()
            .unwrap();
        assert_eq!(date_of_day(clock.day(late.to_utc())), date);
    }

    #[test]
    fn calendar_days_turn_at_midnight_whatever_the_cutoff() {
        let offset = Zone::Fixed(chrono::FixedOffset::east_opt(3600).unwrap());
        let clock = DayClock::in_zone(offset, 4, at("2026-12-07T00:00:00Z"));
        // 01:30 on Monday 7 December is still Sunday's review day, but
        // Monday's date; a card due at 04:00 next Monday is 7 days away.
        let night = at("2026-12-07T01:30:00+01:00");
        let next_monday = at("2026-12-14T04:00:00+01:00");
        assert_eq!(
            date_of_day(clock.day(night)),
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
        assert_eq!(
            calendar_date(night, offset),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        );
        assert_eq!(calendar_days(night, next_monday, offset), 7);
        assert_eq!(clock.days_between(night, next_monday), 8);
        // At 10:00 the two agree.
        let morning = at("2026-12-07T10:00:00+01:00");
        assert_eq!(calendar_days(morning, next_monday, offset), 7);
        assert_eq!(clock.days_between(morning, next_monday), 7);
        assert_eq!(calendar_days(next_monday, morning, offset), -7);
    }

    #[test]
    fn typed_dates_are_dates_keywords_or_days_away() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let date = |text| parse_calendar_date(text, today).map(|date| date.to_string());
        assert_eq!(date("2026-12-12").as_deref(), Some("2026-12-12"));
        assert_eq!(date(" today ").as_deref(), Some("2026-11-24"));
        assert_eq!(date("Tomorrow").as_deref(), Some("2026-11-25"));
        assert_eq!(date("yesterday").as_deref(), Some("2026-11-23"));
        assert_eq!(date("+10d").as_deref(), Some("2026-12-04"));
        assert_eq!(date("+0").as_deref(), Some("2026-11-24"));
        assert_eq!(date("+2w").as_deref(), Some("2026-12-08"));
        assert_eq!(date("-7d").as_deref(), Some("2026-11-17"));
        assert_eq!(date("-1").as_deref(), Some("2026-11-23"));
        for bad in [
            "12/12/2026",
            "+x",
            "+-3d",
            "--3d",
            "-7days",
            "+600w",
            "+4294967295w",
            "",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_begins_at_local_midnight() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let east = Zone::Fixed(chrono::FixedOffset::east_opt(2 * 3600).unwrap());
        assert_eq!(midnight(date, east), at("2026-01-05T00:00:00+02:00"));
        assert_eq!(calendar_date(midnight(date, east), east), date);
        let west = Zone::Fixed(chrono::FixedOffset::west_opt(5 * 3600).unwrap());
        assert_eq!(midnight(date, west), at("2026-01-05T05:00:00Z"));
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn the_day_turns_at_the_cutoff_hour_in_local_time() {
        let clock = DayClock::new(FixedOffset::east_opt(2 * 3600).unwrap(), 4);
        // 03:59 local on the 6th still belongs to the 5th.
        let late = clock.day(at("2026-01-06T03:59:00+02:00"));
        let early = clock.day(at("2026-01-06T04:00:00+02:00"));
        assert_eq!(early - late, 1);
        assert_eq!(clock.start(early), at("2026-01-06T04:00:00+02:00"));
        assert_eq!(
            clock.days_between(
                at("2026-01-05T23:00:00+02:00"),
                at("2026-01-06T03:00:00+02:00")
            ),
            0
        );
        assert_eq!(
            clock.days_between(
                at("2026-01-05T23:00:00+02:00"),
                at("2026-01-06T05:00:00+02:00")
            ),
            1
        );
    }

    #[test]
    fn in_a_named_zone_the_day_starts_at_its_hour_across_daylight_saving() {
        let berlin = "Europe/Berlin".parse().unwrap();
        let clock = DayClock::in_zone(berlin, 4, at("2026-03-27T09:00:00Z"));
        assert_eq!(clock.offset().local_minus_utc(), 3600);
        let friday = clock.day(at("2026-03-27T10:00:00+01:00"));
        assert_eq!(
            date_of_day(friday),
            NaiveDate::from_ymd_opt(2026, 3, 27).unwrap()
        );
        // Summer time from 29 March: the day still starts at 04:00 there.
        assert_eq!(clock.start(friday + 1), at("2026-03-28T04:00:00+01:00"));
        assert_eq!(clock.start(friday + 2), at("2026-03-29T04:00:00+02:00"));
        assert_eq!(clock.start(friday + 3), at("2026-03-30T04:00:00+02:00"));
        assert_eq!(clock.day(at("2026-03-30T03:59:00+02:00")), friday + 2);
        assert_eq!(clock.day(at("2026-03-30T04:00:00+02:00")), friday + 3);
        // And back in October.
        assert_eq!(
            clock.start(clock.day(at("2026-10-26T12:00:00+01:00"))),
            at("2026-10-26T04:00:00+01:00")
        );
        // A fixed offset is the same clock as before.
        let fixed = DayClock::new(FixedOffset::east_opt(3600).unwrap(), 4);
        assert_eq!(fixed.start(friday + 3), at("2026-03-30T04:00:00+01:00"));
        assert_eq!(
            DayClock::in_zone(
                Zone::Fixed(FixedOffset::east_opt(3600).unwrap()),
                4,
                at("2026-01-01T00:00:00Z")
            ),
            fixed
        );
    }

    #[test]
    fn days_before_1970_and_backwards_clocks_do_not_underflow() {
        let clock = DayClock::new(FixedOffset::west_opt(5 * 3600).unwrap(), 0);
        assert!(clock.day(at("1960-01-01T00:00:00Z")) < 0);
        assert_eq!(
            clock.days_between(at("2026-01-05T00:00:00Z"), at("2026-01-01T00:00:00Z")),
            0
        );
    }
}
