//! 12421 分级: client score and A–E grades, tier from AUM thresholds.
//!
//! Score: each measure is turned into a percentile rank within the book (ties share the
//! middle rank), then weighted. Ranks make money and counts comparable and keep one huge
//! account from flattening everyone else. All arithmetic is on integers, so equal inputs give
//! exactly equal scores and the tie-break is the documented key, never float noise.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// What the score is made of, per client, over the advisor's window (usually 12 months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientMetrics {
    /// Client id (the last tie-break key).
    pub id: String,
    /// Assets under management at this bank, yuan.
    pub aum: f64,
    /// Contribution (中间业务收入), yuan; may be negative.
    pub contribution: f64,
    /// Contacts recorded in the window.
    pub contacts: u32,
    /// Salons attended in the window.
    pub salons: u32,
    /// Clients referred (转介绍).
    pub referrals: u32,
}

/// Integer weights of the five measures (defaults 40/25/15/10/10; any non-negative, sum > 0).
/// A measure left out of a JSON `weights` keeps its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// AUM weight.
    pub aum: u32,
    /// Contribution weight.
    pub contribution: u32,
    /// Contact frequency weight.
    pub contacts: u32,
    /// Salon attendance weight.
    pub salons: u32,
    /// Referrals weight.
    pub referrals: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            aum: 40,
            contribution: 25,
            contacts: 15,
            salons: 10,
            referrals: 10,
        }
    }
}

/// The five grades of 12421.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[ts(export)]
pub enum Grade {
    /// Top 10 %: key clients.
    A,
    /// Next 20 %.
    B,
    /// Middle 40 %.
    C,
    /// Next 20 %.
    D,
    /// Bottom 10 %: likely to leave.
    E,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 5] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E];

    /// The letter.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
        }
    }

    /// The grade of a letter, in either case.
    pub fn parse(text: &str) -> Option<Grade> {
        Grade::ALL
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Grades in order, with their shares in tenths (1-2-4-2-1).
pub const GRADES: [(Grade, usize); 5] = [
    (Grade::A, 1),
    (Grade::B, 2),
    (Grade::C, 4),
    (Grade::D, 2),
    (Grade::E, 1),
];

/// One client's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graded {
    /// Client id.
    pub id: String,
    /// Score 0–100.
    pub score: f64,
    /// Rank, 1 = best.
    pub rank: usize,
    /// Grade by rank.
    pub grade: Grade,
}

/// How many clients get each grade in a book of `n`: largest remainder on the exact shares
/// n·10 %, n·20 %, n·40 %, n·20 %, n·10 %; leftover places go to the largest remainders, equal
/// remainders to the better grade. Counts add up to `n`, each within one of its exact share.
pub fn grade_counts(n: usize) -> [usize; 5] {
    let mut counts = [0usize; 5];
    let mut rema = [(0usize, 0usize); 5];
    for (i, &(_, tenths)) in GRADES.iter().enumerate() {
        counts[i] = n * tenths / 10;
        rema[i] = (n * tenths % 10, i);
    }
    let left = n - counts.iter().sum::<usize>();
    rema.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rema.iter().take(left) {
        counts[i] += 1;
    }
    counts
}

/// Twice the mid-rank of each value (2·below + equal − 1), so ties share one integer rank.
fn doubled_ranks(values: &[f64]) -> Vec<u64> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0u64; values.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        let equal = (j - i + 1) as u64;
        for &k in &idx[i..=j] {
            out[k] = 2 * i as u64 + equal - 1;
        }
        i = j + 1;
    }
    out
}

