//! Excel export: the client list as filtered in the window (or the whole book) into `.xlsx`,
//! with family members, contacts and follow-ups on sheets of their own when asked for. Headers
//! in the advisor's language; dates as real Excel dates; phone and ID numbers as text; a frozen
//! header row, an autofilter and widths that fit Chinese text. Rows stream from SQLite into a
//! constant-memory writer, so a 100k-client book needs no more memory than a small one.

use super::columns::{Column, Kind, CLIENT_COLUMNS};
use super::words::{field, sheet, value, Language};
use crate::book::values::{Birthday, Calendar};
use crate::clients::{self, ClientQuery};
use crate::{Book, Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A sheet besides the clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Sheet {
    /// One row a client.
    Clients,
    /// One row a family member.
    Family,
    /// One row a contact (visit, call, complaint …).
    Contacts,
    /// One row a follow-up.
    FollowUps,
    /// One row a salon invitation: the salon, the 7-3-1 rounds' answers, whether they came.
    Invitations,
    /// One row a reminder of the coming days, as Today and the phone's calendar have them.
    Agenda,
    /// One row a holding (持仓), here and at other banks.
    Holdings,
}

impl Sheet {
    /// The sheet named `word` (`clients`, `family`, `contacts`, `follow_ups`/`follow-ups`).
    pub fn parse(word: &str) -> Option<Sheet> {
        match word.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "clients" => Some(Sheet::Clients),
            "family" => Some(Sheet::Family),
            "contacts" => Some(Sheet::Contacts),
            "follow_ups" | "followups" => Some(Sheet::FollowUps),
            "invitations" => Some(Sheet::Invitations),
            "agenda" => Some(Sheet::Agenda),
            "holdings" => Some(Sheet::Holdings),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Sheet::Clients => "clients",
            Sheet::Family => "family",
            Sheet::Contacts => "contacts",
            Sheet::FollowUps => "follow_ups",
            Sheet::Invitations => "invitations",
            Sheet::Agenda => "agenda",
            Sheet::Holdings => "holdings",
        }
    }
}

/// What goes into the file.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportSpec {
    /// The list's filters and order (its page and page size are ignored: every match goes).
    pub query: ClientQuery,
    /// The sheets, clients always first.
    pub sheets: Vec<Sheet>,
    /// Headers and labels in this language.
    pub language: Language,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Exported {
    /// Clients written.
    pub clients: u32,
    /// Rows written on each sheet, in order, with the sheet's key.
    pub sheets: Vec<(String, u32)>,
    /// The file.
    pub path: String,
}

/// Column `i` of a row as text, or nothing for NULL.
fn txt<'a>(r: &'a rusqlite::Row, i: usize) -> Result<Option<&'a str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| Error::Book {
        message: e.to_string(),
    })
}

/// The zip compression level of exported files (1 fastest … 9 smallest).
const COMPRESSION: u8 = 1;

fn xlsx_error(e: XlsxError) -> Error {
    Error::Book {
        message: format!("the spreadsheet could not be written: {e}"),
    }
}

/// The formats of one workbook.
struct Formats {
    header: Format,
    text: Format,
    date: Format,
    moment: Format,
    money: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color("E3EFEE")
                .set_align(FormatAlign::Center),
            // "@": Excel keeps what is typed into the cell as text too (phone and ID numbers).
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            moment: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            // Yuan with thousands and fen: a number Excel sums, shown as money.
            money: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.00%"),
        }
    }
}

