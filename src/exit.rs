//! Memory a process about to exit does not free.
//!
//! A command over 100,000 cards holds a million small allocations; freeing
//! them one by one took longer than the command's own work did (`prep
//! stats` spent a third of its time in drops), and the system takes the
//! memory back at exit anyway. What must be closed (the review store, so
//! SQLite checkpoints its log; files, so they are flushed) is closed
//! before; only plain memory is given here.

/// Leaves `value`'s memory to the exiting process. Only for values that
/// own nothing but memory: no files, no connections, no threads.
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}
