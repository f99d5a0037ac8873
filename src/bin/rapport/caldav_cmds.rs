//! The phone's calendar over CalDAV from the command line: sync the reminders, see where the
//! last sync got to, stop syncing.

use crate::failure::{open_existing, Failure};
use clap::Subcommand;
use rapport::clock;
use rapport::exchange::caldav::{self, Account, SyncReport};
use std::io::IsTerminal;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// The variable that holds the CalDAV password for scripts.
pub const PASSWORD_ENV: &str = "RAPPORT_CALDAV_PASSWORD";

/// CalDAV subcommands.
#[derive(Subcommand, Debug)]
pub enum CaldavCommand {
    /// Push the reminders of the coming days to the calendar: only what changed since the
    /// last sync. The password comes from RAPPORT_CALDAV_PASSWORD, the book (when encrypted),
    /// the keyring, or a prompt.
    Sync {
        /// The calendar's URL (default: the one the book synced to).
        #[arg(long)]
        url: Option<String>,
        /// The user on the server (default: the one the book synced as).
        #[arg(long)]
        user: Option<String>,
        /// Keep the password for the next syncs (in the book when it is encrypted, else in the
        /// keyring).
        #[arg(long)]
        remember: bool,
    },
    /// The calendar the book syncs to, the last sync's result, and what is pending.
    Status,
    /// Stop syncing: forget the calendar, its password and what was sent (the calendar keeps
    /// its events).
    Forget,
}

fn zh() -> bool {
    crate::failure::system_language() == "zh-CN"
}

fn words(zh_text: &'static str, en: &'static str) -> &'static str {
    if zh() {
        zh_text
    } else {
        en
    }
}

fn password(book: &rapport::Book, account: &Account) -> Result<Zeroizing<String>, Failure> {
    if let Some(p) = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()) {
        return Ok(Zeroizing::new(p));
    }
    if let Some(p) = caldav::password(book, account)? {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let prompt = if zh() {
            format!("{} 在 {} 的密码：", account.user, account.url)
        } else {
            format!("Password of {} at {}: ", account.user, account.url)
        };
        return Ok(Zeroizing::new(rpassword::prompt_password(prompt)?));
    }
    Err(Failure::Said(
        words(
            "需要日历的密码：请设置 RAPPORT_CALDAV_PASSWORD，或在终端里运行以输入密码。",
            "the calendar's password is needed: set RAPPORT_CALDAV_PASSWORD, or run this in a terminal to type it.",
        )
        .into(),
    ))
}

fn print_report(r: &SyncReport) {
    if zh() {
        println!(
            "日历已同步（{}）：新建 {}，更新 {}，删除 {}，未变 {}",
            r.at, r.created, r.updated, r.deleted, r.unchanged
        );
    } else {
        println!(
            "calendar synced ({}): {} created, {} updated, {} deleted, {} unchanged",
            r.at, r.created, r.updated, r.deleted, r.unchanged
        );
    }
}

/// Run one CalDAV subcommand.
pub fn run(cmd: CaldavCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let path = rapport::book::resolve_path(book_path.as_deref());
    let mut book = open_existing(&path)?;
    match cmd {
        CaldavCommand::Sync {
            url,
            user,
            remember,
        } => {
            let stored = caldav::account(&book)?;
            let url = url.or_else(|| stored.as_ref().map(|a| a.url.clone()));
            let user = user.or_else(|| stored.as_ref().map(|a| a.user.clone()));
            let (Some(url), Some(user)) = (url, user) else {
                return Err(Failure::Said(
                    words(
                        "这本客户簿还没有同步过日历：请用 --url 和 --user 指明日历。",
                        "this book has no calendar to sync to yet: name one with --url and --user.",
                    )
                    .into(),
                ));
            };
            let account = caldav::set_account(&mut book, &url, &user)?;
            let password = password(&book, &account)?;
            let now = clock::now_in(&book)?;
            let report = caldav::sync(&mut book, &url, &user, &password, now, |_, _| {})?;
            if remember {
                caldav::keep_password(&mut book, &account, &password)?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report);
            }
            Ok(())
        }
        CaldavCommand::Status => {
            let account = caldav::account(&book)?;
            let last = caldav::last(&book)?;
            let pending = match &account {
                Some(a) => Some(caldav::plan(&book, &a.url, clock::now_in(&book)?)?.pending()),
                None => None,
            };
            if json {
                let out = serde_json::json!({
                    "account": account,
                    "last": last,
                    "pending": pending,
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            match (&account, zh()) {
                (None, true) => println!("未设置日历同步"),
                (None, false) => println!("no calendar to sync to"),
                (Some(a), true) => println!("日历：{}（用户 {}）", a.url, a.user),
                (Some(a), false) => println!("calendar: {} (user {})", a.url, a.user),
            }
            if let Some(r) = &last {
                print_report(r);
                if let Some(code) = &r.error {
                    let e = rapport::Error::invalid("caldav_url", code);
                    println!(
                        "{}",
                        crate::failure::sentence_of(&e, crate::failure::system_language())
                    );
                }
            }
            if let Some(n) = pending {
                if zh() {
                    println!("待同步：{n} 项");
                } else {
                    println!("pending: {n}");
                }
            }
            Ok(())
        }
        CaldavCommand::Forget => {
            caldav::forget_account(&mut book)?;
            println!("{}", words("已停止日历同步", "calendar sync stopped"));
            Ok(())
        }
    }
}
