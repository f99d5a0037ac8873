//! Money in the book on real files with pinned dates: holdings and AUM, the maturity reminders
//! of the agenda (a maturity on a weekend, one right after 春节), a renewal, a value leaving
//! its band, the 12421 grades from the book (ties, a 1,001-client book's letter counts, a fall
//! against last month) and the warning signs of the At risk list.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::agenda::{self, ItemKind};
use rapport::book::values::{HoldingKind, HoldingStatus};
use rapport::churn::{self, SignKind};
use rapport::clients::{self, ClientInput};
use rapport::holdings::{self, HoldingInput};
use rapport::{grades, settings, work_schedule, Book};
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(9, 0, 0).unwrap()
}

fn book() -> (TempDir, Book) {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("book.rapport")).unwrap();
    (dir, book)
}

fn client(book: &mut Book, name: &str) -> i64 {
    let input = ClientInput {
        name: name.into(),
        ..Default::default()
    };
    clients::create(book, &input, d(2025, 1, 2)).unwrap().id
}

fn holding(product: &str, amount: &str, bought: &str, maturity: Option<&str>) -> HoldingInput {
    HoldingInput {
        product: product.into(),
        kind: Some(HoldingKind::Wealth),
        amount: amount.into(),
        bought_on: bought.into(),
        maturity: maturity.map(str::to_string),
        rate: Some("3.2".into()),
        ..Default::default()
    }
}

/// The agenda's items of `kind` for `days` days from `from`: (id, due).
fn items(book: &Book, from: NaiveDate, days: u32, kind: ItemKind) -> Vec<(String, String)> {
    let cal = work_schedule::from_book(book).unwrap();
    agenda::for_days(book, from, days, at(from), &cal)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.kind == kind)
        .map(|i| (i.id, i.due))
        .collect()
}

#[test]
fn money_is_whole_fen_and_aum_counts_only_what_is_held_here() {
    let (_dir, mut book) = book();
    let wang = client(&mut book, "王芳");
    let deposit = holdings::add(
        &mut book,
        wang,
        &holding(
            "三年定期",
            "¥1,200,000.50",
            "2025-03-01",
            Some("2028-03-01"),
        ),
    )
    .unwrap();
    assert_eq!(deposit.amount_fen, 120_000_050);
    assert_eq!(deposit.rate_bp, Some(320));
    let fund = holdings::add(
        &mut book,
        wang,
        &HoldingInput {
            kind: Some(HoldingKind::Fund),
            ..holding("沪深300指数基金", "300000", "2025-06-01", None)
        },
    )
    .unwrap();
    holdings::add(
        &mut book,
        wang,
        &HoldingInput {
            elsewhere: true,
            institution: Some("招商银行".into()),
            ..holding("他行理财", "500000", "2025-06-01", Some("2026-06-01"))
        },
    )
    .unwrap();
    holdings::set_value(&mut book, fund.id, "2026-10-31", "255000", d(2026, 12, 1)).unwrap();
    let money = holdings::money(&book, wang, d(2026, 12, 1)).unwrap();
    assert_eq!(
        money.aum_fen,
        120_000_050 + 25_500_000,
        "the fund at its last value"
    );
    assert_eq!(money.elsewhere_fen, 50_000_000, "他行资产 apart");
    assert_eq!(money.trend.len(), 12);
    assert_eq!(
        money.trend[0],
        ("2026-01-31".to_string(), 120_000_050 + 30_000_000)
    );
    assert_eq!(money.trend[10].0, "2026-11-30");
    assert_eq!(money.trend.last().unwrap().1, money.aum_fen);

    // Bad input is refused with a reason, and nothing is written.
    let before = holdings::of_client(&book, wang).unwrap().len();
    for (bad, code) in [
        (holding("x", "-5", "2026-01-01", None), "money_format"),
        (
            holding("x", "100", "2026-01-01", Some("2025-12-31")),
            "before_value_date",
        ),
        (
            HoldingInput {
                rate: Some("3.255".into()),
                ..holding("x", "100", "2026-01-01", None)
            },
            "percent_format",
        ),
    ] {
        let e = holdings::add(&mut book, wang, &bad).unwrap_err();
        let got = match &e {
            rapport::Error::Invalid { code, .. } => code.clone(),
            other => format!("{other:?}"),
        };
        assert!(
            got == code || (code == "money_format" && got.starts_with("money")),
            "{got} for {code}"
        );
    }
    assert_eq!(holdings::of_client(&book, wang).unwrap().len(), before);
}

