//! The store as a cache of the devices' logs (see [`crate::sync`]).
//!
//! Every change a prep process makes goes the same way: it is given the
//! next number of this device, appended to this device's log and synced,
//! then folded into its card inside the same `BEGIN IMMEDIATE`
//! transaction, which commits last. So a change the store holds is in a
//! log, a crash between the two leaves a line the store has not applied,
//! and the next start applies it. Other devices' lines go through the
//! same fold, so the store holds, for any set of lines, the one state
//! [`crate::sync::fold`] gives.
//!
//! Tables: `meta` (this home's device id), `sync_source` (how far each
//! device's log is applied, and this device's next number), `card_change`
//! (the lines that are not reviews, kept for refolding), and the
//! `device`, `seq`, `after` and `logged` columns of `review` (which line a
//! review is; `logged` keeps the line when replay gave the review another
//! state than its writer did).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::rows::{REVIEW_COLUMNS, instant, review_from_row};
use super::schema::STATE_COLUMNS;
use super::{Failure, Result, Review, Store, explained};
use crate::sync::event::{Change, Event, EventId};
use crate::sync::fold::{Decide, Folded, fold};
use crate::sync::log::{DeviceLog, LogFile, log_files, read_from};

/// How a store writes and replays changes.
pub(super) struct Journal {
    /// This home's device id.
    pub device: String,
    /// The sync folder and this device's log in it, once attached.
    pub dir: Option<PathBuf>,
    pub log: Option<DeviceLog>,
    /// Decides reviews again when replay puts them out of their writer's
    /// place; without it they keep their logged states.
    pub decide: Option<Box<Decide<'static>>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("device", &self.device)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What catching up with the logs did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CatchUp {
    /// Lines applied that the store did not hold.
    pub applied: usize,
    /// Lines that could not be read, each `FILE: byte N: why`.
    pub problems: Vec<String>,
    /// This device's changes written back to its log, which lacked them.
    pub relogged: usize,
}

/// The device id of the home's store, made on first open: the host name,
/// for people to read, and six random hex digits, so two machines of one
/// name stay apart.
pub(super) fn device_id(conn: &Connection) -> Result<String> {
    if let Some(device) = conn
        .query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
            row.get::<_, String>(0)
        })
        .optional()?
    {
        return Ok(device);
    }
    // std's hasher keys are random per process: six hex digits of one.
    let random = {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::time::SystemTime::now())
    };
    let made = format!("{}-{:06x}", host_name(), random & 0xff_ffff);
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('device', ?1)",
        [&made],
    )?;
    let device: String =
        conn.query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
            row.get(0)
        })?;
    conn.execute(
        "INSERT OR IGNORE INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, 0, 1)",
        [&device],
    )?;
    Ok(device)
}

/// The machine's name, cut down to what a file name can hold.
fn host_name() -> String {
    let raw = gethostname::gethostname().to_string_lossy().to_lowercase();
    let name: String = raw
        .split('.')
        .next()
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "device".to_string()
    } else {
        name.to_string()
    }
}

/// The time a change this device makes to `card` at `at` is logged
/// with: never before the card's last change here, so that replay puts it
/// after everything its writer saw (a clock set back, or another device's
/// clock ahead, cannot reorder what one device did).
pub(super) fn causal_time(
    conn: &Connection,
    card: &str,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let latest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(coalesce((SELECT max(reviewed_at) FROM review WHERE card_id = ?1), 0),
                        coalesce((SELECT max(at) FROM card_change WHERE card_id = ?1), 0))",
        )?
        .query_row([card], |row| row.get(0))?;
    let at = to_millis(at);
    Ok(match latest.and_then(instant) {
        Some(latest) if latest > at => latest,
        _ => at,
    })
}

/// Times as the store and the logs keep them.
pub(crate) fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

impl Store {
    /// This home's device id.
    pub fn device(&self) -> &str {
        &self.journal.device
    }

