//! The audit trail: append-only, hash-chained records of every change and of
//! every view of sealed data.
//!
//! Each record's hash covers its own fields and the previous record's hash,
//! so altering, removing or reordering any record breaks the chain from that
//! point on. The storage adapter writes the record in the same transaction as
//! the change; this module owns the hashing rule and the verification.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash that precedes the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a change wants recorded, before the adapter gives it a sequence
/// number and chains it.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// Who acted (0 for the system).
    pub actor_id: i64,
    /// Their login name at the time.
    pub actor_name: String,
    /// What was done (`unit.create`, `person.update`, `import.people`, `login` …).
    pub action: String,
    /// Kind of object (`unit`, `person`, `user`, `settings` …).
    pub object_type: String,
    /// The object's id, when it has one.
    pub object_id: Option<String>,
    /// The object before the change (JSON), when it existed.
    pub before: Option<serde_json::Value>,
    /// The object after the change (JSON), when it still exists.
    pub after: Option<serde_json::Value>,
    /// When (ms).
    pub at: i64,
}

/// A record as stored, with its place in the chain.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    /// Sequence number, 1, 2, 3 … without gaps.
    pub seq: i64,
    /// When (ms).
    pub at: i64,
    /// Who acted.
    pub actor_id: i64,
    /// Their login name.
    pub actor_name: String,
    /// What was done.
    pub action: String,
    /// Kind of object.
    pub object_type: String,
    /// Object id.
    pub object_id: Option<String>,
    /// Before, as JSON text.
    pub before: Option<String>,
    /// After, as JSON text.
    pub after: Option<String>,
    /// Hash of the previous record.
    pub prev_hash: String,
    /// Hash of this record.
    pub hash: String,
}

/// The hash of a record given its fields and the previous hash. Fields are
/// length-prefixed so no two different records serialise alike.
#[allow(clippy::too_many_arguments)]
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    at: i64,
    actor_id: i64,
    actor_name: &str,
    action: &str,
    object_type: &str,
    object_id: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(prev_hash);
    field(&seq.to_string());
    field(&at.to_string());
    field(&actor_id.to_string());
    field(actor_name);
    field(action);
    field(object_type);
    field(object_id.unwrap_or("\u{0}"));
    field(before.unwrap_or("\u{0}"));
    field(after.unwrap_or("\u{0}"));
    hex::encode(h.finalize())
}

impl AuditRecord {
    /// Recomputes this record's hash from its fields and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        chain_hash(
            &self.prev_hash,
            self.seq,
            self.at,
            self.actor_id,
            &self.actor_name,
            &self.action,
            &self.object_type,
            self.object_id.as_deref(),
            self.before.as_deref(),
            self.after.as_deref(),
        )
    }
}

/// Why the chain is broken, naming the first bad record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// A sequence number is missing or out of order (a record was removed or moved).
    #[error("审计记录序号不连续：期望第{expected}条，实际为第{found}条")]
    Gap {
        /// The sequence number that should come next.
        expected: i64,
        /// The one found.
        found: i64,
    },
    /// The record does not point at its predecessor's hash (reordered or inserted).
    #[error("第{seq}条审计记录的前序哈希与上一条不符")]
    BrokenLink {
        /// The bad record.
        seq: i64,
    },
    /// The record's content does not match its hash (altered).
    #[error("第{seq}条审计记录的内容与哈希不符（已被篡改）")]
    Tampered {
        /// The bad record.
        seq: i64,
    },
    /// The chain ends before the head the store remembers (tail removed).
    #[error("审计记录在第{last}条之后缺失，应有{head}条")]
    Truncated {
        /// The last record found.
        last: i64,
        /// The count the head records.
        head: i64,
    },
}

/// Incremental verifier: feed records in sequence order, then `finish` with
/// the head the store remembers.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next record.
    pub fn push(&mut self, r: &AuditRecord) -> Result<(), ChainError> {
        if r.seq != self.expected_seq {
            return Err(ChainError::Gap {
                expected: self.expected_seq,
                found: r.seq,
            });
        }
        if r.prev_hash != self.prev_hash {
            return Err(ChainError::BrokenLink { seq: r.seq });
        }
        if r.expected_hash() != r.hash {
            return Err(ChainError::Tampered { seq: r.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
        Ok(())
    }

    /// Checks that the chain reaches the recorded head (`head_seq` records
    /// ending in `head_hash`). Returns how many records were verified.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainError> {
        let last = self.expected_seq - 1;
        if last != head_seq || (head_seq > 0 && self.prev_hash != head_hash) {
            return Err(ChainError::Truncated {
                last,
                head: head_seq,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut r = AuditRecord {
                    seq,
                    at: seq * 1000,
                    actor_id: 1,
                    actor_name: "admin".into(),
                    action: "unit.create".into(),
                    object_type: "unit".into(),
                    object_id: Some(seq.to_string()),
                    before: None,
                    after: Some(format!("{{\"n\":{seq}}}")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = r.expected_hash();
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn verify(records: &[AuditRecord], head: i64, head_hash: &str) -> Result<i64, ChainError> {
        let mut v = ChainVerifier::default();
        for r in records {
            v.push(r)?;
        }
        v.finish(head, head_hash)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn altered_record_is_named() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        assert_eq!(
            verify(&c, 5, &c[4].hash.clone()),
            Err(ChainError::Tampered { seq: 3 })
        );
    }

    #[test]
    fn removed_record_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c, 5, &c[3].hash.clone()),
            Err(ChainError::Gap {
                expected: 2,
                found: 3
            })
        );
    }

    #[test]
    fn reordered_records_are_caught() {
        let mut c = chain(5);
        c.swap(1, 2);
        // Renumbering to hide the swap breaks the links instead.
        c[1].seq = 2;
        c[2].seq = 3;
        let head = c[4].hash.clone();
        assert!(verify(&c, 5, &head).is_err());
    }

    #[test]
    fn removed_tail_is_caught() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(
            verify(&c[..4], 5, &head),
            Err(ChainError::Truncated { last: 4, head: 5 })
        );
    }

    #[test]
    fn rehashed_forgery_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        c[2].hash = c[2].expected_hash();
        assert_eq!(
            verify(&c, 5, &c[4].hash.clone()),
            Err(ChainError::BrokenLink { seq: 4 })
        );
    }
}
