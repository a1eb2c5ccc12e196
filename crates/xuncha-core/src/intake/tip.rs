//! Public tips (码上巡察): what anyone may send about a unit under
//! inspection without an account, the receipt code that lets an anonymous
//! tipster come back, and the triage of the team's inbox.
//!
//! Nothing here knows where a tip came from: the web layer never hands a
//! network address or user agent to the core, and the types below have no
//! field that could hold one.

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;

use super::register::Identity;

/// Longest tip text, characters.
pub const MAX_BODY_CHARS: usize = 5000;
/// Shortest tip text, characters (a few words at least).
pub const MIN_BODY_CHARS: usize = 10;
/// Most photos on one tip.
pub const MAX_PHOTOS: usize = 6;
/// Longest message in a follow-up exchange, characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// Characters in a receipt code: 20 × 5 bits = 100 bits, far beyond guessing.
const CODE_LEN: usize = 20;

/// A receipt code, shown to the tipster once and stored only as its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl ReceiptCode {
    /// A fresh random code.
    pub fn generate() -> ReceiptCode {
        ReceiptCode(codes::random(CODE_LEN))
    }

    /// Reads a code as a person types it back (see [`codes::canonical`]).
    pub fn parse(raw: &str) -> Option<ReceiptCode> {
        codes::canonical(raw, CODE_LEN).map(ReceiptCode)
    }

    /// The code in groups of four, as shown and printed.
    pub fn display(&self) -> String {
        codes::grouped(&self.0, 4)
    }

    /// What is stored: SHA-256 of the canonical code, hex.
    pub fn hash(&self) -> String {
        codes::hash(&self.0)
    }
}

labelled_enum!(
    /// Where a tip stands.
    TipStatus, "tip_status", {
    /// 待分办: in the inbox.
    New = "new",
    /// 办理中: turned into a petition, fieldwork entry or clue.
    Handling = "handling",
    /// 已办结: closed with a reason.
    Closed = "closed",
});

/// What triage made of a tip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TipOutcome {
    /// Registered as a petition (信访件).
    Petition {
        /// The petition.
        id: i64,
    },
    /// Recorded as a fieldwork entry of the round.
    Fieldwork {
        /// The record.
        id: i64,
    },
    /// Recorded as a clue (问题线索).
    Clue {
        /// The record.
        id: i64,
    },
    /// Closed without further handling.
    Closed {
        /// Why (shown to the tipster).
        reason: String,
    },
}

impl TipOutcome {
    /// The status a tip takes with this outcome.
    pub fn status(&self) -> TipStatus {
        match self {
            TipOutcome::Closed { .. } => TipStatus::Closed,
            _ => TipStatus::Handling,
        }
    }
    /// The Chinese label of the outcome.
    pub fn label(&self) -> &'static str {
        t(match self {
            TipOutcome::Petition { .. } => "tip_outcome.petition",
            TipOutcome::Fieldwork { .. } => "tip_outcome.fieldwork",
            TipOutcome::Clue { .. } => "tip_outcome.clue",
            TipOutcome::Closed { .. } => "tip_outcome.closed",
        })
    }
    /// Where the outcome lives in the product (a petition or a record).
    pub fn link(&self) -> Option<String> {
        match self {
            TipOutcome::Petition { id } => Some(format!("/petitions/{id}")),
            TipOutcome::Fieldwork { id } | TipOutcome::Clue { id } => {
                Some(format!("/records/{id}"))
            }
            TipOutcome::Closed { .. } => None,
        }
    }
}

/// The public form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TipInput {
    /// What the tipster writes.
    #[serde(default)]
    pub body: String,
    /// "1" when the tipster gives a name.
    #[serde(default)]
    pub named: String,
    /// Name (named tips only).
    #[serde(default)]
    pub name: String,
    /// Phone or address (named tips only).
    #[serde(default)]
    pub contact: String,
}

/// A validated tip, ready to store.
#[derive(Debug, Clone)]
pub struct NewTip {
    /// The round.
    pub round_id: i64,
    /// The inspected unit's target in the round.
    pub target_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its path (permission checks).
    pub unit_path: String,
    /// Text.
    pub body: String,
    /// Photo blobs (SHA-256, metadata already stripped).
    pub photos: Vec<String>,
    /// Sealed identity of a named tipster.
    pub identity: Option<Identity>,
    /// Hash of the receipt code.
    pub receipt_hash: String,
    /// Day received.
    pub received_date: String,
}

impl TipInput {
    /// Validates the text and the identity, naming every bad field.
    pub fn validate(&self) -> Result<(String, Option<Identity>), CoreError> {
        let mut errors = Vec::new();
        let body = self.body.trim();
        let n = body.chars().count();
        if n < MIN_BODY_CHARS {
            errors.push(FieldError::field("body", t("error.tip_body_short")));
        } else if n > MAX_BODY_CHARS {
            errors.push(FieldError::field("body", t("error.tip_body_long")));
        }
        let identity = if self.named == "1" {
            let name = self.name.trim();
            let contact = self.contact.trim();
            if name.is_empty() || name.chars().count() > 50 {
                errors.push(FieldError::field("name", t("error.tip_name")));
            }
            if contact.is_empty() || contact.chars().count() > 200 {
                errors.push(FieldError::field("contact", t("error.tip_contact")));
            }
            Some(Identity {
                name: name.to_owned(),
                contact: contact.to_owned(),
            })
        } else {
            None
        };
        if errors.is_empty() {
            Ok((body.to_owned(), identity))
        } else {
            Err(CoreError::Invalid(errors))
        }
    }
}

