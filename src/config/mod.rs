/*!
`$PREP_HOME/config.yaml`: the scheduler's settings. Every key is optional;
a missing file means all defaults (FSRS-6's default parameters, desired
retention 0.9, Anki's learning steps). An unknown key or a value out of
range is an error that names the key, because a typo that silently falls
back to a default would change how someone studies without telling them.

`prep optimize` writes fitted parameters back and `prep plan` writes
interview plans ([`edit`]), each editing the one key it owns; [`key_reference`]
lists every key with its default, for the manual page.
*/

mod edit;
pub mod key_reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::files::yaml_error;
pub use edit::{remove_plan, save_parameters, save_plan};

pub const FILE_NAME: &str = "config.yaml";

/// The settings one deck is scheduled with.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The probability of recall the scheduler aims for at each review.
    pub desired_retention: f32,
    /// The longest interval, in days.
    pub maximum_interval: u32,
    /// The local hour a new day starts (Anki's "next day starts at").
    pub day_starts_at: u32,
    /// Delays, in seconds, of the steps a new card goes through.
    pub learning_steps: Vec<u32>,
    /// Delays, in seconds, of the steps a forgotten card goes through.
    pub relearning_steps: Vec<u32>,
    /// Whether review intervals are fuzzed.
    pub fuzz: bool,
    /// The 21 FSRS-6 parameters.
    pub parameters: Vec<f32>,
    /// Per-deck overrides of `parameters` and `desired_retention`.
    pub decks: BTreeMap<String, DeckOverrides>,
    /// New cards a day may introduce, across all decks.
    pub new_per_day: u32,
    /// Reviews of cards in review a day may hold, across all decks.
    pub reviews_per_day: u32,
    /// Interview dates, by deck (`prep plan`).
    pub plans: BTreeMap<String, InterviewPlan>,
    /// The lapses that make a card a leech (Anki's default, 8); 0 turns
    /// leeches off.
    pub leech_threshold: u32,
    /// What happens to a card when it becomes a leech.
    pub leech_action: LeechAction,
    /// The order new cards are introduced in (`new_order`).
    pub new_order: NewOrder,
    /// The folder of the devices' review logs, when not `sync/` in the
    /// home; relative to the home unless absolute.
    pub sync_dir: Option<PathBuf>,
}

/// The order new cards are introduced in (`new_order`), as Anki's deck
/// options offer it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewOrder {
    /// As the decks hold them, deck after deck.
    #[default]
    Deck,
    /// Shuffled, across the decks of the session.
    Random,
}

/// What becoming a leech does to a card (`leech_action`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeechAction {
    /// Put aside until unsuspended, as Anki does by default.
    #[default]
    Suspend,
    /// Only marked a leech: it stays in reviews, and `prep stats` and
    /// `prep cards --leech` list it.
    Tag,
}

impl LeechAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LeechAction::Suspend => "suspend",
            LeechAction::Tag => "tag",
        }
    }
}

/// A deck's interview: the date, and the share of the deck to recall then.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewPlan {
    pub date: NaiveDate,
    /// The predicted share of the deck recalled on the day to aim for.
    pub target: f32,
    /// At most this many new cards a day, when set; else
    /// [`DEFAULT_MAX_NEW_PER_DAY`].
    pub max_new_per_day: Option<u32>,
}

/// The most new cards a plan asks for in one day, unless the plan says.
pub const DEFAULT_MAX_NEW_PER_DAY: u32 = 50;

impl InterviewPlan {
    pub fn max_new(&self) -> u32 {
        self.max_new_per_day.unwrap_or(DEFAULT_MAX_NEW_PER_DAY)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckOverrides {
    pub desired_retention: Option<f32>,
    pub parameters: Option<Vec<f32>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            desired_retention: 0.9,
            maximum_interval: 36_500,
            day_starts_at: 4,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            fuzz: true,
            parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
            decks: BTreeMap::new(),
            new_per_day: 20,
            reviews_per_day: 200,
            plans: BTreeMap::new(),
            leech_threshold: 8,
            leech_action: LeechAction::Suspend,
            new_order: NewOrder::Deck,
            sync_dir: None,
        }
    }
}

/// The file as written; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    desired_retention: Option<f32>,
    maximum_interval: Option<u32>,
    day_starts_at: Option<u32>,
    learning_steps: Option<Vec<String>>,
    relearning_steps: Option<Vec<String>>,
    fuzz: Option<bool>,
    parameters: Option<Vec<f32>>,
    decks: Option<BTreeMap<String, RawDeckOverrides>>,
    new_per_day: Option<u32>,
    reviews_per_day: Option<u32>,
    plans: Option<BTreeMap<String, RawPlan>>,
    leech_threshold: Option<u32>,
    leech_action: Option<LeechAction>,
    new_order: Option<NewOrder>,
    sync_dir: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    date: String,
    target: Option<f32>,
    max_new_per_day: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeckOverrides {
    desired_retention: Option<f32>,
    parameters: Option<Vec<f32>>,
}

