/*!
The terminal front end: the full-screen reviewer ([`reviewer`]) and its
keys ([`keys`]), how it paints styled lines ([`paint`]) and the markdown
renderer answers go through ([`render`]).

The terminal is put back as it was (raw mode off, main screen, cursor
shown) whichever way the reviewer ends: normally, on an error, on Ctrl-C
(a key in raw mode, so it is handled like `q`), on a panic, and on the
signals that end or stop a process ([`signals`]), through a guard that
restores on drop, a panic hook that restores before the panic message is
printed, and a thread that restores before a signal takes effect.

Only the terminal is here: which card comes next and what a grade does
are [`crate::session`]'s, and what both front ends say alike is
[`crate::quiz`]'s. The reviewer asks the session and shows its answer; it
decides nothing about the schedule itself.
*/

pub mod keys;
pub(crate) mod paint;
pub mod render;
mod reviewer;
mod signals;

use std::io::Write;
use std::sync::Once;

use anyhow::{Context, Result};
use crossterm::{cursor, event, terminal};

use crate::Settings;
use crate::session::Session;

/// Runs the reviewer on this terminal until the session ends or the user
/// quits, then prints the summary on the main screen. `true` when the user
/// interrupted it with Ctrl-C.
pub fn run(
    session: &mut Session,
    settings: &Settings,
    typing: bool,
    color: bool,
    out: &mut dyn Write,
) -> Result<bool> {
    let started = std::time::Instant::now();
    // crossterm reads NO_COLOR itself; the choice made from `--color` and
    // NO_COLOR has been made already and is final.
    crossterm::style::force_color_output(color);
    let mut interrupted = false;
    if session.current().is_some() {
        let guard = Guard::enter()?;
        let mut reviewer = reviewer::Reviewer::new(session, settings, typing, color);
        let result = reviewer.run(&guard);
        let errors = reviewer.errors().to_vec();
        drop(guard);
        // What went wrong during the session, whole, on the main screen.
        for error in &errors {
            crate::messages::error(error);
        }
        interrupted = result?;
    }
    let now = settings.current_time().to_utc();
    crate::quiz::write_summary(session, started.elapsed(), now, settings.zone, out)?;
    Ok(interrupted)
}

/// Raw mode and the alternate screen for as long as it lives.
pub(crate) struct Guard {
    _signals: signals::Watch,
}

impl Guard {
    fn enter() -> Result<Guard> {
        install_panic_hook();
        // From here on, dropping the guard undoes whatever was done.
        let guard = Guard {
            _signals: signals::Watch::start()?,
        };
        take()?;
        Ok(guard)
    }

    /// Stops prep as Ctrl-Z does in a shell, giving the terminal back until
    /// `fg`.
    pub(crate) fn stop(&self) {
        signals::stop();
    }

    /// The next event, or `None` when prep went on after a stop and the
    /// screen must be drawn again.
    pub(crate) fn next_event(&self) -> Result<Option<event::Event>> {
        loop {
            if event::poll(std::time::Duration::from_millis(200))? {
                return Ok(Some(event::read()?));
            }
            if signals::resumed() {
                return Ok(None);
            }
        }
    }

    /// Hands the terminal to another program (an editor) while `work`
    /// runs, then takes it back.
    pub(crate) fn suspended<T>(&self, work: impl FnOnce() -> T) -> Result<T> {
        restore();
        signals::hand_over(true);
        let result = work();
        signals::hand_over(false);
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
    let mut codes = Vec::new();
    crossterm::queue!(
        codes,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        cursor::Hide
    )
    .context("cannot set up the terminal")?;
    write_unlocked(&codes);
    Ok(())
}

/// Puts the terminal back; safe to call more than once, and from any
/// thread: the signal thread calls it while the main thread holds the lock
/// of standard output (for the whole command), so the codes go straight to
/// its file descriptor.
fn restore() {
    let mut codes = Vec::new();
    let _ = crossterm::queue!(
        codes,
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    write_unlocked(&codes);
    let _ = terminal::disable_raw_mode();
}

/// Writes `bytes` to standard output's file descriptor, past the lock of
/// `std::io::stdout()`.
#[cfg(unix)]
fn write_unlocked(bytes: &[u8]) {
    use std::os::fd::{AsRawFd, FromRawFd};
    let fd = std::io::stdout().as_raw_fd();
    // SAFETY: fd 1 stays open for the life of the process; ManuallyDrop
    // keeps this File from closing it.
    let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let _ = file.write_all(bytes);
    let _ = file.flush();
}

#[cfg(not(unix))]
fn write_unlocked(bytes: &[u8]) {
    let _ = std::io::stdout().write_all(bytes);
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
