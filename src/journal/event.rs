//! One change to review state, as a device's log holds it: one JSON
//! object a line. The line format is what other devices (and other
//! versions of prep) read, so it is pinned by a test of known output.
//!
//! ```text
//! {"seq":2,"at":"2026-12-01T09:00:00.000Z","op":"grade","card":"c1","deck":"aws","grade":3,"answer_ms":4200,"after":"laptop-0a1b2c:1","elapsed_days":0,"phase_before":"learning","phase":"review","step":0,"stability":2.3065,"difficulty":5.118,"due":"2026-12-03T09:00:00.000Z","interval_days":2,"reps":2,"lapses":0}
//! {"seq":3,"at":"2026-12-01T09:00:05.000Z","op":"undo","card":"c1","of":"laptop-0a1b2c:2"}
//! ```
//!
//! A grade carries the state it produced on the device that made it, so a
//! device that replays it in the same place of the card's history takes
//! that state as it is (whatever its own parameters, time zone or
//! version); `after` names the review the writer's state followed, which
//! tells when the place differs and the scheduler must decide again.

use std::fmt;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::setup::Setup;
use crate::schedule::{CardState, Grade, Phase, Transition};

/// Why a card is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendReason {
    /// `prep suspend` or `!` in the reviewer.
    User,
    /// It lapsed `leech_threshold` times and `leech_action` is `suspend`.
    Leech,
}

impl SuspendReason {
    /// The word the store and the sync logs keep.
    pub fn as_str(self) -> &'static str {
        match self {
            SuspendReason::User => "user",
            SuspendReason::Leech => "leech",
        }
    }

    /// The reason a kept word names: any word but `leech` is the user's.
    pub fn from_code(code: &str) -> SuspendReason {
        match code {
            "leech" => SuspendReason::Leech,
            _ => SuspendReason::User,
        }
    }
}

/// A change's identity: the device that made it and its number in that
/// device's log. Written `DEVICE:SEQ`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId {
    pub device: String,
    pub seq: u64,
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.device, self.seq)
    }
}

impl EventId {
    pub fn parse(text: &str) -> Result<EventId> {
        let (device, seq) = text
            .rsplit_once(':')
            .ok_or_else(|| anyhow!("{text:?} is not DEVICE:SEQ"))?;
        if !is_device_id(device) {
            bail!("{device:?} is not a device id");
        }
        let seq = seq
            .parse()
            .map_err(|_| anyhow!("{text:?} is not DEVICE:SEQ"))?;
        Ok(EventId {
            device: device.to_string(),
            seq,
        })
    }
}

/// Whether `text` can name a device (and so a log file): ASCII letters,
/// digits, `-`, `_` and `.`, not starting with a dot.
pub fn is_device_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && !text.starts_with('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// What changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A review, with the state it produced where it was made.
    Grade {
        deck: String,
        answer_ms: u32,
        /// The review the writer's state followed (none for a card new,
        /// or just forgotten, on the writer).
        after: Option<EventId>,
        transition: Transition,
    },
    /// Takes back a review, wherever it was made.
    Undo {
        of: EventId,
    },
    Bury {
        until: DateTime<Utc>,
    },
    Unbury,
    Suspend {
        reason: SuspendReason,
    },
    Unsuspend,
    Mark,
    Unmark,
    /// Back to new; the reviews before stay as history.
    Forget,
    /// What this device schedules with from here on (no card).
    Setup(Box<Setup>),
}

/// One line of a device's log.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    /// When it happened, to the millisecond (what the store keeps).
    pub at: DateTime<Utc>,
    pub card: String,
    pub change: Change,
}

impl Event {
    /// The order replay puts changes in: by time, then by device and
    /// number, so that every device puts the same changes in the same
    /// order.
    pub fn order_key(&self) -> (i64, &str, u64) {
        (self.at.timestamp_millis(), &self.id.device, self.id.seq)
    }

