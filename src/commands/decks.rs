//! `prep decks`: list every deck. (to be written)
use std::io::Write;

use anyhow::Result;

use super::Outcome;
use crate::Settings;

pub fn run(_settings: &Settings, _json: bool, _out: &mut dyn Write) -> Result<Outcome> {
    Ok(Outcome::Success)
}
