//! Numbered schema migrations embedded in the binary, tracked in `PRAGMA user_version`.
//!
//! A migration runs with foreign-key enforcement off, so it may rebuild a table the usual way
//! (create the new one, copy, drop the old, rename) without the drop cascading into every child
//! row. It must leave every reference intact itself: `PRAGMA foreign_key_check` runs before it
//! commits, and anything it reports rolls the step back.

use super::passphrase::Key;
use crate::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

/// Migrations in order; migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_client_book.sql"),
    include_str!("migrations/0002_drafts.sql"),
    include_str!("migrations/0003_duplicate_keys.sql"),
    include_str!("migrations/0004_settings_and_notice_years.sql"),
    include_str!("migrations/0005_ids_never_reused.sql"),
    include_str!("migrations/0006_salons_and_agenda.sql"),
    include_str!("migrations/0007_agenda_speed.sql"),
    include_str!("migrations/0008_agenda_from_one_index.sql"),
    include_str!("migrations/0009_care.sql"),
    include_str!("migrations/0010_calendar_sync.sql"),
    include_str!("migrations/0011_holdings.sql"),
    include_str!("migrations/0012_grade_and_starred_lists.sql"),
    include_str!("migrations/0013_search_on_a_big_book.sql"),
    include_str!("migrations/0014_list_counts.sql"),
    include_str!("migrations/0015_agenda_money_from_indexes.sql"),
    include_str!("migrations/0016_client_search_without_prefixes.sql"),
    include_str!("migrations/0017_cadence_due_in_an_index.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Backups of a book taken before upgrades that are kept; older ones are removed.
pub const BACKUPS_KEPT: usize = 3;

/// Bring the book at `path` to [`SCHEMA_VERSION`]. A book from a newer Rapport is refused, never
/// touched; a book that already held a schema is copied next to itself first (see
/// [`backup_path`]).
/// `key` is the book's when it is encrypted, so the copy is encrypted like the book.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, key: Option<&Key>) -> Result<()> {
    run_keyed(conn, path, MIGRATIONS, key)
}

/// Where the copy of the book taken before upgrading it to schema `version` goes.
pub fn backup_path(book: &Path, version: i64) -> PathBuf {
    let mut name = book.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".before-v{version}.bak"));
    book.with_file_name(name)
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

#[cfg(test)]
fn run(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    run_keyed(conn, path, migrations, None)
}

fn run_keyed(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
    key: Option<&Key>,
) -> Result<()> {
    let newest = migrations.len() as i64;
    // Most opens find the book up to date: a read without the write lock settles that. The
    // version only ever grows, so a lower one is read again under the lock before acting.
    let seen = user_version(conn)?;
    if seen > newest {
        return Err(Error::TooNew {
            found: seen,
            known: newest,
        });
    }
    if seen == newest {
        return Ok(());
    }
    // Inside a transaction this pragma does nothing, so it is switched around the steps.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let outcome = steps(conn, path, migrations, seen >= 1, key);
    let restored = conn.pragma_update(None, "foreign_keys", "ON");
    outcome?;
    Ok(restored?)
}

/// Each step in one IMMEDIATE transaction that reads the version only once it holds the write
/// lock: two programs opening the same old book never both run a step, the second finds it done.
fn steps(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
    had_schema: bool,
    key: Option<&Key>,
) -> Result<()> {
    let newest = migrations.len() as i64;
    let mut backed_up = false;
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = user_version(&tx)?;
        if found > newest {
            return Err(Error::TooNew {
                found,
                known: newest,
            });
        }
        let step = usize::try_from(found).map_err(|_| Error::Book {
            message: format!("unknown schema version {found}"),
        })?;
        let Some(sql) = migrations.get(step) else {
            return Ok(());
        };
        // Only a book that held a schema when this program looked can hold the advisor's
        // clients; one another program is creating right now has nothing to keep yet, even if
        // its first steps landed before this program took the lock.
        if had_schema && !backed_up && holds_clients(&tx)? {
            backup(path, newest, key)?;
            backed_up = true;
        }
        tx.execute_batch(sql)?;
        let broken = dangling_references(&tx)?;
        if broken > 0 {
            return Err(Error::Book {
                message: format!(
                    "migration to schema {} left {broken} rows pointing at rows that do not \
                     exist; the book was left at schema {found}",
                    found + 1
                ),
            });
        }
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

fn dangling_references(conn: &Connection) -> Result<usize> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while rows.next()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Whether the book holds any client (the root of everything worth a backup).
fn holds_clients(conn: &Connection) -> Result<bool> {
    let table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'clients')",
        [],
        |r| r.get(0),
    )?;
    if !table {
        return Ok(false);
    }
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM clients)", [], |r| r.get(0))?)
}

