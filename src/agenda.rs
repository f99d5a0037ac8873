//! 今日待办: the scheduler. It reads the book, applies the rules and returns, for a day or a
//! few days, every item the advisor must act on: 7-3-1 calls, birthdays (solar and lunar, of
//! clients and their families), festival greetings, clients due by their tier's cadence or the
//! monthly call, follow-ups, complaint deadlines and the starred clients' watch list.
//!
//! Nothing here is stored but what the advisor did: each item has a stable id (a call's id
//! names its round, a birthday's id its date) and a done, snoozed or skipped mark is kept under
//! that id, so recomputing never brings back a handled item. Overdue items stay until acted on;
//! a missed birthday is still worth a late greeting for a week, a festival only on its day.
//! Time is injected: `now` is the advisor's local time, `from` the first day shown.

use crate::book::values::{format_datetime, parse_date, Birthday, Calendar, Gender, Stage, Tier};
use crate::book::Book;
use crate::rules::birthdays::{next_of, BirthdayRules};
use crate::rules::cadence::{self, CadenceSettings, ClientContactState, DueKind};
use crate::rules::festivals::{self, Audience, DEFAULT_ELDER_AGE};
use crate::rules::invitations::{CallKind, CallState};
use crate::rules::lunar;
use crate::rules::workdays::WorkCalendar;
use crate::salons;
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use ts_rs::TS;

/// How long a missed birthday stays on the agenda for a belated greeting.
pub const BIRTHDAY_GRACE_DAYS: i64 = 7;

/// What kind of thing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemKind {
    /// A call of a salon's 7-3-1 rounds.
    SalonCall,
    /// A promised complaint response is due.
    Complaint,
    /// A follow-up (待办) is due.
    FollowUp,
    /// A client's or family member's birthday.
    Birthday,
    /// A festival greeting.
    Festival,
    /// A client due for contact by their tier's cadence, or for the monthly call.
    Cadence,
    /// A starred client to look at today.
    Watch,
}

impl ItemKind {
    /// Every kind, in the order Today shows them.
    pub const ALL: [ItemKind; 7] = [
        ItemKind::SalonCall,
        ItemKind::Complaint,
        ItemKind::FollowUp,
        ItemKind::Birthday,
        ItemKind::Festival,
        ItemKind::Cadence,
        ItemKind::Watch,
    ];
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaItem {
    /// Stable id: marks hang on it.
    pub id: String,
    /// What kind of thing.
    pub kind: ItemKind,
    /// The client, when the item is about one.
    #[ts(type = "number | null")]
    pub client_id: Option<i64>,
    /// The client's name.
    pub client_name: Option<String>,
    /// The client's tier.
    pub tier: Option<Tier>,
    /// The day it is due, `YYYY-MM-DD`.
    pub due: String,
    /// Due before the first day shown and not yet acted on.
    pub overdue: bool,
    /// Days past due (0 when not overdue).
    pub days_overdue: u32,
    /// One line on why, in Chinese.
    pub reason: String,
    /// The same line in English.
    pub reason_en: String,
    /// Salon calls: the salon.
    #[ts(type = "number | null")]
    pub salon_id: Option<i64>,
    /// Salon calls: its title.
    pub salon_title: Option<String>,
    /// Salon calls: `r7`, `r3` or `r1`.
    pub round: Option<String>,
    /// Salon calls: a reminder to a confirmed guest rather than an invitation.
    pub reminder: bool,
    /// Birthdays of family members: who.
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// Birthdays: the age turned.
    pub turns: Option<u32>,
    /// Birthdays: kept in the lunar calendar.
    pub lunar: bool,
    /// Festivals: how many clients the greeting suits.
    pub audience: Option<u32>,
    /// Follow-ups: its id.
    #[ts(type = "number | null")]
    pub follow_up_id: Option<i64>,
    /// Complaints: the complaint contact's id.
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
}

/// The agenda for some days.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agenda {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Days covered.
    pub days: u32,
    /// Items by kind (in [`ItemKind::ALL`] order), then overdue first, then due day.
    pub items: Vec<AgendaItem>,
    /// How many items of each kind there are, also those [`Agenda::capped`] left out.
    pub totals: Vec<KindTotal>,
}

