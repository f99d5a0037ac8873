//! 预防流失: each client's warning signs, named, with the day each began: no contact for a whole
//! cycle of the tier's cadence beyond the contact it owed (twice its interval), AUM down by more than a set share over 90 days, a maturity not renewed within
//! a week, an open complaint, a 12421 grade that fell, a large transfer out. The At risk list
//! orders clients by how many signs they show, then by how fresh the newest one is.
//!
//! Clients already lost (已流失) are left out: their reason is kept with them.

pub use crate::book::values::SignKind;
use crate::book::values::{yuan_text as yuan, Stage, Tier};
use crate::book::Book;
use crate::rules::cadence::CadenceSettings;
use crate::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// The window over which AUM is compared and fresh signs are looked for.
pub const WINDOW_DAYS: i64 = 90;

/// Days after a maturity within which money put back in counts as renewed.
pub const RENEWAL_DAYS: i64 = 7;

/// A fall of AUM over the window, in percent, that counts as a sign (unless set otherwise).
pub const DEFAULT_AUM_DROP_PERCENT: i64 = 30;

/// A transfer out of at least this (yuan), or of at least [`TRANSFER_SHARE_PERCENT`] of the
/// client's AUM, is large.
pub const LARGE_TRANSFER_YUAN: i64 = 500_000;

/// See [`LARGE_TRANSFER_YUAN`].
pub const TRANSFER_SHARE_PERCENT: i64 = 30;

const AUM_DROP_KEY: &str = "churn_aum_drop_percent";

/// One warning sign of a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Sign {
    /// What it is.
    pub kind: SignKind,
    /// The day it began, `YYYY-MM-DD`.
    pub since: String,
    /// What exactly, in Chinese.
    pub detail: String,
    /// The same in English.
    pub detail_en: String,
}

/// A client showing warning signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AtRisk {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// Their tier.
    pub tier: Tier,
    /// Their stage.
    pub stage: Stage,
    /// The signs, newest first.
    pub signs: Vec<Sign>,
}

/// The share of AUM that must go in 90 days to count as a sign, in percent.
pub fn aum_drop_percent(conn: &Connection) -> Result<i64> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([AUM_DROP_KEY], |r| r.get(0))
        .optional()?;
    Ok(stored
        .and_then(|s| s.parse().ok())
        .filter(|p: &i64| (1..=100).contains(p))
        .unwrap_or(DEFAULT_AUM_DROP_PERCENT))
}

/// Set that share (1–100 %).
pub fn set_aum_drop_percent(book: &mut Book, percent: i64) -> Result<i64> {
    if !(1..=100).contains(&percent) {
        return Err(crate::Error::invalid_with(
            "aum_drop",
            "percent_out_of_range",
            "1–100",
        ));
    }
    book.write(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![AUM_DROP_KEY, percent.to_string()],
        )?;
        Ok(())
    })?;
    aum_drop_percent(book.conn())
}

