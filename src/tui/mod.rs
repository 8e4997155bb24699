/*!
The terminal front end: the full-screen reviewer ([`reviewer`]), how it
paints styled lines ([`paint`]) and the markdown renderer answers go
through ([`render`]).

The terminal is put back as it was (raw mode off, main screen, cursor
shown) whichever way the reviewer ends: normally, on an error, on Ctrl-C
(a key in raw mode, so it is handled like `q`) and on a panic, through a
guard that restores on drop and a panic hook that restores before the
panic message is printed.
*/

pub(crate) mod paint;
pub mod render;
mod reviewer;

use std::io::Write;
use std::sync::Once;

use anyhow::{Context, Result};
use crossterm::{cursor, event, execute, terminal};

use crate::Settings;
use crate::session::Session;

/// Runs the reviewer on this terminal until the session ends or the user
/// quits, then prints the summary on the main screen.
pub fn run(
    session: &mut Session,
    settings: &Settings,
    typing: bool,
    color: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let started = std::time::Instant::now();
    // crossterm reads NO_COLOR itself; the choice made from `--color` and
    // NO_COLOR has been made already and is final.
    crossterm::style::force_color_output(color);
    if session.current().is_some() {
        let guard = Guard::enter()?;
        let mut reviewer = reviewer::Reviewer::new(session, settings, typing, color);
        let result = reviewer.run(&guard);
        drop(guard);
        result?;
    }
    let now = settings.current_time().to_utc();
    crate::quiz::write_summary(session, started.elapsed(), now, *settings.now.offset(), out)
}

/// Raw mode and the alternate screen for as long as it lives.
pub(crate) struct Guard(());

impl Guard {
    fn enter() -> Result<Guard> {
        install_panic_hook();
        // From here on, dropping the guard undoes whatever was done.
        let guard = Guard(());
        take()?;
        Ok(guard)
    }

    /// Hands the terminal to another program (an editor) while `work`
    /// runs, then takes it back.
    pub(crate) fn suspended<T>(&self, work: impl FnOnce() -> T) -> Result<T> {
        restore();
        let result = work();
        take()?;
        Ok(result)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, the alternate screen, pastes as one event, no cursor.
fn take() -> Result<()> {
    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        cursor::Hide
    )
    .context("cannot set up the terminal")
}

/// Puts the terminal back; safe to call more than once.
fn restore() {
    let _ = execute!(
        std::io::stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

/// A panic inside the reviewer must not leave the terminal raw and the
/// message on the alternate screen, where nobody sees it.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
