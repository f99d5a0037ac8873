//! 积分: a client's loyalty points as a ledger of what was earned (by a rule such as a referral,
//! or by hand) and what was redeemed, and for what. The balance is the sum, never stored, so it
//! cannot drift from the lines; a redemption larger than the balance is refused in the same
//! write that would book it.

use crate::book::values::{optional_text, parse_date, required_text, PointsKind};
use crate::book::{stamp, Book};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PointsEntry {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// When, `YYYY-MM-DD`.
    pub booked_on: String,
    /// Earned or redeemed.
    pub kind: PointsKind,
    /// How many points (always positive; the kind gives the sign).
    #[ts(type = "number")]
    pub points: i64,
    /// What for (a referral, a tea set …).
    pub reason: String,
}

/// A client's points: the balance and every line, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PointsAccount {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Earned less redeemed.
    #[ts(type = "number")]
    pub balance: i64,
    /// The ledger, newest first.
    pub entries: Vec<PointsEntry>,
}

/// What booking one line gave: the line and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Booked {
    /// The line written.
    pub entry: PointsEntry,
    /// The balance after it.
    #[ts(type = "number")]
    pub balance: i64,
}

/// The most points one line may move.
pub const MAX_POINTS: i64 = 1_000_000_000;

/// Book points earned or redeemed on `on` (a date as typed, today when none; never after
/// `today`).
pub fn book_points(
    book: &mut Book,
    client_id: i64,
    kind: PointsKind,
    points: i64,
    reason: &str,
    on: Option<&str>,
    today: NaiveDate,
) -> Result<Booked> {
    if points <= 0 {
        return Err(Error::invalid("points", "points_not_positive"));
    }
    if points > MAX_POINTS {
        return Err(Error::invalid_with(
            "points",
            "points_out_of_range",
            MAX_POINTS.to_string(),
        ));
    }
    let reason = required_text("reason", reason, 500)?;
    let on = match optional_text("booked_on", &on.map(String::from), 40)? {
        Some(d) => parse_date("booked_on", &d)?,
        None => today,
    };
    if on > today {
        return Err(Error::invalid("booked_on", "date_in_future"));
    }
    let id = book.write(|tx| insert(tx, client_id, kind, points, &reason, on))?;
    let conn = book.conn();
    let entry = conn.query_row(
        &format!("SELECT {COLUMNS} FROM points WHERE id = ?1"),
        [id],
        from_row,
    )?;
    Ok(Booked {
        entry,
        balance: balance_in(conn, client_id)?,
    })
}

/// Insert a checked line inside an open transaction (also used by the demo book); a redemption
/// beyond the balance is refused.
pub(crate) fn insert(
    conn: &Connection,
    client_id: i64,
    kind: PointsKind,
    points: i64,
    reason: &str,
    on: NaiveDate,
) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    if kind == PointsKind::Redeemed && points > balance_in(conn, client_id)? {
        return Err(Error::invalid("points", "points_insufficient"));
    }
    conn.prepare_cached(
        "INSERT INTO points (client_id, booked_on, kind, points, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        client_id,
        on.to_string(),
        kind,
        points,
        reason,
        stamp(conn)?
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, client_id, booked_on, kind, points, reason";

fn from_row(r: &Row) -> rusqlite::Result<PointsEntry> {
    Ok(PointsEntry {
        id: r.get(0)?,
        client_id: r.get(1)?,
        booked_on: r.get(2)?,
        kind: r.get(3)?,
        points: r.get(4)?,
        reason: r.get(5)?,
    })
}

fn balance_in(conn: &Connection, client_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(CASE kind WHEN 'earned' THEN points ELSE -points END), 0)
             FROM points WHERE client_id = ?1",
        )?
        .query_row([client_id], |r| r.get(0))?)
}

/// A client's balance.
pub fn balance(book: &Book, client_id: i64) -> Result<i64> {
    crate::clients::require(book.conn(), client_id)?;
    balance_in(book.conn(), client_id)
}

/// A client's balance and ledger.
pub fn account(book: &Book, client_id: i64) -> Result<PointsAccount> {
    let conn = book.conn();
    let balance = balance(book, client_id)?;
    let entries = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM points WHERE client_id = ?1 ORDER BY booked_on DESC, id DESC"
        ))?
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(PointsAccount {
        client_id,
        balance,
        entries,
    })
}
