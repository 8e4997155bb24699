//! Putting the work tree right after a `prep sync` that was stopped half
//! way (killed, or the machine went down), before the next one starts:
//! a lock left by a git that died, a rebase or a checkout the pull had
//! begun, files the pull wrote but never recorded. And telling apart a
//! rebase the user left in progress, which is the user's to finish.
//!
//! Nothing here drops a line of a log: the logs are taken before and
//! joined back after (see [`super::logs`]); what else the work tree held
//! goes to `git stash` or is moved aside, never away.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};

use super::logs::Snapshot;
use super::run::{blob, git, git_ok};

/// Where a sync notes the branch and commit it pulls onto, and the
/// commit it pulls, until the pull is over: a sync stopped in between
/// finds it there.
const PULLING: &str = "prep-sync-pulling";

/// The git directory of the work tree at `root`: `.git` is a file in a
/// linked work tree or a submodule, so git is asked.
pub(super) fn git_dir(root: &Path) -> Result<PathBuf> {
    let dir = git_ok(root, &["rev-parse", "--absolute-git-dir"])?;
    Ok(PathBuf::from(dir.trim()))
}

/// Notes a pull about to start: onto `before` on `branch`, of `incoming`.
pub(super) fn note_pull(git_dir: &Path, branch: &str, before: &str, incoming: &str) -> Result<()> {
    let marker = git_dir.join(PULLING);
    std::fs::write(&marker, format!("{branch} {before} {incoming}"))
        .with_context(|| format!("cannot write {}", marker.display()))
}

/// The pull is over.
pub(super) fn pull_done(git_dir: &Path) {
    let _ = std::fs::remove_file(git_dir.join(PULLING));
}

/// Whether a pull of `prep sync` was stopped before it was over.
pub(super) fn pull_stopped(git_dir: &Path) -> bool {
    git_dir.join(PULLING).exists()
}

fn rebasing(git_dir: &Path) -> bool {
    git_dir.join("rebase-merge").exists() || git_dir.join("rebase-apply").exists()
}

/// Puts the work tree back in order after a sync that was stopped
/// mid-way; returns what it did that the user should hear of. A git
/// still running is waited for; a lock left by one that died is
/// removed. A pull stopped in its rebase is taken back to the commit it
/// started from, which holds everything this device had (the sync
/// committed it just before); what the work tree held then is kept in
/// `git stash`. A pull stopped in its checkout, before the rebase began,
/// has files of the incoming commit written over this one's: they are
/// put back. The logs keep every line they had, whatever is put back.
pub(super) fn recover(root: &Path, git_dir: &Path, sync_dir: &Path) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    clear_lock(root, git_dir, &mut notes)?;
    let marker = git_dir.join(PULLING);
    let Ok(noted) = std::fs::read_to_string(&marker) else {
        return Ok(notes);
    };
    let mut noted = noted.split_whitespace();
    let (Some(branch), Some(before)) = (noted.next(), noted.next()) else {
        pull_done(git_dir);
        return Ok(notes);
    };
    let incoming = noted.next();
    let logs = Snapshot::take(sync_dir, git_dir)?;
    let detached = || super::branch_or_none(root).is_none();
    if rebasing(git_dir) && !git(root, &["rebase", "--abort"])?.status.success() {
        let _ = git(root, &["rebase", "--quit"]);
    }
    let head = super::run::commit_of(root, "HEAD");
    if detached() || head.as_deref() != Some(before) {
        let _ = git(
            root,
            &[
                "stash",
                "push",
                "--quiet",
                "-m",
                "prep sync: the work tree as a stopped sync left it",
            ],
        );
        git_ok(
            root,
            &["symbolic-ref", "HEAD", &format!("refs/heads/{branch}")],
        )?;
        git_ok(root, &["reset", "--quiet", "--hard", before])?;
    } else if let Some(incoming) = incoming {
        put_back_checkout(root, incoming)?;
    }
    logs.restore()?;
    pull_done(git_dir);
    Ok(notes)
}

/// After a checkout stopped before it moved HEAD: the index back to
/// HEAD, and every file that holds what `incoming` holds (so the
/// checkout wrote it) back to HEAD's version; a file the checkout
/// removed (HEAD has it, `incoming` does not) comes back. Files left as
/// neither are the user's edits and stay.
fn put_back_checkout(root: &Path, incoming: &str) -> Result<()> {
    git_ok(root, &["reset", "--quiet"])?;
    let changed = git_ok(root, &["diff", "--name-only", "-z", "HEAD"])?;
    for path in changed.split('\0').filter(|path| !path.is_empty()) {
        let file = root.join(path);
        let theirs = blob(root, incoming, path);
        let written_by_checkout = match std::fs::read(&file) {
            Ok(bytes) => theirs.is_some_and(|theirs| theirs == bytes),
            Err(_) => theirs.is_none(),
        };
        if written_by_checkout {
            git_ok(root, &["checkout", "HEAD", "--", path])?;
        }
    }
    Ok(())
}

