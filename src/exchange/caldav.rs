//! 日历同步: the reminders of the calendar file, pushed one event a resource to a CalDAV
//! calendar (the one the advisor's phone shows), sending only what changed since the last sync.
//!
//! The book is the truth. Each sync computes the reminders of the coming days (as the .ics
//! export does, same UIDs and text), lists what the calendar holds of Rapport's (resources
//! named `rapport-….ics`; anything else in the calendar is the advisor's own and never
//! touched), and then:
//! - creates what the calendar lacks (`If-None-Match: *`), re-creating what was deleted on the
//!   phone;
//! - updates what changed in the book, or was changed on the phone, against the ETag the
//!   calendar gave (`If-Match`), so a copy changed in between is seen and written over;
//! - deletes what no longer exists in the book: a deleted follow-up, a client's birthday once the
//!   client is gone. Reminders of past days stay in the calendar as the advisor's history.
//!
//! What the calendar holds is remembered per resource (`calendar_sync`: the text's digest and
//! the ETag), so an unchanged reminder costs nothing. A sync cut off (no network, a server
//! down) records what it finished; the rest stays pending and goes at the next sync.
//!
//! The password: in the book when the book is encrypted, else in the operating system's
//! keyring (the callers' part), never in plain text on disk.

mod dav;

use super::ics::{self, reminders, Reminder, When};
use crate::book::Book;
use crate::{Error, Result};
use blake2::{Blake2b512, Digest};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;
use zeroize::Zeroizing;

pub use dav::Calendar;

/// What every resource Rapport puts in a calendar is named with first.
pub const PREFIX: &str = "rapport-";

/// The calendar's name when a sync has to create it.
const CALENDAR_NAME: &str = "客户簿提醒";

/// How many finished steps are written to the book at once while a sync runs.
const RECORD_EVERY: usize = 50;

const URL_KEY: &str = "caldav_url";
const USER_KEY: &str = "caldav_user";
const PASSWORD_KEY: &str = "caldav_password";
const LAST_KEY: &str = "caldav_last";

/// The calendar the book syncs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Account {
    /// The calendar collection's URL.
    pub url: String,
    /// The user name on that server.
    pub user: String,
    /// Whether the password is kept in the book (only ever in an encrypted book).
    pub password_in_book: bool,
}

/// What a sync did, or how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// When it ran, the advisor's time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// The calendar's URL.
    pub url: String,
    /// Events created in the calendar.
    pub created: u32,
    /// Events updated.
    pub updated: u32,
    /// Events deleted.
    pub deleted: u32,
    /// Events the calendar already held as they are.
    pub unchanged: u32,
    /// Changes not sent yet (the sync was cut off): they go at the next sync.
    pub pending: u32,
    /// Why it stopped, as an error code (`caldav_offline`, `caldav_unauthorized` …), when it did.
    pub error: Option<String>,
}

/// One reminder as the calendar should hold it.
#[derive(Debug, Clone)]
struct Wanted {
    day: NaiveDate,
    text: String,
    digest: String,
}

/// What the book remembers the calendar holds of one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Held {
    day: NaiveDate,
    digest: String,
    etag: Option<String>,
}

/// A sync's work, read from the book at one moment: the reminders as they should be and what
/// the calendar held after the last sync. Sending it needs no book, so the window's book stays
/// free while the network is slow.
#[derive(Debug, Clone)]
pub struct Plan {
    url: String,
    today: NaiveDate,
    at: NaiveDateTime,
    wanted: BTreeMap<String, Wanted>,
    held: BTreeMap<String, Held>,
}

/// What sending a plan came to: what to remember, and the report.
#[derive(Debug)]
pub struct Outcome {
    /// Resources now held, as the calendar answered.
    done: Vec<(String, Option<Held>)>,
    /// The report (its error set when the sync was cut off).
    pub report: SyncReport,
    /// The error that cut it off.
    pub error: Option<Error>,
}

/// The resource name of a reminder's key: `follow_up/40` → `rapport-follow_up.40.ics`. Keys are
/// made of letters, digits, `_`, `-` and `/`, so the name is as stable and unique as the key.
pub fn resource_name(key: &str) -> String {
    format!("{PREFIX}{}.ics", key.replace('/', "."))
}

