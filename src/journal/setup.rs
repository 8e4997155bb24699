//! What a device schedules with, as its log says: its UTC offset, the
//! hour its day starts, and the scheduler's settings (FSRS parameters,
//! desired retention, steps, maximum interval, fuzz; each deck's
//! overrides). A device logs a `setup` line whenever its setup differs
//! from the last one it logged, before the change it makes with it.
//!
//! Replay decides a review again when two devices reviewed one card
//! without seeing each other's review. It decides it as its writer would
//! have, with the writer's setup in force at that review (the last setup
//! line of that device before it), never with the reader's offset or
//! config: so the fold is a function of the log files alone, and devices
//! holding the same lines hold the same states wherever they are and
//! however they are set up. A review logged before any setup line of its
//! device (by an older prep) is decided with the default setup.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::event::EventId;
use crate::config::{Config, DeckOverrides};
use crate::schedule::zone::Zone;
use crate::schedule::{CardState, DayClock, Grade, Scheduler, Transition};

/// One device's scheduling setup, as its `setup` line holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// The time zone days are counted in, as `Europe/Berlin`, or a UTC
    /// offset as `+05:30`.
    pub zone: String,
    pub day_starts_at: u32,
    pub desired_retention: f32,
    pub maximum_interval: u32,
    /// In seconds.
    pub learning_steps: Vec<u32>,
    pub relearning_steps: Vec<u32>,
    pub fuzz: bool,
    pub parameters: Vec<f32>,
    /// Decks that override the retention or the parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decks: BTreeMap<String, DeckSetup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckSetup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_retention: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<f32>>,
}

impl Default for Setup {
    /// What a review logged before its device's first setup line is
    /// decided with: the defaults, in UTC.
    fn default() -> Setup {
        Setup::of(
            &Config::default(),
            DayClock::new(utc(), Config::default().day_starts_at),
        )
    }
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("0 is an offset")
}

impl Setup {
    /// The setup of a home scheduling under `config` with `clock`.
    pub fn of(config: &Config, clock: DayClock) -> Setup {
        Setup {
            zone: clock.zone().to_string(),
            day_starts_at: clock.starts_at_hour(),
            desired_retention: config.desired_retention,
            maximum_interval: config.maximum_interval,
            learning_steps: config.learning_steps.clone(),
            relearning_steps: config.relearning_steps.clone(),
            fuzz: config.fuzz,
            parameters: config.parameters.clone(),
            decks: config
                .decks
                .iter()
                .filter(|(_, deck)| deck.desired_retention.is_some() || deck.parameters.is_some())
                .map(|(name, deck)| {
                    (
                        name.clone(),
                        DeckSetup {
                            desired_retention: deck.desired_retention,
                            parameters: deck.parameters.clone(),
                        },
                    )
                })
                .collect(),
        }
    }

    /// Checks what another device wrote before it is used: an offset, an
    /// hour, and settings the scheduler takes.
    pub fn validate(&self) -> Result<()> {
        self.clock()?;
        if self.day_starts_at > 23 {
            return Err(anyhow!(
                "day_starts_at {} is not an hour",
                self.day_starts_at
            ));
        }
        let config = self.config();
        Scheduler::for_deck(&config, "", DayClock::new(utc(), 0))?;
        for deck in self.decks.keys() {
            Scheduler::for_deck(&config, deck, DayClock::new(utc(), 0))?;
        }
        Ok(())
    }

    fn clock(&self) -> Result<DayClock> {
        let zone: Zone = self
            .zone
            .parse()
            .map_err(|err: String| anyhow!("zone {err}"))?;
        // The offset times are shown in plays no part in a decision.
        Ok(DayClock::in_zone(
            zone,
            self.day_starts_at,
            DateTime::UNIX_EPOCH,
        ))
    }

    fn config(&self) -> Config {
        Config {
            desired_retention: self.desired_retention,
            maximum_interval: self.maximum_interval,
            day_starts_at: self.day_starts_at,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            fuzz: self.fuzz,
            parameters: self.parameters.clone(),
            decks: self
                .decks
                .iter()
                .map(|(name, deck)| {
                    (
                        name.clone(),
                        DeckOverrides {
                            desired_retention: deck.desired_retention,
                            parameters: deck.parameters.clone(),
                        },
                    )
                })
                .collect(),
            ..Config::default()
        }
    }
}

