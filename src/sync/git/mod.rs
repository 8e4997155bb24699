//! `prep sync` with git: the user's own `git` binary, run in the work tree
//! that holds the sync folder (or the home). Commit this device's log and
//! the changed decks, fetch, rebase onto what came, and push. Device logs
//! never conflict (one writer each, and git is told to join their lines);
//! a deck edited on two machines merges as text, and a conflict git cannot
//! merge takes the rebase back, so both versions stay where they were:
//! this device's in its commit, the other's on the remote, while the logs
//! are exchanged all the same.
//!
//! Each device's log on disk is the truth for that device: a remote whose
//! history was rewritten (a `git push --force` of an older commit) gets
//! back every commit and every line this home had ([`logs`]). A sync
//! stopped half way is put right by the next one ([`repair`]).

mod decks;
mod init;
mod logs;
mod repair;
mod run;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

pub use decks::DeckPulled;
pub use init::{Initialised, init};
pub use run::available;
use run::{commit_of, git, git_as, git_ok, is_ancestor, last_words};

/// What a sync did in git.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Synced {
    /// The work tree.
    pub root: PathBuf,
    /// The remote pulled from and pushed to.
    pub remote: String,
    /// Whether this device had something to commit.
    pub committed: bool,
    /// Whether the remote had commits this device did not.
    pub pulled: bool,
    pub pushed: bool,
    /// Whether the remote no longer held commits it had given this home
    /// or taken from it (a force-push): they were pushed back.
    pub rewritten: bool,
    /// Lines of logs git had taken out of the work tree, put back.
    pub restored_lines: usize,
    /// What was put right on the way, for the user to hear of.
    pub notes: Vec<String>,
    /// What the pull changed in the decks, per deck.
    pub decks: Vec<DeckPulled>,
    /// A deck conflict that holds the rebase back: the logs were
    /// exchanged, the decks wait for the user.
    pub conflict: Option<Conflict>,
}

/// A conflict git could not merge: the files, for the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}: edited here and on another device in ways git cannot merge; nothing was lost: this device's version is committed in {root}, the other is on {remote}. Run `git -C {root} pull --rebase`, settle the file, `git rebase --continue`, then `prep sync`",
    files.join(", "),
    root = root.display()
)]
pub struct Conflict {
    pub root: PathBuf,
    pub remote: String,
    pub files: Vec<String>,
}

/// The paths of a home that are prep's private state, never committed.
pub const IGNORED: &[&str] = &[
    "prep.sqlite",
    "prep.sqlite-wal",
    "prep.sqlite-shm",
    "prep.sqlite-journal",
    "prep.sqlite.backup-*",
    "quiz.lock",
    // This home's own keeping of what was deleted (see `decks::deleted`).
    "deleted/",
];

/// The work tree holding `dir`, if it is in one.
pub fn work_tree(dir: &Path) -> Result<Option<PathBuf>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let output = git(dir, &["rev-parse", "--show-toplevel"])?;
    if !output.status.success() {
        return Ok(None);
    }
    let root = String::from_utf8_lossy(&output.stdout).trim().to_string();
    Ok((!root.is_empty()).then(|| PathBuf::from(root)))
}

/// What `prep check` says of a sync stopped half way in the work tree
/// holding `home` (the next `prep sync` puts it right).
pub fn interrupted(home: &Path) -> Result<Option<String>> {
    let Some(root) = work_tree(home)? else {
        return Ok(None);
    };
    let git_dir = repair::git_dir(&root)?;
    Ok(repair::pull_stopped(&git_dir).then(|| {
        format!(
            "{}: a sync was stopped in the middle of its pull; run `prep sync` to put it right",
            root.display()
        )
    }))
}

/// The remote to sync with: `origin` when there is one, else the only one.
fn remote(root: &Path) -> Result<String> {
    let remotes = git_ok(root, &["remote"])?;
    let remotes: Vec<&str> = remotes
        .lines()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    match remotes.as_slice() {
        [] => bail!(
            "{}: the git work tree has no remote; add one (`git -C {} remote add origin URL`) or run `prep sync --init URL`",
            root.display(),
            root.display()
        ),
        [only] => Ok(only.to_string()),
        many => Ok(if many.contains(&"origin") {
            "origin".to_string()
        } else {
            many[0].to_string()
        }),
    }
}

/// The branch checked out, `main` on a repository with no commit yet.
fn branch(root: &Path) -> Result<String> {
    let name = git_ok(root, &["symbolic-ref", "--short", "HEAD"]).with_context(|| {
        format!(
            "{}: no branch is checked out; check one out with `git switch BRANCH`",
            root.display()
        )
    })?;
    Ok(name.trim().to_string())
}