/// How many items of a kind the agenda holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KindTotal {
    /// The kind.
    pub kind: ItemKind,
    /// Items of that kind.
    pub total: u32,
}

impl Agenda {
    /// How many items of a kind.
    pub fn count(&self, kind: ItemKind) -> usize {
        self.totals
            .iter()
            .find(|t| t.kind == kind)
            .map_or(0, |t| t.total as usize)
    }

    /// Keep the first `per_kind` items of each kind (the most overdue first), the totals
    /// unchanged: a window shows a page of each group, not a hundred thousand rows.
    pub fn capped(mut self, per_kind: usize) -> Agenda {
        let mut seen: HashMap<ItemKind, usize> = HashMap::new();
        self.items.retain(|i| {
            let n = seen.entry(i.kind).or_default();
            *n += 1;
            *n <= per_kind
        });
        self
    }
}

fn totals(items: &[AgendaItem]) -> Vec<KindTotal> {
    ItemKind::ALL
        .iter()
        .map(|&kind| KindTotal {
            kind,
            total: items.iter().filter(|i| i.kind == kind).count() as u32,
        })
        .filter(|t| t.total > 0)
        .collect()
}

/// What the advisor did with an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum Mark {
    /// Done: gone for good (and, for a client, written in their timeline).
    Done,
    /// Not now: back on `until`.
    Snoozed {
        /// The day it comes back, `YYYY-MM-DD`.
        until: String,
    },
    /// Will not be done: gone for good.
    Skipped,
}

/// A stored `YYYY-MM-DD`, read without the general date parser (which accepts every way an
/// advisor types a date): the agenda reads hundreds of thousands of them. Anything else takes
/// the general way, with the same result and the same errors.
fn day_of(field: &str, text: &str) -> Result<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            if let Some(day) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(day);
            }
        }
    }
    parse_date(field, text)
}

/// A text column read in place, without a copy.
fn text<'r>(row: &'r rusqlite::Row, index: usize) -> Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
            .into()
    })
}

/// `day.to_string()` for the years the book holds, without the formatting machinery.
fn day_text(day: NaiveDate) -> String {
    let (y, m, d) = (day.year(), day.month(), day.day());
    if !(0..=9999).contains(&y) {
        return day.to_string();
    }
    let mut out = String::with_capacity(10);
    for (n, width) in [(y as u32, 4), (m, 2), (d, 2)] {
        if width == 2 {
            out.push('-');
        }
        for k in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
        }
    }
    out
}

fn base(id: String, kind: ItemKind, due: NaiveDate, from: NaiveDate) -> AgendaItem {
    let days_overdue = (from - due).num_days().max(0) as u32;
    AgendaItem {
        id,
        kind,
        client_id: None,
        client_name: None,
        tier: None,
        due: day_text(due),
        overdue: due < from,
        days_overdue,
        reason: String::new(),
        reason_en: String::new(),
        salon_id: None,
        salon_title: None,
        round: None,
        reminder: false,
        family_id: None,
        turns: None,
        lunar: false,
        audience: None,
        follow_up_id: None,
        contact_id: None,
    }
}

struct Marked {
    state: String,
    until: Option<NaiveDate>,
}

fn marks(conn: &Connection) -> Result<HashMap<String, Marked>> {
    let mut stmt = conn.prepare_cached("SELECT item_id, state, until FROM agenda_marks")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, state, until) = row?;
        let until = until.and_then(|u| parse_date("until", &u).ok());
        out.insert(id, Marked { state, until });
    }
    Ok(out)
}

