//! The transparent risk score used to propose a round's targets: each factor
//! is scaled against the highest value among the candidates and weighted,
//! and every factor's points are shown, so the office can see why a unit
//! ranks where it does.

use serde::Serialize;

/// What is known about one candidate unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskInput {
    /// Budget and special funds in yuan.
    pub budget_yuan: i64,
    /// Petitions and complaints about the unit (received on site or registered).
    pub petitions: i64,
    /// Problems found in earlier rounds (approved working papers).
    pub past_problems: i64,
    /// Rectification items that were late, or a rating of 一般/差.
    pub weak_rectification: i64,
    /// Years since the last inspection; `None` when never inspected.
    pub years_since: Option<i64>,
    /// Confirmed data cross-check hits about the unit.
    pub confirmed_hits: i64,
}

/// One factor of a unit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Catalogue key of the factor's name (`risk.budget` …).
    pub key: &'static str,
    /// The raw value.
    pub value: i64,
    /// Points earned (0 ..= weight).
    pub points: f64,
    /// The factor's weight.
    pub weight: f64,
}

/// Weights of the factors (they add up to 100).
pub const WEIGHTS: [(&str, f64); 6] = [
    ("risk.budget", 20.0),
    ("risk.petitions", 20.0),
    ("risk.past_problems", 20.0),
    ("risk.weak_rectification", 15.0),
    ("risk.years_since", 15.0),
    ("risk.confirmed_hits", 10.0),
];

/// A never-inspected unit counts as this many years since the last round
/// (全覆盖: it should come first among otherwise equal units).
const NEVER_YEARS: i64 = 10;

fn raw(i: &RiskInput) -> [i64; 6] {
    [
        i.budget_yuan.max(0),
        i.petitions.max(0),
        i.past_problems.max(0),
        i.weak_rectification.max(0),
        i.years_since.unwrap_or(NEVER_YEARS).clamp(0, NEVER_YEARS),
        i.confirmed_hits.max(0),
    ]
}

/// Scores every candidate: (total 0–100, factors), in input order.
pub fn score(inputs: &[RiskInput]) -> Vec<(f64, Vec<Factor>)> {
    let raws: Vec<[i64; 6]> = inputs.iter().map(raw).collect();
    let mut max = [0i64; 6];
    for r in &raws {
        for (m, v) in max.iter_mut().zip(r) {
            *m = (*m).max(*v);
        }
    }
    raws.iter()
        .map(|r| {
            let factors: Vec<Factor> = WEIGHTS
                .iter()
                .zip(r.iter().zip(max))
                .map(|((key, weight), (value, m))| Factor {
                    key,
                    value: *value,
                    points: if m == 0 {
                        0.0
                    } else {
                        (*value as f64 / m as f64 * weight * 10.0).round() / 10.0
                    },
                    weight: *weight,
                })
                .collect();
            let total = (factors.iter().map(|f| f.points).sum::<f64>() * 10.0).round() / 10.0;
            (total, factors)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_factor_scales_against_the_highest_candidate() {
        let a = RiskInput {
            budget_yuan: 10_000_000,
            petitions: 4,
            past_problems: 10,
            weak_rectification: 2,
            years_since: Some(1),
            confirmed_hits: 0,
        };
        let b = RiskInput {
            budget_yuan: 5_000_000,
            petitions: 8,
            past_problems: 0,
            weak_rectification: 0,
            years_since: None,
            confirmed_hits: 3,
        };
        let s = score(&[a, b]);
        let f = |i: usize, k: &str| s[i].1.iter().find(|f| f.key == k).map(|f| f.points);
        assert_eq!(f(0, "risk.budget"), Some(20.0));
        assert_eq!(f(1, "risk.budget"), Some(10.0));
        assert_eq!(f(0, "risk.petitions"), Some(10.0));
        assert_eq!(
            f(1, "risk.years_since"),
            Some(15.0),
            "never inspected scores highest"
        );
        assert_eq!(f(0, "risk.years_since"), Some(1.5));
        assert_eq!(f(1, "risk.past_problems"), Some(0.0));
        assert_eq!(f(1, "risk.confirmed_hits"), Some(10.0));
        assert!((s[0].0 - (20.0 + 10.0 + 20.0 + 15.0 + 1.5)).abs() < 1e-9);
        assert!((s[1].0 - (10.0 + 20.0 + 15.0 + 10.0)).abs() < 1e-9);
    }

    #[test]
    fn all_zero_scores_zero_without_dividing_by_zero() {
        let s = score(&[RiskInput {
            years_since: Some(0),
            ..Default::default()
        }]);
        assert_eq!(s[0].0, 0.0);
        assert!(s[0].1.iter().all(|f| f.points == 0.0));
        assert_eq!(WEIGHTS.iter().map(|w| w.1).sum::<f64>(), 100.0);
    }
}
