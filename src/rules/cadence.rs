//! 联系频率: who is due for contact by tier cadence.
//!
//! Two rules: each tier has a target interval between any two contacts, and old clients get
//! at least one phone call a calendar month ("100 WeChat messages are worth less than one
//! call"). A call counts as a contact too, so the call rule and the tier rule merge into one row.

use crate::rules::grading::Tier;
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// Target days between contacts per tier, and the monthly-call rule; editable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceSettings {
    /// 私行 (default 7).
    pub private_days: u32,
    /// 贵宾 (default 14).
    pub vip_days: u32,
    /// 高端 (default 30).
    pub high_end_days: u32,
    /// 大众 (default 90).
    pub mass_days: u32,
    /// Whether old clients need a phone call every calendar month (default on).
    pub monthly_call: bool,
    /// A client is "old" after this many days since becoming a client (default 365).
    pub old_after_days: u32,
}

impl Default for CadenceSettings {
    fn default() -> Self {
        CadenceSettings {
            private_days: 7,
            vip_days: 14,
            high_end_days: 30,
            mass_days: 90,
            monthly_call: true,
            old_after_days: 365,
        }
    }
}

impl CadenceSettings {
    /// Target interval of a tier, in days.
    pub fn interval(&self, tier: Tier) -> u32 {
        match tier {
            Tier::Private => self.private_days,
            Tier::Vip => self.vip_days,
            Tier::High => self.high_end_days,
            Tier::Mass => self.mass_days,
        }
    }
}

/// What the cadence needs to know about a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientContactState {
    /// Client id.
    pub client_id: String,
    /// Current tier.
    pub tier: Tier,
    /// Day the person became a client.
    pub client_since: NaiveDate,
    /// Last contact of any channel, if any.
    pub last_contact: Option<NaiveDate>,
    /// Last phone call or visit, if any (a visit beats a call).
    pub last_call: Option<NaiveDate>,
}

/// What is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// Any contact will do.
    Contact,
    /// A phone call (or visit) is owed; it also settles the tier contact.
    Call,
}

/// A client due or overdue on the given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// Client id.
    pub client_id: String,
    /// Tier.
    pub tier: Tier,
    /// What is owed.
    pub kind: DueKind,
    /// The day it became due.
    pub due_since: NaiveDate,
    /// Days past that day (0 = due today).
    pub days_overdue: i64,
}

/// Everyone due or overdue on `today`, longest overdue first (then higher tier, then id).
///
/// A client never contacted is due from the day they became a client. The monthly call is
/// due one calendar month after the last call (31 January → 28/29 February), and never
/// earlier than one month after the client became old.
pub fn due_on(
    clients: &[ClientContactState],
    today: NaiveDate,
    settings: &CadenceSettings,
) -> Vec<Due> {
    let mut out: Vec<Due> = clients
        .iter()
        .filter_map(|c| {
            let (kind, since) = owed(
                c.tier,
                c.client_since,
                c.last_contact,
                c.last_call,
                today,
                settings,
            )?;
            Some(Due {
                client_id: c.client_id.clone(),
                tier: c.tier,
                kind,
                due_since: since,
                days_overdue: (today - since).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        Reverse(a.days_overdue)
            .cmp(&Reverse(b.days_overdue))
            .then(a.tier.cmp(&b.tier))
            .then(a.client_id.cmp(&b.client_id))
    });
    out
}

/// What one client owes on `today` and since when, as [`due_on`] decides it: the agenda asks
/// this of every client of a big book without building ids for them.
pub fn owed(
    tier: Tier,
    client_since: NaiveDate,
    last_contact: Option<NaiveDate>,
    last_call: Option<NaiveDate>,
    today: NaiveDate,
    settings: &CadenceSettings,
) -> Option<(DueKind, NaiveDate)> {
    let last = last_contact.max(last_call);
    let contact_due = match last {
        Some(d) => d + Duration::days(i64::from(settings.interval(tier))),
        None => client_since,
    };
    let old_since = client_since + Duration::days(i64::from(settings.old_after_days));
    let first_call_due = old_since + Months::new(1);
    let call_due = settings
        .monthly_call
        .then(|| last_call.map_or(first_call_due, |d| (d + Months::new(1)).max(first_call_due)));
    let contact = (contact_due <= today).then_some(contact_due);
    let call = call_due.filter(|d| *d <= today);
    match (contact, call) {
        (None, None) => None,
        (Some(a), None) => Some((DueKind::Contact, a)),
        (None, Some(b)) => Some((DueKind::Call, b)),
        (Some(a), Some(b)) => Some((DueKind::Call, a.min(b))),
    }
}
