//! 演示客户簿: a realistic synthetic book (Chinese names, families, a year of contacts),
//! deterministic from a seed so tests and screenshots are repeatable.
//!
//! A demo book is never the advisor's own book: it lives in its own file
//! ([`crate::book::demo_path`]), the generator refuses a book that already holds clients, and
//! it marks the book it fills ([`crate::settings::is_demo`]) so the window can say so.

use crate::book::values::{
    format_datetime, Birthday, Calendar, Channel, ClientKind, ContactKind, Gender, Relation, Risk,
    Segment, Stage, Tier,
};
use crate::clients::{insert_unindexed as insert_client, ClientInput};
use crate::contacts::{
    insert_prepared, touch_every_last_contact, ContactInput, FollowUpInput, Prepared,
};
use crate::family::{insert_unindexed as insert_family, FamilyInput};
use crate::rules::invitations::{self, CallRecord, CallState, Event, Invitee};
use crate::rules::workdays::WorkCalendar;
use crate::salons::{self, CallResponse};
use crate::search::Table;
use crate::{settings, Book, Error, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// How big a demo book to make, and as of which day.
#[derive(Debug, Clone)]
pub struct DemoSpec {
    /// Number of clients.
    pub clients: u32,
    /// Seed: the same seed makes the same book.
    pub seed: u64,
    /// The day the book is "as of": contacts fall in the year before it.
    pub today: NaiveDate,
    /// About how many contacts in all (each client's share scaled to it, spread over the
    /// years it takes); none for the usual year of contacts (about seven a client).
    pub contacts: Option<u32>,
}

/// How many clients a demo book has unless asked otherwise.
pub const DEFAULT_CLIENTS: u32 = 200;
/// The seed of the demo book the window and `rapport demo` make unless asked otherwise.
pub const DEFAULT_SEED: u64 = 2026;

/// What the generator wrote.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DemoSummary {
    /// Clients written.
    pub clients: u32,
    /// Family members written.
    pub family_members: u32,
    /// Contacts written.
    pub contacts: u32,
    /// Follow-ups written.
    pub follow_ups: u32,
    /// Salons written, past and coming.
    pub salons: u32,
    /// Places on their invitation lists.
    pub salon_invitees: u32,
    /// 7-3-1 calls already made.
    pub salon_calls: u32,
    /// Likes, taboos, habits and expected qualities recorded per person.
    pub preferences: u32,
    /// Gifts given over the past years.
    pub gifts: u32,
    /// Referrals between clients.
    pub referrals: u32,
    /// Lines of the points ledger.
    pub points_lines: u32,
    /// Satisfaction surveys.
    pub surveys: u32,
    /// Holdings, here and at other banks.
    pub holdings: u32,
    /// Dated values of funds.
    pub holding_values: u32,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "沈",
    "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "方",
    "欧阳",
];
const MALE_GIVEN: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "建国", "志强", "国栋", "海涛", "文博", "子轩", "浩然", "俊杰", "晓东", "立新", "振华", "德明",
];
const FEMALE_GIVEN: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玉兰", "桂芳", "丽华", "晓燕", "雪梅",
    "婉清", "思雨", "欣怡", "梓涵", "慧敏", "美玲", "佳怡", "雅琴", "淑珍", "春兰",
];
const EMPLOYERS: &[(&str, &str)] = &[
    ("总经理", "华东精密机械有限公司"),
    ("财务总监", "恒信贸易有限公司"),
    ("教师", "市第一中学"),
    ("主任医师", "市人民医院"),
    ("工程师", "中芯电子科技"),
    ("律师", "金诚律师事务所"),
    ("公务员", "市税务局"),
    ("产品经理", "云帆互联网科技"),
    ("董事长", "鼎盛建材集团"),
    ("退休教师", "市实验小学"),
    ("个体经营", "老街茶叶店"),
    ("会计", "立信会计师事务所"),
];
/// Cities that make the demo's company names distinct.
const CITIES: &[&str] = &[
    "苏州", "杭州", "宁波", "无锡", "南通", "常州", "嘉兴", "绍兴", "温州", "扬州", "合肥", "南京",
];
/// Enterprise clients (企业客户) and the role of the owner who deals with the bank.
const COMPANIES: &[(&str, &str)] = &[
    ("董事长", "鼎盛建材集团有限公司"),
    ("总经理", "华东精密机械有限公司"),
    ("总经理", "恒信贸易有限公司"),
    ("董事长", "中芯电子科技股份有限公司"),
    ("总经理", "云帆互联网科技有限公司"),
    ("总经理", "顺达物流有限公司"),
];
const HOBBIES: &[&str] = &[
    "高尔夫",
    "书法",
    "摄影",
    "太极拳",
    "茶艺",
    "旅游",
    "钓鱼",
    "瑜伽",
    "插花",
    "收藏古董",
    "跑步",
    "京剧",
    "广场舞",
    "围棋",
    "红酒",
];
const LIKES: &[&str] = &[
    "喜欢普洱茶",
    "爱吃家乡的腊肉",
    "喜欢真丝围巾",
    "喜欢纪念币",
    "偏爱健康体检套餐",
    "喜欢字画",
    "喜欢进口水果",
    "喜欢带孙子的合影相框",
];
const TABOOS: &[&str] = &[
    "不吃海鲜",
    "忌讳送钟表",
    "不喝酒",
    "不喜欢白色包装",
    "对花粉过敏",
    "素食",
    "忌讳数字4",
];
const NOTES_SUMMARIES: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "电话沟通理财产品到期续作事宜，客户倾向稳健型产品",
        Some("希望收益稳定，能随时赎回"),
        Some("整理三款稳健型产品对比发给客户"),
    ),
    (
        "面谈资产配置，客户关注女儿明年出国留学的资金安排",
        Some("留学资金约80万，需要外汇额度"),
        Some("准备留学金融服务方案"),
    ),
    (
        "微信问候，客户提到最近在看养老社区",
        Some("了解养老规划与保险"),
        Some("约客户参加养老主题沙龙"),
    ),
    (
        "面访，客户对上次基金亏损有些不满",
        Some("希望调整基金组合，降低波动"),
        Some("出具基金持仓诊断报告"),
    ),
    (
        "电话邀请参加本月企业家税务筹划沙龙，客户表示有兴趣",
        None,
        Some("沙龙前三天再次电话确认"),
    ),
    (
        "客户来网点办理大额存单，顺便聊了孩子高考志愿",
        Some("孩子想报考医学院"),
        Some("送一份目标大学的介绍手册"),
    ),
    ("短信祝贺客户生日，客户回复感谢", None, None),
    (
        "面访客户公司，了解供应链融资需求",
        Some("年底有500万流动资金缺口"),
        Some("联系公司业务部评估授信"),
    ),
    ("电话回访满意度，客户对服务评价很好", None, None),
    (
        "微信沟通，客户询问黄金积存业务",
        Some("想每月定投黄金"),
        Some("发送黄金积存业务说明"),
    ),
    (
        "客户提到他行理财收益更高，想转走一部分资金",
        Some("比较收益与起息日、到账日"),
        Some("用对比分析法做一份收益测算"),
    ),
    ("邮件发送季度资金梳理报告，客户已读", None, None),
    (
        "参加健康讲座沙龙，客户带了老伴一起来",
        Some("关心体检和保健"),
        None,
    ),
    (
        "电话沟通保险配置，客户担心重疾保障不足",
        Some("重疾险保额提高到50万"),
        Some("做一份家庭保障缺口分析"),
    ),
];
const COMPLAINTS: &[(&str, &str)] = &[
    (
        "客户投诉网点排队时间过长，等候超过一小时",
        "已协调开通贵宾预约通道，并致电致歉",
    ),
    (
        "客户投诉手机银行转账限额未提前告知",
        "已解释限额规则并协助调整限额",
    ),
];
/// Notes about a child, by the age they fit: (up to this age, notes).
const CHILD_NOTES: &[(i32, &[&str])] = &[
    (
        11,
        &["喜欢钢琴，考过五级", "喜欢篮球", "在读小学，喜欢画画"],
    ),
    (
        18,
        &["在读高二，成绩优秀", "目标大学：复旦大学", "准备出国读高中"],
    ),
    (25, &["明年去英国读研", "准备考公务员", "在读大学，学医"]),
    (
        i32::MAX,
        &["刚参加工作，在深圳", "在上海做律师", "已成家，有一个孩子"],
    ),
];

