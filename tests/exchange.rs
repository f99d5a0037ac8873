//! Excel both ways on real files: an export read back by an independent reader (calamine)
//! imports into an empty book with every client and field unchanged; messy spreadsheets and a
//! GBK CSV from a bank system import exactly, or are refused naming the row with the book
//! unchanged; duplicates merge, skip or create as asked.

use chrono::NaiveDate;
use rapport::book::values::{Birthday, Calendar, Gender, Risk, Segment, Stage, Tier};
use rapport::clients::{self, ClientInput, ClientQuery, SortKey};
use rapport::demo::{self, DemoSpec};
use rapport::exchange::import::{self, ImportOptions, OnDuplicate};
use rapport::exchange::words::Language;
use rapport::exchange::xlsx::{self, ExportSpec, Sheet};
use rapport::{Book, Error};
use rust_xlsxwriter::Workbook;
use std::path::Path;
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn all() -> ClientQuery {
    ClientQuery {
        tier: None,
        stage: None,
        segment: None,
        risk: None,
        grade: None,
        starred_only: false,
        sort: SortKey::Name,
        descending: false,
        offset: 0,
        limit: 500,
    }
}

/// Every client's fields, in name order, as an edit form holds them.
fn everyone(book: &Book) -> Vec<ClientInput> {
    let ids: Vec<i64> = book
        .conn()
        .prepare("SELECT id FROM clients ORDER BY name_sort, phone, id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    ids.into_iter()
        .map(|id| clients::get(book, id).unwrap().into())
        .collect()
}

fn run_import(book: &mut Book, file: &Path, on_duplicate: OnDuplicate) -> import::ImportReport {
    let options = ImportOptions {
        on_duplicate,
        dry_run: false,
        mapping: vec![],
    };
    import::import(book, file, &options, today(), &mut |_, _| {}).unwrap()
}

/// A book with the demo's clients and the awkward ones: a lunar birthday in a leap month, an ID
/// ending in X, a phone with a leading zero, a 30-character company, a long note on two lines.
fn awkward_book(dir: &Path) -> Book {
    let mut book = Book::open(&dir.join("from.rapport")).unwrap();
    demo::populate(
        &mut book,
        &DemoSpec {
            clients: 60,
            seed: 3,
            today: today(),
            contacts: None,
        },
    )
    .unwrap();
    let note = format!(
        "{}\n第二行：孩子想去墨尔本读书, \"引号\"与逗号,",
        "长".repeat(600)
    );
    clients::create(
        &mut book,
        &ClientInput {
            name: "欧阳慧敏".into(),
            gender: Some(Gender::Female),
            phone: Some("010-6512 3456".into()),
            id_type: Some("身份证".into()),
            id_number: Some("11010119650308123X".into()),
            birthday: Some(Birthday {
                calendar: Calendar::Lunar,
                date: "2023-02-15".into(),
                leap: true,
            }),
            employer: Some("北京市朝阳区国际贸易中心大厦第三十八层金融服务有限公司".into()),
            risk_profile: Some(Risk::C2),
            tier: Some(Tier::Private),
            stage: Some(Stage::AtRisk),
            segments: vec![Segment::Homemaker, Segment::Retiree],
            notes: Some(note),
            starred: true,
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    book
}

#[test]
fn an_export_imports_back_into_an_empty_book_with_every_field_unchanged() {
    let dir = TempDir::new().unwrap();
    let from = awkward_book(dir.path());
    let before = everyone(&from);
    for language in [Language::ZhCn, Language::En] {
        let file = dir.path().join(format!("clients-{language:?}.xlsx"));
        let spec = ExportSpec {
            query: all(),
            sheets: vec![
                Sheet::Clients,
                Sheet::Family,
                Sheet::Contacts,
                Sheet::FollowUps,
            ],
            language,
        };
        let mut ticks = 0;
        let done = xlsx::export(&from, &spec, &file, &mut |_, _| ticks += 1).unwrap();
        assert_eq!(done.clients, 61);
        assert!(ticks >= 1);
        assert_eq!(done.sheets.len(), 4);

        let mut to = Book::open(&dir.path().join(format!("to-{language:?}.rapport"))).unwrap();
        let report = run_import(&mut to, &file, OnDuplicate::Merge);
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        assert!(report.applied);
        assert_eq!(report.header_row, 1);
        assert_eq!(report.created, 61, "{:?}", report.duplicates);
        let after = everyone(&to);
        assert_eq!(after.len(), before.len());
        for (a, b) in before.iter().zip(&after) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }
}

#[test]
fn the_export_is_what_an_independent_reader_expects() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = TempDir::new().unwrap();
    let from = awkward_book(dir.path());
    let file = dir.path().join("list.xlsx");
    let mut q = all();
    q.tier = Some(Tier::Private);
    let spec = ExportSpec {
        query: q,
        sheets: vec![],
        language: Language::ZhCn,
    };
    let done = xlsx::export(&from, &spec, &file, &mut |_, _| {}).unwrap();
    let private = clients::list(&from, &{
        let mut q = all();
        q.tier = Some(Tier::Private);
        q
    })
    .unwrap()
    .total;
    assert_eq!(done.clients, private);
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), ["客户"]);
    let range = wb.worksheet_range("客户").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..5],
        ["客户编号", "姓名", "客户类型", "性别", "手机"]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = range.rows().find(|r| r[col("姓名")] == "欧阳慧敏").unwrap();
    // Text, not numbers: the X and the leading zero stay.
    assert_eq!(
        row[col("证件号码")],
        Data::String("11010119650308123X".into())
    );
    assert_eq!(row[col("手机")], Data::String("010-6512 3456".into()));
    assert_eq!(row[col("客户分层")], Data::String("私行".into()));
    assert_eq!(row[col("客群")], Data::String("全职太太、富裕晚年".into()));
    assert_eq!(row[col("历法")], Data::String("农历".into()));
    assert_eq!(row[col("闰月")], Data::String("是".into()));
    // A solar birthday is a real Excel date.
    let solar = range
        .rows()
        .skip(1)
        .find(|r| r[col("历法")] == "公历")
        .expect("a solar birthday among the private clients");
    assert!(
        matches!(solar[col("生日")], Data::DateTime(_)),
        "{:?}",
        solar[col("生日")]
    );
    assert_eq!(range.height() as u32, private + 1);
}

