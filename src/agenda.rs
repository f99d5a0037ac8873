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

use crate::book::values::{
    format_datetime, parse_date, parse_ymd, Birthday, Calendar, Stage, Tier,
};
use crate::book::Book;
use crate::rules::birthdays::{next_celebration, BirthdayRules};
use crate::rules::cadence::{self, CadenceSettings, DueKind};
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
    /// A holding matures soon: the moment money leaves for another bank.
    Maturity,
    /// A holding's value left its stop-profit / stop-loss band.
    Band,
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
    pub const ALL: [ItemKind; 9] = [
        ItemKind::SalonCall,
        ItemKind::Complaint,
        ItemKind::Maturity,
        ItemKind::Band,
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
    /// Maturities and bands: the holding.
    #[ts(type = "number | null")]
    pub holding_id: Option<i64>,
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
        holding_id: None,
    }
}

struct Marked {
    state: String,
    until: Option<NaiveDate>,
}

impl Marked {
    fn mark(&self) -> Mark {
        match self.state.as_str() {
            "done" => Mark::Done,
            "snoozed" => Mark::Snoozed {
                until: self.until.map(day_text).unwrap_or_default(),
            },
            _ => Mark::Skipped,
        }
    }
}

/// What the advisor did with items, by item id.
struct Handled(HashMap<String, Marked>);

impl Handled {
    fn read(conn: &Connection) -> Result<Handled> {
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
        Ok(Handled(out))
    }

    /// Off the agenda on `from`: done, skipped, or snoozed to a later day.
    fn hides(&self, id: &str, from: NaiveDate) -> bool {
        match self.0.get(id) {
            None => false,
            Some(m) if m.state == "snoozed" => m.until.is_none_or(|u| u > from),
            Some(_) => true,
        }
    }

    /// The ids of marks that may hide items, starting with `prefix`.
    fn hiding<'a>(&'a self, prefix: &'a str, from: NaiveDate) -> impl Iterator<Item = &'a str> {
        self.0
            .keys()
            .filter(move |id| id.starts_with(prefix) && self.hides(id, from))
            .map(String::as_str)
    }
}

