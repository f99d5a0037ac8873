//! Keeping the book safe from the command line: backups (take one, list them, restore one),
//! a book's health, and its passphrase.

use crate::failure::{open_existing, Failure};
use clap::Subcommand;
use rapport::book::{self, backups, encryption};
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
    /// Check the book: SQLite's integrity check, every reference, and the search index against
    /// the records (an entry for every client and contact, none left over, this build's
    /// version). Exits 1 on a problem.
    Check {
        /// Rebuild the search index from the records first (all in one write).
        #[arg(long)]
        rebuild_search: bool,
    },
    /// Encrypt the book with a passphrase, or change its passphrase. The current one comes from
    /// RAPPORT_PASSPHRASE or a prompt, the new one from RAPPORT_NEW_PASSPHRASE or is typed
    /// twice. The book is backed up first; its backups are re-written under the new one.
    #[command(alias = "encrypt", alias = "rekey")]
    Passphrase,
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
            let before = match backups::restore(&mut book, &file, None, now) {
                // The backup does not open with the book's passphrase: it asks for its own.
                Err(rapport::Error::Locked) => {
                    let theirs = crate::passphrase::for_backup(&file)?;
                    backups::restore(&mut book, &file, Some(&theirs), now)?
                }
                other => other?,
            };
            if json {
                return print(serde_json::json!({ "before": before.display().to_string() }));
            }
            println!("{}", before.display());
            Ok(())
        }
        BackupCommand::Check { rebuild_search } => {
            let mut book = open_existing(&path)?;
            let rebuilt = if rebuild_search {
                Some(rapport::search::rebuild(&mut book)?)
            } else {
                None
            };
            let health = backups::check(book.conn())?;
            let index = rapport::search::check(book.conn())?;
            if json {
                let mut out = serde_json::to_value(&health)?;
                out["search"] = serde_json::to_value(&index)?;
                if let Some(r) = &rebuilt {
                    out["rebuilt"] = serde_json::to_value(r)?;
                }
                print(out)?;
            } else {
                if let Some(r) = &rebuilt {
                    println!(
                        "search index rebuilt: {} clients, {} contacts",
                        r.clients, r.contacts
                    );
                }
                println!(
                    "integrity: {}\nbroken references: {}\nschema: {}\nclients: {}\n\
                     list counts that differ from counting again: {}",
                    health.integrity.join("; "),
                    health.broken_references,
                    health.schema,
                    health.clients,
                    health.wrong_counts
                );
                println!(
                    "search index: version {} (this build {}), clients without an entry {}, \
                     entries of removed clients {}, contacts without an entry {}, \
                     entries of removed contacts {}, structure {}",
                    index.version,
                    rapport::search::INDEX_VERSION,
                    index.clients_missing,
                    index.clients_stray,
                    index.contacts_missing,
                    index.contacts_stray,
                    index.structure
                );
            }
            if !health.ok() {
                Err(Failure::Said(format!("{} is damaged", path.display())))
            } else if !index.ok() {
                Err(Failure::Said(format!(
                    "the search index of {} does not match its records: \
                     `rapport check --rebuild-search` rebuilds it",
                    path.display()
                )))
            } else {
                Ok(())
            }
        }
        BackupCommand::Passphrase => {
            if !path.is_file() {
                return Err(Failure::NoBook(path));
            }
            let current = crate::passphrase::for_book(&path)?;
            // Checked before the new one is asked for: a wrong current passphrase stops here.
            let now = clock::now_in(&crate::failure::open_existing(&path)?)?;
            let new = crate::passphrase::new_one()?;
            let done = encryption::set_passphrase(&path, current.as_ref(), &new, now)
                .map_err(|e| Failure::AtBook(e, path.clone()))?;
            if json {
                return print(serde_json::to_value(&done)?);
            }
            let zh = crate::failure::system_language() == "zh-CN";
            if zh {
                println!(
                    "{}：{}，{} 位客户，{} 个备份已改用新密码{}。改动前的备份：{}",
                    path.display(),
                    if done.was_plain {
                        "已加密"
                    } else {
                        "密码已更改"
                    },
                    done.clients,
                    done.backups_rewritten,
                    if done.backups_kept > 0 {
                        format!("（{} 个更早的备份仍用它们原来的密码）", done.backups_kept)
                    } else {
                        String::new()
                    },
                    done.backup
                );
            } else {
                println!(
                    "{}: {}, {} clients; {} backups now use the new passphrase{}. Backup from before: {}",
                    path.display(),
                    if done.was_plain { "encrypted" } else { "passphrase changed" },
                    done.clients,
                    done.backups_rewritten,
                    if done.backups_kept > 0 {
                        format!(" ({} older backups keep the passphrase they had)", done.backups_kept)
                    } else {
                        String::new()
                    },
                    done.backup
                );
            }
            Ok(())
        }
    }
}
