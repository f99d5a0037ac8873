//! Importing clients from a spreadsheet: the header row found below any title rows, columns
//! mapped from Chinese or English headers (editable), bank systems' words understood, every
//! row checked, then all of it written in one transaction or none of it. The report names
//! what was created, merged and skipped, and every refused row by its row number in the file,
//! its column and the reason.

use super::columns::{column_for, Column, Kind, CLIENT_COLUMNS};
use super::table::{self, number_text, Cell, Table};
use super::words::{self, read_value};
use crate::book::values::{
    fold_width, parse_date, parse_ymd, Birthday, Calendar, ClientKind, Gender, Risk, Segment,
    Stage, Tier,
};
use crate::clients::{self, ClientInput};
use crate::{Book, Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// What to do with a row that is a client already in the book (same phone or ID number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnDuplicate {
    /// Fill the existing client's fields from the row (cells left empty change nothing).
    #[default]
    Merge,
    /// Leave the existing client as it is.
    Skip,
    /// Add the row as a new client anyway.
    Create,
}

impl OnDuplicate {
    /// `merge`, `skip` or `create`.
    pub fn parse(word: &str) -> Option<OnDuplicate> {
        match word.trim().to_ascii_lowercase().as_str() {
            "merge" | "合并" => Some(OnDuplicate::Merge),
            "skip" | "跳过" => Some(OnDuplicate::Skip),
            "create" | "新建" => Some(OnDuplicate::Create),
            _ => None,
        }
    }
}

/// How an import runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportOptions {
    /// Rows that are clients already in the book.
    pub on_duplicate: OnDuplicate,
    /// Check and report only; the book is not changed.
    pub dry_run: bool,
    /// Columns mapped by hand, as (header as in the file, field key or none to leave it out);
    /// they win over the mapping found from the headers.
    pub mapping: Vec<(String, Option<String>)>,
}

/// One column of the file and the field it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MappedColumn {
    /// Excel's letter for it (A, B … AA).
    pub letter: String,
    /// Its header in the file.
    pub header: String,
    /// The field it goes to; none when nothing is known by that header.
    pub field: Option<String>,
}

/// A row refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Refused {
    /// The row number in the file, as Excel shows it.
    pub row: u32,
    /// The column's letter, when one cell is at fault.
    pub letter: Option<String>,
    /// The column's header in the file.
    pub header: Option<String>,
    /// What the cell held.
    pub text: Option<String>,
    /// Why (a validation error with its field and code).
    pub error: Error,
}

/// A row that is a client already in the book (or earlier in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Duplicate {
    /// The row number in the file.
    pub row: u32,
    /// The client it matches (none: a row earlier in the same file).
    #[ts(type = "number | null")]
    pub client_id: Option<i64>,
    /// The row it matches in the file, when it is an earlier row.
    pub same_as_row: Option<u32>,
    /// What matched: `phone` or `id_number`.
    pub by: String,
    /// What was done with it.
    pub action: OnDuplicate,
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportReport {
    /// The sheet read (none for CSV).
    pub sheet: Option<String>,
    /// The row of headers, as Excel numbers it.
    pub header_row: u32,
    /// Every column and where it goes.
    pub columns: Vec<MappedColumn>,
    /// Data rows read (blank rows not counted).
    pub rows: u32,
    /// Clients created.
    pub created: u32,
    /// Existing clients merged with their row.
    pub merged: u32,
    /// Rows skipped as duplicates.
    pub skipped: u32,
    /// Rows that are clients already in the book or earlier in the file.
    pub duplicates: Vec<Duplicate>,
    /// Rows refused: any refused row means nothing was written.
    pub refused: Vec<Refused>,
    /// The book was changed (false on a dry run and whenever a row was refused).
    pub applied: bool,
}

/// Excel's letter of column `i` (0 → A, 26 → AA).
pub fn letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The header row: of the first rows, the one with most headers Rapport knows (at least two,
/// the name among them); title rows and blank rows above it are passed over.
fn header_row(t: &Table, extra: &HashMap<String, Option<String>>) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in t.rows.iter().enumerate().take(30) {
        let mut keys: Vec<&str> = Vec::new();
        for cell in row {
            let header = cell.shown();
            let key = match extra.get(&header) {
                Some(Some(k)) => Some(k.as_str()),
                Some(None) => None,
                None => column_for(&header).map(|c| c.key),
            };
            if let Some(k) = key.filter(|k| !keys.contains(k)) {
                keys.push(k);
            }
        }
        if keys.len() >= 2 && keys.contains(&"name") && best.is_none_or(|(_, n)| keys.len() > n) {
            best = Some((i, keys.len()));
        }
    }
    best.map(|(i, _)| i)
}