fn digest(text: &str) -> String {
    Blake2b512::digest(text.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn day_of(r: &Reminder) -> NaiveDate {
    match r.when {
        When::Day(day) => day,
        When::Timed { start, .. } => start.date(),
    }
}

fn setting(book: &Book, key: &str) -> Result<Option<String>> {
    Ok(book
        .conn()
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn put_setting(tx: &rusqlite::Transaction, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => tx
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, v])?,
        None => tx
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

/// The calendar the book syncs to, if one is set.
pub fn account(book: &Book) -> Result<Option<Account>> {
    let (Some(url), Some(user)) = (setting(book, URL_KEY)?, setting(book, USER_KEY)?) else {
        return Ok(None);
    };
    Ok(Some(Account {
        url,
        user,
        password_in_book: setting(book, PASSWORD_KEY)?.is_some(),
    }))
}

/// Set the calendar to sync to (its password: [`keep_password`]). Another calendar than before
/// starts afresh: nothing is known to be in it yet, and the password kept for it is dropped.
pub fn set_account(book: &mut Book, url: &str, user: &str) -> Result<Account> {
    let url = url.trim();
    let user = user.trim();
    Calendar::new(url, user, "")?;
    if user.is_empty() {
        return Err(Error::invalid("caldav_user", "required"));
    }
    let before = account(book)?;
    book.write(|tx| {
        if before.as_ref().is_none_or(|a| a.url != url) {
            tx.execute("DELETE FROM calendar_sync", [])?;
            put_setting(tx, LAST_KEY, None)?;
        }
        if before
            .as_ref()
            .is_none_or(|a| a.url != url || a.user != user)
        {
            put_setting(tx, PASSWORD_KEY, None)?;
        }
        put_setting(tx, URL_KEY, Some(url))?;
        put_setting(tx, USER_KEY, Some(user))?;
        Ok(())
    })?;
    account(book)?.ok_or_else(|| Error::not_found("calendar"))
}

/// Stop syncing: the calendar, its password in the book and what was known of it are
/// forgotten. The calendar keeps its events.
pub fn forget_account(book: &mut Book) -> Result<()> {
    if let Some(account) = account(book)? {
        crate::keychain::forget(KEYRING_SERVICE, &keyring_user(&account));
    }
    book.write(|tx| {
        tx.execute("DELETE FROM calendar_sync", [])?;
        for key in [URL_KEY, USER_KEY, PASSWORD_KEY, LAST_KEY] {
            put_setting(tx, key, None)?;
        }
        Ok(())
    })
}

/// The password kept in the (encrypted) book, if any.
pub fn password_in_book(book: &Book) -> Result<Option<Zeroizing<String>>> {
    Ok(setting(book, PASSWORD_KEY)?.map(Zeroizing::new))
}

/// The keyring's service for CalDAV passwords.
const KEYRING_SERVICE: &str = "Rapport 客户簿 CalDAV";

/// The keyring entry of a calendar's password: the user at the URL.
fn keyring_user(account: &Account) -> String {
    format!("{} {}", account.user, account.url)
}

/// Where a password was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Kept {
    /// In the book, which is encrypted.
    Book,
    /// In the operating system's keyring.
    Keyring,
    /// Nowhere: a plain book and no keyring. It is asked for at each sync.
    Nowhere,
}

/// The calendar's password as kept: in the (encrypted) book, else in the keyring.
pub fn password(book: &Book, account: &Account) -> Result<Option<Zeroizing<String>>> {
    if let Some(p) = password_in_book(book)? {
        return Ok(Some(p));
    }
    Ok(crate::keychain::recall(
        KEYRING_SERVICE,
        &keyring_user(account),
    ))
}

/// Keep the calendar's password: in the book when it is encrypted, else in the keyring.
pub fn keep_password(book: &mut Book, account: &Account, password: &str) -> Result<Kept> {
    if book.encrypted() {
        book.write(|tx| put_setting(tx, PASSWORD_KEY, Some(password)))?;
        return Ok(Kept::Book);
    }
    Ok(
        if crate::keychain::keep(KEYRING_SERVICE, &keyring_user(account), password) {
            Kept::Keyring
        } else {
            Kept::Nowhere
        },
    )
}

/// The last sync's report, if the book has synced.
pub fn last(book: &Book) -> Result<Option<SyncReport>> {
    Ok(setting(book, LAST_KEY)?.and_then(|s| serde_json::from_str(&s).ok()))
}

/// Read the work of a sync to `url` at `now` (the advisor's local time) from the book.
pub fn plan(book: &Book, url: &str, now: NaiveDateTime) -> Result<Plan> {
    let today = now.date();
    let cal = crate::work_schedule::from_book(book)?;
    let found = reminders::collect(book, today, ics::DEFAULT_DAYS, now, &cal)?;
    let zone = crate::settings::time_zone(book)?;
    let morning = crate::settings::morning_notice(book)?
        .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN));
    let wanted = found
        .iter()
        .map(|r| {
            let day = day_of(r);
            let text = ics::write_resource(r, zone, day, morning);
            let digest = digest(&text);
            (resource_name(&r.key), Wanted { day, text, digest })
        })
        .collect();
    let mut held = BTreeMap::new();
    // What was held is only known of the calendar the book synced to.
    if setting(book, URL_KEY)?.as_deref() == Some(url) {
        let mut stmt = book
            .conn()
            .prepare("SELECT name, day, digest, etag FROM calendar_sync")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (name, day, digest, etag) = row?;
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
            held.insert(name, Held { day, digest, etag });
        }
    }
    Ok(Plan {
        url: url.to_string(),
        today,
        at: now,
        wanted,
        held,
    })
}

