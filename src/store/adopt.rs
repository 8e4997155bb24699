//! This device's log made whole from the store: a home from before
//! syncing, whose history becomes the device's first lines, and a log cut
//! or deleted by hand, whose missing lines are written back.

use std::collections::{HashMap, HashSet};

use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Result;
use super::cache::Journal;
use super::rows::{REVIEW_COLUMNS, instant, review_from_row};
use super::sources::{own_source, raise_next_seq, set_position};
use crate::journal::event::{Change, Event, EventId};
use crate::journal::log::{Position, read_from, segment_files};

/// Lines written to the log at a time when it is made whole.
const CHUNK: usize = 20_000;

/// Whether the store holds changes from before syncing: reviews of no
/// device, or flags with no change behind them.
pub(super) fn needs_adoption(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM review WHERE device IS NULL)
                 OR (NOT EXISTS (SELECT 1 FROM review) AND NOT EXISTS (SELECT 1 FROM card_change)
                     AND (EXISTS (SELECT 1 FROM suspended) OR EXISTS (SELECT 1 FROM marked)
                          OR EXISTS (SELECT 1 FROM buried)))",
        )?
        .query_row([], |row| row.get(0))?)
}

/// Whether this device's log lacks changes the store holds: it ends
/// before what was applied of it, or nothing of it was ever applied
/// while the store has this device's changes.
pub(super) fn needs_relog(conn: &Connection, journal: &Journal) -> Result<bool> {
    let Some(log) = journal.log.as_ref() else {
        return Ok(false);
    };
    let (applied, _) = own_source(conn, &journal.device)?;
    if log.end()? >= applied && applied != Position::default() {
        return Ok(false);
    }
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM review WHERE device = ?1)
                 OR EXISTS (SELECT 1 FROM card_change WHERE device = ?1)
                 OR EXISTS (SELECT 1 FROM setup WHERE device = ?1)",
        )?
        .query_row([&journal.device], |row| row.get(0))?)
}

/// A home from before syncing: its reviews and flags become this
/// device's first changes, numbered in the order they were made, and
/// its log is written from them.
pub(super) fn adopt_history(tx: &Transaction, journal: &mut Journal) -> Result<()> {
    if !needs_adoption(tx)? {
        return Ok(());
    }
    let device = journal.device.clone();
    let forgotten: HashMap<String, (i64, i64)> = tx
        .prepare("SELECT card_id, at, last_review_id FROM forgotten")?
        .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    number_reviews(tx, &device)?;
    let next: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM review", [], |row| {
        row.get(0)
    })?;
    let mut changes = Numbered {
        device: &device,
        next,
        events: Vec::new(),
    };
    number_forgets(tx, &forgotten, &mut changes)?;
    number_flags(tx, &mut changes)?;
    keep_changes(tx, &changes.events)?;
    tx.execute(
        "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, 0, ?2)
         ON CONFLICT (device) DO UPDATE SET next_seq = max(next_seq, excluded.next_seq)",
        params![device, changes.next],
    )?;
    Ok(())
}

/// Makes every review of no device one of `device`'s changes. Reviews
/// keep their row ids as numbers; `after` follows each card's reviews
/// since it was last forgotten.
fn number_reviews(tx: &Transaction, device: &str) -> Result<()> {
    // One statement for the whole log: a statement per row costs SQLite a
    // statement journal each (gigabytes of temporary writes at a million
    // reviews).
    tx.execute(
        "WITH chain AS (
             SELECT id, card_id, lag(id) OVER (PARTITION BY card_id ORDER BY id) AS prev
             FROM review)
         UPDATE review SET device = ?1, seq = review.id,
             after = CASE
                 WHEN chain.prev IS NULL THEN NULL
                 WHEN chain.prev <= coalesce(f.last_review_id, 0)
                      AND review.id > coalesce(f.last_review_id, 0) THEN NULL
                 ELSE ?1 || ':' || chain.prev END
         FROM chain LEFT JOIN forgotten f ON f.card_id = chain.card_id
         WHERE review.id = chain.id AND review.device IS NULL",
        [device],
    )?;
    Ok(())
}

/// The changes other than reviews an adopted history becomes, numbered
/// on from `next`.
struct Numbered<'a> {
    device: &'a str,
    next: i64,
    events: Vec<Event>,
}

impl Numbered<'_> {
    /// `change` of `card` at `at` (milliseconds), with the next number.
    fn push(&mut self, card: String, at: i64, change: Change) {
        self.events.push(Event {
            id: EventId {
                device: self.device.to_string(),
                seq: self.next as u64,
            },
            at: instant(at).unwrap_or(DateTime::UNIX_EPOCH),
            card,
            change,
        });
        self.next += 1;
    }
}

/// A forget of each forgotten card, after the reviews it forgot.
fn number_forgets(
    tx: &Transaction,
    forgotten: &HashMap<String, (i64, i64)>,
    changes: &mut Numbered,
) -> Result<()> {
    for (card, (at, last)) in forgotten {
        let last_at: i64 = tx
            .query_row(
                "SELECT reviewed_at FROM review WHERE id = ?1",
                [last],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0);
        changes.push(card.clone(), (*at).max(last_at + 1), Change::Forget);
    }
    Ok(())
}

