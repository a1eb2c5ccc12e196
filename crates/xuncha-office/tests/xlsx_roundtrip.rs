//! Workbooks written by `write_xlsx` read back by `read_table`.

use xuncha_office::{read_table, write_xlsx, Cell, Sheet};

fn people_sheet() -> Sheet {
    Sheet {
        name: "人员名单".into(),
        title: Some("2024年度被巡察单位人员名单".into()),
        headers: vec![
            "序号".into(),
            "姓名".into(),
            "公民身份号码".into(),
            "出生日期".into(),
            "年度补贴（元）".into(),
            "备注".into(),
        ],
        rows: vec![
            vec![
                Cell::Int(1),
                Cell::from("欧阳娜娜"),
                Cell::from("11010119900307777X"),
                Cell::Date("1990-03-07".into()),
                Cell::Number(1234.5),
                Cell::from("多行\n备注"),
            ],
            vec![
                Cell::Int(2),
                Cell::from("张三"),
                // All digits, longer than Excel's 15 significant digits.
                Cell::from("110101199003071234"),
                Cell::Date("2000-02-29".into()),
                Cell::Number(0.1 + 0.2),
                Cell::Empty,
            ],
            vec![
                Cell::Int(3),
                Cell::from("李四"),
                Cell::from("010101199003071234"),
                Cell::Date("不详".into()),
                Cell::Int(-7),
                Cell::from("  首尾空格  "),
            ],
            // Shorter rows are padded with empty cells.
            vec![Cell::Int(4), Cell::from("王五")],
        ],
        widths: None,
    }
}

#[test]
fn ledger_round_trips_through_xlsx() {
    let bytes = write_xlsx(&[people_sheet()]).expect("write");
    let t = read_table(&bytes, "人员名单.xlsx").expect("read");

    // The merged title row is skipped; the header is row 2.
    assert_eq!(
        t.headers,
        [
            "序号",
            "姓名",
            "公民身份号码",
            "出生日期",
            "年度补贴（元）",
            "备注"
        ]
    );
    let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    assert_eq!(
        t.rows[0].cells,
        [
            "1",
            "欧阳娜娜",
            "11010119900307777X",
            "1990-03-07",
            "1234.5",
            "多行\n备注"
        ]
    );
    assert_eq!(
        t.rows[1].cells,
        ["2", "张三", "110101199003071234", "2000-02-29", "0.3", ""]
    );
    assert_eq!(
        t.rows[2].cells,
        [
            "3",
            "李四",
            "010101199003071234",
            "不详",
            "-7",
            "  首尾空格"
        ]
    );
    assert_eq!(t.rows[3].cells, ["4", "王五", "", "", "", ""]);
}

#[test]
fn first_sheet_with_data_is_read() {
    let empty = Sheet {
        name: "说明".into(),
        ..Sheet::default()
    };
    let data = Sheet {
        name: "数据".into(),
        headers: vec!["单位名称".into(), "单位类别".into()],
        rows: vec![vec!["县财政局".into(), "行政机关".into()]],
        ..Sheet::default()
    };
    // The empty sheet still has one (empty) header cell written; a sheet
    // with only blank cells counts as having no data.
    let bytes = write_xlsx(&[empty, data]).expect("write");
    let t = read_table(&bytes, "units.xlsx").expect("read");
    assert_eq!(t.headers, ["单位名称", "单位类别"]);
    assert_eq!(t.rows[0].cells, ["县财政局", "行政机关"]);
    assert_eq!(t.rows[0].line, 2);
}

#[test]
fn many_sheets_keep_names_unique_and_valid() {
    let sheet = |name: &str| Sheet {
        name: name.into(),
        headers: vec!["a".into()],
        rows: vec![vec![Cell::Int(1)]],
        ..Sheet::default()
    };
    let bytes = write_xlsx(&[sheet("问题/清单"), sheet("问题_清单"), sheet("")]).expect("write");
    let book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("open");
    use calamine::Reader;
    assert_eq!(book.sheet_names(), ["问题_清单", "问题_清单(2)", "Sheet3"]);
}

#[test]
fn sheet_name_sniffing_ignores_a_wrong_extension() {
    let bytes = write_xlsx(&[people_sheet()]).expect("write");
    let t = read_table(&bytes, "upload.csv").expect("read");
    assert_eq!(t.rows.len(), 4);
}

#[test]
fn visible_sheets_come_before_hidden_ones() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let hidden = book.add_worksheet();
    hidden.set_name("字典").expect("name");
    hidden.write(0, 0, "代码").expect("write");
    hidden.write(0, 1, "名称").expect("write");
    hidden.set_hidden(true);
    let data = book.add_worksheet();
    data.write(2, 1, "姓名").expect("write");
    data.write(2, 2, "单位").expect("write");
    data.write(3, 1, "张三").expect("write");
    data.write(3, 2, 42).expect("write");
    data.set_active(true);
    let bytes = book.save_to_buffer().expect("save");

    let t = read_table(&bytes, "book.xlsx").expect("read");
    // The table starts at B3: no empty column A, row numbers as in Excel.
    assert_eq!(t.headers, ["姓名", "单位"]);
    assert_eq!(t.rows[0].cells, ["张三", "42"]);
    assert_eq!(t.rows[0].line, 4);
}
