//! How a failed command is told: the sentence the window shows for the same error, in the
//! system's language (zh-CN or en), and with `--json` the error's kind and code as well.

use rapport::Error;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sentences the window uses: one catalog for both, kept beside the UI's other assets.
const ZH_CN: &str = include_str!("../../../assets/messages/zh-CN.json");
const EN: &str = include_str!("../../../assets/messages/en.json");

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The core refused or failed.
    Core(Error),
    /// The core failed on the book at this path (opening or upgrading it).
    AtBook(Error, PathBuf),
    /// There is no book at this path, and only `init` and `demo` make one.
    NoBook(PathBuf),
    /// A word the command does not know for `what` (a tier, a segment, an answer …).
    Word {
        /// The field, as the catalog names fields.
        what: String,
        /// What was typed.
        text: String,
        /// The words it knows.
        allowed: Vec<String>,
    },
    /// The command line itself was wrong (a file that cannot be read, a bad number).
    Said(String),
    /// An import refused this many rows, and wrote nothing.
    Refused {
        /// Rows refused.
        rows: u32,
    },
}

impl Failure {
    /// An unknown word for `what`, with the words that would do.
    pub fn word(what: &str, text: &str, allowed: &[&str]) -> Failure {
        Failure::Word {
            what: what.into(),
            text: text.into(),
            allowed: allowed.iter().map(|a| a.to_string()).collect(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Core(e.into())
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Said(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Said(message.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Said(e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Said(e.to_string())
    }
}

/// Open the book at `path`, which must exist: a mistyped path must not become a new, empty
/// book that looks like the advisor's book with every client gone.
pub fn open_existing(path: &Path) -> Result<rapport::Book, Failure> {
    if !path.is_file() {
        return Err(Failure::NoBook(path.to_path_buf()));
    }
    let passphrase = crate::passphrase::for_book(path)?;
    rapport::Book::open_existing_with(path, passphrase.as_ref())
        .map_err(|e| Failure::AtBook(e, path.to_path_buf()))
}

/// The language to speak: zh-CN when the system's locale is Chinese, else English, read the
/// way POSIX programs read it (`LC_ALL`, then `LC_MESSAGES`, then `LANG`).
pub fn system_language() -> &'static str {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("zh") {
        "zh-CN"
    } else {
        "en"
    }
}

/// The catalog of a language.
fn catalog(language: &str) -> Value {
    let text = if language == "zh-CN" { ZH_CN } else { EN };
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// `{name}` placeholders filled, as vue-i18n fills them in the window.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Failure {
    /// The sentence for the advisor, in `language`.
    pub fn sentence(&self, language: &str) -> String {
        let c = catalog(language);
        match self {
            Failure::Core(e) => core_sentence(e, &c),
            Failure::AtBook(e, path) => {
                let (sep, open, close) = if language == "zh-CN" {
                    ("", "（", "）")
                } else {
                    (" ", "(", ")")
                };
                format!(
                    "{}{sep}{open}{}{close}",
                    core_sentence(e, &c),
                    path.display()
                )
            }
            Failure::NoBook(path) => say(&c, "no_book", &[("path", &path.display().to_string())]),
            Failure::Word {
                what,
                text,
                allowed,
            } => {
                let label = c["field"][what.as_str()].as_str().unwrap_or(what);
                let sep = if language == "zh-CN" { "、" } else { ", " };
                say(
                    &c,
                    "unknown_word",
                    &[
                        ("field", label),
                        ("text", text),
                        ("allowed", &allowed.join(sep)),
                    ],
                )
            }
            Failure::Said(message) => message.clone(),
            Failure::Refused { rows } => say(&c, "import_refused", &[("rows", &rows.to_string())]),
        }
    }

    /// What `--json` prints: the sentence, and for the core's errors their kind, code and field.
    pub fn json(&self, language: &str) -> Value {
        let mut out = match self {
            Failure::Core(e) | Failure::AtBook(e, _) => {
                serde_json::to_value(e).unwrap_or(json!({}))
            }
            Failure::NoBook(path) => json!({"kind": "no_book", "path": path.display().to_string()}),
            Failure::Word {
                what,
                text,
                allowed,
            } => json!({"kind": "invalid", "code": "unknown_word", "field": what,
                        "text": text, "allowed": allowed}),
            Failure::Said(_) => json!({"kind": "usage"}),
            Failure::Refused { rows } => json!({"kind": "import_refused", "rows": rows}),
        };
        out["message"] = Value::String(self.sentence(language));
        json!({ "error": out })
    }
}

/// A core error as the sentence the window shows, in `language`.
pub fn sentence_of(e: &Error, language: &str) -> String {
    core_sentence(e, &catalog(language))
}

/// The catalog's sentence `key`, filled.
fn say(c: &Value, key: &str, values: &[(&str, &str)]) -> String {
    c["errors"][key]
        .as_str()
        .map(|t| fill(t, values))
        .unwrap_or_else(|| key.to_string())
}

/// A core error as the window says it (`ui/src/errors.ts` follows the same steps).
fn core_sentence(e: &Error, c: &Value) -> String {
    match e {
        Error::Invalid {
            field,
            code,
            detail,
        } => {
            let label = c["field"][field.as_str()].as_str().unwrap_or(field);
            if c["errors"][code.as_str()].is_string() {
                say(
                    c,
                    code,
                    &[
                        ("field", label),
                        ("detail", detail.as_deref().unwrap_or("")),
                    ],
                )
            } else {
                say(c, "unknown", &[("message", &format!("{label}: {code}"))])
            }
        }
        Error::NotFound { what } => match c["record"][what.as_str()].as_str() {
            Some(record) => say(c, "not_found_record", &[("record", record)]),
            None => say(c, "not_found", &[]),
        },
        Error::Book { message } => say(c, "book", &[("message", message)]),
        Error::TooNew { .. } => say(c, "too_new", &[]),
        Error::Busy => say(c, "busy", &[]),
        Error::Locked => say(c, "locked", &[]),
        Error::WrongPassphrase => say(c, "wrong_passphrase", &[]),
    }
}
