//! 农历: lunar calendar conversion 1901–2100.
//!
//! The months come from `tyme4rs` (pinned `=1.4.3`, see `docs/rules.md`), computed once into a
//! table of lunar months; every conversion after that is a binary search in the table. The crate
//! recomputes new moons on every call, which is far too slow for scanning a book of birthdays.

use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tyme4rs::tyme::lunar::LunarYear;
use tyme4rs::tyme::solar::SolarDay;

/// First lunar year in the table (its 11th month holds 1901-01-01).
pub const FIRST_YEAR: i32 = 1900;
/// Last lunar year in the table (its 12th month holds 2100-12-31).
pub const LAST_YEAR: i32 = 2100;

const STEMS: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
const BRANCHES: [&str; 12] = [
    "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
];
const MONTH_NAMES: [&str; 12] = [
    "正月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
];
const DAY_TENS: [&str; 4] = ["初", "十", "廿", "三"];
const DAY_UNITS: [&str; 10] = ["十", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// A date of the Chinese lunar calendar; `leap` marks a 闰月.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LunarDate {
    /// Lunar year (the year 春节 starts), e.g. 2023 for 癸卯.
    pub year: i32,
    /// Month 1–12 (the number of the month a leap month follows).
    pub month: u8,
    /// Day 1–30.
    pub day: u8,
    /// Whether the month is the leap month (闰月) of that number.
    pub leap: bool,
}

/// One lunar month of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarMonth {
    /// Lunar year.
    pub year: i32,
    /// Month number 1–12.
    pub month: u8,
    /// Whether it is a leap month.
    pub leap: bool,
    /// Solar date of day 初一.
    pub first_day: NaiveDate,
    /// Number of days, 29 or 30.
    pub days: u8,
}

impl LunarMonth {
    /// Solar date of the last day of the month.
    pub fn last_day(&self) -> NaiveDate {
        self.first_day + Duration::days(i64::from(self.days) - 1)
    }
}

/// Lunar years in the table.
const YEARS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;

/// The months of one lunar year of the table, computed on first use: the whole table costs
/// 70–90 ms to compute, which the first agenda of a session paid in full for the two or three
/// years around today.
fn year_months(year: i32) -> &'static [LunarMonth] {
    static TABLE: [OnceLock<Vec<LunarMonth>>; YEARS] = [const { OnceLock::new() }; YEARS];
    TABLE[(year - FIRST_YEAR) as usize].get_or_init(|| {
        LunarYear::from_year(year as isize)
            .get_months()
            .into_iter()
            .map(|m| LunarMonth {
                year,
                month: m.get_month() as u8,
                leap: m.is_leap(),
                first_day: solar_to_naive(&m.get_first_julian_day().get_solar_day()),
                days: m.get_day_count() as u8,
            })
            .collect()
    })
}

fn solar_to_naive(d: &SolarDay) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        d.get_year() as i32,
        d.get_month() as u32,
        d.get_day() as u32,
    )
    .expect("tyme4rs returns real solar dates")
}

/// Every lunar month from lunar year [`FIRST_YEAR`] to [`LAST_YEAR`], in order.
pub fn months() -> Vec<LunarMonth> {
    (FIRST_YEAR..=LAST_YEAR)
        .flat_map(|y| year_months(y).iter().copied())
        .collect()
}

/// The solar dates this module converts: the first and last day of the table.
pub fn solar_range() -> (NaiveDate, NaiveDate) {
    let first = year_months(FIRST_YEAR)[0].first_day;
    let last = year_months(LAST_YEAR).last().map(LunarMonth::last_day);
    (first, last.unwrap_or(first))
}

/// The lunar months of one lunar year, in calendar order (a leap month follows its namesake).
pub fn months_of_year(year: i32) -> Result<&'static [LunarMonth]> {
    check_year(year)?;
    Ok(year_months(year))
}

/// The leap month (闰月) number of a lunar year, if it has one.
pub fn leap_month(year: i32) -> Result<Option<u8>> {
    Ok(months_of_year(year)?
        .iter()
        .find(|m| m.leap)
        .map(|m| m.month))
}

/// A month of the table, checking that it exists (a leap month only in a year that has it).
pub fn month(year: i32, month: u8, leap: bool) -> Result<LunarMonth> {
    if !(1..=12).contains(&month) {
        return Err(Error::invalid_with("month", "month_out_of_range", "1-12"));
    }
    months_of_year(year)?
        .iter()
        .find(|m| m.month == month && m.leap == leap)
        .copied()
        .ok_or_else(|| {
            Error::invalid_with(
                "leap",
                "leap_month_absent",
                format!("lunar year {year} has no leap month {month}"),
            )
        })
}

fn check_year(year: i32) -> Result<()> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(Error::invalid_with(
            "year",
            "year_out_of_range",
            format!("{FIRST_YEAR}-{LAST_YEAR}"),
        ))
    }
}

