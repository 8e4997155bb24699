//! Running the user's own `git` binary: never prompting (a sync runs
//! unattended), with git's last words kept for the `error:` line when it
//! fails, and an author given when the machine has none set up.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use anyhow::{Result, anyhow};

/// Runs git in `dir`, with `env` added and `input` on its stdin.
pub(super) fn git_with(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &OsStr)],
    input: Option<&[u8]>,
) -> Result<Output> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let spawned = command.spawn().map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            anyhow!(
                "git is not installed (or not on PATH); install git to use `prep sync`, or sync the folder {} with a file-sync tool",
                dir.display()
            )
        } else {
            anyhow!("cannot run git: {err}")
        }
    })?;
    let mut child = spawned;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(bytes)
            .map_err(|err| anyhow!("cannot write to git: {err}"))?;
    }
    child
        .wait_with_output()
        .map_err(|err| anyhow!("cannot run git: {err}"))
}

/// Runs git in `dir`.
pub(super) fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    git_with(dir, args, &[], None)
}

/// Runs git and fails, with git's own last words, when it does.
pub(super) fn git_ok(dir: &Path, args: &[&str]) -> Result<String> {
    let output = git(dir, args)?;
    checked(dir, args, output).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Git's stdout when it succeeded, its last words in the error when not.
pub(super) fn checked(dir: &Path, args: &[&str], output: Output) -> Result<Vec<u8>> {
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(anyhow!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            last_words(&output)
        ))
    }
}

/// The last two lines git wrote to stderr, hints left out.
pub(super) fn last_words(output: &Output) -> String {
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

/// `git` arguments naming an author when the user has none set, so that
/// a fresh machine can commit (and rebase, which commits again).
pub(super) fn identity(root: &Path, device: &str) -> Vec<String> {
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

/// `git` run with [`identity`] first.
pub(super) fn git_as(root: &Path, device: &str, args: &[&str]) -> Result<Output> {
    let mut all = identity(root, device);
    all.extend(args.iter().map(|arg| arg.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    git(root, &all)
}

/// The commit `rev` names, if it names one.
pub(super) fn commit_of(root: &Path, rev: &str) -> Option<String> {
    let spec = format!("{rev}^{{commit}}");
    git_ok(root, &["rev-parse", "--quiet", "--verify", &spec])
        .ok()
        .map(|sha| sha.trim().to_string())
        .filter(|sha| !sha.is_empty())
}

/// Whether commit `old` is in the history of `new`.
pub(super) fn is_ancestor(root: &Path, old: &str, new: &str) -> bool {
    git(root, &["merge-base", "--is-ancestor", old, new])
        .is_ok_and(|output| output.status.success())
}

/// The bytes `commit` holds at `path`, if it holds that path.
pub(super) fn blob(root: &Path, commit: &str, path: &str) -> Option<Vec<u8>> {
    let spec = format!("{commit}:{path}");
    let output = git(root, &["cat-file", "blob", &spec]).ok()?;
    output.status.success().then_some(output.stdout)
}

/// Whether `git` can be run at all.
pub fn available() -> bool {
    Command::new("git")
        .arg(OsStr::new("--version"))
        .output()
        .is_ok_and(|output| output.status.success())
}
