//! Typed errors of the core: stable codes the UI translates into the advisor's language.

use serde::Serialize;
use ts_rs::TS;

/// Everything that can go wrong in the core, as a code the UI can translate.
///
/// Messages never carry client data (names, phones, notes): they may end up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Error {
    /// An input field failed validation; `code` is a stable key such as `date_impossible`.
    #[error("invalid {field}: {code}{}", detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Invalid {
        /// The field, in the wire name of the input (`name`, `phone`, `birthday` …).
        field: String,
        /// Stable machine key of the rule that failed.
        code: String,
        /// Extra non-personal detail (an allowed range, an expected format).
        detail: Option<String>,
    },
    /// The record asked for does not exist (or was deleted).
    #[error("not found: {what}")]
    NotFound {
        /// What was looked for (`client`, `contact` …).
        what: String,
    },
    /// The book file could not be opened, read or written.
    #[error("book error: {message}")]
    Book {
        /// The engine's message (never client data).
        message: String,
    },
    /// The book is locked by another program (the `rapport` CLI, a backup) for longer than the
    /// wait: nothing was written, and trying again once it is done succeeds.
    #[error("the book is busy in another program")]
    Busy,
    /// The book was written by a newer Rapport than this one.
    #[error(
        "this book was written by a newer Rapport (schema {found}, this app knows up to {known})"
    )]
    TooNew {
        /// Schema version found in the file.
        #[ts(type = "number")]
        found: i64,
        /// Newest schema version this build knows.
        #[ts(type = "number")]
        known: i64,
    },
    /// The book is encrypted and no passphrase was given: nothing was read.
    #[error("the book is locked: its passphrase is needed")]
    Locked,
    /// The passphrase given does not open this book: nothing was read or changed.
    #[error("wrong passphrase for this book")]
    WrongPassphrase,
}

impl Error {
    /// Shorthand for a validation error without detail.
    pub fn invalid(field: &str, code: &str) -> Self {
        Error::Invalid {
            field: field.into(),
            code: code.into(),
            detail: None,
        }
    }

    /// Shorthand for a validation error with a non-personal detail.
    pub fn invalid_with(field: &str, code: &str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            code: code.into(),
            detail: Some(detail.into()),
        }
    }

    /// Shorthand for a missing record.
    pub fn not_found(what: &str) -> Self {
        Error::NotFound { what: what.into() }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => Error::Busy,
            _ => Error::Book {
                message: e.to_string(),
            },
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Book {
            message: e.to_string(),
        }
    }
}

/// Result of every fallible core call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
