//! The commands of the phone's calendar over CalDAV: set the calendar, sync now, see the last
//! result and what is pending, stop syncing; and the sync in the background every quarter of
//! an hour while the window is open. The book is held only to read the work and to write what
//! was done, never while the network is slow, so the window stays free during a sync.

use crate::commands::Shelf;
use rapport::exchange::caldav::{self, Account, Kept, SyncReport};
use rapport::{clock, Error};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, State};
use zeroize::Zeroizing;

/// How often the window syncs on its own when the calendar and its password are kept.
const EVERY: Duration = Duration::from_secs(15 * 60);

/// One sync at a time: "sync now" during a background sync waits for nothing and says so.
static SYNCING: AtomicBool = AtomicBool::new(false);

/// The calendar sync as the settings page shows it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CalendarSync {
    /// The calendar, when one is set.
    pub account: Option<Account>,
    /// Whether its password is kept (in the encrypted book or the keyring): syncs need no typing.
    pub password_kept: bool,
    /// The last sync's report.
    pub last: Option<SyncReport>,
    /// Changes waiting to be sent, as far as the book knows.
    pub pending: u32,
    /// A sync is running now.
    pub syncing: bool,
}

fn status(b: &rapport::Book) -> Result<CalendarSync, Error> {
    let account = caldav::account(b)?;
    let (password_kept, pending) = match &account {
        Some(a) => (
            caldav::password(b, a)?.is_some(),
            caldav::plan(b, &a.url, clock::now_in(b)?)?.pending(),
        ),
        None => (false, 0),
    };
    Ok(CalendarSync {
        account,
        password_kept,
        last: caldav::last(b)?,
        pending,
        syncing: SYNCING.load(Ordering::SeqCst),
    })
}

/// The calendar sync of the open book.
#[tauri::command(async)]
pub fn calendar_sync(shelf: State<'_, Shelf>) -> Result<CalendarSync, Error> {
    shelf.with(|b| status(b))
}

/// Where a password set with the calendar was kept.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AccountSet {
    /// The sync as it is now.
    pub sync: CalendarSync,
    /// Where the password went (none given: `None`).
    pub kept: Option<Kept>,
}

/// Set the calendar to sync to; a password given is kept (the encrypted book, else the
/// keyring, else nowhere: then it is asked for at each sync).
#[tauri::command(async)]
pub fn set_calendar_account(
    shelf: State<'_, Shelf>,
    url: String,
    user: String,
    password: Option<String>,
) -> Result<AccountSet, Error> {
    let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    shelf.with(|b| {
        let account = caldav::set_account(b, &url, &user)?;
        let kept = match &password {
            Some(p) => Some(caldav::keep_password(b, &account, p)?),
            None => None,
        };
        Ok(AccountSet {
            sync: status(b)?,
            kept,
        })
    })
}

/// Stop syncing: the calendar, its password and what was sent are forgotten.
#[tauri::command(async)]
pub fn forget_calendar_account(shelf: State<'_, Shelf>) -> Result<CalendarSync, Error> {
    shelf.with(|b| {
        caldav::forget_account(b)?;
        status(b)
    })
}

/// How far a sync is, for the settings page.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncProgress {
    /// Changes sent.
    pub done: u32,
    /// Changes in all.
    pub total: u32,
}

/// Sync now; `password` when none is kept. The report, or why it stopped (what was done by
/// then is kept, and the rest is pending).
#[tauri::command(async)]
pub fn sync_calendar(
    app: AppHandle,
    shelf: State<'_, Shelf>,
    password: Option<String>,
) -> Result<SyncReport, Error> {
    let typed = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    run(&app, &shelf, typed)
}

fn run(
    app: &AppHandle,
    shelf: &Shelf,
    typed: Option<Zeroizing<String>>,
) -> Result<SyncReport, Error> {
    if SYNCING.swap(true, Ordering::SeqCst) {
        return Err(Error::invalid("caldav", "caldav_busy"));
    }
    let outcome = sync_apart(app, shelf, typed);
    SYNCING.store(false, Ordering::SeqCst);
    let _ = app.emit("calendar-synced", ());
    outcome
}

fn sync_apart(
    app: &AppHandle,
    shelf: &Shelf,
    typed: Option<Zeroizing<String>>,
) -> Result<SyncReport, Error> {
    // Read the work with the book held.
    let (path, account, password, plan) = shelf.with(|b| {
        let account = caldav::account(b)?.ok_or_else(|| Error::not_found("calendar"))?;
        let password = match typed {
            Some(p) => p,
            None => caldav::password(b, &account)?
                .ok_or_else(|| Error::invalid("caldav_password", "required"))?,
        };
        let plan = caldav::plan(b, &account.url, clock::now_in(b)?)?;
        Ok::<_, Error>((PathBuf::from(b.path()), account, password, plan))
    })?;
    // Send it without: the window goes on while the server answers.
    let calendar = caldav::Calendar::new(&account.url, &account.user, &password)?;
    let outcome = caldav::push(&plan, &calendar, |done, total| {
        let _ = app.emit("calendar-sync-progress", SyncProgress { done, total });
    });
    // Write what was done, into the same book (the window may have moved to another meanwhile,
    // or locked it: then the next sync finds the calendar as this one left it).
    let recorded = shelf.with(|b| {
        if b.path() == path {
            caldav::record(b, &outcome)?;
        }
        Ok(())
    });
    match (outcome.error, recorded) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(e),
        (None, Ok(())) => Ok(outcome.report),
    }
}

/// Sync in the background every [`EVERY`] while the window is open, when the open book has a
/// calendar and its password is kept. Failures (no network) only leave the changes pending;
/// the settings page shows the last result.
pub fn sync_in_background(app: &AppHandle) {
    let handle = app.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(EVERY);
        let shelf = handle.state::<Shelf>();
        let ready = shelf
            .with(|b| match caldav::account(b)? {
                Some(a) => Ok(caldav::password(b, &a)?.is_some()),
                None => Ok(false),
            })
            .unwrap_or(false);
        if ready {
            let _ = run(&handle, &shelf, None);
        }
    });
}
