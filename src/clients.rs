//! 客户档案: person and enterprise clients — create, read, update, delete, list and page.

use crate::book::values::{
    fold_width, optional_email, optional_phone, optional_text, required_text, Birthday, ClientKind,
    Gender, Risk, Segment, Stage, Tier,
};
use crate::book::{stamp, Book};
use crate::rules::birthdays::{next_of, BirthdayRules, NextBirthday};
pub use crate::rules::grading::Grade;
use crate::search::{self, name_sort_key};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use ts_rs::TS;

/// What the advisor fills in to create or edit a client.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ClientInput {
    /// Person or enterprise.
    pub kind: Option<ClientKind>,
    /// Name (for an enterprise, its usual short name).
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// WeChat id.
    pub wechat: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// ID type (身份证, 护照 …).
    pub id_type: Option<String>,
    /// ID number.
    pub id_number: Option<String>,
    /// Birthday, solar or lunar.
    pub birthday: Option<Birthday>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Employer.
    pub employer: Option<String>,
    /// Income band (收入区间), free text such as "50–100万".
    pub income_band: Option<String>,
    /// Risk profile C1–C5.
    pub risk_profile: Option<Risk>,
    /// Tier; mass (大众) when not given.
    pub tier: Option<Tier>,
    /// Lifecycle stage; new (新客户) when not given.
    pub stage: Option<Stage>,
    /// Salon segments (several allowed).
    pub segments: Vec<Segment>,
    /// Enterprise: company name.
    pub company: Option<String>,
    /// Enterprise: industry.
    pub industry: Option<String>,
    /// Enterprise: scale.
    pub company_scale: Option<String>,
    /// Enterprise: financing needs.
    pub financing_needs: Option<String>,
    /// Hobbies (爱好).
    pub hobbies: Option<String>,
    /// Likes, for gifts (喜好).
    pub likes: Option<String>,
    /// Taboos, never to be given or said (禁忌).
    pub taboos: Option<String>,
    /// Objections and suggestions on products (异议与建议).
    pub objections: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// Key client to watch daily (星标客户).
    pub starred: bool,
}

/// A client as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Client {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// Person or enterprise.
    pub kind: ClientKind,
    /// Name.
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// WeChat id.
    pub wechat: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// ID type.
    pub id_type: Option<String>,
    /// ID number.
    pub id_number: Option<String>,
    /// Birthday, solar or lunar.
    pub birthday: Option<Birthday>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Employer.
    pub employer: Option<String>,
    /// Income band.
    pub income_band: Option<String>,
    /// Risk profile.
    pub risk_profile: Option<Risk>,
    /// Tier.
    pub tier: Tier,
    /// Lifecycle stage.
    pub stage: Stage,
    /// Salon segments.
    pub segments: Vec<Segment>,
    /// Enterprise: company.
    pub company: Option<String>,
    /// Enterprise: industry.
    pub industry: Option<String>,
    /// Enterprise: scale.
    pub company_scale: Option<String>,
    /// Enterprise: financing needs.
    pub financing_needs: Option<String>,
    /// Hobbies.
    pub hobbies: Option<String>,
    /// Likes.
    pub likes: Option<String>,
    /// Taboos.
    pub taboos: Option<String>,
    /// Objections and suggestions.
    pub objections: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// Key client.
    pub starred: bool,
    /// Newest contact, `YYYY-MM-DD HH:MM`.
    pub last_contact_at: Option<String>,
    /// When created.
    pub created_at: String,
    /// When last changed.
    pub updated_at: String,
}

