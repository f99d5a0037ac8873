//! 日历文件: the advisor's reminders as an iCalendar (.ics) file for the phone's calendar.
//!
//! What goes in: every reminder of a window of days (from today, 60 days unless asked
//! otherwise), as the agenda computes them, plus the salons at their time and place (see
//! [`reminders`]). A lunar birthday is the solar day it falls on that year, once for every year
//! the window reaches into: an RRULE cannot follow the lunar calendar.
//!
//! Re-importing must update, never duplicate, and must take back what is over:
//! - UID: the reminder's stable key and `@rapport` (`birthday/client/12/2026-12-03@rapport`,
//!   `salon_call/5/12/r7@rapport`, `salon/5@rapport`, `follow_up/40@rapport`), never a random
//!   number or the time of export. A birthday's key names its day, as its agenda id does.
//! - STATUS:CANCELLED with SEQUENCE 1 for what is over (done, skipped, resolved, a cancelled
//!   salon and its calls), STATUS:CONFIRMED with SEQUENCE 0 otherwise. Nothing is stored
//!   about past exports, so an item brought back (a mark taken back) goes out at SEQUENCE 0
//!   again, and a calendar that honours SEQUENCE keeps its cancelled copy.
//! - DTSTAMP: the last change the book records for the reminder (a salon's edit, the day a
//!   mark was set, a follow-up ticked off, a complaint resolved), or 2000-01-01 00:00 UTC when
//!   it records none; never the clock, so an unchanged book exports the same file byte for byte.
//!
//! Times: day reminders are all-day (DATE) events with a display alarm at 9:00 on the day (or
//! at the morning notice's time, when the advisor set one); a salon is a timed event of two
//! hours with an alarm 30 minutes before. In a zone with one offset all year (Asia/Shanghai,
//! the default) times are local with `TZID=` and a VTIMEZONE block written here; in a zone
//! with summer time they are written in UTC.

pub mod reminders;
mod write;

use crate::book::Book;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

pub use reminders::{Reminder, ReminderKind, State, When};
pub(crate) use write::resource_text as write_resource;
pub use write::uid;

/// Days a calendar file covers unless asked otherwise.
pub const DEFAULT_DAYS: u32 = 60;

/// The longest window: two years, so every lunar birthday comes at least twice.
pub const MAX_DAYS: u32 = 731;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IcsExport {
    /// The file written.
    pub path: String,
    /// Events in it, cancelled ones included.
    pub events: u32,
    /// Of those, the ones that went out cancelled (done, skipped, resolved or called off).
    pub cancelled: u32,
    /// First day of the window, `YYYY-MM-DD`.
    pub from: String,
    /// Days in the window.
    pub days: u32,
}

/// The reminders of `days` days from `from` as seen at `now` (the advisor's local time) and
/// the calendar text that carries them.
pub fn calendar(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
) -> Result<(Vec<Reminder>, String)> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::invalid_with(
            "days",
            "days_out_of_range",
            format!("1–{MAX_DAYS}"),
        ));
    }
    let cal = crate::work_schedule::from_book(book)?;
    let found = reminders::collect(book, from, days, now, &cal)?;
    let zone = crate::settings::time_zone(book)?;
    let morning = crate::settings::morning_notice(book)?
        .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN));
    let to = from + Duration::days(i64::from(days) - 1);
    let text = write::calendar_text(&found, zone, from, to, morning);
    Ok((found, text))
}

/// Write the calendar of `days` days from `from` to `path`. The file is written beside its
/// place and moved there whole, so a folder a phone syncs never holds half a calendar.
pub fn export(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    path: &Path,
) -> Result<IcsExport> {
    let (found, text) = calendar(book, from, days, now)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "calendar.ics".into());
    let partial = path.with_file_name(format!(".{name}.partial"));
    std::fs::write(&partial, text.as_bytes())?;
    if let Err(e) = std::fs::rename(&partial, path) {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    Ok(IcsExport {
        path: path.display().to_string(),
        events: found.len() as u32,
        cancelled: found.iter().filter(|r| r.state != State::Open).count() as u32,
        from: from.to_string(),
        days,
    })
}
