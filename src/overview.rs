//! The book at a glance (概览): clients by tier and by grade, AUM by tier, the money maturing in
//! each of the next 12 months, contacts in each of the last 12 weeks and the funnel of each
//! recent salon; and the list behind each bar that is not already a client-list filter.
//!
//! Every figure is counted in SQLite from the same indexes the lists read, so the page costs
//! what its lists cost; nothing is cached.

use crate::book::values::{Channel, ContactKind, Tier};
use crate::book::Book;
use crate::rules::grading::Grade;
use crate::salons::{self, Funnel};
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Months of maturities shown, the current one first.
pub const MATURITY_MONTHS: u32 = 12;
/// Weeks of contacts shown, the current one last.
pub const CONTACT_WEEKS: u32 = 12;
/// Salons shown at most: those of the last 90 days and the next 60, oldest first.
pub const SALONS_SHOWN: usize = 8;
/// Rows of a list behind a bar; the total says how many there are in all.
pub const DRILL_ROWS: u32 = 500;

/// One tier's clients and money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TierBar {
    /// The recorded tier.
    pub tier: Tier,
    /// Clients of that tier.
    pub clients: u32,
    /// Their AUM today, in fen.
    #[ts(type = "number")]
    pub aum_fen: i64,
}

/// One grade's clients in the newest grading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GradeBar {
    /// The letter.
    pub grade: Grade,
    /// Clients of that grade.
    pub clients: u32,
}

/// What matures in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthBar {
    /// `YYYY-MM`.
    pub month: String,
    /// Holdings held here that mature that month (from today on in the current month).
    pub holdings: u32,
    /// Their principal, in fen.
    #[ts(type = "number")]
    pub amount_fen: i64,
}

/// Contacts logged in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekBar {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    /// Contacts of any channel dated that week.
    pub contacts: u32,
}

/// One salon's funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalonBar {
    /// The salon.
    #[ts(type = "number")]
    pub salon_id: i64,
    /// Its title.
    pub title: String,
    /// Its start, `YYYY-MM-DD HH:MM`.
    pub start: String,
    /// Invited → reached → confirmed → came.
    pub funnel: Funnel,
}

/// The book at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Overview {
    /// Clients in the book.
    pub clients: u32,
    /// Each tier, private first.
    pub tiers: Vec<TierBar>,
    /// The month of the newest grading; none before the first.
    pub graded_month: Option<String>,
    /// Each grade, A first.
    pub grades: Vec<GradeBar>,
    /// Clients added since the newest grading.
    pub ungraded: u32,
    /// The next 12 months' maturities, this month first.
    pub maturities: Vec<MonthBar>,
    /// The last 12 weeks' contacts, this week last.
    pub contacts: Vec<WeekBar>,
    /// Recent and coming salons, oldest first.
    pub salons: Vec<SalonBar>,
}

/// A holding behind a month of maturities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaturingHolding {
    /// The holding.
    #[ts(type = "number")]
    pub holding_id: i64,
    /// Whose it is.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// Their tier.
    pub tier: Tier,
    /// The product.
    pub product: String,
    /// Principal, in fen.
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub maturity: String,
}

/// A contact behind a week's bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekContact {
    /// The contact.
    #[ts(type = "number")]
    pub contact_id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// Phone, visit, WeChat …
    pub channel: Channel,
    /// Note, complaint, …
    pub kind: ContactKind,
    /// The summary's first line.
    pub summary: String,
}

/// The rows behind a bar (at most [`DRILL_ROWS`]) and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Drill<T> {
    /// Rows in all.
    pub total: u32,
    /// The first of them.
    pub rows: Vec<T>,
}

/// The first day of the month `ahead` months after `day`'s (0: its own).
fn month_start(day: NaiveDate, ahead: i32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 + ahead;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .expect("first of a month")
}

