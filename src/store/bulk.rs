//! Loading a whole review history into an empty store at once (a
//! generated collection of a million cards and ten million reviews):
//! the same rows, log lines and numbers as appending the reviews in
//! order through [`Store::append`], written in one pass rather than
//! folded again chunk by chunk.
//!
//! What makes it fast: each card's reviews are folded once, from all of
//! them, and written together, cards in the order of their ids, so the
//! review table and the card table grow at their ends; the indexes of
//! both tables are dropped before and made again after (one sort each,
//! rather than ten million inserts at random places); SQLite gets a
//! larger page cache for the while; and the log's segments are synced
//! together at the end rather than one by one
//! ([`crate::journal::log::DeviceLog::append_unsynced`]). All of it is one
//! transaction: a load that fails leaves the store empty, as it was.
//!
//! That transaction runs with a rollback journal rather than the
//! write-ahead log when no other connection has the database open: in
//! WAL mode a transaction of gigabytes goes whole into the `-wal` file,
//! where every page read looks through an index that grows with it
//! (writing the rows of ten million reviews took 290 s instead of 60), and
//! is then copied into the database. A rollback journal of a store that
//! held nothing keeps next to nothing, and a crash still leaves the empty
//! store. The store is back in WAL mode before the load returns; another
//! prep process that opens it meanwhile waits, as for any write, and
//! gives up after [`super::BUSY_TIMEOUT`].

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::cache::{Journal, to_millis};
use super::replay::{apply_events, write_folded};
use super::sources::{own_source, record_own_source};
use super::write::grade_event;
use super::{NewReview, Result, Store, explained};
use crate::journal::event::{Change, Event, EventId};
use crate::journal::fold::fold;
use crate::journal::log::{DeviceLog, Position};
use crate::journal::setup::Setups;

/// Log lines made and written at a time.
const CHUNK: usize = 20_000;

/// SQLite's page cache while loading, in KiB (its default is 2 MiB):
/// making the indexes again sorts them in it.
const CACHE_KIB: i64 = 256 * 1024;

impl Store {
    /// Loads `reviews`, in the order they were made (each card's in
    /// time order), into a store that holds no change yet, as
    /// [`Store::append`] of them in that order would: numbered in that
    /// order as this device's changes, each following the card's review
    /// before it, logged (after the setup this device schedules with, as
    /// for any change) when the store is attached to its log, and each
    /// card's state the one its last review gave. Returns how many
    /// reviews were loaded. A store that holds anything already, or whose
    /// log has lines, is an error, and is left as it was.
    pub fn load_history(&mut self, reviews: &[NewReview]) -> anyhow::Result<usize> {
        let path = self.path.clone();
        explained(&path, || {
            let cache: i64 = self
                .conn
                .query_row("PRAGMA cache_size", [], |row| row.get(0))?;
            self.conn
                .execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB}"))?;
            // Stays in WAL mode when another connection has the database
            // open.
            let rolled_back = journal_mode(&self.conn, "DELETE").is_ok_and(|mode| mode == "delete");
            let loaded = self.load_in_one_transaction(reviews);
            let restored = if rolled_back {
                journal_mode(&self.conn, "WAL").map(|_| ())
            } else {
                Ok(())
            };
            self.conn
                .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
            let loaded = loaded?;
            restored?;
            Ok(loaded)
        })
    }

    fn load_in_one_transaction(&mut self, reviews: &[NewReview]) -> Result<usize> {
        let Store {
            conn,
            path,
            journal,
            ..
        } = self;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let device = journal.device.clone();
        let (applied, first_seq) = own_source(&tx, &device)?;
        check_empty(&tx, path, journal, applied)?;
        let Some(first) = reviews.first() else {
            return Ok(0);
        };
        // The setup this device schedules with goes first, as before any
        // change ([`Store::change`]).
        let setup = setup_event(journal, &device, first_seq, first);
        let first_review_seq = first_seq + u64::from(setup.is_some());
        let ids = ReviewIds {
            device: &device,
            first: first_review_seq,
        };
        let applied_after = match journal.log.as_mut() {
            Some(log) => write_log(log, applied, setup.as_ref(), reviews, &ids)?,
            None => applied,
        };
        if let Some(setup) = setup {
            apply_events(&tx, journal.setups.as_mut(), vec![setup])?;
        }
        write_cards(&tx, journal.setups.as_mut(), reviews, &ids)?;
        let next = first_review_seq + reviews.len() as u64;
        record_own_source(&tx, &device, next, applied_after)?;
        tx.commit()?;
        Ok(reviews.len())
    }
}

/// Refuses a store, or a log, that holds anything already.
fn check_empty(tx: &Transaction, path: &Path, journal: &Journal, applied: Position) -> Result<()> {
    if !holds_nothing(tx)? {
        return Err(anyhow::anyhow!(
            "{}: a history is loaded only into an empty store, and this one holds changes",
            path.display()
        )
        .into());
    }
    if let Some(log) = &journal.log
        && log.end()? != applied
    {
        return Err(anyhow::anyhow!(
            "{}: a history is loaded only into an empty store, and its log has lines the store has not applied",
            log.path().display()
        )
        .into());
    }
    Ok(())
}

