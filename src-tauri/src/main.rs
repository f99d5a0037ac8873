//! Rapport desktop shell: opens the window and forwards typed commands to the core.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod calendar_sync;
mod care;
mod commands;
mod day;
mod exchange;
mod keeping;
mod money;
mod overview;
mod remember;
mod tray;

use std::ffi::OsString;
use std::path::PathBuf;

/// The value of `--NAME VALUE` (or `--NAME=VALUE`) on the command line, if given.
fn flag(name: &str) -> Option<OsString> {
    let long = format!("--{name}");
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == long.as_str() {
            return args.next();
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix(&format!("{long}="))) {
            return Some(v.into());
        }
    }
    None
}

fn main() {
    // `--today YYYY-MM-DD`: the day the window treats as today (tests step through days with
    // it). Set before any thread starts: the one clock helper reads it from here.
    if let Some(day) = flag("today") {
        std::env::set_var("RAPPORT_TODAY", day);
    }
    // `--idle-lock-seconds N`: lock an encrypted book after N idle seconds instead of the
    // book's minutes (the end-to-end tests' way to see the lock come).
    if let Some(seconds) = flag("idle-lock-seconds") {
        std::env::set_var("RAPPORT_IDLE_LOCK_SECONDS", seconds);
    }
    let path = rapport::book::resolve_path(flag("book").map(PathBuf::from).as_deref());
    // `--real-book PATH`: the advisor's own book when the window starts on a demo book (where
    // "create my own book" leads); without it, the book `rapport` uses by default.
    let own = flag("real-book").map(PathBuf::from);
    let state = commands::Shelf::new(path, own);
    tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            tray::install(app.handle());
            keeping::watch_idle(app.handle());
            calendar_sync::sync_in_background(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::book_status,
            commands::create_book,
            commands::open_demo_book,
            commands::open_own_book,
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
            keeping::list_backups,
            keeping::backup_now,
            keeping::restore_backup,
            keeping::unlock_book,
            keeping::lock_book,
            keeping::still_here,
            keeping::set_passphrase,
            keeping::set_auto_lock,
            keeping::forget_passphrase,
            exchange::suggested_export_path,
            exchange::choose_save_path,
            exchange::choose_open_path,
            exchange::export_list,
            exchange::import_file,
            exchange::export_calendar,
            exchange::importable_fields,
            calendar_sync::calendar_sync,
            calendar_sync::set_calendar_account,
            calendar_sync::forget_calendar_account,
            calendar_sync::sync_calendar,
            money::client_money,
            money::add_holding,
            money::set_holding_value,
            money::close_holding,
            money::renew_holding,
            money::delete_holding,
            money::comparison_from_holding,
            money::compare_yields,
            money::save_comparison,
            money::at_risk,
            money::book_grades,
            money::start_win_back,
            money::mark_lost,
            money::money_settings,
            money::set_money_settings,
            overview::book_overview,
            overview::maturing_in,
            overview::contacts_in_week,
            care::plan_gift,
            care::log_gift,
            care::delete_gift,
            care::add_preference,
            care::delete_preference,
            care::add_referral,
            care::delete_referral,
            care::book_points,
            care::points_account,
            care::add_survey,
            care::delete_survey,
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
