//! `xuncha collide …` as an operator uses it: import a GBK roll and a
//! payroll list, list them, run a template and a saved custom rule, and read
//! the hits as CSV on stdout.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use xuncha_text::IdNumber;

fn xuncha(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xuncha"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("XUNCHA_DATABASE_URL")
        .env_remove("XUNCHA_DATA")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn id(birth: &str, seq: u16) -> String {
    IdNumber::from_parts("110101", birth, seq)
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn import_lists_run_rules_and_print_hits_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let zs = id("19700101", 11);
    let ww = id("19710101", 13);
    let roll = format!(
        "姓名,公民身份号码,救助类别,发放月份,村\r\n\
         张三,{zs},农村低保,2024-03,石桥村\r\n\
         李四,12345,农村低保,2024-03,石桥村\r\n\
         王五,{ww},农村低保,2024-03,河口村\r\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&roll);
    let roll_path = dir.path().join("低保.csv");
    std::fs::write(&roll_path, &gbk).unwrap();
    let payroll_path = dir.path().join("payroll.csv");
    std::fs::write(
        &payroll_path,
        format!(
            "姓名,身份证号,工作单位\n张三,{zs},县财政局\n王五,{},县水利局\n",
            id("19750505", 15)
        ),
    )
    .unwrap();

    let o = xuncha(
        &data,
        &[
            "collide",
            "import",
            "--kind",
            "subsidy",
            "--name",
            "低保2024",
            "--source",
            "县民政局",
            "--by",
            "巡察办",
            roll_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    // The bad ID number is named by row and column; the good rows are in.
    assert!(
        err(&o).contains("3 行") || err(&o).contains("3 行，"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("第3行「公民身份号码」"), "{}", err(&o));

    let o = xuncha(
        &data,
        &[
            "collide",
            "import",
            "--kind",
            "payroll",
            "--name",
            "财政供养",
            payroll_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", err(&o));

    let o = xuncha(&data, &["collide", "datasets"]);
    let listed = out(&o);
    assert!(
        listed.contains("低保2024\t救助补贴对象\t3\t0\t1\t县民政局\t巡察办"),
        "{listed}"
    );
    assert!(listed.contains("财政供养\t财政供养人员\t2"), "{listed}");

    let o = xuncha(&data, &["collide", "rules"]);
    assert!(
        out(&o).contains("deceased-still-paid\t死亡后仍在册领取救助补贴"),
        "{}",
        out(&o)
    );

    let o = xuncha(&data, &["collide", "run", "--rule", "recipient-is-payroll"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        out(&o),
        format!(
            "rule,subject_id_number,subject_name,strength,evidence\n\
             recipient-is-payroll,{zs},张三,strong,低保2024第2行；财政供养第2行；单位：县财政局，职务：\n"
        )
    );

    // --all runs what it can and says what it skipped.
    let o = xuncha(&data, &["collide", "run", "--all"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).lines().count(), 2, "{}", out(&o));
    assert!(err(&o).contains("缺少数据集（死亡人员）"), "{}", err(&o));

    // A custom rule: saved, listed, run; a writing one is refused.
    let sql = "SELECT id_number AS subject_id_number, name AS subject_name, \
               village AS evidence FROM subsidy WHERE village = '河口村'";
    let o = xuncha(
        &data,
        &[
            "collide",
            "add-rule",
            "--id",
            "hekou",
            "--title",
            "河口村名单",
            "--sql",
            sql,
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&xuncha(&data, &["collide", "rules"])).contains("hekou\t河口村名单\t自定义"));
    let o = xuncha(&data, &["collide", "run", "--rule", "hekou"]);
    assert!(
        out(&o).ends_with(&format!("hekou,{ww},王五,strong,河口村\n")),
        "{}",
        out(&o)
    );
    let o = xuncha(
        &data,
        &[
            "collide",
            "add-rule",
            "--id",
            "bad",
            "--title",
            "坏",
            "--sql",
            "DELETE FROM subsidy",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("只读查询"), "{}", err(&o));

    // Errors name what is wrong, in Chinese.
    let o = xuncha(
        &data,
        &[
            "collide",
            "import",
            "--kind",
            "deceased",
            "--name",
            "死亡",
            payroll_path.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("缺少「死亡日期」列"), "{}", err(&o));
    let o = xuncha(&data, &["collide", "run", "--rule", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("没有编号为 nope 的规则"), "{}", err(&o));
}

/// `--record USERNAME` stores the hits for the user's jurisdiction (the
/// 数据碰撞 page); a second run finds them again instead of adding them; a
/// user who may not run cross-checks is refused.
#[test]
fn a_run_is_recorded_for_the_office_and_a_rerun_finds_the_same_hits() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = xuncha(&data, &["demo"]);
    assert!(o.status.success(), "{}", err(&o));
    let zs = id("19700101", 11);
    let roll = dir.path().join("roll.csv");
    std::fs::write(
        &roll,
        format!("姓名,身份证号,救助类别,发放月份,村\n张三,{zs},农村低保,2024-03,石桥村\n"),
    )
    .unwrap();
    let payroll = dir.path().join("payroll.csv");
    std::fs::write(
        &payroll,
        format!("姓名,身份证号,工作单位\n张三,{zs},县财政局\n"),
    )
    .unwrap();
    for (kind, name, file) in [("subsidy", "低保", &roll), ("payroll", "在编", &payroll)] {
        let o = xuncha(
            &data,
            &[
                "collide",
                "import",
                "--kind",
                kind,
                "--name",
                name,
                file.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", err(&o));
    }
    let run = |user: &str| {
        xuncha(
            &data,
            &[
                "collide",
                "run",
                "--rule",
                "recipient-is-payroll",
                "--record",
                user,
            ],
        )
    };
    let o = run("office");
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("新发现1条"), "{}", err(&o));
    let o = run("office");
    assert!(err(&o).contains("新发现0条，仍存在1条"), "{}", err(&o));
    let o = run("zuyuan");
    assert_eq!(
        o.status.code(),
        Some(2),
        "a team member may not run cross-checks"
    );
}
