//! Backups on real books in temp dirs: taken while the book is open, rotated by day and week,
//! restored (also under a second open connection), refused when not a whole book.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rapport::book::backups::{self, Rotation};
use rapport::clients::{self, ClientInput};
use rapport::{Book, Error};
use tempfile::TempDir;

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn add(book: &mut Book, name: &str) -> i64 {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    clients::create(
        book,
        &ClientInput {
            name: name.into(),
            ..Default::default()
        },
        today,
    )
    .unwrap()
    .id
}

fn names(book: &Book) -> Vec<String> {
    book.conn()
        .prepare("SELECT name FROM clients ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn daily_backups_keep_a_week_of_days_and_a_month_of_weeks() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    // Sixty days of use, the window opened twice on some days.
    let first = at(2026, 10, 1, 9);
    let mut taken = 0;
    for day in 0..60 {
        let now = first + Duration::days(day);
        taken += usize::from(
            backups::daily(&book, now, Rotation::default())
                .unwrap()
                .is_some(),
        );
        if day % 3 == 0 {
            let later = now + Duration::hours(5);
            assert!(backups::daily(&book, later, Rotation::default())
                .unwrap()
                .is_none());
        }
    }
    assert_eq!(taken, 60, "one a day");
    let kept: Vec<String> = backups::list(&path, &backups::folder(&path))
        .unwrap()
        .into_iter()
        .map(|f| f.taken[..10].to_string())
        .collect();
    // The last 7 days (11-23 .. 11-29), then the newest of each of 4 earlier ISO weeks.
    assert_eq!(
        kept,
        [
            "2026-11-29",
            "2026-11-28",
            "2026-11-27",
            "2026-11-26",
            "2026-11-25",
            "2026-11-24",
            "2026-11-23",
            "2026-11-22",
            "2026-11-15",
            "2026-11-08",
            "2026-11-01",
        ]
    );
    // Owner-only, whole books.
    for f in backups::list(&path, &backups::folder(&path)).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&f.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", f.path);
        let copy = Book::open_existing(std::path::Path::new(&f.path)).unwrap();
        assert_eq!(names(&copy), ["王芳"]);
    }
}

#[test]
fn a_restore_puts_the_book_back_and_keeps_what_it_replaced() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    add(&mut book, "李娜");
    let usb = dir.path().join("usb");
    let backup = backups::take(&book, &usb, at(2026, 11, 30, 9)).unwrap();
    // Work after the backup: a client added, one deleted.
    add(&mut book, "张伟");
    clients::delete(&mut book, 1).unwrap();
    assert_eq!(names(&book), ["李娜", "张伟"]);
    // The window holds the book open too while the CLI restores.
    let window = Book::open_existing(&path).unwrap();
    let before = backups::restore(&mut book, &backup, None, at(2026, 11, 30, 17)).unwrap();
    assert_eq!(names(&book), ["王芳", "李娜"]);
    assert_eq!(names(&window), ["王芳", "李娜"]);
    assert!(backups::check(book.conn()).unwrap().ok());
    // What the restore replaced is kept, in the folder beside the book.
    assert!(before.starts_with(backups::folder(&path)));
    assert_eq!(
        names(&Book::open_existing(&before).unwrap()),
        ["李娜", "张伟"]
    );
    // The book goes on working: a new client gets a fresh id.
    let id = add(&mut book, "赵敏");
    assert!(id > 3, "{id}");
}

#[test]
fn a_file_that_is_not_a_whole_book_is_refused_and_nothing_changes() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    let now = at(2026, 11, 30, 9);
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "客户名单").unwrap();
    let empty_db = dir.path().join("empty.sqlite");
    rusqlite::Connection::open(&empty_db)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let newer = dir.path().join("newer.rapport");
    std::fs::copy(&path, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let missing = dir.path().join("missing.bak");
    for (file, wanted) in [
        (&text, Error::invalid("backup", "not_a_book")),
        (&empty_db, Error::invalid("backup", "not_a_book")),
        (
            &newer,
            Error::TooNew {
                found: 99,
                known: rapport::book::SCHEMA_VERSION,
            },
        ),
        (&missing, Error::not_found("backup")),
    ] {
        let got = backups::restore(&mut book, file, None, now).unwrap_err();
        assert_eq!(got, wanted, "{}", file.display());
        assert_eq!(names(&book), ["王芳"]);
    }
    // Nothing was even copied aside for a refused restore.
    assert!(backups::list(&path, &backups::folder(&path))
        .unwrap()
        .is_empty());
}