/// Grade a book: scores, ranks and grades, best first.
///
/// Rank order: higher score, then higher AUM, then smaller id (byte order). Clients with equal
/// scores may straddle a grade boundary; the key above decides, and the same book always gives
/// the same grades.
pub fn grade(clients: &[ClientMetrics], weights: &Weights) -> Result<Vec<Graded>> {
    let total = u64::from(weights.aum)
        + u64::from(weights.contribution)
        + u64::from(weights.contacts)
        + u64::from(weights.salons)
        + u64::from(weights.referrals);
    if total == 0 {
        return Err(Error::invalid_with(
            "weights",
            "weights_zero",
            "at least one weight > 0",
        ));
    }
    for c in clients {
        if !c.aum.is_finite() || c.aum < 0.0 {
            return Err(Error::invalid_with(
                "aum",
                "aum_invalid",
                "a finite amount >= 0",
            ));
        }
        if !c.contribution.is_finite() {
            return Err(Error::invalid_with(
                "contribution",
                "contribution_invalid",
                "a finite amount",
            ));
        }
    }
    let n = clients.len();
    let col = |f: &dyn Fn(&ClientMetrics) -> f64| {
        doubled_ranks(&clients.iter().map(f).collect::<Vec<_>>())
    };
    let measures = [
        (weights.aum, col(&|c| c.aum)),
        (weights.contribution, col(&|c| c.contribution)),
        (weights.contacts, col(&|c| f64::from(c.contacts))),
        (weights.salons, col(&|c| f64::from(c.salons))),
        (weights.referrals, col(&|c| f64::from(c.referrals))),
    ];
    let raw: Vec<u64> = (0..n)
        .map(|i| measures.iter().map(|(w, r)| u64::from(*w) * r[i]).sum())
        .collect();
    // raw / (2(n-1)·total) is the weighted percentile in [0, 1]; a lone client sits in the middle.
    let score = |r: u64| {
        if n < 2 {
            50.0
        } else {
            100.0 * r as f64 / (2 * (n as u64 - 1) * total) as f64
        }
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        raw[b]
            .cmp(&raw[a])
            .then(clients[b].aum.total_cmp(&clients[a].aum))
            .then(clients[a].id.cmp(&clients[b].id))
    });
    let counts = grade_counts(n);
    let mut out = Vec::with_capacity(n);
    let mut g = 0;
    let mut used = 0;
    for (pos, &i) in order.iter().enumerate() {
        while used == counts[g] {
            g += 1;
            used = 0;
        }
        used += 1;
        out.push(Graded {
            id: clients[i].id.clone(),
            score: score(raw[i]),
            rank: pos + 1,
            grade: GRADES[g].0,
        });
    }
    Ok(out)
}

/// Tier (分层) by AUM: the book's own vocabulary.
pub use crate::book::values::Tier;

/// Lowest AUM (yuan) of each tier; editable by the advisor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierThresholds {
    /// 私行 from this AUM (default 6,000,000).
    pub private: f64,
    /// 贵宾 from this AUM (default 1,000,000).
    pub vip: f64,
    /// 高端 from this AUM (default 200,000).
    pub high_end: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            private: 6_000_000.0,
            vip: 1_000_000.0,
            high_end: 200_000.0,
        }
    }
}

impl TierThresholds {
    /// Check the thresholds are finite and descending (private ≥ VIP ≥ high-end ≥ 0).
    pub fn validate(&self) -> Result<()> {
        let ok = [self.private, self.vip, self.high_end]
            .iter()
            .all(|x| x.is_finite())
            && self.private >= self.vip
            && self.vip >= self.high_end
            && self.high_end >= 0.0;
        if ok {
            Ok(())
        } else {
            Err(Error::invalid_with(
                "thresholds",
                "thresholds_not_descending",
                "private >= vip >= high_end >= 0",
            ))
        }
    }

    /// The tier of an AUM: a threshold is included in its tier.
    pub fn tier(&self, aum: f64) -> Tier {
        match aum.partial_cmp(&self.private) {
            Some(Ordering::Greater | Ordering::Equal) => Tier::Private,
            _ if aum >= self.vip => Tier::Vip,
            _ if aum >= self.high_end => Tier::High,
            _ => Tier::Mass,
        }
    }
}
