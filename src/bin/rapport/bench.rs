//! `rapport bench`: time the client book's hot paths on a real book file and print figures.
//!
//! Targets live here, never in timed unit tests: run it on a big demo book
//! (`scripts/bench.sh` makes a 100k-client one) and read the numbers.

use crate::failure::Failure;
use clap::Args;
use rapport::book::values::{Segment, Tier};
use rapport::clients::{self, ClientQuery, SortKey};
use rapport::{agenda, search};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Options of `bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Repetitions of each measurement.
    #[arg(long, default_value_t = 30)]
    rounds: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn measure(rounds: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

/// Run the benchmark on the book at `path` and print a table of p50/p95 in milliseconds.
pub fn run(args: BenchArgs, path: PathBuf) -> Result<(), Failure> {
    let started = Instant::now();
    let book = crate::failure::open_existing(&path)?;
    let open = started.elapsed();
    let n = clients::count(&book)?;
    let contacts: i64 = book
        .conn()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?;
    println!(
        "book: {} ({n} clients, {contacts} contacts)",
        path.display()
    );
    println!("open (schema check, pragmas): {} ms", ms(open));
    println!("{:<44} {:>9} {:>9}", "measurement", "p50 ms", "p95 ms");
    let page = ClientQuery {
        limit: 50,
        ..Default::default()
    };
    let lists: Vec<(&str, ClientQuery)> = vec![
        ("list: first page, by name", page.clone()),
        (
            "list: tier = vip, by name",
            ClientQuery {
                tier: Some(Tier::Vip),
                ..page.clone()
            },
        ),
        (
            "list: segment = retiree, by name",
            ClientQuery {
                segment: Some(Segment::Retiree),
                ..page.clone()
            },
        ),
        (
            "list: by last contact, newest first",
            ClientQuery {
                sort: SortKey::LastContact,
                descending: true,
                ..page.clone()
            },
        ),
        (
            "list: page 1000 (offset 50k), by name",
            ClientQuery {
                offset: 49_950,
                ..page.clone()
            },
        ),
    ];
    for (label, q) in lists {
        let (p50, p95) = measure(args.rounds, || {
            clients::list(&book, &q).expect("list");
        });
        println!("{label:<44} {:>9} {:>9}", ms(p50), ms(p95));
    }
    let queries = [
        "张",
        "孩",
        "金",
        "留学",
        "保险",
        "理财",
        "基金",
        "孩子",
        "新西兰",
        "大额存单",
        "养老社区",
        "zw",
        "wang",
        "5678",
        "138",
        "复旦",
        "高尔夫",
        "张 理财",
        "wang 留学",
    ];
    let mut all = Vec::new();
    for q in queries {
        for _ in 0..args.rounds.max(5) / 5 {
            let t = Instant::now();
            search::search(&book, q, 50).expect("search");
            all.push(t.elapsed());
        }
    }
    all.sort();
    println!(
        "{:<44} {:>9} {:>9}",
        format!(
            "search: {} queries (1-4 chars, pinyin, digits, 2 words)",
            queries.len()
        ),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95))
    );
    let phones: Vec<Option<String>> = book
        .conn()
        .prepare("SELECT phone FROM clients WHERE phone IS NOT NULL LIMIT 64")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())?;
    let mut k = 0;
    let (p50, p95) = measure(args.rounds, || {
        let phone = phones.get(k % phones.len().max(1)).cloned().flatten();
        clients::duplicates(&book, phone.as_deref(), Some("110105194912310021"), None)
            .expect("duplicates");
        k += 1;
    });
    println!(
        "{:<44} {:>9} {:>9}",
        "duplicates: by phone or ID number",
        ms(p50),
        ms(p95)
    );
    let ids: Vec<i64> = (0..args.rounds as i64)
        .map(|i| 1 + (i * 7919) % n.max(1) as i64)
        .collect();
    let today = rapport::clock::today_in(&book)?;
    let mut k = 0;
    let (p50, p95) = measure(args.rounds, || {
        clients::profile(&book, ids[k % ids.len()], today).expect("profile");
        k += 1;
    });
    println!(
        "{:<44} {:>9} {:>9}",
        "client page (record, family, timeline)",
        ms(p50),
        ms(p95)
    );
    let cal = rapport::work_schedule::from_book(&book)?;
    let now = rapport::clock::now_in(&book)?;
    // Today's page is what the window asks for (50 of each kind and every count); the whole
    // list is what `rapport agenda` prints.
    for (label, days, per_kind) in [
        ("agenda: Today's page (50 a kind)", 1, 50),
        ("agenda: the week's page (50 a kind)", 7, 50),
        ("agenda: the day, every item", 1, usize::MAX),
        ("agenda: the week, every item", 7, usize::MAX),
    ] {
        let mut counted = 0;
        let (p50, p95) = measure(args.rounds, || {
            let page = agenda::page(&book, today, days, now, &cal, per_kind).expect("agenda");
            counted = page.totals.iter().map(|t| t.total).sum::<u32>();
        });
        println!(
            "{:<44} {:>9} {:>9}",
            format!("{label}, {counted} items"),
            ms(p50),
            ms(p95)
        );
    }
    // The exchange figures write the book's rows to temporary files: only for a demo book, so
    // no advisor's client data ever lands there.
    if rapport::settings::is_demo(&book)? {
        exchange(&book, args.rounds)?;
    } else {
        println!("xlsx export / import: skipped (not a demo book: no client data goes to temporary files)");
    }
    Ok(())
}

/// The Excel export of the whole list, and an import of up to 10,000 of its rows into a new,
/// empty book in a temporary folder (the book benched is never written).
fn exchange(book: &rapport::Book, rounds: usize) -> Result<(), Failure> {
    use rapport::exchange::import::{self, ImportOptions};
    use rapport::exchange::words::Language;
    use rapport::exchange::xlsx::{self, ExportSpec};
    let dir = tempfile_dir()?;
    let all = ClientQuery {
        tier: None,
        stage: None,
        segment: None,
        risk: None,
        grade: None,
        starred_only: false,
        sort: SortKey::Name,
        descending: false,
        offset: 0,
        limit: 0,
    };
    let file = dir.join("all.xlsx");
    let spec = ExportSpec {
        query: all.clone(),
        sheets: vec![],
        language: Language::ZhCn,
    };
    let mut written = 0;
    let (p50, p95) = measure(rounds.clamp(1, 5), || {
        written = xlsx::export(book, &spec, &file, &mut |_, _| {})
            .expect("export")
            .clients;
    });
    println!(
        "{:<44} {:>9} {:>9}",
        format!("xlsx export: the whole list, {written} clients"),
        ms(p50),
        ms(p95)
    );
    // 10k rows as a bank system would send them: a CSV of the book's first 10,000 clients.
    let rows = dir.join("10k.csv");
    {
        let mut w = csv::Writer::from_path(&rows).map_err(|e| e.to_string())?;
        w.write_record([
            "客户姓名",
            "手机号码",
            "证件号码",
            "出生日期",
            "客户等级",
            "风险评级",
            "备注",
        ])
        .map_err(|e| e.to_string())?;
        let mut stmt = book.conn().prepare(
            "SELECT name, phone, id_number, birthday, tier, risk_profile, notes FROM clients
             WHERE birthday_calendar IS NOT 'lunar' ORDER BY id LIMIT 10000",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let cell = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            w.write_record([
                cell(0)?,
                cell(1)?,
                cell(2)?,
                cell(3)?,
                cell(4)?,
                cell(5)?,
                cell(6)?,
            ])
            .map_err(|e| e.to_string())?;
        }
        w.flush()?;
    }
    let mut created = 0;
    let mut k = 0;
    let (p50, p95) = measure(rounds.clamp(1, 3), || {
        let target = dir.join(format!("import-{k}.rapport"));
        k += 1;
        let mut fresh = rapport::Book::open(&target).expect("a new book");
        let today = rapport::clock::today_in(&fresh).expect("today");
        let options = ImportOptions {
            on_duplicate: import::OnDuplicate::Create,
            dry_run: false,
            mapping: vec![],
        };
        created = import::import(&mut fresh, &rows, &options, today, &mut |_, _| {})
            .expect("import")
            .created;
    });
    println!(
        "{:<44} {:>9} {:>9}",
        format!("xlsx import into an empty book, {created} rows"),
        ms(p50),
        ms(p95)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A folder of the bench's own in the system's temporary folder, readable by the advisor only.
fn tempfile_dir() -> Result<PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!("rapport-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}
