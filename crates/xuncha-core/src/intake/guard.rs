//! Throttling public submissions without knowing who sends them.
//!
//! A public form first asks for a challenge; the browser then searches for a
//! nonce whose SHA-256 (with the challenge) starts with enough zero bits,
//! and sends it with the form. One solution costs an ordinary phone well
//! under a second at the base difficulty, and a flood costs its sender the
//! same work per submission. When submissions surge past a setting, new
//! challenges get harder, so a flood slows down instead of valid tips being
//! refused: a browser keeps solving and its submission still arrives.
//!
//! Nothing here stores or sees an address: challenges are stateless (signed
//! with a key that lives only in this process), and the only state is the set
//! of challenges already used, kept until they expire, plus a count of
//! recent submissions.

use std::collections::HashMap;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a challenge may be used, ms.
pub const CHALLENGE_TTL_MS: i64 = 30 * 60 * 1000;
/// The most extra bits a surge adds (each bit doubles the work).
pub const MAX_SURGE_BITS: u32 = 8;

/// A challenge handed to a browser.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Challenge {
    /// The signed token to hash with the nonce.
    pub token: String,
    /// Leading zero bits the hash must have.
    pub bits: u32,
}

/// Why a submission's proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardError {
    /// No proof, a forged or garbled token, or too few zero bits.
    Invalid,
    /// The challenge is older than [`CHALLENGE_TTL_MS`].
    Expired,
    /// The challenge was already used.
    Reused,
}

impl GuardError {
    /// The catalogue key of the message for the public form.
    pub fn message_key(self) -> &'static str {
        match self {
            GuardError::Invalid => "error.guard_invalid",
            GuardError::Expired => "error.guard_expired",
            GuardError::Reused => "error.guard_reused",
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// Used challenges (their MAC) with their expiry.
    used: HashMap<[u8; 16], i64>,
    /// Start of the current minute window.
    window_start: i64,
    /// Submissions in the current window.
    count: u32,
    /// Submissions in the previous window.
    previous: u32,
}

/// The challenge issuer and checker of one server process.
pub struct Guard {
    key: [u8; 32],
    state: Mutex<State>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard").finish_non_exhaustive()
    }
}

