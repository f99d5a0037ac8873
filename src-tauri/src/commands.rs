//! The typed commands the UI calls: each one validates nothing itself and calls the core.
//!
//! Every command runs on the async runtime (`#[tauri::command(async)]`), never on the main
//! thread: a slow query or a book locked by the CLI must not freeze the window.

use chrono::NaiveDateTime;
use rapport::book::values::{format_datetime, parse_date, Birthday};
use rapport::clients::{Client, ClientInput, ClientPage, ClientProfile, ClientQuery, ClientRow};
use rapport::contacts::{Contact, ContactInput, FollowUp, FollowUpInput};
use rapport::family::{FamilyInput, FamilyMember};
use rapport::search as find;
use rapport::search::SearchHit;
use rapport::settings::{self as advisor_settings, Settings};
use rapport::{book, clients, clock as advisor_clock, contacts, demo, drafts, family};
use rapport::{Book, Error};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use tauri::State;

/// The book the window works on. The window moves between the advisor's own book and its demo
/// book, so where it is and what is open change together, under one lock.
pub struct Shelf {
    place: Mutex<Place>,
}

struct Place {
    /// The file the window shows.
    path: PathBuf,
    /// The book in it; `None` until it exists and is opened.
    book: Option<Book>,
    /// The advisor's own book, where "create my own book" leads from the demo book.
    own: PathBuf,
}

/// The book at `path` if the file exists; a missing file waits for the advisor to create it.
fn open_if_there(path: &Path) -> Option<Book> {
    if path.is_file() {
        Book::open_existing(path).ok()
    } else {
        None
    }
}

impl Shelf {
    /// Open the book at `path` if it exists. `own` is the advisor's own book when the window
    /// starts on a demo book; without it, that is `path` itself, or (when `path` is a demo
    /// book) the book `rapport` uses by default.
    pub fn new(path: PathBuf, own: Option<PathBuf>) -> Shelf {
        let book = open_if_there(&path);
        let demo = book
            .as_ref()
            .is_some_and(|b| advisor_settings::is_demo(b).unwrap_or(false));
        let own = own.unwrap_or_else(|| {
            if demo {
                book::resolve_path(None)
            } else {
                path.clone()
            }
        });
        Shelf {
            place: Mutex::new(Place { path, book, own }),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Place>, Error> {
        self.place.lock().map_err(|_| Error::Book {
            message: "book lock poisoned".into(),
        })
    }

    /// Run `f` on the open book: every command and background loop reaches the book through
    /// here, so a switch of books is seen by all of them at once.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Book) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self.lock()?.book.as_mut() {
            Some(book) => {
                book.still_readable()?;
                f(book)
            }
            None => Err(Error::not_found("book")),
        }
    }

    /// The advisor's now: in the open book's time zone, else the default zone a new book gets.
    /// A zone that cannot be read must not stop the window showing a day.
    fn now(&self) -> NaiveDateTime {
        self.with(|b| advisor_clock::now_in(b))
            .unwrap_or_else(|_| advisor_clock::now_without_book())
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
    /// The open book is a demo book: every client in it is made up.
    pub demo: bool,
    /// The advisor's own book exists (so the way out of the demo opens it, not makes it).
    pub own_exists: bool,
    /// Clients in it.
    pub clients: u32,
    /// The file exists but could not be opened (message for the advisor).
    pub error: Option<Error>,
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

fn status_of(place: &Place) -> BookStatus {
    let book = place.book.as_ref();
    let error = match (book, place.path.is_file()) {
        (None, true) => Book::open_existing(&place.path).err(),
        _ => None,
    };
    BookStatus {
        path: place.path.display().to_string(),
        open: book.is_some(),
        demo: book.is_some_and(|b| advisor_settings::is_demo(b).unwrap_or(false)),
        own_exists: place.own != place.path && place.own.is_file(),
        clients: book.and_then(|b| clients::count(b).ok()).unwrap_or(0),
        error,
    }
}

impl Shelf {
    /// Where the window is and what is open there.
    pub fn status(&self) -> Result<BookStatus, Error> {
        Ok(status_of(&*self.lock()?))
    }

    /// Create an empty book where the window is, when none exists yet.
    pub fn create(&self) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        if place.book.is_none() {
            place.book = Some(Book::open(&place.path)?);
        }
        Ok(status_of(&place))
    }

    /// Move to the demo book that goes with the book the window is on (made on first use);
    /// that book, the advisor's own, is left as it is and remembered for [`Shelf::to_own`].
    pub fn to_demo(&self) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        let on_demo = place
            .book
            .as_ref()
            .is_some_and(|b| advisor_settings::is_demo(b).unwrap_or(false));
        if !on_demo {
            let own = place.path.clone();
            let path = book::demo_path(&own);
            let book = demo::open_or_make(&path)?;
            *place = Place {
                path,
                book: Some(book),
                own,
            };
        }
        Ok(status_of(&place))
    }

