//! Encryption at rest on real book files: a book made with a passphrase is unreadable without
//! it from its first byte, a plain book is encrypted in place with nothing lost, a passphrase
//! is changed, and backups (daily, before an upgrade, restored) are encrypted like the book.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::book::backups::{self, Rotation};
use rapport::book::encryption;
use rapport::book::values::{Channel, ContactKind};
use rapport::book::Passphrase;
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, ContactInput};
use rapport::demo::{self, DemoSpec};
use rapport::{search, Book, Error};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const NAME: &str = "欧阳慧敏";
const NOTE: &str = "孩子明年去墨尔本留学，想了解换汇额度";

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text)
}

/// A client with a note, so the book holds text that must not show in its bytes.
fn add_client(book: &mut Book) -> i64 {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let id = clients::create(
        book,
        &ClientInput {
            name: NAME.into(),
            phone: Some("13912345678".into()),
            ..Default::default()
        },
        today,
    )
    .unwrap()
    .id;
    contacts::add(
        book,
        id,
        &ContactInput {
            at: Some("2026-11-30 10:00".into()),
            channel: Channel::Visit,
            kind: ContactKind::Note,
            summary: NOTE.into(),
            needs: None,
            follow_ups: vec![],
            response_due: None,
            resolution: None,
            resolved_at: None,
            satisfied: None,
        },
        at(30, 10),
    )
    .unwrap();
    id
}

/// Every file in `dir` (and below) that holds `needle`'s UTF-8 bytes.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(entry);
        }
    }
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// What plain SQLite (no key) makes of the file.
fn plain_read(path: &Path) -> rusqlite::Result<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
}

fn counts(book: &Book) -> Vec<(String, i64)> {
    let tables: Vec<String> = book
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = book
                .conn()
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

#[test]
fn a_book_made_with_a_passphrase_is_unreadable_without_it_from_its_first_byte() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open_with(&path, Some(&pass("correct horse 电池"))).unwrap();
    assert!(book.encrypted());
    add_client(&mut book);
    // Still open, with its write-ahead log beside it: nothing readable there either.
    assert!(files_holding(dir.path(), NAME).is_empty());
    assert!(files_holding(dir.path(), "13912345678").is_empty());
    assert!(files_holding(dir.path(), NOTE).is_empty());
    drop(book);
    assert!(rapport::book::is_encrypted(&path).unwrap());
    let head = std::fs::read(&path).unwrap();
    assert_ne!(&head[..16], b"SQLite format 3\0");
    let plain = plain_read(&path).unwrap_err();
    assert_eq!(
        plain.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase)
    );

    assert_eq!(Book::open_existing(&path).unwrap_err(), Error::Locked);
    assert_eq!(
        Book::open_existing_with(&path, Some(&pass("correct horse 电"))).unwrap_err(),
        Error::WrongPassphrase
    );
    // A wrong passphrase changes nothing: the right one still opens everything.
    let book = Book::open_existing_with(&path, Some(&pass("correct horse 电池"))).unwrap();
    let hits = search::search(&book, "墨尔本", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(clients::count(&book).unwrap(), 1);
}

#[test]
fn the_sqlite3_shell_cannot_read_an_encrypted_book() {
    // The independent reader an advisor's colleague would try; installed by the set-up script.
    let Ok(out) = std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
    else {
        panic!("the sqlite3 shell is part of the set-up (scripts/setup.sh installs it)");
    };
    assert!(out.status.success());
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open_with(&path, Some(&pass("a long passphrase"))).unwrap();
    add_client(&mut book);
    drop(book);
    let shell = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT name FROM clients;")
        .output()
        .unwrap();
    assert!(!shell.status.success());
    let said = String::from_utf8_lossy(&shell.stdout) + String::from_utf8_lossy(&shell.stderr);
    assert!(said.contains("not a database"), "{said}");
    assert!(!said.contains(NAME));
}

