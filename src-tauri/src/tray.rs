//! The tray icon: today's count at a glance and a way back to the window. The count is
//! refreshed every minute from the same agenda Today shows.

use crate::commands::Shelf;
use rapport::{agenda, clock, work_schedule};
use std::time::Duration;
use tauri::menu::{MenuBuilder, MenuItemBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

/// The count line of the menu, in Chinese first (the advisor's language) and English.
fn count_text(n: Option<usize>) -> String {
    match n {
        Some(n) => format!("今日待办 {n} 项 · {n} to do today"),
        None => "今日待办 · Today".to_string(),
    }
}

fn today_count(app: &AppHandle) -> Option<usize> {
    let shelf = app.state::<Shelf>();
    shelf
        .with(|b| {
            let now = clock::now_in(b)?;
            let cal = work_schedule::from_book(b)?;
            Ok(agenda::for_days(b, now.date(), 1, now, &cal)?.items.len())
        })
        .ok()
}

/// Put the icon in the tray. A desktop without a tray (or a test display) only loses the icon:
/// the error is reported and the window goes on.
pub fn install(app: &AppHandle) {
    if let Err(e) = try_install(app) {
        eprintln!("rapport: no tray icon: {e}");
    }
}

fn try_install(app: &AppHandle) -> tauri::Result<()> {
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
    let handle = app.clone();
    std::thread::spawn(move || loop {
        let n = today_count(&handle);
        let _ = count.set_text(count_text(n));
        std::thread::sleep(Duration::from_secs(60));
    });
    Ok(())
}