    /// Connects the store to the sync folder `dir`: opens this device's
    /// log, writes into it what the store holds that it does not (a home
    /// from before syncing, a log deleted by hand), and catches up with
    /// every log. `decide` is the scheduler replay asks when two devices'
    /// reviews of one card interleave.
    pub fn attach(&mut self, dir: &Path, decide: Box<Decide<'static>>) -> anyhow::Result<CatchUp> {
        let log = DeviceLog::open(dir, &self.journal.device)?;
        self.journal.dir = Some(dir.to_path_buf());
        self.journal.log = Some(log);
        self.journal.decide = Some(decide);
        let relogged = explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            adopt_history(&tx, &mut self.journal)?;
            let relogged = relog_missing(&tx, &mut self.journal)?;
            tx.commit()?;
            Ok(relogged)
        })?;
        Ok(CatchUp {
            relogged,
            ..self.catch_up()?
        })
    }

    /// Points the store at the sync folder `dir` without writing anything
    /// (no log opened, nothing applied): for `prep check`, which reports
    /// before it changes.
    pub fn look_at_logs(&mut self, dir: &Path, decide: Box<Decide<'static>>) {
        self.journal.dir = Some(dir.to_path_buf());
        self.journal.decide = Some(decide);
    }

    /// How many reviews belong to no device yet (a home from before
    /// syncing that no command has attached to its log).
    pub fn unlogged_reviews(&self) -> anyhow::Result<u64> {
        explained(&self.path, || {
            let count: i64 = self.conn.query_row(
                "SELECT count(*) FROM review WHERE device IS NULL",
                [],
                |row| row.get(0),
            )?;
            Ok(count as u64)
        })
    }

    /// Applies the lines of every log in the sync folder that the store
    /// has not seen. Cheap when there are none: a look at each file's
    /// length.
    pub fn catch_up(&mut self) -> anyhow::Result<CatchUp> {
        let Some(dir) = self.journal.dir.clone() else {
            return Ok(CatchUp::default());
        };
        let files = log_files(&dir)?;
        explained(&self.path, || {
            let applied = applied_bytes(&self.conn)?;
            if files
                .iter()
                .all(|file| applied.get(&file.device).copied().unwrap_or(0) == file.len)
            {
                return Ok(CatchUp::default());
            }
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let caught = catch_up_files(&tx, &mut self.journal, &files)?;
            tx.commit()?;
            Ok(caught)
        })
    }

    /// Runs `body` while holding the store's write lock, so that no prep
    /// process of this home appends to its log meanwhile (`prep sync`
    /// commits the log and lets git rewrite it). Others wait, as for any
    /// write, up to [`super::BUSY_TIMEOUT`].
    pub fn holding_writes<T>(
        &mut self,
        body: impl FnOnce() -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let path = self.path.clone();
        explained(&path, || Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?))?;
        let result = body();
        let _ = self.conn.execute_batch("COMMIT");
        result
    }

    /// Records changes this device makes (see the module's doc), after
    /// `prepare` has turned the store's current view into them. Returns
    /// the changes as made.
    pub(super) fn change(
        &mut self,
        prepare: impl FnOnce(&Transaction, &mut NextId) -> Result<Vec<Event>>,
    ) -> Result<Vec<Event>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        own_gap(&tx, &mut self.journal)?;
        let (applied, next_seq) = own_source(&tx, &self.journal.device)?;
        let mut next = NextId {
            device: self.journal.device.clone(),
            seq: next_seq,
        };
        let events = prepare(&tx, &mut next)?;
        if events.is_empty() {
            return Ok(events);
        }
        let lines: Vec<String> = events.iter().map(Event::to_line).collect();
        let mut applied_after = applied;
        if let Some(log) = self.journal.log.as_mut() {
            let (before, after) = log.append(&lines)?;
            if before == applied {
                applied_after = after;
            }
        }
        apply_events(&tx, self.journal.decide.as_deref_mut(), events.clone())?;
        tx.execute(
            "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (device) DO UPDATE SET applied_bytes = excluded.applied_bytes,
                 next_seq = excluded.next_seq",
            params![self.journal.device, applied_after as i64, next.seq as i64],
        )?;
        if let Err(err) = tx.commit() {
            self.take_back(&events, next.seq);
            return Err(err.into());
        }
        Ok(events)
    }

    /// After a failed commit, appends undos of the reviews just logged, so
    /// that a review the user was told failed does not come back on the
    /// next start. Best effort: when even that fails, the review comes
    /// back, which loses nothing.
    fn take_back(&mut self, events: &[Event], mut seq: u64) {
        let Some(log) = self.journal.log.as_mut() else {
            return;
        };
        let undos: Vec<String> = events
            .iter()
            .filter(|event| matches!(event.change, Change::Grade { .. }))
            .map(|event| {
                let undo = Event {
                    id: EventId {
                        device: event.id.device.clone(),
                        seq,
                    },
                    at: event.at,
                    card: event.card.clone(),
                    change: Change::Undo {
                        of: event.id.clone(),
                    },
                };
                seq += 1;
                undo.to_line()
            })
            .collect();
        if !undos.is_empty() {
            let _ = log.append(&undos);
        }
    }

    /// Folds every card again from the changes the store holds, and
    /// writes the cards whose stored state differs; returns those cards.
    /// With `only_check`, writes nothing.
    pub fn refold_all(&mut self, only_check: bool) -> anyhow::Result<Vec<String>> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cards: Vec<String> = tx
                .prepare(
                    "SELECT card_id FROM review UNION SELECT card_id FROM card_change
                     UNION SELECT id FROM card UNION SELECT card_id FROM suspended
                     UNION SELECT card_id FROM marked UNION SELECT card_id FROM buried
                     UNION SELECT card_id FROM forgotten ORDER BY 1",
                )?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut differ = Vec::new();
            for card in cards {
                let (mut events, rows) = card_events(&tx, &card)?;
                let folded = fold(&card, &mut events, self.journal.decide.as_deref_mut())?;
                if !stored_as_folded(&tx, &card, &rows, &folded)? {
                    if !only_check {
                        write_folded(&tx, &card, &rows, &folded)?;
                    }
                    differ.push(card);
                }
            }
            tx.commit()?;
            Ok(differ)
        })
    }

    /// The lines of every log the store does not hold, and the changes the
    /// store holds that no log has: what `prep check` reports.
    pub fn log_disagreements(&self) -> anyhow::Result<LogDisagreements> {
        let Some(dir) = self.journal.dir.clone() else {
            return Ok(LogDisagreements::default());
        };
        let files = log_files(&dir)?;
        explained(&self.path, || {
            let mut found = LogDisagreements::default();
            let mut logged: HashSet<EventId> = HashSet::new();
            let mut undone: HashSet<EventId> = HashSet::new();
            for file in &files {
                let read = read_from(file, 0)?;
                found.problems.extend(read.problems);
                for event in read.events {
                    if let Change::Undo { of } = &event.change {
                        undone.insert(of.clone());
                    }
                    if !is_held(&self.conn, &event.id)? {
                        found.not_in_store.push(event.id.clone());
                    }
                    logged.insert(event.id);
                }
            }
            found.not_in_store.retain(|id| !undone.contains(id));
            let mut statement = self.conn.prepare(
                "SELECT device, seq FROM review UNION ALL SELECT device, seq FROM card_change",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id = EventId {
                    device: row.get(0)?,
                    seq: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                };
                if !logged.contains(&id) {
                    found.not_in_logs.push(id);
                }
            }
            Ok(found)
        })
    }

    /// Writes this device's changes that its log lacks into it (for
    /// `prep check --repair` after a log was damaged by hand).
    pub fn relog(&mut self) -> anyhow::Result<usize> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let written = relog_missing(&tx, &mut self.journal)?;
            tx.commit()?;
            Ok(written)
        })
    }
}

