//! Petitions (信访) and their statutory lifecycle under the 2022 《信访工作条例》
//! (arts. 17–36; research-domain-sources.md §3): register → forward (15
//! days) → accept with written notice (15 days) or not accept → handle (60
//! days, +30 with a recorded reason) → reply (支持/解释说明/不予支持) →
//! 复查 (request within 30 days, decision within 30) → 复核 (the same; hearing
//! time not counted) → closed, never accepted again.
//!
//! Periods in days are calendar days; one whose last day is a day off ends
//! on the next working day of the county's calendar (法定节假日 and 调休 as
//! settings; [`Calendar::deadline`]). The objection window counts working
//! days of the same calendar.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::CoreError;
use crate::i18n::{t, tf};
use crate::inspection::workdays::{iso, parse_iso, Calendar};
use crate::labels::labelled_enum;

labelled_enum!(
    /// How the petition came in (art. 17), or received by a team on site.
    Channel, "petition_channel", {
    /// 来信
    Letter = "letter",
    /// 来访
    Visit = "visit",
    /// 来电
    Phone = "phone",
    /// 网上信访
    Web = "web",
    /// 传真
    Fax = "fax",
    /// 巡察组现场受理
    OnSite = "on-site",
    /// 走访收集 (a demand raised in a household visit campaign)
    FieldVisit = "field-visit",
    }
);

labelled_enum!(
    /// The three classes of petition (arts. 29–31).
    Category, "petition_category", {
    /// 建议意见类
    Suggestion = "suggestion",
    /// 检举控告类: goes to the 纪检监察机关 (art. 30).
    Accusation = "accusation",
    /// 申诉求决类
    Appeal = "appeal",
    }
);

labelled_enum!(
    /// Where a petition stands.
    Status, "petition_status", {
    /// 已登记
    Registered = "registered",
    /// 已转送/交办
    Forwarded = "forwarded",
    /// 已受理，办理中
    Accepted = "accepted",
    /// 不予受理
    NotAccepted = "not-accepted",
    /// 已答复
    Replied = "replied",
    /// 复查中
    InReview = "in-review",
    /// 已复查答复
    Reviewed = "reviewed",
    /// 复核中
    InRecheck = "in-recheck",
    /// 已办结（终结）
    Closed = "closed",
    }
);

labelled_enum!(
    /// The outcome of a reply (art. 32).
    Outcome, "petition_outcome", {
    /// 支持
    Support = "support",
    /// 解释说明
    Explain = "explain",
    /// 不予支持
    Reject = "reject",
    }
);

labelled_enum!(
    /// The petitioner's rating of the handling (art. 21).
    Satisfaction, "petition_satisfaction", {
    /// 满意
    Satisfied = "satisfied",
    /// 基本满意
    Partly = "partly",
    /// 不满意
    Dissatisfied = "dissatisfied",
    }
);

/// Days to forward a registered petition (art. 22).
pub const FORWARD_DAYS: i64 = 15;
/// Days to accept (written notice) after forwarding (art. 23).
pub const ACCEPT_DAYS: i64 = 15;
/// Working days to object to an assignment (art. 23).
pub const OBJECTION_WORKDAYS: u32 = 5;
/// Days to handle an accepted petition (art. 34).
pub const HANDLING_DAYS: i64 = 60;
/// The longest extension of the handling time (art. 34).
pub const MAX_EXTENSION_DAYS: i64 = 30;
/// Days to request a 复查 or 复核, and to decide one (arts. 35–36).
pub const REVIEW_DAYS: i64 = 30;
/// Representatives a collective visit may elect (art. 20).
pub const MAX_REPRESENTATIVES: u32 = 5;

/// A step in a petition's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Day.
    pub date: String,
    /// Who.
    pub by: String,
    /// What happened (Chinese, for the history list).
    pub what: String,
}

