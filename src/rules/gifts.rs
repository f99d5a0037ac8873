//! 礼品: checks on a planned gift (repeats, personal and common taboos, the quality the person
//! expects) and ideas for one.
//!
//! Plain inputs: the person's past gifts, recorded taboos and expected quality come from the
//! book, the common list from [`common_taboos`] (the advisor may edit and store their own copy).
//!
//! Taboos are matched by what they are about, word by word:
//! - A taboo is written as advisors write it: 不喝酒, 不吃海鲜, 对芒果过敏, 忌讳送钟表. The
//!   negation, allergy and verb words are dropped ([`taboo_subjects`]), leaving 酒, 海鲜, 芒果,
//!   钟表.
//! - The gift's name is cut into words by a Chinese segmenter (jieba), and Latin words are kept
//!   whole: "Pearl necklace" is the words pearl and necklace, so the pear (梨) taboo never fires
//!   inside it.
//! - A subject of two or more characters hits a word containing it (芒果 in 芒果干) or a run of
//!   whole words spelling it; a subject of one character hits a word ending in it, as a Chinese
//!   compound ends in the thing it names (红酒 and 座钟 are wines and clocks; 酒店 is no wine).
//! - A few subjects name a kind of thing (酒, 海鲜, 钟表 …): [`CATEGORIES`] lists what falls
//!   under each (茅台 is a 酒, 鲍鱼 a 海鲜), since no character of those names gives it away.

use crate::book::values::{format_yuan, GiftQuality};
use chrono::NaiveDate;
use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use ts_rs::TS;

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
        taboo(
            "钟",
            &["钟", "钟表", "clock"],
            "送钟谐音\"送终\", 大忌, 尤其对长辈",
        ),
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

/// Kinds of things a taboo may name, with the words that fall under each. A gift word
/// containing one of the words (or, for the kind's own name, ending in it) is of that kind.
pub const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "酒",
        &[
            "红酒",
            "白酒",
            "葡萄酒",
            "啤酒",
            "黄酒",
            "米酒",
            "果酒",
            "清酒",
            "洋酒",
            "香槟",
            "茅台",
            "五粮液",
            "汾酒",
            "威士忌",
            "白兰地",
            "伏特加",
            "干红",
            "干白",
            "wine",
            "whisky",
            "whiskey",
            "beer",
            "champagne",
            "baijiu",
            "brandy",
            "vodka",
            "sake",
            "liquor",
            "moutai",
        ],
    ),
    (
        "海鲜",
        &[
            "虾",
            "蟹",
            "鲍鱼",
            "海参",
            "扇贝",
            "生蚝",
            "牡蛎",
            "鱼翅",
            "干贝",
            "鱿鱼",
            "海胆",
            "三文鱼",
            "带鱼",
            "黄鱼",
            "海鱼",
            "seafood",
            "shrimp",
            "prawn",
            "crab",
            "lobster",
            "abalone",
            "oyster",
            "scallop",
        ],
    ),
    ("钟表", &["钟", "手表", "腕表", "怀表", "clock", "watch"]),
    ("钟", &["钟表", "clock"]),
    ("梨", &["梨膏", "pear"]),
    (
        "花粉",
        &[
            "鲜花", "花束", "花篮", "花卉", "插花", "盆花", "bouquet", "flower",
        ],
    ),
    (
        "烟",
        &[
            "香烟",
            "雪茄",
            "烟草",
            "烟斗",
            "cigar",
            "cigarette",
            "tobacco",
        ],
    ),
    (
        "素食",
        &[
            "肉", "火腿", "香肠", "腊味", "牛排", "海鲜", "燕窝", "鸡", "鸭", "鹅", "鱼", "虾",
            "蟹", "ham", "beef", "steak", "sausage",
        ],
    ),
    ("辣", &["辣椒", "麻辣", "火锅底料"]),
    (
        "甜食",
        &[
            "糖",
            "巧克力",
            "蛋糕",
            "甜点",
            "月饼",
            "chocolate",
            "cake",
            "candy",
        ],
    ),
];