fn child_note(rng: &mut ChaCha8Rng, age: i32) -> String {
    let notes = CHILD_NOTES
        .iter()
        .find(|(up_to, _)| age <= *up_to)
        .map(|(_, notes)| *notes)
        .expect("the last band has no upper bound");
    pick(rng, notes).to_string()
}

const CHANNELS: &[Channel] = &[
    Channel::Phone,
    Channel::Phone,
    Channel::Visit,
    Channel::Wechat,
    Channel::Sms,
    Channel::Email,
    Channel::Salon,
];

/// A contact drawn for the demo, kept small until the whole year is sorted by time.
enum Planned {
    Complaint {
        template: usize,
        satisfied: bool,
    },
    Note {
        template: usize,
        channel: Channel,
        due_in: i64,
        done: bool,
        /// Seed of the particulars added to the note ([`notes::particulars`]).
        particulars: u64,
    },
    /// A salon's invitation call or the salon itself, already worded.
    Salon {
        summary: String,
        channel: Channel,
    },
}

impl Planned {
    /// The contact as the advisor would have logged it at `at`, and whether its follow-up
    /// has been done since.
    fn input(&self, at: NaiveDateTime) -> (ContactInput, bool) {
        match *self {
            Planned::Salon {
                ref summary,
                channel,
            } => {
                let input = ContactInput {
                    at: Some(format_datetime(at)),
                    channel,
                    kind: ContactKind::Note,
                    summary: summary.clone(),
                    needs: None,
                    follow_ups: vec![],
                    response_due: None,
                    resolution: None,
                    resolved_at: None,
                    satisfied: None,
                };
                (input, false)
            }
            Planned::Complaint {
                template,
                satisfied,
            } => {
                let (summary, resolution) = COMPLAINTS[template];
                let input = ContactInput {
                    at: Some(format_datetime(at)),
                    channel: Channel::Phone,
                    kind: ContactKind::Complaint,
                    summary: summary.into(),
                    needs: None,
                    follow_ups: vec![],
                    response_due: Some((at.date() + Duration::days(2)).to_string()),
                    resolution: Some(resolution.into()),
                    resolved_at: Some((at.date() + Duration::days(1)).to_string()),
                    satisfied: Some(satisfied),
                };
                (input, false)
            }
            Planned::Note {
                template,
                channel,
                due_in,
                done,
                particulars,
            } => {
                let (summary, needs, follow_up) = NOTES_SUMMARIES[template];
                let summary = match notes::particulars(particulars) {
                    Some(more) => format!("{summary}；{more}"),
                    None => summary.to_string(),
                };
                let input = ContactInput {
                    at: Some(format_datetime(at)),
                    channel,
                    kind: ContactKind::Note,
                    summary,
                    needs: needs.map(String::from),
                    follow_ups: follow_up
                        .map(|t| {
                            let due = (at.date() + Duration::days(due_in)).to_string();
                            vec![FollowUpInput {
                                title: t.into(),
                                due,
                            }]
                        })
                        .unwrap_or_default(),
                    response_due: None,
                    resolution: None,
                    resolved_at: None,
                    satisfied: None,
                };
                (input, done && follow_up.is_some())
            }
        }
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn birthday_for(rng: &mut ChaCha8Rng, age: i32, today: NaiveDate, lunar_share: f64) -> Birthday {
    let year = today.year() - age;
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=28);
    let calendar = if rng.random_bool(lunar_share) {
        Calendar::Lunar
    } else {
        Calendar::Solar
    };
    Birthday {
        calendar,
        date: format!("{year:04}-{month:02}-{day:02}"),
        leap: false,
    }
}

/// Fill an empty `book` with a synthetic client book and mark it a demo book, in one
/// transaction. A book that already holds clients is refused untouched: made-up clients must
/// never sit among real ones.
pub fn populate(book: &mut Book, spec: &DemoSpec) -> Result<DemoSummary> {
    let today = spec.today;
    // A big demo is one long write: a page cache of up to 256 MiB while it lasts keeps the
    // index pages it revisits in memory instead of re-reading them from the file.
    let cache: i64 = book
        .conn()
        .pragma_query_value(None, "cache_size", |r| r.get(0))?;
    book.conn().pragma_update(None, "cache_size", -262_144)?;
    let sum = write_clients(book, spec);
    book.conn().pragma_update(None, "cache_size", cache)?;
    let sum = sum?;
    // Grades as of 60 and 30 days ago and today, each kept as its month's snapshot, so a fall
    // (C → D) and the warning it raises show in the demo without waiting a month.
    if sum.holdings > 0 {
        for days_ago in [60, 30, 0] {
            crate::grades::recalculate(book, today - Duration::days(days_ago))?;
        }
    }
    Ok(sum)
}

/// The clients, families, contacts, salons, care records and holdings of the demo, in one
/// transaction.
fn write_clients(book: &mut Book, spec: &DemoSpec) -> Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    // Particulars of notes and the scaling of their number draw from a stream of their own,
    // so a seed's usual book (no number of contacts asked for) stays what it always was.
    let mut note_rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0070_7e5a);
    let scale = Scale::for_spec(spec);
    let today = spec.today;
    book.write(|tx| {
        // Checked inside the write: another program adding a client meanwhile is seen here.
        let has_clients: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM clients)", [], |r| r.get(0))?;
        if has_clients {
            return Err(Error::invalid("book", "demo_book_not_empty"));
        }
        settings::mark_demo(tx)?;
        let mut sum = DemoSummary::default();
        let mut companies = std::collections::HashSet::new();
        let mut planned: Vec<(NaiveDateTime, i64, Planned)> = Vec::new();
        // Who may be invited to each segment's salons (lost clients are not), and spouses,
        // who sometimes come along.
        let mut members: [Vec<i64>; 4] = Default::default();
        let mut spouses: HashMap<i64, i64> = HashMap::new();
        let mut people: Vec<care::Person> = Vec::new();
        let mut holders: Vec<money::Holder> = Vec::new();
        for _ in 0..spec.clients {
            let gender = if rng.random_bool(0.5) {
                Gender::Male
            } else {
                Gender::Female
            };
            let given = if gender == Gender::Male {
                pick(&mut rng, MALE_GIVEN)
            } else {
                pick(&mut rng, FEMALE_GIVEN)
            };
            let surname = pick(&mut rng, SURNAMES);
            let name = format!("{surname}{given}");
            let age = rng.random_range(26..=78);
            let enterprise = rng.random_bool(0.08);
            let (occupation, employer) = if enterprise {
                // A company is one client: draw again until the name is new.
                loop {
                    let (role, company) = *pick(&mut rng, COMPANIES);
                    let mut name = format!("{}{company}", pick(&mut rng, CITIES));
                    if companies.len() >= COMPANIES.len() * CITIES.len() {
                        name = format!("{name}第{}分公司", companies.len());
                    }
                    if companies.insert(name.clone()) {
                        break (role, name);
                    }
                }
            } else {
                let (role, employer) = *pick(&mut rng, EMPLOYERS);
                (role, employer.to_string())
            };
            let tier = match rng.random_range(0..100) {
                0..=4 => Tier::Private,
                5..=19 => Tier::Vip,
                20..=49 => Tier::High,
                _ => Tier::Mass,
            };
            let stage = *pick(
                &mut rng,
                &[
                    Stage::New,
                    Stage::Stable,
                    Stage::Stable,
                    Stage::Mature,
                    Stage::Mature,
                    Stage::AtRisk,
                    Stage::Prospect,
                    Stage::Lost,
                ],
            );
            let mut segments = Vec::new();
            if enterprise || occupation.contains("总") || occupation == "董事长" {
                segments.push(Segment::Entrepreneur);
            }
            if age >= 58 {
                segments.push(Segment::Retiree);
            } else if age < 40 {
                segments.push(Segment::Professional);
            }
            if gender == Gender::Female && age < 58 && rng.random_bool(0.25) {
                segments.push(Segment::Homemaker);
            }
            let phone = format!(
                "1{}{:09}",
                pick(&mut rng, &["38", "39", "58", "86", "37", "88"]),
                rng.random_range(0..1_000_000_000u64)
            )
            .chars()
            .take(11)
            .collect::<String>();
            let input = ClientInput {
                kind: Some(if enterprise {
                    ClientKind::Enterprise
                } else {
                    ClientKind::Person
                }),
                name: if enterprise {
                    employer.to_string()
                } else {
                    name.clone()
                },
                gender: (!enterprise).then_some(gender),
                phone: Some(phone),
                wechat: rng
                    .random_bool(0.7)
                    .then(|| format!("wx_{}", rng.random_range(10000..99999))),
                birthday: (!enterprise)
                    .then(|| birthday_for(&mut rng, age, today, if age >= 55 { 0.5 } else { 0.1 })),
                occupation: Some(occupation.to_string()),
                employer: Some(employer.to_string()),
                income_band: Some(
                    pick(&mut rng, &["20–50万", "50–100万", "100–300万", "300万以上"]).to_string(),
                ),
                risk_profile: Some(*pick(&mut rng, Risk::ALL)),
                tier: Some(tier),
                stage: Some(stage),
                segments,
                company: enterprise.then(|| employer.to_string()),
                industry: enterprise.then(|| {
                    pick(&mut rng, &["制造业", "批发零售", "建筑建材", "科技"]).to_string()
                }),
                financing_needs: enterprise.then(|| "年底流动资金周转".to_string()),
                hobbies: Some(format!(
                    "{}、{}",
                    pick(&mut rng, HOBBIES),
                    pick(&mut rng, HOBBIES)
                )),
                likes: Some(pick(&mut rng, LIKES).to_string()),
                taboos: rng
                    .random_bool(0.4)
                    .then(|| pick(&mut rng, TABOOS).to_string()),
                objections: rng
                    .random_bool(0.2)
                    .then(|| "认为基金波动太大，更偏好保本产品".to_string()),
                notes: None,
                starred: tier == Tier::Private || rng.random_bool(0.05),
                ..Default::default()
            };
            let client_id = insert_client(tx, &input)?;
            sum.clients += 1;
            let mut person = care::Person {
                client_id,
                tier,
                age,
                spouse: None,
                child: None,
            };
            holders.push(money::Holder {
                client_id,
                tier,
                lost: stage == Stage::Lost,
            });
            if stage != Stage::Lost {
                for seg in &input.segments {
                    members[segment_index(*seg)].push(client_id);
                }
            }
            if !enterprise {
                if rng.random_bool(0.75) {
                    let spouse_gender = if gender == Gender::Male {
                        Gender::Female
                    } else {
                        Gender::Male
                    };
                    let given = if spouse_gender == Gender::Male {
                        pick(&mut rng, MALE_GIVEN)
                    } else {
                        pick(&mut rng, FEMALE_GIVEN)
                    };
                    let spouse = FamilyInput {
                        name: format!("{}{}", pick(&mut rng, SURNAMES), given),
                        relation: Relation::Spouse,
                        gender: Some(spouse_gender),
                        birthday: {
                            let spouse_age = age + rng.random_range(-3..=3);
                            Some(birthday_for(&mut rng, spouse_age, today, 0.3))
                        },
                        phone: None,
                        notes: Some(pick(&mut rng, LIKES).to_string()),
                    };
                    let spouse_id = insert_family(tx, client_id, &spouse)?;
                    spouses.insert(client_id, spouse_id);
                    person.spouse = Some(spouse_id);
                    sum.family_members += 1;
                }
                for _ in 0..rng.random_range(0..=2) {
                    let child_gender = if rng.random_bool(0.5) {
                        Gender::Male
                    } else {
                        Gender::Female
                    };
                    let given = if child_gender == Gender::Male {
                        pick(&mut rng, MALE_GIVEN)
                    } else {
                        pick(&mut rng, FEMALE_GIVEN)
                    };
                    let child_age = (age - rng.random_range(24..=32)).max(1);
                    let child = FamilyInput {
                        name: format!("{surname}{given}"),
                        relation: Relation::Child,
                        gender: Some(child_gender),
                        birthday: Some(birthday_for(&mut rng, child_age, today, 0.0)),
                        phone: None,
                        notes: Some(child_note(&mut rng, child_age)),
                    };
                    let child_id = insert_family(tx, client_id, &child)?;
                    person.child.get_or_insert(child_id);
                    sum.family_members += 1;
                }
            }
            people.push(person);
            let contacts = match tier {
                Tier::Private => rng.random_range(20..=40),
                Tier::Vip => rng.random_range(10..=20),
                Tier::High => rng.random_range(4..=10),
                Tier::Mass => rng.random_range(1..=4),
            };
            let contacts = scale.of(contacts, &mut note_rng);
            for _ in 0..contacts {
                let days_ago = if scale.years > 1 {
                    note_rng.random_range(0..365 * scale.years)
                } else {
                    rng.random_range(0..365)
                };
                let at = (today - Duration::days(days_ago))
                    .and_hms_opt(
                        rng.random_range(9..18),
                        *pick(&mut rng, &[0, 15, 30, 45]),
                        0,
                    )
                    .expect("valid time");
                // Complaints are resolved the next day, so none is dated in the last two days.
                let what = if days_ago >= 2 && rng.random_bool(0.02) {
                    Planned::Complaint {
                        template: rng.random_range(0..COMPLAINTS.len()),
                        satisfied: rng.random_bool(0.8),
                    }
                } else {
                    Planned::Note {
                        template: rng.random_range(0..NOTES_SUMMARIES.len()),
                        channel: *pick(&mut rng, CHANNELS),
                        due_in: rng.random_range(2..14),
                        // Older follow-ups were mostly done; the last weeks' are still open.
                        // Those of the years before the last (a bench book's) were all dealt
                        // with: no advisor carries years of open follow-ups.
                        done: days_ago > 365 || (days_ago > 21 && rng.random_bool(0.9)),
                        particulars: note_rng.random(),
                    }
                };
                planned.push((at, client_id, what));
            }
        }
        // Every client's search entry once, with their family, in the order of their ids:
        // rewritten after each family member, the entries became segments apiece.
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM clients ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        crate::search::in_bulk(tx, Table::Clients, || {
            ids.iter()
                .try_for_each(|id| crate::search::index_new_client(tx, *id))
        })?;
        // Its own stream, so the clients of a seed stay the same whatever the salons draw. A
        // book still at an older schema (the migration tests fill one) has no salons to fill.
        let has_salons: bool = tx
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'salons'")?
            .exists([])?;
        if has_salons {
            let mut salon_rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x5a10_0731);
            add_salons(
                tx,
                &mut salon_rng,
                today,
                &members,
                &spouses,
                &mut planned,
                &mut sum,
            )?;
        }
        // The care records draw from a stream of their own too, and only where the book has
        // their tables (the migration tests fill books of older schemas).
        let has_care: bool = tx
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gifts'")?
            .exists([])?;
        if has_care {
            let mut care_rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0ca7_e014);
            care::add(tx, &mut care_rng, today, &people, &mut sum)?;
        }
        let has_holdings: bool = tx
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'holdings'")?
            .exists([])?;
        if has_holdings {
            let mut money_rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0a11_4e1d);
            let (holdings, values) = money::add(tx, &mut money_rng, today, &holders)?;
            sum.holdings = holdings;
            sum.holding_values = values;
        }
        // Contacts go in as an advisor would have logged them, oldest first, so the order of
        // entry (which search walks newest-first) matches the order of time.
        planned.sort_by_key(|(at, client_id, _)| (*at, *client_id));
        // Every planned contact carries its time; "now" only bounds their dates.
        let end_of_day = today.and_hms_opt(23, 59, 0).expect("valid time");
        let whom: HashMap<i64, (String, Option<String>)> = tx
            .prepare("SELECT id, name, phone FROM clients")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        crate::search::in_bulk(tx, Table::Contacts, || {
            // The second core words each contact and makes its search entry while this one
            // writes the book: a fifth of the contacts' time on the 100k-client demo.
            std::thread::scope(|s| {
                let (send, receive) = std::sync::mpsc::sync_channel(8);
                s.spawn(move || prepare_contacts(planned, &whom, end_of_day, send));
                let mut done_at =
                    tx.prepare_cached("UPDATE follow_ups SET done_at = ?2 WHERE contact_id = ?1")?;
                for batch in receive {
                    for (contact, done) in batch? {
                        let contact_id = insert_prepared(tx, &contact)?;
                        if let Some(at) = done {
                            done_at.execute(params![contact_id, at])?;
                        }
                        sum.contacts += 1;
                        sum.follow_ups += contact.follow_ups();
                    }
                }
                Ok(())
            })
        })?;
        touch_every_last_contact(tx)?;
        date_every_client(tx, today)?;
        Ok(sum)
    })
}