/// A petition's lifecycle state and dates (the content lives beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// Category.
    pub category: Category,
    /// State.
    pub status: Status,
    /// Day registered.
    pub registered: String,
    /// Day forwarded, and to whom.
    pub forwarded: Option<(String, String)>,
    /// Day accepted.
    pub accepted: Option<String>,
    /// Days of extension granted, with the reason.
    pub extension: Option<(i64, String)>,
    /// The last reply: day, outcome, text.
    pub reply: Option<(String, Outcome, String)>,
    /// Day the current 复查/复核 was requested.
    pub review_requested: Option<String>,
    /// Hearing days not counted in the 复核 limit.
    pub hearing_days: i64,
    /// Why it was not accepted.
    pub not_accepted: Option<String>,
    /// The petitioner's rating.
    pub satisfaction: Option<Satisfaction>,
    /// History, oldest first.
    pub steps: Vec<Step>,
}

/// What is due next and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// Catalogue key of the step that is due.
    pub what: &'static str,
    /// Last day.
    pub date: String,
}

/// An event in the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// 转送/交办 to a body.
    Forward(String),
    /// The receiving body objects to the assignment (within 5 working days):
    /// the petition returns to the forwarding office.
    Object(String),
    /// 受理 (written notice given).
    Accept,
    /// 不予受理, with the reason (e.g. the same matter is being handled).
    NotAccept(String),
    /// Extends the handling time by days (≤ 30) with a reason.
    Extend(i64, String),
    /// A written reply (信访处理意见书 or 复查/复核意见).
    Reply(Outcome, String),
    /// The petitioner asks for 复查 (after a reply) or 复核 (after a 复查).
    RequestReview,
    /// A hearing of so many days during a 复核 (not counted).
    Hearing(i64),
    /// Closes the matter (after the request windows, or after 复核).
    Close,
    /// The petitioner's rating.
    Rate(Satisfaction),
}

fn date(s: &str) -> Result<Date, CoreError> {
    parse_iso(s).ok_or_else(|| CoreError::invalid("date", t("error.date")))
}

fn refuse() -> CoreError {
    CoreError::invalid("status", t("error.petition_transition"))
}

impl Lifecycle {
    /// A petition registered on `day`.
    pub fn new(category: Category, day: &str) -> Lifecycle {
        Lifecycle {
            category,
            status: Status::Registered,
            registered: day.to_owned(),
            forwarded: None,
            accepted: None,
            extension: None,
            reply: None,
            review_requested: None,
            hearing_days: 0,
            not_accepted: None,
            satisfaction: None,
            steps: Vec::new(),
        }
    }

    /// The next step and its last day, if any is due; a last day that is a
    /// day off of `cal` moves to the next working day.
    pub fn due(&self, cal: &Calendar) -> Option<Due> {
        let plus = |d: &str, n: i64| parse_iso(d).map(|d| iso(cal.deadline(d, n)));
        let (what, date) = match self.status {
            Status::Registered => ("petition_due.forward", plus(&self.registered, FORWARD_DAYS)),
            Status::Forwarded => (
                "petition_due.accept",
                self.forwarded
                    .as_ref()
                    .and_then(|(d, _)| plus(d, ACCEPT_DAYS)),
            ),
            Status::Accepted => {
                let ext = self.extension.as_ref().map_or(0, |e| e.0);
                (
                    "petition_due.reply",
                    self.accepted
                        .as_deref()
                        .and_then(|d| plus(d, HANDLING_DAYS + ext)),
                )
            }
            Status::InReview => (
                "petition_due.review",
                self.review_requested
                    .as_deref()
                    .and_then(|d| plus(d, REVIEW_DAYS)),
            ),
            Status::InRecheck => (
                "petition_due.recheck",
                self.review_requested
                    .as_deref()
                    .and_then(|d| plus(d, REVIEW_DAYS + self.hearing_days)),
            ),
            Status::Replied | Status::Reviewed | Status::NotAccepted | Status::Closed => {
                return None
            }
        };
        date.map(|date| Due { what, date })
    }

    /// The last day the petitioner may ask for 复查/复核 (30 days after the
    /// reply, moved past a day off of `cal`), while one is possible.
    pub fn review_window(&self, cal: &Calendar) -> Option<String> {
        match self.status {
            Status::Replied | Status::Reviewed => self
                .reply
                .as_ref()
                .and_then(|(d, _, _)| parse_iso(d))
                .map(|d| iso(cal.deadline(d, REVIEW_DAYS))),
            _ => None,
        }
    }

