//! Secrets in the operating system's keyring (Secret Service, Keychain, Credential Manager),
//! never in a file of Rapport's: the book's passphrase when the advisor asks it remembered,
//! and the CalDAV password of a book that is not encrypted. A keyring that is missing or locked
//! (a Linux desktop without Secret Service, this CI machine) only means nothing is kept.

use zeroize::Zeroizing;

/// Run a keyring call on a thread of its own: the Secret Service client runs its own async
/// runtime, which must not start inside another (the window's commands run on one). A keyring
/// that fails in any way, even by panicking, counts as no keyring.
fn apart<T: Send + 'static>(
    service: &'static str,
    user: String,
    f: impl FnOnce(keyring::Entry) -> Option<T> + Send + 'static,
) -> Option<T> {
    std::thread::spawn(move || f(keyring::Entry::new(service, &user).ok()?))
        .join()
        .ok()
        .flatten()
}

/// The secret kept for `user` of `service`, if any.
pub fn recall(service: &'static str, user: &str) -> Option<Zeroizing<String>> {
    apart(service, user.to_string(), |e| {
        e.get_password().ok().map(Zeroizing::new)
    })
}

/// Keep `secret` for `user` of `service`. False when the keyring could not keep it.
pub fn keep(service: &'static str, user: &str, secret: &str) -> bool {
    let secret = Zeroizing::new(secret.to_string());
    apart(service, user.to_string(), move |e| {
        e.set_password(&secret).ok()
    })
    .is_some()
}

/// Forget what is kept for `user` of `service` (nothing when there is none).
pub fn forget(service: &'static str, user: &str) {
    let _ = apart(service, user.to_string(), |e| e.delete_credential().ok());
}
