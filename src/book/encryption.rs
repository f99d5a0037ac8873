//! Setting the book's passphrase: a plain book encrypted in place, or an encrypted one given a
//! new passphrase, without a single record lost.
//!
//! The book is backed up first, then written out whole into a new file under the new key
//! (SQLCipher's `sqlcipher_export`), checked against the book table by table, and moved over
//! the book in one atomic rename while the book is locked against every other program. The
//! backups beside it are re-written under the new key too, so no copy is left readable with
//! the old passphrase (or with none). A plain file left behind is overwritten before removal.

use super::passphrase::{self, FileKind, Key, Passphrase};
use super::{backups, migrations, open_keyed, owner_only, Book};
use crate::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What setting the passphrase did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PassphraseSet {
    /// The book was plain before (it is now encrypted); false when a passphrase was changed.
    pub was_plain: bool,
    /// Clients in the book, the same before and after.
    pub clients: u32,
    /// Backups re-written under the new passphrase.
    pub backups_rewritten: u32,
    /// Backups left as they were: they do not open with the book's old passphrase (they were
    /// taken before an earlier change) and keep the passphrase they had.
    pub backups_kept: u32,
    /// The backup taken of the book before anything changed.
    pub backup: String,
}

/// Set `new` as the passphrase of the book at `path`, which opens with `current` (none for a
/// plain book). No other program may have the book open meanwhile: it answers
/// [`Error::Busy`] and nothing changes.
pub fn set_passphrase(
    path: &Path,
    current: Option<&Passphrase>,
    new: &Passphrase,
    now: NaiveDateTime,
) -> Result<PassphraseSet> {
    let book = Book::open_existing_with(path, current)?;
    let was_plain = book.key.is_none();
    let before = backups::take(&book, &backups::folder(path), now)?;
    let old_key = book.key.clone();
    let new_key = Key::fresh(new)?;
    let clients = rewrite_alone(book, &new_key)?;
    let (rewritten, kept) = rewrite_backups(path, old_key.as_ref(), &new_key)?;
    Ok(PassphraseSet {
        was_plain,
        clients,
        backups_rewritten: rewritten,
        backups_kept: kept,
        backup: before.display().to_string(),
    })
}

/// Re-write the open `book` under `key`, alone with it from start to swap. Returns its clients.
fn rewrite_alone(book: Book, key: &Key) -> Result<u32> {
    let Book { conn, path, .. } = book;
    // Leaving WAL needs every other connection closed: the answer tells whether another
    // program has the book open, and once it is done no -wal file can outlive the swap.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::Busy);
    }
    let seen = data_version(&conn)?;
    let staged = Staged::beside(&path)?;
    export(&conn, staged.path(), Some(key))?;
    // From here to the rename no other program may write: a write it made in between would
    // land in the old file and be lost with it. A program that opened the book during the
    // export shows in the data version or in a new -wal file, and nothing is changed.
    conn.execute_batch("BEGIN EXCLUSIVE")?;
    let outcome = (|| {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if data_version(&conn)? != seen || Path::new(&wal).exists() {
            return Err(Error::Busy);
        }
        let copy = open_keyed(staged.path(), OpenFlags::SQLITE_OPEN_READ_ONLY, Some(key))?;
        let clients = same_content(&conn, &copy)?;
        drop(copy);
        staged.replace(
            &path,
            !matches!(passphrase::file_kind(&path)?, FileKind::Encrypted(_)),
        )?;
        Ok(clients)
    })();
    let _ = conn.execute_batch("ROLLBACK");
    drop(conn);
    let clients = outcome?;
    // Back to the usual journal; the next open would do it too.
    drop(Book::open_with_key(&path, key.clone())?);
    Ok(clients)
}

/// SQLite's count of commits by other connections, to notice one.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// Re-write every backup of the book at `path` that opens with `old` (none: plain) under `new`.
/// Returns how many were re-written and how many were left under a passphrase of their own.
fn rewrite_backups(path: &Path, old: Option<&Key>, new: &Key) -> Result<(u32, u32)> {
    let mut files: Vec<PathBuf> = backups::list(path, &backups::folder(path))?
        .into_iter()
        .map(|b| PathBuf::from(b.path))
        .collect();
    files.extend(migrations::upgrade_backups(path)?);
    let (mut rewritten, mut kept) = (0, 0);
    for file in files {
        if rewrite_file(&file, old, new)? {
            rewritten += 1;
        } else {
            kept += 1;
        }
    }
    Ok((rewritten, kept))
}

/// Re-write the closed book file `file` from `old` to `new`; false when `old` does not open it.
fn rewrite_file(file: &Path, old: Option<&Key>, new: &Key) -> Result<bool> {
    let old = match (passphrase::file_kind(file)?, old) {
        (FileKind::Encrypted(_), None) => return Ok(false),
        (FileKind::Encrypted(_), Some(k)) => Some(k),
        _ => None,
    };
    let conn = match open_keyed(file, OpenFlags::SQLITE_OPEN_READ_WRITE, old) {
        Err(Error::WrongPassphrase) => return Ok(false),
        other => other?,
    };
    let staged = Staged::beside(file)?;
    export(&conn, staged.path(), Some(new))?;
    let copy = open_keyed(staged.path(), OpenFlags::SQLITE_OPEN_READ_ONLY, Some(new))?;
    same_content(&conn, &copy)?;
    drop(copy);
    drop(conn);
    staged.replace(file, old.is_none())?;
    Ok(true)
}

