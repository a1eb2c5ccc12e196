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

labelled_enum!(
    /// The lists prepared before entering the unit.
    ListKind, "prep_list", {
    /// 问题清单: what the round must find out.
    Problems = "problems",
    /// 提问清单: questions to put.
    Questions = "questions",
    /// 谈话提纲: the outline of talks.
    Outline = "outline",
    /// 谈话名单: who to talk with (one per line: 姓名 职务).
    Talks = "talks",
    }
);

/// One prepared list of a target, one item per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepList {
    /// Which list.
    pub list: ListKind,
    /// The items.
    pub items: Vec<String>,
}

impl RecordData for PrepList {
    const KIND: RecordKind = RecordKind::PrepList;
    fn status(&self) -> String {
        "kept".into()
    }
    fn tag(&self) -> Option<String> {
        Some(self.list.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        (self.list.label().to_owned(), self.items.join(" "))
    }
}

impl PrepList {
    /// A list from a textarea: one item per line, blank lines dropped.
    pub fn parse(list: ListKind, text: &str) -> Result<PrepList, CoreError> {
        let items: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if items.len() > 2000 || items.iter().any(|i| i.chars().count() > 500) {
            return Err(CoreError::invalid("items", t("error.too_long")));
        }
        Ok(PrepList { list, items })
    }

    /// The names on a talk list (the first word of each line).
    pub fn names(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect()
    }
}