/// A line of the client list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClientRow {
    /// Stable id.
    #[ts(type = "number")]
    pub id: i64,
    /// Person or enterprise.
    pub kind: ClientKind,
    /// Name.
    pub name: String,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Employer or company, whichever is known.
    pub organisation: Option<String>,
    /// Tier.
    pub tier: Tier,
    /// Lifecycle stage.
    pub stage: Stage,
    /// Risk profile.
    pub risk_profile: Option<Risk>,
    /// Salon segments.
    pub segments: Vec<Segment>,
    /// Key client.
    pub starred: bool,
    /// Newest contact.
    pub last_contact_at: Option<String>,
    /// 12421 grade in the newest snapshot; none before the client's first grading.
    pub grade: Option<Grade>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortKey {
    /// By name in pinyin order.
    #[default]
    Name,
    /// By newest contact.
    LastContact,
    /// By last change.
    Updated,
    /// By 12421 grade, A first and the ungraded last, then by name.
    Grade,
}

/// Filters, order and page of the client list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ClientQuery {
    /// Only this tier.
    pub tier: Option<Tier>,
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only this segment.
    pub segment: Option<Segment>,
    /// Only this risk profile.
    pub risk: Option<Risk>,
    /// Only this 12421 grade.
    pub grade: Option<Grade>,
    /// Only key clients.
    pub starred_only: bool,
    /// Order.
    pub sort: SortKey,
    /// Descending order.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (at most 500).
    pub limit: u32,
}

/// One page of the client list and how many rows match in all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClientPage {
    /// Rows matching the filters in all pages.
    pub total: u32,
    /// This page's rows.
    pub rows: Vec<ClientRow>,
}

/// Validated, normalised input ready to store.
struct Clean {
    input: ClientInput,
}

/// `input` checked and normalised as every save does it (`today` bounds the birthday).
pub(crate) fn validated(input: &ClientInput, today: NaiveDate) -> Result<ClientInput> {
    Ok(clean(input, today)?.input)
}

/// The editable fields of a stored client, as an edit form starts from them.
pub(crate) fn input_of(c: Client) -> ClientInput {
    c.into()
}

impl From<Client> for ClientInput {
    fn from(c: Client) -> ClientInput {
        ClientInput {
            kind: Some(c.kind),
            name: c.name,
            gender: c.gender,
            phone: c.phone,
            wechat: c.wechat,
            email: c.email,
            id_type: c.id_type,
            id_number: c.id_number,
            birthday: c.birthday,
            occupation: c.occupation,
            employer: c.employer,
            income_band: c.income_band,
            risk_profile: c.risk_profile,
            tier: Some(c.tier),
            stage: Some(c.stage),
            segments: c.segments,
            company: c.company,
            industry: c.industry,
            company_scale: c.company_scale,
            financing_needs: c.financing_needs,
            hobbies: c.hobbies,
            likes: c.likes,
            taboos: c.taboos,
            objections: c.objections,
            notes: c.notes,
            starred: c.starred,
        }
    }
}

fn clean(input: &ClientInput, today: NaiveDate) -> Result<Clean> {
    let mut c = input.clone();
    c.name = required_text("name", &input.name, 100)?;
    c.phone = optional_phone("phone", &input.phone)?;
    c.email = optional_email("email", &input.email)?;
    c.birthday = input
        .birthday
        .as_ref()
        .map(|b| b.validate("birthday", today))
        .transpose()?;
    c.id_number = optional_text("id_number", &input.id_number, 40)?;
    if let Some(n) = &c.id_number {
        if !n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
            return Err(Error::invalid("id_number", "id_number_invalid"));
        }
    }
    for (field, value, max) in [
        ("wechat", &mut c.wechat, 60),
        ("id_type", &mut c.id_type, 40),
        ("occupation", &mut c.occupation, 100),
        ("employer", &mut c.employer, 200),
        ("income_band", &mut c.income_band, 60),
        ("company", &mut c.company, 200),
        ("industry", &mut c.industry, 100),
        ("company_scale", &mut c.company_scale, 100),
        ("financing_needs", &mut c.financing_needs, 5000),
        ("hobbies", &mut c.hobbies, 2000),
        ("likes", &mut c.likes, 2000),
        ("taboos", &mut c.taboos, 2000),
        ("objections", &mut c.objections, 5000),
        ("notes", &mut c.notes, 20000),
    ] {
        *value = optional_text(field, value, max)?;
    }
    c.segments.sort_by_key(|s| s.as_str());
    c.segments.dedup();
    Ok(Clean { input: c })
}

