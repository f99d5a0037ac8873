//! 草稿: what the advisor was typing, kept inside the book so it survives leaving the page or a
//! relaunch. Drafts are client data, so they live where the clients live (encrypted with the
//! book), never in temp files or the webview's storage.
//!
//! The UI names each draft with a key of its choosing (`contact:new:42`) and stores the form
//! as one text. A draft tied to a client goes when the client is deleted. Saving a blank
//! draft discards it, so a form emptied by hand leaves nothing behind.

use crate::book::{stamp, Book};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};

/// Longest draft body kept, in characters: far above any real note, low enough that a runaway
/// form cannot bloat the book.
pub const MAX_BODY: usize = 200_000;

/// Longest draft key, in characters.
const MAX_KEY: usize = 200;

fn check_key(key: &str) -> Result<&str> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid("key", "required"));
    }
    if key.chars().count() > MAX_KEY {
        return Err(Error::invalid_with("key", "too_long", MAX_KEY.to_string()));
    }
    Ok(key)
}

/// Keep `body` as the draft `key`, replacing an earlier one; a blank body discards the draft.
/// `client_id` ties it to a client (deleted with them), and must exist.
pub fn save(book: &mut Book, key: &str, client_id: Option<i64>, body: &str) -> Result<()> {
    let key = check_key(key)?;
    if body.trim().is_empty() {
        return discard(book, key);
    }
    if body.chars().count() > MAX_BODY {
        return Err(Error::invalid_with(
            "body",
            "too_long",
            MAX_BODY.to_string(),
        ));
    }
    book.write(|tx| {
        if let Some(id) = client_id {
            crate::clients::require(tx, id)?;
        }
        tx.prepare_cached(
            "INSERT INTO drafts (key, client_id, body, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET client_id = excluded.client_id, body = excluded.body,
                                             saved_at = excluded.saved_at",
        )?
        .execute(params![key, client_id, body, stamp(tx)?])?;
        Ok(())
    })
}

/// The draft `key`, if one is kept.
pub fn load(book: &Book, key: &str) -> Result<Option<String>> {
    let key = check_key(key)?;
    Ok(book
        .conn()
        .prepare_cached("SELECT body FROM drafts WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Forget the draft `key` (once its form is saved or cancelled); nothing to forget is fine.
pub fn discard(book: &mut Book, key: &str) -> Result<()> {
    let key = check_key(key)?;
    book.write(|tx| {
        tx.prepare_cached("DELETE FROM drafts WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    })
}
