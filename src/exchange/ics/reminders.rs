//! The reminders a calendar gets, whatever its format: the agenda's items of a window of days
//! (salon calls, complaint deadlines, follow-ups, birthdays, festivals) and the salons
//! themselves, each with a stable key, and the ones the advisor has done or cancelled since.
//!
//! The agenda decides what is due; this module only adds what the agenda leaves out because
//! it is finished, so a calendar that was given an item hears that it is over: a follow-up
//! ticked off, a complaint resolved, a 7-3-1 call recorded or no longer worth making, a
//! cancelled salon and its calls, anything marked done or skipped on Today. Cadence calls and
//! the starred clients' watch list stay out: they move with every contact (their ids name the
//! day they fall due), so a calendar would keep stale copies of them.

use crate::agenda::{self, AgendaItem, ItemKind, Mark};
use crate::book::values::parse_datetime;
use crate::book::Book;
use crate::exchange::words::{self, Language};
use crate::rules::invitations::{CallKind, CallState, PlannedCall, SkipReason};
use crate::rules::workdays::WorkCalendar;
use crate::salons::{self, Salon};
use crate::Result;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// How long a salon is taken to last: the book keeps its start only.
pub const SALON_HOURS: i64 = 2;

/// The agenda answers for at most this many days at a time.
const AGENDA_DAYS: u32 = 62;

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReminderKind {
    /// A salon itself, at its time.
    Salon,
    /// A call of a salon's 7-3-1 rounds.
    SalonCall,
    /// A promised complaint response.
    Complaint,
    /// A follow-up (待办).
    FollowUp,
    /// A client's or family member's birthday.
    Birthday,
    /// A festival greeting.
    Festival,
    /// A holding maturing, or leaving its stop band.
    Maturity,
}

impl ReminderKind {
    /// Its key in the catalog's `reminder_kind` words.
    pub fn key(self) -> &'static str {
        match self {
            ReminderKind::Salon => "salon",
            ReminderKind::SalonCall => "salon_call",
            ReminderKind::Complaint => "complaint",
            ReminderKind::FollowUp => "follow_up",
            ReminderKind::Birthday => "birthday",
            ReminderKind::Festival => "festival",
            ReminderKind::Maturity => "maturity",
        }
    }

    /// The word a calendar files it under (CATEGORIES), in Chinese.
    pub fn category(self) -> &'static str {
        match self {
            ReminderKind::Salon => "沙龙",
            ReminderKind::SalonCall => "沙龙邀约",
            ReminderKind::Complaint => "投诉答复",
            ReminderKind::FollowUp => "待办",
            ReminderKind::Birthday => "生日",
            ReminderKind::Festival => "节日问候",
            ReminderKind::Maturity => "理财到期",
        }
    }
}

/// When a reminder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// All day, on a day.
    Day(NaiveDate),
    /// From `start` to `end`, the advisor's local time.
    Timed {
        /// Start.
        start: NaiveDateTime,
        /// End.
        end: NaiveDateTime,
    },
}

impl When {
    /// The moment it starts (midnight for a day), for ordering.
    pub fn start(&self) -> NaiveDateTime {
        match *self {
            When::Day(day) => day.and_time(NaiveTime::MIN),
            When::Timed { start, .. } => start,
        }
    }
}

/// Where a reminder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Still to do, or still to happen.
    Open,
    /// Done: nothing left to remind of.
    Done,
    /// Will not happen: a cancelled salon, an item skipped.
    Cancelled,
}

/// One reminder, as every calendar format gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Stable key: the agenda's item id with its kind in front where the id has none
    /// (`salon_call/12/34/r7`), `salon/ID` for a salon; the same reminder always has it.
    pub key: String,
    /// What it is about.
    pub kind: ReminderKind,
    /// When.
    pub when: When,
    /// One line, in Chinese.
    pub summary: String,
    /// The detail the agenda shows, in Chinese, one fact a line.
    pub description: String,
    /// Where (salons).
    pub location: Option<String>,
    /// Open, done or cancelled.
    pub state: State,
    /// The last change the book records for it, the advisor's time; none when it records none.
    pub changed: Option<NaiveDateTime>,
}