/// A suspend, mark or skip of each card that has one; a skip after the
/// card's last review, which would otherwise have ended it.
fn number_flags(tx: &Transaction, changes: &mut Numbered) -> Result<()> {
    for (card, time, reason, kind) in flags(tx)? {
        let change = match kind {
            "suspend" => Change::Suspend {
                reason: if reason.as_deref() == Some("leech") {
                    crate::store::SuspendReason::Leech
                } else {
                    crate::store::SuspendReason::User
                },
            },
            "mark" => Change::Mark,
            _ => Change::Bury {
                until: instant(time).unwrap_or(DateTime::UNIX_EPOCH),
            },
        };
        let at = match kind {
            "bury" => last_review_at(tx, &card)? + 1,
            _ => time,
        };
        changes.push(card, at, change);
    }
    Ok(())
}

/// A flag as the store holds it: card, time, suspend reason and kind
/// (`suspend`, `mark` or `bury`).
type Flag = (String, i64, Option<String>, &'static str);

/// Every flag the store holds, by card and kind.
fn flags(tx: &Transaction) -> Result<Vec<Flag>> {
    Ok(tx
        .prepare(
            "SELECT card_id, since, reason, 'suspend' FROM suspended
             UNION ALL SELECT card_id, since, NULL, 'mark' FROM marked
             UNION ALL SELECT card_id, until, NULL, 'bury' FROM buried ORDER BY 1, 4",
        )?
        .query_map([], |row| {
            let kind: String = row.get(3)?;
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                match kind.as_str() {
                    "suspend" => "suspend",
                    "mark" => "mark",
                    _ => "bury",
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// When `card` was last reviewed (milliseconds), or 0.
fn last_review_at(tx: &Transaction, card: &str) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT coalesce(max(reviewed_at), 0) FROM review WHERE card_id = ?1")?
        .query_row([card], |row| row.get(0))?)
}

/// Keeps `events` as the store's changes that are not reviews.
fn keep_changes(tx: &Transaction, events: &[Event]) -> Result<()> {
    let mut insert = tx.prepare(
        "INSERT OR IGNORE INTO card_change (device, seq, card_id, at, line) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for event in events {
        insert.execute(params![
            event.id.device,
            event.id.seq as i64,
            event.card,
            event.at.timestamp_millis(),
            event.to_line()
        ])?;
    }
    Ok(())
}

/// Writes into this device's log every change of this device the store
/// holds and the log does not: after [`adopt_history`], or when the log
/// was cut or deleted by hand. Returns how many.
pub(super) fn relog_missing(tx: &Transaction, journal: &mut Journal) -> Result<usize> {
    if !needs_relog(tx, journal)? {
        return Ok(0);
    }
    let Some(log) = journal.log.as_mut() else {
        return Ok(0);
    };
    let device = journal.device.clone();
    let (_, next_seq) = own_source(tx, &device)?;
    let mut present: HashSet<u64> = HashSet::new();
    for file in segment_files(&device, log.device_dir())? {
        present.extend(
            read_from(&file, 0)?
                .events
                .into_iter()
                .map(|event| event.id.seq),
        );
    }
    // Written in chunks as they are read: a million lines would be a
    // third of a gigabyte held at once.
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
    let mut count = 0;
    let mut max_seq = 0;
    let mut end = log.end()?;
    let mut flush = |chunk: &mut Vec<String>, end: &mut Position| -> Result<()> {
        if !chunk.is_empty() {
            *end = log.append(chunk)?.1;
            chunk.clear();
        }
        Ok(())
    };
    {
        let mut statement = tx.prepare(&format!(
            "SELECT {REVIEW_COLUMNS}, device, seq, after, logged FROM review WHERE device = ?1 ORDER BY seq"
        ))?;
        let mut rows = statement.query([&device])?;
        while let Some(row) = rows.next()? {
            let seq = row.get::<_, i64>(17)? as u64;
            if present.contains(&seq) {
                continue;
            }
            let review = review_from_row(row)?;
            let logged: Option<String> = row.get(19)?;
            let line = match logged {
                Some(line) => line,
                None => {
                    let after: Option<String> = row.get(18)?;
                    Event {
                        id: EventId {
                            device: device.clone(),
                            seq,
                        },
                        at: review.reviewed_at,
                        card: review.card_id.clone(),
                        change: Change::Grade {
                            deck: review.deck.clone(),
                            answer_ms: review.answer_ms,
                            after: after.and_then(|text| EventId::parse(&text).ok()),
                            transition: review.transition,
                        },
                    }
                    .to_line()
                }
            };
            chunk.push(line);
            count += 1;
            max_seq = max_seq.max(seq);
            if chunk.len() == CHUNK {
                flush(&mut chunk, &mut end)?;
            }
        }
        let mut statement = tx.prepare(
            "SELECT seq, line FROM card_change WHERE device = ?1
             UNION ALL SELECT seq, line FROM setup WHERE device = ?1 ORDER BY seq",
        )?;
        let mut rows = statement.query([&device])?;
        while let Some(row) = rows.next()? {
            let seq = row.get::<_, i64>(0)? as u64;
            if !present.contains(&seq) {
                chunk.push(row.get(1)?);
                count += 1;
                max_seq = max_seq.max(seq);
                if chunk.len() == CHUNK {
                    flush(&mut chunk, &mut end)?;
                }
            }
        }
    }
    flush(&mut chunk, &mut end)?;
    set_position(tx, &device, end)?;
    raise_next_seq(tx, &device, (max_seq + 1).max(next_seq))?;
    Ok(count)
}
