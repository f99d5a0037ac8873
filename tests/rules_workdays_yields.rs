//! 工作日 and 对比分析法, checked against the State Council notices and hand-worked arithmetic.

use chrono::NaiveDate;
use rapport::rules::workdays::{DayKind, WorkCalendar};
use rapport::rules::yields::{compare, Product, Winner};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn national_day_and_spring_festival_schedules_from_the_notices() {
    let cal = WorkCalendar::new();
    // 2024 国庆: 10-01..10-07 off, Sun 09-29 and Sat 10-12 worked (国办发明电〔2023〕7号).
    for day in 1..=7 {
        assert!(!cal.is_working_day(d(2024, 10, day)), "2024-10-{day:02}");
    }
    assert!(cal.is_working_day(d(2024, 9, 29)));
    assert!(cal.is_working_day(d(2024, 10, 12)));
    assert!(!cal.is_working_day(d(2024, 10, 13)));
    // 2025 春节: 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked.
    assert!(cal.is_working_day(d(2025, 1, 26)));
    assert!(cal.is_working_day(d(2025, 2, 8)));
    assert!((28..=31).all(|x| !cal.is_working_day(d(2025, 1, x))));
    assert!((1..=4).all(|x| !cal.is_working_day(d(2025, 2, x))));
    assert_eq!(
        cal.scheduled(d(2025, 1, 26)).unwrap().kind,
        DayKind::MakeUpWorkday
    );
    assert_eq!(cal.scheduled(d(2025, 1, 29)).unwrap().name, "春节");
}

#[test]
fn adding_working_days() {
    let cal = WorkCalendar::new();
    assert_eq!(cal.add_working_days(d(2024, 9, 30), 1), d(2024, 10, 8));
    assert_eq!(cal.add_working_days(d(2024, 9, 27), 1), d(2024, 9, 29));
    assert_eq!(cal.add_working_days(d(2025, 1, 27), 1), d(2025, 2, 5));
    assert_eq!(cal.add_working_days(d(2025, 2, 7), 1), d(2025, 2, 8));
    assert_eq!(cal.add_working_days(d(2024, 10, 8), -1), d(2024, 9, 30));
    assert_eq!(cal.add_working_days(d(2024, 10, 5), 0), d(2024, 10, 5));
    // An ordinary week: Friday + 1 = Monday.
    assert_eq!(cal.add_working_days(d(2024, 3, 15), 1), d(2024, 3, 18));
}

#[test]
fn imported_year_replaces_and_extends() {
    let mut cal = WorkCalendar::new();
    assert!(!cal.has_schedule(2030));
    let n = cal
        .import(
            "# 2030 example\n2030-10-01 休 国庆节\n2030-10-02 off 国庆节\n2030-09-29 班 国庆节\n",
        )
        .unwrap();
    assert_eq!(n, 3);
    assert!(cal.has_schedule(2030));
    assert!(!cal.is_working_day(d(2030, 10, 1)));
    assert!(cal.is_working_day(d(2030, 9, 29))); // a Sunday
                                                 // Re-importing 2024 with one day replaces the whole built-in 2024.
    cal.import("2024-12-31 休 test").unwrap();
    assert!(cal.scheduled(d(2024, 10, 2)).is_none());
    assert!(cal.is_working_day(d(2024, 10, 2)));
    assert!(cal.import("2030-13-01 休").is_err());
    assert!(cal.import("2030-10-01 maybe").is_err());
}

fn p(rate: f64, term: i64, value_lag: i64, payout_lag: i64) -> Product {
    Product {
        rate_percent: rate,
        term_days: term,
        value_lag,
        payout_lag,
    }
}

