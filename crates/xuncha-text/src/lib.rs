//! Chinese text engine for xuncha.
//!
//! Everything here is pure: no IO, no clock, no global state beyond static tables.
//! The crate is the single home of the rules for reading Chinese identity data
//! (GB 11643 citizen ID numbers, names) and, as it grows, normalisation,
//! segmentation, pinyin and fingerprints.

pub mod id_number;
pub mod name;

pub use id_number::{Gender, IdNumber, IdNumberError};