/// The agenda of `days` days from `from`, as seen at `now` (the advisor's local time): every
/// item (the CLI's list).
pub fn for_days(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Agenda> {
    agenda_of(book, from, days, now, cal, Scope::everything())
}

/// The agenda as Today shows it: the first `per_kind` items of each kind (the most overdue
/// first) and how many there are of each. Only the items shown are written out, so a big
/// book's day costs its counting, not tens of thousands of lines nobody reads.
pub fn page(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
    per_kind: usize,
) -> Result<Agenda> {
    let scope = Scope {
        per_kind,
        ..Scope::everything()
    };
    agenda_of(book, from, days, now, cal, scope)
}

/// Every item of `days` days from `from` with what the advisor did with it, the items done,
/// skipped or snoozed included: a calendar given an item before must hear that it is done,
/// not lose it. Overdue items come too, as on the agenda.
pub fn with_marks(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Vec<(AgendaItem, Option<Mark>)>> {
    let scope = Scope {
        marked_too: true,
        ..Scope::everything()
    };
    let items = agenda_of(book, from, days, now, cal, scope)?.items;
    let handled = Handled::read(book.conn())?;
    Ok(items
        .into_iter()
        .map(|item| {
            let mark = handled.0.get(&item.id).map(Marked::mark);
            (item, mark)
        })
        .collect())
}

/// Which items an agenda holds.
struct Scope {
    /// One client's, or everyone's.
    only: Option<i64>,
    /// At most this many of each kind.
    per_kind: usize,
    /// The items the advisor marked too, which the agenda itself leaves out.
    marked_too: bool,
}

impl Scope {
    fn everything() -> Scope {
        Scope {
            only: None,
            per_kind: usize::MAX,
            marked_too: false,
        }
    }
}

/// An item before it is written out: enough to leave it out when handled, count and sort it.
struct Candidate {
    key: Key,
    due: NaiveDate,
    client_id: Option<i64>,
    detail: Detail,
}

/// A candidate's stable id, kept in parts: tens of thousands of ids are only ever compared
/// with the few marks the book holds, and only the items shown need one written out.
enum Key {
    FollowUp(i64),
    Cadence(i64, NaiveDate),
    Watch(i64, NaiveDate),
    Band(i64, NaiveDate),
    Maturity(i64, u32),
    Text(String),
}

impl Key {
    /// The id as marks and the advisor's tools know it.
    fn write(&self, out: &mut String) {
        use std::fmt::Write;
        out.clear();
        let _ = match self {
            Key::FollowUp(id) => write!(out, "follow_up/{id}"),
            Key::Cadence(id, day) => write!(out, "cadence/{id}/{}", day_text(*day)),
            Key::Watch(id, day) => write!(out, "watch/{id}/{}", day_text(*day)),
            Key::Band(id, day) => write!(out, "band/{id}/{}", day_text(*day)),
            Key::Maturity(id, days) => write!(out, "maturity/{id}/{days}"),
            Key::Text(text) => {
                out.push_str(text);
                Ok(())
            }
        };
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// What writes a candidate out: the kinds a big book has few of come written already.
enum Detail {
    Ready(Box<AgendaItem>),
    FollowUp { title: String },
    Cadence(DueKind),
    Birthday(Box<Celebrated>),
    Watch,
    Band(Box<crate::holdings::OutOfBand>),
    Maturity(std::rc::Rc<Maturing>),
}

/// Candidates by kind, in [`ItemKind::ALL`] order, and how many more were only counted.
struct Found {
    groups: [Vec<Candidate>; ItemKind::ALL.len()],
    uncounted: [usize; ItemKind::ALL.len()],
}

impl Found {
    fn push(&mut self, kind: ItemKind, candidate: Candidate) {
        self.groups[kind as usize].push(candidate);
    }

    fn ready(&mut self, item: AgendaItem, due: NaiveDate) {
        let kind = item.kind;
        let candidate = Candidate {
            key: Key::Text(item.id.clone()),
            due,
            client_id: item.client_id,
            detail: Detail::Ready(Box::new(item)),
        };
        self.push(kind, candidate);
    }
}

/// The agenda as `scope` asks: of every client or of one, `per_kind` items of each kind at most.
fn agenda_of(
    book: &Book,
    from: NaiveDate,
    days: u32,
    now: NaiveDateTime,
    cal: &WorkCalendar,
    scope: Scope,
) -> Result<Agenda> {
    let _together = book.one_read()?;
    let Scope {
        only,
        per_kind,
        marked_too,
    } = scope;
    let days = days.clamp(1, 62);
    let to = from + Duration::days(i64::from(days) - 1);
    let conn = book.conn();
    // Looking at another day than today: the plan is seen from the start of that day.
    let seen = if from == now.date() {
        now
    } else {
        from.and_hms_opt(0, 0, 0).unwrap_or(now)
    };
    // A page of everyone's agenda reads the clients of the items that can be on it; every
    // item, or one client's, reads its clients at once.
    let paged = only.is_none() && per_kind < usize::MAX;
    let mut clients = if paged {
        Clients::asked()
    } else {
        Clients::read(conn, only)?
    };
    // No marks read, none hide an item.
    let handled = if marked_too {
        Handled(HashMap::new())
    } else {
        Handled::read(conn)?
    };
    let mut found = Found {
        groups: Default::default(),
        uncounted: Default::default(),
    };
    salon_calls(conn, only, from, to, seen, cal, &mut found)?;
    complaints(conn, only, from, to, &mut found)?;
    maturities(conn, only, from, to, cal, &mut found)?;
    bands(conn, only, to, &mut found)?;
    // A page of everyone's agenda counts follow-ups, the cadence and the watch list in the
    // book instead of reading them all.
    let page = paged.then_some(per_kind);
    follow_ups(conn, only, from, to, &handled, page, &mut found)?;
    birthdays(conn, from, to, only, &mut found)?;
    festival_items(conn, from, to, &mut found)?;
    if paged {
        cadence_page(conn, from, to, &handled, per_kind, &mut found)?;
        watch_page(conn, from, &handled, per_kind, &mut found)?;
    } else {
        cadence_items(&clients, to, &mut found);
        watch(&clients, from, &mut found);
    }

    let mut id = String::new();
    let mut shown = |c: &Candidate| {
        if only.is_some() && c.client_id != only {
            return false;
        }
        if handled.0.is_empty() {
            return true;
        }
        c.key.write(&mut id);
        !handled.hides(&id, from)
    };
    // Overdue first, then by day (overdue items are the earliest, so the day alone orders
    // both), then by name in pinyin order as the client list has it; ids are unique, so the
    // order is total. Each candidate carries its client's key while sorted: looking it up at
    // every comparison cost more than the rest.
    type Named<'a> = (Option<&'a str>, Candidate);
    let order = |a: &Named, b: &Named| {
        a.1.due
            .cmp(&b.1.due)
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| a.1.key.text().cmp(&b.1.key.text()))
    };
    let mut items = Vec::new();
    let mut totals = Vec::new();
    for ((kind, group), uncounted) in ItemKind::ALL
        .into_iter()
        .zip(found.groups)
        .zip(found.uncounted)
    {
        let mut group: Vec<Candidate> = group.into_iter().filter(|c| shown(c)).collect();
        let total = group.len() + uncounted;
        if total == 0 {
            continue;
        }
        totals.push(KindTotal {
            kind,
            total: total as u32,
        });
        if per_kind == 0 {
            continue;
        }
        // Only candidates due by the page's last day can be on it: their clients' names settle
        // that day's order.
        if per_kind < group.len() {
            let last_day = group
                .select_nth_unstable_by_key(per_kind - 1, |c| c.due)
                .1
                .due;
            group.retain(|c| c.due <= last_day);
        }
        clients.ask(conn, group.iter().filter_map(|c| c.client_id))?;
        let mut group: Vec<Named> = group
            .into_iter()
            .map(|c| {
                (
                    c.client_id
                        .and_then(|id| clients.get(id))
                        .map(|c| c.sort_key),
                    c,
                )
            })
            .collect();
        if per_kind < group.len() {
            group.select_nth_unstable_by(per_kind - 1, order);
            group.truncate(per_kind);
        }
        group.sort_unstable_by(order);
        items.extend(
            group
                .into_iter()
                .map(|(_, c)| written_out(kind, c, from, &clients)),
        );
    }
    Ok(Agenda {
        from: from.to_string(),
        days,
        items,
        totals,
    })
}

/// A candidate as the advisor reads it.
fn written_out(kind: ItemKind, c: Candidate, from: NaiveDate, clients: &Clients) -> AgendaItem {
    let client = c.client_id.and_then(|id| clients.get(id));
    let mut item = match c.detail {
        Detail::Ready(mut item) => {
            if let Some(client) = client {
                about(&mut item, client);
            }
            return *item;
        }
        _ => base(c.key.text(), kind, c.due, from),
    };
    if let Some(client) = client {
        about(&mut item, client);
    }
    match (c.detail, c.key) {
        (Detail::Maturity(h), Key::Maturity(_, days)) => {
            let amount = crate::book::values::yuan_text(h.amount_fen);
            let (product, maturity) = (&h.product, h.maturity);
            item.holding_id = Some(h.id);
            item.reason =
                format!("{product}（{amount} 元）{maturity} 到期，提前 {days} 天联系续作");
            item.reason_en =
                format!("{product} (¥{amount}) matures {maturity}: {days}-day call about renewing");
        }
        (Detail::FollowUp { title }, Key::FollowUp(id)) => {
            item.follow_up_id = Some(id);
            item.reason = format!("待办：{title}");
            item.reason_en = format!("Follow-up: {title}");
        }
        (Detail::Cadence(kind), _) => match kind {
            DueKind::Contact => {
                let tier = client.map_or(Tier::Mass, |c| c.facts.tier);
                let interval = CadenceSettings::default().interval(tier);
                item.reason = format!("按分层每 {interval} 天至少联系一次，已到期");
                item.reason_en =
                    format!("Due for contact: at least every {interval} days for this tier");
            }
            DueKind::Call => {
                item.reason = "老客户每月至少一次电话".to_string();
                item.reason_en = "Old client: at least one phone call a month".to_string();
            }
        },
        (Detail::Watch, _) => {
            item.reason = "星标客户：看看朋友圈和近况".to_string();
            item.reason_en = "Key client: look at their news and moments".to_string();
        }
        (Detail::Birthday(born), _) => {
            let client_name = client.map_or("", |c| c.name);
            let turns = born.turns;
            let (lunar_note, lunar_en) = if born.lunar {
                ("（农历）", " (lunar)")
            } else {
                ("", "")
            };
            match &born.family {
                Some((_, fname, relation)) => {
                    let (rel_zh, rel_en) = relation_words(relation);
                    item.reason =
                        format!("{client_name}的{rel_zh}{fname} {turns} 岁生日{lunar_note}");
                    item.reason_en =
                        format!("{fname}, {client_name}'s {rel_en}, turns {turns}{lunar_en}");
                }
                None => {
                    item.reason = format!("{client_name} {turns} 岁生日{lunar_note}");
                    item.reason_en = format!("{client_name} turns {turns}{lunar_en}");
                }
            }
            item.family_id = born.family.map(|f| f.0);
            item.turns = Some(turns);
            item.lunar = born.lunar;
        }
        (Detail::Band(band), _) => {
            let change = (band.value_fen - band.amount_fen) as f64 * 100.0 / band.amount_fen as f64;
            let (zh, en) = if band.above {
                ("止盈", "stop-profit")
            } else {
                ("止损", "stop-loss")
            };
            let (product, on) = (&band.product, &band.on);
            item.holding_id = Some(band.holding_id);
            item.reason = format!("{product}：{on} 市值较本金 {change:+.2}%，已触及{zh}线");
            item.reason_en = format!("{product}: value {change:+.2}% on {on}, past its {en} line");
        }
        _ => {}
    }
    item
}

/// Name the client an item is about.
fn about(item: &mut AgendaItem, client: Client) {
    item.client_id = Some(client.id);
    item.client_name = Some(client.name.to_string());
    item.tier = Some(client.facts.tier);
}

/// What the agenda needs to know of every client (birthdays and festival audiences are
/// asked of the book for the few days shown).
struct ClientFacts {
    tier: Tier,
    stage: Stage,
    starred: bool,
    /// The day of `created_at`, if it reads as one.
    since: Option<NaiveDate>,
    /// The day of `last_contact_at`.
    last_contact: Option<NaiveDate>,
    /// The day of `last_call_at`.
    last_call: Option<NaiveDate>,
    /// Where the name is in [`Clients::names`].
    name: std::ops::Range<u32>,
    /// Where the name's pinyin sort key is in [`Clients::names`].
    sort_key: std::ops::Range<u32>,
}

/// A client as the agenda sees it.
#[derive(Clone, Copy)]
struct Client<'a> {
    id: i64,
    name: &'a str,
    /// The name's pinyin key, as the client list sorts names.
    sort_key: &'a str,
    facts: &'a ClientFacts,
}

/// The clients the agenda names: every client, read in one pass over the narrow
/// `clients_agenda` index when every item is written out (joining the table row by row, tens of
/// thousands of follow-ups, or scanning it once per kind cost far more than the items
/// themselves on a big book); for a page of everyone's agenda, only the clients of the items
/// that can be on it, asked for together.
struct Clients {
    /// The rows read, each client once.
    rows: Vec<(i64, ClientFacts)>,
    /// Every name, one after the other: one string rather than a hundred thousand.
    names: String,
    /// How an id finds its row.
    index: Index,
}

/// How [`Clients`] finds a client's row.
enum Index {
    /// Where each id's row is (`u32::MAX`: none), when every client was read and ids are dense
    /// enough for a table; tens of thousands of items look their client up.
    Slots(Vec<u32>),
    /// Every client (or the one) was read, in id order.
    Sorted,
    /// Only the clients asked for so far.
    Asked(HashMap<i64, u32>),
}

/// The columns the agenda reads of a client: those of the clients_agenda index, so the table
/// itself is not read when every client is.
const CLIENT_COLUMNS: &str =
    "id, name, name_sort, tier, stage, starred, created_at, last_contact_at, last_call_at";

impl Clients {
    /// Every client, or the one `only` names.
    fn read(conn: &Connection, only: Option<i64>) -> Result<Clients> {
        let mut stmt = match only {
            None => {
                conn.prepare_cached(&format!("SELECT {CLIENT_COLUMNS} FROM clients ORDER BY id"))?
            }
            Some(_) => conn.prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1"
            ))?,
        };
        // Ids are handed out in order from 1: the highest one sizes the list without a count.
        let top: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM clients", [], |r| r.get(0))?;
        let wanted = if only.is_some() {
            1
        } else {
            usize::try_from(top).unwrap_or(0).min(1 << 22)
        };
        let mut clients = Clients {
            rows: Vec::with_capacity(wanted),
            names: String::with_capacity(wanted * 10),
            index: Index::Sorted,
        };
        let mut read = match only {
            None => stmt.query([])?,
            Some(id) => stmt.query([id])?,
        };
        while let Some(r) = read.next()? {
            clients.push(r)?;
        }
        let rows = &clients.rows;
        if only.is_none() && top >= 0 && top as usize <= rows.len() * 4 + 4096 {
            let mut slots = vec![u32::MAX; top as usize + 1];
            for (k, (id, _)) in rows.iter().enumerate() {
                if let Ok(i) = usize::try_from(*id) {
                    slots[i] = k as u32;
                }
            }
            clients.index = Index::Slots(slots);
        }
        Ok(clients)
    }

    /// None yet: [`Clients::ask`] reads them.
    fn asked() -> Clients {
        Clients {
            rows: Vec::new(),
            names: String::new(),
            index: Index::Asked(HashMap::new()),
        }
    }

    /// Read the clients of `ids` not read yet, in one statement. Clients read whole already
    /// hold every one.
    fn ask(&mut self, conn: &Connection, ids: impl Iterator<Item = i64>) -> Result<()> {
        let Index::Asked(known) = &self.index else {
            return Ok(());
        };
        let mut missing: Vec<i64> = ids.filter(|id| !known.contains_key(id)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort_unstable();
        missing.dedup();
        // The ids as a JSON array: one statement seeks them all in id order.
        let list = format!(
            "[{}]",
            missing
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id"
        ))?;
        let mut rows = stmt.query([list])?;
        while let Some(r) = rows.next()? {
            let id = self.push(r)?;
            if let Index::Asked(known) = &mut self.index {
                known.insert(id, (self.rows.len() - 1) as u32);
            }
        }
        Ok(())
    }

    /// Keep one row of [`CLIENT_COLUMNS`]; its id.
    fn push(&mut self, r: &rusqlite::Row) -> Result<i64> {
        // Dates are read in place: no copy of the text is kept.
        let day = |v: rusqlite::types::ValueRef| -> Option<NaiveDate> {
            let text = v.as_str().ok()?;
            day_of("at", text.get(..10).unwrap_or("")).ok()
        };
        let names = &mut self.names;
        let start = names.len() as u32;
        names.push_str(text(r, 1)?);
        let name = start..names.len() as u32;
        names.push_str(text(r, 2)?);
        let sort_key = name.end..names.len() as u32;
        let id = r.get(0)?;
        self.rows.push((
            id,
            ClientFacts {
                tier: r.get(3)?,
                stage: r.get(4)?,
                starred: r.get(5)?,
                since: day(r.get_ref(6)?),
                last_contact: day(r.get_ref(7)?),
                last_call: day(r.get_ref(8)?),
                name,
                sort_key,
            },
        ));
        Ok(id)
    }

    fn get(&self, id: i64) -> Option<Client<'_>> {
        let k = match &self.index {
            Index::Slots(slots) => {
                let k = *slots.get(usize::try_from(id).ok()?)?;
                (k != u32::MAX).then_some(k as usize)?
            }
            Index::Sorted => self.rows.binary_search_by_key(&id, |(i, _)| *i).ok()?,
            Index::Asked(known) => *known.get(&id)? as usize,
        };
        let (id, facts) = &self.rows[k];
        Some(self.client(*id, facts))
    }

    fn client<'a>(&'a self, id: i64, facts: &'a ClientFacts) -> Client<'a> {
        let range = |r: &std::ops::Range<u32>| r.start as usize..r.end as usize;
        Client {
            id,
            name: &self.names[range(&facts.name)],
            sort_key: &self.names[range(&facts.sort_key)],
            facts,
        }
    }
}

