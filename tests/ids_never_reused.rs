//! Ids are never handed out twice, on real SQLite files: a deleted client's, contact's, family
//! member's or follow-up's id never comes back on a new row, in a new book or an upgraded one.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::book::values::{Channel, ContactKind, Relation};
use rapport::book::{backup_path, SCHEMA_VERSION};
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, ContactInput, FollowUpInput};
use rapport::family::{self, FamilyInput};
use rapport::{search, Book, Error};
use rusqlite::Connection;
use std::path::Path;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn now() -> NaiveDateTime {
    today().and_hms_opt(18, 0, 0).unwrap()
}

fn person(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

fn note(summary: &str) -> ContactInput {
    ContactInput {
        at: Some("2026-11-02 10:00".into()),
        channel: Channel::Visit,
        kind: ContactKind::Note,
        summary: summary.into(),
        needs: None,
        follow_ups: vec![],
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    }
}

fn child(name: &str) -> FamilyInput {
    FamilyInput {
        name: name.into(),
        relation: Relation::Child,
        gender: None,
        birthday: None,
        phone: None,
        notes: None,
    }
}

fn task(title: &str) -> FollowUpInput {
    FollowUpInput {
        title: title.into(),
        due: "2026-12-05".into(),
    }
}

fn count(book: &Book, table: &str) -> i64 {
    book.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn ids(book: &Book, table: &str) -> Vec<i64> {
    book.conn()
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Delete the newest row of each kind, then add one of each: every new id is larger than any
/// id the book ever gave out. The book is closed and reopened in between, as the advisor would.
fn newest_ids_are_not_handed_out_again(book: Book) {
    let path = book.path().to_path_buf();
    let mut book = book;
    let keep = clients::create(&mut book, &person("钱七"), today())
        .unwrap()
        .id;
    let gone = clients::create(&mut book, &person("孙八"), today())
        .unwrap()
        .id;
    let kept_contact = contacts::add(&mut book, keep, &note("面谈"), now())
        .unwrap()
        .id;
    let gone_contact = contacts::add(&mut book, keep, &note("回访"), now())
        .unwrap()
        .id;
    family::add(&mut book, keep, &child("钱小七"), today()).unwrap();
    let gone_member = family::add(&mut book, keep, &child("钱小八"), today())
        .unwrap()
        .id;
    contacts::add_follow_up(&mut book, keep, Some(kept_contact), &task("寄资料")).unwrap();
    let gone_task = contacts::add_follow_up(&mut book, keep, None, &task("约面谈"))
        .unwrap()
        .id;

    clients::delete(&mut book, gone).unwrap();
    contacts::delete(&mut book, gone_contact).unwrap();
    family::delete(&mut book, gone_member).unwrap();
    contacts::delete_follow_up(&mut book, gone_task).unwrap();
    drop(book);
    let mut book = Book::open(&path).unwrap();

    let client = clients::create(&mut book, &person("周九"), today()).unwrap();
    assert!(client.id > gone, "client {} after {gone}", client.id);
    let contact = contacts::add(&mut book, keep, &note("电话"), now()).unwrap();
    assert!(
        contact.id > gone_contact,
        "contact {} after {gone_contact}",
        contact.id
    );
    let member = family::add(&mut book, keep, &child("钱小九"), today()).unwrap();
    assert!(
        member.id > gone_member,
        "member {} after {gone_member}",
        member.id
    );
    let later = contacts::add_follow_up(&mut book, keep, None, &task("送生日礼物")).unwrap();
    assert!(
        later.id > gone_task,
        "follow-up {} after {gone_task}",
        later.id
    );
    // Nothing of the deleted client comes up under the new one's id.
    assert!(search::search(&book, "孙八", 10).unwrap().is_empty());
    assert!(contacts::timeline(&book, client.id).unwrap().is_empty());
}

#[test]
fn a_new_book_never_hands_out_an_id_twice() {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("book.rapport")).unwrap();
    newest_ids_are_not_handed_out_again(book);
}

/// A book as schema 3 left it, from the migrations as they were shipped: two clients, their
/// family, contacts with search entries, and follow-ups.
fn version_3_book(path: &Path) {
    let conn = Connection::open(path).unwrap();
    for sql in [
        include_str!("../src/book/migrations/0001_client_book.sql"),
        include_str!("../src/book/migrations/0002_drafts.sql"),
        include_str!("../src/book/migrations/0003_duplicate_keys.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "PRAGMA user_version = 3;
         INSERT INTO clients (id, name, name_sort, phone, created_at, updated_at) VALUES
             (1, '王芳', 'wang fang', '+86 139 0000 1111', '2026-01-01', '2026-01-01'),
             (2, '李娜', 'li na', NULL, '2026-01-01', '2026-01-01');
         INSERT INTO client_segments (client_id, segment) VALUES (1, 'retiree');
         INSERT INTO family_members (id, client_id, name, relation, created_at, updated_at)
             VALUES (1, 1, '王小明', 'child', '2026-01-01', '2026-01-01'),
                    (2, 2, '李小红', 'child', '2026-01-01', '2026-01-01');
         INSERT INTO contacts (id, client_id, at, channel, summary, created_at, updated_at) VALUES
             (1, 1, '2026-01-02 09:00', 'visit', '孩子留学', '2026-01-02', '2026-01-02'),
             (2, 1, '2026-01-03 09:00', 'phone', '回访', '2026-01-03', '2026-01-03'),
             (3, 2, '2026-01-04 09:00', 'wechat', '问候', '2026-01-04', '2026-01-04');
         INSERT INTO contact_search (rowid, bi, uni) VALUES
             (1, '孩子 子留 留学 ǁ', '孩 子 留 学'), (2, '回访 ǁ', '回 访'), (3, '问候 ǁ', '问 候');
         INSERT INTO follow_ups (id, client_id, contact_id, title, due, created_at) VALUES
             (1, 1, 1, '寄资料', '2026-01-10', '2026-01-02'),
             (2, 2, NULL, '约面谈', '2026-01-11', '2026-01-04');
         INSERT INTO drafts (key, client_id, body, saved_at)
             VALUES ('contact:2', 2, '面谈', '2026-01-05 10:00:00');",
    )
    .unwrap();
}

#[test]
fn an_upgraded_book_keeps_every_row_and_id_and_never_hands_one_out_twice() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    version_3_book(&path);
    let book = Book::open(&path).unwrap();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(ids(&book, "clients"), vec![1, 2]);
    assert_eq!(ids(&book, "family_members"), vec![1, 2]);
    assert_eq!(ids(&book, "contacts"), vec![1, 2, 3]);
    assert_eq!(ids(&book, "follow_ups"), vec![1, 2]);
    assert_eq!(count(&book, "client_segments"), 1);
    assert_eq!(count(&book, "drafts"), 1);
    let hits = search::search(&book, "留学", 10).unwrap();
    assert_eq!(
        (hits.len(), hits[0].client_id, hits[0].contact_id),
        (1, 1, Some(1))
    );
    let dup = clients::duplicates(&book, Some("13900001111"), None, None).unwrap();
    assert_eq!(dup.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    newest_ids_are_not_handed_out_again(book);
}

#[test]
fn an_upgraded_book_still_cascades_a_deleted_client() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    version_3_book(&path);
    let mut book = Book::open(&path).unwrap();
    clients::delete(&mut book, 1).unwrap();
    assert_eq!(count(&book, "family_members"), 1);
    assert_eq!(count(&book, "contacts"), 1);
    assert_eq!(count(&book, "follow_ups"), 1);
    assert_eq!(count(&book, "client_segments"), 0);
    clients::delete(&mut book, 2).unwrap();
    for table in [
        "family_members",
        "contacts",
        "follow_ups",
        "drafts",
        "contact_search",
    ] {
        assert_eq!(count(&book, table), 0, "{table}");
    }
}

#[test]
fn an_upgrade_failing_midway_leaves_the_book_as_it_was() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    version_3_book(&path);
    // A table in the way of the last rebuild: the upgrade fails after rebuilding the others.
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE follow_ups_rebuilt (x)")
        .unwrap();
    let err = Book::open(&path).unwrap_err();
    assert!(
        matches!(&err, Error::Book { message } if message.contains("follow_ups_rebuilt")),
        "{err:?}"
    );

    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert!((3..SCHEMA_VERSION).contains(&version), "{version}");
    let rebuilt: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rebuilt, 0, "no table was left half-upgraded");
    for (table, n) in [
        ("clients", 2),
        ("family_members", 2),
        ("contacts", 3),
        ("follow_ups", 2),
        ("drafts", 1),
    ] {
        let found: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(found, n, "{table}");
    }
    assert!(backup_path(&path, SCHEMA_VERSION).exists());

    // Once the obstacle is gone the upgrade goes through.
    conn.execute_batch("DROP TABLE follow_ups_rebuilt").unwrap();
    drop(conn);
    let book = Book::open(&path).unwrap();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(ids(&book, "follow_ups"), vec![1, 2]);
}
