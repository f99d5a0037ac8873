//! The scenario CLI forms (grade, invitations, cadence, gift-check) driven as a script would.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn rapport(args: &[&str], stdin: &str) -> (bool, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .arg("--json")
        // Errors are sentences in the system's language: pin it.
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const SALON: &str = r#"{
  "event": {"id": "E1", "start": "2025-06-20T14:00:00", "capacity": 1},
  "invitees": [{"id": "a", "added_on": "2025-06-01"}, {"id": "b", "added_on": "2025-06-01"},
               {"id": "c", "added_on": "2025-06-16"}],
  "records": [{"call_id": "E1/a/r7", "done_on": "2025-06-13", "response": "confirmed"},
              {"call_id": "E1/b/r7", "done_on": "2025-06-13", "response": "tentative"}]
}"#;

fn due_ids(v: &Value) -> Vec<String> {
    v["due"]["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["id"].as_str().unwrap(),
                c["kind"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn invitation_rounds_from_a_json_scenario() {
    // Event Friday 06-20: rounds on 06-13 (7), 06-17 (3), 06-19 (1). "a" confirmed in round 7:
    // no round 3, a reminder in round 1. "b" is tentative: asked again in rounds 3 and 1.
    // "c" was added on 06-16, after round 7: rounds 3 and 1 only.
    let (ok, v, err) = rapport(&["invitations", "-", "--now", "2025-06-17T09:00"], SALON);
    assert!(ok, "{err}");
    assert_eq!(due_ids(&v), ["E1/b/r3:invite", "E1/c/r3:invite"]);
    let (_, v, _) = rapport(&["invitations", "-", "--now", "2025-06-19T09:00"], SALON);
    assert_eq!(
        due_ids(&v),
        ["E1/a/r1:reminder", "E1/b/r1:invite", "E1/c/r1:invite"]
    );
    assert_eq!(v["plan"]["confirmed"], 1);
    // Capacity 1 is full with "a" confirmed while calls are still pending.
    let warnings = v["plan"]["warnings"].to_string();
    assert!(
        warnings.contains("full") || warnings.contains("Full"),
        "{warnings}"
    );
}

#[test]
fn grading_seven_clients_with_ties_adds_up() {
    // Seven clients, AUM in three tied groups. Exact shares 0.7, 1.4, 2.8, 1.4, 0.7 floor to
    // 0, 1, 2, 1, 0; the three places left go to the largest remainders (C's .8, then the .7s
    // of A and E): 1, 1, 3, 1, 1.
    let book: Vec<Value> = (0..7)
        .map(|i| serde_json::json!({"id": format!("c{i}"), "aum": (i % 3) as f64 * 1e5, "contribution": 0.0, "contacts": 0, "salons": 0, "referrals": 0}))
        .collect();
    let (ok, v, err) = rapport(&["grade", "-"], &Value::from(book).to_string());
    assert!(ok, "{err}");
    assert_eq!(v["counts"], serde_json::json!([1, 1, 3, 1, 1]));
    let grades: Vec<&str> = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["grade"].as_str().unwrap())
        .collect();
    assert_eq!(grades, ["A", "B", "C", "C", "C", "D", "E"]);
    // Ties on score keep a stable order: equal AUM, then the smaller id first.
    let ids: Vec<&str> = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c2", "c5", "c1", "c4", "c0", "c3", "c6"]);
}

#[test]
fn cadence_and_gift_checks_from_the_command_line() {
    let clients = r#"[{"client_id": "x", "tier": "vip", "client_since": "2020-01-01",
                       "last_contact": "2026-11-01", "last_call": "2026-09-15"}]"#;
    let (ok, v, err) = rapport(&["cadence", "-", "--today", "2026-11-30"], clients);
    assert!(ok, "{err}");
    // VIP every 14 days → due 11-15; an old client's monthly call → due 10-15: the call wins.
    assert_eq!(v[0]["due_since"], "2026-10-15");
    assert_eq!(v[0]["days_overdue"], 46);

    let (ok, v, _) = rapport(&["gift-check", "座钟", "--past", "普洱茶@2025-09-10"], "");
    assert!(ok);
    assert!(v.to_string().contains("送终"), "{v}");
    let (_, v, _) = rapport(&["gift-check", "普洱茶", "--past", "普洱茶@2025-09-10"], "");
    assert_eq!(v[0]["kind"], "repeat");
    let (ok, _, err) = rapport(&["grade", "-"], "{\"bad\": 1}");
    assert!(!ok && err.contains("missing field `clients`"), "{err}");
    let (ok, _, err) = rapport(&["grade", "-"], "[{\"id\": \"a\"}]");
    assert!(!ok && err.contains("missing field `aum`"), "{err}");
    // A partial weights object keeps the other defaults.
    let book = r#"{"clients": [{"id": "a", "aum": 1, "contribution": 0, "contacts": 0,
                                "salons": 0, "referrals": 0}], "weights": {"aum": 100}}"#;
    let (ok, v, err) = rapport(&["grade", "-"], book);
    assert!(ok, "{err}");
    assert_eq!(v["counts"], serde_json::json!([0, 0, 1, 0, 0]));
}

#[test]
fn invitation_calls_avoid_the_books_imported_holidays() {
    let dir = tempfile::TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    let book = book.to_str().unwrap();
    // An illustrative 2027 schedule (not the State Council's): Tue 02-09 and Thu 02-11 off.
    let schedule = dir.path().join("2027.txt");
    let (ok, _, err) = rapport(&["--book", book, "init"], "");
    assert!(ok, "{err}");
    std::fs::write(&schedule, "2027-02-09 休 测试\n2027-02-11 休 测试\n").unwrap();
    let (ok, _, err) = rapport(
        &[
            "--book",
            book,
            "workdays",
            "import",
            schedule.to_str().unwrap(),
        ],
        "",
    );
    assert!(ok, "{err}");
    // Event Friday 2027-02-12: rounds Fri 02-05, Tue 02-09, Thu 02-11.
    let salon = r#"{"event": {"id": "E", "start": "2027-02-12T14:00:00", "capacity": null},
                    "invitees": [{"id": "a", "added_on": "2027-01-20"}]}"#;
    let due = |v: &Value| -> Vec<String> {
        v["plan"]["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["due"].as_str().unwrap().to_string())
            .collect()
    };
    let args = [
        "--book",
        book,
        "invitations",
        "-",
        "--now",
        "2027-02-01T09:00",
    ];
    let (ok, v, err) = rapport(&[&args[..], &["--avoid-non-working-days"]].concat(), salon);
    assert!(ok, "{err}");
    assert_eq!(
        due(&v),
        ["2027-02-05", "2027-02-08", "2027-02-10"],
        "moved earlier, off the holidays"
    );
    let (_, v, _) = rapport(&args, salon);
    assert_eq!(
        due(&v),
        ["2027-02-05", "2027-02-09", "2027-02-11"],
        "without the setting, 7-3-1 exactly"
    );
}
