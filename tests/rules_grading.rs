//! 12421 grading checked by brute force: counts, scores recomputed the slow way, rank order.

use rapport::rules::grading::{
    grade, grade_counts, ClientMetrics, Grade, Tier, TierThresholds, Weights,
};

/// Tiny deterministic generator: books with many ties, no extra dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn book(n: usize, seed: u64) -> Vec<ClientMetrics> {
    let mut r = Lcg(seed);
    (0..n)
        .map(|i| ClientMetrics {
            id: format!("c{:04}", (i * 7919) % n.max(1)),
            aum: (r.next(8) * 250_000) as f64,
            contribution: r.next(5) as f64 * 1000.0 - 1000.0,
            contacts: r.next(4) as u32,
            salons: r.next(3) as u32,
            referrals: r.next(2) as u32,
        })
        .collect()
}

/// The score the slow way: O(n²) percentile ranks, straight from the definition in docs/rules.md.
fn slow_scores(b: &[ClientMetrics], w: &Weights) -> Vec<f64> {
    let n = b.len();
    let cols: [(u32, Vec<f64>); 5] = [
        (w.aum, b.iter().map(|c| c.aum).collect()),
        (w.contribution, b.iter().map(|c| c.contribution).collect()),
        (w.contacts, b.iter().map(|c| c.contacts as f64).collect()),
        (w.salons, b.iter().map(|c| c.salons as f64).collect()),
        (w.referrals, b.iter().map(|c| c.referrals as f64).collect()),
    ];
    let total: u32 = cols.iter().map(|c| c.0).sum();
    (0..n)
        .map(|i| {
            if n == 1 {
                return 50.0;
            }
            let mut s = 0.0;
            for (wt, v) in &cols {
                let less = v.iter().filter(|x| **x < v[i]).count() as f64;
                let equal = v.iter().filter(|x| **x == v[i]).count() as f64;
                s += *wt as f64 * (less + (equal - 1.0) / 2.0) / (n as f64 - 1.0);
            }
            100.0 * s / total as f64
        })
        .collect()
}

#[test]
fn counts_add_up_and_stay_within_one_of_the_exact_share() {
    for n in 0..=3000usize {
        let c = grade_counts(n);
        assert_eq!(c.iter().sum::<usize>(), n, "n={n}");
        let shares = [1usize, 2, 4, 2, 1];
        let mut extra = vec![];
        for k in 0..5 {
            let exact10 = n * shares[k]; // ten times the exact share
            assert!(
                c[k] * 10 + 10 > exact10 && c[k] * 10 < exact10 + 10,
                "n={n} grade {k}: {c:?}"
            );
            if c[k] * 10 > exact10 {
                extra.push(k);
            }
        }
        // Largest remainder: every grade given an extra place has a remainder at least as large
        // as every grade not given one, and on equal remainders the better grade wins.
        for &k in &extra {
            for j in (0..5).filter(|j| !extra.contains(j)) {
                let (rk, rj) = (n * shares[k] % 10, n * shares[j] % 10);
                assert!(rk > rj || (rk == rj && k < j) || rj == 0, "n={n} {c:?}");
            }
        }
    }
    assert_eq!(grade_counts(1), [0, 0, 1, 0, 0]);
    assert_eq!(grade_counts(2), [0, 1, 1, 0, 0]);
    assert_eq!(grade_counts(5), [1, 1, 2, 1, 0]);
    assert_eq!(grade_counts(7), [1, 1, 3, 1, 1]);
    assert_eq!(grade_counts(10), [1, 2, 4, 2, 1]);
    assert_eq!(grade_counts(1001), [100, 200, 401, 200, 100]);
}

fn check_book(b: &[ClientMetrics]) {
    let w = Weights::default();
    let g = grade(b, &w).unwrap();
    let slow = slow_scores(b, &w);
    assert_eq!(g.len(), b.len());
    let counts = grade_counts(b.len());
    for (k, grade_k) in [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E]
        .iter()
        .enumerate()
    {
        assert_eq!(g.iter().filter(|x| x.grade == *grade_k).count(), counts[k]);
    }
    let idx = |id: &str| b.iter().position(|c| c.id == id).unwrap();
    for (pos, x) in g.iter().enumerate() {
        assert_eq!(x.rank, pos + 1);
        assert!(
            (x.score - slow[idx(&x.id)]).abs() < 1e-9,
            "{} {} vs {}",
            x.id,
            x.score,
            slow[idx(&x.id)]
        );
    }
    // Every pair in order: higher score first; equal scores by higher AUM, then smaller id.
    for p in g.windows(2) {
        let (a, c) = (&b[idx(&p[0].id)], &b[idx(&p[1].id)]);
        assert!(p[0].grade <= p[1].grade);
        assert!(
            p[0].score > p[1].score + 1e-12
                || ((p[0].score - p[1].score).abs() < 1e-12
                    && (a.aum > c.aum || (a.aum == c.aum && a.id < c.id))),
            "order {:?} {:?}",
            p[0],
            p[1]
        );
    }
    // Input order does not matter.
    let mut rev = b.to_vec();
    rev.reverse();
    assert_eq!(grade(&rev, &w).unwrap(), g);
}

#[test]
fn books_of_1_7_10_and_1001_with_ties() {
    for (n, seed) in [(1, 1), (7, 2), (10, 3), (1001, 4), (1001, 5), (37, 6)] {
        check_book(&book(n, seed));
    }
    let one = grade(&book(1, 9), &Weights::default()).unwrap();
    assert_eq!((one[0].grade, one[0].score), (Grade::C, 50.0));
}

#[test]
fn identical_clients_split_by_the_documented_key() {
    let same = |id: &str, aum: f64| ClientMetrics {
        id: id.into(),
        aum,
        contribution: 0.0,
        contacts: 1,
        salons: 0,
        referrals: 0,
    };
    // All equal: every score is 50, the order is simply by id.
    let b: Vec<_> = ["g", "c", "a", "f", "b", "e", "d"]
        .iter()
        .map(|i| same(i, 100.0))
        .collect();
    let g = grade(&b, &Weights::default()).unwrap();
    let order: Vec<_> = g.iter().map(|x| (x.id.as_str(), x.grade)).collect();
    assert_eq!(
        order,
        [
            ("a", Grade::A),
            ("b", Grade::B),
            ("c", Grade::C),
            ("d", Grade::C),
            ("e", Grade::C),
            ("f", Grade::D),
            ("g", Grade::E)
        ]
    );
    assert!(g.iter().all(|x| x.score == 50.0));
}

#[test]
fn tiers_from_thresholds() {
    let t = TierThresholds::default();
    assert_eq!(t.tier(6_000_000.0), Tier::Private);
    assert_eq!(t.tier(5_999_999.99), Tier::Vip);
    assert_eq!(t.tier(1_000_000.0), Tier::Vip);
    assert_eq!(t.tier(200_000.0), Tier::High);
    assert_eq!(t.tier(199_999.0), Tier::Mass);
    assert!(TierThresholds {
        private: 1.0,
        vip: 2.0,
        high_end: 0.0
    }
    .validate()
    .is_err());
    assert!(t.validate().is_ok());
    assert!(grade(
        &book(3, 1),
        &Weights {
            aum: 0,
            contribution: 0,
            contacts: 0,
            salons: 0,
            referrals: 0
        }
    )
    .is_err());
}
