//! A State Council notice replaces only what it covers: its own year whole, and single days of
//! the year before. The 2019 notice starts with 2018-12-29..31; importing it once wiped 2018's
//! 国庆, in memory and in the book.

use chrono::NaiveDate;
use rapport::rules::workdays::{DayKind, Notice, WorkCalendar};
use rapport::rules::yields::{compare, Comparison, Product};
use rapport::work_schedule::{self, StoredSchedule};
use rapport::Book;
use rusqlite::Connection;
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 国办发明电〔2018〕15号 as the advisor types it, with the 劳动节 change of March 2019.
const NOTICE_2019: &str = "\
# 国务院办公厅关于2019年部分节假日安排的通知
2018-12-29 班 元旦
2018-12-30 休 元旦
2018-12-31 休 元旦
2019-01-01 休 元旦
2019-02-02 班 春节
2019-02-03 班 春节
2019-02-04 休 春节
2019-02-05 休 春节
2019-02-06 休 春节
2019-02-07 休 春节
2019-02-08 休 春节
2019-02-09 休 春节
2019-02-10 休 春节
2019-04-05 休 清明节
2019-04-06 休 清明节
2019-04-07 休 清明节
2019-04-28 班 劳动节
2019-05-01 休 劳动节
2019-05-02 休 劳动节
2019-05-03 休 劳动节
2019-05-04 休 劳动节
2019-05-05 班 劳动节
2019-06-07 休 端午节
2019-06-08 休 端午节
2019-06-09 休 端午节
2019-09-13 休 中秋节
2019-09-14 休 中秋节
2019-09-15 休 中秋节
2019-09-29 班 国庆节
2019-10-01 休 国庆节
2019-10-02 休 国庆节
2019-10-03 休 国庆节
2019-10-04 休 国庆节
2019-10-05 休 国庆节
2019-10-06 休 国庆节
2019-10-07 休 国庆节
2019-10-12 班 国庆节
";

/// Bought Thursday 2018-09-27, a week either side of 国庆 2018.
fn across_national_day_2018(cal: &WorkCalendar) -> Comparison {
    let product = |rate_percent, lag| Product {
        rate_percent,
        term_days: 7,
        value_lag: lag,
        payout_lag: lag,
    };
    compare(
        100_000.0,
        d(2018, 9, 27),
        &product(3.0, 1),
        &product(3.3, 3),
        cal,
    )
    .unwrap()
}

/// 国庆 2018 as the 2018 notice set it: 10-01..10-07 off, Saturday 09-29 and Sunday 09-30
/// worked.
fn assert_national_day_2018(cal: &WorkCalendar, before: &Comparison) {
    for day in 1..=7 {
        assert!(!cal.is_working_day(d(2018, 10, day)), "2018-10-{day:02}");
    }
    assert!(cal.is_working_day(d(2018, 9, 29)));
    assert!(cal.is_working_day(d(2018, 9, 30)));
    assert!(cal.has_schedule(2018));
    assert_eq!(cal.add_working_days(d(2018, 9, 28), 1), d(2018, 9, 29));
    assert_eq!(cal.add_working_days(d(2018, 9, 30), 1), d(2018, 10, 8));
    // Theirs: value T+3 = Sun 09-30 (make-up days count), matures 10-07, payout T+3 = 10-10.
    let after = across_national_day_2018(cal);
    assert_eq!(
        (after.theirs.value_date, after.theirs.payout_date),
        (d(2018, 9, 30), d(2018, 10, 10))
    );
    assert_eq!(&after, before);
    // The notice's own days of 2018 are there: 元旦 2019 starts on Sunday 2018-12-30.
    assert_eq!(
        cal.scheduled(d(2018, 12, 29)).map(|s| s.kind),
        Some(DayKind::MakeUpWorkday)
    );
    assert!(!cal.is_working_day(d(2018, 12, 31)));
}

#[test]
fn a_notice_is_for_the_year_most_of_its_days_fall_in() {
    let notice = Notice::parse(NOTICE_2019).unwrap();
    assert_eq!(notice.year, Some(2019));
    assert_eq!(notice.years(), [2018, 2019]);
    assert_eq!(notice.days.len(), 37);
    // Two days each: notices reach back into the year before, so the later year.
    let tie = Notice::parse(
        "2026-12-31 休 元旦\n2026-12-30 休 元旦\n2027-01-01 休 元旦\n2027-01-02 休 元旦\n",
    )
    .unwrap();
    assert_eq!(tie.year, Some(2027));
    assert_eq!(Notice::parse("# nothing yet\n").unwrap().year, None);
}