/// A contact ready to write, and when its follow-up was done, if it was.
type Ready = (Prepared, Option<String>);

/// Word the `planned` contacts in order, each with its search entry, and send them on in
/// batches; the first error ends the work and is sent on.
fn prepare_contacts(
    planned: Vec<(NaiveDateTime, i64, Planned)>,
    whom: &HashMap<i64, (String, Option<String>)>,
    end_of_day: NaiveDateTime,
    send: std::sync::mpsc::SyncSender<Result<Vec<Ready>>>,
) {
    const BATCH: usize = 512;
    let mut batch = Vec::with_capacity(BATCH);
    for (at, client_id, what) in planned {
        let (input, done) = what.input(at);
        let (name, phone) = whom
            .get(&client_id)
            .map(|(n, p)| (n.as_str(), p.as_deref()))
            .unwrap_or_default();
        match Prepared::new(client_id, input, end_of_day, name, phone) {
            Ok(contact) => {
                let done = done.then(|| format_datetime(at + Duration::days(3)));
                batch.push((contact, done));
            }
            Err(e) => {
                let _ = send.send(Err(e));
                return;
            }
        }
        if batch.len() == BATCH
            && send
                .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                .is_err()
        {
            // The writer stopped at an error of its own.
            return;
        }
    }
    let _ = send.send(Ok(batch));
}

