//! CLI forms of the advisor's day: salons with their 7-3-1 rounds, and the agenda.

use crate::failure::Failure;
use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Subcommand};
use rapport::agenda::{self, Mark};
use rapport::book::values::{parse_date, Segment};
use rapport::salons::{self, CallResponse, SalonInput};
use rapport::{book, Book};
use serde::Serialize;
use std::path::PathBuf;

/// Salons and the agenda.
#[derive(Subcommand, Debug)]
pub enum DayCommand {
    /// Salons (沙龙): add, invite, record 7-3-1 calls, move, cancel, attendance, show, list.
    #[command(subcommand)]
    Salons(SalonsCommand),
    /// The agenda (今日待办) for a day or a few days, and marking its items.
    #[command(after_help = AGENDA_JSON, args_conflicts_with_subcommands = true)]
    Agenda(AgendaArgs),
}

const AGENDA_JSON: &str = "JSON (--json): {\"from\":\"YYYY-MM-DD\",\"days\":N,\"items\":[{\"id\":\"12/345/r7\",\
\"kind\":\"salon_call|complaint|maturity|band|follow_up|birthday|festival|cadence|watch\",\"client_id\":345,\
\"client_name\":\"张三丰\",\"tier\":\"vip\",\"due\":\"YYYY-MM-DD\",\"overdue\":false,\"days_overdue\":0,\
\"reason\":\"…\",\"reason_en\":\"…\",\"salon_id\":12,\"salon_title\":\"…\",\"round\":\"r7\",\"reminder\":false,\
\"family_id\":null,\"turns\":null,\"lunar\":false,\"audience\":null,\"follow_up_id\":null,\"contact_id\":null,\"holding_id\":null}],\
\"totals\":[{\"kind\":\"salon_call|complaint|maturity|band|follow_up|birthday|festival|cadence|watch\",\"total\":3}]}\n\
Item ids: salon calls SALON/CLIENT/r7|r3|r1; follow_up/ID; complaint/CONTACT_ID; \
birthday/client/ID/DATE; birthday/family/ID/DATE; festival/DATE/KEY; cadence/CLIENT/DATE; watch/CLIENT/DATE; \
maturity/HOLDING/DAYS_BEFORE; band/HOLDING/VALUE_DATE.\n\
done/snooze/skip print {\"item_id\":\"…\",\"state\":\"done|snoozed|skipped\",\"until\":null|\"YYYY-MM-DD\"}.";

/// `rapport agenda`.
#[derive(Args, Debug)]
pub struct AgendaArgs {
    /// Mark an item instead of listing.
    #[command(subcommand)]
    action: Option<AgendaAction>,
    /// First day (default: the advisor's today).
    #[arg(long)]
    date: Option<String>,
    /// How many days from it.
    #[arg(long, default_value_t = 1)]
    days: u32,
}

/// What to do with an agenda item.
#[derive(Subcommand, Debug)]
pub enum AgendaAction {
    /// Done: gone for good; for a client, written in the timeline.
    Done(MarkArgs),
    /// Not now: back on --to.
    Snooze(MarkArgs),
    /// Will not be done.
    Skip(MarkArgs),
}

/// An item and when.
#[derive(Args, Debug)]
pub struct MarkArgs {
    /// The item's id (see `rapport agenda --json`).
    item_id: String,
    /// Snooze until this day.
    #[arg(long)]
    to: Option<String>,
    /// The day it was acted on (default: today).
    #[arg(long)]
    on: Option<String>,
    /// A note for the timeline.
    #[arg(long)]
    note: Option<String>,
}

const SALON_JSON: &str = "JSON (--json) of a salon: {\"id\":12,\"title\":\"…\",\"theme\":null,\"segments\":[\"retiree\"],\
\"start\":\"YYYY-MM-DD HH:MM\",\"venue\":null,\"capacity\":30,\"notes\":null,\"cancelled\":false}";