#[test]
fn a_plain_book_is_encrypted_in_place_with_nothing_lost_and_no_plain_copy_left() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    demo::populate(
        &mut book,
        &DemoSpec {
            clients: 60,
            seed: 7,
            today,
            contacts: None,
        },
    )
    .unwrap();
    // Demo books carry a mark; this one stands in for a real one.
    add_client(&mut book);
    let before = counts(&book);
    let seq: Vec<(String, i64)> = book
        .conn()
        .prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let version = book.schema_version().unwrap();
    // Two plain daily backups beside it, as a book in use for a while has.
    backups::daily(&book, at(28, 9), Rotation::default()).unwrap();
    backups::daily(&book, at(29, 9), Rotation::default()).unwrap();
    drop(book);
    assert!(!files_holding(dir.path(), NAME).is_empty());

    let done =
        encryption::set_passphrase(&path, None, &pass("新的密码很长很长"), at(30, 12)).unwrap();
    assert!(done.was_plain);
    assert_eq!(done.clients, 61);
    // The two older backups and the one taken first.
    assert_eq!(done.backups_rewritten, 3);
    assert_eq!(done.backups_kept, 0);

    assert!(rapport::book::is_encrypted(&path).unwrap());
    assert!(plain_read(&path).is_err());
    // Not a readable byte of the client anywhere: book, backups, leftovers.
    assert_eq!(files_holding(dir.path(), NAME), Vec::<PathBuf>::new());
    assert_eq!(files_holding(dir.path(), NOTE), Vec::<PathBuf>::new());
    let names: Vec<String> = walk(dir.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".rewriting") && !n.ends_with(".replaced")),
        "{names:?}"
    );

    let book = Book::open_existing_with(&path, Some(&pass("新的密码很长很长"))).unwrap();
    assert_eq!(counts(&book), before);
    assert_eq!(book.schema_version().unwrap(), version);
    let seq_after: Vec<(String, i64)> = book
        .conn()
        .prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(seq_after, seq);
    assert_eq!(search::search(&book, "墨尔本", 10).unwrap().len(), 1);
    assert!(backups::check(book.conn()).unwrap().ok());
    // Every backup opens with the new passphrase and not without it.
    for b in backups::list(&path, &backups::folder(&path)).unwrap() {
        let file = PathBuf::from(&b.path);
        assert_eq!(Book::open_existing(&file).unwrap_err(), Error::Locked);
        let copy = Book::open_existing_with(&file, Some(&pass("新的密码很长很长"))).unwrap();
        assert!(clients::count(&copy).unwrap() >= 61);
    }
}

#[test]
fn a_new_passphrase_replaces_the_old_one_for_the_book_and_its_backups() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let old = pass("first passphrase");
    let new = pass("second passphrase");
    let mut book = Book::open_with(&path, Some(&old)).unwrap();
    add_client(&mut book);
    backups::daily(&book, at(29, 9), Rotation::default()).unwrap();
    drop(book);
    let done = encryption::set_passphrase(&path, Some(&old), &new, at(30, 9)).unwrap();
    assert!(!done.was_plain);
    assert_eq!(done.backups_rewritten, 2);
    assert_eq!(
        Book::open_existing_with(&path, Some(&old)).unwrap_err(),
        Error::WrongPassphrase
    );
    let book = Book::open_existing_with(&path, Some(&new)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    for b in backups::list(&path, &backups::folder(&path)).unwrap() {
        let file = PathBuf::from(&b.path);
        assert_eq!(
            Book::open_existing_with(&file, Some(&old)).unwrap_err(),
            Error::WrongPassphrase
        );
        Book::open_existing_with(&file, Some(&new)).unwrap();
    }
    // The wrong current passphrase changes nothing.
    drop(book);
    assert_eq!(
        encryption::set_passphrase(&path, Some(&old), &pass("third passphrase"), at(30, 10))
            .unwrap_err(),
        Error::WrongPassphrase
    );
    Book::open_existing_with(&path, Some(&new)).unwrap();
}

