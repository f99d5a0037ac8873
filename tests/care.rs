//! Care that fits the person, on real book files: gifts checked against each person's own
//! history and taboos, referrals, loyalty points and satisfaction surveys, each write whole or
//! not at all.

use chrono::NaiveDate;
use proptest::prelude::*;
use rapport::book::values::{
    format_yuan, parse_yuan, Channel, GiftQuality, Occasion, PointsKind, PreferenceKind, Relation,
};
use rapport::clients::{self, ClientInput};
use rapport::family::{self, FamilyInput};
use rapport::gifts::{self, GiftInput, PlanInput};
use rapport::preferences::{self, PreferenceInput};
use rapport::rules::gifts::GiftWarning;
use rapport::surveys::{self, SurveyInput};
use rapport::{contacts, points, referrals, Book, Error};
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// A book with 王芳 (id 1), her husband 赵刚 and their son, and 李娜 (id 2).
struct Fixture {
    _dir: TempDir,
    book: Book,
    client: i64,
    husband: i64,
    son: i64,
    other: i64,
}

fn fixture() -> Fixture {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let person = |name: &str| ClientInput {
        name: name.into(),
        ..Default::default()
    };
    let client = clients::create(&mut book, &person("王芳"), today())
        .unwrap()
        .id;
    let other = clients::create(&mut book, &person("李娜"), today())
        .unwrap()
        .id;
    let member = |name: &str, relation, notes: Option<&str>| FamilyInput {
        name: name.into(),
        relation,
        gender: None,
        birthday: None,
        phone: None,
        notes: notes.map(String::from),
    };
    let husband = family::add(
        &mut book,
        client,
        &member("赵刚", Relation::Spouse, None),
        today(),
    )
    .unwrap()
    .id;
    let son = family::add(
        &mut book,
        client,
        &member("赵小明", Relation::Child, Some("目标大学：复旦大学")),
        today(),
    )
    .unwrap()
    .id;
    Fixture {
        _dir: dir,
        book,
        client,
        husband,
        son,
        other,
    }
}

fn taboo(f: &mut Fixture, member: Option<i64>, text: &str) {
    preferences::add(
        &mut f.book,
        f.client,
        &PreferenceInput {
            family_id: member,
            kind: PreferenceKind::Taboo,
            text: Some(text.into()),
            quality: None,
        },
    )
    .unwrap();
}

