//! The tray icon: today's count at a glance and a way back to the window; the optional morning
//! notice; and the daily backup. All are looked after every minute while the window runs.

use crate::commands::Shelf;
use chrono::NaiveDate;
use rapport::book::backups::{self, Rotation};
use rapport::{agenda, clock, settings, work_schedule};
use std::time::Duration;
use tauri::menu::{MenuBuilder, MenuItem, MenuItemBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_notification::NotificationExt;

/// The count line of the menu, in Chinese first (the advisor's language) and English.
fn count_text(n: Option<usize>) -> String {
    match n {
        Some(n) => format!("今日待办 {n} 项 · {n} to do today"),
        None => "今日待办 · Today".to_string(),
    }
}

/// Today's count, and whether the morning notice is due now (it is sent at most once a day).
fn today_count(
    app: &AppHandle,
    last_notice: Option<NaiveDate>,
) -> Option<(usize, Option<NaiveDate>)> {
    let shelf = app.state::<Shelf>();
    shelf
        .with(|b| {
            let now = clock::now_in(b)?;
            let cal = work_schedule::from_book(b)?;
            // Counted, not written out: the tray only shows how many.
            let day = agenda::page(b, now.date(), 1, now, &cal, 0)?;
            let n = day.totals.iter().map(|t| t.total as usize).sum();
            let due = settings::morning_notice(b)?
                .filter(|at| settings::notice_due(now, *at, last_notice))
                .map(|_| now.date());
            Ok((n, due))
        })
        .ok()
}

/// The automatic backup of the advisor's book, the first minute the window is open each day
/// (a demo book is not backed up). It reads the book through a connection of its own, so the
/// window goes on working while a big book is copied.
fn daily_backup(app: &AppHandle) {
    let shelf = app.state::<Shelf>();
    let open = shelf.with(|b| Ok((b.opener(), clock::now_in(b)?, settings::is_demo(b)?)));
    let Ok((opener, now, false)) = open else {
        return;
    };
    if let Err(e) = backups::daily_at(&opener, now, Rotation::default()) {
        eprintln!("rapport: the daily backup failed: {e}");
    }
}

/// The desktop notice; a desktop without a notification service only misses it.
fn notify(app: &AppHandle, n: usize) {
    let shown = app
        .notification()
        .builder()
        .title("客户簿 · 今日待办")
        .body(format!("今天有 {n} 项待办 · {n} things to do today"))
        .show();
    if let Err(e) = shown {
        eprintln!("rapport: the morning notice could not be shown: {e}");
    }
}

/// Put the icon in the tray and start the minute loop (count and morning notice). A desktop
/// without a tray (or a test display) only loses the icon: the notice still comes.
pub fn install(app: &AppHandle) {
    let count = match try_install(app) {
        Ok(item) => Some(item),
        Err(e) => {
            eprintln!("rapport: no tray icon: {e}");
            None
        }
    };
    let handle = app.clone();
    std::thread::spawn(move || {
        let mut last_notice = None;
        // Let the window open first: the book's lock is the window's while it starts.
        std::thread::sleep(Duration::from_secs(3));
        loop {
            daily_backup(&handle);
            let found = today_count(&handle, last_notice);
            if let Some(item) = &count {
                let _ = item.set_text(count_text(found.map(|(n, _)| n)));
            }
            if let Some((n, Some(day))) = found {
                last_notice = Some(day);
                notify(&handle, n);
            }
            std::thread::sleep(Duration::from_secs(60));
        }
    });
}

fn try_install(app: &AppHandle) -> tauri::Result<MenuItem<Wry>> {
    let count = MenuItemBuilder::with_id("today", count_text(None)).build(app)?;
    let open = MenuItemBuilder::with_id("open", "打开客户簿 · Open Rapport").build(app)?;
    let quit = MenuItemBuilder::with_id("quit", "退出 · Quit").build(app)?;
    let menu = MenuBuilder::new(app)
        .items(&[&count, &open])
        .separator()
        .item(&quit)
        .build()?;
    let mut tray = TrayIconBuilder::with_id("rapport")
        .menu(&menu)
        .tooltip("客户簿 Rapport")
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" | "today" => {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.show();
                    let _ = w.unminimize();
                    let _ = w.set_focus();
                }
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(count)
}
