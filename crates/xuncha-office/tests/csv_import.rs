//! Delimited text files: encodings, delimiters, blank rows, messy headers.

use encoding_rs::GB18030;
use xuncha_office::{read_table, ReadError};

const PEOPLE: &str = " *姓 名 ,身份证号码（18位）,工作单位,备注
张三,110101199003071234,县财政局,
\"李四, 副局长\",11010119900307777X,\"县\"\"发改\"\"局\",\"第一行
第二行\"
,,,
王五,=\"010101199003071234\",县委办,末尾空格   
";

fn lines(t: &xuncha_office::RawTable) -> Vec<usize> {
    t.rows.iter().map(|r| r.line).collect()
}

fn check_people(t: &xuncha_office::RawTable) {
    // Headers as written (only trailing whitespace trimmed).
    assert_eq!(
        t.headers,
        [" *姓 名", "身份证号码（18位）", "工作单位", "备注"]
    );
    assert_eq!(
        t.rows[0].cells,
        ["张三", "110101199003071234", "县财政局", ""]
    );
    assert_eq!(
        t.rows[1].cells,
        [
            "李四, 副局长",
            "11010119900307777X",
            "县\"发改\"局",
            "第一行\n第二行"
        ]
    );
    assert_eq!(
        t.rows[2].cells,
        ["王五", "010101199003071234", "县委办", "末尾空格"]
    );
    // The quoted two-line cell is one row; the ",,," row is blank but
    // counted.
    assert_eq!(lines(t), [2, 3, 5]);
}

#[test]
fn utf8_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(PEOPLE.as_bytes());
    let t = read_table(&bytes, "人员.csv").expect("read");
    check_people(&t);
}

#[test]
fn utf8_without_bom() {
    let t = read_table(PEOPLE.as_bytes(), "人员.csv").expect("read");
    check_people(&t);
}

#[test]
fn gbk_encoded() {
    let (bytes, _, unmappable) = GB18030.encode(PEOPLE);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let t = read_table(&bytes, "人员.CSV").expect("read");
    check_people(&t);
}

#[test]
fn tab_separated_saved_as_xls() {
    // Some systems export tab-separated text under a .xls name.
    let text = "姓名\t身份证号\r\n\r\n张三\t110101199003071234\r\n";
    let (bytes, _, _) = GB18030.encode(text);
    let t = read_table(&bytes, "导出.xls").expect("read");
    assert_eq!(t.headers, ["姓名", "身份证号"]);
    assert_eq!(t.rows[0].cells, ["张三", "110101199003071234"]);
    assert_eq!(t.rows[0].line, 3);
}

#[test]
fn semicolon_separated() {
    let t = read_table("a;b\n1;2\n".as_bytes(), "x.csv").expect("read");
    assert_eq!(t.headers, ["a", "b"]);
    assert_eq!(t.rows[0].cells, ["1", "2"]);
}

#[test]
fn utf16_unicode_text() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "姓名\t单位\r\n张三\t县委办\r\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let t = read_table(&bytes, "unicode.txt").expect("read");
    assert_eq!(t.rows[0].cells, ["张三", "县委办"]);
}

#[test]
fn blank_lines_before_the_header_count() {
    let t = read_table("\n\n姓名,单位\n\n张三,县委办\n".as_bytes(), "x.csv").expect("read");
    assert_eq!(t.headers, ["姓名", "单位"]);
    assert_eq!(lines(&t), [5]);
}

#[test]
fn extra_cells_beyond_the_header_are_kept() {
    let t = read_table(
        "姓名,单位\n张三,县委办,多出来的\n李四\n".as_bytes(),
        "x.csv",
    )
    .expect("read");
    assert_eq!(t.headers, ["姓名", "单位", ""]);
    assert_eq!(t.rows[0].cells, ["张三", "县委办", "多出来的"]);
    assert_eq!(t.rows[1].cells, ["李四", "", ""]);
}

#[test]
fn only_blank_rows_is_empty() {
    let e = read_table(",,,\n , \n".as_bytes(), "x.csv").expect_err("must fail");
    assert!(matches!(e, ReadError::Empty), "{e:?}");
}
