//! The demo book's money: what each client holds, in proportion to their tier (a private client
//! holds millions over several products, a mass client a deposit or two), with wealth products
//! whose maturities are spread over the coming year, funds with a value each quarter, assets
//! known at other banks, and the contribution of the last 12 months. A few clients are slipping
//! away, so the At risk list has something to show: a fund down by a third, a maturity left
//! unrenewed, a large transfer out.

use super::pick;
use crate::book::values::Tier;
use crate::Result;
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};

/// What the generator knows of a client when it comes to their money.
#[derive(Debug, Clone, Copy)]
pub(super) struct Holder {
    /// The client.
    pub client_id: i64,
    /// Their tier: how much they hold.
    pub tier: Tier,
    /// Already lost: everything redeemed long ago.
    pub lost: bool,
}

const DEPOSITS: &[&str] = &[
    "三年期定期存款",
    "一年期定期存款",
    "大额存单（3年）",
    "通知存款",
];
const WEALTH: &[&str] = &[
    "稳享90天理财",
    "安盈半年定开理财",
    "季季红理财",
    "睿享一年期理财",
    "鑫利181天理财",
];
const FUNDS: &[&str] = &[
    "沪深300指数基金",
    "稳健债券基金",
    "消费精选混合基金",
    "医药健康股票基金",
];
const INSURANCE: &[&str] = &["年金保险（10年交）", "终身寿险", "养老年金保险"];
const OTHER_BANKS: &[&str] = &["招商银行", "工商银行", "建设银行", "平安银行"];

/// Yuan a client of the tier holds, low and high.
fn aum_range(tier: Tier) -> (i64, i64) {
    match tier {
        Tier::Private => (6_000_000, 25_000_000),
        Tier::Vip => (1_000_000, 6_000_000),
        Tier::High => (200_000, 1_000_000),
        Tier::Mass => (10_000, 200_000),
    }
}

