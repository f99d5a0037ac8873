//! The client book on real SQLite files in temp dirs: CRUD, validation, migrations, search.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::book::values::{
    Birthday, Calendar, Channel, ContactKind, Relation, Segment, Stage, Tier,
};
use rapport::clients::{self, ClientInput, ClientQuery, SortKey};
use rapport::contacts::{self, ContactInput, FollowUpInput};
use rapport::family::{self, FamilyInput};
use rapport::search::{self, HitField};
use rapport::{demo, Book, Error};
use rusqlite::Connection;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// The advisor saves at the end of a working day of `today()`.
fn now() -> NaiveDateTime {
    today().and_hms_opt(18, 0, 0).unwrap()
}

fn fresh() -> (TempDir, Book) {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("nested/dir/book.rapport")).unwrap();
    (dir, book)
}

fn person(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

fn note(at: &str, summary: &str) -> ContactInput {
    ContactInput {
        at: Some(at.into()),
        channel: Channel::Phone,
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

fn invalid_code(e: Error) -> (String, String) {
    match e {
        Error::Invalid { field, code, .. } => (field, code),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_new_book_is_wal_with_foreign_keys_and_the_newest_schema() {
    let (_dir, book) = fresh();
    let mode: String = book
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = book
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    assert_eq!(
        book.schema_version().unwrap(),
        rapport::book::SCHEMA_VERSION
    );
    assert!(book.path().is_file());
}

#[cfg(unix)]
#[test]
fn only_the_advisor_can_read_the_book_files() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, book) = fresh();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(book.path()), 0o600);
    let wal = book.path().with_extension("rapport-wal");
    assert!(wal.exists(), "WAL is on");
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&dir.path().join("nested/dir")), 0o700);
}

#[test]
fn opening_twice_does_not_rerun_migrations_and_keeps_data() {
    let (dir, mut book) = fresh();
    let path = book.path().to_path_buf();
    clients::create(&mut book, &person("张伟华"), today()).unwrap();
    drop(book);
    let book = Book::open(&path).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    drop(dir);
}

#[test]
fn a_book_from_a_newer_rapport_is_refused_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("future.rapport");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE x (y); PRAGMA user_version = 999;")
            .unwrap();
    }
    let err = Book::open(&path).unwrap_err();
    assert_eq!(
        err,
        Error::TooNew {
            found: 999,
            known: rapport::book::SCHEMA_VERSION
        }
    );
    let conn = Connection::open(&path).unwrap();
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 999);
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'clients'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "nothing was migrated into the newer book");
}

#[test]
fn open_existing_never_creates_a_file() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("missing.rapport");
    assert_eq!(
        Book::open_existing(&path).unwrap_err(),
        Error::not_found("book")
    );
    assert!(!path.exists());
}

#[test]
fn client_crud_round_trips_every_field() {
    let (_dir, mut book) = fresh();
    let input = ClientInput {
        name: "  欧阳娜娜 ".into(),
        phone: Some("+86 138-0013-8000".into()),
        birthday: Some(Birthday {
            calendar: Calendar::Lunar,
            date: "1956-08-15".into(),
            leap: false,
        }),
        tier: Some(Tier::Vip),
        stage: Some(Stage::Mature),
        segments: vec![Segment::Retiree, Segment::Homemaker, Segment::Retiree],
        hobbies: Some("书法、太极拳".into()),
        taboos: Some("忌讳送钟".into()),
        starred: true,
        ..Default::default()
    };
    let c = clients::create(&mut book, &input, today()).unwrap();
    assert_eq!(c.name, "欧阳娜娜");
    assert_eq!(c.segments, vec![Segment::Homemaker, Segment::Retiree]);
    assert_eq!(c.birthday.as_ref().unwrap().calendar, Calendar::Lunar);
    assert!(c.starred);
    let again = clients::get(&book, c.id).unwrap();
    assert_eq!(again.phone.as_deref(), Some("+86 138-0013-8000"));
    assert_eq!(again.tier, Tier::Vip);

    let mut edit = input.clone();
    edit.tier = Some(Tier::Private);
    edit.segments = vec![Segment::Entrepreneur];
    let edited = clients::update(&mut book, c.id, &edit, today()).unwrap();
    assert_eq!(edited.tier, Tier::Private);
    assert_eq!(edited.segments, vec![Segment::Entrepreneur]);

    clients::delete(&mut book, c.id).unwrap();
    assert_eq!(
        clients::get(&book, c.id).unwrap_err(),
        Error::not_found("client")
    );
    assert_eq!(
        clients::delete(&mut book, c.id).unwrap_err(),
        Error::not_found("client")
    );
}