/// The agenda of `days` days from `from`, as seen at `now` (the advisor's local time).
pub fn for_days(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Agenda> {
    agenda_of(book, from, days, now, cal, None)
}

/// The agenda, of every client or of one.
fn agenda_of(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
    only: Option<i64>,
) -> Result<Agenda> {
    let days = days.clamp(1, 62);
    let to = from + Duration::days(i64::from(days) - 1);
    let conn = book.conn();
    // Looking at another day than today: the plan is seen from the start of that day.
    let seen = if from == now.date() {
        now
    } else {
        from.and_hms_opt(0, 0, 0).unwrap_or(now)
    };
    let clients = Clients::read(conn, only)?;
    // Room for a big day up front: growing a vector of large items copies them again and again.
    let mut items = Vec::with_capacity(clients.rows.len() * 2 + 256);
    salon_calls(conn, &clients, from, to, seen, cal, &mut items)?;
    complaints(conn, &clients, from, to, &mut items)?;
    follow_ups(conn, &clients, from, to, &mut items)?;
    birthdays(conn, &clients, from, to, &mut items)?;
    festival_items(conn, &clients, from, to, &mut items)?;
    cadence_items(conn, &clients, from, to, &mut items)?;
    watch(&clients, from, &mut items);

    let marked = marks(conn)?;
    items.retain(|i| only.is_none() || i.client_id == only);
    items.retain(|i| match marked.get(&i.id) {
        None => true,
        Some(m) if m.state == "snoozed" => m.until.is_some_and(|u| u <= from),
        Some(_) => false,
    });
    // The order is total (ids are unique), so an unstable sort gives the same list, faster.
    items.sort_unstable_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.overdue.cmp(&a.overdue))
            .then(a.due.cmp(&b.due))
            .then(a.client_name.cmp(&b.client_name))
            .then(a.id.cmp(&b.id))
    });
    Ok(Agenda {
        from: from.to_string(),
        days,
        totals: totals(&items),
        items,
    })
}

/// What the agenda needs to know of a client.
struct ClientFacts {
    name: String,
    tier: Tier,
    stage: Stage,
    gender: Option<Gender>,
    starred: bool,
    /// The day of `created_at`, if it reads as one.
    since: Option<NaiveDate>,
    /// The day of `last_contact_at`.
    last_contact: Option<NaiveDate>,
    birthday: Option<String>,
    birthday_calendar: Option<Calendar>,
    birthday_leap: bool,
}

/// Every client, read in one pass over the table and shared by all kinds of items: joining
/// the table row by row (tens of thousands of follow-ups) or scanning it once per kind cost
/// far more than the items themselves on a big book.
struct Clients {
    /// By id, in id order.
    rows: Vec<(i64, ClientFacts)>,
    /// Where each id's row is (`u32::MAX`: none), when ids are dense enough for a table;
    /// tens of thousands of items look their client up.
    slots: Option<Vec<u32>>,
}

impl Clients {
    fn read(conn: &Connection, only: Option<i64>) -> Result<Clients> {
        // One client (its page) or all: `?1 IS NULL` keeps one statement for both.
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, tier, stage, gender, starred, created_at, last_contact_at,
                    birthday, birthday_calendar, birthday_leap
             FROM clients WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        )?;
        // Dates are read in place: no copy of the text is kept.
        let day = |v: rusqlite::types::ValueRef| -> Option<NaiveDate> {
            let text = v.as_str().ok()?;
            day_of("at", text.get(..10).unwrap_or("")).ok()
        };
        // Ids are handed out in order from 1: the highest one sizes the list without a count.
        let top: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM clients", [], |r| r.get(0))?;
        let wanted = if only.is_some() {
            1
        } else {
            usize::try_from(top).unwrap_or(0)
        };
        let mut rows = Vec::with_capacity(wanted.min(1 << 22));
        let read = stmt.query_map([only], |r| {
            Ok((
                r.get(0)?,
                ClientFacts {
                    name: r.get(1)?,
                    tier: r.get(2)?,
                    stage: r.get(3)?,
                    gender: r.get(4)?,
                    starred: r.get(5)?,
                    since: day(r.get_ref(6)?),
                    last_contact: day(r.get_ref(7)?),
                    birthday: r.get(8)?,
                    birthday_calendar: r.get(9)?,
                    birthday_leap: r.get(10)?,
                },
            ))
        })?;
        for row in read {
            rows.push(row?);
        }
        let slots = (top >= 0 && top as usize <= rows.len() * 4 + 4096).then(|| {
            let mut slots = vec![u32::MAX; top as usize + 1];
            for (k, (id, _)) in rows.iter().enumerate() {
                if let Ok(i) = usize::try_from(*id) {
                    slots[i] = k as u32;
                }
            }
            slots
        });
        Ok(Clients { rows, slots })
    }

    fn get(&self, id: i64) -> Option<&ClientFacts> {
        let k = match &self.slots {
            Some(slots) => {
                let k = *slots.get(usize::try_from(id).ok()?)?;
                (k != u32::MAX).then_some(k as usize)?
            }
            None => self.rows.binary_search_by_key(&id, |(i, _)| *i).ok()?,
        };
        Some(&self.rows[k].1)
    }
}

