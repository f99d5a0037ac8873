//! 沟通记录: every visit, call and message, the needs heard, follow-ups (待办) and complaints.

use crate::book::values::{
    format_datetime, optional_text, parse_date, parse_datetime, required_text, Channel, ContactKind,
};
use crate::book::{stamp, Book};
use crate::search;
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A follow-up to create with a contact.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUpInput {
    /// What to do.
    pub title: String,
    /// By when, `YYYY-MM-DD`.
    pub due: String,
}

/// What the advisor fills in when logging a contact.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactInput {
    /// When, `YYYY-MM-DD HH:MM` local time; left out or blank, the moment it is saved.
    #[serde(default)]
    pub at: Option<String>,
    /// How.
    pub channel: Channel,
    /// Plain note or complaint.
    #[serde(default = "note")]
    pub kind: ContactKind,
    /// What was said.
    pub summary: String,
    /// Needs heard (需求).
    #[serde(default)]
    pub needs: Option<String>,
    /// Follow-ups to create.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpInput>,
    /// Complaint: promised response date, `YYYY-MM-DD`.
    #[serde(default)]
    pub response_due: Option<String>,
    /// Complaint: how it was resolved.
    #[serde(default)]
    pub resolution: Option<String>,
    /// Complaint: when it was resolved, `YYYY-MM-DD`.
    #[serde(default)]
    pub resolved_at: Option<String>,
    /// Complaint: whether the client was satisfied with the resolution.
    #[serde(default)]
    pub satisfied: Option<bool>,
}

fn note() -> ContactKind {
    ContactKind::Note
}

/// A follow-up as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUp {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The contact it came from, if any.
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    /// What to do.
    pub title: String,
    /// By when.
    pub due: String,
    /// When ticked off, `YYYY-MM-DD HH:MM`.
    pub done_at: Option<String>,
}

/// A contact as stored, with its follow-ups.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// When.
    pub at: String,
    /// How.
    pub channel: Channel,
    /// Note or complaint.
    pub kind: ContactKind,
    /// What was said.
    pub summary: String,
    /// Needs heard.
    pub needs: Option<String>,
    /// Complaint: promised response date.
    pub response_due: Option<String>,
    /// Complaint: resolution.
    pub resolution: Option<String>,
    /// Complaint: resolved on.
    pub resolved_at: Option<String>,
    /// Complaint: satisfied.
    pub satisfied: Option<bool>,
    /// Follow-ups created with this contact.
    pub follow_ups: Vec<FollowUp>,
}

struct Clean {
    at: String,
    summary: String,
    needs: Option<String>,
    response_due: Option<String>,
    resolution: Option<String>,
    resolved_at: Option<String>,
    follow_ups: Vec<(String, String)>,
}

/// Check a contact as of `now`: a contact is something that happened (plans are follow-ups),
/// so it cannot be dated after today; a complaint's dates cannot come before the complaint.
/// Without a time it happened `now`: the advisor logs it as it ends.
fn clean(input: &ContactInput, now: NaiveDateTime) -> Result<Clean> {
    let today = now.date();
    let when = match input.at.as_deref().map(str::trim) {
        None | Some("") => now,
        Some(at) => parse_datetime("at", at)?,
    };
    if when.date() > today {
        return Err(Error::invalid("at", "date_in_future"));
    }
    let at = format_datetime(when);
    let summary = required_text("summary", &input.summary, 20000)?;
    let needs = optional_text("needs", &input.needs, 20000)?;
    let resolution = optional_text("resolution", &input.resolution, 20000)?;
    let complaint_only = |field: &str, v: &Option<String>| -> Result<Option<String>> {
        match optional_text(field, v, 20)? {
            Some(d) => {
                if input.kind != ContactKind::Complaint {
                    return Err(Error::invalid(field, "complaint_only"));
                }
                let date = parse_date(field, &d)?;
                if date < when.date() {
                    return Err(Error::invalid(field, "before_contact"));
                }
                Ok(Some(date.to_string()))
            }
            None => Ok(None),
        }
    };
    let response_due = complaint_only("response_due", &input.response_due)?;
    let resolved_at = complaint_only("resolved_at", &input.resolved_at)?;
    if resolved_at
        .as_deref()
        .is_some_and(|d| d > today.to_string().as_str())
    {
        return Err(Error::invalid("resolved_at", "date_in_future"));
    }
    if input.kind != ContactKind::Complaint && (resolution.is_some() || input.satisfied.is_some()) {
        return Err(Error::invalid("resolution", "complaint_only"));
    }
    let follow_ups = input
        .follow_ups
        .iter()
        .map(|f| {
            Ok((
                required_text("follow_up_title", &f.title, 500)?,
                parse_date("follow_up_due", &f.due)?.to_string(),
            ))
        })
        .collect::<Result<_>>()?;
    Ok(Clean {
        at,
        summary,
        needs,
        response_due,
        resolution,
        resolved_at,
        follow_ups,
    })
}

