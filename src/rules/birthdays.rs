//! 生日: next concrete birthday dates, solar and lunar, and ages.
//!
//! The hard cases and their defaults (settable in [`BirthdayRules`]):
//! - lunar day 30 in a year whose month has 29 days → 廿九, the last day of that month;
//! - born in a leap month → the ordinary month of that number, or, if the advisor prefers,
//!   the leap month in the years that have the same leap month;
//! - solar 29 February in a common year → 28 February, or 1 March as a choice.

use crate::rules::lunar;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A birthday as the client keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "calendar", rename_all = "snake_case")]
pub enum Birthday {
    /// Solar (公历) month and day.
    Solar {
        /// Month 1–12.
        month: u32,
        /// Day 1–31.
        day: u32,
    },
    /// Lunar (农历) month and day, `leap` if born in a 闰月.
    Lunar {
        /// Month 1–12.
        month: u8,
        /// Day 1–30.
        day: u8,
        /// Born in the leap month of that number.
        leap: bool,
    },
}

/// Where 29 February goes in a common year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feb29 {
    /// 28 February (default: the birthday stays in its month).
    #[default]
    Feb28,
    /// 1 March (the day after 28 February, as some families count it).
    Mar1,
}

/// Which month a leap-month birthday uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeapBirthday {
    /// Always the ordinary month of that number (default, the common practice).
    #[default]
    OrdinaryMonth,
    /// The leap month in years that have the same leap month, else the ordinary one.
    LeapWhenPresent,
}

/// The advisor's choices for the hard cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthdayRules {
    /// Solar 29 February in common years.
    pub feb29: Feb29,
    /// Lunar leap-month birthdays.
    pub leap: LeapBirthday,
}

impl Birthday {
    /// A checked solar birthday (29 February allowed).
    pub fn solar(month: u32, day: u32) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(Error::invalid_with("month", "month_out_of_range", "1-12"));
        }
        // 2000 is a leap year: any real month/day exists in it.
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err(Error::invalid_with(
                "day",
                "day_out_of_range",
                "not a day of that month",
            ));
        }
        Ok(Birthday::Solar { month, day })
    }

    /// A checked lunar birthday (day 30 allowed: months have 29 or 30 days by year).
    pub fn lunar(month: u8, day: u8, leap: bool) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(Error::invalid_with("month", "month_out_of_range", "1-12"));
        }
        if !(1..=30).contains(&day) {
            return Err(Error::invalid_with("day", "day_out_of_range", "1-30"));
        }
        Ok(Birthday::Lunar { month, day, leap })
    }

    /// The birthday of someone born on a solar date, kept in the given calendar.
    pub fn of_birth_date(birth: NaiveDate, lunar_calendar: bool) -> Result<Self> {
        if lunar_calendar {
            let l = lunar::to_lunar(birth)?;
            Ok(Birthday::Lunar {
                month: l.month,
                day: l.day,
                leap: l.leap,
            })
        } else {
            Ok(Birthday::Solar {
                month: birth.month(),
                day: birth.day(),
            })
        }
    }

    /// The solar date this birthday falls on in `year`: the solar year for a solar birthday,
    /// the lunar year for a lunar one.
    pub fn in_year(&self, year: i32, rules: &BirthdayRules) -> Result<NaiveDate> {
        match *self {
            Birthday::Solar { month, day } => {
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                    return Ok(d);
                }
                if (month, day) != (2, 29) {
                    return Err(Error::invalid_with(
                        "day",
                        "day_out_of_range",
                        "not a day of that month",
                    ));
                }
                let (m, d) = match rules.feb29 {
                    Feb29::Feb28 => (2, 28),
                    Feb29::Mar1 => (3, 1),
                };
                NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| {
                    Error::invalid_with("year", "year_out_of_range", "not a calendar year")
                })
            }
            Birthday::Lunar { month, day, leap } => {
                let use_leap = leap
                    && rules.leap == LeapBirthday::LeapWhenPresent
                    && lunar::leap_month(year)? == Some(month);
                let m = lunar::month(year, month, use_leap)?;
                lunar::to_solar(year, month, day.min(m.days), use_leap)
            }
        }
    }

    /// The next `count` birthdays on or after `from` (a birthday on `from` itself counts).
    pub fn next(
        &self,
        from: NaiveDate,
        count: usize,
        rules: &BirthdayRules,
    ) -> Result<Vec<NaiveDate>> {
        let first_year = match self {
            Birthday::Solar { .. } => from.year(),
            // The lunar year of `from` may still hold this year's birthday, or it may be gone.
            Birthday::Lunar { .. } => lunar::lunar_year_of(from)?,
        };
        let mut out = Vec::with_capacity(count);
        let mut year = first_year;
        while out.len() < count {
            let d = self.in_year(year, rules).map_err(|_| {
                Error::invalid_with(
                    "count",
                    "beyond_calendar_range",
                    format!("birthdays are known up to lunar year {}", lunar::LAST_YEAR),
                )
            })?;
            if d >= from {
                out.push(d);
            }
            year += 1;
        }
        Ok(out)
    }
}

