//! Files that cannot be read give a clear Chinese message.

use std::io::Write;

use xuncha_office::{read_table, ReadError};

#[test]
fn empty_file() {
    let e = read_table(b"", "人员.xlsx").expect_err("must fail");
    assert!(matches!(e, ReadError::Empty));
    assert_eq!(
        e.to_string(),
        "文件中没有数据，请检查是否选错了文件或工作表"
    );
}

#[test]
fn corrupt_zip() {
    // A zip header followed by garbage, like a truncated upload.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 200));
    let e = read_table(&bytes, "人员.xlsx").expect_err("must fail");
    assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.starts_with("文件已损坏或不是有效的 Excel 文件："),
        "{msg}"
    );
    assert!(msg.contains("另存为 .xlsx"), "{msg}");
}

#[test]
fn truncated_xlsx() {
    let sheet = xuncha_office::Sheet {
        name: "s".into(),
        headers: vec!["a".into(), "b".into()],
        rows: vec![vec![1i64.into(), "x".into()]; 50],
        ..Default::default()
    };
    let bytes = xuncha_office::write_xlsx(&[sheet]).expect("write");
    let e = read_table(&bytes[..bytes.len() / 2], "s.xlsx").expect_err("must fail");
    assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
}

#[test]
fn a_zip_that_is_not_a_workbook() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .expect("start");
    zip.write_all(b"hello").expect("write");
    let bytes = zip.finish().expect("finish").into_inner();
    let e = read_table(&bytes, "x.xlsx").expect_err("must fail");
    assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
}

#[test]
fn a_word_document_is_not_a_table() {
    let doc = xuncha_office::docx::Document {
        title: "不是表格".into(),
        ..Default::default()
    };
    let bytes = xuncha_office::docx::write_docx(&doc).expect("docx");
    let e = read_table(&bytes, "报告.docx").expect_err("must fail");
    assert!(matches!(e, ReadError::NotSpreadsheet("Word 文档")), "{e:?}");
    assert_eq!(
        e.to_string(),
        "该文件是Word 文档，不是电子表格，请上传 .xlsx、.xls 或 .csv 文件"
    );
}

#[test]
fn binary_files_are_refused() {
    let e = read_table(b"%PDF-1.7\n...", "scan.pdf").expect_err("must fail");
    assert!(matches!(e, ReadError::UnknownFormat));
    assert_eq!(
        e.to_string(),
        "无法识别的文件格式，请上传 .xlsx、.xls 或 .csv 文件"
    );
    let e = read_table(b"\x00\x01\x02garbage", "x.dat").expect_err("must fail");
    assert!(matches!(e, ReadError::UnknownFormat));
    let e = read_table(b"\x00\x01\x02garbage", "x.xls").expect_err("must fail");
    assert!(matches!(e, ReadError::Corrupt { .. }));
}

#[test]
fn broken_ole_file() {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 600));
    let e = read_table(&bytes, "old.xls").expect_err("must fail");
    assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
}

#[test]
fn html_saved_as_xls() {
    let html = "<html><body><table><tr><td>姓名</td></tr></table></body></html>";
    let e = read_table(html.as_bytes(), "导出.xls").expect_err("must fail");
    assert!(matches!(e, ReadError::Disguised(_)));
    assert!(e.to_string().contains("网页（HTML）"), "{e}");
}

#[test]
fn undecodable_text() {
    // Bytes that are neither UTF-8 nor GB18030.
    let e = read_table(b"a,b\n\x81\x20,\xFF\n", "x.csv").expect_err("must fail");
    assert!(matches!(e, ReadError::Encoding), "{e:?}");
}
