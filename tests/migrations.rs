//! Upgrading books on real SQLite files: several programs opening one book at once, and the
//! copy of the book kept before an upgrade.

use rapport::book::{backup_path, BACKUPS_KEPT, SCHEMA_VERSION};
use rapport::{clients, Book};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use tempfile::TempDir;

const ROUNDS: usize = 30;
const OPENERS: usize = 4;

/// A book as the first release left it: schema 1, two clients, a contact, a follow-up.
fn version_1_book(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/book/migrations/0001_client_book.sql"
    )))
    .unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1;
         INSERT INTO clients (name, name_sort, created_at, updated_at) VALUES
             ('王芳', 'wang fang', '2026-01-01 09:00:00', '2026-01-01 09:00:00'),
             ('李娜', 'li na', '2026-01-01 09:00:00', '2026-01-01 09:00:00');
         INSERT INTO contacts (client_id, at, channel, summary, created_at, updated_at)
             VALUES (1, '2026-01-02 09:00', 'visit', '面谈', '2026-01-02', '2026-01-02');
         INSERT INTO follow_ups (client_id, contact_id, title, due, created_at)
             VALUES (1, 1, '寄资料', '2026-01-10', '2026-01-02');",
    )
    .unwrap();
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Every table, index and trigger of the book, by kind and name.
fn schema_objects(conn: &Connection) -> Vec<(String, String)> {
    conn.prepare("SELECT type, name FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn reference_schema() -> Vec<(String, String)> {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("reference.rapport")).unwrap();
    schema_objects(book.conn())
}

/// Upgrade backups lying next to `book`.
fn backups(book: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}.before-v", book.file_name().unwrap().to_str().unwrap());
    let mut found: Vec<PathBuf> = std::fs::read_dir(book.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix))
        })
        .collect();
    found.sort();
    found
}

/// The book is at the newest schema, built once, and kept what it held (`clients`).
fn assert_upgraded_once(path: &Path, clients: i64, reference: &[(String, String)]) {
    let conn = Connection::open(path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(schema_objects(&conn), reference);
    assert_eq!(count(&conn, "clients"), clients);
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let expected_backups = if clients > 0 {
        vec![backup_path(path, SCHEMA_VERSION)]
    } else {
        vec![]
    };
    assert_eq!(backups(path), expected_backups, "one upgrade, one backup");
}

#[test]
fn threads_opening_one_fresh_or_old_book_at_once_never_fail() {
    let reference = reference_schema();
    for round in 0..ROUNDS {
        for old in [false, true] {
            let dir = TempDir::new().unwrap();
            let path = dir.path().join("book.rapport");
            if old {
                version_1_book(&path);
            }
            let start = Arc::new(Barrier::new(OPENERS));
            let openers: Vec<_> = (0..OPENERS)
                .map(|_| {
                    let (path, start) = (path.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        Book::open(&path).map(|book| clients::count(&book))
                    })
                })
                .collect();
            for opener in openers {
                let opened = opener.join().unwrap();
                assert!(
                    matches!(opened, Ok(Ok(_))),
                    "round {round}, old {old}: {opened:?}"
                );
            }
            assert_upgraded_once(&path, if old { 2 } else { 0 }, &reference);
        }
    }
}

#[test]
fn programs_opening_one_fresh_or_old_book_at_once_never_fail() {
    let reference = reference_schema();
    for round in 0..ROUNDS {
        for old in [false, true] {
            let dir = TempDir::new().unwrap();
            let path = dir.path().join("book.rapport");
            if old {
                version_1_book(&path);
            }
            let programs: Vec<_> = (0..OPENERS)
                .map(|_| {
                    std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
                        .arg("--book")
                        .arg(&path)
                        .arg("init")
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for program in programs {
                let out = program.wait_with_output().unwrap();
                assert!(
                    out.status.success(),
                    "round {round}, old {old}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            assert_upgraded_once(&path, if old { 2 } else { 0 }, &reference);
        }
    }
}

#[test]
fn a_book_with_a_schema_is_copied_before_it_is_upgraded() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    version_1_book(&path);
    let book = Book::open(&path).unwrap();
    assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
    let copy = backup_path(&path, SCHEMA_VERSION);
    assert_eq!(
        copy.file_name().unwrap().to_str().unwrap(),
        format!("book.rapport.before-v{SCHEMA_VERSION}.bak")
    );
    assert_eq!(backups(&path), vec![copy.clone()], "no partial copy left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the copy holds the same client data as the book"
        );
    }
    // The copy is the book exactly as the upgrade found it.
    let old = Connection::open(&copy).unwrap();
    let version: i64 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(count(&old, "clients"), 2);
    assert_eq!(count(&old, "follow_ups"), 1);
    drop(old);

    // An up-to-date book is opened without another copy.
    std::fs::remove_file(&copy).unwrap();
    drop(book);
    Book::open(&path).unwrap();
    assert!(backups(&path).is_empty());
}

#[test]
fn a_new_book_is_not_copied() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    Book::open(&path).unwrap();
    assert!(backups(&path).is_empty());
}

#[test]
fn only_the_newest_backups_are_kept() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    version_1_book(&path);
    // Copies left by earlier upgrades, one for every older schema, and another book's.
    let older: Vec<PathBuf> = (0..SCHEMA_VERSION).map(|v| backup_path(&path, v)).collect();
    assert!(older.len() >= BACKUPS_KEPT, "enough copies to rotate");
    for p in &older {
        std::fs::write(p, b"old").unwrap();
    }
    let other = backup_path(&dir.path().join("other.rapport"), 1);
    std::fs::write(&other, b"other").unwrap();

    Book::open(&path).unwrap();
    let mut expected: Vec<PathBuf> = (SCHEMA_VERSION + 1 - BACKUPS_KEPT as i64..=SCHEMA_VERSION)
        .map(|v| backup_path(&path, v))
        .collect();
    expected.sort();
    assert_eq!(backups(&path), expected);
    assert!(
        other.exists(),
        "another book's copies are not this book's to remove"
    );
}

