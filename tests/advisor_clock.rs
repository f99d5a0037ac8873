//! The advisor's day comes from the zone kept in the book, not from the computer's zone: a
//! laptop set to UTC still logs a 07:30 Beijing call on the right day.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rapport::book::values::{Birthday, Calendar, Channel, ContactKind};
use rapport::clients::{self, ClientInput};
use rapport::clock::{advisor_now, advisor_today};
use rapport::contacts::{self, ContactInput};
use rapport::settings::{self, Settings, DEFAULT_TIME_ZONE};
use rapport::{Book, Error};
use std::process::Command;
use tempfile::TempDir;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn call(at: Option<&str>) -> ContactInput {
    ContactInput {
        at: at.map(String::from),
        channel: Channel::Phone,
        kind: ContactKind::Note,
        summary: "早上电话".into(),
        needs: None,
        follow_ups: vec![],
        response_due: None,
        resolution: None,
        resolved_at: None,
        satisfied: None,
    }
}

/// 2026-11-29T23:30Z: 23:30 on the 29th for a laptop on UTC, 07:30 on the 30th in Beijing.
const MORNING: &str = "2026-11-29T23:30:00Z";

#[test]
fn a_0730_beijing_call_is_today_on_a_laptop_set_to_utc() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let zone = settings::time_zone(&book).unwrap();
    let now = advisor_now(utc(MORNING), zone);
    assert_eq!(now.to_string(), "2026-11-30 07:30:00");
    assert_eq!(advisor_today(utc(MORNING), zone), d(2026, 11, 30));

    let client = clients::create(
        &mut book,
        &ClientInput {
            name: "王芳".into(),
            birthday: Some(Birthday {
                calendar: Calendar::Solar,
                date: "1970-11-30".into(),
                leap: false,
            }),
            ..Default::default()
        },
        now.date(),
    )
    .unwrap();
    let logged = contacts::add(&mut book, client.id, &call(Some("2026-11-30 07:30")), now);
    assert!(logged.is_ok(), "{logged:?}");
    // A contact without a time is stored on the advisor's day, not the machine's.
    let untimed = contacts::add(&mut book, client.id, &call(None), now).unwrap();
    assert!(untimed.at.starts_with("2026-11-30"), "{}", untimed.at);
    // The birthday is today, not "1 day to go".
    let page = clients::profile(&book, client.id, now.date()).unwrap();
    assert_eq!(page.next_birthday.unwrap().days_until, 0);

    // What the machine's zone gave before: the same call refused as in the future.
    let machine = utc(MORNING).naive_utc();
    assert_eq!(
        contacts::add(
            &mut book,
            client.id,
            &call(Some("2026-11-30 07:30")),
            machine
        )
        .unwrap_err(),
        Error::invalid("at", "date_in_future")
    );
}

#[test]
fn a_new_book_is_on_beijing_time_and_keeps_the_zone_it_is_given() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    assert_eq!(DEFAULT_TIME_ZONE, Tz::Asia__Shanghai);
    assert_eq!(
        settings::get(&book).unwrap(),
        Settings {
            time_zone: "Asia/Shanghai".into(),
            morning_notice: None,
            auto_lock_minutes: settings::DEFAULT_AUTO_LOCK_MINUTES,
            maturity_notice_days: vec![7, 1],
        }
    );
    let locks = settings::set_auto_lock_minutes(&mut book, 0).unwrap();
    assert_eq!(locks.auto_lock_minutes, 0);
    assert_eq!(
        settings::set_auto_lock_minutes(&mut book, 241).unwrap_err(),
        Error::invalid_with("auto_lock_minutes", "minutes_out_of_range", "0–240")
    );
    assert_eq!(settings::auto_lock_minutes(&book).unwrap(), 0);
    // The morning notice is off until the advisor sets a time; a bad time changes nothing.
    let on = settings::set_morning_notice(&mut book, Some("08:30")).unwrap();
    assert_eq!(on.morning_notice.as_deref(), Some("08:30"));
    assert_eq!(
        settings::set_morning_notice(&mut book, Some("8点半")).unwrap_err(),
        Error::invalid_with("morning_notice", "time_invalid", "HH:MM")
    );
    assert_eq!(
        settings::get(&book).unwrap().morning_notice.as_deref(),
        Some("08:30")
    );
    assert_eq!(
        settings::set_morning_notice(&mut book, None)
            .unwrap()
            .morning_notice,
        None
    );
    let set = settings::set_time_zone(&mut book, "Europe/London").unwrap();
    assert_eq!(set.time_zone, "Europe/London");
    drop(book);

    let mut book = Book::open(&path).unwrap();
    assert_eq!(settings::time_zone(&book).unwrap(), Tz::Europe__London);
    // Typed in another case, kept under its proper name.
    let set = settings::set_time_zone(&mut book, " asia/shanghai ").unwrap();
    assert_eq!(set.time_zone, "Asia/Shanghai");
}