#[test]
fn the_passphrase_is_not_set_while_another_program_has_the_book_open() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut window = Book::open(&path).unwrap();
    add_client(&mut window);
    let err =
        encryption::set_passphrase(&path, None, &pass("a long passphrase"), at(30, 9)).unwrap_err();
    assert_eq!(err, Error::Busy);
    // Untouched: still plain, still open in the window, which goes on writing.
    assert!(!rapport::book::is_encrypted(&path).unwrap());
    add_client(&mut window);
    assert_eq!(clients::count(&window).unwrap(), 2);
    drop(window);
    assert_eq!(
        clients::count(&Book::open_existing(&path).unwrap()).unwrap(),
        2
    );
}

#[test]
fn backups_of_an_encrypted_book_are_encrypted_and_restore_into_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let key = pass("the book's passphrase");
    let mut book = Book::open_with(&path, Some(&key)).unwrap();
    add_client(&mut book);
    // The window's daily backup, read through a connection of its own.
    let daily = backups::daily_at(&book.opener(), at(30, 9), Rotation::default())
        .unwrap()
        .unwrap();
    assert!(rapport::book::is_encrypted(&daily).unwrap());
    assert!(files_holding(dir.path(), NAME).is_empty());
    let id = add_client(&mut book);
    clients::delete(&mut book, id).unwrap();
    clients::delete(&mut book, 1).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 0);

    backups::restore(&mut book, &daily, None, at(30, 11)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    assert!(book.encrypted());
    drop(book);
    let book = Book::open_existing_with(&path, Some(&key)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    assert!(files_holding(dir.path(), NAME).is_empty());
}

#[test]
fn a_backup_under_another_passphrase_or_none_restores_into_the_book_as_it_is() {
    let dir = TempDir::new().unwrap();
    // A plain book from an old laptop, and one under another passphrase.
    let plain_file = dir.path().join("old-laptop.rapport");
    let mut plain = Book::open(&plain_file).unwrap();
    add_client(&mut plain);
    drop(plain);
    let other_file = dir.path().join("other.rapport");
    let other = pass("someone else's");
    let mut theirs = Book::open_with(&other_file, Some(&other)).unwrap();
    add_client(&mut theirs);
    add_client(&mut theirs);
    drop(theirs);

    let path = dir.path().join("book.rapport");
    let key = pass("the book's passphrase");
    let mut book = Book::open_with(&path, Some(&key)).unwrap();
    backups::restore(&mut book, &plain_file, None, at(30, 9)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    assert_eq!(
        backups::restore(&mut book, &other_file, None, at(30, 10)).unwrap_err(),
        Error::Locked
    );
    assert_eq!(
        backups::restore(&mut book, &other_file, Some(&pass("wrong")), at(30, 10)).unwrap_err(),
        Error::WrongPassphrase
    );
    assert_eq!(clients::count(&book).unwrap(), 1);
    backups::restore(&mut book, &other_file, Some(&other), at(30, 11)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 2);
    drop(book);
    // The book kept its own passphrase.
    assert!(plain_read(&path).is_err());
    let book = Book::open_existing_with(&path, Some(&key)).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 2);
    assert_eq!(
        Book::open_existing_with(&path, Some(&other)).unwrap_err(),
        Error::WrongPassphrase
    );

    // And the other way: an encrypted backup into a plain book, which stays plain.
    let plain_book = dir.path().join("plain.rapport");
    let mut p = Book::open(&plain_book).unwrap();
    backups::restore(&mut p, &other_file, Some(&other), at(30, 12)).unwrap();
    assert_eq!(clients::count(&p).unwrap(), 2);
    drop(p);
    assert!(!rapport::book::is_encrypted(&plain_book).unwrap());
}

#[test]
fn two_programs_making_the_same_encrypted_book_at_once_both_open_it() {
    for _ in 0..5 {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let key = pass("shared passphrase");
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let path = path.clone();
                let key = key.clone();
                std::thread::spawn(move || Book::open_with(&path, Some(&key)).map(|_| ()))
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        Book::open_existing_with(&path, Some(&key)).unwrap();
    }
}
