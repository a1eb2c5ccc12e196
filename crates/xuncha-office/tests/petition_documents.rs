//! Petition documents: the register carries each petition's supervisions
//! (overdue ones marked), the supervision notice (督办通知单) states the
//! level, requirement, deadline and replies and never the petitioner, and
//! (with `XUNCHA_TEST_LIBREOFFICE=1`) LibreOffice opens the notice.

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use xuncha_core::inspection::workdays::Calendar;
use xuncha_core::intake::petition::{Category, Channel, Event, Lifecycle};
use xuncha_core::intake::register::Petition;
use xuncha_core::intake::supervision::{
    NewSupervision, ReplyInput, State, Step, Supervision, SupervisionInput,
};
use xuncha_office::docx::write_docx;
use xuncha_office::petitions::{petitions_sheet, supervision_notice};
use xuncha_office::{read_table, write_xlsx};

use common::{convert_to_pdf, libreoffice_enabled};

const PETITIONER: &str = "李秀英";

fn petition() -> Petition {
    let mut lifecycle = Lifecycle::new(Category::Appeal, "2026-11-02");
    let cal = Calendar::weekends_only();
    lifecycle
        .apply(
            Event::Forward("青石镇人民政府".into()),
            "2026-11-03",
            "巡察办",
            &cal,
        )
        .expect("forward");
    lifecycle
        .apply(Event::Accept, "2026-11-05", "青石镇人民政府", &cal)
        .expect("accept");
    Petition {
        id: 42,
        unit_id: Some(7),
        unit_name: Some("青石镇".into()),
        unit_path: Some("/1/7/".into()),
        channel: Channel::Letter,
        domain: Some("低保".into()),
        title: "反映低保评定不公".into(),
        content: format!("{PETITIONER}反映：村干部优亲厚友"),
        persons: vec!["王五".into()],
        anonymous: false,
        representatives: None,
        duplicate_of: None,
        due_date: lifecycle.due(&cal).map(|d| d.date),
        lifecycle,
        version: 3,
    }
}

fn supervision(id: i64, level: &str, deadline: &str) -> Supervision {
    let n = NewSupervision::parse(
        &SupervisionInput {
            level: level.into(),
            requirement: "请于期限内报送核查进展，并依法答复信访人".into(),
            deadline: deadline.into(),
        },
        42,
        xuncha_core::intake::petition::Status::Accepted,
        "2026-11-10",
        "县委巡察办 张主任",
    )
    .expect("valid");
    Supervision {
        id,
        petition_id: n.petition_id,
        level: n.level,
        state: State::Open,
        issued: n.issued,
        deadline: n.deadline,
        data: n.data,
        version: 1,
    }
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("zip");
    let mut f = zip.by_name("word/document.xml").expect("document part");
    let mut out = String::new();
    f.read_to_string(&mut out).expect("utf8");
    out
}

#[test]
fn the_register_lists_each_petitions_supervisions() {
    let p = petition();
    let mut answered = supervision(1, "催办", "2026-11-15");
    answered
        .apply(
            Step::Reply(ReplyInput {
                kind: "progress".into(),
                text: "已入户核查".into(),
                by: "青石镇民政办 王某".into(),
                date: "2026-11-14".into(),
            }),
            "2026-11-14",
            "巡察办",
        )
        .expect("reply");
    let overdue = supervision(2, "挂牌督办", "2026-11-20");
    let mut map = HashMap::new();
    map.insert(p.id, vec![answered, overdue]);
    let bytes = write_xlsx(&[petitions_sheet(
        std::slice::from_ref(&p),
        &map,
        "2026-11-28",
    )])
    .expect("xlsx");
    let table = read_table(&bytes, "register.xlsx").expect("read back");
    let header = table.headers.iter().position(|h| h == "督办情况");
    let col = header.expect("a supervision column");
    let row = table
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c == "反映低保评定不公"))
        .expect("the petition's row");
    let cell = &row.cells[col];
    assert!(
        cell.contains("催办（已回复") && cell.contains("2026-11-15"),
        "{cell}"
    );
    assert!(
        cell.contains("挂牌督办（待回复") && cell.contains("【已逾期】"),
        "{cell}"
    );
    assert_eq!(cell.matches("已逾期").count(), 1, "only the unanswered one");
    assert!(!table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.contains(PETITIONER))));
}

#[test]
fn the_supervision_notice_states_the_requirement_and_never_the_petitioner() {
    let p = petition();
    let mut s = supervision(7, "督办", "2026-11-30");
    s.apply(
        Step::Reply(ReplyInput {
            kind: "result".into(),
            text: "已取消两户不符合条件的低保".into(),
            by: "青石镇人民政府 赵某".into(),
            date: "2026-11-25".into(),
        }),
        "2026-11-26",
        "巡察办",
    )
    .expect("reply");
    let doc = supervision_notice(
        &p,
        &s,
        "中共云岭县委员会巡察工作领导小组办公室",
        "2026-11-26",
    );
    assert!(doc.title.contains("督办通知单") && doc.title.contains("督办"));
    assert_eq!(
        doc.recipient.as_deref(),
        Some("青石镇人民政府"),
        "the body it was forwarded to"
    );
    let xml = document_xml(&write_docx(&doc).expect("docx"));
    for expected in [
        "反映低保评定不公",
        "请于期限内报送核查进展",
        "2026-11-30",
        "已取消两户不符合条件的低保",
        "青石镇人民政府 赵某",
        "2026年11月26日",
    ] {
        assert!(xml.contains(expected), "{expected} missing");
    }
    assert!(!xml.contains(PETITIONER), "the petitioner is not named");
}

#[test]
fn libreoffice_opens_the_supervision_notice() {
    if !libreoffice_enabled("libreoffice_opens_the_supervision_notice") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("supervision.docx");
    let doc = supervision_notice(
        &petition(),
        &supervision(1, "挂牌督办", "2026-11-30"),
        "县委巡察办",
        "2026-11-20",
    );
    std::fs::write(&docx, write_docx(&doc).expect("docx")).expect("save");
    convert_to_pdf(&docx);
}