    /// Applies an event on `day` by `by`; the calendar counts working days.
    pub fn apply(
        &mut self,
        event: Event,
        day: &str,
        by: &str,
        cal: &Calendar,
    ) -> Result<(), CoreError> {
        use Status::*;
        let today = date(day)?;
        let what = match (event, self.status) {
            (Event::Forward(to), Registered) => {
                let to = to.trim().to_owned();
                if to.is_empty() {
                    return Err(CoreError::invalid("to", t("error.required")));
                }
                self.forwarded = Some((day.to_owned(), to.clone()));
                self.status = Forwarded;
                tf("petition_step.forward", &[("to", &to)])
            }
            (Event::Object(reason), Forwarded) => {
                let (sent, _) = self.forwarded.clone().ok_or_else(refuse)?;
                let last = cal.add_workdays(date(&sent)?, OBJECTION_WORKDAYS);
                if today > last {
                    return Err(CoreError::invalid(
                        "status",
                        tf("error.petition_objection_late", &[("date", &iso(last))]),
                    ));
                }
                if reason.trim().is_empty() {
                    return Err(CoreError::invalid("reason", t("error.reason_required")));
                }
                self.forwarded = None;
                self.status = Registered;
                tf("petition_step.object", &[("reason", reason.trim())])
            }
            (Event::Accept, Registered | Forwarded) => {
                self.accepted = Some(day.to_owned());
                self.status = Accepted;
                t("petition_step.accept").to_owned()
            }
            (Event::NotAccept(reason), Registered | Forwarded) => {
                if reason.trim().is_empty() {
                    return Err(CoreError::invalid("reason", t("error.reason_required")));
                }
                self.not_accepted = Some(reason.trim().to_owned());
                self.status = NotAccepted;
                tf("petition_step.not_accept", &[("reason", reason.trim())])
            }
            (Event::Extend(days, reason), Accepted) => {
                if self.extension.is_some() || !(1..=MAX_EXTENSION_DAYS).contains(&days) {
                    return Err(CoreError::invalid(
                        "days",
                        tf(
                            "error.petition_extension",
                            &[("max", &MAX_EXTENSION_DAYS.to_string())],
                        ),
                    ));
                }
                if reason.trim().is_empty() {
                    return Err(CoreError::invalid("reason", t("error.reason_required")));
                }
                self.extension = Some((days, reason.trim().to_owned()));
                tf(
                    "petition_step.extend",
                    &[("days", &days.to_string()), ("reason", reason.trim())],
                )
            }
            (Event::Reply(outcome, text), Accepted | InReview | InRecheck) => {
                if text.trim().is_empty() {
                    return Err(CoreError::invalid("text", t("error.required")));
                }
                let (next, key) = match self.status {
                    Accepted => (Replied, "petition_step.reply"),
                    InReview => (Reviewed, "petition_step.review_reply"),
                    _ => (Closed, "petition_step.recheck_reply"),
                };
                self.reply = Some((day.to_owned(), outcome, text.trim().to_owned()));
                self.review_requested = None;
                self.status = next;
                tf(key, &[("outcome", outcome.label())])
            }
            (Event::RequestReview, Replied | Reviewed) => {
                let window = self.review_window(cal).ok_or_else(refuse)?;
                if day > window.as_str() {
                    return Err(CoreError::invalid(
                        "status",
                        tf("error.petition_review_late", &[("date", &window)]),
                    ));
                }
                self.review_requested = Some(day.to_owned());
                // After a 复查 answer the next request is 复核.
                let recheck = self.status == Reviewed;
                self.status = if recheck { InRecheck } else { InReview };
                t(if recheck {
                    "petition_step.request_recheck"
                } else {
                    "petition_step.request_review"
                })
                .to_owned()
            }
            (Event::Hearing(days), InRecheck) if (1..=90).contains(&days) => {
                self.hearing_days += days;
                tf("petition_step.hearing", &[("days", &days.to_string())])
            }
            (Event::Close, Replied | Reviewed) => {
                self.status = Closed;
                t("petition_step.close").to_owned()
            }
            (Event::Rate(s), Replied | Reviewed | Closed) => {
                self.satisfaction = Some(s);
                tf("petition_step.rate", &[("rating", s.label())])
            }
            _ => return Err(refuse()),
        };
        self.steps.push(Step {
            date: day.to_owned(),
            by: by.to_owned(),
            what,
        });
        Ok(())
    }

