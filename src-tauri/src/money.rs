//! The commands of money in the book: a client's holdings, AUM and warning signs, the yield
//! comparison, the 12421 grades and the At risk list. Thin glue over the core.

use crate::commands::Shelf;
use rapport::book::values::HoldingStatus;
use rapport::churn::{self, AtRisk, Sign};
use rapport::comparisons::{self, ComparisonInput, YieldComparison};
use rapport::contacts::{Contact, FollowUp};
use rapport::grades::{self, ClientGrade, Grades};
use rapport::holdings::{self, Holding, HoldingInput, Money};
use rapport::{clock, Error};
use serde::Serialize;
use tauri::State;

/// A client's money as the client page shows it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClientMoney {
    /// AUM, at other banks, and the trend.
    pub money: Money,
    /// Every holding, held ones first.
    pub holdings: Vec<Holding>,
    /// The warning signs.
    pub signs: Vec<Sign>,
    /// The grade in the newest snapshot, with its parts.
    pub grade: Option<ClientGrade>,
}

/// A client's holdings, AUM, warning signs and grade.
#[tauri::command(async)]
pub fn client_money(shelf: State<'_, Shelf>, client_id: i64) -> Result<ClientMoney, Error> {
    shelf.with(|b| {
        let today = clock::today_in(b)?;
        Ok(ClientMoney {
            money: holdings::money(b, client_id, today)?,
            holdings: holdings::of_client(b, client_id)?,
            signs: churn::signs(b, client_id, today)?,
            grade: grades::of_client(b, client_id)?,
        })
    })
}

/// Add a holding to a client.
#[tauri::command(async)]
pub fn add_holding(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: HoldingInput,
) -> Result<Holding, Error> {
    shelf.with(|b| holdings::add(b, client_id, &input))
}

/// Record a holding's value on a day.
#[tauri::command(async)]
pub fn set_holding_value(
    shelf: State<'_, Shelf>,
    holding_id: i64,
    on: String,
    amount: String,
) -> Result<Holding, Error> {
    shelf.with(|b| holdings::set_value(b, holding_id, &on, &amount, clock::today_in(b)?))
}

/// Close a holding as matured or redeemed.
#[tauri::command(async)]
pub fn close_holding(
    shelf: State<'_, Shelf>,
    holding_id: i64,
    status: HoldingStatus,
    on: String,
) -> Result<Holding, Error> {
    shelf.with(|b| holdings::close(b, holding_id, status, &on))
}

/// Renew a holding into a new one.
#[tauri::command(async)]
pub fn renew_holding(
    shelf: State<'_, Shelf>,
    holding_id: i64,
    input: HoldingInput,
) -> Result<Holding, Error> {
    shelf.with(|b| holdings::renew(b, holding_id, &input))
}

/// Remove a holding recorded by mistake.
#[tauri::command(async)]
pub fn delete_holding(shelf: State<'_, Shelf>, holding_id: i64) -> Result<(), Error> {
    shelf.with(|b| holdings::delete(b, holding_id))
}

/// A comparison started from a holding (ours as it is, theirs to be typed).
#[tauri::command(async)]
pub fn comparison_from_holding(
    shelf: State<'_, Shelf>,
    holding_id: i64,
) -> Result<ComparisonInput, Error> {
    shelf.with(|b| comparisons::from_holding(b, holding_id, clock::today_in(b)?))
}

/// Compare two products on the effective annualised return.
#[tauri::command(async)]
pub fn compare_yields(
    shelf: State<'_, Shelf>,
    input: ComparisonInput,
) -> Result<YieldComparison, Error> {
    shelf.with(|b| comparisons::compare(b, &input))
}

/// Keep a comparison in the client's timeline (computed again from its input, so what is
/// kept is the book's arithmetic, never text from the page).
#[tauri::command(async)]
pub fn save_comparison(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: ComparisonInput,
) -> Result<Contact, Error> {
    shelf.with(|b| {
        let c = comparisons::compare(b, &input)?;
        comparisons::save(b, client_id, &c, None, clock::now_in(b)?)
    })
}

/// The At risk list.
#[tauri::command(async)]
pub fn at_risk(shelf: State<'_, Shelf>) -> Result<Vec<AtRisk>, Error> {
    shelf.with(|b| churn::at_risk(b, clock::today_in(b)?))
}

/// The book's grades: the newest snapshot, or computed now.
#[tauri::command(async)]
pub fn book_grades(shelf: State<'_, Shelf>, recalculate: bool) -> Result<Option<Grades>, Error> {
    shelf.with(|b| {
        if recalculate {
            Ok(Some(grades::recalculate(b, clock::today_in(b)?)?))
        } else {
            grades::latest(b)
        }
    })
}

/// Move a client to 流失风险 with the win-back plan's follow-ups.
#[tauri::command(async)]
pub fn start_win_back(shelf: State<'_, Shelf>, client_id: i64) -> Result<Vec<FollowUp>, Error> {
    shelf.with(|b| churn::win_back(b, client_id, clock::today_in(b)?))
}

/// Mark a client lost, with the reason.
#[tauri::command(async)]
pub fn mark_lost(shelf: State<'_, Shelf>, client_id: i64, reason: String) -> Result<(), Error> {
    shelf.with(|b| churn::mark_lost(b, client_id, &reason, clock::today_in(b)?))
}

/// The money settings: notice days, the AUM fall that warns, tier thresholds, grade weights.
#[tauri::command(async)]
pub fn money_settings(
    shelf: State<'_, Shelf>,
) -> Result<rapport::money_settings::MoneySettings, Error> {
    shelf.with(|b| rapport::money_settings::get(b))
}

/// Save the money settings (all checked before any is written).
#[tauri::command(async)]
pub fn set_money_settings(
    shelf: State<'_, Shelf>,
    settings: rapport::money_settings::MoneySettings,
) -> Result<rapport::money_settings::MoneySettings, Error> {
    shelf.with(|b| rapport::money_settings::set(b, &settings))
}
