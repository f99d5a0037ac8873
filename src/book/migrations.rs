//! Numbered schema migrations embedded in the binary, tracked in `PRAGMA user_version`.

use crate::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Migrations in order; migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_client_book.sql"),
    include_str!("migrations/0002_drafts.sql"),
    include_str!("migrations/0003_duplicate_keys.sql"),
    include_str!("migrations/0004_settings_and_notice_years.sql"),
    include_str!("migrations/0006_salons_and_agenda.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the book to [`SCHEMA_VERSION`], one IMMEDIATE transaction per migration so a failure
/// rolls that step back whole. A book from a newer Rapport is refused, never touched.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::TooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
