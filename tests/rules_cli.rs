//! The CLI forms of the advisor's rules, run as a user would: JSON shapes, readable text, bad input exits.

use serde_json::Value;
use std::process::{Command, Output};

fn rapport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        // Errors are sentences in the system's language: pin it.
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run rapport")
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = rapport(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

/// Fails, saying `needle` in its sentence or, with `--json`, in the error's code.
fn fails(args: &[&str], needle: &str) {
    let out = rapport(args);
    assert!(!out.status.success(), "{args:?} should fail");
    let mut with_json = vec!["--json"];
    with_json.extend_from_slice(args);
    let coded = rapport(&with_json);
    let err = String::from_utf8_lossy(&out.stderr);
    let json = String::from_utf8_lossy(&coded.stderr);
    assert!(
        err.contains(needle) || json.contains(needle),
        "{args:?}: {err} / {json}"
    );
}

#[test]
fn lunar_and_solar() {
    let v = json(&["lunar", "2023-04-05"]);
    assert_eq!(
        v,
        serde_json::json!({"year": 2023, "month": 2, "day": 15, "leap": true, "text": "癸卯年闰二月十五"})
    );
    assert_eq!(
        json(&["solar", "2023-02-15", "--leap"])["date"],
        "2023-04-05"
    );
    let text = String::from_utf8(rapport(&["lunar", "2024-02-10"]).stdout).unwrap();
    assert!(text.contains("甲辰年正月初一"), "{text}");
    fails(&["solar", "2024-02-15", "--leap"], "leap_month_absent");
    fails(&["solar", "2024-13-01"], "month_out_of_range");
    fails(&["lunar", "2024-02-30"], "YYYY-MM-DD");
    fails(&["lunar", "1800-01-01"], "date_out_of_range");
}

#[test]
fn festivals_form() {
    let v = json(&["festivals", "2024"]);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 12);
    assert!(list
        .iter()
        .any(|f| f["name"] == "中秋" && f["date"] == "2024-09-17"));
    assert!(list
        .iter()
        .any(|f| f["name"] == "重阳" && f["audience"] == "elders"));
    fails(&["festivals", "2101"], "year_out_of_range");
}

#[test]
fn birthdays_form() {
    let v = json(&[
        "birthdays",
        "next",
        "--lunar",
        "01-01",
        "--from",
        "2024-01-01",
        "--count",
        "3",
    ]);
    assert_eq!(
        v,
        serde_json::json!(["2024-02-10", "2025-01-29", "2026-02-17"])
    );
    let v = json(&[
        "birthdays",
        "next",
        "--solar",
        "02-29",
        "--from",
        "2025-01-01",
        "--count",
        "2",
        "--feb29",
        "mar1",
    ]);
    assert_eq!(v, serde_json::json!(["2025-03-01", "2026-03-01"]));
    // Born 闰四月初十 2020; 2023 has 闰二月 only, so the ordinary 四月.
    let v = json(&[
        "birthdays",
        "next",
        "--lunar",
        "04-10",
        "--leap",
        "--from",
        "2023-01-01",
    ]);
    assert_eq!(v, serde_json::json!(["2023-05-28"])); // zhdate: ZhDate(2023, 4, 10) = 2023-05-28
    fails(
        &[
            "birthdays",
            "next",
            "--lunar",
            "13-01",
            "--from",
            "2024-01-01",
        ],
        "month_out_of_range",
    );
    fails(
        &[
            "birthdays",
            "next",
            "--solar",
            "02-30",
            "--from",
            "2024-01-01",
        ],
        "day_out_of_range",
    );
}

#[test]
fn yield_compare_form() {
    let v = json(&[
        "yield-compare",
        "--amount",
        "100000",
        "--start",
        "2025-03-03",
        "--ours",
        "3.0,182,1,1",
        "--theirs",
        "3.3%,182,3,3",
    ]);
    assert_eq!(v["ours"]["interest"], 1495.89);
    assert_eq!(v["ours"]["days_tied_up"], 184);
    assert_eq!(v["ours"]["effective_rate"], 2.9674);
    assert_eq!(v["theirs"]["interest"], 1645.48);
    assert_eq!(v["theirs"]["days_tied_up"], 190);
    assert_eq!(v["theirs"]["effective_rate"], 3.1611);
    assert_eq!(v["winner"], "theirs");
    assert!(v["steps"].as_array().unwrap().len() >= 12);
    fails(
        &[
            "yield-compare",
            "--amount",
            "100000",
            "--start",
            "2025-03-03",
            "--ours",
            "3.0,-182,1,1",
            "--theirs",
            "3.3,182,3,3",
        ],
        "term_negative",
    );
    fails(
        &[
            "yield-compare",
            "--amount",
            "100000",
            "--start",
            "2025-03-03",
            "--ours",
            "3.0,182",
            "--theirs",
            "3.3,182,3,3",
        ],
        "RATE",
    );
}

#[test]
fn workdays_form() {
    assert_eq!(json(&["workdays", "add", "2024-09-30", "1"]), "2024-10-08");
    assert_eq!(json(&["workdays", "add", "2024-10-08", "-1"]), "2024-09-30");
    let text = String::from_utf8(rapport(&["workdays", "add", "2025-01-27", "1"]).stdout).unwrap();
    assert_eq!(text.trim(), "2025-02-05");
    assert_eq!(json(&["workdays", "check", "2024-09-29"])["working"], true);
    fails(&["workdays", "add", "2024-02-30", "1"], "YYYY-MM-DD");
}
