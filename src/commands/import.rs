//! `prep import`. (being written)
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::Outcome;
use crate::Settings;

pub struct Options {
    pub files: Vec<PathBuf>,
    pub deck: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub prune: bool,
}

pub fn run(_settings: &Settings, _options: &Options, _out: &mut dyn Write) -> Result<Outcome> {
    Ok(Outcome::Success)
}
