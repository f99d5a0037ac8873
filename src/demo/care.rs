//! The demo book's care records: preferences, gifts over the past three years, referrals,
//! points and satisfaction surveys, in the proportions a branch advisor's book has them
//! (private and VIP clients get most of the gifts and care; a few in twenty came by referral;
//! most surveys are happy, one in twenty is not and opened a follow-up).
//!
//! Rows go in through prepared statements with one time stamp: a 100k-client demo writes a few
//! hundred thousand of them and must stay quick.

use super::pick;
use super::DemoSummary;
use crate::book::values::{Channel, GiftQuality, Occasion, PreferenceKind, Tier};
use crate::Result;
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};

/// What the generator knows of a client when it comes to their care.
#[derive(Debug, Clone)]
pub(super) struct Person {
    /// The client.
    pub client_id: i64,
    /// Their tier: the higher, the more care.
    pub tier: Tier,
    /// Their age.
    pub age: i32,
    /// The spouse, if any.
    pub spouse: Option<i64>,
    /// The first child, if any.
    pub child: Option<i64>,
}

const CLIENT_LIKES: &[&str] = &[
    "喜欢普洱茶",
    "喜欢书法",
    "喜欢摄影",
    "喜欢高尔夫",
    "喜欢纪念币",
    "喜欢真丝围巾",
    "在意健康体检",
];
const HABITS: &[&str] = &[
    "每天早上打太极拳",
    "周末去郊外钓鱼",
    "工作时间只回微信，不接电话",
    "每年春节回老家过年",
    "上午十点前不方便联系",
];
const FAMILY_TABOOS: &[&str] = &[
    "不喝酒",
    "对芒果过敏",
    "不吃海鲜",
    "忌讳送钟表",
    "对花粉过敏",
];
const FAMILY_LIKES: &[&str] = &["喜欢插花", "喜欢瑜伽", "喜欢真丝丝巾", "喜欢茶艺"];
/// Gifts by occasion.
const GIFTS: &[(Occasion, &[&str])] = &[
    (
        Occasion::Birthday,
        &[
            "真丝围巾",
            "生日蛋糕券",
            "生日纪念币",
            "全家福相框",
            "保温杯",
            "茶具套装",
            "健康体检套餐",
        ],
    ),
    (
        Occasion::Festival,
        &[
            "月饼礼盒",
            "粽子礼盒",
            "春节福袋",
            "重阳养生礼盒",
            "普洱茶饼",
            "西湖龙井",
            "进口水果礼盒",
        ],
    ),
    (Occasion::Salon, &["沙龙伴手礼", "定制笔记本", "插花作品"]),
    (Occasion::Thanks, &["电影票两张", "感谢卡与茶叶"]),
];
const REWARDS: &[&str] = &["电影票两张", "超市购物卡", "500 积分", "体检套餐一份"];
const EARNED: &[&str] = &["理财签约", "生日双倍积分", "参加沙龙", "定投满一年"];
const REDEEMED: &[&str] = &["兑换体检套餐", "兑换茶具", "兑换电影票", "兑换超市卡"];
const HAPPY: &[&str] = &["服务很周到", "经理很专业", "回复及时", "满意"];
const UNHAPPY: &[&str] = &["排队时间太长", "产品收益不及预期，有些失望", "电话总打不通"];

/// A price in fen for a gift to a client of `tier`, in their band.
fn cost(rng: &mut ChaCha8Rng, tier: Tier) -> i64 {
    let (low, high) = match tier {
        Tier::Private => (800, 3000),
        Tier::Vip => (300, 1000),
        Tier::High => (100, 400),
        Tier::Mass => (50, 150),
    };
    rng.random_range(low..=high) / 10 * 10 * 100
}

