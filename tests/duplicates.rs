//! Spotting a client entered twice, on real SQLite files: the same phone however it is typed,
//! the same ID number whatever its case, never the client being edited.

use chrono::NaiveDate;
use rapport::clients::{self, ClientInput};
use rapport::Book;
use rusqlite::Connection;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn fresh() -> (TempDir, Book) {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("book.rapport")).unwrap();
    (dir, book)
}

fn client(book: &mut Book, name: &str, phone: Option<&str>, id_number: Option<&str>) -> i64 {
    let input = ClientInput {
        name: name.into(),
        phone: phone.map(String::from),
        id_number: id_number.map(String::from),
        ..Default::default()
    };
    clients::create(book, &input, today()).unwrap().id
}

fn names(rows: Vec<clients::ClientRow>) -> Vec<String> {
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn the_same_phone_is_found_however_it_was_typed() {
    let (_dir, mut book) = fresh();
    client(&mut book, "张伟", Some("+86 138 0013 8000"), None);
    client(&mut book, "李娜", Some("138-0013-8000"), None);
    client(&mut book, "王芳", Some("(0571) 8888 6666"), None);
    client(&mut book, "赵六", Some("13800138001"), None);
    client(&mut book, "钱七", None, None);

    for typed in [
        "13800138000",
        "+86 138 0013 8000",
        "86 13800138000",
        "１３８００１３８０００",
    ] {
        let found = names(clients::duplicates(&book, Some(typed), None, None).unwrap());
        assert_eq!(found, vec!["李娜", "张伟"], "{typed:?}");
    }
    assert_eq!(
        names(clients::duplicates(&book, Some("0571-88886666"), None, None).unwrap()),
        vec!["王芳"]
    );
    // 86 is a country code only in front of an 11-digit number.
    assert!(clients::duplicates(&book, Some("8613800138"), None, None)
        .unwrap()
        .is_empty());
    assert!(clients::duplicates(&book, Some("13800138"), None, None)
        .unwrap()
        .is_empty());
    assert!(clients::duplicates(&book, None, None, None)
        .unwrap()
        .is_empty());
    assert!(clients::duplicates(&book, Some(" - "), Some("  "), None)
        .unwrap()
        .is_empty());
}

#[test]
fn the_same_id_number_is_found_whatever_its_case_and_spaces() {
    let (_dir, mut book) = fresh();
    client(&mut book, "张伟", None, Some("11010519491231002x"));
    client(&mut book, "李娜", None, Some("E12345678"));
    let found =
        names(clients::duplicates(&book, None, Some(" 110105 19491231 002X "), None).unwrap());
    assert_eq!(found, vec!["张伟"]);
    let found = names(clients::duplicates(&book, None, Some("e12345678"), None).unwrap());
    assert_eq!(found, vec!["李娜"]);
    assert!(clients::duplicates(&book, None, Some("E1234567"), None)
        .unwrap()
        .is_empty());
}

#[test]
fn phone_or_id_number_either_matches_and_rows_are_list_rows() {
    let (_dir, mut book) = fresh();
    let zhang = client(&mut book, "张伟", Some("13800138000"), None);
    client(&mut book, "李娜", None, Some("E12345678"));
    let mut edit = clients::get(&book, zhang).unwrap();
    edit.employer = Some("杭州银行".into());
    clients::update(
        &mut book,
        zhang,
        &ClientInput {
            name: edit.name,
            phone: edit.phone,
            employer: edit.employer,
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let rows = clients::duplicates(&book, Some("138 0013 8000"), Some("e12345678"), None).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["李娜", "张伟"]
    );
    assert_eq!(rows[1].id, zhang);
    assert_eq!(rows[1].phone.as_deref(), Some("13800138000"));
    assert_eq!(rows[1].organisation.as_deref(), Some("杭州银行"));
}

#[test]
fn the_client_being_edited_is_not_their_own_duplicate() {
    let (_dir, mut book) = fresh();
    let zhang = client(&mut book, "张伟", Some("13800138000"), Some("E12345678"));
    let twin = client(&mut book, "张伟", Some("13800138000"), None);
    let found =
        clients::duplicates(&book, Some("13800138000"), Some("E12345678"), Some(zhang)).unwrap();
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![twin]);
    assert!(
        clients::duplicates(&book, None, Some("E12345678"), Some(zhang))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn at_most_ten_are_returned() {
    let (_dir, mut book) = fresh();
    for i in 0..12 {
        client(&mut book, &format!("客户{i:02}"), Some("13800138000"), None);
    }
    assert_eq!(
        clients::duplicates(&book, Some("13800138000"), None, None)
            .unwrap()
            .len(),
        10
    );
}

#[test]
fn both_keys_are_looked_up_through_an_index() {
    let (_dir, book) = fresh();
    // The same statement as clients::duplicates, so a change to either shows here.
    let plan: Vec<String> = book
        .conn()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT c.id FROM clients c
             WHERE (c.phone_key = ?1 OR c.id_key = ?2) AND c.id IS NOT ?3
             ORDER BY c.name_sort, c.id LIMIT 10",
        )
        .unwrap()
        .query_map(["13800138000", "E1", "1"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("clients_by_phone_key"), "{plan}");
    assert!(plan.contains("clients_by_id_key"), "{plan}");
    assert!(!plan.contains("SCAN c"), "{plan}");
}

#[test]
fn clients_of_a_version_1_book_are_found_after_the_migration() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.rapport");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/book/migrations/0001_client_book.sql"
        )))
        .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO clients (name, name_sort, phone, id_number, created_at, updated_at)
             VALUES ('王芳', 'wang fang', '+86 139-0000-1111', 'e7654321',
                     '2026-01-01 09:00:00', '2026-01-01 09:00:00');",
        )
        .unwrap();
    }
    let book = Book::open_existing(&path).unwrap();
    assert_eq!(
        names(clients::duplicates(&book, Some("13900001111"), None, None).unwrap()),
        vec!["王芳"]
    );
    assert_eq!(
        names(clients::duplicates(&book, None, Some("E7654321"), None).unwrap()),
        vec!["王芳"]
    );
}
