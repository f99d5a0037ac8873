//! The calendar file on real books in temp dirs, read back by the `ical` crate (not the crate
//! that wrote it): stable UIDs across exports, lunar birthdays on their solar days, finished
//! items going out cancelled under the UID they had, alarms, the time zone, and any text.

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use rapport::agenda::{self, Mark};
use rapport::book::values::{Birthday, Calendar, Channel, ContactKind, Relation, Segment};
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, ContactInput, FollowUpInput};
use rapport::exchange::ics::{self, IcsExport};
use rapport::family::{self, FamilyInput};
use rapport::rules::lunar;
use rapport::salons::{self, CallResponse, SalonInput};
use rapport::{settings, Book};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 30);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

fn now() -> NaiveDateTime {
    at(today(), 9)
}

fn born(name: &str, calendar: Calendar, date: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        birthday: Some(Birthday {
            calendar,
            date: date.into(),
            leap: false,
        }),
        ..Default::default()
    }
}

/// A small book with one of every kind of reminder in the coming weeks.
struct Scene {
    _dir: TempDir,
    book: Book,
    wang: i64,
    li: i64,
    spouse: i64,
    salon: i64,
    follow_up: i64,
    complaint: i64,
}

fn scene() -> Scene {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let wang = clients::create(
        &mut book,
        &born("王芳", Calendar::Solar, "1966-12-05"),
        d(2026, 1, 5),
    )
    .unwrap()
    .id;
    let li = clients::create(
        &mut book,
        &born("李桂英", Calendar::Lunar, "1950-11-15"),
        d(2026, 1, 5),
    )
    .unwrap()
    .id;
    let spouse = family::add(
        &mut book,
        li,
        &FamilyInput {
            name: "赵国强".into(),
            relation: Relation::Spouse,
            gender: None,
            birthday: Some(Birthday {
                calendar: Calendar::Lunar,
                date: "1948-01-08".into(),
                leap: false,
            }),
            phone: None,
            notes: None,
        },
        d(2026, 1, 5),
    )
    .unwrap()
    .id;
    let salon = salons::create(
        &mut book,
        &SalonInput {
            title: "养老规划讲座".into(),
            theme: Some("健康与养老".into()),
            segments: vec![Segment::Retiree],
            start: "2026-12-10 14:00".into(),
            venue: Some("支行三楼贵宾室".into()),
            capacity: Some(30),
            notes: None,
        },
    )
    .unwrap()
    .id;
    salons::invite(&mut book, salon, &[wang, li], today()).unwrap();
    let follow_up = contacts::add_follow_up(
        &mut book,
        wang,
        None,
        &FollowUpInput {
            title: "寄送基金资料".into(),
            due: "2026-12-02".into(),
        },
    )
    .unwrap()
    .id;
    let complaint = contacts::add(
        &mut book,
        li,
        &ContactInput {
            at: Some("2026-11-28 10:00".into()),
            channel: Channel::Visit,
            kind: ContactKind::Complaint,
            summary: "排队太久，希望增加窗口".into(),
            needs: None,
            follow_ups: vec![],
            response_due: Some("2026-12-04".into()),
            resolution: None,
            resolved_at: None,
            satisfied: None,
        },
        at(d(2026, 11, 28), 12),
    )
    .unwrap()
    .id;
    Scene {
        _dir: dir,
        book,
        wang,
        li,
        spouse,
        salon,
        follow_up,
        complaint,
    }
}

/// A property's parameters as the `ical` crate gives them.
type Params = Vec<(String, Vec<String>)>;

/// One event as the `ical` crate reads it: properties by name (the last one wins) with their
/// parameters, and its alarms.
#[derive(Debug, Clone)]
struct Read {
    props: BTreeMap<String, (String, Params)>,
    alarms: Vec<BTreeMap<String, String>>,
}

impl Read {
    fn get(&self, name: &str) -> &str {
        self.props.get(name).map_or("", |p| p.0.as_str())
    }

