//! CLI forms of the rules that take a whole scenario (7-3-1 rounds, cadence, 12421 grading) as
//! JSON, and the gift check, so each can be scripted and checked from outside the app.

use crate::failure::Failure;
use chrono::NaiveDate;
use clap::Subcommand;
use rapport::rules::cadence::{self, CadenceSettings, ClientContactState};
use rapport::rules::gifts::{self, PastGift};
use rapport::rules::grading::{self, ClientMetrics, Weights};
use rapport::rules::invitations::{self, CallRecord, Event, InviteSettings, Invitee};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Scenario subcommands.
#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// 12421 grading of a book given as JSON: `[{"id","aum","contribution","contacts",
    /// "salons","referrals"}]`, or `{"clients": [...], "weights": {...}}`.
    Grade {
        /// JSON file, or - for standard input.
        file: PathBuf,
    },
    /// 7-3-1 invitation rounds of an event given as JSON: `{"event": {"id", "start":
    /// "YYYY-MM-DDTHH:MM:SS", "capacity"}, "invitees": [{"id", "added_on"}], "records":
    /// [{"call_id", "done_on", "response": "no_answer|declined|tentative|confirmed"}]}`.
    Invitations {
        /// JSON file, or - for standard input.
        file: PathBuf,
        /// The advisor's "now", YYYY-MM-DDTHH:MM[:SS].
        #[arg(long)]
        now: String,
        /// Also list the calls due on this day (default: the day of --now).
        #[arg(long)]
        due: Option<String>,
        /// Move calls off weekends and statutory holidays (earlier, never later); the book's
        /// imported schedules count.
        #[arg(long)]
        avoid_non_working_days: bool,
        /// Extra statutory schedule file (lines `YYYY-MM-DD 休|班 name`).
        #[arg(long)]
        holidays: Option<PathBuf>,
    },
    /// Who is due or overdue for contact on a day, given `[{"client_id", "tier":
    /// "private|vip|high|mass", "client_since", "last_contact", "last_call"}]`.
    Cadence {
        /// JSON file, or - for standard input.
        file: PathBuf,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        today: String,
    },
    /// Check a planned gift for one person: repeats, their taboos, common taboos.
    GiftCheck {
        /// The gift.
        item: String,
        /// How many pieces, when it matters.
        #[arg(long)]
        quantity: Option<u32>,
        /// An earlier gift to this person, "ITEM@YYYY-MM-DD" (repeatable).
        #[arg(long)]
        past: Vec<String>,
        /// One of the person's taboos (repeatable).
        #[arg(long)]
        taboo: Vec<String>,
    },
}

fn read_json<T: DeserializeOwned>(file: &PathBuf) -> Result<T, String> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read stdin: {e}"))?
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?
    };
    // serde's message says where (line and column, or the field), never echoes values.
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: not the expected JSON: {e}", file.display()))
}

fn date(s: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("invalid {what} '{s}': expected a real date YYYY-MM-DD"))
}

fn print(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).expect("json"));
}

#[derive(Deserialize)]
struct GradeBook {
    clients: Vec<ClientMetrics>,
    #[serde(default)]
    weights: Weights,
}

/// A book to grade: a bare list of clients, or `{"clients": [...], "weights": {...}}`. Read by
/// shape first so a mistake is reported against the shape that was meant.
fn grade_input(file: &PathBuf) -> Result<GradeBook, Failure> {
    let value: serde_json::Value = read_json(file)?;
    let bad = |e: serde_json::Error| format!("{}: not the expected JSON: {e}", file.display());
    if value.is_array() {
        let clients = serde_json::from_value(value).map_err(bad)?;
        Ok(GradeBook {
            clients,
            weights: Weights::default(),
        })
    } else {
        Ok(serde_json::from_value(value).map_err(bad)?)
    }
}

#[derive(Deserialize)]
struct InvitationInput {
    event: Event,
    invitees: Vec<Invitee>,
    #[serde(default)]
    records: Vec<CallRecord>,
}

/// Run one scenario subcommand.
pub fn run(cmd: ScenarioCommand, book: &Path, json: bool) -> Result<(), Failure> {
    match cmd {
        ScenarioCommand::Grade { file } => {
            let GradeBook { clients, weights } = grade_input(&file)?;
            let graded = grading::grade(&clients, &weights)?;
            let counts = grading::grade_counts(clients.len());
            if json {
                print(&json!({ "counts": counts, "grades": graded }));
            } else {
                println!("A B C D E = {counts:?}");
                for g in &graded {
                    println!("{:>5}  {:?}  {:>6.2}  {}", g.rank, g.grade, g.score, g.id);
                }
            }
        }
        ScenarioCommand::Invitations {
            file,
            now,
            due,
            avoid_non_working_days,
            holidays,
        } => {
            let input: InvitationInput = read_json(&file)?;
            let now = chrono::NaiveDateTime::parse_from_str(&now, "%Y-%m-%dT%H:%M:%S")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(&now, "%Y-%m-%dT%H:%M"))
                .map_err(|_| format!("invalid --now '{now}': expected YYYY-MM-DDTHH:MM"))?;
            let day = match due {
                Some(d) => date(&d, "--due")?,
                None => now.date(),
            };
            let settings = InviteSettings {
                avoid_non_working_days,
            };
            let plan = invitations::plan(
                &input.event,
                &input.invitees,
                &input.records,
                now,
                &settings,
                &crate::rules::calendar(holidays, book)?,
            )?;
            let due_calls = plan.due_on(day);
            if json {
                print(
                    &json!({ "plan": plan, "due": { "day": day.to_string(), "calls": due_calls } }),
                );
            } else {
                println!(
                    "confirmed {} · warnings {}",
                    plan.confirmed,
                    plan.warnings.len()
                );
                for w in &plan.warnings {
                    println!("  ! {w:?}");
                }
                println!("calls due on {day}:");
                for c in due_calls {
                    println!("  {}  {:?}  due {}", c.id, c.kind, c.due);
                }
            }
        }
        ScenarioCommand::Cadence { file, today } => {
            let clients: Vec<ClientContactState> = read_json(&file)?;
            let due = cadence::due_on(
                &clients,
                date(&today, "--today")?,
                &CadenceSettings::default(),
            );
            if json {
                print(&json!(due));
            } else {
                for d in &due {
                    println!(
                        "{}  {:?}  since {}  {} days overdue",
                        d.client_id, d.kind, d.due_since, d.days_overdue
                    );
                }
            }
        }
        ScenarioCommand::GiftCheck {
            item,
            quantity,
            past,
            taboo,
        } => {
            let past = past
                .iter()
                .map(|p| {
                    let (item, on) = p
                        .rsplit_once('@')
                        .ok_or_else(|| format!("--past '{p}' must be ITEM@YYYY-MM-DD"))?;
                    Ok(PastGift {
                        item: item.into(),
                        given_on: date(on, "--past date")?,
                    })
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            let warnings =
                gifts::check_gift(&item, quantity, &past, &taboo, &gifts::common_taboos());
            if json {
                print(&json!(warnings));
            } else if warnings.is_empty() {
                println!("{item}: no warning");
            } else {
                for w in &warnings {
                    println!("! {}", w.reason());
                }
            }
        }
    }
    Ok(())
}
