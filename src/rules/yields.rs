//! 对比分析法: effective annualised yield comparison of two products.
//!
//! A nominal yield only runs from value date to maturity; the client's money is gone from the
//! day of purchase until the payout lands. This module counts those real calendar days and
//! annualises the interest over them, showing every step, whichever side wins.

use crate::rules::workdays::WorkCalendar;
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days of a year in the interest formula (ACT/365, as Chinese wealth products quote).
pub const DAY_BASIS: i64 = 365;

/// One product's terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Nominal annual yield in percent (3.2 means 3.2 %).
    pub rate_percent: f64,
    /// Term in calendar days from value date to maturity.
    pub term_days: i64,
    /// Working days from purchase to value date (起息日), T+n.
    pub value_lag: i64,
    /// Working days from maturity to the money being back in the account (回款).
    pub payout_lag: i64,
}

/// What one product does with the money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// 起息日.
    pub value_date: NaiveDate,
    /// 到期日.
    pub maturity_date: NaiveDate,
    /// 回款日: the money is back in the client's account.
    pub payout_date: NaiveDate,
    /// Interest paid, in yuan, rounded to the fen.
    pub interest: f64,
    /// Calendar days from purchase to payout.
    pub days_tied_up: i64,
    /// Interest annualised over the days tied up, in percent (simple, not compounded).
    pub effective_rate: f64,
}

/// Which side pays more per day the money is tied up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Winner {
    /// Our product.
    Ours,
    /// The competitor's product.
    Theirs,
    /// Exactly equal.
    Tie,
}

/// The whole comparison with its arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Our product's outcome.
    pub ours: Outcome,
    /// The competitor's outcome.
    pub theirs: Outcome,
    /// Who wins on effective annualised rate.
    pub winner: Winner,
    /// Winner's effective rate minus the loser's, in percentage points (0 on a tie).
    pub margin: f64,
    /// Our interest minus theirs, in yuan (different periods: context, not the verdict).
    pub interest_difference: f64,
    /// The competitor's nominal rate at which the two would tie, in percent.
    pub break_even_rate: f64,
    /// Human-readable arithmetic, one line a step (Chinese, as the advisor shows the client).
    pub steps: Vec<String>,
    /// Caveats, e.g. a year whose holiday schedule is unknown (weekends only).
    pub warnings: Vec<String>,
}

fn check(p: &Product, field: &str) -> Result<()> {
    if !p.rate_percent.is_finite() || p.rate_percent < 0.0 {
        return Err(Error::invalid_with(
            field,
            "rate_negative",
            "rate must be a number >= 0",
        ));
    }
    if p.rate_percent >= 100.0 {
        return Err(Error::invalid_with(
            field,
            "rate_out_of_range",
            "rate in percent, below 100",
        ));
    }
    if p.term_days < 0 {
        return Err(Error::invalid_with(
            field,
            "term_negative",
            "term in days must be > 0",
        ));
    }
    if p.term_days == 0 || p.term_days > 36_500 {
        return Err(Error::invalid_with(
            field,
            "term_out_of_range",
            "1-36500 days",
        ));
    }
    if p.value_lag < 0 || p.payout_lag < 0 {
        return Err(Error::invalid_with(
            field,
            "lag_negative",
            "lags are working days >= 0",
        ));
    }
    if p.value_lag > 60 || p.payout_lag > 60 {
        return Err(Error::invalid_with(
            field,
            "lag_out_of_range",
            "0-60 working days",
        ));
    }
    Ok(())
}

fn fen(yuan: f64) -> i64 {
    (yuan * 100.0).round() as i64
}

fn outcome(amount_fen: i64, start: NaiveDate, p: &Product, cal: &WorkCalendar) -> (Outcome, i64) {
    let value_date = cal.add_working_days(start, p.value_lag);
    let maturity_date = value_date + Duration::days(p.term_days);
    let payout_date = cal.add_working_days(maturity_date, p.payout_lag);
    // Interest in fen, rounded half up once, from exact-enough f64 (amount·rate·days < 2^53).
    let interest_fen = (amount_fen as f64 * p.rate_percent * p.term_days as f64
        / (100.0 * DAY_BASIS as f64))
        .round() as i64;
    let days = (payout_date - start).num_days();
    let effective =
        interest_fen as f64 / amount_fen as f64 * DAY_BASIS as f64 / days as f64 * 100.0;
    (
        Outcome {
            value_date,
            maturity_date,
            payout_date,
            interest: interest_fen as f64 / 100.0,
            days_tied_up: days,
            effective_rate: effective,
        },
        interest_fen,
    )
}