impl RawConfig {
    /// The keys as written, none checked yet: an empty file has none.
    fn read(text: &str, path: &Path) -> Result<RawConfig> {
        if text.trim().is_empty() {
            return Ok(RawConfig::default());
        }
        Ok(serde_yaml::from_str::<Option<RawConfig>>(text)
            .map_err(|err| {
                yaml_error(
                    path,
                    &err,
                    "fix it (the README lists every key) or move the file away to use the defaults",
                )
            })?
            .unwrap_or_default())
    }
}

impl Config {
    /// The path of the config file in a home directory.
    pub fn path(home: &Path) -> PathBuf {
        home.join(FILE_NAME)
    }

    /// Reads `config.yaml` from `home`; defaults when there is none.
    pub fn load(home: &Path) -> Result<Config> {
        let path = Config::path(home);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                anyhow!(
                    "{}: not valid UTF-8; save it as UTF-8 or move it away to use the defaults",
                    path.display()
                )
            })?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        };
        Config::parse(&text, &path)
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let raw = RawConfig::read(text, path)?;
        let check = Checks { path };
        let defaults = Config::default();
        let maximum_interval = check.or_default(
            "maximum_interval",
            raw.maximum_interval,
            defaults.maximum_interval,
            1..=36_500,
            "a number of days from 1 to 36500",
        )?;
        let day_starts_at = check.or_default(
            "day_starts_at",
            raw.day_starts_at,
            defaults.day_starts_at,
            0..=23,
            "an hour from 0 to 23",
        )?;
        let decks = check.deck_overrides(raw.decks.unwrap_or_default())?;
        let plans = check.plans(raw.plans.unwrap_or_default())?;
        let leech_threshold = check.or_default(
            "leech_threshold",
            raw.leech_threshold,
            defaults.leech_threshold,
            0..=1000,
            "a number of lapses from 0 (no leeches) to 1000",
        )?;
        Ok(Config {
            plans,
            leech_threshold,
            leech_action: raw.leech_action.unwrap_or(defaults.leech_action),
            new_order: raw.new_order.unwrap_or(defaults.new_order),
            sync_dir: match raw.sync_dir {
                Some(dir) if dir.as_os_str().is_empty() => {
                    return Err(check.invalid("sync_dir", "is empty; name a folder".into()));
                }
                dir => dir,
            },
            desired_retention: check.or_default(
                "desired_retention",
                raw.desired_retention,
                defaults.desired_retention,
                RETENTION,
                RETENTION_SAID,
            )?,
            maximum_interval,
            day_starts_at,
            learning_steps: check.steps(
                "learning_steps",
                raw.learning_steps,
                &defaults.learning_steps,
            )?,
            relearning_steps: check.steps(
                "relearning_steps",
                raw.relearning_steps,
                &defaults.relearning_steps,
            )?,
            fuzz: raw.fuzz.unwrap_or(defaults.fuzz),
            parameters: check
                .parameters("parameters", raw.parameters)?
                .unwrap_or(defaults.parameters),
            decks,
            new_per_day: check.or_default(
                "new_per_day",
                raw.new_per_day,
                defaults.new_per_day,
                CARDS_A_DAY,
                CARDS_A_DAY_SAID,
            )?,
            reviews_per_day: check.or_default(
                "reviews_per_day",
                raw.reviews_per_day,
                defaults.reviews_per_day,
                CARDS_A_DAY,
                CARDS_A_DAY_SAID,
            )?,
        })
    }

    /// Whether the lapse that brought a card to `lapses` makes it a leech:
    /// at the threshold, and again every half threshold after it (as
    /// Anki does), so an unsuspended leech that keeps lapsing is put
    /// aside again.
    pub fn is_leech_lapse(&self, lapses: u32) -> bool {
        let threshold = self.leech_threshold;
        threshold > 0
            && lapses >= threshold
            && (lapses - threshold).is_multiple_of((threshold / 2).max(1))
    }

    /// Whether a card with `lapses` lapses is a leech.
    pub fn is_leech(&self, lapses: u32) -> bool {
        self.leech_threshold > 0 && lapses >= self.leech_threshold
    }

    /// The parameters a deck is scheduled with.
    pub fn parameters_for(&self, deck: &str) -> &[f32] {
        self.decks
            .get(deck)
            .and_then(|deck| deck.parameters.as_deref())
            .unwrap_or(&self.parameters)
    }

    /// The desired retention of a deck.
    pub fn retention_for(&self, deck: &str) -> f32 {
        self.decks
            .get(deck)
            .and_then(|deck| deck.desired_retention)
            .unwrap_or(self.desired_retention)
    }
}

