//! The day's CLI forms (`rapport salons …`, `rapport agenda …`) on a temp book, as a script
//! would drive them: JSON read back and held to the shapes the `--help` texts promise.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

struct Out {
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        assert!(self.ok, "failed: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// Run `rapport --book BOOK ARGS` with the advisor's day pinned to `today`.
fn rapport(book: &Path, today: &str, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--book")
        .arg(book)
        .args(args)
        .env("RAPPORT_TODAY", today)
        .env_remove("RAPPORT_BOOK")
        // Errors are sentences in the system's language: pin it.
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    Out {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn book() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("book.rapport");
    assert!(rapport(&path, "2025-06-01", &["init"]).ok);
    (dir, path)
}

fn add_client(book: &Path, args: &[&str]) -> i64 {
    let mut all = vec!["clients", "add", "--json"];
    all.extend_from_slice(args);
    rapport(book, "2025-06-01", &all).json()["id"]
        .as_i64()
        .unwrap()
}

/// What a help text promises: objects with their keys, arrays with their element, and for a
/// leaf the words it may take when the help lists them (`done|pending`, `null|true|false`).
#[derive(Debug, Clone)]
enum Shape {
    Object(BTreeMap<String, Shape>),
    Array(Option<Box<Shape>>),
    Leaf(Option<Vec<String>>),
}

/// Reads the JSON-like examples of the help texts: like JSON, but a value may list
/// alternatives (`null|"a|b"`, `null|true|false`) or be a placeholder (`N`, `"…"`).
struct HelpReader<'a> {
    text: &'a [u8],
    at: usize,
}

impl HelpReader<'_> {
    fn peek(&self) -> u8 {
        self.text[self.at]
    }

    fn string(&mut self) -> String {
        assert_eq!(self.peek(), b'"');
        let start = self.at + 1;
        self.at = start;
        while self.peek() != b'"' {
            self.at += 1;
        }
        self.at += 1;
        String::from_utf8(self.text[start..self.at - 1].to_vec()).unwrap()
    }

    fn value(&mut self) -> Shape {
        match self.peek() {
            b'{' => {
                self.at += 1;
                let mut keys = BTreeMap::new();
                while self.peek() != b'}' {
                    let key = self.string();
                    assert_eq!(self.peek(), b':');
                    self.at += 1;
                    keys.insert(key, self.value());
                    if self.peek() == b',' {
                        self.at += 1;
                    }
                }
                self.at += 1;
                Shape::Object(keys)
            }
            b'[' => {
                self.at += 1;
                let element = (self.peek() != b']').then(|| Box::new(self.value()));
                assert_eq!(self.peek(), b']');
                self.at += 1;
                Shape::Array(element)
            }
            _ => {
                // Alternatives up to the end of the value, quoted ones split on '|' too.
                let mut words = Vec::new();
                let mut listed = false;
                loop {
                    match self.peek() {
                        b',' | b'}' | b']' => break,
                        b'|' => {
                            listed = true;
                            self.at += 1;
                        }
                        b'"' => {
                            let s = self.string();
                            listed |= s.contains('|');
                            words.extend(s.split('|').map(str::to_string));
                        }
                        _ => {
                            let start = self.at;
                            while !matches!(self.peek(), b',' | b'}' | b']' | b'|') {
                                self.at += 1;
                            }
                            words.push(
                                String::from_utf8(self.text[start..self.at].to_vec()).unwrap(),
                            );
                        }
                    }
                }
                Shape::Leaf(listed.then_some(words))
            }
        }
    }
}

/// The JSON example of a subcommand's `--help` that follows `marker`, with `{…salon…}` spelled
/// out from the salon example of `salons add --help`.
fn promised(book: &Path, command: &[&str], marker: &str) -> Shape {
    let help = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--help");
        let out = rapport(book, "2025-06-01", &all);
        assert!(out.ok, "{}", out.stderr);
        out.stdout
    };
    let example = |text: &str, marker: &str| -> String {
        let after = &text[text
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {text}"))
            + marker.len()..];
        let start = after.find(['{', '[']).unwrap();
        let line = after[start..].lines().next().unwrap();
        line.trim_end_matches('.').to_string()
    };
    let salon = example(&help(&["salons", "add"]), "JSON (--json) of a salon:");
    let text = example(&help(command), marker).replace("{…salon…}", &salon);
    let mut reader = HelpReader {
        text: text.as_bytes(),
        at: 0,
    };
    let shape = reader.value();
    assert_eq!(reader.at, text.len(), "the whole example is read: {text}");
    shape
}