/// The setup line to log before the reviews, numbered `seq`, when this
/// device's setup differs from the last it logged.
fn setup_event(journal: &Journal, device: &str, seq: u64, first: &NewReview) -> Option<Event> {
    match (&journal.setup_now, &journal.setups) {
        (Some(now), Some(setups)) if setups.latest(device) != Some(now) => Some(Event {
            id: EventId {
                device: device.to_string(),
                seq,
            },
            at: to_millis(first.transition.state.last_review),
            card: String::new(),
            change: Change::Setup(Box::new(now.clone())),
        }),
        _ => None,
    }
}

/// Each card's reviews folded once and written, cards in the order of
/// their ids, with the indexes made again after.
fn write_cards(
    tx: &Transaction,
    mut setups: Option<&mut Setups>,
    reviews: &[NewReview],
    ids: &ReviewIds,
) -> Result<()> {
    let mut by_card: HashMap<&str, Vec<usize>> = HashMap::with_capacity(reviews.len() / 8);
    for (index, review) in reviews.iter().enumerate() {
        by_card.entry(&review.card_id).or_default().push(index);
    }
    let mut cards: Vec<(&str, Vec<usize>)> = by_card.into_iter().collect();
    cards.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let indexes = drop_indexes(tx)?;
    for (card, indices) in cards {
        let mut events: Vec<Event> = Vec::with_capacity(indices.len());
        let mut after = None;
        for index in indices {
            events.push(grade_event(ids.of(index), &reviews[index], after));
            after = Some(ids.of(index));
        }
        let folded = fold(card, &mut events, setups.as_deref_mut())?;
        write_folded(tx, card, &[], &folded)?;
    }
    for sql in &indexes {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// The ids the reviews take in the log: this device's, numbered from
/// `first` in the order given.
struct ReviewIds<'a> {
    device: &'a str,
    first: u64,
}

impl ReviewIds<'_> {
    fn of(&self, index: usize) -> EventId {
        EventId {
            device: self.device.to_string(),
            seq: self.first + index as u64,
        }
    }
}

/// Writes the setup (if any) and the reviews to the log, in the order the
/// changes were made, and syncs it once; returns where the log ends. The
/// lines of each chunk are made on two threads, since making them is most
/// of the time writing the log takes.
fn write_log(
    log: &mut DeviceLog,
    applied: Position,
    setup: Option<&Event>,
    reviews: &[NewReview],
    ids: &ReviewIds,
) -> Result<Position> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(reviews.len() / 8);
    let mut end = applied;
    let mut first_lines: Vec<String> = setup.iter().map(|event| event.to_line()).collect();
    for (number, chunk) in reviews.chunks(CHUNK).enumerate() {
        let start = number * CHUNK;
        let afters: Vec<Option<usize>> = chunk
            .iter()
            .enumerate()
            .map(|(offset, review)| last.insert(&review.card_id, start + offset))
            .collect();
        let line = |offset: usize| {
            let index = start + offset;
            let after = afters[offset].map(|earlier| ids.of(earlier));
            grade_event(ids.of(index), &reviews[index], after).to_line()
        };
        let half = chunk.len() / 2;
        let (mut lines, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| (half..chunk.len()).map(line).collect::<Vec<_>>());
            let first: Vec<String> = (0..half).map(line).collect();
            (
                first,
                second.join().expect("a thread making log lines panicked"),
            )
        });
        lines.extend(second);
        if !first_lines.is_empty() {
            first_lines.append(&mut lines);
            lines = std::mem::take(&mut first_lines);
        }
        end = log.append_unsynced(&lines)?.1;
    }
    log.sync_appended()?;
    Ok(end)
}

/// Sets the journal mode; returns the mode the database is in after.
fn journal_mode(conn: &Connection, mode: &str) -> rusqlite::Result<String> {
    conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |row| {
        row.get(0)
    })
}

/// Whether the store holds no change of any card.
fn holds_nothing(tx: &Transaction) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM review) AND NOT EXISTS (SELECT 1 FROM card)
             AND NOT EXISTS (SELECT 1 FROM card_change) AND NOT EXISTS (SELECT 1 FROM suspended)
             AND NOT EXISTS (SELECT 1 FROM marked) AND NOT EXISTS (SELECT 1 FROM buried)
             AND NOT EXISTS (SELECT 1 FROM forgotten)",
        [],
        |row| row.get(0),
    )?)
}

/// Drops the indexes of the review and card tables; returns the
/// statements that make them again, as the schema made them.
fn drop_indexes(tx: &Transaction) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name IN ('review', 'card') AND sql IS NOT NULL
             ORDER BY name",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}
