//! The care forms of the command line driven as a script would: family, preferences, gifts
//! (log, plan, list), referrals, points and surveys, in text and JSON, on a real book file.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

fn run(book: &Path, args: &[&str]) -> Output {
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

/// Run a command that must succeed; its stdout.
fn ok(book: &Path, args: &[&str]) -> String {
    let out = run(book, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Run a command with `--json` that must succeed; its JSON.
fn json(book: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(book, &all)).unwrap()
}

/// Run a command with `--json` that must fail; the error object.
fn refused(book: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(book, &all);
    assert!(!out.status.success(), "{args:?} should fail");
    let v: Value = serde_json::from_slice(&out.stderr).unwrap();
    v["error"].clone()
}

fn book() -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    ok(&path, &["init"]);
    ok(&path, &["clients", "add", "--name", "王芳"]);
    ok(&path, &["clients", "add", "--name", "李娜"]);
    ok(
        &path,
        &[
            "family",
            "add",
            "王芳",
            "--name",
            "赵刚",
            "--relation",
            "spouse",
        ],
    );
    (dir, path)
}

#[test]
fn a_taboo_of_the_husband_warns_when_planning_his_gift_and_the_log_remembers() {
    let (_dir, b) = book();
    ok(
        &b,
        &[
            "prefs",
            "add",
            "王芳",
            "--member",
            "spouse",
            "--taboo",
            "不喝酒",
        ],
    );
    let plan = json(
        &b,
        &[
            "gifts", "plan", "王芳", "--member", "赵刚", "--gift", "红酒",
        ],
    );
    assert_eq!(plan["person"], "赵刚");
    assert_eq!(plan["warnings"][0]["kind"], "personal_taboo", "{plan}");
    assert_eq!(plan["warnings"][0]["subject"], "酒");
    assert!(!plan["warnings"][0]["reason"].as_str().unwrap().is_empty());
    // The client herself has no such taboo.
    let plan = json(&b, &["gifts", "plan", "1", "--gift", "红酒"]);
    assert_eq!(plan["warnings"], serde_json::json!([]), "{plan}");
    // A clock by another name, in text: exit 0 all the same.
    let text = ok(
        &b,
        &[
            "gifts", "plan", "王芳", "--member", "赵刚", "--gift", "座钟",
        ],
    );
    assert!(text.contains("送终"), "{text}");
    let plan = json(&b, &["gifts", "plan", "王芳", "--gift", "Pearl necklace"]);
    assert_eq!(plan["warnings"], serde_json::json!([]), "{plan}");
    assert!(
        plan["ideas"].as_array().is_some_and(|i| !i.is_empty()),
        "{plan}"
    );

    let gift = json(
        &b,
        &[
            "gifts",
            "log",
            "王芳",
            "--member",
            "赵刚",
            "--gift",
            "丝巾",
            "--occasion",
            "生日",
            "--on",
            "2026-11-20",
            "--cost",
            "299.50",
        ],
    );
    assert_eq!(gift["cost_fen"], 29950);
    assert_eq!(gift["occasion"], "birthday");
    assert_eq!(gift["recipient"], "赵刚");
    let plan = json(
        &b,
        &[
            "gifts", "plan", "王芳", "--member", "赵刚", "--gift", "丝巾",
        ],
    );
    assert_eq!(plan["warnings"][0]["kind"], "repeat", "{plan}");
    assert_eq!(
        json(&b, &["gifts", "list", "王芳"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let e = refused(
        &b,
        &[
            "gifts",
            "log",
            "王芳",
            "--gift",
            "月饼",
            "--occasion",
            "party",
            "--on",
            "2026-09-17",
        ],
    );
    assert_eq!(e["code"], "unknown_word");
    let e = refused(
        &b,
        &[
            "gifts",
            "log",
            "王芳",
            "--gift",
            "月饼",
            "--occasion",
            "festival",
            "--on",
            "2026-09-17",
            "--cost",
            "12.345",
        ],
    );
    assert_eq!(e["code"], "money_format");
    let e = refused(&b, &["gifts", "plan", "赵敏", "--gift", "茶"]);
    assert_eq!(e["kind"], "not_found");
}

#[test]
fn referrals_points_and_surveys_from_the_command_line() {
    let (_dir, b) = book();
    let r = json(
        &b,
        &[
            "referrals",
            "add",
            "王芳",
            "李娜",
            "--on",
            "2026-11-01",
            "--reward",
            "电影票",
        ],
    );
    assert_eq!(
        (r["referrer_id"].as_i64(), r["referred_id"].as_i64()),
        (Some(1), Some(2))
    );
    let e = refused(
        &b,
        &["referrals", "add", "李娜", "李娜", "--on", "2026-11-01"],
    );
    assert_eq!(e["code"], "referral_self");
    assert_eq!(e["message"], "A client cannot refer themself");
    let list = json(&b, &["referrals", "list", "李娜"]);
    assert_eq!(list["referred_by"]["referrer_name"], "王芳");

    assert_eq!(
        ok(&b, &["points", "add", "王芳", "500", "--for", "转介绍"]).trim(),
        "balance: 500"
    );
    let e = refused(&b, &["points", "redeem", "王芳", "600", "--for", "茶具"]);
    assert_eq!(e["code"], "points_insufficient");
    let booked = json(
        &b,
        &["points", "redeem", "王芳", "200", "--for", "体检套餐"],
    );
    assert_eq!(booked["balance"], 300);
    assert_eq!(booked["entry"]["kind"], "redeemed");
    let account = json(&b, &["points", "王芳"]);
    assert_eq!(account["balance"], 300);
    assert_eq!(account["entries"].as_array().unwrap().len(), 2);

    let s = json(
        &b,
        &[
            "surveys",
            "add",
            "王芳",
            "--score",
            "2",
            "--comment",
            "排队太久",
        ],
    );
    assert!(s["follow_up_id"].is_i64(), "{s}");
    assert_eq!(s["taken_on"], "2026-11-30");
    let e = refused(&b, &["surveys", "add", "王芳", "--score", "9"]);
    assert_eq!(e["code"], "score_out_of_range");
    let text = ok(
        &b,
        &[
            "surveys",
            "add",
            "李娜",
            "--score",
            "5",
            "--channel",
            "wechat",
        ],
    );
    assert!(!text.contains("follow-up"), "{text}");
    assert_eq!(
        json(&b, &["surveys", "list", "王芳"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let page = json(&b, &["clients", "show", "1"]);
    assert_eq!(page["points_balance"], 300);
    assert_eq!(page["referrals"]["brought"].as_array().unwrap().len(), 1);
    assert_eq!(page["surveys"][0]["score"], 2);
    assert_eq!(page["open_follow_ups"].as_array().unwrap().len(), 1);
}