/// Hold `value` to `shape`: the same keys at every level; listed words where the help lists
/// them; every element of an array like the promised one.
fn conforms(value: &Value, shape: &Shape, path: &str) {
    match (shape, value) {
        (Shape::Object(keys), Value::Object(map)) => {
            let want: Vec<&String> = keys.keys().collect();
            let got: Vec<&String> = {
                let mut k: Vec<&String> = map.keys().collect();
                k.sort();
                k
            };
            assert_eq!(got, want, "keys at {path}");
            for (k, s) in keys {
                conforms(&map[k], s, &format!("{path}.{k}"));
            }
        }
        (Shape::Array(element), Value::Array(items)) => {
            if let Some(e) = element {
                for (i, v) in items.iter().enumerate() {
                    conforms(v, e, &format!("{path}[{i}]"));
                }
            }
        }
        (Shape::Leaf(Some(words)), v) => {
            let word = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // A placeholder stands for any value of its form.
            let fits = |w: &String| {
                *w == word
                    || w == "YYYY-MM-DD"
                        && chrono::NaiveDate::parse_from_str(&word, "%Y-%m-%d").is_ok()
            };
            assert!(
                words.iter().any(fits),
                "{path} = {word}, not one of {words:?}"
            );
        }
        (Shape::Leaf(None), v) => {
            assert!(
                !v.is_object() && !v.is_array(),
                "{path} is a plain value: {v}"
            );
        }
        // Optional objects and arrays may be null.
        (_, Value::Null) => {}
        (s, v) => panic!("{path}: {v} does not match {s:?}"),
    }
}

/// `items` are non-empty where the shape check should reach inside them.
fn nonempty(v: &Value, key: &str) -> usize {
    let n = v[key].as_array().unwrap().len();
    assert!(n > 0, "{key} is empty in {v}");
    n
}