fn plan(f: &Fixture, member: Option<i64>, gift: &str) -> gifts::GiftPlan {
    gifts::plan(
        &f.book,
        f.client,
        &PlanInput {
            family_id: member,
            gift: gift.into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
}

fn log(f: &mut Fixture, member: Option<i64>, gift: &str, on: &str) -> gifts::Gift {
    gifts::log(
        &mut f.book,
        f.client,
        &GiftInput {
            family_id: member,
            given_on: on.into(),
            occasion: Occasion::Birthday,
            gift: gift.into(),
            cost: Some("299.50".into()),
            note: None,
        },
        today(),
    )
    .unwrap()
}

fn code(e: Error) -> String {
    match e {
        Error::Invalid { code, .. } => code,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn personal(p: &gifts::GiftPlan) -> Vec<&str> {
    p.warnings
        .iter()
        .filter_map(|w| match w {
            GiftWarning::PersonalTaboo { subject, .. } => Some(subject.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_gift_given_before_to_the_same_person_is_a_repeat_and_to_another_is_not() {
    let mut f = fixture();
    let g = log(&mut f, None, "普洱茶", "2025-05-02");
    assert_eq!(g.cost_fen, Some(29_950));
    assert_eq!(g.recipient, "王芳");
    let again = plan(&f, None, "普洱茶");
    assert!(
        matches!(&again.warnings[..], [GiftWarning::Repeat { given_on, .. }]
            if given_on.to_string() == "2025-05-02"),
        "{:?}",
        again.warnings
    );
    assert!(plan(&f, Some(f.husband), "普洱茶").warnings.is_empty());
    // Logged for the husband, it is his history.
    let h = f.husband;
    log(&mut f, Some(h), "普洱茶", "2025-09-17");
    assert_eq!(plan(&f, Some(f.husband), "普洱茶").warnings.len(), 1);
    let listed = gifts::list(&f.book, f.client).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].recipient, "赵刚", "newest first");
}

#[test]
fn a_taboo_recorded_for_the_husband_warns_for_him_not_for_the_client() {
    let mut f = fixture();
    let h = f.husband;
    taboo(&mut f, Some(h), "不喝酒");
    assert_eq!(personal(&plan(&f, Some(f.husband), "红酒")), ["酒"]);
    assert!(plan(&f, None, "红酒").warnings.is_empty());
    assert!(plan(&f, Some(f.son), "红酒").warnings.is_empty());
}

#[test]
fn taboos_as_advisors_write_them_catch_what_they_are_about() {
    let mut f = fixture();
    taboo(&mut f, None, "不喝酒");
    taboo(&mut f, None, "不吃海鲜");
    taboo(&mut f, None, "对芒果过敏");
    assert_eq!(personal(&plan(&f, None, "红酒")), ["酒"]);
    assert_eq!(personal(&plan(&f, None, "海鲜礼盒")), ["海鲜"]);
    assert_eq!(personal(&plan(&f, None, "芒果干")), ["芒果"]);
    assert_eq!(personal(&plan(&f, None, "茅台")), ["酒"]);
    assert!(plan(&f, None, "酒店自助餐券").warnings.is_empty());
    assert!(plan(&f, None, "纪念币").warnings.is_empty());
}

#[test]
fn the_free_text_taboos_on_the_client_are_still_checked() {
    let mut f = fixture();
    let mut input = ClientInput {
        name: "王芳".into(),
        taboos: Some("不吃海鲜、对芒果过敏".into()),
        ..Default::default()
    };
    clients::update(&mut f.book, f.client, &input, today()).unwrap();
    assert_eq!(personal(&plan(&f, None, "阳澄湖大闸蟹")), ["海鲜"]);
    assert_eq!(personal(&plan(&f, None, "芒果干")), ["芒果"]);
    input.taboos = None;
    clients::update(&mut f.book, f.client, &input, today()).unwrap();
    assert!(plan(&f, None, "芒果干").warnings.is_empty());
}

#[test]
fn a_clock_by_any_name_is_a_farewell() {
    let f = fixture();
    for gift in ["座钟", "挂钟", "闹钟", "古董钟表"] {
        let p = plan(&f, Some(f.husband), gift);
        assert!(
            p.warnings.iter().any(|w| matches!(w,
                GiftWarning::CommonTaboo { label, reason, .. } if label == "钟" && reason.contains("送终"))),
            "{gift}: {:?}",
            p.warnings
        );
    }
}

#[test]
fn a_pearl_necklace_is_no_pear() {
    let f = fixture();
    assert!(plan(&f, None, "Pearl necklace").warnings.is_empty());
    assert!(plan(&f, None, "pearl 项链").warnings.is_empty());
    assert!(!plan(&f, None, "Asian pears").warnings.is_empty());
}

#[test]
fn a_cost_far_from_the_expected_quality_is_told() {
    let mut f = fixture();
    preferences::add(
        &mut f.book,
        f.client,
        &PreferenceInput {
            family_id: None,
            kind: PreferenceKind::Quality,
            text: None,
            quality: Some(GiftQuality::Premium),
        },
    )
    .unwrap();
    let with_cost = |f: &Fixture, cost: &str| {
        gifts::plan(
            &f.book,
            f.client,
            &PlanInput {
                gift: "丝巾".into(),
                cost: Some(cost.into()),
                ..Default::default()
            },
            today(),
        )
        .unwrap()
        .warnings
    };
    assert!(matches!(
        &with_cost(&f, "200")[..],
        [GiftWarning::Quality { .. }]
    ));
    assert!(with_cost(&f, "1200").is_empty());
    // A new quality replaces the old one.
    preferences::add(
        &mut f.book,
        f.client,
        &PreferenceInput {
            family_id: None,
            kind: PreferenceKind::Quality,
            text: None,
            quality: Some(GiftQuality::Economy),
        },
    )
    .unwrap();
    assert!(with_cost(&f, "200").is_empty());
    let all = preferences::list(&f.book, f.client).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].text, "实惠");
}

#[test]
fn ideas_fit_the_person_and_skip_their_taboos() {
    let mut f = fixture();
    preferences::add(
        &mut f.book,
        f.client,
        &PreferenceInput {
            family_id: None,
            kind: PreferenceKind::Like,
            text: Some("喜欢普洱茶".into()),
            quality: None,
        },
    )
    .unwrap();
    let ideas: Vec<String> = plan(&f, None, "丝巾")
        .ideas
        .into_iter()
        .map(|i| i.gift)
        .collect();
    assert!(ideas.contains(&"一饼陈年普洱茶".to_string()), "{ideas:?}");
    assert!(
        ideas.contains(&"复旦大学的介绍手册".to_string()),
        "{ideas:?}"
    );
    assert!(ideas.contains(&"放全家福的相框".to_string()), "{ideas:?}");
    taboo(&mut f, None, "不喝茶");
    let ideas: Vec<String> = plan(&f, None, "丝巾")
        .ideas
        .into_iter()
        .map(|i| i.gift)
        .collect();
    assert!(!ideas.iter().any(|i| i.contains('茶')), "{ideas:?}");
}

#[test]
fn gifts_are_logged_only_when_given_to_someone_of_this_client() {
    let mut f = fixture();
    let input = |member, on: &str, cost: Option<&str>| GiftInput {
        family_id: member,
        given_on: on.into(),
        occasion: Occasion::Festival,
        gift: "月饼".into(),
        cost: cost.map(String::from),
        note: None,
    };
    let err = gifts::log(
        &mut f.book,
        f.client,
        &input(None, "2026-12-01", None),
        today(),
    );
    assert_eq!(code(err.unwrap_err()), "date_in_future");
    let err = gifts::log(
        &mut f.book,
        f.other,
        &input(Some(f.husband), "2026-09-17", None),
        today(),
    );
    assert_eq!(code(err.unwrap_err()), "not_this_clients_family");
    let err = gifts::log(
        &mut f.book,
        f.client,
        &input(None, "2026-09-17", Some("12.345")),
        today(),
    );
    assert_eq!(code(err.unwrap_err()), "money_format");
    assert!(gifts::list(&f.book, f.client).unwrap().is_empty());
    // Deleting the husband takes what was recorded about him with him.
    let h = f.husband;
    log(&mut f, Some(h), "围巾", "2026-09-17");
    let h = f.husband;
    taboo(&mut f, Some(h), "不喝酒");
    family::delete(&mut f.book, f.husband).unwrap();
    assert!(gifts::list(&f.book, f.client).unwrap().is_empty());
    assert!(preferences::list(&f.book, f.client).unwrap().is_empty());
}

#[test]
fn a_client_is_referred_once_and_never_by_themself() {
    let mut f = fixture();
    let third = clients::create(
        &mut f.book,
        &ClientInput {
            name: "张伟".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .id;
    let r = referrals::add(
        &mut f.book,
        f.client,
        third,
        "2026-11-01",
        Some("电影票两张".into()),
        today(),
    )
    .unwrap();
    assert_eq!(
        (r.referrer_name.as_str(), r.referred_name.as_str()),
        ("王芳", "张伟")
    );
    let err = |f: &mut Fixture, a, b, on: &str| {
        code(referrals::add(&mut f.book, a, b, on, None, today()).unwrap_err())
    };
    let (me, other) = (f.client, f.other);
    assert_eq!(err(&mut f, me, me, "2026-11-01"), "referral_self");
    assert_eq!(err(&mut f, other, third, "2026-11-01"), "already_referred");
    assert_eq!(err(&mut f, third, me, "2026-11-01"), "referral_loop");
    assert_eq!(err(&mut f, me, other, "2027-01-01"), "date_in_future");
    let page = clients::profile(&f.book, f.client, today()).unwrap();
    assert_eq!(page.referrals.brought.len(), 1);
    let theirs = referrals::of_client(&f.book, third).unwrap();
    assert_eq!(theirs.referred_by.unwrap().referrer_id, f.client);
    let since = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    assert_eq!(referrals::counts(&f.book, since).unwrap(), [(f.client, 1)]);
}

#[test]
fn points_are_never_redeemed_beyond_the_balance() {
    let mut f = fixture();
    let earn = points::book_points(
        &mut f.book,
        f.client,
        PointsKind::Earned,
        500,
        "转介绍",
        None,
        today(),
    )
    .unwrap();
    assert_eq!(earn.balance, 500);
    assert_eq!(earn.entry.booked_on, "2026-11-30");
    let spend = |f: &mut Fixture, n| {
        points::book_points(
            &mut f.book,
            f.client,
            PointsKind::Redeemed,
            n,
            "体检套餐",
            Some("2026-11-29"),
            today(),
        )
    };
    assert_eq!(code(spend(&mut f, 501).unwrap_err()), "points_insufficient");
    assert_eq!(code(spend(&mut f, 0).unwrap_err()), "points_not_positive");
    assert_eq!(spend(&mut f, 200).unwrap().balance, 300);
    assert_eq!(spend(&mut f, 300).unwrap().balance, 0);
    let account = points::account(&f.book, f.client).unwrap();
    assert_eq!((account.balance, account.entries.len()), (0, 3));
    assert_eq!(points::balance(&f.book, f.other).unwrap(), 0);
}

#[test]
fn an_unhappy_survey_opens_a_follow_up_and_a_happy_one_does_not() {
    let mut f = fixture();
    let survey = |f: &mut Fixture, score, comment: Option<&str>| {
        surveys::add(
            &mut f.book,
            f.client,
            &SurveyInput {
                taken_on: Some("2026-11-28".into()),
                channel: Some(Channel::Wechat),
                score,
                comment: comment.map(String::from),
            },
            today(),
        )
    };
    for bad in [0, 6, -1] {
        assert_eq!(
            code(survey(&mut f, bad, None).unwrap_err()),
            "score_out_of_range"
        );
    }
    let happy = survey(&mut f, 5, Some("服务很周到")).unwrap();
    assert_eq!(happy.follow_up_id, None);
    let low = survey(&mut f, 2, None).unwrap();
    let fu = contacts::get_follow_up(&f.book, low.follow_up_id.unwrap()).unwrap();
    assert_eq!(fu.due, "2026-12-03");
    assert!(fu.title.contains("满意度"));
    let said = survey(&mut f, 4, Some("对上次的处理不满意")).unwrap();
    assert!(said.follow_up_id.is_some());
    assert_eq!(
        contacts::open_follow_ups(&f.book, f.client).unwrap().len(),
        2
    );
    let page = clients::profile(&f.book, f.client, today()).unwrap();
    assert_eq!(page.surveys.len(), 3);
    assert_eq!(page.surveys[0].id, said.id, "the latest first");
}

#[test]
fn a_survey_that_fails_halfway_leaves_no_follow_up_behind() {
    let mut f = fixture();
    f.book
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER no_surveys BEFORE INSERT ON surveys
             BEGIN SELECT raise(ABORT, 'refused'); END;",
        )
        .unwrap();
    let out = surveys::add(
        &mut f.book,
        f.client,
        &SurveyInput {
            taken_on: None,
            channel: None,
            score: 1,
            comment: None,
        },
        today(),
    );
    assert!(matches!(out, Err(Error::Book { .. })), "{out:?}");
    assert!(contacts::open_follow_ups(&f.book, f.client)
        .unwrap()
        .is_empty());
}

#[test]
fn a_client_is_named_by_id_or_by_a_name_only_they_have() {
    let mut f = fixture();
    assert_eq!(clients::resolve(&f.book, "王芳").unwrap(), f.client);
    assert_eq!(
        clients::resolve(&f.book, &f.other.to_string()).unwrap(),
        f.other
    );
    assert!(matches!(
        clients::resolve(&f.book, "赵敏"),
        Err(Error::NotFound { .. })
    ));
    clients::create(
        &mut f.book,
        &ClientInput {
            name: "王芳".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(
        code(clients::resolve(&f.book, "王芳").unwrap_err()),
        "client_ambiguous"
    );
    assert_eq!(
        family::resolve(&f.book, f.client, "配偶").unwrap(),
        f.husband
    );
    assert_eq!(
        family::resolve(&f.book, f.client, "husband").unwrap(),
        f.husband
    );
    assert_eq!(family::resolve(&f.book, f.client, "赵小明").unwrap(), f.son);
    assert_eq!(
        code(family::resolve(&f.book, f.other, &f.son.to_string()).unwrap_err()),
        "not_this_clients_family"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn money_written_back_reads_the_same(fen in 0i64..=10_000_000_000) {
        prop_assert_eq!(parse_yuan("cost", &format_yuan(fen)).unwrap(), fen);
        if fen % 100 == 0 {
            prop_assert_eq!(parse_yuan("cost", &(fen / 100).to_string()).unwrap(), fen);
        }
    }

    #[test]
    fn any_text_as_money_is_read_or_refused_with_a_code(text in "\\PC{0,16}") {
        match parse_yuan("cost", &text) {
            Ok(fen) => prop_assert!((0..=10_000_000_000).contains(&fen)),
            Err(Error::Invalid { field, code, .. }) => {
                prop_assert_eq!(field, "cost");
                prop_assert!(code == "money_format" || code == "money_out_of_range");
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}

#[test]
fn the_demo_book_has_care_records_of_every_kind_the_same_for_a_seed() {
    let make = || {
        let dir = TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("demo.rapport")).unwrap();
        let spec = rapport::demo::DemoSpec {
            clients: 300,
            seed: 42,
            today: today(),
            contacts: None,
        };
        let sum = rapport::demo::populate(&mut book, &spec).unwrap();
        (dir, book, sum)
    };
    let (_a, book, sum) = make();
    assert!(sum.preferences > 0 && sum.gifts > 0 && sum.referrals > 0);
    assert!(sum.points_lines > 0 && sum.surveys > 0);
    assert_eq!(make().2, sum, "the same seed makes the same book");
    let conn = book.conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM gifts"), i64::from(sum.gifts));
    assert_eq!(
        count("SELECT count(*) FROM gifts WHERE given_on > '2026-11-30'"),
        0,
        "no gift from the future"
    );
    // No one redeemed more than they had.
    assert_eq!(
        count(
            "SELECT count(*) FROM (SELECT client_id FROM points GROUP BY client_id
             HAVING sum(CASE kind WHEN 'earned' THEN points ELSE -points END) < 0)"
        ),
        0
    );
    // Every unhappy survey opened its follow-up.
    assert_eq!(
        count("SELECT count(*) FROM surveys WHERE score <= 2 AND follow_up_id IS NULL"),
        0
    );
    let health = rapport::book::backups::check(conn).unwrap();
    assert!(health.ok(), "{health:?}");
    // A spouse's recorded taboo warns when planning her gift.
    let (client, spouse, text): (i64, i64, String) = conn
        .query_row(
            "SELECT client_id, family_id, text FROM preferences
             WHERE kind = 'taboo' AND family_id IS NOT NULL AND text = '不喝酒' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let p = gifts::plan(
        &book,
        client,
        &PlanInput {
            family_id: Some(spouse),
            gift: "茅台".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    assert!(
        p.warnings
            .iter()
            .any(|w| matches!(w, GiftWarning::PersonalTaboo { taboo, .. } if *taboo == text)),
        "{:?}",
        p.warnings
    );
}

#[test]
fn a_complaint_the_client_is_not_satisfied_with_opens_one_follow_up() {
    use rapport::book::values::ContactKind;
    use rapport::contacts::ContactInput;
    let mut f = fixture();
    let now = today().and_hms_opt(10, 0, 0).unwrap();
    let complaint = |satisfied: Option<bool>| ContactInput {
        at: Some("2026-11-30 09:00".into()),
        channel: Channel::Phone,
        kind: ContactKind::Complaint,
        summary: "理财产品到期后资金晚到账两天".into(),
        needs: None,
        follow_ups: vec![],
        response_due: Some("2026-12-02".into()),
        resolution: Some("已说明原因并致歉".into()),
        resolved_at: None,
        satisfied,
    };
    let open = |book: &Book| contacts::open_follow_ups(book, 1).unwrap();
    let c = contacts::add(&mut f.book, f.client, &complaint(None), now).unwrap();
    assert!(open(&f.book).is_empty());
    contacts::update(&mut f.book, c.id, &complaint(Some(false)), now).unwrap();
    let after = open(&f.book);
    assert_eq!(after.len(), 1);
    assert!(after[0].title.contains("不满意"));
    let in_three_days = rapport::clock::today_in(&f.book).unwrap() + chrono::Duration::days(3);
    assert_eq!(after[0].due, in_three_days.to_string());
    // Saved again, still unhappy: no second follow-up.
    contacts::update(&mut f.book, c.id, &complaint(Some(false)), now).unwrap();
    assert_eq!(open(&f.book).len(), 1);
    // Logged unhappy from the start: one at once.
    contacts::add(&mut f.book, f.other, &complaint(Some(false)), now).unwrap();
    assert_eq!(
        contacts::open_follow_ups(&f.book, f.other).unwrap().len(),
        1
    );
}
