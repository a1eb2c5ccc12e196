//! 督办: the office supervises how a forwarded or accepted petition is
//! handled (《信访工作条例》arts. 40, 44–45 make overdue and perfunctory
//! handling grounds for 督办 and accountability). A supervision has a level
//! (催办 / 督办 / 挂牌督办), a requirement and a reply deadline; the office
//! records the handling unit's replies (progress or result, who, when); it is
//! closed (办结) only after a reply. One not answered by its deadline is
//! overdue.

use serde::{Deserialize, Serialize};

use super::petition::Status;
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::labels::labelled_enum;
use crate::registry::parse_date;

labelled_enum!(
    /// How strongly the office presses the handling unit.
    Level, "supervision_level", {
    /// 催办: a reminder.
    Urge = "urge",
    /// 督办: supervision with a written requirement.
    Supervise = "supervise",
    /// 挂牌督办: listed supervision, followed by the leadership.
    Listed = "listed",
    }
);

labelled_enum!(
    /// Where a supervision stands.
    State, "supervision_state", {
    /// 待回复: waiting for the handling unit's reply.
    Open = "open",
    /// 已回复: answered at least once, not yet closed.
    Replied = "replied",
    /// 已办结
    Closed = "closed",
    }
);

labelled_enum!(
    /// What a reply reports.
    ReplyKind, "supervision_reply_kind", {
    /// 进展情况
    Progress = "progress",
    /// 办理结果
    Result = "result",
    }
);

/// The longest requirement, reply or note, in characters.
pub const MAX_TEXT: usize = 2000;

/// The petition states in which handling can be supervised: forwarded to a
/// body, accepted and being handled, or under 复查/复核.
pub fn supervisable(status: Status) -> bool {
    matches!(
        status,
        Status::Forwarded | Status::Accepted | Status::InReview | Status::InRecheck
    )
}

/// The handling unit's reply, as recorded by the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Progress or result.
    pub kind: ReplyKind,
    /// What the unit reported.
    pub text: String,
    /// Who replied (person and unit, as written).
    pub by: String,
    /// The day of the reply.
    pub date: String,
    /// The office user who recorded it.
    pub recorded_by: String,
}

/// How a supervision was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    /// Day.
    pub date: String,
    /// The office user.
    pub by: String,
    /// An optional note.
    pub note: String,
}

/// What is kept as JSON beside the supervision's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionData {
    /// What the office requires of the handling unit.
    pub requirement: String,
    /// The office user who issued it.
    pub issued_by: String,
    /// Replies, oldest first.
    pub replies: Vec<Reply>,
    /// Set when closed.
    pub closing: Option<Closing>,
}

/// A supervision as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Supervision {
    /// Id.
    pub id: i64,
    /// The petition supervised.
    pub petition_id: i64,
    /// Level.
    pub level: Level,
    /// State.
    pub state: State,
    /// Day issued.
    pub issued: String,
    /// The day the reply is due.
    pub deadline: String,
    /// Requirement, replies, closing.
    pub data: SupervisionData,
    /// Version read (for updates).
    pub version: i64,
}

impl Supervision {
    /// Whether the deadline passed on `today` without a reply.
    pub fn overdue(&self, today: &str) -> bool {
        self.state == State::Open && self.deadline.as_str() < today
    }

    /// A one-line summary for the register's column: level, state, deadline
    /// and whether it is overdue.
    pub fn summary(&self, today: &str) -> String {
        let mut s = format!(
            "{}（{}，{}{}）",
            self.level.label(),
            self.state.label(),
            t("supervision.deadline_short"),
            self.deadline
        );
        if self.overdue(today) {
            s.push_str(t("supervision.overdue_mark"));
        }
        s
    }
}

/// The raw 督办 form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SupervisionInput {
    /// Level identifier or label.
    #[serde(default)]
    pub level: String,
    /// Requirement.
    #[serde(default)]
    pub requirement: String,
    /// Reply deadline.
    #[serde(default)]
    pub deadline: String,
}

/// A validated new supervision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSupervision {
    /// The petition.
    pub petition_id: i64,
    /// Level.
    pub level: Level,
    /// Day issued.
    pub issued: String,
    /// Reply deadline.
    pub deadline: String,
    /// Requirement and issuer.
    pub data: SupervisionData,
}

