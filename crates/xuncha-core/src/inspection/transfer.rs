//! Transfers (移交): discipline clues to the 纪委监委, selection and
//! democratic-centralism problems to the 组织部, others to a department;
//! the receiver acknowledges, disposes and feeds back within the time limit.

use serde::{Deserialize, Serialize};

use super::record::{RecordData, RecordKind};
use crate::error::CoreError;
use crate::i18n::t;
use crate::labels::labelled_enum;

labelled_enum!(
    /// Who receives a transfer.
    Receiver, "receiver", {
    /// 纪委监委
    Discipline = "discipline",
    /// 组织部
    Organisation = "organisation",
    /// 职能部门
    Department = "department",
    }
);

labelled_enum!(
    /// How the receiver disposed of it (处置方式).
    Disposal, "disposal", {
    /// 谈话函询
    TalkInquiry = "talk-inquiry",
    /// 初步核实
    Preliminary = "preliminary",
    /// 暂存待查
    Shelved = "shelved",
    /// 予以了结
    Closed = "closed",
    /// 立案审查调查
    CaseFiled = "case-filed",
    /// 组织处理
    Organisational = "organisational",
    /// 督促整改
    Rectify = "rectify",
    }
);

labelled_enum!(
    /// The outcome under the 四种形态.
    FourForms, "four_forms", {
    /// 第一种形态
    First = "first",
    /// 第二种形态
    Second = "second",
    /// 第三种形态
    Third = "third",
    /// 第四种形态
    Fourth = "fourth",
    /// 不适用
    None = "none",
    }
);

labelled_enum!(
    /// Where a transfer stands.
    TransferStatus, "transfer_status", {
    /// 已移交，待签收
    Sent = "sent",
    /// 已签收，办理中
    Received = "received",
    /// 已反馈
    Reported = "reported",
    }
);

/// What is transferred: a clue or a working paper (record ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferItem {
    /// `clue` or `paper`.
    pub kind: RecordKind,
    /// Record id.
    pub id: i64,
    /// Its title, for the receiver's list.
    pub title: String,
    /// What is transferred, as the receiver reads it (persons and facts):
    /// the receiver sees this copy, never the team's records.
    pub summary: String,
}

/// A transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    /// What.
    pub item: TransferItem,
    /// To whom.
    pub receiver: Receiver,
    /// The receiving department's unit (for `Department`; the 纪委监委 and
    /// 组织部 are found by role).
    pub receiver_unit_id: Option<i64>,
    /// What the rule proposed, when the sender changed it.
    pub proposed: Receiver,
    /// Why the sender changed the proposal.
    pub change_reason: Option<String>,
    /// Day sent.
    pub sent_date: String,
    /// Feedback due (sent + the setting's months).
    pub due_date: String,
    /// State.
    pub status: TransferStatus,
    /// Who signed for it, and when (day).
    pub received: Option<(String, String)>,
    /// Disposal.
    pub disposal: Option<Disposal>,
    /// 四种形态 outcome.
    pub four_forms: Option<FourForms>,
    /// The receiver's feedback text.
    pub feedback: Option<String>,
    /// Day of the feedback.
    pub reported_date: Option<String>,
}

impl RecordData for Transfer {
    const KIND: RecordKind = RecordKind::Transfer;
    fn status(&self) -> String {
        self.status.as_str().into()
    }
    /// The receiver, and for a department its unit (`department:12`), so a
    /// receiver's inbox is one indexed filter.
    fn tag(&self) -> Option<String> {
        Some(match (self.receiver, self.receiver_unit_id) {
            (Receiver::Department, Some(u)) => format!("{}:{u}", self.receiver.as_str()),
            (r, _) => r.as_str().to_owned(),
        })
    }
    fn due_date(&self) -> Option<String> {
        (self.status != TransferStatus::Reported).then(|| self.due_date.clone())
    }
    fn search_text(&self) -> (String, String) {
        (
            self.item.title.clone(),
            format!(
                "{} {}",
                self.item.summary,
                self.feedback.as_deref().unwrap_or_default()
            ),
        )
    }
}

