//! `prep sync [--init URL]`: review on several machines through a git
//! remote (see [`crate::sync`]). The work is the domain's; this module
//! says what happened.

use std::io::Write;

use anyhow::Result;

use super::Outcome;
use crate::Settings;
use crate::config::Config;
use crate::format;
use crate::store::{CatchUp, Store};
use crate::sync::git::{self, Hooks, Paths};

pub struct Options {
    /// Set the home up to sync through this remote first.
    pub init: Option<String>,
}

/// The store's part in a sync: its lock, and replaying what came in.
struct StoreHooks<'a> {
    store: &'a mut Store,
    caught: CatchUp,
}

impl Hooks for StoreHooks<'_> {
    fn holding_writes(&mut self, body: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        self.store.holding_writes(body)
    }

    fn replay(&mut self) -> Result<()> {
        let caught = self.store.catch_up()?;
        self.caught.applied += caught.applied;
        self.caught.problems.extend(caught.problems);
        self.caught.latest.extend(caught.latest);
        Ok(())
    }
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    // Set up before the store is opened: an `--init` that fails leaves
    // the home as it was.
    let initialised = match &options.init {
        Some(url) => Some((url, git::init(&settings.home, url)?)),
        None => None,
    };
    let config = Config::load(&settings.home)?;
    let sync_dir = crate::sync::dir_of(&settings.home, &config);
    let (mut store, first) = crate::sync::attach(Store::open(&settings.home)?, settings)?;
    let mut hooks = StoreHooks {
        caught: first,
        store: &mut store,
    };
    if let Some((url, done)) = initialised {
        if done.cloned {
            writeln!(
                out,
                "set up {} to sync through {url}, with what it holds",
                settings.home.display()
            )?;
        } else {
            writeln!(
                out,
                "set up {} to sync through {url} (empty so far)",
                settings.home.display()
            )?;
        }
        hooks.replay()?;
        if !done.kept.is_empty() {
            // Nothing is committed over the remote's versions until the
            // user has chosen.
            for file in &done.kept {
                writeln!(
                    out,
                    "kept this home's {file}, which differs from the remote's: `prep sync` commits it, `git -C {} checkout -- {file}` takes the remote's",
                    settings.home.display()
                )?;
            }
            writeln!(
                out,
                "not synced yet: choose for each file above, then run `prep sync`"
            )?;
            out.flush()?;
            let problems = std::mem::take(&mut hooks.caught.problems);
            return super::report_problems(&problems);
        }
    }
    let device = hooks.store.device().to_string();
    let paths = Paths {
        home: &settings.home,
        sync_dir: &sync_dir,
        device: &device,
    };
    let synced = git::sync(&paths, &mut hooks)?;
    for note in &synced.notes {
        writeln!(out, "{note}")?;
    }
    if synced.rewritten || synced.restored_lines > 0 {
        writeln!(
            out,
            "the history on {} was rewritten (a force-push): it lacked commits this home had; {}",
            synced.remote,
            if synced.pushed {
                "they are pushed back"
            } else {
                "they go back with the next sync"
            }
        )?;
    }
    let mut did = Vec::new();
    if synced.committed {
        did.push("committed this device's changes".to_string());
    }
    match hooks.caught.applied {
        0 if synced.pulled => did.push("pulled".to_string()),
        0 => {}
        applied => did.push(format!(
            "applied {} from other devices",
            format::count(applied as u64, "change")
        )),
    }
    if synced.pushed && synced.conflict.is_some() {
        did.push(format!("pushed this device's log to {}", synced.remote));
    } else if synced.pushed {
        did.push(format!("pushed to {}", synced.remote));
    }
    if did.is_empty() {
        did.push("nothing to do".into());
    }
    writeln!(out, "synced {}: {}", synced.root.display(), did.join(", "))?;
    out.flush()?;
    for warning in crate::sync::clocks_ahead(&hooks.caught, settings.now.to_utc()) {
        crate::messages::warning(warning);
    }
    if let Some(conflict) = synced.conflict {
        return Err(conflict.into());
    }
    let problems = std::mem::take(&mut hooks.caught.problems);
    super::report_problems(&problems)
}