/// Give every demo client the day they became a client, which the cadence reads (an old
/// client, a year on, owes a phone call every month): before their first contact, by a month
/// to five years for an established client and by up to a month for a new one or a prospect;
/// a client never contacted, as many days before today. Spread by the id, so a seed's book
/// stays the same. Made in the app today, every client would be new for a year.
fn date_every_client(tx: &rusqlite::Connection, today: chrono::NaiveDate) -> Result<()> {
    tx.execute(
        "UPDATE clients SET created_at = datetime(
             coalesce((SELECT min(at) FROM contacts WHERE client_id = clients.id), ?1),
             '-' || CASE WHEN stage IN ('new', 'prospect') THEN (id * 2654435761) % 30
                         ELSE 30 + (id * 2654435761) % 1800 END || ' days')",
        [format!("{today} 09:00:00")],
    )?;
    Ok(())
}

/// How a demo's number of contacts is stretched to the total asked for.
struct Scale {
    /// Each client's usual count is multiplied by this.
    factor: f64,
    /// Contacts spread over this many years back (1: the usual year).
    years: i64,
}

/// Contacts a client has in a usual demo year, on average over the tier mix.
const USUAL_CONTACTS_A_CLIENT: f64 = 7.1;

impl Scale {
    fn for_spec(spec: &DemoSpec) -> Scale {
        let Some(target) = spec.contacts else {
            return Scale {
                factor: 1.0,
                years: 1,
            };
        };
        let factor = f64::from(target) / (f64::from(spec.clients.max(1)) * USUAL_CONTACTS_A_CLIENT);
        // A book with many contacts a client is an old book: a year holds the usual number.
        Scale {
            factor,
            years: (factor.ceil() as i64).clamp(1, 5),
        }
    }