/// Solar → lunar.
pub fn to_lunar(date: NaiveDate) -> Result<LunarDate> {
    let (first, last) = solar_range();
    if date < first || date > last {
        return Err(Error::invalid_with(
            "date",
            "date_out_of_range",
            format!("{first}..{last}"),
        ));
    }
    // A day falls in the lunar year its solar year starts, or, before that 春节, in the one
    // before.
    let m = [date.year(), date.year() - 1]
        .into_iter()
        .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
        .flat_map(|y| year_months(y).iter())
        .find(|m| m.first_day <= date && date <= m.last_day())
        .copied()
        .ok_or_else(|| Error::invalid("date", "date_out_of_range"))?;
    Ok(LunarDate {
        year: m.year,
        month: m.month,
        day: ((date - m.first_day).num_days() + 1) as u8,
        leap: m.leap,
    })
}

/// Lunar → solar; errors name the rule broken (`month_out_of_range`, `leap_month_absent`,
/// `day_out_of_range`, `year_out_of_range`).
pub fn to_solar(year: i32, month_no: u8, day: u8, leap: bool) -> Result<NaiveDate> {
    let m = month(year, month_no, leap)?;
    if day < 1 || day > m.days {
        return Err(Error::invalid_with(
            "day",
            "day_out_of_range",
            format!("1-{}", m.days),
        ));
    }
    Ok(m.first_day + Duration::days(i64::from(day) - 1))
}

impl LunarDate {
    /// A checked lunar date.
    pub fn new(year: i32, month: u8, day: u8, leap: bool) -> Result<Self> {
        to_solar(year, month, day, leap)?;
        Ok(LunarDate {
            year,
            month,
            day,
            leap,
        })
    }

    /// The solar date of this lunar date.
    pub fn to_solar(&self) -> Result<NaiveDate> {
        to_solar(self.year, self.month, self.day, self.leap)
    }

    /// Chinese text such as 癸卯年闰二月十五.
    pub fn text(&self) -> String {
        format!(
            "{}年{}{}",
            year_ganzhi(self.year),
            month_name(self.month, self.leap),
            day_name(self.day)
        )
    }
}

/// The sexagenary (干支) name of a lunar year, e.g. 癸卯 for 2023.
pub fn year_ganzhi(year: i32) -> String {
    let i = (year - 4).rem_euclid(60) as usize;
    format!("{}{}", STEMS[i % 10], BRANCHES[i % 12])
}

/// The zodiac animal (生肖) of a lunar year.
pub fn zodiac(year: i32) -> &'static str {
    const ANIMALS: [&str; 12] = [
        "鼠", "牛", "虎", "兔", "龙", "蛇", "马", "羊", "猴", "鸡", "狗", "猪",
    ];
    ANIMALS[(year - 4).rem_euclid(12) as usize]
}

/// Month name such as 正月, 闰二月, 十二月.
pub fn month_name(month: u8, leap: bool) -> String {
    let name = MONTH_NAMES[(month.clamp(1, 12) - 1) as usize];
    if leap {
        format!("闰{name}")
    } else {
        name.to_string()
    }
}

/// Day name such as 初一, 十五, 廿九, 三十.
pub fn day_name(day: u8) -> String {
    match day {
        10 => "初十".into(),
        20 => "二十".into(),
        30 => "三十".into(),
        d => format!(
            "{}{}",
            DAY_TENS[(d / 10).min(3) as usize],
            DAY_UNITS[(d % 10) as usize]
        ),
    }
}

/// Lunar year of a solar date, convenient for 虚岁 and zodiac.
pub fn lunar_year_of(date: NaiveDate) -> Result<i32> {
    to_lunar(date).map(|l| l.year)
}

/// Solar date of 春节 (正月初一) of a lunar year.
pub fn spring_festival(year: i32) -> Result<NaiveDate> {
    to_solar(year, 1, 1, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn text_of_a_leap_month_day() {
        let l = to_lunar(d(2023, 4, 5)).unwrap();
        assert_eq!(
            l,
            LunarDate {
                year: 2023,
                month: 2,
                day: 15,
                leap: true
            }
        );
        assert_eq!(l.text(), "癸卯年闰二月十五");
    }

    #[test]
    fn day_names() {
        let names: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 29, 30]
            .iter()
            .map(|&x| day_name(x))
            .collect();
        assert_eq!(
            names,
            [
                "初一", "初九", "初十", "十一", "十九", "二十", "廿一", "廿九", "三十"
            ]
        );
    }

    #[test]
    fn range_is_whole_lunar_years() {
        let (first, last) = solar_range();
        assert!(first <= d(1901, 1, 1) && last >= d(2100, 12, 31));
        assert_eq!(to_lunar(first).unwrap().year, FIRST_YEAR);
        assert!(to_lunar(first.pred_opt().unwrap()).is_err());
        assert_eq!(first.year(), 1900);
    }

    #[test]
    fn absent_leap_month_is_an_error() {
        let e = to_solar(2024, 2, 1, true).unwrap_err();
        assert!(e.to_string().contains("leap_month_absent"), "{e}");
        assert!(to_solar(2024, 13, 1, false)
            .unwrap_err()
            .to_string()
            .contains("month_out_of_range"));
    }
}
