//! 工作日: weekends, statutory holidays and make-up working days.
//!
//! The built-in schedule is the State Council table carried by `tyme4rs` (2002–2026), parsed
//! once into a map: the crate's own lookup compiles a regex on every call. Later years are
//! announced each November; the advisor imports each notice ([`WorkCalendar::import`]). A
//! notice replaces its own year entirely, so a correction is also an import; the days it lists
//! in the year before (the 2019 notice starts with 2018-12-29..31 for 元旦) only overlay that
//! year day by day, so the earlier year's own holidays stay as they were.

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

/// One State Council notice: the days it lists and the year it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The year the notice is for: the year most of its days fall in (on a tie the later
    /// one, since notices reach back into the year before, never forward). `None` when it lists
    /// no day.
    pub year: Option<i32>,
    /// Every day it lists, in the order given.
    pub days: Vec<ScheduledDay>,
}

impl Notice {
    /// Read a notice, one day a line: `YYYY-MM-DD 休|班 [name]` (also `off`/`work`); blank
    /// lines and `#` comments are skipped. The whole text or nothing.
    pub fn parse(text: &str) -> Result<Notice> {
        let days = parse_schedule(text)?;
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for d in &days {
            *per_year.entry(d.date.year()).or_default() += 1;
        }
        // max_by_key keeps the last of equal counts: the later year.
        let year = per_year
            .into_iter()
            .max_by_key(|&(_, n)| n)
            .map(|(year, _)| year);
        Ok(Notice { year, days })
    }

    /// The years whose days the notice lists, ascending.
    pub fn years(&self) -> Vec<i32> {
        let years: BTreeSet<i32> = self.days.iter().map(|d| d.date.year()).collect();
        years.into_iter().collect()
    }
}

/// Working days: weekends, the built-in statutory schedule, and imported notices on top.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// Imported days: the whole schedule of a replaced year, single days elsewhere.
    imported: BTreeMap<NaiveDate, ScheduledDay>,
    /// Years whose built-in schedule an imported notice replaced.
    imported_years: BTreeSet<i32>,
}

impl WorkCalendar {
    /// The built-in schedule only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the statutory schedule of `year` is known (built in or imported); without it only
    /// weekends count, and callers should say so. A few days a notice lists in the year before
    /// do not make that year's schedule known.
    pub fn has_schedule(&self, year: i32) -> bool {
        self.imported_years.contains(&year) || builtin_years().contains(&year)
    }

    /// The schedule entry of a date, if it is a statutory day off or make-up working day.
    pub fn scheduled(&self, date: NaiveDate) -> Option<&ScheduledDay> {
        if let Some(day) = self.imported.get(&date) {
            Some(day)
        } else if self.imported_years.contains(&date.year()) {
            None
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

    /// Import one notice (see [`Notice::parse`]): its year replaces that year's previous
    /// schedule whole, its days in other years overlay theirs one by one. Returns the number of
    /// days read; nothing changes on error.
    pub fn import(&mut self, text: &str) -> Result<usize> {
        let notice = Notice::parse(text)?;
        self.apply(&notice);
        Ok(notice.days.len())
    }

    /// Apply a parsed notice, as [`WorkCalendar::import`] does.
    pub fn apply(&mut self, notice: &Notice) {
        let Some(year) = notice.year else { return };
        let (own, others): (Vec<_>, Vec<_>) = notice
            .days
            .iter()
            .cloned()
            .partition(|d| d.date.year() == year);
        self.replace_year(year, own);
        self.overlay(others);
    }

    /// Replace the whole schedule of `year` with `days` (days of other years are ignored): the
    /// built-in schedule and every earlier import of that year no longer count.
    pub fn replace_year(&mut self, year: i32, days: impl IntoIterator<Item = ScheduledDay>) {
        self.imported.retain(|d, _| d.year() != year);
        self.imported_years.insert(year);
        self.overlay(days.into_iter().filter(|d| d.date.year() == year));
    }

    /// Put single days on top of the schedule, each replacing what that date was.
    pub fn overlay(&mut self, days: impl IntoIterator<Item = ScheduledDay>) {
        for d in days {
            self.imported.insert(d.date, d);
        }
    }

    /// The whole schedule of a year (imported or built in), by date, for export and display.
    pub fn schedule_of(&self, year: i32) -> Vec<ScheduledDay> {
        let mut by_date: BTreeMap<NaiveDate, ScheduledDay> = BTreeMap::new();
        if !self.imported_years.contains(&year) {
            by_date.extend(
                builtin()
                    .values()
                    .filter(|d| d.date.year() == year)
                    .map(|d| (d.date, d.clone())),
            );
        }
        by_date.extend(
            self.imported
                .range(year_range(year))
                .map(|(date, d)| (*date, d.clone())),
        );
        by_date.into_values().collect()
    }
}

fn year_range(year: i32) -> std::ops::RangeInclusive<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    first..=last
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