#[test]
fn the_check_finds_a_broken_reference() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    let health = backups::check(book.conn()).unwrap();
    assert!(health.ok(), "{health:?}");
    assert_eq!(
        (health.clients, health.schema),
        (1, rapport::book::SCHEMA_VERSION)
    );
    drop(book);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO family_members (client_id, name, relation, created_at, updated_at)
         VALUES (42, '无主', 'child', '2026-11-30', '2026-11-30');",
    )
    .unwrap();
    let health = backups::check(&raw).unwrap();
    assert!(!health.ok());
    assert_eq!(health.broken_references, 1);
}

fn cli(book: &std::path::Path, args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .arg("--json")
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (
        out.status.success(),
        serde_json::from_slice(&out.stdout).unwrap_or_default(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn backup_restore_and_check_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    let (ok, v, err) = cli(&path, &["backup"]);
    assert!(ok, "{err}");
    let file = v["path"].as_str().unwrap().to_string();
    assert!(file.starts_with(backups::folder(&path).to_str().unwrap()));
    let usb = dir.path().join("usb");
    let (ok, v, err) = cli(&path, &["backup", "--to", usb.to_str().unwrap()]);
    assert!(
        ok && v["path"]
            .as_str()
            .unwrap()
            .starts_with(usb.to_str().unwrap()),
        "{err}"
    );
    let (ok, v, _) = cli(&path, &["backups"]);
    assert!(ok);
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "only the folder beside the book: {v}"
    );
    add(&mut book, "李娜");
    let (ok, v, err) = cli(&path, &["restore", &file]);
    assert!(ok, "{err}");
    assert!(v["before"].as_str().is_some());
    assert_eq!(names(&book), ["王芳"]);
    let (ok, v, err) = cli(&path, &["check"]);
    assert!(ok, "{err}");
    assert_eq!(v["integrity"], serde_json::json!(["ok"]));
    assert_eq!(v["broken_references"], 0);
    let (ok, _, err) = cli(&path, &["restore", "/nonexistent.bak"]);
    assert!(!ok && err.contains("not found"), "{err}");
    assert_eq!(names(&book), ["王芳"]);
}

#[test]
fn the_windows_daily_backup_reads_the_book_beside_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    let now = at(2026, 11, 30, 9);
    // The window keeps its connection (and may be in the middle of its work).
    let opener = book.opener();
    let file = backups::daily_at(&opener, now, Rotation::default())
        .unwrap()
        .expect("the first of the day");
    assert!(
        backups::daily_at(&opener, now + Duration::hours(3), Rotation::default())
            .unwrap()
            .is_none()
    );
    add(&mut book, "李娜");
    assert_eq!(names(&Book::open_existing(&file).unwrap()), ["王芳"]);
    assert_eq!(names(&book), ["王芳", "李娜"]);
}

#[test]
fn two_backups_in_the_same_second_are_two_files() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    add(&mut book, "王芳");
    let folder = backups::folder(&path);
    let now = at(2026, 11, 30, 9);
    let first = backups::take(&book, &folder, now).unwrap();
    add(&mut book, "李娜");
    // A restore from that backup in the same second: the copy of the book as it stands must
    // not overwrite the backup being restored.
    let before = backups::restore(&mut book, &first, None, now).unwrap();
    assert_ne!(before, first);
    assert_eq!(backups::list(&path, &folder).unwrap().len(), 2);
    assert_eq!(names(&Book::open_existing(&first).unwrap()), ["王芳"]);
    assert_eq!(
        names(&Book::open_existing(&before).unwrap()),
        ["王芳", "李娜"]
    );
    assert_eq!(names(&book), ["王芳"]);
}
