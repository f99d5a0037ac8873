//! Crash safety: a process writing to the book is killed with SIGKILL at random moments, over
//! and over; after each kill the book must pass SQLite's integrity and foreign-key checks and
//! hold every write the core acknowledged before the kill.
//!
//! The writer is this same test binary started again with `RAPPORT_CRASH_WRITER` set: it runs
//! [`writer`], which writes and prints the id of each write as soon as the core returns it.

use chrono::NaiveDate;
use rapport::book::values::{Channel, ContactKind, Relation, Tier};
use rapport::clients::{self, ClientInput};
use rapport::contacts::{self, ContactInput, FollowUpInput};
use rapport::family::{self, FamilyInput};
use rapport::Book;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const WRITER: &str = "RAPPORT_CRASH_WRITER";

/// Kills of the writer per run.
const KILLS: u32 = 100;

/// Not a test when run by `cargo test`: the body of the writer process.
#[test]
fn writer() {
    let Ok(path) = std::env::var(WRITER) else {
        return;
    };
    let mut book = Book::open(Path::new(&path)).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let at = today.and_hms_opt(9, 0, 0).unwrap();
    let out = std::io::stdout();
    let mut n = 0u64;
    loop {
        n += 1;
        // One client with a family member and a contact carrying a follow-up: four tables
        // and the search index in three transactions, the way the window writes them.
        let client = clients::create(
            &mut book,
            &ClientInput {
                name: format!("客户{n}"),
                phone: Some(format!("139{n:08}")),
                tier: Some(Tier::Vip),
                notes: Some("崩溃测试：".repeat(20)),
                ..Default::default()
            },
            today,
        )
        .expect("client");
        writeln!(out.lock(), "client {}", client.id).unwrap();
        let member = family::add(
            &mut book,
            client.id,
            &FamilyInput {
                name: format!("家人{n}"),
                relation: Relation::Child,
                gender: None,
                birthday: None,
                phone: None,
                notes: Some("目标院校：伦敦政经".into()),
            },
            today,
        )
        .expect("family");
        writeln!(out.lock(), "family {}", member.id).unwrap();
        let contact = contacts::add(
            &mut book,
            client.id,
            &ContactInput {
                at: Some("2026-11-29 10:00".into()),
                channel: Channel::Phone,
                kind: ContactKind::Note,
                summary: format!("第 {n} 次回访，客户关心留学金融"),
                needs: None,
                follow_ups: vec![FollowUpInput {
                    title: "发送方案".into(),
                    due: "2026-12-05".into(),
                }],
                response_due: None,
                resolution: None,
                resolved_at: None,
                satisfied: None,
            },
            at,
        )
        .expect("contact");
        writeln!(out.lock(), "contact {}", contact.id).unwrap();
    }
}

fn count(book: &Book, sql: &str, id: i64) -> i64 {
    book.conn().query_row(sql, [id], |r| r.get(0)).unwrap()
}

#[test]
fn every_acknowledged_write_survives_sigkill() {
    if std::env::var(WRITER).is_ok() {
        return;
    }
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    drop(Book::open(&path).unwrap());
    let me = std::env::current_exe().unwrap();
    // A small deterministic generator: the kill moments differ run to run within a range.
    let mut seed: u64 = 0x5eed_2026;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut acknowledged: Vec<(String, i64)> = Vec::new();
    let mut killed_mid_write = 0;
    for round in 0..KILLS {
        let mut child = Command::new(&me)
            .args(["--exact", "writer", "--nocapture", "--test-threads", "1"])
            .env(WRITER, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Read acknowledgements on a thread; kill after a random few milliseconds of writing.
        let reader = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some((kind, id)) = line.split_once(' ') {
                    if let Ok(id) = id.parse::<i64>() {
                        seen.push((kind.to_string(), id));
                    }
                }
            }
            seen
        });
        let wait = Duration::from_millis(20 + next() % 120);
        let started = Instant::now();
        while started.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(2));
        }
        // SIGKILL: no destructor, no flush, no rollback runs in the writer.
        let _ = child.kill();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer stopped by itself"
        );
        let seen = reader.join().unwrap();
        killed_mid_write += u32::from(!seen.is_empty());
        acknowledged.extend(seen);

        let book = Book::open_existing(&path).unwrap();
        let ok: String = book
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "round {round}");
        let dangling: i64 = book
            .conn()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(dangling, 0, "round {round}");
        for (kind, id) in &acknowledged {
            let sql = match kind.as_str() {
                "client" => "SELECT count(*) FROM clients WHERE id = ?1",
                "family" => "SELECT count(*) FROM family_members WHERE id = ?1",
                _ => "SELECT count(*) FROM contacts WHERE id = ?1",
            };
            assert_eq!(count(&book, sql, *id), 1, "round {round}: {kind} {id} lost");
        }
        // A contact is never half written: its follow-up is there with it.
        let orphan: i64 = book
            .conn()
            .query_row(
                "SELECT count(*) FROM contacts k
                 WHERE NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.contact_id = k.id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphan, 0, "round {round}");
    }
    println!(
        "{KILLS} kills, {killed_mid_write} while writing; {} acknowledged writes all kept",
        acknowledged.len()
    );
    // The kills really landed among writes, not before the first one.
    assert!(
        killed_mid_write >= KILLS / 2,
        "{killed_mid_write} of {KILLS}"
    );
    assert!(
        acknowledged.len() > KILLS as usize,
        "{}",
        acknowledged.len()
    );
}
