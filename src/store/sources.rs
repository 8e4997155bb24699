//! How far the store has applied each device's log (`sync_source`), and
//! so which files a catch-up reads. A log in segments is applied up to a
//! [`Position`]: every segment before it is closed and applied, and is
//! never looked at again, so that a start costs a look at the last
//! segment of each device (and whether a next one began), however long
//! the history. A log in the single-file form (a device running an older
//! prep) is applied up to a byte, as it always was.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, Transaction, params};

use super::Result;
use crate::journal::log::{
    DeviceLogs, LogFile, Position, device_dir, last_segment, segment_files, segment_path,
    segments_from,
};

/// How far one device's log is applied.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Source {
    /// In its single file.
    pub single: u64,
    /// In its segments.
    pub position: Position,
    /// For this device, the number its next change takes.
    pub next_seq: u64,
}

/// Every device's source, by device.
pub(super) fn sources(conn: &Connection) -> Result<HashMap<String, Source>> {
    let map = conn
        .prepare_cached(
            "SELECT device, applied_bytes, segment, segment_bytes, next_seq FROM sync_source",
        )?
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                Source {
                    single: row.get::<_, i64>(1)? as u64,
                    position: Position {
                        segment: row.get::<_, i64>(2)? as u64,
                        byte: row.get::<_, i64>(3)? as u64,
                    },
                    next_seq: row.get::<_, i64>(4)?.max(1) as u64,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

/// Records how far this device's own log is applied (`applied`) and the
/// number its next change takes.
pub(super) fn record_own_source(
    tx: &Transaction,
    device: &str,
    next_seq: u64,
    applied: Position,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_source (device, applied_bytes, next_seq, segment, segment_bytes)
         VALUES (?1, 0, ?2, ?3, ?4)
         ON CONFLICT (device) DO UPDATE SET next_seq = excluded.next_seq,
             segment = excluded.segment, segment_bytes = excluded.segment_bytes",
    )?
    .execute(params![
        device,
        next_seq as i64,
        applied.segment as i64,
        applied.byte as i64
    ])?;
    Ok(())
}

/// This device's source: how far its segments are applied, and the
/// number its next change takes.
pub(super) fn own_source(conn: &Connection, device: &str) -> Result<(Position, u64)> {
    let source = conn
        .prepare_cached(
            "SELECT segment, segment_bytes, next_seq FROM sync_source WHERE device = ?1",
        )?
        .query_row([device], |row| {
            Ok((
                Position {
                    segment: row.get::<_, i64>(0)? as u64,
                    byte: row.get::<_, i64>(1)? as u64,
                },
                row.get::<_, i64>(2)?.max(1) as u64,
            ))
        });
    match source {
        Ok(source) => Ok(source),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok((Position::default(), 1)),
        Err(err) => Err(err.into()),
    }
}

/// Records that `device`'s segments are applied up to `position`.
pub(super) fn set_position(tx: &Transaction, device: &str, position: Position) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_source (device, applied_bytes, next_seq, segment, segment_bytes)
         VALUES (?1, 0, 1, ?2, ?3)
         ON CONFLICT (device) DO UPDATE SET segment = excluded.segment,
             segment_bytes = excluded.segment_bytes",
    )?
    .execute(params![
        device,
        position.segment as i64,
        position.byte as i64
    ])?;
    Ok(())
}

/// Records that `device`'s single file is applied up to `bytes`.
pub(super) fn set_single(tx: &Transaction, device: &str, bytes: u64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, ?2, 1)
         ON CONFLICT (device) DO UPDATE SET applied_bytes = excluded.applied_bytes",
    )?
    .execute(params![device, bytes as i64])?;
    Ok(())
}

/// Raises the number `device`'s next change takes to at least `next`.
pub(super) fn raise_next_seq(tx: &Transaction, device: &str, next: u64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_source (device, applied_bytes, next_seq) VALUES (?1, 0, ?2)
         ON CONFLICT (device) DO UPDATE SET next_seq = max(next_seq, excluded.next_seq)",
    )?
    .execute(params![device, next as i64])?;
    Ok(())
}

/// Whether `logs` holds nothing `source` has not applied: the single
/// file's length, the length of the segment applied last, and no segment
/// after it.
pub(super) fn unchanged(logs: &DeviceLogs, source: Option<&Source>) -> bool {
    let source = source.copied().unwrap_or_default();
    if let Some(single) = &logs.single
        && single.len != source.single
    {
        return false;
    }
    let Some(folder) = &logs.segments else {
        return true;
    };
    let at = source.position;
    let len = std::fs::metadata(segment_path(folder, at.segment)).map(|meta| meta.len());
    match len {
        Ok(len) => len == at.byte && !segment_path(folder, at.segment + 1).exists(),
        // Nothing read and nothing there (an empty folder), or a log
        // begun again from an earlier segment: look.
        Err(_) => at == Position::default() && last_segment(folder).ok().flatten().is_none(),
    }
}

/// The files of `logs` a catch-up reads: the single file, and the
/// segments from the one `source` applied last. A log whose segment
/// applied last is gone (cut, or begun again by hand) is read from its
/// first segment on, or from the next one there.
pub(super) fn files_to_read(
    dir: &Path,
    logs: &DeviceLogs,
    source: Option<&Source>,
) -> anyhow::Result<Vec<LogFile>> {
    let source = source.copied().unwrap_or_default();
    let mut files: Vec<LogFile> = logs.single.iter().cloned().collect();
    if logs.segments.is_none() {
        return Ok(files);
    }
    let from = source.position.segment;
    let tail = segments_from(dir, &logs.device, from)?;
    if !tail.is_empty() {
        files.extend(tail);
        return Ok(files);
    }
    let folder = device_dir(dir, &logs.device);
    // Begun again below where it was read to: every segment; a gap: those
    // after it.
    let begun_again = last_segment(&folder)?.is_some_and(|last| last < from);
    files.extend(
        segment_files(&logs.device, &folder)?
            .into_iter()
            .filter(|file| begun_again || file.segment > Some(from)),
    );
    Ok(files)
}
