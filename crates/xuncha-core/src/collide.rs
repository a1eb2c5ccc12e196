//! Data cross-check hits (大数据碰撞) as the product keeps them: each run's
//! hits are stored for the unit whose lists were checked, compared with the
//! previous runs by their stable key (new, unchanged, gone), triaged
//! (待核实 → 已核实属实 / 不属实 → 已转线索) with a note, and turned into
//! clues of a round. The engine that finds them is `xuncha-collide`.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::i18n::t;
use crate::labels::labelled_enum;

labelled_enum!(
    /// Where the verification of a hit stands.
    HitState, "hit_state", {
    /// 待核实.
    Pending = "pending",
    /// 已核实属实.
    Confirmed = "confirmed",
    /// 不属实.
    Unfounded = "unfounded",
    /// 已转线索.
    Clue = "clue",
});

labelled_enum!(
    /// What the last run said about a hit compared with the runs before.
    HitChange, "hit_change", {
    /// 新发现: not found before.
    New = "new",
    /// 仍存在: found again.
    Unchanged = "unchanged",
    /// 已消失: not found by the last run of its rule (data corrected).
    Gone = "gone",
});

/// A hit as a run found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHit {
    /// The rule's id.
    pub rule: String,
    /// The rule's Chinese title.
    pub rule_title: String,
    /// The subject's ID number, when known.
    pub subject_id_number: Option<String>,
    /// The subject's name as written.
    pub subject_name: String,
    /// Matched by ID number (else by name and birth date or village).
    pub strong: bool,
    /// The matched rows and why, in Chinese.
    pub evidence: String,
    /// The stable key (rule + subject + matched persons; no row numbers).
    pub key: String,
    /// Where the subject lives or works as the list says (a village, a
    /// unit), to attribute the hit to a unit of the registry.
    #[serde(default)]
    pub place: Option<String>,
}

/// A hit with the unit it is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedHit {
    /// What the run found.
    pub hit: NewHit,
    /// The unit the subject belongs to (else the jurisdiction checked).
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
}

/// A stored hit.
#[derive(Debug, Clone, Serialize)]
pub struct StoredHit {
    /// Id.
    pub id: i64,
    /// What the run found.
    #[serde(flatten)]
    pub hit: NewHit,
    /// The unit whose lists were checked.
    pub unit_id: i64,
    /// Its path (permission checks).
    #[serde(skip)]
    pub unit_path: String,
    /// Verification.
    pub state: HitState,
    /// The verifier's note.
    pub note: String,
    /// New, unchanged or gone at the last run.
    pub change: HitChange,
    /// The clue made from it.
    pub clue_id: Option<i64>,
    /// Version read (for updates).
    pub version: i64,
}

/// What a run changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// The run.
    pub run_id: i64,
    /// Hits not found before.
    pub new: i64,
    /// Hits found again.
    pub unchanged: i64,
    /// Earlier hits of the same rules not found this time.
    pub gone: i64,
}

/// A triage decision as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TriageInput {
    /// `confirmed`, `unfounded` or `pending`.
    #[serde(default)]
    pub state: String,
    /// Why (required for 不属实).
    #[serde(default)]
    pub note: String,
    /// The version read.
    #[serde(default)]
    pub version: i64,
}

impl TriageInput {
    /// The new state and note; a hit turned into a clue is not triaged again.
    pub fn validate(&self, current: HitState) -> Result<(HitState, String), CoreError> {
        if current == HitState::Clue {
            return Err(CoreError::invalid("state", t("error.hit_is_clue")));
        }
        let state = HitState::parse(&self.state)
            .filter(|s| *s != HitState::Clue)
            .ok_or_else(|| CoreError::invalid("state", t("error.hit_state")))?;
        let note = self.note.trim();
        if state == HitState::Unfounded && note.is_empty() {
            return Err(CoreError::invalid("note", t("error.hit_note")));
        }
        if note.chars().count() > 2000 {
            return Err(CoreError::invalid("note", t("error.hit_note_long")));
        }
        Ok((state, note.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triage_needs_a_reason_to_dismiss_and_stops_at_a_clue() {
        let i = TriageInput {
            state: "unfounded".into(),
            ..TriageInput::default()
        };
        assert!(matches!(
            i.validate(HitState::Pending),
            Err(CoreError::Invalid(_))
        ));
        let i = TriageInput {
            note: "经核实系同名不同人".into(),
            ..i
        };
        assert_eq!(
            i.validate(HitState::Pending).expect("valid"),
            (HitState::Unfounded, "经核实系同名不同人".to_owned())
        );
        assert!(i.validate(HitState::Clue).is_err());
        let c = TriageInput {
            state: "clue".into(),
            ..TriageInput::default()
        };
        assert!(
            c.validate(HitState::Confirmed).is_err(),
            "a clue is made, not chosen"
        );
        assert_eq!(HitState::parse("已核实属实"), Some(HitState::Confirmed));
    }
}
