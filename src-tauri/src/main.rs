//! Rapport desktop shell: opens the window and forwards typed commands to the core.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod day;
mod tray;

use std::path::PathBuf;

/// `--book PATH` from the command line, if given.
fn book_arg() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--book" {
            return args.next().map(PathBuf::from);
        }
        if let Some(p) = a.to_str().and_then(|s| s.strip_prefix("--book=")) {
            return Some(PathBuf::from(p));
        }
    }
    None
}

/// `--today YYYY-MM-DD` from the command line: the day the window treats as today (tests step
/// through days with it; the same as `RAPPORT_TODAY`).
fn today_arg() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--today" {
            return args.next();
        }
        if let Some(d) = a.strip_prefix("--today=") {
            return Some(d.to_string());
        }
    }
    None
}

fn main() {
    if let Some(day) = today_arg() {
        // Before any thread starts: the one clock helper reads it from here.
        std::env::set_var("RAPPORT_TODAY", day);
    }
    let path = rapport::book::resolve_path(book_arg().as_deref());
    let state = commands::Shelf::new(path);
    tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            tray::install(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::book_status,
            commands::create_book,
            commands::list_clients,
            commands::client_profile,
            commands::create_client,
            commands::update_client,
            commands::delete_client,
            commands::set_starred,
            commands::add_family,
            commands::update_family,
            commands::delete_family,
            commands::add_contact,
            commands::update_contact,
            commands::delete_contact,
            commands::add_follow_up,
            commands::set_follow_up_done,
            commands::delete_follow_up,
            commands::search,
            commands::find_duplicates,
            commands::read_date,
            commands::read_birthday,
            commands::save_draft,
            commands::load_draft,
            commands::discard_draft,
            commands::clock,
            day::agenda,
            day::mark_item,
            day::unmark_item,
            day::client_day,
            day::list_salons,
            day::salon_page,
            day::create_salon,
            day::update_salon,
            day::cancel_salon,
            day::invite_clients,
            day::uninvite_client,
            day::record_call,
            day::record_attendance,
            day::salon_suggestions,
            commands::settings,
            commands::set_time_zone,
            commands::set_morning_notice,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("rapport: the window could not start: {e}");
            std::process::exit(1);
        });
}