fn salon_calls(
    conn: &Connection,
    only: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    seen: NaiveDateTime,
    cal: &WorkCalendar,
    found: &mut Found,
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
            if only.is_some_and(|o| o != client_id) {
                continue;
            }
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
            item.salon_id = Some(salon.id);
            item.salon_title = Some(salon.title.clone());
            item.round = Some(format!("r{days}"));
            item.reminder = reminder;
            found.ready(item, call.due);
        }
    }
    Ok(())
}

fn complaints(
    conn: &Connection,
    only: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    found: &mut Found,
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
        if only.is_some_and(|o| o != client_id) {
            continue;
        }
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
        item.reason = format!("投诉答复期限：{short}");
        item.reason_en = format!("Complaint response due: {short}");
        found.ready(item, due);
    }
    Ok(())
}

/// Holdings maturing soon: one item for each notice day before the maturity (7 and 1 unless
/// the advisor set others), on the last working day on or before it, so a call lands on a day
/// the client can act; kept until the holding matures or the item is done.
fn maturities(
    conn: &Connection,
    only: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    cal: &WorkCalendar,
    found: &mut Found,
) -> Result<()> {
    let notices = crate::settings::maturity_notice_days_of(conn)?;
    let longest = notices.iter().copied().max().unwrap_or(0);
    // The terms of the holdings_maturing index: only what is still held here.
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.client_id, h.product, h.maturity, h.amount_fen FROM holdings h
         WHERE h.status = 'held' AND h.elsewhere = 0 AND h.maturity IS NOT NULL
           AND h.maturity >= ?1 AND h.maturity <= ?2",
    )?;
    // A weekend or a holiday can pull a notice up to about a fortnight earlier (春节).
    let reach = to + Duration::days(i64::from(longest) + 14);
    let mut rows = stmt.query(params![from.to_string(), reach.to_string()])?;
    while let Some(r) = rows.next()? {
        let client_id: i64 = r.get(1)?;
        if only.is_some_and(|o| o != client_id) {
            continue;
        }
        let maturity = day_of("maturity", text(r, 3)?)?;
        let due_of =
            |days: u32| cal.previous_working_day(maturity - Duration::days(i64::from(days)));
        if notices.iter().all(|&days| due_of(days) > to) {
            continue;
        }
        // Shared by its reminders and written out only when shown: a big book has thousands
        // a day.
        let holding = std::rc::Rc::new(Maturing {
            id: r.get(0)?,
            product: r.get(2)?,
            maturity,
            amount_fen: r.get(4)?,
        });
        for &days in &notices {
            let due = due_of(days);
            if due > to {
                continue;
            }
            let candidate = Candidate {
                key: Key::Maturity(holding.id, days),
                due,
                client_id: Some(client_id),
                detail: Detail::Maturity(holding.clone()),
            };
            found.push(ItemKind::Maturity, candidate);
        }
    }
    Ok(())
}

