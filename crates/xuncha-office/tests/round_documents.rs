//! The round's circular (.docx) and ledgers (.xlsx): what they hold, and
//! (with `XUNCHA_TEST_LIBREOFFICE=1`) that LibreOffice opens them.

mod common;

use std::collections::BTreeMap;

use xuncha_core::inspection::circular::Circular;
use xuncha_core::inspection::paper::{PaperSource, PaperStatus, WorkingPaper};
use xuncha_core::inspection::record::{RecordKind, RecordMeta, StoredRecord};
use xuncha_core::inspection::rectification::{RectItem, RectKind, RectStatus};
use xuncha_core::inspection::{Round, RoundKind, RoundStatus, Stage, Target};
use xuncha_office::docx::write_docx;
use xuncha_office::rounds::{circular_document, ledger_sheet};
use xuncha_office::{read_table, write_xlsx};

use common::{convert_to_pdf, libreoffice_enabled};

fn meta(id: i64, kind: RecordKind, status: &str) -> RecordMeta {
    RecordMeta {
        id,
        kind,
        round_id: 1,
        target_id: 1,
        unit_id: 7,
        unit_path: "/1/7/".into(),
        status: status.into(),
        tag: None,
        due_date: None,
        version: 1,
        created_by: 1,
        created_at: 0,
        updated_at: 0,
    }
}

fn records() -> (Vec<StoredRecord>, Vec<StoredRecord>) {
    let papers = (1..=3)
        .map(|i| {
            let p = WorkingPaper {
                category: "六项纪律/廉洁纪律".into(),
                source: PaperSource::Talk,
                summary: format!("问题{i}：违规发放津补贴"),
                facts: "2025年违规发放加班补贴12.6万元".into(),
                basis: "《中国共产党纪律处分条例》".into(),
                evidence: vec![],
                status: PaperStatus::Approved,
                handlers: vec![],
                reviewed: None,
                approved: None,
                returns: vec![],
            };
            StoredRecord {
                meta: meta(i, RecordKind::Paper, "approved"),
                data: serde_json::to_string(&p).expect("json"),
            }
        })
        .collect();
    let item = RectItem {
        paper_id: Some(1),
        problem: "违规发放津补贴".into(),
        measures: "全额清退".into(),
        responsible: "李书记".into(),
        kind: RectKind::Deadline,
        deadline: "2026-08-20".into(),
        status: RectStatus::Open,
        progress: vec![],
        send_backs: vec![],
        accepted_by: None,
        disclose: true,
    };
    let items = vec![StoredRecord {
        meta: meta(9, RecordKind::RectItem, "open"),
        data: serde_json::to_string(&item).expect("json"),
    }];
    (papers, items)
}

fn round() -> (Round, Circular, Vec<Target>) {
    let round = Round {
        id: 1,
        term: 15,
        number: 1,
        kind: RoundKind::Regular,
        title: "第十五届第一轮常规巡察".into(),
        start_date: "2026-03-02".into(),
        end_date: Some("2026-05-15".into()),
        status: RoundStatus::Finished,
        created_at: 0,
    };
    let circular = Circular {
        units: 2,
        problems: 10,
        problems_by_category: BTreeMap::from([("六项纪律".into(), 6), ("四个落实".into(), 4)]),
        clues: 3,
        clue_persons: 4,
        petitions: 16,
        petitions_by_domain: BTreeMap::from([("低保".into(), 9)]),
        principals_talked: 2,
        ..Circular::default()
    };
    let targets = vec![Target {
        id: 1,
        round_id: 1,
        unit_id: 7,
        unit_name: "青石镇".into(),
        unit_path: "/1/7/".into(),
        team_id: Some(1),
        stage: Stage::Evaluate,
        report_returns: 1,
        feedback_date: Some("2026-05-21".into()),
        rect_rating: Some("average".into()),
    }];
    (round, circular, targets)
}

