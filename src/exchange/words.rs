//! The words a spreadsheet uses: column headers and the labels of values, in the advisor's
//! language, from the same catalog the window and the command line speak from; and the other
//! words bank systems write for the same things, so a file from elsewhere reads as well.

use serde_json::Value;
use std::sync::OnceLock;

const ZH_CN: &str = include_str!("../../assets/messages/zh-CN.json");
const EN: &str = include_str!("../../assets/messages/en.json");

/// The language of a file Rapport writes: its headers, sheet names and value labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Language {
    /// 简体中文.
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// The language named `zh-CN`/`zh` or `en` (any case); Chinese for anything else.
    pub fn from_tag(tag: &str) -> Language {
        if tag.to_ascii_lowercase().starts_with("en") {
            Language::En
        } else {
            Language::ZhCn
        }
    }
}

fn catalog(language: Language) -> &'static Value {
    static ZH: OnceLock<Value> = OnceLock::new();
    static E: OnceLock<Value> = OnceLock::new();
    let (cell, text) = match language {
        Language::ZhCn => (&ZH, ZH_CN),
        Language::En => (&E, EN),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or(Value::Null))
}

/// The label of a field (a column header), falling back to its key.
pub fn field(language: Language, key: &str) -> &'static str {
    catalog(language)["field"][key]
        .as_str()
        .unwrap_or_else(|| leak(key))
}

/// The label of a value of a vocabulary (`tier`, `private`) → 私行 / Private.
pub fn value(language: Language, vocabulary: &str, key: &str) -> &'static str {
    catalog(language)["values"][vocabulary][key]
        .as_str()
        .unwrap_or_else(|| leak(key))
}

/// A sheet's name.
pub fn sheet(language: Language, key: &str) -> &'static str {
    catalog(language)["sheet"][key]
        .as_str()
        .unwrap_or_else(|| leak(key))
}

