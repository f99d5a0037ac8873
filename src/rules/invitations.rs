//! 沙龙邀约: the 7-3-1 invitation call rounds.
//!
//! Every invitee has three possible calls, 7, 3 and 1 days before the event. A call's id is
//! `event/invitee/r7|r3|r1`: it names the round, not the date, so recomputing, moving the event
//! or re-adding an invitee never changes it, and calendars and done-marks can hang on it.
//! The plan is recomputed from scratch from (event, invitees, records, now); nothing is stored.

use crate::rules::workdays::WorkCalendar;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A salon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Event id.
    pub id: String,
    /// Start, in the advisor's local time.
    pub start: NaiveDateTime,
    /// Seats; `None` for no limit.
    pub capacity: Option<u32>,
}

/// Someone on the invitation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    /// Client (or family member) id.
    pub id: String,
    /// The day they were put on the list.
    pub added_on: NaiveDate,
}

/// The three rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Round {
    /// 7 days before.
    Seven,
    /// 3 days before.
    Three,
    /// 1 day before.
    One,
}

impl Round {
    /// All rounds in calling order.
    pub const ALL: [Round; 3] = [Round::Seven, Round::Three, Round::One];

    /// Days before the event.
    pub fn days_before(self) -> i64 {
        match self {
            Round::Seven => 7,
            Round::Three => 3,
            Round::One => 1,
        }
    }
}

/// What the invitee said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Nobody answered.
    NoAnswer,
    /// Will not come: no more calls for this event.
    Declined,
    /// Maybe.
    Tentative,
    /// Will come: only a reminder call on the last round.
    Confirmed,
}

/// A call already made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The call's stable id (see [`call_id`]).
    pub call_id: String,
    /// When it was made.
    pub done_on: NaiveDate,
    /// What the invitee said.
    pub response: Response,
}

/// Invitation or reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// Invite (or ask again).
    Invite,
    /// Short reminder to a confirmed guest.
    Reminder,
}

/// Why a round will not be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The invitee declined earlier.
    Declined,
    /// Confirmed earlier; only the last round is called, as a reminder.
    Confirmed,
    /// The round was due before the invitee was added.
    AddedLater,
    /// Moved off a non-working day onto the day of an earlier round: that call covers it.
    SameDayAsEarlierRound,
}

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CallState {
    /// Made (kept as it was, even if the event moved since).
    Done {
        /// When.
        on: NaiveDate,
        /// The answer.
        response: Response,
    },
    /// To be made on its due day (or overdue, still worth making).
    Pending,
    /// Not made and no longer worth making: a later round is due, or the event started.
    Missed,
    /// Not to be made.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
}

/// One round for one invitee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedCall {
    /// Stable id.
    pub id: String,
    /// Invitee id.
    pub invitee_id: String,
    /// Round.
    pub round: Round,
    /// Invite or reminder.
    pub kind: CallKind,
    /// Day the call is due (after any shift off a non-working day).
    pub due: NaiveDate,
    /// State.
    pub state: CallState,
}

/// Advisor settings for the rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteSettings {
    /// Move a call due on a weekend or holiday to the working day before it (earlier, never
    /// later: later could reach the event day), but never before the invitee was added; with no
    /// working day in between, the call keeps its day and the plan says so.
    pub avoid_non_working_days: bool,
}

/// Something the advisor should know about the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InviteWarning {
    /// More confirmed guests than seats.
    OverCapacity {
        /// Confirmed guests.
        confirmed: u32,
        /// Seats.
        capacity: u32,
    },
    /// Every seat is taken but invitation calls are still pending.
    Full {
        /// Seats.
        capacity: u32,
        /// Pending invitation calls.
        pending_invites: u32,
    },
    /// Added too late for any round: call them now or not at all.
    NoRoundLeft {
        /// Invitee id.
        invitee_id: String,
    },
    /// A record whose call id belongs to no current invitee of this event.
    UnknownRecord {
        /// The record's call id.
        call_id: String,
    },
    /// A pending call stays on a weekend or holiday: the invitee was added too late for a
    /// working day before it.
    NonWorkingDay {
        /// The call's id.
        call_id: String,
        /// Its day.
        due: NaiveDate,
    },
}

/// All rounds of an event at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Every round of every invitee, by invitee order then round.
    pub calls: Vec<PlannedCall>,
    /// Invitees whose latest answer is Confirmed.
    pub confirmed: u32,
    /// Warnings.
    pub warnings: Vec<InviteWarning>,
}

impl Plan {
    /// The calls to make on `day`: pending calls due that day or earlier (overdue).
    pub fn due_on(&self, day: NaiveDate) -> Vec<&PlannedCall> {
        self.calls
            .iter()
            .filter(|c| c.state == CallState::Pending && c.due <= day)
            .collect()
    }
}

/// The stable id of a round's call.
pub fn call_id(event_id: &str, invitee_id: &str, round: Round) -> String {
    format!("{event_id}/{invitee_id}/r{}", round.days_before())
}

