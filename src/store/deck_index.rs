//! The deck index: the cards each deck gives a session (its review cards,
//! in deck order, with their text), recorded under the stamp of the deck
//! file they were read from, and which of them are new. A session reads
//! the cards it shows and the first new cards of each deck from here, so
//! that its start costs what it shows, not what the decks hold
//! ([`crate::session`]); a deck whose file has another stamp is read and
//! indexed again.
//!
//! The decks stay the source of truth: the index is a cache, rebuilt from
//! them deck by deck. Which cards are new follows the `card` table through
//! triggers (schema 8), so that every way a card gains or loses its state
//! (a grade, an undo, a forget, a sync, a repair) keeps it exact.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::rows::{prefixed, stored_card_fields, text};
use super::schema::STATE_COLUMNS;
use super::{Result, Store, StoredCard, explained};
use crate::decks::deck::Card;
use crate::decks::sides::Side;
use crate::schedule::Phase;

/// What the index holds of one deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedDeck {
    /// The stamp of the file its cards were read from; `None` when the
    /// file had not settled, so it must be read again.
    pub stamp: Option<Vec<u8>>,
    /// How many review cards it gives.
    pub cards: usize,
    /// Whether one of its card ids is also in another indexed deck, or
    /// twice in it: such a card is one card, and the catalog decides which
    /// copy stands for it.
    pub shared: bool,
}

/// A card as the index gives it back: its deck, its position there, the
/// card a session shows, and which side of its written card it is.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedCard {
    pub deck: String,
    pub position: usize,
    pub card: Card,
    pub side: Side,
}

fn side_columns(side: Side) -> (i64, i64) {
    match side {
        Side::Forward => (0, 0),
        Side::Reversed => (-1, 0),
        Side::Cloze { number, of } => (i64::from(number), i64::from(of)),
    }
}

fn side_of(side: i64, cloze_of: i64) -> Option<Side> {
    match side {
        0 => Some(Side::Forward),
        -1 => Some(Side::Reversed),
        number => Some(Side::Cloze {
            number: u32::try_from(number).ok()?,
            of: u32::try_from(cloze_of).ok()?,
        }),
    }
}

/// The due cards of some decks in review (`review`) or in learning steps:
/// `?1` the end of the period, `?2` now, `?3` the decks as a JSON array.
fn due_in_decks_sql(review: bool) -> String {
    let phases = if review {
        format!("card.phase = {}", Phase::Review.code())
    } else {
        let codes = [Phase::New, Phase::Learning, Phase::Relearning].map(|phase| phase.code());
        format!("card.phase IN ({}, {}, {})", codes[0], codes[1], codes[2])
    };
    format!(
        "WHERE {phases} AND card.due < ?1
         AND NOT EXISTS (SELECT 1 FROM suspended WHERE suspended.card_id = card.id)
         AND NOT EXISTS (SELECT 1 FROM buried WHERE buried.card_id = card.id AND buried.until > ?2)
         AND EXISTS (SELECT 1 FROM deck_card WHERE deck_card.id = card.id
             AND deck_card.deck IN (SELECT value FROM json_each(?3)))"
    )
}

fn due_params(decks: &[String], until: DateTime<Utc>, now: DateTime<Utc>) -> (i64, i64, String) {
    (
        until.timestamp_millis(),
        now.timestamp_millis(),
        decks_json(decks),
    )
}

/// Deck names as a JSON array, which SQL reads with `json_each`.
fn decks_json(decks: &[String]) -> String {
    serde_json::Value::from(decks.to_vec()).to_string()
}

/// Tags are kept in one column, separated by a character no tag holds.
const TAG_SEPARATOR: char = '\u{1f}';

