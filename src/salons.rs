//! 沙龙: salons for a client segment, their invitees, the 7-3-1 call records and attendance.
//!
//! The book keeps only facts: the salon, who was put on the list and when, each call made with
//! its answer, and who came. The rounds themselves are never stored: `rules::invitations`
//! plans them again from these facts at any moment, so moving a salon moves the rounds still
//! ahead and keeps the calls already made, and a late invitee gets only the rounds left.
//! A call's id is `salon/client/r7|r3|r1` (the salon's and the client's ids never get reused).

use crate::book::values::{
    format_datetime, optional_text, parse_date, parse_datetime, required_text, Segment, Tier,
};
use crate::book::{stamp, Book};
use crate::rules::invitations::{
    self, CallKind, CallRecord, CallState, Event, InviteSettings, InviteWarning, Invitee, Plan,
    Response, Round, SkipReason,
};
use crate::rules::workdays::WorkCalendar;
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor fills in for a salon.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalonInput {
    /// Title (养老规划讲座).
    pub title: String,
    /// Theme (health, tea arts, tax policy …), free text.
    #[serde(default)]
    pub theme: Option<String>,
    /// The segments it is for.
    #[serde(default)]
    pub segments: Vec<Segment>,
    /// Start, `YYYY-MM-DD HH:MM` in the advisor's time.
    pub start: String,
    /// Venue.
    #[serde(default)]
    pub venue: Option<String>,
    /// Seats; none for no limit.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A salon as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Salon {
    /// Stable id (never reused).
    #[ts(type = "number")]
    pub id: i64,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: Option<String>,
    /// Segments it is for.
    pub segments: Vec<Segment>,
    /// Start, `YYYY-MM-DD HH:MM`.
    pub start: String,
    /// Venue.
    pub venue: Option<String>,
    /// Seats.
    pub capacity: Option<u32>,
    /// Notes.
    pub notes: Option<String>,
    /// Cancelled: no calls are planned any more.
    pub cancelled: bool,
}

/// How far a salon's invitations got: invited → reached → confirmed → came.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Funnel {
    /// On the list.
    pub invited: u32,
    /// Answered at least one call (anything but no answer).
    pub reached: u32,
    /// Latest answer is "confirmed".
    pub confirmed: u32,
    /// Came on the day.
    pub came: u32,
    /// Guests brought along by those who came.
    pub guests: u32,
}

/// The answer to an invitation call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "CallResponse")]
pub enum CallResponse {
    /// Nobody answered.
    NoAnswer,
    /// Will not come.
    Declined,
    /// Maybe.
    Tentative,
    /// Will come.
    Confirmed,
}

impl CallResponse {
    /// The word stored in the book.
    pub fn as_str(self) -> &'static str {
        match self {
            CallResponse::NoAnswer => "no_answer",
            CallResponse::Declined => "declined",
            CallResponse::Tentative => "tentative",
            CallResponse::Confirmed => "confirmed",
        }
    }

    /// Parse the stored word.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "no_answer" => CallResponse::NoAnswer,
            "declined" => CallResponse::Declined,
            "tentative" => CallResponse::Tentative,
            "confirmed" => CallResponse::Confirmed,
            _ => return None,
        })
    }

    pub(crate) fn rule(self) -> Response {
        match self {
            CallResponse::NoAnswer => Response::NoAnswer,
            CallResponse::Declined => Response::Declined,
            CallResponse::Tentative => Response::Tentative,
            CallResponse::Confirmed => Response::Confirmed,
        }
    }

    fn from_rule(r: Response) -> Self {
        match r {
            Response::NoAnswer => CallResponse::NoAnswer,
            Response::Declined => CallResponse::Declined,
            Response::Tentative => CallResponse::Tentative,
            Response::Confirmed => CallResponse::Confirmed,
        }
    }

    /// In Chinese, for the timeline.
    pub fn zh(self) -> &'static str {
        match self {
            CallResponse::NoAnswer => "未接通",
            CallResponse::Declined => "谢绝",
            CallResponse::Tentative => "待定",
            CallResponse::Confirmed => "确认参加",
        }
    }
}

