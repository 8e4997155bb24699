//! The log files. A device's log is a series of *segments*,
//! `DEVICE/AA/BB/NNNNNN.jsonl` in the sync folder: this device appends to
//! its last one, and begins the next once the last has reached
//! [`segment_bytes`], so every other segment stops changing. Git then
//! commits, sends and stores only the segment still growing and the few
//! small folders above it (a hundred entries at most each), whatever the
//! length of the history; a reader records a closed segment as read once
//! and never looks at it again. A device running an older prep keeps its
//! whole log in one file, `DEVICE.jsonl`, which is read the same way; this
//! device's own such file becomes segments the first time it is opened.
//!
//! A line is whole once its newline is on disk; a line without one at the
//! end of a file is a write that never finished (on this device, a crash
//! before the review was acknowledged: it is cut off before the next
//! append; on another, a copy still under way: it is read when it is
//! whole).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};

use super::event::{Event, is_device_id};

mod append;
mod migrate;

pub use append::DeviceLog;
pub use migrate::Migrated;

/// The extension of a log file.
pub const EXTENSION: &str = "jsonl";

/// The length at which a segment is closed: a hundred lines or so. Small,
/// because git stores each version of the open segment whole (a push of a
/// few objects is kept unpacked on the remote, each object compressed on
/// its own), and a sync sends the open segment as it is.
pub const SEGMENT_BYTES: u64 = 32 * 1024;

/// The length at which this process closes a segment and counts one as
/// closed: [`SEGMENT_BYTES`], or `PREP_LOG_SEGMENT_BYTES` when set (for
/// tests, which close segments after a line or two).
pub fn segment_bytes() -> u64 {
    static BYTES: OnceLock<u64> = OnceLock::new();
    *BYTES.get_or_init(|| {
        std::env::var("PREP_LOG_SEGMENT_BYTES")
            .ok()
            .and_then(|text| text.parse().ok())
            .filter(|bytes| *bytes > 0)
            .unwrap_or(SEGMENT_BYTES)
    })
}

/// Where a device's log is read or written up to: a segment, and the
/// bytes of it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub segment: u64,
    pub byte: u64,
}

/// The folder of `device`'s segments in the sync folder `dir`.
pub fn device_dir(dir: &Path, device: &str) -> PathBuf {
    dir.join(device)
}

/// `device`'s log in the form an older prep writes: one file.
pub fn single_file(dir: &Path, device: &str) -> PathBuf {
    dir.join(format!("{device}.{EXTENSION}"))
}

/// Segment `segment` of the device whose folder is `device_dir`: two
/// levels of folders of a hundred, so that no folder git rewrites on a
/// commit is long.
pub fn segment_path(device_dir: &Path, segment: u64) -> PathBuf {
    device_dir
        .join(format!("{:02}", segment / 10_000))
        .join(format!("{:02}", segment / 100 % 100))
        .join(format!("{segment:06}.{EXTENSION}"))
}