/// Words a taboo phrase uses to say no (不喝, 忌讳, 过敏 …): they are not what it is about.
const TABOO_WORDS: &[&str] = &[
    "不",
    "没",
    "别",
    "勿",
    "莫",
    "禁",
    "忌",
    "忌讳",
    "忌口",
    "禁忌",
    "讨厌",
    "反感",
    "害怕",
    "怕",
    "不要",
    "不能",
    "不可",
    "不宜",
    "不会",
    "不喜欢",
    "不爱",
    "不吃",
    "不喝",
    "不抽",
    "不戴",
    "不用",
    "不收",
    "不送",
    "戒",
    "戒掉",
    "戒了",
    "过敏",
    "过敏者",
    "过敏史",
    "对",
    "送",
    "赠送",
    "吃",
    "喝",
    "抽",
    "戴",
    "用",
    "收",
    "喜欢",
    "爱",
    "的",
    "之类",
    "类",
    "等",
    "任何",
    "一切",
    "所有",
    "数字",
    "东西",
    "礼物",
    "礼品",
    "物品",
    "一般",
    "也",
    "都",
    "很",
    "特别",
    "尤其",
    "有",
    "是",
    "会",
    "了",
    "和",
    "及",
    "与",
    "或",
    "或者",
    "以及",
    "还有",
    "因为",
    "所以",
    "no",
    "not",
    "never",
    "don't",
    "dont",
    "doesn't",
    "doesnt",
    "avoid",
    "avoids",
    "allergic",
    "allergy",
    "to",
    "any",
    "the",
    "a",
    "an",
    "of",
    "drink",
    "drinks",
    "eat",
    "eats",
    "wear",
    "wears",
    "like",
    "likes",
    "dislikes",
    "and",
    "or",
];

/// Verbs a segmenter may leave at the front of a word (喝酒, 吃海鲜, 送钟): the thing is what
/// follows.
const LEADING_VERBS: &[char] = &['喝', '吃', '抽', '戴', '送', '用', '碰', '闻'];

/// Words too general to be a taboo on their own (不喜欢白色包装 is about white wrapping, not
/// every wrapping); they only count together with the words before them.
const GENERIC: &[&str] = &[
    "包装", "颜色", "礼盒", "产品", "食品", "味道", "东西", "款式",
];