    /// Move to the advisor's own book: opened if it exists, else left for the welcome screen
    /// to create.
    pub fn to_own(&self) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        let own = place.own.clone();
        if place.path != own {
            place.book = open_if_there(&own);
            place.path = own;
        }
        Ok(status_of(&place))
    }
}

/// Where the book is and whether it is open.
#[tauri::command(async)]
pub fn book_status(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.status()
}

/// Create an empty book where the window is, when none exists yet.
#[tauri::command(async)]
pub fn create_book(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.create()
}

/// Move the window to the demo book, so the advisor can look around before making their own.
#[tauri::command(async)]
pub fn open_demo_book(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.to_demo()
}

/// Move the window to the advisor's own book (the welcome screen there when it is not made yet).
#[tauri::command(async)]
pub fn open_own_book(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.to_own()
}

/// One page of the client list.
#[tauri::command(async)]
pub fn list_clients(shelf: State<'_, Shelf>, query: ClientQuery) -> Result<ClientPage, Error> {
    shelf.with(|b| clients::list(b, &query))
}

/// The client page.
#[tauri::command(async)]
pub fn client_profile(shelf: State<'_, Shelf>, id: i64) -> Result<ClientProfile, Error> {
    shelf.with(|b| clients::profile(b, id, advisor_clock::today_in(b)?))
}

/// Create a client.
#[tauri::command(async)]
pub fn create_client(shelf: State<'_, Shelf>, input: ClientInput) -> Result<Client, Error> {
    shelf.with(|b| clients::create(b, &input, advisor_clock::today_in(b)?))
}

/// Save an edited client.
#[tauri::command(async)]
pub fn update_client(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ClientInput,
) -> Result<Client, Error> {
    shelf.with(|b| clients::update(b, id, &input, advisor_clock::today_in(b)?))
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
    shelf.with(|b| family::add(b, client_id, &input, advisor_clock::today_in(b)?))
}

/// Save an edited family member.
#[tauri::command(async)]
pub fn update_family(
    shelf: State<'_, Shelf>,
    id: i64,
    input: FamilyInput,
) -> Result<FamilyMember, Error> {
    shelf.with(|b| family::update(b, id, &input, advisor_clock::today_in(b)?))
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
    shelf.with(|b| contacts::add(b, client_id, &input, advisor_clock::now_in(b)?))
}

