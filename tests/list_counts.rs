//! The client list's "共 N 位客户" for one filter is read from counts the book keeps beside the
//! clients: they stay equal to counting again through every kind of write, and `rapport check`
//! notices when they do not.

use chrono::NaiveDate;
use rapport::book::values::{Risk, Segment, Stage, Tier};
use rapport::clients::{self, ClientInput, ClientQuery};
use rapport::Book;
use rusqlite::Connection;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// Every single-filter list's total beside the same filter counted in plain SQL.
fn totals_match(book: &Book) {
    let conn = book.conn();
    let count = |sql: &str| -> u32 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let total = |q: ClientQuery| clients::list(book, &q).unwrap().total;
    assert_eq!(
        total(ClientQuery::default()),
        count("SELECT count(*) FROM clients")
    );
    for tier in [Tier::Private, Tier::Vip, Tier::High, Tier::Mass] {
        let q = ClientQuery {
            tier: Some(tier),
            ..Default::default()
        };
        let sql = format!(
            "SELECT count(*) FROM clients WHERE tier = '{}'",
            serde_json::to_value(tier).unwrap().as_str().unwrap()
        );
        assert_eq!(total(q), count(&sql), "{tier:?}");
    }
    let q = ClientQuery {
        stage: Some(Stage::AtRisk),
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM clients WHERE stage = 'at_risk'")
    );
    let q = ClientQuery {
        risk: Some(Risk::C3),
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM clients WHERE risk_profile = 'C3'")
    );
    let q = ClientQuery {
        segment: Some(Segment::Retiree),
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM client_segments WHERE segment = 'retiree'")
    );
    let q = ClientQuery {
        starred_only: true,
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM clients WHERE starred = 1")
    );
    let q = ClientQuery {
        grade: Some(clients::Grade::B),
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM clients WHERE grade = 'B'")
    );
    // Two filters are counted, not read.
    let q = ClientQuery {
        tier: Some(Tier::Vip),
        starred_only: true,
        ..Default::default()
    };
    assert_eq!(
        total(q),
        count("SELECT count(*) FROM clients WHERE tier = 'vip' AND starred = 1")
    );
    assert_eq!(
        clients::count(book).unwrap(),
        count("SELECT count(*) FROM clients")
    );
    assert_eq!(clients::wrong_counts(conn).unwrap(), 0);
}

#[test]
fn the_kept_counts_follow_every_write_and_the_check_sees_them_wrong() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    totals_match(&book);
    // The demo writes clients, segments, stages, grades and stars in bulk.
    let spec = rapport::demo::DemoSpec {
        clients: 300,
        seed: 11,
        today: today(),
        contacts: None,
    };
    rapport::demo::populate(&mut book, &spec).unwrap();
    totals_match(&book);

    // One client through its life: created, moved, starred, re-segmented, deleted.
    let input = ClientInput {
        name: "孙七".into(),
        tier: Some(Tier::Vip),
        stage: Some(Stage::New),
        risk_profile: Some(Risk::C3),
        segments: vec![Segment::Retiree, Segment::Homemaker],
        ..Default::default()
    };
    let id = clients::create(&mut book, &input, today()).unwrap().id;
    totals_match(&book);
    let moved = ClientInput {
        tier: Some(Tier::Private),
        stage: Some(Stage::AtRisk),
        risk_profile: None,
        segments: vec![Segment::Entrepreneur],
        ..input.clone()
    };
    clients::update(&mut book, id, &moved, today()).unwrap();
    clients::set_starred(&mut book, id, true).unwrap();
    totals_match(&book);
    clients::set_starred(&mut book, id, false).unwrap();
    clients::update(&mut book, id, &input, today()).unwrap();
    totals_match(&book);
    clients::delete(&mut book, id).unwrap();
    totals_match(&book);
    let starred: i64 = book
        .conn()
        .query_row("SELECT min(id) FROM clients", [], |r| r.get(0))
        .unwrap();
    clients::set_starred(&mut book, starred, true).unwrap();
    clients::delete(&mut book, starred).unwrap();
    totals_match(&book);

    // Counts no longer true (as a write behind the triggers' back would leave them).
    drop(book);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE client_counts SET n = n + 1 WHERE facet = 'tier' AND value = 'vip'",
            [],
        )
        .unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--book", path.to_str().unwrap(), "check", "--json"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "wrong counts fail the check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["wrong_counts"], 1, "{report}");
}

#[test]
fn one_filter_reads_its_count_and_two_count_from_the_index() {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let plan = |q: ClientQuery| clients::list_plan(&book, &q).unwrap();
    let one = plan(ClientQuery {
        tier: Some(Tier::Vip),
        ..Default::default()
    });
    assert!(
        one.contains("SEARCH client_counts USING PRIMARY KEY"),
        "{one}"
    );
    // The index is read once, for the page's rows only.
    assert_eq!(one.matches("clients_by_tier").count(), 1, "{one}");
    let two = plan(ClientQuery {
        tier: Some(Tier::Vip),
        stage: Some(Stage::New),
        ..Default::default()
    });
    assert!(!two.contains("client_counts"), "{two}");
}