/// Whether `remote` has `branch`.
fn remote_has(root: &Path, remote: &str, branch: &str) -> Result<bool> {
    let heads = git_ok(root, &["ls-remote", "--heads", remote, branch])?;
    Ok(!heads.trim().is_empty())
}

/// Commits `paths` (relative to `root`; deletions too) when they changed.
fn commit(root: &Path, device: &str, paths: &[String], message: &str) -> Result<bool> {
    if paths.is_empty() {
        return Ok(false);
    }
    let mut add = vec!["add", "-A", "--"];
    add.extend(paths.iter().map(String::as_str));
    git_ok(root, &add)?;
    let staged = git(root, &["diff", "--cached", "--quiet"])?;
    if staged.status.success() {
        return Ok(false);
    }
    let args = ["commit", "--quiet", "--no-verify", "-m", message];
    let output = git_as(root, device, &args)?;
    run::checked(root, &args, output)?;
    Ok(true)
}

/// `path` relative to `root`, if it is inside.
fn inside(root: &Path, path: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let path = match path.canonicalize() {
        Ok(path) => path,
        // Not there yet: its parent must be.
        Err(_) => path.parent()?.canonicalize().ok()?.join(path.file_name()?),
    };
    let relative = path.strip_prefix(&root).ok()?;
    Some(if relative.as_os_str().is_empty() {
        ".".to_string()
    } else {
        relative.to_string_lossy().into_owned()
    })
}

/// What a home commits: this device's log, the decks, the config.
pub struct Paths<'a> {
    pub home: &'a Path,
    pub sync_dir: &'a Path,
    pub device: &'a str,
}

impl Paths<'_> {
    /// This device's log: its folder of segments, and the single file an
    /// older prep wrote (gone once it became segments, and committed as
    /// gone).
    pub(crate) fn logs(&self) -> [PathBuf; 2] {
        [
            crate::journal::log::device_dir(self.sync_dir, self.device),
            crate::journal::log::single_file(self.sync_dir, self.device),
        ]
    }

    /// The paths to commit, relative to `root`: this device's log, the
    /// decks and config.yaml where they are in the work tree.
    fn to_commit(&self, root: &Path) -> Vec<String> {
        let mut paths = Vec::new();
        let [segments, single] = self.logs();
        for path in [
            segments,
            single,
            self.home.join("decks"),
            crate::config::Config::path(self.home),
            self.home.join(".gitignore"),
        ] {
            // A path deleted here but tracked is committed as deleted.
            if let Some(relative) = inside(root, &path)
                && (path.exists()
                    || git_ok(root, &["ls-files", "--", &relative])
                        .is_ok_and(|listed| !listed.trim().is_empty()))
            {
                paths.push(relative);
            }
        }
        paths
    }
}

/// What `prep sync` asks of the store around the git commands.
pub trait Hooks {
    /// Runs `body` with this home's writes held back (commit and pull
    /// rewrite this device's log).
    fn holding_writes(&mut self, body: &mut dyn FnMut() -> Result<()>) -> Result<()>;
    /// Applies what the pull brought.
    fn replay(&mut self) -> Result<()>;
}

