//! 礼品记录: every gift given to a client or one of their family, and planning the next one
//! against that person's history, taboos and expected quality (the rules are in
//! [`crate::rules::gifts`]).
//!
//! A gift is "to a person": the client's own gifts and each family member's are separate
//! histories, so a tea given to the wife is no repeat for the husband, and a taboo recorded for
//! the wife is checked only for her.

use crate::book::values::{
    optional_text, parse_date, parse_yuan, required_text, Calendar, Occasion, PreferenceKind,
    Relation,
};
use crate::book::{stamp, Book};
use crate::preferences::{self, Preference};
use crate::rules::gifts::{self as rules, GiftCheck, GiftIdea, GiftWarning, IdeaSource, PastGift};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor fills in when logging a gift.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GiftInput {
    /// The family member it went to; none for the client.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// When it was given, a date as advisors type it.
    pub given_on: String,
    /// Why.
    pub occasion: Occasion,
    /// The gift.
    pub gift: String,
    /// What it cost, in yuan as typed (`300`, `299.50`).
    #[serde(default)]
    pub cost: Option<String>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// A gift as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Gift {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The family member it went to; none for the client.
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// Who received it: the client's or the member's name.
    pub recipient: String,
    /// When, `YYYY-MM-DD`.
    pub given_on: String,
    /// Why.
    pub occasion: Occasion,
    /// The gift.
    pub gift: String,
    /// What it cost, in fen.
    #[ts(type = "number | null")]
    pub cost_fen: Option<i64>,
    /// A note.
    pub note: Option<String>,
}

/// Longest gift name.
const MAX_GIFT: usize = 200;

/// Log a gift given on or before `today` (gifts are recorded once given; plans are checked
/// with [`plan`]).
pub fn log(book: &mut Book, client_id: i64, input: &GiftInput, today: NaiveDate) -> Result<Gift> {
    let gift = required_text("gift", &input.gift, MAX_GIFT)?;
    let given_on = parse_date("given_on", &input.given_on)?;
    if given_on > today {
        return Err(Error::invalid("given_on", "date_in_future"));
    }
    let cost_fen = optional_text("cost", &input.cost, 40)?
        .map(|c| parse_yuan("cost", &c))
        .transpose()?;
    let note = optional_text("note", &input.note, 2000)?;
    let id = book.write(|tx| {
        insert(
            tx,
            client_id,
            input.family_id,
            given_on,
            input.occasion,
            &gift,
            cost_fen,
            note.as_deref(),
        )
    })?;
    get(book.conn(), id)
}

/// Insert a checked gift inside an open transaction (also used by the demo book).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &Connection,
    client_id: i64,
    family_id: Option<i64>,
    given_on: NaiveDate,
    occasion: Occasion,
    gift: &str,
    cost_fen: Option<i64>,
    note: Option<&str>,
) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    if let Some(f) = family_id {
        crate::family::require_of(conn, client_id, f)?;
    }
    conn.prepare_cached(
        "INSERT INTO gifts (client_id, family_id, given_on, occasion, gift, cost_fen, note,
         created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        client_id,
        family_id,
        given_on.to_string(),
        occasion,
        gift,
        cost_fen,
        note,
        stamp(conn)?
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Remove a gift logged by mistake.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM gifts WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("gift"));
        }
        Ok(())
    })
}

const COLUMNS: &str = "g.id, g.client_id, g.family_id,
    coalesce((SELECT name FROM family_members f WHERE f.id = g.family_id),
             (SELECT name FROM clients c WHERE c.id = g.client_id)),
    g.given_on, g.occasion, g.gift, g.cost_fen, g.note";

fn from_row(r: &Row) -> rusqlite::Result<Gift> {
    Ok(Gift {
        id: r.get(0)?,
        client_id: r.get(1)?,
        family_id: r.get(2)?,
        recipient: r.get(3)?,
        given_on: r.get(4)?,
        occasion: r.get(5)?,
        gift: r.get(6)?,
        cost_fen: r.get(7)?,
        note: r.get(8)?,
    })
}

fn get(conn: &Connection, id: i64) -> Result<Gift> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM gifts g WHERE g.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("gift"))
}

/// Every gift to a client and their family, newest first.
pub fn list(book: &Book, client_id: i64) -> Result<Vec<Gift>> {
    crate::clients::require(book.conn(), client_id)?;
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM gifts g WHERE g.client_id = ?1 ORDER BY g.given_on DESC, g.id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A gift being considered for one person.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanInput {
    /// The family member it is for; none for the client.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// The gift as typed so far (may be empty: then only ideas come back).
    #[serde(default)]
    pub gift: String,
    /// What it would cost, in yuan as typed.
    #[serde(default)]
    pub cost: Option<String>,
    /// How many pieces, when it matters (4 is unlucky).
    #[serde(default)]
    pub quantity: Option<u32>,
    /// The occasion, when known (a birthday or festival item on Today fills it in).
    #[serde(default)]
    pub occasion: Option<Occasion>,
}

/// What the gift check says about a planned gift, and ideas that fit the person.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GiftPlan {
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The family member it is for; none for the client.
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// The person's name.
    pub person: String,
    /// The gift checked, trimmed (empty when only ideas were asked for).
    pub gift: String,
    /// The occasion, if given.
    pub occasion: Option<Occasion>,
    /// Why the gift needs a second look; empty when nothing was found.
    pub warnings: Vec<GiftWarning>,
    /// Gifts that fit the person and pass the same checks; suggestions only.
    pub ideas: Vec<GiftIdea>,
}

/// The person a plan is for, as read from the book.
struct Person {
    name: String,
    birthday: Option<NaiveDate>,
    hobbies: Option<String>,
    free_likes: Option<String>,
    free_taboos: Option<String>,
    notes: Option<String>,
}

