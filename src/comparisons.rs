//! 对比分析法 in the window: two products compared on the effective annualised return over the
//! whole time the money is tied up, as typed by the advisor (or started from a holding: "a
//! competitor offers…"), with every step of the arithmetic in Chinese and in English, whichever
//! side wins, and saved into the client's timeline when the advisor wants it kept. The
//! arithmetic itself is [`crate::rules::yields`], on the book's own working-day calendar.

use crate::book::values::{format_yuan, parse_date, parse_yuan, Channel, ContactKind};
use crate::book::Book;
use crate::contacts::{self, Contact, ContactInput};
use crate::holdings;
use crate::rules::yields::{self, Outcome, Product, Winner, DAY_BASIS};
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One product as the advisor types it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Offer {
    /// What it is called ("我行 安盈半年", "他行 稳利 180 天").
    #[serde(default)]
    pub name: String,
    /// Nominal annual rate in percent, as typed (`3.2`).
    pub rate: String,
    /// Term in calendar days from the value date to maturity.
    pub term_days: u32,
    /// Working days from purchase to the value date (T+n).
    pub value_lag: u32,
    /// Working days from maturity to the money being back.
    pub payout_lag: u32,
}

/// What is compared: the same amount bought on the same day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ComparisonInput {
    /// The amount, in yuan as typed.
    pub amount: String,
    /// The day of purchase.
    pub start: String,
    /// Our product.
    pub ours: Offer,
    /// The competitor's.
    pub theirs: Offer,
}

/// What one side does with the money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductOutcome {
    /// 起息日.
    pub value_date: String,
    /// 到期日.
    pub maturity_date: String,
    /// 回款日.
    pub payout_date: String,
    /// Interest, in fen.
    #[ts(type = "number")]
    pub interest_fen: i64,
    /// Days from purchase to payout.
    #[ts(type = "number")]
    pub days_tied_up: i64,
    /// Effective annualised rate over those days, in percent.
    pub effective_rate: f64,
}

/// The comparison with its arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YieldComparison {
    /// What was compared.
    pub input: ComparisonInput,
    /// Our side.
    pub ours: ProductOutcome,
    /// Their side.
    pub theirs: ProductOutcome,
    /// `ours`, `theirs` or `tie`.
    pub winner: String,
    /// The winner's effective rate minus the loser's, in percentage points.
    pub margin: f64,
    /// The competitor's nominal rate at which the two would tie, in percent.
    pub break_even_rate: f64,
    /// Every step, in Chinese.
    pub steps: Vec<String>,
    /// Every step, in English.
    pub steps_en: Vec<String>,
    /// Caveats (a year whose holidays are not known), in Chinese.
    pub warnings: Vec<String>,
    /// The same in English.
    pub warnings_en: Vec<String>,
}

fn product(field: &str, o: &Offer) -> Result<Product> {
    let rate = crate::holdings::parse_percent_bp(field, &o.rate)?;
    if rate < 0 {
        return Err(Error::invalid_with(field, "percent_out_of_range", "0–100"));
    }
    Ok(Product {
        rate_percent: rate as f64 / 100.0,
        term_days: i64::from(o.term_days),
        value_lag: i64::from(o.value_lag),
        payout_lag: i64::from(o.payout_lag),
    })
}

fn side(o: &Outcome) -> ProductOutcome {
    ProductOutcome {
        value_date: o.value_date.to_string(),
        maturity_date: o.maturity_date.to_string(),
        payout_date: o.payout_date.to_string(),
        interest_fen: (o.interest * 100.0).round() as i64,
        days_tied_up: o.days_tied_up,
        effective_rate: o.effective_rate,
    }
}

/// The steps in English, the same arithmetic as the rules write in Chinese.
fn steps_en(
    amount_fen: i64,
    start: NaiveDate,
    sides: [(&str, &Product, &ProductOutcome); 2],
    break_even: f64,
    winner: Winner,
    margin: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, p, s) in sides {
        out.push(format!(
            "{name} value date = purchase {start} + {} working days = {}",
            p.value_lag, s.value_date
        ));
        out.push(format!(
            "{name} maturity = value date {} + {} days = {}",
            s.value_date, p.term_days, s.maturity_date
        ));
        out.push(format!(
            "{name} money back = maturity {} + {} working days = {}",
            s.maturity_date, p.payout_lag, s.payout_date
        ));
        out.push(format!(
            "{name} interest = {} × {}% × {} / {DAY_BASIS} = ¥{}",
            format_yuan(amount_fen),
            p.rate_percent,
            p.term_days,
            format_yuan(s.interest_fen)
        ));
        out.push(format!(
            "{name} money tied up = {} − {start} = {} days",
            s.payout_date, s.days_tied_up
        ));
        out.push(format!(
            "{name} effective annual rate = {} / {} × {DAY_BASIS} / {} = {:.4}%",
            format_yuan(s.interest_fen),
            format_yuan(amount_fen),
            s.days_tied_up,
            s.effective_rate
        ));
    }
    let [(_, _, ours), (_, theirs_p, theirs)] = sides;
    out.push(format!(
        "Theirs would need a nominal {:.4}% × {} / {} = {:.4}% to tie",
        ours.effective_rate, theirs.days_tied_up, theirs_p.term_days, break_even
    ));
    out.push(match winner {
        Winner::Ours => format!(
            "Verdict: ours {:.4}% beats theirs {:.4}% by {margin:.4} percentage points",
            ours.effective_rate, theirs.effective_rate
        ),
        Winner::Theirs => format!(
            "Verdict: theirs {:.4}% beats ours {:.4}% by {margin:.4} percentage points",
            theirs.effective_rate, ours.effective_rate
        ),
        Winner::Tie => format!(
            "Verdict: both earn exactly {:.4}% a year",
            ours.effective_rate
        ),
    });
    out
}