    /// `usual` contacts stretched by the factor, rounded up or down at random so the total
    /// comes out right.
    fn of(&self, usual: u32, rng: &mut ChaCha8Rng) -> u32 {
        if self.factor == 1.0 {
            return usual;
        }
        let exact = f64::from(usual) * self.factor;
        let whole = exact.floor();
        whole as u32 + u32::from(rng.random_bool((exact - whole).clamp(0.0, 1.0)))
    }
}

/// Open the demo book at `path`, making it first (the default size and seed, as of the
/// advisor's today) when the file is missing or empty. A file there that holds clients but is
/// no demo book is someone's real book: it is refused, never shown as made up.
pub fn open_or_make(path: &Path) -> Result<Book> {
    let mut book = Book::open(path)?;
    if !settings::is_demo(&book)? {
        let today = crate::clock::today_in(&book)?;
        populate(
            &mut book,
            &DemoSpec {
                clients: DEFAULT_CLIENTS,
                seed: DEFAULT_SEED,
                today,
                contacts: None,
            },
        )?;
    }
    Ok(book)
}

mod care;
mod money;
mod notes;

/// The four segments in a fixed order, for the members lists.
const SEGMENTS: [Segment; 4] = [
    Segment::Entrepreneur,
    Segment::Homemaker,
    Segment::Retiree,
    Segment::Professional,
];

