//! The log files: this device's, which only this home appends to, and
//! reading every device's from where the store left off. A line is
//! whole once its newline is on disk; a line without one at the end of
//! a file is a write that never finished (on this device, a crash before
//! the review was acknowledged: it is cut off before the next append;
//! on another, a copy still under way: it is read when it is whole).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::event::{Event, is_device_id};

/// The extension of a device's log.
pub const EXTENSION: &str = "jsonl";

/// This device's log, open for appending.
#[derive(Debug)]
pub struct DeviceLog {
    path: PathBuf,
    file: File,
}

impl DeviceLog {
    /// Opens (creating if need be) `DEVICE.jsonl` in `dir`.
    pub fn open(dir: &Path, device: &str) -> Result<DeviceLog> {
        let path = dir.join(format!("{device}.{EXTENSION}"));
        let created = !path.exists();
        if created {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "cannot create the sync folder {}; check that its parent is writable",
                    dir.display()
                )
            })?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .with_context(|| {
                format!(
                    "cannot open the review log {}; check that it is a writable file",
                    path.display()
                )
            })?;
        if created {
            // The new name must survive a crash as the lines in it do.
            if let Ok(dir) = File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(DeviceLog { path, file })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The length of the file the path names now.
    pub fn byte_len(&self) -> Result<u64> {
        match std::fs::metadata(&self.path) {
            Ok(metadata) => Ok(metadata.len()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", self.path.display())),
        }
    }

    /// Appends `lines` (each without its newline) and waits until they are
    /// on disk. Returns the length before and after; before is after any
    /// unfinished line left by a crash has been cut off.
    pub fn append(&mut self, lines: &[String]) -> Result<(u64, u64)> {
        let failed = |path: &Path| format!("cannot write the review log {}", path.display());
        self.follow_path().with_context(|| failed(&self.path))?;
        let before = self
            .cut_unfinished_line()
            .with_context(|| failed(&self.path))?;
        let mut text = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
            .with_context(|| failed(&self.path))?;
        Ok((before, before + text.len() as u64))
    }

    /// Opens the file again when the path no longer names the file open
    /// (git replaces files it checks out, as a rebase in `prep sync`
    /// does): a line appended to the old one would be lost.
    fn follow_path(&mut self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let open = self.file.metadata()?;
            let same = std::fs::metadata(&self.path)
                .is_ok_and(|named| named.ino() == open.ino() && named.dev() == open.dev());
            if !same {
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                self.file = OpenOptions::new()
                    .read(true)
                    .append(true)
                    .create(true)
                    .open(&self.path)?;
            }
        }
        Ok(())
    }

    /// Cuts a last line without its newline; returns the length after.
    fn cut_unfinished_line(&mut self) -> std::io::Result<u64> {
        let len = self.file.metadata()?.len();
        if len == 0 {
            return Ok(0);
        }
        let mut last = [0u8];
        self.file.seek(SeekFrom::Start(len - 1))?;
        self.file.read_exact(&mut last)?;
        if last[0] == b'\n' {
            return Ok(len);
        }
        // Find the end of the last whole line.
        let mut end = len - 1;
        let mut chunk = vec![0u8; 4096];
        while end > 0 {
            let start = end.saturating_sub(chunk.len() as u64);
            let piece = &mut chunk[..(end - start) as usize];
            self.file.seek(SeekFrom::Start(start))?;
            self.file.read_exact(piece)?;
            if let Some(at) = memchr::memrchr(b'\n', piece) {
                end = start + at as u64 + 1;
                break;
            }
            end = start;
        }
        self.file.set_len(end)?;
        self.file.sync_data()?;
        Ok(end)
    }
}

/// A device's log in the sync folder.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub device: String,
    pub path: PathBuf,
    pub len: u64,
}

/// The logs in `dir` (none when it does not exist), by device name.
/// Other files are not prep's and are left alone.
pub fn log_files(dir: &Path) -> Result<Vec<LogFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(err)
                .with_context(|| format!("cannot read the sync folder {}", dir.display()));
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        let Some(device) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(&format!(".{EXTENSION}")))
        else {
            continue;
        };
        if !is_device_id(device) {
            continue;
        }
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if metadata.is_file() {
            files.push(LogFile {
                device: device.to_string(),
                len: metadata.len(),
                path,
            });
        }
    }
    files.sort_by(|a, b| a.device.cmp(&b.device));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_last_line_is_cut_before_the_next_append_and_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = DeviceLog::open(dir.path(), "d").unwrap();
        let line = r#"{"seq":1,"at":"2026-12-01T10:00:00Z","op":"mark","card":"c"}"#;
        let (before, after) = log.append(&[line.to_string()]).unwrap();
        assert_eq!((before, after), (0, line.len() as u64 + 1));
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(br#"{"seq":2,"at":"2026"#)
            .unwrap();
        let files = log_files(dir.path()).unwrap();
        let read = read_from(&files[0], 0).unwrap();
        assert_eq!((read.events.len(), read.end), (1, after));
        let (before, _) = log
            .append(&[line.replace("\"seq\":1", "\"seq\":2")])
            .unwrap();
        assert_eq!(before, after);
        let read = read_from(&log_files(dir.path()).unwrap()[0], 0).unwrap();
        assert_eq!(read.events.len(), 2);
        assert!(read.problems.is_empty());
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