/// Compare the two offers of `input` on the book's working days.
pub fn compare(book: &Book, input: &ComparisonInput) -> Result<YieldComparison> {
    let amount_fen = parse_yuan("amount", &input.amount)?;
    if amount_fen <= 0 {
        return Err(Error::invalid("amount", "amount_not_positive"));
    }
    let start = parse_date("start", &input.start)?;
    let ours = product("ours", &input.ours)?;
    let theirs = product("theirs", &input.theirs)?;
    let cal = crate::work_schedule::from_book(book)?;
    let c = yields::compare(amount_fen as f64 / 100.0, start, &ours, &theirs, &cal)?;
    let (o, t) = (side(&c.ours), side(&c.theirs));
    let winner = match c.winner {
        Winner::Ours => "ours",
        Winner::Theirs => "theirs",
        Winner::Tie => "tie",
    };
    let en = steps_en(
        amount_fen,
        start,
        [("Ours:", &ours, &o), ("Theirs:", &theirs, &t)],
        c.break_even_rate,
        c.winner,
        c.margin,
    );
    let warnings_en = c
        .warnings
        .iter()
        .filter_map(|w| w.get(..4))
        .map(|y| format!("{y}: the public holidays are not known yet; weekends only"))
        .collect();
    Ok(YieldComparison {
        input: input.clone(),
        ours: o,
        theirs: t,
        winner: winner.into(),
        margin: c.margin,
        break_even_rate: c.break_even_rate,
        steps: c.steps,
        steps_en: en,
        warnings: c.warnings,
        warnings_en,
    })
}

/// A comparison started from a holding: ours is what it earns now (its rate, its term from
/// the value date to maturity, T+1 both ways unless its dates say otherwise), bought `today`
/// with its amount; theirs starts as ours, for the advisor to type the competitor's terms.
pub fn from_holding(book: &Book, holding_id: i64, today: NaiveDate) -> Result<ComparisonInput> {
    let h = holdings::get(book.conn(), holding_id)?;
    let day = |t: &Option<String>| {
        t.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let bought = NaiveDate::parse_from_str(&h.bought_on, "%Y-%m-%d").unwrap_or(today);
    let value = day(&h.value_date).unwrap_or(bought);
    let term = day(&h.maturity)
        .map(|m| (m - value).num_days().max(1) as u32)
        .unwrap_or(180);
    let rate = h
        .rate_bp
        .map(|r| format!("{}.{:02}", r / 100, r % 100))
        .unwrap_or_default();
    let ours = Offer {
        name: h.product.clone(),
        rate,
        term_days: term,
        value_lag: 1,
        payout_lag: 1,
    };
    Ok(ComparisonInput {
        amount: format_yuan(h.amount_fen),
        start: today.to_string(),
        theirs: Offer {
            name: String::new(),
            ..ours.clone()
        },
        ours,
    })
}

/// Keep a comparison in the client's timeline as a note of the meeting, in Chinese (the book's
/// language) with its steps, at `now`.
pub fn save(
    book: &mut Book,
    client_id: i64,
    c: &YieldComparison,
    channel: Option<Channel>,
    now: NaiveDateTime,
) -> Result<Contact> {
    let name = |o: &Offer, fallback: &str| {
        if o.name.trim().is_empty() {
            fallback.to_string()
        } else {
            o.name.trim().to_string()
        }
    };
    let verdict = match c.winner.as_str() {
        "ours" => format!("我行产品实际年化高 {:.4} 个百分点", c.margin),
        "theirs" => format!("他行产品实际年化高 {:.4} 个百分点", c.margin),
        _ => "双方实际年化相同".to_string(),
    };
    let mut summary = format!(
        "收益对比：{}（{}%）对 {}（{}%），金额 {} 元。{verdict}。\n",
        name(&c.input.ours, "我行产品"),
        c.input.ours.rate,
        name(&c.input.theirs, "他行产品"),
        c.input.theirs.rate,
        c.input.amount
    );
    summary.push_str(&c.steps.join("\n"));
    let input = ContactInput {
        at: Some(now.format("%Y-%m-%d %H:%M").to_string()),
        channel: channel.unwrap_or(Channel::Visit),
        kind: ContactKind::Note,
        summary,
        needs: None,
        follow_ups: vec![],
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    };
    contacts::add(book, client_id, &input, now)
}