/// Write a sheet's header row: bold titles, widths that fit them (2 columns a Chinese
/// character), frozen below.
fn header(ws: &mut Worksheet, f: &Formats, titles: &[(&str, f64)]) -> Result<()> {
    for (i, (title, width)) in titles.iter().enumerate() {
        let col = i as u16;
        let need = unicode_width::UnicodeWidthStr::width(*title) as f64 + 2.0;
        ws.set_column_width(col, width.max(need))
            .map_err(xlsx_error)?;
        ws.write_string_with_format(0, col, *title, &f.header)
            .map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

/// One cell's value, read from the book and ready to write.
enum Cell<'a> {
    /// Text as it is.
    Text(Box<str>),
    /// A label of a vocabulary (no copy).
    Label(&'a str),
    /// Digits kept as text (phone and ID numbers).
    Digits(Box<str>),
    /// A number.
    Number(f64),
    /// A day, as an Excel date.
    Date(NaiveDate),
    /// A moment, as an Excel date and time.
    Moment(NaiveDateTime),
    /// Money in fen, written as yuan with the money format.
    Money(i64),
    /// Hundredths of a percent, written as a fraction with the percent format.
    Percent(i64),
}

/// Rows handed to the writer at once: big enough that the hand-over costs nothing.
const BATCH_CELLS: usize = 8192;

/// A sheet being filled row by row. The rows are read from the book on this thread and written
/// into the sheet on another, so reading SQLite and writing XML run side by side on two cores.
struct Rows<'a> {
    row: u32,
    cells: Vec<(u32, u16, Cell<'a>)>,
    to_writer: std::sync::mpsc::SyncSender<Vec<(u32, u16, Cell<'a>)>>,
}

impl<'a> Rows<'a> {
    fn put(&mut self, col: u16, cell: Cell<'a>) {
        self.cells.push((self.row, col, cell));
    }

    fn text(&mut self, col: u16, text: Option<&str>) {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            self.put(col, Cell::Text(t.into()));
        }
    }

    fn label(&mut self, col: u16, label: Option<&'a str>) {
        if let Some(t) = label.filter(|t| !t.is_empty()) {
            self.put(col, Cell::Label(t));
        }
    }

    fn digits(&mut self, col: u16, text: Option<&str>) {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            self.put(col, Cell::Digits(t.into()));
        }
    }

    fn number(&mut self, col: u16, n: i64) {
        self.put(col, Cell::Number(n as f64));
    }

    fn date(&mut self, col: u16, text: Option<&str>) {
        match text.and_then(|t| ymd(t.get(..10)?)) {
            Some(d) => self.put(col, Cell::Date(d)),
            None => self.text(col, text),
        }
    }

    fn moment(&mut self, col: u16, text: Option<&str>) {
        let parsed = text.and_then(|t| {
            let day = ymd(t.get(..10)?)?;
            let (h, m, s) = match t.len() {
                16 => (t.get(11..13)?, t.get(14..16)?, "0"),
                19 => (t.get(11..13)?, t.get(14..16)?, t.get(17..19)?),
                _ => return None,
            };
            day.and_hms_opt(h.parse().ok()?, m.parse().ok()?, s.parse().ok()?)
        });
        match parsed {
            Some(at) => self.put(col, Cell::Moment(at)),
            None => self.text(col, text),
        }
    }

    /// The row is complete. An error when the writer has stopped (its own error tells why).
    fn next(&mut self) -> Result<()> {
        self.row += 1;
        if self.cells.len() >= BATCH_CELLS && !self.flush() {
            return Err(writer_gone());
        }
        Ok(())
    }

    fn flush(&mut self) -> bool {
        let batch = std::mem::take(&mut self.cells);
        batch.is_empty() || self.to_writer.send(batch).is_ok()
    }
}

/// `YYYY-MM-DD` as a day, without the general date parser (it is most of a cell's cost).
fn ymd(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        t[..4].parse().ok()?,
        t[5..7].parse().ok()?,
        t[8..].parse().ok()?,
    )
}

