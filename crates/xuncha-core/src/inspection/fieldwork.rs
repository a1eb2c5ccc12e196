//! Fieldwork records (了解情况): the 13 statutory methods and the practice
//! rules on them.

use serde::{Deserialize, Serialize};

use super::record::{RecordData, RecordKind};
use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::labels::labelled_enum;
use crate::registry::{parse_date, PostRank};

labelled_enum!(
    /// The methods of 巡察工作条例 art. 20 (product.md lists them).
    Method, "method", {
    /// 听取工作汇报和专题汇报
    Hearing = "hearing",
    /// 与干部群众个别谈话
    Talk = "talk",
    /// 受理反映问题的来信、来电、来访
    Petition = "petition",
    /// 抽查核实领导干部报告个人有关事项
    PersonalReport = "personal-report",
    /// 向有关知情人询问情况
    Inquiry = "inquiry",
    /// 调阅、复制有关文件、档案、会议记录
    Files = "files",
    /// 召开座谈会
    Forum = "forum",
    /// 列席有关会议
    Meeting = "meeting",
    /// 进行民主测评、问卷调查
    Evaluation = "evaluation",
    /// 以适当方式到被巡察单位的下属单位或者部门了解情况
    VisitDown = "visit-down",
    /// 开展专项检查
    SpecialCheck = "special-check",
    /// 提请有关单位予以协助
    Assistance = "assistance",
    /// 派出巡察机构批准的其他方式
    Other = "other",
    }
);

impl Method {
    /// Methods that need two people present (谈话、走访 by two).
    pub fn needs_two(self) -> bool {
        matches!(self, Method::Talk | Method::Inquiry | Method::VisitDown)
    }
}

/// The person talked with, for the talk list and the circular's count of
/// principal and deputy leaders talked with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talked {
    /// The registry person, when known.
    pub person_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Their rank in the unit's leadership, if a leader.
    pub rank: Option<PostRank>,
}

/// A fieldwork entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldworkEntry {
    /// Method.
    pub method: Method,
    /// Day.
    pub date: String,
    /// Place.
    pub place: String,
    /// Team members present.
    pub participants: Vec<String>,
    /// What was done and learnt.
    pub notes: String,
    /// For talks: who.
    pub talked: Option<Talked>,
    /// For petitions received on site: how many, and the domain (扶贫, 低保 …).
    pub petitions: Option<(i64, String)>,
    /// An undercover visit (暗访): needs the 组长's approval.
    pub undercover: bool,
    /// The 组长 who approved the undercover visit.
    pub approved_by: Option<String>,
    /// Attachment hashes.
    pub attachments: Vec<String>,
    /// Practice-rule warnings shown when it was recorded (kept with it).
    pub warnings: Vec<String>,
}

impl RecordData for FieldworkEntry {
    const KIND: RecordKind = RecordKind::Fieldwork;
    fn status(&self) -> String {
        if self.undercover && self.approved_by.is_none() {
            "awaiting-approval".into()
        } else {
            "recorded".into()
        }
    }
    fn tag(&self) -> Option<String> {
        Some(self.method.as_str().into())
    }
    fn search_text(&self) -> (String, String) {
        let title = match &self.talked {
            Some(p) => format!("{}：{}", self.method.label(), p.name),
            None => self.method.label().to_owned(),
        };
        (title, format!("{} {}", self.place, self.notes))
    }
}

/// The raw fieldwork form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FieldworkInput {
    /// Method identifier or label.
    #[serde(default)]
    pub method: String,
    /// Day.
    #[serde(default)]
    pub date: String,
    /// Place.
    #[serde(default)]
    pub place: String,
    /// Participants, separated by commas or 、.
    #[serde(default)]
    pub participants: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Talked-with person's name.
    #[serde(default)]
    pub talked_name: String,
    /// Petitions received (count).
    #[serde(default)]
    pub petition_count: String,
    /// Petition domain.
    #[serde(default)]
    pub petition_domain: String,
    /// "on" for an undercover visit.
    #[serde(default)]
    pub undercover: Option<String>,
}

/// How many personal-matters reports the team already spot-checked this
/// round, and the limit (setting `fieldwork.personal_report_checks`).
#[derive(Debug, Clone, Copy)]
pub struct SpotChecks {
    /// Already recorded.
    pub done: i64,
    /// Limit.
    pub limit: i64,
}