/// The one segmenter of the process, with its dictionary loaded on first use.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Full-width forms folded to ASCII and letters lowered, spaces kept (they part Latin words).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// A text cut into words: Chinese by the segmenter, Latin and digit runs whole, punctuation and
/// spaces dropped. Lowercase, full-width folded.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    JIEBA
        .cut(&folded, false)
        .into_iter()
        .map(|t| t.word.trim().to_string())
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .map(|w| {
            // Apostrophes belong to Latin words (don't); other punctuation glued on is dropped.
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// What a recorded taboo is about: 不喝酒 → 酒, 不吃海鲜 → 海鲜, 对芒果过敏 → 芒果,
/// 忌讳送钟表 → 钟表, "allergic to mango" → mango. Several things (芒果、榴莲) give several;
/// a general word keeps the words before it (白色包装).
pub fn taboo_subjects(taboo: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in fold(taboo).split(['、', '，', ',', ';', '；', '/', '／', '\n', '。']) {
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, out: &mut Vec<String>| {
            if run.is_empty() {
                return;
            }
            let joined: String = run.concat();
            for w in run.iter() {
                if !GENERIC.contains(&w.as_str()) {
                    out.push(w.clone());
                }
            }
            if run.len() > 1 && run.iter().any(|w| GENERIC.contains(&w.as_str())) {
                out.push(joined);
            } else if run.len() == 1 && GENERIC.contains(&run[0].as_str()) {
                out.push(run[0].clone());
            }
            run.clear();
        };
        for w in words(part) {
            if TABOO_WORDS.contains(&w.as_str()) {
                flush(&mut run, &mut out);
                continue;
            }
            let w = strip_leading_verb(&w);
            // A trailing 过敏 glued on by the segmenter (芒果过敏) is the allergy, not the thing.
            let w = w
                .strip_suffix("过敏")
                .filter(|r| !r.is_empty())
                .unwrap_or(&w)
                .to_string();
            if w.chars().all(|c| c.is_alphabetic() && !is_cjk(c)) && w.chars().count() < 3 {
                // Latin scraps (a, of) are no subject.
                flush(&mut run, &mut out);
                continue;
            }
            run.push(w);
        }
        flush(&mut run, &mut out);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| !s.is_empty() && seen.insert(s.clone()));
    out
}

fn strip_leading_verb(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if LEADING_VERBS.contains(&c) && w.chars().count() >= 2 => {
            let rest: String = chars.collect();
            if rest.chars().all(is_cjk) {
                return rest;
            }
            w.to_string()
        }
        _ => w.to_string(),
    }
}

/// Whether a Latin word is `key` or its plural.
fn latin_hit(word: &str, key: &str) -> bool {
    word == key || word.strip_suffix('s') == Some(key) || word.strip_suffix("es") == Some(key)
}

/// Whether the gift, as `words`, is about `subject` (one word or a phrase), and which word of
/// the gift it was.
fn plain_hit(subject: &str, words: &[String]) -> Option<String> {
    let latin = subject.chars().any(|c| c.is_ascii_alphabetic());
    if latin {
        // "green hat": the subject's words, in a row.
        let keys: Vec<&str> = subject.split_whitespace().collect();
        return words
            .windows(keys.len().max(1))
            .find(|win| win.iter().zip(&keys).all(|(w, k)| latin_hit(w, k)))
            .map(|win| win.join(" "));
    }
    if subject.chars().all(|c| c.is_ascii_digit()) {
        return words.iter().find(|w| *w == subject).cloned();
    }
    let one = subject.chars().count() == 1;
    for (i, w) in words.iter().enumerate() {
        let hit = if one {
            w.ends_with(subject)
        } else {
            w.contains(subject)
        };
        if hit {
            return Some(w.clone());
        }
        // A phrase the segmenter cut in two: 白色 + 包装.
        if !one {
            let mut joined = String::new();
            for next in &words[i..] {
                joined.push_str(next);
                if joined == subject {
                    return Some(joined);
                }
                if !subject.starts_with(&joined) {
                    break;
                }
            }
        }
    }
    None
}

/// Whether the gift, as `words`, is about `subject`, counting the words of its kind
/// ([`CATEGORIES`]); returns the gift's word that hit.
pub fn hits(subject: &str, words: &[String]) -> Option<String> {
    if let Some(w) = plain_hit(subject, words) {
        return Some(w);
    }
    let (_, members) = CATEGORIES.iter().find(|(name, _)| *name == subject)?;
    members.iter().find_map(|m| {
        if m.chars().any(|c| c.is_ascii_alphabetic()) {
            plain_hit(m, words)
        } else {
            words.iter().find(|w| w.contains(m)).cloned()
        }
    })
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

/// Which side of the expected quality a gift's cost falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Side {
    /// Far cheaper than the person expects.
    Below,
    /// Far dearer than the person expects (a burden to accept, or a compliance question).
    Above,
}

/// Why a planned gift needs a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum GiftWarning {
    /// The same gift was given before.
    Repeat {
        /// The earlier gift.
        previous: String,
        /// When it was given.
        #[ts(type = "string")]
        given_on: NaiveDate,
        /// Explanation.
        reason: String,
    },
    /// Close to an earlier gift (one name contains the other).
    SimilarToPast {
        /// The earlier gift.
        previous: String,
        /// When it was given.
        #[ts(type = "string")]
        given_on: NaiveDate,
        /// Explanation.
        reason: String,
    },
    /// Hits a taboo recorded for this person.
    PersonalTaboo {
        /// The recorded taboo, as written.
        taboo: String,
        /// What the taboo is about (酒 for 不喝酒).
        subject: String,
        /// The word of the gift that hit it.
        matched: String,
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
    /// The cost falls far from the quality the person expects.
    Quality {
        /// The expected quality.
        expected: GiftQuality,
        /// The planned cost, in fen.
        #[ts(type = "number")]
        cost_fen: i64,
        /// Below or above the band.
        side: Side,
        /// Explanation.
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
            | GiftWarning::UnluckyQuantity { reason, .. }
            | GiftWarning::Quality { reason, .. } => reason,
        }
    }
}

/// Lowercase, full-width ASCII folded to half-width, whitespace and common punctuation dropped,
/// so "西湖 龙井" and "西湖龙井" compare equal.
pub fn normalize(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"·・-_,，、.。()（）【】[]\"'“”‘’".contains(*c))
        .collect()
}

/// Whether one gift name holds the other as whole words: Chinese by characters, Latin words
/// never cut (a pear is not in "pearl").
fn holds(longer: &[String], shorter: &[String]) -> bool {
    let long = longer.concat();
    let short = shorter.concat();
    if short.chars().count() < 2 || !long.contains(&short) {
        return false;
    }
    // Latin words of the shorter must each be a whole word of the longer.
    shorter
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .all(|w| longer.iter().any(|l| l == w))
}

