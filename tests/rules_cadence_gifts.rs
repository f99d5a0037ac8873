//! 联系频率 and 礼品 checks on hand-built cases.

use chrono::NaiveDate;
use rapport::rules::cadence::{due_on, CadenceSettings, ClientContactState, DueKind};
use rapport::rules::gifts::{check_gift, common_taboos, GiftWarning, PastGift};
use rapport::rules::grading::Tier;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn client(
    id: &str,
    tier: Tier,
    since: NaiveDate,
    contact: Option<NaiveDate>,
    call: Option<NaiveDate>,
) -> ClientContactState {
    ClientContactState {
        client_id: id.into(),
        tier,
        client_since: since,
        last_contact: contact,
        last_call: call,
    }
}

#[test]
fn due_and_overdue_longest_first() {
    let today = d(2025, 3, 31);
    let s = CadenceSettings::default();
    let book = [
        // Private, WeChat on 03-21, called 03-10: contact due 03-28 → 3 days overdue.
        client(
            "p1",
            Tier::Private,
            d(2025, 3, 1),
            Some(d(2025, 3, 21)),
            Some(d(2025, 3, 10)),
        ),
        // VIP contacted 03-20: due 04-03, not yet.
        client("v1", Tier::Vip, d(2025, 3, 1), Some(d(2025, 3, 20)), None),
        // Mass, old client (since 2020), WeChat yesterday but last call 2025-01-31:
        // monthly call due 02-28 (31 Jan + 1 month) → 31 days overdue.
        client(
            "m1",
            Tier::Mass,
            d(2020, 1, 1),
            Some(d(2025, 3, 30)),
            Some(d(2025, 1, 31)),
        ),
        // Never contacted new high-end client since 03-25: due since then, 6 days.
        client("h1", Tier::High, d(2025, 3, 25), None, None),
        // High-end due exactly today (contacted 03-01 + 30 days).
        client("h2", Tier::High, d(2025, 2, 1), Some(d(2025, 3, 1)), None),
    ];
    let due = due_on(&book, today, &s);
    let got: Vec<_> = due
        .iter()
        .map(|x| (x.client_id.as_str(), x.kind, x.days_overdue))
        .collect();
    assert_eq!(
        got,
        [
            ("m1", DueKind::Call, 31),
            ("h1", DueKind::Contact, 6),
            ("p1", DueKind::Contact, 3),
            ("h2", DueKind::Contact, 0)
        ]
    );
    assert_eq!(due[0].due_since, d(2025, 2, 28));
    // Turning the monthly call off leaves m1 within its 90-day cadence.
    let off = CadenceSettings {
        monthly_call: false,
        ..s
    };
    assert!(due_on(&book, today, &off)
        .iter()
        .all(|x| x.client_id != "m1"));
}

#[test]
fn a_new_old_client_gets_a_month_of_grace_for_the_call() {
    let s = CadenceSettings::default();
    // Became old on 2025-03-01 (since 2024-03-01 + 365 days); never called: call due 04-01.
    let c = [client(
        "x",
        Tier::Mass,
        d(2024, 3, 1),
        Some(d(2025, 3, 20)),
        None,
    )];
    assert!(due_on(&c, d(2025, 3, 31), &s).is_empty());
    let due = due_on(&c, d(2025, 4, 1), &s);
    assert_eq!((due[0].kind, due[0].days_overdue), (DueKind::Call, 0));
}

#[test]
fn gift_warnings_say_why() {
    let common = common_taboos();
    let past = [PastGift {
        item: "西湖龙井".into(),
        given_on: d(2024, 9, 17),
    }];
    let taboos = vec!["芒果".to_string(), "不喝酒".to_string()];
    let w = check_gift("座钟", None, &past, &taboos, &common);
    assert!(
        matches!(&w[..], [GiftWarning::CommonTaboo { label, reason, .. }] if label == "钟" && reason.contains("送终"))
    );
    let w = check_gift("西湖 龙井", None, &past, &taboos, &common);
    assert!(
        matches!(&w[..], [GiftWarning::Repeat { given_on, .. }] if *given_on == d(2024, 9, 17))
    );
    let w = check_gift("明前西湖龙井礼盒", None, &past, &taboos, &common);
    assert!(matches!(&w[..], [GiftWarning::SimilarToPast { .. }]));
    let w = check_gift("芒果干礼盒", None, &past, &taboos, &common);
    assert!(matches!(&w[..], [GiftWarning::PersonalTaboo { taboo, .. }] if taboo == "芒果"));
    for (item, label) in [
        ("雨伞", "伞"),
        ("香梨", "梨"),
        ("水果刀套装", "刀剪"),
        ("运动鞋", "鞋"),
        ("白菊花", "菊花"),
        ("Umbrella", "伞"),
    ] {
        let w = check_gift(item, None, &[], &[], &common);
        assert!(
            w.iter()
                .any(|x| matches!(x, GiftWarning::CommonTaboo { label: l, .. } if l == label)),
            "{item}: {w:?}"
        );
        assert!(w.iter().all(|x| !x.reason().is_empty()));
    }
    assert!(check_gift("纪念币", None, &past, &taboos, &common).is_empty());
    assert!(check_gift("丝巾", Some(4), &[], &[], &common)
        .iter()
        .any(|x| matches!(x, GiftWarning::UnluckyQuantity { .. })));
    // The list is editable: drop pears and the warning goes.
    let mut edited = common.clone();
    edited.retain(|t| t.label != "梨");
    assert!(check_gift("香梨", None, &[], &[], &edited).is_empty());
}