fn segment_index(s: Segment) -> usize {
    SEGMENTS.iter().position(|x| *x == s).unwrap_or(0)
}

/// Each segment's salon titles with their theme, used in turn, and its usual venue.
const SALON_THEMES: [(&[(&str, &str)], &str); 4] = [
    (
        &[
            ("家族财富传承", "财富传承"),
            ("企业税务筹划沙龙", "税务政策"),
            ("供应链金融讲座", "供应链金融"),
            ("企业法律风险防范", "法律风险"),
        ],
        "商会会议室",
    ),
    (
        &[
            ("花艺茶艺沙龙", "花艺茶艺"),
            ("珠宝鉴赏会", "珠宝"),
            ("亲子教育讲座", "育儿"),
            ("留学规划分享会", "留学"),
        ],
        "合作茶社",
    ),
    (
        &[
            ("养老规划讲座", "养老规划"),
            ("健康养生讲座", "健康"),
            ("书法摄影沙龙", "书法与摄影"),
            ("养老社区参观", "养老社区"),
            ("财富传承与遗嘱讲座", "财富传承"),
        ],
        "支行三楼贵宾室",
    ),
    (
        &[
            ("职场理财入门", "年轻人理财"),
            ("职场健身与健康", "健身"),
            ("职业发展沙龙", "职业发展"),
        ],
        "市民中心报告厅",
    ),
];

