//! 满意度调查: the client's answers, kept, and a follow-up when they are unhappy.
//!
//! The rule for "unhappy", kept simple so the advisor can predict it: a score of 1 or 2 out of
//! 5, or a comment that says so in plain words ([`DISSATISFIED_WORDS`]: 不满, 失望, 投诉 …).
//! Either opens a follow-up (待办) in the same write as the survey, due three days after the
//! survey (or after today, for a survey entered late), and the survey keeps its id.

use crate::book::values::{optional_text, parse_date, Channel};
use crate::book::{stamp, Book};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the advisor fills in for a survey.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyInput {
    /// When it was taken, a date as typed; today when left out.
    #[serde(default)]
    pub taken_on: Option<String>,
    /// How it was asked; by phone when left out.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Score 1 (very unhappy) to 5 (very happy).
    #[ts(type = "number")]
    pub score: i64,
    /// What the client said.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A survey as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Survey {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// The client.
    #[ts(type = "number")]
    pub client_id: i64,
    /// When, `YYYY-MM-DD`.
    pub taken_on: String,
    /// How it was asked.
    pub channel: Channel,
    /// 1–5.
    #[ts(type = "number")]
    pub score: i64,
    /// What the client said.
    pub comment: Option<String>,
    /// The follow-up it opened, if the client was unhappy (and it still exists).
    #[ts(type = "number | null")]
    pub follow_up_id: Option<i64>,
}

/// The highest score that counts as unhappy.
pub const LOW_SCORE: i64 = 2;

/// Words in a comment that say the client is unhappy, whatever the score.
pub const DISSATISFIED_WORDS: &[&str] = &[
    "不满",
    "失望",
    "投诉",
    "差评",
    "太差",
    "很差",
    "生气",
    "不满意",
    "dissatisfied",
    "unhappy",
    "disappointed",
    "complain",
];

/// Days after the survey (or today) that its follow-up is due.
pub(crate) const FOLLOW_UP_DAYS: i64 = 3;

/// Whether a survey says the client is unhappy: a low score, or a comment in plain words.
pub fn dissatisfied(score: i64, comment: Option<&str>) -> bool {
    let comment = comment.unwrap_or_default().to_lowercase();
    score <= LOW_SCORE || DISSATISFIED_WORDS.iter().any(|w| comment.contains(w))
}

/// Record a survey taken on or before `today`; an unhappy answer opens a follow-up in the
/// same write.
pub fn add(
    book: &mut Book,
    client_id: i64,
    input: &SurveyInput,
    today: NaiveDate,
) -> Result<Survey> {
    if !(1..=5).contains(&input.score) {
        return Err(Error::invalid_with("score", "score_out_of_range", "1–5"));
    }
    let taken_on = match optional_text("taken_on", &input.taken_on, 40)? {
        Some(d) => parse_date("taken_on", &d)?,
        None => today,
    };
    if taken_on > today {
        return Err(Error::invalid("taken_on", "date_in_future"));
    }
    let comment = optional_text("comment", &input.comment, 5000)?;
    let channel = input.channel.unwrap_or(Channel::Phone);
    let id = book.write(|tx| {
        insert(
            tx,
            client_id,
            taken_on,
            channel,
            input.score,
            comment.as_deref(),
            today,
        )
    })?;
    get(book.conn(), id)
}

/// Insert a checked survey, and its follow-up when unhappy, inside an open transaction (also
/// used by the demo book).
pub(crate) fn insert(
    conn: &Connection,
    client_id: i64,
    taken_on: NaiveDate,
    channel: Channel,
    score: i64,
    comment: Option<&str>,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(conn, client_id)?;
    let follow_up = if dissatisfied(score, comment) {
        let due = taken_on.max(today) + Duration::days(FOLLOW_UP_DAYS);
        let title = format!("满意度回访：客户评分 {score} 分，了解不满原因并改进");
        Some(crate::contacts::insert_follow_up(
            conn,
            client_id,
            None,
            &title,
            &due.to_string(),
        )?)
    } else {
        None
    };
    conn.prepare_cached(
        "INSERT INTO surveys (client_id, taken_on, channel, score, comment, follow_up_id,
         created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        client_id,
        taken_on.to_string(),
        channel,
        score,
        comment,
        follow_up,
        stamp(conn)?
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, client_id, taken_on, channel, score, comment, follow_up_id";

fn from_row(r: &Row) -> rusqlite::Result<Survey> {
    Ok(Survey {
        id: r.get(0)?,
        client_id: r.get(1)?,
        taken_on: r.get(2)?,
        channel: r.get(3)?,
        score: r.get(4)?,
        comment: r.get(5)?,
        follow_up_id: r.get(6)?,
    })
}

fn get(conn: &Connection, id: i64) -> Result<Survey> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM surveys WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("survey"))
}

/// A client's surveys, newest first (the first is the latest; the scores in reverse are the
/// trend).
pub fn list(book: &Book, client_id: i64) -> Result<Vec<Survey>> {
    crate::clients::require(book.conn(), client_id)?;
    let rows = book
        .conn()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM surveys WHERE client_id = ?1 ORDER BY taken_on DESC, id DESC"
        ))?
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Remove a survey recorded by mistake (a follow-up it opened stays).
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        if tx.execute("DELETE FROM surveys WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("survey"));
        }
        Ok(())
    })
}
