//! The SQLite book: where it lives, opening it, its migrations and its write transactions.

pub mod backups;
pub mod encryption;
mod migrations;
pub mod passphrase;
pub mod values;

use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use migrations::{backup_path, BACKUPS_KEPT, SCHEMA_VERSION};
pub use passphrase::{is_encrypted, Passphrase};

use passphrase::{FileKind, Key};

/// Environment variable that overrides where the book lives.
pub const BOOK_ENV: &str = "RAPPORT_BOOK";

/// One advisor's book: an open SQLite connection to a file on disk.
pub struct Book {
    conn: Connection,
    path: PathBuf,
    /// The key of an encrypted book, for the other connections its backups are read through.
    key: Option<Key>,
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
    /// Open the plain book at `path`, creating the file (and its folder) when missing, and
    /// bring its schema up to date. An encrypted book answers [`Error::Locked`].
    pub fn open(path: &Path) -> Result<Book> {
        Self::open_with(path, None)
    }

    /// Open the book at `path` with `passphrase`, creating it when missing: encrypted from its
    /// first byte when a passphrase is given, plain otherwise. A plain book opens whatever the
    /// passphrase (encrypting it is [`encryption::set_passphrase`]'s job).
    pub fn open_with(path: &Path, passphrase: Option<&Passphrase>) -> Result<Book> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                std::fs::create_dir_all(dir)?;
                owner_only(dir, 0o700)?;
            }
        }
        Self::connect(path, passphrase, true)
    }

    /// Open a plain book that must already exist; never creates a file.
    pub fn open_existing(path: &Path) -> Result<Book> {
        Self::open_existing_with(path, None)
    }

    /// Open a book that must already exist, with its passphrase if it is encrypted.
    pub fn open_existing_with(path: &Path, passphrase: Option<&Passphrase>) -> Result<Book> {
        if !path.is_file() {
            return Err(Error::not_found("book"));
        }
        Self::connect(path, passphrase, false)
    }

    fn connect(path: &Path, passphrase: Option<&Passphrase>, create: bool) -> Result<Book> {
        let key = match (passphrase::file_kind(path)?, passphrase) {
            (FileKind::Encrypted(salt), Some(p)) => Some(Key::derive(p, salt)?),
            (FileKind::Encrypted(_), None) => return Err(Error::Locked),
            (FileKind::Missing, Some(p)) if create => {
                return Self::create_encrypted(path, p, Key::fresh(p)?);
            }
            _ => None,
        };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = open_keyed(path, flags, key.as_ref())?;
        Self::prepare(conn, path, key)
    }

    /// Make a new encrypted book at `path`: built whole under a name of its own, then given its
    /// name in one step that fails if another program made the book meanwhile (with a salt of
    /// its own), in which case that book is opened.
    fn create_encrypted(path: &Path, passphrase: &Passphrase, key: Key) -> Result<Book> {
        let mut tag = [0u8; 6];
        getrandom::fill(&mut tag).map_err(|e| Error::Book {
            message: format!("no randomness from the system: {e}"),
        })?;
        let mut name = path.as_os_str().to_owned();
        name.push(".new-");
        for b in tag {
            name.push(format!("{b:02x}"));
        }
        let staged = PathBuf::from(name);
        let made = (|| -> Result<()> {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
            let conn = open_keyed(&staged, flags, Some(&key))?;
            // Closing the only connection folds the write-ahead log into the file.
            drop(Self::prepare(conn, &staged, Some(key.clone()))?);
            let empty_there = std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
            if empty_there {
                std::fs::rename(&staged, path)?;
                return Ok(());
            }
            match std::fs::hard_link(&staged, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Busy),
                // A file system without hard links (a FAT stick): a plain rename.
                Err(_) => Ok(std::fs::rename(&staged, path)?),
            }
        })();
        let _ = std::fs::remove_file(&staged);
        match made {
            Ok(()) => Self::open_with_key(path, key),
            Err(Error::Busy) => Self::connect(path, Some(passphrase), false),
            Err(e) => Err(e),
        }
    }

    /// Open the existing book at `path` with a key already derived for it.
    pub(crate) fn open_with_key(path: &Path, key: Key) -> Result<Book> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI;
        let conn = open_keyed(path, flags, Some(&key))?;
        Self::prepare(conn, path, Some(key))
    }

    fn prepare(mut conn: Connection, path: &Path, key: Option<Key>) -> Result<Book> {
        // Client PII: only the advisor's account may read the file, whoever made it. SQLite
        // gives the -wal and -shm files the mode of the book, so this comes before WAL.
        owner_only(path, 0o600)?;
        // Sorts and temporary indexes stay in memory: no client rows spill into /tmp (SQLCipher
        // does not encrypt temporary files either).
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // A page missing from SQLite's cache is a system call and a copy (and, encrypted, a
        // decryption and a MAC check): on a book of a million contacts the default 2 MiB made
        // half of a search's time reads. 64 MiB at most, used only as pages are read.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // WAL keeps readers unblocked while the advisor writes; synchronous=FULL makes every
        // acknowledged write survive power loss (writes are human-paced, the cost is invisible).
        use_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn, path, key.as_ref())?;
        let mut book = Book {
            conn,
            path: path.to_path_buf(),
            key,
        };
        crate::search::keep_current(&mut book)?;
        Ok(book)
    }

    /// Whether the book is encrypted.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// What it takes to open another connection to this book later (its path and key), for
    /// work such as the daily backup that runs beside the connection in use.
    pub fn opener(&self) -> Opener {
        Opener {
            path: self.path.clone(),
            key: self.key.clone(),
        }
    }

    /// The file this book lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access to the connection (queries only; writes go through [`Book::write`]).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// One read transaction, until the guard is dropped, around a page made of many statements.
    /// On its own each statement takes and drops the book's shared lock (two system calls, a
    /// tenth of a search's time); one snapshot also keeps a page from mixing two states of a
    /// book the window writes meanwhile.
    pub fn one_read(&self) -> Result<OneRead<'_>> {
        // Kept prepared: on a page of the list, parsing these two took as long as the page.
        self.conn
            .prepare_cached("SAVEPOINT one_read")?
            .execute([])?;
        Ok(OneRead(&self.conn))
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

