//! 节日 and 生日 against the independent lunar reference (zhdate ∩ tyme4py fixture) and
//! hand-checked dates.

use chrono::{Datelike, Duration, NaiveDate};
use rapport::rules::birthdays::{age_on, xusui_on, Birthday, BirthdayRules, Feb29, LeapBirthday};
use rapport::rules::festivals::{festivals, suits, Audience, Recipient, DEFAULT_ELDER_AGE};
use std::collections::HashMap;
use std::path::Path;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Reference months (year, month, leap) → (first solar day, length) from the fixture: rows both
/// python libraries agree on, and tyme4py's side of the 2057 dispute (see rules_lunar.rs), which
/// moves 重阳 2057 from 10-06 (zhdate) to 10-07.
fn reference() -> HashMap<(i32, u8, bool), (NaiveDate, u8)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lunar_months_1901_2100.tsv"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.ends_with("zhdate"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                (f[1].parse().unwrap(), f[2].parse().unwrap(), f[3] == "1"),
                (f[0].parse().unwrap(), f[4].parse().unwrap()),
            )
        })
        .collect()
}

fn ref_day(
    r: &HashMap<(i32, u8, bool), (NaiveDate, u8)>,
    y: i32,
    m: u8,
    day: u8,
    leap: bool,
) -> Option<NaiveDate> {
    r.get(&(y, m, leap))
        .map(|(s, _)| *s + Duration::days(i64::from(day) - 1))
}

#[test]
fn festivals_2024_by_hand() {
    let f: HashMap<&str, NaiveDate> = festivals(2024)
        .unwrap()
        .into_iter()
        .map(|f| (f.name, f.date))
        .collect();
    let want = [
        ("元旦", d(2024, 1, 1)),
        ("腊八", d(2024, 1, 18)),
        ("除夕", d(2024, 2, 9)),
        ("春节", d(2024, 2, 10)),
        ("元宵", d(2024, 2, 24)),
        ("妇女节", d(2024, 3, 8)),
        ("劳动节", d(2024, 5, 1)),
        ("端午", d(2024, 6, 10)),
        ("七夕", d(2024, 8, 10)),
        ("中秋", d(2024, 9, 17)),
        ("国庆", d(2024, 10, 1)),
        ("重阳", d(2024, 10, 11)),
    ];
    for (name, date) in want {
        assert_eq!(f.get(name), Some(&date), "{name}");
    }
}

/// Every lunar festival of every year 1901–2100 equals the date the reference table gives,
/// and 除夕 is always the eve of 春节 (廿九 in years whose 12th month is short).
#[test]
fn festivals_every_year_match_the_reference() {
    let r = reference();
    let rules: [(&str, u8, u8); 7] = [
        ("春节", 1, 1),
        ("元宵", 1, 15),
        ("端午", 5, 5),
        ("七夕", 7, 7),
        ("中秋", 8, 15),
        ("重阳", 9, 9),
        ("腊八", 12, 8),
    ];
    let mut laba_counts = HashMap::new();
    for year in 1901..=2100 {
        let list = festivals(year).unwrap();
        assert!(list.windows(2).all(|w| w[0].date <= w[1].date));
        for (name, m, day) in rules {
            let want: Vec<NaiveDate> = [year - 1, year]
                .iter()
                .filter_map(|&ly| ref_day(&r, ly, m, day, false))
                .filter(|x| x.year() == year)
                .collect();
            let got: Vec<NaiveDate> = list
                .iter()
                .filter(|f| f.name == name)
                .map(|f| f.date)
                .collect();
            assert_eq!(got, want, "{name} {year}");
            if name == "腊八" {
                *laba_counts.entry(got.len()).or_insert(0) += 1;
            }
        }
        let eve = list.iter().find(|f| f.name == "除夕").unwrap().date;
        let spring = list.iter().find(|f| f.name == "春节").unwrap().date;
        assert_eq!(eve + Duration::days(1), spring);
        let (start12, len12) = r[&(year - 1, 12, false)];
        assert_eq!(
            eve,
            start12 + Duration::days(i64::from(len12) - 1),
            "除夕 {year} is the last day of 腊月"
        );
    }
    // 腊八 can fall in late December: some years have none, some two.
    assert!(laba_counts.contains_key(&1));
    println!("腊八 per solar year: {laba_counts:?}");
}

#[test]
fn festival_audiences() {
    let list = festivals(2025).unwrap();
    let get = |n: &str| list.iter().find(|f| f.name == n).unwrap().clone();
    assert_eq!(get("妇女节").audience, Audience::Women);
    assert_eq!(get("重阳").audience, Audience::Elders);
    let woman = Recipient {
        female: Some(true),
        age: Some(45),
        has_partner: None,
    };
    let old_man = Recipient {
        female: Some(false),
        age: Some(68),
        has_partner: Some(true),
    };
    assert!(suits(&get("妇女节"), &woman, DEFAULT_ELDER_AGE));
    assert!(!suits(&get("妇女节"), &old_man, DEFAULT_ELDER_AGE));
    assert!(suits(&get("重阳"), &old_man, DEFAULT_ELDER_AGE));
    assert!(!suits(&get("重阳"), &woman, DEFAULT_ELDER_AGE));
    assert!(suits(
        &get("春节"),
        &Recipient::default(),
        DEFAULT_ELDER_AGE
    ));
    assert!(festivals(1900).is_err() && festivals(2101).is_err());
}