/// The latest working day from `from` to `to`, both included; `None` if all are days off.
/// A call moved off a day off must not land before the invitee was on the list: that would
/// drop a late guest's rounds as "before they were added".
fn working_day_between(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
    let mut d = to;
    while d >= from {
        if cal.is_working_day(d) {
            return Some(d);
        }
        d -= Duration::days(1);
    }
    None
}

/// Plan every round of `event` as of `now` (the advisor's local time).
pub fn plan(
    event: &Event,
    invitees: &[Invitee],
    records: &[CallRecord],
    now: NaiveDateTime,
    settings: &InviteSettings,
    cal: &WorkCalendar,
) -> Result<Plan> {
    let mut seen = HashSet::new();
    for i in invitees {
        if !seen.insert(i.id.as_str()) {
            return Err(Error::invalid_with(
                "invitees",
                "invitee_duplicate",
                "each invitee once",
            ));
        }
    }
    let by_id: HashMap<&str, &CallRecord> =
        records.iter().map(|r| (r.call_id.as_str(), r)).collect();
    let event_day = event.start.date();
    let started = now >= event.start;
    let today = now.date();
    let mut calls = Vec::new();
    let mut warnings = Vec::new();
    let mut confirmed = 0;
    let mut known_ids = HashSet::new();

    for inv in invitees {
        let mut last: Option<Response> = None;
        let mut prev_due: Option<NaiveDate> = None;
        let mut mine = Vec::new();
        for round in Round::ALL {
            let id = call_id(&event.id, &inv.id, round);
            let day = event_day - Duration::days(round.days_before());
            let due = if settings.avoid_non_working_days {
                working_day_between(cal, inv.added_on, day).unwrap_or(day)
            } else {
                day
            };
            let kind = if last == Some(Response::Confirmed) {
                CallKind::Reminder
            } else {
                CallKind::Invite
            };
            let state = if let Some(r) = by_id.get(id.as_str()) {
                last = Some(r.response);
                CallState::Done {
                    on: r.done_on,
                    response: r.response,
                }
            } else if last == Some(Response::Declined) {
                CallState::Skipped {
                    reason: SkipReason::Declined,
                }
            } else if last == Some(Response::Confirmed) && round != Round::One {
                CallState::Skipped {
                    reason: SkipReason::Confirmed,
                }
            } else if day < inv.added_on {
                CallState::Skipped {
                    reason: SkipReason::AddedLater,
                }
            } else if prev_due.is_some_and(|p| due <= p) {
                CallState::Skipped {
                    reason: SkipReason::SameDayAsEarlierRound,
                }
            } else if started {
                CallState::Missed
            } else {
                CallState::Pending
            };
            if matches!(
                state,
                CallState::Pending | CallState::Missed | CallState::Done { .. }
            ) {
                prev_due = Some(due);
            }
            known_ids.insert(id.clone());
            mine.push(PlannedCall {
                id,
                invitee_id: inv.id.clone(),
                round,
                kind,
                due,
                state,
            });
        }
        // Of the rounds already due and not made, only the latest is still worth a call: an
        // earlier one is missed once a later round is due, or was made anyway.
        let overdue: Vec<usize> = (0..mine.len())
            .filter(|&k| mine[k].state == CallState::Pending && mine[k].due < today)
            .collect();
        let later_due = |k: usize| {
            mine[k + 1..].iter().any(|c| match c.state {
                CallState::Pending => c.due <= today,
                CallState::Done { .. } => true,
                _ => false,
            })
        };
        let missed: Vec<usize> = overdue.into_iter().filter(|&k| later_due(k)).collect();
        for k in missed {
            mine[k].state = CallState::Missed;
        }
        if mine.iter().all(|c| {
            matches!(
                c.state,
                CallState::Skipped {
                    reason: SkipReason::AddedLater
                }
            )
        }) {
            warnings.push(InviteWarning::NoRoundLeft {
                invitee_id: inv.id.clone(),
            });
        }
        if settings.avoid_non_working_days {
            for c in &mine {
                if c.state == CallState::Pending && !cal.is_working_day(c.due) {
                    warnings.push(InviteWarning::NonWorkingDay {
                        call_id: c.id.clone(),
                        due: c.due,
                    });
                }
            }
        }
        if last == Some(Response::Confirmed) {
            confirmed += 1;
        }
        calls.extend(mine);
    }
    for r in records {
        if !known_ids.contains(&r.call_id) {
            warnings.push(InviteWarning::UnknownRecord {
                call_id: r.call_id.clone(),
            });
        }
    }
    if let Some(cap) = event.capacity {
        let pending_invites = calls
            .iter()
            .filter(|c| c.state == CallState::Pending && c.kind == CallKind::Invite)
            .count() as u32;
        if confirmed > cap {
            warnings.push(InviteWarning::OverCapacity {
                confirmed,
                capacity: cap,
            });
        } else if confirmed == cap && pending_invites > 0 {
            warnings.push(InviteWarning::Full {
                capacity: cap,
                pending_invites,
            });
        }
    }
    Ok(Plan {
        calls,
        confirmed,
        warnings,
    })
}
