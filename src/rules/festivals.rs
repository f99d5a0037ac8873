//! 节日: traditional and solar festivals of a year, and who each greeting suits.
//!
//! Dates are derived from the lunar calendar every time; there is no per-year table.

use crate::rules::lunar;
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Who a festival greeting suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every client.
    Everyone,
    /// Female clients (妇女节).
    Women,
    /// Older clients (重阳, the Double Ninth: 敬老节).
    Elders,
    /// Clients with a spouse or partner (七夕).
    Couples,
}

/// A festival on a concrete solar date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Festival {
    /// Stable key (`spring_festival`, `double_ninth` …).
    pub key: &'static str,
    /// Chinese name shown to the advisor.
    pub name: &'static str,
    /// Solar date.
    pub date: NaiveDate,
    /// Whether the rule is lunar.
    pub lunar: bool,
    /// Who the greeting suits.
    pub audience: Audience,
}

/// How a festival's date is found.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Lunar month/day of the ordinary (non-leap) month.
    Lunar(u8, u8),
    /// The last day of the 12th lunar month (除夕 is 廿九 in a short year).
    LunarYearEnd,
    /// Solar month/day.
    Solar(u32, u32),
}

const FESTIVALS: [(&str, &str, Rule, Audience); 12] = [
    ("new_year", "元旦", Rule::Solar(1, 1), Audience::Everyone),
    (
        "new_years_eve",
        "除夕",
        Rule::LunarYearEnd,
        Audience::Everyone,
    ),
    (
        "spring_festival",
        "春节",
        Rule::Lunar(1, 1),
        Audience::Everyone,
    ),
    ("lantern", "元宵", Rule::Lunar(1, 15), Audience::Everyone),
    ("womens_day", "妇女节", Rule::Solar(3, 8), Audience::Women),
    (
        "labour_day",
        "劳动节",
        Rule::Solar(5, 1),
        Audience::Everyone,
    ),
    ("dragon_boat", "端午", Rule::Lunar(5, 5), Audience::Everyone),
    ("qixi", "七夕", Rule::Lunar(7, 7), Audience::Couples),
    ("mid_autumn", "中秋", Rule::Lunar(8, 15), Audience::Everyone),
    (
        "national_day",
        "国庆",
        Rule::Solar(10, 1),
        Audience::Everyone,
    ),
    ("double_ninth", "重阳", Rule::Lunar(9, 9), Audience::Elders),
    ("laba", "腊八", Rule::Lunar(12, 8), Audience::Everyone),
];

/// First and last solar year whose festivals can be computed.
pub const YEARS: (i32, i32) = (1901, 2100);

/// Every festival falling in solar year `year`, by date.
///
/// A lunar festival is taken from whichever lunar year puts it in `year`: 腊八 can fall in
/// late December or in January, so a solar year may hold none or two of them.
pub fn festivals(year: i32) -> Result<Vec<Festival>> {
    if !(YEARS.0..=YEARS.1).contains(&year) {
        return Err(Error::invalid_with(
            "year",
            "year_out_of_range",
            format!("{}-{}", YEARS.0, YEARS.1),
        ));
    }
    let mut out = Vec::new();
    for (key, name, rule, audience) in FESTIVALS {
        let dates: Vec<NaiveDate> = match rule {
            Rule::Solar(m, d) => NaiveDate::from_ymd_opt(year, m, d).into_iter().collect(),
            Rule::Lunar(m, d) => [year - 1, year]
                .iter()
                .filter_map(|&ly| lunar::to_solar(ly, m, d, false).ok())
                .collect(),
            Rule::LunarYearEnd => [year - 1, year]
                .iter()
                .filter_map(|&ly| lunar::spring_festival(ly + 1).ok())
                .map(|sf| sf - Duration::days(1))
                .collect(),
        };
        for date in dates.into_iter().filter(|d| d.year() == year) {
            out.push(Festival {
                key,
                name,
                date,
                lunar: !matches!(rule, Rule::Solar(..)),
                audience,
            });
        }
    }
    out.sort_by_key(|f| f.date);
    Ok(out)
}

/// What is known about a greeting's recipient; unknown fields never exclude anyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Whether the person is female, if recorded.
    pub female: Option<bool>,
    /// Age in full years on the festival, if the birthday is recorded.
    pub age: Option<u32>,
    /// Whether the person has a spouse or partner, if recorded.
    pub has_partner: Option<bool>,
}

/// Age from which 重阳 greetings are suggested (advisor setting; 60 by default).
pub const DEFAULT_ELDER_AGE: u32 = 60;

/// Whether a festival's greeting suits a recipient. Unknown facts count as "suits" for
/// everyone-greetings only: a 妇女节 greeting needs a recorded female client.
pub fn suits(festival: &Festival, who: &Recipient, elder_age: u32) -> bool {
    match festival.audience {
        Audience::Everyone => true,
        Audience::Women => who.female == Some(true),
        Audience::Elders => who.age.is_some_and(|a| a >= elder_age),
        Audience::Couples => who.has_partner == Some(true),
    }
}