/// Lunar day 30 in years whose month is short → 廿九, the last day; checked for every year
/// against the reference.
#[test]
fn lunar_day_30_every_year() {
    let r = reference();
    let bd = Birthday::lunar(8, 30, false).unwrap();
    let rules = BirthdayRules::default();
    let (mut short, mut long) = (0, 0);
    for year in 1901..=2100 {
        let (start, len) = r[&(year, 8, false)];
        let want = start + Duration::days(i64::from(len) - 1);
        assert_eq!(bd.in_year(year, &rules).unwrap(), want, "{year}");
        if len == 29 {
            short += 1
        } else {
            long += 1
        }
    }
    assert!(short > 0 && long > 0);
}

/// Born in 闰四月 2020: by default the ordinary 4th month every year; with the preference, the
/// leap 4th month in the years that have one (every such year checked against the reference).
#[test]
fn leap_month_birthdays() {
    let r = reference();
    let bd = Birthday::of_birth_date(d(2020, 6, 1), true).unwrap();
    assert_eq!(
        bd,
        Birthday::Lunar {
            month: 4,
            day: 10,
            leap: true
        }
    );
    let ordinary = BirthdayRules::default();
    let prefer = BirthdayRules {
        leap: LeapBirthday::LeapWhenPresent,
        ..Default::default()
    };
    let mut leap_years = 0;
    for year in 1901..=2100 {
        let plain = ref_day(&r, year, 4, 10, false).unwrap();
        assert_eq!(bd.in_year(year, &ordinary).unwrap(), plain);
        let want = ref_day(&r, year, 4, 10, true).unwrap_or(plain);
        assert_eq!(bd.in_year(year, &prefer).unwrap(), want, "{year}");
        if r.contains_key(&(year, 4, true)) {
            leap_years += 1;
        }
    }
    assert!(leap_years >= 5);
    // 2020 itself: the leap month exists, so the preference gives the birth day back.
    assert_eq!(bd.in_year(2020, &prefer).unwrap(), d(2020, 6, 1));
    assert_eq!(bd.in_year(2020, &ordinary).unwrap(), d(2020, 5, 2));
}

#[test]
fn feb_29_birthdays_and_ages() {
    let bd = Birthday::solar(2, 29).unwrap();
    let feb28 = BirthdayRules::default();
    let mar1 = BirthdayRules {
        feb29: Feb29::Mar1,
        ..Default::default()
    };
    assert_eq!(
        bd.next(d(2023, 1, 1), 3, &feb28).unwrap(),
        [d(2023, 2, 28), d(2024, 2, 29), d(2025, 2, 28)]
    );
    assert_eq!(
        bd.next(d(2023, 1, 1), 3, &mar1).unwrap(),
        [d(2023, 3, 1), d(2024, 2, 29), d(2025, 3, 1)]
    );
    assert_eq!(bd.next(d(2100, 1, 1), 1, &feb28).unwrap(), [d(2100, 2, 28)]); // 2100 is common
    let born = d(2000, 2, 29);
    assert_eq!(age_on(born, d(2023, 2, 27), &feb28), Some(22));
    assert_eq!(age_on(born, d(2023, 2, 28), &feb28), Some(23));
    assert_eq!(age_on(born, d(2023, 2, 28), &mar1), Some(22));
    assert_eq!(age_on(born, d(2023, 3, 1), &mar1), Some(23));
    assert_eq!(age_on(born, d(2024, 2, 29), &feb28), Some(24));
    assert_eq!(age_on(born, d(1999, 1, 1), &feb28), None);
    assert_eq!(age_on(d(1990, 7, 15), d(2024, 7, 14), &feb28), Some(33));
    assert_eq!(age_on(d(1990, 7, 15), d(2024, 7, 15), &feb28), Some(34));
}

#[test]
fn xusui_goes_up_at_spring_festival() {
    // Born 2023-12-31 (lunar 癸卯): 虚岁 1, then 2 on 春节 2024-02-10.
    assert_eq!(xusui_on(d(2023, 12, 31), d(2024, 2, 9)).unwrap(), Some(1));
    assert_eq!(xusui_on(d(2023, 12, 31), d(2024, 2, 10)).unwrap(), Some(2));
}

#[test]
fn next_birthdays_from_a_day_and_errors() {
    let rules = BirthdayRules::default();
    let bd = Birthday::lunar(1, 1, false).unwrap();
    // From 春节 itself the same day counts.
    assert_eq!(
        bd.next(d(2024, 2, 10), 2, &rules).unwrap(),
        [d(2024, 2, 10), d(2025, 1, 29)]
    );
    assert_eq!(
        bd.next(d(2024, 2, 11), 1, &rules).unwrap(),
        [d(2025, 1, 29)]
    );
    // A lunar 腊月 birthday in January belongs to the previous lunar year.
    let late = Birthday::lunar(12, 20, false).unwrap();
    assert_eq!(
        late.next(d(2024, 1, 1), 1, &rules).unwrap(),
        [d(2024, 1, 30)]
    );
    assert!(Birthday::lunar(13, 1, false)
        .unwrap_err()
        .to_string()
        .contains("month_out_of_range"));
    assert!(Birthday::solar(2, 30).is_err());
    assert!(bd
        .next(d(2099, 1, 1), 5, &rules)
        .unwrap_err()
        .to_string()
        .contains("beyond_calendar_range"));
}
