//! The commands that keep the book safe: its passphrase and lock, its backups (taken by hand
//! or restored from). Like every command they run on the async runtime and only call the core.

use crate::commands::{BookStatus, Shelf};
use rapport::book::backups::{self, BackupFile, Rotation};
use rapport::book::Passphrase;
use rapport::settings::{self as advisor_settings, Settings};
use rapport::{clock, Error};
use serde::Serialize;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, State};

/// Open the encrypted book with the passphrase the advisor typed.
#[tauri::command(async)]
pub fn unlock_book(
    shelf: State<'_, Shelf>,
    passphrase: String,
    remember: bool,
) -> Result<BookStatus, Error> {
    let typed = zeroize::Zeroizing::new(passphrase);
    shelf.unlock(&typed, remember)
}

/// Forget the passphrase remembered on this laptop.
#[tauri::command(async)]
pub fn forget_passphrase(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.forget_passphrase()
}

/// Lock the encrypted book now (its connection and key leave memory).
#[tauri::command(async)]
pub fn lock_book(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.lock_now()
}

/// The advisor typed or clicked: the idle time before the lock starts again.
#[tauri::command(async)]
pub fn still_here(shelf: State<'_, Shelf>) -> Result<(), Error> {
    shelf.touch()
}

/// Encrypt the open book with a passphrase, or change its passphrase (`current` must open it).
#[tauri::command(async)]
pub fn set_passphrase(
    shelf: State<'_, Shelf>,
    current: Option<String>,
    passphrase: String,
    repeat: String,
) -> Result<BookStatus, Error> {
    let new = Passphrase::new(passphrase).checked_against(&Passphrase::new(repeat))?;
    let current = current.filter(|c| !c.is_empty()).map(Passphrase::new);
    shelf.set_passphrase(current.as_ref(), &new)
}

/// Set the idle minutes before the window locks the book (0: never).
#[tauri::command(async)]
pub fn set_auto_lock(shelf: State<'_, Shelf>, minutes: u32) -> Result<Settings, Error> {
    shelf.with(|b| advisor_settings::set_auto_lock_minutes(b, minutes))
}

/// How often the idle time is looked at: the lock comes at most this late.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// Lock the encrypted book after the advisor's idle minutes, and tell the window, which then
/// shows the lock screen over what it was showing (nothing typed is lost).
pub fn watch_idle(app: &AppHandle) {
    let handle = app.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(IDLE_CHECK);
        let shelf = handle.state::<Shelf>();
        if let Ok(true) = shelf.lock_if_idle(Instant::now()) {
            let _ = handle.emit("book-locked", ());
        }
    });
}

/// The backups beside the open book and where they go.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Backups {
    /// The folder beside the book.
    pub folder: String,
    /// Days and weeks kept.
    pub daily: u32,
    /// Weeks kept beyond the days.
    pub weekly: u32,
    /// The backups, newest first.
    pub files: Vec<BackupFile>,
}

fn listed(b: &rapport::Book) -> Result<Backups, Error> {
    let folder = backups::folder(b.path());
    let rotation = Rotation::default();
    Ok(Backups {
        folder: folder.display().to_string(),
        daily: rotation.daily as u32,
        weekly: rotation.weekly as u32,
        files: backups::list(b.path(), &folder)?,
    })
}

/// The open book's backups.
#[tauri::command(async)]
pub fn list_backups(shelf: State<'_, Shelf>) -> Result<Backups, Error> {
    shelf.with(|b| listed(b))
}

/// Back the book up now (then the rotation runs).
#[tauri::command(async)]
pub fn backup_now(shelf: State<'_, Shelf>) -> Result<Backups, Error> {
    shelf.with(|b| {
        let folder = backups::folder(b.path());
        backups::take(b, &folder, clock::now_in(b)?)?;
        backups::rotate(b.path(), &folder, Rotation::default())?;
        listed(b)
    })
}

/// Put the book back as it was in one of its backups, named by its path as listed: the window
/// restores only from the book's own backups folder, never from a path it was handed.
#[tauri::command(async)]
pub fn restore_backup(
    shelf: State<'_, Shelf>,
    path: String,
    passphrase: Option<String>,
) -> Result<Backups, Error> {
    let theirs = passphrase.filter(|p| !p.is_empty()).map(Passphrase::new);
    shelf.with(|b| {
        let listed_now = listed(b)?;
        let Some(file) = listed_now.files.iter().find(|f| f.path == path) else {
            return Err(Error::not_found("backup"));
        };
        let file = std::path::PathBuf::from(&file.path);
        backups::restore(b, &file, theirs.as_ref(), clock::now_in(b)?)?;
        listed(b)
    })
}
