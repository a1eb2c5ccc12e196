//! Every built-in template on a small hand-made county where the expected
//! hits are known, near-misses included: a namesake with another ID number,
//! an invalid ID number, a death after the benefit period, a second benefit
//! in another month.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{id, import_csv, run, who};
use xuncha_collide::{DataDir, Strength};

struct County {
    _tmp: tempfile::TempDir,
    dir: DataDir,
}

fn s(name: &str, strength: &'static str) -> (String, &'static str) {
    (name.to_owned(), strength)
}

/// The persons (ID numbers by birth date and sequence):
///
/// * 张三 receives 低保 and is on the payroll (strong);
/// * 李四 receives 低保 without an ID number; the payroll's 李四 has the same birth date (weak);
/// * 王五 receives 低保; the payroll's 王五 is another person (other ID, other birth date);
/// * 赵六's 低保 row has an invalid ID number; the payroll's 赵六 must not match;
/// * 孙七 died before a payment month; 周八 died after it; 吴九 died within an open period;
/// * 郑十 owns an 80,000 元 car, 张三 a 20,000 元 one; 钱一 owns a flat; 冯二 runs a company;
/// * 褚三 is the son of 陈局 (payroll); 蒋四 the wife of 卫村 (cadre in 石桥村, where she receives
///   低保); 沈五 is 卫村's brother receiving 低保 in 河口村; 许九 is a cadre receiving 低保;
/// * 韩六's 低保 was approved by his brother 杨审;
/// * 朱七 receives rural 低保 and urban 低保 for March; 秦八 rural in March, urban in April.
fn county() -> County {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let zs = id("19700101", 11);
    let ww = id("19710101", 13);
    let ww_other = id("19750505", 15);
    let zl_payroll = id("19720202", 17);
    let sq = id("19300101", 19);
    let zb = id("19310101", 21);
    let wj = id("19320101", 23);
    let zsh = id("19800101", 25);
    let qy = id("19810101", 27);
    let fe = id("19820101", 29);
    let chusan = id("19900101", 31);
    let chenju = id("19650101", 33);
    let jiangsi = id("19700303", 32);
    let weicun = id("19680101", 35);
    let shenwu = id("19690101", 37);
    let xujiu = id("19660101", 39);
    let hanliu = id("19600101", 41);
    let yangshen = id("19610101", 43);
    let zhuqi = id("19500101", 45);
    let qinba = id("19510101", 47);
    let li_payroll = id("19800102", 49);

    import_csv(
        &dir,
        "subsidy",
        "农村低保2024",
        &format!(
            "2024年农村低保发放名册\n\
             序号, 姓 名 ,公民身份号码,出生日期,救助类别*,发放月份,村（社区）,审批人,审批人身份证号,享受截止日期\n\
             1,张三,{zs},,农村低保,2024-03,石桥村,,,\n\
             2,李四,,1980-01-02,农村低保,2024-03,石桥村,,,\n\
             3,王五,{ww},,农村低保,2024-03,石桥村,,,\n\
             4,赵六,110101199001011234,,农村低保,2024-03,石桥村,,,\n\
             5,孙七,{sq},,农村低保,2024-03,河口村,,,\n\
             6,周八,{zb},,农村低保,2024-03,河口村,,,\n\
             7,吴九,{wj},,农村低保,,河口村,,,2024-12-31\n\
             8,郑十,{zsh},,农村低保,2024-03,河口村,,,\n\
             9,钱一,{qy},,农村低保,2024-03,河口村,,,\n\
             10,冯二,{fe},,农村低保,2024-03,河口村,,,\n\
             11,褚三,{chusan},,农村低保,2024-03,河口村,,,\n\
             12,蒋四,{jiangsi},,农村低保,2024-03,石桥村,,,\n\
             13,沈五,{shenwu},,农村低保,2024-03,河口村,,,\n\
             14,许九,{xujiu},,农村低保,2024-03,石桥村,,,\n\
             15,韩六,{hanliu},,农村低保,2024-03,河口村,杨审,{yangshen},\n\
             16,朱七,{zhuqi},,农村低保,2024-03,石桥村,,,\n\
             17,秦八,{qinba},,农村低保,2024-03,石桥村,,,\n"
        ),
    );
    import_csv(
        &dir,
        "subsidy",
        "城市低保2024",
        &format!(
            "姓名,身份证号码,保障类别,月份,社区\n\
             朱七,{zhuqi},城市低保,202403,城关社区\n\
             秦八,{qinba},城市低保,202404,城关社区\n"
        ),
    );
    import_csv(
        &dir,
        "payroll",
        "财政供养人员",
        &format!(
            "姓名,身份证号,工作单位,职务\n\
             张三,{zs},县财政局,科员\n\
             李四,{li_payroll},县教育局,教师\n\
             王五,{ww_other},县水利局,科员\n\
             赵六,{zl_payroll},县交通局,科员\n\
             陈局,{chenju},县民政局,局长\n"
        ),
    );
    import_csv(
        &dir,
        "village-cadre",
        "村两委成员",
        &format!(
            "姓名,身份证号,乡镇,村,职务\n\
             卫村,{weicun},青石镇,石桥村,村委会主任\n\
             许九,{xujiu},青石镇,石桥村,村委委员\n"
        ),
    );
    import_csv(
        &dir,
        "deceased",
        "死亡人员",
        &format!(
            "姓名,身份证号,死亡日期\n\
             孙七,{sq},2024-01-15\n\
             周八,{zb},2024-05-20\n\
             吴九,{wj},2024年2月10日\n"
        ),
    );
    import_csv(
        &dir,
        "vehicle",
        "车辆登记",
        &format!(
            "车主,身份证号码,号牌号码,购置价格\n\
             郑十,{zsh},云A12345,80000\n\
             张三,{zs},云A54321,\"20,000\"\n"
        ),
    );
    import_csv(
        &dir,
        "property",
        "不动产登记",
        &format!("权利人,证件号码,坐落,建筑面积\n钱一,{qy},城关镇幸福路1号,120.5\n"),
    );
    import_csv(
        &dir,
        "company",
        "企业登记",
        &format!("企业名称,法定代表人,法定代表人证件号码\n云岭某商贸有限公司,冯二,{fe}\n"),
    );
    import_csv(
        &dir,
        "relatives",
        "亲属关系",
        &format!(
            "姓名,身份证号,亲属姓名,亲属身份证号,关系\n\
             陈局,{chenju},褚三,{chusan},父子\n\
             蒋四,{jiangsi},卫村,{weicun},夫妻\n\
             卫村,{weicun},沈五,{shenwu},兄弟\n\
             杨审,{yangshen},韩六,{hanliu},兄弟\n"
        ),
    );
    County { _tmp: tmp, dir }
}

