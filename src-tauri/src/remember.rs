//! "Remember on this laptop": the book's passphrase kept in the operating system's keyring,
//! one entry per book file, so the window opens the book at start without asking. Without a
//! keyring the passphrase is asked for, as without the option.

use rapport::book::Passphrase;
use rapport::keychain;
use std::path::Path;

const SERVICE: &str = "Rapport 客户簿";

/// The entry's name: the book's full path.
fn user(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The passphrase remembered for the book at `path`, if any.
pub fn recall(path: &Path) -> Option<Passphrase> {
    keychain::recall(SERVICE, &user(path)).map(|p| Passphrase::new(p.as_str()))
}

/// Remember `passphrase` for the book at `path`. False when the keyring could not keep it.
pub fn keep(path: &Path, passphrase: &str) -> bool {
    keychain::keep(SERVICE, &user(path), passphrase)
}

/// Forget the passphrase remembered for the book at `path` (nothing when there is none).
pub fn forget(path: &Path) {
    keychain::forget(SERVICE, &user(path));
}
