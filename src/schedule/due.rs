//! What "due" means: the one definition that the quiz, `prep cards
//! --due`, the card filter and the statistics share.

use chrono::{DateTime, Utc};

use super::{CardState, DayClock, Phase};

/// Whether a reviewed card is due at `now`: a card in learning when its
/// step is over, a card in review on the day it falls due (review cards
/// are due from the start of their day).
pub fn is_due(state: &CardState, now: DateTime<Utc>, clock: DayClock) -> bool {
    is_due_at(state.phase, state.due, now, clock)
}

/// [`is_due`] from the two fields it reads.
pub fn is_due_at(phase: Phase, due: DateTime<Utc>, now: DateTime<Utc>, clock: DayClock) -> bool {
    match phase {
        Phase::Review => clock.day(due) <= clock.day(now),
        _ => due <= now,
    }
}
