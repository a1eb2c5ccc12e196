//! The survey's slips (.docx with QR images) and results (.xlsx, .docx):
//! what they hold, and (with `XUNCHA_TEST_LIBREOFFICE=1`) that LibreOffice
//! opens them.

mod common;

use std::io::Read;

use xuncha_core::survey::{tabulate, Survey, SurveyForm, SurveyInput, SurveyKind, SurveyStatus};
use xuncha_office::docx::write_docx;
use xuncha_office::surveys::{results_document, results_sheets, slips_document};
use xuncha_office::{read_table, write_xlsx};

use common::{convert_to_pdf, libreoffice_enabled};

fn survey() -> Survey {
    let input = SurveyInput {
        kind: "evaluation".into(),
        title: "青石镇领导班子和领导干部民主测评表".into(),
        subjects: "领导班子\n张三（党委书记）".into(),
        scale: "好/较好/一般/差/不了解".into(),
        scheme: "share".into(),
        values: "1".into(),
        questions: "评价：坚持党的领导\n多选：突出问题｜形式主义/其他\n填空：意见建议（选答）"
            .into(),
        ..SurveyInput::default()
    };
    Survey {
        id: 1,
        kind: SurveyKind::Evaluation,
        status: SurveyStatus::Open,
        round_id: Some(1),
        target_id: Some(1),
        unit_id: 7,
        unit_name: "青石镇".into(),
        unit_path: "/1/7/".into(),
        form: SurveyForm::parse(&input, &["不了解".into()]).expect("valid"),
        issued: 3,
        returned: 2,
        version: 1,
    }
}

fn part(docx: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut f = zip.by_name(name).expect(name);
    let mut out = Vec::new();
    f.read_to_end(&mut out).expect("read");
    out
}

#[test]
fn slips_carry_codes_and_qr_images() {
    let s = survey();
    let codes = vec![
        (
            "ABCDE-FGHJK".to_owned(),
            "http://x/s/ABCDE-FGHJK".to_owned(),
        ),
        (
            "MNPQR-STVWX".to_owned(),
            "http://x/s/MNPQR-STVWX".to_owned(),
        ),
    ];
    let docx = write_docx(&slips_document(&s, &codes)).expect("docx");
    let xml = String::from_utf8(part(&docx, "word/document.xml")).expect("utf8");
    assert!(xml.contains("测评码：ABCDE-FGHJK") && xml.contains("测评码：MNPQR-STVWX"));
    assert_eq!(xml.matches("r:embed=").count(), 2);
    assert!(part(&docx, "word/media/image1.png").starts_with(b"\x89PNG"));
    let rels = String::from_utf8(part(&docx, "word/_rels/document.xml.rels")).expect("utf8");
    assert!(rels.contains("media/image0.png"));
}

#[test]
fn results_hold_counts_scores_and_texts() {
    let s = survey();
    let texts = vec![(2usize, "希望多下基层".to_owned())];
    let sheets = [("aa10", &[][..]), ("bd01", texts.as_slice())];
    let r = tabulate(&s.form, sheets);
    let xlsx = write_xlsx(&results_sheets(&s, &r)).expect("xlsx");
    let table = read_table(&xlsx, "results.xlsx").expect("read");
    let first = &table.rows[0].cells;
    assert!(
        first[0].contains("坚持党的领导") && first[1] == "领导班子",
        "{first:?}"
    );
    assert!(first.iter().any(|c| c == "50"), "share of 好: {first:?}");
    let doc = write_docx(&results_document(&s, &r, "2026-11-28")).expect("docx");
    let xml = String::from_utf8(part(&doc, "word/document.xml")).expect("utf8");
    assert!(xml.contains("收回2份"), "totals in the text");
    assert!(xml.contains("张三（党委书记）"));
}

#[test]
fn libreoffice_opens_the_slips_and_the_results() {
    if !libreoffice_enabled("libreoffice_opens_the_slips_and_the_results") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let s = survey();
    let r = tabulate(&s.form, [("aa10", &[][..])]);
    let codes = vec![(
        "ABCDE-FGHJK".to_owned(),
        "http://x/s/ABCDE-FGHJK".to_owned(),
    )];
    let files = [
        (
            "slips.docx",
            write_docx(&slips_document(&s, &codes)).expect("docx"),
        ),
        (
            "results.docx",
            write_docx(&results_document(&s, &r, "2026-11-28")).expect("docx"),
        ),
        (
            "results.xlsx",
            write_xlsx(&results_sheets(&s, &r)).expect("xlsx"),
        ),
    ];
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        convert_to_pdf(&path);
    }
}
