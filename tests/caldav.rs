//! CalDAV sync against a real server: Radicale (from PyPI, as CI installs it) on loopback, with
//! a password. What the calendar holds is read from Radicale's own storage folder and parsed by
//! the `ical` crate, not through the client under test. Twice over, with no duplicates and
//! nothing stale; changes on the phone; a server that is down, then back; a wrong password;
//! the advisor's own events in the same calendar left alone.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::book::values::{Birthday, Calendar};
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, FollowUpInput};
use rapport::exchange::caldav::{self, SyncReport};
use rapport::{Book, Error};
use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const USER: &str = "advisor";
const PASSWORD: &str = "密码 secret";

/// A Radicale server of its own, stopped when dropped.
struct Radicale {
    dir: TempDir,
    port: u16,
    child: Option<Child>,
}

impl Radicale {
    fn start() -> Radicale {
        let dir = TempDir::new().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::write(dir.path().join("users"), format!("{USER}:{PASSWORD}\n")).unwrap();
        std::fs::write(
            dir.path().join("config"),
            format!(
                "[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\n\
                 htpasswd_filename = {users}\nhtpasswd_encryption = plain\n\
                 [storage]\nfilesystem_folder = {store}\n[logging]\nlevel = warning\n",
                users = dir.path().join("users").display(),
                store = dir.path().join("store").display(),
            ),
        )
        .unwrap();
        let mut radicale = Radicale {
            dir,
            port,
            child: None,
        };
        radicale.resume();
        radicale
    }

    /// Start the server (again), on the same port and storage.
    fn resume(&mut self) {
        let child = Command::new("python3")
            .args(["-m", "radicale", "--config"])
            .arg(self.dir.path().join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m radicale (pip install radicale, as scripts/setup.sh does)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "Radicale did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stop the server: the calendar is unreachable until [`Radicale::resume`].
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/{USER}/rapport/", self.port)
    }

    /// The calendar's folder in Radicale's storage.
    fn folder(&self) -> PathBuf {
        self.dir
            .path()
            .join("store/collection-root")
            .join(USER)
            .join("rapport")
    }

    /// The events the calendar holds, by UID, read from Radicale's storage by the `ical` crate.
    fn events(&self) -> BTreeMap<String, Event> {
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(self.folder()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("ics") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for calendar in ical::IcalParser::new(std::io::BufReader::new(text.as_bytes())) {
                for e in calendar.expect("Radicale's copy parses").events {
                    let props: BTreeMap<String, String> = e
                        .properties
                        .into_iter()
                        .map(|p| (p.name, p.value.unwrap_or_default()))
                        .collect();
                    let uid = props["UID"].clone();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let before = out.insert(uid.clone(), Event { name, props });
                    assert!(before.is_none(), "{uid} is in the calendar twice");
                }
            }
        }
        out
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.stop();
    }
}

#[derive(Debug)]
struct Event {
    name: String,
    props: BTreeMap<String, String>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap()
}

fn born(name: &str, date: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        birthday: Some(Birthday {
            calendar: Calendar::Solar,
            date: date.into(),
            leap: false,
        }),
        ..Default::default()
    }
}

fn sync(book: &mut Book, url: &str, now: NaiveDateTime) -> Result<SyncReport, Error> {
    caldav::sync(book, url, USER, PASSWORD, now, |_, _| {})
}

fn counts(r: &SyncReport) -> (u32, u32, u32, u32, u32) {
    (r.created, r.updated, r.deleted, r.unchanged, r.pending)
}

fn book_in(dir: &Path) -> Book {
    Book::open(&dir.join("book.rapport")).unwrap()
}