#[test]
fn bad_input_is_refused_with_a_code_and_changes_nothing() {
    let (_dir, mut book) = fresh();
    let cases: Vec<(ClientInput, &str, &str)> = vec![
        (person("   "), "name", "required"),
        (
            ClientInput {
                phone: Some("138abc".into()),
                ..person("王五")
            },
            "phone",
            "phone_invalid",
        ),
        (
            ClientInput {
                phone: Some("12".into()),
                ..person("王五")
            },
            "phone",
            "phone_invalid",
        ),
        (
            ClientInput {
                email: Some("no-at-sign".into()),
                ..person("王五")
            },
            "email",
            "email_invalid",
        ),
        (
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Solar,
                    date: "2025-02-30".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "date_impossible",
        ),
        (
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Solar,
                    date: "90/01/01".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "date_format",
        ),
        (
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Solar,
                    date: "2027-01-01".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "date_in_future",
        ),
        (
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Solar,
                    date: "0198-05-02".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "born_too_early",
        ),
        (
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Lunar,
                    date: "1956-13-01".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "month_out_of_range",
        ),
        (
            // 2024 has no leap month (2023 had a leap 2nd month).
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Lunar,
                    date: "2024-02-01".into(),
                    leap: true,
                }),
                ..person("王五")
            },
            "birthday",
            "leap_month_absent",
        ),
        (
            // The 8th lunar month of 1956 has 29 days (python zhdate agrees).
            ClientInput {
                birthday: Some(Birthday {
                    calendar: Calendar::Lunar,
                    date: "1956-08-30".into(),
                    leap: false,
                }),
                ..person("王五")
            },
            "birthday",
            "day_out_of_range",
        ),
        (
            ClientInput {
                notes: Some("字".repeat(20001)),
                ..person("王五")
            },
            "notes",
            "too_long",
        ),
    ];
    for (input, field, code) in cases {
        let err = clients::create(&mut book, &input, today()).unwrap_err();
        assert_eq!(
            invalid_code(err),
            (field.to_string(), code.to_string()),
            "input {input:?}"
        );
    }
    assert_eq!(clients::count(&book).unwrap(), 0);
}

#[test]
fn a_leap_day_birthday_is_accepted_only_in_leap_years() {
    let (_dir, mut book) = fresh();
    let leap = |date: &str| ClientInput {
        birthday: Some(Birthday {
            calendar: Calendar::Solar,
            date: date.into(),
            leap: false,
        }),
        ..person("李四")
    };
    assert!(clients::create(&mut book, &leap("1980-02-29"), today()).is_ok());
    let err = clients::create(&mut book, &leap("1981-02-29"), today()).unwrap_err();
    assert_eq!(invalid_code(err).1, "date_impossible");
}

#[test]
fn family_and_contacts_hang_on_the_client_and_go_with_it() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("张三丰"), today()).unwrap();
    let wife = family::add(
        &mut book,
        c.id,
        &FamilyInput {
            name: "李秀英".into(),
            relation: Relation::Spouse,
            gender: None,
            birthday: Some(Birthday {
                calendar: Calendar::Solar,
                date: "1958-03-02".into(),
                leap: false,
            }),
            phone: None,
            notes: Some("喜欢真丝围巾".into()),
        },
        today(),
    )
    .unwrap();
    assert_eq!(family::list(&book, c.id).unwrap()[0].name, "李秀英");

    let mut visit = note("2026-11-29 10:30", "面谈资产配置，孙子明年出国");
    visit.follow_ups = vec![FollowUpInput {
        title: "发送留学金融方案".into(),
        due: "2026-12-05".into(),
    }];
    let k = contacts::add(&mut book, c.id, &visit, now()).unwrap();
    contacts::add(
        &mut book,
        c.id,
        &note("2026-10-01 09:00", "国庆问候"),
        now(),
    )
    .unwrap();
    assert_eq!(k.follow_ups.len(), 1);
    assert_eq!(
        clients::get(&book, c.id)
            .unwrap()
            .last_contact_at
            .as_deref(),
        Some("2026-11-29 10:30")
    );

    let timeline = contacts::timeline(&book, c.id).unwrap();
    assert_eq!(
        timeline.iter().map(|k| k.at.as_str()).collect::<Vec<_>>(),
        vec!["2026-11-29 10:30", "2026-10-01 09:00"]
    );

    let f = k.follow_ups[0].id;
    let now = NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    assert_eq!(contacts::open_follow_ups(&book, c.id).unwrap().len(), 1);
    let done = contacts::set_follow_up_done(&mut book, f, true, now).unwrap();
    assert_eq!(done.done_at.as_deref(), Some("2026-11-30 09:00"));
    assert!(contacts::open_follow_ups(&book, c.id).unwrap().is_empty());

    contacts::delete(&mut book, k.id).unwrap();
    assert_eq!(
        clients::get(&book, c.id)
            .unwrap()
            .last_contact_at
            .as_deref(),
        Some("2026-10-01 09:00")
    );

    clients::delete(&mut book, c.id).unwrap();
    for table in [
        "family_members",
        "contacts",
        "follow_ups",
        "client_segments",
        "client_search",
        "contact_search",
    ] {
        let n: i64 = book
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table} still holds rows of a deleted client");
    }
    assert_eq!(
        family::delete(&mut book, wife.id).unwrap_err(),
        Error::not_found("family_member")
    );
}

