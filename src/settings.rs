//! The advisor's settings, kept in the book: they follow the book to another computer, whatever
//! that computer's own clock and zone say.

use crate::{Book, Error, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The zone of a book that never set one: the advisor works on Beijing time.
pub const DEFAULT_TIME_ZONE: Tz = Tz::Asia__Shanghai;

const TIME_ZONE_KEY: &str = "time_zone";
const MORNING_NOTICE_KEY: &str = "morning_notice";
const AUTO_LOCK_KEY: &str = "auto_lock_minutes";
/// Idle minutes before the window locks an encrypted book, unless the advisor sets otherwise:
/// long enough for a client call, short enough for a laptop left on a branch desk.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;
/// The longest idle time that can be set (0 switches the lock off).
pub const MAX_AUTO_LOCK_MINUTES: u32 = 240;
/// Set (to `1`) by the demo generator only: the advisor never makes a book a demo book.
const DEMO_KEY: &str = "demo";

/// The settings as the advisor sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    /// The advisor's time zone, an IANA name such as `Asia/Shanghai`.
    pub time_zone: String,
    /// The time of the morning desktop notice of today's count, `HH:MM`; off when none (the
    /// default: a notice nobody asked for is noise).
    pub morning_notice: Option<String>,
    /// Idle minutes after which the window locks an encrypted book (0: never).
    pub auto_lock_minutes: u32,
    /// Days before a holding's maturity the agenda reminds of it (7 and 1 unless set).
    pub maturity_notice_days: Vec<u32>,
}

/// A time zone by its IANA name, in any letter case (`asia/shanghai` is `Asia/Shanghai`).
pub fn parse_time_zone(text: &str) -> Result<Tz> {
    let text = text.trim();
    text.parse::<Tz>()
        .ok()
        .or_else(|| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .copied()
                .find(|z| z.name().eq_ignore_ascii_case(text))
        })
        .ok_or_else(|| Error::invalid("time_zone", "time_zone_unknown"))
}

/// The book's settings, defaults filled in.
pub fn get(book: &Book) -> Result<Settings> {
    Ok(Settings {
        time_zone: time_zone(book)?.name().to_string(),
        morning_notice: morning_notice(book)?.map(|t| t.format("%H:%M").to_string()),
        auto_lock_minutes: auto_lock_minutes(book)?,
        maturity_notice_days: maturity_notice_days_of(book.conn())?,
    })
}

const MATURITY_NOTICE_KEY: &str = "maturity_notice_days";

/// The days before a maturity the agenda reminds of it, longest first.
pub const DEFAULT_MATURITY_NOTICE_DAYS: [u32; 2] = [7, 1];

/// The longest notice before a maturity, in days.
pub const MAX_MATURITY_NOTICE_DAYS: u32 = 60;

/// The maturity notice days stored in an open connection, longest first.
pub(crate) fn maturity_notice_days_of(conn: &Connection) -> Result<Vec<u32>> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([MATURITY_NOTICE_KEY], |r| r.get(0))
        .optional()?;
    let days: Option<Vec<u32>> =
        stored.map(|s| s.split(',').filter_map(|d| d.trim().parse().ok()).collect());
    Ok(days
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| DEFAULT_MATURITY_NOTICE_DAYS.to_vec()))
}

/// Set the days before a maturity the agenda reminds of it (one to three, each 1–60).
pub fn set_maturity_notice_days(book: &mut Book, days: &[u32]) -> Result<Settings> {
    let mut days = days.to_vec();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if days.is_empty()
        || days.len() > 3
        || days
            .iter()
            .any(|d| !(1..=MAX_MATURITY_NOTICE_DAYS).contains(d))
    {
        return Err(Error::invalid_with(
            "maturity_notice_days",
            "notice_days_out_of_range",
            format!("1–{MAX_MATURITY_NOTICE_DAYS}"),
        ));
    }
    let text = days
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",");
    book.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([MATURITY_NOTICE_KEY, &text])?;
        Ok(())
    })?;
    get(book)
}

/// Idle minutes after which the window locks an encrypted book (0: never).
pub fn auto_lock_minutes(book: &Book) -> Result<u32> {
    let stored: Option<String> = book
        .conn()
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([AUTO_LOCK_KEY], |r| r.get(0))
        .optional()?;
    Ok(stored
        .and_then(|s| s.parse().ok())
        .filter(|m| *m <= MAX_AUTO_LOCK_MINUTES)
        .unwrap_or(DEFAULT_AUTO_LOCK_MINUTES))
}

