//! Preparation (准备): briefings requested from the departments that know
//! the unit, logged with what they said.

use serde::{Deserialize, Serialize};

use super::record::{RecordData, RecordKind};
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;
use crate::registry::parse_date;

labelled_enum!(
    /// Who is asked for a briefing (情况通报).
    BriefingSource, "briefing_source", {
    /// 纪检监察机关
    Discipline = "discipline",
    /// 组织部门
    Organisation = "organisation",
    /// 信访部门
    Petition = "petition",
    /// 审计机关
    Audit = "audit",
    /// 财政部门
    Finance = "finance",
    /// 政法机关
    Legal = "legal",
    /// 其他
    Other = "other",
    }
);

/// A briefing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    /// From whom.
    pub source: BriefingSource,
    /// Day requested.
    pub requested: String,
    /// Day received, once it came.
    pub received: Option<String>,
    /// What they said.
    pub content: String,
}

impl RecordData for Briefing {
    const KIND: RecordKind = RecordKind::Briefing;
    fn status(&self) -> String {
        if self.received.is_some() {
            "received"
        } else {
            "requested"
        }
        .into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.source.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        (self.source.label().to_owned(), self.content.clone())
    }
}

/// The raw briefing form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BriefingInput {
    /// Source.
    #[serde(default)]
    pub source: String,
    /// Requested.
    #[serde(default)]
    pub requested: String,
    /// Received.
    #[serde(default)]
    pub received: String,
    /// Content.
    #[serde(default)]
    pub content: String,
}

impl Briefing {
    /// Validates the form.
    pub fn parse(i: &BriefingInput) -> Result<Briefing, CoreError> {
        let mut errors = Vec::new();
        let source = BriefingSource::parse(&i.source);
        if source.is_none() {
            errors.push(FieldError::field("source", t("error.briefing_source")));
        }
        let requested = parse_date(&i.requested);
        if requested.is_none() {
            errors.push(FieldError::field("requested", t("error.date")));
        }
        let received = if i.received.trim().is_empty() {
            None
        } else {
            let d = parse_date(&i.received);
            if d.is_none() {
                errors.push(FieldError::field("received", t("error.date")));
            }
            d
        };
        if received.is_some() && i.content.trim().is_empty() {
            errors.push(FieldError::field("content", t("error.required")));
        }
        match (source, requested) {
            (Some(source), Some(requested)) if errors.is_empty() => Ok(Briefing {
                source,
                requested,
                received,
                content: i.content.trim().to_owned(),
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}
