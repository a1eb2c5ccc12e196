//! Importing lists as they arrive from departments: GBK CSV files with
//! messy headers, blank rows and bad ID numbers, and .xlsx workbooks; and
//! custom SQL rules over what was imported.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{id, import_bytes, import_csv};
use xuncha_collide::{validate_rule, DataDir, Engine, Hit, SavedRule};

fn query(dir: &DataDir, sql: &str) -> Result<Vec<Hit>, xuncha_collide::CollideError> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let e = Engine::open(dir).await?;
        e.run_custom("q", sql, Duration::from_secs(30)).await
    })
}

#[test]
fn gbk_csv_with_messy_headers_blank_rows_and_bad_ids_keeps_the_good_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let good = id("19800101", 11);
    let text = format!(
        "序号,姓　名,身份证号码（18位）,救助类别,发放金额（元）,发放月份,备注\r\n\
         1,张 三,{good},农村低保,\"1,200\",2024年3月,\r\n\
         ,,,,,,\r\n\
         2,李四,11010119900101123,农村低保,500,2024-03,位数不对\r\n\
         3,王五,110105491231002,特困供养,800,202403,旧15位号码\r\n\
         4,,,农村低保,300,2024-03,姓名和号码都空\r\n\
         5,赵六,{good2},,300,2024-03,缺类别\r\n\
         6,孙七,{good3},农村低保,三百,2024-13,金额和月份有误\r\n",
        good2 = id("19810101", 13),
        good3 = id("19820101", 15),
    );
    let (gbk, _, had_errors) = encoding_rs::GBK.encode(&text);
    assert!(!had_errors);
    let report = import_bytes(&dir, "subsidy", "低保名册", &gbk, "低保.csv", &[]);
    let d = &report.dataset;
    // Kept: 张三, 李四 (ID dropped), 王五 (upgraded), 孙七 (amount, month dropped).
    assert_eq!((d.rows, d.skipped), (4, 2), "{:#?}", report.problems);
    let at = |row: usize| -> Vec<&xuncha_collide::Problem> {
        report.problems.iter().filter(|p| p.row == row).collect()
    };
    assert!(
        at(2).is_empty() && at(3).is_empty(),
        "blank row 3 is not a problem"
    );
    let li = at(4);
    assert_eq!(li.len(), 1);
    assert_eq!(li[0].column, "身份证号码（18位）");
    assert!(
        li[0].message.contains("18位") && !li[0].skipped,
        "{}",
        li[0].message
    );
    assert!(at(6)[0].message.contains("「姓名」为空") && at(6)[0].skipped);
    assert!(at(7)[0].message.contains("救助类别") && at(7)[0].skipped);
    let sun: Vec<&str> = at(8).iter().map(|p| p.column.as_str()).collect();
    assert_eq!(sun, ["发放金额（元）", "发放月份"]);
    assert_eq!(d.mapping.headers["name"], "姓　名");
    assert_eq!(d.source_department.as_deref(), Some("民政局"));
    assert_eq!(d.imported_by, "tester");
    // The report is kept with the data set.
    assert_eq!(dir.problems(d).unwrap(), report.problems);

    let rows = query(
        &dir,
        "SELECT id_number AS subject_id_number, name AS subject_name, \
         CAST(_row AS VARCHAR) || '|' || name_key || '|' || COALESCE(CAST(birth_date AS VARCHAR), '') \
         || '|' || COALESCE(CAST(amount AS VARCHAR), '') || '|' || COALESCE(CAST(pay_month AS VARCHAR), '') AS evidence \
         FROM \"低保名册\"",
    )
    .unwrap();
    let mut ev: Vec<String> = rows.iter().map(|h| h.evidence.clone()).collect();
    ev.sort();
    assert_eq!(
        ev,
        [
            "2|张三|1980-01-01|1200.0|2024-03-01",
            "4|李四||500.0|2024-03-01",
            "5|王五|1949-12-31|800.0|2024-03-01",
            "8|孙七|1982-01-01||",
        ]
    );
    let wang = rows.iter().find(|h| h.subject_name == "王五").unwrap();
    assert_eq!(
        wang.subject_id_number.as_deref(),
        Some("11010519491231002X")
    );
}

#[test]
fn xlsx_with_a_title_row_and_an_explicit_mapping() {
    use xuncha_office::{write_xlsx, Cell, Sheet};
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let a = id("19500101", 11);
    let sheet = Sheet {
        name: "死亡".into(),
        title: Some("2024年死亡人员名单".into()),
        headers: vec!["人名".into(), "证件".into(), "亡故日".into()],
        rows: vec![
            vec![
                Cell::Text("孙七".into()),
                Cell::Text(a.clone()),
                Cell::Date("2024-01-15".into()),
            ],
            vec![
                Cell::Text("周八".into()),
                Cell::Text(id("19510101", 13)),
                Cell::Text("不详".into()),
            ],
        ],
        widths: None,
    };
    let bytes = write_xlsx(&[sheet]).unwrap();
    let map = [
        ("姓名", "人名"),
        ("身份证号", "证件"),
        ("死亡日期", "亡故日"),
    ];
    let report = import_bytes(&dir, "deceased", "死亡名单", &bytes, "死亡.xlsx", &map);
    assert_eq!((report.dataset.rows, report.dataset.skipped), (1, 1));
    let p = &report.problems[0];
    assert_eq!((p.row, p.column.as_str(), p.skipped), (4, "亡故日", true));
    assert!(p.message.contains("不详"));
    let rows = query(
        &dir,
        "SELECT name AS subject_name, CAST(death_date AS VARCHAR) AS evidence FROM deceased",
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].evidence, "2024-01-15");
}