/// When each segment's salons are, in days from the demo's today, and at what hour. Past ones
/// have their calls and attendance; coming ones 1, 3 and 7 days ahead put each round of the
/// 7-3-1 on today's list.
const SALON_DAYS: [(&[i64], u32); 4] = [
    (&[-103, -61, -20, 3, 26], 15),
    (&[-82, -33, -5, 1, 12], 10),
    (&[-96, -47, -12, 7, 19], 14),
    (&[-117, -54, -26, 5, 10], 19),
];

/// The coming salon that was called off (segment index, day): its calls made are kept.
const CANCELLED: (usize, i64) = (3, 5);

/// Write the demo's salons with their lists, the calls of the rounds already due (as the plan
/// would ask for them) and, for past salons, who came. Each call and each visit also goes to
/// `planned`, to land in the timeline in time order with the other contacts.
fn add_salons(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    members: &[Vec<i64>; 4],
    spouses: &HashMap<i64, i64>,
    planned: &mut Vec<(NaiveDateTime, i64, Planned)>,
    sum: &mut DemoSummary,
) -> Result<()> {
    // A new book holds no imported schedule: the built-in one is the book's calendar.
    let cal = WorkCalendar::new();
    let now = crate::book::stamp(tx)?;
    for (seg_i, ((themes, venue), (days, hour))) in
        SALON_THEMES.iter().zip(SALON_DAYS.iter()).enumerate()
    {
        let pool = &members[seg_i];
        for (k, &offset) in days.iter().enumerate() {
            let (title, theme) = themes[k % themes.len()];
            let start = (today + Duration::days(offset))
                .and_hms_opt(*hour, 0, 0)
                .expect("valid time");
            let capacity: u32 = *pick(rng, &[20, 30, 40]);
            let cancelled = CANCELLED == (seg_i, offset);
            tx.prepare_cached(
                "INSERT INTO salons (title, theme, segments, start, venue, capacity, cancelled,
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                title,
                theme,
                SEGMENTS[seg_i].as_str(),
                format_datetime(start),
                venue,
                capacity,
                cancelled,
                now
            ])?;
            let salon_id = tx.last_insert_rowid();
            sum.salons += 1;
            let wanted = pool.len().min(capacity as usize * 3 / 2);
            let mut chosen: Vec<i64> = rand::seq::index::sample(rng, pool.len(), wanted)
                .into_iter()
                .map(|i| pool[i])
                .collect();
            chosen.sort_unstable();
            for client_id in chosen {
                invite_one(
                    tx, rng, &cal, today, salon_id, title, start, client_id, spouses, planned, sum,
                )?;
            }
        }
    }
    Ok(())
}