    fn param(&self, name: &str, param: &str) -> Option<String> {
        let (_, params) = self.props.get(name)?;
        params
            .iter()
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.join(","))
    }

    fn text(&self, name: &str) -> String {
        unescape(self.get(name))
    }
}

/// The calendar as the `ical` crate reads it: events by UID, and the time zones' ids.
struct Parsed {
    events: BTreeMap<String, Read>,
    zones: Vec<String>,
}

fn parse(text: &str) -> Parsed {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("a calendar").expect("it parses");
    assert!(calendars.next().is_none(), "one calendar");
    let mut events = BTreeMap::new();
    for e in calendar.events {
        let mut props = BTreeMap::new();
        for p in e.properties {
            props.insert(
                p.name,
                (p.value.unwrap_or_default(), p.params.unwrap_or_default()),
            );
        }
        let alarms = e
            .alarms
            .into_iter()
            .map(|a| {
                a.properties
                    .into_iter()
                    .map(|p| (p.name, p.value.unwrap_or_default()))
                    .collect()
            })
            .collect();
        let read = Read { props, alarms };
        let uid = read.get("UID").to_string();
        assert!(
            events.insert(uid.clone(), read).is_none(),
            "UID {uid} twice"
        );
    }
    let zones = calendar
        .timezones
        .iter()
        .flat_map(|z| z.properties.iter())
        .filter(|p| p.name == "TZID")
        .filter_map(|p| p.value.clone())
        .collect();
    Parsed { events, zones }
}

/// RFC 5545 TEXT unescaped: what the `ical` crate leaves to its caller.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn export(book: &Book, dir: &Path, name: &str, from: NaiveDate, days: u32) -> (IcsExport, String) {
    let path = dir.join(name);
    let done = ics::export(book, from, days, at(from, 9), &path).unwrap();
    (done, std::fs::read_to_string(&path).unwrap())
}

/// Every line of the file: CRLF ends, 75 octets at most, no control characters.
fn lines_are_well_formed(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains(['\r', '\n']), "{line:?}");
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
    }
}

fn status_of<'a>(p: &'a Parsed, uid: &str) -> &'a str {
    p.events
        .get(uid)
        .unwrap_or_else(|| panic!("no {uid}"))
        .get("STATUS")
}

#[test]
fn two_exports_of_an_unchanged_book_are_the_same_file() {
    let s = scene();
    let dir = TempDir::new().unwrap();
    let (first, a) = export(&s.book, dir.path(), "a.ics", today(), 60);
    let (second, b) = export(&s.book, dir.path(), "b.ics", today(), 60);
    assert_eq!(a, b, "byte for byte");
    assert_eq!(first.events, second.events);
    assert_eq!(first.from, "2026-11-30");
    assert_eq!(first.days, 60);
    assert_eq!(first.cancelled, 0);
    let parsed = parse(&a);
    assert_eq!(parsed.events.len() as u32, first.events);
    let uids: BTreeSet<&String> = parsed.events.keys().collect();
    let expected = [
        format!("salon/{}@rapport", s.salon),
        format!("salon_call/{}/{}/r7@rapport", s.salon, s.wang),
        format!("salon_call/{}/{}/r3@rapport", s.salon, s.li),
        format!("salon_call/{}/{}/r1@rapport", s.salon, s.wang),
        format!("follow_up/{}@rapport", s.follow_up),
        format!("complaint/{}@rapport", s.complaint),
        format!("birthday/client/{}/2026-12-05@rapport", s.wang),
        "festival/2027-01-01/new_year@rapport".to_string(),
    ];
    for uid in &expected {
        assert!(uids.contains(uid), "{uid} missing from {uids:?}");
    }
    // A window that starts later still names the same reminders the same way.
    let (_, later) = export(&s.book, dir.path(), "c.ics", d(2026, 12, 2), 30);
    let later = parse(&later);
    let uid = format!("salon/{}@rapport", s.salon);
    assert_eq!(
        later.events[&uid].get("DTSTAMP"),
        parsed.events[&uid].get("DTSTAMP")
    );
    assert!(later
        .events
        .contains_key(&format!("follow_up/{}@rapport", s.follow_up)));
}

