//! Salons and the agenda on real books in temp dirs, stepping pinned days forward.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rapport::agenda::{self, AgendaItem, ItemKind, Mark};
use rapport::book::values::{
    Birthday, Calendar, Channel, ContactKind, Gender, Relation, Segment, Stage, Tier,
};
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, ContactInput, FollowUpInput};
use rapport::family::{self, FamilyInput};
use rapport::rules::lunar;
use rapport::rules::workdays::WorkCalendar;
use rapport::salons::{self, CallResponse, SalonInput};
use rapport::{Book, Error};
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap()
}

fn fresh() -> (TempDir, Book) {
    let dir = TempDir::new().unwrap();
    let book = Book::open(&dir.path().join("book.rapport")).unwrap();
    (dir, book)
}

/// Birthdays in these tests are all before this day.
const LATEST: (i32, u32, u32) = (2026, 1, 1);

fn add_client(book: &mut Book, input: ClientInput) -> i64 {
    let (y, m, day) = LATEST;
    clients::create(book, &input, d(y, m, day)).unwrap().id
}

fn person(name: &str, tier: Tier, segments: &[Segment]) -> ClientInput {
    ClientInput {
        name: name.into(),
        tier: Some(tier),
        segments: segments.to_vec(),
        ..Default::default()
    }
}

fn born(name: &str, calendar: Calendar, date: &str, leap: bool) -> ClientInput {
    ClientInput {
        name: name.into(),
        birthday: Some(Birthday {
            calendar,
            date: date.into(),
            leap,
        }),
        ..Default::default()
    }
}

fn salon(book: &mut Book, title: &str, start: &str, capacity: Option<u32>) -> i64 {
    salons::create(
        book,
        &SalonInput {
            title: title.into(),
            segments: vec![Segment::Retiree],
            start: start.into(),
            capacity,
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn record(book: &mut Book, call: &str, response: CallResponse, on: NaiveDate) {
    salons::record_call(book, call, response, on, None, at(on, 10)).unwrap();
}

/// The agenda of one day, seen at nine in the morning.
fn day_agenda(book: &Book, day: NaiveDate) -> Vec<AgendaItem> {
    agenda::for_days(book, day, 1, at(day, 9), &WorkCalendar::new())
        .unwrap()
        .items
}

fn of_kind(items: &[AgendaItem], kind: ItemKind) -> Vec<AgendaItem> {
    items.iter().filter(|i| i.kind == kind).cloned().collect()
}

/// The salon calls due on a day, sorted, a reminder marked with `!`.
fn calls_on(book: &Book, day: NaiveDate) -> Vec<String> {
    let mut ids: Vec<String> = of_kind(&day_agenda(book, day), ItemKind::SalonCall)
        .into_iter()
        .map(|i| format!("{}{}", i.id, if i.reminder { "!" } else { "" }))
        .collect();
    ids.sort();
    ids
}

fn ids_of(items: &[AgendaItem]) -> Vec<String> {
    items.iter().map(|i| i.id.clone()).collect()
}

fn page(book: &Book, id: i64, now: NaiveDateTime) -> salons::SalonPage {
    salons::page(book, id, now, &WorkCalendar::new()).unwrap()
}

fn round<'a>(p: &'a salons::SalonPage, client: i64, round: &str) -> &'a salons::RoundView {
    p.invitees
        .iter()
        .find(|i| i.client_id == client)
        .unwrap()
        .rounds
        .iter()
        .find(|r| r.round == round)
        .unwrap()
}

#[test]
fn seven_three_one_day_by_day() {
    let (_dir, mut book) = fresh();
    // Friday 2025-06-20, ten days after the list is made: rounds Fri 06-13, Tue 06-17, Thu 06-19.
    let s = salon(&mut book, "养老规划讲座", "2025-06-20 14:00", Some(30));
    let a = add_client(&mut book, person("王建国", Tier::Vip, &[Segment::Retiree]));
    let b = add_client(&mut book, person("李秀英", Tier::High, &[Segment::Retiree]));
    let c = add_client(&mut book, person("张德明", Tier::Mass, &[Segment::Retiree]));
    assert_eq!(
        salons::invite(&mut book, s, &[a, b, c], d(2025, 6, 10)).unwrap(),
        3
    );
    let id = |who: i64, r: &str| format!("{s}/{who}/{r}");

    // Day by day: what is due, then what the advisor records that day.
    type Calls = Vec<(i64, &'static str, CallResponse)>;
    let days: Vec<(NaiveDate, Vec<String>, Calls)> = vec![
        (d(2025, 6, 10), vec![], vec![]),
        (d(2025, 6, 11), vec![], vec![]),
        (d(2025, 6, 12), vec![], vec![]),
        (
            d(2025, 6, 13),
            vec![id(a, "r7"), id(b, "r7"), id(c, "r7")],
            vec![
                (a, "r7", CallResponse::Confirmed),
                (b, "r7", CallResponse::Declined),
                (c, "r7", CallResponse::Tentative),
            ],
        ),
        (d(2025, 6, 14), vec![], vec![]),
        (d(2025, 6, 15), vec![], vec![]),
        (d(2025, 6, 16), vec![], vec![]),
        // a confirmed: no second invitation; b declined: never called again.
        (
            d(2025, 6, 17),
            vec![id(c, "r3")],
            vec![(c, "r3", CallResponse::NoAnswer)],
        ),
        (d(2025, 6, 18), vec![], vec![]),
        // a's last round is a reminder; c is still asked.
        (
            d(2025, 6, 19),
            vec![format!("{}!", id(a, "r1")), id(c, "r1")],
            vec![
                (a, "r1", CallResponse::Confirmed),
                (c, "r1", CallResponse::Confirmed),
            ],
        ),
        (d(2025, 6, 20), vec![], vec![]),
    ];
    for (day, due, made) in &days {
        let mut due = due.clone();
        due.sort();
        assert_eq!(calls_on(&book, *day), due, "on {day}");
        for (who, r, response) in made.iter() {
            record(&mut book, &id(*who, r), *response, *day);
        }
        assert!(calls_on(&book, *day).is_empty(), "all made on {day}");
    }
    let p = page(&book, s, at(d(2025, 6, 20), 9));
    assert_eq!(
        round(&p, a, "r3").skip_reason.as_deref(),
        Some("confirmed"),
        "confirmation skips the middle round"
    );
    assert!(round(&p, a, "r1").reminder);
    assert_eq!(round(&p, b, "r3").skip_reason.as_deref(), Some("declined"));
    assert_eq!(round(&p, b, "r1").skip_reason.as_deref(), Some("declined"));
    assert_eq!(round(&p, c, "r3").response, Some(CallResponse::NoAnswer));
    // Every call made is in the client's timeline as a phone call.
    let timeline = contacts::timeline(&book, c).unwrap();
    assert_eq!(timeline.len(), 3);
    assert!(timeline.iter().all(|k| k.channel == Channel::Phone));
    assert!(timeline[0].summary.contains("养老规划讲座"), "{timeline:?}");
}

#[test]
fn calls_not_made_stay_overdue_until_the_next_round_or_the_start() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "养老规划讲座", "2025-06-20 14:00", None);
    let a = add_client(&mut book, person("王建国", Tier::Vip, &[Segment::Retiree]));
    salons::invite(&mut book, s, &[a], d(2025, 6, 10)).unwrap();
    let on = |day: NaiveDate| -> Vec<(String, u32)> {
        of_kind(&day_agenda(&book, day), ItemKind::SalonCall)
            .into_iter()
            .map(|i| (i.round.clone().unwrap(), i.days_overdue))
            .collect()
    };
    assert_eq!(on(d(2025, 6, 13)), [("r7".to_string(), 0)]);
    assert_eq!(on(d(2025, 6, 16)), [("r7".to_string(), 3)]);
    // Round 3 is due: round 7 is missed, not called twice.
    assert_eq!(on(d(2025, 6, 17)), [("r3".to_string(), 0)]);
    assert_eq!(on(d(2025, 6, 18)), [("r3".to_string(), 1)]);
    assert_eq!(on(d(2025, 6, 19)), [("r1".to_string(), 0)]);
    // The morning of the salon the last call is still worth making; once it started, not.
    assert_eq!(on(d(2025, 6, 20)), [("r1".to_string(), 1)]);
    let afternoon = agenda::for_days(
        &book,
        d(2025, 6, 20),
        1,
        at(d(2025, 6, 20), 15),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert_eq!(afternoon.count(ItemKind::SalonCall), 0);
    let p = page(&book, s, at(d(2025, 6, 20), 15));
    assert_eq!(round(&p, a, "r7").state, "missed");
    assert_eq!(round(&p, a, "r1").state, "missed");
}

#[test]
fn a_late_invitee_gets_only_the_rounds_still_ahead() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "养老规划讲座", "2025-06-20 14:00", None);
    let early = add_client(&mut book, person("王建国", Tier::Vip, &[Segment::Retiree]));
    let late = add_client(&mut book, person("李秀英", Tier::Vip, &[Segment::Retiree]));
    let last = add_client(&mut book, person("赵淑珍", Tier::Vip, &[Segment::Retiree]));
    let too_late = add_client(&mut book, person("孙玉兰", Tier::Vip, &[Segment::Retiree]));
    salons::invite(&mut book, s, &[early], d(2025, 6, 1)).unwrap();
    salons::invite(&mut book, s, &[late], d(2025, 6, 15)).unwrap();
    salons::invite(&mut book, s, &[last], d(2025, 6, 18)).unwrap();
    salons::invite(&mut book, s, &[too_late], d(2025, 6, 20)).unwrap();
    // Inviting again keeps the first day.
    assert_eq!(
        salons::invite(&mut book, s, &[early], d(2025, 6, 19)).unwrap(),
        0
    );
    assert_eq!(calls_on(&book, d(2025, 6, 13)), [format!("{s}/{early}/r7")]);
    let mut r3 = vec![format!("{s}/{early}/r3"), format!("{s}/{late}/r3")];
    r3.sort();
    assert_eq!(calls_on(&book, d(2025, 6, 17)), r3);
    let mut r1 = vec![
        format!("{s}/{early}/r1"),
        format!("{s}/{late}/r1"),
        format!("{s}/{last}/r1"),
    ];
    r1.sort();
    assert_eq!(calls_on(&book, d(2025, 6, 19)), r1);
    let p = page(&book, s, at(d(2025, 6, 20), 9));
    assert_eq!(
        round(&p, late, "r7").skip_reason.as_deref(),
        Some("added_later")
    );
    assert_eq!(round(&p, late, "r3").state, "missed");
    assert_eq!(
        round(&p, last, "r3").skip_reason.as_deref(),
        Some("added_later")
    );
    assert!(round(&p, too_late, "r1").state == "skipped");
    let no_round: Vec<_> = p
        .warnings
        .iter()
        .filter(|w| w.kind == "no_round_left")
        .map(|w| w.client_id)
        .collect();
    assert_eq!(no_round, [Some(too_late)]);
}

