/*!
What the two front ends of a quiz share: the terminal reviewer
([`crate::tui`]) and the line protocol (`commands/quiz/line_protocol.rs`) both
depend on this, and neither on the other, so they say the same words
([`describe`]), report typed answers alike ([`typed`]), count the time
spent on a card alike, and close with the same summary.

What the session decides (which card, what a grade does) is
[`crate::session`]'s, and what is drawn or read from a terminal is
[`crate::tui`]'s: this module holds words and figures, as values, for
both front ends to write. It reads no terminal and no clock.
*/

pub mod describe;
pub mod typed;

use std::io::Write;
use std::time::Duration;

use anyhow::Result;

use crate::schedule::zone::Zone;
use crate::session::Session;

/// Answers longer than this count as this long in the history, as Anki
/// caps them: a card left on screen during a break is not a hard card.
const LONGEST_ANSWER: Duration = Duration::from_secs(60);

/// The time spent on a card, for the history.
pub fn answer_ms(spent: Duration) -> u32 {
    u32::try_from(spent.min(LONGEST_ANSWER).as_millis()).unwrap_or(u32::MAX)
}

/// The closing lines of a session that ran for `elapsed`, at `now` (in
/// the `zone` times are shown in).
pub fn write_summary(
    session: &Session,
    elapsed: Duration,
    now: chrono::DateTime<chrono::Utc>,
    zone: Zone,
    out: &mut dyn Write,
) -> Result<()> {
    let summary = session.summary(now)?;
    for line in describe::summary(&summary, elapsed, now, zone) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
