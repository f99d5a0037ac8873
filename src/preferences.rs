//! 喜好与禁忌: what each person (a client or one of their family) likes, must never be given,
//! does by habit, and the quality of gift they expect, as lists the gift check can use.
//!
//! A person has at most one expected quality: recording a new one replaces the old in the same
//! write. The client's free-text likes and taboos stay on the client record and are read
//! alongside these (see [`crate::gifts::plan`]).

use crate::book::values::{optional_text, GiftQuality, PreferenceKind};
use crate::book::{stamp, Book};
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor records about a person.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreferenceInput {
    /// The family member it is about; none for the client.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// Like, taboo, habit or expected quality.
    pub kind: PreferenceKind,
    /// As the advisor writes it (不喝酒, 喜欢普洱茶); for a quality, an optional note.
    #[serde(default)]
    pub text: Option<String>,
    /// The expected quality, for kind `quality` only.
    #[serde(default)]
    pub quality: Option<GiftQuality>,
}

/// A preference as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preference {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The family member it is about; none for the client.
    #[ts(type = "number | null")]
    pub family_id: Option<i64>,
    /// Like, taboo, habit or expected quality.
    pub kind: PreferenceKind,
    /// As written (for a quality without a note, the band's Chinese word).
    pub text: String,
    /// The expected quality, for kind `quality`.
    pub quality: Option<GiftQuality>,
}

/// Longest text of one preference.
const MAX_TEXT: usize = 500;

fn clean(input: &PreferenceInput) -> Result<(String, Option<GiftQuality>)> {
    let text = optional_text("text", &input.text, MAX_TEXT)?;
    match (input.kind, input.quality) {
        (PreferenceKind::Quality, Some(q)) => {
            Ok((text.unwrap_or_else(|| q.label_zh().to_string()), Some(q)))
        }
        (PreferenceKind::Quality, None) => Err(Error::invalid("quality", "required")),
        (_, Some(_)) => Err(Error::invalid("quality", "quality_only")),
        (_, None) => Ok((
            text.ok_or_else(|| Error::invalid("text", "required"))?,
            None,
        )),
    }
}

/// Record a preference for a client or one of their family.
pub fn add(book: &mut Book, client_id: i64, input: &PreferenceInput) -> Result<Preference> {
    let (text, quality) = clean(input)?;
    let id = book.write(|tx| insert(tx, client_id, input.family_id, input.kind, &text, quality))?;
    get(book.conn(), id)
}

/// Insert a checked preference inside an open transaction (also used by the demo book).
pub(crate) fn insert(
    conn: &Connection,
    client_id: i64,
    family_id: Option<i64>,
    kind: PreferenceKind,
    text: &str,
    quality: Option<GiftQuality>,
) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    if let Some(f) = family_id {
        crate::family::require_of(conn, client_id, f)?;
    }
    if kind == PreferenceKind::Quality {
        conn.prepare_cached(
            "DELETE FROM preferences WHERE client_id = ?1 AND family_id IS ?2 AND kind = 'quality'",
        )?
        .execute(params![client_id, family_id])?;
    }
    conn.prepare_cached(
        "INSERT INTO preferences (client_id, family_id, kind, text, quality, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        client_id,
        family_id,
        kind,
        text,
        quality,
        stamp(conn)?
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Remove a preference.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM preferences WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("preference"));
        }
        Ok(())
    })
}

const COLUMNS: &str = "id, client_id, family_id, kind, text, quality";

fn from_row(r: &Row) -> rusqlite::Result<Preference> {
    Ok(Preference {
        id: r.get(0)?,
        client_id: r.get(1)?,
        family_id: r.get(2)?,
        kind: r.get(3)?,
        text: r.get(4)?,
        quality: r.get(5)?,
    })
}

fn get(conn: &Connection, id: i64) -> Result<Preference> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM preferences WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("preference"))
}

/// Everything recorded about a client and their family: the client's first, then each
/// member's, each in the order recorded.
pub fn list(book: &Book, client_id: i64) -> Result<Vec<Preference>> {
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM preferences WHERE client_id = ?1
         ORDER BY family_id IS NOT NULL, family_id, id"
    ))?;
    let rows = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What is recorded about one person: the client (`family_id` none) or one member.
pub(crate) fn of_person(
    conn: &Connection,
    client_id: i64,
    family_id: Option<i64>,
) -> Result<Vec<Preference>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM preferences WHERE client_id = ?1 AND family_id IS ?2 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map(params![client_id, family_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