#[test]
fn duplicate_names_and_missing_columns_are_refused_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    import_csv(&dir, "payroll", "财政", "姓名,单位\n张三,局\n");
    let table = xuncha_office::read_table("姓名,单位\n李四,局\n".as_bytes(), "a.csv").unwrap();
    let req = |kind: &str, name: &str| xuncha_collide::ImportRequest {
        kind: xuncha_collide::Kind::parse(kind),
        name: name.into(),
        ..Default::default()
    };
    let rows = || table.rows.iter().map(|r| (r.line, r.cells.clone()));
    let e = dir
        .import(&req("payroll", "财政"), &table.headers, rows())
        .unwrap_err();
    assert!(e.to_string().contains("已存在"), "{e}");
    let e = dir
        .import(&req("deceased", "死亡"), &table.headers, rows())
        .unwrap_err();
    assert!(e.to_string().contains("死亡日期"), "{e}");
    let e = dir
        .import(&req("payroll", "a\"b"), &table.headers, rows())
        .unwrap_err();
    assert!(e.to_string().contains("不可用"), "{e}");
    assert_eq!(dir.manifest().unwrap().datasets.len(), 1);
}

#[test]
fn custom_rules_are_read_only_and_see_only_the_data_sets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let a = id("19800101", 11);
    import_csv(
        &dir,
        "payroll",
        "财政",
        &format!("姓名,身份证号,单位\n张三,{a},县财政局\n"),
    );
    let hits = query(
        &dir,
        "WITH p AS (SELECT * FROM payroll) SELECT id_number AS subject_id_number, name AS subject_name, \
         unit AS evidence FROM p",
    )
    .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].subject_id_number.as_deref(), Some(a.as_str()));
    assert_eq!(hits[0].strength, xuncha_collide::Strength::Strong);
    for bad in [
        "DROP TABLE payroll",
        "INSERT INTO payroll SELECT * FROM payroll",
        "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'",
        "SELECT 1 AS subject_name; SELECT 2 AS subject_name",
        "COPY payroll TO '/tmp/x.csv'",
        "SET datafusion.execution.batch_size = 1",
    ] {
        let e = query(&dir, bad).unwrap_err();
        assert!(
            e.to_string().contains("只读查询") || e.to_string().contains("SQL"),
            "{bad}: {e}"
        );
    }
    // Files and other tables are out of reach.
    assert!(query(&dir, "SELECT * FROM '/etc/passwd'").is_err());
    assert!(query(
        &dir,
        "SELECT table_name AS subject_name FROM information_schema.tables"
    )
    .is_err());
    let m = dir.manifest().unwrap();
    let rule = |id: &str, sql: &str| SavedRule {
        id: id.into(),
        title: "测试".into(),
        sql: sql.into(),
        created_by: "t".into(),
        basis: String::new(),
    };
    assert!(validate_rule(
        &rule("my-rule", "SELECT name AS subject_name FROM payroll"),
        &m
    )
    .is_ok());
    assert!(validate_rule(&rule("double-benefit", "SELECT 1"), &m).is_err());
    assert!(validate_rule(&rule("x y", "SELECT 1"), &m).is_err());
    assert!(validate_rule(&rule("ok", "DELETE FROM payroll"), &m).is_err());
}

#[test]
fn generic_lists_keep_every_column_under_its_header() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let a = id("19800101", 11);
    let r = import_csv(
        &dir,
        "generic",
        "加油卡",
        &format!("持卡人,身份证号,卡号,加油量,,备注\n张三,{a},001,50,,\n李四,,002,80,x,夜间\n"),
    );
    assert_eq!((r.dataset.rows, r.dataset.skipped), (2, 0));
    assert_eq!(
        r.dataset.mapping.unmapped,
        ["持卡人", "卡号", "加油量", "备注"]
    );
    let hits = query(
        &dir,
        "SELECT \"持卡人\" AS subject_name, id_number AS subject_id_number, \
         \"卡号\" || '/' || \"加油量\" || '/' || COALESCE(\"列5\", '') AS evidence FROM \"加油卡\"",
    )
    .unwrap();
    let ev: Vec<(&str, Option<&str>, &str)> = hits
        .iter()
        .map(|h| {
            (
                h.subject_name.as_str(),
                h.subject_id_number.as_deref(),
                h.evidence.as_str(),
            )
        })
        .collect();
    // Hits come sorted by subject ID number; none sorts first.
    assert_eq!(
        ev,
        [
            ("李四", None, "002/80/x"),
            ("张三", Some(a.as_str()), "001/50/")
        ]
    );
}