const CLIENT_COLUMNS: &str = "id, kind, name, gender, phone, wechat, email, id_type, id_number,
    birthday, birthday_calendar, birthday_leap, occupation, employer, income_band, risk_profile,
    tier, stage, company, industry, company_scale, financing_needs, hobbies, likes, taboos,
    objections, notes, starred, last_contact_at, created_at, updated_at";

fn client_from_row(r: &Row) -> rusqlite::Result<Client> {
    let birthday = Birthday::from_columns(r.get(9)?, r.get(10)?, r.get(11)?);
    Ok(Client {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        gender: r.get(3)?,
        phone: r.get(4)?,
        wechat: r.get(5)?,
        email: r.get(6)?,
        id_type: r.get(7)?,
        id_number: r.get(8)?,
        birthday,
        occupation: r.get(12)?,
        employer: r.get(13)?,
        income_band: r.get(14)?,
        risk_profile: r.get(15)?,
        tier: r.get(16)?,
        stage: r.get(17)?,
        segments: Vec::new(),
        company: r.get(18)?,
        industry: r.get(19)?,
        company_scale: r.get(20)?,
        financing_needs: r.get(21)?,
        hobbies: r.get(22)?,
        likes: r.get(23)?,
        taboos: r.get(24)?,
        objections: r.get(25)?,
        notes: r.get(26)?,
        starred: r.get(27)?,
        last_contact_at: r.get(28)?,
        created_at: r.get(29)?,
        updated_at: r.get(30)?,
    })
}

fn segments_of(conn: &Connection, id: i64) -> Result<Vec<Segment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT segment FROM client_segments WHERE client_id = ?1 ORDER BY segment",
    )?;
    let segs = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(segs)
}

/// One client by id.
pub fn get(book: &Book, id: i64) -> Result<Client> {
    get_in(book.conn(), id)
}

/// One client by id, read through `conn` (also inside an open transaction).
pub(crate) fn get_in(conn: &Connection, id: i64) -> Result<Client> {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1");
    let mut client = conn
        .query_row(&sql, [id], client_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("client"))?;
    client.segments = segments_of(conn, id)?;
    Ok(client)
}

/// Create a client; `today` bounds the birthday.
pub fn create(book: &mut Book, input: &ClientInput, today: NaiveDate) -> Result<Client> {
    let clean = clean(input, today)?;
    let id = book.write(|tx| insert(tx, &clean.input))?;
    get(book, id)
}

/// Insert a validated client inside an open transaction (also used by the demo book).
pub(crate) fn insert(conn: &Connection, c: &ClientInput) -> Result<i64> {
    let id = insert_unindexed(conn, c)?;
    search::index_new_client(conn, id)?;
    Ok(id)
}

/// [`insert`] without the client's search entry, for an import of many rows: the caller writes
/// the entries after the rows. Each client row written opens a statement savepoint (the
/// list's count triggers may abort it), at which FTS5 writes out every entry it holds in
/// memory, so entries written between rows became a small segment apiece.
pub(crate) fn insert_unindexed(conn: &Connection, c: &ClientInput) -> Result<i64> {
    let now = stamp(conn)?;
    // The whole record in one row: written first bare and then updated, each client went
    // through the table's sixteen indexes twice (a 7,473-row import took 0.82–1.26 s so,
    // 0.59–0.78 s in one row).
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let columns = RECORD_COLUMNS.join(", ");
        let values = (2..=RECORD_COLUMNS.len() + 1)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("INSERT INTO clients (created_at, {columns}) VALUES (?1, {values})")
    });
    execute_record(conn, &SQL, &now, c, &now)?;
    let id = conn.last_insert_rowid();
    write_segments(conn, id, c)?;
    Ok(id)
}