/// One client on one salon's list: the calls of the rounds due before today, made on their
/// day as the plan asks for them, then attendance if the salon is over.
#[allow(clippy::too_many_arguments)]
fn invite_one(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    cal: &WorkCalendar,
    today: NaiveDate,
    salon_id: i64,
    title: &str,
    start: NaiveDateTime,
    client_id: i64,
    spouses: &HashMap<i64, i64>,
    planned: &mut Vec<(NaiveDateTime, i64, Planned)>,
    sum: &mut DemoSummary,
) -> Result<()> {
    // Most are asked about two weeks ahead; some are added late and miss the first rounds.
    let lead = if rng.random_bool(0.1) {
        rng.random_range(2..=5)
    } else {
        rng.random_range(9..=14)
    };
    let added_on = (start.date() - Duration::days(lead)).min(today);
    let event = Event {
        id: salon_id.to_string(),
        start,
        capacity: None,
    };
    let invitee = [Invitee {
        id: client_id.to_string(),
        added_on,
    }];
    // The advisor's days from the list to the salon (or to yesterday: today's calls are the
    // agenda's): each day the plan says which call is due, and most are made that day.
    let mut records: Vec<CallRecord> = Vec::new();
    let mut calls = Vec::new();
    let mut last: Option<CallResponse> = None;
    let mut day = added_on;
    while day < today && day <= start.date() {
        let morning = day.and_hms_opt(8, 0, 0).expect("valid time");
        let plan = invitations::plan(&event, &invitee, &records, morning, &salons::SETTINGS, cal)?;
        let due = plan
            .calls
            .iter()
            .find(|c| c.state == CallState::Pending && c.due == day)
            .map(|c| (c.id.clone(), c.round));
        // Now and then a call was never made (the advisor was out that day).
        if let Some((call_id, round)) = due.filter(|_| !rng.random_bool(0.08)) {
            let response = if last == Some(CallResponse::Confirmed) {
                if rng.random_bool(0.9) {
                    CallResponse::Confirmed
                } else {
                    CallResponse::Declined
                }
            } else {
                match rng.random_range(0..100) {
                    0..20 => CallResponse::NoAnswer,
                    20..35 => CallResponse::Declined,
                    35..60 => CallResponse::Tentative,
                    _ => CallResponse::Confirmed,
                }
            };
            last = Some(response);
            records.push(CallRecord {
                call_id: call_id.clone(),
                done_on: day,
                response: response.rule(),
            });
            calls.push((call_id, round, day, response));
        }
        day += Duration::days(1);
    }
    let past = start.date() < today;
    let came = past
        && match last {
            Some(CallResponse::Confirmed) => rng.random_bool(0.85),
            Some(CallResponse::Tentative) => rng.random_bool(0.35),
            Some(CallResponse::Declined) => false,
            Some(CallResponse::NoAnswer) | None => rng.random_bool(0.05),
        };
    // After the event every invitee but those who declined is marked came or no-show.
    let attended = (past && last != Some(CallResponse::Declined)).then_some(came);
    let guests: u32 = if came {
        *pick(rng, &[0, 0, 0, 1, 1, 2])
    } else {
        0
    };
    let companion = spouses
        .get(&client_id)
        .filter(|_| guests > 0 && rng.random_bool(0.5))
        .copied();
    tx.prepare_cached(
        "INSERT INTO salon_invitees (salon_id, client_id, family_id, added_on, attended, guests)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        salon_id,
        client_id,
        companion,
        added_on.to_string(),
        attended,
        guests
    ])?;
    sum.salon_invitees += 1;
    let mut insert = tx.prepare_cached(
        "INSERT INTO salon_calls (call_id, salon_id, client_id, response, done_on)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (call_id, round, due, response) in calls {
        insert.execute(params![
            call_id,
            salon_id,
            client_id,
            response.as_str(),
            due.to_string()
        ])?;
        sum.salon_calls += 1;
        let at = due
            .and_hms_opt(
                rng.random_range(9..18),
                *pick(rng, &[0, 10, 20, 30, 40, 50]),
                0,
            )
            .expect("valid time");
        planned.push((
            at,
            client_id,
            Planned::Salon {
                summary: salons::call_summary(title, round, response, None),
                channel: Channel::Phone,
            },
        ));
    }
    if came {
        let with = match (companion.is_some(), guests) {
            (true, _) => "，和配偶一起来的".to_string(),
            (false, 0) => String::new(),
            (false, n) => format!("，带了 {n} 位朋友"),
        };
        planned.push((
            start,
            client_id,
            Planned::Salon {
                summary: format!("参加沙龙「{title}」{with}"),
                channel: Channel::Salon,
            },
        ));
    }
    Ok(())
}
