//! Money in the book from the command line: holdings (持仓) with their values, maturities and
//! renewals, large transfers out, contribution, the 12421 grades and the At risk list.
//! CLIENT is an id or an exact name.

use crate::failure::{open_existing, Failure};
use clap::{Args, Subcommand};
use rapport::book::values::{yuan_text, HoldingKind, HoldingStatus};
use rapport::exchange::words::read_value;
use rapport::holdings::{self, Holding, HoldingInput};
use rapport::{book, churn, clients, clock, grades, Book};
use serde::Serialize;
use std::path::PathBuf;

/// Money subcommands.
// Parsed once per run: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum MoneyCommand {
    /// Holdings (持仓): add, list, record a value, close, renew, record a transfer out.
    #[command(subcommand)]
    Holdings(HoldingsCommand),
    /// The 12421 grades (A–E) with counts per letter: the latest month's, or computed now.
    Grades {
        /// Grade the book now from its own figures and keep this month's snapshot.
        #[arg(long)]
        recalculate: bool,
    },
    /// Clients showing warning signs (预防流失), most signs and freshest first.
    AtRisk,
    /// The book at a glance (概览): clients and AUM by tier, clients by grade, maturities in
    /// each of the next 12 months, contacts in each of the last 12 weeks, recent salons'
    /// funnels; with --month or --week, the list behind that bar.
    Overview {
        /// The holdings maturing in this month (YYYY-MM).
        #[arg(long, conflicts_with = "week")]
        month: Option<String>,
        /// The contacts of the week of this day (YYYY-MM-DD).
        #[arg(long)]
        week: Option<String>,
    },
    /// Record a client's contribution (中间业务收入, last 12 months), in yuan; empty to clear.
    Contribution {
        /// The client: id or exact name.
        client: String,
        /// The amount in yuan.
        #[arg(long)]
        amount: Option<String>,
    },
    /// Mark a client lost (已流失), keeping the reason.
    Lost {
        /// The client: id or exact name.
        client: String,
        /// Why they left.
        #[arg(long)]
        reason: String,
    },
}

/// A holding's terms, as typed.
#[derive(Args, Debug, Clone)]
pub struct Terms {
    /// The product's name.
    #[arg(long)]
    product: String,
    /// deposit, wealth, fund, insurance, bond, other (or 存款 理财 基金 保险 债券 其他).
    #[arg(long = "type")]
    kind: String,
    /// The amount, in yuan.
    #[arg(long)]
    amount: String,
    /// The day it was bought.
    #[arg(long)]
    start: String,
    /// 起息日, when later than the day bought.
    #[arg(long)]
    value_date: Option<String>,
    /// 到期日 (none for an open-ended product).
    #[arg(long)]
    maturity: Option<String>,
    /// Expected annual yield, percent (3.2).
    #[arg(long)]
    rate: Option<String>,
    /// Stop-profit, percent rise over the amount (8).
    #[arg(long)]
    stop_profit: Option<String>,
    /// Stop-loss, percent fall (-5).
    #[arg(long, allow_hyphen_values = true)]
    stop_loss: Option<String>,
    /// Held at another bank (他行资产): never in AUM.
    #[arg(long)]
    elsewhere: bool,
    /// The other bank.
    #[arg(long)]
    institution: Option<String>,
    /// A note.
    #[arg(long)]
    notes: Option<String>,
}

/// Holdings subcommands.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum HoldingsCommand {
    /// Add a holding to a client.
    Add {
        /// The client: id or exact name.
        client: String,
        #[command(flatten)]
        terms: Terms,
    },
    /// A client's holdings with AUM, or every holding of the book.
    List {
        /// The client: id or exact name.
        client: Option<String>,
    },
    /// Record a holding's value on a day.
    Value {
        /// The holding's id.
        holding: i64,
        /// The day.
        #[arg(long)]
        on: String,
        /// The value, in yuan.
        #[arg(long)]
        amount: String,
    },
    /// Close a holding: matured (the money is back) or redeemed.
    Close {
        /// The holding's id.
        holding: i64,
        /// matured or redeemed.
        #[arg(long)]
        status: String,
        /// The day.
        #[arg(long)]
        on: String,
    },
    /// Renew (续作) a holding into a new one bought with its money.
    Renew {
        /// The holding's id.
        holding: i64,
        #[command(flatten)]
        terms: Terms,
    },
    /// Record a large transfer out (大额转出) the advisor heard of.
    TransferOut {
        /// The client: id or exact name.
        client: String,
        /// The amount, in yuan.
        #[arg(long)]
        amount: String,
        /// The day.
        #[arg(long)]
        on: String,
        /// Where it went (another bank, a broker).
        #[arg(long)]
        to: Option<String>,
    },
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn zh() -> bool {
    crate::failure::system_language() == "zh-CN"
}