/// The numbered entries of `dir` (folders, or segments when `files`),
/// by number; none when it does not exist.
fn numbered(dir: &Path, files: bool) -> Result<Vec<(u64, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let digits = if files {
            name.strip_suffix(&format!(".{EXTENSION}"))
        } else {
            Some(name)
        };
        let Some(number) = digits
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u64>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir != files {
            found.push((number, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// Every segment in `device_dir`, in order.
pub fn segments(device_dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let mut all = Vec::new();
    for (_, top) in numbered(device_dir, false)? {
        for (_, middle) in numbered(&top, false)? {
            all.extend(numbered(&middle, true)?);
        }
    }
    all.sort();
    Ok(all)
}

/// The number of the last segment in `device_dir`, found from the top
/// folders down: a few short listings, whatever the length of the log.
pub fn last_segment(device_dir: &Path) -> Result<Option<u64>> {
    for (_, top) in numbered(device_dir, false)?.into_iter().rev() {
        for (_, middle) in numbered(&top, false)?.into_iter().rev() {
            if let Some((last, _)) = numbered(&middle, true)?.pop() {
                return Ok(Some(last));
            }
        }
    }
    Ok(None)
}

/// The length of the file at `path`, none when there is none.
fn length(path: &Path) -> Result<Option<u64>> {
    match std::fs::metadata(path) {
        Ok(metadata) => Ok(Some(metadata.len())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Syncs a folder, so that a name made in it survives a crash as the
/// lines in the file do.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// Creates the folders above `path` that are missing, each synced into
/// its parent.
fn create_parents(path: &Path) -> std::io::Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    if parent.is_dir() {
        return Ok(());
    }
    create_parents(parent)?;
    std::fs::create_dir(parent).or_else(|err| {
        if err.kind() == std::io::ErrorKind::AlreadyExists {
            Ok(())
        } else {
            Err(err)
        }
    })?;
    if let Some(grandparent) = parent.parent() {
        sync_dir(grandparent);
    }
    Ok(())
}

/// A log file in the sync folder: a segment, or a whole log in the
/// single-file form.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub device: String,
    pub path: PathBuf,
    pub len: u64,
    /// Its number, for a segment.
    pub segment: Option<u64>,
}

/// A device with a log in the sync folder.
#[derive(Debug, Clone)]
pub struct DeviceLogs {
    pub device: String,
    /// Its log in the single-file form (an older prep's), if any.
    pub single: Option<LogFile>,
    /// Its folder of segments, if any.
    pub segments: Option<PathBuf>,
}

/// The devices with logs in `dir` (none when it does not exist), by
/// name: one listing of the folder, and the length of each single file.
/// Other files are not prep's and are left alone.
pub fn devices(dir: &Path) -> Result<Vec<DeviceLogs>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(err)
                .with_context(|| format!("cannot read the sync folder {}", dir.display()));
        }
    };
    let mut found: HashMap<String, DeviceLogs> = HashMap::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let (device, single) = match name.strip_suffix(&format!(".{EXTENSION}")) {
            Some(device) if metadata.is_file() => (device, true),
            _ if metadata.is_dir() => (name, false),
            _ => continue,
        };
        if !is_device_id(device) {
            continue;
        }
        let logs = found
            .entry(device.to_string())
            .or_insert_with(|| DeviceLogs {
                device: device.to_string(),
                single: None,
                segments: None,
            });
        if single {
            logs.single = Some(LogFile {
                device: device.to_string(),
                len: metadata.len(),
                path,
                segment: None,
            });
        } else {
            logs.segments = Some(path);
        }
    }
    let mut devices: Vec<DeviceLogs> = found.into_values().collect();
    devices.sort_by(|a, b| a.device.cmp(&b.device));
    Ok(devices)
}

/// The segments of `device` in `dir` from number `from` on, each looked at
/// in turn until one is missing, with their lengths.
pub fn segments_from(dir: &Path, device: &str, from: u64) -> Result<Vec<LogFile>> {
    let folder = device_dir(dir, device);
    let mut files = Vec::new();
    let mut segment = from;
    loop {
        let path = segment_path(&folder, segment);
        let Some(len) = length(&path)? else {
            break;
        };
        files.push(LogFile {
            device: device.to_string(),
            path,
            len,
            segment: Some(segment),
        });
        segment += 1;
    }
    Ok(files)
}

/// Every segment of `device` in its folder `folder`, in order, with their
/// lengths. Reads every folder: for what looks at every line.
pub fn segment_files(device: &str, folder: &Path) -> Result<Vec<LogFile>> {
    let mut files = Vec::new();
    for (segment, path) in segments(folder)? {
        let len = length(&path)?.unwrap_or(0);
        files.push(LogFile {
            device: device.to_string(),
            path,
            len,
            segment: Some(segment),
        });
    }
    Ok(files)
}

/// Every log file in `dir`: the single files and every segment, by device
/// and then in order. Reads every folder: for `prep check` and for
/// writing back a log cut by hand, which look at every line.
pub fn log_files(dir: &Path) -> Result<Vec<LogFile>> {
    let mut files = Vec::new();
    for logs in devices(dir)? {
        files.extend(logs.single);
        if let Some(folder) = &logs.segments {
            files.extend(segment_files(&logs.device, folder)?);
        }
    }
    Ok(files)
}

/// The longest line prep reads: a change is a few hundred bytes, a setup
/// line a few kilobytes; a longer line is damage, and reading it would
/// store it.
pub const LONGEST_LINE: usize = 64 * 1024;

/// How a line that is set aside is reported: `FILE: byte N: why; …`.
pub fn set_aside(path: &Path, byte: u64, why: &anyhow::Error) -> String {
    format!(
        "{}: byte {byte}: {why:#}; the line is set aside",
        path.display()
    )
}

/// What reading a log from an offset found.
#[derive(Debug, Default)]
pub struct LogRead {
    pub events: Vec<Event>,
    /// Where each event's line starts in the file.
    pub offsets: Vec<u64>,
    /// Lines that are not changes prep can read: `FILE: byte N: why`.
    pub problems: Vec<String>,
    /// Where the next read starts: after the last whole line.
    pub end: u64,
}

/// The whole line that ends at byte `end` of `file` (its newline the byte
/// before), or none when no line ends there: the file was rewritten.
pub fn line_ending_at(file: &LogFile, end: u64) -> Result<Option<Vec<u8>>> {
    if end == 0 || end > file.len {
        return Ok(None);
    }
    let start = end.saturating_sub(LONGEST_LINE as u64 + 1);
    let mut handle = File::open(&file.path)
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    handle
        .seek(SeekFrom::Start(start))
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    let mut bytes = vec![0; (end - start) as usize];
    handle
        .read_exact(&mut bytes)
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    let Some((b'\n', before)) = bytes.split_last() else {
        return Ok(None);
    };
    Ok(Some(match memchr::memrchr(b'\n', before) {
        Some(at) => before[at + 1..].to_vec(),
        None if start == 0 => before.to_vec(),
        None => return Ok(None),
    }))
}

/// Reads the whole lines of `file` from byte `from`.
pub fn read_from(file: &LogFile, from: u64) -> Result<LogRead> {
    let mut handle = File::open(&file.path)
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    handle
        .seek(SeekFrom::Start(from))
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    let mut bytes = Vec::new();
    handle
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read the review log {}", file.path.display()))?;
    let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |at| at + 1);
    let mut read = LogRead {
        end: from + whole as u64,
        ..LogRead::default()
    };
    let mut offset = from;
    // The card each number was given to here: a number given twice is
    // another device's mistake, and the later line is set aside.
    let mut numbered: HashMap<u64, String> = HashMap::new();
    for line in bytes[..whole].split(|b| *b == b'\n') {
        let start = offset;
        offset += line.len() as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = if line.len() > LONGEST_LINE {
            Err(anyhow::anyhow!(
                "a line of {} bytes is longer than any change prep writes ({} KiB at most)",
                line.len(),
                LONGEST_LINE / 1024
            ))
        } else {
            std::str::from_utf8(line)
                .map_err(|_| anyhow::anyhow!("not UTF-8"))
                .and_then(|line| Event::parse(&file.device, line))
        };
        let parsed = parsed.and_then(|event| match numbered.get(&event.id.seq) {
            Some(card) if *card != event.card => Err(anyhow::anyhow!(
                "number {} is given to an earlier line too (of card {card:?}), which is kept",
                event.id.seq
            )),
            _ => {
                numbered.insert(event.id.seq, event.card.clone());
                Ok(event)
            }
        });
        match parsed {
            Ok(event) => {
                read.events.push(event);
                read.offsets.push(start);
            }
            Err(err) => read.problems.push(set_aside(&file.path, start, &err)),
        }
    }
    Ok(read)
}

