//! Rapport (客户簿): the core of an offline client book for one bank wealth advisor.
//!
//! Plain Rust with no window in it: the Tauri shell and the `rapport` CLI both call this crate.
#![deny(missing_docs)]

pub mod error;
pub use error::{Error, Result};

// The book and its stored records.
pub mod book;
pub use book::Book;
pub mod churn;
pub mod clients;
pub mod clock;
pub mod comparisons;
pub mod contacts;
pub mod demo;
pub mod drafts;
pub mod exchange;
pub mod family;
pub mod gifts;
pub mod grades;
pub mod holdings;
pub mod keychain;
pub mod money_settings;
pub mod overview;
pub mod points;
pub mod preferences;
pub mod referrals;
pub mod salons;
pub mod search;
pub mod settings;
pub mod surveys;
pub mod work_schedule;

// The advisor's rules: pure, time injected.
pub mod rules;

// The scheduler: reads the book, applies the rules.
pub mod agenda;
