//! The one list of a client's columns in a spreadsheet: what Rapport writes, what it reads
//! back, and the headers of other systems it recognises. Export, import and the blank template
//! all take their columns from here, so they never drift apart.

/// What a column holds, for writing it and for reading it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// Digits that must stay text: phone and ID numbers (no scientific notation, no lost zeros).
    Digits,
    /// A date (the birthday): a real Excel date when it is a solar date.
    Date,
    /// A moment, `YYYY-MM-DD HH:MM` (written only).
    Moment,
    /// One value of a vocabulary (`tier`, `risk` …), written as its label.
    Word(&'static str),
    /// Several values of a vocabulary, written as labels joined by 、.
    Words(&'static str),
    /// Yes or no.
    YesNo,
    /// A whole number (written only).
    Number,
}

/// One column of the clients sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The field key: the catalog's label is the header, the import maps to it.
    pub key: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Read back by the import (false: written for the reader only, such as the id).
    pub imported: bool,
    /// Other headers for it in files from bank systems and spreadsheets.
    pub aliases: &'static [&'static str],
    /// Width in characters of a Chinese-text column (2 columns per character).
    pub width: f64,
}

const fn col(
    key: &'static str,
    kind: Kind,
    aliases: &'static [&'static str],
    width: f64,
) -> Column {
    Column {
        key,
        kind,
        imported: true,
        aliases,
        width,
    }
}

const fn shown(key: &'static str, kind: Kind, width: f64) -> Column {
    Column {
        key,
        kind,
        imported: false,
        aliases: &[],
        width,
    }
}

/// The clients sheet, in order.
pub const CLIENT_COLUMNS: &[Column] = &[
    shown("id", Kind::Number, 10.0),
    col(
        "name",
        Kind::Text,
        &[
            "客户姓名",
            "客户名称",
            "姓名",
            "名称",
            "户名",
            "客户名",
            "name",
            "clientname",
            "customername",
            "fullname",
        ],
        14.0,
    ),
    col(
        "kind",
        Kind::Word("kind"),
        &["客户类型", "客户性质", "对公对私", "type", "clienttype"],
        10.0,
    ),
    col(
        "gender",
        Kind::Word("gender"),
        &["性别", "sex", "gender"],
        8.0,
    ),
    col(
        "phone",
        Kind::Digits,
        &[
            "手机",
            "手机号",
            "手机号码",
            "移动电话",
            "联系电话",
            "电话",
            "联系方式",
            "mobile",
            "phone",
            "cellphone",
            "tel",
        ],
        16.0,
    ),
    col(
        "wechat",
        Kind::Text,
        &["微信", "微信号", "wechat", "wechatid"],
        14.0,
    ),
    col(
        "email",
        Kind::Text,
        &["邮箱", "电子邮箱", "电子邮件", "email", "e-mail"],
        22.0,
    ),
    col("id_type", Kind::Text, &["证件类型", "idtype"], 12.0),
    col(
        "id_number",
        Kind::Digits,
        &[
            "证件号码",
            "证件号",
            "身份证号",
            "身份证号码",
            "身份证",
            "idnumber",
            "idno",
            "id",
        ],
        22.0,
    ),
    col(
        "birthday",
        Kind::Date,
        &[
            "生日",
            "出生日期",
            "出生年月日",
            "出生年月",
            "birthday",
            "dateofbirth",
            "birthdate",
            "dob",
        ],
        12.0,
    ),
    col(
        "calendar",
        Kind::Word("calendar"),
        &["历法", "生日历法", "calendar"],
        8.0,
    ),
    col("leap", Kind::YesNo, &["闰月", "leapmonth", "leap"], 6.0),
    col(
        "occupation",
        Kind::Text,
        &["职业", "occupation", "job"],
        12.0,
    ),
    col(
        "employer",
        Kind::Text,
        &["工作单位", "单位", "单位名称", "任职单位", "employer"],
        24.0,
    ),
    col(
        "income_band",
        Kind::Text,
        &["收入区间", "年收入", "收入", "income"],
        12.0,
    ),
    col(
        "risk_profile",
        Kind::Word("risk"),
        &[
            "风险偏好",
            "风险评级",
            "风险等级",
            "风险承受能力",
            "风险类型",
            "risk",
            "riskprofile",
            "risklevel",
        ],
        14.0,
    ),
    col(
        "tier",
        Kind::Word("tier"),
        &["客户分层", "客户等级", "客户级别", "等级", "tier", "level"],
        10.0,
    ),
    col(
        "stage",
        Kind::Word("stage"),
        &["生命周期", "客户阶段", "阶段", "stage"],
        10.0,
    ),
    col(
        "segments",
        Kind::Words("segment"),
        &["客群", "客户群", "segment", "segments"],
        14.0,
    ),
    col(
        "company",
        Kind::Text,
        &["企业名称", "公司名称", "companyname"],
        24.0,
    ),
    col(
        "industry",
        Kind::Text,
        &["所属行业", "行业", "industry"],
        12.0,
    ),
    col(
        "company_scale",
        Kind::Text,
        &["企业规模", "公司规模", "规模", "companysize", "scale"],
        12.0,
    ),
    col(
        "financing_needs",
        Kind::Text,
        &["融资需求", "financingneeds"],
        20.0,
    ),
    col(
        "hobbies",
        Kind::Text,
        &["爱好", "兴趣爱好", "hobbies"],
        16.0,
    ),
    col("likes", Kind::Text, &["喜好", "likes"], 16.0),
    col("taboos", Kind::Text, &["禁忌", "taboos"], 16.0),
    col(
        "objections",
        Kind::Text,
        &["异议与建议", "异议", "建议", "objections"],
        20.0,
    ),
    col(
        "notes",
        Kind::Text,
        &["备注", "说明", "notes", "remark", "remarks", "memo"],
        30.0,
    ),
    col(
        "starred",
        Kind::YesNo,
        &["星标客户", "星标", "重点客户", "starred", "key"],
        8.0,
    ),
    shown("last_contact", Kind::Moment, 17.0),
    shown("created_at", Kind::Moment, 17.0),
];

/// The column a header names: its catalog label in either language, its key, or an alias,
/// compared without case, spaces or punctuation.
pub fn column_for(header: &str) -> Option<&'static Column> {
    use super::words::{field, fold, Language};
    let want = fold(header);
    if want.is_empty() {
        return None;
    }
    CLIENT_COLUMNS.iter().filter(|c| c.imported).find(|c| {
        fold(c.key) == want
            || fold(field(Language::ZhCn, c.key)) == want
            || fold(field(Language::En, c.key)) == want
            || c.aliases.iter().any(|a| fold(a) == want)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_bank_systems_and_of_our_own_files_find_their_columns() {
        for (header, key) in [
            ("客户姓名", "name"),
            ("手机号码", "phone"),
            ("证件号码", "id_number"),
            ("出生日期", "birthday"),
            ("客户等级", "tier"),
            ("风险评级", "risk_profile"),
            ("Mobile", "phone"),
            ("Date of birth", "birthday"),
            (" 姓 名 ", "name"),
            ("客户分层", "tier"),
        ] {
            assert_eq!(column_for(header).map(|c| c.key), Some(key), "{header}");
        }
        assert!(column_for("客户编号").is_none(), "the id is not read back");
        assert!(column_for("开户网点").is_none());
        // No two columns answer to the same header.
        for c in CLIENT_COLUMNS.iter().filter(|c| c.imported) {
            for a in c.aliases {
                assert_eq!(column_for(a).map(|x| x.key), Some(c.key), "{a}");
            }
        }
    }
}