/// Write a validated client's fields over client `id` inside an open transaction.
pub(crate) fn write_fields(conn: &Connection, id: i64, c: &ClientInput, now: &str) -> Result<()> {
    if write_record(conn, id, c, now)? {
        search::index_contacts_of(conn, id)?;
    }
    search::index_client(conn, id)
}

/// The columns of a client's record that its form writes, in the order of [`execute_record`].
const RECORD_COLUMNS: [&str; 29] = [
    "kind",
    "name",
    "name_sort",
    "gender",
    "phone",
    "wechat",
    "email",
    "id_type",
    "id_number",
    "birthday",
    "birthday_calendar",
    "birthday_leap",
    "occupation",
    "employer",
    "income_band",
    "risk_profile",
    "tier",
    "stage",
    "company",
    "industry",
    "company_scale",
    "financing_needs",
    "hobbies",
    "likes",
    "taboos",
    "objections",
    "notes",
    "starred",
    "updated_at",
];

/// Run `sql` with `first` as ?1 and the values of [`RECORD_COLUMNS`] for the validated client
/// `c` written at `now` as ?2 onwards; the rows changed.
fn execute_record(
    conn: &Connection,
    sql: &str,
    first: &dyn ToSql,
    c: &ClientInput,
    now: &str,
) -> Result<usize> {
    let (bday, cal, leap) = Birthday::to_columns(&c.birthday);
    let kind = c.kind.unwrap_or(ClientKind::Person);
    let name_sort = name_sort_key(&c.name);
    let tier = c.tier.unwrap_or(Tier::Mass);
    let stage = c.stage.unwrap_or(Stage::New);
    let values: [&dyn ToSql; 30] = [
        first,
        &kind,
        &c.name,
        &name_sort,
        &c.gender,
        &c.phone,
        &c.wechat,
        &c.email,
        &c.id_type,
        &c.id_number,
        &bday,
        &cal,
        &leap,
        &c.occupation,
        &c.employer,
        &c.income_band,
        &c.risk_profile,
        &tier,
        &stage,
        &c.company,
        &c.industry,
        &c.company_scale,
        &c.financing_needs,
        &c.hobbies,
        &c.likes,
        &c.taboos,
        &c.objections,
        &c.notes,
        &c.starred,
        &now,
    ];
    Ok(conn.prepare_cached(sql)?.execute(values.as_slice())?)
}

/// [`write_fields`] without the search entries; true when the name or phone changed, which
/// the entries of the client's contacts carry.
fn write_record(conn: &Connection, id: i64, c: &ClientInput, now: &str) -> Result<bool> {
    // Each contact's search entry carries the client's name and phone (for searches of
    // several words): when either changes, those entries are rebuilt too.
    let before: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT name, phone FROM clients WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let set = RECORD_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, column)| format!("{column} = ?{}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        format!("UPDATE clients SET {set} WHERE id = ?1")
    });
    let changed = execute_record(conn, &SQL, &id, c, now)?;
    if changed == 0 {
        return Err(Error::not_found("client"));
    }
    conn.prepare_cached("DELETE FROM client_segments WHERE client_id = ?1")?
        .execute([id])?;
    write_segments(conn, id, c)?;
    Ok(before.is_some_and(|(name, phone)| name != c.name || phone != c.phone))
}

/// Add the client's segments (after any they had were removed).
fn write_segments(conn: &Connection, id: i64, c: &ClientInput) -> Result<()> {
    let mut add =
        conn.prepare_cached("INSERT INTO client_segments (client_id, segment) VALUES (?1, ?2)")?;
    for s in &c.segments {
        add.execute(params![id, s])?;
    }
    Ok(())
}