/// A copy of the closed book file `file` (opened with `from`) re-written under `to` (plain
/// without), beside it, and removed when dropped.
pub(super) fn staged_copy(file: &Path, from: Option<&Key>, to: Option<&Key>) -> Result<Staged> {
    let conn = open_keyed(file, OpenFlags::SQLITE_OPEN_READ_WRITE, from)?;
    let staged = Staged::beside(file)?;
    export(&conn, staged.path(), to)?;
    Ok(staged)
}

/// Write everything in `conn`'s book into the new file `target`, encrypted with `key` (plain
/// without one). `conn` must be able to write: SQLite opens an attached file the way it opened
/// the book.
pub(super) fn export(conn: &Connection, target: &Path, key: Option<&Key>) -> Result<()> {
    let target_text = target.to_str().ok_or_else(|| Error::Book {
        message: "the book's folder has a name SQLite cannot take".into(),
    })?;
    let key_text = match key {
        Some(k) => k.sql_text(),
        None => zeroize::Zeroizing::new(String::new()),
    };
    conn.execute(
        "ATTACH DATABASE ?1 AS rewritten KEY ?2",
        rusqlite::params![target_text, &*key_text],
    )?;
    let exported = (|| -> Result<()> {
        conn.query_row("SELECT sqlcipher_export('rewritten')", [], |_| Ok(()))?;
        // The export copies tables, not the header: the schema version is carried by hand.
        let version: i64 = conn.pragma_query_value(Some("main"), "user_version", |r| r.get(0))?;
        conn.pragma_update(Some("rewritten"), "user_version", version)?;
        Ok(())
    })();
    let detached = conn.execute_batch("DETACH DATABASE rewritten");
    exported?;
    Ok(detached?)
}

/// Whether `copy` holds exactly what `book` holds: the same schema version, every table with
/// as many rows, and a copy SQLite finds whole. Returns the clients.
fn same_content(book: &Connection, copy: &Connection) -> Result<u32> {
    let differs = |what: &str| Error::Book {
        message: format!("the re-written book differs from the book ({what}); nothing was changed"),
    };
    let version = |c: &Connection| -> Result<i64> {
        Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?)
    };
    if version(book)? != version(copy)? {
        return Err(differs("schema version"));
    }
    let health = backups::check(copy)?;
    if !health.ok() {
        return Err(differs("integrity"));
    }
    let tables: Vec<String> = book
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in &tables {
        let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
        let a: i64 = book.query_row(&sql, [], |r| r.get(0))?;
        let b: i64 = copy.query_row(&sql, [], |r| r.get(0)).unwrap_or(-1);
        if a != b {
            return Err(differs("row counts"));
        }
    }
    Ok(health.clients)
}

/// A new file beside a book, removed unless it replaces the book.
pub(super) struct Staged {
    path: PathBuf,
    placed: bool,
}

impl Staged {
    fn beside(book: &Path) -> Result<Staged> {
        let mut name = book.as_os_str().to_owned();
        name.push(".rewriting");
        let path = PathBuf::from(name);
        // Left by a crash midway: never the book, never trusted.
        remove_overwritten(&path)?;
        // Client PII: owner-only before a single page is written into it.
        std::fs::File::create(&path)?;
        owner_only(&path, 0o600)?;
        Ok(Staged {
            path,
            placed: false,
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Move this file over `target` in one rename, after it is on disk. When `shred` (the old
    /// file is plain), its bytes are overwritten before it goes.
    fn replace(mut self, target: &Path, shred: bool) -> Result<()> {
        std::fs::File::open(&self.path)?.sync_all()?;
        // A second name for the old file keeps its bytes reachable for overwriting after the
        // rename; the rename itself stays the one atomic step.
        let mut old = target.as_os_str().to_owned();
        old.push(".replaced");
        let old = PathBuf::from(old);
        remove_overwritten(&old)?;
        if shred {
            std::fs::hard_link(target, &old)?;
        }
        std::fs::rename(&self.path, target)?;
        self.placed = true;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename is durable once the folder is on disk (not possible on Windows).
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        if shred {
            remove_overwritten(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Overwrite the file at `path` with zeros, then remove it; nothing when it is missing. On an
/// SSD or a copy-on-write file system old blocks may survive: disk encryption covers those.
fn remove_overwritten(path: &Path) -> Result<()> {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        let zeros = vec![0u8; 1 << 16];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            f.write_all(&zeros[..n])?;
            left -= n as u64;
        }
        f.sync_all()?;
    }
    std::fs::remove_file(path)?;
    Ok(())
}