/// Everything known about a planned gift and its person, for [`check`].
#[derive(Debug, Clone, Default)]
pub struct GiftCheck<'a> {
    /// The gift's name.
    pub item: &'a str,
    /// How many pieces, if it matters.
    pub quantity: Option<u32>,
    /// What it costs, in fen, if known.
    pub cost_fen: Option<i64>,
    /// Gifts already given to this person.
    pub past: &'a [PastGift],
    /// Taboos recorded for this person, as written.
    pub taboos: &'a [String],
    /// The quality of gift this person expects.
    pub expected: Option<GiftQuality>,
    /// The common taboos in force.
    pub common: &'a [CommonTaboo],
}

/// Check a planned gift for one person. `quantity` is how many pieces, if it matters.
pub fn check_gift(
    item: &str,
    quantity: Option<u32>,
    past: &[PastGift],
    personal_taboos: &[String],
    common: &[CommonTaboo],
) -> Vec<GiftWarning> {
    check(&GiftCheck {
        item,
        quantity,
        past,
        taboos: personal_taboos,
        common,
        ..Default::default()
    })
}

/// How far outside the expected band a cost may fall before it is worth a word: half the low
/// end, twice the high end.
const FAR: i64 = 2;

/// Check a planned gift for one person: repeats, their taboos, the common taboos, an unlucky
/// quantity and a cost far from what they expect.
pub fn check(c: &GiftCheck) -> Vec<GiftWarning> {
    let planned = normalize(c.item);
    let mut out = Vec::new();
    if planned.is_empty() {
        return out;
    }
    let gift_words = words(c.item);
    for g in c.past {
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
        } else {
            let prev_words = words(&g.item);
            if holds(&gift_words, &prev_words) || holds(&prev_words, &gift_words) {
                out.push(GiftWarning::SimilarToPast {
                    previous: g.item.clone(),
                    given_on: g.given_on,
                    reason: format!("与 {} 送过的\"{}\"相近", g.given_on, g.item),
                });
            }
        }
    }
    for t in c.taboos {
        let hit = taboo_subjects(t)
            .into_iter()
            .find_map(|s| hits(&s, &gift_words).map(|w| (s, w)));
        if let Some((subject, matched)) = hit {
            out.push(GiftWarning::PersonalTaboo {
                taboo: t.clone(),
                reason: format!("此人记录的禁忌: {t} (\"{matched}\"即{subject})"),
                subject,
                matched,
            });
        }
    }
    for t in c.common {
        if let Some(k) = t.keywords.iter().find(|k| {
            let k = fold(k).trim().to_string();
            !k.is_empty() && hits(&k, &gift_words).is_some()
        }) {
            out.push(GiftWarning::CommonTaboo {
                label: t.label.clone(),
                keyword: k.clone(),
                reason: t.reason.clone(),
            });
        }
    }
    if let Some(q) = c.quantity.filter(|q| UNLUCKY_QUANTITIES.contains(q)) {
        out.push(GiftWarning::UnluckyQuantity {
            quantity: q,
            reason: "数字4谐音\"死\", 礼品数量避免成4".into(),
        });
    }
    if let (Some(expected), Some(cost)) = (c.expected, c.cost_fen) {
        let (low, high) = expected.band_fen();
        let side = if cost * FAR < low {
            Some(Side::Below)
        } else if high.is_some_and(|h| cost > h * FAR) {
            Some(Side::Above)
        } else {
            None
        };
        if let Some(side) = side {
            let band = match high {
                Some(h) => format!("¥{}–{}", format_yuan(low), format_yuan(h)),
                None => format!("¥{} 以上", format_yuan(low)),
            };
            let how = match side {
                Side::Below => "远低于",
                Side::Above => "远高于",
            };
            out.push(GiftWarning::Quality {
                expected,
                cost_fen: cost,
                side,
                reason: format!(
                    "¥{} {how}此人期望的{}档次 ({band})",
                    format_yuan(cost),
                    expected.label_zh()
                ),
            });
        }
    }
    out
}

/// A gift idea for a person, with why it fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GiftIdea {
    /// The gift.
    pub gift: String,
    /// Why it fits this person.
    pub why: String,
}