#[test]
fn moving_a_salon_moves_pending_rounds_and_keeps_calls_made() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "家族财富传承", "2025-06-20 14:00", None);
    let a = add_client(&mut book, person("王建国", Tier::Vip, &[]));
    let b = add_client(&mut book, person("李秀英", Tier::Vip, &[]));
    salons::invite(&mut book, s, &[a, b], d(2025, 6, 10)).unwrap();
    record(
        &mut book,
        &format!("{s}/{a}/r7"),
        CallResponse::Tentative,
        d(2025, 6, 13),
    );
    // b was not reached on 06-13; the next day the salon moves a week later.
    let moved = salons::move_to(&mut book, s, "2025-06-27T14:00").unwrap();
    assert_eq!(moved.start, "2025-06-27 14:00");
    let p = page(&book, s, at(d(2025, 6, 14), 9));
    let a7 = round(&p, a, "r7");
    assert_eq!(
        (a7.state.as_str(), a7.done_on.as_deref()),
        ("done", Some("2025-06-13"))
    );
    assert_eq!(round(&p, a, "r3").due, "2025-06-24");
    assert_eq!(round(&p, a, "r1").due, "2025-06-26");
    assert_eq!(
        (
            round(&p, b, "r7").due.as_str(),
            round(&p, b, "r7").state.as_str()
        ),
        ("2025-06-20", "pending")
    );
    // The old round days are empty, the new ones hold the calls.
    assert!(calls_on(&book, d(2025, 6, 17)).is_empty());
    assert!(calls_on(&book, d(2025, 6, 19)).is_empty());
    assert_eq!(calls_on(&book, d(2025, 6, 20)), [format!("{s}/{b}/r7")]);
    let mut r3 = vec![format!("{s}/{a}/r3"), format!("{s}/{b}/r3")];
    r3.sort();
    assert_eq!(calls_on(&book, d(2025, 6, 24)), r3);
    // Unknown salons and bad starts are refused.
    assert!(matches!(
        salons::move_to(&mut book, 999, "2025-06-27 14:00"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        salons::move_to(&mut book, s, "2025-06-27"),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn cancelling_a_salon_takes_its_calls_off_the_agenda() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "花艺茶艺沙龙", "2025-06-20 14:00", None);
    let other = salon(&mut book, "职场理财入门", "2025-06-20 19:00", None);
    let a = add_client(&mut book, person("王芳", Tier::Vip, &[]));
    let b = add_client(&mut book, person("李娜", Tier::Vip, &[]));
    salons::invite(&mut book, s, &[a, b], d(2025, 6, 10)).unwrap();
    salons::invite(&mut book, other, &[a], d(2025, 6, 10)).unwrap();
    for call in [format!("{s}/{a}/r7"), format!("{other}/{a}/r7")] {
        record(&mut book, &call, CallResponse::Confirmed, d(2025, 6, 13));
    }
    assert_eq!(calls_on(&book, d(2025, 6, 17)), [format!("{s}/{b}/r3")]);
    assert!(salons::set_cancelled(&mut book, s, true).unwrap().cancelled);
    assert!(calls_on(&book, d(2025, 6, 17)).is_empty());
    assert_eq!(
        calls_on(&book, d(2025, 6, 19)),
        [format!("{other}/{a}/r1!")]
    );
    let p = page(&book, s, at(d(2025, 6, 17), 9));
    assert_eq!(round(&p, a, "r7").state, "done", "calls made stay");
    assert_eq!(round(&p, b, "r3").skip_reason.as_deref(), Some("cancelled"));
    // Taking the cancellation back brings the rounds back.
    salons::set_cancelled(&mut book, s, false).unwrap();
    assert_eq!(calls_on(&book, d(2025, 6, 17)), [format!("{s}/{b}/r3")]);
}

#[test]
fn capacity_warnings() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "健康讲座", "2025-06-20 14:00", Some(2));
    let ids: Vec<i64> = ["王一", "王二", "王三"]
        .iter()
        .map(|n| add_client(&mut book, person(n, Tier::Vip, &[])))
        .collect();
    salons::invite(&mut book, s, &ids, d(2025, 6, 10)).unwrap();
    record(
        &mut book,
        &format!("{s}/{}/r7", ids[0]),
        CallResponse::Confirmed,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &format!("{s}/{}/r7", ids[1]),
        CallResponse::Confirmed,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &format!("{s}/{}/r7", ids[2]),
        CallResponse::Tentative,
        d(2025, 6, 13),
    );
    let p = page(&book, s, at(d(2025, 6, 14), 9));
    let kinds: Vec<&str> = p.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert_eq!(kinds, ["full"], "every seat taken, one still to ask");
    record(
        &mut book,
        &format!("{s}/{}/r3", ids[2]),
        CallResponse::Confirmed,
        d(2025, 6, 17),
    );
    let p = page(&book, s, at(d(2025, 6, 17), 12));
    assert_eq!(p.warnings.len(), 1);
    let w = &p.warnings[0];
    assert_eq!(
        (w.kind.as_str(), w.confirmed, w.capacity),
        ("over_capacity", Some(3), Some(2))
    );
    assert_eq!(p.funnel.confirmed, 3);
}