/// Replace a client's fields (a full edit form); `today` bounds the birthday.
pub fn update(book: &mut Book, id: i64, input: &ClientInput, today: NaiveDate) -> Result<Client> {
    let clean = clean(input, today)?;
    book.write(|tx| write_fields(tx, id, &clean.input, &stamp(tx)?))?;
    get(book, id)
}

/// Mark or unmark a key client (星标).
pub fn set_starred(book: &mut Book, id: i64, starred: bool) -> Result<()> {
    book.write(|tx| {
        let n = tx.execute(
            "UPDATE clients SET starred = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, starred, stamp(tx)?],
        )?;
        if n == 0 {
            return Err(Error::not_found("client"));
        }
        Ok(())
    })
}

/// Delete a client with their family, contacts and follow-ups.
pub fn delete(book: &mut Book, id: i64) -> Result<()> {
    book.write(|tx| {
        search::unindex_client(tx, id)?;
        let n = tx.execute("DELETE FROM clients WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::not_found("client"));
        }
        Ok(())
    })
}

/// Refuse to hang anything on a client that does not exist.
pub(crate) fn require(conn: &Connection, id: i64) -> Result<()> {
    if conn
        .prepare_cached("SELECT 1 FROM clients WHERE id = ?1")?
        .exists([id])?
    {
        Ok(())
    } else {
        Err(Error::not_found("client"))
    }
}

/// How many clients the book holds.
pub fn count(book: &Book) -> Result<u32> {
    Ok(book.conn().query_row(KEPT_TOTAL, [], |r| r.get(0))?)
}

/// How many clients the book holds, as the list's kept counts have it.
const KEPT_TOTAL: &str = "SELECT coalesce((SELECT n FROM client_counts WHERE facet = 'all'), 0)";

/// The list's counts as they are, counted from the clients: what the triggers keep in
/// `client_counts`.
const COUNTED: &str = "
    SELECT 'all' AS facet, '' AS value, count(*) AS n FROM clients
    UNION ALL SELECT 'tier', tier, count(*) FROM clients GROUP BY tier
    UNION ALL SELECT 'stage', stage, count(*) FROM clients GROUP BY stage
    UNION ALL SELECT 'risk', risk_profile, count(*) FROM clients
        WHERE risk_profile IS NOT NULL GROUP BY risk_profile
    UNION ALL SELECT 'grade', grade, count(*) FROM clients WHERE grade IS NOT NULL GROUP BY grade
    UNION ALL SELECT 'starred', '1', count(*) FROM clients WHERE starred = 1
    UNION ALL SELECT 'segment', segment, count(*) FROM client_segments GROUP BY segment";

/// How many of the list's kept counts differ from counting the clients again (a count of
/// zero and no count are the same); 0 for a book from before they were kept.
pub fn wrong_counts(conn: &Connection) -> Result<u32> {
    let kept: bool = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE name = 'client_counts'")?
        .exists([])?;
    if !kept {
        return Ok(0);
    }
    let sql = format!(
        "WITH counted AS ({COUNTED}), kept AS (SELECT facet, value, n FROM client_counts)
         SELECT (SELECT count(*) FROM counted c WHERE c.n != coalesce(
                    (SELECT k.n FROM kept k WHERE k.facet = c.facet AND k.value = c.value), 0))
              + (SELECT count(*) FROM kept k WHERE k.n != 0 AND NOT EXISTS (
                    SELECT 1 FROM counted c WHERE c.facet = k.facet AND c.value = k.value))"
    );
    Ok(conn.query_row(&sql, [], |r| r.get(0))?)
}

