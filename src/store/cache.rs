//! The store as a cache of the devices' logs (see [`crate::journal`]).
//!
//! Every change a prep process makes goes the same way: it is given the
//! next number of this device, appended to this device's log and synced,
//! then folded into its card inside the same `BEGIN IMMEDIATE`
//! transaction, which commits last. So a change the store holds is in a
//! log, a crash between the two leaves a line the store has not applied,
//! and the next start applies it. Other devices' lines go through the
//! same fold, so the store holds, for any set of lines, the one state
//! [`crate::journal::fold`] gives.
//!
//! Tables: `meta` (this home's device id), `sync_source` (how far each
//! device's log is applied, and this device's next number; see
//! [`super::sources`]), `card_change`
//! (the lines that are not reviews, kept for refolding), and the
//! `device`, `seq`, `after` and `logged` columns of `review` (which line a
//! review is; `logged` keeps the line when replay gave the review another
//! state than its writer did).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::adopt::{adopt_history, needs_adoption, needs_relog, relog_missing};
use super::replay::{apply_events, card_events, load_setups, stored_as_folded, write_folded};
use super::rows::instant;
use super::sources::{
    Source, files_to_read, own_source, raise_next_seq, record_own_source, set_position, set_single,
    sources, unchanged,
};
use super::{Result, Store, explained};
use crate::journal::event::{Change, Event, EventId};
use crate::journal::fold::fold;
use crate::journal::log::{
    DeviceLog, LogFile, Migrated, Position, devices, line_ending_at, log_files, read_from,
    segment_bytes, segments_from, set_aside, single_file,
};
use crate::journal::setup::{Setup, Setups};

/// How a store writes and replays changes.
pub(super) struct Journal {
    /// This home's device id.
    pub device: String,
    /// The sync folder and this device's log in it, once attached.
    pub dir: Option<PathBuf>,
    pub log: Option<DeviceLog>,
    /// Every device's setups, which decide reviews again when replay
    /// puts them out of their writer's place; before the store is
    /// attached to its logs, none, and reviews keep their logged states.
    pub setups: Option<Setups>,
    /// What this device schedules with now, logged before its next change
    /// when it differs from the last setup it logged.
    pub setup_now: Option<Setup>,
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
    /// The latest time among the lines applied, per other device: what
    /// tells a clock far ahead.
    pub latest: Vec<(String, DateTime<Utc>)>,
    /// The device id this home wrote as until it was found to be a copy of
    /// another home (copied, restored from a backup, a cloned machine),
    /// which keeps that id, and the new id this one now writes as.
    pub copy_of: Option<(String, String)>,
    /// This device's log held lines another home wrote under its id (a
    /// copy that kept the id: a cloned machine, a restored disk image):
    /// the log, the id, and the new id this home now writes as.
    pub second_writer: Option<(PathBuf, String, String)>,
}

/// Where a home is: this machine's name and the identity of the home's
/// folder (its inode, or its full path where there are none). A copy of
/// the home (`cp -a`, a restored backup, another machine) is somewhere
/// else, and must not write as the same device as the original.
fn home_place(db: &Path) -> String {
    let dir = db.parent().unwrap_or(db);
    #[cfg(unix)]
    let identity = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir)
            .map(|metadata| format!("{}:{}", metadata.dev(), metadata.ino()))
            .unwrap_or_default()
    };
    #[cfg(not(unix))]
    let identity = std::fs::canonicalize(dir)
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    format!(
        "{} {identity}",
        gethostname::gethostname().to_string_lossy()
    )
}

/// Gives this home a new device id when it is not where its id was made
/// (see [`home_place`]); returns the id it had then and the new one.
fn reidentify_a_copy(
    conn: &Connection,
    db: &Path,
    journal: &mut Journal,
) -> Result<Option<(String, String)>> {
    let place = home_place(db);
    let known: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'place'", [], |row| {
            row.get(0)
        })
        .optional()?;
    let copied = match known {
        Some(known) if known == place => return Ok(None),
        // A home from before places were kept: this is where it is.
        None => None,
        Some(_) => {
            let old = journal.device.clone();
            Some((old, new_device_id(conn, journal)?))
        }
    };
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('place', ?1)",
        [&place],
    )?;
    Ok(copied)
}

