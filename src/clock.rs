//! The advisor's clock: the one place a reading of the machine's clock becomes the advisor's
//! day and time. The machine may be set to any zone (a laptop on UTC, a trip abroad); the
//! advisor's day is the one in the zone kept in the book, Beijing time unless changed.

use crate::settings::{self, DEFAULT_TIME_ZONE};
use crate::{Book, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

/// Environment variable that pins the advisor's day (`YYYY-MM-DD`), for tests and demos.
pub const TODAY_ENV: &str = "RAPPORT_TODAY";

/// The advisor's local time at the instant `utc`.
pub fn advisor_now(utc: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    utc.with_timezone(&zone).naive_local()
}

/// The advisor's calendar day at the instant `utc`.
pub fn advisor_today(utc: DateTime<Utc>, zone: Tz) -> NaiveDate {
    advisor_now(utc, zone).date()
}

/// `now` moved to the day `pin` names, keeping its time of day; a `pin` that is not a date is
/// ignored rather than stopping the app.
pub fn pin_day(now: NaiveDateTime, pin: Option<&str>) -> NaiveDateTime {
    pin.and_then(|d| crate::book::values::parse_date(TODAY_ENV, d).ok())
        .map_or(now, |day| day.and_time(now.time()))
}

/// The advisor's now in `zone`, from the machine's clock and `RAPPORT_TODAY`.
pub fn now_at(zone: Tz) -> NaiveDateTime {
    let pin = std::env::var(TODAY_ENV).ok();
    pin_day(advisor_now(Utc::now(), zone), pin.as_deref())
}

/// The advisor's now in the book's zone.
pub fn now_in(book: &Book) -> Result<NaiveDateTime> {
    now_in_conn(book.conn())
}

/// The advisor's today in the book's zone.
pub fn today_in(book: &Book) -> Result<NaiveDate> {
    Ok(now_in(book)?.date())
}

/// The advisor's now before any book is open (creating one, reading a typed date): the
/// default zone, as a new book would have.
pub fn now_without_book() -> NaiveDateTime {
    now_at(DEFAULT_TIME_ZONE)
}

/// The advisor's now read through an open connection, so a write stamps its rows with the
/// zone of the book it writes to.
pub(crate) fn now_in_conn(conn: &Connection) -> Result<NaiveDateTime> {
    Ok(now_at(settings::zone_of(conn)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_day_keeps_the_time_of_day() {
        let real = NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        let at = |pin: Option<&str>| pin_day(real, pin).to_string();
        assert_eq!(at(None), "2026-11-30 09:05:00");
        assert_eq!(at(Some("2024-02-29")), "2024-02-29 09:05:00");
        assert_eq!(at(Some(" 2024/2/29 ")), "2024-02-29 09:05:00");
        assert_eq!(at(Some("not a day")), "2026-11-30 09:05:00");
        assert_eq!(at(Some("2023-02-29")), "2026-11-30 09:05:00");
    }
}
