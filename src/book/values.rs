//! The closed vocabularies of the book (tier, stage, channel …) and the checks on free input.
//!
//! Enums are stored as short English words so the file stays readable in the `sqlite3` shell;
//! the UI shows them in the advisor's language.

use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the book.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parse the stored word.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::parse(text).ok_or_else(|| FromSqlError::Other(
                    format!("unknown {} value", stringify!($name)).into(),
                ))
            }
        }
    };
}

// The 12421 letter is the rules' own type; the book stores it as the letter.
impl ToSql for crate::rules::grading::Grade {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for crate::rules::grading::Grade {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        crate::rules::grading::Grade::parse(text)
            .ok_or_else(|| FromSqlError::Other("unknown grade".into()))
    }
}

text_enum!(
    /// Person or enterprise client (个人 / 企业).
    ClientKind { /// 个人客户
        Person = "person", /// 企业客户
        Enterprise = "enterprise" }
);
text_enum!(
    /// Gender, for greetings such as 妇女节.
    Gender { /// 男
        Male = "male", /// 女
        Female = "female" }
);
text_enum!(
    /// Tier by AUM (分层): 私行 / 贵宾 / 高端 / 大众.
    Tier { /// 私行
        Private = "private", /// 贵宾
        Vip = "vip", /// 高端
        High = "high", /// 大众
        Mass = "mass" }
);
text_enum!(
    /// Lifecycle stage (生命周期).
    Stage { /// 潜在客户
        Prospect = "prospect", /// 新客户
        New = "new", /// 稳定客户
        Stable = "stable", /// 成熟客户
        Mature = "mature", /// 流失风险客户
        AtRisk = "at_risk", /// 已流失
        Lost = "lost" }
);
text_enum!(
    /// Risk profile (风险偏好), C1 conservative … C5 aggressive.
    Risk { /// 保守型
        C1 = "C1", /// 稳健型
        C2 = "C2", /// 平衡型
        C3 = "C3", /// 成长型
        C4 = "C4", /// 进取型
        C5 = "C5" }
);
text_enum!(
    /// Salon segment (客群); a client may belong to several.
    Segment { /// 企业家
        Entrepreneur = "entrepreneur", /// 全职太太
        Homemaker = "homemaker", /// 富裕晚年
        Retiree = "retiree", /// 职场白领
        Professional = "professional" }
);
text_enum!(
    /// How a contact happened (沟通渠道).
    Channel { /// 面访
        Visit = "visit", /// 电话
        Phone = "phone", /// 微信
        Wechat = "wechat", /// 短信
        Sms = "sms", /// 邮件
        Email = "email", /// 沙龙
        Salon = "salon" }
);
text_enum!(
    /// A plain contact note or a complaint (投诉).
    ContactKind { /// 沟通记录
        Note = "note", /// 投诉
        Complaint = "complaint" }
);
text_enum!(
    /// A family member's relation to the client.
    Relation { /// 配偶
        Spouse = "spouse", /// 子女
        Child = "child", /// 父母
        Parent = "parent", /// 兄弟姐妹
        Sibling = "sibling", /// 其他
        Other = "other" }
);
text_enum!(
    /// The calendar a birthday is kept in: solar (公历) or lunar (农历).
    Calendar { /// 公历
        Solar = "solar", /// 农历
        Lunar = "lunar" }
);

text_enum!(
    /// What a recorded preference says about a person (喜好、禁忌、习惯、期望的礼品档次).
    PreferenceKind { /// 喜好
        Like = "like", /// 禁忌
        Taboo = "taboo", /// 习惯
        Habit = "habit", /// 期望的礼品档次
        Quality = "quality" }
);
text_enum!(
    /// The quality of gift a person expects, as a price band (see [`GiftQuality::band_fen`]).
    GiftQuality { /// 实惠 (under ¥200)
        Economy = "economy", /// 中档 (¥200–800)
        Standard = "standard", /// 高档 (¥800–3,000)
        Premium = "premium", /// 奢华 (over ¥3,000)
        Luxury = "luxury" }
);
text_enum!(
    /// The kind of product (产品类型).
    HoldingKind { /// 存款
        Deposit = "deposit", /// 理财
        Wealth = "wealth", /// 基金
        Fund = "fund", /// 保险
        Insurance = "insurance", /// 债券
        Bond = "bond", /// 其他
        Other = "other" }
);

