//! The commands that keep the book safe: its backups, taken by hand or restored from.
//! Like every command they run on the async runtime and only call the core.

use crate::commands::Shelf;
use rapport::book::backups::{self, BackupFile, Rotation};
use rapport::{clock, Error};
use serde::Serialize;
use tauri::State;

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
pub fn restore_backup(shelf: State<'_, Shelf>, path: String) -> Result<Backups, Error> {
    shelf.with(|b| {
        let listed_now = listed(b)?;
        let Some(file) = listed_now.files.iter().find(|f| f.path == path) else {
            return Err(Error::not_found("backup"));
        };
        let file = std::path::PathBuf::from(&file.path);
        backups::restore(b, &file, clock::now_in(b)?)?;
        listed(b)
    })
}
