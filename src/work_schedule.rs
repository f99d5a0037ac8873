//! The holiday notices the advisor imported, kept in the book: every later start knows them.
//!
//! Table `work_schedule` holds the days, `work_schedule_years` the years a notice replaced
//! whole. Together they rebuild the same [`WorkCalendar`] the notices built in memory.

use crate::book::values::parse_date;
use crate::rules::workdays::{DayKind, Notice, ScheduledDay, WorkCalendar};
use crate::{Book, Result};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// What [`store`] kept in the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSchedule {
    /// Years the notice lists days in, ascending.
    pub years: Vec<i32>,
    /// Scheduled days written.
    pub days: usize,
    /// The notice's own year, replaced whole; its days in other years overlay theirs.
    pub replaced_year: Option<i32>,
}

/// Keep one holiday notice in the book, in one transaction: its year replaces that year's
/// stored days whole, its days in other years replace those dates only; a bad line changes
/// nothing.
pub fn store(book: &mut Book, text: &str) -> Result<StoredSchedule> {
    let notice = Notice::parse(text)?;
    book.write(|tx| {
        if let Some(y) = notice.year {
            tx.execute(
                "DELETE FROM work_schedule WHERE date BETWEEN ?1 AND ?2",
                [format!("{y:04}-01-01"), format!("{y:04}-12-31")],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO work_schedule_years (year) VALUES (?1)",
                [y],
            )?;
        }
        let mut add = tx.prepare_cached(
            "INSERT OR REPLACE INTO work_schedule (date, kind, name) VALUES (?1, ?2, ?3)",
        )?;
        for d in &notice.days {
            let kind = match d.kind {
                DayKind::Holiday => "off",
                DayKind::MakeUpWorkday => "work",
            };
            add.execute([d.date.to_string(), kind.to_string(), d.name.clone()])?;
        }
        Ok(())
    })?;
    Ok(StoredSchedule {
        years: notice.years(),
        days: notice.days.len(),
        replaced_year: notice.year,
    })
}

/// The working-day calendar of a book: the built-in schedule, the years notices replaced
/// whole, and the single days they listed in other years on top.
pub fn from_book(book: &Book) -> Result<WorkCalendar> {
    let conn = book.conn();
    let whole: Vec<i32> = conn
        .prepare_cached("SELECT year FROM work_schedule_years ORDER BY year")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT date, kind, name FROM work_schedule ORDER BY date")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut days = Vec::new();
    for row in rows {
        let (date, kind, name) = row?;
        let date = parse_date("schedule", &date)?;
        let kind = if kind == "work" {
            DayKind::MakeUpWorkday
        } else {
            DayKind::Holiday
        };
        days.push(ScheduledDay { date, kind, name });
    }
    let mut cal = WorkCalendar::new();
    for &y in &whole {
        cal.replace_year(y, days.iter().filter(|d| d.date.year() == y).cloned());
    }
    cal.overlay(days.into_iter().filter(|d| !whole.contains(&d.date.year())));
    Ok(cal)
}
