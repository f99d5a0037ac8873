//! Backups of the book: consistent copies taken through SQLite's online backup API into a
//! `backups` folder beside the book, one a day kept for a week and one a week for a month (by
//! default); restoring one (the book as it stands is copied first); and the health check of a
//! book. A backup is itself a book: it is also how the book moves to a new laptop.

use super::passphrase::{self, FileKind, Key, Passphrase};
use super::{migrations, open_keyed, owner_only, Book, Opener};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How many backups are kept: the newest of each of the last `daily` days that have one, and
/// beyond those the newest of each of the last `weekly` ISO weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// Days kept.
    pub daily: usize,
    /// Weeks kept beyond the days.
    pub weekly: usize,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            daily: 7,
            weekly: 4,
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BackupFile {
    /// Where it is.
    pub path: String,
    /// When it was taken, `YYYY-MM-DD HH:MM:SS` (the advisor's time).
    pub taken: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The folder a book's automatic backups go to: `backups` beside the book.
pub fn folder(book: &Path) -> PathBuf {
    match book.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.join("backups"),
        None => PathBuf::from("backups"),
    }
}

/// `book.rapport` taken at 2026-12-01 09:30:05 → `book.rapport.2026-12-01-093005.bak`.
fn file_name(book: &Path, taken: NaiveDateTime) -> String {
    let name = book.file_name().unwrap_or_default().to_string_lossy();
    format!("{name}.{}.bak", taken.format("%Y-%m-%d-%H%M%S"))
}

/// When a file in `dir` named after `book` was taken, from its name (file times change when
/// files are copied to a new laptop).
fn taken_of(book: &Path, file: &str) -> Option<NaiveDateTime> {
    let name = book.file_name()?.to_str()?;
    let stamp = file
        .strip_prefix(name)?
        .strip_prefix('.')?
        .strip_suffix(".bak")?;
    NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d-%H%M%S").ok()
}

/// A book's backups in `dir`, newest first.
pub fn list(book: &Path, dir: &Path) -> Result<Vec<BackupFile>> {
    let mut out: Vec<(NaiveDateTime, BackupFile)> = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(taken) = name.to_str().and_then(|n| taken_of(book, n)) else {
            continue;
        };
        out.push((
            taken,
            BackupFile {
                path: entry.path().display().to_string(),
                taken: taken.format("%Y-%m-%d %H:%M:%S").to_string(),
                bytes: entry.metadata()?.len(),
            },
        ));
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.0));
    Ok(out.into_iter().map(|(_, f)| f).collect())
}

/// A read-only connection of its own to the book at `path`, to copy it from while another
/// connection (the window's, or an upgrade's holding the write lock) goes on.
pub(super) fn reader(path: &Path, key: Option<&Key>) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    open_keyed(path, flags, key)
}

/// Copy everything committed in `from` into a new file at `target`, which appears only whole,
/// encrypted with `key` (the key `from` was opened with: the copy opens with the same
/// passphrase as the book).
pub(super) fn copy(from: &Connection, target: &Path, key: Option<&Key>) -> Result<()> {
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    // Client PII: owner-only before a single page is written into it.
    std::fs::File::create(&partial)?;
    owner_only(&partial, 0o600)?;
    let copied = (|| -> Result<()> {
        let mut to = Connection::open(&partial)?;
        if let Some(key) = key {
            key.apply(&to)?;
        }
        // All pages in one step: the copy is one consistent snapshot.
        let step = Backup::new(from, &mut to)?.step(-1)?;
        if step != StepResult::Done {
            return Err(Error::Busy);
        }
        // A copy is a whole file: no journal of its own left beside it.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, target)?;
    Ok(())
}

/// Take a backup of the book into `dir` (created owner-only if missing), named for `now`.
pub fn take(book: &Book, dir: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    take_from(&book.conn, book.path(), book.key.as_ref(), dir, now)
}

fn take_from(
    conn: &Connection,
    book: &Path,
    key: Option<&Key>,
    dir: &Path,
    now: NaiveDateTime,
) -> Result<PathBuf> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        owner_only(dir, 0o700)?;
    }
    // Names go to the second: a second backup within the same second (the copy a restore takes
    // of the book, right after the day's) must not replace the first, so it takes the next free
    // second.
    let mut taken = now;
    let mut target = dir.join(file_name(book, taken));
    while target.exists() {
        taken += chrono::Duration::seconds(1);
        target = dir.join(file_name(book, taken));
    }
    copy(conn, &target, key)?;
    Ok(target)
}