impl Plan {
    /// Changes the calendar is waiting for, as far as the book knows without asking it: new or
    /// changed reminders, and reminders of today or later that are gone.
    pub fn pending(&self) -> u32 {
        let changed = self
            .wanted
            .iter()
            .filter(|(name, w)| self.held.get(*name).is_none_or(|h| h.digest != w.digest))
            .count();
        let gone = self
            .held
            .iter()
            .filter(|(name, h)| h.day >= self.today && !self.wanted.contains_key(*name))
            .count();
        (changed + gone) as u32
    }

    /// Reminders the calendar should hold.
    pub fn reminders(&self) -> u32 {
        self.wanted.len() as u32
    }
}

/// Send `plan` to `calendar`. `progress` hears (steps done, steps in all) after each request
/// that changed something. Stops at the first failure; what was done by then is in the outcome.
pub fn push(plan: &Plan, calendar: &Calendar, mut progress: impl FnMut(u32, u32)) -> Outcome {
    let mut report = SyncReport {
        at: plan.at.format("%Y-%m-%d %H:%M").to_string(),
        url: plan.url.clone(),
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        pending: 0,
        error: None,
    };
    let mut done = Vec::new();
    let result = steps(plan, calendar, &mut report, &mut done, &mut progress);
    let error = result.err();
    if let Some(e) = &error {
        report.error = Some(match e {
            Error::Invalid { code, .. } => code.clone(),
            other => format!("{other}"),
        });
    }
    Outcome {
        done,
        report,
        error,
    }
}

