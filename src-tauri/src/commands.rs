//! The typed commands the UI calls: each one validates nothing itself and calls the core.
//!
//! Every command runs on the async runtime (`#[tauri::command(async)]`), never on the main
//! thread: a slow query or a book locked by the CLI must not freeze the window.

use chrono::{Local, NaiveDate, NaiveDateTime};
use rapport::book::values::{format_datetime, parse_date, Birthday};
use rapport::clients::{Client, ClientInput, ClientPage, ClientProfile, ClientQuery, ClientRow};
use rapport::contacts::{Contact, ContactInput, FollowUp, FollowUpInput};
use rapport::family::{FamilyInput, FamilyMember};
use rapport::search::SearchHit;
use rapport::{clients, contacts, demo, drafts, family, search as find, Book, Error};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::State;

/// The book the window works on; `None` until it exists and is opened.
pub struct Shelf {
    path: PathBuf,
    book: Mutex<Option<Book>>,
}

impl Shelf {
    /// Open the book at `path` if it exists; otherwise wait for the advisor to create one.
    pub fn new(path: PathBuf) -> Shelf {
        let book = if path.is_file() {
            Book::open_existing(&path).ok()
        } else {
            None
        };
        Shelf {
            path,
            book: Mutex::new(book),
        }
    }

    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Book) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut guard = self.book.lock().map_err(|_| Error::Book {
            message: "book lock poisoned".into(),
        })?;
        match guard.as_mut() {
            Some(book) => f(book),
            None => Err(Error::not_found("book")),
        }
    }
}

/// Whether a book is open, where it lives, how many clients it holds.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BookStatus {
    /// The book file.
    pub path: String,
    /// A book is open.
    pub open: bool,
    /// Clients in it.
    pub clients: u32,
    /// The file exists but could not be opened (message for the advisor).
    pub error: Option<Error>,
}

/// Environment variable that pins the advisor's day (`YYYY-MM-DD`), for tests.
const TODAY_ENV: &str = "RAPPORT_TODAY";

/// The advisor's now: every command that needs the day or the time asks here, so the advisor's
/// time zone is one edit. `RAPPORT_TODAY` replaces the day and keeps the time of day; a value
/// that is not a date is ignored rather than stopping the app.
pub(crate) fn now() -> NaiveDateTime {
    pinned(Local::now().naive_local(), std::env::var(TODAY_ENV).ok())
}

/// `now` moved to the `day` a test pinned, keeping its time of day.
fn pinned(now: NaiveDateTime, day: Option<String>) -> NaiveDateTime {
    day.and_then(|d| parse_date(TODAY_ENV, &d).ok())
        .map_or(now, |day| day.and_time(now.time()))
}

fn today() -> NaiveDate {
    now().date()
}

/// The advisor's day and time, so the UI never reads the webview's clock.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Clock {
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    /// Now, `YYYY-MM-DD HH:MM`.
    pub now: String,
}

fn status(shelf: &Shelf) -> BookStatus {
    let guard = shelf.book.lock().ok();
    let book = guard.as_ref().and_then(|g| g.as_ref());
    let error = match (book, shelf.path.is_file()) {
        (None, true) => Book::open_existing(&shelf.path).err(),
        _ => None,
    };
    BookStatus {
        path: shelf.path.display().to_string(),
        open: book.is_some(),
        clients: book.and_then(|b| clients::count(b).ok()).unwrap_or(0),
        error,
    }
}

/// Where the book is and whether it is open.
#[tauri::command(async)]
pub fn book_status(shelf: State<'_, Shelf>) -> BookStatus {
    status(&shelf)
}

/// Create the book (empty, or filled with the demo clients) when none exists yet.
#[tauri::command(async)]
pub fn create_book(shelf: State<'_, Shelf>, demo_book: bool) -> Result<BookStatus, Error> {
    {
        let mut guard = shelf.book.lock().map_err(|_| Error::Book {
            message: "book lock poisoned".into(),
        })?;
        if guard.is_none() {
            let mut book = Book::open(&shelf.path)?;
            if demo_book && clients::count(&book)? == 0 {
                demo::populate(
                    &mut book,
                    &demo::DemoSpec {
                        clients: 200,
                        seed: 2026,
                        today: today(),
                    },
                )?;
            }
            *guard = Some(book);
        }
    }
    Ok(status(&shelf))
}

/// One page of the client list.
#[tauri::command(async)]
pub fn list_clients(shelf: State<'_, Shelf>, query: ClientQuery) -> Result<ClientPage, Error> {
    shelf.with(|b| clients::list(b, &query))
}

/// The client page.
#[tauri::command(async)]
pub fn client_profile(shelf: State<'_, Shelf>, id: i64) -> Result<ClientProfile, Error> {
    shelf.with(|b| clients::profile(b, id, today()))
}

/// Create a client.
#[tauri::command(async)]
pub fn create_client(shelf: State<'_, Shelf>, input: ClientInput) -> Result<Client, Error> {
    shelf.with(|b| clients::create(b, &input, today()))
}

/// Save an edited client.
#[tauri::command(async)]
pub fn update_client(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ClientInput,
) -> Result<Client, Error> {
    shelf.with(|b| clients::update(b, id, &input, today()))
}