/// Copy the book as last committed to [`backup_path`] for `version`, then keep the newest
/// [`BACKUPS_KEPT`]. Called while this connection holds the write lock, so the copy is the book
/// exactly as the upgrade found it. The copy is read through a second connection: SQLite will
/// not back up from a connection that is inside a write transaction.
fn backup(path: &Path, version: i64, key: Option<&Key>) -> Result<()> {
    let from = super::backups::reader(path, key)?;
    super::backups::copy(&from, &backup_path(path, version), key)?;
    rotate_backups(path)
}

/// Remove this book's upgrade backups beyond the newest [`BACKUPS_KEPT`], newest by the schema
/// version in their name (file times change when files are copied around).
fn rotate_backups(path: &Path) -> Result<()> {
    let mut found = versioned_backups(path)?;
    found.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    for (_, old) in found.into_iter().skip(BACKUPS_KEPT) {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

/// The copies of the book at `path` taken before upgrades.
pub(crate) fn upgrade_backups(path: &Path) -> Result<Vec<PathBuf>> {
    Ok(versioned_backups(path)?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

fn versioned_backups(path: &Path) -> Result<Vec<(i64, PathBuf)>> {
    let mut found: Vec<(i64, PathBuf)> = Vec::new();
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(found);
    };
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let prefix = format!("{name}.before-v");
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let file = entry.file_name();
        let Some(version) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|f| f.strip_suffix(".bak"))
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse().ok())
        else {
            continue;
        };
        found.push((version, entry.path()));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    /// A connection set up as [`crate::Book`] sets it up, with foreign keys on.
    fn connect(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        conn
    }

    fn count(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// Rows for the tables each schema adds (none for a schema that only changes tables), so a
    /// fixture book of every schema has data in every table. Index `i` is schema `i + 1`.
    const FIXTURE_ROWS: &[&str] = &[
        "INSERT INTO clients (id, name, name_sort, gender, phone, id_number, birthday,
             birthday_calendar, tier, stage, employer, notes, starred, last_contact_at,
             created_at, updated_at) VALUES
             (1, '王芳', 'wang fang', 'female', '139 0000 1111', '11010519800502002X',
              '1980-05-02', 'solar', 'vip', 'stable', '北京某某科技有限公司', '孩子准备留学',
              1, '2026-01-03 09:00', '2025-01-01 10:00:00', '2025-01-01 10:00:00'),
             (2, '李娜', 'li na', NULL, NULL, NULL, '1956-08-15', 'lunar', 'private',
              'mature', NULL, NULL, 0, '2026-01-04 09:00', '2024-03-01 10:00:00',
              '2024-03-01 10:00:00'),
             (3, '张伟', 'zhang wei', 'male', '13800138000', NULL, NULL, NULL, 'mass', 'new',
              NULL, NULL, 0, NULL, '2026-01-05 10:00:00', '2026-01-05 10:00:00');
         INSERT INTO client_segments (client_id, segment) VALUES
             (1, 'homemaker'), (2, 'retiree'), (3, 'professional');
         INSERT INTO family_members (id, client_id, name, relation, birthday,
             birthday_calendar, notes, created_at, updated_at) VALUES
             (1, 1, '王小明', 'child', '2008-09-01', 'solar', '目标院校：伦敦政经',
              '2025-01-01', '2025-01-01'),
             (2, 2, '赵刚', 'spouse', NULL, NULL, NULL, '2024-03-01', '2024-03-01');
         INSERT INTO contacts (id, client_id, at, channel, kind, summary, needs,
             response_due, created_at, updated_at) VALUES
             (1, 1, '2026-01-02 09:00', 'visit', 'note', '面谈：想了解留学金融', '留学',
              NULL, '2026-01-02', '2026-01-02'),
             (2, 1, '2026-01-03 09:00', 'phone', 'note', '电话回访', NULL, NULL,
              '2026-01-03', '2026-01-03'),
             (3, 2, '2026-01-04 09:00', 'wechat', 'complaint', '投诉网点排队时间过长', NULL,
              '2026-01-10', '2026-01-04', '2026-01-04');
         INSERT INTO follow_ups (id, client_id, contact_id, title, due, done_at, created_at)
             VALUES (1, 1, 1, '寄送留学金融方案', '2026-01-10', NULL, '2026-01-02'),
                    (2, 2, NULL, '约面谈', '2026-01-11', '2026-01-05 10:00', '2026-01-04');
         INSERT INTO work_schedule (date, kind, name) VALUES
             ('2027-02-09', 'off', '春节'), ('2027-02-20', 'work', '春节调休');",
        "INSERT INTO drafts (key, client_id, body, saved_at) VALUES
             ('contact:new:1', 1, '{\"summary\":\"还没写完的回访\"}', '2026-01-06 18:00:00');",
        "",
        "INSERT INTO settings (key, value) VALUES ('time_zone', 'Asia/Shanghai');
         INSERT INTO work_schedule_years (year) VALUES (2027);",
        "",
        "INSERT INTO salons (id, title, theme, segments, start, venue, capacity, created_at,
             updated_at) VALUES
             (1, '养老规划讲座', '退休后的现金流', 'retiree', '2026-01-20 14:30', '支行三楼',
              20, '2026-01-06 10:00:00', '2026-01-06 10:00:00');
         INSERT INTO salon_invitees (salon_id, client_id, family_id, added_on, attended, guests)
             VALUES (1, 2, 2, '2026-01-06', NULL, 0);
         INSERT INTO salon_calls (call_id, salon_id, client_id, response, done_on, note)
             VALUES ('1/2/r7', 1, 2, 'confirmed', '2026-01-13', '和老伴一起来');
         INSERT INTO agenda_marks (item_id, client_id, state, until, marked_on) VALUES
             ('watch/1/2026-01-06', 1, 'done', NULL, '2026-01-06'),
             ('follow_up/1', 1, 'snoozed', '2026-01-12', '2026-01-06');",
        "",
        "",
        "INSERT INTO preferences (id, client_id, family_id, kind, text, quality, created_at)
             VALUES (1, 1, NULL, 'like', '喜欢普洱茶', NULL, '2026-01-07 10:00:00'),
                    (2, 1, NULL, 'quality', '高档', 'premium', '2026-01-07 10:00:00'),
                    (3, 2, 2, 'taboo', '不喝酒', NULL, '2026-01-07 10:00:00'),
                    (4, 1, 1, 'habit', '周末打篮球', NULL, '2026-01-07 10:00:00');
         INSERT INTO gifts (id, client_id, family_id, given_on, occasion, gift, cost_fen, note,
             created_at) VALUES
             (1, 1, NULL, '2025-05-02', 'birthday', '真丝围巾', 68000, '印了英文名',
              '2025-05-02 10:00:00'),
             (2, 2, 2, '2025-09-17', 'festival', '西湖龙井', 30000, NULL, '2025-09-17 10:00:00');
         INSERT INTO referrals (id, referrer_id, referred_id, referred_on, reward, created_at)
             VALUES (1, 1, 3, '2026-01-05', '电影票两张', '2026-01-05 10:00:00');
         INSERT INTO points (id, client_id, booked_on, kind, points, reason, created_at) VALUES
             (1, 1, '2026-01-05', 'earned', 500, '转介绍', '2026-01-05 10:00:00'),
             (2, 1, '2026-01-06', 'redeemed', 200, '体检套餐', '2026-01-06 10:00:00');
         INSERT INTO surveys (id, client_id, taken_on, channel, score, comment, follow_up_id,
             created_at) VALUES
             (1, 1, '2026-01-06', 'phone', 5, '服务很周到', NULL, '2026-01-06 10:00:00'),
             (2, 2, '2026-01-06', 'phone', 2, '排队太久', 2, '2026-01-06 10:00:00');",
        // 10: calendar sync
        "INSERT INTO settings (key, value) VALUES
             ('caldav_url', 'https://dav.example.com/advisor/rapport/'),
             ('caldav_user', 'advisor');
         INSERT INTO calendar_sync (name, day, digest, etag) VALUES
             ('rapport-birthday.client.1.2026-05-02.ics', '2026-05-02',
              '0123456789abcdef0123456789abcdef', '\"e1\"'),
             ('rapport-follow_up.2.ics', '2026-01-09', 'fedcba9876543210fedcba9876543210', NULL);",
        // 11: holdings
        "INSERT INTO holdings (id, client_id, product, kind, elsewhere, institution, amount_fen,
             bought_on, value_date, maturity, rate_bp, stop_profit_bp, stop_loss_bp, status,
             closed_on, renewed_into, notes, created_at, updated_at) VALUES
             (1, 1, '安盈半年理财', 'wealth', 0, NULL, 50000000, '2025-07-01', '2025-07-02',
              '2026-01-02', 310, NULL, NULL, 'renewed', '2026-01-02', 2, NULL,
              '2025-07-01 10:00:00', '2026-01-02 10:00:00'),
             (2, 1, '睿享一年期理财', 'wealth', 0, NULL, 50000000, '2026-01-02', '2026-01-03',
              '2027-01-03', 320, NULL, NULL, 'held', NULL, NULL, NULL,
              '2026-01-02 10:00:00', '2026-01-02 10:00:00'),
             (3, 2, '成长基金', 'fund', 0, NULL, 10000000, '2025-03-01', NULL, NULL, NULL,
              800, -500, 'held', NULL, NULL, '定投', '2025-03-01 10:00:00',
              '2025-03-01 10:00:00'),
             (4, 2, '他行理财', 'wealth', 1, '招商银行', 30000000, '2025-05-01', NULL, NULL,
              NULL, NULL, NULL, 'held', NULL, NULL, NULL, '2025-05-01 10:00:00',
              '2025-05-01 10:00:00');
         INSERT INTO holding_values (holding_id, on_day, value_fen, created_at) VALUES
             (3, '2025-12-31', 9400000, '2026-01-02 10:00:00');
         INSERT INTO transfers_out (id, client_id, on_day, amount_fen, to_where, note, created_at)
             VALUES (1, 2, '2026-01-05', 20000000, '招商银行', NULL, '2026-01-05 10:00:00');
         UPDATE clients SET contribution_fen = 350000 WHERE id = 1;
         UPDATE clients SET lost_reason = '随子女移居海外', lost_on = '2026-01-06' WHERE id = 3;
         INSERT INTO grade_snapshots (month, client_id, grade, score_x100, aum_fen,
             contribution_fen, contacts, salons, referrals) VALUES
             ('2025-12', 1, 'B', 6250, 50000000, 350000, 4, 1, 1),
             ('2025-12', 2, 'C', 4100, 9400000, 0, 2, 0, 0),
             ('2026-01', 1, 'B', 6250, 50000000, 350000, 4, 1, 1),
             ('2026-01', 2, 'D', 3000, 9400000, 0, 1, 0, 0);",
        // 12: grade and starred lists (columns and indexes only)
        "",
        // 13: search on a big book (indexes, and the client index made again)
        "",
        // 14: the list's counts (kept by triggers from the clients)
        "",
        // 15: holdings keep their newest value (kept by triggers from holding_values)
        "",
        // 16: the client index made again, without prefix indexes
        "",
        // 17: the cadence's due days (generated columns and an index)
        "",
    ];

    /// Write `tests/fixtures/books/schema-N.rapport` for every schema that has none yet: a book
    /// made by that schema's migrations, with rows in every table and a search index built by
    /// the index code. Run by hand when a migration is added
    /// (`cargo test -p rapport --lib make_fixture_books -- --ignored`); a file already there is
    /// never rewritten, as a released schema never changes.
    #[test]
    #[ignore]
    fn make_fixture_books() {
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/books");
        std::fs::create_dir_all(&out).unwrap();
        assert_eq!(
            FIXTURE_ROWS.len(),
            MIGRATIONS.len(),
            "rows for the new schema"
        );
        for version in 1..=MIGRATIONS.len() {
            let target = out.join(format!("schema-{version}.rapport"));
            if target.exists() {
                continue;
            }
            let dir = TempDir::new().unwrap();
            let path = dir.path().join("book.rapport");
            let mut conn = connect(&path);
            for v in 1..=version {
                run(&mut conn, &path, &MIGRATIONS[..v]).unwrap();
                conn.execute_batch(FIXTURE_ROWS[v - 1]).unwrap();
                if v == 1 {
                    for id in 1..=3 {
                        crate::search::index_client(&conn, id).unwrap();
                        crate::search::index_contacts_of(&conn, id).unwrap();
                    }
                }
            }
            clean(&conn);
            conn.execute("VACUUM INTO ?1", [target.to_str().unwrap()])
                .unwrap();
        }
    }

    /// A schema-3 book with two clients, three contacts, a family member and two follow-ups.
    fn version_3_book(dir: &TempDir) -> (PathBuf, Connection) {
        let path = dir.path().join("book.rapport");
        let mut conn = connect(&path);
        run(&mut conn, &path, &MIGRATIONS[..3]).unwrap();
        conn.execute_batch(
            "INSERT INTO clients (id, name, name_sort, phone, created_at, updated_at) VALUES
                 (1, '王芳', 'wang fang', '+86 139 0000 1111', '2026-01-01', '2026-01-01'),
                 (2, '李娜', 'li na', NULL, '2026-01-01', '2026-01-01');
             INSERT INTO family_members (client_id, name, relation, created_at, updated_at)
                 VALUES (1, '王小明', 'child', '2026-01-01', '2026-01-01');
             INSERT INTO contacts (id, client_id, at, channel, summary, created_at, updated_at) VALUES
                 (1, 1, '2026-01-02 09:00', 'visit', '面谈', '2026-01-02', '2026-01-02'),
                 (2, 1, '2026-01-03 09:00', 'phone', '回访', '2026-01-03', '2026-01-03'),
                 (3, 2, '2026-01-04 09:00', 'wechat', '问候', '2026-01-04', '2026-01-04');
             INSERT INTO follow_ups (client_id, contact_id, title, due, created_at) VALUES
                 (1, 1, '寄资料', '2026-01-10', '2026-01-02'),
                 (2, NULL, '约面谈', '2026-01-11', '2026-01-04');",
        )
        .unwrap();
        (path, conn)
    }

    #[test]
    fn the_last_call_is_found_for_every_client_when_the_agenda_index_comes() {
        let dir = TempDir::new().unwrap();
        let (path, mut conn) = version_3_book(&dir);
        run(&mut conn, &path, MIGRATIONS).unwrap();
        let last: Vec<(i64, Option<String>)> = conn
            .prepare("SELECT id, last_call_at FROM clients ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // A phone call after a visit; a WeChat message is no call.
        assert_eq!(
            last,
            vec![(1, Some("2026-01-03 09:00".to_string())), (2, None)]
        );
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id, name, name_sort, tier, stage, starred, created_at,
                 last_contact_at, last_call_at FROM clients ORDER BY id",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("COVERING INDEX clients_agenda"), "{plan}");
    }

    /// The cadence's columns answer as `rules::cadence::owed` does, on any day: month ends,
    /// leap days, contacts before and after calls, no contact at all, and days that are not
    /// dates (which owe nothing).
    #[test]
    fn cadence_columns_state_the_cadence_rule() {
        use crate::rules::cadence::{owed, CadenceSettings, DueKind};
        use crate::rules::grading::Tier;
        use chrono::{Datelike, Duration, NaiveDate};
        use rand::{Rng, SeedableRng};
        use rusqlite::params;
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let mut conn = connect(&path);
        run(&mut conn, &path, MIGRATIONS).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        // Month ends and leap days are what the month arithmetic can get wrong: half the days
        // drawn are the last few of a month.
        let day = |rng: &mut rand_chacha::ChaCha8Rng| {
            let d = start + Duration::days(rng.random_range(0..2600));
            if rng.random_bool(0.5) {
                let next_month = d.with_day(1).unwrap() + chrono::Months::new(1);
                next_month - Duration::days(rng.random_range(1..4))
            } else {
                d
            }
        };
        let tiers = [Tier::Private, Tier::Vip, Tier::High, Tier::Mass];
        let mut cases = Vec::new();
        {
            let tx = conn.transaction().unwrap();
            let mut insert = tx
                .prepare(
                    "INSERT INTO clients (name, name_sort, tier, created_at, updated_at,
                     last_contact_at, last_call_at) VALUES ('某', 'mou', ?1, ?2, ?2, ?3, ?4)",
                )
                .unwrap();
            for k in 0..4000 {
                let tier = tiers[k % 4];
                let since = day(&mut rng);
                let call = rng.random_bool(0.6).then(|| day(&mut rng));
                let contact = match rng.random_range(0..3) {
                    0 => None,
                    1 => call,
                    _ => Some(day(&mut rng)),
                };
                let stamp = |d: Option<NaiveDate>| d.map(|d| format!("{d} 09:30:00"));
                // A few first days that are not dates: nothing is owed for them.
                let created = if k % 500 == 7 {
                    "2025-02-30 10:00:00".to_string()
                } else {
                    format!("{since} 10:00:00")
                };
                insert
                    .execute(params![tier, created, stamp(contact), stamp(call)])
                    .unwrap();
                let since = (k % 500 != 7).then_some(since);
                cases.push((tier, since, contact, call));
            }
            drop(insert);
            tx.commit().unwrap();
        }
        let settings = CadenceSettings::default();
        let mut read = conn
            .prepare("SELECT cadence_due, cadence_call_due FROM clients ORDER BY id")
            .unwrap();
        let columns: Vec<(Option<String>, Option<String>)> = read
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut owing = 0;
        for ((tier, since, contact, call), (due, call_due)) in cases.into_iter().zip(columns) {
            let today = day(&mut rng);
            let by_rule = since.and_then(|s| owed(tier, s, contact, call, today, &settings));
            let by_columns = due.filter(|d| *d <= today.to_string()).map(|d| {
                let kind = if call_due.as_deref() <= Some(today.to_string().as_str()) {
                    DueKind::Call
                } else {
                    DueKind::Contact
                };
                (kind, NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap())
            });
            assert_eq!(
                by_columns, by_rule,
                "{tier:?} since {since:?} contact {contact:?} call {call:?} on {today}"
            );
            owing += usize::from(by_rule.is_some());
        }
        // Both answers occur, so the comparison says something.
        assert!((400..3600).contains(&owing), "{owing}");
        // Today reads the cadence in its order from the index, and counts it there.
        for query in [
            "SELECT id, cadence_due, name_sort, cadence_call_due FROM clients
             WHERE stage NOT IN ('lost', 'prospect') AND cadence_due <= ?1
             ORDER BY cadence_due, name_sort, id",
            "SELECT count(*) FROM clients
             WHERE stage NOT IN ('lost', 'prospect') AND cadence_due <= ?1",
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
                .unwrap()
                .query_map(["2026-01-01"], |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(
                plan,
                vec!["SEARCH clients USING INDEX clients_cadence (cadence_due<?)"]
            );
        }
    }

    fn counts(conn: &Connection) -> Vec<i64> {
        ["clients", "family_members", "contacts", "follow_ups"]
            .iter()
            .map(|t| count(conn, t))
            .collect()
    }

    fn foreign_keys_on(conn: &Connection) -> bool {
        conn.pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))
            .unwrap()
            == 1
    }

    /// The textbook rebuild of `clients` (without its generated columns, which a test need not
    /// keep): with foreign keys on, its DROP would delete every child row.
    const REBUILD_CLIENTS: &str = "
        CREATE TABLE clients_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
            name_sort TEXT NOT NULL, phone TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        INSERT INTO clients_new SELECT id, name, name_sort, phone, created_at, updated_at FROM clients;
        DROP TABLE clients;
        ALTER TABLE clients_new RENAME TO clients;";

    #[test]
    fn a_table_rebuilt_in_a_migration_keeps_its_children() {
        let dir = TempDir::new().unwrap();
        let (path, mut conn) = version_3_book(&dir);
        let before = counts(&conn);
        assert_eq!(before, vec![2, 1, 3, 2]);
        let mut list = MIGRATIONS[..3].to_vec();
        list.push(REBUILD_CLIENTS);
        run(&mut conn, &path, &list).unwrap();
        assert_eq!(user_version(&conn).unwrap(), 4);
        assert_eq!(counts(&conn), before);
        assert!(
            foreign_keys_on(&conn),
            "enforcement is back on after the upgrade"
        );
        // And it still enforces: the children now hang on the rebuilt table.
        conn.execute("DELETE FROM clients WHERE id = 2", [])
            .unwrap();
        assert_eq!(counts(&conn), vec![1, 1, 2, 1]);
    }

    #[test]
    fn a_migration_failing_midway_leaves_the_old_version_and_all_data() {
        let dir = TempDir::new().unwrap();
        let (path, mut conn) = version_3_book(&dir);
        let before = counts(&conn);
        let mut list = MIGRATIONS[..3].to_vec();
        let failing = format!("{REBUILD_CLIENTS} INSERT INTO no_such_table VALUES (1);");
        list.push(&failing);
        let err = run(&mut conn, &path, &list).unwrap_err();
        assert!(matches!(err, Error::Book { .. }), "{err:?}");
        assert_eq!(user_version(&conn).unwrap(), 3);
        assert_eq!(counts(&conn), before);
        assert!(foreign_keys_on(&conn));
        let phone_key: String = conn
            .query_row("SELECT phone_key FROM clients WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            phone_key, "13900001111",
            "the old table, generated columns and all"
        );
    }

    #[test]
    fn a_migration_leaving_rows_pointing_at_nothing_is_rolled_back() {
        let dir = TempDir::new().unwrap();
        let (path, mut conn) = version_3_book(&dir);
        let before = counts(&conn);
        let mut list = MIGRATIONS[..3].to_vec();
        // With enforcement off nothing cascades: the client's contacts would point at nothing.
        list.push("DELETE FROM clients WHERE id = 1;");
        match run(&mut conn, &path, &list).unwrap_err() {
            Error::Book { message } => {
                assert!(
                    message.contains("pointing at rows that do not exist"),
                    "{message}"
                );
                assert!(message.contains("schema 3"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(user_version(&conn).unwrap(), 3);
        assert_eq!(counts(&conn), before);
        assert!(foreign_keys_on(&conn));
    }

    #[test]
    fn several_steps_run_in_order_each_committed() {
        let dir = TempDir::new().unwrap();
        let (path, mut conn) = version_3_book(&dir);
        let mut list = MIGRATIONS[..3].to_vec();
        list.push("CREATE TABLE a (x);");
        list.push("INSERT INTO a VALUES (1);");
        list.push("INSERT INTO nothing VALUES (1);");
        run(&mut conn, &path, &list).unwrap_err();
        // The steps before the failing one stay done; the failing one left nothing.
        assert_eq!(user_version(&conn).unwrap(), 5);
        assert_eq!(count(&conn, "a"), 1);
        list.pop();
        run(&mut conn, &path, &list).unwrap();
        assert_eq!(count(&conn, "a"), 1, "a step already done never runs again");
    }

    #[test]
    fn a_negative_schema_version_is_refused_untouched() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let mut conn = connect(&path);
        conn.pragma_update(None, "user_version", -1).unwrap();
        let err = run(&mut conn, &path, MIGRATIONS).unwrap_err();
        assert!(matches!(err, Error::Book { .. }), "{err:?}");
        assert_eq!(count(&conn, "sqlite_master"), 0);
    }

    #[test]
    fn rotation_keeps_the_newest_three_of_this_book_only() {
        let dir = TempDir::new().unwrap();
        let book = dir.path().join("book.rapport");
        let names = [
            "book.rapport.before-v2.bak",
            "book.rapport.before-v9.bak",
            "book.rapport.before-v10.bak",
            "book.rapport.before-v11.bak",
            "book.rapport.before-v3.bak",
            "book.rapport.before-vx.bak",
            "book.rapport.before-v1.bak.partial",
            "other.rapport.before-v1.bak",
            "book.rapport",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"").unwrap();
        }
        rotate_backups(&book).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![
                "book.rapport",
                "book.rapport.before-v1.bak.partial",
                "book.rapport.before-v10.bak",
                "book.rapport.before-v11.bak",
                "book.rapport.before-v9.bak",
                "book.rapport.before-vx.bak",
                "other.rapport.before-v1.bak",
            ]
        );
        assert_eq!(
            backup_path(&book, 7),
            dir.path().join("book.rapport.before-v7.bak")
        );
    }

    /// Migration 0005; its version number depends on the migrations listed before it.
    const IDS_NEVER_REUSED: &str = include_str!("migrations/0005_ids_never_reused.sql");

    /// The schema version a book has just before 0005 runs on it.
    fn before_ids_never_reused() -> usize {
        MIGRATIONS
            .iter()
            .position(|m| *m == IDS_NEVER_REUSED)
            .unwrap()
    }

    /// A book at `version`, opened as [`crate::Book`] opens it, for code that writes through it.
    fn book_at(path: &Path, version: usize) -> crate::Book {
        let mut conn = connect(path);
        run(&mut conn, path, &MIGRATIONS[..version]).unwrap();
        crate::Book {
            conn,
            path: path.to_path_buf(),
            key: None,
        }
    }

    /// SQL text without comments and with spacing made uniform, so a table re-created from
    /// its definition compares equal to one that ALTER TABLE grew.
    fn normalise(sql: &str) -> String {
        let text: Vec<&str> = sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect();
        let mut out = String::new();
        let mut space = false;
        for c in text.join(" ").replace('"', "").chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() && !"(),".contains(c) && !out.ends_with(['(', ',']) {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
        out
    }

    /// Every schema object as (type, name, table, normalised SQL), sqlite_sequence aside.
    fn schema(conn: &Connection) -> Vec<(String, String, String, String)> {
        let mut rows: Vec<(String, String, String, String)> = conn
            .prepare(
                "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
                 WHERE name <> 'sqlite_sequence'",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    normalise(&r.get::<_, String>(3)?),
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        rows
    }

    fn autoincrement_tables(conn: &Connection) -> Vec<String> {
        conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// Every row of every stored table, by table, with the columns read. The search index's
    /// shadow tables are left out: an index rebuilt on opening lays its pages out anew, and the
    /// search hits are compared instead.
    fn every_row(conn: &Connection) -> Vec<(String, Vec<String>, Vec<String>)> {
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name <> 'sqlite_sequence' AND sql NOT LIKE 'CREATE VIRTUAL%'
                 AND name NOT GLOB '*_search_*' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        tables
            .into_iter()
            .map(|t| {
                let columns: Vec<String> = conn
                    .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                let rows = rows_of(conn, &t, &columns);
                (t, columns, rows)
            })
            .collect()
    }

    /// The rows of a table, these columns of each, sorted.
    fn rows_of(conn: &Connection, table: &str, columns: &[String]) -> Vec<String> {
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn
            .prepare(&format!("SELECT {list} FROM \"{table}\""))
            .unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let values = (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(format!("{values:?}"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        rows
    }

    fn clean(conn: &Connection) {
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        assert_eq!(dangling_references(conn).unwrap(), 0);
    }

    fn sequence(conn: &Connection, table: &str) -> i64 {
        conn.query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn ids_never_reused_keeps_every_column_constraint_and_index() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let before = before_ids_never_reused();
        let mut conn = connect(&path);
        run(&mut conn, &path, &MIGRATIONS[..before]).unwrap();
        let old = schema(&conn);
        assert!(autoincrement_tables(&conn).is_empty());
        run(&mut conn, &path, &MIGRATIONS[..before + 1]).unwrap();
        assert_eq!(
            autoincrement_tables(&conn),
            vec!["clients", "contacts", "family_members", "follow_ups"]
        );
        let new: Vec<_> = schema(&conn)
            .into_iter()
            .map(|(kind, name, table, sql)| (kind, name, table, sql.replace(" AUTOINCREMENT", "")))
            .collect();
        assert_eq!(new, old);
        clean(&conn);
    }

    #[test]
    fn a_demo_book_keeps_every_row_id_and_search_hit_through_ids_never_reused() {
        use crate::{clients, contacts, demo, family, search};
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let mut book = book_at(&path, before_ids_never_reused());
        // Today's code also keeps columns later schemas added: the old book lends them for
        // the demo's writes and gives them back before the upgrade under test.
        let later = "ALTER TABLE clients ADD COLUMN last_call_at TEXT;
                     ALTER TABLE clients ADD COLUMN grade TEXT;";
        book.conn().execute_batch(later).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let spec = demo::DemoSpec {
            clients: 200,
            seed: 7,
            today,
            contacts: None,
        };
        let summary = demo::populate(&mut book, &spec).unwrap();
        assert!(summary.family_members > 0 && summary.contacts > 0 && summary.follow_ups > 0);
        // Gaps where rows were deleted, as in a book in use.
        let (first_name, first_phone): (String, String) = book
            .conn()
            .query_row(
                "SELECT name, phone FROM clients WHERE phone IS NOT NULL ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let mid: i64 = book
            .conn()
            .query_row(
                "SELECT id FROM clients ORDER BY id LIMIT 1 OFFSET 100",
                [],
                |r| r.get(0),
            )
            .unwrap();
        clients::delete(&mut book, mid).unwrap();
        let contact: i64 = book
            .conn()
            .query_row("SELECT min(id) FROM contacts", [], |r| r.get(0))
            .unwrap();
        contacts::delete(&mut book, contact).unwrap();
        let member: i64 = book
            .conn()
            .query_row("SELECT min(id) FROM family_members", [], |r| r.get(0))
            .unwrap();
        family::delete(&mut book, member).unwrap();
        book.conn()
            .execute_batch(
                "ALTER TABLE clients DROP COLUMN last_call_at;
                 ALTER TABLE clients DROP COLUMN grade;",
            )
            .unwrap();

        let phone = first_phone;
        let queries = [
            first_name.clone(),
            phone[phone.len() - 4..].to_string(),
            crate::search::pinyin_keys(&first_name).1,
            "留学".into(),
            "孩".into(),
            "保险".into(),
            "王 理财".into(),
        ];
        let hits = |book: &crate::Book| -> Vec<String> {
            queries
                .iter()
                .map(|q| format!("{:?}", search::search(book, q, 50).unwrap()))
                .collect()
        };
        let rows_before = every_row(book.conn());
        // This build's search orders a few matches by name from an index of a later schema:
        // made for the search of the old book, and gone again before it is upgraded.
        let name_index = "CREATE INDEX clients_name_of_id ON clients (id, name_sort)";
        book.conn().execute(name_index, []).unwrap();
        let hits_before = hits(&book);
        book.conn()
            .execute("DROP INDEX clients_name_of_id", [])
            .unwrap();
        assert!(
            hits_before.iter().filter(|h| *h != "[]").count() >= 5,
            "{hits_before:?}"
        );
        // Builds of that schema keyed contact entries by id, which the ids' upkeep reads; this
        // build keys them by date. An index without contact entries and without a version is
        // read by neither and is rebuilt as the book opens.
        book.conn()
            .execute_batch(
                "INSERT INTO contact_search (contact_search) VALUES ('delete-all');
                 DELETE FROM settings WHERE key = 'search_index_version';",
            )
            .unwrap();
        drop(book);

        let book = crate::Book::open(&path).unwrap();
        assert_eq!(book.schema_version().unwrap(), SCHEMA_VERSION);
        let conn = book.conn();
        let sequenced = autoincrement_tables(conn);
        for table in ["clients", "contacts", "family_members", "follow_ups"] {
            assert!(
                sequenced.iter().any(|t| t == table),
                "{table}: {sequenced:?}"
            );
        }
        clean(conn);
        // The index version kept since is no row of the old book.
        conn.execute(
            "DELETE FROM settings WHERE key = 'search_index_version'",
            [],
        )
        .unwrap();
        // Tables and columns that later migrations add (salons, agenda marks …) are not part of
        // the comparison.
        for (table, columns, before) in &rows_before {
            assert_eq!(before, &rows_of(conn, table, columns), "{table}");
        }
        assert_eq!(hits(&book), hits_before);
        for table in ["clients", "contacts", "family_members", "follow_ups"] {
            let max: i64 = conn
                .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(sequence(conn, table), max, "{table}");
        }
    }

    #[test]
    fn ids_never_reused_starts_past_every_id_the_book_still_records() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("book.rapport");
        let before = before_ids_never_reused();
        let mut conn = connect(&path);
        run(&mut conn, &path, &MIGRATIONS[..before]).unwrap();
        // Search entries left behind by rows deleted long ago: their ids were handed out.
        conn.execute_batch(
            "INSERT INTO clients (id, name, name_sort, created_at, updated_at)
                 VALUES (3, '王芳', 'wang fang', '2026-01-01', '2026-01-01');
             INSERT INTO contacts (id, client_id, at, channel, summary, created_at, updated_at)
                 VALUES (4, 3, '2026-01-02 09:00', 'visit', '面谈', '2026-01-02', '2026-01-02');
             INSERT INTO client_search (rowid, key_bi) VALUES (3, '王芳'), (41, '李娜');
             INSERT INTO contact_search (rowid, bi) VALUES (4, '面谈'), (57, '回访');",
        )
        .unwrap();
        run(&mut conn, &path, &MIGRATIONS[..before + 1]).unwrap();
        assert_eq!(sequence(&conn, "clients"), 41);
        assert_eq!(sequence(&conn, "contacts"), 57);
        assert_eq!(sequence(&conn, "family_members"), 0);
        assert_eq!(sequence(&conn, "follow_ups"), 0);
        conn.execute(
            "INSERT INTO clients (name, name_sort, created_at, updated_at)
             VALUES ('赵六', 'zhao liu', '2026-02-01', '2026-02-01')",
            [],
        )
        .unwrap();
        assert_eq!(conn.last_insert_rowid(), 42);
    }
}