/// Free text split into its items (喜欢普洱茶、不喝酒), as advisors list several in one field.
fn items(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(['、', '，', ',', ';', '；', '\n', '。'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A stored birthday as a solar date, for the digits of a coin: a lunar birthday keeps its
/// lunar month and day, which is what such a client celebrates.
fn birthday_digits(date: Option<String>, calendar: Option<Calendar>) -> Option<NaiveDate> {
    let d = date?;
    calendar?;
    NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()
}

fn person(conn: &Connection, client_id: i64, family_id: Option<i64>) -> Result<Person> {
    crate::clients::require(conn, client_id)?;
    match family_id {
        None => Ok(conn.query_row(
            "SELECT name, birthday, birthday_calendar, hobbies, likes, taboos, notes
             FROM clients WHERE id = ?1",
            [client_id],
            |r| {
                Ok(Person {
                    name: r.get(0)?,
                    birthday: birthday_digits(r.get(1)?, r.get(2)?),
                    hobbies: r.get(3)?,
                    free_likes: r.get(4)?,
                    free_taboos: r.get(5)?,
                    notes: r.get(6)?,
                })
            },
        )?),
        Some(f) => {
            crate::family::require_of(conn, client_id, f)?;
            Ok(conn.query_row(
                "SELECT name, birthday, birthday_calendar, notes FROM family_members WHERE id = ?1",
                [f],
                |r| {
                    Ok(Person {
                        name: r.get(0)?,
                        birthday: birthday_digits(r.get(1)?, r.get(2)?),
                        hobbies: None,
                        free_likes: None,
                        free_taboos: None,
                        notes: r.get(3)?,
                    })
                },
            )?)
        }
    }
}

/// The gifts already given to one person, oldest first.
fn past_of(conn: &Connection, client_id: i64, family_id: Option<i64>) -> Result<Vec<PastGift>> {
    let mut stmt = conn.prepare_cached(
        "SELECT gift, given_on FROM gifts WHERE client_id = ?1 AND family_id IS ?2
         ORDER BY given_on, id",
    )?;
    let rows = stmt
        .query_map(params![client_id, family_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(item, on)| {
            NaiveDate::parse_from_str(&on, "%Y-%m-%d")
                .ok()
                .map(|given_on| PastGift { item, given_on })
        })
        .collect())
}

/// Check a planned gift for one person and offer ideas, reading their history, taboos (the
/// recorded ones and, for the client, the free-text field) and expected quality from the book.
/// Nothing is written; the plan is only advice.
pub fn plan(book: &Book, client_id: i64, input: &PlanInput, today: NaiveDate) -> Result<GiftPlan> {
    let conn = book.conn();
    let gift = input.gift.trim().to_string();
    if gift.chars().count() > MAX_GIFT {
        return Err(Error::invalid_with(
            "gift",
            "too_long",
            MAX_GIFT.to_string(),
        ));
    }
    let cost_fen = optional_text("cost", &input.cost, 40)?
        .map(|c| parse_yuan("cost", &c))
        .transpose()?;
    let who = person(conn, client_id, input.family_id)?;
    let prefs: Vec<Preference> = preferences::of_person(conn, client_id, input.family_id)?;
    let of_kind = |k: PreferenceKind| -> Vec<String> {
        prefs
            .iter()
            .filter(|p| p.kind == k)
            .map(|p| p.text.clone())
            .collect()
    };
    let mut taboos = of_kind(PreferenceKind::Taboo);
    taboos.extend(items(who.free_taboos.as_deref()));
    let mut likes = of_kind(PreferenceKind::Like);
    likes.extend(items(who.free_likes.as_deref()));
    // A family member's notes often say what they like (喜欢真丝围巾).
    if input.family_id.is_some() {
        likes.extend(items(who.notes.as_deref()));
    }
    let expected = prefs
        .iter()
        .find(|p| p.kind == PreferenceKind::Quality)
        .and_then(|p| p.quality);
    let past = past_of(conn, client_id, input.family_id)?;
    let common = rules::common_taboos();
    let check = |item: &str, cost_fen: Option<i64>, quantity: Option<u32>| {
        rules::check(&GiftCheck {
            item,
            quantity,
            cost_fen,
            past: &past,
            taboos: &taboos,
            expected,
            common: &common,
        })
    };
    let warnings = if gift.is_empty() {
        Vec::new()
    } else {
        check(&gift, cost_fen, input.quantity)
    };
    let family = crate::family::list(book, client_id)?;
    let relation = input
        .family_id
        .and_then(|f| family.iter().find(|m| m.id == f).map(|m| m.relation));
    // The child's target university is a gift to the parents, and to the child themself.
    let children_notes: Vec<String> = match relation {
        Some(Relation::Child) => items(who.notes.as_deref()),
        Some(Relation::Spouse) | None => family
            .iter()
            .filter(|m| m.relation == Relation::Child)
            .flat_map(|m| items(m.notes.as_deref()))
            .collect(),
        _ => Vec::new(),
    };
    let ideas = rules::ideas(&IdeaSource {
        likes: &likes,
        hobbies: who.hobbies.as_deref(),
        birthday: who.birthday,
        children_notes: &children_notes,
        has_family: input.family_id.is_none() && !family.is_empty(),
        age: who.birthday.map(|b| today.year() - b.year()),
    })
    .into_iter()
    .filter(|idea| idea.gift != gift && check(&idea.gift, None, None).is_empty())
    .collect();
    Ok(GiftPlan {
        client_id,
        family_id: input.family_id,
        person: who.name,
        gift,
        occasion: input.occasion,
        warnings,
        ideas,
    })
}