/// The path and key of a book, to open further connections to it with; the key is wiped when
/// this is dropped.
#[derive(Clone)]
pub struct Opener {
    path: PathBuf,
    key: Option<Key>,
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opener").field("path", &self.path).finish()
    }
}

impl Opener {
    /// The book's file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A connection to the file at `path` with `key` given first (when the file is encrypted), and
/// proof that the key opens it: SQLCipher only finds out at the first read.
fn open_keyed(path: &Path, flags: OpenFlags, key: Option<&Key>) -> Result<Connection> {
    // A connection is used by one thread at a time (Rust will not share it), so SQLite's own
    // lock around every call on it is pure cost: a tenth of reading the agenda's 100k clients.
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // First: another program may be creating or upgrading this same book right now, and
    // every step below waits for it rather than failing.
    conn.busy_timeout(BUSY_WAIT)?;
    // SQLCipher would write its warnings (a failed page check on a wrong key) to stderr.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    if let Some(key) = key {
        key.apply(&conn)?;
    }
    let read = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    match read {
        Ok(_) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(if key.is_some() {
                Error::WrongPassphrase
            } else {
                Error::invalid("book", "not_a_book_file")
            })
        }
        Err(e) => Err(e.into()),
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

/// A read transaction held open by [`Book::one_read`]; dropping it ends the read.
pub struct OneRead<'a>(&'a Connection);

impl Drop for OneRead<'_> {
    fn drop(&mut self) {
        // Only reads were made: nothing to keep or lose if the release fails.
        let _ = self
            .0
            .prepare_cached("RELEASE one_read")
            .and_then(|mut s| s.execute([]));
    }
}
