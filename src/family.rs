//! 家庭成员: a client's spouse, children and parents, with birthdays and notes.

use crate::book::values::{
    optional_phone, optional_text, required_text, Birthday, Gender, Relation,
};
use crate::book::{stamp, Book};
use crate::search::index_client;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor fills in for a family member.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyInput {
    /// Name.
    pub name: String,
    /// Relation to the client.
    pub relation: Relation,
    /// Gender.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Birthday, solar or lunar.
    #[serde(default)]
    pub birthday: Option<Birthday>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Notes: the child's target university, a hobby, what gift suits.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A family member as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyMember {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client this person belongs to.
    #[ts(type = "number")]
    pub client_id: i64,
    /// Name.
    pub name: String,
    /// Relation to the client.
    pub relation: Relation,
    /// Gender.
    pub gender: Option<Gender>,
    /// Birthday.
    pub birthday: Option<Birthday>,
    /// Phone.
    pub phone: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

fn clean(input: &FamilyInput, today: NaiveDate) -> Result<FamilyInput> {
    let mut c = input.clone();
    c.name = required_text("name", &input.name, 100)?;
    c.phone = optional_phone("phone", &input.phone)?;
    c.notes = optional_text("notes", &input.notes, 5000)?;
    c.birthday = input
        .birthday
        .as_ref()
        .map(|b| b.validate("birthday", today))
        .transpose()?;
    Ok(c)
}

/// Add a family member to a client.
pub fn add(
    book: &mut Book,
    client_id: i64,
    input: &FamilyInput,
    today: NaiveDate,
) -> Result<FamilyMember> {
    let c = clean(input, today)?;
    let id = book.write(|tx| insert(tx, client_id, &c))?;
    get(book.conn(), id)
}

/// Insert a validated family member inside an open transaction.
pub(crate) fn insert(conn: &Connection, client_id: i64, c: &FamilyInput) -> Result<i64> {
    let id = insert_unindexed(conn, client_id, c)?;
    index_client(conn, client_id)?;
    Ok(id)
}

/// [`insert`] without rewriting the client's search entry: the demo book writes every
/// client's entry once, after their family.
pub(crate) fn insert_unindexed(conn: &Connection, client_id: i64, c: &FamilyInput) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    let now = stamp(conn)?;
    let (bday, cal, leap) = Birthday::to_columns(&c.birthday);
    conn.prepare_cached(
        "INSERT INTO family_members (client_id, name, relation, gender, birthday, birthday_calendar,
         birthday_leap, phone, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![client_id, c.name, c.relation, c.gender, bday, cal, leap, c.phone, c.notes, now])?;
    Ok(conn.last_insert_rowid())
}

/// Replace a family member's fields.
pub fn update(
    book: &mut Book,
    id: i64,
    input: &FamilyInput,
    today: NaiveDate,
) -> Result<FamilyMember> {
    let c = clean(input, today)?;
    book.write(|tx| {
        let (bday, cal, leap) = Birthday::to_columns(&c.birthday);
        let client_id = client_of(tx, id)?;
        tx.execute(
            "UPDATE family_members SET name = ?2, relation = ?3, gender = ?4, birthday = ?5,
             birthday_calendar = ?6, birthday_leap = ?7, phone = ?8, notes = ?9, updated_at = ?10
             WHERE id = ?1",
            params![
                id,
                c.name,
                c.relation,
                c.gender,
                bday,
                cal,
                leap,
                c.phone,
                c.notes,
                stamp(tx)?
            ],
        )?;
        index_client(tx, client_id)
    })?;
    get(book.conn(), id)
}

/// Remove a family member.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        let client_id = client_of(tx, id)?;
        tx.execute("DELETE FROM family_members WHERE id = ?1", [id])?;
        index_client(tx, client_id)
    })
}

/// The client a family member belongs to.
fn client_of(conn: &Connection, id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT client_id FROM family_members WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("family_member"))
}

fn get(conn: &Connection, id: i64) -> Result<FamilyMember> {
    list_where(conn, "id = ?1", id)?
        .pop()
        .ok_or_else(|| Error::not_found("family_member"))
}

/// A client's family, in the order they were added.
pub fn list(book: &Book, client_id: i64) -> Result<Vec<FamilyMember>> {
    list_where(book.conn(), "client_id = ?1", client_id)
}

fn list_where(conn: &Connection, filter: &str, arg: i64) -> Result<Vec<FamilyMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, client_id, name, relation, gender, birthday, birthday_calendar, birthday_leap,
                phone, notes FROM family_members WHERE {filter} ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([arg], |r| {
            let birthday = Birthday::from_columns(r.get(5)?, r.get(6)?, r.get(7)?);
            Ok(FamilyMember {
                id: r.get(0)?,
                client_id: r.get(1)?,
                name: r.get(2)?,
                relation: r.get(3)?,
                gender: r.get(4)?,
                birthday,
                phone: r.get(8)?,
                notes: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Refuse a family member who is missing or belongs to another client.
pub(crate) fn require_of(conn: &Connection, client_id: i64, family_id: i64) -> Result<()> {
    if client_of(conn, family_id)? != client_id {
        return Err(Error::invalid("member", "not_this_clients_family"));
    }
    Ok(())
}

/// Words advisors use for a relation, in both languages (妻子 and 老公 are spouses).
fn relation_word(text: &str) -> Option<Relation> {
    let t = text.trim().to_lowercase();
    let word = |words: &[&str]| words.contains(&t.as_str());
    if let Some(r) = Relation::parse(&t) {
        return Some(r);
    }
    if word(&[
        "配偶", "妻子", "丈夫", "老婆", "老公", "爱人", "太太", "先生", "wife", "husband",
    ]) {
        Some(Relation::Spouse)
    } else if word(&["子女", "孩子", "儿子", "女儿", "son", "daughter"]) {
        Some(Relation::Child)
    } else if word(&["父母", "父亲", "母亲", "爸爸", "妈妈", "father", "mother"]) {
        Some(Relation::Parent)
    } else if word(&[
        "兄弟姐妹",
        "哥哥",
        "姐姐",
        "弟弟",
        "妹妹",
        "brother",
        "sister",
    ]) {
        Some(Relation::Sibling)
    } else {
        None
    }
}

/// The family member of `client_id` a person typed: an id, an exact name, or a relation that
/// only one member has (`spouse`, `妻子`). Several members that fit are refused.
pub fn resolve(book: &Book, client_id: i64, text: &str) -> Result<i64> {
    let t = crate::book::values::fold_width(text);
    let t = t.trim();
    let conn = book.conn();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let id: i64 = t.parse().map_err(|_| Error::not_found("family_member"))?;
        require_of(conn, client_id, id)?;
        return Ok(id);
    }
    let members = list(book, client_id)?;
    let by_name: Vec<i64> = members
        .iter()
        .filter(|m| m.name == t)
        .map(|m| m.id)
        .collect();
    let found: Vec<i64> = if by_name.is_empty() {
        match relation_word(t) {
            Some(r) => members
                .iter()
                .filter(|m| m.relation == r)
                .map(|m| m.id)
                .collect(),
            None => vec![],
        }
    } else {
        by_name
    };
    match found[..] {
        [] => Err(Error::not_found("family_member")),
        [id] => Ok(id),
        _ => Err(Error::invalid_with(
            "member",
            "member_ambiguous",
            found.len().to_string(),
        )),
    }
}
