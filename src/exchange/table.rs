//! Reading a spreadsheet into rows of cells, whatever wrote it: `.xlsx`, `.xlsm`, `.xls`,
//! `.ods` (calamine) or CSV/TSV text in UTF-8 (with or without a BOM) or GBK/GB18030, which
//! Chinese Excel and bank systems write. One shape comes out, whatever went in.

use crate::{Error, Result};
use calamine::{open_workbook_auto, Data, Reader};
use chrono::NaiveDateTime;
use std::path::Path;

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text (CSV cells are all text).
    Text(String),
    /// A number (Excel keeps phone numbers typed without a format as numbers).
    Number(f64),
    /// A date or date-time Excel knows as one.
    Moment(NaiveDateTime),
    /// True or false.
    Bool(bool),
}

impl Cell {
    /// Nothing but spaces in it.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the advisor sees it, for headers and messages.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Moment(m) => m.format("%Y-%m-%d %H:%M").to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// A number as it was typed: 13800138000 rather than 1.38e10, 3 rather than 3.0.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The rows of a spreadsheet's first sheet that holds anything.
#[derive(Debug, Clone)]
pub struct Table {
    /// Rows top to bottom; row `i` is the file's row `i + 1`.
    pub rows: Vec<Vec<Cell>>,
    /// The sheet read (none for CSV).
    pub sheet: Option<String>,
}

fn unreadable(what: impl std::fmt::Display) -> Error {
    Error::invalid_with("file", "file_unreadable", what.to_string())
}

/// Read the spreadsheet at `path`, by its extension.
pub fn read(path: &Path) -> Result<Table> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path),
        "csv" | "txt" | "tsv" => read_text(&std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::not_found("file"),
            _ => unreadable(e),
        })?),
        _ => Err(Error::invalid_with(
            "file",
            "file_kind_unknown",
            ".xlsx .xls .csv",
        )),
    }
}

fn read_workbook(path: &Path) -> Result<Table> {
    if !path.is_file() {
        return Err(Error::not_found("file"));
    }
    let mut wb = open_workbook_auto(path).map_err(unreadable)?;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        if range.is_empty() {
            continue;
        }
        // The range starts at its first used cell: rows and columns before it are padded back,
        // so row numbers in messages are the ones Excel shows.
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = (0..top).map(|_| Vec::new()).collect();
        for r in range.rows() {
            let mut row: Vec<Cell> = (0..left).map(|_| Cell::Empty).collect();
            row.extend(r.iter().map(cell_of));
            rows.push(row);
        }
        return Ok(Table {
            rows,
            sheet: Some(name),
        });
    }
    Ok(Table {
        rows: Vec::new(),
        sheet: None,
    })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(m) => Cell::Moment(m),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Empty,
    }
}

/// Text in the encoding it came in: UTF-8 when it is valid UTF-8 (a BOM is dropped), else
/// GB18030, the superset of the GBK that Chinese Excel writes.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// The delimiter of CSV text: the one of comma, tab and semicolon that splits its first lines
/// most evenly.
fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| {
            lines
                .iter()
                .map(|l| l.bytes().filter(|b| b == d).count())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(b',')
}

fn read_text(bytes: &[u8]) -> Result<Table> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        rows.push(
            record
                .iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Table { rows, sheet: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_utf8_with_or_without_bom_read_the_same() {
        let text = "客户姓名,手机号码\n王芳,13800138000\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        for bytes in [text.as_bytes().to_vec(), bom, gbk.into_owned()] {
            let t = read_text(&bytes).unwrap();
            assert_eq!(t.rows[0][0], Cell::Text("客户姓名".into()));
            assert_eq!(t.rows[1][1], Cell::Text("13800138000".into()));
        }
        let tabs = read_text("姓名\t手机\n李娜\t139 0000 1111\n".as_bytes()).unwrap();
        assert_eq!(tabs.rows[1][1], Cell::Text("139 0000 1111".into()));
        assert_eq!(number_text(13800138000.0), "13800138000");
        assert_eq!(number_text(2.5), "2.5");
    }
}
