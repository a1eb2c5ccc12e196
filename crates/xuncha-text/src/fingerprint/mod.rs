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
//! 3. **128 cheap permutations.** Permutation *i* is `(aᵢ·h + bᵢ) mod (2⁶¹ − 1)` with fixed
//!    `aᵢ, bᵢ` drawn at compile time from splitmix64; the signature keeps the minimum of each.
//!    The share of equal positions in two signatures estimates the Jaccard similarity of their
//!    shingle sets (standard error ≈ √(J(1−J)/128), 0.035 at J = 0.8).
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

/// The Mersenne prime 2⁶¹ − 1, the modulus of the permutations.
const PRIME: u64 = (1 << 61) - 1;

/// splitmix64's output function: a fast, well-mixing bijection on `u64`.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The permutation coefficients `(a, b)`, `1 ≤ a < p`, `0 ≤ b < p`, fixed forever (changing
/// them makes stored signatures incomparable).
const PERMUTATIONS: [(u64, u64); NUM_PERM] = {
    let mut out = [(0u64, 0u64); NUM_PERM];
    let mut state: u64 = 0x5855_4E43_4841_0001; // "XUNCHA" + 1
    let mut i = 0;
    while i < NUM_PERM {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let a = mix(state) % (PRIME - 1) + 1;
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let b = mix(state) % PRIME;
        out[i] = (a, b);
        i += 1;
    }
    out
};

/// `(a·x + b) mod (2⁶¹ − 1)` for `a, b, x < 2⁶¹`.
#[inline(always)]
fn permute(a: u64, b: u64, x: u64) -> u64 {
    let t = u128::from(a) * u128::from(x) + u128::from(b);
    // t < 2¹²³: fold the high bits onto the low ones twice (2⁶¹ ≡ 1 mod p).
    let folded = (t & u128::from(PRIME)) + (t >> 61);
    let r = ((folded & u128::from(PRIME)) + (folded >> 61)) as u64;
    if r >= PRIME {
        r - PRIME
    } else {
        r
    }
}

/// A MinHash signature: the minimum of each permutation over a text's shingles.
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
        let mut sig = Signature::EMPTY;
        self.for_each_shingle(text, |h| {
            let x = h % PRIME;
            for (v, &(a, b)) in sig.values.iter_mut().zip(PERMUTATIONS.iter()) {
                let p = permute(a, b, x);
                if p < *v {
                    *v = p;
                }
            }
        });
        sig
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
