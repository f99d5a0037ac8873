//! "Remember on this laptop": the book's passphrase kept in the operating system's keyring
//! (Secret Service, Keychain, Credential Manager), never in a file of Rapport's, so the window
//! opens the book at start without asking. A keyring that is missing or locked (a Linux
//! desktop without Secret Service) only means the passphrase is asked for, as without it.

use rapport::book::Passphrase;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const SERVICE: &str = "Rapport 客户簿";

/// Run a keyring call on a thread of its own: the Secret Service client runs its own async
/// runtime, which must not start inside the one the window's commands run on. A keyring that
/// fails in any way (even by panicking) counts as no keyring.
fn apart<T: Send + 'static>(
    path: &Path,
    f: impl FnOnce(keyring::Entry) -> Option<T> + Send + 'static,
) -> Option<T> {
    let user: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    std::thread::spawn(move || {
        // One entry per book file.
        let entry = keyring::Entry::new(SERVICE, &user.display().to_string()).ok()?;
        f(entry)
    })
    .join()
    .ok()
    .flatten()
}

/// The passphrase remembered for the book at `path`, if any.
pub fn recall(path: &Path) -> Option<Passphrase> {
    apart(path, |e| e.get_password().ok().map(Passphrase::new))
}

/// Remember `passphrase` for the book at `path`. False when the keyring could not keep it.
pub fn keep(path: &Path, passphrase: &str) -> bool {
    let secret = Zeroizing::new(passphrase.to_string());
    apart(path, move |e| e.set_password(&secret).ok()).is_some()
}

/// Forget the passphrase remembered for the book at `path` (nothing when there is none).
pub fn forget(path: &Path) {
    let _ = apart(path, |e| e.delete_credential().ok());
}