    /// The line, without its newline.
    pub fn to_line(&self) -> String {
        let mut wire = Wire {
            seq: self.id.seq,
            at: time_text(self.at),
            op: self.op().to_string(),
            card: self.card.clone(),
            ..Wire::default()
        };
        match &self.change {
            Change::Grade {
                deck,
                answer_ms,
                after,
                transition,
            } => {
                let state = &transition.state;
                wire.deck = Some(deck.clone());
                wire.grade = Some(transition.grade.rating());
                wire.answer_ms = Some(*answer_ms);
                wire.after = Some(after.as_ref().map(EventId::to_string));
                wire.elapsed_days = Some(transition.elapsed_days);
                wire.phase_before = Some(transition.phase_before.as_str().to_string());
                wire.phase = Some(state.phase.as_str().to_string());
                wire.step = Some(state.step);
                wire.stability = Some(state.stability);
                wire.difficulty = Some(state.difficulty);
                wire.due = Some(time_text(state.due));
                wire.interval_days = Some(state.interval_days);
                wire.reps = Some(state.reps);
                wire.lapses = Some(state.lapses);
            }
            Change::Undo { of } => wire.of = Some(of.to_string()),
            Change::Bury { until } => wire.until = Some(time_text(*until)),
            Change::Suspend { reason } => wire.reason = Some(reason.as_str().to_string()),
            Change::Setup(setup) => wire.setup = Some(setup.as_ref().clone()),
            Change::Unbury | Change::Unsuspend | Change::Mark | Change::Unmark | Change::Forget => {
            }
        }
        serde_json::to_string(&wire).expect("a log line always serialises")
    }

    fn op(&self) -> &'static str {
        match self.change {
            Change::Grade { .. } => "grade",
            Change::Undo { .. } => "undo",
            Change::Bury { .. } => "bury",
            Change::Unbury => "unbury",
            Change::Suspend { .. } => "suspend",
            Change::Unsuspend => "unsuspend",
            Change::Mark => "mark",
            Change::Unmark => "unmark",
            Change::Forget => "forget",
            Change::Setup(_) => "setup",
        }
    }

    /// Reads one line of `device`'s log.
    pub fn parse(device: &str, line: &str) -> Result<Event> {
        let wire: Wire = serde_json::from_str(line).context("not a log line")?;
        // The store keeps numbers as SQLite integers.
        if wire.seq == 0 || i64::try_from(wire.seq).is_err() {
            bail!("seq {} is not a change's number (1 to 2^63-1)", wire.seq);
        }
        let at = parse_time(&wire.at).context("at")?;
        let need = |name: &str| anyhow!("a {} line needs {name}", wire.op);
        let change = match wire.op.as_str() {
            "grade" => {
                let rating = wire.grade.ok_or_else(|| need("grade"))?;
                let grade = Grade::from_rating(i64::from(rating))
                    .ok_or_else(|| anyhow!("grade {rating} is not 1-4"))?;
                let phase = |text: Option<&String>, name: &str| -> Result<Phase> {
                    let text = text.ok_or_else(|| need(name))?;
                    phase_named(text).ok_or_else(|| anyhow!("{name} {text:?} is not a phase"))
                };
                let phase_before = phase(wire.phase_before.as_ref(), "phase_before")?;
                let state_phase = phase(wire.phase.as_ref(), "phase")?;
                if state_phase == Phase::New {
                    bail!("a review cannot leave a card new");
                }
                let positive = |value: Option<f32>, name: &str| -> Result<f32> {
                    let value = value.ok_or_else(|| need(name))?;
                    if value.is_finite() && value > 0.0 {
                        Ok(value)
                    } else {
                        Err(anyhow!("{name} {value} is not a positive number"))
                    }
                };
                let due =
                    parse_time(wire.due.as_deref().ok_or_else(|| need("due"))?).context("due")?;
                let after = match wire.after.flatten() {
                    Some(text) => Some(EventId::parse(&text).context("after")?),
                    None => None,
                };
                Change::Grade {
                    deck: wire.deck.ok_or_else(|| need("deck"))?,
                    answer_ms: wire.answer_ms.unwrap_or(0),
                    after,
                    transition: Transition {
                        grade,
                        phase_before,
                        elapsed_days: wire.elapsed_days.unwrap_or(0),
                        state: CardState {
                            phase: state_phase,
                            step: wire.step.unwrap_or(0),
                            stability: positive(wire.stability, "stability")?,
                            difficulty: positive(wire.difficulty, "difficulty")?,
                            due,
                            last_review: at,
                            interval_days: wire.interval_days.unwrap_or(0),
                            reps: wire.reps.ok_or_else(|| need("reps"))?,
                            lapses: wire.lapses.unwrap_or(0),
                        },
                    },
                }
            }
            "undo" => Change::Undo {
                of: EventId::parse(wire.of.as_deref().ok_or_else(|| need("of"))?).context("of")?,
            },
            "bury" => Change::Bury {
                until: parse_time(wire.until.as_deref().ok_or_else(|| need("until"))?)
                    .context("until")?,
            },
            "unbury" => Change::Unbury,
            "suspend" => Change::Suspend {
                reason: match wire.reason.as_deref() {
                    Some("leech") => SuspendReason::Leech,
                    _ => SuspendReason::User,
                },
            },
            "unsuspend" => Change::Unsuspend,
            "mark" => Change::Mark,
            "unmark" => Change::Unmark,
            "forget" => Change::Forget,
            "setup" => {
                let setup = wire.setup.ok_or_else(|| need("setup"))?;
                setup.validate().context("setup")?;
                Change::Setup(Box::new(setup))
            }
            other => bail!("{other:?} is not a change prep knows; upgrade prep"),
        };
        if wire.card.is_empty() != matches!(change, Change::Setup(_)) {
            bail!(if wire.card.is_empty() {
                "no card"
            } else {
                "a setup line is of no card"
            });
        }
        Ok(Event {
            id: EventId {
                device: device.to_string(),
                seq: wire.seq,
            },
            at,
            card: wire.card,
            change,
        })
    }
}