fn salon_calls(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    seen: NaiveDateTime,
    cal: &WorkCalendar,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    // Salons still ahead of the first day; their rounds fall at most a week (plus a holiday
    // shift) before them.
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM salons WHERE cancelled = 0 AND substr(start, 1, 10) >= ?1
         AND substr(start, 1, 10) <= ?2 ORDER BY start",
    )?;
    let ids: Vec<i64> = stmt
        .query_map(
            params![from.to_string(), (to + Duration::days(30)).to_string()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let salon = salons::get(conn, id)?;
        let plan = salons::plan(conn, &salon, seen, cal)?;
        for call in plan
            .calls
            .iter()
            .filter(|c| c.state == CallState::Pending && c.due <= to)
        {
            let client_id: i64 = call.invitee_id.parse().unwrap_or_default();
            let Some(client) = clients.get(client_id) else {
                continue;
            };
            let mut item = base(call.id.clone(), ItemKind::SalonCall, call.due, from);
            let reminder = call.kind == CallKind::Reminder;
            let days = call.round.days_before();
            let start = &salon.start;
            item.reason = if reminder {
                format!(
                    "提醒「{}」（{}）：已确认参加，提前 {} 天电话提醒",
                    salon.title, start, days
                )
            } else {
                format!(
                    "邀约「{}」（{}）：提前 {} 天电话邀约",
                    salon.title, start, days
                )
            };
            item.reason_en = if reminder {
                format!(
                    "Remind about “{}” ({}): confirmed, {}-day reminder call",
                    salon.title, start, days
                )
            } else {
                format!(
                    "Invite to “{}” ({}): {}-day invitation call",
                    salon.title, start, days
                )
            };
            item.client_id = Some(client_id);
            item.client_name = Some(client.name.clone());
            item.tier = Some(client.tier);
            item.salon_id = Some(salon.id);
            item.salon_title = Some(salon.title.clone());
            item.round = Some(format!("r{days}"));
            item.reminder = reminder;
            items.push(item);
        }
    }
    Ok(())
}

fn complaints(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    // The terms of the contacts_open_complaints index, so only open complaints are read.
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.client_id, k.response_due, k.summary FROM contacts k
         WHERE k.kind = 'complaint' AND k.resolved_at IS NULL AND k.response_due IS NOT NULL
           AND k.response_due <= ?1",
    )?;
    let mut rows = stmt.query([to.to_string()])?;
    while let Some(r) = rows.next()? {
        let client_id: i64 = r.get(1)?;
        let Some(client) = clients.get(client_id) else {
            continue;
        };
        let due = parse_date("response_due", &r.get::<_, String>(2)?)?;
        let summary: String = r.get(3)?;
        let short: String = summary.chars().take(30).collect();
        let mut item = base(
            format!("complaint/{}", r.get::<_, i64>(0)?),
            ItemKind::Complaint,
            due,
            from,
        );
        item.contact_id = Some(r.get(0)?);
        item.client_id = Some(client_id);
        item.client_name = Some(client.name.clone());
        item.tier = Some(client.tier);
        item.reason = format!("投诉答复期限：{short}");
        item.reason_en = format!("Complaint response due: {short}");
        items.push(item);
    }
    Ok(())
}

fn follow_ups(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    // Every column is in the follow_ups_open index: the table itself is not read.
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.client_id, f.due, f.title FROM follow_ups f
         WHERE f.done_at IS NULL AND f.due <= ?1",
    )?;
    let mut rows = stmt.query([to.to_string()])?;
    while let Some(r) = rows.next()? {
        let client_id: i64 = r.get(1)?;
        let Some(client) = clients.get(client_id) else {
            continue;
        };
        let due = day_of("due", text(r, 2)?)?;
        let title = text(r, 3)?;
        let mut item = base(
            format!("follow_up/{}", r.get::<_, i64>(0)?),
            ItemKind::FollowUp,
            due,
            from,
        );
        item.follow_up_id = Some(r.get(0)?);
        item.client_id = Some(client_id);
        item.client_name = Some(client.name.clone());
        item.tier = Some(client.tier);
        item.reason = format!("待办：{title}");
        item.reason_en = format!("Follow-up: {title}");
        items.push(item);
    }
    Ok(())
}

