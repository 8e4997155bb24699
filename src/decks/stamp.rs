//! What identifies one version of a deck file without reading it, as git
//! judges its index: size, modification and change times, inode and
//! device. An edit, a `git checkout` or a copy changes the change time
//! (which, unlike the modification time, no tool can set back). The deck
//! cache ([`super::cache`]) and the store's deck index both trust a file
//! whose stamp is as recorded, once it has settled.

use std::time::{Duration, SystemTime};

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: i64,
    pub changed_ns: i64,
    pub inode: u64,
    pub device: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            changed_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
            inode: meta.ino(),
            device: meta.dev(),
        }
    }

    /// Without change times and inodes, the modification time and size.
    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos() as i64);
        Stamp {
            len: meta.len(),
            modified_ns,
            changed_ns: modified_ns,
            inode: 0,
            device: 0,
        }
    }

    /// Whether the file's last change is at least `settle` in the past.
    pub fn settled(&self, settle: Duration) -> bool {
        let now_ns = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as i64);
        let last = self.changed_ns.max(self.modified_ns);
        now_ns.saturating_sub(last) >= settle.as_nanos() as i64
    }

    pub fn to_bytes(self) -> [u8; 40] {
        let mut bytes = [0; 40];
        for (slot, value) in bytes.chunks_exact_mut(8).zip([
            self.len,
            self.modified_ns as u64,
            self.changed_ns as u64,
            self.inode,
            self.device,
        ]) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
        bytes
    }
}