/// Age in full years (周岁) on `on`: it goes up on the day the birthday is celebrated, so a
/// 29 February child turns a year older on 28 February or 1 March of a common year as
/// `rules.feb29` says. `None` before birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate, rules: &BirthdayRules) -> Option<u32> {
    if on < birth {
        return None;
    }
    let years = on.year() - birth.year();
    let bd = Birthday::Solar {
        month: birth.month(),
        day: birth.day(),
    };
    let this_year = bd.in_year(on.year(), rules).ok()?;
    Some((if on >= this_year { years } else { years - 1 }) as u32)
}

/// 虚岁: one at birth, one more at every 春节 (lunar new year).
pub fn xusui_on(birth: NaiveDate, on: NaiveDate) -> Result<Option<u32>> {
    if on < birth {
        return Ok(None);
    }
    Ok(Some(
        (lunar::lunar_year_of(on)? - lunar::lunar_year_of(birth)? + 1) as u32,
    ))
}

/// A stored birthday's next celebration: the solar date, the age turned, the days to wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NextBirthday {
    /// Solar date of the next birthday, `YYYY-MM-DD` (today counts).
    pub date: String,
    /// The age turned that day: solar years for a solar birthday, lunar years for a lunar one.
    pub turns: u32,
    /// Days from today; 0 on the day.
    pub days_until: u32,
}

/// The next birthday of a birthday as the book stores it, seen on `today`.
pub fn next_of(
    stored: &crate::book::values::Birthday,
    today: NaiveDate,
    rules: &BirthdayRules,
) -> Result<NextBirthday> {
    let (birth_year, month, day) = crate::book::values::parse_ymd("birthday", &stored.date)?;
    let (date, celebrated_year) =
        next_celebration(stored.calendar, month, day, stored.leap, today, rules)?;
    Ok(NextBirthday {
        date: date.to_string(),
        turns: (celebrated_year - birth_year).max(0) as u32,
        days_until: (date - today).num_days().max(0) as u32,
    })
}

/// The next celebration of a birthday on `month`-`day` of its calendar, seen on `today`: the
/// solar date and the year (solar, or lunar for a lunar birthday) it is celebrated in. It does
/// not depend on the year of birth, so everyone born on one month-day shares it.
pub fn next_celebration(
    calendar: crate::book::values::Calendar,
    month: u32,
    day: u32,
    leap: bool,
    today: NaiveDate,
    rules: &BirthdayRules,
) -> Result<(NaiveDate, i32)> {
    use crate::book::values::Calendar;
    let birthday = match calendar {
        Calendar::Solar => Birthday::solar(month, day)?,
        Calendar::Lunar => {
            let (m, d) = (u8::try_from(month), u8::try_from(day));
            let (Ok(m), Ok(d)) = (m, d) else {
                return Err(Error::invalid("birthday", "date_impossible"));
            };
            Birthday::lunar(m, d, leap)?
        }
    };
    let date = birthday.next(today, 1, rules)?[0];
    let year = match calendar {
        Calendar::Solar => date.year(),
        Calendar::Lunar => lunar::lunar_year_of(date)?,
    };
    Ok((date, year))
}