fn phase_named(text: &str) -> Option<Phase> {
    [
        Phase::New,
        Phase::Learning,
        Phase::Review,
        Phase::Relearning,
    ]
    .into_iter()
    .find(|phase| phase.as_str() == text)
}

/// A time as the log writes it: RFC 3339 in UTC, to the millisecond.
fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    let at = DateTime::parse_from_rfc3339(text)
        .map_err(|err| anyhow!("{text:?} is not an RFC 3339 time ({err})"))?
        .to_utc();
    // The store keeps milliseconds; so does replay.
    DateTime::from_timestamp_millis(at.timestamp_millis())
        .ok_or_else(|| anyhow!("{text:?} is out of range"))
}

/// The line as JSON sees it: every field a change can have, each left out
/// when it has none.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Wire {
    seq: u64,
    at: String,
    op: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    card: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deck: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answer_ms: Option<u32>,
    /// Written as `null` for a grade that followed no review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    after: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    elapsed_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phase_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    step: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stability: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    difficulty: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interval_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lapses: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    setup: Option<Setup>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_time(text).unwrap()
    }

    fn grade_event() -> Event {
        Event {
            id: EventId {
                device: "laptop-0a1b2c".into(),
                seq: 2,
            },
            at: at("2026-12-01T09:00:00Z"),
            card: "c1".into(),
            change: Change::Grade {
                deck: "aws".into(),
                answer_ms: 4200,
                after: Some(EventId {
                    device: "laptop-0a1b2c".into(),
                    seq: 1,
                }),
                transition: Transition {
                    grade: Grade::Good,
                    phase_before: Phase::Learning,
                    elapsed_days: 0,
                    state: CardState {
                        phase: Phase::Review,
                        step: 0,
                        stability: 2.3065,
                        difficulty: 5.118,
                        due: at("2026-12-03T09:00:00Z"),
                        last_review: at("2026-12-01T09:00:00Z"),
                        interval_days: 2,
                        reps: 2,
                        lapses: 0,
                    },
                },
            },
        }
    }

    /// The line format other devices read: known output, and back.
    #[test]
    fn lines_are_written_as_pinned_and_read_back() {
        let grade = grade_event();
        let line = grade.to_line();
        assert_eq!(
            line,
            r#"{"seq":2,"at":"2026-12-01T09:00:00.000Z","op":"grade","card":"c1","deck":"aws","grade":3,"answer_ms":4200,"after":"laptop-0a1b2c:1","elapsed_days":0,"phase_before":"learning","phase":"review","step":0,"stability":2.3065,"difficulty":5.118,"due":"2026-12-03T09:00:00.000Z","interval_days":2,"reps":2,"lapses":0}"#
        );
        assert_eq!(Event::parse("laptop-0a1b2c", &line).unwrap(), grade);

        let undo = Event {
            id: EventId {
                device: "laptop-0a1b2c".into(),
                seq: 3,
            },
            at: at("2026-12-01T09:00:05Z"),
            card: "c1".into(),
            change: Change::Undo {
                of: EventId {
                    device: "laptop-0a1b2c".into(),
                    seq: 2,
                },
            },
        };
        assert_eq!(
            undo.to_line(),
            r#"{"seq":3,"at":"2026-12-01T09:00:05.000Z","op":"undo","card":"c1","of":"laptop-0a1b2c:2"}"#
        );
        assert_eq!(
            Event::parse("laptop-0a1b2c", &undo.to_line()).unwrap(),
            undo
        );

        let first = Event {
            change: match grade.change.clone() {
                Change::Grade {
                    deck,
                    answer_ms,
                    transition,
                    ..
                } => Change::Grade {
                    deck,
                    answer_ms,
                    after: None,
                    transition,
                },
                _ => unreachable!(),
            },
            ..grade
        };
        assert!(first.to_line().contains(r#""after":null"#));
        assert_eq!(
            Event::parse("laptop-0a1b2c", &first.to_line()).unwrap(),
            first
        );

        for change in [
            Change::Bury {
                until: at("2026-12-02T04:00:00Z"),
            },
            Change::Unbury,
            Change::Suspend {
                reason: SuspendReason::Leech,
            },
            Change::Unsuspend,
            Change::Mark,
            Change::Unmark,
            Change::Forget,
        ] {
            let event = Event {
                id: EventId {
                    device: "d".into(),
                    seq: 9,
                },
                at: at("2026-12-01T10:00:00Z"),
                card: "c2".into(),
                change,
            };
            assert_eq!(Event::parse("d", &event.to_line()).unwrap(), event);
        }
    }

    #[test]
    fn damaged_lines_say_what_is_wrong() {
        for (line, wanted) in [
            ("{", "not a log line"),
            (
                r#"{"seq":1,"at":"yesterday","op":"mark","card":"c"}"#,
                "RFC 3339",
            ),
            (
                r#"{"seq":1,"at":"2026-12-01T10:00:00Z","op":"grade","card":"c"}"#,
                "needs grade",
            ),
            (
                r#"{"seq":1,"at":"2026-12-01T10:00:00Z","op":"teleport","card":"c"}"#,
                "upgrade prep",
            ),
            (
                r#"{"seq":1,"at":"2026-12-01T10:00:00Z","op":"undo","card":"c","of":"nope"}"#,
                "DEVICE:SEQ",
            ),
        ] {
            let err = format!("{:#}", Event::parse("d", line).unwrap_err());
            assert!(err.contains(wanted), "{line}: {err}");
        }
    }

    proptest::proptest! {
        /// Another machine's file is input like any other: whatever it
        /// holds, reading a line gives a change or an error, never a
        /// panic, and a change read back writes the line it came from.
        #[test]
        fn any_line_reads_as_a_change_or_an_error(line in ".{0,300}") {
            if let Ok(event) = Event::parse("d", &line) {
                proptest::prop_assert_eq!(Event::parse("d", &event.to_line()).unwrap(), event);
            }
        }

        #[test]
        fn lines_with_the_right_shape_but_odd_values_never_panic(
            seq in proptest::num::u64::ANY,
            op in "(grade|undo|bury|mark|forget|suspend|x)",
            grade in 0u32..7,
            stability in proptest::num::f32::ANY,
            at in "(2026-12-01T10:00:00Z|9999-12-31T23:59:59Z|-0001-01-01T00:00:00Z|x)",
        ) {
            let line = format!(
                r#"{{"seq":{seq},"at":"{at}","op":"{op}","card":"c","deck":"d","grade":{grade},"after":null,"phase_before":"new","phase":"review","stability":{stability},"difficulty":5.0,"due":"{at}","reps":1,"of":"d:1","until":"{at}"}}"#
            );
            let _ = Event::parse("d", &line);
        }
    }

    #[test]
    fn device_ids_are_file_names() {
        assert!(is_device_id("laptop-0a1b2c"));
        assert!(!is_device_id("../x"));
        assert!(!is_device_id(".hidden"));
        assert!(!is_device_id(""));
        assert!(!is_device_id("a:b"));
    }
}