/// Delete a client and everything about them.
#[tauri::command(async)]
pub fn delete_client(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| clients::delete(b, id))
}

/// Star or unstar a key client.
#[tauri::command(async)]
pub fn set_starred(shelf: State<'_, Shelf>, id: i64, starred: bool) -> Result<(), Error> {
    shelf.with(|b| clients::set_starred(b, id, starred))
}

/// Add a family member.
#[tauri::command(async)]
pub fn add_family(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: FamilyInput,
) -> Result<FamilyMember, Error> {
    shelf.with(|b| family::add(b, client_id, &input, today()))
}

/// Save an edited family member.
#[tauri::command(async)]
pub fn update_family(
    shelf: State<'_, Shelf>,
    id: i64,
    input: FamilyInput,
) -> Result<FamilyMember, Error> {
    shelf.with(|b| family::update(b, id, &input, today()))
}

/// Remove a family member.
#[tauri::command(async)]
pub fn delete_family(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| family::delete(b, id))
}

/// Log a contact with its follow-ups.
#[tauri::command(async)]
pub fn add_contact(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: ContactInput,
) -> Result<Contact, Error> {
    shelf.with(|b| contacts::add(b, client_id, &input, now()))
}

/// Save an edited contact.
#[tauri::command(async)]
pub fn update_contact(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ContactInput,
) -> Result<Contact, Error> {
    shelf.with(|b| contacts::update(b, id, &input, now()))
}

/// Delete a contact.
#[tauri::command(async)]
pub fn delete_contact(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| contacts::delete(b, id))
}

/// Add a follow-up.
#[tauri::command(async)]
pub fn add_follow_up(
    shelf: State<'_, Shelf>,
    client_id: i64,
    contact_id: Option<i64>,
    input: FollowUpInput,
) -> Result<FollowUp, Error> {
    shelf.with(|b| contacts::add_follow_up(b, client_id, contact_id, &input))
}

/// Tick a follow-up off, or reopen it.
#[tauri::command(async)]
pub fn set_follow_up_done(shelf: State<'_, Shelf>, id: i64, done: bool) -> Result<FollowUp, Error> {
    shelf.with(|b| contacts::set_follow_up_done(b, id, done, now()))
}

/// Remove a follow-up.
#[tauri::command(async)]
pub fn delete_follow_up(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| contacts::delete_follow_up(b, id))
}

/// Search names, phones, profiles and notes.
#[tauri::command(async)]
pub fn search(
    shelf: State<'_, Shelf>,
    query: String,
    limit: Option<usize>,
) -> Result<Vec<SearchHit>, Error> {
    shelf.with(|b| find::search(b, &query, limit.unwrap_or(50)))
}

/// Clients who may be the one being entered (same phone or ID number), other than `except_id`.
#[tauri::command(async)]
pub fn find_duplicates(
    shelf: State<'_, Shelf>,
    phone: Option<String>,
    id_number: Option<String>,
    except_id: Option<i64>,
) -> Result<Vec<ClientRow>, Error> {
    shelf.with(|b| clients::duplicates(b, phone.as_deref(), id_number.as_deref(), except_id))
}

/// A date as the advisor typed it (1980/5/2, 1980年5月2日 …), normalised to `YYYY-MM-DD`.
#[tauri::command(async)]
pub fn read_date(text: String) -> Result<String, Error> {
    Ok(parse_date("date", &text)?.to_string())
}

/// A birthday checked against its calendar and today, with its date normalised.
#[tauri::command(async)]
pub fn read_birthday(birthday: Birthday) -> Result<Birthday, Error> {
    birthday.validate("birthday", today())
}

/// Keep what the advisor is typing (a blank body discards it).
#[tauri::command(async)]
pub fn save_draft(
    shelf: State<'_, Shelf>,
    key: String,
    client_id: Option<i64>,
    body: String,
) -> Result<(), Error> {
    shelf.with(|b| drafts::save(b, &key, client_id, &body))
}

/// A kept draft, if any.
#[tauri::command(async)]
pub fn load_draft(shelf: State<'_, Shelf>, key: String) -> Result<Option<String>, Error> {
    shelf.with(|b| drafts::load(b, &key))
}

/// Forget a draft once its form is saved or cancelled.
#[tauri::command(async)]
pub fn discard_draft(shelf: State<'_, Shelf>, key: String) -> Result<(), Error> {
    shelf.with(|b| drafts::discard(b, &key))
}

/// The advisor's day and time.
#[tauri::command(async)]
pub fn clock() -> Clock {
    let now = now();
    Clock {
        today: now.date().to_string(),
        now: format_datetime(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_day_keeps_the_time_of_day() {
        let real = NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        let at = |day: Option<&str>| format_datetime(pinned(real, day.map(String::from)));
        assert_eq!(at(None), "2026-11-30 09:05");
        assert_eq!(at(Some("2024-02-29")), "2024-02-29 09:05");
        assert_eq!(at(Some(" 2024/2/29 ")), "2024-02-29 09:05");
        assert_eq!(at(Some("not a day")), "2026-11-30 09:05");
        assert_eq!(at(Some("2023-02-29")), "2026-11-30 09:05");
    }
}