fn kind(text: &str) -> Result<HoldingKind, Failure> {
    let key = read_value("holding_kind", text).unwrap_or_else(|| text.trim().to_lowercase());
    HoldingKind::parse(&key).ok_or_else(|| {
        let allowed: Vec<&str> = HoldingKind::ALL.iter().map(|k| k.as_str()).collect();
        Failure::word("kind", text, &allowed)
    })
}

fn input(t: Terms) -> Result<HoldingInput, Failure> {
    Ok(HoldingInput {
        product: t.product,
        kind: Some(kind(&t.kind)?),
        elsewhere: t.elsewhere,
        institution: t.institution,
        amount: t.amount,
        bought_on: t.start,
        value_date: t.value_date,
        maturity: t.maturity,
        rate: t.rate,
        stop_profit: t.stop_profit,
        stop_loss: t.stop_loss,
        notes: t.notes,
    })
}

fn line(h: &Holding) -> String {
    let (kind, status) = if zh() {
        (
            rapport::exchange::words::value(
                rapport::exchange::words::Language::ZhCn,
                "holding_kind",
                h.kind.as_str(),
            ),
            rapport::exchange::words::value(
                rapport::exchange::words::Language::ZhCn,
                "holding_status",
                h.status.as_str(),
            ),
        )
    } else {
        (h.kind.as_str(), h.status.as_str())
    };
    let maturity = h.maturity.as_deref().unwrap_or("-");
    let rate = h
        .rate_bp
        .map(|r| format!(" {}.{:02}%", r / 100, r % 100))
        .unwrap_or_default();
    let elsewhere = match (&h.institution, h.elsewhere) {
        (Some(i), true) => format!(" [{i}]"),
        (None, true) => " [他行]".into(),
        _ => String::new(),
    };
    format!(
        "#{:<5} {}  {}  ¥{}  {} → {}{}  {}{}",
        h.id,
        h.product,
        kind,
        yuan_text(h.value_fen),
        h.bought_on,
        maturity,
        rate,
        status,
        elsewhere
    )
}

/// Run one money subcommand.
pub fn run(cmd: MoneyCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let mut book = open_existing(&book::resolve_path(book_path.as_deref()))?;
    let today = clock::today_in(&book)?;
    match cmd {
        MoneyCommand::Holdings(h) => holdings_cmd(h, &mut book, json, today),
        MoneyCommand::Grades { recalculate } => {
            let graded = if recalculate {
                Some(grades::recalculate(&mut book, today)?)
            } else {
                grades::latest(&book)?
            };
            let Some(g) = graded else {
                if json {
                    return print_json(&serde_json::json!(null));
                }
                println!(
                    "{}",
                    if zh() {
                        "还没有分级：运行 rapport grades --recalculate"
                    } else {
                        "not graded yet: run rapport grades --recalculate"
                    }
                );
                return Ok(());
            };
            if json {
                return print_json(&g);
            }
            let counts: Vec<String> = g.counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
            println!("{}  {}", g.month, counts.join("  "));
            for c in &g.clients {
                let fell = match (&c.previous, c.fell) {
                    (Some(p), true) => format!("  ↓ {p}→{}", c.grade),
                    _ => String::new(),
                };
                println!(
                    "{}  {:>6.2}  #{:<6} {}  ¥{}{}",
                    c.grade,
                    c.score,
                    c.client_id,
                    c.name,
                    yuan_text(c.aum_fen),
                    fell
                );
            }
            Ok(())
        }
        MoneyCommand::Overview { month, week } => overview(&book, today, month, week, json),
        MoneyCommand::AtRisk => {
            let list = churn::at_risk(&book, today)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!(
                    "{}",
                    if zh() {
                        "没有出现流失信号的客户"
                    } else {
                        "no client shows warning signs"
                    }
                );
            }
            for c in &list {
                println!("#{:<6} {}  ({})", c.client_id, c.name, c.signs.len());
                for s in &c.signs {
                    let detail = if zh() { &s.detail } else { &s.detail_en };
                    println!("    {}  {}", s.since, detail);
                }
            }
            Ok(())
        }
        MoneyCommand::Contribution { client, amount } => {
            let id = clients::resolve(&book, &client)?;
            grades::set_contribution(&mut book, id, amount.as_deref().filter(|a| !a.is_empty()))?;
            if json {
                return print_json(&serde_json::json!({"client_id": id, "contribution": amount}));
            }
            println!("#{id}");
            Ok(())
        }
        MoneyCommand::Lost { client, reason } => {
            let id = clients::resolve(&book, &client)?;
            churn::mark_lost(&mut book, id, &reason, today)?;
            if json {
                return print_json(
                    &serde_json::json!({"client_id": id, "stage": "lost", "reason": reason}),
                );
            }
            println!(
                "#{id} {}",
                if zh() {
                    "已标记为已流失"
                } else {
                    "marked lost"
                }
            );
            Ok(())
        }
    }
}

