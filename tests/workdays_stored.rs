//! Imported holiday schedules kept in a real book file: every later start knows them.

use chrono::NaiveDate;
use rapport::rules::workdays::WorkCalendar;
use rapport::work_schedule;
use rapport::{Book, Error};
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// An illustrative 2027 schedule (not the State Council's, so the test does not depend on the
// announcement): Thu 02-04, Fri 02-05 and Mon 02-08 off, Saturday 02-13 a make-up working day.
const SCHEDULE_2027: &str =
    "# 2027\n2027-02-04 休 春节\n2027-02-05 休 春节\n2027-02-08 休 春节\n2027-02-13 班 春节\n";

#[test]
fn an_imported_year_survives_reopening_and_replaces_the_weekend_rule() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    assert!(
        !WorkCalendar::new().has_schedule(2027),
        "2027 is not built in"
    );
    let stored = work_schedule::store(&mut book, SCHEDULE_2027).unwrap();
    assert_eq!((stored.years, stored.days), (vec![2027], 4));
    drop(book);

    let book = Book::open(&path).unwrap();
    let cal = work_schedule::from_book(&book).unwrap();
    assert!(cal.has_schedule(2027));
    assert!(!cal.is_working_day(d(2027, 2, 4)), "Thursday off");
    assert!(cal.is_working_day(d(2027, 2, 13)), "make-up Saturday");
    assert!(
        !cal.is_working_day(d(2027, 2, 14)),
        "an ordinary Sunday stays off"
    );
    // Wed 02-03 + 1 working day skips Thu, Fri, the weekend and Mon 02-08.
    assert_eq!(cal.add_working_days(d(2027, 2, 3), 1), d(2027, 2, 9));
    // Built-in years are untouched.
    assert!(!cal.is_working_day(d(2026, 10, 1)));
}

#[test]
fn a_bad_line_changes_nothing_and_a_new_import_replaces_the_year_whole() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    work_schedule::store(&mut book, SCHEDULE_2027).unwrap();

    let bad = "2027-10-01 休 国庆节\n2027-10-02 maybe\n";
    let err = work_schedule::store(&mut book, bad).unwrap_err();
    assert_eq!(
        err,
        Error::invalid_with("schedule", "kind_invalid", "line 2")
    );
    let cal = work_schedule::from_book(&book).unwrap();
    assert!(
        !cal.is_working_day(d(2027, 2, 4)),
        "the earlier import is intact"
    );
    assert!(
        cal.is_working_day(d(2027, 10, 1)),
        "Friday 2027-10-01 is still a working day: the bad import stored nothing"
    );

    // A corrected 2027 replaces every 2027 day, including the ones it no longer names.
    work_schedule::store(&mut book, "2027-10-01 休 国庆节\n").unwrap();
    let cal = work_schedule::from_book(&book).unwrap();
    assert!(!cal.is_working_day(d(2027, 10, 1)));
    assert!(
        cal.is_working_day(d(2027, 2, 4)),
        "the old 2027 days are gone"
    );
    let n: i64 = book
        .conn()
        .query_row("SELECT count(*) FROM work_schedule", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
