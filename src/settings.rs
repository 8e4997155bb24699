//! The settings every command reads, resolved once from flags and the
//! environment: where decks and review state live, and what time it is.
//! Nothing deeper in the program asks the environment again, so tests can
//! pin both with `--home`/`PREP_HOME` and `PREP_NOW`.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, FixedOffset, Local};

use crate::config::Config;
use crate::decks::cache::DeckCache;
use crate::decks::collection::Collection;
use crate::editor::Editor;
use crate::opener::Opener;
use crate::schedule::zone::Zone;
use crate::schedule::{DayClock, Schedulers};

/// The environment variable that overrides the clock (RFC 3339).
pub const NOW_VAR: &str = "PREP_NOW";

/// The environment variable that names the home when `--home` is not
/// given.
pub const HOME_VAR: &str = "PREP_HOME";

#[derive(Debug, Clone)]
pub struct Settings {
    /// Holds `decks/`, `config.yaml` and `prep.sqlite`.
    pub home: PathBuf,
    /// The current time, from `PREP_NOW` when set.
    pub now: DateTime<FixedOffset>,
    /// Where the person is: the machine's time zone, with its daylight
    /// saving rules, when it agrees with `now`'s offset; else that offset.
    pub zone: Zone,
    /// Whether `now` was fixed (by `PREP_NOW`); otherwise long-running
    /// commands read the clock again with [`Settings::current_time`].
    pub fixed_clock: bool,
    /// Where parsed decks are kept between runs.
    pub deck_cache: DeckCache,
    /// The editor `e`, `prep edit` and `prep add` open.
    pub editor: Editor,
    /// What opens a card's image (`o` in the reviewer).
    pub opener: Opener,
    /// The home's `config.yaml`, read once per command, on first use.
    config: std::sync::OnceLock<Config>,
}

impl Settings {
    /// Resolves the home directory (`--home`, else `PREP_HOME`, else the
    /// platform data directory) and the clock.
    pub fn resolve(home: Option<PathBuf>) -> Result<Settings> {
        let home = resolve_home(home)?;
        let (now, fixed_clock) = match std::env::var(NOW_VAR) {
            Ok(text) => (parse_now(&text)?, true),
            Err(std::env::VarError::NotPresent) => (Local::now().fixed_offset(), false),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(anyhow!(
                    "{NOW_VAR} is not valid UTF-8; set it to an RFC 3339 time such as 2026-01-31T09:00:00Z"
                ));
            }
        };
        Ok(Settings {
            home,
            zone: Zone::local(now),
            now,
            fixed_clock,
            deck_cache: DeckCache::from_env(),
            editor: Editor::from_env(),
            opener: Opener::from_env(),
            config: std::sync::OnceLock::new(),
        })
    }

    /// The time now: `PREP_NOW` when set, else the clock read again, for
    /// commands that run longer than a moment (a quiz, a batch of grades).
    pub fn current_time(&self) -> DateTime<FixedOffset> {
        if self.fixed_clock {
            self.now
        } else {
            Local::now().fixed_offset()
        }
    }

    /// The schedulers of this home: its config, and days counted in the
    /// offset of the current time from the config's cutoff hour. Every
    /// command and the quiz build them here, so they all count days alike.
    pub fn schedulers(&self) -> Result<Schedulers> {
        let config = self.config()?.clone();
        let clock = self.day_clock(config.day_starts_at);
        Ok(Schedulers::new(config, clock))
    }

    /// The clock review days are counted with, from the cutoff hour
    /// `starts_at_hour`, in this person's zone.
    pub fn day_clock(&self, starts_at_hour: u32) -> DayClock {
        DayClock::in_zone(self.zone, starts_at_hour, self.now.to_utc())
    }

    /// A settings value for tests and tools that already know both.
    pub fn new(home: impl Into<PathBuf>, now: DateTime<FixedOffset>) -> Settings {
        Settings {
            home: home.into(),
            zone: Zone::Fixed(*now.offset()),
            now,
            fixed_clock: true,
            deck_cache: DeckCache::off(),
            editor: Editor::parse("EDITOR", "vi"),
            opener: Opener::none(),
            config: std::sync::OnceLock::new(),
        }
    }

    /// The home's `config.yaml` (the defaults when there is none), read on
    /// first use and kept for the rest of the command: the schedulers, the
    /// store and the sync folder all see the same config. A config that
    /// does not load is an error each time it is asked for.
    pub fn config(&self) -> Result<&Config> {
        if let Some(config) = self.config.get() {
            return Ok(config);
        }
        let config = Config::load(&self.home)?;
        Ok(self.config.get_or_init(|| config))
    }

    /// The decks of the home, read through the deck cache.
    pub fn collection(&self) -> Collection {
        Collection::new(&self.home, self.deck_cache.clone())
    }

    /// Where the user's deck files live.
    pub fn decks_dir(&self) -> PathBuf {
        self.home.join("decks")
    }
}

/// The home: `--home`, else `PREP_HOME`, else the platform data
/// directory. A value that cannot be a home (empty, or a file) is an error
/// that names where it came from; a directory that does not exist yet is
/// fine, as the first write makes it.
fn resolve_home(flag: Option<PathBuf>) -> Result<PathBuf> {
    let (home, from) = match flag {
        Some(home) => (home, "--home"),
        None => match std::env::var_os(HOME_VAR) {
            Some(home) => (PathBuf::from(home), HOME_VAR),
            None => {
                return dirs::data_dir()
                    .map(|dir| dir.join("prep"))
                    .ok_or_else(|| {
                        anyhow!("cannot find a data directory for this user; set {HOME_VAR} or pass --home DIR")
                    });
            }
        },
    };
    if home.as_os_str().is_empty() {
        return Err(if from == HOME_VAR {
            anyhow!("{HOME_VAR} is set but empty; unset it or give a directory")
        } else {
            anyhow!("--home is empty; give a directory")
        });
    }
    if std::fs::metadata(&home).is_ok_and(|meta| !meta.is_dir()) {
        return Err(anyhow!(
            "{from}={} is a file, not a directory; give a directory (prep makes it if it does not exist)",
            home.display()
        ));
    }
    Ok(home)
}

/// Parses a `PREP_NOW` value.
pub fn parse_now(text: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim()).with_context(|| {
        format!("{NOW_VAR}={text:?} is not an RFC 3339 time; use a form such as 2026-01-31T09:00:00Z or unset it")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_rejects_other_forms() {
        let now = parse_now("2026-01-31T09:00:00+02:00").unwrap();
        assert_eq!(now.to_rfc3339(), "2026-01-31T09:00:00+02:00");
        let err = parse_now("yesterday").unwrap_err();
        assert!(format!("{err:#}").contains("PREP_NOW"));
    }
}
