//! The encrypted book from the command line: made encrypted with RAPPORT_PASSPHRASE, refused
//! without it or with a wrong one (a clear sentence, a code in `--json`), a plain book
//! encrypted in place and its passphrase changed.

use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

fn rapport(book: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.arg("--book")
        .arg(book)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("RAPPORT_BOOK")
        .env_remove("RAPPORT_PASSPHRASE")
        .env_remove("RAPPORT_NEW_PASSPHRASE")
        .env_remove("RAPPORT_BACKUP_PASSPHRASE")
        .env("RAPPORT_TODAY", "2026-11-30");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run rapport")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

const PASS: (&str, &str) = ("RAPPORT_PASSPHRASE", "黄浦江边的长密码");

#[test]
fn a_book_made_with_a_passphrase_opens_only_with_it() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    ok(&rapport(&book, &[PASS], &["init"]));
    ok(&rapport(
        &book,
        &[PASS],
        &[
            "clients",
            "add",
            "--name",
            "司马光明",
            "--phone",
            "13800001111",
        ],
    ));
    assert!(rapport::book::is_encrypted(&book).unwrap());
    let bytes = std::fs::read(&book).unwrap();
    assert!(!bytes.windows(6).any(|w| w == "司马".as_bytes()));

    // No passphrase (and no terminal to ask on): a sentence saying how to give one.
    let out = rapport(&book, &[], &["clients", "list"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("encrypted") && err.contains("RAPPORT_PASSPHRASE"),
        "{err}"
    );
    // A wrong one: refused, with the code for scripts.
    let out = rapport(
        &book,
        &[("RAPPORT_PASSPHRASE", "wrong")],
        &["--json", "clients", "list"],
    );
    assert!(!out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(json["error"]["kind"], "wrong_passphrase");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("does not open"));
    let out = rapport(
        &book,
        &[("LANG", "zh_CN.UTF-8"), ("RAPPORT_PASSPHRASE", "wrong")],
        &["clients", "list"],
    );
    assert!(
        text(&out.stderr).contains("密码不对"),
        "{}",
        text(&out.stderr)
    );

    let listed = ok(&rapport(&book, &[PASS], &["clients", "list"]));
    assert!(listed.contains("司马光明"), "{listed}");
    // Backups of it are encrypted too, and check reads it.
    let backup = ok(&rapport(&book, &[PASS], &["backup"]));
    assert!(rapport::book::is_encrypted(Path::new(backup.trim())).unwrap());
    ok(&rapport(&book, &[PASS], &["check"]));
}

#[test]
fn a_plain_book_is_encrypted_in_place_and_its_passphrase_changed() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("book.rapport");
    ok(&rapport(&book, &[], &["demo", "--clients", "30"]));
    let before = ok(&rapport(
        &book,
        &[],
        &["--json", "clients", "list", "--limit", "100"],
    ));

    // Too short: refused, nothing changed.
    let out = rapport(
        &book,
        &[("RAPPORT_NEW_PASSPHRASE", "short")],
        &["passphrase"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("at least 8"),
        "{}",
        text(&out.stderr)
    );
    assert!(!rapport::book::is_encrypted(&book).unwrap());

    let out = rapport(
        &book,
        &[("RAPPORT_NEW_PASSPHRASE", PASS.1)],
        &["--json", "passphrase"],
    );
    let done: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(done["was_plain"], true);
    assert_eq!(done["clients"], 30);
    assert!(rapport::book::is_encrypted(&book).unwrap());
    let after = ok(&rapport(
        &book,
        &[PASS],
        &["--json", "clients", "list", "--limit", "100"],
    ));
    assert_eq!(after, before);

    // Changed: the old one no longer opens it.
    ok(&rapport(
        &book,
        &[PASS, ("RAPPORT_NEW_PASSPHRASE", "another long one")],
        &["rekey"],
    ));
    let out = rapport(&book, &[PASS], &["clients", "list"]);
    assert!(!out.status.success());
    let again = ok(&rapport(
        &book,
        &[("RAPPORT_PASSPHRASE", "another long one")],
        &["--json", "clients", "list", "--limit", "100"],
    ));
    assert_eq!(again, before);
}
