//! 12421 grades from the book's own figures: AUM (from the holdings), contribution (中间业务收入
//! as recorded), contacts and salons attended in the last 12 months, and referrals. The
//! arithmetic is [`crate::rules::grading`]'s; here the figures are gathered, the weights and the
//! tier thresholds kept in settings, and each recalculation kept as the month's snapshot, so a
//! fall (C → D) shows against the month before. Tiers are suggested from AUM beside the tier the
//! advisor recorded.

use crate::book::values::Tier;
use crate::book::Book;
use crate::rules::grading::{self, ClientMetrics, TierThresholds, Weights};
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

const WEIGHTS_KEY: &str = "grade_weights";
const THRESHOLDS_KEY: &str = "tier_thresholds";

/// Days the contacts, salons and referrals of a grade are counted over.
pub const WINDOW_DAYS: i64 = 365;

/// One client's grade and what it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClientGrade {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// `A` … `E`.
    pub grade: String,
    /// The score, 0–100.
    pub score: f64,
    /// Last month's grade, when there is a snapshot of it.
    pub previous: Option<String>,
    /// The grade is worse than last month's.
    pub fell: bool,
    /// AUM, in fen.
    #[ts(type = "number")]
    pub aum_fen: i64,
    /// Contribution, in fen.
    #[ts(type = "number")]
    pub contribution_fen: i64,
    /// Contacts in the last 12 months.
    pub contacts: u32,
    /// Salons attended in the last 12 months.
    pub salons: u32,
    /// Clients referred in the last 12 months.
    pub referrals: u32,
    /// The tier the advisor recorded.
    pub tier: Tier,
    /// The tier the AUM suggests (the thresholds in settings).
    pub suggested_tier: Tier,
}

/// The book's grades of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Grades {
    /// `YYYY-MM`.
    pub month: String,
    /// Clients of each grade, A to E.
    pub counts: Vec<(String, u32)>,
    /// Every client, best first.
    pub clients: Vec<ClientGrade>,
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn put_setting(book: &mut Book, key: &str, value: &str) -> Result<()> {
    book.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute([key, value])?;
        Ok(())
    })
}

