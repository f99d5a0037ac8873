//! Exchange with the advisor's other tools: client lists out to Excel and back in from Excel
//! or the CSV files bank systems write. One importer reads every source format into one shape.

pub mod caldav;
pub mod columns;
pub mod ics;
pub mod import;
pub mod table;
pub mod words;
pub mod xlsx;
