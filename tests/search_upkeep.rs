//! What search reads is one list, every field of it finds its client, the index is brought up
//! to date once when a book indexed by an older build opens, and `rapport check` sees an index
//! that no longer matches the records and rebuilds it.

use chrono::NaiveDate;
use rapport::book::values::Relation;
use rapport::clients::{self, ClientInput};
use rapport::family::{self, FamilyInput};
use rapport::search::{self, HitField};
use rapport::Book;
use rusqlite::Connection;
use std::path::Path;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn found(book: &Book, query: &str) -> Vec<(i64, HitField, String)> {
    search::search(book, query, 20)
        .unwrap()
        .into_iter()
        .map(|h| {
            let hit: String = h
                .snippet
                .iter()
                .filter(|s| s.hit)
                .map(|s| s.text.as_str())
                .collect();
            (h.client_id, h.field, hit)
        })
        .collect()
}

#[test]
fn every_profile_field_a_family_phone_and_an_id_number_find_the_client() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    // One client per field of the list, each holding a word no other client has.
    let mut ids = Vec::new();
    for (i, field) in search::PROFILE_FIELDS.iter().enumerate() {
        let word = format!("zq{i}x");
        let mut input = serde_json::to_value(ClientInput {
            name: format!("客户{i}"),
            ..Default::default()
        })
        .unwrap();
        input[*field] = match *field {
            "email" => format!("{word}@example.com"),
            "id_number" => format!("4401{i:02}19700101{i:02}7X"),
            _ => format!("备注 {word} 结束"),
        }
        .into();
        let input: ClientInput = serde_json::from_value(input).unwrap();
        ids.push(clients::create(&mut book, &input, today()).unwrap().id);
    }
    for (i, field) in search::PROFILE_FIELDS.iter().enumerate() {
        let query = if *field == "id_number" {
            format!("{i:02}7X")
        } else {
            format!("zq{i}x")
        };
        let hits = found(&book, &query);
        assert_eq!(
            hits.iter().map(|h| h.0).collect::<Vec<_>>(),
            [ids[i]],
            "{field}: {hits:?}"
        );
    }

    // Income band and company size in Chinese, as the window shows them.
    let wang = clients::create(
        &mut book,
        &ClientInput {
            name: "王芳".into(),
            income_band: Some("年收入百万以上".into()),
            company_scale: Some("中型企业".into()),
            id_number: Some("11010519800502002X".into()),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .id;
    family::add(
        &mut book,
        wang,
        &FamilyInput {
            name: "王小明".into(),
            relation: Relation::Child,
            gender: None,
            birthday: None,
            phone: Some("137 0000 9876".into()),
            notes: None,
        },
        today(),
    )
    .unwrap();
    for query in [
        "百万以上",
        "中型企业",
        "13700009876",
        "9876",
        "002X",
        "11010519800502002x",
    ] {
        let hits = found(&book, query);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        let (id, field, hit) = &hits[0];
        assert_eq!(*id, wang, "{query}");
        // Shown where it was found, in the profile, highlighted.
        assert_eq!(*field, HitField::Profile, "{query}: {hits:?}");
        assert!(!hit.is_empty(), "{query}: {hits:?}");
    }
    // A name with the phone's digits still finds them (several words across fields).
    assert_eq!(found(&book, "王芳 9876").len(), 1);
    // The family member's phone leaves with them.
    let member = family::list(&book, wang).unwrap()[0].id;
    family::delete(&mut book, member).unwrap();
    assert!(found(&book, "9876").is_empty());
}

fn cli(book: &Path, args: &[&str]) -> (bool, serde_json::Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .arg("--json")
        .args(args)
        .env_remove("RAPPORT_BOOK")
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json)
}

#[test]
fn check_finds_an_index_that_does_not_match_the_records_and_rebuilds_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    {
        let mut book = Book::open(&path).unwrap();
        rapport::demo::populate(
            &mut book,
            &rapport::demo::DemoSpec {
                clients: 40,
                seed: 11,
                today: today(),
                contacts: None,
            },
        )
        .unwrap();
    }
    let (ok, report) = cli(&path, &["check"]);
    assert!(ok, "{report}");
    assert_eq!(report["search"]["version"], search::INDEX_VERSION);
    assert_eq!(report["search"]["structure"], "ok");

    // Entries lost and left over behind the app's back (as a bug in a write path would).
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute("DELETE FROM client_search WHERE rowid = 3", [])
            .unwrap();
        conn.execute(
            "DELETE FROM contact_search WHERE rowid IN (SELECT rowid FROM contact_search LIMIT 2)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO client_search (rowid, key_bi, key_uni, body_bi, body_uni)
             VALUES (999999, 'x', '', '', '')",
            [],
        )
        .unwrap();
    }
    let (ok, report) = cli(&path, &["check"]);
    assert!(!ok, "a wrong index fails the check");
    assert_eq!(report["search"]["clients_missing"], 1, "{report}");
    assert_eq!(report["search"]["clients_stray"], 1, "{report}");
    assert_eq!(report["search"]["contacts_missing"], 2, "{report}");
    let book = Book::open(&path).unwrap();
    let name = clients::get(&book, 3).unwrap().name;
    assert!(
        !found(&book, &name).iter().any(|h| h.0 == 3),
        "client 3 is lost to search"
    );
    drop(book);

    let (ok, report) = cli(&path, &["check", "--rebuild-search"]);
    assert!(ok, "{report}");
    assert_eq!(report["rebuilt"]["clients"], 40);
    assert_eq!(report["search"]["clients_missing"], 0);
    assert_eq!(report["search"]["clients_stray"], 0);
    assert_eq!(report["search"]["contacts_missing"], 0);
    let mut book = Book::open(&path).unwrap();
    assert!(found(&book, &name).iter().any(|h| h.0 == 3));
    // Rebuilt in bulk, the tables keep FTS5's usual settings for the writes that follow.
    for table in ["client_search", "contact_search"] {
        let settings: Vec<(String, i64)> = book
            .conn()
            .prepare(&format!(
                "SELECT k, v FROM {table}_config WHERE k != 'version' ORDER BY k"
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let usual = [("automerge", 4), ("crisismerge", 16), ("hashsize", 1 << 20)];
        assert_eq!(settings, usual.map(|(k, v)| (k.to_string(), v)), "{table}");
    }
    note(&mut book, 3, "2026-11-30 10:00", "客户想了解鸿雁理财");
    let hits = found(&book, "鸿雁");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].0, 3);
    assert!(search::check(book.conn()).unwrap().ok());
}