impl FieldworkEntry {
    /// Validates a form. Hard rules refuse (the spot-check limit); practice
    /// rules warn and are kept with the entry (talks by one person).
    pub fn parse(
        input: &FieldworkInput,
        talked: Option<Talked>,
        checks: SpotChecks,
    ) -> Result<FieldworkEntry, CoreError> {
        let mut errors = Vec::new();
        let method = Method::parse(&input.method);
        if method.is_none() {
            errors.push(FieldError::field("method", t("error.method")));
        }
        let date = parse_date(&input.date);
        if date.is_none() {
            errors.push(FieldError::field("date", t("error.date")));
        }
        let participants: Vec<String> = input
            .participants
            .split([',', '，', '、', ' ', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if participants.is_empty() {
            errors.push(FieldError::field(
                "participants",
                t("error.participants_empty"),
            ));
        }
        if input.notes.trim().is_empty() {
            errors.push(FieldError::field("notes", t("error.notes_empty")));
        }
        let petitions = if input.petition_count.trim().is_empty() {
            None
        } else {
            match input.petition_count.trim().parse::<i64>() {
                Ok(n) if (0..=100_000).contains(&n) => {
                    Some((n, input.petition_domain.trim().to_owned()))
                }
                _ => {
                    errors.push(FieldError::field(
                        "petition_count",
                        t("error.positive_number"),
                    ));
                    None
                }
            }
        };
        if method == Some(Method::Talk) && talked.is_none() {
            errors.push(FieldError::field("talked_name", t("error.talked_empty")));
        }
        if method == Some(Method::PersonalReport) && checks.done >= checks.limit {
            errors.push(FieldError::field(
                "method",
                tf(
                    "error.spot_check_limit",
                    &[("limit", &checks.limit.to_string())],
                ),
            ));
        }
        let (Some(method), Some(date)) = (method, date) else {
            return Err(CoreError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        let mut warnings = Vec::new();
        if method.needs_two() && participants.len() < 2 {
            warnings.push(t("fieldwork.warn_two_people").to_owned());
        }
        let undercover = input.undercover.is_some();
        if undercover {
            warnings.push(t("fieldwork.warn_undercover").to_owned());
        }
        Ok(FieldworkEntry {
            method,
            date,
            place: input.place.trim().to_owned(),
            participants,
            notes: input.notes.trim().to_owned(),
            talked,
            petitions,
            undercover,
            approved_by: None,
            attachments: Vec::new(),
            warnings,
        })
    }
}

/// How often each method was used for one unit (methods never used count 0).
pub fn method_usage<'a>(
    entries: impl IntoIterator<Item = &'a FieldworkEntry>,
) -> Vec<(Method, usize)> {
    let mut counts: Vec<(Method, usize)> = Method::ALL.iter().map(|m| (*m, 0)).collect();
    for e in entries {
        if let Some(c) = counts.iter_mut().find(|(m, _)| *m == e.method) {
            c.1 += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(method: &str, participants: &str) -> FieldworkInput {
        FieldworkInput {
            method: method.into(),
            date: "2026-04-02".into(),
            participants: participants.into(),
            notes: "了解村务公开情况".into(),
            ..Default::default()
        }
    }
    const CHECKS: SpotChecks = SpotChecks { done: 0, limit: 3 };

    #[test]
    fn a_talk_by_one_person_is_kept_with_a_warning() {
        let talked = Talked {
            person_id: Some(5),
            name: "李四".into(),
            rank: Some(PostRank::Principal),
        };
        let e = FieldworkEntry::parse(&input("talk", "张三"), Some(talked.clone()), CHECKS)
            .expect("valid");
        assert_eq!(e.warnings.len(), 1);
        let two = FieldworkEntry::parse(&input("个别谈话", "张三、王五"), Some(talked), CHECKS)
            .expect("valid");
        assert!(two.warnings.is_empty());
        assert_eq!(two.participants, ["张三", "王五"]);
    }

    #[test]
    fn a_talk_needs_the_person_talked_with() {
        assert!(FieldworkEntry::parse(&input("talk", "张三,王五"), None, CHECKS).is_err());
    }

    #[test]
    fn spot_checks_stop_at_the_limit() {
        let i = input("personal-report", "张三,王五");
        assert!(FieldworkEntry::parse(&i, None, SpotChecks { done: 2, limit: 3 }).is_ok());
        let err = FieldworkEntry::parse(&i, None, SpotChecks { done: 3, limit: 3 });
        assert!(matches!(err, Err(CoreError::Invalid(v)) if v[0].field == "method"));
    }

    #[test]
    fn undercover_visits_wait_for_approval() {
        let mut i = input("visit-down", "张三,王五");
        i.undercover = Some("on".into());
        let mut e = FieldworkEntry::parse(&i, None, CHECKS).expect("valid");
        assert_eq!(e.status(), "awaiting-approval");
        e.approved_by = Some("组长".into());
        assert_eq!(e.status(), "recorded");
    }

    #[test]
    fn usage_lists_every_method() {
        let e = FieldworkEntry::parse(&input("forum", "a,b"), None, CHECKS).expect("valid");
        let u = method_usage([&e, &e]);
        assert_eq!(u.len(), 13);
        assert_eq!(
            u.iter().find(|(m, _)| *m == Method::Forum).map(|x| x.1),
            Some(2)
        );
        assert_eq!(u.iter().filter(|(_, n)| *n == 0).count(), 12);
    }

    #[test]
    fn bad_forms_name_every_field() {
        let r = FieldworkEntry::parse(&FieldworkInput::default(), None, CHECKS);
        match r {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["method", "date", "participants", "notes"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
