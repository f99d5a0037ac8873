//! 工作日: weekends, statutory holidays and make-up working days.
//!
//! The built-in schedule is the State Council table carried by `tyme4rs` (2002–2026), parsed
//! once into a map: the crate's own lookup compiles a regex on every call. Later years are
//! announced each November; the advisor imports them ([`WorkCalendar::import`]), and an
//! imported year replaces the built-in one entirely, so a correction is also an import.

use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;
use tyme4rs::tyme::holiday::{LEGAL_HOLIDAY_DATA, LEGAL_HOLIDAY_NAMES};

/// What a scheduled day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A statutory day off (休), even on a weekday.
    Holiday,
    /// A make-up working day (调休 班), even on a weekend.
    MakeUpWorkday,
}

/// A day the statutory schedule changes from the weekend rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledDay {
    /// The date.
    pub date: NaiveDate,
    /// Day off or make-up working day.
    pub kind: DayKind,
    /// The holiday it belongs to (春节, 国庆节 …).
    pub name: String,
}

fn builtin() -> &'static HashMap<NaiveDate, ScheduledDay> {
    static MAP: OnceLock<HashMap<NaiveDate, ScheduledDay>> = OnceLock::new();
    MAP.get_or_init(|| {
        // Records of 13 ASCII characters: YYYYMMDD, '0' work / '1' rest, name index, offset.
        LEGAL_HOLIDAY_DATA
            .as_bytes()
            .chunks(13)
            .map(|r| {
                let s = std::str::from_utf8(r).expect("ascii table");
                let date = NaiveDate::parse_from_str(&s[..8], "%Y%m%d").expect("table date");
                let kind = if &s[8..9] == "0" {
                    DayKind::MakeUpWorkday
                } else {
                    DayKind::Holiday
                };
                let name =
                    LEGAL_HOLIDAY_NAMES[s[9..10].parse::<usize>().expect("index")].to_string();
                (date, ScheduledDay { date, kind, name })
            })
            .collect()
    })
}

/// Years with a complete built-in schedule (2001 only has its last days in the table).
pub fn builtin_years() -> std::ops::RangeInclusive<i32> {
    let last = builtin().keys().map(|d| d.year()).max().unwrap_or(2026);
    2002..=last
}

/// Working days: weekends, the built-in statutory schedule, and imported years on top.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    imported: BTreeMap<NaiveDate, ScheduledDay>,
    imported_years: BTreeSet<i32>,
}

impl WorkCalendar {
    /// The built-in schedule only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the statutory schedule of `year` is known (built in or imported); without it only
    /// weekends count, and callers should say so.
    pub fn has_schedule(&self, year: i32) -> bool {
        self.imported_years.contains(&year) || builtin_years().contains(&year)
    }

    /// The schedule entry of a date, if it is a statutory day off or make-up working day.
    pub fn scheduled(&self, date: NaiveDate) -> Option<&ScheduledDay> {
        if self.imported_years.contains(&date.year()) {
            self.imported.get(&date)
        } else {
            builtin().get(&date)
        }
    }

    /// Whether bank counters work that day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.scheduled(date).map(|s| s.kind) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::MakeUpWorkday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date `n` working days after `date` (before it when `n` is negative; `date` itself
    /// when `n` is 0, working day or not): T+n as banks count it.
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> NaiveDate {
        let step = Duration::days(n.signum());
        let mut d = date;
        for _ in 0..n.unsigned_abs() {
            d += step;
            while !self.is_working_day(d) {
                d += step;
            }
        }
        d
    }

