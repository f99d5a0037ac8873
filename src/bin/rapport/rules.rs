//! CLI forms of the advisor's rules: lunar, festivals, birthdays, yield-compare, workdays.

use crate::failure::Failure;
use chrono::{Datelike, NaiveDate};
use rapport::rules::birthdays::{Birthday, BirthdayRules, Feb29, LeapBirthday};
use rapport::rules::workdays::WorkCalendar;
use rapport::rules::yields::{self, Product, Winner};
use rapport::rules::{festivals, lunar};
use rapport::{work_schedule, Book};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Subcommands over the rule modules.
#[derive(clap::Subcommand, Debug)]
pub enum RulesCommand {
    /// Solar date → lunar date (农历).
    Lunar {
        /// Solar date, YYYY-MM-DD (1901-01-01 .. 2100-12-31).
        date: String,
    },
    /// Lunar date → solar date (公历).
    Solar {
        /// Lunar date, YYYY-MM-DD (lunar year, month 1-12, day 1-30).
        lunar_date: String,
        /// The month is the leap month (闰月) of that number.
        #[arg(long)]
        leap: bool,
    },
    /// Festivals of a solar year and who each greeting suits.
    Festivals {
        /// Solar year, 1901-2100.
        year: i32,
    },
    /// Birthdays: next concrete dates.
    #[command(subcommand)]
    Birthdays(BirthdaysCommand),
    /// Compare two products on effective annualised yield over the days the money is tied up.
    YieldCompare {
        /// Amount in yuan, the same for both.
        #[arg(long)]
        amount: f64,
        /// Purchase date (the money leaves the account), YYYY-MM-DD.
        #[arg(long)]
        start: String,
        /// Our product: RATE%,TERM_DAYS,VALUE_LAG,PAYOUT_LAG (lags in working days).
        #[arg(long, allow_hyphen_values = true)]
        ours: String,
        /// Their product: RATE%,TERM_DAYS,VALUE_LAG,PAYOUT_LAG.
        #[arg(long, allow_hyphen_values = true)]
        theirs: String,
        /// Extra statutory schedule file (lines `YYYY-MM-DD 休|班 name`) for years after 2026.
        #[arg(long)]
        holidays: Option<PathBuf>,
    },
    /// Working days (weekends, statutory holidays, make-up working days).
    #[command(subcommand)]
    Workdays(WorkdaysCommand),
}

/// `rapport birthdays …`.
#[derive(clap::Subcommand, Debug)]
pub enum BirthdaysCommand {
    /// The next N birthday dates on or after --from.
    Next {
        /// Solar birthday, MM-DD.
        #[arg(long, conflicts_with = "lunar", required_unless_present = "lunar")]
        solar: Option<String>,
        /// Lunar birthday, MM-DD.
        #[arg(long)]
        lunar: Option<String>,
        /// The lunar birthday is in a leap month (闰月).
        #[arg(long, requires = "lunar")]
        leap: bool,
        /// For a leap-month birthday, use the leap month in years that have it.
        #[arg(long, requires = "leap")]
        prefer_leap: bool,
        /// 29 February in a common year: feb28 (default) or mar1.
        #[arg(long, default_value = "feb28")]
        feb29: String,
        /// First day to consider, YYYY-MM-DD (a birthday on it counts).
        #[arg(long)]
        from: String,
        /// How many dates.
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
}

/// `rapport workdays …`.
#[derive(clap::Subcommand, Debug)]
pub enum WorkdaysCommand {
    /// The date N working days after DATE (before it if N is negative).
    Add {
        /// Start date, YYYY-MM-DD.
        date: String,
        /// Working days to add.
        #[arg(allow_negative_numbers = true)]
        n: i64,
        /// Extra statutory schedule file (lines `YYYY-MM-DD 休|班 name`).
        #[arg(long)]
        holidays: Option<PathBuf>,
    },
    /// Keep a State Council holiday notice (lines `YYYY-MM-DD 休|班 name`) in the book: the
    /// notice's year (where most of its days fall) is replaced whole, its days in other years
    /// one by one.
    Import {
        /// The schedule file.
        file: PathBuf,
    },
    /// Whether DATE is a working day, and which holiday it belongs to.
    Check {
        /// Date, YYYY-MM-DD.
        date: String,
        /// Extra statutory schedule file (lines `YYYY-MM-DD 休|班 name`).
        #[arg(long)]
        holidays: Option<PathBuf>,
    },
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("invalid {what} '{s}': expected a real date YYYY-MM-DD"))
}

fn parse_num<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("invalid {what} '{s}': not a whole number"))
}

