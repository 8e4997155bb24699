//! Reading the review log: every review in order (for history, export
//! and fitting parameters), how many there are, whether a card has any,
//! when each card was first reviewed, and the histories of some cards
//! with their change ids (for matching reviews made elsewhere).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::check::COUNTS_FOR_STATE;
use super::rows::{REVIEW_COLUMNS, instant, review_from_row};
use super::{CardHistory, Failure, Review, Store, explained};
use crate::journal::event::{Change, Event, EventId};

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

    /// The histories of `cards`: each held review with its change id, in
    /// replay's order, and when the reviews undone were made. A card
    /// without either is left out.
    pub fn histories(&self, cards: &HashSet<&str>) -> anyhow::Result<HashMap<String, CardHistory>> {
        explained(&self.path, || {
            let mut histories: HashMap<String, CardHistory> = HashMap::new();
            let mut statement = self.conn.prepare(&format!(
                "SELECT {REVIEW_COLUMNS}, device, seq FROM review ORDER BY reviewed_at, device, seq"
            ))?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let card: &str = super::rows::text(row, 1)?;
                if !cards.contains(card) {
                    continue;
                }
                let review = review_from_row(row)?;
                let (Some(device), Some(seq)) = (
                    row.get::<_, Option<String>>(16)?,
                    row.get::<_, Option<i64>>(17)?,
                ) else {
                    return Err(Failure::damaged_row(
                        &review.card_id,
                        format!("review {} belongs to no device", review.id),
                    ));
                };
                let id = EventId {
                    device,
                    seq: seq as u64,
                };
                histories
                    .entry(review.card_id.clone())
                    .or_default()
                    .reviews
                    .push((id, review));
            }
            let mut statement = self
                .conn
                .prepare("SELECT card_id, device, line FROM card_change ORDER BY at")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let card: String = row.get(0)?;
                if !cards.contains(card.as_str()) {
                    continue;
                }
                let device: String = row.get(1)?;
                let line: String = row.get(2)?;
                let event = Event::parse(&device, &line)
                    .map_err(|err| Failure::damaged_row(&card, format!("change: {err:#}")))?;
                if matches!(event.change, Change::Undo { .. }) {
                    histories.entry(card).or_default().undone_at.push(event.at);
                }
            }
            Ok(histories)
        })
    }
}
