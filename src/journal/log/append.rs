//! Appending to this device's log: to its last segment, beginning the
//! next once the last has reached [`segment_bytes`], each line on disk
//! before the append returns; an unfinished line a crash left is cut off
//! first.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::migrate::migrate;
use super::{
    Migrated, Position, create_parents, device_dir, last_segment, length, segment_bytes,
    segment_path, single_file, sync_dir,
};

/// This device's log, open for appending at its last segment.
#[derive(Debug)]
pub struct DeviceLog {
    device_dir: PathBuf,
    segment: u64,
    path: PathBuf,
    file: File,
    /// The segments written by [`DeviceLog::append_unsynced`] and not yet
    /// synced, and whether their folders need syncing too.
    unsynced: Vec<(PathBuf, bool)>,
}

impl DeviceLog {
    /// Opens (creating if need be) `device`'s log in `dir`; a log in the
    /// single-file form becomes segments first (see [`Migrated`]).
    pub fn open(dir: &Path, device: &str) -> Result<(DeviceLog, Option<Migrated>)> {
        if !dir.is_dir() {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "cannot create the sync folder {}; check that its parent is writable",
                    dir.display()
                )
            })?;
        }
        let device_dir = device_dir(dir, device);
        let single = single_file(dir, device);
        let migrated = if single.is_file() {
            Some(migrate(dir, device, &single)?)
        } else {
            None
        };
        let segment = last_segment(&device_dir)?.unwrap_or(0);
        let path = segment_path(&device_dir, segment);
        let file = open_segment(&path, true)?;
        let log = DeviceLog {
            device_dir,
            segment,
            path,
            file,
            unsynced: Vec::new(),
        };
        Ok((log, migrated))
    }

    /// Opens the log in `device_dir` at its last segment, as it is.
    pub(super) fn at_last_segment(device_dir: &Path) -> Result<DeviceLog> {
        let segment = last_segment(device_dir)?.unwrap_or(0);
        let path = segment_path(device_dir, segment);
        Ok(DeviceLog {
            file: open_segment(&path, true)?,
            device_dir: device_dir.to_path_buf(),
            segment,
            path,
            unsynced: Vec::new(),
        })
    }

    /// The segment appended to now.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder of this device's segments.
    pub fn device_dir(&self) -> &Path {
        &self.device_dir
    }

    /// Where the log ends now: its last segment (another process of this
    /// home may have begun one) and that segment's length.
    pub fn end(&self) -> Result<Position> {
        let mut segment = self.segment;
        while segment_path(&self.device_dir, segment + 1).exists() {
            segment += 1;
        }
        let byte = length(&segment_path(&self.device_dir, segment))?.unwrap_or(0);
        Ok(Position { segment, byte })
    }

    /// Appends `lines` (each without its newline) and waits until they are
    /// on disk, beginning a new segment whenever the last has reached
    /// [`segment_bytes`]. Returns where the log ended before (after any
    /// unfinished line left by a crash has been cut off) and after.
    pub fn append(&mut self, lines: &[String]) -> Result<(Position, Position)> {
        self.write_lines(lines, true)
    }

    /// Appends `lines` as [`DeviceLog::append`] does, but leaves them to
    /// be synced by [`DeviceLog::sync_appended`]: for a history of many
    /// segments written at once (a generated collection, ten million
    /// reviews in 100,000 segments), where a sync of each segment and of
    /// its folder as it is made costs two journal commits of the file
    /// system each (3 ms apiece here: ten minutes).
    pub fn append_unsynced(&mut self, lines: &[String]) -> Result<(Position, Position)> {
        self.write_lines(lines, false)
    }

    /// Puts on disk every segment [`DeviceLog::append_unsynced`] wrote,
    /// and the folders it made them in: from several threads at once, so
    /// that the file system commits many in one journal transaction.
    pub fn sync_appended(&mut self) -> Result<()> {
        let mut files: Vec<PathBuf> = Vec::new();
        let mut folders: Vec<PathBuf> = Vec::new();
        for (path, made) in self.unsynced.drain(..) {
            if made && let Some(parent) = path.parent() {
                folders.push(parent.to_path_buf());
                if let Some(grandparent) = parent.parent() {
                    folders.push(grandparent.to_path_buf());
                }
            }
            files.push(path);
        }
        folders.sort();
        folders.dedup();
        const THREADS: usize = 16;
        let sync = |paths: &[PathBuf], folder: bool| -> Result<()> {
            let per_thread = paths.len().div_ceil(THREADS).max(1);
            std::thread::scope(|scope| {
                let workers: Vec<_> = paths
                    .chunks(per_thread)
                    .map(|chunk| {
                        scope.spawn(move || -> Result<()> {
                            for path in chunk {
                                if folder {
                                    sync_dir(path);
                                } else {
                                    OpenOptions::new()
                                        .append(true)
                                        .open(path)
                                        .and_then(|file| file.sync_data())
                                        .with_context(|| {
                                            format!(
                                                "cannot write the review log {}",
                                                path.display()
                                            )
                                        })?;
                                }
                            }
                            Ok(())
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .try_for_each(|worker| worker.join().expect("a sync thread panicked"))
            })
        };
        sync(&files, false)?;
        sync(&folders, true)
    }

    /// Writes `lines`, syncing each segment as it is closed and the last
    /// at the end when `synced`, else recording them for
    /// [`DeviceLog::sync_appended`].
    fn write_lines(&mut self, lines: &[String], synced: bool) -> Result<(Position, Position)> {
        let failed = |path: &Path| format!("cannot write the review log {}", path.display());
        self.follow_path().with_context(|| failed(&self.path))?;
        let before = self
            .cut_unfinished_line()
            .with_context(|| failed(&self.path))?;
        let start = Position {
            segment: self.segment,
            byte: before,
        };
        let limit = segment_bytes();
        let mut len = before;
        let mut text = String::new();
        for line in lines {
            if len + text.len() as u64 >= limit {
                self.write_out(&text, synced)
                    .with_context(|| failed(&self.path))?;
                text.clear();
                self.begin_next(synced)
                    .with_context(|| failed(&self.path))?;
                len = 0;
            }
            text.push_str(line);
            text.push('\n');
        }
        self.write_out(&text, synced)
            .with_context(|| failed(&self.path))?;
        let end = Position {
            segment: self.segment,
            byte: len + text.len() as u64,
        };
        Ok((start, end))
    }

    /// Writes `text` to the segment appended to, and syncs it when
    /// `synced`, else records it as unsynced.
    fn write_out(&mut self, text: &str, synced: bool) -> std::io::Result<()> {
        if synced {
            return self.write_synced(text);
        }
        if text.is_empty() {
            return Ok(());
        }
        self.file.write_all(text.as_bytes())?;
        if self
            .unsynced
            .last()
            .is_none_or(|(path, _)| *path != self.path)
        {
            self.unsynced.push((self.path.clone(), false));
        }
        Ok(())
    }

    fn write_synced(&mut self, text: &str) -> std::io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.file.write_all(text.as_bytes())?;
        self.file.sync_data()
    }

    /// Closes the segment appended to and opens the next; its folder is
    /// synced now when `synced`, else by [`DeviceLog::sync_appended`].
    fn begin_next(&mut self, synced: bool) -> Result<()> {
        self.segment += 1;
        self.path = segment_path(&self.device_dir, self.segment);
        self.file = open_segment(&self.path, synced)?;
        if !synced {
            self.unsynced.push((self.path.clone(), true));
        }
        Ok(())
    }

    /// Opens the file again when the path no longer names the file open
    /// (git replaces files it checks out, as a rebase in `prep sync`
    /// does: a line appended to the old one would be lost), and moves on
    /// to the last segment when another process of this home began one.
    fn follow_path(&mut self) -> Result<()> {
        if segment_path(&self.device_dir, self.segment + 1).exists() {
            while segment_path(&self.device_dir, self.segment + 1).exists() {
                self.segment += 1;
            }
            self.path = segment_path(&self.device_dir, self.segment);
            self.file = open_segment(&self.path, true)?;
            return Ok(());
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let open = self.file.metadata()?;
            let same = std::fs::metadata(&self.path)
                .is_ok_and(|named| named.ino() == open.ino() && named.dev() == open.dev());
            if !same {
                self.file = open_segment(&self.path, true)?;
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

/// Opens (creating, with its folders, if need be) a segment to append to.
/// Opens the segment at `path` for appending, creating it and its
/// folders if need be; a new segment's name is synced into its folder
/// when `sync_name` (else the caller syncs the folder later).
fn open_segment(path: &Path, sync_name: bool) -> Result<File> {
    let failed = || {
        format!(
            "cannot open the review log {}; check that it is a writable file",
            path.display()
        )
    };
    let created = !path.exists();
    if created {
        create_parents(path).with_context(failed)?;
    }
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(failed)?;
    if created
        && sync_name
        && let Some(parent) = path.parent()
    {
        sync_dir(parent);
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::super::{log_files, read_from};
    use super::*;

    use super::super::mark_line as line;

    #[test]
    fn an_unfinished_last_line_is_cut_before_the_next_append_and_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, migrated) = DeviceLog::open(dir.path(), "d").unwrap();
        assert_eq!(migrated, None);
        let first = line(1);
        let (before, after) = log.append(std::slice::from_ref(&first)).unwrap();
        let end = first.len() as u64 + 1;
        assert_eq!((before.byte, after.byte), (0, end));
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(br#"{"seq":2,"at":"2026"#)
            .unwrap();
        let files = log_files(dir.path()).unwrap();
        let read = read_from(&files[0], 0).unwrap();
        assert_eq!((read.events.len(), read.end), (1, end));
        let (before, _) = log.append(&[line(2)]).unwrap();
        assert_eq!(before.byte, end);
        let read = read_from(&log_files(dir.path()).unwrap()[0], 0).unwrap();
        assert_eq!(read.events.len(), 2);
        assert!(read.problems.is_empty());
    }

    #[test]
    fn a_segment_closes_once_it_reaches_its_length_and_the_log_goes_on_in_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _) = DeviceLog::open(dir.path(), "d").unwrap();
        let limit = segment_bytes();
        let lines: Vec<String> = (1..=(limit / 60 + 5)).map(line).collect();
        let (before, after) = log.append(&lines).unwrap();
        assert_eq!(before, Position::default());
        assert!(after.segment >= 1, "{after:?}");
        let files = log_files(dir.path()).unwrap();
        assert_eq!(files.len() as u64, after.segment + 1);
        let mut seqs = Vec::new();
        for (number, file) in files.iter().enumerate() {
            assert_eq!(file.segment, Some(number as u64));
            // Every segment but the last reached the length, by whole lines.
            if number + 1 < files.len() {
                assert!(file.len >= limit && file.len < limit + 60, "{file:?}");
            }
            seqs.extend(read_from(file, 0).unwrap().events.iter().map(|e| e.id.seq));
        }
        assert_eq!(seqs, (1..=lines.len() as u64).collect::<Vec<_>>());
        assert_eq!(log.end().unwrap(), after);
        assert_eq!(last_segment(log.device_dir()).unwrap(), Some(after.segment));
        assert_eq!(
            files[0].path,
            dir.path()
                .join("d")
                .join("00")
                .join("00")
                .join("000000.jsonl")
        );
        // A log opened again appends to its last segment.
        let (mut again, _) = DeviceLog::open(dir.path(), "d").unwrap();
        let (before, _) = again.append(&[line(1000)]).unwrap();
        assert_eq!(before, after);
    }
}