/// What the store and the logs disagree on.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LogDisagreements {
    pub not_in_store: Vec<EventId>,
    pub not_in_logs: Vec<EventId>,
    pub problems: Vec<String>,
}

/// Hands out this device's next change ids inside a change.
pub(super) struct NextId {
    device: String,
    seq: u64,
}

impl NextId {
    pub fn take(&mut self) -> EventId {
        let id = EventId {
            device: self.device.clone(),
            seq: self.seq,
        };
        self.seq += 1;
        id
    }
}

fn applied_bytes(conn: &Connection) -> Result<HashMap<String, u64>> {
    let map = conn
        .prepare_cached("SELECT device, applied_bytes FROM sync_source")?
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

fn own_source(conn: &Connection, device: &str) -> Result<(u64, u64)> {
    let (applied, next): (i64, i64) = conn
        .prepare_cached("SELECT applied_bytes, next_seq FROM sync_source WHERE device = ?1")?
        .query_row([device], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .unwrap_or((0, 1));
    Ok((applied as u64, next.max(1) as u64))
}

/// Applies lines of this device's log that the store lacks: a crash after
/// the append and before the commit, here or in another process of this
/// home. Checked before every change, so that numbers are never reused.
fn own_gap(tx: &Transaction, journal: &mut Journal) -> Result<()> {
    let Some(log) = journal.log.as_ref() else {
        return Ok(());
    };
    let len = log.byte_len()?;
    let (applied, _) = own_source(tx, &journal.device)?;
    if len == applied {
        return Ok(());
    }
    let file = LogFile {
        device: journal.device.clone(),
        path: log.path().to_path_buf(),
        len,
    };
    catch_up_files(tx, journal, &[file])?;
    Ok(())
}

/// Reads and applies the new lines of `files`, inside `tx`.
fn catch_up_files(tx: &Transaction, journal: &mut Journal, files: &[LogFile]) -> Result<CatchUp> {
    let applied = applied_bytes(tx)?;
    let mut caught = CatchUp::default();
    let mut events = Vec::new();
    for file in files {
        let done = applied.get(&file.device).copied().unwrap_or(0);
        if file.len == done {
            continue;
        }
        // A log shorter than what was applied was rewritten: read it all
        // again; lines already held are skipped.
        let from = if file.len < done { 0 } else { done };
        let read = read_from(file, from)?;
        caught.problems.extend(read.problems);
        let mut max_seq = 0;
        for event in read.events {
            max_seq = max_seq.max(event.id.seq);
            if !is_held(tx, &event.id)? {
                events.push(event);
            }
        }
        tx.execute(
            "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (device) DO UPDATE SET applied_bytes = excluded.applied_bytes,
                 next_seq = max(next_seq, excluded.next_seq)",
            params![file.device, read.end as i64, max_seq as i64 + 1],
        )?;
    }
    caught.applied = events.len();
    apply_events(tx, journal.decide.as_deref_mut(), events)?;
    Ok(caught)
}

/// Whether the store holds change `id` (as a review or another change).
fn is_held(conn: &Connection, id: &EventId) -> Result<bool> {
    let seq = id.seq as i64;
    let held: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM review WHERE device = ?1 AND seq = ?2)
                 OR EXISTS (SELECT 1 FROM card_change WHERE device = ?1 AND seq = ?2)",
        )?
        .query_row(params![id.device, seq], |row| row.get(0))?;
    Ok(held)
}

