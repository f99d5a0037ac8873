//! 持仓: what each client holds, with dated values, and what they hold at other banks (他行资产,
//! kept apart). A client's AUM is the sum of what they hold here on a day, each holding at its
//! last value on or before that day (its amount until it has one). Money is whole fen.
//!
//! A holding is held until it matures, is redeemed or is renewed (续作) into another holding;
//! the agenda reminds of maturities and of values that left their stop band (see
//! [`crate::agenda`]), and [`crate::churn`] reads a maturity nobody renewed as a warning.

use crate::book::values::{optional_text, parse_date, parse_yuan, required_text, Tier};
pub use crate::book::values::{HoldingKind, HoldingStatus};
use crate::book::{stamp, Book};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor types for a new holding.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HoldingInput {
    /// The product's name.
    pub product: String,
    /// Its kind.
    pub kind: Option<HoldingKind>,
    /// Held at another bank (他行资产): kept apart, never in AUM.
    #[serde(default)]
    pub elsewhere: bool,
    /// The other bank, for a holding elsewhere.
    #[serde(default)]
    pub institution: Option<String>,
    /// The amount, in yuan as typed (`500000`, `¥1,200,000.50`).
    pub amount: String,
    /// The day it was bought.
    pub bought_on: String,
    /// 起息日, when it differs from the day bought.
    #[serde(default)]
    pub value_date: Option<String>,
    /// 到期/回款日; none for an open-ended product.
    #[serde(default)]
    pub maturity: Option<String>,
    /// Expected annual yield in percent (`3.2`, `3.20%`).
    #[serde(default)]
    pub rate: Option<String>,
    /// Stop-profit: the rise of value over the amount, in percent (`8`).
    #[serde(default)]
    pub stop_profit: Option<String>,
    /// Stop-loss: the fall, in percent (`-5` or `5`).
    #[serde(default)]
    pub stop_loss: Option<String>,
    /// A note.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A holding as stored, with its latest value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Holding {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The product.
    pub product: String,
    /// Its kind.
    pub kind: HoldingKind,
    /// Held at another bank.
    pub elsewhere: bool,
    /// The other bank.
    pub institution: Option<String>,
    /// The amount bought, in fen.
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// Bought on, `YYYY-MM-DD`.
    pub bought_on: String,
    /// 起息日.
    pub value_date: Option<String>,
    /// 到期日.
    pub maturity: Option<String>,
    /// Expected annual yield in hundredths of a percent (320 = 3.20 %).
    #[ts(type = "number | null")]
    pub rate_bp: Option<i64>,
    /// Stop-profit in hundredths of a percent of the amount (800 = +8 %).
    #[ts(type = "number | null")]
    pub stop_profit_bp: Option<i64>,
    /// Stop-loss in hundredths of a percent (-500 = -5 %).
    #[ts(type = "number | null")]
    pub stop_loss_bp: Option<i64>,
    /// Where it stands.
    pub status: HoldingStatus,
    /// The day it stopped being held.
    pub closed_on: Option<String>,
    /// The holding it was renewed into.
    #[ts(type = "number | null")]
    pub renewed_into: Option<i64>,
    /// A note.
    pub notes: Option<String>,
    /// The latest value, in fen (the amount until a value is recorded).
    #[ts(type = "number")]
    pub value_fen: i64,
    /// The day of that value (none: the amount).
    pub valued_on: Option<String>,
}

/// One dated value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HoldingValue {
    /// The day, `YYYY-MM-DD`.
    pub on_day: String,
    /// The value, in fen.
    #[ts(type = "number")]
    pub value_fen: i64,
}

/// Longest product name.
const MAX_PRODUCT: usize = 200;

/// A percentage as advisors type it (`3.2`, `3.20%`, `-5`, `+8 %`), in hundredths of a percent.
/// More than two decimals is refused rather than rounded.
pub fn parse_percent_bp(field: &str, text: &str) -> Result<i64> {
    let t: String = text
        .trim()
        .trim_end_matches(['%', '％'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (sign, digits) = match t.strip_prefix('-').or_else(|| t.strip_prefix('－')) {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(&t)),
    };
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 4
        && whole.bytes().all(|b| b.is_ascii_digit())
        && cents.len() <= 2
        && cents.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(Error::invalid_with(field, "percent_format", "3.25"));
    }
    let whole: i64 = whole.parse().unwrap_or(0);
    let cents: i64 = format!("{cents:0<2}").parse().unwrap_or(0);
    Ok(sign * (whole * 100 + cents))
}

