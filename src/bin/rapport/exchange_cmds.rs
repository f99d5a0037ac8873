//! Excel both ways from the command line: export the client list, import a spreadsheet or a
//! bank system's CSV, write the blank template; and the reminders out to a calendar file.

use crate::failure::{open_existing, Failure};
use clap::Subcommand;
use rapport::book::values::parse_date;
use rapport::book::values::{Risk, Segment, Stage, Tier};
use rapport::clients::ClientQuery;
use rapport::exchange::ics;
use rapport::exchange::import::{self, ImportOptions, OnDuplicate};
use rapport::exchange::words::{read_value, Language};
use rapport::exchange::xlsx::{self, ExportSpec, Sheet};
use rapport::{book, clock};
use std::path::PathBuf;

/// Exchange subcommands.
#[derive(Subcommand, Debug)]
pub enum ExchangeCommand {
    /// Write the client list (filtered like the window's) to an .xlsx file, with family
    /// members, contacts and follow-ups on sheets of their own when asked for.
    Export {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Only this tier (private, vip, high, mass, or 私行/贵宾/高端/大众).
        #[arg(long)]
        tier: Option<String>,
        /// Only this segment.
        #[arg(long)]
        segment: Option<String>,
        /// Only this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only this risk profile (C1 … C5).
        #[arg(long)]
        risk: Option<String>,
        /// Only this 12421 grade (A … E, in the newest grading).
        #[arg(long)]
        grade: Option<String>,
        /// Only key clients.
        #[arg(long)]
        starred: bool,
        /// Order: name, last_contact, updated, grade.
        #[arg(long, default_value = "name")]
        sort: String,
        /// Sheets, comma-separated: clients, family, contacts, follow_ups, invitations (salon
        /// invitations with the 7-3-1 answers), holdings, agenda (the reminders of the next 60
        /// days).
        #[arg(long, default_value = "clients", value_delimiter = ',')]
        sheets: Vec<String>,
        /// Headers in this language (zh-CN or en; default: the system's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Import clients from .xlsx/.xls/.ods or CSV (UTF-8 or GBK): all rows or none. Exits 1 and
    /// changes nothing when any row is refused, naming each by its row, column and reason.
    Import {
        /// The spreadsheet.
        file: PathBuf,
        /// Check and report only.
        #[arg(long)]
        dry_run: bool,
        /// Rows that are clients already in the book (same phone or ID number).
        #[arg(long, default_value = "merge")]
        on_duplicate: String,
        /// A column mapped by hand: "HEADER=FIELD" (FIELD empty to leave the column out).
        #[arg(long = "map")]
        map: Vec<String>,
    },
    /// Write the reminders of the coming days (salons, 7-3-1 calls, birthdays, follow-ups,
    /// complaint deadlines, festivals) to an .ics file for the phone's calendar. Importing a
    /// newer file updates the events of an older one; what is done goes out cancelled.
    Ics {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// First day (default: the advisor's today).
        #[arg(long)]
        from: Option<String>,
        /// Days covered (at most two years).
        #[arg(long, default_value_t = ics::DEFAULT_DAYS)]
        days: u32,
    },
    /// Write a blank .xlsx with the headers the import knows.
    Template {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Headers in this language (zh-CN or en; default: the system's).
        #[arg(long)]
        lang: Option<String>,
    },
}

/// A filter word in English or Chinese (`vip`, `贵宾`).
fn filter<T: Copy>(
    what: &str,
    vocabulary: &str,
    text: &Option<String>,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<Option<T>, Failure> {
    let key = text
        .as_deref()
        .map(|t| read_value(vocabulary, t).unwrap_or_else(|| t.to_string()));
    crate::book_cmds::opt(what, &key, parse, all, name)
}

fn language(lang: Option<&str>) -> Language {
    match lang {
        Some(tag) => Language::from_tag(tag),
        None => Language::from_tag(crate::failure::system_language()),
    }
}

/// Run one exchange subcommand.
pub fn run(cmd: ExchangeCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let path = book::resolve_path(book_path.as_deref());
    let zh = crate::failure::system_language() == "zh-CN";
    match cmd {
        ExchangeCommand::Export {
            out,
            tier,
            segment,
            stage,
            risk,
            grade,
            starred,
            sort,
            sheets,
            lang,
        } => {
            let book = open_existing(&path)?;
            let mut chosen = Vec::new();
            for s in &sheets {
                chosen.push(Sheet::parse(s).ok_or_else(|| {
                    Failure::word(
                        "sheet",
                        s,
                        &[
                            "clients",
                            "family",
                            "contacts",
                            "follow_ups",
                            "invitations",
                            "agenda",
                        ],
                    )
                })?);
            }
            let sort_key = crate::book_cmds::sort_key(&sort)?;
            let spec = ExportSpec {
                query: ClientQuery {
                    tier: filter("tier", "tier", &tier, Tier::parse, Tier::ALL, Tier::as_str)?,
                    stage: filter(
                        "stage",
                        "stage",
                        &stage,
                        Stage::parse,
                        Stage::ALL,
                        Stage::as_str,
                    )?,
                    segment: filter(
                        "segment",
                        "segment",
                        &segment,
                        Segment::parse,
                        Segment::ALL,
                        Segment::as_str,
                    )?,
                    risk: filter("risk", "risk", &risk, Risk::parse, Risk::ALL, Risk::as_str)?,
                    grade: crate::book_cmds::grade(&grade)?,
                    starred_only: starred,
                    sort: sort_key,
                    descending: crate::book_cmds::newest_first(sort_key),
                    offset: 0,
                    limit: 0,
                },
                sheets: chosen,
                language: language(lang.as_deref()),
            };
            let done = xlsx::export(&book, &spec, &out, &mut |_, _| {})?;
            if json {
                println!("{}", serde_json::to_string_pretty(&done)?);
            } else if zh {
                println!("已导出 {} 位客户到 {}", done.clients, done.path);
            } else {
                println!("exported {} clients to {}", done.clients, done.path);
            }
            Ok(())
        }
        ExchangeCommand::Ics { out, from, days } => {
            let book = open_existing(&path)?;
            // The advisor's now in the book's zone (RAPPORT_TODAY pins the day for tests).
            let now = clock::now_in(&book)?;
            let from = match from {
                Some(text) => parse_date("from", &text)?,
                None => now.date(),
            };
            let done = ics::export(&book, from, days, now, &out)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&done)?);
            } else if zh {
                println!(
                    "已将 {} 起 {} 天的 {} 条提醒（其中 {} 条已完成或取消）写入 {}",
                    done.from, done.days, done.events, done.cancelled, done.path
                );
            } else {
                println!(
                    "wrote {} reminders ({} done or cancelled) for {} days from {} to {}",
                    done.events, done.cancelled, done.days, done.from, done.path
                );
            }
            Ok(())
        }
        ExchangeCommand::Template { out, lang } => {
            xlsx::template(&out, language(lang.as_deref()))?;
            println!("{}", out.display());
            Ok(())
        }
        ExchangeCommand::Import {
            file,
            dry_run,
            on_duplicate,
            map,
        } => {
            let on_duplicate = OnDuplicate::parse(&on_duplicate).ok_or_else(|| {
                Failure::word("on_duplicate", &on_duplicate, &["merge", "skip", "create"])
            })?;
            let mut mapping = Vec::new();
            for m in &map {
                let (header, field) = m
                    .split_once('=')
                    .ok_or_else(|| Failure::Said(format!("--map takes HEADER=FIELD, not {m}")))?;
                let field = field.trim();
                mapping.push((
                    header.trim().to_string(),
                    (!field.is_empty()).then(|| field.to_string()),
                ));
            }
            let mut book = open_existing(&path)?;
            let today = clock::today_in(&book)?;
            let options = ImportOptions {
                on_duplicate,
                dry_run,
                mapping,
            };
            let report = import::import(&mut book, &file, &options, today, &mut |_, _| {})?;
            let language = crate::failure::system_language();
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report, language);
            }
            if report.refused.is_empty() {
                Ok(())
            } else {
                Err(Failure::Refused {
                    rows: report
                        .refused
                        .iter()
                        .map(|r| r.row)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len() as u32,
                })
            }
        }
    }
}

