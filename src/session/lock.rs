//! Telling a review session that another one runs on the same home. Two
//! sessions may well go on together (every grade is its own transaction),
//! but they draw from the same due cards, so the second one says so, and
//! a card graded in the other after this one queued it is not graded
//! again here (see [`super::Session::answer`]).
//!
//! The first session holds an advisory lock on `$PREP_HOME/quiz.lock` for
//! as long as it runs, with its process id written in the file; the lock
//! goes with the process, however it ends, so a crash leaves nothing stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

pub const FILE_NAME: &str = "quiz.lock";

/// This session's standing on its home.
#[derive(Debug)]
pub enum Standing {
    /// The only session: the lock is held until this is dropped.
    // Held, never read: the lock lasts as long as the open file.
    Alone(#[allow(dead_code)] File),
    /// Another session holds the lock; its process id, when it wrote one.
    Second { pid: Option<u32> },
    /// The lock could not be taken or tested (a read-only home, a file
    /// system without locks): nothing is known, nothing is said.
    Unknown,
}

/// Takes the home's session lock, or finds who holds it.
pub fn take(home: &Path) -> Standing {
    let path = home.join(FILE_NAME);
    let Ok(mut file) = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    else {
        return Standing::Unknown;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| writeln!(file, "{}", std::process::id()))
                .and_then(|()| file.flush());
            Standing::Alone(file)
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            Standing::Second {
                pid: text.trim().parse().ok(),
            }
        }
        Err(TryLockError::Error(_)) => Standing::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_taker_learns_of_the_first_until_it_lets_go() {
        let home = tempfile::tempdir().unwrap();
        let first = take(home.path());
        assert!(matches!(first, Standing::Alone(_)));
        match take(home.path()) {
            Standing::Second { pid } => assert_eq!(pid, Some(std::process::id())),
            other => panic!("{other:?}"),
        }
        drop(first);
        assert!(matches!(take(home.path()), Standing::Alone(_)));
    }
}