/// Write cells into `ws` as they come.
fn write_cells<'a>(
    ws: &mut Worksheet,
    f: &Formats,
    from_reader: std::sync::mpsc::Receiver<Vec<(u32, u16, Cell<'a>)>>,
) -> Result<()> {
    for batch in from_reader {
        for (row, col, cell) in batch {
            match cell {
                Cell::Text(t) => ws.write_string(row, col, &*t),
                Cell::Label(t) => ws.write_string(row, col, t),
                Cell::Digits(t) => ws.write_string_with_format(row, col, &*t, &f.text),
                Cell::Number(n) => ws.write_number(row, col, n),
                Cell::Date(d) => ws.write_datetime_with_format(row, col, d, &f.date),
                Cell::Moment(at) => ws.write_datetime_with_format(row, col, at, &f.moment),
                Cell::Money(fen) => {
                    ws.write_number_with_format(row, col, fen as f64 / 100.0, &f.money)
                }
                Cell::Percent(bp) => {
                    ws.write_number_with_format(row, col, bp as f64 / 10_000.0, &f.percent)
                }
            }
            .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// Fill `ws` below its header with the rows `read` produces, reading on this thread and
/// writing on another; then the autofilter over `columns`. The rows written.
fn fill<'a>(
    ws: &mut Worksheet,
    f: &Formats,
    columns: u16,
    read: impl FnOnce(&mut Rows<'a>) -> Result<()>,
) -> Result<u32> {
    let written = std::thread::scope(|scope| {
        let (to_writer, from_reader) = std::sync::mpsc::sync_channel(4);
        let writer = scope.spawn(|| write_cells(ws, f, from_reader));
        let mut rows = Rows {
            row: 1,
            cells: Vec::with_capacity(BATCH_CELLS + 64),
            to_writer,
        };
        let read = read(&mut rows).map(|()| rows.flush());
        let rows_done = rows.row - 1;
        drop(rows);
        let wrote = writer.join().unwrap_or_else(|_| Err(writer_gone()));
        // The writer's own error explains a reader that stopped because it was gone.
        wrote?;
        read?;
        Ok::<_, Error>(rows_done)
    })?;
    ws.autofilter(0, 0, written.max(1), columns.saturating_sub(1))
        .map_err(xlsx_error)?;
    Ok(written)
}

/// The label of `key` among `labels` (a few words: a scan beats hashing), else the catalog's.
fn label(
    labels: &[(&str, &'static str)],
    lang: Language,
    vocabulary: &str,
    key: &str,
) -> &'static str {
    labels
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or_else(|| value(lang, vocabulary, key))
}

/// The reader's answer when the writer has stopped: the writer's error is the one reported.
fn writer_gone() -> Error {
    Error::Book {
        message: "the spreadsheet writer stopped".into(),
    }
}

/// The SQL expression of a client column over `clients c`.
fn client_sql(key: &str) -> &'static str {
    match key {
        "id" => "c.id",
        "name" => "c.name",
        "kind" => "c.kind",
        "gender" => "c.gender",
        "phone" => "c.phone",
        "wechat" => "c.wechat",
        "email" => "c.email",
        "id_type" => "c.id_type",
        "id_number" => "c.id_number",
        "birthday" => "c.birthday",
        "calendar" => "c.birthday_calendar",
        "leap" => "CASE WHEN c.birthday_leap THEN 'yes' END",
        "occupation" => "c.occupation",
        "employer" => "c.employer",
        "income_band" => "c.income_band",
        "risk_profile" => "c.risk_profile",
        "tier" => "c.tier",
        "stage" => "c.stage",
        "segments" => {
            "(SELECT group_concat(segment) FROM client_segments s WHERE s.client_id = c.id)"
        }
        "company" => "c.company",
        "industry" => "c.industry",
        "company_scale" => "c.company_scale",
        "financing_needs" => "c.financing_needs",
        "hobbies" => "c.hobbies",
        "likes" => "c.likes",
        "taboos" => "c.taboos",
        "objections" => "c.objections",
        "notes" => "c.notes",
        "starred" => "CASE WHEN c.starred THEN 'yes' ELSE 'no' END",
        "last_contact" => "c.last_contact_at",
        "created_at" => "c.created_at",
        _ => "NULL",
    }
}

/// Write `spec`'s clients (and sheets) from `book` into `path`, calling `progress` with rows
/// done and rows in all now and then. The file appears only whole.
pub fn export(
    book: &Book,
    spec: &ExportSpec,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Exported> {
    let lang = spec.language;
    let (filter, args, order) = clients::filter_sql(&spec.query);
    let conn = book.conn();
    let arg_refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let clients_n = conn.query_row(
        &format!("SELECT count(*) FROM clients c {filter}"),
        arg_refs.as_slice(),
        |r| r.get::<_, i64>(0),
    )? as u64;
    let mut sheets = vec![Sheet::Clients];
    sheets.extend(spec.sheets.iter().filter(|s| **s != Sheet::Clients));
    sheets.dedup();
    let chosen = format!("SELECT c.id FROM clients c {filter}");
    let mut total = clients_n;
    // The agenda's reminders are read once: they are counted and written from the same list.
    let reminders = if sheets.contains(&Sheet::Agenda) {
        let now = crate::clock::now_in(book)?;
        let cal = crate::work_schedule::from_book(book)?;
        super::ics::reminders::collect(book, now.date(), super::ics::DEFAULT_DAYS, now, &cal)?
    } else {
        Vec::new()
    };
    for s in &sheets[1..] {
        let table = match s {
            Sheet::Family => "family_members",
            Sheet::Contacts => "contacts",
            Sheet::Invitations => "salon_invitees",
            Sheet::Holdings => "holdings",
            Sheet::Agenda => {
                total += reminders.len() as u64;
                continue;
            }
            _ => "follow_ups",
        };
        total += conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE client_id IN ({chosen})"),
            arg_refs.as_slice(),
            |r| r.get::<_, i64>(0),
        )? as u64;
    }
    let formats = Formats::new();
    let mut wb = Workbook::new();
    // Constant-memory sheets are spooled to temporary files: beside the file being written
    // (where the same rows are going anyway), never in the system's shared temporary folder.
    let beside = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    wb.set_tempdir(beside).map_err(xlsx_error)?;
    // Deflate's fast level: a third of the time of the default for a file about 15% bigger.
    wb.set_zip_compression_level(COMPRESSION);
    let mut done = 0u64;
    let mut tick = |n: &mut u64| {
        *n += 1;
        if (*n).is_multiple_of(2000) {
            progress(*n, total);
        }
    };
    let mut counts = Vec::new();
    for s in &sheets {
        let ws = wb
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        ws.set_name(sheet(lang, s.key())).map_err(xlsx_error)?;
        let written = match s {
            Sheet::Clients => {
                let cols: &[Column] = CLIENT_COLUMNS;
                let titles: Vec<(&str, f64)> =
                    cols.iter().map(|c| (field(lang, c.key), c.width)).collect();
                header(ws, &formats, &titles)?;
                let select: Vec<&str> = cols.iter().map(|c| client_sql(c.key)).collect();
                let sql = format!(
                    "SELECT {} FROM clients c {filter} ORDER BY {order}",
                    select.join(", ")
                );
                let calendar_at = cols.iter().position(|x| x.key == "calendar");
                // Each column's labels looked up once, not once a cell.
                let labels: Vec<Vec<(&str, &str)>> = cols
                    .iter()
                    .map(|c| match c.kind {
                        Kind::Word(v) | Kind::Words(v) => super::words::labels_in(lang, v),
                        Kind::YesNo => super::words::labels_in(lang, "yes_no"),
                        _ => Vec::new(),
                    })
                    .collect();
                let sep = if lang == Language::ZhCn { "、" } else { ", " };
                fill(ws, &formats, cols.len() as u16, |rows| {
                    let mut stmt = conn.prepare(&sql)?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        for (i, c) in cols.iter().enumerate() {
                            let col = i as u16;
                            match c.kind {
                                Kind::Number => rows.number(col, r.get(i)?),
                                Kind::Text => rows.text(col, txt(r, i)?),
                                Kind::Digits => rows.digits(col, txt(r, i)?),
                                Kind::Date => {
                                    // A lunar birthday is no solar date: it goes as text, with
                                    // its calendar in the next column.
                                    let lunar = match calendar_at {
                                        Some(at) => txt(r, at)? == Some(Calendar::Lunar.as_str()),
                                        None => false,
                                    };
                                    let text = txt(r, i)?;
                                    if lunar {
                                        rows.text(col, text)
                                    } else {
                                        rows.date(col, text)
                                    }
                                }
                                Kind::Moment => rows.moment(col, txt(r, i)?),
                                Kind::Word(v) => {
                                    let key = txt(r, i)?;
                                    rows.label(col, key.map(|k| label(&labels[i], lang, v, k)))
                                }
                                Kind::YesNo => {
                                    let key = txt(r, i)?;
                                    let l = key.map(|k| label(&labels[i], lang, "yes_no", k));
                                    rows.label(col, l)
                                }
                                Kind::Words(v) => {
                                    let keys = txt(r, i)?;
                                    let text = keys.map(|k| {
                                        k.split(',')
                                            .map(|k| label(&labels[i], lang, v, k))
                                            .collect::<Vec<_>>()
                                            .join(sep)
                                    });
                                    rows.text(col, text.as_deref())
                                }
                            }
                        }
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::Family => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "name"), 14.0),
                    (field(lang, "relation"), 10.0),
                    (field(lang, "gender"), 8.0),
                    (field(lang, "birthday"), 12.0),
                    (field(lang, "calendar"), 8.0),
                    (field(lang, "leap"), 6.0),
                    (field(lang, "phone"), 16.0),
                    (field(lang, "notes"), 30.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    let mut stmt = conn.prepare(&format!(
                        "SELECT f.client_id, c.name, f.name, f.relation, f.gender, f.birthday,
                                f.birthday_calendar, f.birthday_leap, f.phone, f.notes
                         FROM family_members f JOIN clients c ON c.id = f.client_id
                         WHERE f.client_id IN ({chosen}) ORDER BY c.name_sort, c.id, f.id"
                    ))?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        rows.number(0, r.get(0)?);
                        rows.text(1, txt(r, 1)?);
                        rows.text(2, txt(r, 2)?);
                        let relation = txt(r, 3)?;
                        rows.label(3, relation.map(|k| value(lang, "relation", k)));
                        let gender = txt(r, 4)?;
                        rows.label(4, gender.map(|k| value(lang, "gender", k)));
                        let birthday = Birthday::from_columns(r.get(5)?, r.get(6)?, r.get(7)?);
                        if let Some(b) = &birthday {
                            if b.calendar == Calendar::Lunar {
                                rows.text(5, Some(&b.date));
                            } else {
                                rows.date(5, Some(&b.date));
                            }
                            rows.label(6, Some(value(lang, "calendar", b.calendar.as_str())));
                            if b.leap {
                                rows.label(7, Some(value(lang, "yes_no", "yes")));
                            }
                        }
                        rows.digits(8, txt(r, 8)?);
                        rows.text(9, txt(r, 9)?);
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::Contacts => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "at"), 17.0),
                    (field(lang, "channel"), 8.0),
                    (field(lang, "contact_kind"), 10.0),
                    (field(lang, "summary"), 50.0),
                    (field(lang, "needs"), 24.0),
                    (field(lang, "response_due"), 12.0),
                    (field(lang, "resolution"), 24.0),
                    (field(lang, "resolved_at"), 12.0),
                    (field(lang, "satisfied"), 8.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    let mut stmt = conn.prepare(&format!(
                        "SELECT k.client_id, c.name, k.at, k.channel, k.kind, k.summary, k.needs,
                                k.response_due, k.resolution, k.resolved_at,
                                CASE k.satisfied WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END
                         FROM contacts k JOIN clients c ON c.id = k.client_id
                         WHERE k.client_id IN ({chosen}) ORDER BY c.name_sort, c.id, k.at, k.id"
                    ))?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        rows.number(0, r.get(0)?);
                        rows.text(1, txt(r, 1)?);
                        rows.moment(2, txt(r, 2)?);
                        let channel = txt(r, 3)?;
                        rows.label(3, channel.map(|k| value(lang, "channel", k)));
                        let kind = txt(r, 4)?;
                        rows.label(4, kind.map(|k| value(lang, "contact_kind", k)));
                        rows.text(5, txt(r, 5)?);
                        rows.text(6, txt(r, 6)?);
                        rows.date(7, txt(r, 7)?);
                        rows.text(8, txt(r, 8)?);
                        rows.date(9, txt(r, 9)?);
                        let satisfied = txt(r, 10)?;
                        rows.label(10, satisfied.map(|k| value(lang, "yes_no", k)));
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::FollowUps => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "follow_up_title"), 30.0),
                    (field(lang, "follow_up_due"), 12.0),
                    (field(lang, "done_at"), 17.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    let mut stmt = conn.prepare(&format!(
                        "SELECT f.client_id, c.name, f.title, f.due, f.done_at
                         FROM follow_ups f JOIN clients c ON c.id = f.client_id
                         WHERE f.client_id IN ({chosen}) ORDER BY f.due, c.name_sort, f.id"
                    ))?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        rows.number(0, r.get(0)?);
                        rows.text(1, txt(r, 1)?);
                        rows.text(2, txt(r, 2)?);
                        rows.date(3, txt(r, 3)?);
                        rows.moment(4, txt(r, 4)?);
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::Invitations => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "salon"), 24.0),
                    (field(lang, "salon_start"), 17.0),
                    (field(lang, "added_on"), 12.0),
                    (field(lang, "round_7"), 10.0),
                    (field(lang, "round_3"), 10.0),
                    (field(lang, "round_1"), 10.0),
                    (field(lang, "attended"), 8.0),
                    (field(lang, "guests"), 8.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    let round = |r: &str| {
                        format!(
                            "(SELECT response FROM salon_calls k WHERE k.call_id =
                               i.salon_id || '/' || i.client_id || '/{r}')"
                        )
                    };
                    let mut stmt = conn.prepare(&format!(
                        "SELECT i.client_id, c.name, s.title, s.start, i.added_on, {}, {}, {},
                                CASE i.attended WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END,
                                i.guests, s.cancelled
                         FROM salon_invitees i JOIN salons s ON s.id = i.salon_id
                              JOIN clients c ON c.id = i.client_id
                         WHERE i.client_id IN ({chosen}) ORDER BY s.start, s.id, c.name_sort, c.id",
                        round("r7"),
                        round("r3"),
                        round("r1")
                    ))?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        rows.number(0, r.get(0)?);
                        rows.text(1, txt(r, 1)?);
                        let title = txt(r, 2)?.unwrap_or_default();
                        if r.get::<_, bool>(10)? {
                            let cancelled = value(lang, "salon_state", "cancelled");
                            rows.text(2, Some(&format!("{title} ({cancelled})")));
                        } else {
                            rows.text(2, Some(title));
                        }
                        rows.moment(3, txt(r, 3)?);
                        rows.date(4, txt(r, 4)?);
                        for (col, i) in [(5, 5), (6, 6), (7, 7)] {
                            let answer = txt(r, i)?;
                            rows.label(col, answer.map(|k| value(lang, "call_response", k)));
                        }
                        let came = txt(r, 8)?;
                        rows.label(8, came.map(|k| value(lang, "yes_no", k)));
                        rows.number(9, r.get(9)?);
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::Holdings => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "product"), 24.0),
                    (field(lang, "holding_kind"), 10.0),
                    (field(lang, "institution"), 12.0),
                    (field(lang, "amount"), 16.0),
                    (field(lang, "current_value"), 16.0),
                    (field(lang, "bought_on"), 12.0),
                    (field(lang, "value_date"), 12.0),
                    (field(lang, "maturity"), 12.0),
                    (field(lang, "rate"), 10.0),
                    (field(lang, "holding_status"), 10.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    let mut stmt = conn.prepare(&format!(
                        "SELECT h.client_id, c.name, h.product, h.kind, h.elsewhere, h.institution,
                                h.amount_fen,
                                coalesce((SELECT v.value_fen FROM holding_values v
                                          WHERE v.holding_id = h.id ORDER BY v.on_day DESC LIMIT 1),
                                         h.amount_fen),
                                h.bought_on, h.value_date, h.maturity, h.rate_bp, h.status
                         FROM holdings h JOIN clients c ON c.id = h.client_id
                         WHERE h.client_id IN ({chosen})
                         ORDER BY c.name_sort, c.id, h.status <> 'held', h.bought_on, h.id"
                    ))?;
                    let mut q = stmt.query(arg_refs.as_slice())?;
                    while let Some(r) = q.next()? {
                        rows.number(0, r.get(0)?);
                        rows.text(1, txt(r, 1)?);
                        rows.text(2, txt(r, 2)?);
                        let kind = txt(r, 3)?;
                        rows.label(3, kind.map(|k| value(lang, "holding_kind", k)));
                        if r.get::<_, bool>(4)? {
                            let elsewhere = value(lang, "holding_place", "elsewhere");
                            let bank = txt(r, 5)?.map(str::to_string);
                            rows.text(4, Some(&bank.unwrap_or_else(|| elsewhere.to_string())));
                        }
                        rows.put(5, Cell::Money(r.get(6)?));
                        rows.put(6, Cell::Money(r.get(7)?));
                        rows.date(7, txt(r, 8)?);
                        rows.date(8, txt(r, 9)?);
                        rows.date(9, txt(r, 10)?);
                        if let Some(bp) = r.get::<_, Option<i64>>(11)? {
                            rows.put(10, Cell::Percent(bp));
                        }
                        let status = txt(r, 12)?;
                        rows.label(11, status.map(|k| value(lang, "holding_status", k)));
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
            Sheet::Agenda => {
                let titles = [
                    (field(lang, "day"), 12.0),
                    (field(lang, "time"), 8.0),
                    (field(lang, "reminder_kind"), 10.0),
                    (field(lang, "reminder_summary"), 30.0),
                    (field(lang, "details"), 50.0),
                    (field(lang, "reminder_state"), 8.0),
                ];
                header(ws, &formats, &titles)?;
                fill(ws, &formats, titles.len() as u16, |rows| {
                    use super::ics::{State, When};
                    for r in &reminders {
                        match r.when {
                            When::Day(day) => rows.put(0, Cell::Date(day)),
                            When::Timed { start, .. } => {
                                rows.put(0, Cell::Date(start.date()));
                                rows.text(1, Some(&start.format("%H:%M").to_string()));
                            }
                        }
                        rows.label(2, Some(value(lang, "reminder_kind", r.kind.key())));
                        rows.text(3, Some(&r.summary));
                        rows.text(4, Some(&r.description));
                        let state = match r.state {
                            State::Open => "open",
                            State::Done => "done",
                            State::Cancelled => "cancelled",
                        };
                        rows.label(5, Some(value(lang, "reminder_state", state)));
                        rows.next()?;
                        tick(&mut done);
                    }
                    Ok(())
                })?
            }
        };
        counts.push((s.key().to_string(), written));
    }
    progress(done, total);
    save_whole(&mut wb, path)?;
    Ok(Exported {
        clients: clients_n as u32,
        sheets: counts,
        path: path.display().to_string(),
    })
}

/// A blank clients sheet with the headers the import knows, in `language`.
pub fn template(path: &Path, language: Language) -> Result<()> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet(language, "clients"))
        .map_err(xlsx_error)?;
    let titles: Vec<(&str, f64)> = CLIENT_COLUMNS
        .iter()
        .filter(|c| c.imported)
        .map(|c| (field(language, c.key), c.width))
        .collect();
    header(ws, &formats, &titles)?;
    // Phone and ID columns formatted as text before anything is typed into them.
    for (i, c) in CLIENT_COLUMNS.iter().filter(|c| c.imported).enumerate() {
        if c.kind == Kind::Digits {
            ws.set_column_format(i as u16, &formats.text)
                .map_err(xlsx_error)?;
        }
    }
    save_whole(&mut wb, path)
}

/// Save to a file beside `path` first and rename it into place: a crash or a full disk never
/// leaves half a spreadsheet under the name the advisor chose.
fn save_whole(wb: &mut Workbook, path: &Path) -> Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    if let Err(e) = wb.save(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(xlsx_error(e));
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_become_excel_dates() {
        assert_eq!(ymd("1965-03-08"), NaiveDate::from_ymd_opt(1965, 3, 8));
        assert_eq!(ymd("2026-02-30"), None, "an impossible day stays text");
        assert_eq!(ymd("1965/3/8"), None);
        assert_eq!(ymd("19650308"), None);
    }
}