fn print_report(r: &import::ImportReport, language: &str) {
    let zh = language == "zh-CN";
    let mapped: Vec<String> = r
        .columns
        .iter()
        .map(|c| match &c.field {
            Some(f) => format!("{} {}→{}", c.letter, c.header, f),
            None => format!("{} {}→–", c.letter, c.header),
        })
        .collect();
    if zh {
        println!("表头在第 {} 行；{} 行数据", r.header_row, r.rows);
        println!("列：{}", mapped.join("，"));
    } else {
        println!("headers on row {}; {} data rows", r.header_row, r.rows);
        println!("columns: {}", mapped.join(", "));
    }
    for d in &r.duplicates {
        let what = match (d.client_id, d.same_as_row) {
            (Some(id), _) => {
                if zh {
                    format!("客户 #{id}")
                } else {
                    format!("client #{id}")
                }
            }
            (None, Some(row)) => {
                if zh {
                    format!("第 {row} 行")
                } else {
                    format!("row {row}")
                }
            }
            _ => String::new(),
        };
        if zh {
            println!("第 {} 行与{}重复（{}）", d.row, what, d.by);
        } else {
            println!("row {} is the same as {} (by {})", d.row, what, d.by);
        }
    }
    for x in &r.refused {
        let sentence = crate::failure::sentence_of(&x.error, language);
        let place = match (&x.letter, &x.header) {
            (Some(l), Some(h)) if zh => format!("{l} 列「{h}」"),
            (Some(l), Some(h)) => format!("column {l} ({h})"),
            _ => String::new(),
        };
        let text = x
            .text
            .as_deref()
            .map(|t| format!(" “{t}”"))
            .unwrap_or_default();
        if zh {
            println!("第 {} 行 {place}{text}：{sentence}", x.row);
        } else {
            println!("row {} {place}{text}: {sentence}", x.row);
        }
    }
    if r.applied {
        if zh {
            println!(
                "已导入：新建 {}，合并 {}，跳过 {}",
                r.created, r.merged, r.skipped
            );
        } else {
            println!(
                "imported: {} created, {} merged, {} skipped",
                r.created, r.merged, r.skipped
            );
        }
    } else if r.refused.is_empty() {
        if zh {
            println!(
                "试运行：将新建 {}，合并 {}，跳过 {}；客户簿没有改动",
                r.created, r.merged, r.skipped
            );
        } else {
            println!(
                "dry run: would create {}, merge {}, skip {}; the book was not changed",
                r.created, r.merged, r.skipped
            );
        }
    }
}
