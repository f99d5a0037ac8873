//! Backups from the command line: take one, list them, restore one, check a book's health.

use crate::failure::{open_existing, Failure};
use clap::Subcommand;
use rapport::book::{self, backups};
use rapport::clock;
use std::path::PathBuf;

/// Backup subcommands.
#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// Copy the book now, consistently even while the window writes; into `--to DIR`, or into
    /// the `backups` folder beside the book (then rotated: 7 daily, 4 weekly). Prints the file.
    Backup {
        /// Folder for the copy (no rotation there): a USB stick, the new laptop's folder.
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// The backups in the folder beside the book, newest first.
    Backups,
    /// Put the book back as it was in a backup file (the book as it stands is copied into the
    /// backups folder first). Prints that copy.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Check the book: SQLite's integrity check and every reference. Exits 1 on a problem.
    Check,
}

/// Run one backup subcommand.
pub fn run(cmd: BackupCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let path = book::resolve_path(book_path.as_deref());
    let print = |value: serde_json::Value| -> Result<(), Failure> {
        println!("{}", serde_json::to_string_pretty(&value)?);
        Ok(())
    };
    match cmd {
        BackupCommand::Backup { to } => {
            let book = open_existing(&path)?;
            let now = clock::now_in(&book)?;
            let file = match to {
                Some(dir) => backups::take(&book, &dir, now)?,
                None => {
                    let dir = backups::folder(&path);
                    let file = backups::take(&book, &dir, now)?;
                    backups::rotate(&path, &dir, backups::Rotation::default())?;
                    file
                }
            };
            if json {
                return print(serde_json::json!({ "path": file.display().to_string() }));
            }
            println!("{}", file.display());
            Ok(())
        }
        BackupCommand::Backups => {
            let files = backups::list(&path, &backups::folder(&path))?;
            if json {
                return print(serde_json::to_value(&files)?);
            }
            for f in &files {
                println!("{}  {:>12}  {}", f.taken, f.bytes, f.path);
            }
            Ok(())
        }
        BackupCommand::Restore { file } => {
            let mut book = open_existing(&path)?;
            let now = clock::now_in(&book)?;
            let before = backups::restore(&mut book, &file, now)?;
            if json {
                return print(serde_json::json!({ "before": before.display().to_string() }));
            }
            println!("{}", before.display());
            Ok(())
        }
        BackupCommand::Check => {
            let book = open_existing(&path)?;
            let health = backups::check(book.conn())?;
            if json {
                print(serde_json::to_value(&health)?)?;
            } else {
                println!(
                    "integrity: {}\nbroken references: {}\nschema: {}\nclients: {}",
                    health.integrity.join("; "),
                    health.broken_references,
                    health.schema,
                    health.clients
                );
            }
            if health.ok() {
                Ok(())
            } else {
                Err(Failure::Said(format!("{} is damaged", path.display())))
            }
        }
    }
}