/// Write the money of `holders` as of `today`; returns (holdings, values) written.
pub(super) fn add(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    holders: &[Holder],
) -> Result<(u32, u32)> {
    let stamp = crate::book::stamp(tx)?;
    let mut holding = tx.prepare_cached(
        "INSERT INTO holdings (client_id, product, kind, elsewhere, institution, amount_fen,
             bought_on, value_date, maturity, rate_bp, stop_profit_bp, stop_loss_bp, status,
             closed_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?;
    let mut value = tx.prepare_cached(
        "INSERT INTO holding_values (holding_id, on_day, value_fen, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut transfer = tx.prepare_cached(
        "INSERT INTO transfers_out (client_id, on_day, amount_fen, to_where, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut contribution =
        tx.prepare_cached("UPDATE clients SET contribution_fen = ?2 WHERE id = ?1")?;
    let day = |d: NaiveDate| d.to_string();
    let (mut holdings, mut values) = (0u32, 0u32);
    for h in holders {
        let (low, high) = aum_range(h.tier);
        let total = rng.random_range(low..=high);
        let parts = match h.tier {
            Tier::Private => rng.random_range(3..=6),
            Tier::Vip => rng.random_range(2..=4),
            Tier::High => rng.random_range(1..=3),
            Tier::Mass => rng.random_range(1..=2),
        };
        // One in twenty-five is slipping: which way is drawn here.
        let slipping = !h.lost && rng.random_bool(0.04);
        let slip = rng.random_range(0..3);
        for part in 0..parts {
            // Whole hundreds of yuan, as products are bought.
            let amount = (total / parts / 100).max(100) * 100 * 100;
            let kind = match (part, rng.random_range(0..10)) {
                (0, _) => "deposit",
                (_, 0..=4) => "wealth",
                (_, 5..=7) => "fund",
                _ => "insurance",
            };
            let (product, rate, term_days) = match kind {
                "deposit" => (
                    pick(rng, DEPOSITS),
                    rng.random_range(150..=260),
                    365 * rng.random_range(1..=3),
                ),
                "wealth" => (
                    pick(rng, WEALTH),
                    rng.random_range(260..=360),
                    *pick(rng, &[91, 181, 365]),
                ),
                "fund" => (pick(rng, FUNDS), 0, 0),
                _ => (pick(rng, INSURANCE), rng.random_range(300..=400), 0),
            };
            // Staggered: a wealth product's maturity falls anywhere in its term from today.
            let bought = if term_days > 0 {
                today - Duration::days(rng.random_range(1..term_days.max(2)))
            } else {
                today - Duration::days(rng.random_range(30..1500))
            };
            let value_date = (kind == "wealth").then(|| bought + Duration::days(1));
            let maturity =
                (term_days > 0).then(|| value_date.unwrap_or(bought) + Duration::days(term_days));
            let (stop_profit, stop_loss) = if kind == "fund" {
                (
                    Some(rng.random_range(8..=15) * 100),
                    Some(-rng.random_range(5..=10) * 100),
                )
            } else {
                (None, None)
            };
            let (mut status, mut closed) = ("held", None::<NaiveDate>);
            let mut maturity = maturity;
            if h.lost {
                status = "redeemed";
                closed = Some(today - Duration::days(rng.random_range(120..400)));
            } else if slipping && slip == 0 && part + 1 < parts.max(2) {
                // Most of the money taken out in the last two months.
                status = "redeemed";
                closed = Some(today - Duration::days(rng.random_range(5..60)));
            } else if slipping && slip == 1 && part == parts - 1 && maturity.is_some() {
                // Matured two to eight weeks ago, and the money was not put back in.
                let m = today - Duration::days(rng.random_range(14..56));
                maturity = Some(m);
                status = "matured";
                closed = Some(m);
            }
            let bought = bought
                .min(maturity.unwrap_or(bought))
                .min(closed.unwrap_or(bought));
            let value_date = value_date.filter(|v| Some(*v) <= maturity || maturity.is_none());
            holding.execute(params![
                h.client_id,
                product,
                kind,
                false,
                None::<String>,
                amount,
                day(bought),
                value_date.map(day),
                maturity.map(day),
                (rate > 0).then_some(rate),
                stop_profit,
                stop_loss,
                status,
                closed.map(day),
                stamp
            ])?;
            holdings += 1;
            if kind == "fund" && status == "held" {
                let id = tx.last_insert_rowid();
                // A value each quarter over the last year: a random walk, or a slide for the
                // clients who are slipping (whose other money left too).
                let mut v = amount as f64;
                for q in (0..4).rev() {
                    let on = today - Duration::days(q * 91 + rng.random_range(0..5));
                    if on <= bought {
                        continue;
                    }
                    let step = if slipping && slip == 0 {
                        rng.random_range(-0.18..-0.08)
                    } else {
                        rng.random_range(-0.06..0.08)
                    };
                    v *= 1.0 + step;
                    value.execute(params![id, day(on), v.round() as i64, stamp])?;
                    values += 1;
                }
            }
        }
        if slipping && slip == 2 {
            let on = today - Duration::days(rng.random_range(3..60));
            let amount = (total * rng.random_range(35..70) / 100 / 100).max(1) * 100 * 100;
            transfer.execute(params![
                h.client_id,
                day(on),
                amount,
                pick(rng, OTHER_BANKS),
                stamp
            ])?;
        }
        if !h.lost && rng.random_bool(0.15) {
            let elsewhere = (total * rng.random_range(10..60) / 100 / 100).max(1) * 100 * 100;
            holding.execute(params![
                h.client_id,
                "他行理财",
                "wealth",
                true,
                pick(rng, OTHER_BANKS),
                elsewhere,
                day(today - Duration::days(rng.random_range(30..300))),
                None::<String>,
                None::<String>,
                None::<i64>,
                None::<i64>,
                None::<i64>,
                "held",
                None::<String>,
                stamp
            ])?;
            holdings += 1;
        }
        // 中间业务收入: a fraction of a percent of what they hold.
        let earned = total * rng.random_range(20..80) / 10_000 * 100;
        contribution.execute(params![h.client_id, earned])?;
    }
    Ok((holdings, values))
}