fn holdings_cmd(
    cmd: HoldingsCommand,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    let show = |h: &Holding| -> Result<(), Failure> {
        if json {
            print_json(h)
        } else {
            println!("{}", line(h));
            Ok(())
        }
    };
    match cmd {
        HoldingsCommand::Add { client, terms } => {
            let id = clients::resolve(book, &client)?;
            let h = holdings::add(book, id, &input(terms)?)?;
            show(&h)
        }
        HoldingsCommand::List { client } => match client {
            Some(c) => {
                let id = clients::resolve(book, &c)?;
                let list = holdings::of_client(book, id)?;
                let money = holdings::money(book, id, today)?;
                if json {
                    return print_json(&serde_json::json!({
                        "client_id": id,
                        "aum_fen": money.aum_fen,
                        "elsewhere_fen": money.elsewhere_fen,
                        "trend": money.trend,
                        "holdings": list,
                    }));
                }
                let (aum, elsewhere) = if zh() {
                    ("资产 (AUM)", "他行")
                } else {
                    ("AUM", "elsewhere")
                };
                println!(
                    "{aum} ¥{}   {elsewhere} ¥{}",
                    yuan_text(money.aum_fen),
                    yuan_text(money.elsewhere_fen)
                );
                for h in &list {
                    println!("{}", line(h));
                }
                Ok(())
            }
            None => {
                let list = holdings::all(book)?;
                if json {
                    return print_json(&list);
                }
                for h in &list {
                    println!("{}", line(h));
                }
                Ok(())
            }
        },
        HoldingsCommand::Value {
            holding,
            on,
            amount,
        } => {
            let h = holdings::set_value(book, holding, &on, &amount, today)?;
            show(&h)
        }
        HoldingsCommand::Close {
            holding,
            status,
            on,
        } => {
            let key = read_value("holding_status", &status)
                .unwrap_or_else(|| status.trim().to_lowercase());
            let status = HoldingStatus::parse(&key)
                .ok_or_else(|| Failure::word("status", &status, &["matured", "redeemed"]))?;
            let h = holdings::close(book, holding, status, &on)?;
            show(&h)
        }
        HoldingsCommand::Renew { holding, terms } => {
            let h = holdings::renew(book, holding, &input(terms)?)?;
            show(&h)
        }
        HoldingsCommand::TransferOut {
            client,
            amount,
            on,
            to,
        } => {
            let id = clients::resolve(book, &client)?;
            let t = holdings::transfer_out(book, id, &on, &amount, to.as_deref(), today)?;
            if json {
                return print_json(&serde_json::json!({"id": t, "client_id": id}));
            }
            println!("#{t}");
            Ok(())
        }
    }
}

/// `rapport overview`: the figures behind the window's charts, or the list behind one bar.
fn overview(
    book: &rapport::Book,
    today: chrono::NaiveDate,
    month: Option<String>,
    week: Option<String>,
    json: bool,
) -> Result<(), Failure> {
    use rapport::overview;
    if let Some(month) = month {
        let drill = overview::maturing_in(book, &month, today)?;
        if json {
            return print_json(&drill);
        }
        for h in &drill.rows {
            println!(
                "{}  #{:<6} {}  {}  {}",
                h.maturity,
                h.client_id,
                h.name,
                h.product,
                yuan_text(h.amount_fen)
            );
        }
        println!("({} of {})", drill.rows.len(), drill.total);
        return Ok(());
    }
    if let Some(week) = week {
        let drill = overview::contacts_in_week(book, &week)?;
        if json {
            return print_json(&drill);
        }
        for c in &drill.rows {
            println!("{}  #{:<6} {}  {}", c.at, c.client_id, c.name, c.summary);
        }
        println!("({} of {})", drill.rows.len(), drill.total);
        return Ok(());
    }
    let o = overview::overview(book, today)?;
    if json {
        return print_json(&o);
    }
    println!("clients {}", o.clients);
    for t in &o.tiers {
        println!(
            "  {:<8} {:>7}  AUM {}",
            t.tier.as_str(),
            t.clients,
            yuan_text(t.aum_fen)
        );
    }
    if let Some(m) = &o.graded_month {
        let letters: Vec<String> = o
            .grades
            .iter()
            .map(|g| format!("{} {}", g.grade.as_str(), g.clients))
            .collect();
        println!(
            "grades of {m}: {} (ungraded {})",
            letters.join(", "),
            o.ungraded
        );
    }
    for m in &o.maturities {
        println!(
            "  matures {}  {:>5}  {}",
            m.month,
            m.holdings,
            yuan_text(m.amount_fen)
        );
    }
    for w in &o.contacts {
        println!("  week of {}  {:>6} contacts", w.week, w.contacts);
    }
    for s in &o.salons {
        let f = &s.funnel;
        println!(
            "  {} {}  {} → {} → {} → {}",
            s.start, s.title, f.invited, f.reached, f.confirmed, f.came
        );
    }
    Ok(())
}