/// Log a contact with its follow-ups in one transaction; `now` is its time when none is given
/// and bounds its date.
pub fn add(
    book: &mut Book,
    client_id: i64,
    input: &ContactInput,
    now: NaiveDateTime,
) -> Result<Contact> {
    let c = clean(input, now)?;
    let id = book.write(|tx| insert(tx, client_id, input, &c, true))?;
    get(book.conn(), id)
}

/// Write a phone call made on `on` in the client's timeline, inside the caller's transaction:
/// a 7-3-1 call recorded, an agenda item done. A call made today gets the moment of saving;
/// one entered for an earlier day, noon of that day.
pub(crate) fn log_call(
    conn: &Connection,
    client_id: i64,
    summary: String,
    on: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    let at = if on == now.date() {
        now
    } else {
        on.and_hms_opt(12, 0, 0).unwrap_or(now)
    };
    let input = ContactInput {
        at: Some(format_datetime(at)),
        channel: Channel::Phone,
        kind: ContactKind::Note,
        summary,
        needs: None,
        follow_ups: vec![],
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    };
    insert(conn, client_id, &input, &clean(&input, now)?, true)
}

/// One of many contacts from the demo generator, checked and its search entry made away from
/// the book (on a thread of its own), ready for [`insert_prepared`]. The generator builds valid
/// input by construction.
pub(crate) struct Prepared {
    client_id: i64,
    input: ContactInput,
    clean: Clean,
    entry: search::ContactEntry,
}

impl Prepared {
    /// `input` for the client `client_id`, checked as of `now`, whose stored name and phone
    /// are `name` and `phone`: the entry holds the same text as one the book would index.
    pub(crate) fn new(
        client_id: i64,
        input: ContactInput,
        now: NaiveDateTime,
        name: &str,
        phone: Option<&str>,
    ) -> Result<Prepared> {
        let clean = clean(&input, now)?;
        // The follow-ups as stored, in the order they are written: the input's, then the one a
        // dissatisfied complaint opens.
        let titles = clean
            .follow_ups
            .iter()
            .map(|(title, _)| title.as_str())
            .chain(unhappy(&input).then_some(UNHAPPY_FOLLOW_UP))
            .collect::<Vec<_>>()
            .join(" ");
        let entry = search::ContactEntry::of(
            [
                clean.summary.as_str(),
                clean.needs.as_deref().unwrap_or(""),
                clean.resolution.as_deref().unwrap_or(""),
                &titles,
            ],
            name,
            phone,
        );
        Ok(Prepared {
            client_id,
            input,
            clean,
            entry,
        })
    }

    /// How many follow-ups the input opens.
    pub(crate) fn follow_ups(&self) -> u32 {
        self.input.follow_ups.len() as u32
    }
}

/// Write a [`Prepared`] contact and its entry inside the caller's transaction; each client's
/// newest contact and call are left for [`touch_every_last_contact`] to set once at the end.
pub(crate) fn insert_prepared(conn: &Connection, p: &Prepared) -> Result<i64> {
    let id = insert_rows(conn, p.client_id, &p.input, &p.clean)?;
    p.entry.write(conn, id)?;
    Ok(id)
}

/// Set every client's newest contact and call from the contacts, in one statement.
pub(crate) fn touch_every_last_contact(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE clients SET
           last_contact_at = (SELECT max(at) FROM contacts WHERE client_id = clients.id),
           last_call_at = (SELECT max(at) FROM contacts
                           WHERE client_id = clients.id AND channel IN ('phone', 'visit'))",
        [],
    )?;
    Ok(())
}