/// Save an edited contact.
#[tauri::command(async)]
pub fn update_contact(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ContactInput,
) -> Result<Contact, Error> {
    shelf.with(|b| contacts::update(b, id, &input, advisor_clock::now_in(b)?))
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
    shelf.with(|b| contacts::set_follow_up_done(b, id, done, advisor_clock::now_in(b)?))
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
pub fn read_birthday(shelf: State<'_, Shelf>, birthday: Birthday) -> Result<Birthday, Error> {
    birthday.validate("birthday", shelf.now().date())
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

fn clock_at(now: NaiveDateTime) -> Clock {
    Clock {
        today: now.date().to_string(),
        now: format_datetime(now),
    }
}

/// The advisor's day and time.
#[tauri::command(async)]
pub fn clock(shelf: State<'_, Shelf>) -> Clock {
    clock_at(shelf.now())
}

/// The advisor's settings kept in the book.
#[tauri::command(async)]
pub fn settings(shelf: State<'_, Shelf>) -> Result<Settings, Error> {
    shelf.with(|b| advisor_settings::get(b))
}

/// Change the advisor's time zone; the day and time in it, so the window can move at once.
#[tauri::command(async)]
pub fn set_time_zone(shelf: State<'_, Shelf>, zone: String) -> Result<Clock, Error> {
    shelf.with(|b| {
        advisor_settings::set_time_zone(b, &zone)?;
        Ok(clock_at(advisor_clock::now_in(b)?))
    })
}

/// Switch the morning notice on at `HH:MM`, or off with none.
#[tauri::command(async)]
pub fn set_morning_notice(shelf: State<'_, Shelf>, at: Option<String>) -> Result<Settings, Error> {
    shelf.with(|b| advisor_settings::set_morning_notice(b, at.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport::clients::ClientInput;

    fn count(path: &Path) -> u32 {
        clients::count(&Book::open_existing(path).unwrap()).unwrap()
    }

    #[test]
    fn a_book_upgraded_by_a_newer_rapport_while_open_is_not_touched_again() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("book.rapport");
        drop(Book::open(&own).unwrap());
        let shelf = Shelf::new(own.clone(), None);
        assert_eq!(shelf.with(|b| clients::count(b)).unwrap(), 0);
        // A newer CLI upgrades the book while the window holds it open.
        let newer = book::SCHEMA_VERSION + 1;
        rusqlite::Connection::open(&own)
            .unwrap()
            .pragma_update(None, "user_version", newer)
            .unwrap();
        let refused = shelf.with(|b| clients::count(b)).unwrap_err();
        assert_eq!(
            refused,
            Error::TooNew {
                found: newer,
                known: book::SCHEMA_VERSION
            }
        );
    }

    #[test]
    fn the_window_looks_at_the_demo_and_comes_back_to_make_its_own_book() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("book.rapport");
        let shelf = Shelf::new(own.clone(), None);
        let s = shelf.status().unwrap();
        assert!(!s.open && !s.demo);

        let s = shelf.to_demo().unwrap();
        assert!(s.open && s.demo && s.clients == demo::DEFAULT_CLIENTS);
        assert!(!s.own_exists, "the way out of the demo makes the own book");
        assert_eq!(PathBuf::from(&s.path), book::demo_path(&own));
        assert!(
            !own.exists(),
            "looking at the demo makes no book of the advisor's"
        );
        // Every command reaches the demo book now.
        assert_eq!(shelf.with(|b| clients::count(b)).unwrap(), s.clients);
        // A second click stays on the same demo book.
        assert_eq!(shelf.to_demo().unwrap().path, s.path);

        let s = shelf.to_own().unwrap();
        assert_eq!(PathBuf::from(&s.path), own);
        assert!(!s.open && !s.demo && !own.exists());
        assert!(
            shelf.with(|b| clients::count(b)).is_err(),
            "no book is open"
        );

        let s = shelf.create().unwrap();
        assert!(s.open && !s.demo && s.clients == 0);
        shelf
            .with(|b| {
                let today = advisor_clock::today_in(b)?;
                let input = ClientInput {
                    name: "张三".into(),
                    ..Default::default()
                };
                clients::create(b, &input, today)
            })
            .unwrap();
        assert_eq!(count(&own), 1);
        assert_eq!(count(&book::demo_path(&own)), demo::DEFAULT_CLIENTS);
        // Back on the demo, the way out now opens the own book.
        assert!(shelf.to_demo().unwrap().own_exists);
        assert_eq!(shelf.to_own().unwrap().clients, 1);
    }

    #[test]
    fn a_window_started_on_a_demo_book_leads_to_the_book_it_is_told() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("mine.rapport");
        let demo_file = dir.path().join("demo.rapport");
        drop(demo::open_or_make(&demo_file).unwrap());

        let shelf = Shelf::new(demo_file.clone(), Some(own.clone()));
        assert!(shelf.status().unwrap().demo);
        let s = shelf.to_own().unwrap();
        assert_eq!(PathBuf::from(&s.path), own);
        assert!(!s.open && !own.exists());

        // Started on the advisor's own book, that book is where "own" leads.
        drop(Book::open(&own).unwrap());
        let shelf = Shelf::new(own.clone(), None);
        let s = shelf.to_own().unwrap();
        assert!(s.open && !s.demo);
        assert_eq!(PathBuf::from(&s.path), own);
    }
}