#[test]
fn ledgers_hold_every_record_with_unit_names() {
    let (papers, items) = records();
    let sheet = ledger_sheet(RecordKind::Paper, papers, |_| "青石镇".into()).expect("sheet");
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!(sheet.name, "问题台账");
    let bytes = write_xlsx(&[sheet]).expect("xlsx");
    let table = read_table(&bytes, "ledger.xlsx").expect("read back");
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[0].cells[0], "青石镇");
    assert!(table.headers.iter().any(|h| h == "问题类别"));
    let sheet = ledger_sheet(RecordKind::RectItem, items, |_| "青石镇".into()).expect("sheet");
    assert_eq!(sheet.rows.len(), 1);
}

#[test]
fn the_circular_states_the_computed_numbers() {
    let (round, c, targets) = round();
    let doc = circular_document("云岭县", &round, &c, &targets, "2026-11-28");
    assert!(doc.title.contains("第十五届第一轮常规巡察"));
    let text = format!("{:?}", doc.blocks);
    assert!(text.contains("共对2个单位开展巡察"), "{text}");
    assert!(text.contains("发现问题10个"), "{text}");
    assert!(text.contains("低保"), "{text}");
    assert!(doc
        .signature
        .as_deref()
        .is_some_and(|s| s.contains("云岭县")));
    let bytes = write_docx(&doc).expect("docx");
    assert_eq!(&bytes[..2], b"PK");
}

fn petition() -> xuncha_core::intake::register::Petition {
    use xuncha_core::intake::petition::{Category, Channel, Lifecycle};
    xuncha_core::intake::register::Petition {
        id: 1,
        unit_id: Some(7),
        unit_name: Some("青石镇".into()),
        unit_path: Some("/1/7/".into()),
        channel: Channel::Letter,
        domain: Some("低保".into()),
        title: "反映低保评定不公".into(),
        content: "村干部优亲厚友".into(),
        persons: vec!["王五".into()],
        anonymous: false,
        representatives: None,
        duplicate_of: None,
        lifecycle: Lifecycle::new(Category::Appeal, "2026-03-02"),
        due_date: Some("2026-03-17".into()),
        version: 1,
    }
}

#[test]
fn libreoffice_opens_the_petition_register_and_notice() {
    if !libreoffice_enabled("libreoffice_opens_the_petition_register_and_notice") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let p = petition();
    let xlsx = dir.path().join("register.xlsx");
    std::fs::write(
        &xlsx,
        write_xlsx(&[xuncha_office::petitions::petitions_sheet(
            std::slice::from_ref(&p),
            &Default::default(),
            "2026-03-05",
        )])
        .expect("xlsx"),
    )
    .expect("save");
    let docx = dir.path().join("notice.docx");
    let notice =
        xuncha_office::petitions::acceptance_notice(&p, Some("李秀英"), "县委巡察办", "2026-03-05");
    std::fs::write(&docx, write_docx(&notice).expect("docx")).expect("save");
    for file in [&xlsx, &docx] {
        convert_to_pdf(file);
    }
}

#[test]
fn libreoffice_opens_the_circular_and_the_ledgers() {
    if !libreoffice_enabled("libreoffice_opens_the_circular_and_the_ledgers") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (round, c, targets) = round();
    let (papers, items) = records();
    let docx = dir.path().join("circular.docx");
    std::fs::write(
        &docx,
        write_docx(&circular_document(
            "云岭县",
            &round,
            &c,
            &targets,
            "2026-11-28",
        ))
        .expect("docx"),
    )
    .expect("save");
    let xlsx = dir.path().join("ledgers.xlsx");
    let sheets = [
        ledger_sheet(RecordKind::Paper, papers, |_| "青石镇".into()).expect("sheet"),
        ledger_sheet(RecordKind::RectItem, items, |_| "青石镇".into()).expect("sheet"),
    ];
    std::fs::write(&xlsx, write_xlsx(&sheets).expect("xlsx")).expect("save");
    for file in [&docx, &xlsx] {
        convert_to_pdf(file);
    }
}