text_enum!(
    /// Where a holding stands.
    HoldingStatus { /// 持有中
        Held = "held", /// 已到期
        Matured = "matured", /// 已赎回
        Redeemed = "redeemed", /// 已续作
        Renewed = "renewed" }
);

text_enum!(
    /// A warning sign.
    SignKind { /// 超出联系周期未联系
        NoContact = "no_contact", /// 资产下降
        AumDown = "aum_down", /// 到期未续作
        NotRenewed = "not_renewed", /// 投诉未解决
        Complaint = "complaint", /// 分级下降
        GradeFell = "grade_fell", /// 大额转出
        TransferOut = "transfer_out" }
);

text_enum!(
    /// Why a gift was given (送礼场合).
    Occasion { /// 生日
        Birthday = "birthday", /// 节日
        Festival = "festival", /// 沙龙
        Salon = "salon", /// 感谢
        Thanks = "thanks", /// 其他
        Other = "other" }
);
text_enum!(
    /// A line of the loyalty points ledger (积分): points earned or redeemed.
    PointsKind { /// 获得
        Earned = "earned", /// 兑换
        Redeemed = "redeemed" }
);

impl GiftQuality {
    /// The price band in fen, `(low, high)`; `None` means no bound on that side.
    pub fn band_fen(self) -> (i64, Option<i64>) {
        match self {
            GiftQuality::Economy => (0, Some(20_000)),
            GiftQuality::Standard => (20_000, Some(80_000)),
            GiftQuality::Premium => (80_000, Some(300_000)),
            GiftQuality::Luxury => (300_000, None),
        }
    }

    /// The advisor's word for the band.
    pub fn label_zh(self) -> &'static str {
        match self {
            GiftQuality::Economy => "实惠",
            GiftQuality::Standard => "中档",
            GiftQuality::Premium => "高档",
            GiftQuality::Luxury => "奢华",
        }
    }

    /// Read the stored word or the advisor's Chinese one (实惠, 中档, 高档, 奢华).
    pub fn from_word(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::parse(&t.to_ascii_lowercase())
            .or_else(|| Self::ALL.iter().copied().find(|q| q.label_zh() == t))
    }
}

impl Occasion {
    /// The advisor's word for the occasion.
    pub fn label_zh(self) -> &'static str {
        match self {
            Occasion::Birthday => "生日",
            Occasion::Festival => "节日",
            Occasion::Salon => "沙龙",
            Occasion::Thanks => "感谢",
            Occasion::Other => "其他",
        }
    }

    /// Read the stored English word or the advisor's Chinese one (生日, 节日, 沙龙, 感谢, 其他).
    pub fn from_word(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::parse(&t.to_ascii_lowercase())
            .or_else(|| Self::ALL.iter().copied().find(|o| o.label_zh() == t))
    }
}

/// The largest amount of money the book takes in one field: ¥100,000,000.00, in fen.
pub const MAX_FEN: i64 = 10_000_000_000;

/// An amount in fen as Chinese users read it: yuan with thousands separated, and the fen only
/// when there are any (`1,234,567`, `299.50`).
pub fn yuan_text(fen: i64) -> String {
    let digits = (fen.abs() / 100).to_string();
    let mut out = String::new();
    if fen < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if fen % 100 != 0 {
        out.push_str(&format!(".{:02}", fen.abs() % 100));
    }
    out
}

