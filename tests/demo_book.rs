//! The demo book never mixes with a real one: it has its own file beside the real book, it says
//! it is a demo, and made-up clients never go into a book that holds real ones. On real files
//! in temp dirs, through the core and through the `rapport` CLI.

use chrono::NaiveDate;
use rapport::book::{self, demo_path};
use rapport::clients::{self, ClientInput};
use rapport::{demo, settings, Book, Error};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn spec(clients: u32) -> demo::DemoSpec {
    demo::DemoSpec {
        clients,
        seed: 7,
        today: today(),
        contacts: None,
    }
}

fn person(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

/// Run `rapport --book BOOK ARGS` as a script would, whatever the caller's `RAPPORT_BOOK`.
fn rapport(book: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .args(args)
        .env("RAPPORT_TODAY", "2026-11-30")
        .env_remove("RAPPORT_BOOK")
        // Errors are sentences in the system's language: pin it.
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap()
}

#[test]
fn the_demo_book_lives_beside_the_real_one_and_never_in_its_file() {
    let cases: &[(&str, &str)] = &[
        (
            "/home/a/.local/share/rapport/book.rapport",
            "/home/a/.local/share/rapport/demo.rapport",
        ),
        ("/data/客户簿.rapport", "/data/demo.rapport"),
        ("/data/demo.rapport", "/data/demo-2.rapport"),
        // The same file where names ignore letter case (macOS, Windows).
        ("/data/Demo.RAPPORT", "/data/demo-2.rapport"),
        ("/data/demo-2.rapport", "/data/demo.rapport"),
        ("book.rapport", "demo.rapport"),
        ("demo.rapport", "demo-2.rapport"),
    ];
    for (real, demo) in cases {
        let got = demo_path(Path::new(real));
        assert_eq!(got, PathBuf::from(demo), "{real}");
        assert_ne!(got, PathBuf::from(real));
        // Never the real file again, however often it is asked.
        assert_ne!(demo_path(&got), got);
    }
    assert_ne!(
        demo_path(&book::resolve_path(None)),
        book::resolve_path(None)
    );
}

#[test]
fn a_demo_book_is_marked_and_a_real_book_never_is() {
    let dir = TempDir::new().unwrap();
    let real_path = dir.path().join("book.rapport");
    let mut real = Book::open(&real_path).unwrap();
    assert!(!settings::is_demo(&real).unwrap(), "a new empty book");
    clients::create(&mut real, &person("张伟华"), today()).unwrap();
    settings::set_time_zone(&mut real, "Europe/London").unwrap();
    assert!(!settings::is_demo(&real).unwrap(), "a book in use");
    drop(real);
    assert!(!settings::is_demo(&Book::open_existing(&real_path).unwrap()).unwrap());

    let demo_file = demo_path(&real_path);
    let mut made = Book::open(&demo_file).unwrap();
    let sum = demo::populate(&mut made, &spec(30)).unwrap();
    assert_eq!(sum.clients, 30);
    drop(made);
    // The mark is in the file: it survives closing and reopening.
    let reopened = Book::open_existing(&demo_file).unwrap();
    assert!(settings::is_demo(&reopened).unwrap());
    assert_eq!(clients::count(&reopened).unwrap(), 30);
    let real = Book::open_existing(&real_path).unwrap();
    assert_eq!(
        clients::count(&real).unwrap(),
        1,
        "the real book is untouched"
    );
}

#[test]
fn demo_clients_never_go_into_a_book_that_holds_clients() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    let mut real = Book::open(&path).unwrap();
    clients::create(&mut real, &person("李娜"), today()).unwrap();
    match demo::populate(&mut real, &spec(20)) {
        Err(Error::Invalid { field, code, .. }) => {
            assert_eq!(
                (field.as_str(), code.as_str()),
                ("book", "demo_book_not_empty")
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(clients::count(&real).unwrap(), 1);
    assert!(
        !settings::is_demo(&real).unwrap(),
        "refused whole: not marked either"
    );
    let (family, contacts): (i64, i64) = real
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM family_members), (SELECT count(*) FROM contacts)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((family, contacts), (0, 0));
}

#[test]
fn the_window_opens_the_demo_book_making_it_once_and_never_the_real_file() {
    let dir = TempDir::new().unwrap();
    let real_path = dir.path().join("book.rapport");
    let demo_file = demo_path(&real_path);
    let made = demo::open_or_make(&demo_file).unwrap();
    assert!(settings::is_demo(&made).unwrap());
    let n = clients::count(&made).unwrap();
    assert_eq!(n, demo::DEFAULT_CLIENTS);
    drop(made);
    assert!(
        !real_path.exists(),
        "looking at the demo makes no real book"
    );

    // A second look opens the same book: the advisor's tries in it are kept.
    let mut again = demo::open_or_make(&demo_file).unwrap();
    assert_eq!(clients::count(&again).unwrap(), n);
    clients::create(&mut again, &person("试一试"), today()).unwrap();
    drop(again);
    let third = demo::open_or_make(&demo_file).unwrap();
    assert_eq!(clients::count(&third).unwrap(), n + 1);

    // A real book that happens to sit where the demo would is refused, not shown as made up.
    let taken = dir.path().join("elsewhere").join(book::DEMO_FILE);
    let mut someone = Book::open(&taken).unwrap();
    clients::create(&mut someone, &person("王芳"), today()).unwrap();
    drop(someone);
    assert!(demo::open_or_make(&taken).is_err());
    let someone = Book::open_existing(&taken).unwrap();
    assert!(!settings::is_demo(&someone).unwrap());
    assert_eq!(clients::count(&someone).unwrap(), 1);
}

#[test]
fn rapport_demo_refuses_a_book_with_clients_and_marks_the_one_it_fills() {
    let dir = TempDir::new().unwrap();
    let real = dir.path().join("book.rapport");
    assert!(rapport(&real, &["init"]).status.success());
    let added = rapport(&real, &["clients", "add", "--name", "张三丰"]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let refused = rapport(&real, &["demo", "--clients", "10", "--seed", "3"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("Demo clients only go into an empty book"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let book = Book::open_existing(&real).unwrap();
    assert_eq!(clients::count(&book).unwrap(), 1);
    assert!(!settings::is_demo(&book).unwrap());
    drop(book);

    // Where the demo goes, asked without making anything.
    let out = rapport(&real, &["path", "--demo"]);
    let demo_file = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert_eq!(demo_file, demo_path(&real));
    assert!(!demo_file.exists());
    let out = rapport(&real, &["path"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        real.to_str().unwrap()
    );

    let made = rapport(
        &demo_file,
        &["demo", "--clients", "12", "--seed", "5", "--json"],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let sum: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(sum["clients"], 12);
    let book = Book::open_existing(&demo_file).unwrap();
    assert!(settings::is_demo(&book).unwrap());
    assert_eq!(clients::count(&book).unwrap(), 12);
}