fn insert(
    conn: &Connection,
    client_id: i64,
    input: &ContactInput,
    c: &Clean,
    touch: bool,
) -> Result<i64> {
    let id = insert_rows(conn, client_id, input, c)?;
    search::index_new_contact(conn, id)?;
    if touch {
        touch_last_contact(conn, client_id)?;
    }
    Ok(id)
}

/// The contact's row and its follow-ups' rows, without its search entry.
fn insert_rows(conn: &Connection, client_id: i64, input: &ContactInput, c: &Clean) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    let now = stamp(conn)?;
    conn.prepare_cached(
        "INSERT INTO contacts (client_id, at, channel, kind, summary, needs, response_due, resolution,
         resolved_at, satisfied, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        client_id, c.at, input.channel, input.kind, c.summary, c.needs, c.response_due,
        c.resolution, c.resolved_at, input.satisfied, now
    ])?;
    let id = conn.last_insert_rowid();
    let mut add = conn.prepare_cached(
        "INSERT INTO follow_ups (client_id, contact_id, title, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (title, due) in &c.follow_ups {
        add.execute(params![client_id, id, title, due, now])?;
    }
    if unhappy(input) {
        unhappy_after_complaint(conn, client_id, id)?;
    }
    Ok(id)
}

/// A complaint the client was not satisfied with is not over.
fn unhappy(input: &ContactInput) -> bool {
    input.kind == ContactKind::Complaint && input.satisfied == Some(false)
}

/// The follow-up a dissatisfied complaint opens.
const UNHAPPY_FOLLOW_UP: &str = "投诉回访：客户对处理结果不满意，再次沟通并视情况上报";

/// A complaint the client was not satisfied with is not over: a follow-up to go back to them,
/// a few days on, is opened in the same write.
fn unhappy_after_complaint(conn: &Connection, client_id: i64, contact_id: i64) -> Result<()> {
    let today = crate::clock::now_in_conn(conn)?.date();
    let due = today + chrono::Duration::days(crate::surveys::FOLLOW_UP_DAYS);
    // The contact's own entry, written after this, carries the follow-up's title.
    insert_follow_up_row(
        conn,
        client_id,
        Some(contact_id),
        UNHAPPY_FOLLOW_UP,
        &due.to_string(),
    )?;
    Ok(())
}

/// Replace a contact's fields; its follow-ups are kept (tick or add them separately). As when
/// adding, no time means `now`: the edit form always sends the stored one.
pub fn update(
    book: &mut Book,
    id: i64,
    input: &ContactInput,
    now: NaiveDateTime,
) -> Result<Contact> {
    let c = clean(input, now)?;
    book.write(|tx| {
        let client_id = client_of(tx, id)?;
        let was_unhappy: bool = tx.query_row(
            "SELECT kind = 'complaint' AND satisfied IS 0 FROM contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let was = search::contact_key(tx, id)?;
        tx.execute(
            "UPDATE contacts SET at = ?2, channel = ?3, kind = ?4, summary = ?5, needs = ?6,
             response_due = ?7, resolution = ?8, resolved_at = ?9, satisfied = ?10, updated_at = ?11
             WHERE id = ?1",
            params![
                id,
                c.at,
                input.channel,
                input.kind,
                c.summary,
                c.needs,
                c.response_due,
                c.resolution,
                c.resolved_at,
                input.satisfied,
                stamp(tx)?
            ],
        )?;
        if !was_unhappy && input.kind == ContactKind::Complaint && input.satisfied == Some(false) {
            unhappy_after_complaint(tx, client_id, id)?;
        }
        search::index_moved_contact(tx, id, was)?;
        touch_last_contact(tx, client_id)
    })?;
    get(book.conn(), id)
}

/// Delete a contact and the follow-ups that came with it.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        let client_id = client_of(tx, id)?;
        search::unindex_contact(tx, id)?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        touch_last_contact(tx, client_id)
    })
}

fn client_of(conn: &Connection, contact_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT client_id FROM contacts WHERE id = ?1",
        [contact_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("contact"))
}