#[test]
fn a_bad_follow_up_is_refused_before_anything_is_written() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("赵六"), today()).unwrap();
    let mut visit = note("2026-11-29 10:30", "讨论续作");
    visit.follow_ups = vec![
        FollowUpInput {
            title: "整理产品对比".into(),
            due: "2026-12-01".into(),
        },
        FollowUpInput {
            title: "回电".into(),
            due: "2026-02-30".into(),
        },
    ];
    let err = contacts::add(&mut book, c.id, &visit, now()).unwrap_err();
    assert_eq!(
        invalid_code(err),
        ("follow_up_due".into(), "date_impossible".into())
    );
    assert!(contacts::timeline(&book, c.id).unwrap().is_empty());
}

#[test]
fn a_write_failing_midway_leaves_the_book_as_it_was() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("赵六"), today()).unwrap();
    contacts::add(
        &mut book,
        c.id,
        &note("2026-11-01 09:00", "上次通话"),
        now(),
    )
    .unwrap();
    let count = |book: &Book, table: &str| -> i64 {
        book.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    // Make the follow-up insert fail inside the transaction, after the contact row, its search
    // entry and last_contact_at have been written.
    book.conn()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_follow_ups BEFORE INSERT ON follow_ups
             BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;",
        )
        .unwrap();
    let mut visit = note("2026-11-29 10:30", "讨论续作");
    visit.follow_ups = vec![FollowUpInput {
        title: "整理产品对比".into(),
        due: "2026-12-01".into(),
    }];
    let err = contacts::add(&mut book, c.id, &visit, now()).unwrap_err();
    assert!(matches!(err, Error::Book { .. }), "{err:?}");
    assert_eq!(count(&book, "contacts"), 1);
    assert_eq!(count(&book, "contact_search"), 1);
    assert_eq!(count(&book, "follow_ups"), 0);
    assert_eq!(
        clients::get(&book, c.id)
            .unwrap()
            .last_contact_at
            .as_deref(),
        Some("2026-11-01 09:00")
    );
    assert!(search::search(&book, "续作", 10).unwrap().is_empty());
}

#[test]
fn complaints_carry_deadline_resolution_and_satisfaction() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("钱七"), today()).unwrap();
    let mut complaint = note("2026-11-20 14:00", "投诉排队时间过长");
    complaint.kind = ContactKind::Complaint;
    complaint.response_due = Some("2026-11-22".into());
    complaint.resolution = Some("开通预约通道".into());
    complaint.resolved_at = Some("2026-11-21".into());
    complaint.satisfied = Some(true);
    let k = contacts::add(&mut book, c.id, &complaint, now()).unwrap();
    assert_eq!(
        (k.kind, k.response_due.as_deref(), k.satisfied),
        (ContactKind::Complaint, Some("2026-11-22"), Some(true))
    );

    let mut wrong = note("2026-11-20 14:00", "普通电话");
    wrong.response_due = Some("2026-11-22".into());
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &wrong, now()).unwrap_err()).1,
        "complaint_only"
    );
    let mut early = complaint.clone();
    early.response_due = Some("2026-11-19".into());
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &early, now()).unwrap_err()),
        ("response_due".into(), "before_contact".into())
    );
    let mut resolved_later = complaint.clone();
    resolved_later.resolved_at = Some("2026-12-02".into());
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &resolved_later, now()).unwrap_err()),
        ("resolved_at".into(), "date_in_future".into())
    );
    let tomorrow = note("2026-12-01 09:00", "明天的拜访");
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &tomorrow, now()).unwrap_err()),
        ("at".into(), "date_in_future".into())
    );
    let bad_time = note("2026-11-20 25:00", "时间不对");
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &bad_time, now()).unwrap_err()),
        ("at".into(), "time_invalid".into())
    );
}