fn yuan(f: i64) -> String {
    format!("{}.{:02}", f / 100, f % 100)
}

fn describe(
    side: &str,
    amount_fen: i64,
    start: NaiveDate,
    p: &Product,
    o: &Outcome,
    steps: &mut Vec<String>,
) {
    steps.push(format!(
        "{side} 起息日 = 购买日 {start} + {} 个工作日 = {}",
        p.value_lag, o.value_date
    ));
    steps.push(format!(
        "{side} 到期日 = 起息日 {} + {} 天 = {}",
        o.value_date, p.term_days, o.maturity_date
    ));
    steps.push(format!(
        "{side} 回款日 = 到期日 {} + {} 个工作日 = {}",
        o.maturity_date, p.payout_lag, o.payout_date
    ));
    steps.push(format!(
        "{side} 利息 = {} × {}% × {} / {DAY_BASIS} = {} 元",
        yuan(amount_fen),
        p.rate_percent,
        p.term_days,
        yuan(fen(o.interest))
    ));
    steps.push(format!(
        "{side} 资金占用 = 回款日 {} − 购买日 {start} = {} 天",
        o.payout_date, o.days_tied_up
    ));
    steps.push(format!(
        "{side} 实际年化 = {} / {} × {DAY_BASIS} / {} = {:.4}%",
        yuan(fen(o.interest)),
        yuan(amount_fen),
        o.days_tied_up,
        o.effective_rate
    ));
}

/// Compare our product with theirs for the same amount (yuan) bought on the same day `start`.
pub fn compare(
    amount: f64,
    start: NaiveDate,
    ours: &Product,
    theirs: &Product,
    cal: &WorkCalendar,
) -> Result<Comparison> {
    if !amount.is_finite() || amount <= 0.0 {
        return Err(Error::invalid_with(
            "amount",
            "amount_not_positive",
            "amount in yuan > 0",
        ));
    }
    if amount > 1e13 {
        return Err(Error::invalid_with(
            "amount",
            "amount_out_of_range",
            "at most 1e13 yuan",
        ));
    }
    check(ours, "ours")?;
    check(theirs, "theirs")?;
    let amount_fen = fen(amount);
    if amount_fen == 0 {
        return Err(Error::invalid_with(
            "amount",
            "amount_not_positive",
            "at least 0.01 yuan",
        ));
    }
    let (o, of) = outcome(amount_fen, start, ours, cal);
    let (t, tf) = outcome(amount_fen, start, theirs, cal);

    // Exact verdict on integers: interest per day tied up, cross-multiplied.
    let lhs = i128::from(of) * i128::from(t.days_tied_up);
    let rhs = i128::from(tf) * i128::from(o.days_tied_up);
    let winner = match lhs.cmp(&rhs) {
        std::cmp::Ordering::Greater => Winner::Ours,
        std::cmp::Ordering::Less => Winner::Theirs,
        std::cmp::Ordering::Equal => Winner::Tie,
    };
    let margin = (o.effective_rate - t.effective_rate).abs() * f64::from(winner != Winner::Tie);
    let break_even_rate = o.effective_rate * t.days_tied_up as f64 / theirs.term_days as f64;

    let mut steps = Vec::new();
    describe("我方", amount_fen, start, ours, &o, &mut steps);
    describe("对方", amount_fen, start, theirs, &t, &mut steps);
    steps.push(format!(
        "对方名义收益率需达到 {:.4}% × {} / {} = {:.4}% 才与我方持平",
        o.effective_rate, t.days_tied_up, theirs.term_days, break_even_rate
    ));
    steps.push(match winner {
        Winner::Ours => format!(
            "结论: 我方实际年化 {:.4}% 高于对方 {:.4}%, 多 {:.4} 个百分点",
            o.effective_rate, t.effective_rate, margin
        ),
        Winner::Theirs => format!(
            "结论: 对方实际年化 {:.4}% 高于我方 {:.4}%, 多 {:.4} 个百分点",
            t.effective_rate, o.effective_rate, margin
        ),
        Winner::Tie => format!("结论: 双方实际年化相同, 均为 {:.4}%", o.effective_rate),
    });

    let mut warnings = Vec::new();
    let last = o.payout_date.max(t.payout_date);
    for y in start.year()..=last.year() {
        if !cal.has_schedule(y) {
            warnings.push(format!("{y} 年法定节假日安排未知, 仅按周末计算工作日"));
        }
    }
    Ok(Comparison {
        interest_difference: (of - tf) as f64 / 100.0,
        ours: o,
        theirs: t,
        winner,
        margin,
        break_even_rate,
        steps,
        warnings,
    })
}