/// Folds `events` into their cards.
fn apply_events(
    tx: &Transaction,
    mut decide: Option<&mut Decide<'static>>,
    events: Vec<Event>,
) -> Result<()> {
    let mut by_card: HashMap<String, Vec<Event>> = HashMap::new();
    for event in events {
        by_card.entry(event.card.clone()).or_default().push(event);
    }
    let mut cards: Vec<_> = by_card.into_iter().collect();
    cards.sort_by(|a, b| a.0.cmp(&b.0));
    let mut insert_change = tx.prepare_cached(
        "INSERT OR IGNORE INTO card_change (device, seq, card_id, at, line) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (card, new) in cards {
        for event in &new {
            if !matches!(event.change, Change::Grade { .. }) {
                insert_change.execute(params![
                    event.id.device,
                    event.id.seq as i64,
                    card,
                    event.at.timestamp_millis(),
                    event.to_line()
                ])?;
            }
        }
        let (mut events, rows) = card_events(tx, &card)?;
        events.extend(new);
        let folded = fold(&card, &mut events, decide.as_deref_mut())?;
        write_folded(tx, &card, &rows, &folded)?;
    }
    Ok(())
}

/// A review row as the store holds it: its row id, which change it is,
/// and its effect here.
struct HeldReview {
    row: i64,
    id: EventId,
    review: Review,
}

