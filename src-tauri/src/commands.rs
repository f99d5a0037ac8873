//! The typed commands the UI calls: each one validates nothing itself and calls the core.
//!
//! Every command runs on the async runtime (`#[tauri::command(async)]`), never on the main
//! thread: a slow query or a book locked by the CLI must not freeze the window.

use chrono::NaiveDateTime;
use rapport::book::values::{format_datetime, parse_date, Birthday};
use rapport::book::{encryption, Passphrase};
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
use std::time::{Duration, Instant};
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
    /// The advisor's last keystroke or click in the window, for the lock after idle minutes.
    last_touch: Instant,
    /// The book's passphrase is remembered in this laptop's keyring.
    remembered: bool,
}

impl Place {
    fn at(path: PathBuf, book: Option<Book>, own: PathBuf) -> Place {
        // Opened without asking: its passphrase came from the keyring.
        let remembered = book.as_ref().is_some_and(|b| b.encrypted());
        Place {
            path,
            book,
            own,
            last_touch: Instant::now(),
            remembered,
        }
    }

    /// The book in this place is encrypted and not open: it waits for its passphrase.
    fn locked(&self) -> bool {
        self.book.is_none() && book::is_encrypted(&self.path).unwrap_or(false)
    }
}

/// The book at `path` if the file exists; a missing file waits for the advisor to create it.
/// An encrypted book opens with the passphrase remembered on this laptop, if there is one (a
/// remembered passphrase that no longer opens it is forgotten); else it waits locked.
fn open_if_there(path: &Path) -> Option<Book> {
    if !path.is_file() {
        return None;
    }
    if !book::is_encrypted(path).unwrap_or(false) {
        return Book::open_existing(path).ok();
    }
    let remembered = crate::remember::recall(path)?;
    match Book::open_existing_with(path, Some(&remembered)) {
        Ok(b) => Some(b),
        Err(Error::WrongPassphrase) => {
            crate::remember::forget(path);
            None
        }
        Err(_) => None,
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
            place: Mutex::new(Place::at(path, book, own)),
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
        let mut place = self.lock()?;
        if place.locked() {
            return Err(Error::Locked);
        }
        match place.book.as_mut() {
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
    /// The book is encrypted (open or not).
    pub encrypted: bool,
    /// The book is encrypted and waits for its passphrase (at start, or after the lock).
    pub locked: bool,
    /// Idle minutes after which the window locks the open encrypted book (0: never).
    pub auto_lock_minutes: u32,
    /// Its passphrase is remembered in this laptop's keyring (the book opens at start).
    pub remembered: bool,
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
    let locked = place.locked();
    let error = match (book, place.path.is_file()) {
        (None, true) if !locked => Book::open_existing(&place.path).err(),
        _ => None,
    };
    BookStatus {
        path: place.path.display().to_string(),
        open: book.is_some(),
        demo: book.is_some_and(|b| advisor_settings::is_demo(b).unwrap_or(false)),
        own_exists: place.own != place.path && place.own.is_file(),
        clients: book.and_then(|b| clients::count(b).ok()).unwrap_or(0),
        encrypted: locked || book.is_some_and(|b| b.encrypted()),
        locked,
        auto_lock_minutes: book
            .and_then(|b| advisor_settings::auto_lock_minutes(b).ok())
            .unwrap_or(advisor_settings::DEFAULT_AUTO_LOCK_MINUTES),
        remembered: place.remembered,
        error,
    }
}

impl Shelf {
    /// Where the window is and what is open there.
    pub fn status(&self) -> Result<BookStatus, Error> {
        Ok(status_of(&*self.lock()?))
    }

    /// Create an empty book where the window is, when none exists yet: encrypted from its
    /// first byte with `passphrase`, plain without one.
    pub fn create(&self, passphrase: Option<&Passphrase>) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        if place.book.is_none() && !place.path.is_file() {
            place.book = Some(Book::open_with(&place.path, passphrase)?);
            place.last_touch = Instant::now();
        }
        Ok(status_of(&place))
    }

    /// Open the encrypted book where the window is with `passphrase`. A wrong one leaves it
    /// locked and says so. With `remember`, the passphrase goes into this laptop's keyring
    /// (returned false in the status when the keyring could not take it); without, any
    /// remembered one is forgotten.
    pub fn unlock(&self, passphrase: &str, remember: bool) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        if place.book.is_none() {
            let typed = Passphrase::new(passphrase);
            place.book = Some(Book::open_existing_with(&place.path, Some(&typed))?);
            place.last_touch = Instant::now();
        }
        place.remembered = if remember {
            crate::remember::keep(&place.path, passphrase)
        } else {
            crate::remember::forget(&place.path);
            false
        };
        Ok(status_of(&place))
    }

    /// Forget the passphrase remembered on this laptop: the book asks for it at the next start.
    pub fn forget_passphrase(&self) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        crate::remember::forget(&place.path);
        place.remembered = false;
        Ok(status_of(&place))
    }

    /// Close an encrypted book: the connection and its key leave memory until the passphrase
    /// is typed again. A plain book stays open (there is nothing to lock it with).
    pub fn lock_now(&self) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        if place.book.as_ref().is_some_and(|b| b.encrypted()) {
            place.book = None;
        }
        Ok(status_of(&place))
    }

    /// The advisor is at the window.
    pub fn touch(&self) -> Result<(), Error> {
        self.lock()?.last_touch = Instant::now();
        Ok(())
    }

    /// Lock the encrypted book when nobody touched the window for its idle minutes by `now`.
    /// True when it was locked just now.
    pub fn lock_if_idle(&self, now: Instant) -> Result<bool, Error> {
        let mut place = self.lock()?;
        let Some(book) = place.book.as_ref().filter(|b| b.encrypted()) else {
            return Ok(false);
        };
        let limit = match idle_override() {
            Some(limit) => limit,
            None => match advisor_settings::auto_lock_minutes(book)? {
                0 => return Ok(false),
                minutes => Duration::from_secs(u64::from(minutes) * 60),
            },
        };
        if now.saturating_duration_since(place.last_touch) < limit {
            return Ok(false);
        }
        place.book = None;
        Ok(true)
    }

    /// Set the passphrase of the open book (encrypting a plain one), checked against the
    /// current one first. The book is closed meanwhile and opened again with the passphrase it
    /// has afterwards, whether the change worked or not.
    pub fn set_passphrase(
        &self,
        current: Option<&Passphrase>,
        new: &Passphrase,
    ) -> Result<BookStatus, Error> {
        let mut place = self.lock()?;
        if place.book.is_none() {
            return Err(Error::Locked);
        }
        if place.book.as_ref().is_some_and(|b| b.encrypted()) {
            // A mistyped current passphrase must not close the book the window has open.
            drop(Book::open_existing_with(&place.path, current)?);
        }
        let Some(open) = place.book.take() else {
            return Err(Error::Locked);
        };
        let now = advisor_clock::now_in(&open);
        let was_encrypted = open.encrypted();
        drop(open);
        let changed =
            now.and_then(|now| encryption::set_passphrase(&place.path, current, new, now));
        let reopen = match (&changed, was_encrypted) {
            (Ok(_), _) => Some(new),
            (Err(_), true) => current,
            (Err(_), false) => None,
        };
        // With the wrong current passphrase it cannot be opened again: it waits locked.
        place.book = Book::open_existing_with(&place.path, reopen).ok();
        place.last_touch = Instant::now();
        changed?;
        if place.remembered {
            place.remembered = crate::remember::keep(&place.path, new.expose());
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
            *place = Place::at(path, Some(book), own);
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
            place.last_touch = Instant::now();
        }
        Ok(status_of(&place))
    }
}

