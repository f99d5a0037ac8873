//! Property tests of the importers: whatever a spreadsheet holds, an import never panics and
//! never writes half; text of any kind (Chinese, emoji, quotes, commas, new lines, control
//! characters) comes back exactly as it went out through an export.

use chrono::NaiveDate;
use proptest::prelude::*;
use rapport::clients::{self, ClientInput};
use rapport::exchange::import::{self, ImportOptions};
use rapport::exchange::words::Language;
use rapport::exchange::xlsx::{self, ExportSpec};
use rapport::{Book, Error};
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn all() -> rapport::clients::ClientQuery {
    rapport::clients::ClientQuery {
        tier: None,
        stage: None,
        segment: None,
        risk: None,
        grade: None,
        starred_only: false,
        sort: rapport::clients::SortKey::Name,
        descending: false,
        offset: 0,
        limit: 500,
    }
}

/// Text an advisor (or a bank system) might put in a cell.
fn cell_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("王".to_string()),
            Just("欧阳".to_string()),
            Just("😀".to_string()),
            Just(",".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just(";".to_string()),
            Just("\\".to_string()),
            Just(" ".to_string()),
            Just("=SUM(A1)".to_string()),
            Just("Ｆｕｌｌ".to_string()),
            "[a-zA-Z0-9]{1,4}",
            "\\PC{1,3}",
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn names_and_notes_of_any_text_survive_an_export_and_an_import(name in cell_text(), note in cell_text()) {
        let dir = TempDir::new().unwrap();
        let mut from = Book::open(&dir.path().join("from.rapport")).unwrap();
        let input = ClientInput { name: name.clone(), notes: Some(note.clone()), ..Default::default() };
        // What the client form refuses (a blank name, a control character) is not exported.
        let Ok(saved) = clients::create(&mut from, &input, today()) else { return Ok(()) };
        let file = dir.path().join("x.xlsx");
        let spec = ExportSpec { query: all(), sheets: vec![], language: Language::ZhCn };
        xlsx::export(&from, &spec, &file, &mut |_, _| {}).unwrap();
        let mut to = Book::open(&dir.path().join("to.rapport")).unwrap();
        let report = import::import(&mut to, &file, &ImportOptions::default(), today(), &mut |_, _| {}).unwrap();
        prop_assert!(report.refused.is_empty(), "{:?}", report.refused);
        let back = clients::get(&to, 1).unwrap();
        prop_assert_eq!(back.name, saved.name);
        prop_assert_eq!(back.notes, saved.notes);
    }

    #[test]
    fn any_bytes_as_a_csv_are_read_or_refused_and_never_half_written(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("b.rapport")).unwrap();
        let file = dir.path().join("bank.csv");
        let mut content = "姓名,手机,出生日期,客户等级\n".as_bytes().to_vec();
        content.extend_from_slice(&bytes);
        std::fs::write(&file, &content).unwrap();
        match import::import(&mut book, &file, &ImportOptions::default(), today(), &mut |_, _| {}) {
            Ok(report) => {
                let n = clients::count(&book).unwrap();
                if report.applied {
                    prop_assert_eq!(n, report.created);
                } else {
                    prop_assert!(!report.refused.is_empty());
                    prop_assert_eq!(n, 0, "a refused import writes nothing");
                }
            }
            Err(e) => {
                prop_assert!(matches!(e, Error::Invalid { .. }), "{:?}", e);
                prop_assert_eq!(clients::count(&book).unwrap(), 0);
            }
        }
    }
}
