//! The commands of care: what a person likes and must never be given, gifts planned and given,
//! referrals, loyalty points and satisfaction surveys. Thin glue over the core's records.

use crate::commands::Shelf;
use rapport::book::values::PointsKind;
use rapport::gifts::{Gift, GiftInput, GiftPlan, PlanInput};
use rapport::points::{Booked, PointsAccount};
use rapport::preferences::{Preference, PreferenceInput};
use rapport::referrals::Referral;
use rapport::surveys::{Survey, SurveyInput};
use rapport::{clock, gifts, points, preferences, referrals, surveys, Error};
use tauri::State;

/// Check a gift being considered for the client or a family member, with ideas that fit.
#[tauri::command(async)]
pub fn plan_gift(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: PlanInput,
) -> Result<GiftPlan, Error> {
    shelf.with(|b| gifts::plan(b, client_id, &input, clock::today_in(b)?))
}

/// Record a gift given.
#[tauri::command(async)]
pub fn log_gift(shelf: State<'_, Shelf>, client_id: i64, input: GiftInput) -> Result<Gift, Error> {
    shelf.with(|b| gifts::log(b, client_id, &input, clock::today_in(b)?))
}

/// Remove a gift recorded by mistake.
#[tauri::command(async)]
pub fn delete_gift(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| gifts::delete(b, id))
}

/// Record a like, taboo, habit or expected quality of the client or a family member.
#[tauri::command(async)]
pub fn add_preference(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: PreferenceInput,
) -> Result<Preference, Error> {
    shelf.with(|b| preferences::add(b, client_id, &input))
}

/// Remove a preference.
#[tauri::command(async)]
pub fn delete_preference(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| preferences::delete(b, id))
}

/// Record that `referrer_id` brought `referred_id`.
#[tauri::command(async)]
pub fn add_referral(
    shelf: State<'_, Shelf>,
    referrer_id: i64,
    referred_id: i64,
    on: String,
    reward: Option<String>,
) -> Result<Referral, Error> {
    let reward = reward.filter(|r| !r.trim().is_empty());
    shelf.with(|b| {
        referrals::add(
            b,
            referrer_id,
            referred_id,
            &on,
            reward,
            clock::today_in(b)?,
        )
    })
}

/// Remove a referral.
#[tauri::command(async)]
pub fn delete_referral(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| referrals::delete(b, id))
}

/// Book loyalty points earned or redeemed.
#[tauri::command(async)]
pub fn book_points(
    shelf: State<'_, Shelf>,
    client_id: i64,
    kind: PointsKind,
    points: i64,
    reason: String,
    on: Option<String>,
) -> Result<Booked, Error> {
    shelf.with(|b| {
        let today = clock::today_in(b)?;
        points::book_points(b, client_id, kind, points, &reason, on.as_deref(), today)
    })
}

/// A client's points: balance and ledger.
#[tauri::command(async)]
pub fn points_account(shelf: State<'_, Shelf>, client_id: i64) -> Result<PointsAccount, Error> {
    shelf.with(|b| points::account(b, client_id))
}

/// Record a satisfaction survey (an unhappy one opens a follow-up).
#[tauri::command(async)]
pub fn add_survey(
    shelf: State<'_, Shelf>,
    client_id: i64,
    input: SurveyInput,
) -> Result<Survey, Error> {
    shelf.with(|b| surveys::add(b, client_id, &input, clock::today_in(b)?))
}

/// Remove a survey.
#[tauri::command(async)]
pub fn delete_survey(shelf: State<'_, Shelf>, id: i64) -> Result<(), Error> {
    shelf.with(|b| surveys::delete(b, id))
}