#[test]
fn maturity_reminders_fall_on_working_days_even_around_weekends_and_spring_festival() {
    let (_dir, mut book) = book();
    let wang = client(&mut book, "王芳");
    // Matures on Sunday 2026-12-13: 7 days before is a Sunday, 1 day before a Saturday.
    let sunday = holdings::add(
        &mut book,
        wang,
        &holding("周末到期理财", "500000", "2026-06-12", Some("2026-12-13")),
    )
    .unwrap();
    let found = items(&book, d(2026, 12, 1), 20, ItemKind::Maturity);
    assert_eq!(
        found,
        vec![
            (
                format!("maturity/{}/7", sunday.id),
                "2026-12-04".to_string()
            ),
            (
                format!("maturity/{}/1", sunday.id),
                "2026-12-11".to_string()
            ),
        ],
        "Friday before each"
    );
    // Matures on Tuesday 2026-02-24, the first working day after the 春节 break (15–23 Feb,
    // with Saturday 14 Feb worked): both notices land on that Saturday.
    let festival = holdings::add(
        &mut book,
        wang,
        &holding("春节后到期", "800000", "2025-08-24", Some("2026-02-24")),
    )
    .unwrap();
    let found = items(&book, d(2026, 2, 1), 30, ItemKind::Maturity);
    assert!(
        found.contains(&(
            format!("maturity/{}/7", festival.id),
            "2026-02-14".to_string()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            format!("maturity/{}/1", festival.id),
            "2026-02-14".to_string()
        )),
        "{found:?}"
    );

    // The notice days are the advisor's: 10 and 3.
    settings::set_maturity_notice_days(&mut book, &[3, 10]).unwrap();
    let found = items(&book, d(2026, 12, 1), 20, ItemKind::Maturity);
    let ids: Vec<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("maturity/{}/10", sunday.id),
            format!("maturity/{}/3", sunday.id)
        ]
    );
    assert!(settings::set_maturity_notice_days(&mut book, &[0]).is_err());
    assert_eq!(
        settings::get(&book).unwrap().maturity_notice_days,
        vec![10, 3]
    );
}

#[test]
fn a_renewal_ends_the_reminders_and_the_churn_sign_and_an_unrenewed_maturity_raises_one() {
    let (_dir, mut book) = book();
    let wang = client(&mut book, "王芳");
    let li = client(&mut book, "李娜");
    let hers = holdings::add(
        &mut book,
        wang,
        &holding("半年理财", "500000", "2026-05-20", Some("2026-11-20")),
    )
    .unwrap();
    let his = holdings::add(
        &mut book,
        li,
        &holding("半年理财", "600000", "2026-05-20", Some("2026-11-20")),
    )
    .unwrap();
    // Seen on 11-16, both maturities are coming: the 7-day calls (due Friday 11-13) are
    // overdue, the 1-day calls due on 11-19.
    let before = items(&book, d(2026, 11, 16), 4, ItemKind::Maturity);
    assert_eq!(before.len(), 4, "{before:?}");
    // Wang renews into a new product; Li's money is left to leave.
    let new = holdings::renew(
        &mut book,
        hers.id,
        &holding("一年理财", "500000", "2026-11-20", Some("2027-11-20")),
    )
    .unwrap();
    let old = holdings::get(book.conn(), hers.id).unwrap();
    assert_eq!(old.status, HoldingStatus::Renewed);
    assert_eq!(old.renewed_into, Some(new.id));
    let found = items(&book, d(2026, 11, 16), 4, ItemKind::Maturity);
    assert_eq!(
        found,
        vec![
            (format!("maturity/{}/7", his.id), "2026-11-13".to_string()),
            (format!("maturity/{}/1", his.id), "2026-11-19".to_string())
        ]
    );
    holdings::close(&mut book, his.id, HoldingStatus::Matured, "2026-11-20").unwrap();

    // A week after the maturity, Li shows the sign; Wang does not.
    let on = d(2026, 11, 28);
    let signs = churn::signs(&book, li, on).unwrap();
    assert!(
        signs
            .iter()
            .any(|s| s.kind == SignKind::NotRenewed && s.since == "2026-11-27"),
        "{signs:?}"
    );
    assert!(!churn::signs(&book, wang, on)
        .unwrap()
        .iter()
        .any(|s| s.kind == SignKind::NotRenewed));
    // Six days after, not yet.
    assert!(!churn::signs(&book, li, d(2026, 11, 26))
        .unwrap()
        .iter()
        .any(|s| s.kind == SignKind::NotRenewed));
}