/// Commits, fetches, rebases onto what came and pushes; the hooks hold
/// writes back during the commit and the pull, and replay after it (and
/// again after a retried one).
pub fn sync(paths: &Paths, hooks: &mut dyn Hooks) -> Result<Synced> {
    let root = match work_tree(paths.sync_dir)? {
        Some(root) => root,
        None => work_tree(paths.home)?.ok_or_else(|| {
            anyhow!(
                "{} is not in a git work tree; run `prep sync --init URL` to sync through a git remote, or sync {} with a file-sync tool (prep reads it at every start)",
                paths.home.display(),
                paths.sync_dir.display()
            )
        })?,
    };
    let git_dir = repair::git_dir(&root)?;
    let remote = remote(&root)?;
    let mut synced = Synced {
        root: root.clone(),
        remote: remote.clone(),
        ..Synced::default()
    };
    hooks.holding_writes(&mut || {
        synced
            .notes
            .extend(repair::recover(&root, &git_dir, paths.sync_dir)?);
        Ok(())
    })?;
    repair::refuse_users_rebase(&root, &git_dir)?;
    let branch = branch(&root)?;
    ensure_ignored(&root, paths.home)?;
    ensure_local_rules(&root, paths)?;
    let to_commit = paths.to_commit(&root);
    for attempt in 0..3 {
        let has_branch = remote_has(&root, &remote, &branch)?;
        let mut logs_commit = None;
        hooks.holding_writes(&mut || {
            synced.committed |= commit(
                &root,
                paths.device,
                &to_commit,
                &format!("prep sync from {}", paths.device),
            )?;
            if has_branch {
                let pulled = pull(&root, &git_dir, paths, &remote, &branch)?;
                synced.pulled |= pulled.changed;
                synced.rewritten |= pulled.rewritten;
                synced.restored_lines += pulled.restored_lines;
                synced.notes.extend(pulled.notes);
                synced.decks.extend(pulled.decks);
                synced.conflict = pulled.conflict;
                logs_commit = pulled.logs_commit;
            }
            Ok(())
        })?;
        if has_branch {
            hooks.replay()?;
        }
        if synced.conflict.is_some() {
            // The decks wait; this device's reviews go all the same, on
            // top of what the remote holds.
            if let Some(commit) = logs_commit {
                let pushed = git(
                    &root,
                    &[
                        "push",
                        "--quiet",
                        &remote,
                        &format!("{commit}:refs/heads/{branch}"),
                    ],
                )?;
                synced.pushed = pushed.status.success();
            }
            return Ok(synced);
        }
        let pushed = git(
            &root,
            &["push", "--quiet", "-u", &remote, &format!("HEAD:{branch}")],
        )?;
        if pushed.status.success() {
            synced.pushed = true;
            return Ok(synced);
        }
        // Someone pushed in between: pull again and retry.
        if attempt == 2 {
            bail!(
                "`git push {remote}` failed in {}: {}",
                root.display(),
                last_words(&pushed)
            );
        }
    }
    Ok(synced)
}

/// What one pull did.
#[derive(Default)]
struct Pulled {
    changed: bool,
    rewritten: bool,
    restored_lines: usize,
    notes: Vec<String>,
    decks: Vec<DeckPulled>,
    conflict: Option<Conflict>,
    /// With a conflict: a commit on the remote's holding this home's log
    /// lines, to push.
    logs_commit: Option<String>,
}

/// Fetches `branch` and rebases this home's commits onto it. Every
/// commit of this home the remote lacks is replayed, those it lost to a
/// rewritten history too (no fork point is guessed from what the remote
/// once held), and the logs keep every line they had. A deck conflict
/// takes the rebase back and exchanges the logs alone.
fn pull(root: &Path, git_dir: &Path, paths: &Paths, remote: &str, branch: &str) -> Result<Pulled> {
    let mut pulled = Pulled::default();
    let known = commit_of(root, &format!("refs/remotes/{remote}/{branch}"));
    git_ok(root, &["fetch", "--quiet", remote, branch])?;
    let incoming = commit_of(root, "FETCH_HEAD").ok_or_else(|| {
        anyhow!(
            "`git fetch {remote} {branch}` in {} brought no commit",
            root.display()
        )
    })?;
    pulled.rewritten = known
        .as_deref()
        .is_some_and(|known| known != incoming && !is_ancestor(root, known, &incoming));
    let before = git_ok(root, &["rev-parse", "HEAD"])?.trim().to_string();
    repair::note_pull(git_dir, branch, &before, &incoming)?;
    let result = rebase(root, git_dir, paths, remote, &incoming, &mut pulled);
    repair::pull_done(git_dir);
    result?;
    pulled.changed = commit_of(root, "HEAD").as_deref() != Some(before.as_str());
    if pulled.changed && pulled.conflict.is_none() {
        pulled.decks = decks::pulled(root, paths.home, &before, &incoming)?;
    }
    Ok(pulled)
}

fn rebase(
    root: &Path,
    git_dir: &Path,
    paths: &Paths,
    remote: &str,
    incoming: &str,
    pulled: &mut Pulled,
) -> Result<()> {
    let sync_rel = inside(root, paths.sync_dir);
    pulled.notes.extend(repair::clear_untracked(
        root,
        sync_rel.as_deref(),
        incoming,
    )?);
    let logs = logs::Snapshot::take(paths.sync_dir, git_dir)?;
    let args = [
        "rebase",
        "--quiet",
        "--no-fork-point",
        "--autostash",
        incoming,
    ];
    let output = git_as(root, paths.device, &args)?;
    if !output.status.success() {
        let conflicted =
            git_ok(root, &["diff", "--name-only", "--diff-filter=U"]).unwrap_or_default();
        let files: Vec<String> = conflicted.lines().map(str::to_string).collect();
        if git_dir.join("rebase-merge").exists() || git_dir.join("rebase-apply").exists() {
            let _ = git(root, &["rebase", "--abort"]);
        }
        logs.restore()?;
        if files.is_empty() {
            bail!(
                "`git rebase {incoming}` (what {remote} holds) failed in {}: {}",
                root.display(),
                last_words(&output)
            );
        }
        exchange_logs(root, git_dir, paths, incoming, pulled)?;
        pulled.conflict = Some(Conflict {
            root: root.to_path_buf(),
            remote: remote.to_string(),
            files,
        });
        return Ok(());
    }
    let (restored, lines) = logs.restore()?;
    if !restored.is_empty() {
        let restored: Vec<String> = restored
            .iter()
            .filter_map(|path| inside(root, path))
            .collect();
        commit(
            root,
            paths.device,
            &restored,
            &format!(
                "prep sync from {}: log lines git had taken out, put back",
                paths.device
            ),
        )?;
        pulled.restored_lines = lines;
    }
    Ok(())
}