#[test]
fn a_book_indexed_by_an_older_build_is_reindexed_once_when_it_opens() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/books/schema-11.rapport");
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    std::fs::copy(fixture, &path).unwrap();
    // The schema-11 book was indexed before ID numbers were searchable.
    {
        let conn = Connection::open(&path).unwrap();
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'search_index_version'",
                [],
                |r| r.get(0),
            )
            .ok();
        assert_eq!(version, None);
    }
    let book = Book::open(&path).unwrap();
    let hits = found(&book, "002X");
    assert_eq!(
        hits.iter().map(|h| h.0).collect::<Vec<_>>(),
        [1],
        "{hits:?}"
    );
    let health = search::check(book.conn()).unwrap();
    assert!(health.ok(), "{health:?}");
    // Its contacts were keyed by the order of entry: they are keyed by their dates now.
    assert!(found(&book, "电话回访").iter().any(|h| h.0 == 1));
}

fn note(book: &mut Book, client_id: i64, at: &str, summary: &str) -> i64 {
    let input: rapport::contacts::ContactInput = serde_json::from_value(serde_json::json!({
        "at": at, "channel": "phone", "summary": summary
    }))
    .unwrap();
    let now = today().and_hms_opt(23, 0, 0).unwrap();
    rapport::contacts::add(book, client_id, &input, now)
        .unwrap()
        .id
}

#[test]
fn notes_are_found_newest_first_by_their_own_dates_not_by_when_they_were_entered() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let client = |book: &mut Book, name: &str| {
        let input = ClientInput {
            name: name.into(),
            ..Default::default()
        };
        clients::create(book, &input, today()).unwrap().id
    };
    let (recent, old, moved) = (
        client(&mut book, "周一"),
        client(&mut book, "吴二"),
        client(&mut book, "郑三"),
    );
    note(&mut book, recent, "2026-11-28 10:00", "聊到女儿留学");
    // Years of old notes imported after this week's, as an import of a paper diary would.
    for year in 2015..2025 {
        note(&mut book, old, &format!("{year}-03-01 09:00"), "留学中介");
    }
    let mid = note(&mut book, moved, "2026-06-01 15:30", "问了留学贷款");
    let order = |book: &Book| -> Vec<i64> {
        search::search(book, "留学", 20)
            .unwrap()
            .into_iter()
            .map(|h| h.client_id)
            .collect()
    };
    assert_eq!(order(&book), [recent, moved, old]);

    // A note moved to a later date moves up; the entry under its old date is gone.
    let input: rapport::contacts::ContactInput = serde_json::from_value(serde_json::json!({
        "at": "2026-11-30 08:00", "channel": "visit", "summary": "问了留学贷款"
    }))
    .unwrap();
    let now = today().and_hms_opt(23, 0, 0).unwrap();
    rapport::contacts::update(&mut book, mid, &input, now).unwrap();
    assert_eq!(order(&book), [moved, recent, old]);
    let health = search::check(book.conn()).unwrap();
    assert!(health.ok(), "{health:?}");

    // A note before 1970 and one deleted.
    let ancient = note(&mut book, old, "1968-05-01 09:00", "老照片");
    assert_eq!(found(&book, "老照片").len(), 1);
    rapport::contacts::delete(&mut book, ancient).unwrap();
    assert!(found(&book, "老照片").is_empty());
    assert!(search::check(book.conn()).unwrap().ok());
}

#[test]
fn an_unsatisfied_complaint_is_found_once_with_the_follow_up_it_opens() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let id = clients::create(
        &mut book,
        &ClientInput {
            name: "郑玉兰".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .id;
    let input: rapport::contacts::ContactInput = serde_json::from_value(serde_json::json!({
        "at": "2026-11-30 09:30", "channel": "visit", "kind": "complaint",
        "summary": "客户投诉转账到账慢", "resolution": "已加急处理", "satisfied": false
    }))
    .unwrap();
    let now = today().and_hms_opt(23, 0, 0).unwrap();
    let contact = rapport::contacts::add(&mut book, id, &input, now)
        .unwrap()
        .id;
    // The follow-up the complaint opened is searched with the complaint, which has one entry.
    let hits = search::search(&book, "投诉回访", 20).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].client_id, hits[0].contact_id), (id, Some(contact)));
    let entries: i64 = book
        .conn()
        .query_row(
            "SELECT count(*) FROM contact_search WHERE contact_search MATCH 'bi : \"投诉 诉回 回访\"'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(entries, 1);
    assert!(search::check(book.conn()).unwrap().ok());
}