/// Every reminder of `days` days from `from`, as seen at `now`, in the order of their time then
/// key. Longer windows than the agenda answers for are asked of it piece by piece, so a lunar
/// birthday comes once for every year the window reaches into, each on its solar day.
pub fn collect(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Vec<Reminder>> {
    let mut found = BTreeMap::new();
    let mut start = from;
    let mut left = days;
    while left > 0 {
        let span = left.min(AGENDA_DAYS);
        let end = start + Duration::days(i64::from(span) - 1);
        for r in of_span(book, start, end, now, cal)? {
            found.entry(r.key.clone()).or_insert(r);
        }
        start = end + Duration::days(1);
        left -= span;
    }
    let mut out: Vec<Reminder> = found.into_values().collect();
    out.sort_by(|a, b| {
        (a.when.start(), &a.key)
            .cmp(&(b.when.start(), &b.key))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    Ok(out)
}

/// The reminders due from `from` to `to` (at most the agenda's span).
fn of_span(
    book: &Book,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Vec<Reminder>> {
    let conn = book.conn();
    let days = (to - from).num_days() as u32 + 1;
    let within = |day: NaiveDate| from <= day && day <= to;
    let salons = Salons::read(conn, from, to)?;
    let mut out = Vec::new();
    for (item, mark) in agenda::with_marks(book, from, days, now, cal)? {
        let Ok(due) = NaiveDate::parse_from_str(&item.due, "%Y-%m-%d") else {
            continue;
        };
        if !within(due) {
            continue;
        }
        if let Some(r) = of_item(conn, &item, mark, due, &salons)? {
            out.push(r);
        }
    }
    // The salons, and the calls the agenda no longer lists: seen from where the agenda sees
    // them (now on today, else the start of the first day), so both agree on what is pending.
    let seen = if from == now.date() {
        now
    } else {
        from.and_time(NaiveTime::MIN)
    };
    for (salon, changed) in salons.by_id.values() {
        let Ok(start) = parse_datetime("start", &salon.start) else {
            continue;
        };
        if within(start.date()) {
            out.push(salon_reminder(salon, start, *changed));
        }
        // A cancelled salon plans no calls: plan it as if it were on to name the calls a
        // calendar may hold.
        let planned = Salon {
            cancelled: false,
            ..salon.clone()
        };
        for call in salons::plan(conn, &planned, seen, cal)?.calls {
            if !within(call.due) {
                continue;
            }
            if let Some(r) = finished_call(conn, salon, *changed, &call)? {
                out.push(r);
            }
        }
    }
    out.extend(done_follow_ups(conn, from, to)?);
    out.extend(resolved_complaints(conn, from, to)?);
    Ok(out)
}

/// The salons whose calls or start can fall in the window, cancelled ones too, with their last
/// change.
struct Salons {
    by_id: BTreeMap<i64, (Salon, Option<NaiveDateTime>)>,
}

impl Salons {
    fn read(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Salons> {
        // The agenda's bound: rounds fall at most a week (and a holiday shift) before the start.
        let mut stmt = conn.prepare_cached(
            "SELECT id, updated_at FROM salons
             WHERE substr(start, 1, 10) >= ?1 AND substr(start, 1, 10) <= ?2 ORDER BY id",
        )?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(
                params![from.to_string(), (to + Duration::days(30)).to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut by_id = BTreeMap::new();
        for (id, updated) in rows {
            by_id.insert(id, (salons::get(conn, id)?, moment(&updated)));
        }
        Ok(Salons { by_id })
    }
}

/// A stored time (`YYYY-MM-DD HH:MM[:SS]`, or a day) as a moment.
fn moment(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
}

/// An agenda item as a reminder; its mark decides whether it is over.
fn of_item(
    conn: &Connection,
    item: &AgendaItem,
    mark: Option<Mark>,
    due: NaiveDate,
    salons: &Salons,
) -> Result<Option<Reminder>> {
    let name = item.client_name.as_deref().unwrap_or("");
    let (kind, key, summary, mut description) = match item.kind {
        ItemKind::SalonCall => {
            let salon = item.salon_id.and_then(|id| salons.by_id.get(&id));
            let title = item.salon_title.as_deref().unwrap_or("");
            let days = item
                .round
                .as_deref()
                .and_then(|r| r.trim_start_matches('r').parse().ok())
                .unwrap_or(0);
            (
                ReminderKind::SalonCall,
                format!("salon_call/{}", item.id),
                call_summary(name, title, days, item.reminder),
                salon.map(|(s, _)| salon_line(s)).unwrap_or_default(),
            )
        }
        ItemKind::Complaint => (
            ReminderKind::Complaint,
            item.id.clone(),
            format!("投诉答复：{name}"),
            item.reason.clone(),
        ),
        ItemKind::FollowUp => (
            ReminderKind::FollowUp,
            item.id.clone(),
            format!("待办：{name}"),
            item.reason.clone(),
        ),
        ItemKind::Birthday => {
            let mut line = item.reason.clone();
            if item.lunar {
                line.push_str(&format!("\n农历生日，今年在公历 {}", item.due));
            }
            (
                ReminderKind::Birthday,
                item.id.clone(),
                item.reason.clone(),
                line,
            )
        }
        ItemKind::Festival => (
            ReminderKind::Festival,
            item.id.clone(),
            item.reason.clone(),
            item.reason.clone(),
        ),
        ItemKind::Maturity => (
            ReminderKind::Maturity,
            item.id.clone(),
            format!("到期续作：{name}"),
            item.reason.clone(),
        ),
        ItemKind::Band => (
            ReminderKind::Maturity,
            item.id.clone(),
            format!("止盈止损：{name}"),
            item.reason.clone(),
        ),
        // Cadence and watch items move with every contact: not for a calendar.
        ItemKind::Cadence | ItemKind::Watch => return Ok(None),
    };
    let (state, changed) = match mark {
        Some(Mark::Done) => (State::Done, marked_on(conn, &item.id)?),
        Some(Mark::Skipped) => (State::Cancelled, marked_on(conn, &item.id)?),
        // Snoozed is still to do: the calendar keeps the day it was due.
        Some(Mark::Snoozed { .. }) | None => (State::Open, None),
    };
    description.push_str(&format!("\n事项编号：{}", item.id));
    Ok(Some(Reminder {
        key,
        kind,
        when: When::Day(due),
        summary,
        description: description.trim_start().to_string(),
        location: None,
        state,
        changed,
    }))
}

/// The day the advisor marked an item, as a moment.
fn marked_on(conn: &Connection, item_id: &str) -> Result<Option<NaiveDateTime>> {
    let on: Option<String> = conn
        .prepare_cached("SELECT marked_on FROM agenda_marks WHERE item_id = ?1")?
        .query_row([item_id], |r| r.get(0))
        .optional()?;
    Ok(on.as_deref().and_then(moment))
}

/// A call's line: who, which salon, which round.
fn call_summary(name: &str, title: &str, days_before: i64, reminder: bool) -> String {
    if reminder {
        format!("沙龙提醒电话：{name}「{title}」（已确认，提前 {days_before} 天）")
    } else {
        format!("沙龙邀约电话：{name}「{title}」（提前 {days_before} 天）")
    }
}

/// When and where a salon is, in one line.
fn salon_line(salon: &Salon) -> String {
    let mut line = format!("沙龙「{}」：{}", salon.title, salon.start);
    if let Some(venue) = &salon.venue {
        line.push_str(&format!("，{venue}"));
    }
    line
}

fn salon_reminder(salon: &Salon, start: NaiveDateTime, changed: Option<NaiveDateTime>) -> Reminder {
    let mut lines = Vec::new();
    if let Some(theme) = &salon.theme {
        lines.push(format!("主题：{theme}"));
    }
    if !salon.segments.is_empty() {
        let names: Vec<&str> = salon
            .segments
            .iter()
            .map(|s| words::value(Language::ZhCn, "segment", s.as_str()))
            .collect();
        lines.push(format!("客群：{}", names.join("、")));
    }
    if let Some(seats) = salon.capacity {
        lines.push(format!("座位：{seats}"));
    }
    if let Some(notes) = &salon.notes {
        lines.push(format!("备注：{notes}"));
    }
    lines.push(format!("沙龙编号：{}", salon.id));
    Reminder {
        key: format!("salon/{}", salon.id),
        kind: ReminderKind::Salon,
        when: When::Timed {
            start,
            end: start + Duration::hours(SALON_HOURS),
        },
        summary: format!("沙龙：{}", salon.title),
        description: lines.join("\n"),
        location: salon.venue.clone(),
        state: if salon.cancelled {
            State::Cancelled
        } else {
            State::Open
        },
        changed,
    }
}

/// A call the agenda no longer lists because it is over: made, no longer worth making, not
/// to be made after a decline or a yes, or its salon cancelled. Rounds that were never to be
/// called (the invitee came later, or an earlier call covers the day) were never in a
/// calendar and stay out.
fn finished_call(
    conn: &Connection,
    salon: &Salon,
    salon_changed: Option<NaiveDateTime>,
    call: &PlannedCall,
) -> Result<Option<Reminder>> {
    let never_due = matches!(
        call.state,
        CallState::Skipped {
            reason: SkipReason::AddedLater | SkipReason::SameDayAsEarlierRound
        }
    );
    if never_due || (call.state == CallState::Pending && !salon.cancelled) {
        return Ok(None);
    }
    let Ok(client_id) = call.invitee_id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(name) = client_name(conn, client_id)? else {
        return Ok(None);
    };
    let due_day = call.due.and_time(NaiveTime::MIN);
    let (state, changed) = match call.state {
        _ if salon.cancelled => (State::Cancelled, salon_changed.max(Some(due_day))),
        CallState::Done { on, .. } => (State::Done, Some(on.and_time(NaiveTime::MIN))),
        _ => (State::Cancelled, Some(due_day)),
    };
    let days = call.round.days_before();
    let reminder = call.kind == CallKind::Reminder;
    Ok(Some(Reminder {
        key: format!("salon_call/{}", call.id),
        kind: ReminderKind::SalonCall,
        when: When::Day(call.due),
        summary: call_summary(&name, &salon.title, days, reminder),
        description: format!("{}\n事项编号：{}", salon_line(salon), call.id),
        location: None,
        state,
        changed,
    }))
}

fn client_name(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM clients WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Follow-ups due in the window and ticked off: their reminder is over.
fn done_follow_ups(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, c.name, f.due, f.title, f.done_at FROM follow_ups f
         JOIN clients c ON c.id = f.client_id
         WHERE f.done_at IS NOT NULL AND f.due >= ?1 AND f.due <= ?2",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, due, title, done_at) = row?;
        let Ok(due) = NaiveDate::parse_from_str(&due, "%Y-%m-%d") else {
            continue;
        };
        // The agenda's words for an open follow-up, so both copies read alike.
        out.push(Reminder {
            key: format!("follow_up/{id}"),
            kind: ReminderKind::FollowUp,
            when: When::Day(due),
            summary: format!("待办：{name}"),
            description: format!("待办：{title}\n事项编号：follow_up/{id}"),
            location: None,
            state: State::Done,
            changed: moment(&done_at),
        });
    }
    Ok(out)
}

/// Complaints whose response was due in the window and that are resolved.
fn resolved_complaints(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, c.name, k.response_due, k.summary, k.resolved_at FROM contacts k
         JOIN clients c ON c.id = k.client_id
         WHERE k.kind = 'complaint' AND k.resolved_at IS NOT NULL
           AND k.response_due >= ?1 AND k.response_due <= ?2",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, due, summary, resolved_at) = row?;
        let Ok(due) = NaiveDate::parse_from_str(due.get(..10).unwrap_or(""), "%Y-%m-%d") else {
            continue;
        };
        // As the agenda words it: the first 30 characters of the complaint.
        let short: String = summary.chars().take(30).collect();
        out.push(Reminder {
            key: format!("complaint/{id}"),
            kind: ReminderKind::Complaint,
            when: When::Day(due),
            summary: format!("投诉答复：{name}"),
            description: format!("投诉答复期限：{short}\n事项编号：complaint/{id}"),
            location: None,
            state: State::Done,
            changed: moment(&resolved_at),
        });
    }
    Ok(out)
}