/// What is known of a person that suggests a gift.
#[derive(Debug, Clone, Default)]
pub struct IdeaSource<'a> {
    /// Likes, as written (structured likes and the free-text field).
    pub likes: &'a [String],
    /// Hobbies, as written.
    pub hobbies: Option<&'a str>,
    /// The solar birthday, when known (for a coin with its digits).
    pub birthday: Option<NaiveDate>,
    /// Notes on the person's children (a target university …).
    pub children_notes: &'a [String],
    /// The person has family on record (a frame with family photos).
    pub has_family: bool,
    /// Age in years, when known (a health-check package for older clients).
    pub age: Option<i32>,
}

/// Likes and hobbies that suggest a gift: (word in the like, gift, why).
const LIKE_IDEAS: &[(&str, &str, &str)] = &[
    ("普洱", "一饼陈年普洱茶", "喜欢普洱茶"),
    ("茶", "家乡产的明前新茶", "喜欢喝茶"),
    ("纪念币", "生肖纪念币套装", "喜欢收藏纪念币"),
    ("围巾", "印有英文名的真丝围巾", "喜欢围巾"),
    ("丝巾", "印有英文名的真丝丝巾", "喜欢丝巾"),
    ("字画", "名家书法小品", "喜欢字画"),
    ("书法", "一套好的文房四宝", "喜欢书法"),
    ("体检", "高端健康体检套餐", "在意健康体检"),
    ("相框", "放全家福的精美相框", "喜欢家人合影"),
    ("摄影", "定制摄影作品集相册", "喜欢摄影"),
    ("高尔夫", "高尔夫球礼盒", "喜欢高尔夫"),
    ("钓鱼", "一套好的钓具", "喜欢钓鱼"),
    ("瑜伽", "瑜伽垫与课程卡", "喜欢瑜伽"),
    ("插花", "花艺课程体验券", "喜欢插花"),
    ("水果", "当季进口水果礼盒", "喜欢水果"),
    ("腊肉", "家乡风味腊肉礼盒", "喜欢家乡的腊肉"),
    ("太极", "太极扇练功服套装", "喜欢太极拳"),
    ("围棋", "云子围棋一副", "喜欢围棋"),
    ("京剧", "京剧演出门票", "喜欢京剧"),
    ("旅游", "旅行收纳套装", "喜欢旅游"),
];

/// Ideas for a gift from the person's likes and the habits of the best advisors (a coin with the
/// birthday digits, a frame for family photos, the child's target university brochure, a
/// health-check package). Only suggestions: the advisor picks, and [`check`] still applies.
pub fn ideas(src: &IdeaSource) -> Vec<GiftIdea> {
    let mut out: Vec<GiftIdea> = Vec::new();
    let mut push = |gift: String, why: String| {
        if !out.iter().any(|i| i.gift == gift) {
            out.push(GiftIdea { gift, why });
        }
    };
    let liked: Vec<&str> = src
        .likes
        .iter()
        .map(String::as_str)
        .chain(src.hobbies)
        .collect();
    for (word, gift, why) in LIKE_IDEAS {
        if liked.iter().any(|l| l.contains(word)) {
            push(gift.to_string(), why.to_string());
        }
    }
    if let Some(b) = src.birthday {
        push(
            format!("印有生日数字 {} 的纪念币", b.format("%m%d")),
            "生日数字独一无二, 用心可见".into(),
        );
    }
    for note in src.children_notes {
        if let Some(school) = target_school(note) {
            push(
                format!("{school}的介绍手册"),
                "孩子的目标院校, 家长最上心".into(),
            );
        }
    }
    // A frame already suggested by their likes is not offered twice.
    if src.has_family && !liked.iter().any(|l| l.contains("相框")) {
        push("放全家福的相框".into(), "家人合影最暖心".into());
    }
    if src.age.is_some_and(|a| a >= 55) {
        push("健康体检套餐".into(), "长辈最看重健康".into());
    }
    out
}