/// Every client's signs on `today` (only clients with at least one, lost ones left out).
fn signs_of_all(
    conn: &Connection,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<HashMap<i64, Vec<Sign>>> {
    let mut out: HashMap<i64, Vec<Sign>> = HashMap::new();
    let mut add = |id: i64, sign: Sign| out.entry(id).or_default().push(sign);
    let window_start = today - Duration::days(WINDOW_DAYS);
    let wanted = |id: i64| only.is_none_or(|o| o == id);
    // One client's signs (the client page) read that client's rows only, never the book's.
    let aum_on = |day: NaiveDate| -> Result<HashMap<i64, i64>> {
        Ok(match only {
            Some(id) => HashMap::from([(id, crate::holdings::aum_on(conn, id, day)?)]),
            None => crate::holdings::aum_of_all(conn, day)?
                .into_iter()
                .collect(),
        })
    };
    let now_aum = aum_on(today)?;
    let before_aum = aum_on(window_start)?;

    // No contact beyond the tier's cadence.
    let cadence = CadenceSettings::default();
    let mut stmt = conn.prepare_cached(
        "SELECT id, tier, substr(coalesce(last_contact_at, created_at), 1, 10) FROM clients
         WHERE stage <> 'lost' AND stage <> 'prospect' AND (?1 IS NULL OR id = ?1)",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Tier>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, tier, last) = row?;
        let Ok(last) = NaiveDate::parse_from_str(&last, "%Y-%m-%d") else {
            continue;
        };
        // A contact owed today is Today's business (the cadence items); a whole cycle missed
        // on top of it is a warning sign.
        let interval = i64::from(cadence.interval(tier));
        let since = last + Duration::days(2 * interval);
        if since < today {
            let days = (today - last).num_days();
            add(
                id,
                Sign {
                    kind: SignKind::NoContact,
                    since: since.to_string(),
                    detail: format!("{days} 天未联系（周期 {interval} 天）"),
                    detail_en: format!("no contact for {days} days (cadence {interval} days)"),
                },
            );
        }
    }

    // AUM down by more than the set share over the window.
    let drop = aum_drop_percent(conn)?;
    for (&id, &before) in &before_aum {
        let after = now_aum.get(&id).copied().unwrap_or(0);
        if before <= 0 || (before - after) * 100 <= before * drop {
            continue;
        }
        // Began on the newest change of the client's holdings in the window.
        let since: Option<String> = conn
            .prepare_cached(
                "SELECT max(d) FROM (
                   SELECT h.closed_on AS d FROM holdings h WHERE h.client_id = ?1
                   UNION ALL SELECT v.on_day FROM holding_values v JOIN holdings h
                     ON h.id = v.holding_id WHERE h.client_id = ?1)
                 WHERE d > ?2 AND d <= ?3",
            )?
            .query_row(
                params![id, window_start.to_string(), today.to_string()],
                |r| r.get(0),
            )?;
        let pct = (before - after) * 100 / before;
        add(
            id,
            Sign {
                kind: SignKind::AumDown,
                since: since.unwrap_or_else(|| window_start.to_string()),
                detail: format!(
                    "资产 90 天内下降 {pct}%（{} → {} 元）",
                    yuan(before),
                    yuan(after)
                ),
                detail_en: format!(
                    "AUM down {pct}% in 90 days (¥{} → ¥{})",
                    yuan(before),
                    yuan(after)
                ),
            },
        );
    }

    // A maturity nobody renewed: a week after it, no money put back in here.
    let mut stmt = conn.prepare_cached(
        "SELECT h.client_id, h.product, h.maturity, h.amount_fen FROM holdings h
         WHERE h.elsewhere = 0 AND h.status <> 'renewed' AND h.maturity IS NOT NULL
           AND h.maturity > ?1 AND h.maturity <= ?2
           AND NOT EXISTS (SELECT 1 FROM holdings n WHERE n.client_id = h.client_id
               AND n.id <> h.id AND n.elsewhere = 0
               AND n.bought_on >= date(h.maturity, '-7 days')
               AND n.bought_on <= date(h.maturity, '+7 days'))
           AND (?3 IS NULL OR h.client_id = ?3)",
    )?;
    let renewal_due = today - Duration::days(RENEWAL_DAYS);
    let rows = stmt.query_map(
        params![window_start.to_string(), renewal_due.to_string(), only],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        },
    )?;
    for row in rows {
        let (id, product, maturity, amount) = row?;
        let since = NaiveDate::parse_from_str(&maturity, "%Y-%m-%d")
            .map(|m| (m + Duration::days(RENEWAL_DAYS)).to_string())
            .unwrap_or(maturity.clone());
        add(
            id,
            Sign {
                kind: SignKind::NotRenewed,
                since,
                detail: format!("{product}（{} 元）{maturity} 到期未续作", yuan(amount)),
                detail_en: format!(
                    "{product} (¥{}) matured {maturity}, not renewed",
                    yuan(amount)
                ),
            },
        );
    }

    // An open complaint.
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, substr(at, 1, 10), response_due FROM contacts
         WHERE kind = 'complaint' AND resolved_at IS NULL AND (?1 IS NULL OR client_id = ?1)",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, at, due) = row?;
        let due_zh = due
            .as_deref()
            .map(|d| format!("，承诺 {d} 前答复"))
            .unwrap_or_default();
        let due_en = due
            .as_deref()
            .map(|d| format!(", reply promised by {d}"))
            .unwrap_or_default();
        add(
            id,
            Sign {
                kind: SignKind::Complaint,
                since: at.clone(),
                detail: format!("{at} 的投诉尚未解决{due_zh}"),
                detail_en: format!("complaint of {at} still open{due_en}"),
            },
        );
    }

    // A grade that fell in the newest snapshot.
    if let Some(grades) = newest_falls(conn)? {
        for (id, month, from, to) in grades {
            if !wanted(id) {
                continue;
            }
            add(
                id,
                Sign {
                    kind: SignKind::GradeFell,
                    since: format!("{month}-01"),
                    detail: format!("12421 分级 {from} → {to}"),
                    detail_en: format!("12421 grade {from} → {to}"),
                },
            );
        }
    }

    // A large transfer out in the window.
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, on_day, amount_fen, to_where FROM transfers_out
         WHERE on_day > ?1 AND on_day <= ?2 AND (?3 IS NULL OR client_id = ?3) ORDER BY on_day",
    )?;
    let rows = stmt.query_map(
        params![window_start.to_string(), today.to_string(), only],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        },
    )?;
    for row in rows {
        let (id, on, amount, to_where) = row?;
        let base = before_aum
            .get(&id)
            .copied()
            .unwrap_or(0)
            .max(now_aum.get(&id).copied().unwrap_or(0));
        let large = amount >= LARGE_TRANSFER_YUAN * 100
            || (base > 0 && amount * 100 >= base * TRANSFER_SHARE_PERCENT);
        if !large {
            continue;
        }
        let to_zh = to_where
            .as_deref()
            .map(|w| format!("至{w}"))
            .unwrap_or_default();
        let to_en = to_where
            .as_deref()
            .map(|w| format!(" to {w}"))
            .unwrap_or_default();
        add(
            id,
            Sign {
                kind: SignKind::TransferOut,
                since: on.clone(),
                detail: format!("{on} 转出 {} 元{to_zh}", yuan(amount)),
                detail_en: format!("¥{} transferred out{to_en} on {on}", yuan(amount)),
            },
        );
    }
    for signs in out.values_mut() {
        signs.sort_by(|a, b| b.since.cmp(&a.since).then(a.kind.cmp(&b.kind)));
    }
    Ok(out)
}