#[test]
fn an_unknown_zone_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    settings::set_time_zone(&mut book, "Asia/Hong_Kong").unwrap();
    for bad in ["Mars/Olympus", "", "+08:00", "Beijing"] {
        assert_eq!(
            settings::set_time_zone(&mut book, bad).unwrap_err(),
            Error::invalid("time_zone", "time_zone_unknown"),
            "{bad:?}"
        );
    }
    assert_eq!(settings::get(&book).unwrap().time_zone, "Asia/Hong_Kong");
}

#[test]
fn a_zone_with_summer_time_moves_by_the_season() {
    let london = settings::parse_time_zone("Europe/London").unwrap();
    assert_eq!(
        advisor_now(utc("2026-07-15T23:30:00Z"), london).to_string(),
        "2026-07-16 00:30:00",
        "BST is UTC+1: already tomorrow"
    );
    assert_eq!(
        advisor_today(utc("2026-01-15T23:30:00Z"), london),
        d(2026, 1, 15),
        "GMT in winter: still today"
    );
    // Beijing has no summer time: +8 all year.
    let beijing = DEFAULT_TIME_ZONE;
    assert_eq!(
        advisor_now(utc("2026-07-15T16:00:00Z"), beijing).to_string(),
        "2026-07-16 00:00:00"
    );
}

#[test]
fn rows_are_stamped_in_the_books_zone() {
    let dir = TempDir::new().unwrap();
    let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
    let created_in = |book: &mut Book, zone: &str| {
        settings::set_time_zone(book, zone).unwrap();
        let c = clients::create(
            book,
            &ClientInput {
                name: "张伟".into(),
                ..Default::default()
            },
            d(2026, 11, 30),
        );
        NaiveDate::parse_from_str(&c.unwrap().created_at[..10], "%Y-%m-%d").unwrap()
    };
    // UTC+14 and UTC-11 are 25 hours apart: never the same day.
    let ahead = created_in(&mut book, "Pacific/Kiritimati");
    let behind = created_in(&mut book, "Pacific/Pago_Pago");
    assert!(ahead > behind, "{ahead} should be after {behind}");
}

fn rapport(book: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .args(args)
        // The machine's zone must not matter, nor a pinned day from outside.
        .env("TZ", "UTC")
        .env("RAPPORT_TODAY", "2026-11-30")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run rapport");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn the_cli_shows_and_sets_the_zone_and_dates_by_the_pinned_day() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    assert!(rapport(&book, &["init"]).0);
    let (ok, out, err) = rapport(&book, &["--json", "settings"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"time_zone": "Asia/Shanghai", "morning_notice": null, "auto_lock_minutes": 10,
                           "maturity_notice_days": [7, 1]})
    );
    let (ok, out, err) = rapport(&book, &["--json", "settings", "--auto-lock", "30"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["auto_lock_minutes"], 30);

    let (ok, out, err) = rapport(&book, &["settings", "--time-zone", "Europe/London"]);
    assert!(ok, "{err}");
    assert!(out.contains("Europe/London"), "{out}");
    let (ok, _, err) = rapport(&book, &["settings", "--time-zone", "Mars/Olympus"]);
    assert!(
        !ok && err.contains("unknown time zone; write a name such as Asia/Shanghai"),
        "{err}"
    );
    let (ok, _, err) = rapport(
        &book,
        &["--json", "settings", "--time-zone", "Mars/Olympus"],
    );
    let v: serde_json::Value = serde_json::from_str(&err).unwrap();
    assert!(!ok && v["error"]["code"] == "time_zone_unknown", "{err}");
    let (_, out, _) = rapport(&book, &["--json", "settings"]);
    assert!(out.contains("Europe/London"), "unchanged: {out}");

    // RAPPORT_TODAY pins the day of a contact logged without a time.
    let (ok, out, err) = rapport(&book, &["--json", "clients", "add", "--name", "李明"]);
    assert!(ok, "{err}");
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"].to_string();
    let (ok, out, err) = rapport(&book, &["--json", "log", &id, "--summary", "回访"]);
    assert!(ok, "{err}");
    let contact: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        contact["at"].as_str().unwrap().starts_with("2026-11-30 "),
        "{contact}"
    );
}
