//! Bad input everywhere breaks nothing: dates typed every way Chinese users write them, lunar
//! dates of any shape, search queries holding FTS5's own operators, and names and notes with
//! emoji, control characters, mixed scripts or huge text. Property tests on real books.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rapport::book::values::{parse_date, parse_ymd};
use rapport::clients::{self, ClientInput};
use rapport::rules::lunar;
use rapport::{search, Book, Error};
use tempfile::TempDir;

fn day() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2100, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// Digits as a Chinese input method may type them, full width.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
            '-' => '－',
            '/' => '／',
            other => other,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_date_reads_the_same_however_it_is_written(d in day(), form in 0usize..7) {
        let (y, m, dd) = (d.year(), d.month(), d.day());
        let text = match form {
            0 => format!("{y:04}-{m:02}-{dd:02}"),
            1 => format!("{y}/{m}/{dd}"),
            2 => format!("{y}.{m:02}.{dd:02}"),
            3 => format!("{y:04}{m:02}{dd:02}"),
            4 => format!("{y}年{m}月{dd}日"),
            5 => full_width(&format!("{y:04}-{m:02}-{dd:02}")),
            _ => format!("  {y}-{m}-{dd} "),
        };
        prop_assert_eq!(parse_ymd("date", &text).unwrap(), (y, m, dd), "{}", text);
        prop_assert_eq!(parse_date("date", &text).unwrap(), d, "{}", text);
    }

    #[test]
    fn any_text_as_a_date_is_read_or_refused_with_a_code(text in "\\PC{0,24}") {
        match parse_date("date", &text) {
            Ok(_) => {}
            Err(Error::Invalid { field, code, .. }) => {
                prop_assert_eq!(field, "date");
                prop_assert!(!code.is_empty());
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn a_lunar_date_of_any_shape_converts_or_is_refused(
        y in -10i32..2300, m in 0u8..20, d in 0u8..40, leap: bool
    ) {
        match lunar::to_solar(y, m, d, leap) {
            Ok(solar) => {
                // Whatever converts, converts back to the same lunar day.
                let back = lunar::to_lunar(solar).unwrap();
                prop_assert_eq!((back.year, back.month, back.day, back.leap), (y, m, d, leap));
            }
            Err(Error::Invalid { .. }) => {}
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}

/// FTS5's own syntax, and text that has broken full-text engines before.
const NASTY: &[&str] = &[
    "\"",
    "\"\"",
    "*",
    "王*",
    "NEAR(王 李)",
    "AND",
    "OR",
    "NOT",
    "王 OR 李",
    "-王",
    "^王",
    "name:王",
    "(",
    ")",
    "()",
    "{",
    "}",
    ":",
    "'",
    "''",
    "\\",
    "%",
    "_",
    "\0",
    "\u{7}",
    "😀",
    "👨‍👩‍👧",
    "ＡＢＣ",
    "ｗｈｙ",
    "e\u{301}",
    "\u{202e}王",
    "   ",
    "\t\n",
];

fn book() -> (TempDir, Book) {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    for name in ["王芳", "李娜", "Zhang Wei 张伟", "😀表情客户"] {
        clients::create(
            &mut book,
            &ClientInput {
                name: name.into(),
                notes: Some("孩子准备留学，关心保险和基金".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap();
    }
    (dir, book)
}

#[test]
fn search_operators_in_a_query_are_text_not_syntax() {
    let (_dir, book) = book();
    for q in NASTY {
        let hits = search::search(&book, q, 20);
        assert!(hits.is_ok(), "{q:?}: {hits:?}");
    }
    // A name holding an emoji is found by its words (the emoji itself is not a word to the
    // index, as punctuation is not).
    let hits = search::search(&book, "表情", 20).unwrap();
    assert!(hits.iter().any(|h| h.name == "😀表情客户"), "{hits:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_query_searches_without_error(q in "\\PC{0,12}|[\"*():^ANDORNOT王李 ]{0,12}") {
        let (_dir, book) = book();
        prop_assert!(search::search(&book, &q, 20).is_ok(), "{:?}", q);
    }

    #[test]
    fn any_name_and_note_is_kept_as_typed_or_refused_with_a_code(
        name in "\\PC{0,40}", note in "(\\PC|\\p{Cc}){0,300}"
    ) {
        let (_dir, mut book) = book();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let input = ClientInput { name: name.clone(), notes: Some(note.clone()), ..Default::default() };
        match clients::create(&mut book, &input, today) {
            Ok(c) => {
                prop_assert_eq!(c.name.trim(), name.trim());
                // Found again by its own name, whatever it holds.
                prop_assert!(search::search(&book, &c.name, 50).is_ok());
                let page = clients::profile(&book, c.id, today).unwrap();
                prop_assert_eq!(page.client.id, c.id);
            }
            Err(Error::Invalid { field, .. }) => prop_assert!(field == "name" || field == "notes"),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}

#[test]
fn a_huge_note_goes_in_whole_or_is_refused_whole() {
    let (_dir, mut book) = book();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    for size in [5_000usize, 20_000, 200_000] {
        let note: String = "客户说明年想为孩子准备留学资金😀"
            .chars()
            .cycle()
            .take(size)
            .collect();
        let input = ClientInput {
            name: format!("长备注{size}"),
            notes: Some(note.clone()),
            ..Default::default()
        };
        match clients::create(&mut book, &input, today) {
            Ok(c) => assert_eq!(c.notes.as_deref(), Some(note.as_str())),
            Err(Error::Invalid { field, code, .. }) => {
                assert_eq!((field.as_str(), code.as_str()), ("notes", "too_long"));
                let n: i64 = book
                    .conn()
                    .query_row(
                        "SELECT count(*) FROM clients WHERE name = ?1",
                        [&input.name],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(n, 0);
            }
            Err(other) => panic!("{other:?}"),
        }
    }
}