/// Keep `clients.last_contact_at` equal to the newest contact, so the list sorts without joins,
/// and `last_call_at` to the newest phone call or visit, so the monthly call needs none either.
fn touch_last_contact(conn: &Connection, client_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE clients SET
           last_contact_at = (SELECT max(at) FROM contacts WHERE client_id = ?1),
           last_call_at = (SELECT max(at) FROM contacts
                           WHERE client_id = ?1 AND channel IN ('phone', 'visit'))
         WHERE id = ?1",
    )?
    .execute([client_id])?;
    Ok(())
}

/// Add a follow-up to a client, optionally tied to a contact.
pub fn add_follow_up(
    book: &mut Book,
    client_id: i64,
    contact_id: Option<i64>,
    input: &FollowUpInput,
) -> Result<FollowUp> {
    let title = required_text("follow_up_title", &input.title, 500)?;
    let due = parse_date("follow_up_due", &input.due)?.to_string();
    let id = book.write(|tx| {
        if let Some(cid) = contact_id {
            if client_of(tx, cid)? != client_id {
                return Err(Error::not_found("contact"));
            }
        } else {
            crate::clients::require(tx, client_id)?;
        }
        insert_follow_up(tx, client_id, contact_id, &title, &due)
    })?;
    follow_up(book.conn(), id)
}

/// Write a checked follow-up inside the caller's transaction and keep search in step: a
/// follow-up is searched with its contact, or with the profile when it has none. Also used
/// where a record opens a follow-up of its own (a low satisfaction score).
pub(crate) fn insert_follow_up(
    conn: &Connection,
    client_id: i64,
    contact_id: Option<i64>,
    title: &str,
    due: &str,
) -> Result<i64> {
    let id = insert_follow_up_row(conn, client_id, contact_id, title, due)?;
    match contact_id {
        Some(cid) => search::index_contact(conn, cid)?,
        None => search::index_client(conn, client_id)?,
    }
    Ok(id)
}

/// [`insert_follow_up`] without touching search, for a contact whose entry is still to come.
fn insert_follow_up_row(
    conn: &Connection,
    client_id: i64,
    contact_id: Option<i64>,
    title: &str,
    due: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO follow_ups (client_id, contact_id, title, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![client_id, contact_id, title, due, stamp(conn)?])?;
    Ok(conn.last_insert_rowid())
}

/// One follow-up by id.
pub fn get_follow_up(book: &Book, id: i64) -> Result<FollowUp> {
    follow_up(book.conn(), id)
}

/// Tick a follow-up off at `now` (or reopen it with `done = false`).
pub fn set_follow_up_done(
    book: &mut Book,
    id: i64,
    done: bool,
    now: NaiveDateTime,
) -> Result<FollowUp> {
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE follow_ups SET done_at = ?2 WHERE id = ?1",
            params![id, done.then(|| format_datetime(now))],
        )?;
        if n == 0 {
            return Err(Error::not_found("follow_up"));
        }
        Ok(())
    })?;
    follow_up(book.conn(), id)
}

/// Remove a follow-up that is no longer wanted (its contact stays).
pub fn delete_follow_up(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        let (client_id, contact_id): (i64, Option<i64>) = tx
            .query_row(
                "SELECT client_id, contact_id FROM follow_ups WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::not_found("follow_up"))?;
        tx.execute("DELETE FROM follow_ups WHERE id = ?1", [id])?;
        // A follow-up's title is searched with its contact, or with the profile when it has none.
        match contact_id {
            Some(cid) => search::index_contact(tx, cid),
            None => search::index_client(tx, client_id),
        }
    })
}

const FOLLOW_UP_COLUMNS: &str = "id, client_id, contact_id, title, due, done_at";

fn follow_up_from_row(r: &rusqlite::Row) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        client_id: r.get(1)?,
        contact_id: r.get(2)?,
        title: r.get(3)?,
        due: r.get(4)?,
        done_at: r.get(5)?,
    })
}

fn follow_up(conn: &Connection, id: i64) -> Result<FollowUp> {
    conn.query_row(
        &format!("SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE id = ?1"),
        [id],
        follow_up_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("follow_up"))
}