/// A vocabulary's words in `language`: each key with its label, in the catalog's order.
pub fn labels_in(language: Language, vocabulary: &str) -> Vec<(&'static str, &'static str)> {
    catalog(language)["values"][vocabulary]
        .as_object()
        .map(|map| {
            map.iter()
                .filter_map(|(key, label)| Some((key.as_str(), label.as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Every label of a vocabulary in both languages, with the key each stands for.
pub fn labels(vocabulary: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for language in [Language::ZhCn, Language::En] {
        if let Some(map) = catalog(language)["values"][vocabulary].as_object() {
            for (key, label) in map {
                if let Some(label) = label.as_str() {
                    out.push((leak(label), key.clone()));
                }
            }
        }
    }
    out
}

/// Keys are static names in the code; a label missing from the catalog falls back to the key
/// itself. The set is small and fixed, so keeping them for the life of the program costs nothing.
fn leak(key: &str) -> &'static str {
    static KEYS: OnceLock<std::sync::Mutex<Vec<&'static str>>> = OnceLock::new();
    let keys = KEYS.get_or_init(Default::default);
    let mut keys = keys.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = keys.iter().find(|k| **k == key) {
        return k;
    }
    let k: &'static str = Box::leak(key.to_string().into_boxed_str());
    keys.push(k);
    k
}

/// Fold a word for matching: full-width forms to ASCII, lower case, no spaces or punctuation.
pub fn fold(text: &str) -> String {
    crate::book::values::fold_width(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Other words bank systems and spreadsheets use for a vocabulary's values, beside the
/// catalog's labels and the keys themselves.
pub fn synonyms(vocabulary: &str) -> &'static [(&'static str, &'static str)] {
    match vocabulary {
        "gender" => &[
            ("男性", "male"),
            ("女性", "female"),
            ("m", "male"),
            ("f", "female"),
        ],
        "kind" => &[
            ("个人客户", "person"),
            ("对私", "person"),
            ("企业客户", "enterprise"),
            ("对公", "enterprise"),
            ("公司", "enterprise"),
        ],
        "tier" => &[
            ("私人银行", "private"),
            ("私银", "private"),
            ("私行客户", "private"),
            ("privatebanking", "private"),
            ("贵宾客户", "vip"),
            ("高端客户", "high"),
            ("高净值", "high"),
            ("大众客户", "mass"),
            ("普通", "mass"),
            ("普通客户", "mass"),
        ],
        "risk" => &[
            ("保守型", "C1"),
            ("保守", "C1"),
            ("谨慎型", "C1"),
            ("稳健型", "C2"),
            ("稳健", "C2"),
            ("平衡型", "C3"),
            ("平衡", "C3"),
            ("成长型", "C4"),
            ("成长", "C4"),
            ("进取型", "C5"),
            ("进取", "C5"),
            ("激进型", "C5"),
            ("conservative", "C1"),
            ("cautious", "C2"),
            ("balanced", "C3"),
            ("growth", "C4"),
            ("aggressive", "C5"),
        ],
        "stage" => &[
            ("潜在", "prospect"),
            ("新客", "new"),
            ("稳定", "stable"),
            ("成熟", "mature"),
            ("流失风险客户", "at_risk"),
            ("流失", "lost"),
        ],
        "segment" => &[
            ("企业主", "entrepreneur"),
            ("全职妈妈", "homemaker"),
            ("退休", "retiree"),
            ("退休人士", "retiree"),
            ("白领", "professional"),
        ],
        "calendar" => &[
            ("阳历", "solar"),
            ("新历", "solar"),
            ("阴历", "lunar"),
            ("旧历", "lunar"),
        ],
        "yes_no" => &[
            ("y", "yes"),
            ("n", "no"),
            ("true", "yes"),
            ("false", "no"),
            ("1", "yes"),
            ("0", "no"),
            ("★", "yes"),
            ("√", "yes"),
            ("✓", "yes"),
            ("×", "no"),
        ],
        _ => &[],
    }
}

/// The key of a vocabulary's value written as `text` (a label in either language, a key, or a
/// word bank systems use), if any.
pub fn read_value(vocabulary: &str, text: &str) -> Option<String> {
    let want = fold(text);
    if want.is_empty() {
        return None;
    }
    let labelled = labels(vocabulary);
    labelled
        .iter()
        .map(|(label, key)| (fold(label), key.as_str()))
        .chain(labelled.iter().map(|(_, key)| (fold(key), key.as_str())))
        .chain(synonyms(vocabulary).iter().map(|(w, k)| (fold(w), *k)))
        .find(|(word, _)| *word == want)
        .map(|(_, key)| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_bank_systems_and_of_both_languages_read_as_the_same_values() {
        assert_eq!(read_value("tier", "私行").as_deref(), Some("private"));
        assert_eq!(read_value("tier", "私人银行").as_deref(), Some("private"));
        assert_eq!(read_value("tier", "VIP").as_deref(), Some("vip"));
        assert_eq!(read_value("tier", "贵宾").as_deref(), Some("vip"));
        assert_eq!(read_value("tier", "High-end").as_deref(), Some("high"));
        assert_eq!(read_value("risk", "稳健型").as_deref(), Some("C2"));
        assert_eq!(read_value("risk", "C4 成长型").as_deref(), Some("C4"));
        assert_eq!(read_value("risk", "c5").as_deref(), Some("C5"));
        assert_eq!(read_value("gender", "女").as_deref(), Some("female"));
        assert_eq!(read_value("gender", "Ｍ").as_deref(), Some("male"));
        assert_eq!(read_value("stage", "流失风险").as_deref(), Some("at_risk"));
        assert_eq!(read_value("tier", "金卡"), None);
        assert_eq!(field(Language::ZhCn, "phone"), "手机");
        assert_eq!(field(Language::En, "phone"), "Mobile");
        assert_eq!(value(Language::ZhCn, "tier", "private"), "私行");
    }
}