/// The school named in a child's note ("目标大学：复旦大学", "目标院校：伦敦政经"), or the
/// country of study ("明年去英国读研" → 英国名校).
fn target_school(note: &str) -> Option<String> {
    for key in ["目标大学", "目标院校", "目标学校"] {
        if let Some(rest) = note.split_once(key).map(|(_, r)| r) {
            let name: String = rest
                .trim_start_matches([':', '：', ' ', '是'])
                .chars()
                .take_while(|c| !matches!(c, '，' | ',' | '。' | '；' | ';' | ' '))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    for country in [
        "英国",
        "美国",
        "澳大利亚",
        "加拿大",
        "新加坡",
        "日本",
        "香港",
    ] {
        if note.contains(country) && (note.contains("读") || note.contains("留学")) {
            return Some(format!("{country}目标院校"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Vec<String> {
        words(text)
    }

    #[test]
    fn a_taboo_is_about_the_thing_it_names() {
        for (taboo, subject) in [
            ("不喝酒", "酒"),
            ("不吃海鲜", "海鲜"),
            ("对芒果过敏", "芒果"),
            ("忌讳送钟表", "钟表"),
            ("芒果", "芒果"),
            ("对花粉过敏", "花粉"),
            ("allergic to mango", "mango"),
            ("不抽烟", "烟"),
        ] {
            let subjects = taboo_subjects(taboo);
            assert!(
                subjects.iter().any(|s| s == subject),
                "{taboo}: {subjects:?}"
            );
        }
        assert_eq!(taboo_subjects("芒果、榴莲"), ["芒果", "榴莲"]);
        assert!(taboo_subjects("不喜欢白色包装").contains(&"白色包装".to_string()));
        assert!(!taboo_subjects("不喜欢白色包装").contains(&"包装".to_string()));
    }

    #[test]
    fn words_of_a_kind_hit_the_kind() {
        for (subject, gift) in [
            ("酒", "红酒"),
            ("酒", "茅台礼盒"),
            ("酒", "Bordeaux wine"),
            ("海鲜", "海鲜礼盒"),
            ("海鲜", "鲍鱼礼盒"),
            ("海鲜", "阳澄湖大闸蟹"),
            ("芒果", "芒果干"),
            ("钟表", "座钟"),
            ("钟表", "瑞士手表"),
            ("钟", "挂钟"),
        ] {
            assert!(hits(subject, &w(gift)).is_some(), "{subject} / {gift}");
        }
        for (subject, gift) in [
            ("酒", "酒店住宿券"),
            ("海鲜", "上海鲜花饼"),
            ("pear", "Pearl necklace"),
            ("梨", "Pearl necklace"),
            ("钟", "纪念币"),
        ] {
            assert!(hits(subject, &w(gift)).is_none(), "{subject} / {gift}");
        }
    }

    #[test]
    fn a_cost_far_from_the_expected_quality_is_told() {
        let common = common_taboos();
        let at = |cost: i64, q: GiftQuality| {
            check(&GiftCheck {
                item: "丝巾",
                cost_fen: Some(cost),
                expected: Some(q),
                common: &common,
                ..Default::default()
            })
        };
        assert!(matches!(
            &at(30_000, GiftQuality::Premium)[..],
            [GiftWarning::Quality {
                side: Side::Below,
                ..
            }]
        ));
        assert!(at(50_000, GiftQuality::Premium).is_empty());
        assert!(matches!(
            &at(500_000, GiftQuality::Economy)[..],
            [GiftWarning::Quality {
                side: Side::Above,
                ..
            }]
        ));
        assert!(at(10_000_000, GiftQuality::Luxury).is_empty());
        assert!(at(100, GiftQuality::Economy).is_empty());
    }

    #[test]
    fn ideas_come_from_likes_birthdays_and_children() {
        let likes = vec!["喜欢普洱茶".to_string()];
        let kids = vec!["目标大学：复旦大学".to_string()];
        let got = ideas(&IdeaSource {
            likes: &likes,
            birthday: NaiveDate::from_ymd_opt(1980, 5, 2),
            children_notes: &kids,
            has_family: true,
            age: Some(60),
            ..Default::default()
        });
        let gifts: Vec<&str> = got.iter().map(|i| i.gift.as_str()).collect();
        assert!(gifts.contains(&"一饼陈年普洱茶"), "{gifts:?}");
        assert!(gifts.contains(&"印有生日数字 0502 的纪念币"), "{gifts:?}");
        assert!(gifts.contains(&"复旦大学的介绍手册"), "{gifts:?}");
        assert!(gifts.contains(&"放全家福的相框"), "{gifts:?}");
        assert!(gifts.contains(&"健康体检套餐"), "{gifts:?}");
    }
}
