//! The advisor's passphrase and the key SQLCipher is given.
//!
//! The key is Argon2id over the passphrase and the book's own 16-byte salt, handed to SQLCipher
//! raw (`x'KEY SALT'`), so SQLCipher's weaker PBKDF2 never runs. The salt is the first 16 bytes
//! of an encrypted book: a book with its passphrase is all it takes to open it on a new laptop.
//! Neither passphrase nor key is ever stored; both are wiped from memory when dropped.

use crate::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use std::io::Read;
use std::path::Path;
use zeroize::Zeroizing;

/// Shortest passphrase accepted when one is set.
pub const MIN_LENGTH: usize = 8;

/// Argon2id costs. Fixed for good: a book encrypted with them must open on every later release,
/// so a change would need a new, marked kind of book. 64 MiB and 3 passes take about a third of
/// a second on a 2-core laptop: once at unlock, far too slow for guessing at scale.
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 1;

/// The first 16 bytes of every plain SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A passphrase typed by the advisor; wiped from memory when dropped, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

impl Passphrase {
    /// A passphrase to unlock a book with, as typed.
    pub fn new(text: impl Into<String>) -> Passphrase {
        Passphrase(Zeroizing::new(text.into()))
    }

    /// A passphrase to set on a book: it must be long enough to resist guessing.
    pub fn new_to_set(text: impl Into<String>) -> Result<Passphrase> {
        Passphrase::new(text).checked()
    }

    /// This passphrase, if it is fit to set on a book (long enough to resist guessing).
    pub fn checked(self) -> Result<Passphrase> {
        let pass = self;
        if pass.0.trim().is_empty() {
            return Err(Error::invalid("passphrase", "required"));
        }
        if pass.0.chars().count() < MIN_LENGTH {
            return Err(Error::invalid_with(
                "passphrase",
                "passphrase_too_short",
                MIN_LENGTH.to_string(),
            ));
        }
        Ok(pass)
    }

    /// This passphrase, if it is fit to set and `again` (typed a second time) is the same.
    pub fn checked_against(self, again: &Passphrase) -> Result<Passphrase> {
        let pass = self.checked()?;
        if !pass.same_as(again) {
            return Err(Error::invalid("passphrase_again", "passphrases_differ"));
        }
        Ok(pass)
    }

    /// The passphrase as typed, for the OS keyring when the advisor asks it to remember it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether two typings are the same passphrase.
    pub fn same_as(&self, other: &Passphrase) -> bool {
        *self.0 == *other.0
    }
}

/// The raw key of one book: Argon2id's 32 bytes and the salt they were made with.
#[derive(Clone)]
pub(crate) struct Key {
    bytes: Zeroizing<[u8; 32]>,
    salt: [u8; 16],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key for `passphrase` on a book whose salt is `salt`.
    pub(crate) fn derive(passphrase: &Passphrase, salt: [u8; 16]) -> Result<Key> {
        let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(32)).map_err(kdf_failed)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut bytes = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.0.as_bytes(), &salt, &mut *bytes)
            .map_err(kdf_failed)?;
        Ok(Key { bytes, salt })
    }

    /// The key for `passphrase` on a new book, with a fresh random salt.
    pub(crate) fn fresh(passphrase: &Passphrase) -> Result<Key> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| Error::Book {
            message: format!("no randomness from the system: {e}"),
        })?;
        Key::derive(passphrase, salt)
    }

    /// What `PRAGMA key` and `ATTACH … KEY` take: `x'` 64 hex digits of key, 32 of salt `'`.
    pub(crate) fn sql_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(99));
        text.push_str("x'");
        for b in self.bytes.iter().chain(self.salt.iter()) {
            text.push_str(&format!("{b:02X}"));
        }
        text.push('\'');
        text
    }

    /// Give `conn` this key: the first thing done on a connection to an encrypted book.
    pub(crate) fn apply(&self, conn: &rusqlite::Connection) -> Result<()> {
        let text = self.sql_text();
        conn.pragma_update(None, "key", &*text)?;
        Ok(())
    }
}

fn kdf_failed(e: argon2::Error) -> Error {
    Error::Book {
        message: format!("key derivation failed: {e}"),
    }
}

/// What a file on disk is, read from its first 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file, or an empty one: a book not made yet.
    Missing,
    /// A plain SQLite file anyone can read.
    Plain,
    /// Anything else: an encrypted book (the bytes are its salt), or not a book at all.
    Encrypted([u8; 16]),
}

/// What the file at `path` is.
pub fn file_kind(path: &Path) -> Result<FileKind> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(e.into()),
    };
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(match got {
        0 => FileKind::Missing,
        16 if &head == PLAIN_HEADER => FileKind::Plain,
        16 => FileKind::Encrypted(head),
        // A few bytes that are no book: SQLite will say so when it is opened.
        _ => FileKind::Plain,
    })
}

/// Whether the book at `path` is encrypted (needs a passphrase to open).
pub fn is_encrypted(path: &Path) -> Result<bool> {
    Ok(matches!(file_kind(path)?, FileKind::Encrypted(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_passphrase_and_salt_give_the_same_key_and_others_do_not() {
        let pass = Passphrase::new("长城饭店2026");
        let a = Key::derive(&pass, [7; 16]).unwrap();
        let b = Key::derive(&pass, [7; 16]).unwrap();
        assert_eq!(*a.sql_text(), *b.sql_text());
        let other_salt = Key::derive(&pass, [8; 16]).unwrap();
        assert_ne!(*a.sql_text(), *other_salt.sql_text());
        let other_pass = Key::derive(&Passphrase::new("长城饭店2027"), [7; 16]).unwrap();
        assert_ne!(*a.sql_text(), *other_pass.sql_text());
        let text = a.sql_text();
        assert_eq!(text.len(), 2 + 64 + 32 + 1);
        assert!(text.ends_with(&format!("{}'", "07".repeat(16))));
    }

    #[test]
    fn a_passphrase_to_set_must_be_long_enough() {
        assert!(matches!(
            Passphrase::new_to_set("short"),
            Err(Error::Invalid { code, .. }) if code == "passphrase_too_short"
        ));
        assert!(matches!(
            Passphrase::new_to_set("   "),
            Err(Error::Invalid { code, .. }) if code == "required"
        ));
        // Eight Chinese characters are eight characters, not 24 bytes.
        assert!(Passphrase::new_to_set("春眠不觉晓处处闻").is_ok());
        assert!(Passphrase::new_to_set("春眠不觉晓").is_err());
    }

    #[test]
    fn neither_passphrase_nor_key_shows_in_debug_output() {
        let pass = Passphrase::new("secret-words");
        assert!(!format!("{pass:?}").contains("secret"));
        let key = Key::derive(&pass, [1; 16]).unwrap();
        assert_eq!(format!("{key:?}"), "Key(…)");
    }
}