/// Write every care record of the demo book.
pub(super) fn add(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    people: &[Person],
    sum: &mut DemoSummary,
) -> Result<()> {
    let now = crate::book::stamp(tx)?;
    let mut pref = tx.prepare(
        "INSERT INTO preferences (client_id, family_id, kind, text, quality, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut gift = tx.prepare(
        "INSERT INTO gifts (client_id, family_id, given_on, occasion, gift, cost_fen, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut referral = tx.prepare(
        "INSERT INTO referrals (referrer_id, referred_id, referred_on, reward, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut point = tx.prepare(
        "INSERT INTO points (client_id, booked_on, kind, points, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let days_ago =
        |rng: &mut ChaCha8Rng, max: i64| today - Duration::days(rng.random_range(1..max));
    for (i, p) in people.iter().enumerate() {
        let (care, gifts_max) = match p.tier {
            Tier::Private => (0.95, 6),
            Tier::Vip => (0.8, 4),
            Tier::High => (0.5, 2),
            Tier::Mass => (0.2, 1),
        };
        // Preferences: the client's likes, habits and expected quality; the spouse's taboos.
        let mut prefs: Vec<(Option<i64>, PreferenceKind, String, Option<GiftQuality>)> = vec![];
        if rng.random_bool(care * 0.5) {
            let like = pick(rng, CLIENT_LIKES).to_string();
            prefs.push((None, PreferenceKind::Like, like, None));
        }
        if rng.random_bool(0.15) {
            let habit = pick(rng, HABITS).to_string();
            prefs.push((None, PreferenceKind::Habit, habit, None));
        }
        let quality = match p.tier {
            Tier::Private => Some(if rng.random_bool(0.5) {
                GiftQuality::Luxury
            } else {
                GiftQuality::Premium
            }),
            Tier::Vip => Some(GiftQuality::Premium),
            Tier::High => rng.random_bool(0.5).then_some(GiftQuality::Standard),
            Tier::Mass => rng.random_bool(0.1).then_some(GiftQuality::Economy),
        };
        if let Some(q) = quality {
            prefs.push((None, PreferenceKind::Quality, q.label_zh().into(), Some(q)));
        }
        if let Some(spouse) = p.spouse {
            if rng.random_bool(0.15) {
                let taboo = pick(rng, FAMILY_TABOOS).to_string();
                prefs.push((Some(spouse), PreferenceKind::Taboo, taboo, None));
            }
            if rng.random_bool(care * 0.3) {
                let like = pick(rng, FAMILY_LIKES).to_string();
                prefs.push((Some(spouse), PreferenceKind::Like, like, None));
            }
        }
        for (family, kind, text, q) in prefs {
            pref.execute(params![p.client_id, family, kind, text, q, now])?;
            sum.preferences += 1;
        }
        // Gifts over the past three years, mostly birthdays and festivals; some to the
        // spouse, now and then the child's target university brochure.
        let n = if rng.random_bool(care) {
            rng.random_range(1..=gifts_max)
        } else {
            0
        };
        for _ in 0..n {
            let (occasion, items) = match rng.random_range(0..100) {
                0..40 => &GIFTS[0],
                40..85 => &GIFTS[1],
                85..93 => &GIFTS[2],
                _ => &GIFTS[3],
            };
            let to_spouse = p.spouse.filter(|_| rng.random_bool(0.25));
            let (to, item) = match p.child {
                Some(child) if rng.random_bool(0.05) => (Some(child), "目标大学介绍手册"),
                // The Double Ninth is the retirees' festival.
                _ if p.age >= 58 && *occasion == Occasion::Festival && rng.random_bool(0.3) => {
                    (None, "重阳养生礼盒")
                }
                _ => (to_spouse, *pick(rng, items)),
            };
            let on = days_ago(rng, 3 * 365);
            let price = cost(rng, p.tier);
            gift.execute(params![
                p.client_id,
                to,
                on.to_string(),
                occasion,
                item,
                price,
                now
            ])?;
            sum.gifts += 1;
        }
        // A few in twenty came by referral from a client entered before them.
        if i > 0 && rng.random_bool(0.06) {
            let referrer = &people[rng.random_range(0..i)];
            let on = days_ago(rng, 2 * 365);
            let reward = pick(rng, REWARDS);
            referral.execute(params![
                referrer.client_id,
                p.client_id,
                on.to_string(),
                reward,
                now
            ])?;
            sum.referrals += 1;
            point.execute(params![
                referrer.client_id,
                on.to_string(),
                "earned",
                500,
                "转介绍奖励",
                now
            ])?;
            sum.points_lines += 1;
        }
        // Points: earned a few times, sometimes redeemed, never beyond what was earned.
        if rng.random_bool(care * 0.6) {
            let mut balance = 0;
            let mut lines: Vec<(NaiveDate, bool, i64, &str)> = Vec::new();
            for _ in 0..rng.random_range(1..=4) {
                let pts = rng.random_range(1..=20) * 100;
                lines.push((days_ago(rng, 2 * 365), true, pts, *pick(rng, EARNED)));
            }
            lines.sort_by_key(|l| l.0);
            if rng.random_bool(0.4) {
                let total: i64 = lines.iter().map(|l| l.2).sum();
                let last = lines.last().map(|l| l.0).unwrap_or(today);
                let on = last + Duration::days(rng.random_range(0..=(today - last).num_days()));
                lines.push((on, false, (total / 200).max(1) * 100, *pick(rng, REDEEMED)));
            }
            for (on, earned, pts, reason) in lines {
                balance += if earned { pts } else { -pts };
                debug_assert!(balance >= 0);
                let kind = if earned { "earned" } else { "redeemed" };
                point.execute(params![p.client_id, on.to_string(), kind, pts, reason, now])?;
                sum.points_lines += 1;
            }
        }
        // Surveys over the past year; one in twenty unhappy, which opened a follow-up (done
        // by now unless the survey is recent).
        if rng.random_bool(care * 0.4) {
            for _ in 0..rng.random_range(1..=2) {
                let on = days_ago(rng, 365);
                let (score, comment) = match rng.random_range(0..100) {
                    0..5 => (rng.random_range(1..=2), Some(*pick(rng, UNHAPPY))),
                    5..20 => (3, None),
                    20..55 => (4, None),
                    _ => (5, rng.random_bool(0.5).then(|| *pick(rng, HAPPY))),
                };
                let channel = *pick(rng, &[Channel::Phone, Channel::Wechat, Channel::Visit]);
                let id = crate::surveys::insert(tx, p.client_id, on, channel, score, comment, on)?;
                sum.surveys += 1;
                if crate::surveys::dissatisfied(score, comment) {
                    sum.follow_ups += 1;
                    if (today - on).num_days() > 21 {
                        tx.execute(
                            "UPDATE follow_ups SET done_at = ?2 WHERE id =
                                 (SELECT follow_up_id FROM surveys WHERE id = ?1)",
                            params![id, format!("{} 10:00", on + Duration::days(2))],
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}