fn parse_month_day(s: &str, what: &str) -> Result<(u32, u32), String> {
    let (m, d) = s
        .split_once('-')
        .ok_or_else(|| format!("invalid {what} '{s}': expected MM-DD"))?;
    Ok((parse_num(m, what)?, parse_num(d, what)?))
}

fn parse_product(s: &str, what: &str) -> Result<Product, String> {
    let parts: Vec<&str> = s.split(',').collect();
    if parts.len() != 4 {
        return Err(format!(
            "invalid --{what} '{s}': expected RATE,TERM_DAYS,VALUE_LAG,PAYOUT_LAG"
        ));
    }
    let rate: f64 = parts[0].trim().trim_end_matches('%').parse().map_err(|_| {
        format!(
            "invalid --{what} rate '{}': expected a percentage such as 3.2",
            parts[0]
        )
    })?;
    Ok(Product {
        rate_percent: rate,
        term_days: parse_num(parts[1], &format!("--{what} term"))?,
        value_lag: parse_num(parts[2], &format!("--{what} value lag"))?,
        payout_lag: parse_num(parts[3], &format!("--{what} payout lag"))?,
    })
}

/// The book's calendar (built in + imported years) when the book exists, then `--holidays`.
pub(crate) fn calendar(holidays: Option<PathBuf>, book: &Path) -> Result<WorkCalendar, Failure> {
    // A rule question must not fail because the book cannot be read: say so, use the built-in.
    let stored = book.is_file().then(|| {
        Book::open_existing_with(book, crate::passphrase::given().as_ref())
            .and_then(|b| work_schedule::from_book(&b))
    });
    let mut cal = match stored {
        Some(Ok(cal)) => cal,
        Some(Err(err)) => {
            eprintln!("rapport: note: the book's holiday schedules were not read ({err}); built-in schedule only");
            WorkCalendar::new()
        }
        None => WorkCalendar::new(),
    };
    if let Some(path) = holidays {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        cal.import(&text)?;
    }
    Ok(cal)
}

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).expect("json"));
}

