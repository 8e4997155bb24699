//! This device's log in the single-file form of an older prep made into
//! segments, once, with every whole line and the same bytes.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{
    DeviceLog, Position, create_parents, device_dir, last_segment, numbered, segment_bytes,
    segment_path, segments, sync_dir,
};

/// What opening this device's log did to a log in the older form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// Where each segment made from the single file ends, in the file's
    /// bytes: what maps a length read of the file to a [`Position`].
    /// None when segments were there already, and the file's lines they
    /// lacked were appended to them.
    pub ends: Option<Vec<u64>>,
}

impl Migrated {
    /// Where byte `offset` of the single file is now, when known (past
    /// the last whole line, the end of the last segment).
    pub fn position_of(&self, offset: u64) -> Option<Position> {
        let ends = self.ends.as_ref()?;
        let mut start = 0;
        for (segment, end) in ends.iter().enumerate() {
            if offset <= *end || segment + 1 == ends.len() {
                return Some(Position {
                    segment: segment as u64,
                    byte: offset.min(*end) - start,
                });
            }
            start = *end;
        }
        Some(Position::default())
    }
}

/// Makes segments of this device's log in the single-file form, then
/// removes the file. The segments are written whole in a folder of their
/// own and renamed into place, so a crash leaves either the file alone
/// or the segments (and perhaps the file, removed at the next open).
/// When segments are there already (a crash after the rename, or a
/// process of this home that migrated at the same moment), the file's
/// lines they lack are appended to them.
pub(super) fn migrate(dir: &Path, device: &str, single: &Path) -> Result<Migrated> {
    let failed = || {
        format!(
            "cannot move the review log {} into segments in {}",
            single.display(),
            device_dir(dir, device).display()
        )
    };
    let target = device_dir(dir, device);
    let migrated = if last_segment(&target)?.is_some() {
        join_into_segments(dir, device, single).with_context(failed)?
    } else {
        // What a migration that crashed half way left (the store's write
        // lock keeps two of this home from running at once).
        let leftover = format!(".{device}.segments-");
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&leftover) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let building = dir.join(format!("{leftover}{}", std::process::id()));
        let written = write_segments(single, &building).with_context(failed);
        let ends = match written {
            Ok(ends) => ends,
            Err(err) => {
                let _ = std::fs::remove_dir_all(&building);
                return Err(err);
            }
        };
        if target.is_dir() {
            // Empty folders (a crash before the first line): replaced.
            let _ = std::fs::remove_dir_all(&target);
        }
        match std::fs::rename(&building, &target) {
            Ok(()) => {
                sync_dir(dir);
                Migrated { ends: Some(ends) }
            }
            Err(_) => {
                // Another process put its segments there first.
                let _ = std::fs::remove_dir_all(&building);
                join_into_segments(dir, device, single).with_context(failed)?
            }
        }
    };
    match std::fs::remove_file(single) {
        Ok(()) => sync_dir(dir),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err).with_context(failed),
    }
    Ok(migrated)
}

/// Writes the whole lines of `single` as segments under `building`, each
/// synced; returns where each ends in `single`.
fn write_segments(single: &Path, building: &Path) -> Result<Vec<u64>> {
    let limit = segment_bytes();
    let mut reader = BufReader::with_capacity(1 << 20, File::open(single)?);
    let mut ends = Vec::new();
    let mut offset = 0u64;
    let mut text: Vec<u8> = Vec::with_capacity(limit as usize * 2);
    let mut line = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let mut flush = |text: &mut Vec<u8>, offset: u64, ends: &mut Vec<u64>| -> Result<()> {
        let path = segment_path(building, ends.len() as u64);
        create_parents(&path)?;
        std::fs::write(&path, &text)?;
        written.push(path);
        ends.push(offset);
        text.clear();
        Ok(())
    };
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 || !line.ends_with(b"\n") {
            // The end, or an unfinished last line: never acknowledged.
            break;
        }
        if text.len() as u64 >= limit {
            flush(&mut text, offset, &mut ends)?;
        }
        text.extend_from_slice(&line);
        offset += line.len() as u64;
    }
    if !text.is_empty() {
        flush(&mut text, offset, &mut ends)?;
    }
    // Synced once all are written, so that the disk takes them in one go.
    for path in &written {
        File::open(path)?.sync_all()?;
    }
    for (_, top) in numbered(building, false)? {
        for (_, middle) in numbered(&top, false)? {
            sync_dir(&middle);
        }
        sync_dir(&top);
    }
    sync_dir(building);
    Ok(ends)
}

/// Appends the lines of `single` that this device's segments lack.
fn join_into_segments(dir: &Path, device: &str, single: &Path) -> Result<Migrated> {
    let bytes = match std::fs::read(single) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Migrated { ends: None });
        }
        Err(err) => return Err(err.into()),
    };
    let mut held: HashSet<Vec<u8>> = HashSet::new();
    for (_, path) in segments(&device_dir(dir, device))? {
        let text = std::fs::read(&path)?;
        held.extend(
            text.split(|b| *b == b'\n')
                .filter(|line| !line.is_empty())
                .map(<[u8]>::to_vec),
        );
    }
    let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |at| at + 1);
    let missing: Vec<String> = bytes[..whole]
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty() && !held.contains(*line))
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect();
    if !missing.is_empty() {
        let mut log = DeviceLog::at_last_segment(&device_dir(dir, device))?;
        log.append(&missing)?;
    }
    Ok(Migrated { ends: None })
}

#[cfg(test)]
mod tests {
    use super::super::log_files;
    use super::*;

    use super::super::mark_line as line;

    #[test]
    fn a_single_file_log_becomes_segments_with_every_whole_line_and_its_offsets_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let limit = segment_bytes();
        let lines: Vec<String> = (1..=(3 * limit / 60 + 3)).map(line).collect();
        let mut text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        let whole = text.len() as u64;
        text.push_str(r#"{"seq":99999,"at""#);
        std::fs::write(dir.path().join("d.jsonl"), &text).unwrap();
        let (log, migrated) = DeviceLog::open(dir.path(), "d").unwrap();
        let migrated = migrated.unwrap();
        assert!(!dir.path().join("d.jsonl").exists());
        let files = log_files(dir.path()).unwrap();
        assert!(files.len() >= 3, "{files:?}");
        let joined: Vec<u8> = files
            .iter()
            .flat_map(|file| std::fs::read(&file.path).unwrap())
            .collect();
        assert_eq!(joined, text.as_bytes()[..whole as usize]);
        assert_eq!(migrated.position_of(whole), Some(log.end().unwrap()));
        assert_eq!(migrated.position_of(0), Some(Position::default()));
        let first = files[0].len;
        assert_eq!(
            migrated.position_of(first + 61),
            Some(Position {
                segment: 1,
                byte: 61
            })
        );
    }
}
