/*!
`prep quiz`: a review session. On a terminal it runs the full-screen
reviewer ([`crate::tui`]); otherwise the line protocol ([`line_protocol`]), so a
session can be scripted. Both drive one [`Session`], which decides the
order and commits each grade before the next card.

This is the command only: options in, the session built, a front end
chosen and run, the exit code out. The line protocol lives here as the
front end for pipes and scripts; nothing about what is due, what a grade
does or how a screen is painted does.
*/

mod line_protocol;

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::{Outcome, report_problems};
use crate::Settings;
use crate::session::{self, Session};

pub struct Options {
    pub session: session::Options,
    /// Type the answer before the reveal (`--type`).
    pub typing: bool,
    /// Colour the terminal reviewer, as decided from `--color` and
    /// `NO_COLOR` ([`super::color`]).
    pub color: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let now = settings.current_time().to_utc();
    let mut session = Session::start(settings, options.session.clone(), now)?;
    let stdin = std::io::stdin();
    let interrupted = if stdin.is_terminal() && std::io::stdout().is_terminal() {
        crate::tui::run(&mut session, settings, options.typing, options.color, out)?
    } else {
        line_protocol::run(&mut session, settings, options.typing, stdin.lock(), out)?;
        false
    };
    for notice in session.notices() {
        writeln!(out, "{notice}")?;
    }
    let outcome = report_problems(session.problems()).map(|outcome| {
        if interrupted {
            Outcome::Interrupted
        } else {
            outcome
        }
    });
    session.close_for_exit();
    outcome
}