#[test]
fn a_value_out_of_its_band_is_on_the_agenda_from_its_day() {
    let (_dir, mut book) = book();
    let wang = client(&mut book, "王芳");
    let fund = holdings::add(
        &mut book,
        wang,
        &HoldingInput {
            kind: Some(HoldingKind::Fund),
            stop_profit: Some("8".into()),
            stop_loss: Some("5".into()),
            ..holding("成长基金", "100000", "2026-01-05", None)
        },
    )
    .unwrap();
    assert_eq!(
        (fund.stop_profit_bp, fund.stop_loss_bp),
        (Some(800), Some(-500))
    );
    holdings::set_value(&mut book, fund.id, "2026-11-02", "104000", d(2026, 12, 1)).unwrap();
    assert!(
        items(&book, d(2026, 11, 3), 7, ItemKind::Band).is_empty(),
        "+4 % is inside"
    );
    // -5.00 % exactly touches the stop-loss.
    holdings::set_value(&mut book, fund.id, "2026-11-20", "95000", d(2026, 12, 1)).unwrap();
    let found = items(&book, d(2026, 11, 25), 7, ItemKind::Band);
    assert_eq!(
        found,
        vec![(
            format!("band/{}/2026-11-20", fund.id),
            "2026-11-20".to_string()
        )]
    );
    let cal = work_schedule::from_book(&book).unwrap();
    let item = agenda::for_days(&book, d(2026, 11, 25), 7, at(d(2026, 11, 25)), &cal)
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.kind == ItemKind::Band)
        .unwrap();
    assert!(
        item.overdue && item.reason.contains("-5.00%") && item.reason.contains("止损"),
        "{}",
        item.reason
    );
    // Done: gone, and the next value out of band is a new item.
    agenda::mark(
        &mut book,
        &item.id,
        &agenda::Mark::Done,
        d(2026, 11, 25),
        None,
        at(d(2026, 11, 25)),
    )
    .unwrap();
    assert!(items(&book, d(2026, 11, 25), 7, ItemKind::Band).is_empty());
    holdings::set_value(&mut book, fund.id, "2026-11-26", "110000", d(2026, 12, 1)).unwrap();
    assert_eq!(items(&book, d(2026, 11, 26), 7, ItemKind::Band).len(), 1);
}

