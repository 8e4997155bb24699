//! Reading the cards' current states from the `card` table: all of them
//! (in a map, or streamed), the due ones, summaries, ids, one card, the
//! skipped ones and the next due time. These are the hot paths of every
//! session and summary at 100,000 cards, so they stream rows, read columns
//! by reference and share one string per deck name.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::rows::{instant, prefixed, stored_card_fields, summary_from_row, text};
use super::schema::STATE_COLUMNS;
use super::{CardSummary, Failure, Result, Store, StoredCard, explained};

impl Store {
    /// Every reviewed card's state, by card id. One scan of the `card`
    /// table; the review log is not read. This is the hot path of every
    /// session at 100,000 cards, so it reads columns by reference, shares
    /// one string per deck name, and sizes the map once.
    pub fn card_states(&self) -> anyhow::Result<HashMap<String, StoredCard>> {
        explained(&self.path, || {
            let mut cards = HashMap::with_capacity(self.count_cards()?);
            self.scan_cards("NOT INDEXED", [], |id, card| {
                cards.insert(id.to_string(), card);
            })?;
            Ok(cards)
        })
    }

    /// The states of the cards due before `until` and not buried at
    /// `now`: what a review session starts from, without the cost of the
    /// cards it will not show.
    pub fn due_states(
        &self,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(String, StoredCard)>> {
        explained(&self.path, || {
            let mut cards = Vec::new();
            self.scan_cards(
                "WHERE card.due < ?1",
                [until.timestamp_millis()],
                |id, card| {
                    if card.buried_until.is_none_or(|until| until <= now) {
                        cards.push((id.to_string(), card));
                    }
                },
            )?;
            Ok(cards)
        })
    }

    /// Hands every reviewed card to `each` without collecting them: for
    /// summaries (stats) that need every card once and keep none.
    pub fn for_each_card(&self, each: impl FnMut(&str, StoredCard)) -> anyhow::Result<()> {
        // In table order: left to itself, SQLite walks the due index and
        // looks every row up from it, several times slower.
        explained(&self.path, || self.scan_cards("NOT INDEXED", [], each))
    }

    /// Hands every reviewed card's id, deck and [`CardSummary`] to `each`,
    /// in table order, without their burials.
    pub fn for_each_summary(
        &self,
        mut each: impl FnMut(&str, &str, CardSummary),
    ) -> anyhow::Result<()> {
        explained(&self.path, || {
            let mut statement = self.conn.prepare_cached(
                "SELECT id, deck, phase, due, stability, last_review, lapses FROM card NOT INDEXED",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let (id, deck) = (text(row, 0)?, text(row, 1)?);
                let summary =
                    summary_from_row(row).map_err(|detail| Failure::damaged_row(id, detail))?;
                each(id, deck, summary);
            }
            Ok(())
        })
    }

    /// Hands every reviewed card's id and [`CardSummary`] to `each`, in
    /// table order: [`Store::for_each_summary`] without the deck, for a
    /// summary that places cards by the decks that hold them and asks
    /// [`Store::card_state`] for the few no deck holds. At a million cards
    /// the deck column, read and told apart, is a tenth of the scan.
    pub fn for_each_summary_by_id(
        &self,
        mut each: impl FnMut(&str, CardSummary),
    ) -> anyhow::Result<()> {
        explained(&self.path, || {
            // The NULL keeps the columns where [`summary_from_row`] reads
            // them; SQLite reads nothing for it.
            let mut statement = self.conn.prepare_cached(
                "SELECT id, NULL, phase, due, stability, last_review, lapses FROM card NOT INDEXED",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id = text(row, 0)?;
                let summary =
                    summary_from_row(row).map_err(|detail| Failure::damaged_row(id, detail))?;
                each(id, summary);
            }
            Ok(())
        })
    }

    /// How many cards have been reviewed.
    pub fn card_count(&self) -> anyhow::Result<usize> {
        explained(&self.path, || self.count_cards())
    }

    fn count_cards(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM card", [], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Hands the id of every reviewed card to `each`: with
    /// [`Store::due_states`], what a session needs to tell new cards from
    /// the rest. Streamed as borrowed text, since a caller that marks the
    /// ids in its own index needs no copy of 100,000 of them.
    pub fn for_each_reviewed_id(&self, mut each: impl FnMut(&str)) -> anyhow::Result<()> {
        explained(&self.path, || {
            let mut statement = self.conn.prepare_cached("SELECT id FROM card")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                each(text(row, 0)?);
            }
            Ok(())
        })
    }

    /// Streams the cards `FROM card {filter}` selects to `each`, with
    /// their burials. Burials are few, so they are read first into a map
    /// rather than joined, which would cost a search per card.
    fn scan_cards<P: rusqlite::Params>(
        &self,
        filter: &str,
        params: P,
        mut each: impl FnMut(&str, StoredCard),
    ) -> Result<()> {
        let buried: HashMap<String, i64> = self
            .conn
            .prepare_cached("SELECT card_id, until FROM buried")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT card.id, card.deck, {}, card.last_review FROM card {filter}",
            prefixed("card", STATE_COLUMNS)
        ))?;
        let mut rows = statement.query(params)?;
        let mut decks: HashMap<Box<str>, Arc<str>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let id = text(row, 0)?;
            let deck = text(row, 1)?;
            // Decks are few: one shared name each, not a string per card.
            let deck = match decks.get(deck) {
                Some(known) => known.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(deck);
                    decks.insert(Box::from(deck), shared.clone());
                    shared
                }
            };
            let mut card = stored_card_fields(id, deck, row)?;
            if !buried.is_empty() {
                card.buried_until = buried.get(id).copied().and_then(instant);
            }
            each(id, card);
        }
        Ok(())
    }

    /// One card's state, if it has been reviewed.
    pub fn card_state(&self, card_id: &str) -> anyhow::Result<Option<StoredCard>> {
        explained(&self.path, || card_state(&self.conn, card_id))
    }

    /// The ids of the cards still skipped at `now`.
    pub fn buried_ids(&self, now: DateTime<Utc>) -> anyhow::Result<HashSet<String>> {
        explained(&self.path, || {
            let ids = self
                .conn
                .prepare_cached("SELECT card_id FROM buried WHERE until > ?1")?
                .query_map([now.timestamp_millis()], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
    }

    /// When a reviewed card that `wanted` keeps can next be shown: the
    /// earliest of their due times, a skipped card's taken as the end of
    /// its skip when that is later, suspended cards left out. It is at or
    /// before `now` when a card is due now. One definition of "what comes
    /// next", for the quiz's summary and its empty-session message.
    pub fn next_shown(
        &self,
        now: DateTime<Utc>,
        mut wanted: impl FnMut(&str) -> anyhow::Result<bool>,
    ) -> anyhow::Result<Option<DateTime<Utc>>> {
        let flags = self.flags()?;
        explained(&self.path, || {
            // In due order: once a card's due time is past the best so
            // far, no later card can beat it.
            let mut statement = self
                .conn
                .prepare_cached("SELECT id, due FROM card ORDER BY due")?;
            let mut rows = statement.query([])?;
            let mut best: Option<DateTime<Utc>> = None;
            while let Some(row) = rows.next()? {
                let Some(due) = instant(row.get(1)?) else {
                    continue;
                };
                if best.is_some_and(|best| due >= best) {
                    break;
                }
                let id = text(row, 0)?;
                if flags.is_suspended(id) || !wanted(id).map_err(Failure::from)? {
                    continue;
                }
                let shown = crate::schedule::next_shown(due, flags.buried_until(id, now));
                best = Some(best.map_or(shown, |best| best.min(shown)));
            }
            Ok(best)
        })
    }
}

/// One card's state with its burial, read through `conn`: the store's
/// connection, or the transaction of a grade.
pub(super) fn card_state(conn: &Connection, card_id: &str) -> Result<Option<StoredCard>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT card.id, card.deck, {}, card.last_review, buried.until
         FROM card LEFT JOIN buried ON buried.card_id = card.id WHERE card.id = ?1",
        prefixed("card", STATE_COLUMNS)
    ))?;
    let row = statement
        .query_row([card_id], |row| {
            let deck: String = row.get(1)?;
            let buried_until = row.get_ref(11)?.as_i64_or_null()?.and_then(instant);
            Ok(
                stored_card_fields(card_id, Arc::from(deck), row).map(|card| StoredCard {
                    buried_until,
                    ..card
                }),
            )
        })
        .optional()?;
    row.transpose()
}