#[test]
fn list_filters_sorts_and_pages_in_sqlite() {
    let (_dir, mut book) = fresh();
    for (name, tier, seg) in [
        ("赵敏", Tier::Vip, Segment::Homemaker),
        ("安静", Tier::Mass, Segment::Professional),
        ("曾国藩", Tier::Vip, Segment::Entrepreneur),
        ("白雪", Tier::Private, Segment::Retiree),
    ] {
        let input = ClientInput {
            tier: Some(tier),
            segments: vec![seg],
            ..person(name)
        };
        clients::create(&mut book, &input, today()).unwrap();
    }
    let names = |q: &ClientQuery| -> Vec<String> {
        clients::list(&book, q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    let all = ClientQuery {
        limit: 50,
        ..Default::default()
    };
    // Pinyin order: an(安) bai(白) zeng(曾, surname reading) zhao(赵).
    assert_eq!(names(&all), vec!["安静", "白雪", "曾国藩", "赵敏"]);
    assert_eq!(
        names(&ClientQuery {
            tier: Some(Tier::Vip),
            ..all.clone()
        }),
        vec!["曾国藩", "赵敏"]
    );
    assert_eq!(
        names(&ClientQuery {
            segment: Some(Segment::Retiree),
            ..all.clone()
        }),
        vec!["白雪"]
    );
    let page = clients::list(
        &book,
        &ClientQuery {
            limit: 2,
            offset: 2,
            ..all.clone()
        },
    )
    .unwrap();
    assert_eq!((page.total, page.rows.len()), (4, 2));
    assert_eq!(page.rows[0].name, "曾国藩");
    assert_eq!(
        names(&ClientQuery {
            descending: true,
            ..all.clone()
        })[0],
        "赵敏"
    );
    let by_contact = ClientQuery {
        sort: SortKey::LastContact,
        descending: true,
        ..all
    };
    assert_eq!(names(&by_contact).len(), 4);
}

#[test]
fn chinese_search_finds_one_two_and_three_character_words_and_pinyin() {
    let (_dir, mut book) = fresh();
    let zhang = clients::create(
        &mut book,
        &ClientInput {
            phone: Some("138 1234 5678".into()),
            employer: Some("华东精密机械".into()),
            ..person("张伟华")
        },
        today(),
    )
    .unwrap();
    let li = clients::create(&mut book, &person("李娜"), today()).unwrap();
    contacts::add(
        &mut book,
        li.id,
        &note(
            "2026-11-01 10:00",
            "客户女儿想去新西兰读书，关注孩子的教育金",
        ),
        now(),
    )
    .unwrap();

    let first = |q: &str| {
        search::search(&book, q, 10)
            .unwrap()
            .into_iter()
            .map(|h| (h.client_id, h.field))
            .next()
    };
    assert_eq!(first("张伟华"), Some((zhang.id, HitField::Name)));
    assert_eq!(first("伟"), Some((zhang.id, HitField::Name)));
    assert_eq!(first("zwh"), Some((zhang.id, HitField::Name)));
    assert_eq!(first("ZhangWei"), Some((zhang.id, HitField::Name)));
    assert_eq!(first("5678"), Some((zhang.id, HitField::Phone)));
    assert_eq!(first("精密"), Some((zhang.id, HitField::Profile)));
    assert_eq!(first("孩子"), Some((li.id, HitField::Contact)));
    assert_eq!(first("新西兰"), Some((li.id, HitField::Contact)));
    assert_eq!(first("教"), Some((li.id, HitField::Contact)));
    assert_eq!(
        first("西兰新"),
        None,
        "characters out of order do not match"
    );
    assert_eq!(first("留学"), None);

    let hit = &search::search(&book, "新西兰", 10).unwrap()[0];
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(marked, vec!["新西兰"]);
}

#[test]
fn several_words_may_each_be_in_a_different_record_of_the_same_client() {
    let (_dir, mut book) = fresh();
    let li = clients::create(&mut book, &person("李娜"), today()).unwrap();
    let wang = clients::create(
        &mut book,
        &ClientInput {
            hobbies: Some("打高尔夫".into()),
            ..person("王芳")
        },
        today(),
    )
    .unwrap();
    let zhao = clients::create(&mut book, &person("赵敏"), today()).unwrap();
    for (who, at, what) in [
        (li.id, "2026-10-01 10:00", "咨询重疾保险的保障范围"),
        (li.id, "2026-11-01 10:00", "孩子明年去英国留学，关注换汇"),
        (wang.id, "2026-11-02 10:00", "女儿准备留学，想了解教育金"),
        (zhao.id, "2026-11-03 10:00", "续保车险"),
    ] {
        contacts::add(&mut book, who, &note(at, what), now()).unwrap();
    }
    let found = |q: &str| -> Vec<i64> {
        search::search(&book, q, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.client_id)
            .collect()
    };
    // Insurance in one note, study abroad in another: 李娜 only.
    assert_eq!(found("保险 留学"), vec![li.id]);
    assert_eq!(found("留学 保险"), vec![li.id], "in either order");
    // A word of the profile and one of a note: 王芳.
    assert_eq!(found("高尔夫 留学"), vec![wang.id]);
    // Each word somewhere, but never for the same client: nobody.
    assert!(found("车险 高尔夫").is_empty());
    let hit = &search::search(&book, "保险 留学", 10).unwrap()[0];
    assert_eq!(hit.field, HitField::Contact);
    assert!(hit.snippet.iter().any(|s| s.hit), "{:?}", hit.snippet);
}

#[test]
fn search_follows_edits_and_deletes() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("王芳"), today()).unwrap();
    let k = contacts::add(
        &mut book,
        c.id,
        &note("2026-11-01 10:00", "想买黄金积存"),
        now(),
    )
    .unwrap();
    assert_eq!(search::search(&book, "黄金", 10).unwrap().len(), 1);
    contacts::update(
        &mut book,
        k.id,
        &note("2026-11-01 10:00", "改为关注大额存单"),
        now(),
    )
    .unwrap();
    assert!(search::search(&book, "黄金", 10).unwrap().is_empty());
    assert_eq!(search::search(&book, "存单", 10).unwrap().len(), 1);

    let mut renamed = person("王芳菲");
    renamed.hobbies = Some("插花".into());
    clients::update(&mut book, c.id, &renamed, today()).unwrap();
    assert_eq!(search::search(&book, "芳菲", 10).unwrap().len(), 1);
    assert_eq!(
        search::search(&book, "插花", 10).unwrap()[0].field,
        HitField::Profile
    );
    family::add(
        &mut book,
        c.id,
        &FamilyInput {
            name: "陈小宝".into(),
            relation: Relation::Child,
            gender: None,
            birthday: None,
            phone: None,
            notes: Some("目标大学：复旦大学".into()),
        },
        today(),
    )
    .unwrap();
    assert_eq!(
        search::search(&book, "复旦", 10).unwrap()[0].client_id,
        c.id
    );
    contacts::delete(&mut book, k.id).unwrap();
    assert!(search::search(&book, "存单", 10).unwrap().is_empty());
}