/// An amount of money as advisors type it, in whole fen: `300`, `299.5`, `299.50`, `¥1,200`,
/// `300元`, full-width digits too. More than two decimals, a sign or a stray character is
/// refused rather than rounded: money is never guessed.
pub fn parse_yuan(field: &str, text: &str) -> Result<i64> {
    let bad = || Error::invalid_with(field, "money_format", "299.50");
    let folded = fold_width(text);
    let mut t = folded.trim();
    t = t.strip_prefix(['¥', '￥']).unwrap_or(t).trim_start();
    t = t.strip_suffix('元').unwrap_or(t).trim_end();
    let (whole, cents) = match t.split_once('.') {
        Some((w, c)) => (w, c),
        None => (t, ""),
    };
    let whole = ungroup(whole).ok_or_else(bad)?;
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || cents.len() > 2
        || !cents.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && cents.is_empty())
    {
        return Err(bad());
    }
    let too_large = || Error::invalid_with(field, "money_out_of_range", "100000000");
    // More than 9 digits of yuan is over the limit whatever they are; this also keeps the
    // arithmetic below from overflowing.
    let digits = whole.trim_start_matches('0');
    if digits.len() > 9 {
        return Err(too_large());
    }
    let yuan: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| bad())?
    };
    let fen: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| bad())? * 10,
        _ => cents.parse().map_err(|_| bad())?,
    };
    let total = yuan * 100 + fen;
    if total > MAX_FEN {
        return Err(too_large());
    }
    Ok(total)
}

/// Digits with optional thousands commas (`1,200`) as plain digits; `None` when the commas are
/// not in thousands (`1,2`).
fn ungroup(text: &str) -> Option<String> {
    if !text.contains(',') {
        return Some(text.to_string());
    }
    let groups: Vec<&str> = text.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// Fen as yuan with two decimals, the way the book shows money (`299.50`).
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

/// No one in the book was born before this year.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// A birthday as the client keeps it: a solar date, or a lunar year-month-day (maybe leap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Birthday {
    /// Solar (公历) or lunar (农历).
    pub calendar: Calendar,
    /// `YYYY-MM-DD`; for a lunar birthday these are the lunar year, month and day numbers.
    pub date: String,
    /// Born in a leap month (闰月); lunar only.
    pub leap: bool,
}

impl Birthday {
    /// Rebuild from the three stored columns (date, calendar, leap).
    pub fn from_columns(
        date: Option<String>,
        calendar: Option<Calendar>,
        leap: bool,
    ) -> Option<Birthday> {
        match (date, calendar) {
            (Some(date), Some(calendar)) => Some(Birthday {
                calendar,
                date,
                leap,
            }),
            _ => None,
        }
    }

    /// The three stored columns (date, calendar, leap) of an optional birthday.
    pub fn to_columns(b: &Option<Birthday>) -> (Option<&str>, Option<Calendar>, bool) {
        match b {
            Some(b) => (Some(b.date.trim()), Some(b.calendar), b.leap),
            None => (None, None, false),
        }
    }

    /// Check the date exists in its calendar and lies between [`EARLIEST_BIRTH_YEAR`] and
    /// `today`; returns it normalised to `YYYY-MM-DD` so the book sorts and reads the same
    /// whatever was typed (1980-5-2).
    pub fn validate(&self, field: &str, today: NaiveDate) -> Result<Birthday> {
        let (y, m, d) = parse_ymd(field, &self.date)?;
        // A year such as 0198 is a slip of the keyboard, not a client aged 1,829.
        if y < EARLIEST_BIRTH_YEAR {
            return Err(Error::invalid_with(
                field,
                "born_too_early",
                EARLIEST_BIRTH_YEAR.to_string(),
            ));
        }
        let solar = match self.calendar {
            Calendar::Solar => {
                if self.leap {
                    return Err(Error::invalid(field, "leap_only_lunar"));
                }
                NaiveDate::from_ymd_opt(y, m, d)
                    .ok_or_else(|| Error::invalid(field, "date_impossible"))?
            }
            Calendar::Lunar => lunar_check(field, y, m, d, self.leap)?,
        };
        if solar > today {
            return Err(Error::invalid(field, "date_in_future"));
        }
        Ok(Birthday {
            calendar: self.calendar,
            date: format!("{y:04}-{m:02}-{d:02}"),
            leap: self.leap,
        })
    }
}