fn column(key: &str) -> Option<&'static Column> {
    CLIENT_COLUMNS.iter().find(|c| c.key == key && c.imported)
}

/// A birthday cell read: its year-month-day numbers (kept for a lunar date, which need not be
/// a solar day) and the solar day, if it is one.
type DateCell = (Option<(i32, u32, u32)>, Option<NaiveDate>);

/// One data row being read.
struct RowRead {
    input: ClientInput,
    birthday: Option<DateCell>,
    calendar: Option<Calendar>,
    leap: bool,
    refused: Vec<Refused>,
}

/// Read the spreadsheet at `path` into the book as `options` says, with `today` bounding
/// birthdays; `progress` hears (rows done, rows in all) now and then.
pub fn import(
    book: &mut Book,
    path: &Path,
    options: &ImportOptions,
    today: NaiveDate,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport> {
    let t = table::read(path)?;
    let extra: HashMap<String, Option<String>> = options
        .mapping
        .iter()
        .map(|(h, f)| (h.trim().to_string(), f.clone()))
        .collect();
    for field in extra.values().flatten() {
        if column(field).is_none() {
            return Err(Error::invalid_with(
                "mapping",
                "unknown_field",
                field.clone(),
            ));
        }
    }
    let Some(h) = header_row(&t, &extra) else {
        let known: Vec<&str> = ["name", "phone", "id_number", "birthday", "tier"]
            .iter()
            .map(|k| words::field(words::Language::ZhCn, k))
            .collect();
        return Err(Error::invalid_with(
            "file",
            "no_header_row",
            known.join("、"),
        ));
    };
    // Each field from one column only: the first that names it.
    let mut columns: Vec<MappedColumn> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for (i, cell) in t.rows[h].iter().enumerate() {
        let header = cell.shown();
        let field = match extra.get(&header) {
            Some(f) => f.clone(),
            None => column_for(&header).map(|c| c.key.to_string()),
        }
        .filter(|f| !taken.contains(f));
        if let Some(f) = &field {
            taken.push(f.clone());
        }
        columns.push(MappedColumn {
            letter: letter(i),
            header,
            field,
        });
    }
    let data: Vec<(u32, &Vec<Cell>)> = t
        .rows
        .iter()
        .enumerate()
        .skip(h + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_blank()))
        .map(|(i, r)| (i as u32 + 1, r))
        .collect();
    let total = data.len() as u64 * 2;
    let mut read: Vec<(u32, ClientInput)> = Vec::new();
    let mut refused = Vec::new();
    for (n, (row_no, row)) in data.iter().enumerate() {
        match read_row(*row_no, row, &columns, today) {
            Ok(input) => read.push((*row_no, input)),
            Err(mut r) => refused.append(&mut r),
        }
        if n % 1000 == 999 {
            progress(n as u64 + 1, total);
        }
    }
    let mut report = ImportReport {
        sheet: t.sheet.clone(),
        header_row: h as u32 + 1,
        columns,
        rows: data.len() as u32,
        created: 0,
        merged: 0,
        skipped: 0,
        duplicates: Vec::new(),
        refused,
        applied: false,
    };
    // Duplicates: of a client in the book, or of an earlier row of this file.
    let mut plan: Vec<(u32, ClientInput, Plan)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row_no, input) in read {
        let keys = [
            ("phone", input.phone.as_deref().and_then(clients::phone_key)),
            (
                "id_number",
                input.id_number.as_deref().and_then(clients::id_key),
            ),
        ];
        let mut found: Option<(Plan, String, Option<i64>, Option<u32>)> = None;
        for (by, key) in &keys {
            let Some(key) = key else { continue };
            if let Some(&earlier) = seen.get(&format!("{by}:{key}")) {
                found = Some((
                    Plan::Earlier(earlier),
                    by.to_string(),
                    None,
                    Some(plan[earlier].0),
                ));
                break;
            }
            let column = if *by == "phone" {
                "phone_key"
            } else {
                "id_key"
            };
            let existing: Option<i64> = book
                .conn()
                .prepare_cached(&format!(
                    "SELECT id FROM clients WHERE {column} = ?1 ORDER BY id LIMIT 1"
                ))?
                .query_row([key], |r| r.get(0))
                .optional()?;
            if let Some(id) = existing {
                found = Some((Plan::Existing(id), by.to_string(), Some(id), None));
                break;
            }
        }
        let action = match &found {
            None => Plan::Create,
            Some((target, by, client_id, same_as_row)) => {
                report.duplicates.push(Duplicate {
                    row: row_no,
                    client_id: *client_id,
                    same_as_row: *same_as_row,
                    by: by.clone(),
                    action: options.on_duplicate,
                });
                match options.on_duplicate {
                    OnDuplicate::Merge => target.clone(),
                    OnDuplicate::Skip => Plan::Skip,
                    OnDuplicate::Create => Plan::Create,
                }
            }
        };
        match action {
            Plan::Create => report.created += 1,
            Plan::Skip => report.skipped += 1,
            Plan::Existing(_) | Plan::Earlier(_) => report.merged += 1,
        }
        if action == Plan::Create {
            for (by, key) in keys.iter() {
                if let Some(key) = key {
                    seen.entry(format!("{by}:{key}")).or_insert(plan.len());
                }
            }
        }
        plan.push((row_no, input, action));
    }
    if !report.refused.is_empty() || options.dry_run {
        progress(total, total);
        return Ok(report);
    }
    let half = total / 2;
    book.write(|tx| {
        let now = crate::book::stamp(tx)?;
        let mut ids: Vec<Option<i64>> = Vec::with_capacity(plan.len());
        let mut created = Vec::new();
        for (n, (_, input, action)) in plan.iter().enumerate() {
            let id = match action {
                Plan::Create => {
                    let id = clients::insert_unindexed(tx, input)?;
                    created.push(id);
                    Some(id)
                }
                Plan::Skip => None,
                Plan::Existing(id) => {
                    merge_into(tx, *id, input, &now)?;
                    Some(*id)
                }
                Plan::Earlier(i) => {
                    let id = ids[*i].ok_or_else(|| Error::not_found("client"))?;
                    merge_into(tx, id, input, &now)?;
                    Some(id)
                }
            };
            ids.push(id);
            if n % 1000 == 999 {
                progress(half + n as u64 + 1, total);
            }
        }
        // The new clients' search entries after every row, in the order of their ids.
        for id in created {
            crate::search::index_new_client(tx, id)?;
        }
        Ok(())
    })?;
    report.applied = true;
    progress(total, total);
    Ok(report)
}

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Create,
    Skip,
    /// Merged into this client of the book.
    Existing(i64),
    /// Merged into the client an earlier row (by its place in the plan) creates.
    Earlier(usize),
}

