//! The advisor's settings for money, read and saved together as the Settings page shows them:
//! the days before a maturity the agenda reminds of it, the fall of AUM that is a warning sign,
//! the AUM thresholds of the tiers and the weights of the 12421 grade. Every value is checked
//! before any is written, so a bad one changes nothing.

use crate::book::Book;
use crate::rules::grading::{TierThresholds, Weights};
use crate::{churn, grades, settings, Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The money settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoneySettings {
    /// Days before a maturity the agenda reminds of it (one to three, each 1–60).
    pub maturity_notice_days: Vec<u32>,
    /// The share of AUM that, gone within 90 days, is a warning sign, in percent (1–100).
    pub aum_drop_percent: u32,
    /// 私行 from this AUM, yuan.
    pub tier_private: f64,
    /// 贵宾 from this AUM, yuan.
    pub tier_vip: f64,
    /// 高端 from this AUM, yuan.
    pub tier_high: f64,
    /// The 12421 weights: AUM, contribution, contacts, salons, referrals.
    pub weights: [u32; 5],
}

/// The money settings of the book, defaults filled in.
pub fn get(book: &Book) -> Result<MoneySettings> {
    let conn = book.conn();
    let t = grades::thresholds(conn)?;
    let w = grades::weights(conn)?;
    Ok(MoneySettings {
        maturity_notice_days: settings::get(book)?.maturity_notice_days,
        aum_drop_percent: churn::aum_drop_percent(conn)? as u32,
        tier_private: t.private,
        tier_vip: t.vip,
        tier_high: t.high_end,
        weights: [w.aum, w.contribution, w.contacts, w.salons, w.referrals],
    })
}

/// Check every value, then save them all.
pub fn set(book: &mut Book, s: &MoneySettings) -> Result<MoneySettings> {
    let t = TierThresholds {
        private: s.tier_private,
        vip: s.tier_vip,
        high_end: s.tier_high,
    };
    t.validate()?;
    let [aum, contribution, contacts, salons, referrals] = s.weights;
    let w = Weights {
        aum,
        contribution,
        contacts,
        salons,
        referrals,
    };
    if s.weights.iter().all(|x| *x == 0) || s.weights.iter().any(|x| *x > 1000) {
        return Err(Error::invalid("weights", "weights_all_zero"));
    }
    if !(1..=100).contains(&s.aum_drop_percent) {
        return Err(Error::invalid_with(
            "aum_drop",
            "percent_out_of_range",
            "1–100",
        ));
    }
    let days = &s.maturity_notice_days;
    if days.is_empty()
        || days.len() > 3
        || days
            .iter()
            .any(|d| !(1..=settings::MAX_MATURITY_NOTICE_DAYS).contains(d))
    {
        return Err(Error::invalid_with(
            "maturity_notice_days",
            "notice_days_out_of_range",
            format!("1–{}", settings::MAX_MATURITY_NOTICE_DAYS),
        ));
    }
    settings::set_maturity_notice_days(book, days)?;
    churn::set_aum_drop_percent(book, i64::from(s.aum_drop_percent))?;
    grades::set_thresholds(book, &t)?;
    grades::set_weights(book, &w)?;
    get(book)
}