/// A client's follow-ups not yet done, earliest due first.
pub fn open_follow_ups(book: &Book, client_id: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE client_id = ?1 AND done_at IS NULL ORDER BY due, id"
    ))?;
    let rows = stmt
        .query_map([client_id], follow_up_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Every open follow-up due on or before `day`, across the book (for the day's list).
pub fn follow_ups_due(book: &Book, day: NaiveDate) -> Result<Vec<FollowUp>> {
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE done_at IS NULL AND due <= ?1 ORDER BY due, id"
    ))?;
    let rows = stmt
        .query_map([day.to_string()], follow_up_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn get(conn: &Connection, id: i64) -> Result<Contact> {
    timeline_where(conn, "k.id = ?1", id)?
        .pop()
        .ok_or_else(|| Error::not_found("contact"))
}

/// A client's contacts, newest first, each with its follow-ups.
pub fn timeline(book: &Book, client_id: i64) -> Result<Vec<Contact>> {
    timeline_where(book.conn(), "k.client_id = ?1", client_id)
}

fn timeline_where(conn: &Connection, filter: &str, arg: i64) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT k.id, k.client_id, k.at, k.channel, k.kind, k.summary, k.needs, k.response_due,
                k.resolution, k.resolved_at, k.satisfied
         FROM contacts k WHERE {filter} ORDER BY k.at DESC, k.id DESC"
    ))?;
    let mut contacts: Vec<Contact> = stmt
        .query_map([arg], |r| {
            Ok(Contact {
                id: r.get(0)?,
                client_id: r.get(1)?,
                at: r.get(2)?,
                channel: r.get(3)?,
                kind: r.get(4)?,
                summary: r.get(5)?,
                needs: r.get(6)?,
                response_due: r.get(7)?,
                resolution: r.get(8)?,
                resolved_at: r.get(9)?,
                satisfied: r.get(10)?,
                follow_ups: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut fstmt = conn.prepare_cached(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE contact_id = ?1 ORDER BY due, id"
    ))?;
    for c in &mut contacts {
        c.follow_ups = fstmt
            .query_map([c.id], follow_up_from_row)?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(contacts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::values::Channel;

    /// A contact prepared away from the book gets the entry the book makes from its records:
    /// needs, follow-ups in order, a complaint's resolution and the follow-up a dissatisfied
    /// client opens, the client's name and phone.
    #[test]
    fn a_prepared_contact_is_indexed_as_the_book_would_index_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let client = crate::clients::ClientInput {
            name: "欧阳明月".into(),
            phone: Some("13800001234".into()),
            ..Default::default()
        };
        let id = crate::clients::create(&mut book, &client, today)
            .unwrap()
            .id;
        let stored = crate::clients::get(&book, id).unwrap();
        let now = today.and_hms_opt(18, 0, 0).unwrap();
        let note = ContactInput {
            at: Some("2026-11-20 10:30".into()),
            channel: Channel::Visit,
            kind: ContactKind::Note,
            summary: "孩子明年去英国留学，想了解外汇额度".into(),
            needs: Some("留学金融 保险".into()),
            follow_ups: vec![
                FollowUpInput {
                    title: "寄送留学金融手册".into(),
                    due: "2026-11-25".into(),
                },
                FollowUpInput {
                    title: "约见外汇专员".into(),
                    due: "2026-11-28".into(),
                },
            ],
            response_due: None,
            resolution: None,
            resolved_at: None,
            satisfied: None,
        };
        let complaint = ContactInput {
            kind: ContactKind::Complaint,
            channel: Channel::Phone,
            summary: "到期资金未及时转入".into(),
            needs: None,
            follow_ups: vec![],
            response_due: Some("2026-11-22".into()),
            resolution: Some("已核实并补发收益".into()),
            resolved_at: Some("2026-11-21".into()),
            satisfied: Some(false),
            ..note.clone()
        };
        let plain = ContactInput {
            needs: None,
            follow_ups: vec![],
            ..note.clone()
        };
        for input in [note, complaint, plain] {
            let prepared =
                Prepared::new(id, input, now, &stored.name, stored.phone.as_deref()).unwrap();
            let contact = book.write(|tx| insert_prepared(tx, &prepared)).unwrap();
            assert_eq!(
                prepared.entry,
                search::entry_from_records(book.conn(), contact).unwrap()
            );
        }
    }
}