/// Merge `row` into client `id`: the row's filled cells replace the client's, its empty
/// cells leave them; segments are added to the client's.
fn merge_into(tx: &rusqlite::Connection, id: i64, row: &ClientInput, now: &str) -> Result<()> {
    let existing = clients::get_in(tx, id)?;
    let mut c = clients::input_of(existing);
    macro_rules! take {
        ($($f:ident),*) => { $( if row.$f.is_some() { c.$f = row.$f.clone(); } )* };
    }
    take!(
        kind,
        gender,
        phone,
        wechat,
        email,
        id_type,
        id_number,
        birthday,
        occupation,
        employer,
        income_band,
        risk_profile,
        tier,
        stage,
        company,
        industry,
        company_scale,
        financing_needs,
        hobbies,
        likes,
        taboos,
        objections,
        notes
    );
    c.name = row.name.clone();
    for s in &row.segments {
        if !c.segments.contains(s) {
            c.segments.push(*s);
        }
    }
    c.starred |= row.starred;
    clients::write_fields(tx, id, &c, now)
}

fn refuse(row: u32, col: Option<(&MappedColumn, String)>, error: Error) -> Refused {
    Refused {
        row,
        letter: col.as_ref().map(|(c, _)| c.letter.clone()),
        header: col.as_ref().map(|(c, _)| c.header.clone()),
        text: col.map(|(_, t)| t),
        error,
    }
}