/// Gives this home a new device id, from now on; returns it.
fn new_device_id(conn: &Connection, journal: &mut Journal) -> Result<String> {
    let random: u64 = rand::random();
    let made = format!("{}-{:06x}", host_name(), random & 0xff_ffff);
    conn.execute("UPDATE meta SET value = ?1 WHERE key = 'device'", [&made])?;
    conn.execute(
        "INSERT OR IGNORE INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, 0, 1)",
        [&made],
    )?;
    journal.device = made.clone();
    Ok(made)
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
    // Six random hex digits, from the operating system's generator, tell
    // two devices of the same host name apart.
    let random: u64 = rand::random();
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
    /// every log. `setup` is what this device schedules with now.
    pub fn attach(&mut self, dir: &Path, setup: Setup) -> anyhow::Result<CatchUp> {
        let copy_of = explained(&self.path, || {
            reidentify_a_copy(&self.conn, &self.path, &mut self.journal)
        })?;
        let log = self.open_log(dir)?;
        self.journal.dir = Some(dir.to_path_buf());
        self.journal.log = Some(log);
        self.journal.setups = Some(explained(&self.path, || load_setups(&self.conn))?);
        self.journal.setup_now = Some(setup);
        let relogged = explained(&self.path, || {
            // Read first: most starts have nothing to write.
            if !needs_adoption(&self.conn)? && !needs_relog(&self.conn, &self.journal)? {
                return Ok(0);
            }
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
            copy_of,
            ..self.catch_up()?
        })
    }

    /// Opens this device's log in `dir`. A log in the single-file form
    /// becomes segments first, while the store's write lock keeps every
    /// other process of this home out, and what was applied of the file
    /// is recorded as applied of the segments.
    fn open_log(&mut self, dir: &Path) -> anyhow::Result<DeviceLog> {
        let device = self.journal.device.clone();
        if !single_file(dir, &device).is_file() {
            return Ok(DeviceLog::open(dir, &device)?.0);
        }
        let path = self.path.clone();
        explained(&path, || Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?))?;
        let opened = DeviceLog::open(dir, &device).and_then(|(log, migrated)| {
            if let Some(migrated) = migrated {
                explained(&path, || {
                    moved_into_segments(&self.conn, &device, &migrated)
                })?;
            }
            Ok(log)
        });
        let committed = explained(&path, || Ok(self.conn.execute_batch("COMMIT")?));
        let log = opened?;
        committed?;
        Ok(log)
    }

    /// Points the store at the sync folder `dir` without writing anything
    /// (no log opened, nothing applied): for `prep check`, which reports
    /// before it changes.
    pub fn look_at_logs(&mut self, dir: &Path) -> anyhow::Result<()> {
        self.journal.dir = Some(dir.to_path_buf());
        self.journal.setups = Some(explained(&self.path, || load_setups(&self.conn))?);
        Ok(())
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
        let logs = devices(&dir)?;
        explained(&self.path, || {
            let applied = sources(&self.conn)?;
            if logs
                .iter()
                .all(|logs| unchanged(logs, applied.get(&logs.device)))
            {
                return Ok(CatchUp::default());
            }
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Read again inside the lock: another process may have
            // applied some meanwhile.
            let applied = sources(&tx)?;
            let mut files = Vec::new();
            for logs in &logs {
                files.extend(files_to_read(&dir, logs, applied.get(&logs.device))?);
            }
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
        // A home from before syncing numbers its history first, so that
        // the numbers given out here are never its reviews'.
        adopt_history(&tx, &mut self.journal)?;
        own_gap(&tx, &mut self.journal)?;
        let (applied, next_seq) = own_source(&tx, &self.journal.device)?;
        let mut next = NextId {
            device: self.journal.device.clone(),
            seq: next_seq,
        };
        // A setup that differs from the last this device logged goes
        // first: the changes made with it are numbered after it.
        let setup = match (&self.journal.setup_now, &self.journal.setups) {
            (Some(now), Some(setups)) if setups.latest(&self.journal.device) != Some(now) => {
                Some((next.take(), now.clone()))
            }
            _ => None,
        };
        let mut events = prepare(&tx, &mut next)?;
        if events.is_empty() {
            return Ok(events);
        }
        let mut made = events.len();
        if let Some((id, setup)) = setup {
            let at = events[0].at;
            events.insert(
                0,
                Event {
                    id,
                    at,
                    card: String::new(),
                    change: Change::Setup(Box::new(setup)),
                },
            );
            made = events.len() - 1;
        }
        let lines: Vec<String> = events.iter().map(Event::to_line).collect();
        let mut applied_after = applied;
        if let Some(log) = self.journal.log.as_mut() {
            let (before, after) = log.append(&lines)?;
            if before == applied {
                applied_after = after;
            }
        }
        apply_events(&tx, self.journal.setups.as_mut(), events.clone())?;
        record_own_source(&tx, &self.journal.device, next.seq, applied_after)?;
        if let Err(err) = tx.commit() {
            self.take_back(&events, next.seq);
            return Err(err.into());
        }
        // The changes as made, without the setup logged before them.
        Ok(events.split_off(events.len() - made))
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
                let folded = fold(&card, &mut events, self.journal.setups.as_mut())?;
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
                "SELECT device, seq FROM review UNION ALL SELECT device, seq FROM card_change
                 UNION ALL SELECT device, seq FROM setup",
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

/// Records what was applied of this device's log in the single-file form
/// as applied of the segments it became.
fn moved_into_segments(conn: &Connection, device: &str, migrated: &Migrated) -> Result<()> {
    let applied: i64 = conn
        .query_row(
            "SELECT applied_bytes FROM sync_source WHERE device = ?1",
            [device],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(0);
    // Unknown (segments were there already): read them all again; lines
    // the store holds are skipped.
    let position = migrated.position_of(applied as u64).unwrap_or_default();
    conn.execute(
        "UPDATE sync_source SET applied_bytes = 0, segment = ?2, segment_bytes = ?3
         WHERE device = ?1",
        params![device, position.segment as i64, position.byte as i64],
    )?;
    Ok(())
}

/// Applies lines of this device's log that the store lacks: a crash after
/// the append and before the commit, here or in another process of this
/// home. Checked before every change, so that numbers are never reused.
fn own_gap(tx: &Transaction, journal: &mut Journal) -> Result<()> {
    let (Some(log), Some(dir)) = (journal.log.as_ref(), journal.dir.as_ref()) else {
        return Ok(());
    };
    let end = log.end()?;
    let (applied, _) = own_source(tx, &journal.device)?;
    if end == applied {
        return Ok(());
    }
    let files = segments_from(dir, &journal.device, applied.segment)?;
    catch_up_files(tx, journal, &files)?;
    Ok(())
}

/// Where one device's segments are read to in a catch-up: the position
/// is moved on over each segment read to its close (a later one exists
/// and it is as long as a segment grows), and stops at the first that is
/// not (a copy still under way), which is read again the next time.
struct Reach {
    position: Position,
    moving: bool,
    relogged: bool,
}

/// The lines a catch-up found to apply, and what it learnt on the way.
#[derive(Default)]
struct NewLines {
    events: Vec<Event>,
    /// Each device's next number, past the highest read.
    next_seqs: HashMap<String, u64>,
    caught: CatchUp,
    /// This device's log, when a line in it was not written here.
    second_writer: Option<PathBuf>,
}

impl NewLines {
    /// Reads `file` from byte `from`, keeping the lines the store does not
    /// hold; returns where the reading ended.
    fn take(&mut self, tx: &Transaction, own: &str, file: &LogFile, from: u64) -> Result<u64> {
        let read = read_from(file, from)?;
        self.caught.problems.extend(read.problems);
        for (event, offset) in read.events.into_iter().zip(read.offsets) {
            let next = self.next_seqs.entry(file.device.clone()).or_insert(0);
            *next = (*next).max(event.id.seq + 1);
            match held(tx, &event.id)? {
                None => self.events.push(event),
                // Read before (the log was rewritten, or read again).
                Some((card, at))
                    if card == event.card
                        && at.is_none_or(|at| at == event.at.timestamp_millis()) => {}
                Some((card, _)) => {
                    if file.device == own {
                        // Not a line this home wrote: another home writes
                        // under its id.
                        self.second_writer = Some(file.path.clone());
                    }
                    self.caught.problems.push(set_aside(
                        &file.path,
                        offset,
                        &anyhow::anyhow!(
                            "number {} is given to an earlier line too (of card {card:?}), which is kept",
                            event.id.seq
                        ),
                    ))
                }
            }
        }
        Ok(read.end)
    }
}

/// The time of the newest change of each other device among `events`, by
/// device.
fn latest_by_device(events: &[Event], own: &str) -> Vec<(String, DateTime<Utc>)> {
    let mut latest: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for event in events.iter().filter(|event| event.id.device != own) {
        let at = latest.entry(&event.id.device).or_insert(event.at);
        *at = (*at).max(event.at);
    }
    let mut latest: Vec<(String, DateTime<Utc>)> = latest
        .into_iter()
        .map(|(device, at)| (device.to_string(), at))
        .collect();
    latest.sort();
    latest
}

/// Reads and applies the new lines of `files` (by device, each device's
/// segments in order), inside `tx`.
fn catch_up_files(tx: &Transaction, journal: &mut Journal, files: &[LogFile]) -> Result<CatchUp> {
    let applied = sources(tx)?;
    let mut new_lines = NewLines::default();
    let mut reaches: HashMap<String, Reach> = HashMap::new();
    for (index, file) in files.iter().enumerate() {
        let source: Source = applied.get(&file.device).copied().unwrap_or_default();
        let done = match file.segment {
            None => source.single,
            Some(segment) if segment == source.position.segment => source.position.byte,
            Some(_) => 0,
        };
        let mut end = done;
        if file.len == done {
        } else if file.device == journal.device && file.len < done {
            // This device's log lost lines the store holds (cut by hand,
            // or rewritten by git while a quiz ran): write them back.
            relog_missing(tx, journal)?;
            if file.segment.is_some() {
                reaches.insert(
                    file.device.clone(),
                    Reach {
                        position: source.position,
                        moving: false,
                        relogged: true,
                    },
                );
            }
            continue;
        } else {
            // A log shorter than what was applied, or whose last line
            // applied is no longer where it was, was rewritten (git
            // joining two versions of one log puts lines before it): read
            // it all again; lines already held are skipped.
            let from = if file.len < done || !still_ends_with_held(tx, file, done)? {
                0
            } else {
                done
            };
            end = new_lines.take(tx, &journal.device, file, from)?;
        }
        let Some(segment) = file.segment else {
            set_single(tx, &file.device, end)?;
            continue;
        };
        let later = files
            .get(index + 1)
            .is_some_and(|next| next.device == file.device && next.segment.is_some());
        let reach = reaches.entry(file.device.clone()).or_insert(Reach {
            position: source.position,
            moving: true,
            relogged: false,
        });
        if reach.moving {
            reach.position = Position { segment, byte: end };
            reach.moving = !later || end >= segment_bytes();
        }
    }
    for (device, reach) in &reaches {
        if !reach.relogged {
            set_position(tx, device, reach.position)?;
        }
    }
    let NewLines {
        events,
        next_seqs,
        mut caught,
        second_writer,
    } = new_lines;
    for (device, next) in &next_seqs {
        raise_next_seq(tx, device, *next)?;
    }
    caught.applied = events.len();
    caught.latest = latest_by_device(&events, &journal.device);
    apply_events(tx, journal.setups.as_mut(), events)?;
    if let Some(log) = second_writer {
        // From now on this home writes a log of its own; the other keeps
        // the id (its lines beyond this home's numbers were applied).
        let old = journal.device.clone();
        let new = new_device_id(tx, journal)?;
        if let Some(dir) = &journal.dir {
            journal.log = Some(DeviceLog::open(dir, &new)?.0);
        }
        caught.second_writer = Some((log, old, new));
    }
    Ok(caught)
}

/// Whether the line of `file` that ends at `done` (where the last catch-up
/// stopped) is one the store holds: the file is as it was up to there.
fn still_ends_with_held(conn: &Connection, file: &LogFile, done: u64) -> Result<bool> {
    if done == 0 {
        return Ok(true);
    }
    let Some(line) = line_ending_at(file, done)? else {
        return Ok(false);
    };
    let Ok(event) = std::str::from_utf8(&line)
        .map_err(anyhow::Error::from)
        .and_then(|line| Event::parse(&file.device, line))
    else {
        // A line set aside when it was read: nothing to compare.
        return Ok(true);
    };
    Ok(held(conn, &event.id)?.is_some_and(|(card, at)| {
        card == event.card && at.is_none_or(|at| at == event.at.timestamp_millis())
    }))
}

/// Whether the store holds change `id` (as a review or another change).
fn is_held(conn: &Connection, id: &EventId) -> Result<bool> {
    Ok(held(conn, id)?.is_some())
}

/// The card of change `id` if the store holds it (`""` for a setup), and
/// its time in milliseconds (none for a setup).
fn held(conn: &Connection, id: &EventId) -> Result<Option<(String, Option<i64>)>> {
    let seq = id.seq as i64;
    Ok(conn
        .prepare_cached(
            "SELECT card_id, reviewed_at FROM review WHERE device = ?1 AND seq = ?2
             UNION ALL SELECT card_id, at FROM card_change WHERE device = ?1 AND seq = ?2
             UNION ALL SELECT '', NULL FROM setup WHERE device = ?1 AND seq = ?2 LIMIT 1",
        )?
        .query_row(params![id.device, seq], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?)
}