/// The changes the store holds for `card` (reviews as their writers
/// logged them), and its review rows in order.
fn card_events(conn: &Connection, card: &str) -> Result<(Vec<Event>, Vec<HeldReview>)> {
    let mut events = Vec::new();
    let mut rows = Vec::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS}, device, seq, after, logged FROM review WHERE card_id = ?1 ORDER BY id"
    ))?;
    let mut query = statement.query([card])?;
    while let Some(row) = query.next()? {
        let review = review_from_row(row)?;
        let device: Option<String> = row.get(16)?;
        let seq: Option<i64> = row.get(17)?;
        let (Some(device), Some(seq)) = (device, seq) else {
            return Err(Failure::damaged_row(
                card,
                format!("review {} belongs to no device", review.id),
            ));
        };
        let id = EventId {
            device,
            seq: seq as u64,
        };
        let after: Option<String> = row.get(18)?;
        let logged: Option<String> = row.get(19)?;
        let event = match logged {
            Some(line) => Event::parse(&id.device, &line).map_err(|err| {
                Failure::damaged_row(card, format!("review {}: {err:#}", review.id))
            })?,
            None => Event {
                id: id.clone(),
                at: review.reviewed_at,
                card: card.to_string(),
                change: Change::Grade {
                    deck: review.deck.clone(),
                    answer_ms: review.answer_ms,
                    after: match after {
                        Some(text) => Some(EventId::parse(&text).map_err(|err| {
                            Failure::damaged_row(card, format!("review {}: {err:#}", review.id))
                        })?),
                        None => None,
                    },
                    transition: review.transition,
                },
            },
        };
        events.push(event);
        rows.push(HeldReview {
            row: review.id,
            id,
            review,
        });
    }
    let mut statement =
        conn.prepare_cached("SELECT device, line FROM card_change WHERE card_id = ?1")?;
    let mut query = statement.query([card])?;
    while let Some(row) = query.next()? {
        let device: String = row.get(0)?;
        let line: String = row.get(1)?;
        events.push(
            Event::parse(&device, &line)
                .map_err(|err| Failure::damaged_row(card, format!("change: {err:#}")))?,
        );
    }
    Ok((events, rows))
}

/// How many of the held rows already are the folded reviews, in order.
fn common_prefix(rows: &[HeldReview], folded: &Folded) -> usize {
    rows.iter()
        .zip(&folded.reviews)
        .take_while(|(row, review)| {
            row.id == review.id
                && row.review.transition == review.transition
                && row.review.deck == review.deck
        })
        .count()
}