impl Default for Guard {
    fn default() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Guard {
            key,
            state: Mutex::new(State::default()),
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

impl Guard {
    fn mac(&self, body: &[u8]) -> [u8; 16] {
        // A 32-byte key is always a valid HMAC key.
        let mut m = <HmacSha256 as Mac>::new_from_slice(&self.key).expect("any key length");
        m.update(body);
        let full = m.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// The submissions per minute now (the current window, plus the previous
    /// one weighted by how much of it still overlaps the last minute).
    fn rate(state: &State, now: i64) -> f64 {
        let into = (now - state.window_start).clamp(0, 60_000) as f64 / 60_000.0;
        state.count as f64 + state.previous as f64 * (1.0 - into)
    }

    fn roll(state: &mut State, now: i64) {
        if now - state.window_start >= 120_000 {
            state.previous = 0;
            state.count = 0;
            state.window_start = now;
        } else if now - state.window_start >= 60_000 {
            state.previous = state.count;
            state.count = 0;
            state.window_start += 60_000;
        }
    }

    /// A new challenge: `base_bits` of work, plus up to [`MAX_SURGE_BITS`]
    /// while submissions run above `surge_per_minute` (two more bits for each
    /// doubling above it).
    pub fn challenge(&self, now_ms: i64, base_bits: u32, surge_per_minute: u32) -> Challenge {
        let surge = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            Self::roll(&mut st, now_ms);
            let rate = Self::rate(&st, now_ms);
            let limit = f64::from(surge_per_minute.max(1));
            if rate > limit {
                ((rate / limit).log2().ceil() as u32 * 2).min(MAX_SURGE_BITS)
            } else {
                0
            }
        };
        let bits = (base_bits + surge).min(32);
        let mut body = [0u8; 25];
        body[..8].copy_from_slice(&(now_ms + CHALLENGE_TTL_MS).to_be_bytes());
        rand::rngs::OsRng.fill_bytes(&mut body[8..24]);
        body[24] = bits as u8;
        let mac = self.mac(&body);
        Challenge {
            token: format!("{}{}", hex::encode(body), hex::encode(mac)),
            bits,
        }
    }

    /// Checks a solved challenge and uses it up; counts the submission.
    pub fn verify(&self, token: &str, nonce: &str, now_ms: i64) -> Result<(), GuardError> {
        let raw = hex::decode(token.trim()).map_err(|_| GuardError::Invalid)?;
        if raw.len() != 41 || nonce.is_empty() || nonce.len() > 32 {
            return Err(GuardError::Invalid);
        }
        let (body, mac) = raw.split_at(25);
        let expected = self.mac(body);
        if !constant_eq(&expected, mac) {
            return Err(GuardError::Invalid);
        }
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&body[..8]);
        let expiry = i64::from_be_bytes(expiry);
        if now_ms > expiry {
            return Err(GuardError::Expired);
        }
        if leading_zero_bits(token, nonce) < u32::from(body[24]) {
            return Err(GuardError::Invalid);
        }
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.used.len() > 100_000 {
            st.used.retain(|_, exp| *exp >= now_ms);
        }
        if st.used.insert(expected, expiry).is_some() {
            return Err(GuardError::Reused);
        }
        Self::roll(&mut st, now_ms);
        st.count = st.count.saturating_add(1);
        Ok(())
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Leading zero bits of SHA-256(`token` ":" `nonce`) — the browser computes
/// the same in `app.js`.
pub fn leading_zero_bits(token: &str, nonce: &str) -> u32 {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update(b":");
    h.update(nonce.as_bytes());
    let d = h.finalize();
    let mut bits = 0;
    for byte in d {
        if byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

/// Finds a nonce for a challenge (what the browser does; used by tests and
/// the load benchmark's client).
pub fn solve(c: &Challenge) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| leading_zero_bits(&c.token, n) >= c.bits)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_solved_challenge_passes_once() {
        let g = Guard::default();
        let c = g.challenge(NOW, 8, 600);
        assert_eq!(c.bits, 8);
        let n = solve(&c);
        assert!(leading_zero_bits(&c.token, &n) >= 8);
        assert_eq!(g.verify(&c.token, &n, NOW + 1000), Ok(()));
        assert_eq!(g.verify(&c.token, &n, NOW + 2000), Err(GuardError::Reused));
    }

    #[test]
    fn forged_unsolved_and_expired_challenges_fail() {
        let g = Guard::default();
        let c = g.challenge(NOW, 12, 600);
        // Another process's key: the signature does not match.
        let other = Guard::default();
        let n = solve(&c);
        assert_eq!(other.verify(&c.token, &n, NOW), Err(GuardError::Invalid));
        // A nonce without the work (find one that surely fails).
        let bad = (0u64..)
            .map(|i| i.to_string())
            .find(|x| leading_zero_bits(&c.token, x) < 12)
            .expect("some nonce fails");
        assert_eq!(g.verify(&c.token, &bad, NOW), Err(GuardError::Invalid));
        // Lowering the difficulty inside the token breaks the signature.
        let mut forged = c.token.clone();
        forged.replace_range(48..50, "00");
        assert_eq!(g.verify(&forged, "0", NOW), Err(GuardError::Invalid));
        assert_eq!(
            g.verify(&c.token, &n, NOW + CHALLENGE_TTL_MS + 1),
            Err(GuardError::Expired)
        );
        assert_eq!(g.verify("zz", "1", NOW), Err(GuardError::Invalid));
        assert_eq!(g.verify(&c.token, "", NOW), Err(GuardError::Invalid));
    }

    #[test]
    fn a_surge_raises_the_work_and_calm_lowers_it_again() {
        let g = Guard::default();
        let limit = 10;
        for i in 0..40 {
            let c = g.challenge(NOW + i, 0, limit);
            let n = solve(&c);
            g.verify(&c.token, &n, NOW + i).expect("valid");
        }
        // 40 a minute against a limit of 10: two doublings, four bits.
        assert_eq!(g.challenge(NOW + 100, 0, limit).bits, 4);
        // Two quiet minutes later the work is back to the base.
        assert_eq!(g.challenge(NOW + 150_000, 0, limit).bits, 0);
    }
}