#[test]
fn the_demo_book_is_realistic_and_repeatable() {
    let make = || {
        let (dir, mut book) = fresh();
        let sum = demo::populate(
            &mut book,
            &demo::DemoSpec {
                clients: 200,
                seed: 7,
                today: today(),
                contacts: None,
            },
        )
        .unwrap();
        let names: Vec<String> = clients::list(
            &book,
            &ClientQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect();
        (dir, book, sum, names)
    };
    let (_d1, book, sum, names) = make();
    let (_d2, _book2, sum2, names2) = make();
    assert_eq!(sum, sum2);
    assert_eq!(names, names2);
    assert_eq!(sum.clients, 200);
    assert!(sum.family_members > 150, "families: {}", sum.family_members);
    assert!(sum.contacts > 600, "a year of contacts: {}", sum.contacts);
    // Contacts fall in the year before "today".
    let (min, max): (String, String) = book
        .conn()
        .query_row("SELECT min(at), max(at) FROM contacts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(
        min.as_str() >= "2025-11-30" && max.as_str() <= "2026-11-30 23:59",
        "{min} .. {max}"
    );
    assert!(names
        .iter()
        .all(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
    // Entered oldest first, as an advisor logs them: entry order is time order.
    let out_of_order: i64 = book
        .conn()
        .query_row(
            "SELECT count(*) FROM contacts a JOIN contacts b ON b.id = a.id + 1 WHERE b.at < a.at",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(out_of_order, 0);
    let lunar: i64 = book
        .conn()
        .query_row(
            "SELECT count(*) FROM clients WHERE birthday_calendar = 'lunar'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(lunar > 5, "some clients keep lunar birthdays: {lunar}");
}

#[test]
fn the_plain_sqlite3_shell_reads_an_unkeyed_book() {
    let (_dir, mut book) = fresh();
    clients::create(&mut book, &person("孙悟空"), today()).unwrap();
    let path = book.path().to_path_buf();
    drop(book);
    // An independent reader: the system sqlite3 shell (scripts/setup.sh installs it).
    let out = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT name FROM clients")
        .output()
        .expect("the sqlite3 shell must be installed (scripts/setup.sh)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "孙悟空");
}

#[test]
fn the_client_page_shows_next_birthdays_in_the_right_calendar() {
    let (_dir, mut book) = fresh();
    let lunar = Birthday {
        calendar: Calendar::Lunar,
        date: "1956-08-15".into(),
        leap: false,
    };
    let c = clients::create(
        &mut book,
        &ClientInput {
            birthday: Some(lunar),
            ..person("周老")
        },
        today(),
    )
    .unwrap();
    let wife = family::add(
        &mut book,
        c.id,
        &FamilyInput {
            name: "吴阿姨".into(),
            relation: Relation::Spouse,
            gender: None,
            birthday: Some(Birthday {
                calendar: Calendar::Solar,
                date: "1958-05-02".into(),
                leap: false,
            }),
            phone: None,
            notes: None,
        },
        today(),
    )
    .unwrap();
    let p = clients::profile(&book, c.id, today()).unwrap();
    // 中秋 2027 is 2027-09-15 (python zhdate agrees); lunar 1956 → 2027 is 71 lunar years.
    let next = p.next_birthday.unwrap();
    assert_eq!(
        (next.date.as_str(), next.turns, next.days_until),
        ("2027-09-15", 71, 289)
    );
    let fam = &p.family_birthdays[0];
    assert_eq!(fam.family_id, wife.id);
    assert_eq!(
        (fam.next.date.as_str(), fam.next.turns, fam.next.days_until),
        ("2027-05-02", 69, 153)
    );
    // On the day itself the birthday is today, not next year.
    let on_the_day =
        clients::profile(&book, c.id, NaiveDate::from_ymd_opt(2027, 9, 15).unwrap()).unwrap();
    assert_eq!(on_the_day.next_birthday.unwrap().days_until, 0);
}

#[test]
fn a_client_with_many_matching_notes_does_not_crowd_out_the_others() {
    let (_dir, mut book) = fresh();
    let mut others = Vec::new();
    for name in ["甲一", "乙二", "丙三", "丁四", "戊五"] {
        let c = clients::create(&mut book, &person(name), today()).unwrap();
        contacts::add(
            &mut book,
            c.id,
            &note("2026-01-05 10:00", "聊了理财规划"),
            now(),
        )
        .unwrap();
        others.push(c.id);
    }
    let busy = clients::create(&mut book, &person("忙碌"), today()).unwrap();
    for day in 1..=28 {
        for hour in 9..=18 {
            let at = format!("2026-02-{day:02} {hour:02}:00");
            contacts::add(&mut book, busy.id, &note(&at, "又聊理财"), now()).unwrap();
        }
    }
    let found: Vec<i64> = search::search(&book, "理财", 10)
        .unwrap()
        .into_iter()
        .map(|h| h.client_id)
        .collect();
    assert_eq!(found.len(), 6, "all six clients, one hit each: {found:?}");
    assert_eq!(found[0], busy.id, "the newest notes come first");
    assert!(others.iter().all(|id| found.contains(id)));
}

#[test]
fn several_words_may_match_the_name_and_a_note_of_the_same_client() {
    let (_dir, mut book) = fresh();
    let wang = clients::create(
        &mut book,
        &ClientInput {
            hobbies: Some("钓鱼".into()),
            ..person("王大锤")
        },
        today(),
    )
    .unwrap();
    let li = clients::create(&mut book, &person("李雷"), today()).unwrap();
    contacts::add(
        &mut book,
        wang.id,
        &note("2026-11-02 10:00", "准备移民加拿大"),
        now(),
    )
    .unwrap();
    contacts::add(
        &mut book,
        li.id,
        &note("2026-11-03 10:00", "也想移民加拿大"),
        now(),
    )
    .unwrap();
    let ids = |book: &Book, q: &str| -> Vec<(i64, HitField)> {
        search::search(book, q, 10)
            .unwrap()
            .into_iter()
            .map(|h| (h.client_id, h.field))
            .collect()
    };
    assert_eq!(ids(&book, "加拿大").len(), 2);
    assert_eq!(ids(&book, "王 加拿大"), vec![(wang.id, HitField::Contact)]);
    assert_eq!(ids(&book, "wdc 移民"), vec![(wang.id, HitField::Contact)]);
    assert_eq!(
        ids(&book, "王大锤 钓鱼"),
        vec![(wang.id, HitField::Profile)]
    );
    assert_eq!(ids(&book, "李 钓鱼"), vec![]);
    assert_eq!(ids(&book, "王"), vec![(wang.id, HitField::Name)]);
    // The phone counts as part of who the client is, like the name.
    clients::update(
        &mut book,
        wang.id,
        &ClientInput {
            phone: Some("139 0000 5678".into()),
            hobbies: Some("钓鱼".into()),
            ..person("王大锤")
        },
        today(),
    )
    .unwrap();
    assert_eq!(ids(&book, "5678 移民"), vec![(wang.id, HitField::Contact)]);

    // Renaming the client renames them in their notes' index too.
    clients::update(&mut book, wang.id, &person("王铁锤"), today()).unwrap();
    assert_eq!(
        ids(&book, "铁锤 加拿大"),
        vec![(wang.id, HitField::Contact)]
    );
    assert!(ids(&book, "大锤 加拿大").is_empty());
}

#[test]
fn a_note_logged_late_for_an_earlier_day_is_shown_by_its_date() {
    let (_dir, mut book) = fresh();
    let a = clients::create(&mut book, &person("先记"), today()).unwrap();
    let b = clients::create(&mut book, &person("后补"), today()).unwrap();
    contacts::add(
        &mut book,
        a.id,
        &note("2026-11-01 10:00", "关注养老保险"),
        now(),
    )
    .unwrap();
    // Entered afterwards, about a call a month earlier.
    contacts::add(
        &mut book,
        b.id,
        &note("2026-10-01 10:00", "关注养老保险"),
        now(),
    )
    .unwrap();
    let hits = search::search(&book, "养老", 10).unwrap();
    let order: Vec<(i64, Option<String>)> = hits
        .into_iter()
        .map(|h| (h.client_id, h.contact_at))
        .collect();
    assert_eq!(
        order,
        vec![
            (a.id, Some("2026-11-01 10:00".into())),
            (b.id, Some("2026-10-01 10:00".into()))
        ]
    );
}

#[test]
fn a_standalone_follow_up_and_removing_one() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("孙丽"), today()).unwrap();
    let lone = contacts::add_follow_up(
        &mut book,
        c.id,
        None,
        &FollowUpInput {
            title: "寄送生日贺卡".into(),
            due: "2026-12-08".into(),
        },
    )
    .unwrap();
    assert_eq!(lone.contact_id, None);
    let mut visit = note("2026-11-29 10:30", "谈定投");
    visit.follow_ups = vec![FollowUpInput {
        title: "发送黄金定投说明".into(),
        due: "2026-12-01".into(),
    }];
    let k = contacts::add(&mut book, c.id, &visit, now()).unwrap();
    assert_eq!(contacts::open_follow_ups(&book, c.id).unwrap().len(), 2);
    // The follow-up's title is searchable with its contact, and stops being so once removed.
    assert_eq!(search::search(&book, "定投说明", 10).unwrap().len(), 1);
    contacts::delete_follow_up(&mut book, k.follow_ups[0].id).unwrap();
    assert!(search::search(&book, "定投说明", 10).unwrap().is_empty());
    assert_eq!(
        contacts::timeline(&book, c.id).unwrap().len(),
        1,
        "the contact stays"
    );
    let open: Vec<String> = contacts::open_follow_ups(&book, c.id)
        .unwrap()
        .into_iter()
        .map(|f| f.title)
        .collect();
    assert_eq!(open, vec!["寄送生日贺卡"]);
    assert_eq!(
        contacts::delete_follow_up(&mut book, k.follow_ups[0].id).unwrap_err(),
        Error::not_found("follow_up")
    );
    contacts::delete_follow_up(&mut book, lone.id).unwrap();
    let left = search::search(&book, "贺卡", 10).unwrap();
    assert!(left.is_empty(), "{left:?}");
    let bad = FollowUpInput {
        title: " ".into(),
        due: "2026-12-08".into(),
    };
    assert_eq!(
        invalid_code(contacts::add_follow_up(&mut book, c.id, None, &bad).unwrap_err()).1,
        "required"
    );
}

#[test]
fn a_contact_without_a_time_happened_when_it_was_saved() {
    let (_dir, mut book) = fresh();
    let c = clients::create(&mut book, &person("孙八"), today()).unwrap();
    let saved_at = today().and_hms_opt(16, 42, 37).unwrap();
    let mut untimed = note("", "刚打完电话");
    untimed.at = None;
    let k = contacts::add(&mut book, c.id, &untimed, saved_at).unwrap();
    assert_eq!(k.at, "2026-11-30 16:42");
    let blank = note("   ", "又打了一次");
    let k2 = contacts::add(&mut book, c.id, &blank, saved_at).unwrap();
    assert_eq!(k2.at, "2026-11-30 16:42");

    // The edit form sends the stored time back; without one, the edit is dated now.
    let typed = note("2026年11月29日 9:05", "改为面访");
    assert_eq!(
        contacts::update(&mut book, k.id, &typed, saved_at)
            .unwrap()
            .at,
        "2026-11-29 09:05"
    );
    let later = today().and_hms_opt(17, 0, 0).unwrap();
    assert_eq!(
        contacts::update(&mut book, k.id, &untimed, later)
            .unwrap()
            .at,
        "2026-11-30 17:00"
    );
    assert_eq!(
        clients::get(&book, c.id)
            .unwrap()
            .last_contact_at
            .as_deref(),
        Some("2026-11-30 17:00")
    );
    // A typed time is still bounded by the day of saving.
    let tomorrow = note("2026/12/1 08:00", "明天");
    assert_eq!(
        invalid_code(contacts::add(&mut book, c.id, &tomorrow, saved_at).unwrap_err()),
        ("at".into(), "date_in_future".into())
    );
}

#[test]
fn same_name_search_hits_carry_phone_tail_and_organisation() {
    let (_dir, mut book) = fresh();
    let mut first = person("王伟");
    first.phone = Some("138 0013 8000".into());
    first.employer = Some("浙江大学".into());
    let first = clients::create(&mut book, &first, today()).unwrap();
    let mut second = person("王伟");
    second.kind = Some(rapport::book::values::ClientKind::Enterprise);
    second.phone = Some("139-0000-1234".into());
    second.company = Some("杭州伟业科技".into());
    let second = clients::create(&mut book, &second, today()).unwrap();
    let third = clients::create(&mut book, &person("王伟"), today()).unwrap();

    let hits = search::search(&book, "王伟", 10).unwrap();
    let seen: Vec<(i64, Option<&str>, Option<&str>)> = hits
        .iter()
        .map(|h| {
            (
                h.client_id,
                h.phone_tail.as_deref(),
                h.organisation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (first.id, Some("8000"), Some("浙江大学")),
            (second.id, Some("1234"), Some("杭州伟业科技")),
            (third.id, None, None),
        ]
    );

    // Hits from a profile or a note say the same.
    contacts::add(
        &mut book,
        second.id,
        &note("2026-11-20 10:00", "谈厂房贷款"),
        now(),
    )
    .unwrap();
    let hit = &search::search(&book, "厂房", 10).unwrap()[0];
    assert_eq!(hit.field, HitField::Contact);
    assert_eq!(
        (hit.phone_tail.as_deref(), hit.organisation.as_deref()),
        (Some("1234"), Some("杭州伟业科技"))
    );
    let hit = &search::search(&book, "浙江大学", 10).unwrap()[0];
    assert_eq!(hit.field, HitField::Profile);
    assert_eq!(
        (hit.phone_tail.as_deref(), hit.organisation.as_deref()),
        (Some("8000"), Some("浙江大学"))
    );
}

#[test]
fn a_book_locked_by_another_program_says_busy() {
    let (_dir, mut book) = fresh();
    let other = Connection::open(book.path()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Wait a moment, not the five seconds the app waits for a CLI to finish.
    book.conn()
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let err = clients::create(&mut book, &person("周九"), today()).unwrap_err();
    assert_eq!(err, Error::Busy);
    assert!(!err.to_string().contains("周九"));
    other.execute_batch("COMMIT").unwrap();
    clients::create(&mut book, &person("周九"), today()).unwrap();
}
