//! The commands of the book at a glance: the charts' figures and the list behind a bar. Thin
//! glue over the core.

use crate::commands::Shelf;
use rapport::overview::{self, Drill, MaturingHolding, Overview, WeekContact};
use rapport::{clock, Error};
use tauri::State;

/// The figures of the overview's charts, on the advisor's today.
#[tauri::command(async)]
pub fn book_overview(shelf: State<'_, Shelf>) -> Result<Overview, Error> {
    shelf.with(|b| overview::overview(b, clock::today_in(b)?))
}

/// The holdings maturing in a month (`YYYY-MM`), from today on.
#[tauri::command(async)]
pub fn maturing_in(
    shelf: State<'_, Shelf>,
    month: String,
) -> Result<Drill<MaturingHolding>, Error> {
    shelf.with(|b| overview::maturing_in(b, &month, clock::today_in(b)?))
}

/// The contacts of the week of a day (`YYYY-MM-DD`).
#[tauri::command(async)]
pub fn contacts_in_week(
    shelf: State<'_, Shelf>,
    week: String,
) -> Result<Drill<WeekContact>, Error> {
    shelf.with(|b| overview::contacts_in_week(b, &week))
}
