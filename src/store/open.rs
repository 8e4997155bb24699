//! Opening the store: connecting to the file, checking that it is prep's
//! and not newer than this prep before anything is written, switching it
//! to WAL, and bringing its schema up to date; or, in a home prep may not
//! write, opening it for reading only, so that `prep stats` and the other
//! readers still work there.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use super::schema::{APPLICATION_ID, MIGRATIONS};
use super::{BUSY_TIMEOUT, Failure, Result, Store, StoreError, explained, latest_version};

impl Store {
    /// Opens the store of `home` for reading and writing, creating the
    /// home directory and the database if there is none yet.
    pub fn open(home: &Path) -> anyhow::Result<Store> {
        let path = Store::path_in(home);
        let exists = path.try_exists().unwrap_or(true);
        if !exists {
            std::fs::create_dir_all(home)
                .with_context(|| format!("cannot create {}", home.display()))?;
        }
        explained(&path, || {
            let mut store = Store::connect(&path, !exists)?;
            store.migrate()?;
            store.journal.device = super::cache::device_id(&store.conn)?;
            Ok(store)
        })
    }

    /// Opens the store of `home` if it has one; `None` when nothing has
    /// been reviewed yet (no file). Never creates anything. In a home prep
    /// may not write (the directory or the file without write permission,
    /// or SQLite unable to open it for writing), the store is opened for
    /// reading only ([`Store::open_read_only`]), and writing through it
    /// fails with a message that says so.
    pub fn open_existing(home: &Path) -> anyhow::Result<Option<Store>> {
        let path = Store::path_in(home);
        if !path.try_exists().unwrap_or(true) {
            return Ok(None);
        }
        if write_protected(home) || write_protected(&path) {
            return Store::open_read_only(home);
        }
        let opened = (|| -> Result<Option<Store>> {
            let mut store = Store::connect(&path, false)?;
            store.migrate()?;
            store.journal.device = super::cache::device_id(&store.conn)?;
            Ok(Some(store))
        })();
        match opened {
            Err(failure)
                if matches!(
                    failure.code(),
                    Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
                ) =>
            {
                // A read-only file system, or a home of another user:
                // read what is there, or say why not as before.
                Store::open_read_only(home).or_else(|_| explained(&path, || Err(failure)))
            }
            opened => explained(&path, || opened),
        }
    }

    /// Opens the store of `home` for reading only; `None` when it has
    /// none. Nothing is written, not even SQLite's `-wal` and `-shm` files
    /// beside the database: it is opened `immutable`, which is sound
    /// because no prep process can write a home it may not write.
    pub fn open_read_only(home: &Path) -> anyhow::Result<Option<Store>> {
        let path = Store::path_in(home);
        if !path.try_exists().unwrap_or(true) {
            return Ok(None);
        }
        explained(&path, || {
            let uri = immutable_uri(&path)?;
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let mut store = Store::checked(&path, Connection::open_with_flags(uri, flags)?)?;
            store.read_only = true;
            let version = store.identity()?.1;
            if version != latest_version() {
                return Err(anyhow!(
                    "{}: kept by an older prep (schema version {version}), and prep may not write to update it; make {} writable and run prep once",
                    path.display(),
                    home.display()
                )
                .into());
            }
            store.journal.device = store
                .conn
                .query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
                    row.get(0)
                })
                .optional()?
                .unwrap_or_default();
            Ok(Some(store))
        })
    }

    /// Whether this store was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn connect(path: &Path, create: bool) -> Result<Store> {
        if path.is_dir() {
            return Err(anyhow!(
                "{} is a directory; prep keeps its review database in a file of that name, so move the directory away",
                path.display()
            )
            .into());
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let store = Store::checked(path, Connection::open_with_flags(path, flags)?)?;
        // Switching a new database to WAL needs it to itself, and SQLite
        // does not wait for that through the busy handler: when two
        // processes create the database at once, the second retries here.
        retry_while_busy(|| {
            let mode: String = store
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                let _: String = store
                    .conn
                    .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            }
            Ok(())
        })?;
        store.conn.execute_batch("PRAGMA synchronous = FULL")?;
        Ok(store)
    }

    /// The store on `conn`, once its first read has shown the file to be
    /// prep's (or empty) and not newer than this prep: garbage fails
    /// here, before any write could touch it.
    fn checked(path: &Path, conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            journal: super::cache::Journal {
                device: String::new(),
                dir: None,
                log: None,
                setups: None,
                setup_now: None,
            },
            read_only: false,
        };
        let (application_id, version, tables) = store.identity()?;
        if version > latest_version() {
            return Err(StoreError::NewerSchema {
                path: store.path.clone(),
                found: version,
                known: latest_version(),
            }
            .into());
        }
        if application_id != APPLICATION_ID && !(application_id == 0 && tables == 0) {
            return Err(StoreError::NotPrepDatabase {
                path: store.path.clone(),
                detail: "it is an SQLite database of another program".into(),
            }
            .into());
        }
        Ok(store)
    }

    /// The application id, the schema version and the number of schema
    /// objects, read in one statement so that they come from one snapshot
    /// (another process may be creating the database at this moment).
    fn identity(&self) -> Result<(i64, i64, i64)> {
        Ok(retry_while_busy(|| {
            self.conn.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id()),
                        (SELECT user_version FROM pragma_user_version()),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
        })?)
    }

    /// Brings the schema up to date in one transaction. Another process
    /// may have done it meanwhile, so the version is read again inside.
    fn migrate(&mut self) -> Result<()> {
        if self.identity()?.1 == latest_version() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        for migration in MIGRATIONS
            .iter()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            tx.execute_batch(migration).map_err(|err| {
                Failure::from(anyhow::Error::new(err).context(format!(
                    "cannot update the schema of {}",
                    self.path.display()
                )))
            })?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
            latest_version()
        ))?;
        tx.commit()?;
        Ok(())
    }
}

/// Whether `path` has no write permission at all (no `w` bit on Unix, the
/// read-only attribute on Windows). The superuser could write it anyway;
/// prep takes the bits as the user's wish and writes nothing.
fn write_protected(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().readonly())
}

/// The URI that opens `path` read-only and immutable: no locks taken, no
/// `-shm` made. A path SQLite's URIs cannot carry as text is an error.
fn immutable_uri(path: &Path) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        anyhow!(
            "{}: the path is not UTF-8, which prep needs to open the database read-only",
            path.display()
        )
    })?;
    let mut uri = String::from("file:");
    for ch in text.chars() {
        match ch {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            ch => uri.push(ch),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

/// Runs `attempt` again while SQLite answers busy, for up to
/// [`BUSY_TIMEOUT`], for the few operations its busy handler does not
/// cover.
fn retry_while_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match attempt() {
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if matches!(
                    failure.code,
                    ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            result => return result,
        }
    }
}
