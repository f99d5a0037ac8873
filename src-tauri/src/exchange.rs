//! The commands of Excel both ways: export the list as filtered, import a spreadsheet (a dry
//! run first, to preview), with progress told to the window as `exchange-progress` events and
//! the native file dialogs of the dialog plugin opened from here (the page itself gets no file
//! access).

use crate::commands::Shelf;
use rapport::exchange::ics::{self, IcsExport};
use rapport::exchange::import::{self, ImportOptions, ImportReport};
use rapport::exchange::xlsx::{self, ExportSpec, Exported};
use rapport::{clock, Error};
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

/// How far an export or import is, for the window's progress bar.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Progress {
    /// Rows done.
    #[ts(type = "number")]
    pub done: u64,
    /// Rows in all.
    #[ts(type = "number")]
    pub total: u64,
}

/// A progress callback that tells the window at most ten times a second.
fn reporter(app: &AppHandle) -> impl FnMut(u64, u64) + '_ {
    let mut last = Instant::now() - Duration::from_secs(1);
    move |done, total| {
        if last.elapsed() >= Duration::from_millis(100) || done == total {
            last = Instant::now();
            let _ = app.emit("exchange-progress", Progress { done, total });
        }
    }
}

/// Where an export goes unless the advisor chooses: the Documents folder (else home), named
/// for the day, e.g. `客户清单-2026-12-01.xlsx` (`extension` is `xlsx` or `ics`).
#[tauri::command(async)]
pub fn suggested_export_path(
    shelf: State<'_, Shelf>,
    name: String,
    extension: Option<String>,
) -> Result<String, Error> {
    let day = shelf
        .with(|b| clock::today_in(b))
        .unwrap_or_else(|_| clock::now_without_book().date());
    let dir = dirs_folder();
    let ext = if extension.as_deref() == Some("ics") {
        "ics"
    } else {
        "xlsx"
    };
    let file = format!("{}-{day}.{ext}", name.trim().replace(['/', '\\'], "-"));
    Ok(dir.join(file).display().to_string())
}

fn dirs_folder() -> PathBuf {
    dirs::document_dir()
        .filter(|d| d.is_dir())
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The native "save as" dialog for an .xlsx (or an .ics), starting at `suggested`; none when
/// cancelled.
#[tauri::command(async)]
pub fn choose_save_path(app: AppHandle, suggested: String) -> Option<String> {
    let suggested = PathBuf::from(suggested);
    let is_ics = suggested.extension().is_some_and(|e| e == "ics");
    let (label, ext) = if is_ics {
        ("iCalendar", "ics")
    } else {
        ("Excel", "xlsx")
    };
    let mut dialog = app.dialog().file().add_filter(label, &[ext]);
    if let Some(dir) = suggested.parent() {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = suggested.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    dialog
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// The native "open" dialog for a spreadsheet; none when cancelled.
#[tauri::command(async)]
pub fn choose_open_path(app: AppHandle) -> Option<String> {
    app.dialog()
        .file()
        .add_filter("Excel / CSV", &["xlsx", "xls", "xlsm", "ods", "csv", "txt"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// Export the list as `spec` filters it to `path`.
#[tauri::command(async)]
pub fn export_list(
    app: AppHandle,
    shelf: State<'_, Shelf>,
    spec: ExportSpec,
    path: String,
) -> Result<Exported, Error> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("file", "required"));
    }
    let mut progress = reporter(&app);
    shelf.with(|b| xlsx::export(b, &spec, &path, &mut progress))
}

/// Write the advisor's reminders of the next `days` days to a calendar file at `path`, for the
/// phone's calendar (a file exported again updates its events rather than doubling them).
#[tauri::command(async)]
pub fn export_calendar(
    shelf: State<'_, Shelf>,
    path: String,
    days: u32,
) -> Result<IcsExport, Error> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("file", "required"));
    }
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        ics::export(b, now.date(), days, now, &path)
    })
}

/// Import the spreadsheet at `path` (a dry run with `options.dry_run`, to preview).
#[tauri::command(async)]
pub fn import_file(
    app: AppHandle,
    shelf: State<'_, Shelf>,
    path: String,
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    let path = PathBuf::from(path.trim());
    let mut progress = reporter(&app);
    shelf.with(|b| {
        let today = clock::today_in(b)?;
        import::import(b, &path, &options, today, &mut progress)
    })
}

/// The fields a column can be mapped to, in the order of the clients sheet.
#[tauri::command(async)]
pub fn importable_fields() -> Vec<String> {
    rapport::exchange::columns::CLIENT_COLUMNS
        .iter()
        .filter(|c| c.imported)
        .map(|c| c.key.to_string())
        .collect()
}
