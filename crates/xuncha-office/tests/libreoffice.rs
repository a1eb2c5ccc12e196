//! Files we write open in LibreOffice, and files LibreOffice writes read
//! back. Runs only when `XUNCHA_TEST_LIBREOFFICE=1` (CI sets it after
//! installing `libreoffice-writer-nogui` and `libreoffice-calc-nogui`);
//! otherwise each test prints that it was skipped.

mod common;

use xuncha_office::docx::{write_docx, Block, Document};
use xuncha_office::{read_table, write_xlsx, Cell, Sheet};

use common::{convert, libreoffice_enabled as enabled};

fn ledger() -> Sheet {
    Sheet {
        name: "问题清单".into(),
        title: Some("巡察发现问题清单".into()),
        headers: [
            "序号",
            "被巡察单位",
            "身份证号",
            "发现日期",
            "涉及金额（万元）",
            "问题描述",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            vec![
                Cell::Int(1),
                "县财政局".into(),
                "110101199003071234".into(),
                Cell::Date("2024-03-15".into()),
                Cell::Number(12.5),
                "专项资金拨付不及时，台账记录不完整".into(),
            ],
            vec![
                Cell::Int(2),
                "县发展和改革局".into(),
                "11010119900307777X".into(),
                Cell::Date("2024-04-01".into()),
                Cell::Number(3.0),
                "公务接待超标准".into(),
            ],
        ],
        widths: None,
    }
}

#[test]
fn xlsx_converts_to_pdf_and_back_through_xls_and_ods() {
    if !enabled("xlsx_converts_to_pdf_and_back_through_xls_and_ods") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("ledger.xlsx");
    std::fs::write(&xlsx, write_xlsx(&[ledger()]).expect("write")).expect("save");
    convert(&xlsx, "pdf");

    let expected = read_table(&std::fs::read(&xlsx).expect("read"), "ledger.xlsx").expect("ours");
    assert_eq!(expected.rows[0].cells[2], "110101199003071234");
    for to in ["xls", "ods"] {
        let out = convert(&xlsx, to);
        let name = out
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let table = read_table(&std::fs::read(&out).expect("read"), &name).expect(to);
        assert_eq!(table, expected, "{to}");
    }
}

#[test]
fn docx_converts_to_pdf() {
    if !enabled("docx_converts_to_pdf") {
        return;
    }
    let doc = Document {
        title: "关于县财政局巡察情况的报告".into(),
        doc_number: Some("县巡发〔2024〕3号".into()),
        recipient: Some("县委巡察工作领导小组".into()),
        blocks: vec![
            Block::Paragraph("根据县委统一部署，县委第一巡察组对县财政局开展了常规巡察。".into()),
            Block::Heading1("一、基本情况".into()),
            Block::Heading2("（一）存在的问题".into()),
            Block::Paragraph("巡察发现问题如下。".repeat(60)),
            Block::Table {
                headers: vec!["序号".into(), "问题".into()],
                rows: vec![vec!["1".into(), "台账不全".into()]],
            },
            Block::PageBreak,
            Block::Heading3("1.第二页".into()),
        ],
        signature: Some("县委第一巡察组".into()),
        date: Some("2024-05-20".into()),
        ..Document::default()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, write_docx(&doc).expect("write")).expect("save");
    convert(&docx, "pdf");
}