/// Whether the store already holds `folded` for `card`.
fn stored_as_folded(
    conn: &Connection,
    card: &str,
    rows: &[HeldReview],
    folded: &Folded,
) -> Result<bool> {
    if common_prefix(rows, folded) != rows.len() || rows.len() != folded.reviews.len() {
        return Ok(false);
    }
    let state = super::cards::card_state(conn, card)?;
    let wanted = folded.last();
    let same_state = match (&state, wanted) {
        (None, None) => true,
        (Some(stored), Some(review)) => {
            stored.state == review.transition.state && *stored.deck == *review.deck
        }
        _ => false,
    };
    let flags: (Option<i64>, Option<i64>, Option<String>, Option<i64>) = conn.query_row(
        "SELECT (SELECT until FROM buried WHERE card_id = ?1),
                (SELECT since FROM suspended WHERE card_id = ?1),
                (SELECT reason FROM suspended WHERE card_id = ?1),
                (SELECT since FROM marked WHERE card_id = ?1)",
        [card],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let wanted_flags = (
        folded.buried_until.map(|at| at.timestamp_millis()),
        folded.suspended.map(|s| s.since.timestamp_millis()),
        folded.suspended.map(|s| s.reason.as_str().to_string()),
        folded.marked_since.map(|at| at.timestamp_millis()),
    );
    Ok(same_state && flags == wanted_flags)
}

/// Writes `folded` as `card`'s rows: the reviews from where they differ
/// from the held ones, the state, the flags, and where the last forget
/// falls.
fn write_folded(tx: &Transaction, card: &str, rows: &[HeldReview], folded: &Folded) -> Result<()> {
    let same = common_prefix(rows, folded);
    {
        let mut delete = tx.prepare_cached("DELETE FROM review WHERE id = ?1")?;
        for row in &rows[same..] {
            delete.execute([row.row])?;
        }
    }
    let mut row_ids: Vec<i64> = rows[..same].iter().map(|row| row.row).collect();
    {
        let mut insert = tx.prepare_cached(&format!(
            "INSERT INTO review (card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before, {STATE_COLUMNS},
                 device, seq, after, logged)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
        ))?;
        for review in &folded.reviews[same..] {
            let transition = &review.transition;
            let state = &transition.state;
            let logged = (review.transition != review.logged).then(|| {
                Event {
                    id: review.id.clone(),
                    at: review.logged.state.last_review,
                    card: card.to_string(),
                    change: Change::Grade {
                        deck: review.deck.clone(),
                        answer_ms: review.answer_ms,
                        after: review.after.clone(),
                        transition: review.logged,
                    },
                }
                .to_line()
            });
            insert.execute(params![
                card,
                review.deck,
                state.last_review.timestamp_millis(),
                transition.grade.rating(),
                transition.elapsed_days,
                review.answer_ms,
                transition.phase_before.code(),
                state.phase.code(),
                state.step,
                f64::from(state.stability),
                f64::from(state.difficulty),
                state.due.timestamp_millis(),
                state.interval_days,
                state.reps,
                state.lapses,
                review.id.device,
                review.id.seq as i64,
                review.after.as_ref().map(EventId::to_string),
                logged,
            ])?;
            row_ids.push(tx.last_insert_rowid());
        }
    }
    match folded.last() {
        Some(review) => {
            let state = &review.transition.state;
            tx.prepare_cached(&format!(
                "INSERT OR REPLACE INTO card (id, deck, {STATE_COLUMNS}, last_review)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?
            .execute(params![
                card,
                review.deck,
                state.phase.code(),
                state.step,
                f64::from(state.stability),
                f64::from(state.difficulty),
                state.due.timestamp_millis(),
                state.interval_days,
                state.reps,
                state.lapses,
                state.last_review.timestamp_millis(),
            ])?;
        }
        None => {
            tx.prepare_cached("DELETE FROM card WHERE id = ?1")?
                .execute([card])?;
        }
    }
    match folded.buried_until {
        Some(until) => tx
            .prepare_cached("INSERT OR REPLACE INTO buried (card_id, until) VALUES (?1, ?2)")?
            .execute(params![card, until.timestamp_millis()])?,
        None => tx
            .prepare_cached("DELETE FROM buried WHERE card_id = ?1")?
            .execute([card])?,
    };
    match folded.suspended {
        Some(suspension) => tx
            .prepare_cached(
                "INSERT OR REPLACE INTO suspended (card_id, since, reason) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                card,
                suspension.since.timestamp_millis(),
                suspension.reason.as_str()
            ])?,
        None => tx
            .prepare_cached("DELETE FROM suspended WHERE card_id = ?1")?
            .execute([card])?,
    };
    match folded.marked_since {
        Some(since) => tx
            .prepare_cached("INSERT OR REPLACE INTO marked (card_id, since) VALUES (?1, ?2)")?
            .execute(params![card, since.timestamp_millis()])?,
        None => tx
            .prepare_cached("DELETE FROM marked WHERE card_id = ?1")?
            .execute([card])?,
    };
    match (folded.counting_from, folded.forgotten_at) {
        (1.., Some(at)) => tx
            .prepare_cached(
                "INSERT OR REPLACE INTO forgotten (card_id, at, last_review_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                card,
                at.timestamp_millis(),
                row_ids[folded.counting_from - 1]
            ])?,
        _ => tx
            .prepare_cached("DELETE FROM forgotten WHERE card_id = ?1")?
            .execute([card])?,
    };
    Ok(())
}

