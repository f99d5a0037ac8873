//! CLI forms over the client book: init, demo, clients, contacts, settings, search.

use crate::failure::Failure;
use clap::{Args, Subcommand};
use rapport::book::values::{
    Birthday, Calendar, Channel, ClientKind, Gender, Risk, Segment, Stage, Tier,
};
use rapport::clients::{ClientInput, ClientQuery, Grade, SortKey};
use rapport::contacts::{ContactInput, FollowUpInput};
use rapport::{book, clients, clock, contacts, demo, search, settings, Book};
use serde::Serialize;
use std::path::PathBuf;

/// Subcommands over the book.
#[derive(Subcommand, Debug)]
pub enum BookCommand {
    /// Create an empty book (or check an existing one) and print where it is. With
    /// RAPPORT_PASSPHRASE set, or `--encrypt`, the new book is encrypted from its first byte.
    Init {
        /// Encrypt the new book: the passphrase from RAPPORT_PASSPHRASE, or typed twice.
        #[arg(long)]
        encrypt: bool,
    },
    /// Print where the book lives, creating nothing.
    Path {
        /// Where the demo book that goes with it lives instead (`demo.rapport` beside it).
        #[arg(long)]
        demo: bool,
    },
    /// Fill a new book with realistic synthetic clients and mark it a demo book (one that
    /// already holds clients is refused).
    Demo {
        /// How many clients.
        #[arg(long, default_value_t = demo::DEFAULT_CLIENTS)]
        clients: u32,
        /// Seed: the same seed makes the same book.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// About this many contacts in all, spread over as many years back as they take (a
        /// bench book: `--clients 100000 --contacts 1000000`); by default about seven a client
        /// over the last year.
        #[arg(long)]
        contacts: Option<u32>,
    },
    /// Clients: list, add, show.
    #[command(subcommand)]
    Clients(ClientsCommand),
    /// Log a contact (visit note) for a client.
    #[command(name = "log")]
    Log(LogArgs),
    /// The advisor's settings kept in the book; with an option, change it first.
    Settings {
        /// The advisor's time zone, an IANA name (default Asia/Shanghai): it decides the day
        /// whatever the computer's own zone.
        #[arg(long)]
        time_zone: Option<String>,
        /// Idle minutes after which the window locks an encrypted book (0: never).
        #[arg(long)]
        auto_lock: Option<u32>,
        /// Days before a holding's maturity the agenda reminds of it, comma-separated (7,1).
        #[arg(long, value_delimiter = ',')]
        maturity_notice: Option<Vec<u32>>,
        /// The share of AUM that, gone within 90 days, is a warning sign (percent, 30).
        #[arg(long)]
        aum_drop: Option<i64>,
    },
    /// Search names, phones, profiles and notes.
    Search {
        /// What to look for (Chinese, pinyin initials, digits).
        query: String,
        /// At most this many hits.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// Client subcommands.
#[derive(Subcommand, Debug)]
pub enum ClientsCommand {
    /// One page of the client list.
    List {
        /// Only this tier: private, vip, high, mass.
        #[arg(long)]
        tier: Option<String>,
        /// Only this stage: prospect, new, stable, mature, at_risk, lost.
        #[arg(long)]
        stage: Option<String>,
        /// Only this segment: entrepreneur, homemaker, retiree, professional.
        #[arg(long)]
        segment: Option<String>,
        /// Only this risk profile: C1 … C5.
        #[arg(long)]
        risk: Option<String>,
        /// Only this 12421 grade: A … E (the newest grading).
        #[arg(long)]
        grade: Option<String>,
        /// Only key clients.
        #[arg(long)]
        starred: bool,
        /// Order: name, last_contact, updated, grade (A first, the ungraded last).
        #[arg(long, default_value = "name")]
        sort: String,
        /// Rows to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Rows to skip.
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Add a client.
    Add(AddArgs),
    /// Show a client's whole record, family and timeline (JSON).
    Show {
        /// Client id.
        id: i64,
    },
}

/// Fields of `clients add`.
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Name.
    #[arg(long)]
    name: String,
    /// Enterprise client instead of a person.
    #[arg(long)]
    enterprise: bool,
    /// male or female.
    #[arg(long)]
    gender: Option<String>,
    /// Mobile phone.
    #[arg(long)]
    phone: Option<String>,
    /// Birthday YYYY-MM-DD (solar unless --lunar).
    #[arg(long)]
    birthday: Option<String>,
    /// The birthday is a lunar (农历) date.
    #[arg(long)]
    lunar: bool,
    /// The lunar birthday is in a leap month (闰月).
    #[arg(long)]
    leap: bool,
    /// Tier: private, vip, high, mass.
    #[arg(long)]
    tier: Option<String>,
    /// Stage: prospect, new, stable, mature, at_risk, lost.
    #[arg(long)]
    stage: Option<String>,
    /// Risk profile C1 … C5.
    #[arg(long)]
    risk: Option<String>,
    /// Segment (repeatable): entrepreneur, homemaker, retiree, professional.
    #[arg(long)]
    segment: Vec<String>,
    /// Occupation.
    #[arg(long)]
    occupation: Option<String>,
    /// Employer.
    #[arg(long)]
    employer: Option<String>,
    /// Company (enterprise clients).
    #[arg(long)]
    company: Option<String>,
    /// Hobbies.
    #[arg(long)]
    hobbies: Option<String>,
    /// Free notes.
    #[arg(long)]
    notes: Option<String>,
}

/// Fields of `log`.
#[derive(Args, Debug)]
pub struct LogArgs {
    /// Client id.
    client: i64,
    /// What was said.
    #[arg(long)]
    summary: String,
    /// visit, phone, wechat, sms, email, salon.
    #[arg(long, default_value = "phone")]
    channel: String,
    /// When, YYYY-MM-DD HH:MM (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Needs heard.
    #[arg(long)]
    needs: Option<String>,
    /// A follow-up as "TITLE@YYYY-MM-DD" (repeatable).
    #[arg(long = "follow-up")]
    follow_up: Vec<String>,
}

fn parse_word<T: Copy>(
    what: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, Failure> {
    parse(text.trim()).ok_or_else(|| {
        let allowed: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        Failure::word(what, text, &allowed)
    })
}

/// The list's order named on the command line.
pub(crate) fn sort_key(word: &str) -> Result<SortKey, Failure> {
    match word {
        "name" => Ok(SortKey::Name),
        "last_contact" => Ok(SortKey::LastContact),
        "updated" => Ok(SortKey::Updated),
        "grade" => Ok(SortKey::Grade),
        other => Err(Failure::word(
            "sort",
            other,
            &["name", "last_contact", "updated", "grade"],
        )),
    }
}

/// Whether an order named on the command line runs newest first (dates do; names and grades
/// run A first).
pub(crate) fn newest_first(key: SortKey) -> bool {
    matches!(key, SortKey::LastContact | SortKey::Updated)
}

/// The 12421 grade named on the command line.
pub(crate) fn grade(text: &Option<String>) -> Result<Option<Grade>, Failure> {
    opt("grade", text, Grade::parse, &Grade::ALL, Grade::as_str)
}

pub(crate) fn opt<T: Copy>(
    what: &str,
    text: &Option<String>,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<Option<T>, Failure> {
    text.as_deref()
        .map(|t| parse_word(what, t, parse, all, name))
        .transpose()
}

/// `text` padded with spaces to `width` terminal columns (a Chinese character takes two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Open or create the book: only `init` and `demo` make one. A new book is encrypted when a
/// passphrase is given (RAPPORT_PASSPHRASE, or typed when `encrypt` asks for one).
fn open_or_create(path: Option<PathBuf>, encrypt: bool) -> Result<Book, Failure> {
    let path = book::resolve_path(path.as_deref());
    let passphrase = if path.is_file() {
        crate::passphrase::for_book(&path)?
    } else {
        match crate::passphrase::given() {
            Some(p) => Some(p.checked()?),
            None if encrypt => Some(crate::passphrase::new_one()?),
            None => None,
        }
    };
    Book::open_with(&path, passphrase.as_ref()).map_err(|e| Failure::AtBook(e, path))
}

/// Open the book, which must exist.
fn open(path: Option<PathBuf>) -> Result<Book, Failure> {
    crate::failure::open_existing(&book::resolve_path(path.as_deref()))
}

/// Run one book subcommand.
pub fn run(cmd: BookCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    match cmd {
        BookCommand::Init { encrypt } => {
            let book = open_or_create(book_path, encrypt)?;
            let n = clients::count(&book)?;
            println!(
                "{} ({n} clients, schema {})",
                book.path().display(),
                book::SCHEMA_VERSION
            );
            Ok(())
        }
        BookCommand::Path { demo } => {
            let path = book::resolve_path(book_path.as_deref());
            let path = if demo { book::demo_path(&path) } else { path };
            println!("{}", path.display());
            Ok(())
        }
        BookCommand::Demo {
            clients: n,
            seed,
            contacts,
        } => {
            let mut book = open_or_create(book_path, false)?;
            let existing = clients::count(&book)?;
            if existing > 0 {
                let refused = rapport::Error::invalid("book", "demo_book_not_empty");
                return Err(Failure::AtBook(refused, book.path().to_path_buf()));
            }
            let started = std::time::Instant::now();
            let today = clock::today_in(&book)?;
            let sum = demo::populate(
                &mut book,
                &demo::DemoSpec {
                    clients: n,
                    seed,
                    today,
                    contacts,
                },
            )?;
            if json {
                print_json(&sum)
            } else {
                println!(
                    "{}: {} clients, {} family members, {} contacts, {} follow-ups, {} salons, \
                     {} gifts, {} referrals, {} surveys, {} holdings in {:.1} s",
                    book.path().display(),
                    sum.clients,
                    sum.family_members,
                    sum.contacts,
                    sum.follow_ups,
                    sum.salons,
                    sum.gifts,
                    sum.referrals,
                    sum.surveys,
                    sum.holdings,
                    started.elapsed().as_secs_f64()
                );
                Ok(())
            }
        }
        BookCommand::Clients(ClientsCommand::List {
            tier,
            stage,
            segment,
            risk,
            grade,
            starred,
            sort,
            limit,
            offset,
        }) => {
            let book = open(book_path)?;
            let sort = sort_key(&sort)?;
            let q = ClientQuery {
                tier: opt("tier", &tier, Tier::parse, Tier::ALL, Tier::as_str)?,
                stage: opt("stage", &stage, Stage::parse, Stage::ALL, Stage::as_str)?,
                segment: opt(
                    "segment",
                    &segment,
                    Segment::parse,
                    Segment::ALL,
                    Segment::as_str,
                )?,
                risk: opt("risk", &risk, Risk::parse, Risk::ALL, Risk::as_str)?,
                grade: self::grade(&grade)?,
                sort,
                descending: newest_first(sort),
                offset,
                limit,
                starred_only: starred,
            };
            let page = clients::list(&book, &q)?;
            if json {
                return print_json(&page);
            }
            println!(
                "    id  name         phone          tier     stage      risk grade last contact"
            );
            for r in &page.rows {
                println!(
                    "{:>6}  {} {:<14} {:<8} {:<10} {:<4} {:<5} {}",
                    r.id,
                    pad(&r.name, 12),
                    r.phone.as_deref().unwrap_or("-"),
                    r.tier.as_str(),
                    r.stage.as_str(),
                    r.risk_profile.map(|x| x.as_str()).unwrap_or("-"),
                    r.grade.map(|g| g.as_str()).unwrap_or("-"),
                    r.last_contact_at.as_deref().unwrap_or("-")
                );
            }
            println!("({} of {} clients)", page.rows.len(), page.total);
            Ok(())
        }
        BookCommand::Clients(ClientsCommand::Add(a)) => {
            let mut book = open(book_path)?;
            let input = ClientInput {
                kind: Some(if a.enterprise {
                    ClientKind::Enterprise
                } else {
                    ClientKind::Person
                }),
                name: a.name,
                gender: opt(
                    "gender",
                    &a.gender,
                    Gender::parse,
                    Gender::ALL,
                    Gender::as_str,
                )?,
                phone: a.phone,
                birthday: a.birthday.map(|date| Birthday {
                    calendar: if a.lunar {
                        Calendar::Lunar
                    } else {
                        Calendar::Solar
                    },
                    date,
                    leap: a.leap,
                }),
                tier: opt("tier", &a.tier, Tier::parse, Tier::ALL, Tier::as_str)?,
                stage: opt("stage", &a.stage, Stage::parse, Stage::ALL, Stage::as_str)?,
                risk_profile: opt("risk", &a.risk, Risk::parse, Risk::ALL, Risk::as_str)?,
                segments: a
                    .segment
                    .iter()
                    .map(|s| {
                        parse_word("segment", s, Segment::parse, Segment::ALL, Segment::as_str)
                    })
                    .collect::<Result<_, _>>()?,
                occupation: a.occupation,
                employer: a.employer,
                company: a.company,
                hobbies: a.hobbies,
                notes: a.notes,
                ..Default::default()
            };
            let today = clock::today_in(&book)?;
            let client = clients::create(&mut book, &input, today)?;
            if json {
                print_json(&client)
            } else {
                println!("created client {} ({})", client.id, client.name);
                Ok(())
            }
        }
        BookCommand::Clients(ClientsCommand::Show { id }) => {
            let book = open(book_path)?;
            let today = clock::today_in(&book)?;
            print_json(&clients::profile(&book, id, today)?)
        }
        BookCommand::Log(a) => {
            let mut book = open(book_path)?;
            let follow_ups = a
                .follow_up
                .iter()
                .map(|f| {
                    f.rsplit_once('@')
                        .map(|(t, d)| FollowUpInput {
                            title: t.into(),
                            due: d.into(),
                        })
                        .ok_or_else(|| format!("follow-up '{f}' must be TITLE@YYYY-MM-DD"))
                })
                .collect::<Result<_, _>>()?;
            let input = ContactInput {
                at: a.at,
                channel: parse_word(
                    "channel",
                    &a.channel,
                    Channel::parse,
                    Channel::ALL,
                    Channel::as_str,
                )?,
                kind: rapport::book::values::ContactKind::Note,
                summary: a.summary,
                needs: a.needs,
                follow_ups,
                response_due: None,
                resolution: None,
                resolved_at: None,
                satisfied: None,
            };
            let now = clock::now_in(&book)?;
            let contact = contacts::add(&mut book, a.client, &input, now)?;
            if json {
                print_json(&contact)
            } else {
                println!(
                    "logged contact {} for client {}",
                    contact.id, contact.client_id
                );
                Ok(())
            }
        }
        BookCommand::Settings {
            time_zone,
            auto_lock,
            maturity_notice,
            aum_drop,
        } => {
            let mut book = open(book_path)?;
            if let Some(zone) = time_zone {
                settings::set_time_zone(&mut book, &zone)?;
            }
            if let Some(minutes) = auto_lock {
                settings::set_auto_lock_minutes(&mut book, minutes)?;
            }
            if let Some(days) = maturity_notice {
                settings::set_maturity_notice_days(&mut book, &days)?;
            }
            if let Some(percent) = aum_drop {
                rapport::churn::set_aum_drop_percent(&mut book, percent)?;
            }
            let current = settings::get(&book)?;
            if json {
                print_json(&current)
            } else {
                println!("time_zone  {}", current.time_zone);
                println!("auto_lock  {} min", current.auto_lock_minutes);
                let days: Vec<String> = current
                    .maturity_notice_days
                    .iter()
                    .map(|d| d.to_string())
                    .collect();
                println!("maturity_notice  {} days", days.join(","));
                Ok(())
            }
        }
        BookCommand::Search { query, limit } => {
            let book = open(book_path)?;
            let hits = search::search(&book, &query, limit)?;
            if json {
                return print_json(&hits);
            }
            for h in &hits {
                let snippet: String = h
                    .snippet
                    .iter()
                    .map(|s| {
                        if s.hit {
                            format!("[{}]", s.text)
                        } else {
                            s.text.clone()
                        }
                    })
                    .collect();
                println!(
                    "{:>6}  {} {:<8} {}",
                    h.client_id,
                    pad(&h.name, 12),
                    format!("{:?}", h.field),
                    snippet
                );
            }
            Ok(())
        }
    }
}