fn opt_percent(field: &str, text: &Option<String>) -> Result<Option<i64>> {
    optional_text(field, text, 20)?
        .map(|t| parse_percent_bp(field, &t))
        .transpose()
}

/// A new holding of `client_id`, checked.
pub fn add(book: &mut Book, client_id: i64, input: &HoldingInput) -> Result<Holding> {
    let id = book.write(|tx| insert(tx, client_id, input))?;
    get(book.conn(), id)
}

/// Insert a holding inside an open transaction (also used by the demo book and renewals).
pub(crate) fn insert(conn: &Connection, client_id: i64, input: &HoldingInput) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    let product = required_text("product", &input.product, MAX_PRODUCT)?;
    let kind = input
        .kind
        .ok_or_else(|| Error::invalid("kind", "required"))?;
    let amount = parse_yuan("amount", &input.amount)?;
    if amount <= 0 {
        return Err(Error::invalid("amount", "amount_not_positive"));
    }
    let bought = parse_date("bought_on", &input.bought_on)?;
    let day = |field: &str, t: &Option<String>| -> Result<Option<NaiveDate>> {
        optional_text(field, t, 40)?
            .map(|t| parse_date(field, &t))
            .transpose()
    };
    let value_date = day("value_date", &input.value_date)?;
    let maturity = day("maturity", &input.maturity)?;
    if value_date.is_some_and(|v| v < bought) {
        return Err(Error::invalid("value_date", "before_bought"));
    }
    if maturity.is_some_and(|m| m < value_date.unwrap_or(bought)) {
        return Err(Error::invalid("maturity", "before_value_date"));
    }
    let rate = opt_percent("rate", &input.rate)?;
    if rate.is_some_and(|r| !(0..=10_000).contains(&r)) {
        return Err(Error::invalid_with("rate", "percent_out_of_range", "0–100"));
    }
    let profit = opt_percent("stop_profit", &input.stop_profit)?;
    if profit.is_some_and(|p| p <= 0) {
        return Err(Error::invalid("stop_profit", "stop_profit_not_positive"));
    }
    // A stop-loss is a fall: `5` and `-5` both mean -5 %.
    let loss = opt_percent("stop_loss", &input.stop_loss)?.map(|l| -l.abs());
    if loss == Some(0) {
        return Err(Error::invalid("stop_loss", "stop_loss_not_negative"));
    }
    let institution = optional_text("institution", &input.institution, 100)?;
    let notes = optional_text("notes", &input.notes, 2000)?;
    let now = stamp(conn)?;
    conn.prepare_cached(
        "INSERT INTO holdings (client_id, product, kind, elsewhere, institution, amount_fen,
             bought_on, value_date, maturity, rate_bp, stop_profit_bp, stop_loss_bp, notes,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?
    .execute(params![
        client_id,
        product,
        kind,
        input.elsewhere,
        institution,
        amount,
        bought.to_string(),
        value_date.map(|d| d.to_string()),
        maturity.map(|d| d.to_string()),
        rate,
        profit,
        loss,
        notes,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "h.id, h.client_id, h.product, h.kind, h.elsewhere, h.institution,
    h.amount_fen, h.bought_on, h.value_date, h.maturity, h.rate_bp, h.stop_profit_bp,
    h.stop_loss_bp, h.status, h.closed_on, h.renewed_into, h.notes, h.last_value_fen,
    h.last_valued_on";

fn read(r: &Row) -> rusqlite::Result<Holding> {
    let amount: i64 = r.get(6)?;
    Ok(Holding {
        id: r.get(0)?,
        client_id: r.get(1)?,
        product: r.get(2)?,
        kind: r.get(3)?,
        elsewhere: r.get(4)?,
        institution: r.get(5)?,
        amount_fen: amount,
        bought_on: r.get(7)?,
        value_date: r.get(8)?,
        maturity: r.get(9)?,
        rate_bp: r.get(10)?,
        stop_profit_bp: r.get(11)?,
        stop_loss_bp: r.get(12)?,
        status: r.get(13)?,
        closed_on: r.get(14)?,
        renewed_into: r.get(15)?,
        notes: r.get(16)?,
        value_fen: r.get::<_, Option<i64>>(17)?.unwrap_or(amount),
        valued_on: r.get(18)?,
    })
}

/// A held holding whose newest value is past its stop-profit or stop-loss line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutOfBand {
    pub holding_id: i64,
    pub client_id: i64,
    pub product: String,
    pub amount_fen: i64,
    /// The newest value and its day.
    pub value_fen: i64,
    pub on: String,
    /// Past the stop-profit line (else the stop-loss line).
    pub above: bool,
}

/// The out-of-band holdings with a value recorded by `?1`: the terms of the
/// holdings_out_of_band index, word for word, so SQLite reads that index.
const OUT_OF_BAND: &str = "SELECT h.id, h.client_id, h.product, h.amount_fen, h.last_value_fen,
                    h.last_valued_on, h.stop_profit_bp IS NOT NULL
                    AND (h.last_value_fen - h.amount_fen) * 10000 / h.amount_fen >= h.stop_profit_bp
             FROM holdings h
             WHERE h.status = 'held' AND h.last_value_fen IS NOT NULL AND (
                 (h.stop_profit_bp IS NOT NULL
                  AND h.stop_profit_bp <= (h.last_value_fen - h.amount_fen) * 10000 / h.amount_fen)
                 OR (h.stop_loss_bp IS NOT NULL
                     AND h.stop_loss_bp >= (h.last_value_fen - h.amount_fen) * 10000 / h.amount_fen))
               AND EXISTS (SELECT 1 FROM holding_values w
                           WHERE w.holding_id = h.id AND w.on_day <= ?1)";

/// The held holdings with a value recorded by `to` whose newest value is at or past its
/// stop-profit or stop-loss line (the change in hundredths of a percent, truncated toward
/// zero), read from the index that holds only them: the agenda's band check on a big book has
/// tens of thousands of banded funds, of which it needs these few.
pub(crate) fn out_of_band_by(conn: &Connection, to: NaiveDate) -> Result<Vec<OutOfBand>> {
    let rows = conn
        .prepare_cached(OUT_OF_BAND)?
        .query_map([to.to_string()], |r| {
            Ok(OutOfBand {
                holding_id: r.get(0)?,
                client_id: r.get(1)?,
                product: r.get(2)?,
                amount_fen: r.get(3)?,
                value_fen: r.get(4)?,
                on: r.get(5)?,
                above: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One holding by id.
pub fn get(conn: &Connection, id: i64) -> Result<Holding> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM holdings h WHERE h.id = ?1"))?
        .query_row([id], read)
        .optional()?
        .ok_or_else(|| Error::not_found("holding"))
}

/// A client's holdings: held ones first (soonest maturity first), then the closed ones,
/// newest first.
pub fn of_client(book: &Book, client_id: i64) -> Result<Vec<Holding>> {
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM holdings h WHERE h.client_id = ?1
         ORDER BY h.status <> 'held', h.elsewhere,
                  CASE WHEN h.status = 'held' THEN coalesce(h.maturity, '9999') END,
                  h.bought_on DESC, h.id DESC"
    ))?;
    let rows = stmt.query_map([client_id], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every holding of the book (for `holdings list` without a client), held ones first.
pub fn all(book: &Book) -> Result<Vec<Holding>> {
    let mut stmt = book.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM holdings h
         ORDER BY h.status <> 'held', coalesce(h.maturity, '9999'), h.client_id, h.id"
    ))?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Record the value of a holding on a day (a second value the same day replaces the first).
pub fn set_value(
    book: &mut Book,
    holding_id: i64,
    on: &str,
    amount: &str,
    today: NaiveDate,
) -> Result<Holding> {
    let day = parse_date("on", on)?;
    if day > today {
        return Err(Error::invalid("on", "date_in_future"));
    }
    let value = parse_yuan("amount", amount)?;
    book.write(|tx| {
        let h = get(tx, holding_id)?;
        if day.to_string() < h.bought_on {
            return Err(Error::invalid("on", "before_bought"));
        }
        tx.prepare_cached(
            "INSERT INTO holding_values (holding_id, on_day, value_fen, created_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (holding_id, on_day) DO UPDATE SET value_fen = excluded.value_fen",
        )?
        .execute(params![holding_id, day.to_string(), value, stamp(tx)?])?;
        Ok(())
    })?;
    get(book.conn(), holding_id)
}

/// A holding's values, oldest first.
pub fn values(book: &Book, holding_id: i64) -> Result<Vec<HoldingValue>> {
    let mut stmt = book.conn().prepare_cached(
        "SELECT on_day, value_fen FROM holding_values WHERE holding_id = ?1 ORDER BY on_day",
    )?;
    let rows = stmt.query_map([holding_id], |r| {
        Ok(HoldingValue {
            on_day: r.get(0)?,
            value_fen: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Close a holding: matured (the money is back), or redeemed, on `on`.
pub fn close(book: &mut Book, holding_id: i64, status: HoldingStatus, on: &str) -> Result<Holding> {
    if !matches!(status, HoldingStatus::Matured | HoldingStatus::Redeemed) {
        return Err(Error::invalid("status", "status_not_closing"));
    }
    let day = parse_date("on", on)?;
    book.write(|tx| {
        let h = get(tx, holding_id)?;
        if day.to_string() < h.bought_on {
            return Err(Error::invalid("on", "before_bought"));
        }
        tx.execute(
            "UPDATE holdings SET status = ?2, closed_on = ?3, updated_at = ?4 WHERE id = ?1",
            params![holding_id, status, day.to_string(), stamp(tx)?],
        )?;
        Ok(())
    })?;
    get(book.conn(), holding_id)
}

/// Renew (续作) a holding into a new one bought with its money: the old one is closed as
/// renewed on the new one's purchase day and names it.
pub fn renew(book: &mut Book, holding_id: i64, into: &HoldingInput) -> Result<Holding> {
    let new_id = book.write(|tx| {
        let old = get(tx, holding_id)?;
        if old.status != HoldingStatus::Held && old.status != HoldingStatus::Matured {
            return Err(Error::invalid("status", "holding_closed"));
        }
        let new_id = insert(tx, old.client_id, into)?;
        let bought = get(tx, new_id)?.bought_on;
        tx.execute(
            "UPDATE holdings SET status = 'renewed', closed_on = ?2, renewed_into = ?3,
                 updated_at = ?4 WHERE id = ?1",
            params![holding_id, bought, new_id, stamp(tx)?],
        )?;
        Ok(new_id)
    })?;
    get(book.conn(), new_id)
}

/// Remove a holding recorded by mistake (its values go with it).
pub fn delete(book: &mut Book, holding_id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM holdings WHERE id = ?1", [holding_id])? == 0 {
            return Err(Error::not_found("holding"));
        }
        Ok(())
    })
}

/// The SQL of a holding's value on day `?D` (its latest value on or before it, else its
/// amount), over `holdings h`.
const VALUE_ON: &str = "coalesce((SELECT v.value_fen FROM holding_values v
     WHERE v.holding_id = h.id AND v.on_day <= ?D ORDER BY v.on_day DESC LIMIT 1), h.amount_fen)";

/// The SQL condition of a holding held here on day `?D`: bought by then, and not closed
/// before it (a matured holding's money stays in the bank until it is moved).
const HELD_ON: &str = "h.elsewhere = 0 AND h.bought_on <= ?D
     AND (h.closed_on IS NULL OR h.closed_on > ?D OR h.status = 'matured')";

/// A client's AUM on `day`, in fen.
pub fn aum_on(conn: &Connection, client_id: i64, day: NaiveDate) -> Result<i64> {
    let sql = format!(
        "SELECT coalesce(sum({}), 0) FROM holdings h WHERE h.client_id = ?1 AND {}",
        VALUE_ON.replace("?D", "?2"),
        HELD_ON.replace("?D", "?2")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![client_id, day.to_string()], |r| r.get(0))?)
}

/// Every client's AUM on `day`, in fen (clients without holdings are left out).
pub fn aum_of_all(conn: &Connection, day: NaiveDate) -> Result<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT h.client_id, sum({}) FROM holdings h WHERE {} GROUP BY h.client_id",
        VALUE_ON.replace("?D", "?1"),
        HELD_ON.replace("?D", "?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// AUM on `day` summed over the clients of each recorded tier, in fen.
pub(crate) fn aum_by_tier(conn: &Connection, day: NaiveDate) -> Result<Vec<(Tier, i64)>> {
    let sql = format!(
        "SELECT c.tier, sum({}) FROM holdings h JOIN clients c ON c.id = h.client_id
         WHERE {} GROUP BY c.tier",
        VALUE_ON.replace("?D", "?1"),
        HELD_ON.replace("?D", "?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A client's money at a glance: AUM now, at other banks, and the AUM at the end of each of
/// the last 12 months (oldest first) for its trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Money {
    /// AUM today, in fen.
    #[ts(type = "number")]
    pub aum_fen: i64,
    /// Known at other banks (他行资产), in fen: not in AUM.
    #[ts(type = "number")]
    pub elsewhere_fen: i64,
    /// AUM at each month's end, oldest first, the last being today: `(YYYY-MM-DD, fen)`.
    #[ts(type = "Array<[string, number]>")]
    pub trend: Vec<(String, i64)>,
}

/// A client's money on `today`.
pub fn money(book: &Book, client_id: i64, today: NaiveDate) -> Result<Money> {
    let conn = book.conn();
    let mut trend = Vec::new();
    for back in (1..12).rev() {
        let month_end = month_end_before(today, back);
        trend.push((month_end.to_string(), aum_on(conn, client_id, month_end)?));
    }
    let aum = aum_on(conn, client_id, today)?;
    trend.push((today.to_string(), aum));
    let elsewhere: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum({}), 0) FROM holdings h
             WHERE h.client_id = ?1 AND h.elsewhere = 1 AND h.status = 'held'",
            VALUE_ON.replace("?D", "?2")
        ))?
        .query_row(params![client_id, today.to_string()], |r| r.get(0))?;
    Ok(Money {
        aum_fen: aum,
        elsewhere_fen: elsewhere,
        trend,
    })
}

/// The last day of the month `back` months before `today`'s.
fn month_end_before(today: NaiveDate, back: u32) -> NaiveDate {
    use chrono::Datelike;
    let months = today.year() * 12 + today.month0() as i32 - back as i32 + 1;
    let first_after =
        NaiveDate::from_ymd_opt(months / 12, (months % 12) as u32 + 1, 1).unwrap_or(today);
    first_after - Duration::days(1)
}

/// Record a large transfer out (大额转出) the advisor heard of: a churn warning.
pub fn transfer_out(
    book: &mut Book,
    client_id: i64,
    on: &str,
    amount: &str,
    to_where: Option<&str>,
    today: NaiveDate,
) -> Result<i64> {
    let day = parse_date("on", on)?;
    if day > today {
        return Err(Error::invalid("on", "date_in_future"));
    }
    let amount = parse_yuan("amount", amount)?;
    if amount <= 0 {
        return Err(Error::invalid("amount", "amount_not_positive"));
    }
    let to_where = optional_text("to_where", &to_where.map(str::to_string), 100)?;
    book.write(|tx| {
        crate::clients::require(tx, client_id)?;
        tx.execute(
            "INSERT INTO transfers_out (client_id, on_day, amount_fen, to_where, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![client_id, day.to_string(), amount, to_where, stamp(tx)?],
        )?;
        Ok(tx.last_insert_rowid())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The band rule stated on its own, against which the index is checked: `Some(true)` at or
    /// above stop-profit, `Some(false)` at or below stop-loss, the change in hundredths of a
    /// percent truncated toward zero.
    fn out_of_band(h: &Holding, value_fen: i64) -> Option<bool> {
        let change_bp = (value_fen - h.amount_fen) as i128 * 10_000 / h.amount_fen as i128;
        if h.stop_profit_bp.is_some_and(|p| change_bp >= p as i128) {
            return Some(true);
        }
        if h.stop_loss_bp.is_some_and(|l| change_bp <= l as i128) {
            return Some(false);
        }
        None
    }

    #[test]
    fn percentages_are_read_exactly_or_refused() {
        assert_eq!(parse_percent_bp("rate", "3.2").unwrap(), 320);
        assert_eq!(parse_percent_bp("rate", "3.25%").unwrap(), 325);
        assert_eq!(parse_percent_bp("rate", " 4 ％").unwrap(), 400);
        assert_eq!(parse_percent_bp("stop_loss", "-5").unwrap(), -500);
        assert_eq!(parse_percent_bp("stop_profit", "+8.5").unwrap(), 850);
        assert!(parse_percent_bp("rate", "3.255").is_err(), "never rounded");
        assert!(parse_percent_bp("rate", "abc").is_err());
        assert!(parse_percent_bp("rate", "").is_err());
    }

    #[test]
    fn the_newest_value_is_kept_and_the_out_of_band_index_holds_exactly_the_funds_past_a_line() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let input = crate::clients::ClientInput {
            name: "钱多多".into(),
            ..Default::default()
        };
        let client = crate::clients::create(&mut book, &input, today).unwrap().id;
        let fund = |book: &mut Book, profit: Option<&str>, loss: Option<&str>| {
            let input = HoldingInput {
                product: "稳健增利".into(),
                kind: Some(crate::book::values::HoldingKind::Fund),
                elsewhere: false,
                institution: None,
                amount: "100000".into(),
                bought_on: "2026-01-05".into(),
                value_date: None,
                maturity: None,
                rate: None,
                stop_profit: profit.map(Into::into),
                stop_loss: loss.map(Into::into),
                notes: None,
            };
            add(book, client, &input).unwrap().id
        };
        // (value in yuan, past a line?) around a +10% / -5% band, each on its own fund.
        let cases = [
            ("110000", true),
            ("109999.99", false),
            ("95000", true),
            ("95000.01", false),
            ("130000", true),
            ("1000", true),
        ];
        let mut ids = Vec::new();
        for (value, _) in cases {
            let id = fund(&mut book, Some("10"), Some("-5"));
            set_value(&mut book, id, "2026-11-01", "100000", today).unwrap();
            set_value(&mut book, id, "2026-11-30", value, today).unwrap();
            ids.push(id);
        }
        let only_profit = fund(&mut book, Some("10"), None);
        set_value(&mut book, only_profit, "2026-11-30", "80000", today).unwrap();
        let unvalued = fund(&mut book, Some("10"), Some("-5"));
        // A value replaced on the same day, and the newest one removed.
        set_value(&mut book, ids[1], "2026-11-30", "120000", today).unwrap();
        book.conn()
            .execute(
                "DELETE FROM holding_values WHERE holding_id = ?1 AND on_day = '2026-11-30'",
                [ids[4]],
            )
            .unwrap();
        let conn = book.conn();
        let h = get(conn, ids[4]).unwrap();
        assert_eq!(
            (h.value_fen, h.valued_on.as_deref()),
            (10_000_000, Some("2026-11-01"))
        );
        assert_eq!(get(conn, ids[1]).unwrap().value_fen, 12_000_000);
        let expected: Vec<i64> = ids
            .iter()
            .chain([&only_profit, &unvalued])
            .copied()
            .filter(|id| {
                let h = get(conn, *id).unwrap();
                h.valued_on.is_some() && out_of_band(&h, h.value_fen).is_some()
            })
            .collect();
        assert_eq!(expected, [ids[0], ids[1], ids[2], ids[5]]);
        let found = out_of_band_by(conn, today).unwrap();
        assert_eq!(
            found.iter().map(|b| b.holding_id).collect::<Vec<_>>(),
            expected
        );
        assert_eq!(
            found.iter().map(|b| b.above).collect::<Vec<_>>(),
            [true, true, false, false]
        );
        // Nothing is out of band before any value was recorded.
        let before = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert!(out_of_band_by(conn, before).unwrap().is_empty());
        // Read from the index that holds only them.
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {OUT_OF_BAND}"))
            .unwrap()
            .query_map(["2026-12-01"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan[0].contains("USING INDEX holdings_out_of_band"),
            "{plan:?}"
        );
    }

    #[test]
    fn month_ends_step_back_across_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(month_end_before(d(2026, 3, 15), 1), d(2026, 2, 28));
        assert_eq!(month_end_before(d(2026, 1, 15), 1), d(2025, 12, 31));
        assert_eq!(month_end_before(d(2024, 3, 31), 1), d(2024, 2, 29));
        assert_eq!(month_end_before(d(2026, 12, 1), 11), d(2026, 1, 31));
    }
}