/// A holding maturing, as its reminders say.
struct Maturing {
    id: i64,
    product: String,
    maturity: NaiveDate,
    amount_fen: i64,
}

/// Holdings whose last value left their stop band, from the day of that value until done.
fn bands(conn: &Connection, only: Option<i64>, to: NaiveDate, found: &mut Found) -> Result<()> {
    for band in crate::holdings::out_of_band_by(conn, to)? {
        if only.is_some_and(|o| o != band.client_id) {
            continue;
        }
        let day = parse_date("on_day", &band.on)?;
        let candidate = Candidate {
            key: Key::Band(band.holding_id, day),
            due: day,
            client_id: Some(band.client_id),
            detail: Detail::Band(Box::new(band)),
        };
        found.push(ItemKind::Band, candidate);
    }
    Ok(())
}

/// Open follow-ups due by `to`. For a page of `per_kind` a kind, they are read in the order
/// of their day only until the page is full and its last day is complete (the order's ties
/// are then settled as for every kind), and the rest are counted by the book: a book in use for
/// years can hold tens of thousands of open follow-ups.
fn follow_ups(
    conn: &Connection,
    only: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    handled: &Handled,
    per_kind: Option<usize>,
    found: &mut Found,
) -> Result<()> {
    // Every column is in the follow_ups_open index, in the order of its day: the table itself
    // is not read, nor sorted.
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.client_id, f.due, f.title FROM follow_ups f
         WHERE f.done_at IS NULL AND f.due <= ?1 ORDER BY f.due",
    )?;
    let mut rows = stmt.query([to.to_string()])?;
    let mut id = String::new();
    let mut read = 0;
    let mut last_day = None;
    while let Some(r) = rows.next()? {
        let due = day_of("due", text(r, 2)?)?;
        let key = Key::FollowUp(r.get(0)?);
        if let Some(page) = per_kind {
            key.write(&mut id);
            if handled.hides(&id, from) {
                continue;
            }
            if read >= page && last_day != Some(due) {
                break;
            }
            read += 1;
            last_day = Some(due);
        }
        let client_id: i64 = r.get(1)?;
        if only.is_some_and(|o| o != client_id) {
            continue;
        }
        found.push(
            ItemKind::FollowUp,
            Candidate {
                key,
                due,
                client_id: Some(client_id),
                detail: Detail::FollowUp {
                    title: text(r, 3)?.to_string(),
                },
            },
        );
    }
    if per_kind.is_some() {
        let due_by = to.to_string();
        let open: i64 = conn
            .prepare_cached("SELECT count(*) FROM follow_ups WHERE done_at IS NULL AND due <= ?1")?
            .query_row([&due_by], |r| r.get(0))?;
        let mut is_open = conn.prepare_cached(
            "SELECT count(*) FROM follow_ups WHERE id = ?1 AND done_at IS NULL AND due <= ?2",
        )?;
        let mut hidden = 0;
        for item in handled.hiding("follow_up/", from) {
            if let Some(Ok(n)) = item.strip_prefix("follow_up/").map(str::parse::<i64>) {
                hidden += is_open.query_row(params![n, &due_by], |r| r.get::<_, i64>(0))?;
            }
        }
        let counted = usize::try_from(open - hidden).unwrap_or(0);
        found.uncounted[ItemKind::FollowUp as usize] = counted.saturating_sub(read);
    }
    Ok(())
}