/// DOMAIN.md: competitor +0.3 % on 6 months, value date and payout 2 working days later; we are
/// T+1 both ways. Worked by hand (bought Monday 2025-03-03, 100,000 yuan):
/// ours:   value Tue 03-04, matures 03-04+182 = 09-02, payout Wed 09-03; 184 days tied up;
///         interest 100000×3%×182/365 = 1495.890… → 1495.89; 1495.89×365/184/100000 = 2.9674 %.
/// theirs: value Thu 03-06, matures 09-04 (Thu), payout +3 = Tue 09-09; 190 days;
///         interest 100000×3.3%×182/365 = 1645.479… → 1645.48; 1645.48×365/190/100000 = 3.1611 %.
/// Over six months the +0.3 % survives the lags: theirs wins by 0.1937 points.
#[test]
fn domain_example_six_months() {
    let c = compare(
        100_000.0,
        d(2025, 3, 3),
        &p(3.0, 182, 1, 1),
        &p(3.3, 182, 3, 3),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert_eq!(c.ours.value_date, d(2025, 3, 4));
    assert_eq!(c.ours.payout_date, d(2025, 9, 3));
    assert_eq!(c.ours.days_tied_up, 184);
    assert_eq!(c.ours.interest, 1495.89);
    assert!((c.ours.effective_rate - 2.9674).abs() < 5e-5);
    assert_eq!(c.theirs.value_date, d(2025, 3, 6));
    assert_eq!(c.theirs.maturity_date, d(2025, 9, 4));
    assert_eq!(c.theirs.payout_date, d(2025, 9, 9));
    assert_eq!(c.theirs.days_tied_up, 190);
    assert_eq!(c.theirs.interest, 1645.48);
    assert!((c.theirs.effective_rate - 3.1611).abs() < 5e-5);
    assert_eq!(c.winner, Winner::Theirs);
    assert!((c.margin - 0.1937).abs() < 1e-4);
    assert!(c
        .steps
        .iter()
        .any(|s| s.contains("1495.89") && s.contains("184")));
    assert!(c.steps.last().unwrap().contains("对方"));
    assert!(c.warnings.is_empty());
}

/// The same +0.3 % on a 30-day product bought Thursday 2025-03-06, with 清明 (04-04..06):
/// ours:   value Fri 03-07, matures Sun 04-06 (holiday), payout Mon 04-07: 32 days;
///         100000×3%×30/365 = 246.575… → 246.58; 246.58×365/32/100000 = 2.8126 %.
/// theirs: value Tue 03-11, matures Thu 04-10, payout Tue 04-15: 40 days;
///         100000×3.3%×30/365 = 271.232… → 271.23; 271.23×365/40/100000 = 2.4750 %.
/// The advantage vanishes: ours wins by 0.3376 points.
#[test]
fn the_advantage_vanishes_on_a_short_term() {
    let c = compare(
        100_000.0,
        d(2025, 3, 6),
        &p(3.0, 30, 1, 1),
        &p(3.3, 30, 3, 3),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert_eq!(
        (c.ours.payout_date, c.ours.days_tied_up, c.ours.interest),
        (d(2025, 4, 7), 32, 246.58)
    );
    assert_eq!(
        (c.theirs.value_date, c.theirs.payout_date),
        (d(2025, 3, 11), d(2025, 4, 15))
    );
    assert_eq!((c.theirs.days_tied_up, c.theirs.interest), (40, 271.23));
    assert!((c.ours.effective_rate - 2.8126).abs() < 5e-5);
    assert!((c.theirs.effective_rate - 2.4750).abs() < 5e-5);
    assert_eq!(c.winner, Winner::Ours);
    assert!((c.margin - 0.3376).abs() < 1e-4);
    assert!((c.interest_difference - (246.58 - 271.23)).abs() < 1e-9);
}

#[test]
fn identical_products_tie_and_bad_input_is_refused() {
    let cal = WorkCalendar::new();
    let c = compare(
        50_000.0,
        d(2024, 6, 3),
        &p(2.5, 91, 1, 1),
        &p(2.5, 91, 1, 1),
        &cal,
    )
    .unwrap();
    assert_eq!(c.winner, Winner::Tie);
    assert_eq!(c.margin, 0.0);
    let err = |r: rapport::Result<_>| {
        r.map(|_: rapport::rules::yields::Comparison| ())
            .unwrap_err()
            .to_string()
    };
    assert!(err(compare(
        1.0,
        d(2024, 6, 3),
        &p(2.5, -91, 1, 1),
        &p(2.5, 91, 1, 1),
        &cal
    ))
    .contains("term_negative"));
    assert!(err(compare(
        -1.0,
        d(2024, 6, 3),
        &p(2.5, 91, 1, 1),
        &p(2.5, 91, 1, 1),
        &cal
    ))
    .contains("amount_not_positive"));
    assert!(err(compare(
        1.0,
        d(2024, 6, 3),
        &p(2.5, 91, -1, 1),
        &p(2.5, 91, 1, 1),
        &cal
    ))
    .contains("lag_negative"));
    assert!(err(compare(
        1.0,
        d(2024, 6, 3),
        &p(-2.5, 91, 1, 1),
        &p(2.5, 91, 1, 1),
        &cal
    ))
    .contains("rate_negative"));
}

#[test]
fn unknown_holiday_years_are_flagged() {
    let c = compare(
        10_000.0,
        d(2027, 1, 4),
        &p(2.0, 30, 1, 1),
        &p(2.1, 30, 1, 1),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert!(c.warnings.iter().any(|w| w.contains("2027")));
}
