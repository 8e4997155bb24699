//! Every key `config.yaml` knows, with its default and what it does,
//! written once for the manual page (`prep man`, under FILES). A test reads
//! the defaults back through [`Config::parse`](super::Config::parse) and
//! compares them with [`Config::default`](super::Config::default), so the
//! page cannot tell a default the code does not use.

/// One key of `config.yaml`.
pub struct Key {
    pub name: &'static str,
    pub default: KeyDefault,
    /// What it does, and the values it takes.
    pub meaning: &'static str,
}

/// A key's default.
pub enum KeyDefault {
    /// A value as it would be written in the file.
    Value(&'static str),
    /// A default that is not one short value, in words.
    Said(&'static str),
}

pub const KEYS: &[Key] = &[
    Key {
        name: "desired_retention",
        default: KeyDefault::Value("0.9"),
        meaning: "the recall probability aimed for at each review, 0.70-0.99",
    },
    Key {
        name: "maximum_interval",
        default: KeyDefault::Value("36500"),
        meaning: "the longest interval, in days (1-36500)",
    },
    Key {
        name: "day_starts_at",
        default: KeyDefault::Value("4"),
        meaning: "the local hour a new day starts, 0-23",
    },
    Key {
        name: "learning_steps",
        default: KeyDefault::Value("[1m, 10m]"),
        meaning: "the steps a new card goes through: s, m, h or d; [] for none",
    },
    Key {
        name: "relearning_steps",
        default: KeyDefault::Value("[10m]"),
        meaning: "the steps a forgotten card goes through",
    },
    Key {
        name: "fuzz",
        default: KeyDefault::Value("true"),
        meaning: "whether review intervals are spread a little, so that cards learned together part",
    },
    Key {
        name: "new_per_day",
        default: KeyDefault::Value("20"),
        meaning: "new cards a day, across all decks (0-100000)",
    },
    Key {
        name: "reviews_per_day",
        default: KeyDefault::Value("200"),
        meaning: "reviews of cards in review a day, across all decks (0-100000)",
    },
    Key {
        name: "leech_threshold",
        default: KeyDefault::Value("8"),
        meaning: "the lapses that make a card a leech; 0: never",
    },
    Key {
        name: "leech_action",
        default: KeyDefault::Value("suspend"),
        meaning: "what becoming a leech does: suspend, or tag (only list it as a leech)",
    },
    Key {
        name: "new_order",
        default: KeyDefault::Value("deck"),
        meaning: "the order new cards come in: deck, or random (drawn once a day)",
    },
    Key {
        name: "sync_dir",
        default: KeyDefault::Said("sync, in the home"),
        meaning: "the folder of the devices' review logs, relative to the home unless absolute",
    },
    Key {
        name: "parameters",
        default: KeyDefault::Said("FSRS-6's"),
        meaning: "the 21 FSRS-6 parameters; prep optimize fits them to your reviews",
    },
    Key {
        name: "decks",
        default: KeyDefault::Said("none"),
        meaning: "per-deck desired_retention and parameters, by deck name",
    },
    Key {
        name: "plans",
        default: KeyDefault::Said("none"),
        meaning: "interview dates by deck ({date, target, max_new_per_day}); prep plan writes them",
    },
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    #[test]
    fn the_defaults_written_are_the_defaults_used() {
        let text: String = KEYS
            .iter()
            .filter_map(|key| match key.default {
                KeyDefault::Value(value) => Some(format!("{}: {value}\n", key.name)),
                KeyDefault::Said(_) => None,
            })
            .collect();
        let config = Config::parse(&text, Path::new("config.yaml")).unwrap();
        assert_eq!(config, Config::default(), "{text}");
    }

    #[test]
    fn every_key_listed_is_one_the_file_takes() {
        // An empty map or list is a valid value of each of the others.
        for key in KEYS {
            let value = match key.default {
                KeyDefault::Value(value) => value,
                KeyDefault::Said(_) if key.name == "sync_dir" => "sync",
                KeyDefault::Said(_) if key.name == "parameters" => "[]",
                KeyDefault::Said(_) => "{}",
            };
            let text = format!("{}: {value}\n", key.name);
            let parsed = Config::parse(&text, Path::new("config.yaml"));
            let known = match &parsed {
                Ok(_) => true,
                Err(err) => !format!("{err:#}").contains("unknown field"),
            };
            assert!(known, "{text}: {parsed:?}");
        }
    }
}