/// One round of one invitee as the salon page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoundView {
    /// The call's stable id, `salon/client/r7`.
    pub call_id: String,
    /// `r7`, `r3` or `r1`.
    pub round: String,
    /// Invite or reminder.
    pub reminder: bool,
    /// Due day, `YYYY-MM-DD`.
    pub due: String,
    /// `done`, `pending`, `missed` or `skipped`.
    pub state: String,
    /// Done: the answer.
    pub response: Option<CallResponse>,
    /// Done: the day it was made.
    pub done_on: Option<String>,
    /// Done: the advisor's note.
    pub note: Option<String>,
    /// Skipped: why (`declined`, `confirmed`, `added_later`, `same_day_as_earlier_round`).
    pub skip_reason: Option<String>,
}

/// An invitee with their three rounds.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InviteeView {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Phone.
    pub phone: Option<String>,
    /// Family member coming along, by name.
    pub companion: Option<String>,
    /// Day put on the list.
    pub added_on: String,
    /// Latest answer.
    pub response: Option<CallResponse>,
    /// Came (true), no-show (false), not yet known (none).
    pub attended: Option<bool>,
    /// Guests brought.
    pub guests: u32,
    /// The rounds.
    pub rounds: Vec<RoundView>,
}

/// A warning about the salon (over capacity, full with invitations pending, added too late, a
/// call left on a day off).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalonWarning {
    /// `over_capacity`, `full`, `no_round_left` or `non_working_day`.
    pub kind: String,
    /// Confirmed guests (capacity warnings).
    pub confirmed: Option<u32>,
    /// Seats (capacity warnings).
    pub capacity: Option<u32>,
    /// The client added too late for any round, or whose call stays on a day off.
    #[ts(type = "number | null")]
    pub client_id: Option<i64>,
}

/// The salon page: the salon, its invitees and rounds, the funnel and warnings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalonPage {
    /// The salon.
    pub salon: Salon,
    /// Invitees in the order they were added.
    pub invitees: Vec<InviteeView>,
    /// Invited → reached → confirmed → came.
    pub funnel: Funnel,
    /// What the advisor should know.
    pub warnings: Vec<SalonWarning>,
}

/// A line of the salon list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SalonRow {
    /// The salon.
    pub salon: Salon,
    /// Its funnel.
    pub funnel: Funnel,
}

/// A client suggested for a salon.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Suggestion {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Their segments.
    pub segments: Vec<Segment>,
}

/// The book's 7-3-1 settings: calls due on a weekend or holiday move to the working day before.
pub const SETTINGS: InviteSettings = InviteSettings {
    avoid_non_working_days: true,
};

struct Clean {
    title: String,
    theme: Option<String>,
    start: NaiveDateTime,
    venue: Option<String>,
    notes: Option<String>,
}

fn clean(input: &SalonInput) -> Result<Clean> {
    if input.capacity == Some(0) {
        return Err(Error::invalid("capacity", "capacity_zero"));
    }
    Ok(Clean {
        title: required_text("title", &input.title, 200)?,
        theme: optional_text("theme", &input.theme, 200)?,
        start: parse_datetime("start", &input.start)?,
        venue: optional_text("venue", &input.venue, 200)?,
        notes: optional_text("notes", &input.notes, 5000)?,
    })
}

fn segments_text(segments: &[Segment]) -> String {
    let mut words: Vec<&str> = segments.iter().map(|s| s.as_str()).collect();
    words.sort_unstable();
    words.dedup();
    words.join(",")
}

/// Create a salon.
pub fn create(book: &mut Book, input: &SalonInput) -> Result<Salon> {
    let c = clean(input)?;
    let id = book.write(|tx| {
        let now = stamp(tx)?;
        tx.execute(
            "INSERT INTO salons (title, theme, segments, start, venue, capacity, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![c.title, c.theme, segments_text(&input.segments), format_datetime(c.start),
                    c.venue, input.capacity, c.notes, now],
        )?;
        Ok(tx.last_insert_rowid())
    })?;
    get(book.conn(), id)
}