#[test]
fn a_round_trip_twice_leaves_no_duplicate_and_nothing_stale() {
    let server = Radicale::start();
    let dir = TempDir::new().unwrap();
    let mut book = book_in(dir.path());
    let today = d(2026, 12, 1);
    let wang = clients::create(&mut book, &born("王芳", "1966-12-05"), today)
        .unwrap()
        .id;
    let li = clients::create(&mut book, &born("李桂英", "1950-12-20"), today)
        .unwrap()
        .id;
    let follow_up = contacts::add_follow_up(
        &mut book,
        wang,
        None,
        &FollowUpInput {
            title: "寄送基金资料, 带上; 分号".into(),
            due: "2026-12-03".into(),
        },
    )
    .unwrap()
    .id;

    // The first sync creates the calendar and every reminder in it.
    let first = sync(&mut book, &server.url(), at(today, 9)).unwrap();
    let events = server.events();
    let n = events.len() as u32;
    assert_eq!(counts(&first), (n, 0, 0, 0, 0), "{first:?}");
    // Two birthdays, the follow-up, and the festivals of the window (greetings to send).
    let festivals = events.keys().filter(|k| k.starts_with("festival/")).count() as u32;
    assert_eq!(n, 3 + festivals, "{:?}", events.keys());
    assert!(
        events[&format!("birthday/client/{wang}/2026-12-05@rapport")].props["SUMMARY"]
            .starts_with("王芳")
    );
    let sent = &events[&format!("follow_up/{follow_up}@rapport")];
    assert_eq!(sent.name, format!("rapport-follow_up.{follow_up}.ics"));
    assert_eq!(sent.props["STATUS"], "CONFIRMED");
    let stamps: Vec<_> = std::fs::read_dir(server.folder())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();

    // The second sends nothing: the calendar holds the book as it is.
    let second = sync(&mut book, &server.url(), at(today, 10)).unwrap();
    assert_eq!(counts(&second), (0, 0, 0, n, 0));
    let again: Vec<_> = std::fs::read_dir(server.folder())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();
    assert_eq!(stamps, again, "nothing was written again");
    assert_eq!(server.events().len() as u32, n);

    // Changes in the book: a follow-up done, a client gone, a new one.
    contacts::set_follow_up_done(&mut book, follow_up, true, at(today, 11)).unwrap();
    clients::delete(&mut book, li).unwrap();
    let zhao = clients::create(&mut book, &born("赵敏", "1980-12-24"), today)
        .unwrap()
        .id;
    let third = sync(&mut book, &server.url(), at(today, 12)).unwrap();
    // One client came and one went, so the festivals' greeting lists are as they were.
    assert_eq!(counts(&third), (1, 1, 1, n - 2, 0), "{third:?}");
    let events = server.events();
    assert_eq!(events.len() as u32, n, "{:?}", events.keys());
    assert!(!events.contains_key(&format!("birthday/client/{li}/2026-12-20@rapport")));
    assert!(events.contains_key(&format!("birthday/client/{zhao}/2026-12-24@rapport")));
    assert_eq!(
        events[&format!("follow_up/{follow_up}@rapport")].props["STATUS"],
        "CANCELLED",
        "a done follow-up goes out cancelled under the UID it had"
    );

    // A book that forgot what it sent (restored from a backup taken before) finds the calendar
    // holding its reminders already: it writes them over, and duplicates nothing.
    book.conn()
        .execute("DELETE FROM calendar_sync", [])
        .unwrap();
    let fourth = sync(&mut book, &server.url(), at(today, 13)).unwrap();
    assert_eq!(counts(&fourth), (0, n, 0, 0, 0), "{fourth:?}");
    assert_eq!(server.events().len() as u32, n);
    let fifth = sync(&mut book, &server.url(), at(today, 14)).unwrap();
    assert_eq!(counts(&fifth), (0, 0, 0, n, 0));
}

