//! The leech rule, one definition for every way a grade is given (the
//! reviewer, the line protocol, `prep grade`): a lapse that brings a card's
//! lapses to `leech_threshold`, or to every half threshold past it, makes
//! it a leech, and `leech_action: suspend` puts it aside.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::config::{Config, LeechAction};
use crate::schedule::{Grade, Phase, Transition};
use crate::store::{Store, SuspendReason};

/// What the rule did after a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leech {
    pub action: LeechAction,
    pub lapses: u32,
    /// Whether this grade suspended the card (it was not already).
    pub suspended: bool,
}

/// Applies the rule to the grade `transition` gave card `id`.
pub fn after_grade(
    store: &mut Store,
    config: &Config,
    id: &str,
    transition: &Transition,
    now: DateTime<Utc>,
) -> Result<Option<Leech>> {
    let lapsed = transition.grade == Grade::Again && transition.phase_before == Phase::Review;
    let lapses = transition.state.lapses;
    if !lapsed || !config.is_leech_lapse(lapses) {
        return Ok(None);
    }
    let action = config.leech_action;
    let suspended =
        action == LeechAction::Suspend && store.suspend(&[id], now, SuspendReason::Leech)? > 0;
    Ok(Some(Leech {
        action,
        lapses,
        suspended,
    }))
}