#[test]
fn every_event_reads_back_with_its_times_alarm_and_zone() {
    let s = scene();
    let dir = TempDir::new().unwrap();
    let (_, text) = export(&s.book, dir.path(), "a.ics", today(), 60);
    lines_are_well_formed(&text);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.contains("\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n"));
    assert!(text.contains("\r\nTZOFFSETTO:+0800\r\n"));
    let p = parse(&text);
    assert_eq!(p.zones, ["Asia/Shanghai"]);
    for (uid, e) in &p.events {
        for prop in [
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
            "SEQUENCE",
        ] {
            assert!(!e.get(prop).is_empty(), "{uid} has no {prop}");
        }
        assert!(e.get("DTSTAMP").ends_with('Z'), "{uid}");
        assert_eq!(e.get("STATUS"), "CONFIRMED", "{uid}");
        assert_eq!(e.get("SEQUENCE"), "0", "{uid}");
        assert_eq!(e.alarms.len(), 1, "{uid} has one alarm");
        assert_eq!(e.alarms[0]["ACTION"], "DISPLAY");
        assert!(!e.alarms[0]["DESCRIPTION"].is_empty());
        assert!(!e.alarms[0].contains_key("DTSTAMP"), "{uid}");
    }
    let salon = &p.events[&format!("salon/{}@rapport", s.salon)];
    assert_eq!(salon.get("DTSTART"), "20261210T140000");
    assert_eq!(
        salon.param("DTSTART", "TZID").as_deref(),
        Some("Asia/Shanghai")
    );
    assert_eq!(salon.get("DTEND"), "20261210T160000");
    assert_eq!(
        salon.param("DTEND", "TZID").as_deref(),
        Some("Asia/Shanghai")
    );
    assert_eq!(salon.text("LOCATION"), "支行三楼贵宾室");
    assert_eq!(salon.text("SUMMARY"), "沙龙：养老规划讲座");
    assert!(
        salon.text("DESCRIPTION").contains("客群：富裕晚年"),
        "{}",
        salon.text("DESCRIPTION")
    );
    assert_eq!(salon.alarms[0]["TRIGGER"], "-PT30M");
    let call = &p.events[&format!("salon_call/{}/{}/r7@rapport", s.salon, s.wang)];
    assert_eq!(call.get("DTSTART"), "20261203");
    assert_eq!(call.param("DTSTART", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(call.get("DTEND"), "20261204");
    assert_eq!(call.alarms[0]["TRIGGER"], "PT9H");
    assert_eq!(
        call.text("SUMMARY"),
        "沙龙邀约电话：王芳「养老规划讲座」（提前 7 天）"
    );
    let follow_up = &p.events[&format!("follow_up/{}@rapport", s.follow_up)];
    assert_eq!(follow_up.text("SUMMARY"), "待办：王芳");
    assert_eq!(
        follow_up.text("DESCRIPTION"),
        format!("待办：寄送基金资料\n事项编号：follow_up/{}", s.follow_up)
    );
    assert_eq!(follow_up.get("DTSTART"), "20261202");
    let complaint = &p.events[&format!("complaint/{}@rapport", s.complaint)];
    assert_eq!(complaint.get("DTSTART"), "20261204");
    assert!(complaint
        .text("DESCRIPTION")
        .starts_with("投诉答复期限：排队太久，希望增加窗口"));
    let birthday = &p.events[&format!("birthday/client/{}/2026-12-05@rapport", s.wang)];
    assert_eq!(birthday.text("SUMMARY"), "王芳 60 岁生日");
    assert_eq!(birthday.get("CLASS"), "PRIVATE");
    // No phone numbers or other profile facts: only what Today shows.
    assert!(!text.contains("PHONE") && !text.contains("ATTENDEE"));
}

#[test]
fn the_morning_notice_sets_the_alarm_of_day_reminders() {
    let mut s = scene();
    settings::set_morning_notice(&mut s.book, Some("08:30")).unwrap();
    let dir = TempDir::new().unwrap();
    let (_, text) = export(&s.book, dir.path(), "a.ics", today(), 60);
    let p = parse(&text);
    let e = &p.events[&format!("follow_up/{}@rapport", s.follow_up)];
    assert_eq!(e.alarms[0]["TRIGGER"], "PT8H30M");
}

#[test]
fn finished_items_go_out_cancelled_under_the_uid_they_had() {
    let mut s = scene();
    let dir = TempDir::new().unwrap();
    let (_, before) = export(&s.book, dir.path(), "a.ics", today(), 60);
    let before = parse(&before);
    // The salon is called off; a follow-up is ticked off, a birthday greeted, a call made, the
    // complaint answered.
    let later = at(d(2026, 12, 1), 15);
    salons::set_cancelled(&mut s.book, s.salon, true).unwrap();
    contacts::set_follow_up_done(&mut s.book, s.follow_up, true, later).unwrap();
    let birthday = format!("birthday/client/{}/2026-12-05", s.wang);
    agenda::mark(
        &mut s.book,
        &birthday,
        &Mark::Done,
        d(2026, 12, 1),
        None,
        later,
    )
    .unwrap();
    let mut answered = ContactInput {
        at: Some("2026-11-28 10:00".into()),
        channel: Channel::Visit,
        kind: ContactKind::Complaint,
        summary: "排队太久，希望增加窗口".into(),
        needs: None,
        follow_ups: vec![],
        response_due: Some("2026-12-04".into()),
        resolution: Some("已增设周末窗口".into()),
        resolved_at: Some("2026-12-01".into()),
        satisfied: Some(true),
    };
    contacts::update(&mut s.book, s.complaint, &answered, later).unwrap();
    let (done, after) = export(&s.book, dir.path(), "b.ics", today(), 60);
    lines_are_well_formed(&after);
    let after = parse(&after);
    // Nothing a calendar was given disappears: it is updated.
    for uid in before.events.keys() {
        assert!(after.events.contains_key(uid), "{uid} vanished");
    }
    let cancelled: Vec<&String> = after
        .events
        .iter()
        .filter(|(_, e)| e.get("STATUS") == "CANCELLED")
        .map(|(uid, _)| uid)
        .collect();
    assert_eq!(done.cancelled as usize, cancelled.len());
    let salon_uid = format!("salon/{}@rapport", s.salon);
    for uid in [
        salon_uid.clone(),
        format!("follow_up/{}@rapport", s.follow_up),
        format!("{birthday}@rapport"),
        format!("complaint/{}@rapport", s.complaint),
        format!("salon_call/{}/{}/r7@rapport", s.salon, s.wang),
        format!("salon_call/{}/{}/r1@rapport", s.salon, s.li),
    ] {
        let (was, now) = (&before.events[&uid], &after.events[&uid]);
        assert_eq!(now.get("STATUS"), "CANCELLED", "{uid}");
        assert_eq!(was.get("SEQUENCE"), "0", "{uid}");
        assert_eq!(now.get("SEQUENCE"), "1", "{uid}");
        assert!(now.get("DTSTAMP") >= was.get("DTSTAMP"), "{uid}");
        assert!(now.alarms.is_empty(), "{uid} still rings");
        assert_eq!(now.get("DTSTART"), was.get("DTSTART"), "{uid} moved");
    }
    assert!(after.events[&salon_uid]
        .text("SUMMARY")
        .starts_with("【已取消】"));
    assert!(after.events[&format!("follow_up/{}@rapport", s.follow_up)]
        .text("SUMMARY")
        .starts_with("【已完成】"));
    // The complaint taken back open is due again.
    answered.resolution = None;
    answered.resolved_at = None;
    answered.satisfied = None;
    contacts::update(&mut s.book, s.complaint, &answered, later).unwrap();
    let (_, again) = export(&s.book, dir.path(), "c.ics", today(), 60);
    let again = parse(&again);
    assert_eq!(
        status_of(&again, &format!("complaint/{}@rapport", s.complaint)),
        "CONFIRMED"
    );
}

#[test]
fn a_call_made_or_declined_goes_out_done_and_the_rounds_after_a_no_are_taken_back() {
    let mut s = scene();
    let dir = TempDir::new().unwrap();
    let (_, before) = export(&s.book, dir.path(), "a.ics", today(), 60);
    let before = parse(&before);
    let r7 = format!("{}/{}/r7", s.salon, s.li);
    salons::record_call(
        &mut s.book,
        &r7,
        CallResponse::Declined,
        d(2026, 12, 3),
        None,
        at(d(2026, 12, 3), 10),
    )
    .unwrap();
    // Seen on the day of the call: the agenda no longer lists Li's rounds.
    let (_, after) = export(&s.book, dir.path(), "b.ics", today(), 60);
    let after = parse(&after);
    for round in ["r7", "r3", "r1"] {
        let uid = format!("salon_call/{}/{}/{round}@rapport", s.salon, s.li);
        assert_eq!(status_of(&before, &uid), "CONFIRMED", "{uid}");
        assert_eq!(status_of(&after, &uid), "CANCELLED", "{uid}");
    }
    let uid = format!("salon_call/{}/{}/r7@rapport", s.salon, s.li);
    assert!(after.events[&uid].text("SUMMARY").starts_with("【已完成】"));
    assert_eq!(after.events[&uid].get("DTSTAMP"), "20261202T160000Z");
    // Wang's rounds are untouched.
    let uid = format!("salon_call/{}/{}/r3@rapport", s.salon, s.wang);
    assert_eq!(status_of(&after, &uid), "CONFIRMED");
}

#[test]
fn a_lunar_birthday_comes_on_its_solar_day_in_every_year_of_the_window() {
    let s = scene();
    let dir = TempDir::new().unwrap();
    let from = today();
    let days = 731;
    let to = from + chrono::Duration::days(i64::from(days) - 1);
    let (_, text) = export(&s.book, dir.path(), "a.ics", from, days);
    lines_are_well_formed(&text);
    let p = parse(&text);
    for (who, id, month, day) in [("client", s.li, 11, 15), ("family", s.spouse, 1, 8)] {
        let expected: Vec<NaiveDate> = (2025..=2029)
            .filter_map(|year| lunar::to_solar(year, month, day, false).ok())
            .filter(|solar| (from..=to).contains(solar))
            .collect();
        assert_eq!(expected.len(), 2, "two years in the window");
        let prefix = format!("birthday/{who}/{id}/");
        let found: Vec<(String, String)> = p
            .events
            .iter()
            .filter(|(uid, _)| uid.starts_with(&prefix))
            .map(|(uid, e)| (uid.clone(), e.get("DTSTART").to_string()))
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|day| {
                (
                    format!("{prefix}{day}@rapport"),
                    day.format("%Y%m%d").to_string(),
                )
            })
            .collect();
        assert_eq!(found, want, "{who}");
        for (uid, _) in &found {
            let e = &p.events[uid];
            assert!(e.text("SUMMARY").contains("（农历）"), "{uid}");
            assert!(!e.props.contains_key("RRULE"), "{uid}");
        }
    }
    // The solar birthday comes twice as well, on the same month and day.
    let solar: Vec<&String> = p
        .events
        .keys()
        .filter(|uid| uid.starts_with(&format!("birthday/client/{}/", s.wang)))
        .collect();
    assert_eq!(solar.len(), 2, "{solar:?}");
}