/// Birthdays celebrated from a week before `from` (a late greeting still counts) to `to`.
fn birthdays(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    let start = from - Duration::days(BIRTHDAY_GRACE_DAYS);
    // Narrow by the solar and lunar month-days the window holds; the rules then decide each
    // candidate exactly. The sets are a little wider than the rules: 29 February near the end
    // of February, a lunar 30th on the 29th that ends its month, a leap month's days by their
    // number whatever the leap choice.
    let mut solar_days = BTreeSet::new();
    let mut lunar_days = BTreeSet::new();
    let mut d = start;
    while d <= to {
        solar_days.insert(format!("{:02}-{:02}", d.month(), d.day()));
        if d.month() == 3 && d.day() == 1 || d.month() == 2 && d.day() == 28 {
            solar_days.insert("02-29".to_string());
        }
        if let Ok(l) = lunar::to_lunar(d) {
            lunar_days.insert(format!("{:02}-{:02}", l.month, l.day));
            let month_ends = lunar::to_lunar(d + Duration::days(1)).is_ok_and(|n| n.day == 1);
            if l.day == 29 && month_ends {
                lunar_days.insert(format!("{:02}-30", l.month));
            }
        }
        d += Duration::days(1);
    }
    // A family member's birthday names them; a client's does not.
    struct Candidate {
        client_id: i64,
        stored: Birthday,
        family: Option<(i64, String, String)>,
    }
    let mut candidates = Vec::new();
    // Clients from the facts already read, with the same test the family query makes below.
    for (id, c) in &clients.rows {
        let (Some(date), Some(calendar)) = (&c.birthday, c.birthday_calendar) else {
            continue;
        };
        let near = match calendar {
            Calendar::Solar => date.get(5..10).is_some_and(|md| solar_days.contains(md)),
            Calendar::Lunar => date.get(5..10).is_some_and(|md| lunar_days.contains(md)),
        };
        if near {
            candidates.push(Candidate {
                client_id: *id,
                stored: Birthday {
                    date: date.clone(),
                    calendar,
                    leap: c.birthday_leap,
                },
                family: None,
            });
        }
    }
    let in_list = |xs: Vec<String>| xs.join(",");
    let solar = in_list(solar_days.iter().map(|s| format!("'{s}'")).collect());
    let lunar = in_list(lunar_days.iter().map(|s| format!("'{s}'")).collect());
    let any = in_list(
        solar_days
            .union(&lunar_days)
            .map(|s| format!("'{s}'"))
            .collect(),
    );
    // The lists are built from dates above, never from input: safe to inline. The first test
    // is the one the family_birthday_days index answers.
    let family_sql = format!(
        "SELECT client_id, birthday, birthday_calendar, birthday_leap, id, name, relation
         FROM family_members WHERE birthday IS NOT NULL AND substr(birthday, 6, 5) IN ({any})
           AND ((birthday_calendar = 'solar' AND substr(birthday, 6, 5) IN ({solar}))
             OR (birthday_calendar = 'lunar' AND substr(birthday, 6, 5) IN ({lunar})))"
    );
    let mut stmt = conn.prepare(&family_sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        candidates.push(Candidate {
            client_id: r.get(0)?,
            stored: Birthday {
                date: r.get(1)?,
                calendar: r.get(2)?,
                leap: r.get(3)?,
            },
            family: Some((r.get(4)?, r.get(5)?, r.get(6)?)),
        });
    }
    let rules = BirthdayRules::default();
    for Candidate {
        client_id,
        stored,
        family,
    } in candidates
    {
        let Some(client) = clients.get(client_id) else {
            continue;
        };
        let Ok(next) = next_of(&stored, start, &rules) else {
            continue;
        };
        let day = parse_date("birthday", &next.date)?;
        if day > to {
            continue;
        }
        let client_name = client.name.clone();
        let family_id = family.as_ref().map(|f| f.0);
        let who = match family_id {
            Some(f) => format!("family/{f}"),
            None => format!("client/{client_id}"),
        };
        let mut item = base(
            format!("birthday/{who}/{}", day_text(day)),
            ItemKind::Birthday,
            day,
            from,
        );
        let lunar_note = if stored.calendar == Calendar::Lunar {
            "（农历）"
        } else {
            ""
        };
        let lunar_en = if stored.calendar == Calendar::Lunar {
            " (lunar)"
        } else {
            ""
        };
        match &family {
            Some((_, fname, relation)) => {
                let (rel_zh, rel_en) = relation_words(relation);
                item.reason = format!(
                    "{client_name}的{rel_zh}{fname} {} 岁生日{lunar_note}",
                    next.turns
                );
                item.reason_en = format!(
                    "{fname}, {client_name}'s {rel_en}, turns {}{lunar_en}",
                    next.turns
                );
            }
            None => {
                item.reason = format!("{client_name} {} 岁生日{lunar_note}", next.turns);
                item.reason_en = format!("{client_name} turns {}{lunar_en}", next.turns);
            }
        }
        item.client_id = Some(client_id);
        item.client_name = Some(client_name);
        item.tier = Some(client.tier);
        item.family_id = family_id;
        item.turns = Some(next.turns);
        item.lunar = stored.calendar == Calendar::Lunar;
        items.push(item);
    }
    Ok(())
}