/// The desired retention a config may ask for, and how an error says it.
const RETENTION: std::ops::RangeInclusive<f32> = 0.7..=0.99;
const RETENTION_SAID: &str = "between 0.70 and 0.99";
/// The daily limits a config may set, and how an error says it.
const CARDS_A_DAY: std::ops::RangeInclusive<u32> = 0..=100_000;
const CARDS_A_DAY_SAID: &str = "a number of cards from 0 to 100000";

/// The checks of the config's values, whose errors name the file and the
/// key.
struct Checks<'a> {
    path: &'a Path,
}

impl Checks<'_> {
    fn invalid(&self, key: &str, problem: String) -> anyhow::Error {
        anyhow!(
            "{}: {key} {problem}; fix it or remove the key to use the default",
            self.path.display()
        )
    }

    /// `value`, if in `range`; `must_be` says the range in an error.
    fn within<T: PartialOrd + std::fmt::Display>(
        &self,
        key: &str,
        value: T,
        range: std::ops::RangeInclusive<T>,
        must_be: &str,
    ) -> Result<T> {
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(self.invalid(key, format!("is {value}; it must be {must_be}")))
        }
    }

    /// `value` checked as [`Checks::within`], or `default` without one.
    fn or_default<T: PartialOrd + std::fmt::Display>(
        &self,
        key: &str,
        value: Option<T>,
        default: T,
        range: std::ops::RangeInclusive<T>,
        must_be: &str,
    ) -> Result<T> {
        match value {
            None => Ok(default),
            Some(value) => self.within(key, value, range, must_be),
        }
    }

    fn parameters(&self, key: &str, value: Option<Vec<f32>>) -> Result<Option<Vec<f32>>> {
        match value {
            None => Ok(None),
            Some(value) => check_parameters(&value)
                .map(Some)
                .map_err(|problem| self.invalid(key, problem)),
        }
    }

    fn steps(&self, key: &str, value: Option<Vec<String>>, default: &[u32]) -> Result<Vec<u32>> {
        match value {
            None => Ok(default.to_vec()),
            Some(value) => value
                .iter()
                .map(|step| parse_step(step).map_err(|problem| self.invalid(key, problem)))
                .collect(),
        }
    }

    fn deck_overrides(
        &self,
        raw: BTreeMap<String, RawDeckOverrides>,
    ) -> Result<BTreeMap<String, DeckOverrides>> {
        let mut decks = BTreeMap::new();
        for (name, deck) in raw {
            decks.insert(
                name.clone(),
                DeckOverrides {
                    desired_retention: match deck.desired_retention {
                        None => None,
                        Some(value) => Some(self.within(
                            &format!("decks.{name}.desired_retention"),
                            value,
                            RETENTION,
                            RETENTION_SAID,
                        )?),
                    },
                    parameters: self
                        .parameters(&format!("decks.{name}.parameters"), deck.parameters)?,
                },
            );
        }
        Ok(decks)
    }

    fn plans(&self, raw: BTreeMap<String, RawPlan>) -> Result<BTreeMap<String, InterviewPlan>> {
        let mut plans = BTreeMap::new();
        for (name, plan) in raw {
            let key = format!("plans.{name}");
            let date = NaiveDate::parse_from_str(plan.date.trim(), "%Y-%m-%d").map_err(|_| {
                self.invalid(
                    &format!("{key}.date"),
                    format!("is {:?}; write the date as YYYY-MM-DD", plan.date),
                )
            })?;
            let target = match plan.target {
                None => DEFAULT_TARGET,
                Some(value) => check_target(value)
                    .map_err(|problem| self.invalid(&format!("{key}.target"), problem))?,
            };
            let max_new_per_day = match plan.max_new_per_day {
                None => None,
                Some(count) => Some(self.within(
                    &format!("{key}.max_new_per_day"),
                    count,
                    1..=10_000,
                    "a number of cards from 1 to 10000",
                )?),
            };
            plans.insert(
                name,
                InterviewPlan {
                    date,
                    target,
                    max_new_per_day,
                },
            );
        }
        Ok(plans)
    }
}

/// The target of a plan that names none.
pub const DEFAULT_TARGET: f32 = 0.9;

/// Checks a plan's target: a share of the deck, as a fraction.
pub fn check_target(value: f32) -> std::result::Result<f32, String> {
    if (0.5..=0.99).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "is {value}; a target is the share of the deck to recall, between 0.50 and 0.99"
        ))
    }
}

