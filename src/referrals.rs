//! 转介绍: who brought whom, when, and the reward given.
//!
//! A client is brought by one referrer at most (the new client's page links to them), never by
//! themself, and two clients never bring each other. The referrer's page lists everyone they
//! brought; [`counts`] gives the numbers the 12421 grade weighs.

use crate::book::values::{optional_text, parse_date};
use crate::book::{stamp, Book};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One referral, with both names for the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Referral {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client who brought the other.
    #[ts(type = "number")]
    pub referrer_id: i64,
    /// Their name.
    pub referrer_name: String,
    /// The client brought.
    #[ts(type = "number")]
    pub referred_id: i64,
    /// Their name.
    pub referred_name: String,
    /// When, `YYYY-MM-DD`.
    pub referred_on: String,
    /// The reward given to the referrer, if any.
    pub reward: Option<String>,
}

/// A client's referrals: who brought them, and whom they brought.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClientReferrals {
    /// Who brought this client, if anyone.
    pub referred_by: Option<Referral>,
    /// The clients this client brought, newest first.
    pub brought: Vec<Referral>,
}

/// Record that `referrer` brought `referred` on `on` (a date as typed, not after `today`).
pub fn add(
    book: &mut Book,
    referrer: i64,
    referred: i64,
    on: &str,
    reward: Option<String>,
    today: NaiveDate,
) -> Result<Referral> {
    let on = parse_date("referred_on", on)?;
    if on > today {
        return Err(Error::invalid("referred_on", "date_in_future"));
    }
    let reward = optional_text("reward", &reward, 500)?;
    if referrer == referred {
        return Err(Error::invalid("referred", "referral_self"));
    }
    let id = book.write(|tx| insert(tx, referrer, referred, on, reward.as_deref()))?;
    get(book.conn(), id)
}

/// Insert a checked referral inside an open transaction (also used by the demo book).
pub(crate) fn insert(
    conn: &Connection,
    referrer: i64,
    referred: i64,
    on: NaiveDate,
    reward: Option<&str>,
) -> Result<i64> {
    crate::clients::require(conn, referrer)?;
    crate::clients::require(conn, referred)?;
    let brought_by: Option<i64> = conn
        .prepare_cached("SELECT referrer_id FROM referrals WHERE referred_id = ?1")?
        .query_row([referred], |r| r.get(0))
        .optional()?;
    if brought_by.is_some() {
        return Err(Error::invalid("referred", "already_referred"));
    }
    let loop_back = conn
        .prepare_cached("SELECT 1 FROM referrals WHERE referrer_id = ?1 AND referred_id = ?2")?
        .exists([referred, referrer])?;
    if loop_back {
        return Err(Error::invalid("referred", "referral_loop"));
    }
    conn.prepare_cached(
        "INSERT INTO referrals (referrer_id, referred_id, referred_on, reward, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        referrer,
        referred,
        on.to_string(),
        reward,
        stamp(conn)?
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Remove a referral recorded by mistake.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM referrals WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("referral"));
        }
        Ok(())
    })
}

const COLUMNS: &str = "r.id, r.referrer_id, a.name, r.referred_id, b.name, r.referred_on, r.reward
    FROM referrals r JOIN clients a ON a.id = r.referrer_id JOIN clients b ON b.id = r.referred_id";

fn from_row(r: &Row) -> rusqlite::Result<Referral> {
    Ok(Referral {
        id: r.get(0)?,
        referrer_id: r.get(1)?,
        referrer_name: r.get(2)?,
        referred_id: r.get(3)?,
        referred_name: r.get(4)?,
        referred_on: r.get(5)?,
        reward: r.get(6)?,
    })
}

fn get(conn: &Connection, id: i64) -> Result<Referral> {
    conn.query_row(&format!("SELECT {COLUMNS} WHERE r.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("referral"))
}

/// Who brought a client and whom they brought.
pub fn of_client(book: &Book, client_id: i64) -> Result<ClientReferrals> {
    let conn = book.conn();
    crate::clients::require(conn, client_id)?;
    let referred_by = conn
        .prepare_cached(&format!("SELECT {COLUMNS} WHERE r.referred_id = ?1"))?
        .query_row([client_id], from_row)
        .optional()?;
    let brought = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} WHERE r.referrer_id = ?1 ORDER BY r.referred_on DESC, r.id DESC"
        ))?
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ClientReferrals {
        referred_by,
        brought,
    })
}

/// How many clients each referrer brought on or after `since` (the grade's window), by client
/// id; clients who brought none are left out.
pub fn counts(book: &Book, since: NaiveDate) -> Result<Vec<(i64, u32)>> {
    let mut stmt = book.conn().prepare_cached(
        "SELECT referrer_id, count(*) FROM referrals WHERE referred_on >= ?1
         GROUP BY referrer_id ORDER BY referrer_id",
    )?;
    let rows = stmt
        .query_map([since.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