#[test]
fn the_book_wins_over_changes_on_the_phone_and_the_advisors_own_events_stay() {
    let server = Radicale::start();
    let dir = TempDir::new().unwrap();
    let mut book = book_in(dir.path());
    let today = d(2026, 12, 1);
    let wang = clients::create(&mut book, &born("王芳", "1966-12-05"), today)
        .unwrap()
        .id;
    let first = sync(&mut book, &server.url(), at(today, 9)).unwrap();
    let name = format!("rapport-birthday.client.{wang}.2026-12-05.ics");
    let uid = format!("birthday/client/{wang}/2026-12-05@rapport");
    let summary = server.events()[&uid].props["SUMMARY"].clone();
    let calendar = caldav::Calendar::new(&server.url(), USER, PASSWORD).unwrap();

    // Edited on the phone: written back as the book has it.
    let mine = std::fs::read_to_string(server.folder().join(&name)).unwrap();
    let edited = mine.replace(&summary, "改过的");
    calendar.overwrite(&name, &edited).unwrap();
    assert_eq!(server.events()[&uid].props["SUMMARY"], "改过的");
    // The advisor's own event in the same calendar.
    let dentist = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\n\
        UID:dentist-1\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261207\r\n\
        SUMMARY:看牙\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    calendar.overwrite("dentist.ics", dentist).unwrap();

    let report = sync(&mut book, &server.url(), at(today, 10)).unwrap();
    assert_eq!(
        counts(&report),
        (0, 1, 0, first.created - 1, 0),
        "{report:?}"
    );
    let events = server.events();
    assert_eq!(events[&uid].props["SUMMARY"], summary);
    assert_eq!(
        events["dentist-1"].props["SUMMARY"], "看牙",
        "not Rapport's: left alone"
    );

    // Deleted on the phone: made again.
    calendar.delete(&name, None).unwrap();
    let report = sync(&mut book, &server.url(), at(today, 11)).unwrap();
    assert_eq!(
        counts(&report),
        (1, 0, 0, first.created - 1, 0),
        "{report:?}"
    );
    assert_eq!(server.events().len() as u32, first.created + 1);

    // Days later the birthday is past: it stays in the calendar as history, untouched.
    let later = sync(&mut book, &server.url(), at(d(2026, 12, 9), 9)).unwrap();
    assert_eq!((later.deleted, later.pending), (0, 0), "{later:?}");
    let events = server.events();
    assert_eq!(events[&uid].props["SUMMARY"], summary);
}

#[test]
fn a_server_that_is_down_keeps_the_changes_pending_until_it_is_back() {
    let mut server = Radicale::start();
    let dir = TempDir::new().unwrap();
    let mut book = book_in(dir.path());
    let today = d(2026, 12, 1);
    clients::create(&mut book, &born("王芳", "1966-12-05"), today).unwrap();
    sync(&mut book, &server.url(), at(today, 9)).unwrap();
    let plan = caldav::plan(&book, &server.url(), at(today, 10)).unwrap();
    assert_eq!(plan.pending(), 0, "all sent");

    server.stop();
    let zhao = clients::create(&mut book, &born("赵敏", "1980-12-24"), today)
        .unwrap()
        .id;
    let e = sync(&mut book, &server.url(), at(today, 10)).unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { code, .. } if code == "caldav_offline"),
        "{e:?}"
    );
    let last = caldav::last(&book).unwrap().unwrap();
    assert_eq!(last.error.as_deref(), Some("caldav_offline"));
    // The new client's birthday, and the festivals whose greeting lists now name her.
    let plan = caldav::plan(&book, &server.url(), at(today, 10)).unwrap();
    assert!(plan.pending() >= 1);
    assert_eq!(last.pending, plan.pending(), "{last:?}");

    server.resume();
    let back = sync(&mut book, &server.url(), at(today, 11)).unwrap();
    assert_eq!(
        (back.created, back.updated, back.deleted, back.pending),
        (1, plan.pending() - 1, 0, 0),
        "{back:?}"
    );
    assert_eq!(
        back.created + back.updated + back.unchanged,
        plan.reminders()
    );
    assert!(server
        .events()
        .contains_key(&format!("birthday/client/{zhao}/2026-12-24@rapport")));
    assert_eq!(caldav::last(&book).unwrap().unwrap().error, None);
}

#[test]
fn a_wrong_password_is_said_and_changes_nothing() {
    let server = Radicale::start();
    let dir = TempDir::new().unwrap();
    let mut book = book_in(dir.path());
    let today = d(2026, 12, 1);
    clients::create(&mut book, &born("王芳", "1966-12-05"), today).unwrap();
    let e = caldav::sync(
        &mut book,
        &server.url(),
        USER,
        "wrong",
        at(today, 9),
        |_, _| {},
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { code, .. } if code == "caldav_unauthorized"),
        "{e:?}"
    );
    assert!(!server.folder().exists(), "no calendar was made");
    let e = caldav::sync(
        &mut book,
        "ftp://x/",
        USER,
        PASSWORD,
        at(today, 9),
        |_, _| {},
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { code, .. } if code == "caldav_url"),
        "{e:?}"
    );
}