/// Waits for git's locks (the index's, a ref's) to go, or removes them
/// when no git is left to hold them: a git killed half way leaves its
/// `*.lock` files, and every later git would refuse to start.
fn clear_lock(root: &Path, git_dir: &Path, notes: &mut Vec<String>) -> Result<()> {
    let common = git_ok(root, &["rev-parse", "--git-common-dir"])
        .map(|dir| root.join(dir.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf());
    let started = Instant::now();
    loop {
        let locks = locks_in(git_dir, &common);
        let Some(first) = locks.first() else {
            return Ok(());
        };
        if git_gone(root, git_dir, first) {
            for lock in &locks {
                std::fs::remove_file(lock)
                    .with_context(|| format!("cannot remove {}", lock.display()))?;
                notes.push(format!(
                    "removed {}, left by a git that stopped half way",
                    lock.display()
                ));
            }
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(10) {
            bail!(
                "{}: git has held this lock for 10 s; if no git command is running in {}, remove the file and run `prep sync` again",
                first.display(),
                root.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The lock files git may leave: the index's, HEAD's and any other in
/// the git directory, and the refs'.
fn locks_in(git_dir: &Path, common: &Path) -> Vec<PathBuf> {
    let mut locks = Vec::new();
    for dir in [git_dir, common] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "lock")
                && entry.file_type().is_ok_and(|kind| kind.is_file())
                && !locks.contains(&path)
            {
                locks.push(path);
            }
        }
    }
    let mut dirs = vec![common.join("refs")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "lock") {
                locks.push(path);
            }
        }
    }
    locks
}

/// Whether no git can be holding `lock`: on Linux, no `git` process
/// works in the work tree or its git directory; elsewhere, the lock is
/// over a minute old (git holds it for the length of one command).
fn git_gone(root: &Path, git_dir: &Path, lock: &Path) -> bool {
    if let Some(running) = git_running_in(root, git_dir) {
        return !running;
    }
    std::fs::metadata(lock)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age > Duration::from_secs(60))
}

/// Whether a `git` process of this user works in `root` or `git_dir`;
/// `None` where the system does not say (no `/proc`).
fn git_running_in(root: &Path, git_dir: &Path) -> Option<bool> {
    let processes = std::fs::read_dir("/proc").ok()?;
    let places: Vec<PathBuf> = [root, git_dir]
        .iter()
        .filter_map(|path| path.canonicalize().ok())
        .collect();
    let mut seen_any = false;
    for entry in processes.flatten() {
        let name = entry.file_name();
        if !name
            .to_string_lossy()
            .bytes()
            .all(|byte| byte.is_ascii_digit())
        {
            continue;
        }
        seen_any = true;
        let dir = entry.path();
        let Ok(command) = std::fs::read_to_string(dir.join("comm")) else {
            continue;
        };
        if !command.trim().starts_with("git") {
            continue;
        }
        let Ok(cwd) = std::fs::read_link(dir.join("cwd")) else {
            continue;
        };
        if places.iter().any(|place| cwd.starts_with(place)) {
            return Some(true);
        }
    }
    seen_any.then_some(false)
}

/// Fails, saying how to finish it, when a rebase prep did not start is
/// in progress (a `git pull --rebase` left to settle by hand).
pub(super) fn refuse_users_rebase(root: &Path, git_dir: &Path) -> Result<()> {
    if rebasing(git_dir) {
        bail!(
            "{root}: a rebase is in progress that prep did not start; settle its conflicts and run `git -C {root} rebase --continue`, or take it back with `git -C {root} rebase --abort`, then run `prep sync`",
            root = root.display()
        );
    }
    Ok(())
}

/// Untracked files in the way of checking out `incoming` (a checkout
/// stopped half way writes them without recording them): one that holds
/// what `incoming` holds there, or the beginning of it, is removed; any
/// other is moved aside, under a name of its own, and said.
pub(super) fn clear_untracked(
    root: &Path,
    sync_rel: Option<&str>,
    incoming: &str,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    // Another device's log a checkout stopped half way wrote over: prep
    // never changes one in the work tree, so one that holds the
    // beginning of what HEAD or `incoming` holds goes back to HEAD's
    // (the rebase then brings the rest), rather than being joined with
    // the whole by the stash the rebase takes.
    if let Some(sync_rel) = sync_rel {
        let changed = git_ok(root, &["diff", "--name-only", "-z", "HEAD", "--", sync_rel])?;
        for path in changed.split('\0').filter(|path| !path.is_empty()) {
            let Ok(ours) = std::fs::read(root.join(path)) else {
                continue;
            };
            let held = |commit: &str| {
                blob(root, commit, path).is_some_and(|theirs| theirs.starts_with(&ours))
            };
            if held("HEAD") || held(incoming) {
                git_ok(root, &["checkout", "HEAD", "--", path])?;
            }
        }
    }
    let untracked = git_ok(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for path in untracked.split('\0').filter(|path| !path.is_empty()) {
        let Some(theirs) = blob(root, incoming, path) else {
            continue;
        };
        let file = root.join(path);
        let Ok(ours) = std::fs::read(&file) else {
            continue;
        };
        if theirs.starts_with(&ours) {
            std::fs::remove_file(&file)
                .with_context(|| format!("cannot remove {}", file.display()))?;
            continue;
        }
        let aside = (1..)
            .map(|n| PathBuf::from(format!("{}.aside-{n}", file.display())))
            .find(|candidate| !candidate.exists())
            .expect("some number is free");
        std::fs::rename(&file, &aside)
            .with_context(|| format!("cannot move {} aside", file.display()))?;
        notes.push(format!(
            "moved {} aside to {}: the remote holds that file with other contents",
            file.display(),
            aside.display()
        ));
    }
    Ok(notes)
}