const SHOW_JSON: &str = "JSON (--json): {\"salon\":{…salon…},\"invitees\":[{\"client_id\":345,\"name\":\"…\",\
\"tier\":\"vip\",\"phone\":\"…\",\"companion\":null,\"added_on\":\"YYYY-MM-DD\",\"response\":null|\"no_answer|declined|tentative|confirmed\",\
\"attended\":null|true|false,\"guests\":0,\"rounds\":[{\"call_id\":\"12/345/r7\",\"round\":\"r7\",\"reminder\":false,\
\"due\":\"YYYY-MM-DD\",\"state\":\"done|pending|missed|skipped\",\"response\":null,\"done_on\":null,\"note\":null,\
\"skip_reason\":null|\"declined|confirmed|added_later|same_day_as_earlier_round|cancelled\"}]}],\
\"funnel\":{\"invited\":0,\"reached\":0,\"confirmed\":0,\"came\":0,\"guests\":0},\
\"warnings\":[{\"kind\":\"over_capacity|full|no_round_left|non_working_day\",\"confirmed\":null,\"capacity\":null,\"client_id\":null}]}";

/// Salon subcommands.
#[derive(Subcommand, Debug)]
pub enum SalonsCommand {
    /// Add a salon; prints its id.
    #[command(after_help = SALON_JSON)]
    Add {
        /// Title.
        #[arg(long)]
        title: String,
        /// Start, YYYY-MM-DDTHH:MM (or "YYYY-MM-DD HH:MM").
        #[arg(long)]
        start: String,
        /// Seats.
        #[arg(long)]
        capacity: Option<u32>,
        /// Segment it is for (repeatable): entrepreneur, homemaker, retiree, professional.
        #[arg(long)]
        segment: Vec<String>,
        /// Venue.
        #[arg(long)]
        venue: Option<String>,
        /// Theme.
        #[arg(long)]
        theme: Option<String>,
    },
    /// Put clients on the list (on --on, default today).
    #[command(after_help = "JSON (--json): {\"salon_id\":12,\"added\":3}")]
    Invite {
        /// Salon id.
        salon: i64,
        /// Client ids.
        #[arg(required = true)]
        clients: Vec<i64>,
        /// The day they were put on the list.
        #[arg(long)]
        on: Option<String>,
    },
    /// Record a 7-3-1 call: its answer, day and note.
    #[command(
        after_help = "JSON (--json): {\"call_id\":\"12/345/r7\",\"response\":\"confirmed\",\"on\":\"YYYY-MM-DD\"}"
    )]
    Record {
        /// The call's id SALON/CLIENT/r7|r3|r1.
        call_id: String,
        /// no_answer, declined, tentative or confirmed.
        #[arg(long)]
        response: String,
        /// The day of the call (default today).
        #[arg(long)]
        on: Option<String>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// Move a salon: rounds still ahead move, calls made stay.
    #[command(after_help = SALON_JSON)]
    Move {
        /// Salon id.
        salon: i64,
        /// New start, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        start: String,
    },
    /// Cancel a salon: its pending calls leave every agenda.
    #[command(after_help = SALON_JSON)]
    Cancel {
        /// Salon id.
        salon: i64,
    },
    /// After the event: came or no-show, and guests brought.
    #[command(
        after_help = "JSON (--json): {\"salon_id\":12,\"client_id\":345,\"came\":true,\"guests\":1}"
    )]
    Attend {
        /// Salon id.
        salon: i64,
        /// Client id.
        client: i64,
        /// The client came.
        #[arg(long, conflicts_with = "no_show", required_unless_present = "no_show")]
        came: bool,
        /// The client did not come.
        #[arg(long)]
        no_show: bool,
        /// Guests the client brought.
        #[arg(long, default_value_t = 0)]
        guests: u32,
    },
    /// A salon with its invitees, rounds, funnel and warnings.
    #[command(after_help = SHOW_JSON)]
    Show {
        /// Salon id.
        salon: i64,
    },
    /// Every salon, coming ones first, with its funnel.
    #[command(
        after_help = "JSON (--json): [{\"salon\":{…salon…},\"funnel\":{\"invited\":0,\"reached\":0,\"confirmed\":0,\"came\":0,\"guests\":0}}]"
    )]
    List,
    /// Clients to invite: the salon's segments, highest tier first, not already invited, not
    /// declining their last two salons.
    #[command(
        after_help = "JSON (--json): [{\"client_id\":345,\"name\":\"…\",\"tier\":\"vip\",\"segments\":[\"retiree\"]}]"
    )]
    Suggest {
        /// Salon id.
        salon: i64,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

fn open(path: &Option<PathBuf>) -> Result<Book, Failure> {
    let path = book::resolve_path(path.as_deref());
    crate::failure::open_existing(&path)
}

fn day(text: &Option<String>, field: &str, today: NaiveDate) -> Result<NaiveDate, Failure> {
    match text {
        Some(t) => Ok(parse_date(field, t)?),
        None => Ok(today),
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn segments(words: &[String]) -> Result<Vec<Segment>, Failure> {
    words
        .iter()
        .map(|w| {
            Segment::parse(w.trim()).ok_or_else(|| {
                let allowed: Vec<&str> = Segment::ALL.iter().map(|s| s.as_str()).collect();
                Failure::word("segments", w, &allowed)
            })
        })
        .collect()
}

/// Run one of the day's subcommands.
pub fn run(cmd: DayCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let mut book = open(&book_path)?;
    // The advisor's now, in the book's time zone (RAPPORT_TODAY pins the day for tests).
    let now = rapport::clock::now_in(&book)?;
    let today = now.date();
    match cmd {
        DayCommand::Salons(s) => salons_cmd(s, book, json, now),
        DayCommand::Agenda(a) => match a.action {
            None => {
                let from = day(&a.date, "date", today)?;
                let cal = rapport::work_schedule::from_book(&book)?;
                let agenda = agenda::for_days(&book, from, a.days, now, &cal)?;
                if json {
                    return print_json(&agenda);
                }
                if agenda.items.is_empty() {
                    println!("{}：没有待办", agenda.from);
                }
                for i in &agenda.items {
                    println!(
                        "{}{}  {:<10} {}  {}  [{}]",
                        i.due,
                        if i.overdue { " (逾期)" } else { "" },
                        serde_json::to_value(i.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        i.client_name.as_deref().unwrap_or("—"),
                        i.reason,
                        i.id
                    );
                }
                Ok(())
            }
            Some(action) => {
                let (m, state) = match &action {
                    AgendaAction::Done(m) => (m, Mark::Done),
                    AgendaAction::Skip(m) => (m, Mark::Skipped),
                    AgendaAction::Snooze(m) => {
                        let until = m.to.clone().ok_or("snooze needs --to YYYY-MM-DD")?;
                        let until = parse_date("to", &until)?.to_string();
                        (m, Mark::Snoozed { until })
                    }
                };
                let on = day(&m.on, "on", today)?;
                agenda::mark(&mut book, &m.item_id, &state, on, m.note.as_deref(), now)?;
                let (word, until) = match &state {
                    Mark::Done => ("done", None),
                    Mark::Skipped => ("skipped", None),
                    Mark::Snoozed { until } => ("snoozed", Some(until.clone())),
                };
                if json {
                    print_json(
                        &serde_json::json!({"item_id": m.item_id.trim(), "state": word, "until": until}),
                    )
                } else {
                    println!(
                        "{} {word}{}",
                        m.item_id.trim(),
                        until.map(|u| format!(" until {u}")).unwrap_or_default()
                    );
                    Ok(())
                }
            }
        },
    }
}

fn salons_cmd(
    cmd: SalonsCommand,
    mut book: Book,
    json: bool,
    now: NaiveDateTime,
) -> Result<(), Failure> {
    let today = now.date();
    let show_salon = |s: &salons::Salon| -> Result<(), Failure> {
        if json {
            print_json(s)
        } else {
            println!(
                "{}  {}  {}{}",
                s.id,
                s.start,
                s.title,
                if s.cancelled { "（已取消）" } else { "" }
            );
            Ok(())
        }
    };
    match cmd {
        SalonsCommand::Add {
            title,
            start,
            capacity,
            segment,
            venue,
            theme,
        } => {
            let input = SalonInput {
                title,
                theme,
                segments: segments(&segment)?,
                start,
                venue,
                capacity,
                notes: None,
            };
            let s = salons::create(&mut book, &input)?;
            if json {
                print_json(&s)
            } else {
                println!("{}", s.id);
                Ok(())
            }
        }
        SalonsCommand::Invite { salon, clients, on } => {
            let on = day(&on, "on", today)?;
            let added = salons::invite(&mut book, salon, &clients, on)?;
            if json {
                print_json(&serde_json::json!({"salon_id": salon, "added": added}))
            } else {
                println!("invited {added} to salon {salon}");
                Ok(())
            }
        }
        SalonsCommand::Record {
            call_id,
            response,
            on,
            note,
        } => {
            let r = CallResponse::parse(response.trim()).ok_or_else(|| {
                let allowed = ["no_answer", "declined", "tentative", "confirmed"];
                Failure::word("response", &response, &allowed)
            })?;
            let on = day(&on, "on", today)?;
            salons::record_call(&mut book, &call_id, r, on, note.as_deref(), now)?;
            if json {
                print_json(
                    &serde_json::json!({"call_id": call_id.trim(), "response": r, "on": on.to_string()}),
                )
            } else {
                println!("{} {} on {on}", call_id.trim(), r.as_str());
                Ok(())
            }
        }
        SalonsCommand::Move { salon, start } => {
            show_salon(&salons::move_to(&mut book, salon, &start)?)
        }
        SalonsCommand::Cancel { salon } => {
            show_salon(&salons::set_cancelled(&mut book, salon, true)?)
        }
        SalonsCommand::Attend {
            salon,
            client,
            came,
            no_show,
            guests,
        } => {
            let came = came && !no_show;
            salons::attend(&mut book, salon, client, came, guests)?;
            if json {
                print_json(
                    &serde_json::json!({"salon_id": salon, "client_id": client, "came": came, "guests": if came { guests } else { 0 }}),
                )
            } else {
                println!(
                    "salon {salon}: client {client} {}",
                    if came { "came" } else { "no-show" }
                );
                Ok(())
            }
        }
        SalonsCommand::Show { salon } => {
            let cal = rapport::work_schedule::from_book(&book)?;
            let page = salons::page(&book, salon, now, &cal)?;
            if json {
                return print_json(&page);
            }
            show_salon(&page.salon)?;
            let f = &page.funnel;
            println!(
                "邀约 {} → 接通 {} → 确认 {} → 到场 {}",
                f.invited, f.reached, f.confirmed, f.came
            );
            for i in &page.invitees {
                let rounds: Vec<String> = i
                    .rounds
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} {}{}",
                            r.round,
                            r.due,
                            r.state,
                            r.response
                                .map(|x| format!(":{}", x.as_str()))
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                println!("  {} {}  {}", i.client_id, i.name, rounds.join("  "));
            }
            for w in &page.warnings {
                println!("  ! {}", w.kind);
            }
            Ok(())
        }
        SalonsCommand::List => {
            let rows = salons::list(&book, today)?;
            if json {
                return print_json(&rows);
            }
            for r in &rows {
                show_salon(&r.salon)?;
            }
            Ok(())
        }
        SalonsCommand::Suggest { salon, limit } => {
            let s = salons::suggestions(&book, salon, limit)?;
            if json {
                return print_json(&s);
            }
            for c in &s {
                println!("{}  {}  {}", c.client_id, c.name, c.tier.as_str());
            }
            Ok(())
        }
    }
}