#[test]
fn the_funnel_invited_reached_confirmed_came() {
    let (_dir, mut book) = fresh();
    let s = salon(&mut book, "养老规划讲座", "2025-06-20 14:00", Some(30));
    let ids: Vec<i64> = ["甲", "乙", "丙", "丁", "戊"]
        .iter()
        .map(|n| add_client(&mut book, person(&format!("王{n}"), Tier::Vip, &[])))
        .collect();
    let [a, b, c, dd, e] = ids[..] else {
        unreachable!()
    };
    salons::invite(&mut book, s, &ids, d(2025, 6, 10)).unwrap();
    let r = |who: i64, round: &str| format!("{s}/{who}/{round}");
    record(
        &mut book,
        &r(a, "r7"),
        CallResponse::Confirmed,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &r(b, "r7"),
        CallResponse::Declined,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &r(c, "r7"),
        CallResponse::NoAnswer,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &r(c, "r3"),
        CallResponse::Confirmed,
        d(2025, 6, 17),
    );
    record(
        &mut book,
        &r(dd, "r7"),
        CallResponse::NoAnswer,
        d(2025, 6, 13),
    );
    record(
        &mut book,
        &r(dd, "r3"),
        CallResponse::NoAnswer,
        d(2025, 6, 17),
    );
    // e was never called but walked in on the day.
    salons::attend(&mut book, s, a, true, 1).unwrap();
    salons::attend(&mut book, s, c, false, 0).unwrap();
    salons::attend(&mut book, s, e, true, 0).unwrap();
    let want = salons::Funnel {
        invited: 5,
        reached: 4,
        confirmed: 2,
        came: 2,
        guests: 1,
    };
    let p = page(&book, s, at(d(2025, 6, 21), 9));
    assert_eq!(p.funnel, want);
    let inv = |id: i64| p.invitees.iter().find(|i| i.client_id == id).unwrap();
    assert_eq!(inv(c).response, Some(CallResponse::Confirmed));
    assert_eq!(inv(c).attended, Some(false));
    assert_eq!(inv(dd).attended, None);
    assert_eq!(inv(a).guests, 1);
    // The list carries the same funnel; coming salons first, then past ones latest first.
    let old = salon(&mut book, "旧讲座", "2025-05-01 14:00", None);
    let older = salon(&mut book, "更旧的讲座", "2025-04-01 14:00", None);
    let next = salon(&mut book, "下一场", "2025-07-01 14:00", None);
    let rows = salons::list(&book, d(2025, 6, 15)).unwrap();
    let order: Vec<i64> = rows.iter().map(|r| r.salon.id).collect();
    assert_eq!(order, [s, next, old, older]);
    assert_eq!(rows[0].funnel, want);
    // Attendance of someone not on the list is refused.
    assert!(matches!(
        salons::attend(&mut book, next, a, true, 0),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn suggestions_skip_the_invited_and_those_who_declined_twice() {
    let (_dir, mut book) = fresh();
    let first = salon(&mut book, "书法沙龙", "2025-03-01 14:00", None);
    let second = salon(&mut book, "摄影沙龙", "2025-04-01 14:00", None);
    let s = salon(&mut book, "养老规划讲座", "2025-06-20 14:00", None);
    let r = &[Segment::Retiree];
    let private = add_client(&mut book, person("钱老", Tier::Private, r));
    let vip = add_client(&mut book, person("孙老", Tier::Vip, r));
    let mass = add_client(&mut book, person("李老", Tier::Mass, r));
    let invited = add_client(&mut book, person("周老", Tier::Private, r));
    let declined_twice = add_client(&mut book, person("吴老", Tier::Private, r));
    let declined_once = add_client(&mut book, person("郑老", Tier::Vip, r));
    let young = add_client(
        &mut book,
        person("冯小", Tier::Private, &[Segment::Professional]),
    );
    let mut lost = person("陈老", Tier::Private, r);
    lost.stage = Some(Stage::Lost);
    let lost = add_client(&mut book, lost);
    salons::invite(&mut book, s, &[invited], d(2025, 6, 1)).unwrap();
    for past in [first, second] {
        salons::invite(
            &mut book,
            past,
            &[declined_twice, declined_once],
            d(2025, 2, 1),
        )
        .unwrap();
    }
    let call = |salon: i64, who: i64| format!("{salon}/{who}/r7");
    record(
        &mut book,
        &call(first, declined_twice),
        CallResponse::Declined,
        d(2025, 2, 21),
    );
    record(
        &mut book,
        &call(second, declined_twice),
        CallResponse::Declined,
        d(2025, 3, 25),
    );
    record(
        &mut book,
        &call(first, declined_once),
        CallResponse::Declined,
        d(2025, 2, 21),
    );
    record(
        &mut book,
        &call(second, declined_once),
        CallResponse::Confirmed,
        d(2025, 3, 25),
    );
    let got: Vec<i64> = salons::suggestions(&book, s, 20)
        .unwrap()
        .iter()
        .map(|x| x.client_id)
        .collect();
    assert_eq!(got, [private, vip, declined_once, mass]);
    assert!(!got.contains(&young) && !got.contains(&lost));
    let top = &salons::suggestions(&book, s, 1).unwrap()[0];
    assert_eq!(
        (top.client_id, top.tier, top.segments.clone()),
        (private, Tier::Private, vec![Segment::Retiree])
    );
    assert!(matches!(
        salons::suggestions(&book, 999, 5),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn calls_off_weekends_and_holidays_but_on_make_up_working_days() {
    let (_dir, mut book) = fresh();
    let cal = WorkCalendar::new();
    let a = add_client(&mut book, person("王建国", Tier::Vip, &[]));
    // Tuesday 06-24: round 3 would be Saturday 06-21, so it is made on Friday 06-20.
    let tue = salon(&mut book, "周二讲座", "2025-06-24 14:00", None);
    // Monday 09-29: round 1 falls on Sunday 09-28, a 调休 working day: it stays.
    let mon = salon(&mut book, "国庆前讲座", "2025-09-29 14:00", None);
    // Monday 10-13: round 7 falls in the National Day holiday (back to Tue 09-30), round 1 on
    // Sunday 10-12 (back to the make-up Saturday 10-11).
    let after = salon(&mut book, "节后讲座", "2025-10-13 14:00", None);
    for s in [tue, mon, after] {
        salons::invite(&mut book, s, &[a], d(2025, 6, 1)).unwrap();
    }
    assert!(cal.is_working_day(d(2025, 9, 28)) && cal.is_working_day(d(2025, 10, 11)));
    assert!(!cal.is_working_day(d(2025, 10, 6)));
    let dues = |book: &Book, s: i64| -> Vec<String> {
        let p = page(book, s, at(d(2025, 6, 2), 9));
        p.invitees[0].rounds.iter().map(|r| r.due.clone()).collect()
    };
    assert_eq!(dues(&book, tue), ["2025-06-17", "2025-06-20", "2025-06-23"]);
    assert_eq!(dues(&book, mon), ["2025-09-22", "2025-09-26", "2025-09-28"]);
    assert_eq!(
        dues(&book, after),
        ["2025-09-30", "2025-10-10", "2025-10-11"]
    );
    // Only what falls due that day (a call not made stays, overdue, until the next round).
    let due_on = |book: &Book, day: NaiveDate| -> Vec<String> {
        of_kind(&day_agenda(book, day), ItemKind::SalonCall)
            .into_iter()
            .filter(|i| !i.overdue)
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(due_on(&book, d(2025, 6, 20)), [format!("{tue}/{a}/r3")]);
    assert!(due_on(&book, d(2025, 6, 21)).is_empty());
    assert!(due_on(&book, d(2025, 6, 22)).is_empty());
    assert_eq!(due_on(&book, d(2025, 9, 28)), [format!("{mon}/{a}/r1")]);
    assert_eq!(calls_on(&book, d(2025, 9, 30)), [format!("{after}/{a}/r7")]);
    record(
        &mut book,
        &format!("{after}/{a}/r7"),
        CallResponse::Tentative,
        d(2025, 9, 30),
    );
    for holiday in 1..=8 {
        assert!(
            calls_on(&book, d(2025, 10, holiday)).is_empty(),
            "10-{holiday}"
        );
    }
    assert_eq!(
        calls_on(&book, d(2025, 10, 10)),
        [format!("{after}/{a}/r3")]
    );
    assert_eq!(due_on(&book, d(2025, 10, 11)), [format!("{after}/{a}/r1")]);
    // Called off, a salon keeps the days its rounds had: the calls made read against them.
    salons::set_cancelled(&mut book, tue, true).unwrap();
    assert_eq!(dues(&book, tue), ["2025-06-17", "2025-06-20", "2025-06-23"]);
}

fn birthdays_on(book: &Book, day: NaiveDate) -> Vec<AgendaItem> {
    of_kind(&day_agenda(book, day), ItemKind::Birthday)
}

#[test]
fn solar_lunar_and_family_birthdays() {
    let (_dir, mut book) = fresh();
    let solar = add_client(
        &mut book,
        born("王建国", Calendar::Solar, "1960-06-15", false),
    );
    // 八月十五, born 1950: in 2025 it is 中秋 itself.
    let lunar_c = add_client(
        &mut book,
        born("李秀英", Calendar::Lunar, "1950-08-15", false),
    );
    // 八月三十 of 1961 (a 30-day month); in 2025 the eighth month has only 29 days.
    let day30 = add_client(
        &mut book,
        born("赵淑珍", Calendar::Lunar, "1961-08-30", false),
    );
    // 闰六月初八 of 1987; 2025 has a leap sixth month too.
    let leap = add_client(
        &mut book,
        born("孙玉兰", Calendar::Lunar, "1987-06-08", true),
    );
    let feb29 = add_client(
        &mut book,
        born("周立新", Calendar::Solar, "1964-02-29", false),
    );
    let spouse_of = add_client(&mut book, person("吴振华", Tier::Vip, &[]));
    let spouse = family::add(
        &mut book,
        spouse_of,
        &FamilyInput {
            name: "郑美玲".into(),
            relation: Relation::Spouse,
            gender: Some(Gender::Female),
            birthday: Some(Birthday {
                calendar: Calendar::Solar,
                date: "1962-07-15".into(),
                leap: false,
            }),
            phone: None,
            notes: None,
        },
        d(2025, 1, 1),
    )
    .unwrap()
    .id;

    let on = birthdays_on(&book, d(2025, 6, 15));
    assert_eq!(ids_of(&on), [format!("birthday/client/{solar}/2025-06-15")]);
    assert_eq!(
        (on[0].turns, on[0].lunar, on[0].overdue),
        (Some(65), false, false)
    );
    assert!(on[0].reason.contains("65"), "{}", on[0].reason);
    assert!(birthdays_on(&book, d(2025, 6, 14)).is_empty());

    let mid_autumn = lunar::to_solar(2025, 8, 15, false).unwrap();
    assert_eq!(mid_autumn, d(2025, 10, 6));
    let on = birthdays_on(&book, mid_autumn);
    assert_eq!(
        ids_of(&on),
        [format!("birthday/client/{lunar_c}/{mid_autumn}")]
    );
    assert_eq!((on[0].turns, on[0].lunar), (Some(75), true));
    assert!(birthdays_on(&book, mid_autumn - Duration::days(1)).is_empty());

    // Day 30 of a 29-day month: BirthdayRules::default() keeps it on 廿九, the month's last day.
    assert_eq!(lunar::month(1961, 8, false).unwrap().days, 30);
    assert_eq!(lunar::month(2025, 8, false).unwrap().days, 29);
    let last_day = lunar::to_solar(2025, 8, 29, false).unwrap();
    assert_eq!(last_day, d(2025, 10, 20));
    let on = birthdays_on(&book, last_day);
    assert_eq!(ids_of(&on), [format!("birthday/client/{day30}/{last_day}")]);
    assert_eq!(on[0].turns, Some(64));
    assert!(
        birthdays_on(&book, last_day + Duration::days(1))
            .iter()
            .all(|i| i.overdue),
        "not a second time on the next day (初一 of the ninth month)"
    );

    // A leap-month birthday, by default, is kept in the ordinary month of that number.
    assert_eq!(lunar::leap_month(1987).unwrap(), Some(6));
    assert_eq!(lunar::leap_month(2025).unwrap(), Some(6));
    let ordinary = lunar::to_solar(2025, 6, 8, false).unwrap();
    let leap_day = lunar::to_solar(2025, 6, 8, true).unwrap();
    let on = birthdays_on(&book, ordinary);
    assert_eq!(ids_of(&on), [format!("birthday/client/{leap}/{ordinary}")]);
    assert_eq!(on[0].turns, Some(38));
    assert!(birthdays_on(&book, leap_day).is_empty());

    // 29 February: 28 February in a common year, the day itself in a leap year.
    let on = birthdays_on(&book, d(2025, 2, 28));
    assert_eq!(ids_of(&on), [format!("birthday/client/{feb29}/2025-02-28")]);
    assert_eq!(on[0].turns, Some(61));
    let next_day = birthdays_on(&book, d(2025, 3, 1));
    assert_eq!(ids_of(&next_day), ids_of(&on), "the same item, a day late");
    assert_eq!(next_day[0].days_overdue, 1);
    let on = birthdays_on(&book, d(2024, 2, 29));
    assert_eq!(ids_of(&on), [format!("birthday/client/{feb29}/2024-02-29")]);
    assert_eq!(on[0].turns, Some(60));
    assert!(birthdays_on(&book, d(2024, 2, 28)).is_empty());

    // A family member's birthday names the client and the relation.
    let on = birthdays_on(&book, d(2025, 7, 15));
    assert_eq!(
        ids_of(&on),
        [format!("birthday/family/{spouse}/2025-07-15")]
    );
    let item = &on[0];
    assert_eq!(
        (item.client_id, item.family_id, item.turns),
        (Some(spouse_of), Some(spouse), Some(63))
    );
    assert!(
        item.reason.contains("吴振华") && item.reason.contains("配偶"),
        "{}",
        item.reason
    );

    // A missed birthday stays a week for a late greeting, then goes.
    let late = birthdays_on(&book, d(2025, 6, 22));
    assert_eq!(
        ids_of(&late),
        [format!("birthday/client/{solar}/2025-06-15")]
    );
    assert_eq!(late[0].days_overdue, 7);
    assert!(birthdays_on(&book, d(2025, 6, 23)).is_empty());
    // A week's agenda holds the birthdays of the week.
    let week = agenda::for_days(
        &book,
        d(2025, 7, 12),
        7,
        at(d(2025, 7, 12), 9),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert_eq!(
        ids_of(&of_kind(&week.items, ItemKind::Birthday)),
        [format!("birthday/family/{spouse}/2025-07-15")]
    );
}

#[test]
fn festivals_with_their_audience() {
    let (_dir, mut book) = fresh();
    let mut woman = born("王芳", Calendar::Solar, "1950-01-01", false);
    woman.gender = Some(Gender::Female);
    add_client(&mut book, woman);
    let mut young_woman = born("李娜", Calendar::Solar, "1990-05-05", false);
    young_woman.gender = Some(Gender::Female);
    add_client(&mut book, young_woman);
    let mut man = born("张伟", Calendar::Solar, "1960-03-03", false);
    man.gender = Some(Gender::Male);
    add_client(&mut book, man);
    let mut lost = born("赵敏", Calendar::Solar, "1940-01-01", false);
    lost.gender = Some(Gender::Female);
    lost.stage = Some(Stage::Lost);
    add_client(&mut book, lost);
    add_client(&mut book, person("不知性别", Tier::Mass, &[]));
    let festival = |day: NaiveDate| of_kind(&day_agenda(&book, day), ItemKind::Festival);

    let womens_day = festival(d(2025, 3, 8));
    assert_eq!(ids_of(&womens_day), ["festival/2025-03-08/womens_day"]);
    assert_eq!(womens_day[0].audience, Some(2), "female clients not lost");
    // 重阳 2025 is 九月初九 = 10-29: clients 60 or older (not lost).
    let double_ninth = lunar::to_solar(2025, 9, 9, false).unwrap();
    let f = festival(double_ninth);
    assert_eq!(
        ids_of(&f),
        [format!("festival/{double_ninth}/double_ninth")]
    );
    assert_eq!(f[0].audience, Some(2));
    let f = festival(d(2025, 10, 1));
    assert_eq!(ids_of(&f), ["festival/2025-10-01/national_day"]);
    assert_eq!(f[0].audience, Some(4));
    // A festival is for its day only: no late greeting.
    assert!(festival(d(2025, 3, 9)).is_empty());
}

#[test]
fn cadence_and_follow_ups() {
    let (_dir, mut book) = fresh();
    let due = add_client(&mut book, person("王建国", Tier::Vip, &[]));
    let recent = add_client(&mut book, person("李秀英", Tier::Vip, &[]));
    let wechat = |day: NaiveDate, follow_ups: Vec<FollowUpInput>| ContactInput {
        at: Some(format!("{day} 10:00")),
        channel: Channel::Wechat,
        kind: ContactKind::Note,
        summary: "微信问候".into(),
        needs: None,
        follow_ups,
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    };
    contacts::add(
        &mut book,
        due,
        &wechat(d(2025, 5, 26), vec![]),
        at(d(2025, 5, 26), 12),
    )
    .unwrap();
    contacts::add(
        &mut book,
        recent,
        &wechat(
            d(2025, 6, 5),
            vec![FollowUpInput {
                title: "发送产品对比".into(),
                due: "2025-06-10".into(),
            }],
        ),
        at(d(2025, 6, 5), 12),
    )
    .unwrap();
    // VIP: every 14 days. Last contact 20 days ago: due since 06-09.
    let cadence = |day: NaiveDate| of_kind(&day_agenda(&book, day), ItemKind::Cadence);
    let c = cadence(d(2025, 6, 15));
    assert_eq!(ids_of(&c), [format!("cadence/{due}/2025-06-09")]);
    assert_eq!((c[0].overdue, c[0].days_overdue), (true, 6));
    let c = cadence(d(2025, 6, 19));
    assert_eq!(
        ids_of(&c),
        [
            format!("cadence/{due}/2025-06-09"),
            format!("cadence/{recent}/2025-06-19")
        ]
    );
    // An old client (a client since 2020) owes a phone call a month, whatever the tier; a visit
    // counts as one.
    let old = add_client(&mut book, person("赵德明", Tier::Mass, &[]));
    book.conn()
        .execute(
            "UPDATE clients SET created_at = '2020-01-01 09:00:00' WHERE id = ?1",
            [old],
        )
        .unwrap();
    let contact = |channel: Channel, day: NaiveDate| ContactInput {
        channel,
        ..wechat(day, vec![])
    };
    contacts::add(
        &mut book,
        old,
        &contact(Channel::Phone, d(2025, 4, 1)),
        at(d(2025, 4, 1), 12),
    )
    .unwrap();
    let visit = contacts::add(
        &mut book,
        old,
        &contact(Channel::Visit, d(2025, 6, 10)),
        at(d(2025, 6, 10), 12),
    )
    .unwrap();
    let old_items = |book: &Book, day: NaiveDate| -> Vec<String> {
        ids_of(&of_kind(&day_agenda(book, day), ItemKind::Cadence))
            .into_iter()
            .filter(|i| i.starts_with(&format!("cadence/{old}/")))
            .collect()
    };
    assert!(old_items(&book, d(2025, 6, 15)).is_empty());
    assert_eq!(
        old_items(&book, d(2025, 7, 10)),
        [format!("cadence/{old}/2025-07-10")]
    );
    // Without the visit, the monthly call was owed since 05-01.
    contacts::delete(&mut book, visit.id).unwrap();
    assert_eq!(
        old_items(&book, d(2025, 6, 15)),
        [format!("cadence/{old}/2025-05-01")]
    );
    // The follow-up stays, overdue, until done.
    let follow = |book: &Book, day: NaiveDate| of_kind(&day_agenda(book, day), ItemKind::FollowUp);
    assert!(follow(&book, d(2025, 6, 9)).is_empty());
    assert_eq!(follow(&book, d(2025, 6, 10))[0].days_overdue, 0);
    let later = follow(&book, d(2025, 7, 30));
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].days_overdue, 50);
    let id = later[0].id.clone();
    agenda::mark(
        &mut book,
        &id,
        &Mark::Done,
        d(2025, 7, 30),
        None,
        at(d(2025, 7, 30), 9),
    )
    .unwrap();
    assert!(follow(&book, d(2025, 7, 30)).is_empty());
    assert!(
        contacts::open_follow_ups(&book, recent).unwrap().is_empty(),
        "ticked off"
    );
}

#[test]
fn marks_done_snoozed_skipped() {
    let (_dir, mut book) = fresh();
    let mut input = born("王建国", Calendar::Solar, "1960-06-15", false);
    input.tier = Some(Tier::Vip);
    let a = add_client(&mut book, input);
    let b = add_client(&mut book, person("李秀英", Tier::Vip, &[]));
    let c = add_client(&mut book, person("张德明", Tier::Vip, &[]));
    for who in [a, b, c] {
        let note = ContactInput {
            at: Some("2025-05-20 10:00".into()),
            channel: Channel::Wechat,
            kind: ContactKind::Note,
            summary: "问候".into(),
            needs: None,
            follow_ups: vec![],
            response_due: None,
            resolution: None,
            resolved_at: None,
            satisfied: None,
        };
        contacts::add(&mut book, who, &note, at(d(2025, 5, 20), 12)).unwrap();
    }
    let day = d(2025, 6, 15);
    let items = day_agenda(&book, day);
    let birthday = format!("birthday/client/{a}/2025-06-15");
    let cad = |who: i64| format!("cadence/{who}/2025-06-03");
    let all = ids_of(&items);
    for id in [&birthday, &cad(a), &cad(b), &cad(c)] {
        assert!(all.contains(id), "{id} in {all:?}");
    }
    let now = at(day, 10);
    agenda::mark(
        &mut book,
        &birthday,
        &Mark::Done,
        day,
        Some("送了纪念币"),
        now,
    )
    .unwrap();
    agenda::mark(
        &mut book,
        &cad(b),
        &Mark::Snoozed {
            until: "2025-06-18".into(),
        },
        day,
        None,
        now,
    )
    .unwrap();
    agenda::mark(&mut book, &cad(c), &Mark::Skipped, day, None, now).unwrap();
    // Done lands in the timeline as a phone contact, with the note.
    let timeline = contacts::timeline(&book, a).unwrap();
    assert_eq!(timeline[0].channel, Channel::Phone);
    assert!(timeline[0].summary.contains("生日") && timeline[0].summary.contains("纪念币"));
    assert_eq!(timeline[0].at, "2025-06-15 10:00");
    // Recomputing, day after day, never brings a handled item back; the snoozed one returns.
    for (k, later) in (0..10).map(|k| (k, day + Duration::days(k))) {
        let ids = ids_of(&day_agenda(&book, later));
        assert!(!ids.contains(&birthday), "{later}");
        assert!(!ids.contains(&cad(c)), "skipped stays gone on {later}");
        assert_eq!(
            ids.contains(&cad(b)),
            k >= 3,
            "snoozed until 06-18, on {later}"
        );
        // The call the birthday greeting was counts as a contact: a is not due before 06-29.
        assert!(
            !ids.iter().any(|i| i.starts_with(&format!("cadence/{a}/"))),
            "{later}"
        );
    }
    let ids = ids_of(&day_agenda(&book, d(2025, 6, 29)));
    assert!(ids.contains(&format!("cadence/{a}/2025-06-29")), "{ids:?}");
    // Taking a mark back shows the item again.
    agenda::unmark(&mut book, &cad(c)).unwrap();
    assert!(ids_of(&day_agenda(&book, day)).contains(&cad(c)));
    // A salon call done from the agenda also lands in the timeline.
    let s = salon(&mut book, "养老规划讲座", "2025-06-27 14:00", None);
    salons::invite(&mut book, s, &[c], day).unwrap();
    let call = format!("{s}/{c}/r7");
    assert!(ids_of(&day_agenda(&book, d(2025, 6, 20))).contains(&call));
    agenda::mark(
        &mut book,
        &call,
        &Mark::Done,
        d(2025, 6, 20),
        None,
        at(d(2025, 6, 20), 9),
    )
    .unwrap();
    assert!(!ids_of(&day_agenda(&book, d(2025, 6, 20))).contains(&call));
    assert!(contacts::timeline(&book, c).unwrap()[0]
        .summary
        .contains("沙龙"));
    // Bad marks are refused.
    let err = agenda::mark(
        &mut book,
        &cad(b),
        &Mark::Snoozed {
            until: "2025-06-15".into(),
        },
        day,
        None,
        now,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Invalid { ref code, .. } if code == "snooze_not_after"));
    for bad in [
        "",
        "nonsense",
        "birthday/client/x/2025-06-15",
        "1/2/r5",
        "a/b/c/d/e",
    ] {
        assert!(
            matches!(
                agenda::mark(&mut book, bad, &Mark::Done, day, None, now),
                Err(Error::Invalid { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        agenda::mark(
            &mut book,
            "cadence/999/2025-06-03",
            &Mark::Done,
            day,
            None,
            now
        ),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn a_deleted_clients_items_and_marks_go() {
    let (_dir, mut book) = fresh();
    let mut input = born("王建国", Calendar::Solar, "1960-06-15", false);
    input.starred = true;
    let a = add_client(&mut book, input);
    let keep = add_client(
        &mut book,
        born("李秀英", Calendar::Solar, "1961-06-15", false),
    );
    let s = salon(&mut book, "养老规划讲座", "2025-06-22 14:00", None);
    salons::invite(&mut book, s, &[a, keep], d(2025, 6, 1)).unwrap();
    let day = d(2025, 6, 15);
    let now = at(day, 9);
    record(
        &mut book,
        &format!("{s}/{a}/r7"),
        CallResponse::Confirmed,
        day,
    );
    agenda::mark(
        &mut book,
        &format!("watch/{a}/{day}"),
        &Mark::Skipped,
        day,
        None,
        now,
    )
    .unwrap();
    let about_a = |book: &Book| -> usize {
        agenda::for_days(book, day, 7, now, &WorkCalendar::new())
            .unwrap()
            .items
            .iter()
            .filter(|i| i.client_id == Some(a))
            .count()
    };
    assert!(about_a(&book) >= 2, "a birthday and a reminder call");
    let marks = |book: &Book| -> i64 {
        book.conn()
            .query_row(
                "SELECT count(*) FROM agenda_marks WHERE client_id = ?1",
                [a],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(marks(&book), 1);
    clients::delete(&mut book, a).unwrap();
    assert_eq!(about_a(&book), 0);
    assert_eq!(marks(&book), 0);
    let calls: i64 = book
        .conn()
        .query_row("SELECT count(*) FROM salon_calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls, 0);
    let p = page(&book, s, now);
    assert_eq!(p.funnel.invited, 1);
    assert_eq!(p.invitees[0].client_id, keep);
}

#[test]
fn item_ids_have_the_documented_shapes() {
    let (_dir, mut book) = fresh();
    let day = d(2025, 6, 16);
    let mut input = born("王建国", Calendar::Solar, "1960-06-16", false);
    input.starred = true;
    input.tier = Some(Tier::Vip);
    let a = add_client(&mut book, input);
    let f = family::add(
        &mut book,
        a,
        &FamilyInput {
            name: "郑美玲".into(),
            relation: Relation::Spouse,
            gender: None,
            birthday: Some(Birthday {
                calendar: Calendar::Lunar,
                date: lunar_date_of(day, 1962),
                leap: false,
            }),
            phone: None,
            notes: None,
        },
        day,
    )
    .unwrap()
    .id;
    let complaint = contacts::add(
        &mut book,
        a,
        &ContactInput {
            at: Some("2025-05-01 10:00".into()),
            channel: Channel::Visit,
            kind: ContactKind::Complaint,
            summary: "排队太久".into(),
            needs: None,
            follow_ups: vec![FollowUpInput {
                title: "回访".into(),
                due: "2025-06-16".into(),
            }],
            response_due: Some("2025-06-16".into()),
            resolution: None,
            resolved_at: None,
            satisfied: None,
        },
        at(d(2025, 5, 1), 12),
    )
    .unwrap();
    let s = salon(&mut book, "养老规划讲座", "2025-06-23 14:00", None);
    salons::invite(&mut book, s, &[a], day).unwrap();
    // A deposit maturing in the window, and a fund that fell past its stop-loss.
    let deposit = rapport::holdings::add(
        &mut book,
        a,
        &rapport::holdings::HoldingInput {
            product: "一年期定期".into(),
            kind: Some(rapport::holdings::HoldingKind::Deposit),
            amount: "100000".into(),
            bought_on: "2024-06-10".into(),
            maturity: Some("2025-06-10".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let fund = rapport::holdings::add(
        &mut book,
        a,
        &rapport::holdings::HoldingInput {
            product: "成长基金".into(),
            kind: Some(rapport::holdings::HoldingKind::Fund),
            amount: "100000".into(),
            bought_on: "2025-01-02".into(),
            stop_loss: Some("-5".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    rapport::holdings::set_value(&mut book, fund, "2025-05-20", "90000", d(2025, 5, 31)).unwrap();
    // 端午 2025 is 05-31; the Dragon Boat festival and the rest come from a two-month window.
    let agenda = agenda::for_days(
        &book,
        d(2025, 5, 31),
        17,
        at(d(2025, 5, 31), 9),
        &WorkCalendar::new(),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let date_ok = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
    let num_ok = |t: &str| t.parse::<i64>().is_ok_and(|n| n > 0);
    for item in &agenda.items {
        let parts: Vec<&str> = item.id.split('/').collect();
        let ok = match (item.kind, parts.as_slice()) {
            (ItemKind::SalonCall, [salon, client, round]) => {
                *salon == s.to_string()
                    && *client == a.to_string()
                    && ["r7", "r3", "r1"].contains(round)
                    && item.round.as_deref() == Some(*round)
            }
            (ItemKind::Complaint, ["complaint", id]) => *id == complaint.id.to_string(),
            (ItemKind::FollowUp, ["follow_up", id]) => {
                num_ok(id) && item.follow_up_id.map(|x| x.to_string()).as_deref() == Some(*id)
            }
            (ItemKind::Birthday, ["birthday", "client", id, date]) => {
                *id == a.to_string() && date_ok(date) && *date == item.due
            }
            (ItemKind::Birthday, ["birthday", "family", id, date]) => {
                *id == f.to_string() && date_ok(date) && *date == item.due
            }
            (ItemKind::Festival, ["festival", date, key]) => {
                date_ok(date)
                    && !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            }
            (ItemKind::Maturity, ["maturity", id, days]) => {
                *id == deposit.to_string()
                    && ["7", "1"].contains(days)
                    && item.holding_id == Some(deposit)
            }
            (ItemKind::Band, ["band", id, date]) => {
                *id == fund.to_string() && *date == "2025-05-20" && item.overdue
            }
            (ItemKind::Cadence, ["cadence", id, date]) => *id == a.to_string() && date_ok(date),
            (ItemKind::Watch, ["watch", id, date]) => *id == a.to_string() && *date == "2025-05-31",
            _ => false,
        };
        assert!(ok, "{:?} {}", item.kind, item.id);
        kinds.insert(item.kind);
    }
    assert_eq!(kinds.len(), ItemKind::ALL.len(), "every kind: {kinds:?}");
    // Ids are stable: the same agenda again gives the same ids.
    let again = agenda::for_days(
        &book,
        d(2025, 5, 31),
        17,
        at(d(2025, 5, 31), 9),
        &WorkCalendar::new(),
    )
    .unwrap();
    assert_eq!(ids_of(&again.items), ids_of(&agenda.items));
    // The book's own calendar is the built-in one until a schedule is imported.
    let cal = rapport::work_schedule::from_book(&book).unwrap();
    assert!(cal.is_working_day(d(2025, 9, 28)));
}

/// The lunar birthday (`YYYY-MM-DD` of lunar numbers, in `year`) that falls on `day` in its
/// own lunar year.
fn lunar_date_of(day: NaiveDate, year: i32) -> String {
    let l = lunar::to_lunar(day).unwrap();
    format!("{year:04}-{:02}-{:02}", l.month, l.day)
}

#[test]
fn a_demo_book_has_salons_past_and_coming_and_a_full_today() {
    let today = d(2026, 11, 30);
    let make = || {
        let (dir, mut book) = fresh();
        let sum = rapport::demo::populate(
            &mut book,
            &rapport::demo::DemoSpec {
                clients: 300,
                seed: 11,
                today,
                contacts: None,
            },
        )
        .unwrap();
        let dump: Vec<String> = book
            .conn()
            .prepare(
                "SELECT s.id || s.title || s.start || i.client_id || i.added_on
                        || coalesce(i.attended, '-') || i.guests
                        || coalesce((SELECT group_concat(call_id || response || done_on)
                                     FROM salon_calls c WHERE c.salon_id = s.id
                                     AND c.client_id = i.client_id), '')
                 FROM salons s JOIN salon_invitees i ON i.salon_id = s.id
                 ORDER BY s.id, i.client_id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (dir, book, sum, dump)
    };
    let (_d1, book, sum, dump) = make();
    let (_d2, _b2, sum2, dump2) = make();
    assert_eq!(
        (&sum, &dump),
        (&sum2, &dump2),
        "the same seed, the same salons"
    );
    assert_eq!(sum.salons, 20);
    assert!(sum.salon_invitees > 200, "{sum:?}");
    assert!(sum.salon_calls > 100, "{sum:?}");
    let count = |sql: &str| -> i64 { book.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    // Every invitee is in the salon's segment, and none is a lost client.
    assert_eq!(
        count(
            "SELECT count(*) FROM salon_invitees i JOIN salons s ON s.id = i.salon_id
             WHERE NOT EXISTS (SELECT 1 FROM client_segments g
                               WHERE g.client_id = i.client_id AND g.segment = s.segments)"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM salon_invitees i JOIN clients c ON c.id = i.client_id
             WHERE c.stage = 'lost'"
        ),
        0
    );
    // Each call made is in the client's timeline; all were made before today.
    assert_eq!(
        count(
            "SELECT count(*) FROM contacts WHERE summary LIKE '沙龙邀约「%' AND channel = 'phone'"
        ),
        i64::from(sum.salon_calls)
    );
    assert_eq!(
        count("SELECT count(*) FROM salon_calls WHERE done_on >= '2026-11-30'"),
        0
    );
    let titles: Vec<String> = salons::list(&book, today)
        .unwrap()
        .iter()
        .map(|r| r.salon.title.clone())
        .collect();
    for t in [
        "养老规划讲座",
        "家族财富传承",
        "花艺茶艺沙龙",
        "职场理财入门",
    ] {
        assert!(titles.iter().any(|x| x == t), "{t} in {titles:?}");
    }
    let now = at(today, 9);
    let cal = WorkCalendar::new();
    let mut past_with_guests = 0;
    for row in salons::list(&book, today).unwrap() {
        let s = &row.salon;
        let past = s.start.as_str() < "2026-11-30";
        // The records are what the plan asked for: no call it would not have made.
        let plan = salons::plan(book.conn(), s, now, &cal).unwrap();
        assert!(
            !plan.warnings.iter().any(|w| matches!(
                w,
                rapport::rules::invitations::InviteWarning::UnknownRecord { .. }
            )),
            "{}",
            s.title
        );
        let p = page(&book, s.id, now);
        for inv in &p.invitees {
            let done: Vec<&salons::RoundView> =
                inv.rounds.iter().filter(|r| r.state == "done").collect();
            for r in &done {
                assert_eq!(
                    r.done_on.as_deref(),
                    Some(r.due.as_str()),
                    "made on its day: {} {} {:?}",
                    s.start,
                    inv.added_on,
                    inv.rounds
                );
            }
            // Nothing after a decline; no middle round after a confirmation.
            let answers: Vec<(&str, CallResponse)> = done
                .iter()
                .map(|r| (r.round.as_str(), r.response.unwrap()))
                .collect();
            if let Some(k) = answers.iter().position(|a| a.1 == CallResponse::Declined) {
                assert_eq!(k + 1, answers.len(), "{answers:?}");
            }
            if answers.first() == Some(&("r7", CallResponse::Confirmed)) {
                assert!(answers.iter().all(|a| a.0 != "r3"), "{answers:?}");
            }
            assert_eq!(
                inv.attended.is_some(),
                past && inv.response != Some(CallResponse::Declined)
            );
        }
        if past {
            assert!(row.funnel.came > 0, "{}: {:?}", s.title, row.funnel);
            past_with_guests += u32::from(row.funnel.guests > 0);
        } else {
            assert_eq!(row.funnel.came, 0);
        }
    }
    assert!(past_with_guests > 0);
    // Today (a Monday) holds a call of every round, and every other kind of work but festivals.
    let agenda = agenda::for_days(&book, today, 1, now, &cal).unwrap();
    let rounds: std::collections::BTreeSet<String> = of_kind(&agenda.items, ItemKind::SalonCall)
        .into_iter()
        .filter(|i| !i.overdue)
        .map(|i| i.round.unwrap())
        .collect();
    assert_eq!(rounds.into_iter().collect::<Vec<_>>(), ["r1", "r3", "r7"]);
    for kind in [
        ItemKind::SalonCall,
        ItemKind::FollowUp,
        ItemKind::Birthday,
        ItemKind::Cadence,
        ItemKind::Watch,
    ] {
        assert!(agenda.count(kind) > 0, "{kind:?}");
    }
    // Handled follow-ups leave the page and its count as they leave the whole list; one
    // snoozed to a day gone by is back.
    let mut book = book;
    let follow_ups: Vec<String> = of_kind(&agenda.items, ItemKind::FollowUp)
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert!(follow_ups.len() >= 4, "{follow_ups:?}");
    let snooze = |until: NaiveDate| Mark::Snoozed {
        until: until.to_string(),
    };
    let earlier = today - Duration::days(5);
    for (id, mark, on) in [
        (&follow_ups[0], Mark::Done, today),
        (&follow_ups[1], Mark::Skipped, today),
        (&follow_ups[2], snooze(today + Duration::days(3)), today),
        (&follow_ups[3], snooze(today - Duration::days(1)), earlier),
    ] {
        agenda::mark(&mut book, id, &mark, on, None, now).unwrap();
    }
    // The same for the kinds a page reads from an index: the cadence and the watch list.
    let ids = |kind| -> Vec<String> {
        of_kind(&agenda.items, kind)
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    let (cadence, watch) = (ids(ItemKind::Cadence), ids(ItemKind::Watch));
    assert!(
        cadence.len() >= 3 && watch.len() >= 3,
        "{cadence:?} {watch:?}"
    );
    for (id, mark, on) in [
        (&cadence[0], Mark::Done, today),
        (&cadence[1], snooze(today + Duration::days(2)), today),
        (&cadence[2], snooze(today - Duration::days(1)), earlier),
        (&watch[0], Mark::Skipped, today),
        (&watch[1], snooze(today - Duration::days(1)), earlier),
    ] {
        agenda::mark(&mut book, id, &mark, on, None, now).unwrap();
    }
    let handled = agenda::for_days(&book, today, 1, now, &cal).unwrap();
    assert_eq!(
        handled.count(ItemKind::FollowUp) + 3,
        agenda.count(ItemKind::FollowUp)
    );
    assert_eq!(
        handled.count(ItemKind::Cadence) + 2,
        agenda.count(ItemKind::Cadence)
    );
    assert_eq!(
        handled.count(ItemKind::Watch) + 1,
        agenda.count(ItemKind::Watch)
    );
    // Today's page is the whole list cut to a few of each kind, with the same counts; a page of
    // none still counts everything (the tray's figure). The same holds for a week.
    for days in [1, 7] {
        let all = agenda::for_days(&book, today, days, now, &cal).unwrap();
        assert_eq!(
            all.totals.iter().map(|t| t.total as usize).sum::<usize>(),
            all.items.len()
        );
        for per_kind in [0, 1, 3, 50] {
            let page = agenda::page(&book, today, days, now, &cal, per_kind).unwrap();
            assert_eq!(page.totals, all.totals, "{days} days, {per_kind} a kind");
            let mut seen = std::collections::HashMap::new();
            let cut: Vec<&AgendaItem> = all
                .items
                .iter()
                .filter(|i| {
                    let n = seen.entry(i.kind).or_insert(0);
                    *n += 1;
                    *n <= per_kind
                })
                .collect();
            assert_eq!(
                page.items.iter().collect::<Vec<_>>(),
                cut,
                "{days} days, {per_kind} a kind"
            );
        }
    }
}

#[test]
fn the_last_call_follows_the_timeline() {
    let (_dir, mut book) = fresh();
    let id = add_client(&mut book, person("赵敏", Tier::Vip, &[]));
    let last_call = |book: &Book| -> Option<String> {
        book.conn()
            .query_row(
                "SELECT last_call_at FROM clients WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let contact = |day: NaiveDate, channel: Channel| ContactInput {
        at: Some(format!("{day} 10:00")),
        channel,
        kind: ContactKind::Note,
        summary: "联系".into(),
        needs: None,
        follow_ups: vec![],
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    };
    let now = at(d(2026, 6, 30), 12);
    let call = contacts::add(&mut book, id, &contact(d(2026, 5, 1), Channel::Phone), now)
        .unwrap()
        .id;
    contacts::add(&mut book, id, &contact(d(2026, 6, 1), Channel::Wechat), now).unwrap();
    assert_eq!(last_call(&book).as_deref(), Some("2026-05-01 10:00"));
    contacts::update(
        &mut book,
        call,
        &contact(d(2026, 5, 2), Channel::Visit),
        now,
    )
    .unwrap();
    assert_eq!(last_call(&book).as_deref(), Some("2026-05-02 10:00"));
    contacts::delete(&mut book, call).unwrap();
    assert_eq!(last_call(&book), None);
}

#[test]
fn birthdays_of_every_kind_match_the_rules_day_by_day() {
    // Lunar birthdays on the 1st, the 29th and the 30th of every month of twelve lunar years,
    // leap months included (1952, 1955, 1957, 1960), alternately a client's and a family
    // member's, and the solar days at the edges of months and years: each day of two years,
    // the agenda holds exactly the birthdays the rules put in its week.
    let (_dir, mut book) = fresh();
    let holder = add_client(&mut book, person("王建国", Tier::Vip, &[]));
    let mut people: Vec<(String, Birthday)> = Vec::new();
    let mut k = 0;
    let mut add = |book: &mut Book, date: String, calendar: Calendar, leap: bool| {
        let birthday = Birthday {
            calendar,
            date,
            leap,
        };
        k += 1;
        let who = if k % 2 == 0 {
            let id = add_client(
                book,
                ClientInput {
                    name: format!("客户{k}"),
                    birthday: Some(birthday.clone()),
                    ..Default::default()
                },
            );
            format!("client/{id}")
        } else {
            let member = FamilyInput {
                name: format!("家人{k}"),
                relation: Relation::Child,
                gender: None,
                birthday: Some(birthday.clone()),
                phone: None,
                notes: None,
            };
            let id = family::add(book, holder, &member, d(2026, 1, 1))
                .unwrap()
                .id;
            format!("family/{id}")
        };
        people.push((who, birthday));
    };
    for year in 1950..=1961 {
        for m in lunar::months_of_year(year).unwrap() {
            for day in [1, 29, m.days] {
                if day == 29 && m.days == 29 {
                    continue;
                }
                add(
                    &mut book,
                    format!("{year}-{:02}-{day:02}", m.month),
                    Calendar::Lunar,
                    m.leap,
                );
            }
        }
    }
    for date in [
        "1960-02-29",
        "1961-02-28",
        "1962-03-01",
        "1963-12-31",
        "1964-01-01",
    ] {
        add(&mut book, date.to_string(), Calendar::Solar, false);
    }
    let rules = rapport::rules::birthdays::BirthdayRules::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut day = d(2025, 1, 1);
    while day <= d(2026, 12, 31) {
        let mut want: Vec<String> = people
            .iter()
            .filter_map(|(who, b)| {
                let start = day - Duration::days(agenda::BIRTHDAY_GRACE_DAYS);
                let next = rapport::rules::birthdays::next_of(b, start, &rules).unwrap();
                (next.date.as_str() <= day.to_string().as_str())
                    .then(|| format!("birthday/{who}/{}", next.date))
            })
            .collect();
        want.sort();
        let mut got = ids_of(&birthdays_on(&book, day));
        got.sort();
        assert_eq!(got, want, "on {day}");
        seen.extend(got);
        day += Duration::days(1);
    }
    // Two years hold every birthday twice (three times for some seen late from late 2024).
    for (who, _) in &people {
        let times = seen
            .iter()
            .filter(|id| id.starts_with(&format!("birthday/{who}/")))
            .count();
        assert!((2..=3).contains(&times), "{who}: {times}");
    }
}