/// The words a vocabulary knows, as a hint: its labels in the advisor's language.
fn allowed(vocabulary: &str) -> String {
    words::labels(vocabulary)
        .into_iter()
        .take_while(|(l, _)| !l.is_ascii())
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("、")
}

/// One data row as a checked client, or every reason it is refused.
fn read_row(
    row_no: u32,
    row: &[Cell],
    columns: &[MappedColumn],
    today: NaiveDate,
) -> std::result::Result<ClientInput, Vec<Refused>> {
    let mut r = RowRead {
        input: ClientInput::default(),
        birthday: None,
        calendar: None,
        leap: false,
        refused: Vec::new(),
    };
    let mut birthday_col: Option<usize> = None;
    for (i, mc) in columns.iter().enumerate() {
        let Some(key) = mc.field.as_deref() else {
            continue;
        };
        let Some(spec) = column(key) else { continue };
        let cell = row.get(i).cloned().unwrap_or(Cell::Empty);
        if cell.is_blank() {
            continue;
        }
        let shown = cell.shown();
        if let Err(e) = read_cell(&mut r, spec, &cell, today) {
            r.refused.push(refuse(row_no, Some((mc, shown)), e));
        }
        if key == "birthday" {
            birthday_col = Some(i);
        }
    }
    // The birthday's calendar may come after it in the row: settled once the row is read.
    if let Some((ymd, solar)) = r.birthday.take() {
        let calendar = r.calendar.unwrap_or(Calendar::Solar);
        let date = match (calendar, ymd, solar) {
            (Calendar::Lunar, Some((y, m, d)), _) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (_, _, Some(day)) => Some(day.to_string()),
            _ => None,
        };
        match date {
            Some(date) => {
                r.input.birthday = Some(Birthday {
                    calendar,
                    date,
                    leap: r.leap && calendar == Calendar::Lunar,
                })
            }
            None => {
                let at = birthday_col
                    .map(|i| (&columns[i], row.get(i).map(Cell::shown).unwrap_or_default()));
                r.refused.push(refuse(
                    row_no,
                    at,
                    Error::invalid("birthday", "date_impossible"),
                ));
            }
        }
    }
    if !r.refused.is_empty() {
        return Err(r.refused);
    }
    match clients::validated(&r.input, today) {
        Ok(input) => Ok(input),
        Err(e) => {
            // Point at the column of the field the check names.
            let field = match &e {
                Error::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            };
            let at = field.and_then(|f| {
                let i = match f.as_str() {
                    "birthday" => birthday_col,
                    _ => columns.iter().position(|c| c.field.as_deref() == Some(&f)),
                }?;
                Some((&columns[i], row.get(i).map(Cell::shown).unwrap_or_default()))
            });
            Err(vec![refuse(row_no, at, e)])
        }
    }
}

/// Text of a cell for a text field: numbers as typed (13800138000, not 1.38e10).
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) => number_text(*n),
        other => other.shown(),
    }
}

fn word(spec: &Column, vocabulary: &str, cell: &Cell) -> Result<String> {
    read_value(vocabulary, &text_of(cell))
        .ok_or_else(|| Error::invalid_with(field_of(spec), "unknown_value", allowed(vocabulary)))
}

fn field_of(spec: &Column) -> &'static str {
    match spec.key {
        "calendar" | "leap" => "birthday",
        k => k,
    }
}

