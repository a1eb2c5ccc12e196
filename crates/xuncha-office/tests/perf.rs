//! Timings of large files; ignored by default. Run them in release mode:
//!
//! ```sh
//! cargo test -p xuncha-office --release --test perf -- --ignored --nocapture
//! ```
//!
//! They print their timings and assert only generous bounds, so a slow
//! machine does not fail them by chance.

use std::time::Instant;

use xuncha_office::{read_table, write_xlsx, Cell, Sheet};

fn people(rows: usize) -> Sheet {
    let rows = (0..rows)
        .map(|i| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(format!("张{}", ["三", "伟", "芳", "娜娜", "秀英"][i % 5])),
                Cell::Text(format!("1101011990{:08}", i)),
                Cell::Date(format!(
                    "19{:02}-{:02}-{:02}",
                    50 + i % 50,
                    1 + i % 12,
                    1 + i % 28
                )),
                Cell::Text(["县财政局", "县发展和改革局", "县委办公室"][i % 3].into()),
                Cell::Number(1000.0 + (i % 997) as f64 * 0.5),
                Cell::Text(format!("1380013{:04}", i % 10_000)),
            ]
        })
        .collect();
    Sheet {
        name: "人员".into(),
        title: Some("人员名单".into()),
        headers: [
            "序号",
            "姓名",
            "身份证号",
            "出生日期",
            "单位",
            "补贴",
            "电话",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: None,
    }
}

#[test]
#[ignore = "timing; run with --release --ignored"]
fn write_200k_rows() {
    let sheet = people(200_000);
    let t = Instant::now();
    let bytes = write_xlsx(&[sheet]).expect("write");
    let took = t.elapsed();
    println!("write_xlsx 200,000 × 7: {took:.2?}, {} bytes", bytes.len());
    assert!(took.as_secs() < 60);
}

#[test]
#[ignore = "timing; run with --release --ignored"]
fn read_100k_rows() {
    let bytes = write_xlsx(&[people(100_000)]).expect("write");
    let t = Instant::now();
    let table = read_table(&bytes, "people.xlsx").expect("read");
    let took = t.elapsed();
    println!(
        "read_table 100,000 × 7 xlsx ({} bytes): {took:.2?}",
        bytes.len()
    );
    assert_eq!(table.rows.len(), 100_000);
    assert_eq!(table.rows[99_999].cells[2], "110101199000099999");
    assert!(took.as_secs() < 30);
}

#[test]
#[ignore = "timing; run with --release --ignored"]
fn read_100k_rows_csv() {
    let mut csv = String::from("序号,姓名,身份证号,出生日期,单位,补贴,电话\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "{},张三,1101011990{:08},1990-01-01,县财政局,1000.5,13800138000\n",
            i + 1,
            i
        ));
    }
    let t = Instant::now();
    let table = read_table(csv.as_bytes(), "people.csv").expect("read");
    println!("read_table 100,000 × 7 csv: {:.2?}", t.elapsed());
    assert_eq!(table.rows.len(), 100_000);
}
