//! The device logs in git. A log only ever grows, one writer each, so
//! whatever git does to one (a remote whose history was rewritten, a pull
//! stopped half way, a conflict in a deck that holds the rebase back) the
//! lines this home held before must still be there after: each device's
//! log on disk is the truth for that device. Two versions of one log are
//! joined line by line, never cut.
//!
//! A log is a series of segments of which only the last still grows
//! ([`log`]): the closed ones are in this home's commits as they are on
//! disk and never change, so what git could take lines out of is the last
//! segment of each device (and a log in the single-file form of an older
//! prep). Only those are kept aside while git works, and only the logs
//! two commits hold differently are compared, so a sync costs the same
//! whatever the length of the history.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::run::{blob, checked, git_as, git_ok, git_with};
use crate::journal::log;

/// `ours` with the lines of `theirs` it lacks after it, or `None` when
/// `ours` already holds every line of `theirs`. A log that is the other's
/// beginning is the usual case (one is behind), and is joined without a
/// look at each line.
pub(super) fn joined(ours: &[u8], theirs: &[u8]) -> Option<Vec<u8>> {
    if ours.starts_with(theirs) {
        return None;
    }
    if theirs.starts_with(ours) {
        return Some(theirs.to_vec());
    }
    let held: HashSet<&[u8]> = lines(ours).collect();
    let missing: Vec<&[u8]> = lines(theirs).filter(|line| !held.contains(line)).collect();
    if missing.is_empty() {
        return None;
    }
    let mut text = ours.to_vec();
    if !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    for line in missing {
        text.extend_from_slice(line);
        text.push(b'\n');
    }
    Some(text)
}

/// The lines of a log, without their newlines (a last line without one
/// too: it is kept, not lost).
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
}

/// The logs in the sync folder that git could take lines out of (the
/// last segment of each device, and each log in the single-file form) as
/// they were before git touched them: each kept as a second name of the
/// file in the git folder (git replaces a file it checks out, never
/// writes into it, so the second name keeps what was there), or read
/// whole where the file system cannot link.
pub(super) struct Snapshot {
    /// The folder of the second names, removed when the snapshot goes.
    kept: PathBuf,
    logs: Vec<Kept>,
}

/// One log as it was.
struct Kept {
    path: PathBuf,
    len: u64,
    /// The file's device and inode, where there are such.
    identity: Option<(u64, u64)>,
    copy: Copy,
}

enum Copy {
    Linked(PathBuf),
    Read(Vec<u8>),
}

/// The device and inode of a file.
fn identity(metadata: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

impl Snapshot {
    pub(super) fn take(sync_dir: &Path, git_dir: &Path) -> Result<Snapshot> {
        let mut paths = Vec::new();
        for logs in log::devices(sync_dir)? {
            paths.extend(logs.single.map(|file| file.path));
            if let Some(folder) = &logs.segments
                && let Some(last) = log::last_segment(folder)?
            {
                paths.push(log::segment_path(folder, last));
            }
        }
        let kept = git_dir.join("prep-logs-kept");
        let _ = std::fs::remove_dir_all(&kept);
        let linkable = std::fs::create_dir_all(&kept).is_ok();
        let mut logs = Vec::new();
        for (number, path) in paths.into_iter().enumerate() {
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            let link = kept.join(number.to_string());
            let copy = if linkable && std::fs::hard_link(&path, &link).is_ok() {
                Copy::Linked(link)
            } else {
                Copy::Read(
                    std::fs::read(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                )
            };
            logs.push(Kept {
                len: metadata.len(),
                identity: identity(&metadata),
                path,
                copy,
            });
        }
        Ok(Snapshot { kept, logs })
    }

    /// Puts back every line git took out of a log (a rewritten remote, or
    /// a pull that left a shorter version); returns the logs written and
    /// how many lines they got back.
    pub(super) fn restore(&self) -> Result<(Vec<PathBuf>, usize)> {
        let mut written = Vec::new();
        let mut count = 0;
        for kept in &self.logs {
            let path = &kept.path;
            if let Ok(metadata) = std::fs::metadata(path)
                && kept.identity.is_some()
                && identity(&metadata) == kept.identity
                && metadata.len() == kept.len
            {
                // The very file, as long as it was: git left it alone.
                continue;
            }
            let before = match &kept.copy {
                Copy::Linked(link) => std::fs::read(link)
                    .with_context(|| format!("cannot read {}", link.display()))?,
                Copy::Read(bytes) => bytes.clone(),
            };
            let now = std::fs::read(path).unwrap_or_default();
            let Some(whole) = joined(&now, &before) else {
                continue;
            };
            count += lines(&whole).count().saturating_sub(lines(&now).count());
            crate::decks::deck::write_atomically(path, &whole)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path.clone());
        }
        Ok((written, count))
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.kept);
    }
}