fn steps(
    plan: &Plan,
    calendar: &Calendar,
    report: &mut SyncReport,
    done: &mut Vec<(String, Option<Held>)>,
    progress: &mut impl FnMut(u32, u32),
) -> Result<()> {
    // Until the calendar answers, everything that differs is pending.
    report.pending = plan.pending();
    let server = match calendar.list()? {
        Some(listed) => listed,
        None => {
            calendar.create(CALENDAR_NAME)?;
            BTreeMap::new()
        }
    };
    // Every step, decided before any is taken, so what is left is known when one fails.
    enum Step<'a> {
        Create(&'a str, &'a Wanted),
        Update(&'a str, &'a Wanted, Option<&'a str>),
        Delete(&'a str, Option<&'a str>),
        Forget(&'a str),
    }
    let mut todo = Vec::new();
    for (name, w) in &plan.wanted {
        match (server.get(name), plan.held.get(name)) {
            (Some(Some(etag)), Some(h))
                if h.digest == w.digest && h.etag.as_ref() == Some(etag) =>
            {
                report.unchanged += 1
            }
            (Some(etag), _) => todo.push(Step::Update(name, w, etag.as_deref())),
            (None, _) => todo.push(Step::Create(name, w)),
        }
    }
    for (name, etag) in &server {
        if plan.wanted.contains_key(name) {
            continue;
        }
        match plan.held.get(name) {
            // A past day's reminder stays as the advisor's history.
            Some(h) if h.day < plan.today => {}
            _ => todo.push(Step::Delete(name, etag.as_deref())),
        }
    }
    for name in plan.held.keys() {
        if !server.contains_key(name) && !plan.wanted.contains_key(name) {
            todo.push(Step::Forget(name));
        }
    }
    let total = todo
        .iter()
        .filter(|s| !matches!(s, Step::Forget(_)))
        .count() as u32;
    report.pending = total;
    let mut sent = 0;
    for step in todo {
        match step {
            Step::Create(name, w) => {
                let answer = match calendar.put(name, &w.text, None)? {
                    // It is there after all (listed a moment ago without it): write it over.
                    dav::Answer::Conflict => calendar.overwrite(name, &w.text)?,
                    other => other,
                };
                let etag = etag_after(calendar, name, answer)?;
                report.created += 1;
                done.push((name.to_string(), Some(held(w, etag))));
            }
            Step::Update(name, w, etag) => {
                let answer = match etag {
                    Some(etag) => calendar.put(name, &w.text, Some(etag))?,
                    None => calendar.overwrite(name, &w.text)?,
                };
                let answer = match answer {
                    // Changed on the phone since it was listed, or deleted there: the book wins.
                    dav::Answer::Conflict | dav::Answer::Missing => {
                        calendar.overwrite(name, &w.text)?
                    }
                    other => other,
                };
                let etag = etag_after(calendar, name, answer)?;
                report.updated += 1;
                done.push((name.to_string(), Some(held(w, etag))));
            }
            Step::Delete(name, etag) => {
                if calendar.delete(name, etag)? == dav::Answer::Conflict {
                    calendar.delete(name, None)?;
                }
                report.deleted += 1;
                done.push((name.to_string(), None));
            }
            Step::Forget(name) => {
                done.push((name.to_string(), None));
                continue;
            }
        }
        sent += 1;
        report.pending = total - sent;
        progress(sent, total);
    }
    Ok(())
}

fn held(w: &Wanted, etag: Option<String>) -> Held {
    Held {
        day: w.day,
        digest: w.digest.clone(),
        etag,
    }
}

/// The ETag a resource has after a PUT: the answer's, or asked for when the server gave none.
fn etag_after(calendar: &Calendar, name: &str, answer: dav::Answer) -> Result<Option<String>> {
    match answer {
        dav::Answer::Done(Some(etag)) => Ok(Some(etag)),
        _ => calendar.etag(name),
    }
}

/// Write what a sync did into the book: what the calendar now holds, and the report.
pub fn record(book: &mut Book, outcome: &Outcome) -> Result<()> {
    for chunk in outcome.done.chunks(RECORD_EVERY) {
        book.write(|tx| {
            let mut put = tx.prepare_cached(
                "INSERT INTO calendar_sync (name, day, digest, etag) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET day = excluded.day,
                     digest = excluded.digest, etag = excluded.etag",
            )?;
            let mut gone = tx.prepare_cached("DELETE FROM calendar_sync WHERE name = ?1")?;
            for (name, held) in chunk {
                match held {
                    Some(h) => put.execute(params![
                        name,
                        h.day.format("%Y-%m-%d").to_string(),
                        h.digest,
                        h.etag
                    ])?,
                    None => gone.execute([name])?,
                };
            }
            Ok(())
        })?;
    }
    let report = serde_json::to_string(&outcome.report)
        .map_err(|e| Error::invalid_with("caldav", "caldav_report", e.to_string()))?;
    book.write(|tx| put_setting(tx, LAST_KEY, Some(&report)))
}

/// Sync the book's reminders to the calendar at `url` as `user` with `password`, at `now`.
/// The calendar becomes the book's (the next syncs go there). On failure the report of how far
/// it got is kept (see [`last`]) and the error returned.
pub fn sync(
    book: &mut Book,
    url: &str,
    user: &str,
    password: &str,
    now: NaiveDateTime,
    progress: impl FnMut(u32, u32),
) -> Result<SyncReport> {
    let calendar = Calendar::new(url, user, password)?;
    if account(book)?.is_none_or(|a| a.url != url.trim() || a.user != user.trim()) {
        set_account(book, url, user)?;
    }
    let plan = plan(book, url.trim(), now)?;
    let outcome = push(&plan, &calendar, progress);
    record(book, &outcome)?;
    match outcome.error {
        Some(e) => Err(e),
        None => Ok(outcome.report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_are_the_keys_made_safe_for_a_url() {
        assert_eq!(resource_name("follow_up/40"), "rapport-follow_up.40.ics");
        assert_eq!(
            resource_name("birthday/client/12/2026-12-03"),
            "rapport-birthday.client.12.2026-12-03.ics"
        );
        assert_ne!(resource_name("salon/5"), resource_name("salon_call/5"));
    }

    #[test]
    fn the_same_text_has_the_same_digest() {
        assert_eq!(digest("BEGIN:VEVENT"), digest("BEGIN:VEVENT"));
        assert_ne!(digest("a"), digest("b"));
        assert_eq!(digest("a").len(), 32);
    }
}