/// The automatic backup: one into [`folder`] unless one was already taken on `now`'s day, then
/// the rotation. Returns the new file, if one was taken.
pub fn daily(book: &Book, now: NaiveDateTime, rotation: Rotation) -> Result<Option<PathBuf>> {
    daily_from(&book.conn, book.path(), book.key.as_ref(), now, rotation)
}

/// [`daily`] for the book `opener` opens, read through a connection of its own: a program that
/// keeps the book open (the window) goes on writing while the copy is taken.
pub fn daily_at(
    opener: &Opener,
    now: NaiveDateTime,
    rotation: Rotation,
) -> Result<Option<PathBuf>> {
    let key = opener.key.as_ref();
    daily_from(
        &reader(&opener.path, key)?,
        &opener.path,
        key,
        now,
        rotation,
    )
}

fn daily_from(
    conn: &Connection,
    book: &Path,
    key: Option<&Key>,
    now: NaiveDateTime,
    rotation: Rotation,
) -> Result<Option<PathBuf>> {
    let dir = folder(book);
    let today = now.date().to_string();
    let taken_today = list(book, &dir)?
        .iter()
        .any(|f| f.taken.starts_with(&today));
    let new = if taken_today {
        None
    } else {
        Some(take_from(conn, book, key, &dir, now)?)
    };
    rotate(book, &dir, rotation)?;
    Ok(new)
}

/// Remove the backups the rotation does not keep.
pub fn rotate(book: &Path, dir: &Path, rotation: Rotation) -> Result<()> {
    let files = list(book, dir)?;
    let day_of = |f: &BackupFile| -> Option<NaiveDate> {
        NaiveDate::parse_from_str(f.taken.get(..10)?, "%Y-%m-%d").ok()
    };
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut weeks: Vec<(i32, u32)> = Vec::new();
    for f in &files {
        let Some(day) = day_of(f) else { continue };
        let week = (day.iso_week().year(), day.iso_week().week());
        // Newest first: the first file of a day or week is the one kept for it.
        let keep = if days.contains(&day) {
            false
        } else if days.len() < rotation.daily {
            days.push(day);
            true
        } else if !weeks.contains(&week)
            && weeks.len() < rotation.weekly
            && !days
                .iter()
                .any(|d| (d.iso_week().year(), d.iso_week().week()) == week)
        {
            weeks.push(week);
            true
        } else {
            false
        };
        if !keep {
            std::fs::remove_file(&f.path)?;
        }
    }
    Ok(())
}

/// What the health check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Health {
    /// SQLite's `integrity_check`: `ok`, or the problems it lists.
    pub integrity: Vec<String>,
    /// Rows whose reference points nowhere (`foreign_key_check`).
    pub broken_references: u32,
    /// The schema version.
    #[ts(type = "number")]
    pub schema: i64,
    /// Clients in the book.
    pub clients: u32,
    /// The client list's kept counts (per tier, stage …) that differ from counting again.
    pub wrong_counts: u32,
}

impl Health {
    /// Nothing wrong.
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"] && self.broken_references == 0 && self.wrong_counts == 0
    }
}

/// Check a book: SQLite's integrity check and every reference.
pub fn check(conn: &Connection) -> Result<Health> {
    let integrity = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let clients: i64 = conn
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap_or(0);
    Ok(Health {
        integrity,
        broken_references: broken as u32,
        schema,
        clients: clients as u32,
        wrong_counts: crate::clients::wrong_counts(conn)?,
    })
}