fn read_cell(r: &mut RowRead, spec: &Column, cell: &Cell, today: NaiveDate) -> Result<()> {
    let c = &mut r.input;
    match spec.kind {
        Kind::Text | Kind::Digits => {
            let mut text = text_of(cell);
            if spec.key == "id_number" {
                // 18 digits do not fit a spreadsheet number: the last ones are already lost.
                if let Cell::Number(n) = cell {
                    if n.abs() >= 1e15 {
                        return Err(Error::invalid("id_number", "id_number_as_number"));
                    }
                }
                text = fold_width(&text).trim().to_uppercase();
            }
            let value = Some(text.trim().to_string());
            match spec.key {
                "name" => c.name = text.trim().to_string(),
                "phone" => c.phone = value.map(|p| fold_width(&p)),
                "wechat" => c.wechat = value,
                "email" => c.email = value,
                "id_type" => c.id_type = value,
                "id_number" => c.id_number = value,
                "occupation" => c.occupation = value,
                "employer" => c.employer = value,
                "income_band" => c.income_band = value,
                "company" => c.company = value,
                "industry" => c.industry = value,
                "company_scale" => c.company_scale = value,
                "financing_needs" => c.financing_needs = value,
                "hobbies" => c.hobbies = value,
                "likes" => c.likes = value,
                "taboos" => c.taboos = value,
                "objections" => c.objections = value,
                "notes" => c.notes = value,
                _ => {}
            }
        }
        Kind::Date => {
            let (ymd, solar) = read_date(cell)?;
            if solar.is_some_and(|d| d > today) {
                return Err(Error::invalid("birthday", "date_in_future"));
            }
            r.birthday = Some((ymd, solar));
        }
        Kind::Word(v) => {
            let key = word(spec, v, cell)?;
            match spec.key {
                "kind" => c.kind = ClientKind::parse(&key),
                "gender" => c.gender = Gender::parse(&key),
                "risk_profile" => c.risk_profile = Risk::parse(&key),
                "tier" => c.tier = Tier::parse(&key),
                "stage" => c.stage = Stage::parse(&key),
                "calendar" => r.calendar = Calendar::parse(&key),
                _ => {}
            }
        }
        Kind::Words(v) => {
            let text = text_of(cell);
            for part in text
                .split(['、', ',', '，', ';', '；', '/', '|'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let key = read_value(v, part).ok_or_else(|| {
                    Error::invalid_with(field_of(spec), "unknown_value", allowed(v))
                })?;
                if let Some(s) = Segment::parse(&key) {
                    if !c.segments.contains(&s) {
                        c.segments.push(s);
                    }
                }
            }
        }
        Kind::YesNo => {
            let yes = match cell {
                Cell::Bool(b) => *b,
                _ => word(spec, "yes_no", cell)? == "yes",
            };
            match spec.key {
                "starred" => c.starred = yes,
                "leap" => r.leap = yes,
                _ => {}
            }
        }
        Kind::Moment | Kind::Number => {}
    }
    Ok(())
}

/// A birthday cell: an Excel date, an Excel serial number, or text in the forms advisors and
/// bank systems write (1965/3/8, 19650308, 1965年3月8日, 1959.10.1, 1965-03-08 00:00:00).
/// Returns its year-month-day numbers (kept for a lunar date, which need not be a solar day)
/// and the solar day, if it is one.
fn read_date(cell: &Cell) -> Result<DateCell> {
    match cell {
        Cell::Moment(m) => Ok((None, Some(m.date()))),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..100_000.0).contains(n) => {
            // Excel's day numbers count from 1899-12-30 (its 1900 leap-year bug included).
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a real date");
            Ok((None, Some(base + Duration::days(*n as i64))))
        }
        other => {
            let text = text_of(other);
            let day_part = text.split([' ', 'T']).next().unwrap_or("").to_string();
            let ymd = parse_ymd("birthday", &day_part)?;
            Ok((Some(ymd), parse_date("birthday", &day_part).ok()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_excels() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(letter(701), "ZZ");
        assert_eq!(letter(702), "AAA");
    }

    #[test]
    fn birthdays_in_every_common_form_read_as_the_same_day() {
        let want = NaiveDate::from_ymd_opt(1965, 3, 8).unwrap();
        for text in [
            "1965/3/8",
            "19650308",
            "1965年3月8日",
            "1965.3.8",
            "1965-03-08 00:00:00",
        ] {
            assert_eq!(
                read_date(&Cell::Text(text.into())).unwrap().1,
                Some(want),
                "{text}"
            );
        }
        assert_eq!(read_date(&Cell::Number(23809.0)).unwrap().1, Some(want));
        assert_eq!(
            read_date(&Cell::Text("1959.10.1".into())).unwrap().1,
            NaiveDate::from_ymd_opt(1959, 10, 1)
        );
        // Not a solar day, but a lunar one may be: the numbers are kept, the day is not.
        assert_eq!(
            read_date(&Cell::Text("1999-02-30".into())).unwrap(),
            (Some((1999, 2, 30)), None)
        );
        assert!(read_date(&Cell::Text("65/3/8".into())).is_err());
    }
}
