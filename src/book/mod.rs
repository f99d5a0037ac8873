//! The SQLite book: where it lives, opening it, its migrations and its write transactions.

pub mod backups;
mod migrations;
pub mod values;

use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use migrations::{backup_path, BACKUPS_KEPT, SCHEMA_VERSION};

/// Environment variable that overrides where the book lives.
pub const BOOK_ENV: &str = "RAPPORT_BOOK";

/// One advisor's book: an open SQLite connection to a file on disk.
pub struct Book {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Book").field("path", &self.path).finish()
    }
}

/// Where the book lives: `explicit` if given, else `$RAPPORT_BOOK`, else the OS data directory.
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(BOOK_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("rapport")
        .join("book.rapport")
}

/// File name of a demo book, beside the real book it stands in for.
pub const DEMO_FILE: &str = "demo.rapport";

/// Where the demo book that goes with the real book at `real` lives: `demo.rapport` in the same
/// folder, or `demo-2.rapport` when the real book itself is called `demo.rapport`, so made-up
/// clients never land in the advisor's own file.
pub fn demo_path(real: &Path) -> PathBuf {
    let dir = real.parent().unwrap_or_else(|| Path::new(""));
    // Compared without letter case: on macOS and Windows `Demo.rapport` is the same file.
    let taken = real
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case(DEMO_FILE));
    dir.join(if taken { "demo-2.rapport" } else { DEMO_FILE })
}

impl Book {
    /// Open the book at `path`, creating the file (and its folder) when missing, and bring its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Book> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                std::fs::create_dir_all(dir)?;
                owner_only(dir, 0o700)?;
            }
        }
        let conn = Connection::open(path)?;
        Self::prepare(conn, path)
    }

    /// Open a book that must already exist; never creates a file.
    pub fn open_existing(path: &Path) -> Result<Book> {
        if !path.is_file() {
            return Err(Error::not_found("book"));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        Self::prepare(conn, path)
    }

    fn prepare(mut conn: Connection, path: &Path) -> Result<Book> {
        // Client PII: only the advisor's account may read the file, whoever made it. SQLite
        // gives the -wal and -shm files the mode of the book, so this comes before WAL.
        owner_only(path, 0o600)?;
        // First: another program may be creating or upgrading this same book right now, and
        // every step below waits for it rather than failing.
        conn.busy_timeout(BUSY_WAIT)?;
        // Sorts and temporary indexes stay in memory: no client rows spill into /tmp.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // WAL keeps readers unblocked while the advisor writes; synchronous=FULL makes every
        // acknowledged write survive power loss (writes are human-paced, the cost is invisible).
        use_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn, path)?;
        Ok(Book {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this book lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access to the connection (queries only; writes go through [`Book::write`]).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Schema version stored in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Refuse to go on with a book a newer Rapport has upgraded since it was opened (the CLI
    /// of a newer release, run while the window is open): this build would not know its tables.
    pub fn still_readable(&self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::TooNew {
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Run `f` in one IMMEDIATE transaction: all of it lands, or none of it does.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// How long opening or writing waits for another program holding the book's lock.
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Put the book in WAL mode. When two programs switch the same file at once SQLite answers
/// "busy" straight away instead of waiting, so the wait is done here.
fn use_wal(conn: &Connection) -> Result<()> {
    let until = Instant::now() + BUSY_WAIT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && Instant::now() < until =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return Ok(other?),
        }
    }
}

#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

/// Now in the advisor's time zone (the one kept in the book written to), as stored in
/// `created_at`/`updated_at`.
pub(crate) fn stamp(conn: &Connection) -> Result<String> {
    Ok(crate::clock::now_in_conn(conn)?
        .format("%Y-%m-%d %H:%M:%S")
        .to_string())
}
