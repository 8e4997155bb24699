//! Replay is a function of the log files: random review sequences on
//! three devices in different time zones (one across a daylight saving
//! change), with different configs while they work apart, clocks skewed by
//! minutes and one by a year, synced in random orders by copying logs as a
//! file-sync tool does, end with byte-identical `history`, `cards` and
//! `stats` on every device, and `prep check` ok on each. Seeded, so a
//! failure names the seed that reproduces it.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::sync::copy_logs;
use crate::util::Home;

const DECK: &str = "\
cards:
- id: c0
  question: What is a VPC?
  answer: A private network.
- id: c1
  question: What is S3?
  answer: Object storage.
- id: c2
  question: What is EC2?
  answer: Virtual machines.
- id: c3
  question: What is IAM?
  answer: Identity and access.
";

/// SplitMix64: the same sequence on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Device {
    home: Home,
    /// The `TZ` it runs in, and its offset at an instant.
    tz: &'static str,
    offset: fn(DateTime<Utc>) -> FixedOffset,
    /// How far its clock is off.
    skew: Duration,
}

impl Device {
    fn now(&self, at: DateTime<Utc>) -> String {
        let at = at + self.skew;
        at.with_timezone(&(self.offset)(at)).to_rfc3339()
    }

    fn prep(&self, at: DateTime<Utc>, args: &[&str]) -> crate::util::Output {
        self.home
            .prep()
            .args(args)
            .env("PREP_NOW", self.now(at))
            .env("TZ", self.tz)
            .any_stdout()
            .any_stderr()
            .run()
    }
}

fn india(_: DateTime<Utc>) -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 1800).unwrap()
}

/// Los Angeles: summer time from 2026-03-08 10:00 UTC.
fn los_angeles(at: DateTime<Utc>) -> FixedOffset {
    let summer = "2026-03-08T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
    FixedOffset::west_opt(if at >= summer { 7 } else { 8 } * 3600).unwrap()
}

fn utc(_: DateTime<Utc>) -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

fn run(seed: u64) {
    let mut random = Random(seed);
    let year_ahead = seed.is_multiple_of(3);
    let devices = [
        Device {
            home: Home::new(),
            tz: "Asia/Kolkata",
            offset: india,
            skew: Duration::minutes(random.below(11) as i64 - 5),
        },
        Device {
            home: Home::new(),
            tz: "America/Los_Angeles",
            offset: los_angeles,
            skew: if year_ahead {
                Duration::days(365)
            } else {
                Duration::minutes(random.below(11) as i64 - 5)
            },
        },
        Device {
            home: Home::new(),
            tz: "UTC",
            offset: utc,
            skew: Duration::zero(),
        },
    ];
    let configs = [
        "learning_steps: [1m, 30m]\ndesired_retention: 0.85\n",
        "fuzz: false\nday_starts_at: 2\n",
        "relearning_steps: []\nmaximum_interval: 30\n",
    ];
    let start = "2026-03-05T06:00:00Z".parse::<DateTime<Utc>>().unwrap();
    for (device, config) in devices.iter().zip(configs) {
        device.home.write_deck("aws", DECK);
        device.home.write("config.yaml", config);
    }
    let mut at = start;
    for _ in 0..40 {
        at += Duration::minutes(random.below(60 * 20) as i64 + 1);
        let device = &devices[random.below(3) as usize];
        match random.below(10) {
            0..=6 => {
                let card = format!("c{}", random.below(4));
                let grade = ["again", "hard", "good", "easy"][random.below(4) as usize];
                device.prep(at, &["grade", &card, grade]);
            }
            7 => {
                // A config changed on one device along the way.
                let config = configs[random.below(3) as usize];
                device.home.write("config.yaml", config);
            }
            _ => {
                let to = &devices[random.below(3) as usize];
                copy_logs(&device.home, &to.home);
                to.prep(at, &["cards"]);
            }
        }
    }
    // Everything exchanged, and one config everywhere, as `prep sync`
    // leaves them; each device catches up where it is.
    for from in &devices {
        for to in &devices {
            copy_logs(&from.home, &to.home);
        }
    }
    at += Duration::hours(1);
    for device in &devices {
        device.home.write("config.yaml", configs[0]);
        device.prep(at, &["cards"]);
    }
    let seen = |device: &Device| -> Vec<String> {
        ["history", "cards", "stats"]
            .iter()
            .map(|command| {
                device
                    .home
                    .prep()
                    .args([command, "--json"])
                    .env("PREP_NOW", "2027-06-01T12:00:00Z")
                    .env("TZ", "UTC")
                    .any_stdout()
                    .any_stderr()
                    .run()
                    .stdout
            })
            .collect()
    };
    let first = seen(&devices[0]);
    assert!(first[0].lines().count() > 5, "seed {seed}: {}", first[0]);
    for (index, device) in devices.iter().enumerate().skip(1) {
        let other = seen(device);
        for (what, (one, two)) in ["history", "cards", "stats"]
            .iter()
            .zip(first.iter().zip(&other))
        {
            assert_eq!(
                one, two,
                "seed {seed}: {what} of device 0 and {index} differ"
            );
        }
    }
    for (index, device) in devices.iter().enumerate() {
        let check = device
            .home
            .prep()
            .arg("check")
            .env("PREP_NOW", "2027-06-01T12:00:00Z")
            .env("TZ", "UTC")
            .any_stdout()
            .any_stderr()
            .run();
        assert!(
            check.stdout.ends_with("\nok\n"),
            "seed {seed}: check on device {index}:\n{}{}",
            check.stdout,
            check.stderr
        );
    }
}

#[test]
fn devices_in_any_zone_config_and_sync_order_replay_to_the_same_states() {
    // Three seeds by default; twenty with PREP_SOAK=1.
    let seeds = if crate::util::soak() { 20 } else { 3 };
    for seed in 1..=seeds {
        run(seed);
    }
}
