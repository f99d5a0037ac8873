//! The commands of the advisor's day: the agenda (Today) and salons with their 7-3-1 rounds.
//! Like every command they run on the async runtime and only call the core.

use crate::commands::Shelf;
use rapport::agenda::{self, Agenda, AgendaItem, Mark};
use rapport::book::values::parse_date;
use rapport::salons::{self, CallResponse, Salon, SalonInput, SalonPage, SalonRow, Suggestion};
use rapport::Error;
use rapport::{clock, work_schedule};
use serde::Serialize;
use tauri::State;

/// What the client page shows of the advisor's day: the client's coming items and salons.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClientDay {
    /// Items about this client: overdue ones and those of the next 30 days.
    pub items: Vec<AgendaItem>,
    /// Salons the client is on the list of, latest first, with their answer so far.
    pub salons: Vec<ClientSalon>,
}

/// A salon on a client's page.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClientSalon {
    /// The salon.
    pub salon: Salon,
    /// The client's latest answer.
    pub response: Option<CallResponse>,
}

/// The agenda from `from` (default today) for `days` days, at most `per_kind` items a kind.
#[tauri::command(async)]
pub fn agenda(
    shelf: State<'_, Shelf>,
    from: Option<String>,
    days: Option<u32>,
    per_kind: Option<usize>,
) -> Result<Agenda, Error> {
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        let from = match &from {
            Some(d) => parse_date("from", d)?,
            None => now.date(),
        };
        let cal = work_schedule::from_book(b)?;
        // A page of each group: the counts stay whole, the window stays light on a big book.
        agenda::page(
            b,
            from,
            days.unwrap_or(1),
            now,
            &cal,
            per_kind.unwrap_or(50),
        )
    })
}

/// Mark an agenda item done, snoozed or skipped today.
#[tauri::command(async)]
pub fn mark_item(
    shelf: State<'_, Shelf>,
    item_id: String,
    mark: Mark,
    note: Option<String>,
) -> Result<(), Error> {
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        agenda::mark(b, &item_id, &mark, now.date(), note.as_deref(), now)
    })
}

/// Take a mark back (undo).
#[tauri::command(async)]
pub fn unmark_item(shelf: State<'_, Shelf>, item_id: String) -> Result<(), Error> {
    shelf.with(|b| agenda::unmark(b, &item_id))
}

/// The client page's part of the day.
#[tauri::command(async)]
pub fn client_day(shelf: State<'_, Shelf>, client_id: i64) -> Result<ClientDay, Error> {
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        let cal = work_schedule::from_book(b)?;
        let items = agenda::of_client(b, client_id, now.date(), now, &cal)?;
        let salons = salons::of_client(b, client_id)?
            .into_iter()
            .map(|(salon, response)| ClientSalon { salon, response })
            .collect();
        Ok(ClientDay { items, salons })
    })
}

/// Every salon with its funnel.
#[tauri::command(async)]
pub fn list_salons(shelf: State<'_, Shelf>) -> Result<Vec<SalonRow>, Error> {
    shelf.with(|b| salons::list(b, clock::today_in(b)?))
}

/// A salon's page.
#[tauri::command(async)]
pub fn salon_page(shelf: State<'_, Shelf>, id: i64) -> Result<SalonPage, Error> {
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        let cal = work_schedule::from_book(b)?;
        salons::page(b, id, now, &cal)
    })
}

/// Create a salon.
#[tauri::command(async)]
pub fn create_salon(shelf: State<'_, Shelf>, input: SalonInput) -> Result<Salon, Error> {
    shelf.with(|b| salons::create(b, &input))
}

/// Save an edited salon (a new start moves the rounds still ahead).
#[tauri::command(async)]
pub fn update_salon(shelf: State<'_, Shelf>, id: i64, input: SalonInput) -> Result<Salon, Error> {
    shelf.with(|b| salons::update(b, id, &input))
}

/// Cancel a salon or take the cancellation back.
#[tauri::command(async)]
pub fn cancel_salon(shelf: State<'_, Shelf>, id: i64, cancelled: bool) -> Result<Salon, Error> {
    shelf.with(|b| salons::set_cancelled(b, id, cancelled))
}

/// Put clients on a salon's list today.
#[tauri::command(async)]
pub fn invite_clients(
    shelf: State<'_, Shelf>,
    salon_id: i64,
    client_ids: Vec<i64>,
) -> Result<u32, Error> {
    shelf.with(|b| salons::invite(b, salon_id, &client_ids, clock::today_in(b)?))
}

/// Take a client off a salon's list.
#[tauri::command(async)]
pub fn uninvite_client(
    shelf: State<'_, Shelf>,
    salon_id: i64,
    client_id: i64,
) -> Result<(), Error> {
    shelf.with(|b| salons::uninvite(b, salon_id, client_id))
}

/// Record a 7-3-1 call made today.
#[tauri::command(async)]
pub fn record_call(
    shelf: State<'_, Shelf>,
    call_id: String,
    response: CallResponse,
    note: Option<String>,
) -> Result<(), Error> {
    shelf.with(|b| {
        let now = clock::now_in(b)?;
        salons::record_call(b, &call_id, response, now.date(), note.as_deref(), now)
    })
}

/// After the event: came or not, and guests brought.
#[tauri::command(async)]
pub fn record_attendance(
    shelf: State<'_, Shelf>,
    salon_id: i64,
    client_id: i64,
    came: bool,
    guests: u32,
) -> Result<(), Error> {
    shelf.with(|b| salons::attend(b, salon_id, client_id, came, guests))
}

/// Clients to invite to a salon.
#[tauri::command(async)]
pub fn salon_suggestions(shelf: State<'_, Shelf>, salon_id: i64) -> Result<Vec<Suggestion>, Error> {
    shelf.with(|b| salons::suggestions(b, salon_id, 30))
}