/// Open a file that should be a backup, read only, and check it is a whole Rapport book this
/// build can open. An encrypted backup opens with `passphrase` when one is given, else with
/// `book_key` (a backup of this book, taken since its passphrase was last set).
fn open_backup(
    file: &Path,
    passphrase: Option<&Passphrase>,
    book_key: Option<&Key>,
) -> Result<(Connection, Option<Key>)> {
    if !file.is_file() {
        return Err(Error::not_found("backup"));
    }
    let key = match (passphrase::file_kind(file)?, passphrase, book_key) {
        (FileKind::Encrypted(salt), Some(p), _) => Some(Key::derive(p, salt)?),
        (FileKind::Encrypted(_), None, Some(k)) => Some(k.clone()),
        (FileKind::Encrypted(_), None, None) => return Err(Error::Locked),
        _ => None,
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match open_keyed(file, flags, key.as_ref()) {
        // The book's own key is a guess: a backup from before a passphrase change asks for its own.
        Err(Error::WrongPassphrase) if passphrase.is_none() => return Err(Error::Locked),
        Err(Error::Invalid { .. }) => return Err(Error::invalid("backup", "not_a_book")),
        other => other?,
    };
    let not_a_book = || Error::invalid("backup", "not_a_book");
    let health = check(&conn).map_err(|_| not_a_book())?;
    if health.schema == 0 {
        return Err(not_a_book());
    }
    if health.schema > migrations::SCHEMA_VERSION {
        return Err(Error::TooNew {
            found: health.schema,
            known: migrations::SCHEMA_VERSION,
        });
    }
    if !health.ok() {
        return Err(Error::invalid("backup", "backup_damaged"));
    }
    Ok((conn, key))
}

/// Put the book back as it was in `file`: the file is checked first (a whole Rapport book),
/// the book as it stands is backed up into [`folder`], and the backup's pages then replace the
/// book's in one transaction, so every program with the book open sees the restored book and
/// a crash midway leaves the book as it was. An older backup is then upgraded. Returns the
/// copy taken of the book before.
///
/// An encrypted backup opens with `passphrase`, or without one with the book's own passphrase
/// ([`Error::Locked`] when that does not open it: the backup asks for its own). The book keeps
/// its passphrase (or stays plain) whatever the backup had.
pub fn restore(
    book: &mut Book,
    file: &Path,
    passphrase: Option<&Passphrase>,
    now: NaiveDateTime,
) -> Result<PathBuf> {
    let (from, from_key) = open_backup(file, passphrase, book.key.as_ref())?;
    // SQLite's backup copies pages as they lie: between a plain and an encrypted file it
    // cannot, so such a backup is first re-written the book's way into a file of its own.
    let staged;
    let from = if from_key.is_some() != book.key.is_some() {
        drop(from);
        staged = super::encryption::staged_copy(file, from_key.as_ref(), book.key.as_ref())?;
        reader(staged.path(), book.key.as_ref())?
    } else {
        from
    };
    let before = take(book, &folder(book.path()), now)?;
    // Ids handed out since the backup stay spent: a calendar entry or a note outside the book
    // may still name them, and must never come to name someone else.
    let spent: Vec<(String, i64)> = book
        .conn
        .prepare("SELECT name, seq FROM sqlite_sequence")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let step = Backup::new(&from, &mut book.conn)?.step(-1)?;
    if step != StepResult::Done {
        return Err(Error::Busy);
    }
    drop(from);
    let path = book.path.clone();
    migrations::migrate(&mut book.conn, &path, book.key.as_ref())?;
    book.write(|tx| {
        for (table, seq) in &spent {
            tx.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
                rusqlite::params![table, seq],
            )?;
            tx.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)
                   AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                rusqlite::params![table, seq],
            )?;
        }
        Ok(())
    })?;
    Ok(before)
}
