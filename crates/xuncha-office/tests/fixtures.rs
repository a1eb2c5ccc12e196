//! Spreadsheets written by another program (LibreOffice), stored under
//! `tests/data/` (see its README).

use xuncha_office::{read_table, RawTable};

fn read(name: &str) -> RawTable {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_table(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn check(t: &RawTable) {
    assert_eq!(
        t.headers,
        [
            " *姓 名",
            "公民身份号码（18位）",
            "出生日期",
            "补贴",
            "在职"
        ]
    );
    let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 5]);
    assert_eq!(
        t.rows[0].cells,
        ["张三", "110101199003071234", "1990-03-07", "1234.5", "是"]
    );
    assert_eq!(
        t.rows[1].cells,
        ["李四", "010101199003071234", "2000-02-29", "12", "否"]
    );
}

#[test]
fn legacy_xls() {
    check(&read("people.xls"));
}

#[test]
fn opendocument_ods() {
    check(&read("people.ods"));
}

#[test]
fn content_wins_over_a_wrong_name() {
    let path = format!("{}/tests/data/people.xls", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).expect("fixture");
    check(&read_table(&bytes, "people.csv").expect("read"));
}