impl Store {
    /// Every deck the index holds, by name.
    pub fn indexed_decks(&self) -> anyhow::Result<HashMap<String, IndexedDeck>> {
        explained(&self.path, || {
            let mut statement = self
                .conn
                .prepare_cached("SELECT deck, stamp, cards, shared FROM deck_file")?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    IndexedDeck {
                        stamp: row.get(1)?,
                        cards: row.get::<_, i64>(2)? as usize,
                        shared: row.get(3)?,
                    },
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Replaces what the index holds of `deck` by `cards` (its review
    /// cards in deck order, with their sides), read from a file of
    /// `stamp`. Returns what the index now holds of it.
    pub fn index_deck<'a>(
        &mut self,
        deck: &str,
        stamp: Option<&[u8]>,
        cards: impl Iterator<Item = (&'a Card, Side)>,
    ) -> anyhow::Result<IndexedDeck> {
        explained(&self.path.clone(), || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            remove_deck(&tx, deck)?;
            let mut count = 0;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO deck_card (deck, position, id, side, cloze_of, question,
                         answer, reverse, tags, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                let separator = TAG_SEPARATOR.to_string();
                for (position, (card, side)) in cards.enumerate() {
                    let (side, cloze_of) = side_columns(side);
                    insert.execute(params![
                        deck,
                        position as i64,
                        card.id,
                        side,
                        cloze_of,
                        card.question,
                        card.answer,
                        card.reverse,
                        card.tags.join(&separator),
                        card.source,
                    ])?;
                    count += 1;
                }
            }
            tx.execute(
                "INSERT INTO new_card (deck, position, id)
                 SELECT deck, position, id FROM deck_card
                 WHERE deck = ?1 AND NOT EXISTS (SELECT 1 FROM card WHERE card.id = deck_card.id)",
                [deck],
            )?;
            let shared: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM deck_card AS mine JOIN deck_card AS other
                     ON other.id = mine.id AND (other.deck <> mine.deck OR other.position <> mine.position)
                     WHERE mine.deck = ?1)",
                [deck],
                |row| row.get(0),
            )?;
            tx.execute(
                "INSERT INTO deck_file (deck, stamp, cards, shared) VALUES (?1, ?2, ?3, ?4)",
                params![deck, stamp, count as i64, shared],
            )?;
            tx.commit()?;
            Ok(IndexedDeck {
                stamp: stamp.map(<[u8]>::to_vec),
                cards: count,
                shared,
            })
        })
    }

    /// Takes a deck out of the index (its file is gone).
    pub fn unindex_deck(&mut self, deck: &str) -> anyhow::Result<()> {
        explained(&self.path.clone(), || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            remove_deck(&tx, deck)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Every indexed deck that holds the card with this id.
    pub fn indexed_decks_of(&self, id: &str) -> anyhow::Result<Vec<String>> {
        explained(&self.path, || {
            let decks = self
                .conn
                .prepare_cached("SELECT deck FROM deck_card WHERE id = ?1")?
                .query_map([id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(decks)
        })
    }

    /// Which of `decks` holds the card with this id, if one does.
    pub fn indexed_deck_in(&self, id: &str, decks: &[String]) -> anyhow::Result<Option<String>> {
        self.deck_in("deck_card", id, decks)
    }

    /// Which of `decks` holds the card with this id as a new card, if one
    /// does.
    pub fn new_card_deck_in(&self, id: &str, decks: &[String]) -> anyhow::Result<Option<String>> {
        self.deck_in("new_card", id, decks)
    }

    fn deck_in(&self, table: &str, id: &str, decks: &[String]) -> anyhow::Result<Option<String>> {
        explained(&self.path, || {
            Ok(self
                .conn
                .prepare_cached(&format!(
                    "SELECT deck FROM {table} WHERE id = ?1
                     AND deck IN (SELECT value FROM json_each(?2)) LIMIT 1"
                ))?
                .query_row(params![id, decks_json(decks)], |row| row.get(0))
                .optional()?)
        })
    }

    /// Hands the ids of `deck`'s new cards to `each`, in deck order, for
    /// as long as it returns `true`.
    pub fn new_cards_of(
        &self,
        deck: &str,
        mut each: impl FnMut(&str) -> bool,
    ) -> anyhow::Result<()> {
        explained(&self.path, || {
            let mut statement = self
                .conn
                .prepare_cached("SELECT id FROM new_card WHERE deck = ?1 ORDER BY position")?;
            let mut rows = statement.query([deck])?;
            while let Some(row) = rows.next()? {
                if !each(text(row, 0)?) {
                    break;
                }
            }
            Ok(())
        })
    }

    /// How many of `deck`'s cards are new.
    pub fn new_card_count(&self, deck: &str) -> anyhow::Result<usize> {
        explained(&self.path, || {
            let count: i64 = self
                .conn
                .prepare_cached("SELECT count(*) FROM new_card WHERE deck = ?1")?
                .query_row([deck], |row| row.get(0))?;
            Ok(count as usize)
        })
    }

    /// The reviewed cards of `decks` due before `until` (in review when
    /// `review`, else in learning steps), neither suspended nor skipped at
    /// `now`, handed to `each` in order of due time, then id, for as long
    /// as it returns `true`: the due cards of a session started from the
    /// index, read only as far as the session takes them.
    pub fn due_in_decks(
        &self,
        decks: &[String],
        until: DateTime<Utc>,
        now: DateTime<Utc>,
        review: bool,
        mut each: impl FnMut(&str, StoredCard) -> bool,
    ) -> anyhow::Result<()> {
        explained(&self.path, || {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT card.id, card.deck, {}, card.last_review FROM card {}
                 ORDER BY card.due, card.id",
                prefixed("card", STATE_COLUMNS),
                due_in_decks_sql(review)
            ))?;
            let mut rows = statement.query(due_params(decks, until, now))?;
            while let Some(row) = rows.next()? {
                let id = text(row, 0)?;
                let deck: Arc<str> = Arc::from(text(row, 1)?);
                if !each(id, stored_card_fields(id, deck, row)?) {
                    break;
                }
            }
            Ok(())
        })
    }

    /// How many cards [`Store::due_in_decks`] would hand over in all.
    pub fn due_count_in_decks(
        &self,
        decks: &[String],
        until: DateTime<Utc>,
        now: DateTime<Utc>,
        review: bool,
    ) -> anyhow::Result<usize> {
        explained(&self.path, || {
            let count: i64 = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM card {}",
                    due_in_decks_sql(review)
                ))?
                .query_row(due_params(decks, until, now), |row| row.get(0))?;
            Ok(count as usize)
        })
    }

    /// The cards with these ids in `decks`, in no particular order; ids
    /// those decks lack are left out.
    pub fn indexed_cards<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
        decks: &[String],
    ) -> anyhow::Result<Vec<IndexedCard>> {
        explained(&self.path, || {
            let mut statement = self.conn.prepare_cached(
                "SELECT deck, position, side, cloze_of, question, answer, reverse, tags, source
                 FROM deck_card WHERE id = ?1
                 AND deck IN (SELECT value FROM json_each(?2)) LIMIT 1",
            )?;
            let decks = decks_json(decks);
            let mut found = Vec::new();
            for id in ids {
                let card = statement
                    .query_row(params![id, decks], |row| {
                        let tags: String = row.get(7)?;
                        let Some(side) = side_of(row.get(2)?, row.get(3)?) else {
                            return Ok(None);
                        };
                        Ok(Some(IndexedCard {
                            deck: row.get(0)?,
                            position: row.get::<_, i64>(1)? as usize,
                            side,
                            card: Card {
                                id: id.to_string(),
                                question: row.get(4)?,
                                answer: row.get(5)?,
                                reverse: row.get(6)?,
                                tags: if tags.is_empty() {
                                    Vec::new()
                                } else {
                                    tags.split(TAG_SEPARATOR).map(str::to_string).collect()
                                },
                                source: row.get(8)?,
                            },
                        }))
                    })
                    .optional()?;
                found.extend(card.flatten());
            }
            Ok(found)
        })
    }
}

fn remove_deck(tx: &rusqlite::Transaction, deck: &str) -> Result<()> {
    tx.execute("DELETE FROM new_card WHERE deck = ?1", [deck])?;
    tx.execute("DELETE FROM deck_card WHERE deck = ?1", [deck])?;
    tx.execute("DELETE FROM deck_file WHERE deck = ?1", [deck])?;
    Ok(())
}
