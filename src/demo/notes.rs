//! The particulars an advisor adds to a note (who, where, how much, what they are into), so the
//! demo's notes are not a few templates repeated: drawn with a skew, common words come up
//! often and rare ones rarely, as in a real book, which is what search is measured against.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Sentences with one blank (`{}`) each, the commonest first.
const CLAUSES: &[&str] = &[
    "客户提到{}",
    "顺便聊到{}",
    "客户说最近在忙{}",
    "客户关心{}",
    "客户问起{}",
    "客户的爱人提到{}",
    "客户打算明年{}",
    "下次见面带上{}的资料",
    "客户朋友推荐了{}",
    "客户对{}不太感兴趣",
];

/// What fills a blank, the commonest first: topics of a wealth advisor's day, then places,
/// schools and pastimes, then things few clients ever mention.
const THINGS: &[&str] = &[
    "孩子的教育金",
    "基金定投",
    "理财产品到期",
    "保险保障",
    "养老规划",
    "房贷提前还款",
    "大额存单利率",
    "孩子出国留学",
    "公司资金周转",
    "父母的体检",
    "换车",
    "装修新房",
    "外汇额度",
    "股票账户",
    "信用卡额度",
    "家族信托",
    "税务筹划",
    "黄金积存",
    "社保补缴",
    "孩子高考志愿",
    "在上海买房",
    "去杭州看房",
    "苏州的厂房",
    "深圳的分公司",
    "成都的项目",
    "老家南京的老房子",
    "去三亚过冬",
    "去新西兰旅游",
    "女儿在温哥华读书",
    "儿子考研",
    "高尔夫球会籍",
    "马拉松训练",
    "钓鱼",
    "书法班",
    "茶叶生意",
    "红木家具",
    "收藏字画",
    "学钢琴的孙女",
    "滑雪",
    "潜水证",
    "古琴",
    "紫砂壶",
    "普洱茶饼",
    "围棋段位",
    "帆船俱乐部",
    "无人机航拍",
    "养兰花",
    "昆曲票友",
    "马术课",
    "沉香手串",
    "滑翔伞",
    "藏獒",
    "黑胶唱片",
    "木雕",
];

/// An index into `n` items, skewed to the front (about a third of draws land in the first tenth).
fn skewed(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.random();
    ((n as f64) * u.powf(2.6)) as usize % n
}

/// The particulars added to one note, from its own seed; none for about a third of notes.
pub(super) fn particulars(seed: u64) -> Option<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if rng.random_bool(0.35) {
        return None;
    }
    let mut out = Vec::new();
    for _ in 0..rng.random_range(1..=2) {
        let clause = CLAUSES[skewed(&mut rng, CLAUSES.len())];
        let thing = THINGS[skewed(&mut rng, THINGS.len())];
        let text = clause.replace("{}", thing);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    if rng.random_bool(0.2) {
        // Amounts as advisors write them: 万 for ten thousand yuan.
        out.push(format!("金额约{}万", rng.random_range(5..=500)));
    }
    Some(out.join("，"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn common_words_are_common_and_rare_ones_rare() {
        let mut counts: HashMap<&str, u32> = HashMap::new();
        let mut none = 0;
        for seed in 0..20_000u64 {
            match particulars(seed) {
                None => none += 1,
                Some(text) => {
                    for t in THINGS {
                        if text.contains(t) {
                            *counts.entry(t).or_default() += 1;
                        }
                    }
                }
            }
        }
        assert!((6_000..8_000).contains(&none), "{none}");
        let first = counts[THINGS[0]];
        let last = counts.get(THINGS[THINGS.len() - 1]).copied().unwrap_or(0);
        // The commonest is tens of times the rarest, and every word comes up.
        assert!(first > 20 * last.max(1), "{first} vs {last}");
        assert!(THINGS.iter().all(|t| counts.contains_key(t)), "{counts:?}");
        assert_eq!(
            particulars(7),
            particulars(7),
            "the same seed, the same words"
        );
    }
}
