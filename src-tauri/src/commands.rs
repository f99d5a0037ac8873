//! The typed commands the UI calls: each one validates nothing itself and calls the core.

use chrono::Local;
use rapport::clients::{Client, ClientInput, ClientPage, ClientProfile, ClientQuery};
use rapport::contacts::{Contact, ContactInput, FollowUp, FollowUpInput};
use rapport::family::{FamilyInput, FamilyMember};
use rapport::search::SearchHit;
use rapport::{clients, contacts, demo, family, search as find, Book, Error};
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

    fn with<T>(&self, f: impl FnOnce(&mut Book) -> Result<T, Error>) -> Result<T, Error> {
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

fn today() -> chrono::NaiveDate {
    Local::now().date_naive()
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
#[tauri::command]
pub fn book_status(shelf: State<'_, Shelf>) -> BookStatus {
    status(&shelf)
}

/// Create the book (empty, or filled with the demo clients) when none exists yet.
#[tauri::command]
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
#[tauri::command]
pub fn list_clients(shelf: State<'_, Shelf>, query: ClientQuery) -> Result<ClientPage, Error> {
    shelf.with(|b| clients::list(b, &query))
}

/// The client page.
#[tauri::command]
pub fn client_profile(shelf: State<'_, Shelf>, id: i64) -> Result<ClientProfile, Error> {
    shelf.with(|b| clients::profile(b, id, today()))
}

/// Create a client.
#[tauri::command]
pub fn create_client(shelf: State<'_, Shelf>, input: ClientInput) -> Result<Client, Error> {
    shelf.with(|b| clients::create(b, &input, today()))
}

/// Save an edited client.
#[tauri::command]
pub fn update_client(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ClientInput,
) -> Result<Client, Error> {
    shelf.with(|b| clients::update(b, id, &input, today()))
}

/// Delete a client and everything about them.
#[tauri::command]
pub fn delete_client(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| clients::delete(b, id))
}

/// Star or unstar a key client.
#[tauri::command]
pub fn set_starred(shelf: State<'_, Shelf>, id: i64, starred: bool) -> Result<(), Error> {
    shelf.with(|b| clients::set_starred(b, id, starred))
}

/// Add a family member.
#[tauri::command]
pub fn add_family(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: FamilyInput,
) -> Result<FamilyMember, Error> {
    shelf.with(|b| family::add(b, client_id, &input, today()))
}

/// Save an edited family member.
#[tauri::command]
pub fn update_family(
    shelf: State<'_, Shelf>,
    id: i64,
    input: FamilyInput,
) -> Result<FamilyMember, Error> {
    shelf.with(|b| family::update(b, id, &input, today()))
}

/// Remove a family member.
#[tauri::command]
pub fn delete_family(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| family::delete(b, id))
}

/// Log a contact with its follow-ups.
#[tauri::command]
pub fn add_contact(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: ContactInput,
) -> Result<Contact, Error> {
    shelf.with(|b| contacts::add(b, client_id, &input, today()))
}

/// Save an edited contact.
#[tauri::command]
pub fn update_contact(
    shelf: State<'_, Shelf>,
    id: i64,
    input: ContactInput,
) -> Result<Contact, Error> {
    shelf.with(|b| contacts::update(b, id, &input, today()))
}

/// Delete a contact.
#[tauri::command]
pub fn delete_contact(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| contacts::delete(b, id))
}

/// Add a follow-up.
#[tauri::command]
pub fn add_follow_up(
    shelf: State<'_, Shelf>,
    client_id: i64,
    contact_id: Option<i64>,
    input: FollowUpInput,
) -> Result<FollowUp, Error> {
    shelf.with(|b| contacts::add_follow_up(b, client_id, contact_id, &input))
}

/// Tick a follow-up off, or reopen it.
#[tauri::command]
pub fn set_follow_up_done(shelf: State<'_, Shelf>, id: i64, done: bool) -> Result<FollowUp, Error> {
    shelf.with(|b| contacts::set_follow_up_done(b, id, done, Local::now().naive_local()))
}

/// Remove a follow-up.
#[tauri::command]
pub fn delete_follow_up(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| contacts::delete_follow_up(b, id))
}

/// Search names, phones, profiles and notes.
#[tauri::command]
pub fn search(
    shelf: State<'_, Shelf>,
    query: String,
    limit: Option<usize>,
) -> Result<Vec<SearchHit>, Error> {
    shelf.with(|b| find::search(b, &query, limit.unwrap_or(50)))
}