    /// `date` if it is a working day, else the next one.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// `date` if it is a working day, else the previous one.
    pub fn previous_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while !self.is_working_day(d) {
            d -= Duration::days(1);
        }
        d
    }

    /// Import statutory schedules, one day a line: `YYYY-MM-DD 休|班 [name]` (also `off`/`work`);
    /// blank lines and `#` comments are skipped. Each year named in the text replaces that
    /// year's previous schedule. Returns the number of days read; nothing changes on error.
    pub fn import(&mut self, text: &str) -> Result<usize> {
        let days = parse_schedule(text)?;
        let n = days.len();
        self.add_years(days);
        Ok(n)
    }

    fn add_years(&mut self, days: Vec<ScheduledDay>) {
        for y in days.iter().map(|d| d.date.year()).collect::<BTreeSet<_>>() {
            self.imported.retain(|d, _| d.year() != y);
            self.imported_years.insert(y);
        }
        for d in days {
            self.imported.insert(d.date, d);
        }
    }

    /// The whole schedule of a year (imported or built in), by date, for export and display.
    pub fn schedule_of(&self, year: i32) -> Vec<ScheduledDay> {
        let mut v: Vec<ScheduledDay> = if self.imported_years.contains(&year) {
            self.imported
                .values()
                .filter(|d| d.date.year() == year)
                .cloned()
                .collect()
        } else {
            builtin()
                .values()
                .filter(|d| d.date.year() == year)
                .cloned()
                .collect()
        };
        v.sort_by_key(|d| d.date);
        v
    }
}

/// Parse schedule lines `YYYY-MM-DD 休|班 [name]`; the whole text or nothing.
fn parse_schedule(text: &str) -> Result<Vec<ScheduledDay>> {
    let mut days = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |code: &str| Error::invalid_with("schedule", code, format!("line {}", i + 1));
        let mut parts = line.split_whitespace();
        let date = parts
            .next()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| bad("date_invalid"))?;
        let kind = match parts.next() {
            Some("休" | "off" | "holiday") => DayKind::Holiday,
            Some("班" | "work" | "workday") => DayKind::MakeUpWorkday,
            _ => return Err(bad("kind_invalid")),
        };
        let name = parts.collect::<Vec<_>>().join(" ");
        days.push(ScheduledDay { date, kind, name });
    }
    Ok(days)
}

/// What [`store`] kept in the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSchedule {
    /// Years whose schedule the book now holds (each replaced whole).
    pub years: Vec<i32>,
    /// Scheduled days written.
    pub days: usize,
}

/// Keep imported schedules in the book, so every later start knows them: each year in `text`
/// replaces that year's stored days, in one transaction; a bad line changes nothing.
pub fn store(book: &mut crate::Book, text: &str) -> Result<StoredSchedule> {
    let days = parse_schedule(text)?;
    let years: Vec<i32> = days
        .iter()
        .map(|d| d.date.year())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    book.write(|tx| {
        for y in &years {
            tx.execute(
                "DELETE FROM work_schedule WHERE date BETWEEN ?1 AND ?2",
                [format!("{y:04}-01-01"), format!("{y:04}-12-31")],
            )?;
        }
        let mut add = tx.prepare_cached(
            "INSERT OR REPLACE INTO work_schedule (date, kind, name) VALUES (?1, ?2, ?3)",
        )?;
        for d in &days {
            let kind = match d.kind {
                DayKind::Holiday => "off",
                DayKind::MakeUpWorkday => "work",
            };
            add.execute([d.date.to_string(), kind.to_string(), d.name.clone()])?;
        }
        Ok(())
    })?;
    Ok(StoredSchedule {
        years,
        days: days.len(),
    })
}

/// The working-day calendar of a book: the built-in schedule with the book's imported years on
/// top.
pub fn from_book(book: &crate::Book) -> Result<WorkCalendar> {
    let mut stmt = book
        .conn()
        .prepare_cached("SELECT date, kind, name FROM work_schedule ORDER BY date")?;
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
        let date = crate::book::values::parse_date("schedule", &date)?;
        let kind = if kind == "work" {
            DayKind::MakeUpWorkday
        } else {
            DayKind::Holiday
        };
        days.push(ScheduledDay { date, kind, name });
    }
    let mut cal = WorkCalendar::new();
    cal.add_years(days);
    Ok(cal)
}
