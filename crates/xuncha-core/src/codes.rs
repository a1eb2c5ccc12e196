//! Random codes that people copy by hand or type back from paper: the
//! receipt codes of public tips and the one-time codes of survey slips.
//! Crockford's base32 alphabet without look-alikes (no I, L, O, U), read
//! back forgivingly, stored only as a SHA-256.

use rand::Rng;
use sha2::{Digest, Sha256};

/// 32 symbols: 5 bits a character.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh random code of `len` characters (OS randomness).
pub fn random(len: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A code as typed back: case, spaces and dashes do not matter, and the
/// usual look-alikes (O→0, I/L→1) are forgiven. `None` unless it has
/// exactly `len` valid characters.
pub fn canonical(raw: &str, len: usize) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (s.len() == len && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

/// The code in dash-separated groups of `n`, as shown and printed.
pub fn grouped(code: &str, n: usize) -> String {
    code.as_bytes()
        .chunks(n.max(1))
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What is stored of a canonical code: its SHA-256, hex.
pub fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_typed() {
        let c = random(10);
        assert_eq!(c.len(), 10);
        assert_ne!(random(10), c);
        let typed = grouped(&c, 5).to_lowercase();
        assert_eq!(canonical(&typed, 10).as_deref(), Some(c.as_str()));
        assert_eq!(canonical("oooo-iill-22", 10).as_deref(), Some("0000111122"));
        assert_eq!(canonical("0000-1111", 10), None);
        assert_eq!(
            canonical("00001111UU", 10),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(hash("A").len(), 64);
    }
}