/// Every table's row count, and the tables, of a book file read as it is.
fn table_rows(conn: &Connection) -> Vec<(String, i64)> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%_data'
             AND name NOT LIKE '%_idx' AND name NOT LIKE '%_config' AND name NOT LIKE '%_docsize'
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = count(conn, &t);
            (t, n)
        })
        .collect()
}

#[test]
fn a_book_of_every_earlier_schema_upgrades_with_nothing_lost() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/books");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let now = today.and_hms_opt(9, 0, 0).unwrap();
    for version in 1..=SCHEMA_VERSION {
        let fixture = fixtures.join(format!("schema-{version}.rapport"));
        assert!(
            fixture.is_file(),
            "a book of schema {version} is kept: {fixture:?}"
        );
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        std::fs::copy(&fixture, &path).unwrap();
        let before = {
            let conn = Connection::open(&path).unwrap();
            let v: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, version, "{fixture:?}");
            table_rows(&conn)
        };
        assert!(
            before.iter().all(|(_, n)| *n > 0),
            "rows in every table: {before:?}"
        );

        let mut book = Book::open(&path).unwrap();
        assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
        let health = rapport::book::backups::check(book.conn()).unwrap();
        assert!(health.ok(), "schema {version}: {health:?}");
        let after: std::collections::HashMap<String, i64> =
            table_rows(book.conn()).into_iter().collect();
        for (table, n) in &before {
            // The search index's version is kept in settings once the book is re-indexed.
            let n = if table == "settings" { n + 1 } else { *n };
            assert_eq!(after.get(table), Some(&n), "schema {version}: {table}");
        }
        assert_eq!(
            rapport::search::check(book.conn()).unwrap().version,
            rapport::search::INDEX_VERSION
        );
        // The book works: the list, search over a note, the client page, the agenda.
        let everyone = clients::ClientQuery {
            limit: 50,
            ..Default::default()
        };
        let names: Vec<String> = clients::list(&book, &everyone)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, ["李娜", "王芳", "张伟"], "schema {version}");
        let hits = rapport::search::search(&book, "留学", 10).unwrap();
        assert!(
            hits.iter().any(|h| h.client_id == 1),
            "schema {version}: {hits:?}"
        );
        let page = clients::profile(&book, 1, today).unwrap();
        assert_eq!(page.contacts.len(), 2, "schema {version}");
        // The care records of schema 9 come through whole; older books start without any.
        let care = version >= 9;
        assert_eq!(page.gifts.len(), usize::from(care), "schema {version}");
        assert_eq!(page.preferences.len(), if care { 3 } else { 0 });
        assert_eq!(page.points_balance, if care { 300 } else { 0 });
        assert_eq!(page.referrals.brought.len(), usize::from(care));
        assert_eq!(page.surveys.len(), usize::from(care));
        let wife_taboo = rapport::gifts::plan(
            &book,
            2,
            &rapport::gifts::PlanInput {
                family_id: Some(2),
                gift: "红酒".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(
            wife_taboo.warnings.len(),
            usize::from(care),
            "schema {version}"
        );
        let cal = rapport::work_schedule::from_book(&book).unwrap();
        let day = rapport::agenda::for_days(&book, today, 1, now, &cal).unwrap();
        assert!(
            day.items.iter().any(|i| i.id == "complaint/3"),
            "schema {version}: {:?}",
            day.items.iter().map(|i| &i.id).collect::<Vec<_>>()
        );
        // The last call, new in schema 8, is found from the old contacts.
        let last_call: Option<String> = book
            .conn()
            .query_row("SELECT last_call_at FROM clients WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            last_call.as_deref(),
            Some("2026-01-03 09:00"),
            "schema {version}"
        );
        // The list's grade is the newest snapshot's, from schema 11 on.
        let graded = clients::ClientQuery {
            grade: Some(rapport::clients::Grade::D),
            limit: 50,
            ..Default::default()
        };
        let d: Vec<i64> = clients::list(&book, &graded)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            d,
            if version >= 11 { vec![2] } else { vec![] },
            "schema {version}"
        );
        // Ids are never handed out again.
        let id = clients::create(
            &mut book,
            &clients::ClientInput {
                name: "赵敏".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap()
        .id;
        assert_eq!(id, 4, "schema {version}");
    }
}