/// Checks a parameter list the way the `fsrs` crate will use it.
fn check_parameters(values: &[f32]) -> std::result::Result<Vec<f32>, String> {
    if values.len() != 21 {
        return Err(format!(
            "has {} values; FSRS-6 needs 21 (run `prep optimize` to fit them, or remove the key)",
            values.len()
        ));
    }
    if let Some(bad) = values.iter().find(|value| !value.is_finite()) {
        return Err(format!("contains {bad}, which is not a number"));
    }
    fsrs::FSRS::new(values).map_err(|err| format!("is not usable by FSRS ({err})"))?;
    Ok(values.to_vec())
}

/// Parses a step such as `30s`, `10m`, `1h` or `1d` into seconds.
pub fn parse_step(text: &str) -> std::result::Result<u32, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit_seconds = match unit.trim() {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => {
            return Err(format!(
                "has the step {text:?}; write steps as a number and a unit, such as 30s, 10m, 1h or 1d"
            ));
        }
    };
    let number: f64 = number.parse().map_err(|_| {
        format!("has the step {text:?}; write steps as a number and a unit, such as 10m")
    })?;
    let seconds = (number * unit_seconds).round();
    if !(1.0..=365.0 * 86_400.0).contains(&seconds) {
        return Err(format!(
            "has the step {text:?}; a step must be between 1s and 365d"
        ));
    }
    Ok(seconds as u32)
}

/// Formats seconds as the shortest step text (`90` → `1.5m`).
pub fn format_step(seconds: u32) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if seconds >= size && (seconds * 10).is_multiple_of(size) {
            let value = f64::from(seconds) / f64::from(size);
            return format!("{value}{unit}");
        }
    }
    format!("{seconds}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("config.yaml"))
    }

    #[test]
    fn an_empty_or_missing_file_gives_the_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("# only a comment\n").unwrap(), Config::default());
        let home = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(home.path()).unwrap(), Config::default());
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            "desired_retention: 0.85\nmaximum_interval: 365\nday_starts_at: 0\n\
             learning_steps: [30s, 5m, 1h]\nrelearning_steps: []\nfuzz: false\n\
             new_per_day: 5\nreviews_per_day: 0\n\
             decks:\n  aws:\n    desired_retention: 0.95\n",
        )
        .unwrap();
        assert_eq!(config.new_per_day, 5);
        assert_eq!(config.reviews_per_day, 0);
        assert_eq!(config.desired_retention, 0.85);
        assert_eq!(config.maximum_interval, 365);
        assert_eq!(config.day_starts_at, 0);
        assert_eq!(config.learning_steps, vec![30, 300, 3600]);
        assert!(config.relearning_steps.is_empty());
        assert!(!config.fuzz);
        assert_eq!(config.retention_for("aws"), 0.95);
        assert_eq!(config.retention_for("devops"), 0.85);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let err = format!("{:#}", parse("desired_retension: 0.9\n").unwrap_err());
        assert!(err.contains("desired_retension"), "{err}");
        assert!(err.starts_with("config.yaml:1:1:"), "{err}");
        for (text, key) in [
            ("desired_retention: 1.5\n", "desired_retention"),
            ("maximum_interval: 0\n", "maximum_interval"),
            ("day_starts_at: 24\n", "day_starts_at"),
            ("learning_steps: [10]\n", "learning_steps"),
            ("relearning_steps: [ten minutes]\n", "relearning_steps"),
            ("parameters: [1, 2, 3]\n", "parameters"),
            (
                "decks:\n  aws:\n    desired_retention: 2\n",
                "decks.aws.desired_retention",
            ),
            ("fuzz: maybe\n", "fuzz"),
            ("new_per_day: -1\n", "new_per_day"),
            ("reviews_per_day: 1000000\n", "reviews_per_day"),
            ("plans:\n  aws: {date: tomorrow}\n", "plans.aws.date"),
            (
                "plans:\n  aws: {date: 2026-12-12, target: 1.2}\n",
                "plans.aws.target",
            ),
            (
                "plans:\n  aws: {date: 2026-12-12, max_new_per_day: 0}\n",
                "plans.aws.max_new_per_day",
            ),
            ("plans:\n  aws: {date: 2026-12-12, on: 2026-12-12}\n", "on"),
        ] {
            let err = format!("{:#}", parse(text).unwrap_err());
            assert!(err.contains(key), "{text:?} gave {err}");
        }
    }

    #[test]
    fn steps_round_trip_through_their_text() {
        for text in ["30s", "1m", "10m", "1.5m", "1h", "1d"] {
            assert_eq!(format_step(parse_step(text).unwrap()), text);
        }
        assert!(parse_step("0m").is_err());
        assert!(parse_step("m").is_err());
    }
}