    /// Whether the matter is finished and a new petition on it must not be
    /// accepted again (after 复核, art. 36).
    pub fn final_(&self) -> bool {
        matches!(self.status, Status::Closed | Status::NotAccepted)
    }
}

/// Checks a collective visit's representatives (art. 20: at most five).
pub fn check_representatives(n: u32) -> Result<(), CoreError> {
    if (1..=MAX_REPRESENTATIVES).contains(&n) {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "representatives",
            tf(
                "error.petition_representatives",
                &[("max", &MAX_REPRESENTATIVES.to_string())],
            ),
        ))
    }
}

/// The body a petition of this category goes to by rule: 检举控告 to the
/// 纪检监察机关 (art. 30); others as the office decides.
pub fn routed_to_discipline(category: Category) -> bool {
    category == Category::Accusation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::weekends_only()
    }

    fn step(l: &mut Lifecycle, e: Event, day: &str) -> Result<(), CoreError> {
        l.apply(e, day, "信访办", &cal())
    }

    #[test]
    fn the_whole_statutory_path_with_its_clocks() {
        let mut l = Lifecycle::new(Category::Appeal, "2026-03-02");
        assert_eq!(
            l.due(&cal()).map(|d| d.date),
            Some("2026-03-17".into()),
            "forward in 15 days"
        );
        step(
            &mut l,
            Event::Forward("青石镇人民政府".into()),
            "2026-03-05",
        )
        .unwrap();
        assert_eq!(
            l.due(&cal()).map(|d| d.date),
            Some("2026-03-20".into()),
            "accept in 15 days"
        );
        step(&mut l, Event::Accept, "2026-03-10").unwrap();
        assert_eq!(
            l.due(&cal()).map(|d| d.date),
            Some("2026-05-11".into()),
            "reply in 60 days: 9 May is a Saturday, so the Monday after"
        );
        step(&mut l, Event::Extend(30, "需调查核实".into()), "2026-05-01").unwrap();
        assert_eq!(
            l.due(&cal()).map(|d| d.date),
            Some("2026-06-08".into()),
            "+30 days"
        );
        assert!(
            step(&mut l, Event::Extend(5, "再延".into()), "2026-05-02").is_err(),
            "once"
        );
        step(
            &mut l,
            Event::Reply(Outcome::Reject, "不予支持".into()),
            "2026-06-01",
        )
        .unwrap();
        assert_eq!(l.due(&cal()), None);
        assert_eq!(l.review_window(&cal()).as_deref(), Some("2026-07-01"));
        step(&mut l, Event::RequestReview, "2026-06-20").unwrap();
        assert_eq!(l.status, Status::InReview);
        assert_eq!(l.due(&cal()).map(|d| d.date), Some("2026-07-20".into()));
        step(
            &mut l,
            Event::Reply(Outcome::Reject, "维持".into()),
            "2026-07-10",
        )
        .unwrap();
        assert_eq!(l.status, Status::Reviewed);
        step(&mut l, Event::RequestReview, "2026-07-25").unwrap();
        assert_eq!(l.status, Status::InRecheck, "the second request is 复核");
        step(&mut l, Event::Hearing(10), "2026-08-01").unwrap();
        assert_eq!(
            l.due(&cal()).map(|d| d.date),
            Some("2026-09-03".into()),
            "hearing not counted"
        );
        step(
            &mut l,
            Event::Reply(Outcome::Explain, "解释说明".into()),
            "2026-08-20",
        )
        .unwrap();
        assert_eq!(l.status, Status::Closed);
        assert!(l.final_());
        assert!(
            step(&mut l, Event::RequestReview, "2026-08-21").is_err(),
            "never again"
        );
        step(&mut l, Event::Rate(Satisfaction::Partly), "2026-08-22").unwrap();
        assert_eq!(l.steps.len(), 10);
    }

    #[test]
    fn a_late_review_request_is_refused_with_the_last_day() {
        let mut l = Lifecycle::new(Category::Appeal, "2026-03-02");
        step(&mut l, Event::Accept, "2026-03-02").unwrap();
        step(
            &mut l,
            Event::Reply(Outcome::Support, "支持".into()),
            "2026-04-01",
        )
        .unwrap();
        match step(&mut l, Event::RequestReview, "2026-05-02") {
            Err(CoreError::Invalid(v)) => {
                assert!(v[0].message.contains("2026-05-01"), "{}", v[0].message)
            }
            other => panic!("{other:?}"),
        }
        step(&mut l, Event::Close, "2026-05-02").unwrap();
    }

    #[test]
    fn an_objection_counts_working_days() {
        // Forwarded on a Thursday: five working days end the next Thursday.
        let mut l = Lifecycle::new(Category::Suggestion, "2026-03-02");
        step(&mut l, Event::Forward("县住建局".into()), "2026-03-05").unwrap();
        let mut late = l.clone();
        assert!(step(
            &mut late,
            Event::Object("不属本部门职责".into()),
            "2026-03-13"
        )
        .is_err());
        step(&mut l, Event::Object("不属本部门职责".into()), "2026-03-12").unwrap();
        assert_eq!(
            l.status,
            Status::Registered,
            "back to the forwarding office"
        );
    }

    #[test]
    fn not_accepting_needs_a_reason_and_ends_the_matter() {
        let mut l = Lifecycle::new(Category::Appeal, "2026-03-02");
        assert!(step(&mut l, Event::NotAccept(" ".into()), "2026-03-03").is_err());
        step(
            &mut l,
            Event::NotAccept("同一事项正在办理".into()),
            "2026-03-03",
        )
        .unwrap();
        assert!(l.final_());
        assert!(step(&mut l, Event::Accept, "2026-03-04").is_err());
    }

    /// Every event in every state: only the lifecycle's arrows pass.
    #[test]
    fn transition_table() {
        use Status::*;
        let events = || {
            vec![
                Event::Forward("甲".into()),
                Event::Object("乙".into()),
                Event::Accept,
                Event::NotAccept("丙".into()),
                Event::Extend(10, "丁".into()),
                Event::Reply(Outcome::Support, "戊".into()),
                Event::RequestReview,
                Event::Hearing(5),
                Event::Close,
                Event::Rate(Satisfaction::Satisfied),
            ]
        };
        for status in Status::ALL {
            for (i, e) in events().into_iter().enumerate() {
                let mut l = Lifecycle::new(Category::Appeal, "2026-03-02");
                l.status = *status;
                l.forwarded = Some(("2026-03-02".into(), "甲".into()));
                l.accepted = Some("2026-03-02".into());
                l.reply = Some(("2026-03-02".into(), Outcome::Support, "x".into()));
                let ok = step(&mut l, e, "2026-03-03").is_ok();
                let expected = match i {
                    0 => *status == Registered,
                    1 => *status == Forwarded,
                    2 | 3 => matches!(status, Registered | Forwarded),
                    4 => *status == Accepted,
                    5 => matches!(status, Accepted | InReview | InRecheck),
                    6 | 8 => matches!(status, Replied | Reviewed),
                    7 => *status == InRecheck,
                    _ => matches!(status, Replied | Reviewed | Closed),
                };
                assert_eq!(ok, expected, "event {i} in {status:?}");
            }
        }
    }

    #[test]
    fn collective_visits_elect_at_most_five() {
        assert!(check_representatives(5).is_ok());
        assert!(check_representatives(6).is_err());
        assert!(check_representatives(0).is_err());
        assert!(routed_to_discipline(Category::Accusation));
        assert!(!routed_to_discipline(Category::Appeal));
    }
}