/// The Monday of `day`'s week (weeks start on Monday, as Chinese calendars print them).
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// The book at a glance on `today`.
pub fn overview(book: &Book, today: NaiveDate) -> Result<Overview> {
    let conn = book.conn();
    let clients: u32 = conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?;

    let mut per_tier: HashMap<Tier, u32> = HashMap::new();
    for row in conn
        .prepare_cached("SELECT tier, count(*) FROM clients GROUP BY tier")?
        .query_map([], |r| Ok((r.get::<_, Tier>(0)?, r.get::<_, u32>(1)?)))?
    {
        let (tier, n) = row?;
        per_tier.insert(tier, n);
    }
    let aum_per_tier: HashMap<Tier, i64> = crate::holdings::aum_by_tier(conn, today)?
        .into_iter()
        .collect();
    let tiers = Tier::ALL
        .iter()
        .map(|t| TierBar {
            tier: *t,
            clients: per_tier.get(t).copied().unwrap_or(0),
            aum_fen: aum_per_tier.get(t).copied().unwrap_or(0),
        })
        .collect();

    let graded_month: Option<String> =
        conn.query_row("SELECT max(month) FROM grade_snapshots", [], |r| r.get(0))?;
    let mut per_grade: HashMap<Option<Grade>, u32> = HashMap::new();
    for row in conn
        .prepare_cached("SELECT grade, count(*) FROM clients GROUP BY grade")?
        .query_map([], |r| {
            Ok((r.get::<_, Option<Grade>>(0)?, r.get::<_, u32>(1)?))
        })?
    {
        let (grade, n) = row?;
        per_grade.insert(grade, n);
    }
    let grades = Grade::ALL
        .iter()
        .map(|g| GradeBar {
            grade: *g,
            clients: per_grade.get(&Some(*g)).copied().unwrap_or(0),
        })
        .collect();
    let ungraded = if graded_month.is_some() {
        per_grade.get(&None).copied().unwrap_or(0)
    } else {
        0
    };

    let end = month_start(today, MATURITY_MONTHS as i32);
    let mut per_month: HashMap<String, (u32, i64)> = HashMap::new();
    for row in conn
        .prepare_cached(
            "SELECT substr(maturity, 1, 7), count(*), sum(amount_fen) FROM holdings
             WHERE status = 'held' AND elsewhere = 0 AND maturity >= ?1 AND maturity < ?2
             GROUP BY 1",
        )?
        .query_map(params![today.to_string(), end.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
    {
        let (month, n, amount) = row?;
        per_month.insert(month, (n, amount));
    }
    let maturities = (0..MATURITY_MONTHS as i32)
        .map(|i| {
            let month = month_start(today, i).format("%Y-%m").to_string();
            let (holdings, amount_fen) = per_month.get(&month).copied().unwrap_or((0, 0));
            MonthBar {
                month,
                holdings,
                amount_fen,
            }
        })
        .collect();

    let this_week = week_of(today);
    let first_week = this_week - Duration::weeks(CONTACT_WEEKS as i64 - 1);
    let mut per_day: Vec<(NaiveDate, u32)> = Vec::new();
    for row in conn
        .prepare_cached(
            "SELECT substr(at, 1, 10), count(*) FROM contacts
             WHERE at >= ?1 AND at < ?2 GROUP BY 1",
        )?
        .query_map(
            params![
                first_week.to_string(),
                (this_week + Duration::weeks(1)).to_string()
            ],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)),
        )?
    {
        let (day, n) = row?;
        if let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            per_day.push((day, n));
        }
    }
    let contacts = (0..CONTACT_WEEKS as i64)
        .map(|i| {
            let monday = first_week + Duration::weeks(i);
            WeekBar {
                week: monday.to_string(),
                contacts: per_day
                    .iter()
                    .filter(|(d, _)| week_of(*d) == monday)
                    .map(|(_, n)| n)
                    .sum(),
            }
        })
        .collect();

    let from = (today - Duration::days(90)).to_string();
    let until = (today + Duration::days(61)).to_string();
    let mut shown: Vec<SalonBar> = salons::list(book, today)?
        .into_iter()
        .filter(|r| !r.salon.cancelled && r.salon.start >= from && r.salon.start < until)
        .map(|r| SalonBar {
            salon_id: r.salon.id,
            title: r.salon.title,
            start: r.salon.start,
            funnel: r.funnel,
        })
        .collect();
    shown.sort_by(|a, b| a.start.cmp(&b.start));
    // The most recent ones when there are more than fit: the list's end is what is current.
    let salons = shown.split_off(shown.len().saturating_sub(SALONS_SHOWN));

    Ok(Overview {
        clients,
        tiers,
        graded_month,
        grades,
        ungraded,
        maturities,
        contacts,
        salons,
    })
}

