//! `prep sync` with git: the user's own `git` binary, run in the work tree
//! that holds the sync folder (or the home). Commit this device's log and
//! the changed decks, `git pull --rebase`, and push. Device logs never
//! conflict (one writer each); a deck edited on two machines merges as
//! text, and a conflict git cannot merge stops the sync with the rebase
//! taken back, so both versions stay where they were: this device's in
//! its commit, the other's on the remote.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, anyhow, bail};

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
}

/// A conflict git could not merge: the files, for the message.
#[derive(Debug, thiserror::Error)]
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
];

/// Runs git in `dir`.
fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                anyhow!(
                    "git is not installed (or not on PATH); install git to use `prep sync`, or sync the folder {} with a file-sync tool",
                    dir.display()
                )
            } else {
                anyhow!("cannot run git: {err}")
            }
        })
}

/// Runs git and fails, with git's own last words, when it does.
fn git_ok(dir: &Path, args: &[&str]) -> Result<String> {
    let output = git(dir, args)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(anyhow!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            last_words(&output)
        ))
    }
}

fn last_words(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("hint:"))
        .collect();
    let tail = lines.len().saturating_sub(2);
    let words = lines[tail..].join(" ");
    if words.is_empty() {
        format!("exit status {}", output.status)
    } else {
        words
    }
}

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

