//! Reading the review log: every review in order (for history, export
//! and fitting parameters), how many there are, whether a card has any,
//! and when each card was first reviewed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::check::COUNTS_FOR_STATE;
use super::rows::{REVIEW_COLUMNS, instant, review_from_row};
use super::{Review, Store, explained};

impl Store {
    /// Calls `each` with every review in the order replay puts them (by
    /// time, then device and number: the same on every device),
    /// optionally only those of some decks, streaming (the log can be
    /// large).
    pub fn for_each_review(
        &self,
        decks: Option<&[String]>,
        mut each: impl FnMut(Review) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        explained(&self.path, || {
            let mut statement = self.conn.prepare(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review ORDER BY reviewed_at, device, seq"
            ))?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let review = review_from_row(row)?;
                if decks.is_none_or(|decks| decks.contains(&review.deck)) {
                    each(review)?;
                }
            }
            Ok(())
        })
    }

    /// The number of reviews in the log.
    pub fn review_count(&self) -> anyhow::Result<u64> {
        explained(&self.path, || {
            let count: i64 = self
                .conn
                .query_row("SELECT count(*) FROM review", [], |row| row.get(0))?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
    }

    /// Whether the log holds a review of the card with this exact id,
    /// whether or not a deck still holds the card.
    pub fn has_reviews(&self, card_id: &str) -> anyhow::Result<bool> {
        explained(&self.path, || {
            let found: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM review WHERE card_id = ?1)",
                [card_id],
                |row| row.get(0),
            )?;
            Ok(found)
        })
    }

    /// When each reviewed card was first reviewed (since it was last
    /// forgotten): a plan asks that every card be seen on two different
    /// days before the interview.
    pub fn first_reviews(&self) -> anyhow::Result<HashMap<String, DateTime<Utc>>> {
        explained(&self.path, || {
            let mut statement = self
                .conn
                .prepare_cached(&format!(
                "SELECT card_id, min(reviewed_at) FROM review WHERE {COUNTS_FOR_STATE} GROUP BY card_id"
            ))?;
            let rows = statement.query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?;
            let mut firsts = HashMap::new();
            for row in rows {
                let (id, ms) = row?;
                if let Some(at) = instant(ms) {
                    firsts.insert(id, at);
                }
            }
            Ok(firsts)
        })
    }
}