/// The holdings behind a month's bar (`YYYY-MM`): held here, maturing that month from `today`
/// on, soonest first and the largest first on a day.
pub fn maturing_in(book: &Book, month: &str, today: NaiveDate) -> Result<Drill<MaturingHolding>> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| Error::invalid("month", "month_invalid"))?;
    let from = first.max(today).to_string();
    let until = month_start(first, 1).to_string();
    let conn = book.conn();
    const WHERE: &str = "h.status = 'held' AND h.elsewhere = 0 AND h.maturity >= ?1
        AND h.maturity < ?2";
    let total: u32 = conn
        .prepare_cached(&format!("SELECT count(*) FROM holdings h WHERE {WHERE}"))?
        .query_row(params![from, until], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT h.id, h.client_id, c.name, c.tier, h.product, h.amount_fen, h.maturity
             FROM holdings h JOIN clients c ON c.id = h.client_id
             WHERE {WHERE} ORDER BY h.maturity, h.amount_fen DESC, h.id LIMIT {DRILL_ROWS}"
        ))?
        .query_map(params![from, until], |r| {
            Ok(MaturingHolding {
                holding_id: r.get(0)?,
                client_id: r.get(1)?,
                name: r.get(2)?,
                tier: r.get(3)?,
                product: r.get(4)?,
                amount_fen: r.get(5)?,
                maturity: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Drill { total, rows })
}

/// The contacts behind a week's bar (the week of `monday`), newest first.
pub fn contacts_in_week(book: &Book, monday: &str) -> Result<Drill<WeekContact>> {
    let day = NaiveDate::parse_from_str(monday, "%Y-%m-%d")
        .map_err(|_| Error::invalid("week", "date_format"))?;
    let from = week_of(day);
    let until = (from + Duration::weeks(1)).to_string();
    let from = from.to_string();
    let conn = book.conn();
    let total: u32 = conn
        .prepare_cached("SELECT count(*) FROM contacts WHERE at >= ?1 AND at < ?2")?
        .query_row(params![from, until], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT k.id, k.client_id, c.name, k.at, k.channel, k.kind, k.summary
             FROM contacts k JOIN clients c ON c.id = k.client_id
             WHERE k.at >= ?1 AND k.at < ?2 ORDER BY k.at DESC, k.id DESC LIMIT {DRILL_ROWS}"
        ))?
        .query_map(params![from, until], |r| {
            let summary: String = r.get(6)?;
            Ok(WeekContact {
                contact_id: r.get(0)?,
                client_id: r.get(1)?,
                name: r.get(2)?,
                at: r.get(3)?,
                channel: r.get(4)?,
                kind: r.get(5)?,
                summary: summary
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Drill { total, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_ahead_cross_the_year_and_weeks_start_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(month_start(d, 0).to_string(), "2026-11-01");
        assert_eq!(month_start(d, 2).to_string(), "2027-01-01");
        assert_eq!(month_start(d, 12).to_string(), "2027-11-01");
        assert_eq!(week_of(d).to_string(), "2026-11-30");
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(week_of(sunday).to_string(), "2026-11-30");
    }
}