/// The list's filters as SQL over `clients c` (a `WHERE` clause or nothing), their arguments,
/// and its order: one definition for the window's pages and the export of the whole list.
pub(crate) fn filter_sql(q: &ClientQuery) -> (String, Vec<Box<dyn rusqlite::ToSql>>, String) {
    let mut filters = Vec::new();
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    if let Some(t) = q.tier {
        args.push(Box::new(t));
        filters.push(format!("c.tier = ?{}", args.len()));
    }
    if let Some(s) = q.stage {
        args.push(Box::new(s));
        filters.push(format!("c.stage = ?{}", args.len()));
    }
    if let Some(r) = q.risk {
        args.push(Box::new(r));
        filters.push(format!("c.risk_profile = ?{}", args.len()));
    }
    if let Some(g) = q.grade {
        args.push(Box::new(g));
        filters.push(format!("c.grade = ?{}", args.len()));
    }
    if let Some(s) = q.segment {
        args.push(Box::new(s));
        // EXISTS lets the ordered scan stop after one page instead of gathering every member.
        filters.push(format!(
            "EXISTS (SELECT 1 FROM client_segments s WHERE s.client_id = c.id AND s.segment = ?{})",
            args.len()
        ));
    }
    if q.starred_only {
        filters.push("c.starred = 1".into());
    }
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = match q.sort {
        SortKey::Name => format!("c.name_sort {dir}, c.id {dir}"),
        // Never-contacted clients (NULL) come first when turned oldest-first: they are the most
        // neglected. Plain column order keeps the index usable both ways.
        SortKey::LastContact => format!("c.last_contact_at {dir}, c.id {dir}"),
        SortKey::Updated => format!("c.updated_at {dir}, c.id {dir}"),
        // Exactly the terms of the grade-order index, so either direction reads it in order.
        SortKey::Grade => {
            format!("c.grade IS NULL {dir}, c.grade {dir}, c.name_sort {dir}, c.id {dir}")
        }
    };
    (filter, args, order)
}

/// The SQL of one page of the list: the count, the rows, and their arguments.
fn list_sql(q: &ClientQuery) -> (String, String, Vec<Box<dyn rusqlite::ToSql>>) {
    let (filter, args, order) = filter_sql(q);
    let filters_n = [
        q.tier.is_some(),
        q.stage.is_some(),
        q.risk.is_some(),
        q.grade.is_some(),
        q.segment.is_some(),
        q.starred_only,
    ]
    .iter()
    .filter(|f| **f)
    .count();
    // One filter or none: the count kept for it. Several: counted.
    let facet = [
        ("tier", q.tier.is_some()),
        ("stage", q.stage.is_some()),
        ("risk", q.risk.is_some()),
        ("grade", q.grade.is_some()),
        ("segment", q.segment.is_some()),
    ]
    .into_iter()
    .find(|(_, on)| *on)
    .map(|(f, _)| f);
    let count_sql = match (filters_n, facet) {
        (0, _) => KEPT_TOTAL.into(),
        (1, None) => {
            "SELECT coalesce((SELECT n FROM client_counts WHERE facet = 'starred'), 0)".into()
        }
        (1, Some(f)) => format!(
            "SELECT coalesce((SELECT n FROM client_counts WHERE facet = '{f}' AND value = ?1), 0)"
        ),
        _ => format!("SELECT count(*) FROM clients c {filter}"),
    };
    let limit = q.limit.clamp(1, 500);
    let rows_sql = format!(
        "SELECT {ROW_COLUMNS} FROM clients c {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
        q.offset
    );
    (count_sql, rows_sql, args)
}

/// One page of the client list, filtered and ordered in SQLite so a 100k book stays instant.
pub fn list(book: &Book, q: &ClientQuery) -> Result<ClientPage> {
    let (count_sql, rows_sql, args) = list_sql(q);
    let conn = book.conn();
    // The total and the rows from one snapshot, under one lock.
    let _together = book.one_read()?;
    let arg_refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let total: u32 = conn
        .prepare_cached(&count_sql)?
        .query_row(arg_refs.as_slice(), |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&rows_sql)?;
    let rows = stmt
        .query_map(arg_refs.as_slice(), row_from)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ClientPage { total, rows })
}

