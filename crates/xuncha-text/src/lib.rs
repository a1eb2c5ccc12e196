//! Chinese text engine for xuncha.
//!
//! Everything here is pure: no IO, no clock, no global state beyond static tables that are
//! compiled into the binary and built once on first use. The crate is the single home of the
//! rules for reading Chinese text and identity data:
//!
//! - [`id_number`]: GB 11643 citizen ID numbers (checksums, 15 → 18 upgrade);
//! - [`name`]: personal names as written in records;
//! - [`mod@normalize`]: the matching form of text (traditional → simplified, variants and
//!   look-alikes, full-width, enclosed numerals, invisible characters, odd spaces), with
//!   offsets back to the original;
//! - [`segment`]: word segmentation (jieba plus a domain dictionary, words added at run time);
//! - [`pinyin`]: full pinyin and initials of names (with surname readings) and titles;
//! - [`fingerprint`]: MinHash signatures, LSH and grouping of near-duplicate documents;
//! - [`person`]: keys for linking the same person across records, with their strength.
//!
//! Data files and their licences are listed in `data/SOURCES.md`.

pub mod fingerprint;
pub mod id_number;
pub mod name;
pub mod normalize;
pub mod person;
pub mod pinyin;
pub mod segment;

pub use fingerprint::{group_near_duplicates, LshIndex, MinHash, Signature};
pub use id_number::{Gender, IdNumber, IdNumberError};
pub use normalize::{
    normalize, normalize_with, normalize_with_offsets, NormalizeOptions, Normalizer,
};
pub use person::{person_key, KeyStrength, PersonKey};
pub use pinyin::{name_pinyin, text_pinyin, PinyinKeys};
pub use segment::{CutMode, IndexWord, IndexWordKind, Segmenter, Token};
