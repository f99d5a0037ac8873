//! 礼品: checks on a planned gift (repeats, personal and common taboos).
//!
//! Plain inputs: the person's past gifts and recorded taboos come from the book, the common
//! list from [`common_taboos`] (the advisor may edit and store their own copy).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A common gift taboo: any keyword found in the gift's name triggers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonTaboo {
    /// Short label (钟, 伞 …).
    pub label: String,
    /// Words that name the item, Chinese and English.
    pub keywords: Vec<String>,
    /// Why it is taboo, to show the advisor.
    pub reason: String,
}

fn taboo(label: &str, keywords: &[&str], reason: &str) -> CommonTaboo {
    CommonTaboo {
        label: label.into(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        reason: reason.into(),
    }
}

/// The built-in list of common Chinese gift taboos; a starting point the advisor can edit.
pub fn common_taboos() -> Vec<CommonTaboo> {
    vec![
        taboo("钟", &["钟", "clock"], "送钟谐音\"送终\", 大忌, 尤其对长辈"),
        taboo("伞", &["伞", "umbrella"], "伞谐音\"散\", 寓意分离"),
        taboo("梨", &["梨", "pear"], "梨谐音\"离\", 寓意分离"),
        taboo(
            "刀剪",
            &["刀", "剪", "knife", "knives", "scissors"],
            "刀剪等利器寓意\"一刀两断\", 割断关系",
        ),
        taboo("鞋", &["鞋", "shoe"], "鞋谐音\"邪\", 也有送人远走之意"),
        taboo(
            "菊花",
            &["菊花", "白菊", "黄菊", "chrysanthemum"],
            "菊花多用于祭奠, 不宜送人",
        ),
        taboo(
            "手帕",
            &["手帕", "手绢", "handkerchief"],
            "手帕用于拭泪, 寓意诀别",
        ),
        taboo("镜子", &["镜子", "mirror"], "镜子易碎, 有\"破镜\"之忌"),
        taboo(
            "扇子",
            &["扇子", "折扇", "团扇"],
            "扇谐音\"散\", 夏天过后即被弃置",
        ),
        taboo("蜡烛", &["蜡烛", "白烛", "candle"], "蜡烛多用于祭奠"),
        taboo(
            "绿帽子",
            &["绿帽", "绿色帽", "green hat"],
            "绿帽子寓意妻子不忠, 极为冒犯",
        ),
        taboo(
            "药品",
            &["药品", "药物", "medicine"],
            "送药寓意对方有病 (保健品另当别论)",
        ),
    ]
}

/// Quantities with an unlucky sound: 4 sounds like 死.
pub const UNLUCKY_QUANTITIES: [u32; 1] = [4];

/// A gift already given to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastGift {
    /// What was given.
    pub item: String,
    /// When.
    pub given_on: NaiveDate,
}

/// Why a planned gift needs a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GiftWarning {
    /// The same gift was given before.
    Repeat {
        /// The earlier gift.
        previous: String,
        /// When it was given.
        given_on: NaiveDate,
        /// Explanation.
        reason: String,
    },
    /// Close to an earlier gift (one name contains the other).
    SimilarToPast {
        /// The earlier gift.
        previous: String,
        /// When it was given.
        given_on: NaiveDate,
        /// Explanation.
        reason: String,
    },
    /// Hits a taboo recorded for this person.
    PersonalTaboo {
        /// The recorded taboo.
        taboo: String,
        /// Explanation.
        reason: String,
    },
    /// Hits a common Chinese gift taboo.
    CommonTaboo {
        /// The taboo's label.
        label: String,
        /// The keyword found.
        keyword: String,
        /// Why it is taboo.
        reason: String,
    },
    /// An unlucky quantity.
    UnluckyQuantity {
        /// The quantity.
        quantity: u32,
        /// Why.
        reason: String,
    },
}

impl GiftWarning {
    /// The explanation shown to the advisor.
    pub fn reason(&self) -> &str {
        match self {
            GiftWarning::Repeat { reason, .. }
            | GiftWarning::SimilarToPast { reason, .. }
            | GiftWarning::PersonalTaboo { reason, .. }
            | GiftWarning::CommonTaboo { reason, .. }
            | GiftWarning::UnluckyQuantity { reason, .. } => reason,
        }
    }
}

/// Lowercase, full-width ASCII folded to half-width, whitespace and common punctuation dropped,
/// so "西湖 龙井" and "西湖龙井" compare equal.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !"·・-_,，、.。()（）【】[]\"'“”‘’".contains(*c))
        .collect()
}

/// Check a planned gift for one person. `quantity` is how many pieces, if it matters.
pub fn check_gift(
    item: &str,
    quantity: Option<u32>,
    past: &[PastGift],
    personal_taboos: &[String],
    common: &[CommonTaboo],
) -> Vec<GiftWarning> {
    let planned = normalize(item);
    let mut out = Vec::new();
    if planned.is_empty() {
        return out;
    }
    for g in past {
        let prev = normalize(&g.item);
        if prev.is_empty() {
            continue;
        }
        if prev == planned {
            out.push(GiftWarning::Repeat {
                previous: g.item.clone(),
                given_on: g.given_on,
                reason: format!("{} 已送过同样的礼物", g.given_on),
            });
        } else if prev.chars().count() >= 2
            && planned.chars().count() >= 2
            && (prev.contains(&planned) || planned.contains(&prev))
        {
            out.push(GiftWarning::SimilarToPast {
                previous: g.item.clone(),
                given_on: g.given_on,
                reason: format!("与 {} 送过的\"{}\"相近", g.given_on, g.item),
            });
        }
    }
    for t in personal_taboos {
        let key = normalize(t);
        // A taboo is usually a word ("芒果"); sometimes a phrase ("对芒果过敏") naming the item.
        let hit = !key.is_empty()
            && (planned.contains(&key) || (planned.chars().count() >= 2 && key.contains(&planned)));
        if hit {
            out.push(GiftWarning::PersonalTaboo {
                taboo: t.clone(),
                reason: format!("此人记录的禁忌: {t}"),
            });
        }
    }
    for t in common {
        if let Some(k) = t.keywords.iter().find(|k| {
            let k = normalize(k);
            !k.is_empty() && planned.contains(&k)
        }) {
            out.push(GiftWarning::CommonTaboo {
                label: t.label.clone(),
                keyword: k.clone(),
                reason: t.reason.clone(),
            });
        }
    }
    if let Some(q) = quantity.filter(|q| UNLUCKY_QUANTITIES.contains(q)) {
        out.push(GiftWarning::UnluckyQuantity {
            quantity: q,
            reason: "数字4谐音\"死\", 礼品数量避免成4".into(),
        });
    }
    out
}