/// A lunar birthday must exist in the lunar tables (a leap month only in a year that has it,
/// day 30 only in a month of 30 days); returns its solar date.
fn lunar_check(field: &str, y: i32, m: u32, d: u32, leap: bool) -> Result<NaiveDate> {
    let (Ok(m), Ok(d)) = (u8::try_from(m), u8::try_from(d)) else {
        return Err(Error::invalid(field, "date_impossible"));
    };
    // Keep range details (1-29), drop ones that repeat the typed date: errors may be logged.
    crate::rules::lunar::to_solar(y, m, d, leap).map_err(|e| match e {
        Error::Invalid { code, detail, .. } => {
            let detail =
                detail.filter(|_| code == "day_out_of_range" || code == "year_out_of_range");
            Error::Invalid {
                field: field.into(),
                code,
                detail,
            }
        }
        other => other,
    })
}

/// Fold full-width forms (１９８０／５／２, the ideographic space) to ASCII, one character for
/// one, because a Chinese input method in full-width mode types them.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect()
}

/// Split a date as advisors type it into numbers, or say the format is wrong.
///
/// Accepted: `1980-05-02`, `1980-5-2`, `1980/5/2`, `1980.5.2`, `19800502` and `1980年5月2日`
/// (日 optional), full-width digits too. Only one separator per date and a four-digit year, so
/// `80/5/2` or `1980-5/2` are refused rather than guessed. Whether the day exists is the
/// caller's check (`date_impossible`).
pub fn parse_ymd(field: &str, text: &str) -> Result<(i32, u32, u32)> {
    let bad = || Error::invalid_with(field, "date_format", "YYYY-MM-DD");
    let text = fold_width(text);
    let text = text.trim();
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = if let Some((y, rest)) = text.split_once('年') {
        let (m, d) = rest.split_once('月').ok_or_else(bad)?;
        let d = d.trim().strip_suffix('日').unwrap_or(d.trim());
        vec![y.trim(), m.trim(), d.trim_end()]
    } else if text.len() == 8 && digits(text) {
        vec![&text[..4], &text[4..6], &text[6..]]
    } else {
        let sep = text
            .chars()
            .find(|c| !c.is_ascii_digit())
            .filter(|c| matches!(c, '-' | '/' | '.'))
            .ok_or_else(bad)?;
        text.split(sep).collect()
    };
    if parts.len() != 3
        || parts[0].len() != 4
        || !(1..=2).contains(&parts[1].len())
        || !(1..=2).contains(&parts[2].len())
        || !parts.iter().all(|p| digits(p))
    {
        return Err(bad());
    }
    let y: i32 = parts[0].parse().map_err(|_| bad())?;
    let m: u32 = parts[1].parse().map_err(|_| bad())?;
    let d: u32 = parts[2].parse().map_err(|_| bad())?;
    Ok((y, m, d))
}

/// A real solar date in any form [`parse_ymd`] reads (2025-02-30 is refused as impossible).
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let (y, m, d) = parse_ymd(field, text)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::invalid(field, "date_impossible"))
}

/// A real local date-time: a date as [`parse_date`] reads it, then `HH:MM` (or `HH:MM:SS`),
/// separated by a space or `T`; after `日` the space may be left out (`2026年11月30日09:05`).
pub fn parse_datetime(field: &str, text: &str) -> Result<NaiveDateTime> {
    let text = fold_width(text);
    let text = text.trim();
    let (date, time) = text
        .split_once([' ', 'T'])
        .or_else(|| text.split_once('日').filter(|(_, t)| !t.is_empty()))
        .ok_or_else(|| Error::invalid_with(field, "datetime_format", "YYYY-MM-DD HH:MM"))?;
    let date = parse_date(field, date)?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| Error::invalid_with(field, "time_invalid", "HH:MM"))?;
    Ok(date.and_time(time))
}

