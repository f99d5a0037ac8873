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
    /// Also append the figures as a Markdown table to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Time only this part: list, search, page (client and salon pages), agenda, calendar or
    /// exchange.
    #[arg(long)]
    only: Option<String>,
    /// Print the search queries whose p95 is slowest, this many.
    #[arg(long, default_value_t = 0)]
    slowest: usize,
}

impl BenchArgs {
    fn runs(&self, part: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == part)
    }
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

/// [`measure`] of `f` and of its baseline `base`, round by round in turn: a shared machine's
/// speed drifts within seconds, and timed one after the other the two would see different
/// machines.
fn measure_beside(
    rounds: usize,
    mut f: impl FnMut(),
    mut base: impl FnMut(),
) -> ((Duration, Duration), Duration) {
    let mut times = Vec::with_capacity(rounds);
    let mut bases = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
        let t = Instant::now();
        base();
        bases.push(t.elapsed());
    }
    times.sort();
    bases.sort();
    (
        (percentile(&times, 0.5), percentile(&times, 0.95)),
        percentile(&bases, 0.5),
    )
}

/// One figure: what was timed, its p50 and p95, and the baseline measured beside it.
struct Figure {
    label: String,
    p50: Duration,
    p95: Duration,
    baseline: Option<(Duration, &'static str)>,
}

/// The figures of one run, printed as they come and kept for the Markdown table.
#[derive(Default)]
struct Report {
    figures: Vec<Figure>,
}

impl Report {
    fn add(
        &mut self,
        label: impl Into<String>,
        (p50, p95): (Duration, Duration),
        baseline: Option<(Duration, &'static str)>,
    ) {
        let label = label.into();
        let base = baseline
            .map(|(b, what)| format!("{:>9}  {what}", ms(b)))
            .unwrap_or_default();
        println!("{label:<52} {:>9} {:>9} {base}", ms(p50), ms(p95));
        self.figures.push(Figure {
            label,
            p50,
            p95,
            baseline,
        });
    }

    /// The figures as a Markdown table, each beside its baseline and the ratio.
    fn markdown(&self) -> String {
        let mut out = String::from(
            "| measurement | p50 ms | p95 ms | baseline p50 ms | × baseline | baseline |\n\
             |---|---:|---:|---:|---:|---|\n",
        );
        for f in &self.figures {
            let (base, ratio, what) = match f.baseline {
                Some((b, what)) => (
                    ms(b),
                    format!("{:.1}", f.p50.as_secs_f64() / b.as_secs_f64().max(1e-9)),
                    what,
                ),
                None => ("".into(), "".into(), ""),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {base} | {ratio} | {what} |\n",
                f.label,
                ms(f.p50),
                ms(f.p95)
            ));
        }
        out
    }
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Search queries drawn from the book's own text, by class: one, two and three or more
/// characters cut from notes (common words are common there, rare ones rare), pinyin initials
/// and full pinyin of names, the last digits of phones, and a surname with a word.
fn queries_from(book: &rapport::Book) -> Result<Vec<(&'static str, String)>, Failure> {
    let conn = book.conn();
    let notes: Vec<String> = conn
        .prepare("SELECT summary FROM contacts WHERE id % 97 = 0 ORDER BY id DESC LIMIT 60")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let names: Vec<(String, Option<String>)> = conn
        .prepare("SELECT name, phone FROM clients WHERE id % 89 = 0 ORDER BY id LIMIT 20")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (i, note) in notes.iter().enumerate() {
        let cjk: Vec<char> = note
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .collect();
        if cjk.len() < 6 {
            continue;
        }
        let at = (i * 7) % (cjk.len() - 4);
        let cut = |n: usize| cjk[at..at + n].iter().collect::<String>();
        out.push(("1 character", cut(1)));
        out.push(("2 characters", cut(2)));
        out.push(("3-4 characters", cut(3 + i % 2)));
    }
    for (name, phone) in &names {
        let (full, initials) = search::pinyin_keys(name);
        out.push(("pinyin", initials));
        out.push(("pinyin", full));
        if let Some(p) = phone {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 4 {
                out.push(("digits", digits[digits.len() - 4..].to_string()));
            }
        }
        let surname: String = name.chars().take(1).collect();
        let word = notes
            .get(out.len() % notes.len().max(1))
            .map(|n| {
                n.chars()
                    .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                    .skip(2)
                    .take(2)
                    .collect::<String>()
            })
            .unwrap_or_default();
        out.push(("two words", format!("{surname} {word}")));
    }
    Ok(out)
}

/// Run the benchmark on the book at `path` and print a table of p50/p95 in milliseconds, each
/// beside its baseline; with `--markdown FILE`, append the table there too.
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
    let mut report = Report::default();
    println!(
        "{:<52} {:>9} {:>9} {:>9}",
        "measurement", "p50 ms", "p95 ms", "baseline"
    );
    report.add(
        if book.encrypted() {
            "open and unlock (schema check, pragmas)"
        } else {
            "open (schema check, pragmas)"
        },
        (open, open),
        None,
    );
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
            "list: stage = at risk, by name",
            ClientQuery {
                stage: Some(rapport::book::values::Stage::AtRisk),
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
            "list: risk = C3, by name",
            ClientQuery {
                risk: Some(rapport::book::values::Risk::C3),
                ..page.clone()
            },
        ),
        (
            "list: grade = B, by name",
            ClientQuery {
                grade: Some(clients::Grade::B),
                ..page.clone()
            },
        ),
        (
            "list: starred only, by name",
            ClientQuery {
                starred_only: true,
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
            "list: by last change, newest first",
            ClientQuery {
                sort: SortKey::Updated,
                descending: true,
                ..page.clone()
            },
        ),
        (
            "list: by grade",
            ClientQuery {
                sort: SortKey::Grade,
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
    for (label, q) in lists.into_iter().filter(|_| args.runs("list")) {
        let (timed, base) = measure_beside(
            args.rounds,
            || {
                clients::list(&book, &q).expect("list");
            },
            || {
                clients::plain_page(&book, &q).expect("plain page");
            },
        );
        report.add(label, timed, Some((base, "the page's rows, plain SQL")));
    }

    // Search: each class of query, and all of them, beside FTS5 finding the newest 50
    // matching notes for the same text.
    let queries = if args.runs("search") {
        queries_from(&book)?
    } else {
        Vec::new()
    };
    let mut slow: Vec<(Duration, &str)> = Vec::new();
    let mut all = Vec::new();
    let mut all_base = Vec::new();
    let mut classes: Vec<&str> = queries.iter().map(|(c, _)| *c).collect();
    classes.sort();
    classes.dedup();
    let cols = search::Columns {
        bi: "bi",
        uni: "uni",
    };
    let mut plain = book.conn().prepare(
        "SELECT rowid FROM contact_search WHERE contact_search MATCH ?1
         ORDER BY rowid DESC LIMIT 50",
    )?;
    let rounds = (args.rounds / 10).max(3);
    for class in &classes {
        let mut times = Vec::new();
        let mut base = Vec::new();
        for (_, q) in queries.iter().filter(|(c, _)| c == class) {
            let mut own = Vec::new();
            for _ in 0..rounds {
                let t = Instant::now();
                search::search(&book, q, 50).expect("search");
                times.push(t.elapsed());
                own.push(t.elapsed());
                if let Some(fts) = search::fts_query(q, cols) {
                    let t = Instant::now();
                    let _ = plain.query_map([&fts], |r| r.get::<_, i64>(0))?.count();
                    base.push(t.elapsed());
                }
            }
            own.sort();
            slow.push((percentile(&own, 0.95), q));
        }
        times.sort();
        base.sort();
        let count = queries.iter().filter(|(c, _)| c == class).count();
        report.add(
            format!("search: {class} ({count} queries)"),
            (percentile(&times, 0.5), percentile(&times, 0.95)),
            (!base.is_empty()).then(|| (percentile(&base, 0.5), "FTS5: newest 50 notes")),
        );
        all.extend(times);
        all_base.extend(base);
    }
    all.sort();
    all_base.sort();
    if !all.is_empty() {
        report.add(
            format!("search: all {} queries", queries.len()),
            (percentile(&all, 0.5), percentile(&all, 0.95)),
            (!all_base.is_empty()).then(|| (percentile(&all_base, 0.5), "FTS5: newest 50 notes")),
        );
    }
    slow.sort();
    for (t, q) in slow.iter().rev().take(args.slowest) {
        println!("  slow query {q:?}: p95 {} ms", ms(*t));
    }

    if args.runs("page") {
        let phones: Vec<Option<String>> = book
            .conn()
            .prepare("SELECT phone FROM clients WHERE phone IS NOT NULL LIMIT 64")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())?;
        let mut k = 0;
        let timed = measure(args.rounds, || {
            let phone = phones.get(k % phones.len().max(1)).cloned().flatten();
            clients::duplicates(&book, phone.as_deref(), Some("110105194912310021"), None)
                .expect("duplicates");
            k += 1;
        });
        report.add("duplicates: by phone or ID number", timed, None);
    }
    let ids: Vec<i64> = (0..args.rounds as i64)
        .map(|i| 1 + (i * 7919) % n.max(1) as i64)
        .collect();
    let today = rapport::clock::today_in(&book)?;
    if args.runs("page") {
        let mut record = book.conn().prepare("SELECT * FROM clients WHERE id = ?1")?;
        let mut timeline = book
            .conn()
            .prepare("SELECT * FROM contacts WHERE client_id = ?1 ORDER BY at DESC")?;
        let (mut k, mut j) = (0, 0);
        let (timed, base) = measure_beside(
            args.rounds,
            || {
                clients::profile(&book, ids[k % ids.len()], today).expect("profile");
                k += 1;
            },
            || {
                let id = ids[j % ids.len()];
                let _ = record.query_map([id], |_| Ok(())).map(|r| r.count());
                let _ = timeline.query_map([id], |_| Ok(())).map(|r| r.count());
                j += 1;
            },
        );
        report.add(
            "client page (record, family, timeline, money)",
            timed,
            Some((base, "the record and its contacts, plain SQL")),
        );
    }
    let cal = rapport::work_schedule::from_book(&book)?;
    let now = rapport::clock::now_in(&book)?;
    // Today's page is what the window asks for (50 of each kind and every count); the whole
    // list is what `rapport agenda` prints.
    if args.runs("agenda") {
        for (label, days, per_kind) in [
            ("agenda: Today's page (50 a kind)", 1, 50),
            ("agenda: the week's page (50 a kind)", 7, 50),
            ("agenda: the day, every item", 1, usize::MAX),
            ("agenda: the week, every item", 7, usize::MAX),
        ] {
            let mut counted = 0;
            let timed = measure(args.rounds, || {
                let page = agenda::page(&book, today, days, now, &cal, per_kind).expect("agenda");
                counted = page.totals.iter().map(|t| t.total).sum::<u32>();
            });
            report.add(format!("{label}, {counted} items"), timed, None);
        }
        // The page reads only what it shows, by other queries than the whole list: on a big
        // book it must still be the whole list cut to a page, with the same counts.
        for days in [1, 7] {
            let all = agenda::for_days(&book, today, days, now, &cal)?;
            let page = agenda::page(&book, today, days, now, &cal, 50)?;
            let mut seen = std::collections::HashMap::new();
            let cut: Vec<_> = all
                .items
                .iter()
                .filter(|i| {
                    let n = seen.entry(i.kind).or_insert(0);
                    *n += 1;
                    *n <= 50
                })
                .collect();
            if page.totals != all.totals || page.items.iter().collect::<Vec<_>>() != cut {
                return Err(Failure::Said(format!(
                    "Today's page of {days} days is not the whole agenda cut to a page"
                )));
            }
        }
    }
    if args.runs("page") {
        let salon: Option<i64> = book
            .conn()
            .query_row(
                "SELECT s.id FROM salons s ORDER BY (SELECT count(*) FROM salon_invitees i
             WHERE i.salon_id = s.id) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(salon) = salon {
            let mut invitees = 0;
            let timed = measure(args.rounds, || {
                invitees = rapport::salons::page(&book, salon, now, &cal)
                    .expect("salon page")
                    .invitees
                    .len();
            });
            report.add(format!("salon page, {invitees} invitees"), timed, None);
        }
    }
    if args.runs("calendar") {
        let timed = measure(args.rounds.clamp(1, 10), || {
            rapport::exchange::ics::calendar(&book, today, 60, now).expect("calendar");
        });
        report.add(".ics: the next 60 days' reminders", timed, None);
    }
    // The exchange figures write the book's rows to temporary files: only for a demo book, so
    // no advisor's client data ever lands there.
    if args.runs("exchange") {
        if rapport::settings::is_demo(&book)? {
            exchange(&book, args.rounds, &mut report)?;
        } else {
            println!("xlsx export / import: skipped (not a demo book: no client data goes to temporary files)");
        }
    }
    let peak = peak_mib();
    if let Some(p) = peak {
        println!("peak memory of the process: {p:.0} MiB");
    }
    if let Some(file) = &args.markdown {
        use std::io::Write;
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)?;
        writeln!(
            out,
            "\n## {n} clients, {contacts} contacts{}\n",
            if book.encrypted() { " (encrypted)" } else { "" }
        )?;
        out.write_all(report.markdown().as_bytes())?;
        if let Some(p) = peak {
            writeln!(out, "\nPeak memory of the bench process: {p:.0} MiB.")?;
        }
    }
    Ok(())
}

/// The Excel export of the whole list, and an import of up to 10,000 of its rows into a new,
/// empty book in a temporary folder (the book benched is never written).
fn exchange(book: &rapport::Book, rounds: usize, report: &mut Report) -> Result<(), Failure> {
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
    let timed = measure(rounds.clamp(1, 5), || {
        written = xlsx::export(book, &spec, &file, &mut |_, _| {})
            .expect("export")
            .clients;
    });
    // The baseline (python xlsxwriter writing the same rows) is run by scripts/bench.sh.
    report.add(
        format!("xlsx export: the whole list, {written} clients"),
        timed,
        None,
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
    let timed = measure(rounds.clamp(1, 3), || {
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
    report.add(
        format!("import into an empty book, {created} rows (CSV)"),
        timed,
        None,
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
