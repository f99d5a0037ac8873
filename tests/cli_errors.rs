//! The command line on a mistyped book path and on bad input: it never makes a book by
//! accident, and says what went wrong as the window does, in the system's language.

use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

fn rapport(book: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into()
}

#[test]
fn only_init_and_demo_make_a_book() {
    let dir = TempDir::new().unwrap();
    let typo = dir.path().join("bok.rapport");
    for args in [
        &["clients", "list"][..],
        &["clients", "show", "1"],
        &["clients", "add", "--name", "王芳"],
        &["search", "王"],
        &["log", "1", "--summary", "电话回访"],
        &["settings"],
        &["settings", "--time-zone", "Asia/Shanghai"],
        &["agenda"],
        &["salons", "list"],
        &["bench", "--rounds", "1"],
        &["gifts", "plan", "1", "--gift", "茶"],
        &["points", "1"],
        &["surveys", "add", "1", "--score", "5"],
    ] {
        let out = rapport(&typo, "en_US.UTF-8", args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("there is no book at"), "{args:?}: {err}");
        assert!(err.contains("rapport init"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} made a book");
    }
    let holidays = dir.path().join("2027.txt");
    std::fs::write(&holidays, "2027-02-09 休 春节\n").unwrap();
    let out = rapport(
        &typo,
        "en_US.UTF-8",
        &["workdays", "import", holidays.to_str().unwrap()],
    );
    assert!(!out.status.success() && !typo.exists(), "{}", stderr(&out));
    // In Chinese, and as JSON for scripts.
    let out = rapport(&typo, "zh_CN.UTF-8", &["clients", "list"]);
    assert!(stderr(&out).contains("这里没有客户簿"), "{}", stderr(&out));
    let out = rapport(&typo, "en_US.UTF-8", &["--json", "clients", "list"]);
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["kind"], "no_book");
    assert!(!typo.exists());

    assert!(rapport(&typo, "en_US.UTF-8", &["init"]).status.success());
    assert!(typo.is_file());
    let out = rapport(&typo, "en_US.UTF-8", &["clients", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn errors_are_the_windows_sentences_in_the_systems_language() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    assert!(rapport(&book, "C", &["init"]).status.success());
    assert!(rapport(&book, "C", &["clients", "add", "--name", "王芳"])
        .status
        .success());
    let future = ["log", "1", "--at", "2030-01-01 10:00", "--summary", "回访"];
    let zh = stderr(&rapport(&book, "zh_CN.UTF-8", &future));
    assert_eq!(zh.trim(), "rapport: 时间不能晚于今天");
    let en = stderr(&rapport(&book, "en_US.UTF-8", &future));
    assert_eq!(en.trim(), "rapport: When cannot be after today");
    // LC_ALL wins over LANG, as for every POSIX program.
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(&book)
        .args(future)
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "zh_CN.UTF-8")
        .env("RAPPORT_TODAY", "2026-11-30")
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("时间不能晚于今天"),
        "{}",
        stderr(&out)
    );
    // Scripts keep the code.
    let mut json = vec!["--json"];
    json.extend_from_slice(&future);
    let out = rapport(&book, "zh_CN.UTF-8", &json);
    let v: serde_json::Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["kind"], "invalid");
    assert_eq!(v["error"]["code"], "date_in_future");
    assert_eq!(v["error"]["field"], "at");
    assert_eq!(v["error"]["message"], "时间不能晚于今天");
    // A word the command does not know, with the words it does.
    let out = rapport(&book, "zh_CN.UTF-8", &["clients", "list", "--tier", "gold"]);
    assert_eq!(
        stderr(&out).trim(),
        "rapport: 客户分层没有“gold”这一项，可选：private、vip、high、mass"
    );
    // A missing record is named.
    let out = rapport(&book, "zh_CN.UTF-8", &["clients", "show", "99"]);
    assert_eq!(stderr(&out).trim(), "rapport: 找不到这个客户，可能已被删除");
    // Nothing was written by any of it.
    let out = rapport(&book, "C", &["--json", "clients", "show", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["contacts"].as_array().map(Vec::len), Some(0), "{v}");
}

#[test]
fn every_code_the_core_can_give_has_a_sentence_in_both_languages() {
    let zh: serde_json::Value =
        serde_json::from_str(include_str!("../assets/messages/zh-CN.json")).unwrap();
    let en: serde_json::Value =
        serde_json::from_str(include_str!("../assets/messages/en.json")).unwrap();
    for section in ["field", "errors", "record"] {
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v[section].as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&zh), keys(&en), "{section}");
    }
    // Every code written in the core's sources.
    let mut missing = Vec::new();
    for entry in walk(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path()) {
        let text = std::fs::read_to_string(&entry).unwrap();
        for call in ["invalid(", "invalid_with("] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                if let Some(code) = second_literal(rest) {
                    if zh["errors"][code].as_str().is_none() {
                        missing.push(format!("{}: {code}", entry.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "codes without a sentence: {missing:?}");
}

/// `"field", "code"`: the code, when both arguments are written as literals.
fn second_literal(args: &str) -> Option<&str> {
    let args = args.trim_start().strip_prefix('"')?;
    let args = &args[args.find('"')? + 1..];
    let args = args.trim_start().strip_prefix(',')?.trim_start();
    let args = args.strip_prefix('"')?;
    Some(&args[..args.find('"')?])
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
