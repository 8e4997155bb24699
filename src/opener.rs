//! The system's opener for a file (an image of a card): `open` on macOS,
//! `xdg-open` elsewhere, found on `PATH` once, into
//! [`Settings`](crate::Settings). Where there is none (a server, a
//! container), the reviewer says so rather than fail. On Linux `open` is
//! often `openvt`, which must never be handed an image, so only the
//! platform's own opener is looked for.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

/// The opener's name on this platform.
pub const NAME: &str = if cfg!(target_os = "macos") {
    "open"
} else {
    "xdg-open"
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    program: Option<PathBuf>,
}

impl Opener {
    /// The platform's opener, if `PATH` has it.
    pub fn from_env() -> Opener {
        let program = std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(NAME))
                .find(|candidate| is_executable(candidate))
        });
        Opener { program }
    }

    /// No opener, for tests and tools.
    pub fn none() -> Opener {
        Opener { program: None }
    }

    pub fn program(&self) -> Option<&Path> {
        self.program.as_deref()
    }

    /// Opens `file` in the background, its output kept off the screen; the
    /// opener's own exit is collected by a thread, so that it leaves no
    /// zombie. `Ok(false)` when there is no opener.
    pub fn open(&self, file: &Path) -> Result<bool> {
        let Some(program) = &self.program else {
            return Ok(false);
        };
        let mut child = Command::new(program)
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot run {}", program.display()))?;
        std::thread::spawn(move || child.wait());
        Ok(true)
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_opener_is_run_on_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join(NAME);
        let log = dir.path().join("opened");
        std::fs::write(
            &program,
            format!("#!/bin/sh\necho \"$1\" > '{}'\n", log.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let opener = Opener {
            program: Some(program),
        };
        assert!(opener.open(Path::new("/some/image.png")).unwrap());
        for _ in 0..200 {
            if std::fs::read_to_string(&log).is_ok_and(|text| text.ends_with('\n')) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "/some/image.png\n");
        assert!(!Opener::none().open(Path::new("x")).unwrap());
        assert!(!is_executable(&log), "a file without the executable bit");
    }
}