/// The same page's rows by the plainest SQL that fetches them (the columns a row shows, its
/// segments among them; no count, no typed row): the baseline `rapport bench` sets beside each
/// list figure. Returns the rows found.
pub fn plain_page(book: &Book, q: &ClientQuery) -> Result<usize> {
    let (filter, args, order) = filter_sql(q);
    let sql = format!(
        "SELECT c.id, c.kind, c.name, c.phone, c.employer, c.company, c.tier, c.stage,
                c.risk_profile, c.starred, c.last_contact_at, c.grade,
                (SELECT group_concat(segment) FROM client_segments s WHERE s.client_id = c.id)
         FROM clients c {filter} ORDER BY {order} LIMIT {} OFFSET {}",
        q.limit.clamp(1, 500),
        q.offset
    );
    let arg_refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut stmt = book.conn().prepare_cached(&sql)?;
    let mut rows = stmt.query(arg_refs.as_slice())?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        for i in 0..13 {
            row.get::<_, rusqlite::types::Value>(i)?;
        }
        n += 1;
    }
    Ok(n)
}

/// SQLite's plan for one page of the list (the count's, then the rows'), one step a line: how
/// tests and the bench see that each filter and order reads an index.
pub fn list_plan(book: &Book, q: &ClientQuery) -> Result<String> {
    let (count_sql, rows_sql, args) = list_sql(q);
    let conn = book.conn();
    let arg_refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut out = Vec::new();
    for sql in [count_sql, rows_sql] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let steps = stmt.query_map(arg_refs.as_slice(), |r| r.get::<_, String>(3))?;
        for step in steps {
            out.push(step?);
        }
    }
    Ok(out.join("\n"))
}

/// The columns of a [`ClientRow`], read by [`row_from`], over `clients c`.
const ROW_COLUMNS: &str = "c.id, c.kind, c.name, c.phone, coalesce(c.employer, c.company),
    c.tier, c.stage, c.risk_profile, c.starred, c.last_contact_at,
    (SELECT group_concat(segment) FROM client_segments s WHERE s.client_id = c.id), c.grade";

fn row_from(r: &Row) -> rusqlite::Result<ClientRow> {
    let segs: Option<String> = r.get(10)?;
    Ok(ClientRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        organisation: r.get(4)?,
        tier: r.get(5)?,
        stage: r.get(6)?,
        risk_profile: r.get(7)?,
        starred: r.get(8)?,
        last_contact_at: r.get(9)?,
        segments: segs
            .map(|s| s.split(',').filter_map(Segment::parse).collect())
            .unwrap_or_default(),
        grade: r.get(11)?,
    })
}

/// The phone key the book indexes (see migration 3): digits only, without the 86 country code
/// in front of an 11-digit mainland number, so `+86 138 0013 8000` is `13800138000`.
pub(crate) fn phone_key(phone: &str) -> Option<String> {
    let digits: String = fold_width(phone)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    match digits.strip_prefix("86") {
        Some(rest) if digits.len() == 13 => Some(rest.to_string()),
        _ => (!digits.is_empty()).then_some(digits),
    }
}

