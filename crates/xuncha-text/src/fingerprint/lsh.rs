//! Locality-sensitive hashing over MinHash signatures (banding).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{mix, Signature, NUM_PERM};

/// Hasher for keys that already are well-mixed 64-bit hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Buckets = HashMap<u64, Vec<u64>, BuildHasherDefault<PassThrough>>;

/// An index of signatures by band: documents sharing any band are candidates.
///
/// With `b` bands of `r` rows, two documents of similarity `s` become candidates with
/// probability `1 − (1 − sʳ)ᵇ`, an S-curve that is steepest near `(1/b)^(1/r)`.
#[derive(Debug, Clone)]
pub struct LshIndex {
    bands: usize,
    rows: usize,
    tables: Vec<Buckets>,
    len: usize,
}

impl LshIndex {
    /// An index with `bands` bands of `rows` rows. Both are at least 1, and `bands` is reduced
    /// so that `bands × rows` fits in a signature.
    pub fn new(bands: usize, rows: usize) -> Self {
        let rows = rows.clamp(1, NUM_PERM);
        let bands = bands.clamp(1, NUM_PERM / rows);
        LshIndex {
            bands,
            rows,
            tables: vec![Buckets::default(); bands],
            len: 0,
        }
    }

    /// An index whose bands and rows suit a similarity `threshold` (0.0 to 1.0): the pair that
    /// minimises 0.05 × (area of false candidates below the threshold) + 0.95 × (area of
    /// missed pairs above it). Missed pairs weigh far more because candidates are verified
    /// and a verification costs one signature comparison. For 0.8 this gives 16 bands of 8
    /// rows: a pair at 0.8 becomes a candidate with probability 0.95, at 0.9 with 0.9999, at
    /// 0.5 with 0.06.
    pub fn for_threshold(threshold: f64) -> Self {
        let (bands, rows) = optimal_bands(threshold.clamp(0.0, 1.0), 0.05, 0.95);
        Self::new(bands, rows)
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.bands
    }

    /// Rows per band.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of signatures inserted (empty signatures are not indexed).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been inserted.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Indexes `signature` under `id`. An empty signature (a text without letters or digits)
    /// is skipped: it is similar to nothing.
    pub fn insert(&mut self, id: u64, signature: &Signature) {
        if signature.is_empty() {
            return;
        }
        for (band, table) in self.tables.iter_mut().enumerate() {
            table
                .entry(band_key(signature, band, self.rows))
                .or_default()
                .push(id);
        }
        self.len += 1;
    }

    /// Ids of the indexed signatures that share at least one band with `signature`, sorted
    /// and without repeats (the signature's own id is included when it was inserted).
    pub fn candidates(&self, signature: &Signature) -> Vec<u64> {
        if signature.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<u64> = self
            .tables
            .iter()
            .enumerate()
            .filter_map(|(band, table)| table.get(&band_key(signature, band, self.rows)))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The hash of band `band` (its `rows` values), salted with the band number.
fn band_key(signature: &Signature, band: usize, rows: usize) -> u64 {
    signature.values()[band * rows..(band + 1) * rows]
        .iter()
        .fold(mix(band as u64), |acc, &v| mix(acc ^ v))
}

/// Probability that two documents of similarity `s` share a band.
fn collision(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// Integrates `f` over `[lo, hi]` with the midpoint rule.
fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    const STEPS: usize = 200;
    let h = (hi - lo) / STEPS as f64;
    (0..STEPS)
        .map(|i| f(lo + (i as f64 + 0.5) * h))
        .sum::<f64>()
        * h
}

/// The (bands, rows) that minimise the weighted false-positive and false-negative areas.
pub(crate) fn optimal_bands(threshold: f64, fp_weight: f64, fn_weight: f64) -> (usize, usize) {
    let mut best = (f64::MAX, 1, 1);
    for bands in 1..=NUM_PERM {
        for rows in 1..=NUM_PERM / bands {
            let fp = integrate(|s| collision(s, bands, rows), 0.0, threshold);
            let miss = integrate(|s| 1.0 - collision(s, bands, rows), threshold, 1.0);
            let cost = fp_weight * fp + fn_weight * miss;
            if cost < best.0 {
                best = (cost, bands, rows);
            }
        }
    }
    (best.1, best.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::MinHash;

    #[test]
    fn parameters_fit_the_signature() {
        for t in [0.5, 0.7, 0.8, 0.9] {
            let idx = LshIndex::for_threshold(t);
            assert!(idx.bands() * idx.rows() <= NUM_PERM);
            // The S-curve catches most pairs at the threshold and few well below it.
            assert!(collision(t, idx.bands(), idx.rows()) > 0.9, "t={t}");
            assert!(collision(t - 0.3, idx.bands(), idx.rows()) < 0.2, "t={t}");
        }
        let idx = LshIndex::for_threshold(0.8);
        assert_eq!((idx.bands(), idx.rows()), (16, 8));
        assert!(collision(0.8, 16, 8) > 0.94 && collision(0.5, 16, 8) < 0.07);
        let idx = LshIndex::new(1000, 0);
        assert_eq!((idx.bands(), idx.rows()), (NUM_PERM, 1));
    }

    #[test]
    fn finds_identical_and_skips_empty() {
        let mh = MinHash::default();
        let mut idx = LshIndex::for_threshold(0.8);
        let a = mh.signature("县委第三巡察组对城关镇党委开展了常规巡察");
        let empty = mh.signature("，。！ ");
        idx.insert(7, &a);
        idx.insert(8, &empty);
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.candidates(&a), vec![7]);
        assert!(idx.candidates(&empty).is_empty());
        assert!(idx
            .candidates(&mh.signature("完全无关的另一段文字内容"))
            .is_empty());
    }
}
