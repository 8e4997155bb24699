/*!
Review on several machines, by git. What a device's log holds, how its
files are laid out and how the lines of every device fold into states is
[`crate::journal`]; the store ([`crate::store`]) is the fast local index
of those logs. This module is the part above both: where a home's sync
folder is, opening a home's store attached to its logs and caught up
with them (saying what catching up found), and [`git`], which is
`prep sync`: commit this device's log and the decks, pull with rebase,
replay, push. With a file-sync tool nothing more is needed: the other
devices' files are read at every start.
*/

pub mod git;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Settings;
use crate::config::Config;
use crate::journal::{log, setup};
use crate::store::{CatchUp, Store};

/// The sync folder of a home under `config`.
pub fn dir_of(home: &Path, config: &Config) -> PathBuf {
    match &config.sync_dir {
        Some(dir) if dir.is_absolute() => dir.clone(),
        Some(dir) => home.join(dir),
        None => home.join("sync"),
    }
}

/// The home's store, created if need be, attached to its logs and caught
/// up with them.
pub fn open_store(settings: &Settings) -> Result<Store> {
    let store = Store::open(&settings.home)?;
    let (store, caught) = attach(store, settings)?;
    warn_of(&caught, settings);
    Ok(store)
}

/// Says which lines of the logs were set aside (they are read once, so
/// this is the one time a command other than `prep check` can say so),
/// and which devices' clocks are far ahead of this one's.
fn warn_of(caught: &CatchUp, settings: &Settings) {
    if let Some((old, new)) = &caught.copy_of {
        crate::messages::warning(format_args!(
            "{} is a copy of a home that writes as device {old} (copied, restored or moved); it now writes as device {new}, so that the two never write one log",
            settings.home.display(),
        ));
    }
    for problem in &caught.problems {
        crate::messages::warning(problem);
    }
    if let Some(warning) = second_writer(caught) {
        crate::messages::warning(warning);
    }
    for warning in clocks_ahead(caught, settings.now.to_utc()) {
        crate::messages::warning(warning);
    }
}

/// What to say when this device's log held another home's lines: a copy
/// of this home that kept its id and place (a cloned machine).
pub fn second_writer(caught: &CatchUp) -> Option<String> {
    let (log, old, new) = caught.second_writer.as_ref()?;
    Some(format!(
        "{}: another home writes as device {old} too (a cloned machine, or a restored disk image); this home now writes as device {new}, so that the two never write one log again; the changes the other home numbered as this one had are set aside, each named with its byte",
        log.display()
    ))
}

/// How far ahead of this machine's clock another device's change may be
/// before its clock is said to be off: a day covers time zones and clocks
/// set by hand.
const PLAUSIBLY_AHEAD: chrono::Duration = chrono::Duration::days(1);

/// One line per device whose changes just read are dated far past `now`.
/// Replay does not trust those times (a change is placed after what its
/// device had seen, see [`crate::journal::fold`]), but the person should
/// set that clock.
pub fn clocks_ahead(caught: &CatchUp, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    caught
        .latest
        .iter()
        .filter(|(_, at)| *at > now + PLAUSIBLY_AHEAD)
        .map(|(device, at)| {
            format!(
                "the clock of device {device} is ahead: it dated a change {} ({} days past this machine's time); set that machine's clock",
                at.format("%Y-%m-%d %H:%M UTC"),
                (*at - now).num_days()
            )
        })
        .collect()
}

/// The home's store if it has one, or if the sync folder holds other
/// devices' reviews to make one from; attached and caught up. In a home
/// prep may not write, the store as it is, read-only: the other devices'
/// reviews not yet applied to it are left for a run that may write.
pub fn open_existing_store(settings: &Settings) -> Result<Option<Store>> {
    match Store::open_existing(&settings.home)? {
        Some(store) if store.is_read_only() => Ok(Some(store)),
        Some(store) => {
            let (store, caught) = attach(store, settings)?;
            warn_of(&caught, settings);
            Ok(Some(store))
        }
        None => {
            let config = settings.config()?;
            if log::devices(&dir_of(&settings.home, config))?.is_empty() {
                Ok(None)
            } else {
                open_store(settings).map(Some)
            }
        }
    }
}

/// Attaches `store` to the home's sync folder, with what this device
/// schedules with now; returns what catching up did.
pub fn attach(mut store: Store, settings: &Settings) -> Result<(Store, CatchUp)> {
    let config = settings.config()?;
    let dir = dir_of(&settings.home, config);
    let caught = store.attach(&dir, setup_now(settings, config))?;
    Ok((store, caught))
}

/// What this device schedules with now: its config, in the time zone of
/// its clock.
pub fn setup_now(settings: &Settings, config: &Config) -> setup::Setup {
    setup::Setup::of(config, settings.day_clock(config.day_starts_at))
}