fn relation_words(relation: &str) -> (&'static str, &'static str) {
    match relation {
        "spouse" => ("配偶", "spouse"),
        "child" => ("子女", "child"),
        "parent" => ("父母", "parent"),
        "sibling" => ("兄弟姐妹", "sibling"),
        _ => ("家人", "family member"),
    }
}

fn festival_items(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    for year in from.year()..=to.year() {
        for f in festivals::festivals(year)? {
            if f.date < from || f.date > to {
                continue;
            }
            let audience = audience_count(conn, clients, f.audience, f.date)?;
            let mut item = base(
                format!("festival/{}/{}", f.date, f.key),
                ItemKind::Festival,
                f.date,
                from,
            );
            let (who_zh, who_en) = match f.audience {
                Audience::Everyone => ("客户", "clients"),
                Audience::Women => ("女性客户", "female clients"),
                Audience::Elders => ("年长客户", "older clients"),
                Audience::Couples => ("有伴侣的客户", "clients with a partner"),
            };
            item.reason = format!("{}：向 {} 位{}送上节日问候", f.name, audience, who_zh);
            item.reason_en = format!("{}: greet {} {}", festival_en(f.key), audience, who_en);
            item.audience = Some(audience);
            items.push(item);
        }
    }
    Ok(())
}

fn festival_en(key: &str) -> String {
    match key {
        "new_year" => "New Year's Day".into(),
        "chu_xi" | "new_years_eve" => "Lunar New Year's Eve".into(),
        "spring_festival" => "Spring Festival".into(),
        "lantern" => "Lantern Festival".into(),
        "womens_day" => "Women's Day".into(),
        "labour_day" => "Labour Day".into(),
        "dragon_boat" => "Dragon Boat Festival".into(),
        "qixi" => "Qixi".into(),
        "mid_autumn" => "Mid-Autumn Festival".into(),
        "national_day" => "National Day".into(),
        "double_ninth" => "Double Ninth Festival".into(),
        "laba" => "Laba Festival".into(),
        other => other.replace('_', " "),
    }
}