/// With the decks held back by a conflict: the other devices' lines in,
/// committed here, and this device's out in a commit on `incoming`.
fn exchange_logs(
    root: &Path,
    git_dir: &Path,
    paths: &Paths,
    incoming: &str,
    pulled: &mut Pulled,
) -> Result<()> {
    let Some(sync_rel) = inside(root, paths.sync_dir) else {
        return Ok(());
    };
    let own: Vec<String> = paths
        .logs()
        .iter()
        .filter_map(|path| inside(root, path))
        .collect();
    let theirs = logs::take_theirs(root, &sync_rel, &own, incoming)?;
    commit(
        root,
        paths.device,
        &theirs,
        &format!(
            "prep sync from {}: the other devices' logs (a deck conflict waits)",
            paths.device
        ),
    )?;
    pulled.logs_commit =
        logs::commit_ours_on(root, git_dir, paths.sync_dir, paths.device, incoming)?;
    Ok(())
}

/// Rules for this clone alone, in the git directory (nothing to commit):
/// prep's temporary files (a `prep import` killed half way leaves one)
/// are never committed, and the logs, one writer each, are joined line
/// by line should git ever find two versions of one.
fn ensure_local_rules(root: &Path, paths: &Paths) -> Result<()> {
    let mut rules = vec![(
        "info/exclude",
        "# prep's temporary files\n.prep-*.tmp".to_string(),
    )];
    if let Some(sync_rel) = inside(root, paths.sync_dir) {
        let prefix = if sync_rel == "." {
            String::new()
        } else {
            format!("/{sync_rel}")
        };
        rules.push((
            "info/attributes",
            format!(
                "# prep's logs only grow, one writer each: join both versions' lines\n{prefix}/**/*.{} merge=union",
                crate::journal::log::EXTENSION
            ),
        ));
    }
    for (file, rule) in rules {
        let path = git_ok(root, &["rev-parse", "--git-path", file])?;
        let path = root.join(path.trim());
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let line = rule.lines().last().unwrap_or_default();
        if existing.lines().any(|have| have.trim() == line) {
            continue;
        }
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&rule);
        text.push('\n');
        crate::decks::deck::write_atomically(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // A temporary file an earlier prep committed leaves the index.
    let tracked = git_ok(root, &["ls-files", "-z", "--", ":(glob)**/.prep-*.tmp"])?;
    let tracked: Vec<&str> = tracked
        .split('\0')
        .filter(|path| !path.is_empty())
        .collect();
    if !tracked.is_empty() {
        let mut args = vec!["rm", "--cached", "--quiet", "--"];
        args.extend(tracked);
        git_ok(root, &args)?;
    }
    Ok(())
}

/// Makes sure the work tree ignores prep's private files (the database
/// above all, which must never be shared).
fn ensure_ignored(root: &Path, home: &Path) -> Result<()> {
    let Some(home_in_root) = inside(root, home) else {
        return Ok(());
    };
    let prefix = if home_in_root == "." {
        String::new()
    } else {
        format!("/{home_in_root}")
    };
    let path = root.join(".gitignore");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let missing: Vec<String> = IGNORED
        .iter()
        .map(|name| format!("{prefix}/{name}"))
        .filter(|line| !existing.lines().any(|have| have.trim() == line))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if text.is_empty() {
        text.push_str(
            "# prep's private state: the review database is a cache of the logs in sync/\n",
        );
    }
    for line in missing {
        text.push_str(&line);
        text.push('\n');
    }
    crate::decks::deck::write_atomically(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn branch_or_none(root: &Path) -> Option<String> {
    git_ok(root, &["symbolic-ref", "--short", "HEAD"])
        .ok()
        .map(|name| name.trim().to_string())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
