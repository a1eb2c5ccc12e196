//! Fingerprints for near-duplicate detection: MinHash over character shingles, LSH banding,
//! and grouping of near-duplicate documents.
//!
//! # Design
//!
//! 1. **Text → shingles.** The text is normalised ([`crate::normalize()`]: traditional,
//!    variant and look-alike characters fold to the standard simplified ones), then everything
//!    that is not a letter or a digit (punctuation, spaces, symbols) is dropped and ASCII is
//!    lower-cased. The shingles are the overlapping runs of `k` characters (default 3). A text
//!    shorter than `k` is one shingle; an empty one has none.
//! 2. **One hash per shingle.** The `k` code points (21 bits each) are packed into a `u64` and
//!    mixed with the splitmix64 finaliser: no hashing library, the same value on every
//!    platform and in every version, so stored signatures stay comparable.
//! 3. **One permutation, 128 bins** (one-permutation hashing with optimal densification, Li et
//!    al. 2012, Shrivastava 2017): the top 7 bits of a shingle's hash choose one of 128 bins,
//!    the rest is its value, and each bin keeps its minimum — one hash per shingle instead of
//!    128. A bin no shingle fell into borrows the value of another bin, chosen by a probe
//!    sequence fixed per bin (the same for every text), so two texts still agree on a position
//!    with probability equal to their Jaccard similarity. The share of equal positions
//!    estimates it (standard error ≈ √(J(1−J)/128), 0.035 at J = 0.8, for texts of a hundred
//!    shingles and more; a little more for very short texts).
//! 4. **LSH banding** ([`LshIndex`]): the signature is cut into `b` bands of `r` rows; two
//!    documents become candidates when any band is equal. `b` and `r` are chosen for the
//!    threshold ([`LshIndex::for_threshold`]), weighting missed pairs above extra candidates
//!    because candidates are verified anyway.
//! 5. **Grouping** ([`group_near_duplicates`]): candidate pairs whose estimated similarity
//!    reaches the threshold are joined with union-find; each group is one set of near
//!    duplicates (transitively: A~B and B~C put A, B and C together).

mod group;
mod lsh;

pub use group::group_near_duplicates;
pub use lsh::LshIndex;

/// Number of permutations (positions in a signature).
pub const NUM_PERM: usize = 128;

/// splitmix64's output function: a fast, well-mixing bijection on `u64`.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The bin of a shingle hash: its top 7 bits (`NUM_PERM` = 128 bins).
const BIN_SHIFT: u32 = 57;
/// The value kept in a bin: the low 57 bits.
const VALUE_MASK: u64 = (1 << BIN_SHIFT) - 1;

/// The `attempt`-th bin an empty bin `i` borrows from: fixed per (bin, attempt), so every
/// text borrows alike and equal positions keep meaning "same minimum".
#[inline]
fn probe(bin: usize, attempt: u64) -> usize {
    (mix(((bin as u64) << 32) ^ attempt ^ 0x5855_4E43_4841_0001) >> BIN_SHIFT) as usize
}

/// A MinHash signature: the minimum of each of 128 bins over a text's shingles (see the
/// module documentation).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    values: [u64; NUM_PERM],
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({:016x}…)", self.values[0])
    }
}

impl Signature {
    /// The signature of a text with no shingles.
    const EMPTY: Signature = Signature {
        values: [u64::MAX; NUM_PERM],
    };

    /// Rebuilds a signature from stored values (see [`Self::values`]).
    pub fn from_values(values: [u64; NUM_PERM]) -> Self {
        Signature { values }
    }

    /// The values, for storage. They are stable across platforms and versions of this crate.
    pub fn values(&self) -> &[u64; NUM_PERM] {
        &self.values
    }

    /// Whether the text had no letters or digits at all.
    pub fn is_empty(&self) -> bool {
        self.values[0] == u64::MAX
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0. Empty texts
    /// are similar to nothing (0.0), not even to each other.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / NUM_PERM as f64
    }
}

/// Computes MinHash signatures over `k`-character shingles of normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinHash {
    shingle_chars: usize,
}

impl Default for MinHash {
    /// Shingles of 3 characters: for Chinese, about one word and a half, which makes reworded
    /// copies score high and unrelated texts on the same subject low.
    fn default() -> Self {
        MinHash { shingle_chars: 3 }
    }
}

impl MinHash {
    /// Shingles of `shingle_chars` characters (clamped to 1..=3 so that a shingle packs into
    /// one `u64` without loss).
    pub fn new(shingle_chars: usize) -> Self {
        MinHash {
            shingle_chars: shingle_chars.clamp(1, 3),
        }
    }

    /// The signature of `text`.
    pub fn signature(&self, text: &str) -> Signature {
        let mut bins = [u64::MAX; NUM_PERM];
        let mut any = false;
        self.for_each_shingle(text, |h| {
            any = true;
            let bin = (h >> BIN_SHIFT) as usize;
            let v = h & VALUE_MASK;
            if v < bins[bin] {
                bins[bin] = v;
            }
        });
        if !any {
            return Signature::EMPTY;
        }
        // Densify: an empty bin takes the value of the first non-empty bin on its probe
        // sequence (values are below 2⁵⁷, so u64::MAX marks empty bins unambiguously).
        let mut values = bins;
        for (i, v) in values.iter_mut().enumerate() {
            if *v != u64::MAX {
                continue;
            }
            let mut attempt = 0u64;
            loop {
                let j = probe(i, attempt);
                if bins[j] != u64::MAX {
                    *v = bins[j];
                    break;
                }
                attempt += 1;
            }
        }
        Signature { values }
    }

    /// Calls `f` with the hash of every shingle of `text` (duplicates included).
    fn for_each_shingle(&self, text: &str, mut f: impl FnMut(u64)) {
        let chars: Vec<u32> = crate::normalize(text)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| u32::from(c.to_ascii_lowercase()))
            .collect();
        let k = self.shingle_chars;
        if chars.is_empty() {
            return;
        }
        if chars.len() < k {
            f(pack(&chars));
            return;
        }
        chars.windows(k).for_each(|w| f(pack(w)));
    }
}

/// Packs up to three code points (21 bits each) into one `u64` and mixes it.
#[inline]
fn pack(chars: &[u32]) -> u64 {
    let packed = chars
        .iter()
        .fold(0u64, |acc, &c| (acc << 21) | u64::from(c));
    // Letters and digits are never U+0000, so the packing is injective without a length.
    mix(packed)
}

#[cfg(test)]
mod tests;