/// A spreadsheet as bank systems and colleagues make them: a merged title row, a blank row,
/// Chinese headers in their own order, a phone as a number, dates in several forms.
fn messy(path: &Path, bad_row: bool) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "2026年11月 朝阳支行 客户清单",
        &Default::default(),
    )
    .unwrap();
    let headers = [
        "序号",
        "客户姓名",
        "手机号码",
        "证件号码",
        "出生日期",
        "客户等级",
        "风险评级",
        "开户网点",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string(2, i as u16, *h).unwrap();
    }
    let rows: Vec<(&str, f64, &str, &str, &str, &str)> = vec![
        (
            "张伟",
            13800138000.0,
            "110101196503081234",
            "1965/3/8",
            "贵宾",
            "稳健型",
        ),
        (
            "李秀英",
            13900001111.0,
            "11010119590101234X",
            "1959.10.1",
            "私人银行",
            "C3",
        ),
        ("王强", 13700002222.0, "", "19700502", "大众", "进取型"),
        ("赵敏", 13600003333.0, "", "1980年5月2日", "高端", "保守型"),
    ];
    for (n, (name, phone, id, born, tier, risk)) in rows.iter().enumerate() {
        let r = 3 + n as u32;
        ws.write_number(r, 0, (n + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number(r, 2, *phone).unwrap();
        if !id.is_empty() {
            ws.write_string(r, 3, *id).unwrap();
        }
        ws.write_string(r, 4, *born).unwrap();
        ws.write_string(r, 5, *tier).unwrap();
        ws.write_string(r, 6, *risk).unwrap();
        ws.write_string(r, 7, "朝阳支行").unwrap();
    }
    // One more as a real Excel date, and (when asked) a bad row in the middle.
    let d = NaiveDate::from_ymd_opt(1975, 12, 24).unwrap();
    ws.write_string(7, 1, "孙丽").unwrap();
    ws.write_string(7, 2, "+86 135 0000 4444").unwrap();
    ws.write_datetime(7, 4, d).unwrap();
    ws.write_string(7, 5, if bad_row { "金卡" } else { "大众" })
        .unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_messy_spreadsheet_imports_exactly_or_names_the_bad_row_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let bad = dir.path().join("bad.xlsx");
    messy(&bad, true);
    let report = run_import(&mut book, &bad, OnDuplicate::Merge);
    assert_eq!(report.header_row, 3);
    assert!(!report.applied);
    assert_eq!(report.refused.len(), 1, "{:?}", report.refused);
    let r = &report.refused[0];
    assert_eq!(
        (r.row, r.letter.as_deref(), r.header.as_deref()),
        (8, Some("F"), Some("客户等级"))
    );
    assert_eq!(r.text.as_deref(), Some("金卡"));
    assert!(
        matches!(&r.error, Error::Invalid { field, code, .. } if field == "tier" && code == "unknown_value")
    );
    assert_eq!(clients::count(&book).unwrap(), 0, "nothing was written");

    let good = dir.path().join("good.xlsx");
    messy(&good, false);
    let report = run_import(&mut book, &good, OnDuplicate::Merge);
    assert!(
        report.applied && report.refused.is_empty(),
        "{:?}",
        report.refused
    );
    assert_eq!(report.created, 5);
    let unmapped: Vec<&str> = report
        .columns
        .iter()
        .filter(|c| c.field.is_none())
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(unmapped, ["序号", "开户网点"]);
    let by_name = |name: &str| {
        everyone(&book)
            .into_iter()
            .find(|c| c.name == name)
            .unwrap()
    };
    let zhang = by_name("张伟");
    assert_eq!(zhang.phone.as_deref(), Some("13800138000"));
    assert_eq!(zhang.id_number.as_deref(), Some("110101196503081234"));
    assert_eq!(zhang.birthday.unwrap().date, "1965-03-08");
    assert_eq!(zhang.tier, Some(Tier::Vip));
    assert_eq!(zhang.risk_profile, Some(Risk::C2));
    let li = by_name("李秀英");
    assert_eq!(li.tier, Some(Tier::Private));
    assert_eq!(li.birthday.unwrap().date, "1959-10-01");
    assert_eq!(li.id_number.as_deref(), Some("11010119590101234X"));
    assert_eq!(by_name("王强").birthday.unwrap().date, "1970-05-02");
    assert_eq!(by_name("赵敏").birthday.unwrap().date, "1980-05-02");
    let sun = by_name("孙丽");
    assert_eq!(sun.birthday.unwrap().date, "1975-12-24");
    assert_eq!(sun.phone.as_deref(), Some("+86 135 0000 4444"));

    // The same file again: every row is a duplicate now.
    let again = run_import(&mut book, &good, OnDuplicate::Skip);
    assert_eq!((again.created, again.skipped), (0, 5));
    assert_eq!(clients::count(&book).unwrap(), 5);
    let again = run_import(&mut book, &good, OnDuplicate::Create);
    assert_eq!(again.created, 5);
    assert_eq!(clients::count(&book).unwrap(), 10);
}

#[test]
fn a_gbk_csv_from_a_bank_system_imports_field_by_field() {
    let dir = TempDir::new().unwrap();
    let text = "客户信息导出\r\n\
                客户名称,性别,手机号,身份证号码,出生日期,客户级别,风险承受能力,备注\r\n\
                钱学林,男,13811112222,310101196001011234,1960-01-01,私行客户,平衡型,\"老客户,喜欢茶\"\r\n\
                周芷若,女,13922223333,,1988/8/8,大众,C1,\r\n";
    let (gbk, _, lossy) = encoding_rs::GBK.encode(text);
    assert!(!lossy);
    let file = dir.path().join("bank.csv");
    std::fs::write(&file, &gbk).unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let report = run_import(&mut book, &file, OnDuplicate::Merge);
    assert!(report.applied, "{:?}", report.refused);
    assert_eq!((report.header_row, report.created), (2, 2));
    let qian = everyone(&book)
        .into_iter()
        .find(|c| c.name == "钱学林")
        .unwrap();
    assert_eq!(qian.gender, Some(Gender::Male));
    assert_eq!(qian.phone.as_deref(), Some("13811112222"));
    assert_eq!(qian.id_number.as_deref(), Some("310101196001011234"));
    assert_eq!(qian.tier, Some(Tier::Private));
    assert_eq!(qian.risk_profile, Some(Risk::C3));
    assert_eq!(qian.notes.as_deref(), Some("老客户,喜欢茶"));
    let zhou = everyone(&book)
        .into_iter()
        .find(|c| c.name == "周芷若")
        .unwrap();
    assert_eq!(zhou.birthday.unwrap().date, "1988-08-08");
    assert_eq!(zhou.risk_profile, Some(Risk::C1));
}

#[test]
fn a_duplicate_merges_into_the_client_already_in_the_book() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let id = clients::create(
        &mut book,
        &ClientInput {
            name: "张伟".into(),
            phone: Some("138 0013 8000".into()),
            notes: Some("只在客户簿里的备注".into()),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .id;
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "姓名,手机,客户等级,备注\n张伟,+86 13800138000,贵宾,\n张伟,13800138000,,第二行\n",
    )
    .unwrap();
    let report = run_import(&mut book, &file, OnDuplicate::Merge);
    assert_eq!((report.created, report.merged), (0, 2));
    assert_eq!(report.duplicates[0].client_id, Some(id));
    assert_eq!(clients::count(&book).unwrap(), 1);
    let c = clients::get(&book, id).unwrap();
    assert_eq!(c.tier, Tier::Vip);
    assert_eq!(c.notes.as_deref(), Some("第二行"));
    assert_eq!(c.phone.as_deref(), Some("13800138000"));
}

#[test]
fn a_file_without_headers_or_of_an_unknown_kind_is_refused_clearly() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let file = dir.path().join("numbers.csv");
    std::fs::write(&file, "1,2,3\n4,5,6\n").unwrap();
    let options = ImportOptions::default();
    let err = import::import(&mut book, &file, &options, today(), &mut |_, _| {}).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { ref code, .. } if code == "no_header_row"),
        "{err:?}"
    );
    let doc = dir.path().join("notes.docx");
    std::fs::write(&doc, "x").unwrap();
    let err = import::import(&mut book, &doc, &options, today(), &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, Error::Invalid { ref code, .. } if code == "file_kind_unknown"));
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, "not a zip").unwrap();
    let err = import::import(&mut book, &broken, &options, today(), &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, Error::Invalid { ref code, .. } if code == "file_unreadable"));
}