/// `git commit` arguments naming an author when the user has none set,
/// so that a fresh machine can sync.
fn identity(root: &Path, device: &str) -> Vec<String> {
    let has = |key: &str| {
        git(root, &["config", key])
            .map(|output| output.status.success() && !output.stdout.trim_ascii().is_empty())
            .unwrap_or(false)
    };
    let mut args = Vec::new();
    if !has("user.name") {
        args.extend(["-c".to_string(), format!("user.name=prep on {device}")]);
    }
    if !has("user.email") {
        args.extend(["-c".to_string(), format!("user.email=prep@{device}")]);
    }
    args
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
    let mut args = identity(root, device);
    args.extend(["commit", "--quiet", "--no-verify", "-m", message].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    git_ok(root, &args)?;
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
    fn log(&self) -> PathBuf {
        self.sync_dir
            .join(format!("{}.{}", self.device, super::log::EXTENSION))
    }

    /// The paths to commit, relative to `root`: this device's log, the
    /// decks and config.yaml where they are in the work tree.
    fn to_commit(&self, root: &Path) -> Vec<String> {
        let mut paths = Vec::new();
        for path in [
            self.log(),
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

/// Commits, pulls with rebase and pushes; the hooks hold writes back
/// during the commit and the pull, and replay after it (and again after
/// a retried one).
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
    let remote = remote(&root)?;
    hooks.holding_writes(&mut || recover(&root))?;
    let branch = branch(&root)?;
    ensure_ignored(&root, paths.home)?;
    let mut synced = Synced {
        root: root.clone(),
        remote: remote.clone(),
        ..Synced::default()
    };
    let to_commit = paths.to_commit(&root);
    for attempt in 0..3 {
        let has_branch = remote_has(&root, &remote, &branch)?;
        hooks.holding_writes(&mut || {
            synced.committed |= commit(
                &root,
                paths.device,
                &to_commit,
                &format!("prep sync from {}", paths.device),
            )?;
            if has_branch {
                let before = git_ok(&root, &["rev-parse", "HEAD"])?;
                let marker = root.join(".git").join(PULLING);
                std::fs::write(&marker, format!("{branch} {}", before.trim()))
                    .with_context(|| format!("cannot write {}", marker.display()))?;
                let pulled = pull(&root, paths.device, &remote, &branch);
                let _ = std::fs::remove_file(&marker);
                pulled?;
                let after = git_ok(&root, &["rev-parse", "HEAD"]).unwrap_or_default();
                synced.pulled |= before != after;
            }
            Ok(())
        })?;
        if has_branch {
            hooks.replay()?;
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

/// Where a sync notes the branch and commit it pulls onto, until the
/// pull is over: a sync stopped in between finds it there.
const PULLING: &str = "prep-sync-pulling";

/// Puts the work tree back in order after a sync that was stopped
/// mid-way (killed, or the machine went down). A git still finishing (its
/// index lock held) is waited for. A pull stopped in its rebase is taken
/// back to the commit it started from, which holds everything this device
/// had (the sync committed it just before); what the work tree held then
/// is kept in `git stash` rather than dropped.
fn recover(root: &Path) -> Result<()> {
    let git_dir = root.join(".git");
    let lock = git_dir.join("index.lock");
    let started = std::time::Instant::now();
    while lock.exists() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            bail!(
                "{}: git's index has been locked for 10 s; if no git command is running in {}, remove the file and run `prep sync` again",
                lock.display(),
                root.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let marker = git_dir.join(PULLING);
    let Ok(noted) = std::fs::read_to_string(&marker) else {
        return Ok(());
    };
    let rebasing =
        || git_dir.join("rebase-merge").exists() || git_dir.join("rebase-apply").exists();
    let detached = || branch_or_none(root).is_none();
    if rebasing() || detached() {
        if rebasing() && git(root, &["rebase", "--abort"])?.status.success() {
            // Back where it started, work tree and all.
        } else {
            let _ = git(root, &["rebase", "--quit"]);
        }
        if let Some((branch, commit)) = noted.trim().split_once(' ')
            && (detached() || git_ok(root, &["rev-parse", "HEAD"])?.trim() != commit)
        {
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
            git_ok(root, &["reset", "--quiet", "--hard", commit])?;
        }
    }
    let _ = std::fs::remove_file(&marker);
    Ok(())
}

/// `git pull --rebase`, taking the rebase back on a conflict.
fn pull(root: &Path, device: &str, remote: &str, branch: &str) -> Result<()> {
    // Rebasing commits again, so it needs an author as a commit does.
    let mut args = identity(root, device);
    args.extend(["pull", "--rebase", "--autostash", "--quiet", remote, branch].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = git(root, &args)?;
    if output.status.success() {
        return Ok(());
    }
    let conflicted = git_ok(root, &["diff", "--name-only", "--diff-filter=U"]).unwrap_or_default();
    let files: Vec<String> = conflicted.lines().map(str::to_string).collect();
    if root.join(".git").join("rebase-merge").exists()
        || root.join(".git").join("rebase-apply").exists()
    {
        let _ = git(root, &["rebase", "--abort"]);
    }
    if files.is_empty() {
        bail!(
            "`git pull --rebase {remote} {branch}` failed in {}: {}",
            root.display(),
            last_words(&output)
        );
    }
    Err(Conflict {
        root: root.to_path_buf(),
        remote: remote.to_string(),
        files,
    }
    .into())
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
        text.push_str("# prep's private state: the review database is a cache of sync/*.jsonl\n");
    }
    for line in missing {
        text.push_str(&line);
        text.push('\n');
    }
    crate::decks::deck::write_atomically(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// What `prep sync --init` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Initialised {
    /// Whether the remote already held a home.
    pub cloned: bool,
    /// Files of this home that differ from the remote's: kept as they
    /// are, to be committed by the next `prep sync`.
    pub kept: Vec<String>,
}

/// Sets `home` up to sync through `url`: a git work tree whose remote
/// `origin` is `url`, holding what the remote already holds. Files the
/// home has and the remote has too, with other contents, are kept as the
/// home has them (and listed), never overwritten.
pub fn init(home: &Path, url: &str) -> Result<Initialised> {
    std::fs::create_dir_all(home).with_context(|| format!("cannot create {}", home.display()))?;
    if work_tree(home)?.is_some_and(|root| same_dir(&root, home)) {
        let remotes = git_ok(home, &["remote"])?;
        if !remotes.trim().is_empty() {
            bail!(
                "{}: already a git work tree with a remote; run `prep sync`",
                home.display()
            );
        }
    } else {
        git_ok(home, &["init", "--quiet", "-b", "main"])?;
    }
    git_ok(home, &["remote", "add", "origin", url])?;
    let mut done = Initialised::default();
    let head = git_ok(home, &["ls-remote", "--symref", "origin", "HEAD"]).with_context(|| {
        format!("cannot reach {url}; check the address and that you can read it with git")
    })?;
    let heads = git_ok(home, &["ls-remote", "--heads", "origin"])?;
    let heads: Vec<&str> = heads
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1)?.strip_prefix("refs/heads/"))
        .collect();
    // The remote's default branch; a bare repository made by `git init
    // --bare` may name one nobody pushed, so then main, master, or the
    // first there is.
    let remote_branch = head
        .lines()
        .find_map(|line| line.strip_prefix("ref: refs/heads/"))
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|branch| heads.contains(branch))
        .or_else(|| heads.iter().copied().find(|head| *head == "main"))
        .or_else(|| heads.iter().copied().find(|head| *head == "master"))
        .or_else(|| heads.first().copied())
        .map(str::to_string);
    if let Some(branch) = remote_branch {
        git_ok(home, &["fetch", "--quiet", "origin", &branch])?;
        let current = branch_or_none(home);
        if current.as_deref() != Some(branch.as_str()) {
            git_ok(
                home,
                &["symbolic-ref", "HEAD", &format!("refs/heads/{branch}")],
            )?;
        }
        // HEAD and the index to the remote's; the files stay as they are,
        // and the ones only the remote has are written.
        git_ok(
            home,
            &["reset", "--quiet", "--mixed", &format!("origin/{branch}")],
        )?;
        git_ok(
            home,
            &[
                "branch",
                "--quiet",
                "--set-upstream-to",
                &format!("origin/{branch}"),
            ],
        )?;
        let deleted = git_ok(home, &["ls-files", "--deleted"])?;
        let deleted: Vec<&str> = deleted.lines().filter(|line| !line.is_empty()).collect();
        if !deleted.is_empty() {
            let mut args = vec!["checkout", "--"];
            args.extend(deleted.iter().copied());
            git_ok(home, &args)?;
        }
        let modified = git_ok(home, &["ls-files", "--modified"])?;
        done.kept = modified.lines().map(str::to_string).collect();
        done.cloned = true;
    }
    Ok(done)
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

/// Whether `git` can be run at all.
pub fn available() -> bool {
    Command::new("git")
        .arg(OsStr::new("--version"))
        .output()
        .is_ok_and(|output| output.status.success())
}