/// Save an edited salon (moving its start moves the rounds still ahead).
pub fn update(book: &mut Book, id: i64, input: &SalonInput) -> Result<Salon> {
    let c = clean(input)?;
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE salons SET title = ?2, theme = ?3, segments = ?4, start = ?5, venue = ?6,
             capacity = ?7, notes = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                id,
                c.title,
                c.theme,
                segments_text(&input.segments),
                format_datetime(c.start),
                c.venue,
                input.capacity,
                c.notes,
                stamp(tx)?
            ],
        )?;
        if n == 0 {
            return Err(Error::not_found("salon"));
        }
        Ok(())
    })?;
    get(book.conn(), id)
}

/// Move a salon to a new start; calls already made are kept as they were.
pub fn move_to(book: &mut Book, id: i64, start: &str) -> Result<Salon> {
    let start = parse_datetime("start", start)?;
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE salons SET start = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, format_datetime(start), stamp(tx)?],
        )?;
        if n == 0 {
            return Err(Error::not_found("salon"));
        }
        Ok(())
    })?;
    get(book.conn(), id)
}

/// Cancel a salon (or take the cancellation back): a cancelled salon has no pending calls.
pub fn set_cancelled(book: &mut Book, id: i64, cancelled: bool) -> Result<Salon> {
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE salons SET cancelled = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, cancelled, stamp(tx)?],
        )?;
        if n == 0 {
            return Err(Error::not_found("salon"));
        }
        Ok(())
    })?;
    get(book.conn(), id)
}

/// Delete a salon with its list and call records.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM salons WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("salon"));
        }
        Ok(())
    })
}

const SALON_COLUMNS: &str = "id, title, theme, segments, start, venue, capacity, notes, cancelled";

fn salon_from_row(r: &rusqlite::Row) -> rusqlite::Result<Salon> {
    let segments: String = r.get(3)?;
    Ok(Salon {
        id: r.get(0)?,
        title: r.get(1)?,
        theme: r.get(2)?,
        segments: segments.split(',').filter_map(Segment::parse).collect(),
        start: r.get(4)?,
        venue: r.get(5)?,
        capacity: r.get(6)?,
        notes: r.get(7)?,
        cancelled: r.get(8)?,
    })
}

/// One salon.
pub fn get(conn: &Connection, id: i64) -> Result<Salon> {
    conn.query_row(
        &format!("SELECT {SALON_COLUMNS} FROM salons WHERE id = ?1"),
        [id],
        salon_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("salon"))
}

/// Put clients on a salon's list on `on` (the day counts for the rounds: a late invitee gets
/// only the rounds still ahead). Clients already on the list keep their day.
pub fn invite(book: &mut Book, salon_id: i64, clients: &[i64], on: NaiveDate) -> Result<u32> {
    book.write(|tx| {
        get(tx, salon_id)?;
        let mut added = 0;
        for &c in clients {
            crate::clients::require(tx, c)?;
            added += tx.execute(
                "INSERT OR IGNORE INTO salon_invitees (salon_id, client_id, added_on) VALUES (?1, ?2, ?3)",
                params![salon_id, c, on.to_string()],
            )? as u32;
        }
        Ok(added)
    })
}

/// Take a client off a salon's list, with their call records.
pub fn uninvite(book: &mut Book, salon_id: i64, client_id: i64) -> Result<()> {
    book.write(|tx| {
        get(tx, salon_id)?;
        let n = tx.execute(
            "DELETE FROM salon_invitees WHERE salon_id = ?1 AND client_id = ?2",
            params![salon_id, client_id],
        )?;
        if n == 0 {
            return Err(Error::not_found("invitee"));
        }
        Ok(())
    })
}

/// Set (or clear) the family member who comes along.
pub fn set_companion(
    book: &mut Book,
    salon_id: i64,
    client_id: i64,
    family_id: Option<i64>,
) -> Result<()> {
    book.write(|tx| {
        if let Some(f) = family_id {
            let owner: Option<i64> = tx
                .query_row(
                    "SELECT client_id FROM family_members WHERE id = ?1",
                    [f],
                    |r| r.get(0),
                )
                .optional()?;
            if owner != Some(client_id) {
                return Err(Error::invalid("family_id", "not_this_clients_family"));
            }
        }
        let n = tx.execute(
            "UPDATE salon_invitees SET family_id = ?3 WHERE salon_id = ?1 AND client_id = ?2",
            params![salon_id, client_id, family_id],
        )?;
        if n == 0 {
            return Err(Error::not_found("invitee"));
        }
        Ok(())
    })
}

