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
}

impl Sheet {
    /// The sheet named `word` (`clients`, `family`, `contacts`, `follow_ups`/`follow-ups`).
    pub fn parse(word: &str) -> Option<Sheet> {
        match word.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "clients" => Some(Sheet::Clients),
            "family" => Some(Sheet::Family),
            "contacts" => Some(Sheet::Contacts),
            "follow_ups" | "followups" => Some(Sheet::FollowUps),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Sheet::Clients => "clients",
            Sheet::Family => "family",
            Sheet::Contacts => "contacts",
            Sheet::FollowUps => "follow_ups",
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
        }
    }
}

/// A sheet being filled row by row (constant memory: rows only go forward).
struct Rows<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    row: u32,
}

impl Rows<'_> {
    fn header(&mut self, titles: &[(&str, f64)]) -> Result<()> {
        for (i, (title, width)) in titles.iter().enumerate() {
            let col = i as u16;
            // A header's own width counts too: 2 columns a Chinese character.
            let need = unicode_width::UnicodeWidthStr::width(*title) as f64 + 2.0;
            self.ws
                .set_column_width(col, width.max(need))
                .map_err(xlsx_error)?;
            self.ws
                .write_string_with_format(0, col, *title, &self.f.header)
                .map_err(xlsx_error)?;
        }
        self.ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        self.row = 1;
        Ok(())
    }

    fn text(&mut self, col: u16, text: Option<&str>) -> Result<()> {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            self.ws.write_string(self.row, col, t).map_err(xlsx_error)?;
        }
        Ok(())
    }

    fn digits(&mut self, col: u16, text: Option<&str>) -> Result<()> {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            self.ws
                .write_string_with_format(self.row, col, t, &self.f.text)
                .map_err(xlsx_error)?;
        }
        Ok(())
    }

    fn number(&mut self, col: u16, n: i64) -> Result<()> {
        self.ws
            .write_number(self.row, col, n as f64)
            .map_err(xlsx_error)?;
        Ok(())
    }

    fn date(&mut self, col: u16, text: Option<&str>) -> Result<()> {
        match text.and_then(|t| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()) {
            Some(d) => {
                self.ws
                    .write_datetime_with_format(self.row, col, d, &self.f.date)
                    .map_err(xlsx_error)?;
                Ok(())
            }
            None => self.text(col, text),
        }
    }

    fn moment(&mut self, col: u16, text: Option<&str>) -> Result<()> {
        let parsed = text.and_then(|t| {
            NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
                .ok()
        });
        match parsed {
            Some(at) => {
                self.ws
                    .write_datetime_with_format(self.row, col, at, &self.f.moment)
                    .map_err(xlsx_error)?;
                Ok(())
            }
            None => self.text(col, text),
        }
    }

    fn next(&mut self) {
        self.row += 1;
    }

    fn finish(self, columns: u16) -> Result<u32> {
        let written = self.row - 1;
        if columns > 0 {
            self.ws
                .autofilter(0, 0, self.row.saturating_sub(1).max(1), columns - 1)
                .map_err(xlsx_error)?;
        }
        Ok(written)
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
    for s in &sheets[1..] {
        let table = match s {
            Sheet::Family => "family_members",
            Sheet::Contacts => "contacts",
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
        let mut rows = Rows {
            ws,
            f: &formats,
            row: 0,
        };
        let (written, columns) = match s {
            Sheet::Clients => {
                let cols: &[Column] = CLIENT_COLUMNS;
                let titles: Vec<(&str, f64)> =
                    cols.iter().map(|c| (field(lang, c.key), c.width)).collect();
                rows.header(&titles)?;
                let select: Vec<&str> = cols.iter().map(|c| client_sql(c.key)).collect();
                let sql = format!(
                    "SELECT {} FROM clients c {filter} ORDER BY {order}",
                    select.join(", ")
                );
                let mut stmt = conn.prepare(&sql)?;
                let mut q = stmt.query(arg_refs.as_slice())?;
                while let Some(r) = q.next()? {
                    for (i, c) in cols.iter().enumerate() {
                        let col = i as u16;
                        match c.kind {
                            Kind::Number => rows.number(col, r.get(i)?)?,
                            Kind::Text => rows.text(col, txt(r, i)?)?,
                            Kind::Digits => rows.digits(col, txt(r, i)?)?,
                            Kind::Date => {
                                // A lunar birthday is no solar date: it goes as text, with its
                                // calendar in the next column.
                                let lunar: Option<String> = r.get(
                                    cols.iter().position(|x| x.key == "calendar").unwrap_or(i),
                                )?;
                                let text = txt(r, i)?;
                                if lunar.as_deref() == Some(Calendar::Lunar.as_str()) {
                                    rows.text(col, text)?
                                } else {
                                    rows.date(col, text)?
                                }
                            }
                            Kind::Moment => rows.moment(col, txt(r, i)?)?,
                            Kind::Word(v) => {
                                let key = txt(r, i)?;
                                rows.text(col, key.map(|k| value(lang, v, k)))?
                            }
                            Kind::YesNo => {
                                let key = txt(r, i)?;
                                rows.text(col, key.map(|k| value(lang, "yes_no", k)))?
                            }
                            Kind::Words(v) => {
                                let keys = txt(r, i)?;
                                let sep = if lang == Language::ZhCn { "、" } else { ", " };
                                let text = keys.map(|k| {
                                    k.split(',')
                                        .map(|k| value(lang, v, k))
                                        .collect::<Vec<_>>()
                                        .join(sep)
                                });
                                rows.text(col, text.as_deref())?
                            }
                        }
                    }
                    rows.next();
                    tick(&mut done);
                }
                (rows.finish(cols.len() as u16)?, cols.len())
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
                rows.header(&titles)?;
                let mut stmt = conn.prepare(&format!(
                    "SELECT f.client_id, c.name, f.name, f.relation, f.gender, f.birthday,
                            f.birthday_calendar, f.birthday_leap, f.phone, f.notes
                     FROM family_members f JOIN clients c ON c.id = f.client_id
                     WHERE f.client_id IN ({chosen}) ORDER BY c.name_sort, c.id, f.id"
                ))?;
                let mut q = stmt.query(arg_refs.as_slice())?;
                while let Some(r) = q.next()? {
                    rows.number(0, r.get(0)?)?;
                    rows.text(1, txt(r, 1)?)?;
                    rows.text(2, txt(r, 2)?)?;
                    let relation = txt(r, 3)?;
                    rows.text(3, relation.map(|k| value(lang, "relation", k)))?;
                    let gender = txt(r, 4)?;
                    rows.text(4, gender.map(|k| value(lang, "gender", k)))?;
                    let birthday = Birthday::from_columns(r.get(5)?, r.get(6)?, r.get(7)?);
                    if let Some(b) = &birthday {
                        if b.calendar == Calendar::Lunar {
                            rows.text(5, Some(&b.date))?;
                        } else {
                            rows.date(5, Some(&b.date))?;
                        }
                        rows.text(6, Some(value(lang, "calendar", b.calendar.as_str())))?;
                        if b.leap {
                            rows.text(7, Some(value(lang, "yes_no", "yes")))?;
                        }
                    }
                    rows.digits(8, txt(r, 8)?)?;
                    rows.text(9, txt(r, 9)?)?;
                    rows.next();
                    tick(&mut done);
                }
                (rows.finish(titles.len() as u16)?, titles.len())
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
                rows.header(&titles)?;
                let mut stmt = conn.prepare(&format!(
                    "SELECT k.client_id, c.name, k.at, k.channel, k.kind, k.summary, k.needs,
                            k.response_due, k.resolution, k.resolved_at,
                            CASE k.satisfied WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END
                     FROM contacts k JOIN clients c ON c.id = k.client_id
                     WHERE k.client_id IN ({chosen}) ORDER BY c.name_sort, c.id, k.at, k.id"
                ))?;
                let mut q = stmt.query(arg_refs.as_slice())?;
                while let Some(r) = q.next()? {
                    rows.number(0, r.get(0)?)?;
                    rows.text(1, txt(r, 1)?)?;
                    rows.moment(2, txt(r, 2)?)?;
                    let channel = txt(r, 3)?;
                    rows.text(3, channel.map(|k| value(lang, "channel", k)))?;
                    let kind = txt(r, 4)?;
                    rows.text(4, kind.map(|k| value(lang, "contact_kind", k)))?;
                    rows.text(5, txt(r, 5)?)?;
                    rows.text(6, txt(r, 6)?)?;
                    rows.date(7, txt(r, 7)?)?;
                    rows.text(8, txt(r, 8)?)?;
                    rows.date(9, txt(r, 9)?)?;
                    let satisfied = txt(r, 10)?;
                    rows.text(10, satisfied.map(|k| value(lang, "yes_no", k)))?;
                    rows.next();
                    tick(&mut done);
                }
                (rows.finish(titles.len() as u16)?, titles.len())
            }
            Sheet::FollowUps => {
                let titles = [
                    (field(lang, "id"), 10.0),
                    (field(lang, "client_name"), 14.0),
                    (field(lang, "follow_up_title"), 30.0),
                    (field(lang, "follow_up_due"), 12.0),
                    (field(lang, "done_at"), 17.0),
                ];
                rows.header(&titles)?;
                let mut stmt = conn.prepare(&format!(
                    "SELECT f.client_id, c.name, f.title, f.due, f.done_at
                     FROM follow_ups f JOIN clients c ON c.id = f.client_id
                     WHERE f.client_id IN ({chosen}) ORDER BY f.due, c.name_sort, f.id"
                ))?;
                let mut q = stmt.query(arg_refs.as_slice())?;
                while let Some(r) = q.next()? {
                    rows.number(0, r.get(0)?)?;
                    rows.text(1, txt(r, 1)?)?;
                    rows.text(2, txt(r, 2)?)?;
                    rows.date(3, txt(r, 3)?)?;
                    rows.moment(4, txt(r, 4)?)?;
                    rows.next();
                    tick(&mut done);
                }
                (rows.finish(titles.len() as u16)?, titles.len())
            }
        };
        let _ = columns;
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
    let mut rows = Rows {
        ws,
        f: &formats,
        row: 0,
    };
    let titles: Vec<(&str, f64)> = CLIENT_COLUMNS
        .iter()
        .filter(|c| c.imported)
        .map(|c| (field(language, c.key), c.width))
        .collect();
    rows.header(&titles)?;
    // Phone and ID columns formatted as text before anything is typed into them.
    for (i, c) in CLIENT_COLUMNS.iter().filter(|c| c.imported).enumerate() {
        if c.kind == Kind::Digits {
            rows.ws
                .set_column_format(i as u16, &formats.text)
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