/// Every device's setups, by the number of the line that set each, and
/// the schedulers made from them: what replay decides reviews with.
#[derive(Debug)]
pub struct Setups {
    /// Every setup known; the first is the default.
    all: Vec<Setup>,
    /// Per device, by line number, an index into `all`.
    by_device: HashMap<String, BTreeMap<u64, usize>>,
    schedulers: HashMap<(usize, String), Scheduler>,
}

impl Default for Setups {
    fn default() -> Setups {
        Setups {
            all: vec![Setup::default()],
            by_device: HashMap::new(),
            schedulers: HashMap::new(),
        }
    }
}

impl Setups {
    pub fn new() -> Setups {
        Setups::default()
    }

    /// Records that line `seq` of `device`'s log set `setup`.
    pub fn insert(&mut self, device: &str, seq: u64, setup: Setup) {
        let index = match self.all.iter().position(|known| *known == setup) {
            Some(index) => index,
            None => {
                self.all.push(setup);
                self.all.len() - 1
            }
        };
        self.by_device
            .entry(device.to_string())
            .or_default()
            .insert(seq, index);
    }

    /// The last setup `device` logged, if any.
    pub fn latest(&self, device: &str) -> Option<&Setup> {
        self.by_device
            .get(device)
            .and_then(|setups| setups.values().next_back())
            .map(|&index| &self.all[index])
    }

    /// The setup in force for change `id`: the last its device logged
    /// before it, else the default.
    fn in_force(&self, id: &EventId) -> usize {
        self.by_device
            .get(&id.device)
            .and_then(|setups| setups.range(..id.seq).next_back())
            .map_or(0, |(_, &index)| index)
    }

    /// Review `id` of `card` decided as its writer would have, from
    /// `state`, with the writer's setup.
    pub fn decide(
        &mut self,
        id: &EventId,
        card: &str,
        deck: &str,
        state: Option<&CardState>,
        grade: Grade,
        at: DateTime<Utc>,
    ) -> Result<Transition> {
        let index = self.in_force(id);
        let key = (index, deck.to_string());
        if !self.schedulers.contains_key(&key) {
            let setup = &self.all[index];
            let clock = setup
                .clock()
                .with_context(|| format!("the setup in force for {id}"))?;
            let scheduler = Scheduler::for_deck(&setup.config(), deck, clock)?;
            self.schedulers.insert(key.clone(), scheduler);
        }
        self.schedulers[&key].answer(card, state, grade, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Grade;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn id(device: &str, seq: u64) -> EventId {
        EventId {
            device: device.into(),
            seq,
        }
    }

    #[test]
    fn a_review_is_decided_with_its_writers_setup_in_force_at_it() {
        let mut setups = Setups::new();
        let east = DayClock::new(FixedOffset::east_opt(5 * 3600 + 1800).unwrap(), 4);
        let config = Config {
            learning_steps: vec![120],
            ..Config::default()
        };
        setups.insert("a", 5, Setup::of(&config, east));
        // Before line 5 device a had logged no setup: the default, in UTC.
        let before = setups
            .decide(
                &id("a", 4),
                "c",
                "d",
                None,
                Grade::Again,
                at("2026-12-01T20:00:00Z"),
            )
            .unwrap();
        // A step of 1 minute, or 2 (with fuzz, up to a few seconds more).
        assert!(before.state.due < at("2026-12-01T20:02:00Z"), "{before:?}");
        let after = setups
            .decide(
                &id("a", 6),
                "c",
                "d",
                None,
                Grade::Again,
                at("2026-12-01T20:00:00Z"),
            )
            .unwrap();
        assert!(after.state.due >= at("2026-12-01T20:02:00Z"), "{after:?}");
        // Another device's setup is not device a's.
        let other = setups
            .decide(
                &id("b", 6),
                "c",
                "d",
                None,
                Grade::Again,
                at("2026-12-01T20:00:00Z"),
            )
            .unwrap();
        assert_eq!(other, before);
        assert_eq!(setups.latest("a").unwrap().zone, "+05:30");
        assert_eq!(setups.latest("b"), None);
    }

    #[test]
    fn a_setup_from_another_device_is_checked() {
        let mut setup = Setup::default();
        assert!(setup.validate().is_ok());
        setup.zone = "somewhere".into();
        assert!(setup.validate().is_err());
        let setup = Setup {
            parameters: vec![1.0],
            ..Setup::default()
        };
        assert!(setup.validate().is_err());
    }
}