/// The logs under `sync_rel` (relative to `root`) that `from` and `to`
/// hold differently (`to` none: the work tree, and the logs git does not
/// track), as paths relative to `root`.
fn logs_differing(
    root: &Path,
    from: &str,
    to: Option<&str>,
    sync_rel: &str,
) -> Result<Vec<String>> {
    let mut args = vec!["diff", "--name-only", "--no-renames", "-z", from];
    args.extend(to);
    args.extend(["--", sync_rel]);
    let mut listed = git_ok(root, &args)?;
    if to.is_none() {
        listed.push_str(&git_ok(
            root,
            &[
                "ls-files",
                "--others",
                "--exclude-standard",
                "-z",
                "--",
                sync_rel,
            ],
        )?);
    }
    Ok(listed
        .split('\0')
        .filter(|path| path.ends_with(&format!(".{}", log::EXTENSION)))
        .map(str::to_string)
        .collect())
}

/// While a deck conflict holds the rebase back: writes the other devices'
/// lines `incoming` has into this home's logs, so that they are applied
/// here; returns the paths written (relative to `root`), to be committed.
/// `own` are this device's log paths (its folder of segments and its
/// single file), which only this home writes.
pub(super) fn take_theirs(
    root: &Path,
    sync_rel: &str,
    own: &[String],
    incoming: &str,
) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for path in logs_differing(root, "HEAD", Some(incoming), sync_rel)? {
        if own
            .iter()
            .any(|own| path == *own || path.starts_with(&format!("{own}/")))
        {
            continue;
        }
        let Some(theirs) = blob(root, incoming, &path) else {
            continue;
        };
        let file = root.join(&path);
        let ours = std::fs::read(&file).unwrap_or_default();
        if let Some(whole) = joined(&ours, &theirs) {
            crate::decks::deck::write_atomically(&file, &whole)
                .with_context(|| format!("cannot write {}", file.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// While a deck conflict holds the rebase back: a commit on `incoming`
/// that adds the lines of this home's logs `incoming` lacks, to push, so
/// that this device's reviews reach the others all the same. `None` when
/// the remote has them all.
pub(super) fn commit_ours_on(
    root: &Path,
    git_dir: &Path,
    sync_dir: &Path,
    device: &str,
    incoming: &str,
) -> Result<Option<String>> {
    let index = git_dir.join("prep-sync-logs.index");
    let _ = std::fs::remove_file(&index);
    let env: [(&str, &OsStr); 1] = [("GIT_INDEX_FILE", index.as_os_str())];
    let in_index = |args: &[&str], input: Option<&[u8]>| -> Result<String> {
        let output = git_with(root, args, &env, input)?;
        checked(root, args, output).map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
    };
    let result = (|| {
        in_index(&["read-tree", incoming], None)?;
        let mut changed = false;
        let Some(sync_rel) = super::inside(root, sync_dir) else {
            return Ok(None);
        };
        for relative in logs_differing(root, incoming, None, &sync_rel)? {
            let path = root.join(&relative);
            let Ok(ours) = std::fs::read(&path) else {
                continue;
            };
            let theirs = blob(root, incoming, &relative).unwrap_or_default();
            let Some(whole) = joined(&theirs, &ours) else {
                continue;
            };
            let sha = in_index(&["hash-object", "-w", "--stdin"], Some(&whole))?;
            let info = format!("100644,{sha},{relative}");
            in_index(&["update-index", "--add", "--cacheinfo", &info], None)?;
            changed = true;
        }
        if !changed {
            return Ok(None);
        }
        let tree = in_index(&["write-tree"], None)?;
        let message = format!("prep sync from {device}: its logs (a deck conflict waits here)");
        let output = git_as(
            root,
            device,
            &["commit-tree", &tree, "-p", incoming, "-m", &message],
        )?;
        let sha = checked(root, &["commit-tree"], output)?;
        Ok(Some(String::from_utf8_lossy(&sha).trim().to_string()))
    })();
    let _ = std::fs::remove_file(&index);
    result
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn a_log_behind_takes_the_longer_one_and_a_log_ahead_is_left_alone() {
        assert_eq!(joined(b"a\n", b"a\nb\n"), Some(b"a\nb\n".to_vec()));
        assert_eq!(joined(b"a\nb\n", b"a\n"), None);
        assert_eq!(joined(b"", b"a\n"), Some(b"a\n".to_vec()));
        assert_eq!(joined(b"a\n", b""), None);
    }

    #[test]
    fn versions_that_went_apart_keep_every_line_of_both_once() {
        assert_eq!(joined(b"a\nc\n", b"a\nb\nc\n"), Some(b"a\nc\nb\n".to_vec()));
        assert_eq!(joined(b"a\nb\nc\n", b"a\nc\n"), None);
        // A line cut short where one version was being written is kept.
        assert_eq!(joined(b"a\nb", b"a\nc\n"), Some(b"a\nb\nc\n".to_vec()));
    }
}