fn round_to(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

/// Run one rule subcommand, printing to stdout.
pub fn run(cmd: RulesCommand, book: &Path, json: bool) -> Result<(), Failure> {
    match cmd {
        RulesCommand::Lunar { date } => {
            let d = parse_date(&date, "date")?;
            let l = lunar::to_lunar(d)?;
            if json {
                print_json(
                    &json!({"year": l.year, "month": l.month, "day": l.day, "leap": l.leap, "text": l.text()}),
                );
            } else {
                println!(
                    "{d} → 农历 {} ({}年{}月{}日{})",
                    l.text(),
                    l.year,
                    l.month,
                    l.day,
                    if l.leap { " 闰月" } else { "" }
                );
            }
        }
        RulesCommand::Solar { lunar_date, leap } => {
            let parts: Vec<&str> = lunar_date.split('-').collect();
            if parts.len() != 3 {
                return Err(
                    format!("invalid lunar date '{lunar_date}': expected YYYY-MM-DD").into(),
                );
            }
            let y: i32 = parse_num(parts[0], "lunar year")?;
            let m: u8 = parse_num::<u32>(parts[1], "lunar month")?.min(255) as u8;
            let day: u8 = parse_num::<u32>(parts[2], "lunar day")?.min(255) as u8;
            let d = lunar::to_solar(y, m, day, leap)?;
            let text = lunar::LunarDate {
                year: y,
                month: m,
                day,
                leap,
            }
            .text();
            if json {
                print_json(&json!({"date": d.to_string(), "text": text}));
            } else {
                println!("农历 {text} → {d}");
            }
        }
        RulesCommand::Festivals { year } => {
            let list = festivals::festivals(year)?;
            if json {
                let v: Vec<_> = list
                    .iter()
                    .map(|f| json!({"name": f.name, "date": f.date.to_string(), "audience": f.audience}))
                    .collect();
                print_json(&json!(v));
            } else {
                for f in list {
                    let who = match f.audience {
                        festivals::Audience::Everyone => "",
                        festivals::Audience::Women => "  (女性客户)",
                        festivals::Audience::Elders => "  (年长客户)",
                        festivals::Audience::Couples => "  (有伴侣的客户)",
                    };
                    println!("{}  {}{who}", f.date, f.name);
                }
            }
        }
        RulesCommand::Birthdays(BirthdaysCommand::Next {
            solar,
            lunar,
            leap,
            prefer_leap,
            feb29,
            from,
            count,
        }) => {
            let from = parse_date(&from, "--from")?;
            let feb29 = match feb29.as_str() {
                "feb28" => Feb29::Feb28,
                "mar1" => Feb29::Mar1,
                other => {
                    return Err(format!("invalid --feb29 '{other}': expected feb28 or mar1").into())
                }
            };
            let rules = BirthdayRules {
                feb29,
                leap: if prefer_leap {
                    LeapBirthday::LeapWhenPresent
                } else {
                    LeapBirthday::OrdinaryMonth
                },
            };
            let bd = match (solar, lunar) {
                (Some(s), None) => {
                    let (m, d) = parse_month_day(&s, "--solar")?;
                    Birthday::solar(m, d)?
                }
                (None, Some(l)) => {
                    let (m, d) = parse_month_day(&l, "--lunar")?;
                    Birthday::lunar(m.min(255) as u8, d.min(255) as u8, leap)?
                }
                _ => return Err("give exactly one of --solar MM-DD or --lunar MM-DD".into()),
            };
            if count > 1000 {
                return Err(format!("invalid --count {count}: at most 1000").into());
            }
            let dates = bd.next(from, count, &rules)?;
            if json {
                print_json(&json!(dates
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()));
            } else {
                for d in dates {
                    println!("{d}");
                }
            }
        }
        RulesCommand::YieldCompare {
            amount,
            start,
            ours,
            theirs,
            holidays,
        } => {
            let start = parse_date(&start, "--start")?;
            let ours = parse_product(&ours, "ours")?;
            let theirs = parse_product(&theirs, "theirs")?;
            let cal = calendar(holidays, book)?;
            let c = yields::compare(amount, start, &ours, &theirs, &cal)?;
            let side = |o: &yields::Outcome| {
                json!({
                    "interest": round_to(o.interest, 2),
                    "days_tied_up": o.days_tied_up,
                    "effective_rate": round_to(o.effective_rate, 4),
                    "value_date": o.value_date.to_string(),
                    "maturity_date": o.maturity_date.to_string(),
                    "payout_date": o.payout_date.to_string(),
                })
            };
            if json {
                print_json(&json!({
                    "ours": side(&c.ours),
                    "theirs": side(&c.theirs),
                    "winner": c.winner,
                    "margin": round_to(c.margin, 4),
                    "break_even_rate": round_to(c.break_even_rate, 4),
                    "steps": c.steps,
                    "warnings": c.warnings,
                }));
            } else {
                for s in &c.steps {
                    println!("{s}");
                }
                for w in &c.warnings {
                    println!("注意: {w}");
                }
                let who = match c.winner {
                    Winner::Ours => "ours",
                    Winner::Theirs => "theirs",
                    Winner::Tie => "tie",
                };
                println!("winner: {who}, margin {:.4} percentage points", c.margin);
            }
        }
        RulesCommand::Workdays(WorkdaysCommand::Add { date, n, holidays }) => {
            let d = parse_date(&date, "date")?;
            if n.abs() > 10_000 {
                return Err(format!("invalid N {n}: at most 10000 working days").into());
            }
            let cal = calendar(holidays, book)?;
            let out = cal.add_working_days(d, n);
            if json {
                print_json(&json!(out.to_string()));
            } else {
                println!("{out}");
            }
            if !cal.has_schedule(out.year()) || !cal.has_schedule(d.year()) {
                eprintln!(
                    "rapport: note: no statutory holiday schedule for that year, weekends only"
                );
            }
        }
        RulesCommand::Workdays(WorkdaysCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            // Check the file before opening the book: bad input changes nothing.
            WorkCalendar::new().import(&text)?;
            let mut book = crate::failure::open_existing(book)?;
            let stored = work_schedule::store(&mut book, &text)?;
            if json {
                print_json(&json!(stored));
            } else {
                let years: Vec<String> = stored.years.iter().map(i32::to_string).collect();
                println!(
                    "{} scheduled days kept for {}",
                    stored.days,
                    years.join(", ")
                );
                let others: Vec<String> = stored
                    .years
                    .iter()
                    .filter(|&&y| Some(y) != stored.replaced_year)
                    .map(i32::to_string)
                    .collect();
                if let (Some(y), false) = (stored.replaced_year, others.is_empty()) {
                    println!(
                        "{y} replaced whole; {} changed only on the days listed",
                        others.join(", ")
                    );
                }
            }
        }
        RulesCommand::Workdays(WorkdaysCommand::Check { date, holidays }) => {
            let d = parse_date(&date, "date")?;
            let cal = calendar(holidays, book)?;
            let working = cal.is_working_day(d);
            let s = cal.scheduled(d);
            if json {
                print_json(&json!({
                    "date": d.to_string(),
                    "working": working,
                    "holiday": s.map(|x| x.name.clone()),
                    "kind": s.map(|x| x.kind),
                }));
            } else {
                let name = s.map(|x| format!(" ({})", x.name)).unwrap_or_default();
                println!("{d}: {}{name}", if working { "工作日" } else { "休息日" });
            }
        }
    }
    Ok(())
}