/// The weights of the five measures (40/25/15/10/10 unless the advisor changed them).
pub fn weights(conn: &Connection) -> Result<Weights> {
    Ok(setting(conn, WEIGHTS_KEY)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Set the weights (non-negative integers, not all zero).
pub fn set_weights(book: &mut Book, w: &Weights) -> Result<Weights> {
    if w.aum + w.contribution + w.contacts + w.salons + w.referrals == 0 {
        return Err(Error::invalid("weights", "weights_all_zero"));
    }
    let text = serde_json::to_string(w)
        .map_err(|e| Error::invalid_with("weights", "weights_all_zero", e.to_string()))?;
    put_setting(book, WEIGHTS_KEY, &text)?;
    weights(book.conn())
}

/// The AUM thresholds of the tiers, in yuan.
pub fn thresholds(conn: &Connection) -> Result<TierThresholds> {
    Ok(setting(conn, THRESHOLDS_KEY)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Set the tier thresholds (descending).
pub fn set_thresholds(book: &mut Book, t: &TierThresholds) -> Result<TierThresholds> {
    t.validate()?;
    let text = serde_json::to_string(t).map_err(|e| {
        Error::invalid_with("thresholds", "thresholds_not_descending", e.to_string())
    })?;
    put_setting(book, THRESHOLDS_KEY, &text)?;
    thresholds(book.conn())
}

/// The tier an AUM in fen suggests.
pub fn suggested_tier(t: &TierThresholds, aum_fen: i64) -> Tier {
    t.tier(aum_fen as f64 / 100.0)
}

/// A client's figures on a day, AUM and contribution in fen.
struct Figures {
    id: i64,
    aum_fen: i64,
    contribution_fen: i64,
    contacts: u32,
    salons: u32,
    referrals: u32,
}

fn figures(conn: &Connection, today: NaiveDate) -> Result<Vec<Figures>> {
    let since = (today - Duration::days(WINDOW_DAYS)).to_string();
    let aum: HashMap<i64, i64> = crate::holdings::aum_of_all(conn, today)?
        .into_iter()
        .collect();
    let counts = |sql: &str| -> Result<HashMap<i64, u32>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(params![since, today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let contacts = counts(
        "SELECT client_id, count(*) FROM contacts
         WHERE substr(at, 1, 10) > ?1 AND substr(at, 1, 10) <= ?2 GROUP BY client_id",
    )?;
    let salons = counts(
        "SELECT i.client_id, count(*) FROM salon_invitees i JOIN salons s ON s.id = i.salon_id
         WHERE i.attended = 1 AND substr(s.start, 1, 10) > ?1 AND substr(s.start, 1, 10) <= ?2
         GROUP BY i.client_id",
    )?;
    let referrals = counts(
        "SELECT referrer_id, count(*) FROM referrals
         WHERE referred_on > ?1 AND referred_on <= ?2 GROUP BY referrer_id",
    )?;
    let mut stmt =
        conn.prepare("SELECT id, coalesce(contribution_fen, 0) FROM clients ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, contribution_fen) = row?;
        out.push(Figures {
            id,
            aum_fen: aum.get(&id).copied().unwrap_or(0),
            contribution_fen,
            contacts: contacts.get(&id).copied().unwrap_or(0),
            salons: salons.get(&id).copied().unwrap_or(0),
            referrals: referrals.get(&id).copied().unwrap_or(0),
        });
    }
    Ok(out)
}

fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// The month before `month` (`YYYY-MM`).
fn month_before(month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or(("0", "1"));
    let (y, m): (i32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(1));
    if m == 1 {
        format!("{:04}-12", y - 1)
    } else {
        format!("{y:04}-{:02}", m - 1)
    }
}

/// Grade the book on `today` and keep it as this month's snapshot (replacing one taken earlier
/// this month). Ids are compared as numbers padded to the same width, so the rules' byte-order
/// tie-break is the order of ids.
pub fn recalculate(book: &mut Book, today: NaiveDate) -> Result<Grades> {
    let month = month_of(today);
    let figures = figures(book.conn(), today)?;
    let w = weights(book.conn())?;
    let metrics: Vec<ClientMetrics> = figures
        .iter()
        .map(|f| ClientMetrics {
            id: format!("{:020}", f.id),
            aum: f.aum_fen as f64 / 100.0,
            contribution: f.contribution_fen as f64 / 100.0,
            contacts: f.contacts,
            salons: f.salons,
            referrals: f.referrals,
        })
        .collect();
    let graded = if metrics.is_empty() {
        Vec::new()
    } else {
        grading::grade(&metrics, &w)?
    };
    let by_id: HashMap<i64, &Figures> = figures.iter().map(|f| (f.id, f)).collect();
    book.write(|tx| {
        tx.execute("DELETE FROM grade_snapshots WHERE month = ?1", [&month])?;
        let mut put = tx.prepare_cached(
            "INSERT INTO grade_snapshots (month, client_id, grade, score_x100, aum_fen,
                 contribution_fen, contacts, salons, referrals)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for g in &graded {
            let id: i64 = g.id.parse().unwrap_or_default();
            let Some(f) = by_id.get(&id) else { continue };
            put.execute(params![
                month,
                id,
                g.grade.as_str(),
                (g.score * 100.0).round() as i64,
                f.aum_fen,
                f.contribution_fen,
                f.contacts,
                f.salons,
                f.referrals
            ])?;
        }
        // The list filters and orders by the newest month's grade, kept on the client (a
        // month graded again later in the past leaves it as it is). Only the clients whose
        // grade moved are written: rewriting all 100k rows, their indexes and count triggers
        // took 3–4 s of a recalculation that changes a few grades.
        tx.execute(
            "UPDATE clients SET grade = g.grade FROM grade_snapshots g
             WHERE g.client_id = clients.id
               AND g.month = (SELECT max(month) FROM grade_snapshots)
               AND clients.grade IS NOT g.grade",
            [],
        )?;
        tx.execute(
            "UPDATE clients SET grade = NULL
             WHERE grade IS NOT NULL AND id NOT IN (
                 SELECT client_id FROM grade_snapshots
                 WHERE month = (SELECT max(month) FROM grade_snapshots))",
            [],
        )?;
        Ok(())
    })?;
    of_month(book, &month)?.ok_or_else(|| Error::not_found("grades"))
}

/// The newest month's grades, if the book was ever graded.
pub fn latest(book: &Book) -> Result<Option<Grades>> {
    let month: Option<String> =
        book.conn()
            .query_row("SELECT max(month) FROM grade_snapshots", [], |r| r.get(0))?;
    match month {
        Some(m) => of_month(book, &m),
        None => Ok(None),
    }
}

/// The snapshot rows of a month (`?1`) with each client's grade of the month before (`?2`).
const GRADE_ROWS: &str = "SELECT g.client_id, c.name, g.grade, g.score_x100, p.grade, g.aum_fen,
        g.contribution_fen, g.contacts, g.salons, g.referrals, c.tier
    FROM grade_snapshots g JOIN clients c ON c.id = g.client_id
    LEFT JOIN grade_snapshots p ON p.month = ?2 AND p.client_id = g.client_id";

/// One row of [`GRADE_ROWS`], with the tier its AUM suggests under `t`.
fn client_grade(r: &rusqlite::Row, t: &TierThresholds) -> rusqlite::Result<ClientGrade> {
    let grade: String = r.get(2)?;
    let previous: Option<String> = r.get(4)?;
    let aum_fen: i64 = r.get(5)?;
    Ok(ClientGrade {
        client_id: r.get(0)?,
        name: r.get(1)?,
        fell: previous.as_deref().is_some_and(|p| grade.as_str() > p),
        grade,
        score: r.get::<_, i64>(3)? as f64 / 100.0,
        previous,
        aum_fen,
        contribution_fen: r.get(6)?,
        contacts: r.get(7)?,
        salons: r.get(8)?,
        referrals: r.get(9)?,
        tier: r.get(10)?,
        suggested_tier: suggested_tier(t, aum_fen),
    })
}

/// The grades of `month` (`YYYY-MM`), with each client's grade of the month before.
pub fn of_month(book: &Book, month: &str) -> Result<Option<Grades>> {
    let conn = book.conn();
    let t = thresholds(conn)?;
    let before = month_before(month);
    let mut stmt = conn.prepare(&format!(
        "{GRADE_ROWS} WHERE g.month = ?1
         ORDER BY g.score_x100 DESC, g.aum_fen DESC, g.client_id"
    ))?;
    let rows = stmt.query_map(params![month, before], |r| client_grade(r, &t))?;
    let clients: Vec<ClientGrade> = rows.collect::<rusqlite::Result<_>>()?;
    if clients.is_empty() {
        return Ok(None);
    }
    // The snapshot's order is the rules' rank order only up to equal scores and AUM; the
    // letters themselves are what was stored.
    let counts = ["A", "B", "C", "D", "E"]
        .iter()
        .map(|l| {
            (
                l.to_string(),
                clients.iter().filter(|c| c.grade == *l).count() as u32,
            )
        })
        .collect();
    Ok(Some(Grades {
        month: month.to_string(),
        counts,
        clients,
    }))
}

/// A client's grade in the newest snapshot, explained by its parts; none before the first
/// grading or for a client added since.
pub fn of_client(book: &Book, client_id: i64) -> Result<Option<ClientGrade>> {
    let conn = book.conn();
    let t = thresholds(conn)?;
    let month: Option<String> =
        conn.query_row("SELECT max(month) FROM grade_snapshots", [], |r| r.get(0))?;
    let Some(month) = month else { return Ok(None) };
    let before = month_before(&month);
    Ok(conn
        .prepare_cached(&format!(
            "{GRADE_ROWS} WHERE g.month = ?1 AND g.client_id = ?3"
        ))?
        .query_row(params![month, before, client_id], |r| client_grade(r, &t))
        .optional()?)
}

/// Record a client's contribution (中间业务收入 of the last 12 months), in yuan as typed.
pub fn set_contribution(book: &mut Book, client_id: i64, amount: Option<&str>) -> Result<()> {
    let fen = amount
        .map(|a| crate::book::values::parse_yuan("contribution", a))
        .transpose()?;
    book.write(|tx| {
        if tx.execute(
            "UPDATE clients SET contribution_fen = ?2 WHERE id = ?1",
            params![client_id, fen],
        )? == 0
        {
            return Err(Error::not_found("client"));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_before_crosses_the_year() {
        assert_eq!(month_before("2026-01"), "2025-12");
        assert_eq!(month_before("2026-12"), "2026-11");
    }
}