/// The receiver the rule proposes: clues and 六项纪律 (discipline) problems go
/// to the 纪委监委; selection, cadre and democratic-centralism problems to the
/// 组织部; others to a department.
pub fn propose(kind: RecordKind, category: &str) -> Receiver {
    const ORGANISATION: [&str; 7] = [
        "选人用人",
        "民主集中制",
        "组织建设",
        "组织路线",
        "干部",
        "基层党组织",
        "软弱涣散",
    ];
    if kind == RecordKind::Clue || category.starts_with("六项纪律") || category.contains("纪律")
    {
        Receiver::Discipline
    } else if ORGANISATION.iter().any(|k| category.contains(k)) {
        Receiver::Organisation
    } else {
        Receiver::Department
    }
}

impl Transfer {
    /// The receiver signs for it.
    pub fn receive(&mut self, by: &str, day: &str) -> Result<(), CoreError> {
        if self.status != TransferStatus::Sent {
            return Err(CoreError::invalid("status", t("error.transfer_transition")));
        }
        self.received = Some((by.to_owned(), day.to_owned()));
        self.status = TransferStatus::Received;
        Ok(())
    }

    /// The receiver records the disposal and feeds back.
    pub fn report(
        &mut self,
        disposal: Disposal,
        four_forms: FourForms,
        feedback: &str,
        day: &str,
    ) -> Result<(), CoreError> {
        if self.status != TransferStatus::Received {
            return Err(CoreError::invalid("status", t("error.transfer_transition")));
        }
        if feedback.trim().is_empty() {
            return Err(CoreError::invalid("feedback", t("error.required")));
        }
        self.disposal = Some(disposal);
        self.four_forms = Some(four_forms);
        self.feedback = Some(feedback.trim().to_owned());
        self.reported_date = Some(day.to_owned());
        self.status = TransferStatus::Reported;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_follow_the_category() {
        assert_eq!(
            propose(RecordKind::Clue, "四个落实/党建工作"),
            Receiver::Discipline
        );
        assert_eq!(
            propose(RecordKind::Paper, "六项纪律/廉洁纪律"),
            Receiver::Discipline
        );
        assert_eq!(
            propose(RecordKind::Paper, "四个落实/选人用人"),
            Receiver::Organisation
        );
        assert_eq!(
            propose(RecordKind::Paper, "三个聚焦/民主集中制"),
            Receiver::Organisation
        );
        assert_eq!(
            propose(RecordKind::Paper, "四个落实/全面从严治党"),
            Receiver::Department
        );
    }

    #[test]
    fn receive_then_report_once() {
        let mut t = Transfer {
            item: TransferItem {
                kind: RecordKind::Clue,
                id: 1,
                title: "x".into(),
                summary: "y".into(),
            },
            receiver: Receiver::Discipline,
            receiver_unit_id: None,
            proposed: Receiver::Discipline,
            change_reason: None,
            sent_date: "2026-05-01".into(),
            due_date: "2026-08-01".into(),
            status: TransferStatus::Sent,
            received: None,
            disposal: None,
            four_forms: None,
            feedback: None,
            reported_date: None,
        };
        assert!(t
            .report(Disposal::Closed, FourForms::None, "了结", "2026-05-02")
            .is_err());
        assert_eq!(t.due_date().as_deref(), Some("2026-08-01"));
        t.receive("纪委", "2026-05-02").expect("receive");
        assert!(t.receive("纪委", "2026-05-02").is_err());
        assert!(t
            .report(Disposal::CaseFiled, FourForms::Fourth, " ", "2026-06-01")
            .is_err());
        t.report(
            Disposal::CaseFiled,
            FourForms::Fourth,
            "已立案",
            "2026-06-01",
        )
        .expect("report");
        assert_eq!(t.due_date(), None, "nothing is due once reported");
    }
}
