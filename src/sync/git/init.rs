//! `prep sync --init URL`: a home becomes a git work tree whose remote
//! `origin` is URL, holding what the remote already holds. All or
//! nothing: a remote that cannot be read, or any step that fails, leaves
//! the home as it was (no `.git` made, no remote added), so that the
//! next `--init` with a better address starts from scratch.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::run::{git_ok, last_words};
use super::{branch_or_none, same_dir, work_tree};

/// What `prep sync --init` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Initialised {
    /// Whether the remote already held a home.
    pub cloned: bool,
    /// Files of this home that differ from the remote's: kept as they
    /// are, to be committed by the next `prep sync`.
    pub kept: Vec<String>,
}

/// What `init` made, to take back if a later step fails.
enum Made {
    /// The home's folder itself.
    Home,
    /// The home's `.git`.
    Repository,
    /// The remote `origin` in a work tree that was there before.
    Remote,
}

/// Sets `home` up to sync through `url`: a git work tree whose remote
/// `origin` is `url`, holding what the remote already holds. Files the
/// home has and the remote has too, with other contents, are kept as the
/// home has them (and listed), never overwritten.
pub fn init(home: &Path, url: &str) -> Result<Initialised> {
    let existed = home.exists();
    std::fs::create_dir_all(home).with_context(|| format!("cannot create {}", home.display()))?;
    let mut made = if existed { None } else { Some(Made::Home) };
    // Reached before anything is made: a remote that cannot be read
    // leaves nothing behind.
    let head = match super::run::git(home, &["ls-remote", "--symref", url, "HEAD"]) {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Ok(output) => {
            take_back(home, made);
            bail!(
                "cannot reach {url} ({}); check the address and that `git ls-remote {url}` works, then run `prep sync --init URL` again (nothing was changed in {})",
                last_words(&output),
                home.display()
            );
        }
        Err(err) => {
            take_back(home, made);
            return Err(err);
        }
    };
    let result = (|| {
        if work_tree(home)?.is_some_and(|root| same_dir(&root, home)) {
            let remotes = git_ok(home, &["remote"])?;
            if !remotes.trim().is_empty() {
                bail!(
                    "{}: already a git work tree with a remote; run `prep sync`",
                    home.display()
                );
            }
            made = made.take().or(Some(Made::Remote));
        } else {
            git_ok(home, &["init", "--quiet", "-b", "main"])?;
            made = made.take().or(Some(Made::Repository));
        }
        git_ok(home, &["remote", "add", "origin", url])?;
        clone_into(home, &head)
    })();
    result.map_err(|err| {
        take_back(home, made);
        anyhow!("{err:#}").context(format!(
            "cannot set {} up to sync through {url}; nothing was changed",
            home.display()
        ))
    })
}

/// Takes `origin`'s files into `home`, keeping the home's own versions.
fn clone_into(home: &Path, head: &str) -> Result<Initialised> {
    let mut done = Initialised::default();
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
    let Some(branch) = remote_branch else {
        return Ok(done);
    };
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
    Ok(done)
}

/// Takes back what a failed `init` made. Files the remote wrote into the
/// home stay only if the home was there before with a `.git` of its own
/// (they are then that work tree's business); a `.git` made here goes
/// with the folder it made.
fn take_back(home: &Path, made: Option<Made>) {
    match made {
        None => {}
        Some(Made::Remote) => {
            let _ = super::run::git(home, &["remote", "remove", "origin"]);
        }
        Some(Made::Repository) => {
            let _ = std::fs::remove_dir_all(home.join(".git"));
        }
        Some(Made::Home) => {
            let _ = std::fs::remove_dir_all(home.join(".git"));
            // Only if nothing else is in it.
            let _ = std::fs::remove_dir(home);
        }
    }
}
