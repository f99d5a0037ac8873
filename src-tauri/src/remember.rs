//! "Remember on this laptop": the book's passphrase kept in the operating system's keyring
//! (Secret Service, Keychain, Credential Manager), never in a file of Rapport's, so the window
//! opens the book at start without asking. A keyring that is missing or locked (a Linux
//! desktop without Secret Service) only means the passphrase is asked for, as without it.

use rapport::book::Passphrase;
use std::path::Path;

const SERVICE: &str = "Rapport 客户簿";

/// The keyring entry of the book at `path`: one per book file.
fn entry(path: &Path) -> Option<keyring::Entry> {
    let user = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    keyring::Entry::new(SERVICE, &user.display().to_string()).ok()
}

/// The passphrase remembered for the book at `path`, if any.
pub fn recall(path: &Path) -> Option<Passphrase> {
    entry(path)?.get_password().ok().map(Passphrase::new)
}

/// Remember `passphrase` for the book at `path`. False when the keyring could not keep it.
pub fn keep(path: &Path, passphrase: &str) -> bool {
    entry(path).is_some_and(|e| e.set_password(passphrase).is_ok())
}

/// Forget the passphrase remembered for the book at `path` (nothing when there is none).
pub fn forget(path: &Path) {
    if let Some(e) = entry(path) {
        let _ = e.delete_credential();
    }
}