#[test]
fn the_2019_notice_leaves_2018_national_day_alone_in_memory() {
    let before = across_national_day_2018(&WorkCalendar::new());
    let mut cal = WorkCalendar::new();
    assert_eq!(cal.import(NOTICE_2019).unwrap(), 37);
    assert_national_day_2018(&cal, &before);
    assert!(
        cal.is_working_day(d(2019, 2, 2)),
        "a Saturday worked for 春节"
    );
    assert!(!cal.is_working_day(d(2019, 5, 3)));

    // Imported twice: the same year, not twice the days.
    cal.import(NOTICE_2019).unwrap();
    assert_eq!(cal.schedule_of(2019).len(), 34);
    assert_national_day_2018(&cal, &before);

    // A correction of 2019 still replaces 2019 whole.
    cal.import("2019-10-08 休 国庆节\n").unwrap();
    assert_eq!(cal.schedule_of(2019).len(), 1);
    assert!(cal.is_working_day(d(2019, 10, 1)));
    assert_national_day_2018(&cal, &before);
}

fn years_replaced(book: &Book) -> Vec<i32> {
    book.conn()
        .prepare("SELECT year FROM work_schedule_years ORDER BY year")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn stored_days(book: &Book) -> i64 {
    book.conn()
        .query_row("SELECT count(*) FROM work_schedule", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_2019_notice_leaves_2018_national_day_alone_in_a_reopened_book() {
    let before = across_national_day_2018(&WorkCalendar::new());
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    let stored = work_schedule::store(&mut book, NOTICE_2019).unwrap();
    assert_eq!(
        stored,
        StoredSchedule {
            years: vec![2018, 2019],
            days: 37,
            replaced_year: Some(2019)
        }
    );
    // Twice: replaced, not doubled.
    work_schedule::store(&mut book, NOTICE_2019).unwrap();
    drop(book);

    let book = Book::open(&path).unwrap();
    assert_eq!(stored_days(&book), 37);
    assert_eq!(years_replaced(&book), [2019]);
    let cal = work_schedule::from_book(&book).unwrap();
    assert_national_day_2018(&cal, &before);
    assert_eq!(cal.schedule_of(2019).len(), 34);
    assert!(!cal.is_working_day(d(2019, 10, 7)));
}

#[test]
fn days_of_the_year_before_overlay_a_year_with_no_notice_of_its_own() {
    // An illustrative 2027 notice (not the State Council's): 元旦 from Thursday 2026-12-31.
    let notice = "2026-12-31 休 元旦\n2027-01-01 休 元旦\n2027-02-05 休 春节\n2027-02-08 休 春节\n";
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    work_schedule::store(&mut book, notice).unwrap();
    let mut in_memory = WorkCalendar::new();
    in_memory.import(notice).unwrap();
    for cal in [work_schedule::from_book(&book).unwrap(), in_memory] {
        assert!(!cal.is_working_day(d(2026, 12, 31)));
        assert!(!cal.is_working_day(d(2026, 10, 1)), "2026 国庆 untouched");
        assert!(cal.is_working_day(d(2026, 9, 20)), "nor its make-up Sunday");
        assert!(cal.has_schedule(2027));
        assert!(!cal.is_working_day(d(2027, 2, 5)));
        assert_eq!(cal.add_working_days(d(2026, 12, 30), 1), d(2027, 1, 4));
    }
}

#[test]
fn a_version_3_book_knows_which_stored_years_were_whole() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.rapport");
    {
        // A book as schema 3 left it: an imported 2019 notice stored 2018's three days too.
        let conn = Connection::open(&path).unwrap();
        for sql in [
            include_str!("../src/book/migrations/0001_client_book.sql"),
            include_str!("../src/book/migrations/0002_drafts.sql"),
            include_str!("../src/book/migrations/0003_duplicate_keys.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("PRAGMA user_version = 3;").unwrap();
        let mut add = conn
            .prepare("INSERT INTO work_schedule (date, kind, name) VALUES (?1, ?2, ?3)")
            .unwrap();
        for day in Notice::parse(NOTICE_2019).unwrap().days {
            let kind = match day.kind {
                DayKind::Holiday => "off",
                DayKind::MakeUpWorkday => "work",
            };
            add.execute([day.date.to_string(), kind.into(), day.name])
                .unwrap();
        }
    }
    let book = Book::open_existing(&path).unwrap();
    assert_eq!(
        book.schema_version().unwrap(),
        rapport::book::SCHEMA_VERSION
    );
    assert_eq!(years_replaced(&book), [2019]);
    let cal = work_schedule::from_book(&book).unwrap();
    assert_national_day_2018(&cal, &across_national_day_2018(&WorkCalendar::new()));
    assert!(!cal.is_working_day(d(2019, 10, 1)));
}