/// A fall of grade: the client, the month, and the grades before and after.
type Fall = (i64, String, String, String);

/// The clients whose grade fell in the newest snapshot against the month before.
fn newest_falls(conn: &Connection) -> Result<Option<Vec<Fall>>> {
    let month: Option<String> =
        conn.query_row("SELECT max(month) FROM grade_snapshots", [], |r| r.get(0))?;
    let Some(month) = month else { return Ok(None) };
    let mut stmt = conn.prepare_cached(
        "SELECT g.client_id, p.grade, g.grade FROM grade_snapshots g
         JOIN grade_snapshots p ON p.client_id = g.client_id
           AND p.month = (SELECT max(month) FROM grade_snapshots WHERE month < ?1)
         WHERE g.month = ?1 AND g.grade > p.grade",
    )?;
    let rows = stmt.query_map([&month], |r| {
        Ok((r.get(0)?, month.clone(), r.get(1)?, r.get(2)?))
    })?;
    Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
}

/// A client's warning signs on `today`, newest first.
pub fn signs(book: &Book, client_id: i64, today: NaiveDate) -> Result<Vec<Sign>> {
    Ok(signs_of_all(book.conn(), today, Some(client_id))?
        .remove(&client_id)
        .unwrap_or_default())
}

/// The At risk list on `today`: clients with warning signs, most signs first, then the
/// freshest sign, then name.
pub fn at_risk(book: &Book, today: NaiveDate) -> Result<Vec<AtRisk>> {
    let conn = book.conn();
    let all = signs_of_all(conn, today, None)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, name_sort, tier, stage FROM clients WHERE stage <> 'lost'",
    )?;
    let mut rows: BTreeMap<(usize, std::cmp::Reverse<String>, String, i64), AtRisk> =
        BTreeMap::new();
    let read = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Tier>(3)?,
            r.get::<_, Stage>(4)?,
        ))
    })?;
    for row in read {
        let (id, name, sort, tier, stage) = row?;
        let Some(signs) = all.get(&id) else { continue };
        let newest = signs.first().map(|s| s.since.clone()).unwrap_or_default();
        rows.insert(
            (
                usize::MAX - signs.len(),
                std::cmp::Reverse(newest),
                sort,
                id,
            ),
            AtRisk {
                client_id: id,
                name,
                tier,
                stage,
                signs: signs.clone(),
            },
        );
    }
    Ok(rows.into_values().collect())
}

/// Mark a client lost (已流失) on `on`, with the reason they left (kept with them).
pub fn mark_lost(book: &mut Book, client_id: i64, reason: &str, on: NaiveDate) -> Result<()> {
    let reason = crate::book::values::required_text("lost_reason", reason, 500)?;
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE clients SET stage = 'lost', lost_reason = ?2, lost_on = ?3,
                 updated_at = ?4 WHERE id = ?1",
            params![client_id, reason, on.to_string(), crate::book::stamp(tx)?],
        )?;
        if n == 0 {
            return Err(crate::Error::not_found("client"));
        }
        Ok(())
    })
}

/// The win-back plan (挽回计划) of a client moved to 流失风险: a call to hear how they are and
/// what worries them tomorrow, an allocation and a product comparison prepared within three
/// days, a meeting or a salon within a week; as follow-ups, so they come back on Today.
pub const WIN_BACK: [(&str, i64); 3] = [
    ("挽回计划：电话回访，了解近况与顾虑", 1),
    ("挽回计划：准备资产配置建议与产品收益对比", 3),
    ("挽回计划：邀约面谈或参加沙龙", 7),
];

/// Move a client to 流失风险 and add the win-back plan's follow-ups from `today`, in one write.
pub fn win_back(
    book: &mut Book,
    client_id: i64,
    today: NaiveDate,
) -> Result<Vec<crate::contacts::FollowUp>> {
    let ids = book.write(|tx| {
        let n = tx.execute(
            "UPDATE clients SET stage = 'at_risk', updated_at = ?2 WHERE id = ?1",
            params![client_id, crate::book::stamp(tx)?],
        )?;
        if n == 0 {
            return Err(crate::Error::not_found("client"));
        }
        WIN_BACK
            .iter()
            .map(|(title, days)| {
                let due = (today + Duration::days(*days)).to_string();
                crate::contacts::insert_follow_up(tx, client_id, None, title, &due)
            })
            .collect::<Result<Vec<i64>>>()
    })?;
    ids.into_iter()
        .map(|id| crate::contacts::get_follow_up(book, id))
        .collect()
}
