//! Where the CLI gets the book's passphrase: `RAPPORT_PASSPHRASE`, or a prompt on the terminal
//! that does not echo. A new passphrase comes from `RAPPORT_NEW_PASSPHRASE` or is typed twice.

use crate::failure::Failure;
use rapport::book::{self, Passphrase};
use rapport::Error;
use std::io::IsTerminal;
use std::path::Path;

/// The variable that holds the book's passphrase for scripts.
pub const PASSPHRASE_ENV: &str = "RAPPORT_PASSPHRASE";
/// The variable that holds a backup's passphrase when it differs from the book's.
pub const BACKUP_PASSPHRASE_ENV: &str = "RAPPORT_BACKUP_PASSPHRASE";
/// The variable that holds the new passphrase when a script sets or changes it.
pub const NEW_PASSPHRASE_ENV: &str = "RAPPORT_NEW_PASSPHRASE";

fn from_env(name: &str) -> Option<Passphrase> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .map(Passphrase::new)
}

/// Whether the terminal can be asked (stdin and stderr are a terminal).
fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn ask(prompt: &str) -> Result<Passphrase, Failure> {
    let typed = rpassword::prompt_password(prompt)?;
    Ok(Passphrase::new(typed))
}

fn words(zh: &'static str, en: &'static str) -> &'static str {
    if crate::failure::system_language() == "zh-CN" {
        zh
    } else {
        en
    }
}

/// The passphrase given for the session, without asking: for a book being created.
pub fn given() -> Option<Passphrase> {
    from_env(PASSPHRASE_ENV)
}

/// The passphrase to open the book at `path` with: none for a plain book; for an encrypted
/// one, the environment's or what the advisor types.
pub fn for_book(path: &Path) -> Result<Option<Passphrase>, Failure> {
    if !book::is_encrypted(path).map_err(|e| Failure::AtBook(e, path.to_path_buf()))? {
        return Ok(None);
    }
    if let Some(p) = from_env(PASSPHRASE_ENV) {
        return Ok(Some(p));
    }
    if can_ask() {
        return Ok(Some(ask(words(
            "客户簿密码：",
            "Passphrase of the book: ",
        ))?));
    }
    Err(Failure::AtBook(Error::Locked, path.to_path_buf()))
}

/// The passphrase of a backup that the book's own does not open.
pub fn for_backup(file: &Path) -> Result<Passphrase, Failure> {
    if let Some(p) = from_env(BACKUP_PASSPHRASE_ENV) {
        return Ok(p);
    }
    if can_ask() {
        return ask(words("备份文件的密码：", "Passphrase of the backup: "));
    }
    Err(Failure::AtBook(Error::Locked, file.to_path_buf()))
}

/// A new passphrase to set: the environment's, or typed twice on the terminal.
pub fn new_one() -> Result<Passphrase, Failure> {
    let text = match from_env(NEW_PASSPHRASE_ENV) {
        Some(p) => p,
        None if can_ask() => {
            let first = ask(words("新密码：", "New passphrase: "))?;
            let again = ask(words("再输入一次：", "Type it again: "))?;
            if !first.same_as(&again) {
                return Err(Error::invalid("passphrase", "passphrases_differ").into());
            }
            first
        }
        None => return Err(Error::invalid("passphrase", "required").into()),
    };
    Ok(text.checked()?)
}
