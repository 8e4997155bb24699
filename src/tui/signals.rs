//! Signals while the reviewer holds the terminal. A terminal in raw mode on
//! the alternate screen, cursor hidden, is unusable if prep dies there: so
//! on SIGTERM, SIGHUP (the window closed) and SIGQUIT the terminal is put
//! back before prep dies of the signal as it would have (every grade is
//! already on disk). On SIGTSTP (Ctrl-Z, which raw mode delivers as a key
//! the reviewer turns into this signal, or `kill -TSTP`) the terminal is
//! put back, prep stops, and on `fg` it takes the terminal again and the
//! reviewer redraws. While an editor has the terminal, prep leaves it to
//! the editor, stopping and going on with it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::{Handle, Signals};
use signal_hook::low_level;

/// Whether another program (an editor) has the terminal now.
static HANDED_OVER: AtomicBool = AtomicBool::new(false);
/// Set when prep went on after a stop, so the reviewer redraws.
static RESUMED: AtomicBool = AtomicBool::new(false);

/// The thread that answers signals, for as long as it lives.
pub(crate) struct Watch {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    pub(crate) fn start() -> Result<Watch> {
        let mut signals = Signals::new([SIGTERM, SIGHUP, SIGQUIT, SIGTSTP])
            .context("cannot watch for signals")?;
        let handle = signals.handle();
        let thread = std::thread::spawn(move || {
            for signal in signals.forever() {
                let ours = !HANDED_OVER.load(Ordering::SeqCst);
                if ours {
                    super::restore();
                }
                // Dies of the signal, or stops until SIGCONT, as without
                // a handler.
                let _ = low_level::emulate_default_handler(signal);
                if signal == SIGTSTP && ours && super::take().is_ok() {
                    RESUMED.store(true, Ordering::SeqCst);
                }
            }
        });
        Ok(Watch {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Stops prep as Ctrl-Z does in a shell: the watch thread puts the
/// terminal back, and takes it again on `fg`.
pub(crate) fn stop() {
    let _ = low_level::raise(SIGTSTP);
}

/// Whether prep went on after a stop since this was last asked.
pub(crate) fn resumed() -> bool {
    RESUMED.swap(false, Ordering::SeqCst)
}

/// Marks the terminal as another program's (or prep's again).
pub(crate) fn hand_over(other: bool) {
    HANDED_OVER.store(other, Ordering::SeqCst);
}