/// Birthdays celebrated from a week before `from` (a late greeting still counts) to `to`.
fn birthdays(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    only: Option<i64>,
    found: &mut Found,
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
    struct Born {
        client_id: i64,
        stored: Birthday,
        family: Option<(i64, String, String)>,
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
    // is the one the birthday_days indexes answer; one client's page asks of that client only.
    let near = format!(
        "birthday IS NOT NULL AND substr(birthday, 6, 5) IN ({any})
           AND ((birthday_calendar = 'solar' AND substr(birthday, 6, 5) IN ({solar}))
             OR (birthday_calendar = 'lunar' AND substr(birthday, 6, 5) IN ({lunar})))"
    );
    let mut candidates = Vec::new();
    let (of_clients, of_family) = match only {
        None => ("", ""),
        Some(_) => (" AND id = ?1", " AND client_id = ?1"),
    };
    // Clients and family members in one pass; a family member's row names them.
    let mut stmt = conn.prepare(&format!(
        "SELECT id, birthday, birthday_calendar, birthday_leap, NULL, NULL, NULL FROM clients
         WHERE {near}{of_clients}
         UNION ALL
         SELECT client_id, birthday, birthday_calendar, birthday_leap, id, name, relation
         FROM family_members WHERE {near}{of_family}"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(only))?;
    while let Some(r) = rows.next()? {
        let member: Option<i64> = r.get(4)?;
        candidates.push(Born {
            client_id: r.get(0)?,
            stored: Birthday {
                date: r.get(1)?,
                calendar: r.get(2)?,
                leap: r.get(3)?,
            },
            family: match member {
                Some(id) => Some((id, r.get(5)?, r.get(6)?)),
                None => None,
            },
        });
    }
    let rules = BirthdayRules::default();
    // Everyone born on one month-day of a calendar celebrates on the same day: a big book's
    // thousands of candidates share a few dozen lunar conversions.
    type MonthDay = (Calendar, u32, u32, bool);
    let mut celebrations: HashMap<MonthDay, Option<(NaiveDate, i32)>> = HashMap::new();
    for Born {
        client_id,
        stored,
        family,
    } in candidates
    {
        let Ok((born, month, day)) = parse_ymd("birthday", &stored.date) else {
            continue;
        };
        let key = (stored.calendar, month, day, stored.leap);
        let next = *celebrations.entry(key).or_insert_with(|| {
            next_celebration(stored.calendar, month, day, stored.leap, start, &rules).ok()
        });
        let Some((day, celebrated_year)) = next else {
            continue;
        };
        if day > to {
            continue;
        }
        let who = match &family {
            Some((f, _, _)) => format!("family/{f}"),
            None => format!("client/{client_id}"),
        };
        found.push(
            ItemKind::Birthday,
            Candidate {
                key: Key::Text(format!("birthday/{who}/{}", day_text(day))),
                due: day,
                client_id: Some(client_id),
                detail: Detail::Birthday(Box::new(Celebrated {
                    turns: (celebrated_year - born).max(0) as u32,
                    lunar: stored.calendar == Calendar::Lunar,
                    family,
                })),
            },
        );
    }
    Ok(())
}

/// A birthday as its item says it; the client's name is written in when the item is shown.
struct Celebrated {
    /// The age turned.
    turns: u32,
    /// Kept in the lunar calendar.
    lunar: bool,
    /// A family member's id, name and relation; none for the client's own.
    family: Option<(i64, String, String)>,
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
    from: NaiveDate,
    to: NaiveDate,
    found: &mut Found,
) -> Result<()> {
    for year in from.year()..=to.year() {
        for f in festivals::festivals(year)? {
            if f.date < from || f.date > to {
                continue;
            }
            let audience = audience_count(conn, f.audience, f.date)?;
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
            found.ready(item, f.date);
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
/// gender, a recorded birthday old enough, a recorded spouse), lost clients left out.
fn audience_count(conn: &Connection, audience: Audience, on: NaiveDate) -> Result<u32> {
    // Born on or before this day minus the elder age (lunar years are near enough to count the
    // audience; each greeting is still the advisor's choice). Stored birthdays are
    // `YYYY-MM-DD` text: compared as text, as they sort.
    let elder_born_by = on
        .with_year(on.year() - DEFAULT_ELDER_AGE as i32)
        .unwrap_or(on)
        .to_string();
    let suits = match audience {
        Audience::Everyone => "1",
        Audience::Women => "c.gender = 'female'",
        Audience::Elders => "substr(c.birthday, 1, 10) <= ?1",
        Audience::Couples => {
            "EXISTS (SELECT 1 FROM family_members f
                     WHERE f.client_id = c.id AND f.relation = 'spouse')"
        }
    };
    let sql = format!("SELECT count(*) FROM clients c WHERE c.stage <> 'lost' AND {suits}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let n: i64 = if audience == Audience::Elders {
        stmt.query_row([elder_born_by], |r| r.get(0))?
    } else {
        stmt.query_row([], |r| r.get(0))?
    };
    Ok(n as u32)
}

fn cadence_items(clients: &Clients, to: NaiveDate, found: &mut Found) {
    let settings = CadenceSettings::default();
    for (id, c) in &clients.rows {
        if matches!(c.stage, Stage::Lost | Stage::Prospect) {
            continue;
        }
        let Some(since) = c.since else {
            continue;
        };
        let Some((kind, due)) =
            cadence::owed(c.tier, since, c.last_contact, c.last_call, to, &settings)
        else {
            continue;
        };
        found.push(
            ItemKind::Cadence,
            Candidate {
                key: Key::Cadence(*id, due),
                due,
                client_id: Some(*id),
                detail: Detail::Cadence(kind),
            },
        );
    }
}

fn watch(clients: &Clients, from: NaiveDate, found: &mut Found) {
    for (id, _) in clients.rows.iter().filter(|(_, c)| c.starred) {
        found.push(
            ItemKind::Watch,
            Candidate {
                key: Key::Watch(*id, from),
                due: from,
                client_id: Some(*id),
                detail: Detail::Watch,
            },
        );
    }
}

/// The cadence on a page of everyone's agenda: read from the clients_cadence index in the
/// order Today shows it (day, then name) only until the page is full and its last day and name
/// are complete (the order's ties are then settled as for every kind); the rest are counted
/// by the index. A book of years has tens of thousands of clients due.
fn cadence_page(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    handled: &Handled,
    per_kind: usize,
    found: &mut Found,
) -> Result<()> {
    // The terms of the clients_cadence index: the lost and prospects owe no contact.
    const DUE: &str = "stage NOT IN ('lost', 'prospect') AND cadence_due <= ?1";
    let due_by = to.to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, cadence_due, name_sort, cadence_call_due FROM clients
         WHERE {DUE} ORDER BY cadence_due, name_sort, id"
    ))?;
    let mut rows = stmt.query([&due_by])?;
    let mut id = String::new();
    let mut read = 0;
    let mut last: Option<(NaiveDate, String)> = None;
    while let Some(r) = rows.next()? {
        let client_id: i64 = r.get(0)?;
        let due = day_of("cadence_due", text(r, 1)?)?;
        let key = Key::Cadence(client_id, due);
        key.write(&mut id);
        if handled.hides(&id, from) {
            continue;
        }
        let name = text(r, 2)?;
        if read >= per_kind && last.as_ref().is_none_or(|(d, n)| *d != due || n != name) {
            break;
        }
        read += 1;
        last = Some((due, name.to_string()));
        // The monthly call settles the tier's contact too: a call is owed once its day came.
        let call_due = r.get_ref(3)?.as_str_or_null().ok().flatten();
        let kind = if call_due.is_some_and(|d| d <= due_by.as_str()) {
            DueKind::Call
        } else {
            DueKind::Contact
        };
        found.push(
            ItemKind::Cadence,
            Candidate {
                key,
                due,
                client_id: Some(client_id),
                detail: Detail::Cadence(kind),
            },
        );
    }
    let owing: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM clients WHERE {DUE}"))?
        .query_row([&due_by], |r| r.get(0))?;
    // A mark hides a client's item only while the client is due from the day it names.
    let mut still_due = conn.prepare_cached(&format!(
        "SELECT count(*) FROM clients WHERE {DUE} AND id = ?2 AND cadence_due = ?3"
    ))?;
    let mut hidden = 0;
    for item in handled.hiding("cadence/", from) {
        let mut parts = item.split('/').skip(1);
        if let (Some(Ok(client)), Some(day)) = (parts.next().map(str::parse::<i64>), parts.next()) {
            hidden += still_due.query_row(params![&due_by, client, day], |r| r.get::<_, i64>(0))?;
        }
    }
    let counted = usize::try_from(owing - hidden).unwrap_or(0);
    found.uncounted[ItemKind::Cadence as usize] = counted.saturating_sub(read);
    Ok(())
}

/// The watch list on a page of everyone's agenda: the starred clients in name order from the
/// clients_starred index, read only until the page is full and its last name complete, and
/// counted by that index.
fn watch_page(
    conn: &Connection,
    from: NaiveDate,
    handled: &Handled,
    per_kind: usize,
    found: &mut Found,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name_sort FROM clients WHERE starred = 1 ORDER BY name_sort, id",
    )?;
    let mut rows = stmt.query([])?;
    let mut id = String::new();
    let mut read = 0;
    let mut last: Option<String> = None;
    while let Some(r) = rows.next()? {
        let client_id: i64 = r.get(0)?;
        let key = Key::Watch(client_id, from);
        key.write(&mut id);
        if handled.hides(&id, from) {
            continue;
        }
        let name = text(r, 1)?;
        if read >= per_kind && last.as_deref() != Some(name) {
            break;
        }
        read += 1;
        last = Some(name.to_string());
        found.push(
            ItemKind::Watch,
            Candidate {
                key,
                due: from,
                client_id: Some(client_id),
                detail: Detail::Watch,
            },
        );
    }
    let starred: i64 = conn
        .prepare_cached("SELECT count(*) FROM clients WHERE starred = 1")?
        .query_row([], |r| r.get(0))?;
    let mut still_starred =
        conn.prepare_cached("SELECT count(*) FROM clients WHERE starred = 1 AND id = ?1")?;
    let today = format!("/{}", day_text(from));
    let mut hidden = 0;
    for item in handled.hiding("watch/", from) {
        let client = item
            .strip_prefix("watch/")
            .and_then(|rest| rest.strip_suffix(today.as_str()))
            .and_then(|n| n.parse::<i64>().ok());
        if let Some(client) = client {
            hidden += still_starred.query_row([client], |r| r.get::<_, i64>(0))?;
        }
    }
    let counted = usize::try_from(starred - hidden).unwrap_or(0);
    found.uncounted[ItemKind::Watch as usize] = counted.saturating_sub(read);
    Ok(())
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
        ["maturity", id, _] | ["band", id, _] => conn
            .query_row(
                "SELECT client_id FROM holdings WHERE id = ?1",
                [num(id)?],
                |r| r.get(0),
            )
            .optional()?,
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
        "maturity" => "今日待办：到期续作沟通",
        "band" => "今日待办：止盈止损提醒",
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
    let scope = Scope {
        only: Some(client_id),
        ..Scope::everything()
    };
    Ok(agenda_of(book, today, 30, now, cal, scope)?.items)
}