/// The ID-number key the book indexes: upper case, without spaces.
pub(crate) fn id_key(id_number: &str) -> Option<String> {
    let key: String = fold_width(id_number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Clients who may be the one being entered: the same phone digits (`+86 138 0013 8000` is
/// `13800138000`) or the same ID number whatever its case and spaces, other than `except` (the
/// client being edited); at most 10, in name order. Both keys are indexed, so this can run as
/// the advisor types.
pub fn duplicates(
    book: &Book,
    phone: Option<&str>,
    id_number: Option<&str>,
    except: Option<i64>,
) -> Result<Vec<ClientRow>> {
    let phone = phone.and_then(phone_key);
    let id_number = id_number.and_then(id_key);
    if phone.is_none() && id_number.is_none() {
        return Ok(Vec::new());
    }
    let mut stmt = book.conn().prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM clients c
         WHERE (c.phone_key = ?1 OR c.id_key = ?2) AND c.id IS NOT ?3
         ORDER BY c.name_sort, c.id LIMIT 10"
    ))?;
    let rows = stmt
        .query_map(params![phone, id_number, except], row_from)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Everything the client page shows: the record, the family, the timeline, open follow-ups.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClientProfile {
    /// The record.
    pub client: Client,
    /// Family members.
    pub family: Vec<crate::family::FamilyMember>,
    /// Contacts, newest first, each with its follow-ups.
    pub contacts: Vec<crate::contacts::Contact>,
    /// Follow-ups not yet done, earliest due first.
    pub open_follow_ups: Vec<crate::contacts::FollowUp>,
    /// The client's next birthday, when the birthday is known.
    pub next_birthday: Option<NextBirthday>,
    /// Each family member's next birthday, by family member id.
    pub family_birthdays: Vec<FamilyBirthday>,
    /// Likes, taboos, habits and expected quality of the client and each family member.
    pub preferences: Vec<crate::preferences::Preference>,
    /// Gifts given to the client and their family, newest first.
    pub gifts: Vec<crate::gifts::Gift>,
    /// Who brought this client, and whom they brought.
    pub referrals: crate::referrals::ClientReferrals,
    /// Loyalty points balance.
    #[ts(type = "number")]
    pub points_balance: i64,
    /// Satisfaction surveys, newest first: the first is the latest, the scores the trend.
    pub surveys: Vec<crate::surveys::Survey>,
}

/// A family member's next birthday on the client page.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyBirthday {
    /// The family member.
    #[ts(type = "number")]
    pub family_id: i64,
    /// Their next birthday.
    pub next: NextBirthday,
}

/// The client page in one read, with birthdays seen from `today`.
pub fn profile(book: &Book, id: i64, today: NaiveDate) -> Result<ClientProfile> {
    let rules = BirthdayRules::default();
    let client = get(book, id)?;
    let family = crate::family::list(book, id)?;
    // A stored birthday the rules cannot place (beyond 2100) just shows no next date.
    let next = |b: &Option<Birthday>| b.as_ref().and_then(|b| next_of(b, today, &rules).ok());
    let family_birthdays = family
        .iter()
        .filter_map(|m| {
            next(&m.birthday).map(|next| FamilyBirthday {
                family_id: m.id,
                next,
            })
        })
        .collect();
    Ok(ClientProfile {
        next_birthday: next(&client.birthday),
        client,
        family,
        contacts: crate::contacts::timeline(book, id)?,
        open_follow_ups: crate::contacts::open_follow_ups(book, id)?,
        family_birthdays,
        preferences: crate::preferences::list(book, id)?,
        gifts: crate::gifts::list(book, id)?,
        referrals: crate::referrals::of_client(book, id)?,
        points_balance: crate::points::balance(book, id)?,
        surveys: crate::surveys::list(book, id)?,
    })
}

/// The client a person typed: an id (`42`) or an exact name (`王芳`). A name several clients
/// share is refused with how many there are, so the advisor gives the id instead.
pub fn resolve(book: &Book, text: &str) -> Result<i64> {
    let t = fold_width(text);
    let t = t.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let id: i64 = t.parse().map_err(|_| Error::not_found("client"))?;
        require(book.conn(), id)?;
        return Ok(id);
    }
    let mut stmt = book
        .conn()
        .prepare_cached("SELECT id FROM clients WHERE name = ?1 ORDER BY id LIMIT 11")?;
    let ids: Vec<i64> = stmt
        .query_map([t], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids[..] {
        [] => Err(Error::not_found("client")),
        [id] => Ok(id),
        _ => Err(Error::invalid_with(
            "client",
            "client_ambiguous",
            if ids.len() > 10 {
                "10+".to_string()
            } else {
                ids.len().to_string()
            },
        )),
    }
}