/// Set the idle minutes before the window locks the book (0: never).
pub fn set_auto_lock_minutes(book: &mut Book, minutes: u32) -> Result<Settings> {
    if minutes > MAX_AUTO_LOCK_MINUTES {
        return Err(Error::invalid_with(
            "auto_lock_minutes",
            "minutes_out_of_range",
            format!("0–{MAX_AUTO_LOCK_MINUTES}"),
        ));
    }
    book.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([AUTO_LOCK_KEY, &minutes.to_string()])?;
        Ok(())
    })?;
    get(book)
}

/// The time of the morning notice, if the advisor switched it on.
pub fn morning_notice(book: &Book) -> Result<Option<NaiveTime>> {
    let stored: Option<String> = book
        .conn()
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([MORNING_NOTICE_KEY], |r| r.get(0))
        .optional()?;
    Ok(stored.and_then(|s| NaiveTime::parse_from_str(&s, "%H:%M").ok()))
}

/// Switch the morning notice on at `HH:MM`, or off with `None` (or a blank time).
pub fn set_morning_notice(book: &mut Book, at: Option<&str>) -> Result<Settings> {
    let at = match at.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(
            NaiveTime::parse_from_str(t, "%H:%M")
                .map_err(|_| Error::invalid_with("morning_notice", "time_invalid", "HH:MM"))?,
        ),
        None => None,
    };
    book.write(|tx| {
        match at {
            Some(t) => tx
                .prepare_cached(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )?
                .execute([MORNING_NOTICE_KEY, &t.format("%H:%M").to_string()])?,
            None => tx.execute("DELETE FROM settings WHERE key = ?1", [MORNING_NOTICE_KEY])?,
        };
        Ok(())
    })?;
    get(book)
}

/// Whether the morning notice is due at `now`: once a day, at or after its time (a laptop
/// opened at 9:40 for an 8:30 notice still gets it, once).
pub fn notice_due(now: NaiveDateTime, at: NaiveTime, last_sent: Option<NaiveDate>) -> bool {
    now.time() >= at && last_sent != Some(now.date())
}

/// Whether the book is a demo book, whose clients are all made up.
pub fn is_demo(book: &Book) -> Result<bool> {
    let stored: Option<String> = book
        .conn()
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([DEMO_KEY], |r| r.get(0))
        .optional()?;
    Ok(stored.as_deref() == Some("1"))
}

/// Mark the book being written as a demo book (inside the demo generator's transaction, so a
/// book is marked exactly when its made-up clients are in it).
pub(crate) fn mark_demo(conn: &Connection) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, '1')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([DEMO_KEY])?;
    Ok(())
}

/// The advisor's time zone.
pub fn time_zone(book: &Book) -> Result<Tz> {
    zone_of(book.conn())
}

/// Set the advisor's time zone; an unknown name changes nothing.
pub fn set_time_zone(book: &mut Book, zone: &str) -> Result<Settings> {
    let tz = parse_time_zone(zone)?;
    book.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([TIME_ZONE_KEY, tz.name()])?;
        Ok(())
    })?;
    get(book)
}

/// The zone stored in an open connection (also inside a write, for its time stamps).
pub(crate) fn zone_of(conn: &Connection) -> Result<Tz> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([TIME_ZONE_KEY], |r| r.get(0))
        .optional()?;
    // Only `set_time_zone` writes it, so an unknown name comes from a newer time zone database
    // than this build's: refuse rather than silently keep the wrong day.
    stored.map_or(Ok(DEFAULT_TIME_ZONE), |s| parse_time_zone(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_morning_notice_comes_once_a_day_at_or_after_its_time() {
        let t = NaiveTime::from_hms_opt(8, 30, 0).unwrap();
        assert!(!notice_due(at("2026-12-01 08:29"), t, None));
        assert!(notice_due(at("2026-12-01 08:30"), t, None));
        assert!(notice_due(
            at("2026-12-01 09:40"),
            t,
            Some(at("2026-11-30 08:30").date())
        ));
        assert!(!notice_due(
            at("2026-12-01 09:40"),
            t,
            Some(at("2026-12-01 08:30").date())
        ));
    }
}