#[test]
fn the_password_is_kept_only_in_an_encrypted_book() {
    let dir = TempDir::new().unwrap();
    let mut plain = book_in(dir.path());
    let account = caldav::set_account(&mut plain, "https://dav.example.com/cal/", USER).unwrap();
    // This machine may have no keyring: then the password is kept nowhere, never in the book.
    let kept = caldav::keep_password(&mut plain, &account, "pw").unwrap();
    assert_ne!(kept, caldav::Kept::Book);
    assert!(!caldav::account(&plain).unwrap().unwrap().password_in_book);
    assert!(caldav::password_in_book(&plain).unwrap().is_none());

    let path = dir.path().join("locked.rapport");
    let passphrase = rapport::book::Passphrase::new_to_set("a long passphrase here").unwrap();
    let mut locked = Book::open_with(&path, Some(&passphrase)).unwrap();
    let account = caldav::set_account(&mut locked, "https://dav.example.com/cal/", USER).unwrap();
    let kept = caldav::keep_password(&mut locked, &account, "pw").unwrap();
    assert_eq!(kept, caldav::Kept::Book);
    assert!(caldav::account(&locked).unwrap().unwrap().password_in_book);
    assert_eq!(
        caldav::password(&locked, &account)
            .unwrap()
            .as_deref()
            .map(String::as_str),
        Some("pw")
    );
    // Another user at the calendar: the password kept for the first is not theirs.
    caldav::set_account(&mut locked, "https://dav.example.com/cal/", "other").unwrap();
    assert!(caldav::password_in_book(&locked).unwrap().is_none());
    let account = caldav::set_account(&mut locked, "https://dav.example.com/cal/", USER).unwrap();
    caldav::keep_password(&mut locked, &account, "pw").unwrap();
    assert_eq!(
        caldav::password_in_book(&locked)
            .unwrap()
            .as_deref()
            .map(String::as_str),
        Some("pw")
    );
    caldav::forget_account(&mut locked).unwrap();
    assert!(caldav::account(&locked).unwrap().is_none());
    assert!(caldav::password_in_book(&locked).unwrap().is_none());
}

/// `rapport` on a book file, as a script runs it: the password from the environment.
fn cli(book: &Path, args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.arg("--book")
        .arg(book)
        .args(args)
        .env("RAPPORT_TODAY", "2026-12-01")
        .env_remove("RAPPORT_BOOK")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null());
    match password {
        Some(p) => cmd.env("RAPPORT_CALDAV_PASSWORD", p),
        None => cmd.env_remove("RAPPORT_CALDAV_PASSWORD"),
    };
    cmd.output().unwrap()
}

#[test]
fn the_command_line_syncs_twice_and_says_what_went_wrong() {
    let server = Radicale::start();
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut book = Book::open(&path).unwrap();
    clients::create(&mut book, &born("王芳", "1966-12-05"), d(2026, 12, 1)).unwrap();
    drop(book);
    let url = server.url();
    let args = ["--json", "caldav", "sync", "--url", &url, "--user", USER];

    let out = cli(&path, &args, Some(PASSWORD));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = server.events().len() as u64;
    assert!(n >= 1);
    assert_eq!(first["created"], n);
    assert_eq!(first["pending"], 0);

    // The second time the book knows its calendar: no URL or user needed.
    let out = cli(&path, &["--json", "caldav", "sync"], Some(PASSWORD));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (second["created"].clone(), second["unchanged"].clone()),
        (0.into(), n.into())
    );
    assert_eq!(server.events().len() as u64, n);

    // A wrong password: exit 1, a sentence, the code in JSON.
    let out = cli(&path, &["caldav", "sync"], Some("wrong"));
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("refused this user or password"), "{said}");
    let out = cli(&path, &["--json", "caldav", "sync"], Some("wrong"));
    let e: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["code"], "caldav_unauthorized");

    // No password anywhere and no terminal: told how to give one.
    let out = cli(&path, &["caldav", "sync"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("RAPPORT_CALDAV_PASSWORD"));

    let out = cli(&path, &["--json", "caldav", "status"], None);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["account"]["url"], url);
    assert_eq!(status["pending"], 0);
    assert_eq!(status["last"]["error"], "caldav_unauthorized");
}
