//! The files a person keeps (decks, `config.yaml`, import records):
//! written atomically, and YAML that does not parse reported as one line
//! that names the place.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

/// Replaces `path` with `bytes` so that a crash leaves the old or the new
/// content, never a mix.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".prep-").suffix(".tmp");
    // A temporary file is private (0600); a deck is an ordinary file. A new
    // one gets the mode any program's new file gets (0666 less the umask),
    // and a replaced one keeps its own.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let existing = std::fs::metadata(path).ok().map(|meta| meta.permissions());
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    if let Some(permissions) = existing {
        temp.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    // The rename is durable only once the directory entry is on disk.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A YAML file that does not parse, as one line: `FILE:LINE:COLUMN:
/// PROBLEM; ADVICE`, the place in front as compilers put it.
pub fn yaml_error(path: &Path, err: &serde_yaml::Error, advice: &str) -> anyhow::Error {
    let place = err
        .location()
        .map(|at| format!(":{}:{}", at.line(), at.column()))
        .unwrap_or_default();
    let message = err.to_string();
    let message = strip_location(&message);
    let hint = unknown_field_hint(message).unwrap_or_default();
    anyhow::anyhow!("{}{place}: {message}{hint}; {advice}", path.display())
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the known
/// field `x` is most likely a typo of, as ` (did you mean `a`?)`.
fn unknown_field_hint(message: &str) -> Option<String> {
    const UNKNOWN: &str = "unknown field `";
    let rest = &message[message.find(UNKNOWN)? + UNKNOWN.len()..];
    let (field, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let near = crate::suggest::closest(field, known.iter().copied())?;
    Some(format!(" (did you mean `{near}`?)"))
}

/// serde_yaml appends "at line L column C" to its messages; prep puts the
/// place in front, as compilers do.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_named_with_the_key_it_is_most_like() {
        assert_eq!(
            unknown_field_hint(
                "unknown field `new_cards_per_day`, expected one of `fuzz`, `new_per_day`, `reviews_per_day`"
            ),
            Some(" (did you mean `new_per_day`?)".to_string())
        );
        assert_eq!(
            unknown_field_hint("unknown field `zzz`, expected `a` or `b`"),
            None
        );
    }

    #[test]
    fn a_file_written_atomically_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/deck.yaml");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }
}