/// How many clients a festival greeting suits (the same facts as `festivals::suits`: a recorded
/// gender, a recorded birthday old enough, a recorded spouse).
fn audience_count(
    conn: &Connection,
    clients: &Clients,
    audience: Audience,
    on: NaiveDate,
) -> Result<u32> {
    // Born on or before this day minus the elder age (lunar years are near enough to count the
    // audience; each greeting is still the advisor's choice).
    let elder_born_by = on
        .with_year(on.year() - DEFAULT_ELDER_AGE as i32)
        .unwrap_or(on)
        .to_string();
    let spouses: std::collections::HashSet<i64> = if audience == Audience::Couples {
        conn.prepare_cached(
            "SELECT DISTINCT client_id FROM family_members WHERE relation = 'spouse'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?
    } else {
        Default::default()
    };
    let suits = |id: i64, c: &ClientFacts| match audience {
        Audience::Everyone => true,
        Audience::Women => c.gender == Some(Gender::Female),
        // Stored birthdays are `YYYY-MM-DD` text: compared as text, as they sort.
        Audience::Elders => c
            .birthday
            .as_deref()
            .is_some_and(|b| b.get(..10).unwrap_or(b) <= elder_born_by.as_str()),
        Audience::Couples => spouses.contains(&id),
    };
    Ok(clients
        .rows
        .iter()
        .filter(|(id, c)| c.stage != Stage::Lost && suits(*id, c))
        .count() as u32)
}

fn cadence_items(
    conn: &Connection,
    clients: &Clients,
    from: NaiveDate,
    to: NaiveDate,
    items: &mut Vec<AgendaItem>,
) -> Result<()> {
    let settings = CadenceSettings::default();
    let mut states = Vec::with_capacity(clients.rows.len());
    // The last call (or visit) only matters for a client old enough to owe the monthly call;
    // every contact, calls included, is already in `last_contact_at`. A client never contacted
    // is asked too, in case the column lags behind.
    let mut needs_call = Vec::new();
    for (id, c) in &clients.rows {
        if matches!(c.stage, Stage::Lost | Stage::Prospect) {
            continue;
        }
        let Some(since) = c.since else {
            continue;
        };
        let last_contact = c.last_contact;
        let old_by = since + Duration::days(i64::from(settings.old_after_days));
        if settings.monthly_call && old_by <= to || last_contact.is_none() {
            needs_call.push(states.len());
        }
        states.push(ClientContactState {
            client_id: id.to_string(),
            tier: c.tier,
            client_since: since,
            last_contact,
            last_call: None,
        });
    }
    if !needs_call.is_empty() {
        let ids: Vec<i64> = needs_call
            .iter()
            .map(|&k| states[k].client_id.parse().unwrap_or_default())
            .collect();
        let calls = last_calls(conn, &ids)?;
        for (k, id) in needs_call.into_iter().zip(ids) {
            states[k].last_call = calls.get(&id).copied();
        }
    }
    let settings = CadenceSettings::default();
    for due in cadence::due_on(&states, to, &settings) {
        let id: i64 = due.client_id.parse().unwrap_or_default();
        let Some(client) = clients.get(id) else {
            continue;
        };
        let tier = &client.tier;
        let mut item = base(
            format!("cadence/{id}/{}", day_text(due.due_since)),
            ItemKind::Cadence,
            due.due_since,
            from,
        );
        let interval = settings.interval(*tier);
        match due.kind {
            DueKind::Contact => {
                item.reason = format!("按分层每 {interval} 天至少联系一次，已到期");
                item.reason_en =
                    format!("Due for contact: at least every {interval} days for this tier");
            }
            DueKind::Call => {
                item.reason = "老客户每月至少一次电话".to_string();
                item.reason_en = "Old client: at least one phone call a month".to_string();
            }
        }
        item.client_id = Some(id);
        item.client_name = Some(client.name.clone());
        item.tier = Some(*tier);
        items.push(item);
    }
    Ok(())
}

/// The day of each client's last phone call or visit (a visit beats a call), for `ids`: a
/// look-up each through the calls index when they are few, one pass over that index when many.
fn last_calls(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, NaiveDate>> {
    let day = |at: String| day_of("at", at.get(..10).unwrap_or("")).ok();
    let mut out = HashMap::new();
    if ids.len() < 2_000 {
        let mut stmt = conn.prepare_cached(
            "SELECT max(at) FROM contacts WHERE client_id = ?1 AND channel IN ('phone', 'visit')",
        )?;
        for &id in ids {
            let at: Option<String> = stmt.query_row([id], |r| r.get(0))?;
            if let Some(d) = at.and_then(day) {
                out.insert(id, d);
            }
        }
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT client_id, max(at) FROM contacts WHERE channel IN ('phone', 'visit')
             GROUP BY client_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(d) = day(r.get(1)?) {
                out.insert(r.get(0)?, d);
            }
        }
    }
    Ok(out)
}

fn watch(clients: &Clients, from: NaiveDate, items: &mut Vec<AgendaItem>) {
    let day = day_text(from);
    for (id, c) in clients.rows.iter().filter(|(_, c)| c.starred) {
        let mut item = base(format!("watch/{id}/{day}"), ItemKind::Watch, from, from);
        item.client_id = Some(*id);
        item.client_name = Some(c.name.clone());
        item.tier = Some(c.tier);
        item.reason = "星标客户：看看朋友圈和近况".to_string();
        item.reason_en = "Key client: look at their news and moments".to_string();
        items.push(item);
    }
}

/// The client an item is about, from its id alone.
fn client_of(conn: &Connection, item_id: &str) -> Result<Option<i64>> {
    let parts: Vec<&str> = item_id.split('/').collect();
    let num = |s: &str| {
        s.parse::<i64>()
            .map_err(|_| Error::invalid("item_id", "item_id_invalid"))
    };
    Ok(match parts.as_slice() {
        ["follow_up", id] => conn
            .query_row(
                "SELECT client_id FROM follow_ups WHERE id = ?1",
                [num(id)?],
                |r| r.get(0),
            )
            .optional()?,
        ["complaint", id] => conn
            .query_row(
                "SELECT client_id FROM contacts WHERE id = ?1",
                [num(id)?],
                |r| r.get(0),
            )
            .optional()?,
        ["birthday", "client", id, _] | ["cadence", id, _] | ["watch", id, _] => Some(num(id)?),
        ["birthday", "family", id, _] => conn
            .query_row(
                "SELECT client_id FROM family_members WHERE id = ?1",
                [num(id)?],
                |r| r.get(0),
            )
            .optional()?,
        ["festival", _, _] => None,
        [_, _, _] => Some(salons::parse_call_id(item_id)?.1),
        _ => return Err(Error::invalid("item_id", "item_id_invalid")),
    })
}

/// Mark an item done, snoozed (back on `until`) or skipped, on `on`. Done items about a client
/// land in their timeline (a call, a greeting); a done follow-up is ticked off too.
pub fn mark(
    book: &mut Book,
    item_id: &str,
    mark: &Mark,
    on: NaiveDate,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    let item_id = item_id.trim();
    let client = client_of(book.conn(), item_id)?;
    let (state, until) = match mark {
        Mark::Done => ("done", None),
        Mark::Skipped => ("skipped", None),
        Mark::Snoozed { until } => {
            let u = parse_date("until", until)?;
            if u <= on {
                return Err(Error::invalid("until", "snooze_not_after"));
            }
            ("snoozed", Some(u.to_string()))
        }
    };
    let note = crate::book::values::optional_text("note", &note.map(str::to_string), 2000)?;
    book.write(|tx| {
        if let Some(c) = client {
            crate::clients::require(tx, c)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO agenda_marks (item_id, client_id, state, until, marked_on)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![item_id, client, state, until, on.to_string()],
        )?;
        if *mark != Mark::Done {
            return Ok(());
        }
        if let Some(id) = item_id.strip_prefix("follow_up/") {
            tx.execute(
                "UPDATE follow_ups SET done_at = ?2 WHERE id = ?1 AND done_at IS NULL",
                params![id.parse::<i64>().unwrap_or_default(), format_datetime(now)],
            )?;
            return Ok(());
        }
        let (Some(client_id), Some(summary)) = (client, timeline_line(item_id)) else {
            return Ok(());
        };
        let mut summary = summary.to_string();
        if let Some(n) = &note {
            summary.push('：');
            summary.push_str(n);
        }
        crate::contacts::log_call(tx, client_id, summary, on, now)?;
        Ok(())
    })
}

/// What a done item writes in the client's timeline, or nothing (a look at a starred client's
/// news is not a contact).
fn timeline_line(item_id: &str) -> Option<&'static str> {
    let kind = item_id.split('/').next()?;
    Some(match kind {
        "birthday" => "今日待办：生日问候",
        "cadence" => "今日待办：例行联系",
        "complaint" => "今日待办：投诉答复",
        "watch" | "festival" => return None,
        _ => "今日待办：沙龙邀约电话",
    })
}

/// Take a mark back: the item shows again if it is still due.
pub fn unmark(book: &mut Book, item_id: &str) -> Result<()> {
    book.write(|tx| {
        tx.execute(
            "DELETE FROM agenda_marks WHERE item_id = ?1",
            [item_id.trim()],
        )?;
        Ok(())
    })
}

/// A client's coming items (next 30 days, and anything overdue), for the client page.
pub fn of_client(
    book: &Book,
    client_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Vec<AgendaItem>> {
    Ok(agenda_of(book, today, 30, now, cal, Some(client_id))?.items)
}