/// A home from before syncing: its reviews and flags become this
/// device's first changes, numbered in the order they were made, and
/// its log is written from them.
fn adopt_history(tx: &Transaction, journal: &mut Journal) -> Result<()> {
    let unowned: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM review WHERE device IS NULL)
             OR (NOT EXISTS (SELECT 1 FROM review) AND NOT EXISTS (SELECT 1 FROM card_change)
                 AND (EXISTS (SELECT 1 FROM suspended) OR EXISTS (SELECT 1 FROM marked)
                      OR EXISTS (SELECT 1 FROM buried)))",
        [],
        |row| row.get(0),
    )?;
    if !unowned {
        return Ok(());
    }
    let device = journal.device.clone();
    // Reviews keep their row ids as numbers; `after` follows each card's
    // reviews since it was last forgotten.
    let forgotten: HashMap<String, (i64, i64)> = tx
        .prepare("SELECT card_id, at, last_review_id FROM forgotten")?
        .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let mut last_of_card: HashMap<String, (i64, i64)> = HashMap::new();
    {
        let mut select = tx.prepare("SELECT id, card_id, reviewed_at FROM review ORDER BY id")?;
        let mut update =
            tx.prepare("UPDATE review SET device = ?2, seq = ?1, after = ?3 WHERE id = ?1")?;
        let mut rows = select.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let card: String = row.get(1)?;
            let at: i64 = row.get(2)?;
            let forgotten_through = forgotten.get(&card).map_or(0, |(_, last)| *last);
            let after = last_of_card
                .get(&card)
                .filter(|(previous, _)| !(*previous <= forgotten_through && id > forgotten_through))
                .map(|(previous, _)| format!("{device}:{previous}"));
            update.execute(params![id, device, after])?;
            last_of_card.insert(card, (id, at));
        }
    }
    let mut seq: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM review", [], |row| {
        row.get(0)
    })?;
    let mut flag_events = Vec::new();
    let mut push = |card: String, at: i64, change: Change, seq: &mut i64| {
        flag_events.push(Event {
            id: EventId {
                device: device.clone(),
                seq: *seq as u64,
            },
            at: instant(at).unwrap_or(DateTime::UNIX_EPOCH),
            card,
            change,
        });
        *seq += 1;
    };
    // A forget comes after the reviews it forgot; a skip after the card's
    // last review, which would otherwise have ended it.
    for (card, (at, last)) in &forgotten {
        let last_at: i64 = tx
            .query_row(
                "SELECT reviewed_at FROM review WHERE id = ?1",
                [last],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0);
        push(
            card.clone(),
            (*at).max(last_at + 1),
            Change::Forget,
            &mut seq,
        );
    }
    let flags: Vec<(String, i64, Option<String>, &str)> = tx
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
        .collect::<rusqlite::Result<_>>()?;
    for (card, time, reason, kind) in flags {
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
            "bury" => last_of_card.get(&card).map_or(0, |(_, at)| at + 1),
            _ => time,
        };
        push(card, at, change, &mut seq);
    }
    {
        let mut insert = tx.prepare(
            "INSERT OR IGNORE INTO card_change (device, seq, card_id, at, line) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for event in &flag_events {
            insert.execute(params![
                event.id.device,
                event.id.seq as i64,
                event.card,
                event.at.timestamp_millis(),
                event.to_line()
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, 0, ?2)
         ON CONFLICT (device) DO UPDATE SET next_seq = max(next_seq, excluded.next_seq)",
        params![device, seq],
    )?;
    Ok(())
}

/// Writes into this device's log every change of this device the store
/// holds and the log does not: after [`adopt_history`], or when the log
/// was cut or deleted by hand. Returns how many.
fn relog_missing(tx: &Transaction, journal: &mut Journal) -> Result<usize> {
    let Some(log) = journal.log.as_mut() else {
        return Ok(0);
    };
    let device = journal.device.clone();
    let (applied, next_seq) = own_source(tx, &device)?;
    let len = log.byte_len()?;
    let has_own: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM review WHERE device = ?1)
             OR EXISTS (SELECT 1 FROM card_change WHERE device = ?1)",
        [&device],
        |row| row.get(0),
    )?;
    if !has_own || (len >= applied && applied > 0) {
        return Ok(0);
    }
    let file = LogFile {
        device: device.clone(),
        path: log.path().to_path_buf(),
        len,
    };
    let present: HashSet<u64> = read_from(&file, 0)?
        .events
        .into_iter()
        .map(|event| event.id.seq)
        .collect();
    let mut missing = Vec::new();
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
            missing.push((seq, line));
        }
        let mut statement =
            tx.prepare("SELECT seq, line FROM card_change WHERE device = ?1 ORDER BY seq")?;
        let mut rows = statement.query([&device])?;
        while let Some(row) = rows.next()? {
            let seq = row.get::<_, i64>(0)? as u64;
            if !present.contains(&seq) {
                missing.push((seq, row.get(1)?));
            }
        }
    }
    missing.sort_by_key(|(seq, _)| *seq);
    let count = missing.len();
    let mut end = len;
    for chunk in missing.chunks(20_000) {
        let lines: Vec<String> = chunk.iter().map(|(_, line)| line.clone()).collect();
        end = log.append(&lines)?.1;
    }
    let max_seq = missing.last().map_or(0, |(seq, _)| *seq);
    tx.execute(
        "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (device) DO UPDATE SET applied_bytes = excluded.applied_bytes,
             next_seq = max(next_seq, excluded.next_seq)",
        params![device, end as i64, (max_seq + 1).max(next_seq) as i64],
    )?;
    Ok(count)
}
