//! The advisor's rules: pure functions over plain values, with "now" and the time zone passed
//! in. No SQL and no clock here: the stored records and the agenda feed them, the CLI and the
//! window show what they return, and tests pin every date.

pub mod birthdays;
pub mod cadence;
pub mod festivals;
pub mod gifts;
pub mod grading;
pub mod invitations;
pub mod lunar;
pub mod workdays;
pub mod yields;