#[test]
fn a_zone_with_summer_time_gets_utc_times_and_no_vtimezone() {
    let mut s = scene();
    settings::set_time_zone(&mut s.book, "America/New_York").unwrap();
    let dir = TempDir::new().unwrap();
    let (_, text) = export(&s.book, dir.path(), "a.ics", today(), 60);
    let p = parse(&text);
    assert!(p.zones.is_empty());
    let salon = &p.events[&format!("salon/{}@rapport", s.salon)];
    // 14:00 in New York in December is 19:00 UTC.
    assert_eq!(salon.get("DTSTART"), "20261210T190000Z");
    assert_eq!(salon.param("DTSTART", "TZID"), None);
}

#[test]
fn a_window_of_no_days_or_of_more_than_two_years_is_refused() {
    let s = scene();
    let dir = TempDir::new().unwrap();
    for days in [0, ics::MAX_DAYS + 1] {
        let err =
            ics::export(&s.book, today(), days, now(), &dir.path().join("x.ics")).unwrap_err();
        assert!(
            matches!(&err, rapport::Error::Invalid { code, .. } if code == "days_out_of_range"),
            "{err:?}"
        );
    }
    assert!(!dir.path().join("x.ics").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial file"
    );
}

/// Text of every kind an advisor types: Chinese, emoji, the characters iCalendar escapes, line
/// breaks, spaces and ASCII.
fn typed(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("，".to_string()),
        Just(",".to_string()),
        Just(";".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just(":".to_string()),
        Just("\"".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just("🎂".to_string()),
        "[\u{4e00}-\u{9fa5}]{1,6}",
        "[a-zA-Z0-9]{1,4}",
    ];
    proptest::collection::vec(pieces, 1..max).prop_map(|p| {
        // The book trims what it stores; the first character must be something.
        format!("客{}户", p.concat())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn any_name_and_note_read_back_unchanged(name in typed(12), title in typed(40)) {
        let dir = TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
        let client = clients::create(
            &mut book,
            &ClientInput { name: name.clone(), ..Default::default() },
            today(),
        )
        .unwrap()
        .id;
        let f = contacts::add_follow_up(
            &mut book,
            client,
            None,
            &FollowUpInput { title: title.clone(), due: "2026-12-02".into() },
        )
        .unwrap()
        .id;
        let (_, text) = export(&book, dir.path(), "a.ics", today(), 10);
        lines_are_well_formed(&text);
        let p = parse(&text);
        let e = &p.events[&format!("follow_up/{f}@rapport")];
        prop_assert_eq!(e.text("SUMMARY"), format!("待办：{name}"));
        prop_assert_eq!(e.text("DESCRIPTION"), format!("待办：{title}\n事项编号：follow_up/{f}"));
        prop_assert_eq!(unescape(&e.alarms[0]["DESCRIPTION"]), format!("待办：{name}"));
    }
}

fn rapport(book: &Path, lang: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("RAPPORT_BOOK")
        .env("RAPPORT_TODAY", "2026-11-30")
        .output()
        .expect("run rapport")
}

#[test]
fn the_command_line_writes_the_file_and_says_what_it_wrote() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("demo.rapport");
    let made = rapport(&book, "C", &["demo", "--clients", "40", "--seed", "3"]);
    assert!(made.status.success(), "{made:?}");
    let out = dir.path().join("提醒.ics");
    let out_text = out.to_str().unwrap();
    let run = rapport(&book, "C", &["ics", "--out", out_text, "--json"]);
    assert!(run.status.success(), "{run:?}");
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["path"], out_text);
    assert_eq!(v["from"], "2026-11-30");
    assert_eq!(v["days"], 60);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        v["events"].as_u64().unwrap() as usize,
        parse(&text).events.len()
    );
    let run = rapport(
        &book,
        "C",
        &[
            "ics",
            "--out",
            out_text,
            "--from",
            "2027-01-01",
            "--days",
            "7",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (v["from"].as_str(), v["days"].as_u64()),
        (Some("2027-01-01"), Some(7))
    );
    let bad = rapport(
        &book,
        "zh_CN.UTF-8",
        &["ics", "--out", out_text, "--days", "800"],
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("天数须在 1–731 天之间"), "{err}");
}
