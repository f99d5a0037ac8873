//! Drafts kept inside the book on real SQLite files: save, load, overwrite, discard, a
//! relaunch, a deleted client, and the migration that adds them to an older book.

use chrono::NaiveDate;
use rapport::book::SCHEMA_VERSION;
use rapport::clients::{self, ClientInput};
use rapport::{drafts, Book, Error};
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

fn person(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

fn drafts_count(book: &Book) -> i64 {
    book.conn()
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap()
}

fn has_drafts_table(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'drafts'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        == 1
}

#[test]
fn a_draft_is_saved_overwritten_loaded_and_discarded() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("张伟华"), today()).unwrap();
    let key = format!("contact:new:{}", c.id);
    assert_eq!(drafts::load(&book, &key).unwrap(), None);

    drafts::save(&mut book, &key, Some(c.id), r#"{"summary":"面谈"}"#).unwrap();
    assert_eq!(
        drafts::load(&book, &key).unwrap().as_deref(),
        Some(r#"{"summary":"面谈"}"#)
    );
    drafts::save(&mut book, &key, Some(c.id), r#"{"summary":"面谈资产配置"}"#).unwrap();
    assert_eq!(
        drafts::load(&book, &key).unwrap().as_deref(),
        Some(r#"{"summary":"面谈资产配置"}"#)
    );
    assert_eq!(drafts_count(&book), 1, "saving again replaces, never adds");

    drafts::save(&mut book, "client:new", None, "王").unwrap();
    assert_eq!(drafts_count(&book), 2);

    drafts::discard(&mut book, &key).unwrap();
    assert_eq!(drafts::load(&book, &key).unwrap(), None);
    drafts::discard(&mut book, &key).unwrap();
    assert_eq!(
        drafts::load(&book, "client:new").unwrap().as_deref(),
        Some("王"),
        "discarding one draft leaves the others"
    );
}

#[test]
fn a_blank_draft_is_discarded() {
    let (_dir, mut book) = fresh();
    drafts::save(&mut book, "client:new", None, "王").unwrap();
    drafts::save(&mut book, "client:new", None, " \n\t").unwrap();
    assert_eq!(drafts::load(&book, "client:new").unwrap(), None);
    assert_eq!(drafts_count(&book), 0);
    drafts::save(&mut book, "client:new", None, "").unwrap();
    assert_eq!(drafts_count(&book), 0);
}

#[test]
fn oversized_drafts_unknown_clients_and_blank_keys_are_refused() {
    let (_dir, mut book) = fresh();
    let long = "字".repeat(drafts::MAX_BODY + 1);
    match drafts::save(&mut book, "client:new", None, &long).unwrap_err() {
        Error::Invalid { field, code, .. } => {
            assert_eq!((field, code), ("body".into(), "too_long".into()))
        }
        other => panic!("{other:?}"),
    }
    let longest = "字".repeat(drafts::MAX_BODY);
    drafts::save(&mut book, "client:new", None, &longest).unwrap();
    assert_eq!(
        drafts::load(&book, "client:new")
            .unwrap()
            .map(|b| b.chars().count()),
        Some(drafts::MAX_BODY)
    );

    assert_eq!(
        drafts::save(&mut book, "contact:new:999", Some(999), "面谈").unwrap_err(),
        Error::not_found("client")
    );
    assert_eq!(drafts::load(&book, "contact:new:999").unwrap(), None);

    assert!(matches!(
        drafts::save(&mut book, "  ", None, "面谈").unwrap_err(),
        Error::Invalid { code, .. } if code == "required"
    ));
}

#[test]
fn drafts_survive_closing_and_reopening_the_book() {
    let (dir, mut book) = fresh();
    let path = book.path().to_path_buf();
    let c = clients::create(&mut book, &person("李娜"), today()).unwrap();
    drafts::save(&mut book, "client:edit", Some(c.id), "爱好：插花").unwrap();
    drop(book);
    let book = Book::open_existing(&path).unwrap();
    assert_eq!(
        drafts::load(&book, "client:edit").unwrap().as_deref(),
        Some("爱好：插花")
    );
    drop(dir);
}

#[test]
fn deleting_a_client_deletes_their_drafts_only() {
    let (_dir, mut book) = fresh();
    let gone = clients::create(&mut book, &person("赵六"), today()).unwrap();
    let kept = clients::create(&mut book, &person("钱七"), today()).unwrap();
    drafts::save(&mut book, "contact:new:gone", Some(gone.id), "回访").unwrap();
    drafts::save(&mut book, "family:new:gone", Some(gone.id), "配偶").unwrap();
    drafts::save(&mut book, "contact:new:kept", Some(kept.id), "回访").unwrap();
    drafts::save(&mut book, "client:new", None, "新客户").unwrap();
    clients::delete(&mut book, gone.id).unwrap();
    assert_eq!(drafts::load(&book, "contact:new:gone").unwrap(), None);
    assert_eq!(drafts::load(&book, "family:new:gone").unwrap(), None);
    assert!(drafts::load(&book, "contact:new:kept").unwrap().is_some());
    assert!(drafts::load(&book, "client:new").unwrap().is_some());
    assert_eq!(drafts_count(&book), 2);
}

#[test]
fn fresh_and_reopened_books_have_drafts_at_the_newest_schema() {
    let (dir, book) = fresh();
    let path = book.path().to_path_buf();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(has_drafts_table(book.conn()));
    drop(book);
    let book = Book::open(&path).unwrap();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(has_drafts_table(book.conn()));
    drop(dir);
}

#[test]
fn a_version_1_book_gains_drafts_and_keeps_its_clients() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.rapport");
    {
        // A book as the first release left it: schema 1 only, one client.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/book/migrations/0001_client_book.sql"
        )))
        .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO clients (name, name_sort, created_at, updated_at)
             VALUES ('王芳', 'wang fang', '2026-01-01 09:00:00', '2026-01-01 09:00:00');",
        )
        .unwrap();
        assert!(!has_drafts_table(&conn));
    }
    let mut book = Book::open_existing(&path).unwrap();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(has_drafts_table(book.conn()));
    assert_eq!(clients::count(&book).unwrap(), 1);
    let id: i64 = book
        .conn()
        .query_row("SELECT id FROM clients", [], |r| r.get(0))
        .unwrap();
    drafts::save(&mut book, "contact:new", Some(id), "面谈").unwrap();
    clients::delete(&mut book, id).unwrap();
    assert_eq!(
        drafts_count(&book),
        0,
        "the cascade works in a migrated book"
    );
}
