//! The review log summed per scheduler day and deck, for statistics, and
//! the counts since the start of a day the daily limits need.
//!
//! The sums are kept in `day_total` by triggers (schema 3), for the day
//! clock `day_clock` names: a million reviews cost a few thousand rows. A
//! day depends on the time zone and the day start, which the log does not
//! know, so when the caller's clock is another one the totals are counted
//! again, once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{ErrorCode, OptionalExtension, Row, TransactionBehavior, params};

use super::{Activity, DoneToday, Result, Store, explained};
use crate::schedule::{DayClock, Phase};

/// The clock as `day_clock` stores it: seconds east of UTC, and the hour
/// a day starts at.
type ClockKey = (i64, i64);

fn key(clock: DayClock) -> ClockKey {
    (
        i64::from(clock.offset().local_minus_utc()),
        i64::from(clock.starts_at_hour()),
    )
}

/// The log summed per day and deck, in `day_total`'s columns: ?1 is the
/// clock's offset east of UTC in seconds, ?2 its day start hour, ?3 the
/// review phase's code. The day arithmetic is the triggers' (schema 3);
/// the large constant keeps the division flooring for times before 1970.
const SUM_ACTIVITY: &str = "
    SELECT (reviewed_at / 1000 + ?1 - ?2 * 3600 + 86400000000) / 86400 - 1000000 AS day,
           deck,
           count(*),
           sum(answer_ms),
           count(*) FILTER (WHERE phase_before = ?3),
           count(*) FILTER (WHERE phase_before = ?3 AND grade >= 2)
    FROM review GROUP BY day, deck";

impl Store {
    /// The review log summed per scheduler day and deck: reviews, time
    /// spent, and reviews of cards in review with how many were passed
    /// (Hard or better), for statistics. Days are counted as `clock`
    /// counts them.
    ///
    /// Read from `day_total`, which triggers keep as reviews come and go,
    /// so a million reviews cost a few thousand rows. When the totals were
    /// counted with another clock (a move across time zones, a change of
    /// `day_starts_at`, daylight saving time) or never, they are counted
    /// again here, once; when that cannot be written (a read-only home),
    /// the log is summed directly, which is slower but the same. Any other
    /// failure to count them (a lock held too long, a damaged file) is an
    /// error.
    pub fn activity(&self, clock: DayClock) -> anyhow::Result<Vec<Activity>> {
        let clock = key(clock);
        explained(&self.path, || {
            if let Some(totals) = self.day_totals(clock)? {
                return Ok(totals);
            }
            match self.count_day_totals(clock) {
                Ok(()) => {}
                Err(failure) if failure.code() == Some(ErrorCode::ReadOnly) => {
                    return self.sum_activity(clock);
                }
                Err(failure) => return Err(failure),
            }
            match self.day_totals(clock)? {
                Some(totals) => Ok(totals),
                // Another process counted with its own clock meanwhile.
                None => self.sum_activity(clock),
            }
        })
    }

    /// [`Store::activity`] if the kept totals were counted with `clock`,
    /// else `None`; never writes.
    pub fn kept_activity(&self, clock: DayClock) -> anyhow::Result<Option<Vec<Activity>>> {
        explained(&self.path, || self.day_totals(key(clock)))
    }

    /// The kept totals, if they were counted with `clock`; read in one
    /// transaction, so the clock and the rows agree.
    pub(super) fn day_totals(&self, clock: ClockKey) -> Result<Option<Vec<Activity>>> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        let counted_with: Option<ClockKey> = tx
            .query_row(
                "SELECT offset_seconds, starts_at_hour FROM day_clock",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if counted_with != Some(clock) {
            return Ok(None);
        }
        let rows = tx
            .prepare_cached(
                "SELECT day, deck, reviews, answer_ms, mature_reviews, mature_passed
                 FROM day_total ORDER BY day",
            )?
            .query_map([], activity_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(rows))
    }

    /// Counts `day_total` afresh from the log with `clock`, which the
    /// triggers then go on with.
    fn count_day_totals(&self, clock: ClockKey) -> Result<()> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        tx.execute_batch("DELETE FROM day_clock; DELETE FROM day_total;")?;
        tx.execute(
            "INSERT INTO day_clock (id, offset_seconds, starts_at_hour) VALUES (1, ?1, ?2)",
            params![clock.0, clock.1],
        )?;
        tx.execute(
            &format!("INSERT INTO day_total {SUM_ACTIVITY}"),
            params![clock.0, clock.1, Phase::Review.code()],
        )?;
        Ok(tx.commit()?)
    }

    /// The log summed directly, without the kept totals.
    pub(super) fn sum_activity(&self, clock: ClockKey) -> Result<Vec<Activity>> {
        let rows = self
            .conn
            .prepare_cached(&format!("{SUM_ACTIVITY} ORDER BY day"))?
            .query_map(
                params![clock.0, clock.1, Phase::Review.code()],
                activity_from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// What has been done since `since` (the start of the day), for the
    /// daily limits: cards introduced (first reviews) and reviews of cards
    /// that were in review.
    pub fn done_since(&self, since: DateTime<Utc>) -> anyhow::Result<DoneToday> {
        explained(&self.path, || {
            Ok(self.conn.query_row(
                "SELECT count(*) FILTER (WHERE phase_before = ?2),
                        count(*) FILTER (WHERE phase_before = ?3)
                 FROM review WHERE reviewed_at >= ?1",
                params![
                    since.timestamp_millis(),
                    Phase::New.code(),
                    Phase::Review.code()
                ],
                |row| {
                    Ok(DoneToday {
                        introduced: row.get(0)?,
                        reviewed: row.get(1)?,
                    })
                },
            )?)
        })
    }

    /// The new cards introduced since `since`, by the deck they were
    /// reviewed in: a plan's daily new-card quota is per deck.
    pub fn introduced_by_deck(&self, since: DateTime<Utc>) -> anyhow::Result<HashMap<String, u32>> {
        explained(&self.path, || {
            let counts = self
                .conn
                .prepare_cached(
                    "SELECT deck, count(*) FROM review
                     WHERE reviewed_at >= ?1 AND phase_before = ?2 GROUP BY deck",
                )?
                .query_map(
                    params![since.timestamp_millis(), Phase::New.code()],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            Ok(counts)
        })
    }
}

fn activity_from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    Ok(Activity {
        day: row.get(0)?,
        deck: row.get(1)?,
        reviews: row.get(2)?,
        answer_ms: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
        mature_reviews: row.get(4)?,
        mature_passed: row.get(5)?,
    })
}