fn text(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> String {
    let v = raw.trim();
    if v.is_empty() {
        errors.push(FieldError::field(field, t("error.required")));
    } else if v.chars().count() > MAX_TEXT {
        errors.push(FieldError::field(field, t("error.too_long")));
    }
    v.to_owned()
}

impl NewSupervision {
    /// Validates the form for a petition in `status`, issued on `today` by
    /// `by`; every bad field is named.
    pub fn parse(
        i: &SupervisionInput,
        petition_id: i64,
        status: Status,
        today: &str,
        by: &str,
    ) -> Result<NewSupervision, CoreError> {
        let mut errors = Vec::new();
        if !supervisable(status) {
            errors.push(FieldError::field(
                "status",
                t("error.supervision_petition_state"),
            ));
        }
        let level = Level::parse(&i.level);
        if level.is_none() {
            errors.push(FieldError::field("level", t("error.supervision_level")));
        }
        let requirement = text(&mut errors, "requirement", &i.requirement);
        let deadline = match parse_date(&i.deadline) {
            Some(d) if d.as_str() >= today => Some(d),
            Some(_) => {
                errors.push(FieldError::field(
                    "deadline",
                    t("error.supervision_deadline_past"),
                ));
                None
            }
            None => {
                errors.push(FieldError::field("deadline", t("error.date")));
                None
            }
        };
        match (level, deadline) {
            (Some(level), Some(deadline)) if errors.is_empty() => Ok(NewSupervision {
                petition_id,
                level,
                issued: today.to_owned(),
                deadline,
                data: SupervisionData {
                    requirement,
                    issued_by: by.to_owned(),
                    replies: Vec::new(),
                    closing: None,
                },
            }),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

/// The raw reply form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReplyInput {
    /// Progress or result.
    #[serde(default)]
    pub kind: String,
    /// What was reported.
    #[serde(default)]
    pub text: String,
    /// Who replied.
    #[serde(default)]
    pub by: String,
    /// The day of the reply.
    #[serde(default)]
    pub date: String,
}

/// A step of a supervision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Records the handling unit's reply.
    Reply(ReplyInput),
    /// Closes it (办结), with an optional note.
    Close(String),
}

impl Supervision {
    /// Applies a step on `today` by the office user `by`: a reply while open
    /// or replied (dated between the day issued and today), closing only
    /// after a reply. Every bad field is named; nothing changes on error.
    pub fn apply(&mut self, step: Step, today: &str, by: &str) -> Result<(), CoreError> {
        if self.state == State::Closed {
            return Err(CoreError::invalid("state", t("error.supervision_closed")));
        }
        match step {
            Step::Reply(i) => {
                let mut errors = Vec::new();
                let kind = ReplyKind::parse(&i.kind);
                if kind.is_none() {
                    errors.push(FieldError::field("kind", t("error.supervision_reply_kind")));
                }
                let text = text(&mut errors, "text", &i.text);
                let who = text_line(&mut errors, "by", &i.by);
                let date = match parse_date(&i.date) {
                    Some(d) if d.as_str() > today => {
                        errors.push(FieldError::field(
                            "date",
                            t("error.supervision_reply_future"),
                        ));
                        None
                    }
                    Some(d) if d < self.issued => {
                        errors.push(FieldError::field(
                            "date",
                            t("error.supervision_reply_before"),
                        ));
                        None
                    }
                    Some(d) => Some(d),
                    None => {
                        errors.push(FieldError::field("date", t("error.date")));
                        None
                    }
                };
                match (kind, date) {
                    (Some(kind), Some(date)) if errors.is_empty() => {
                        self.data.replies.push(Reply {
                            kind,
                            text,
                            by: who,
                            date,
                            recorded_by: by.to_owned(),
                        });
                        self.state = State::Replied;
                        Ok(())
                    }
                    _ => Err(CoreError::Invalid(errors)),
                }
            }
            Step::Close(note) => {
                if self.state != State::Replied {
                    return Err(CoreError::invalid(
                        "state",
                        t("error.supervision_close_unreplied"),
                    ));
                }
                let note = note.trim();
                if note.chars().count() > MAX_TEXT {
                    return Err(CoreError::invalid("note", t("error.too_long")));
                }
                self.data.closing = Some(Closing {
                    date: today.to_owned(),
                    by: by.to_owned(),
                    note: note.to_owned(),
                });
                self.state = State::Closed;
                Ok(())
            }
        }
    }
}

fn text_line(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> String {
    let v = raw.trim();
    if v.is_empty() {
        errors.push(FieldError::field(field, t("error.required")));
    } else if v.chars().count() > 100 || v.contains('\n') {
        errors.push(FieldError::field(field, t("error.too_long")));
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SupervisionInput {
        SupervisionInput {
            level: "挂牌督办".into(),
            requirement: "请于期限内报送办理进展，并书面答复信访人".into(),
            deadline: "2026-11-30".into(),
        }
    }

    fn issued() -> Supervision {
        let n = NewSupervision::parse(&input(), 7, Status::Accepted, "2026-11-20", "巡察办")
            .expect("valid");
        Supervision {
            id: 1,
            petition_id: n.petition_id,
            level: n.level,
            state: State::Open,
            issued: n.issued,
            deadline: n.deadline,
            data: n.data,
            version: 1,
        }
    }

    fn reply(date: &str) -> Step {
        Step::Reply(ReplyInput {
            kind: "progress".into(),
            text: "已入户核查，正在重新评议".into(),
            by: "青石镇民政办 张某".into(),
            date: date.into(),
        })
    }

    #[test]
    fn only_a_petition_being_handled_is_supervised() {
        for s in Status::ALL {
            let r = NewSupervision::parse(&input(), 7, *s, "2026-11-20", "巡察办");
            assert_eq!(r.is_ok(), supervisable(*s), "{s:?}");
        }
        assert!(supervisable(Status::Accepted) && supervisable(Status::Forwarded));
        assert!(!supervisable(Status::Registered) && !supervisable(Status::Closed));
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SupervisionInput {
            level: "严办".into(),
            requirement: " ".into(),
            deadline: "2026-11-19".into(),
        };
        match NewSupervision::parse(&bad, 7, Status::Registered, "2026-11-20", "x") {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["status", "level", "requirement", "deadline"]);
            }
            other => panic!("{other:?}"),
        }
        let mut today = input();
        today.deadline = "2026-11-20".into();
        assert!(
            NewSupervision::parse(&today, 7, Status::Accepted, "2026-11-20", "x").is_ok(),
            "a reply due today is allowed"
        );
    }

    #[test]
    fn overdue_until_answered_and_closed_only_after_a_reply() {
        let mut s = issued();
        assert_eq!(s.level, Level::Listed);
        assert!(!s.overdue("2026-11-30"), "the deadline day itself");
        assert!(s.overdue("2026-12-01"));
        assert!(s.summary("2026-12-01").contains("逾期"));
        assert!(
            matches!(s.apply(Step::Close(String::new()), "2026-12-01", "巡察办"),
                Err(CoreError::Invalid(v)) if v[0].field == "state"),
            "no closing without a reply"
        );
        assert!(
            s.apply(reply("2026-12-02"), "2026-12-01", "巡察办")
                .is_err(),
            "future"
        );
        assert!(
            s.apply(reply("2026-11-19"), "2026-12-01", "巡察办")
                .is_err(),
            "before"
        );
        assert_eq!(s.state, State::Open, "nothing changed on error");
        s.apply(reply("2026-12-01"), "2026-12-01", "巡察办")
            .expect("reply");
        assert_eq!(s.state, State::Replied);
        assert!(!s.overdue("2026-12-05"), "answered, even if late");
        s.apply(Step::Close("已办结".into()), "2026-12-03", "巡察办")
            .expect("close");
        assert_eq!(s.state, State::Closed);
        assert_eq!(
            s.data.closing.as_ref().map(|c| c.date.as_str()),
            Some("2026-12-03")
        );
        assert!(s
            .apply(reply("2026-12-03"), "2026-12-03", "巡察办")
            .is_err());
    }

    #[test]
    fn a_reply_names_its_missing_fields() {
        let mut s = issued();
        let empty = Step::Reply(ReplyInput::default());
        match s.apply(empty, "2026-11-25", "巡察办") {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["kind", "text", "by", "date"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