#[test]
fn every_template_finds_exactly_the_planted_cases() {
    let c = county();
    let d = &c.dir;

    // 王五 (namesake, other ID) and 赵六 (invalid ID) are near-misses.
    let h = run(d, "recipient-is-payroll", &[]);
    assert_eq!(who(&h), [s("张三", "strong"), s("李四", "weak")]);
    let li = h.iter().find(|h| h.subject_name == "李四").unwrap();
    assert_eq!(li.subject_id_number, None);
    assert!(li.evidence.contains("出生日期"), "{}", li.evidence);
    let zs = h.iter().find(|h| h.subject_name == "张三").unwrap();
    assert!(
        zs.evidence.contains("农村低保2024第3行") && zs.evidence.contains("财政供养人员第2行"),
        "{}",
        zs.evidence
    );

    assert_eq!(
        who(&run(d, "recipient-is-village-cadre", &[])),
        [s("许九", "strong")]
    );
    assert_eq!(
        who(&run(d, "recipient-relative-of-payroll", &[])),
        [s("褚三", "strong")]
    );
    assert_eq!(
        who(&run(d, "recipient-relative-of-village-cadre", &[])),
        [s("沈五", "strong"), s("蒋四", "strong")]
    );
    assert_eq!(
        who(&run(d, "village-cadre-relative-same-village", &[])),
        [s("蒋四", "strong")]
    );
    assert_eq!(
        who(&run(d, "recipient-relative-of-approver", &[])),
        [s("韩六", "strong")]
    );

    // 周八 died after the payment month: not a hit.
    let h = run(d, "deceased-still-paid", &[]);
    assert_eq!(who(&h), [s("吴九", "strong"), s("孙七", "strong")]);

    assert_eq!(
        who(&run(d, "recipient-owns-vehicle", &[])),
        [s("张三", "strong"), s("郑十", "strong")]
    );
    assert_eq!(
        who(&run(d, "recipient-owns-vehicle", &[("min_value", "50000")])),
        [s("郑十", "strong")]
    );
    assert_eq!(
        who(&run(d, "recipient-owns-property", &[])),
        [s("钱一", "strong")]
    );
    assert!(run(d, "recipient-owns-property", &[("min_area", "150")]).is_empty());
    let h = run(d, "recipient-company-role", &[]);
    assert_eq!(who(&h), [s("冯二", "strong")]);
    assert!(h[0].evidence.contains("法定代表人"), "{}", h[0].evidence);
    assert!(run(d, "recipient-company-role", &[("roles", "股东")]).is_empty());

    // 秦八's second benefit is for another month: not a hit.
    let h = run(d, "double-benefit", &[]);
    assert_eq!(who(&h), [s("朱七", "strong")]);
    assert!(
        h[0].evidence.contains("农村低保2024第18行") && h[0].evidence.contains("城市低保2024第2行"),
        "{}",
        h[0].evidence
    );
}

#[test]
fn weak_matches_by_name_and_village_when_birth_dates_are_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let cadre = id("19700101", 11);
    import_csv(
        &dir,
        "subsidy",
        "低保",
        "姓名,救助类别,村\n蒋 四,低保,石桥村\n蒋四,低保,河口村\n",
    );
    import_csv(
        &dir,
        "village-cadre",
        "村干部",
        &format!("姓名,身份证号,村\n蔣四,{cadre},石桥村\n"),
    );
    // Traditional 蔣 and the stray space normalise away; only the same village matches.
    let h = run(&dir, "recipient-is-village-cadre", &[]);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].strength, Strength::Weak);
    assert!(h[0].evidence.contains("低保第2行"), "{}", h[0].evidence);
    assert!(h[0].evidence.contains("村相同"), "{}", h[0].evidence);
}

#[test]
fn rules_whose_data_is_missing_are_skipped_not_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    import_csv(&dir, "subsidy", "低保", "姓名,救助类别\n张三,低保\n");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let out = rt.block_on(async {
        let e = xuncha_collide::Engine::open(&dir).await.unwrap();
        e.run_rule(
            "deceased-still-paid",
            &Default::default(),
            std::time::Duration::from_secs(10),
        )
        .await
        .unwrap()
    });
    assert!(out.skipped.unwrap().contains("死亡人员"));
}