/// A tip as handlers see it (identity left out; see [`Identity`]).
#[derive(Debug, Clone, Serialize)]
pub struct Tip {
    /// Id.
    pub id: i64,
    /// The round.
    pub round_id: i64,
    /// The target in the round.
    pub target_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its path.
    #[serde(skip)]
    pub unit_path: String,
    /// Text.
    pub body: String,
    /// Photo blobs.
    pub photos: Vec<String>,
    /// Whether the tipster gave no name.
    pub anonymous: bool,
    /// Status.
    pub status: TipStatus,
    /// Triage outcome.
    pub outcome: Option<TipOutcome>,
    /// Day received.
    pub received_date: String,
    /// Messages exchanged with the tipster, oldest first (filled by `get`).
    pub messages: Vec<TipMessage>,
    /// Version read (for updates).
    pub version: i64,
}

/// One message of the follow-up exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TipMessage {
    /// From the tipster (else from a handler).
    pub from_tipster: bool,
    /// Text.
    pub body: String,
    /// Day written.
    pub date: String,
}

/// What a tipster sees with the receipt code: the status and the exchange,
/// never who handles it or what it became internally.
#[derive(Debug, Clone, Serialize)]
pub struct TipReceipt {
    /// Which unit the tip is about.
    pub unit_name: String,
    /// Day received.
    pub received_date: String,
    /// Status label.
    pub status: &'static str,
    /// The reason, when closed.
    pub closed_reason: Option<String>,
    /// Messages.
    pub messages: Vec<TipMessage>,
}

impl Tip {
    /// The tipster's view.
    pub fn receipt(&self) -> TipReceipt {
        TipReceipt {
            unit_name: self.unit_name.clone(),
            received_date: self.received_date.clone(),
            status: self.status.label(),
            closed_reason: match &self.outcome {
                Some(TipOutcome::Closed { reason }) => Some(reason.clone()),
                _ => None,
            },
            messages: self.messages.clone(),
        }
    }

    /// A short title for lists and the records made from it.
    pub fn title(&self) -> String {
        let head: String = self.body.chars().take(30).collect();
        if self.body.chars().count() > 30 {
            format!("{head}…")
        } else {
            head
        }
    }
}

/// Validates a follow-up message.
pub fn check_message(body: &str) -> Result<String, CoreError> {
    let b = body.trim();
    if b.is_empty() || b.chars().count() > MAX_MESSAGE_CHARS {
        return Err(CoreError::invalid("message", t("error.tip_message")));
    }
    Ok(b.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_read_back_as_typed() {
        let a = ReceiptCode::generate();
        let b = ReceiptCode::generate();
        assert_ne!(a, b);
        let shown = a.display();
        assert_eq!(shown.len(), 24, "five groups of four with dashes: {shown}");
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(ReceiptCode::parse(&typed), Some(a.clone()));
        assert_eq!(ReceiptCode::parse(&typed).map(|c| c.hash()), Some(a.hash()));
        assert_eq!(a.hash().len(), 64);
        assert!(!a.hash().contains(&a.0), "the hash does not hold the code");
    }

    #[test]
    fn look_alikes_in_a_typed_code_are_forgiven() {
        let c = ReceiptCode::parse("0000-1111-2222-3333-4444").expect("valid");
        assert_eq!(
            ReceiptCode::parse("oooo-iiii-2222-3333-4444"),
            Some(c.clone())
        );
        assert_eq!(ReceiptCode::parse("OOOO LLLL 2222 3333 4444"), Some(c));
        assert_eq!(ReceiptCode::parse("0000-1111-2222-3333"), None, "too short");
        assert_eq!(ReceiptCode::parse("0000-1111-2222-3333-444U"), None);
    }

    #[test]
    fn a_tip_needs_words_and_a_named_tip_needs_a_way_back() {
        let short = TipInput {
            body: "太短".into(),
            ..TipInput::default()
        };
        let CoreError::Invalid(e) = short.validate().expect_err("short") else {
            panic!("invalid expected")
        };
        assert_eq!(e[0].field, "body");
        let named = TipInput {
            body: "村干部把低保名额给了自己的亲戚，群众意见很大。".into(),
            named: "1".into(),
            ..TipInput::default()
        };
        let CoreError::Invalid(e) = named.validate().expect_err("named") else {
            panic!("invalid expected")
        };
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "contact"]);
        let anon = TipInput {
            named: String::new(),
            ..named
        };
        let (body, identity) = anon.validate().expect("valid");
        assert!(body.starts_with("村干部"));
        assert_eq!(identity, None);
    }

    #[test]
    fn the_receipt_shows_status_and_reason_only() {
        let tip = Tip {
            id: 1,
            round_id: 1,
            target_id: 1,
            unit_id: 1,
            unit_name: "青石镇".into(),
            unit_path: "/1/2/".into(),
            body: "x".repeat(40),
            photos: vec![],
            anonymous: true,
            status: TipStatus::Closed,
            outcome: Some(TipOutcome::Closed {
                reason: "已另案处理".into(),
            }),
            received_date: "2026-11-28".into(),
            messages: vec![],
            version: 2,
        };
        let r = tip.receipt();
        assert_eq!(r.status, "已办结");
        assert_eq!(r.closed_reason.as_deref(), Some("已另案处理"));
        assert_eq!(tip.title().chars().count(), 31);
        let clue = TipOutcome::Clue { id: 9 };
        assert_eq!(clue.status(), TipStatus::Handling);
        assert_eq!(clue.link().as_deref(), Some("/records/9"));
    }
}
