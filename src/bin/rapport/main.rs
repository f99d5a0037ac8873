//! `rapport`: the command line over the same core the desktop app uses.

mod backup_cmds;
mod bench;
mod book_cmds;
mod caldav_cmds;
mod care_cmds;
mod day_cmds;
mod exchange_cmds;
mod failure;
mod money_cmds;
mod passphrase;
mod rules;
mod scenarios;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Rapport (客户簿): an offline client book for a bank wealth advisor.
#[derive(Parser, Debug)]
#[command(name = "rapport", version, about)]
struct Cli {
    /// The book file (default: $RAPPORT_BOOK, else the OS data directory).
    #[arg(long, global = true)]
    book: Option<PathBuf>,
    /// Print machine-readable JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    #[command(flatten)]
    Book(book_cmds::BookCommand),
    #[command(flatten)]
    Backups(backup_cmds::BackupCommand),
    #[command(flatten)]
    Day(day_cmds::DayCommand),
    #[command(flatten)]
    Exchange(exchange_cmds::ExchangeCommand),
    #[command(flatten)]
    Care(care_cmds::CareCommand),
    #[command(flatten)]
    Money(money_cmds::MoneyCommand),
    #[command(flatten)]
    Rules(rules::RulesCommand),
    #[command(flatten)]
    Scenarios(scenarios::ScenarioCommand),
    /// The phone's calendar over CalDAV: sync, status, forget.
    Caldav {
        #[command(subcommand)]
        cmd: caldav_cmds::CaldavCommand,
    },
    /// Time the hot paths (list, search, client page, agenda) on a book and print figures.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Book(cmd) => book_cmds::run(cmd, cli.book, cli.json),
        Command::Backups(cmd) => backup_cmds::run(cmd, cli.book, cli.json),
        Command::Day(cmd) => day_cmds::run(cmd, cli.book, cli.json),
        Command::Exchange(cmd) => exchange_cmds::run(cmd, cli.book, cli.json),
        Command::Care(cmd) => care_cmds::run(cmd, cli.book, cli.json),
        Command::Money(cmd) => money_cmds::run(cmd, cli.book, cli.json),
        Command::Caldav { cmd } => caldav_cmds::run(cmd, cli.book, cli.json),
        Command::Rules(cmd) => rules::run(
            cmd,
            &rapport::book::resolve_path(cli.book.as_deref()),
            cli.json,
        ),
        Command::Scenarios(cmd) => scenarios::run(
            cmd,
            &rapport::book::resolve_path(cli.book.as_deref()),
            cli.json,
        ),
        Command::Bench(args) => bench::run(args, rapport::book::resolve_path(cli.book.as_deref())),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // The advisor reads a sentence in their language; a script reads the code.
            let language = failure::system_language();
            if cli.json {
                eprintln!("{}", failure.json(language));
            } else {
                eprintln!("rapport: {}", failure.sentence(language));
            }
            ExitCode::FAILURE
        }
    }
}
