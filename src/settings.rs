//! The advisor's settings, kept in the book: they follow the book to another computer, whatever
//! that computer's own clock and zone say.

use crate::{Book, Error, Result};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The zone of a book that never set one: the advisor works on Beijing time.
pub const DEFAULT_TIME_ZONE: Tz = Tz::Asia__Shanghai;

const TIME_ZONE_KEY: &str = "time_zone";

/// The settings as the advisor sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    /// The advisor's time zone, an IANA name such as `Asia/Shanghai`.
    pub time_zone: String,
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
    })
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