/// The parts of a call id: salon, client, round.
pub fn parse_call_id(call_id: &str) -> Result<(i64, i64, Round)> {
    let bad = || Error::invalid_with("call_id", "call_id_invalid", "SALON/CLIENT/r7|r3|r1");
    let mut parts = call_id.trim().split('/');
    let (Some(s), Some(c), Some(r), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let round = match r {
        "r7" => Round::Seven,
        "r3" => Round::Three,
        "r1" => Round::One,
        _ => return Err(bad()),
    };
    Ok((
        s.parse().map_err(|_| bad())?,
        c.parse().map_err(|_| bad())?,
        round,
    ))
}

/// The line a call of the rounds writes in the client's timeline.
pub(crate) fn call_summary(
    title: &str,
    round: Round,
    response: CallResponse,
    note: Option<&str>,
) -> String {
    let mut summary = format!(
        "沙龙邀约「{title}」（提前 {} 天）：{}",
        round.days_before(),
        response.zh()
    );
    if let Some(n) = note {
        summary.push('。');
        summary.push_str(n);
    }
    summary
}

/// Record a call of the 7-3-1 rounds: the answer, the day, a note; it also lands in the client's
/// timeline as a phone contact. Recording the same call again replaces its record.
pub fn record_call(
    book: &mut Book,
    call_id: &str,
    response: CallResponse,
    on: NaiveDate,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    let (salon_id, client_id, round) = parse_call_id(call_id)?;
    if on > now.date() {
        return Err(Error::invalid("on", "date_in_future"));
    }
    let note = optional_text("note", &note.map(str::to_string), 2000)?;
    let salon = get(book.conn(), salon_id)?;
    book.write(|tx| {
        let on_list: bool = tx
            .query_row(
                "SELECT 1 FROM salon_invitees WHERE salon_id = ?1 AND client_id = ?2",
                params![salon_id, client_id],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if !on_list {
            return Err(Error::not_found("invitee"));
        }
        tx.execute(
            "INSERT OR REPLACE INTO salon_calls (call_id, salon_id, client_id, response, done_on, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![call_id.trim(), salon_id, client_id, response.as_str(), on.to_string(), note],
        )?;
        let summary = call_summary(&salon.title, round, response, note.as_deref());
        crate::contacts::log_call(tx, client_id, summary, on, now)?;
        Ok(())
    })
}

/// After the event: did the client come, and with how many guests.
pub fn attend(
    book: &mut Book,
    salon_id: i64,
    client_id: i64,
    came: bool,
    guests: u32,
) -> Result<()> {
    book.write(|tx| {
        // A salon that does not exist is named as such, not as a missing invitee.
        get(tx, salon_id)?;
        let n = tx.execute(
            "UPDATE salon_invitees SET attended = ?3, guests = ?4 WHERE salon_id = ?1 AND client_id = ?2",
            params![salon_id, client_id, came, if came { guests } else { 0 }],
        )?;
        if n == 0 {
            return Err(Error::not_found("invitee"));
        }
        Ok(())
    })
}

struct Row {
    client_id: i64,
    name: String,
    tier: Tier,
    phone: Option<String>,
    companion: Option<String>,
    added_on: NaiveDate,
    attended: Option<bool>,
    guests: u32,
}

fn invitee_rows(conn: &Connection, salon_id: i64) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.client_id, c.name, c.tier, c.phone, f.name, i.added_on, i.attended, i.guests
         FROM salon_invitees i JOIN clients c ON c.id = i.client_id
         LEFT JOIN family_members f ON f.id = i.family_id
         WHERE i.salon_id = ?1 ORDER BY i.added_on, c.name_sort, i.client_id",
    )?;
    let rows = stmt.query_map([salon_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Tier>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<bool>>(6)?,
            r.get::<_, u32>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (client_id, name, tier, phone, companion, added_on, attended, guests) = row?;
        out.push(Row {
            client_id,
            name,
            tier,
            phone,
            companion,
            added_on: parse_date("added_on", &added_on)?,
            attended,
            guests,
        });
    }
    Ok(out)
}

struct CallNote {
    record: CallRecord,
    note: Option<String>,
}

fn call_records(conn: &Connection, salon_id: i64) -> Result<Vec<CallNote>> {
    let mut stmt = conn.prepare_cached(
        "SELECT call_id, response, done_on, note FROM salon_calls WHERE salon_id = ?1",
    )?;
    let rows = stmt.query_map([salon_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (call_id, response, done_on, note) = row?;
        let response = CallResponse::parse(&response)
            .ok_or_else(|| Error::invalid("response", "response_invalid"))?;
        out.push(CallNote {
            record: CallRecord {
                call_id,
                done_on: parse_date("done_on", &done_on)?,
                response: response.rule(),
            },
            note,
        });
    }
    Ok(out)
}

/// The 7-3-1 plan of a salon at `now`, from what the book holds; a cancelled salon plans no
/// calls.
pub fn plan(
    conn: &Connection,
    salon: &Salon,
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Plan> {
    if salon.cancelled {
        return Ok(Plan {
            calls: vec![],
            confirmed: 0,
            warnings: vec![],
        });
    }
    let rows = invitee_rows(conn, salon.id)?;
    let records = call_records(conn, salon.id)?;
    plan_of(salon, &rows, &records, now, cal)
}

fn plan_of(
    salon: &Salon,
    rows: &[Row],
    records: &[CallNote],
    now: NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<Plan> {
    let event = Event {
        id: salon.id.to_string(),
        start: parse_datetime("start", &salon.start)?,
        capacity: salon.capacity,
    };
    let invitees: Vec<Invitee> = rows
        .iter()
        .map(|r| Invitee {
            id: r.client_id.to_string(),
            added_on: r.added_on,
        })
        .collect();
    let records: Vec<CallRecord> = records.iter().map(|c| c.record.clone()).collect();
    invitations::plan(&event, &invitees, &records, now, &SETTINGS, cal)
}

fn funnel_of(rows: &[Row], records: &[CallNote]) -> Funnel {
    let mut f = Funnel {
        invited: rows.len() as u32,
        ..Funnel::default()
    };
    for r in rows {
        let prefix = format!("/{}/r", r.client_id);
        let mine: Vec<&CallNote> = records
            .iter()
            .filter(|c| c.record.call_id.contains(&prefix))
            .collect();
        if mine.iter().any(|c| c.record.response != Response::NoAnswer) || r.attended == Some(true)
        {
            f.reached += 1;
        }
        if latest(&mine) == Some(Response::Confirmed) {
            f.confirmed += 1;
        }
        if r.attended == Some(true) {
            f.came += 1;
            f.guests += r.guests;
        }
    }
    f
}

/// The answer of the latest round called (r1 after r3 after r7).
fn latest(calls: &[&CallNote]) -> Option<Response> {
    calls
        .iter()
        .max_by_key(|c| {
            (
                c.record.done_on,
                std::cmp::Reverse(c.record.call_id.clone()),
            )
        })
        .map(|c| c.record.response)
}

/// The salon page at `now`.
pub fn page(book: &Book, id: i64, now: NaiveDateTime, cal: &WorkCalendar) -> Result<SalonPage> {
    let conn = book.conn();
    let salon = get(conn, id)?;
    let rows = invitee_rows(conn, id)?;
    let records = call_records(conn, id)?;
    // A cancelled salon plans no calls, but its rounds keep the days they had (moved off days
    // off), so the calls made read against the right day.
    let schedule = plan_of(&salon, &rows, &records, now, cal)?;
    let plan = (!salon.cancelled).then_some(&schedule);
    let mut invitees = Vec::new();
    for r in &rows {
        let prefix = format!("{}/{}/r", id, r.client_id);
        let mine: Vec<&CallNote> = records
            .iter()
            .filter(|c| c.record.call_id.starts_with(&prefix))
            .collect();
        let rounds = Round::ALL
            .iter()
            .map(|&round| {
                let call_id =
                    invitations::call_id(&id.to_string(), &r.client_id.to_string(), round);
                let planned = plan.and_then(|p| p.calls.iter().find(|c| c.id == call_id));
                let due = schedule
                    .calls
                    .iter()
                    .find(|c| c.id == call_id)
                    .map(|c| c.due);
                let note = mine
                    .iter()
                    .find(|c| c.record.call_id == call_id)
                    .and_then(|c| c.note.clone());
                round_view(&call_id, round, planned, due, &mine, note)
            })
            .collect();
        invitees.push(InviteeView {
            client_id: r.client_id,
            name: r.name.clone(),
            tier: r.tier,
            phone: r.phone.clone(),
            companion: r.companion.clone(),
            added_on: r.added_on.to_string(),
            response: latest(&mine).map(CallResponse::from_rule),
            attended: r.attended,
            guests: r.guests,
            rounds,
        });
    }
    let warnings = plan
        .map(|p| p.warnings.iter().filter_map(warning_view).collect())
        .unwrap_or_default();
    Ok(SalonPage {
        funnel: funnel_of(&rows, &records),
        salon,
        invitees,
        warnings,
    })
}

fn round_view(
    call_id: &str,
    round: Round,
    planned: Option<&invitations::PlannedCall>,
    due: Option<NaiveDate>,
    mine: &[&CallNote],
    note: Option<String>,
) -> RoundView {
    let record = mine.iter().find(|c| c.record.call_id == call_id);
    let (state, skip_reason) = match planned.map(|p| p.state) {
        Some(CallState::Done { .. }) => ("done", None),
        Some(CallState::Pending) => ("pending", None),
        Some(CallState::Missed) => ("missed", None),
        Some(CallState::Skipped { reason }) => ("skipped", Some(skip_text(reason))),
        None if record.is_some() => ("done", None),
        None => ("skipped", Some("cancelled")),
    };
    RoundView {
        call_id: call_id.to_string(),
        round: format!("r{}", round.days_before()),
        reminder: planned
            .map(|p| p.kind == CallKind::Reminder)
            .unwrap_or(false),
        due: due.map(|d| d.to_string()).unwrap_or_default(),
        state: state.to_string(),
        response: record.map(|c| CallResponse::from_rule(c.record.response)),
        done_on: record.map(|c| c.record.done_on.to_string()),
        note,
        skip_reason: skip_reason.map(str::to_string),
    }
}

fn skip_text(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::Declined => "declined",
        SkipReason::Confirmed => "confirmed",
        SkipReason::AddedLater => "added_later",
        SkipReason::SameDayAsEarlierRound => "same_day_as_earlier_round",
    }
}

fn warning_view(w: &InviteWarning) -> Option<SalonWarning> {
    Some(match w {
        InviteWarning::OverCapacity {
            confirmed,
            capacity,
        } => SalonWarning {
            kind: "over_capacity".into(),
            confirmed: Some(*confirmed),
            capacity: Some(*capacity),
            client_id: None,
        },
        InviteWarning::Full { capacity, .. } => SalonWarning {
            kind: "full".into(),
            confirmed: None,
            capacity: Some(*capacity),
            client_id: None,
        },
        InviteWarning::NoRoundLeft { invitee_id } => SalonWarning {
            kind: "no_round_left".into(),
            confirmed: None,
            capacity: None,
            client_id: invitee_id.parse().ok(),
        },
        InviteWarning::NonWorkingDay { call_id, .. } => SalonWarning {
            kind: "non_working_day".into(),
            confirmed: None,
            capacity: None,
            client_id: parse_call_id(call_id).ok().map(|(_, c, _)| c),
        },
        InviteWarning::UnknownRecord { .. } => return None,
    })
}

/// Every salon, the coming ones first (soonest first), then past ones (latest first).
pub fn list(book: &Book, today: NaiveDate) -> Result<Vec<SalonRow>> {
    let conn = book.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SALON_COLUMNS} FROM salons
         ORDER BY (substr(start, 1, 10) < ?1), CASE WHEN substr(start, 1, 10) >= ?1 THEN start END,
                  start DESC"
    ))?;
    let salons = stmt
        .query_map([today.to_string()], salon_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for salon in salons {
        let rows = invitee_rows(conn, salon.id)?;
        let records = call_records(conn, salon.id)?;
        out.push(SalonRow {
            funnel: funnel_of(&rows, &records),
            salon,
        });
    }
    Ok(out)
}

/// The salons a client is on the list of, soonest first, with their answer so far.
pub fn of_client(book: &Book, client_id: i64) -> Result<Vec<(Salon, Option<CallResponse>)>> {
    let conn = book.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM salons s JOIN salon_invitees i ON i.salon_id = s.id
         WHERE i.client_id = ?1 ORDER BY s.start DESC",
        SALON_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let salons = stmt
        .query_map([client_id], salon_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for s in salons {
        let records = call_records(conn, s.id)?;
        let prefix = format!("{}/{}/r", s.id, client_id);
        let mine: Vec<&CallNote> = records
            .iter()
            .filter(|c| c.record.call_id.starts_with(&prefix))
            .collect();
        out.push((s, latest(&mine).map(CallResponse::from_rule)));
    }
    Ok(out)
}

/// Clients to invite: in the salon's segments (any client when it names none), highest tier
/// first, leaving out those already on the list and those who declined their last two salons.
pub fn suggestions(book: &Book, salon_id: i64, limit: usize) -> Result<Vec<Suggestion>> {
    let conn = book.conn();
    let salon = get(conn, salon_id)?;
    let segs: Vec<&str> = salon.segments.iter().map(|s| s.as_str()).collect();
    let seg_filter = if segs.is_empty() {
        String::new()
    } else {
        format!(
            "AND c.id IN (SELECT client_id FROM client_segments WHERE segment IN ({}))",
            segs.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    // Segment words come from the closed vocabulary above, never from input: safe to inline.
    let sql = format!(
        "SELECT c.id, c.name, c.tier,
                (SELECT group_concat(segment) FROM client_segments WHERE client_id = c.id)
         FROM clients c
         WHERE c.stage != 'lost'
           AND c.id NOT IN (SELECT client_id FROM salon_invitees WHERE salon_id = ?1)
           {seg_filter}
         ORDER BY CASE c.tier WHEN 'private' THEN 0 WHEN 'vip' THEN 1 WHEN 'high' THEN 2 ELSE 3 END,
                  c.starred DESC, c.name_sort, c.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([salon_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if declined_last_two(conn, id, salon_id)? {
            continue;
        }
        let segments: Option<String> = r.get(3)?;
        out.push(Suggestion {
            client_id: id,
            name: r.get(1)?,
            tier: r.get(2)?,
            segments: segments
                .unwrap_or_default()
                .split(',')
                .filter_map(Segment::parse)
                .collect(),
        });
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// Whether the client's latest answer was "declined" for each of the last two salons (other
/// than this one, not cancelled) they were invited to.
fn declined_last_two(conn: &Connection, client_id: i64, except: i64) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id FROM salons s JOIN salon_invitees i ON i.salon_id = s.id
         WHERE i.client_id = ?1 AND s.id != ?2 AND s.cancelled = 0
         ORDER BY s.start DESC LIMIT 2",
    )?;
    let last: Vec<i64> = stmt
        .query_map(params![client_id, except], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if last.len() < 2 {
        return Ok(false);
    }
    for s in last {
        let mut q = conn.prepare_cached(
            "SELECT response FROM salon_calls WHERE salon_id = ?1 AND client_id = ?2
             ORDER BY done_on DESC, call_id ASC LIMIT 1",
        )?;
        let answer: Option<String> = q
            .query_row(params![s, client_id], |r| r.get(0))
            .optional()?;
        if answer.as_deref() != Some("declined") {
            return Ok(false);
        }
    }
    Ok(true)
}