#[test]
fn the_cli_refuses_a_file_with_a_bad_row_naming_it_and_exits_1() {
    use std::process::Command;
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--book")
            .arg(&book)
            .args(args)
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("RAPPORT_PASSPHRASE")
            .env("RAPPORT_TODAY", "2026-11-30")
            .output()
            .unwrap()
    };
    assert!(run(&["init"]).status.success());
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "姓名,手机,出生日期\n张伟,13800138000,1965/3/8\n李娜,138-abc,1970-01-01\n王芳,13900001111,1999-02-30\n",
    )
    .unwrap();
    let out = run(&["import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("row 3 column B (手机) “138-abc”"), "{said}");
    assert!(
        said.contains("row 4 column C (出生日期) “1999-02-30”"),
        "{said}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 rows were refused"), "{err}");
    let out = run(&["--json", "clients", "list"]);
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 0, "nothing was imported");
    // Corrected, it goes in whole; a dry run first changes nothing.
    std::fs::write(
        &file,
        "姓名,手机,出生日期\n张伟,13800138000,1965/3/8\n李娜,138 0000 2222,1970-01-01\n",
    )
    .unwrap();
    let out = run(&["--json", "import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["created"].as_u64(), report["applied"].as_bool()),
        (Some(2), Some(false))
    );
    let out = run(&["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported: 2 created"));
    let template = dir.path().join("template.xlsx");
    assert!(run(&["template", "--out", template.to_str().unwrap()])
        .status
        .success());
    let out = run(&["import", template.to_str().unwrap(), "--dry-run", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rows"], 0);
}