/// Format a date-time the way the book stores it.
pub fn format_datetime(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// A trimmed optional text: blank becomes `None`; longer than `max` characters is refused.
pub fn optional_text(field: &str, text: &Option<String>, max: usize) -> Result<Option<String>> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max => {
            Err(Error::invalid_with(field, "too_long", max.to_string()))
        }
        Some(t) => Ok(Some(t.to_string())),
    }
}

/// A required trimmed text of at most `max` characters.
pub fn required_text(field: &str, text: &str, max: usize) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, "required"));
    }
    if t.chars().count() > max {
        return Err(Error::invalid_with(field, "too_long", max.to_string()));
    }
    Ok(t.to_string())
}

/// A phone number: digits with optional `+`, spaces, dashes and brackets; 5 to 20 digits.
/// Stored as written (trimmed) so the advisor sees what they typed.
pub fn optional_phone(field: &str, phone: &Option<String>) -> Result<Option<String>> {
    let Some(p) = optional_text(field, phone, 40)? else {
        return Ok(None);
    };
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')');
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if !p.chars().all(allowed) || !(5..=20).contains(&digits) {
        return Err(Error::invalid(field, "phone_invalid"));
    }
    Ok(Some(p))
}

/// An e-mail address: something@something.something, no spaces.
pub fn optional_email(field: &str, email: &Option<String>) -> Result<Option<String>> {
    let Some(e) = optional_text(field, email, 200)? else {
        return Ok(None);
    };
    let ok = match e.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    } && !e.contains(char::is_whitespace);
    if !ok {
        return Err(Error::invalid(field, "email_invalid"));
    }
    Ok(Some(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: Error) -> String {
        match e {
            Error::Invalid { code, .. } => code,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn amounts_read_in_thousands_with_fen_only_when_there_are_any() {
        assert_eq!(yuan_text(123_456_789), "1,234,567.89");
        assert_eq!(yuan_text(50_000_000), "500,000");
        assert_eq!(yuan_text(29_950), "299.50");
        assert_eq!(yuan_text(0), "0");
        assert_eq!(yuan_text(-120_000), "-1,200");
    }

    #[test]
    fn dates_read_in_every_form_advisors_type() {
        for text in [
            "1980-05-02",
            "1980-5-2",
            "1980/5/2",
            "1980/05/02",
            "1980.05.02",
            "1980.5.2",
            "19800502",
            "1980年5月2日",
            "1980年05月02日",
            "1980年5月2",
            " 1980 年 5 月 2 日 ",
            "  1980-5-2\t",
            "１９８０／５／２",
            "１９８０年５月２日",
            "\u{3000}1980.5.2\u{3000}",
        ] {
            assert_eq!(parse_ymd("date", text).unwrap(), (1980, 5, 2), "{text:?}");
        }
    }

    #[test]
    fn garbage_is_refused_as_a_format_error() {
        for text in [
            "",
            "   ",
            "80/5/2",
            "1980-5",
            "1980/13",
            "1980-5/2",
            "1980/5.2",
            "1980年5月",
            "1980年5",
            "5月2日",
            "198052",
            "1980050",
            "198005021",
            "1980/5/2/",
            "-1980-5-2",
            "1980 5 2",
            "1980-05-02x",
            "1980年5月2日x",
            "1980-005-02",
            "abcd-ef-gh",
        ] {
            assert_eq!(
                code(parse_ymd("date", text).unwrap_err()),
                "date_format",
                "{text:?}"
            );
        }
    }

    #[test]
    fn impossible_days_are_told_apart_from_bad_formats() {
        assert_eq!(
            code(parse_date("date", "2025/2/30").unwrap_err()),
            "date_impossible"
        );
        assert_eq!(
            code(parse_date("date", "20251301").unwrap_err()),
            "date_impossible"
        );
        assert_eq!(
            code(parse_date("date", "2025年13月1日").unwrap_err()),
            "date_impossible"
        );
        assert_eq!(
            parse_date("date", "2024.2.29").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }

    #[test]
    fn date_times_take_the_same_date_forms() {
        let want = NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        for text in [
            "2026-11-30 09:05",
            "2026-11-30T09:05",
            "2026/11/30 09:05",
            "2026/11/30 9:05",
            "2026.11.30 09:05",
            "20261130 09:05",
            "2026年11月30日 09:05",
            "2026年11月30日09:05",
            "２０２６年１１月３０日　０９：０５",
            " 2026-11-30 09:05:00 ",
        ] {
            assert_eq!(parse_datetime("at", text).unwrap(), want, "{text:?}");
        }
        assert_eq!(
            code(parse_datetime("at", "2026年11月30日").unwrap_err()),
            "datetime_format"
        );
        assert_eq!(
            code(parse_datetime("at", "2026-11-30").unwrap_err()),
            "datetime_format"
        );
        assert_eq!(
            code(parse_datetime("at", "26/11/30 09:05").unwrap_err()),
            "date_format"
        );
        assert_eq!(
            code(parse_datetime("at", "2026/11/30 25:00").unwrap_err()),
            "time_invalid"
        );
    }

    #[test]
    fn money_is_read_in_whole_fen() {
        for (text, fen) in [
            ("300", 30_000),
            ("299.5", 29_950),
            ("299.50", 29_950),
            ("0.05", 5),
            ("¥1,200", 120_000),
            ("￥ 88 ", 8_800),
            ("300元", 30_000),
            ("３００．５", 30_050),
            ("100000000", MAX_FEN),
            ("0", 0),
        ] {
            assert_eq!(parse_yuan("cost", text).unwrap(), fen, "{text:?}");
        }
        for text in [
            "",
            "-5",
            "1.234",
            "1.",
            ".5",
            "1,2",
            "abc",
            "1e3",
            "3 00",
            "+3",
            "12,34,567",
        ] {
            assert_eq!(
                code(parse_yuan("cost", text).unwrap_err()),
                "money_format",
                "{text:?}"
            );
        }
        for text in [
            "100000000.01",
            "9999999999",
            "00000000000000000001000000000",
        ] {
            assert_eq!(
                code(parse_yuan("cost", text).unwrap_err()),
                "money_out_of_range",
                "{text:?}"
            );
        }
        assert_eq!(format_yuan(29_950), "299.50");
        assert_eq!(format_yuan(5), "0.05");
    }

    #[test]
    fn occasions_and_qualities_are_read_in_both_languages() {
        assert_eq!(Occasion::from_word("生日"), Some(Occasion::Birthday));
        assert_eq!(Occasion::from_word(" Thanks "), Some(Occasion::Thanks));
        assert_eq!(Occasion::from_word("节日"), Some(Occasion::Festival));
        assert_eq!(Occasion::from_word("party"), None);
        assert_eq!(GiftQuality::from_word("高档"), Some(GiftQuality::Premium));
        assert_eq!(
            GiftQuality::from_word("economy"),
            Some(GiftQuality::Economy)
        );
    }

    #[test]
    fn birthdays_are_stored_in_one_form_whatever_was_typed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let typed = Birthday {
            calendar: Calendar::Solar,
            date: "1980年5月2日".into(),
            leap: false,
        };
        assert_eq!(
            typed.validate("birthday", today).unwrap().date,
            "1980-05-02"
        );
        let garbled = Birthday {
            date: "80/5/2".into(),
            ..typed
        };
        assert_eq!(
            code(garbled.validate("birthday", today).unwrap_err()),
            "date_format"
        );
    }
}