#[test]
fn grades_come_from_the_book_with_ties_settled_and_a_fall_seen_against_last_month() {
    let (_dir, mut book) = book();
    // A 1,001-client book: letters 100, 200, 401, 200, 100 whatever the figures.
    let ids: Vec<i64> = (0..1001)
        .map(|i| client(&mut book, &format!("客户{i:04}")))
        .collect();
    for (i, id) in ids.iter().enumerate().take(600) {
        // AUM in steps of 10,000, with ties every 7 clients.
        let amount = format!("{}", 10_000 * (1 + i / 7));
        holdings::add(
            &mut book,
            *id,
            &holding("定期", &amount, "2026-01-05", None),
        )
        .unwrap();
    }
    let g = grades::recalculate(&mut book, d(2026, 11, 30)).unwrap();
    assert_eq!(g.month, "2026-11");
    let counts: Vec<u32> = g.counts.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [100, 200, 401, 200, 100]);
    // Ties in score are broken by AUM then id: the grades follow the order strictly.
    let letters: String = g.clients.iter().map(|c| c.grade.as_str()).collect();
    assert!(
        letters.as_bytes().windows(2).all(|w| w[0] <= w[1]),
        "best first"
    );
    assert_eq!(
        g.clients[0].client_id, ids[595],
        "the largest AUM, the lowest id of its tie"
    );
    assert_eq!(g.clients[4].client_id, ids[599]);
    assert_eq!(g.clients[0].score, g.clients[4].score);

    // Next month a top client's money leaves: the fall shows, and is a warning sign.
    let top = g.clients[0].client_id;
    let h = holdings::of_client(&book, top).unwrap()[0].id;
    holdings::close(&mut book, h, HoldingStatus::Redeemed, "2026-12-02").unwrap();
    let next = grades::recalculate(&mut book, d(2026, 12, 3)).unwrap();
    let theirs = next.clients.iter().find(|c| c.client_id == top).unwrap();
    assert_eq!(theirs.previous.as_deref(), Some("A"));
    assert!(theirs.fell && theirs.grade.as_str() > "A", "{theirs:?}");
    // The list follows the newest month: each letter's count is the month's, and the fallen
    // client is listed under their new letter, no longer under A.
    for (letter, n) in &next.counts {
        let grade = match letter.as_str() {
            "A" => clients::Grade::A,
            "B" => clients::Grade::B,
            "C" => clients::Grade::C,
            "D" => clients::Grade::D,
            _ => clients::Grade::E,
        };
        let listed = clients::list(
            &book,
            &clients::ClientQuery {
                grade: Some(grade),
                limit: 1000,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(listed.total, *n, "{letter}");
        assert_eq!(listed.rows.len() as u32, *n, "{letter}");
        let has_top = listed.rows.iter().any(|r| r.id == top);
        assert_eq!(has_top, *letter == theirs.grade.as_str(), "{letter}");
    }
    let signs = churn::signs(&book, top, d(2026, 12, 3)).unwrap();
    assert!(
        signs.iter().any(|s| s.kind == SignKind::GradeFell),
        "{signs:?}"
    );
    assert!(
        signs.iter().any(|s| s.kind == SignKind::AumDown),
        "{signs:?}"
    );
    assert_eq!(grades::latest(&book).unwrap().unwrap().month, "2026-12");
}

#[test]
fn the_at_risk_list_names_each_sign_and_orders_by_count_then_freshness() {
    let (_dir, mut book) = book();
    let quiet = client(&mut book, "甲");
    let leaving = client(&mut book, "乙");
    let calm = client(&mut book, "丙");
    let today = d(2026, 12, 1);
    for id in [quiet, leaving, calm] {
        holdings::add(
            &mut book,
            id,
            &holding("定期", "1000000", "2026-01-05", None),
        )
        .unwrap();
    }
    // 乙: money out, a large transfer, and (like everyone here) no contact for months.
    holdings::transfer_out(
        &mut book,
        leaving,
        "2026-11-25",
        "600000",
        Some("他行"),
        today,
    )
    .unwrap();
    let h = holdings::of_client(&book, leaving).unwrap()[0].id;
    holdings::set_value(&mut book, h, "2026-11-25", "400000", today).unwrap();
    let list = churn::at_risk(&book, today).unwrap();
    assert_eq!(list[0].client_id, leaving, "{list:?}");
    let kinds: Vec<SignKind> = list[0].signs.iter().map(|s| s.kind).collect();
    assert!(
        kinds.contains(&SignKind::AumDown) && kinds.contains(&SignKind::TransferOut),
        "{kinds:?}"
    );
    assert!(
        list[0].signs[0].since >= list[0].signs[1].since,
        "newest first"
    );
    // 甲 was last called in June: a 90-day cadence missed by a whole cycle (180 days) by 11-28.
    rapport::contacts::add(
        &mut book,
        quiet,
        &rapport::contacts::ContactInput {
            at: Some("2026-06-01 10:00".into()),
            channel: rapport::book::values::Channel::Phone,
            kind: rapport::book::values::ContactKind::Note,
            summary: "电话问候".into(),
            needs: None,
            follow_ups: vec![],
            response_due: None,
            resolution: None,
            resolved_at: None,
            satisfied: None,
        },
        at(d(2026, 6, 1)),
    )
    .unwrap();
    let signs = churn::signs(&book, quiet, today).unwrap();
    assert_eq!(signs.len(), 1, "{signs:?}");
    assert_eq!(
        (signs[0].kind, signs[0].since.as_str()),
        (SignKind::NoContact, "2026-11-28")
    );
    assert!(
        churn::signs(&book, quiet, d(2026, 11, 27))
            .unwrap()
            .is_empty(),
        "not before"
    );
    // A small transfer is no sign.
    holdings::transfer_out(&mut book, calm, "2026-11-25", "1000", None, today).unwrap();
    assert!(!churn::signs(&book, calm, today)
        .unwrap()
        .iter()
        .any(|s| s.kind == SignKind::TransferOut));
    // A lost client leaves the list, with the reason kept.
    churn::mark_lost(&mut book, leaving, "利率更高的他行理财", today).unwrap();
    assert!(churn::at_risk(&book, today)
        .unwrap()
        .iter()
        .all(|c| c.client_id != leaving));
    let reason: String = book
        .conn()
        .query_row(
            "SELECT lost_reason FROM clients WHERE id = ?1",
            [leaving],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "利率更高的他行理财");
}

fn cli(book: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .arg("--json")
        .args(args)
        .env("RAPPORT_TODAY", "2026-12-01")
        .env_remove("RAPPORT_BOOK")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_command_line_forms_add_list_value_grade_and_list_the_clients_at_risk() {
    let (dir, mut book) = book();
    let wang = client(&mut book, "王芳");
    client(&mut book, "李娜");
    drop(book);
    let path = dir.path().join("book.rapport");
    let h = cli(
        &path,
        &[
            "holdings",
            "add",
            "王芳",
            "--product",
            "安盈半年理财",
            "--type",
            "wealth",
            "--amount",
            "500000",
            "--start",
            "2026-06-05",
            "--value-date",
            "2026-06-06",
            "--maturity",
            "2026-12-09",
            "--rate",
            "3.1",
        ],
    );
    assert_eq!(h["client_id"], wang);
    assert_eq!(h["amount_fen"], 50_000_000);
    assert_eq!(h["rate_bp"], 310);
    assert_eq!(h["maturity"], "2026-12-09");
    let fund = cli(
        &path,
        &[
            "holdings",
            "add",
            &wang.to_string(),
            "--product",
            "成长基金",
            "--type",
            "基金",
            "--amount",
            "100000",
            "--start",
            "2026-01-05",
            "--stop-loss",
            "-5",
        ],
    );
    let fund_id = fund["id"].as_i64().unwrap().to_string();
    let valued = cli(
        &path,
        &[
            "holdings",
            "value",
            &fund_id,
            "--on",
            "2026-11-30",
            "--amount",
            "80000",
        ],
    );
    assert_eq!(valued["value_fen"], 8_000_000);
    let list = cli(&path, &["holdings", "list", "王芳"]);
    assert_eq!(list["aum_fen"], 50_000_000 + 8_000_000);
    assert_eq!(list["holdings"].as_array().unwrap().len(), 2);
    let all = cli(&path, &["holdings", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2);

    let grades = cli(&path, &["grades", "--recalculate"]);
    assert_eq!(grades["month"], "2026-12");
    let counts: Vec<u64> = grades["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 2);
    assert_eq!(grades["clients"][0]["name"], "王芳");
    assert_eq!(cli(&path, &["grades"])["month"], "2026-12");

    assert_eq!(
        cli(&path, &["at-risk"]),
        serde_json::json!([]),
        "nobody slipping yet"
    );
    cli(
        &path,
        &[
            "holdings",
            "transfer-out",
            "王芳",
            "--amount",
            "600000",
            "--on",
            "2026-11-20",
            "--to",
            "招商银行",
        ],
    );
    let risk = cli(&path, &["at-risk"]);
    assert_eq!(risk.as_array().unwrap().len(), 1);
    assert_eq!(risk[0]["client_id"], wang);
    let signs = risk[0]["signs"].as_array().unwrap();
    assert_eq!(signs[0]["kind"], "transfer_out");
    assert_eq!(signs[0]["since"], "2026-11-20");
    assert!(
        signs[0]["detail"].as_str().unwrap().contains("600,000"),
        "{signs:?}"
    );

    // The agenda names the maturity 7 and 1 days ahead (12-02 and 12-08 for 12-09).
    let agenda = cli(&path, &["agenda", "--days", "8"]);
    let ids: Vec<&str> = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let h_id = h["id"].as_i64().unwrap();
    assert!(
        ids.contains(&format!("maturity/{h_id}/7").as_str()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&format!("maturity/{h_id}/1").as_str()),
        "{ids:?}"
    );
    assert!(
        ids.iter()
            .any(|i| i.starts_with(&format!("band/{fund_id}/"))),
        "{ids:?}"
    );
}

#[test]
fn money_settings_are_checked_whole_and_a_bad_one_changes_nothing() {
    let (_dir, mut book) = book();
    let before = rapport::money_settings::get(&book).unwrap();
    assert_eq!(before.maturity_notice_days, vec![7, 1]);
    assert_eq!(before.weights, [40, 25, 15, 10, 10]);
    let mut next = before.clone();
    next.maturity_notice_days = vec![10, 3];
    next.aum_drop_percent = 25;
    next.weights = [50, 20, 10, 10, 10];
    // Thresholds that do not descend: refused, and the notice days were not written either.
    next.tier_vip = next.tier_private + 1.0;
    assert!(rapport::money_settings::set(&mut book, &next).is_err());
    assert_eq!(rapport::money_settings::get(&book).unwrap(), before);
    next.tier_vip = 1_500_000.0;
    let saved = rapport::money_settings::set(&mut book, &next).unwrap();
    assert_eq!(saved, next);
    // ¥1,200,000 is below the new VIP threshold of ¥1,500,000.
    let t = grades::thresholds(book.conn()).unwrap();
    assert_eq!(
        grades::suggested_tier(&t, 120_000_000),
        rapport::book::values::Tier::High
    );
}

#[test]
fn the_client_list_filters_and_orders_by_the_newest_grade_from_its_indexes() {
    let (dir, mut book) = book();
    let ids: Vec<i64> = (0..20)
        .map(|i| client(&mut book, &format!("客户{i:02}")))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let amount = format!("{}", 10_000 * (i + 1));
        holdings::add(
            &mut book,
            *id,
            &holding("定期", &amount, "2026-01-05", None),
        )
        .unwrap();
    }
    let page = |book: &Book, q: clients::ClientQuery| clients::list(book, &q).unwrap();
    let all = clients::ClientQuery {
        limit: 50,
        ..Default::default()
    };
    // Before any grading no client has a grade.
    assert!(page(&book, all.clone())
        .rows
        .iter()
        .all(|r| r.grade.is_none()));
    grades::recalculate(&mut book, d(2026, 11, 30)).unwrap();
    // The newest client joins ungraded.
    let late = client(&mut book, "新客户");
    let a = page(
        &book,
        clients::ClientQuery {
            grade: Some(clients::Grade::A),
            ..all.clone()
        },
    );
    // 20 clients: two of them (the largest AUM) are A.
    assert_eq!(a.total, 2);
    let a_ids: Vec<i64> = a.rows.iter().map(|r| r.id).collect();
    assert!(
        a_ids.contains(&ids[19]) && a_ids.contains(&ids[18]),
        "{a_ids:?}"
    );
    let by_grade = page(
        &book,
        clients::ClientQuery {
            sort: clients::SortKey::Grade,
            ..all.clone()
        },
    );
    let letters: Vec<&str> = by_grade
        .rows
        .iter()
        .map(|r| r.grade.map(|g| g.as_str()).unwrap_or("-"))
        .collect();
    assert_eq!(
        letters.join(""),
        "AABBBBCCCCCCCCDDDDEE-",
        "A first, the ungraded last"
    );
    let reversed = page(
        &book,
        clients::ClientQuery {
            sort: clients::SortKey::Grade,
            descending: true,
            ..all.clone()
        },
    );
    assert_eq!(reversed.rows[0].id, late);
    assert_eq!(reversed.rows[1].grade, Some(clients::Grade::E));

    // Grading a past month again leaves the list on the newest month's grades.
    grades::recalculate(&mut book, d(2026, 12, 2)).unwrap();
    let december = page(
        &book,
        clients::ClientQuery {
            grade: Some(clients::Grade::E),
            ..all.clone()
        },
    );
    grades::recalculate(&mut book, d(2026, 10, 15)).unwrap();
    let again = page(
        &book,
        clients::ClientQuery {
            grade: Some(clients::Grade::E),
            ..all.clone()
        },
    );
    assert_eq!(
        december.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        again.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert!(
        december.rows.iter().any(|r| r.id == late),
        "graded in December"
    );

    // Every grade query and "starred only" read an index in order: no scan of the table and
    // no sort of all its rows.
    for q in [
        clients::ClientQuery {
            grade: Some(clients::Grade::B),
            ..all.clone()
        },
        clients::ClientQuery {
            sort: clients::SortKey::Grade,
            ..all.clone()
        },
        clients::ClientQuery {
            sort: clients::SortKey::Grade,
            descending: true,
            ..all.clone()
        },
        clients::ClientQuery {
            starred_only: true,
            ..all.clone()
        },
    ] {
        let plan = clients::list_plan(&book, &q).unwrap();
        assert!(
            !plan.contains("TEMP B-TREE") && plan.contains("USING"),
            "{q:?}: {plan}"
        );
    }

    // The command line filters and orders the same way.
    let path = dir.path().join("book.rapport");
    drop(book);
    let listed = cli(
        &path,
        &["clients", "list", "--grade", "e", "--sort", "grade"],
    );
    let rows = listed["rows"].as_array().unwrap();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r["grade"] == "E"),
        "{listed}"
    );
}

#[test]
fn the_overview_counts_tiers_money_maturities_and_weeks_and_lists_what_is_behind_a_bar() {
    use rapport::book::values::{Channel, Tier};
    use rapport::contacts::{self, ContactInput};
    use rapport::overview;
    let (_dir, mut book) = book();
    let vip = clients::create(
        &mut book,
        &ClientInput {
            name: "王芳".into(),
            tier: Some(Tier::Vip),
            ..Default::default()
        },
        d(2025, 1, 2),
    )
    .unwrap()
    .id;
    let mass = client(&mut book, "李娜");
    let today = d(2026, 12, 1);
    // Maturing this month after today, one before today (not counted), in January, and in
    // November 2027 (the 12th month); one at another bank is not ours to count.
    for (who, amount, maturity) in [
        (vip, "500000", "2026-12-20"),
        (vip, "100000", "2026-11-30"),
        (mass, "20000", "2026-12-02"),
        (mass, "30000", "2027-01-15"),
        (mass, "40000", "2027-11-30"),
        (mass, "50000", "2027-12-01"),
    ] {
        holdings::add(
            &mut book,
            who,
            &holding("理财", amount, "2026-06-01", Some(maturity)),
        )
        .unwrap();
    }
    let mut elsewhere = holding("他行理财", "900000", "2026-06-01", Some("2026-12-10"));
    elsewhere.elsewhere = true;
    holdings::add(&mut book, vip, &elsewhere).unwrap();
    // Contacts: two this week (Monday 11-30 and Tuesday 12-01), one the week before, one 12
    // weeks back (outside the window).
    for (who, when) in [
        (vip, "2026-11-30 09:00"),
        (mass, "2026-12-01 10:00"),
        (mass, "2026-11-29 18:00"),
        (vip, "2026-09-06 09:00"),
    ] {
        contacts::add(
            &mut book,
            who,
            &serde_json::from_value::<ContactInput>(serde_json::json!({
                "at": when,
                "channel": Channel::Phone,
                "summary": "电话回访\n第二行",
            }))
            .unwrap(),
            at(today),
        )
        .unwrap();
    }

    let o = overview::overview(&book, today).unwrap();
    assert_eq!(o.clients, 2);
    let tier = |t: Tier| o.tiers.iter().find(|b| b.tier == t).unwrap().clone();
    assert_eq!((tier(Tier::Vip).clients, tier(Tier::Mass).clients), (1, 1));
    // AUM today: held here and bought by today, whatever matures when.
    assert_eq!(tier(Tier::Vip).aum_fen, 60_000_000);
    assert_eq!(tier(Tier::Mass).aum_fen, 14_000_000);
    assert_eq!(o.graded_month, None);
    let months: Vec<(&str, u32, i64)> = o
        .maturities
        .iter()
        .map(|m| (m.month.as_str(), m.holdings, m.amount_fen))
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], ("2026-12", 2, 52_000_000));
    assert_eq!(months[1], ("2027-01", 1, 3_000_000));
    assert_eq!(months[11], ("2027-11", 1, 4_000_000));
    let weeks: Vec<(&str, u32)> = o
        .contacts
        .iter()
        .map(|w| (w.week.as_str(), w.contacts))
        .collect();
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks[11], ("2026-11-30", 2));
    assert_eq!(weeks[10], ("2026-11-23", 1));
    assert_eq!(weeks[0].0, "2026-09-14");
    assert_eq!(weeks.iter().map(|w| w.1).sum::<u32>(), 3);

    // Behind December's bar: the two holdings from today on, soonest first.
    let behind = overview::maturing_in(&book, "2026-12", today).unwrap();
    assert_eq!(behind.total, 2);
    let names: Vec<(&str, &str)> = behind
        .rows
        .iter()
        .map(|h| (h.name.as_str(), h.maturity.as_str()))
        .collect();
    assert_eq!(names, [("李娜", "2026-12-02"), ("王芳", "2026-12-20")]);
    // Behind this week's bar: its contacts, newest first, the summary's first line.
    let week = overview::contacts_in_week(&book, "2026-12-03").unwrap();
    assert_eq!(week.total, 2);
    assert_eq!(week.rows[0].name, "李娜");
    assert_eq!(week.rows[0].summary, "电话回访");
    assert!(overview::maturing_in(&book, "12月", today).is_err());

    // Once graded, the grades are counted and a new client shows as ungraded.
    grades::recalculate(&mut book, today).unwrap();
    client(&mut book, "张伟");
    let o = overview::overview(&book, today).unwrap();
    assert_eq!(o.graded_month.as_deref(), Some("2026-12"));
    assert_eq!(o.grades.iter().map(|g| g.clients).sum::<u32>(), 2);
    assert_eq!(o.ungraded, 1);
}