/// A line of the log, for tests: a mark numbered `seq`.
#[cfg(test)]
fn mark_line(seq: u64) -> String {
    format!(r#"{{"seq":{seq},"at":"2026-12-01T10:00:00Z","op":"mark","card":"c"}}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_named_in_two_levels_of_folders_of_a_hundred() {
        let folder = Path::new("d");
        assert_eq!(segment_path(folder, 7), Path::new("d/00/00/000007.jsonl"));
        assert_eq!(
            segment_path(folder, 12_345),
            Path::new("d/01/23/012345.jsonl")
        );
        assert_eq!(
            segment_path(folder, 1_234_567),
            Path::new("d/123/45/1234567.jsonl")
        );
    }

    #[test]
    fn damaged_lines_are_reported_with_their_place_and_others_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("other.jsonl"),
            "garbage\n{\"seq\":1,\"at\":\"2026-12-01T10:00:00Z\",\"op\":\"mark\",\"card\":\"c\"}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a log").unwrap();
        let files = log_files(dir.path()).unwrap();
        assert_eq!(files.len(), 1);
        let read = read_from(&files[0], 0).unwrap();
        assert_eq!(read.events.len(), 1);
        assert_eq!(read.problems.len(), 1);
        assert!(
            read.problems[0].contains("other.jsonl: byte 0:"),
            "{:?}",
            read.problems
        );
    }

    #[test]
    fn the_line_ending_at_an_offset_is_found_or_the_file_was_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        std::fs::write(&path, "first\nsecond\nthird").unwrap();
        let file = &log_files(dir.path()).unwrap()[0];
        assert_eq!(line_ending_at(file, 6).unwrap(), Some(b"first".to_vec()));
        assert_eq!(line_ending_at(file, 13).unwrap(), Some(b"second".to_vec()));
        // No newline before 8, and nothing ends at 0 or past the end.
        assert_eq!(line_ending_at(file, 8).unwrap(), None);
        assert_eq!(line_ending_at(file, 0).unwrap(), None);
        assert_eq!(line_ending_at(file, 99).unwrap(), None);
    }
}