#[test]
fn salons_and_agenda_from_the_command_line() {
    let (_dir, b) = book();
    let a = add_client(
        &b,
        &[
            "--name",
            "王建国",
            "--tier",
            "vip",
            "--segment",
            "retiree",
            "--birthday",
            "1960-06-13",
        ],
    );
    let p = add_client(
        &b,
        &[
            "--name",
            "钱淑珍",
            "--tier",
            "private",
            "--segment",
            "retiree",
        ],
    );
    let c = add_client(&b, &["--name", "张德明", "--segment", "retiree"]);
    let young = add_client(
        &b,
        &[
            "--name",
            "冯小雨",
            "--tier",
            "private",
            "--segment",
            "professional",
        ],
    );

    // `salons add` prints the new id, and nothing else.
    let out = rapport(
        &b,
        "2025-06-01",
        &[
            "salons",
            "add",
            "--title",
            "养老规划讲座",
            "--start",
            "2025-06-20T14:00",
            "--capacity",
            "1",
            "--segment",
            "retiree",
            "--venue",
            "支行三楼",
            "--theme",
            "养老",
        ],
    );
    assert!(out.ok, "{}", out.stderr);
    let s: i64 = out
        .stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{}", out.stdout));
    assert_eq!(out.stdout, format!("{s}\n"));
    let out = rapport(
        &b,
        "2025-06-01",
        &[
            "salons",
            "add",
            "--title",
            "家族财富传承",
            "--start",
            "2025-07-04 15:30",
            "--json",
        ],
    );
    let other = out.json();
    conforms(
        &other,
        &promised(&b, &["salons", "add"], "JSON (--json)"),
        "add",
    );
    assert_eq!(other["start"], "2025-07-04 15:30");
    assert_eq!(other["capacity"], Value::Null);
    let other = other["id"].as_i64().unwrap();
    assert!(other > s);

    let v = rapport(
        &b,
        "2025-06-01",
        &["salons", "suggest", &s.to_string(), "--json"],
    )
    .json();
    conforms(
        &v,
        &promised(&b, &["salons", "suggest"], "JSON (--json)"),
        "suggest",
    );
    let ids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["client_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [p, a, c], "retirees, highest tier first; not {young}");

    let s_ = s.to_string();
    let v = rapport(
        &b,
        "2025-06-01",
        &[
            "salons",
            "invite",
            &s_,
            &a.to_string(),
            &p.to_string(),
            "--on",
            "2025-06-10",
            "--json",
        ],
    )
    .json();
    conforms(
        &v,
        &promised(&b, &["salons", "invite"], "JSON (--json)"),
        "invite",
    );
    assert_eq!(v, serde_json::json!({"salon_id": s, "added": 2}));
    // Without --on the advisor's pinned today is the day of the list.
    let out = rapport(&b, "2025-06-13", &["salons", "invite", &s_, &c.to_string()]);
    assert!(out.ok && out.stdout.contains("invited 1"), "{}", out.stdout);
    let out = rapport(
        &b,
        "2025-06-01",
        &[
            "log",
            &c.to_string(),
            "--summary",
            "电话问候",
            "--at",
            "2025-06-01 10:00",
            "--follow-up",
            "寄送养老规划资料@2025-06-12",
        ],
    );
    assert!(out.ok, "{}", out.stderr);

    // 06-13, Friday: the seven-day round, a's birthday and c's overdue follow-up.
    let agenda_shape = promised(&b, &["agenda"], "JSON (--json)");
    let v = rapport(&b, "2025-06-13", &["agenda", "--json"]).json();
    conforms(&v, &agenda_shape, "agenda");
    assert_eq!(
        (v["from"].as_str(), v["days"].as_u64()),
        (Some("2025-06-13"), Some(1))
    );
    nonempty(&v, "items");
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let call = |who: i64, r: &str| format!("{s}/{who}/{r}");
    let birthday = format!("birthday/client/{a}/2025-06-13");
    for want in [&call(a, "r7"), &call(p, "r7"), &call(c, "r7"), &birthday] {
        assert!(ids.contains(&want.as_str()), "{want} in {ids:?}");
    }
    let follow_up = ids
        .iter()
        .find(|i| i.starts_with("follow_up/"))
        .unwrap()
        .to_string();
    let item = &v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == call(a, "r7"))
        .unwrap();
    assert_eq!(
        (
            &item["kind"],
            &item["salon_id"],
            &item["round"],
            &item["client_id"]
        ),
        (
            &Value::from("salon_call"),
            &Value::from(s),
            &Value::from("r7"),
            &Value::from(a)
        )
    );

    let record_shape = promised(&b, &["salons", "record"], "JSON (--json)");
    for (who, answer) in [(a, "confirmed"), (p, "confirmed")] {
        let v = rapport(
            &b,
            "2025-06-13",
            &[
                "salons",
                "record",
                &call(who, "r7"),
                "--response",
                answer,
                "--note",
                "会带老伴",
                "--json",
            ],
        )
        .json();
        conforms(&v, &record_shape, "record");
        assert_eq!(
            v,
            serde_json::json!({"call_id": call(who, "r7"), "response": answer, "on": "2025-06-13"})
        );
    }

    let mark_shape = promised(&b, &["agenda"], "done/snooze/skip print");
    let v = rapport(
        &b,
        "2025-06-13",
        &[
            "agenda",
            "done",
            &birthday,
            "--note",
            "送了纪念币",
            "--json",
        ],
    )
    .json();
    conforms(&v, &mark_shape, "done");
    assert_eq!(
        v,
        serde_json::json!({"item_id": birthday, "state": "done", "until": null})
    );
    let v = rapport(
        &b,
        "2025-06-13",
        &[
            "agenda",
            "snooze",
            &call(c, "r7"),
            "--to",
            "2025-06-16",
            "--json",
        ],
    )
    .json();
    conforms(&v, &mark_shape, "snooze");
    assert_eq!(v["until"], "2025-06-16");
    let v = rapport(&b, "2025-06-13", &["agenda", "skip", &follow_up, "--json"]).json();
    conforms(&v, &mark_shape, "skip");
    assert_eq!(v["state"], "skipped");
    let v = rapport(&b, "2025-06-13", &["agenda", "--json"]).json();
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] != "salon_call"
                && i["kind"] != "birthday"
                && i["kind"] != "follow_up"),
        "{v}"
    );
    // The snoozed call is back on the 16th; a week's agenda from it holds the later rounds.
    let v = rapport(
        &b,
        "2025-06-13",
        &["agenda", "--date", "2025-06-16", "--days", "7", "--json"],
    )
    .json();
    conforms(&v, &agenda_shape, "week");
    assert_eq!(v["days"], 7);
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    for want in [call(c, "r7"), call(c, "r3"), call(a, "r1"), call(p, "r1")] {
        assert!(ids.contains(&want.as_str()), "{want} in {ids:?}");
    }
    assert!(
        !ids.contains(&call(a, "r3").as_str()),
        "confirmed: no middle round"
    );

    // Over capacity: two confirmed for one seat.
    let show_shape = promised(&b, &["salons", "show"], "JSON (--json)");
    let v = rapport(&b, "2025-06-14", &["salons", "show", &s_, "--json"]).json();
    conforms(&v, &show_shape, "show");
    assert_eq!(nonempty(&v, "invitees"), 3);
    nonempty(&v, "warnings");
    assert_eq!(v["warnings"][0]["kind"], "over_capacity");
    assert_eq!(v["funnel"]["confirmed"], 2);
    assert_eq!(v["invitees"][0]["rounds"].as_array().unwrap().len(), 3);
    let round = v["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["client_id"] == a)
        .unwrap()["rounds"][0]
        .clone();
    assert_eq!(
        (round["state"].as_str(), round["note"].as_str()),
        (Some("done"), Some("会带老伴"))
    );
    // A guest put on Saturday's list for Monday: the last round stays on Sunday, with a warning.
    let out = rapport(
        &b,
        "2025-06-21",
        &[
            "salons",
            "add",
            "--title",
            "周一讲座",
            "--start",
            "2025-06-23 15:00",
        ],
    );
    let monday = out.stdout.trim().to_string();
    assert!(
        rapport(
            &b,
            "2025-06-21",
            &["salons", "invite", &monday, &c.to_string()]
        )
        .ok
    );
    let v = rapport(&b, "2025-06-21", &["salons", "show", &monday, "--json"]).json();
    conforms(&v, &show_shape, "show");
    assert_eq!(v["warnings"][0]["kind"], "non_working_day");
    assert_eq!(v["warnings"][0]["client_id"], c);
    assert_eq!(v["invitees"][0]["rounds"][2]["due"], "2025-06-22");
    assert!(rapport(&b, "2025-06-21", &["salons", "cancel", &monday]).ok);

    let v = rapport(
        &b,
        "2025-06-14",
        &[
            "salons",
            "move",
            &s_,
            "--start",
            "2025-06-27T14:00",
            "--json",
        ],
    )
    .json();
    conforms(
        &v,
        &promised(&b, &["salons", "move"], "JSON (--json)"),
        "move",
    );
    assert_eq!(v["start"], "2025-06-27 14:00");

    let attend_shape = promised(&b, &["salons", "attend"], "JSON (--json)");
    let v = rapport(
        &b,
        "2025-06-27",
        &[
            "salons",
            "attend",
            &s_,
            &a.to_string(),
            "--came",
            "--guests",
            "1",
            "--json",
        ],
    )
    .json();
    conforms(&v, &attend_shape, "attend");
    assert_eq!(
        v,
        serde_json::json!({"salon_id": s, "client_id": a, "came": true, "guests": 1})
    );
    let v = rapport(
        &b,
        "2025-06-27",
        &[
            "salons",
            "attend",
            &s_,
            &p.to_string(),
            "--no-show",
            "--guests",
            "2",
            "--json",
        ],
    )
    .json();
    assert_eq!(
        (v["came"].as_bool(), v["guests"].as_u64()),
        (Some(false), Some(0))
    );

    let v = rapport(
        &b,
        "2025-06-20",
        &["salons", "cancel", &other.to_string(), "--json"],
    )
    .json();
    conforms(
        &v,
        &promised(&b, &["salons", "cancel"], "JSON (--json)"),
        "cancel",
    );
    assert_eq!(v["cancelled"], true);

    let v = rapport(&b, "2025-06-28", &["salons", "list", "--json"]).json();
    conforms(
        &v,
        &promised(&b, &["salons", "list"], "JSON (--json)"),
        "list",
    );
    let rows = v.as_array().unwrap();
    let order: Vec<String> = rows.iter().map(|r| r["salon"]["id"].to_string()).collect();
    assert_eq!(
        order,
        [other.to_string(), s_.clone(), monday],
        "coming first, then the latest past"
    );
    assert_eq!(
        rows[1]["funnel"],
        serde_json::json!({"invited": 3, "reached": 2, "confirmed": 2, "came": 1, "guests": 1})
    );
    // Plain output reads too.
    let out = rapport(&b, "2025-06-28", &["salons", "show", &s_]);
    assert!(
        out.ok && out.stdout.contains("养老规划讲座") && out.stdout.contains("到场 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_input_fails_with_a_clear_message() {
    let (_dir, b) = book();
    let a = add_client(&b, &["--name", "王建国"]).to_string();
    let s = rapport(
        &b,
        "2025-06-01",
        &[
            "salons",
            "add",
            "--title",
            "讲座",
            "--start",
            "2025-06-20 14:00",
        ],
    );
    let s = s.stdout.trim().to_string();
    assert!(rapport(&b, "2025-06-01", &["salons", "invite", &s, &a]).ok);
    let call = format!("{s}/{a}/r7");
    // The advisor reads a sentence; `--json` keeps the error's kind and code for scripts.
    let fails = |today: &str, args: &[&str], says: &str| {
        let out = rapport(&b, today, args);
        assert!(!out.ok, "{args:?} should fail: {}", out.stdout);
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let coded = rapport(&b, today, &with_json);
        assert!(
            out.stderr.contains(says) || coded.stderr.contains(says),
            "{args:?}: {:?} / {:?} should say {says:?}",
            out.stderr,
            coded.stderr
        );
        out
    };
    let out = fails(
        "2025-06-13",
        &["salons", "record", &call, "--response", "maybe"],
        "has no “maybe”",
    );
    assert_eq!(out.code, Some(1));
    assert!(out
        .stderr
        .contains("no_answer, declined, tentative, confirmed"));
    fails(
        "2025-06-13",
        &["salons", "record", "12/x/r7", "--response", "confirmed"],
        "Call id is not valid: it looks like SALON/CLIENT/r7",
    );
    fails(
        "2025-06-13",
        &[
            "salons",
            "record",
            &format!("{s}/{a}/r5"),
            "--response",
            "confirmed",
        ],
        "call_id_invalid",
    );
    fails(
        "2025-06-13",
        &[
            "salons",
            "record",
            &format!("{s}/999/r7"),
            "--response",
            "confirmed",
        ],
        "\"what\":\"invitee\"",
    );
    fails(
        "2025-06-13",
        &[
            "salons",
            "record",
            &call,
            "--response",
            "confirmed",
            "--on",
            "2025-06-14",
        ],
        "date_in_future",
    );
    fails(
        "2025-06-13",
        &["agenda", "snooze", &call],
        "snooze needs --to YYYY-MM-DD",
    );
    fails(
        "2025-06-13",
        &["agenda", "snooze", &call, "--to", "2025-06-13"],
        "snooze_not_after",
    );
    fails(
        "2025-06-13",
        &["agenda", "done", "nonsense"],
        "item_id_invalid",
    );
    fails(
        "2025-06-13",
        &["agenda", "--date", "2025-02-30"],
        "date_impossible",
    );
    for args in [
        vec!["salons", "show", "999"],
        vec!["salons", "invite", "999", &a],
        vec!["salons", "move", "999", "--start", "2025-07-01T10:00"],
        vec!["salons", "cancel", "999"],
        vec!["salons", "suggest", "999"],
        vec!["salons", "attend", "999", &a, "--came"],
        vec!["salons", "record", "999/1/r7", "--response", "declined"],
    ] {
        fails("2025-06-13", &args, "That salon was not found");
    }
    fails(
        "2025-06-13",
        &["salons", "invite", &s, "4242"],
        "\"what\":\"client\"",
    );
    fails(
        "2025-06-13",
        &["salons", "add", "--title", "讲座", "--start", "next friday"],
        "date_format",
    );
    fails(
        "2025-06-13",
        &[
            "salons",
            "add",
            "--title",
            "讲座",
            "--start",
            "2025-07-01 10:00",
            "--segment",
            "kids",
        ],
        "has no “kids”",
    );
    fails(
        "2025-06-13",
        &[
            "salons",
            "add",
            "--title",
            "讲座",
            "--start",
            "2025-07-01 10:00",
            "--capacity",
            "0",
        ],
        "capacity_zero",
    );
    // Neither --came nor --no-show: refused before anything is written.
    let out = fails("2025-06-13", &["salons", "attend", &s, &a], "--came");
    assert_eq!(out.code, Some(2));
    // No book there: nothing is created.
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("none.rapport");
    let out = rapport(&missing, "2025-06-13", &["agenda"]);
    assert!(
        !out.ok && out.stderr.contains("there is no book at"),
        "{}",
        out.stderr
    );
    assert!(!missing.exists());
    // Nothing bad was written: the call is still to be made.
    let v = rapport(&b, "2025-06-13", &["agenda", "--json"]).json();
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == call.as_str()));
}