/// `RAPPORT_IDLE_LOCK_SECONDS`, set from `--idle-lock-seconds`: the idle time in seconds instead
/// of the book's minutes, so the end-to-end tests see the lock come without waiting minutes.
fn idle_override() -> Option<Duration> {
    std::env::var("RAPPORT_IDLE_LOCK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
}

/// Where the book is and whether it is open.
#[tauri::command(async)]
pub fn book_status(shelf: State<'_, Shelf>) -> Result<BookStatus, Error> {
    shelf.status()
}

/// Create an empty book where the window is, when none exists yet; encrypted when the
/// advisor chose a passphrase (typed twice, both must match).
#[tauri::command(async)]
pub fn create_book(
    shelf: State<'_, Shelf>,
    passphrase: Option<String>,
    repeat: Option<String>,
) -> Result<BookStatus, Error> {
    let chosen = match passphrase.filter(|p| !p.is_empty()) {
        Some(p) => {
            Some(Passphrase::new(p).checked_against(&Passphrase::new(repeat.unwrap_or_default()))?)
        }
        None => None,
    };
    shelf.create(chosen.as_ref())
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

        let s = shelf.create(None).unwrap();
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

    #[test]
    fn an_encrypted_book_waits_locked_opens_with_its_passphrase_and_locks_when_idle() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("book.rapport");
        let shelf = Shelf::new(own.clone(), None);
        let pass = Passphrase::new("a long passphrase");
        let s = shelf.create(Some(&pass)).unwrap();
        assert!(s.open && s.encrypted && !s.locked);
        assert!(book::is_encrypted(&own).unwrap());

        // A window started on it shows the lock screen: nothing is read before the passphrase.
        let shelf = Shelf::new(own.clone(), None);
        let s = shelf.status().unwrap();
        assert!(!s.open && s.encrypted && s.locked && s.error.is_none());
        assert_eq!(
            shelf.with(|b| clients::count(b)).unwrap_err(),
            Error::Locked
        );
        assert_eq!(
            shelf.unlock("wrong", false).unwrap_err(),
            Error::WrongPassphrase
        );
        assert!(shelf.status().unwrap().locked);
        assert!(shelf.unlock("a long passphrase", false).unwrap().open);

        // Idle minutes: not yet, then locked; a touch starts them again.
        let minutes =
            Duration::from_secs(60 * u64::from(advisor_settings::DEFAULT_AUTO_LOCK_MINUTES));
        let start = Instant::now();
        assert!(!shelf.lock_if_idle(start + minutes / 2).unwrap());
        assert!(shelf
            .lock_if_idle(start + minutes + Duration::from_secs(1))
            .unwrap());
        assert!(shelf.status().unwrap().locked);
        shelf.unlock("a long passphrase", false).unwrap();
        shelf
            .with(|b| advisor_settings::set_auto_lock_minutes(b, 0))
            .unwrap();
        assert!(
            !shelf.lock_if_idle(start + minutes * 100).unwrap(),
            "0 means never"
        );
        assert!(shelf.lock_now().unwrap().locked);
    }

    #[test]
    fn the_window_encrypts_its_plain_book_and_changes_the_passphrase() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("book.rapport");
        let shelf = Shelf::new(own.clone(), None);
        shelf.create(None).unwrap();
        let today = advisor_clock::now_without_book().date();
        shelf
            .with(|b| {
                let input = ClientInput {
                    name: "慕容雪".into(),
                    ..Default::default()
                };
                clients::create(b, &input, today)
            })
            .unwrap();
        // A plain book has nothing to lock with.
        assert!(shelf.lock_now().unwrap().open);
        let first = Passphrase::new("first passphrase");
        let s = shelf.set_passphrase(None, &first).unwrap();
        assert!(s.open && s.encrypted && s.clients == 1);
        // The wrong current passphrase: refused, and the window has it open again as before.
        let second = Passphrase::new("second passphrase");
        assert_eq!(
            shelf
                .set_passphrase(Some(&Passphrase::new("nope")), &second)
                .unwrap_err(),
            Error::WrongPassphrase
        );
        assert!(shelf.status().unwrap().open);
        let s = shelf.set_passphrase(Some(&first), &second).unwrap();
        assert!(s.open && s.clients == 1);
        assert_eq!(
            Book::open_existing_with(&own, Some(&first)).unwrap_err(),
            Error::WrongPassphrase
        );
    }
}
