//! The field campaigns' workbooks (.xlsx) and reports (.docx): a dormitory
//! sweep over two buildings and a household visit campaign over two
//! villages, what the files hold, and (with `XUNCHA_TEST_LIBREOFFICE=1`)
//! that LibreOffice opens them.

mod common;

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use xuncha_core::campaign::checklist::parse_items;
use xuncha_core::campaign::{
    Campaign, CampaignKind, CampaignMember, CampaignRecord, CampaignSpec, CampaignStatus,
    CampaignTarget, CampaignTeam, Confiscation, Followup, FollowupKind, FollowupStatus, ItemStatus,
    RecordData, RoomResult, Satisfaction, TargetLevel,
};
use xuncha_office::campaigns::{
    checklist_report, checklist_workbook, visit_report, visit_workbook,
};
use xuncha_office::read_table;

use common::{convert_to_pdf, libreoffice_enabled};

const TODAY: &str = "2026-11-25";

fn campaign(kind: CampaignKind, title: &str, unit: &str) -> Campaign {
    let spec = match kind {
        CampaignKind::Checklist => CampaignSpec {
            checklist: parse_items(
                "地面清洁（50分）\n床铺整齐（50分）\n无违规电器（合格/不合格）\n无私拉乱接电线（隐患）",
            )
            .expect("checklist"),
            followup_days: 7,
            ..CampaignSpec::default()
        },
        CampaignKind::Visit => CampaignSpec {
            questions: vec!["住房是否安全？".into(), "最急需解决的困难是什么？".into()],
            categories: vec!["基础设施".into(), "住房安全".into(), "社会保障".into()],
            followup_days: 15,
            ..CampaignSpec::default()
        },
    };
    Campaign {
        id: 1,
        kind,
        status: CampaignStatus::Active,
        unit_id: 7,
        unit_name: unit.into(),
        unit_path: "/1/7/".into(),
        title: title.into(),
        series: title.into(),
        spec,
        starts_on: "2026-11-05".into(),
        ends_on: "2026-11-07".into(),
        version: 1,
    }
}

#[allow(clippy::too_many_arguments)]
fn target(
    id: i64,
    parent: Option<i64>,
    path: &str,
    level: TargetLevel,
    name: &str,
    team: Option<i64>,
    (leaves, done): (i64, i64),
    score: Option<i64>,
) -> CampaignTarget {
    CampaignTarget {
        id,
        campaign_id: 1,
        parent_id: parent,
        level,
        name: name.into(),
        path: path.into(),
        unit_id: None,
        team_id: team,
        leaves,
        done,
        score,
        last_day: score.map(|_| "2026-11-06".to_owned()),
    }
}

fn member(team: i64, user: i64, name: &str, duty: &str, records: i64) -> CampaignMember {
    CampaignMember {
        team_id: team,
        user_id: user,
        username: format!("user{user}"),
        display_name: name.into(),
        duty: duty.into(),
        records,
    }
}

fn team(id: i64, name: &str, members: Vec<CampaignMember>) -> CampaignTeam {
    CampaignTeam {
        id,
        campaign_id: 1,
        name: name.into(),
        members,
    }
}

#[allow(clippy::too_many_arguments)]
fn followup(
    id: i64,
    kind: FollowupKind,
    place: &str,
    category: Option<&str>,
    content: &str,
    department: &str,
    deadline: &str,
    status: FollowupStatus,
) -> Followup {
    Followup {
        id,
        campaign_id: 1,
        kind,
        target_id: 1,
        place: place.into(),
        household_id: None,
        record_id: id,
        team_id: Some(1),
        category: category.map(str::to_owned),
        department: Some(department.into()),
        content: content.into(),
        deadline: deadline.into(),
        status,
        resolution: None,
        satisfaction: None,
        petition_id: None,
        version: 1,
    }
}

/// 县职业高级中学's sweep: 1号宿舍楼 (two floors, four rooms) with 第一组,
/// 2号宿舍楼 (one floor, two rooms) with 第二组; four rooms checked.
struct Dormitory {
    c: Campaign,
    targets: Vec<CampaignTarget>,
    teams: Vec<CampaignTeam>,
    records: Vec<CampaignRecord>,
    items: Vec<Confiscation>,
    followups: Vec<Followup>,
}

fn dormitory() -> Dormitory {
    use TargetLevel::{Building, Floor, Room};
    let targets = vec![
        target(1, None, "/1/", Building, "1号宿舍楼", Some(1), (4, 3), None),
        target(2, Some(1), "/1/2/", Floor, "1层", Some(1), (2, 2), None),
        target(
            3,
            Some(2),
            "/1/2/3/",
            Room,
            "101",
            Some(1),
            (1, 1),
            Some(955),
        ),
        target(
            4,
            Some(2),
            "/1/2/4/",
            Room,
            "102",
            Some(1),
            (1, 1),
            Some(620),
        ),
        target(5, Some(1), "/1/5/", Floor, "2层", Some(1), (2, 1), None),
        target(
            6,
            Some(5),
            "/1/5/6/",
            Room,
            "201",
            Some(1),
            (1, 1),
            Some(880),
        ),
        target(7, Some(5), "/1/5/7/", Room, "202", Some(1), (1, 0), None),
        target(8, None, "/8/", Building, "2号宿舍楼", Some(2), (2, 1), None),
        target(9, Some(8), "/8/9/", Floor, "1层", Some(2), (2, 1), None),
        target(
            10,
            Some(9),
            "/8/9/10/",
            Room,
            "101",
            Some(2),
            (1, 1),
            Some(700),
        ),
        target(11, Some(9), "/8/9/11/", Room, "102", Some(2), (1, 0), None),
    ];
    let teams = vec![
        team(
            1,
            "第一组",
            vec![
                member(1, 11, "张伟", "安保（清退外来人员）", 2),
                member(1, 12, "李娜", "记录、询问住宿人员", 1),
            ],
        ),
        team(2, "第二组", vec![member(2, 13, "王芳", "拍照", 1)]),
    ];
    let room = |failed: &[&str], hazards: &[&str], outsiders: &str, note: &str| {
        RecordData::Room(RoomResult {
            marks: vec![],
            failed: failed.iter().map(|s| (*s).to_owned()).collect(),
            hazards: hazards.iter().map(|s| (*s).to_owned()).collect(),
            present: "宿舍长及室友4人".into(),
            outsiders: outsiders.into(),
            note: note.into(),
        })
    };
    let record = |id: i64, target: i64, team: i64, day: &str, score: i64, data, photos: usize| {
        CampaignRecord {
            id,
            campaign_id: 1,
            target_id: target,
            household_id: None,
            team_id: Some(team),
            day: day.into(),
            score: Some(score),
            data,
            photos: (0..photos).map(|i| format!("{id:02}{i:062}")).collect(),
            recorded_by: 12,
            recorder: if team == 1 { "李娜" } else { "王芳" }.into(),
            recorded_at: 0,
        }
    };
    let records = vec![
        record(4, 10, 2, "2026-11-06", 700, room(&[], &[], "", ""), 1),
        record(1, 3, 1, "2026-11-05", 955, room(&[], &[], "", ""), 0),
        record(
            2,
            4,
            1,
            "2026-11-05",
            620,
            room(
                &["床铺整齐", "无违规电器"],
                &["无私拉乱接电线"],
                "校外人员1名，已清退",
                "暂扣电饭锅1个",
            ),
            2,
        ),
        record(3, 6, 1, "2026-11-06", 880, room(&[], &[], "", ""), 1),
    ];
    let items = vec![
        Confiscation {
            id: 1,
            campaign_id: 1,
            target_id: 4,
            place: "1号宿舍楼 / 1层 / 102".into(),
            record_id: 2,
            item: "电饭锅".into(),
            owner: "刘洋".into(),
            quantity: 1,
            photo: None,
            taken_by: "张伟".into(),
            taken_on: "2026-11-05".into(),
            status: ItemStatus::Held,
            guarantee: None,
            guarantee_file: None,
            returned_to: None,
            returned_by: None,
            returned_on: None,
            version: 1,
        },
        Confiscation {
            id: 2,
            campaign_id: 1,
            target_id: 10,
            place: "2号宿舍楼 / 1层 / 101".into(),
            record_id: 4,
            item: "电热毯".into(),
            owner: "陈静".into(),
            quantity: 2,
            photo: None,
            taken_by: "王芳".into(),
            taken_on: "2026-11-06".into(),
            status: ItemStatus::Returned,
            guarantee: Some("本人保证不在宿舍使用违规电器".into()),
            guarantee_file: None,
            returned_to: Some("陈静".into()),
            returned_by: Some("王老师".into()),
            returned_on: Some("2026-11-09".into()),
            version: 2,
        },
    ];
    let mut fixed = followup(
        2,
        FollowupKind::Hazard,
        "2号宿舍楼 / 1层 / 101",
        None,
        "消防通道堆放杂物",
        "学校后勤处",
        "2026-11-13",
        FollowupStatus::Done,
    );
    fixed.resolution = Some("已清理杂物".into());
    let followups = vec![
        followup(
            1,
            FollowupKind::Hazard,
            "1号宿舍楼 / 1层 / 102",
            None,
            "私拉电线为手机充电",
            "学校后勤处",
            "2026-11-12",
            FollowupStatus::Open,
        ),
        fixed,
    ];
    Dormitory {
        c: campaign(
            CampaignKind::Checklist,
            "2026年11月宿舍卫生安全检查",
            "县职业高级中学",
        ),
        targets,
        teams,
        records,
        items,
        followups,
    }
}

/// 青石镇 with 青石村 (第一工作队, 12 of 30 households visited) and 新寨村
/// (第二工作队, all 20); 第三工作队 has no village yet.
fn villages() -> (
    Campaign,
    Vec<CampaignTarget>,
    Vec<CampaignTeam>,
    Vec<Followup>,
) {
    use TargetLevel::{Township, Village};
    let targets = vec![
        target(1, None, "/1/", Township, "青石镇", None, (50, 32), None),
        target(
            2,
            Some(1),
            "/1/2/",
            Village,
            "青石村",
            Some(1),
            (30, 12),
            None,
        ),
        target(
            3,
            Some(1),
            "/1/3/",
            Village,
            "新寨村",
            Some(2),
            (20, 20),
            None,
        ),
    ];
    let teams = vec![
        team(
            1,
            "第一工作队",
            vec![
                member(1, 21, "赵磊", "组长", 7),
                member(1, 22, "孙丽", "记录", 5),
            ],
        ),
        team(2, "第二工作队", vec![member(2, 23, "周强", "组长", 20)]),
        team(3, "第三工作队", vec![member(3, 24, "吴敏", "拍照", 0)]),
    ];
    let mut road = followup(
        1,
        FollowupKind::Demand,
        "青石镇 / 青石村 / 张建国",
        Some("基础设施"),
        "修复村道破损路段",
        "县交通运输局",
        "2026-11-20",
        FollowupStatus::Done,
    );
    road.resolution = Some("已完成路面硬化".into());
    road.satisfaction = Some(Satisfaction::Satisfied);
    let house = followup(
        2,
        FollowupKind::Demand,
        "青石镇 / 青石村 / 李桂兰",
        Some("住房安全"),
        "危房改造",
        "县住房和城乡建设局",
        "2026-11-15",
        FollowupStatus::Doing,
    );
    let mut allowance = followup(
        3,
        FollowupKind::Demand,
        "青石镇 / 新寨村 / 王德明",
        Some("社会保障"),
        "申请最低生活保障",
        "镇民政办",
        "2026-11-30",
        FollowupStatus::Open,
    );
    allowance.petition_id = Some(12);
    let c = campaign(CampaignKind::Visit, "2026年冬季民情走访", "青石镇党委");
    (c, targets, teams, vec![road, house, allowance])
}

/// A photo as the caller stores it: a JPEG, cleaned of metadata.
fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    xuncha_office::photo::clean(jpeg.get_ref())
        .expect("clean")
        .bytes
}

/// The rows of one sheet as text, its title and header rows included.
fn sheet(xlsx: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("xlsx");
    let range = book.worksheet_range(name).expect(name);
    range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("zip");
    let mut f = zip.by_name("word/document.xml").expect("document part");
    let mut out = String::new();
    f.read_to_string(&mut out).expect("utf8");
    out
}

#[test]
fn checklist_workbook_holds_progress_results_ranking_custody_and_hazards() {
    let d = dormitory();
    let xlsx = checklist_workbook(
        &d.c,
        &d.targets,
        &d.teams,
        &d.records,
        &d.items,
        &d.followups,
        TODAY,
    )
    .expect("xlsx");

    let progress = read_table(&xlsx, "campaign.xlsx").expect("first sheet");
    assert_eq!(
        progress.headers,
        [
            "位置",
            "层级",
            "检查组",
            "房间数",
            "已检查",
            "完成率（%）",
            "最近检查日期"
        ]
    );
    let rows: Vec<Vec<&str>> = progress
        .rows
        .iter()
        .map(|r| r.cells.iter().take(6).map(String::as_str).collect())
        .collect();
    assert_eq!(
        rows[0],
        ["1号宿舍楼", "楼栋", "第一组", "4", "3", "75"],
        "{rows:?}"
    );
    assert_eq!(
        rows[2],
        ["1号宿舍楼 / 2层", "楼层", "第一组", "2", "1", "50"]
    );
    let total = rows.iter().position(|r| r[0] == "合计").expect("total row");
    assert_eq!(total, 5, "buildings and floors first: {rows:?}");
    assert_eq!(rows[total][3..], ["6", "4", "66"]);
    assert_eq!(rows[total + 1][0], "未检查房间（2间）");
    assert_eq!(
        rows[total + 2][..3],
        ["1号宿舍楼 / 2层 / 202", "房间", "第一组"]
    );
    assert_eq!(rows[total + 3][0], "2号宿舍楼 / 1层 / 102");
    assert_eq!(rows.len(), total + 4);

    let results = sheet(&xlsx, "检查结果");
    assert_eq!(results[0][0], "检查结果（2026年11月宿舍卫生安全检查）");
    assert_eq!(results[1][3], "得分");
    assert_eq!(results.len(), 2 + 4, "one row per record");
    assert_eq!(results[2][..2], ["1号宿舍楼 / 1层 / 101", "第一组"]);
    assert_eq!(results[2][3], "95.5");
    let r102 = &results[3];
    assert_eq!(r102[0], "1号宿舍楼 / 1层 / 102");
    assert_eq!(
        r102[4..8],
        [
            "床铺整齐、无违规电器",
            "无私拉乱接电线",
            "宿舍长及室友4人",
            "校外人员1名，已清退"
        ]
    );
    assert_eq!(r102[9..], ["李娜", "2"]);
    assert_eq!(results[5][..2], ["2号宿舍楼 / 1层 / 101", "第二组"]);

    let ranking = sheet(&xlsx, "排名");
    assert_eq!(
        ranking[2][..4],
        ["卫生最好的房间", "1", "1号宿舍楼 / 1层 / 101", "95.5"]
    );
    let worst = ranking
        .iter()
        .find(|r| r[0] == "卫生最差的房间")
        .expect("dirtiest");
    assert_eq!(worst[1..4], ["1", "1号宿舍楼 / 1层 / 102", "62"]);
    let buildings: Vec<&Vec<String>> = ranking.iter().filter(|r| r[0] == "楼栋平均分").collect();
    assert_eq!(buildings[0][1..], ["1", "1号宿舍楼", "81.8", "4", "3"]);
    assert_eq!(buildings[1][1..], ["2", "2号宿舍楼", "70", "2", "1"]);

    let items = sheet(&xlsx, "暂扣物品登记");
    assert_eq!(items.len(), 2 + 2);
    assert_eq!(
        items[2][..5],
        ["1号宿舍楼 / 1层 / 102", "电饭锅", "1", "刘洋", "张伟"]
    );
    assert_eq!(items[2][6..8], ["暂扣中", ""]);
    assert_eq!(items[3][1..4], ["电热毯", "2", "陈静"]);
    assert_eq!(
        items[3][6..10],
        ["已归还", "本人保证不在宿舍使用违规电器", "陈静", "王老师"]
    );

    let hazards = sheet(&xlsx, "隐患整改");
    assert_eq!(hazards.len(), 2 + 2);
    assert_eq!(
        hazards[2][..2],
        ["1号宿舍楼 / 1层 / 102", "私拉电线为手机充电"]
    );
    assert_eq!(hazards[2][4..6], ["待办理", "逾期"]);
    assert_eq!(hazards[3][4..], ["已办结", "", "已清理杂物"]);
}

#[test]
fn checklist_report_states_the_figures_and_prints_the_photos() {
    let d = dormitory();
    let photos = vec![
        ("1号宿舍楼102室私拉电线".to_owned(), photo()),
        ("暂扣的电饭锅".to_owned(), photo()),
        ("2号宿舍楼101室".to_owned(), b"not a picture".to_vec()),
    ];
    let docx = checklist_report(
        &d.c,
        &d.targets,
        &d.teams,
        &d.records,
        &d.items,
        &d.followups,
        &photos,
        TODAY,
    )
    .expect("docx");
    let xml = document_xml(&docx);
    for expected in [
        "2026年11月宿舍卫生安全检查情况报告",
        "县职业高级中学于2026年11月5日至2026年11月7日开展2026年11月宿舍卫生安全检查",
        "2个检查组3人参加，共记录检查4次，已检查房间4间（共6间，完成66%）",
        "已评分的4间房间平均得分78.8分",
        "发现安全隐患2处，已整改1处，逾期未整改1处",
        "暂扣违规物品3件，已归还2件，仍暂扣1件",
        "81.8",
        "待办理（逾期）",
        "2026-11-09由王老师归还陈静",
        "1号宿舍楼102室私拉电线",
        "（照片无法读取）2号宿舍楼101室",
        "2026年11月25日",
    ] {
        assert!(xml.contains(expected), "missing {expected}");
    }
    assert_eq!(xml.matches("r:embed=").count(), 2, "two photos printed");

    let many: Vec<(String, Vec<u8>)> = (1..=14).map(|i| (format!("照片{i}"), photo())).collect();
    let docx =
        checklist_report(&d.c, &d.targets, &d.teams, &[], &[], &[], &many, TODAY).expect("docx");
    let xml = document_xml(&docx);
    assert_eq!(xml.matches("r:embed=").count(), 12);
    assert!(xml.contains("另有2张照片未列入本报告"));
    assert!(xml.contains("本次检查未发现安全隐患") && xml.contains("本次检查未暂扣违规物品"));
}

#[test]
fn visit_workbook_holds_coverage_teams_and_demands() {
    let (c, targets, teams, followups) = villages();
    let xlsx = visit_workbook(&c, &targets, &teams, &followups, TODAY).expect("xlsx");

    let coverage = read_table(&xlsx, "visits.xlsx").expect("first sheet");
    assert_eq!(
        coverage.headers,
        [
            "乡镇",
            "村（社区）",
            "工作队",
            "应走访户数",
            "已走访户数",
            "走访率（%）"
        ]
    );
    let rows: Vec<Vec<&str>> = coverage
        .rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["青石镇", "（全乡镇）", "", "50", "32", "64"],
            vec!["青石镇", "青石村", "第一工作队", "30", "12", "40"],
            vec!["青石镇", "新寨村", "第二工作队", "20", "20", "100"],
            vec!["合计", "", "", "50", "32", "64"],
        ]
    );

    let teams_sheet = sheet(&xlsx, "工作队");
    assert_eq!(teams_sheet[2][..5], ["第一工作队", "1", "30", "12", "40"]);
    assert_eq!(
        teams_sheet[3],
        ["第一工作队", "", "", "", "", "赵磊", "组长", "7"],
        "members follow their team"
    );
    assert_eq!(teams_sheet[4][5..], ["孙丽", "记录", "5"]);
    let third = teams_sheet
        .iter()
        .find(|r| r[0] == "第三工作队")
        .expect("idle team");
    assert_eq!(third[1..5], ["0", "0", "0", "0"]);

    let demands = sheet(&xlsx, "诉求台账");
    assert_eq!(demands.len(), 2 + 3);
    assert_eq!(
        demands[2][..3],
        ["青石镇 / 青石村 / 张建国", "基础设施", "修复村道破损路段"]
    );
    assert_eq!(demands[2][5..9], ["已办结", "", "已完成路面硬化", "满意"]);
    assert_eq!(demands[3][2], "危房改造");
    assert_eq!(demands[3][5..7], ["办理中", "逾期"]);
    assert_eq!(demands[4][9], "12", "the petition it became");
}

#[test]
fn visit_report_states_coverage_and_demand_handling() {
    let (c, targets, teams, followups) = villages();
    let xml = document_xml(&visit_report(&c, &targets, &teams, &followups, TODAY).expect("docx"));
    for expected in [
        "2026年冬季民情走访情况报告",
        "3个工作队4名队员参加，覆盖1个乡镇2个村（社区）",
        "应走访农户50户，已走访32户，走访率64%，共记录走访32次",
        "收集群众诉求3件，已办结1件，办理中1件，待办理1件，其中逾期未办结1件；转为信访件办理1件",
        "群众评价满意1件、基本满意0件、不满意0件，未评价0件",
        "住房安全",
        "办理中（逾期）",
        "县住房和城乡建设局",
        "其中逾期",
        "青石镇党委",
    ] {
        assert!(xml.contains(expected), "missing {expected}");
    }
    assert!(
        !xml.contains("修复村道破损路段"),
        "only overdue demands are listed"
    );

    let xml = document_xml(&visit_report(&c, &targets, &teams, &[], TODAY).expect("docx"));
    assert!(xml.contains("本次走访未收集到群众诉求"));
    assert!(xml.contains("截至2026年11月25日，没有逾期未办结的诉求"));
}

#[test]
fn libreoffice_opens_the_campaign_workbooks_and_reports() {
    if !libreoffice_enabled("libreoffice_opens_the_campaign_workbooks_and_reports") {
        return;
    }
    let d = dormitory();
    let (c, targets, teams, followups) = villages();
    let photos = vec![("1号宿舍楼102室私拉电线".to_owned(), photo())];
    let files = [
        (
            "checklist-workbook.xlsx",
            checklist_workbook(
                &d.c,
                &d.targets,
                &d.teams,
                &d.records,
                &d.items,
                &d.followups,
                TODAY,
            )
            .expect("xlsx"),
        ),
        (
            "checklist-report.docx",
            checklist_report(
                &d.c,
                &d.targets,
                &d.teams,
                &d.records,
                &d.items,
                &d.followups,
                &photos,
                TODAY,
            )
            .expect("docx"),
        ),
        (
            "visit-workbook.xlsx",
            visit_workbook(&c, &targets, &teams, &followups, TODAY).expect("xlsx"),
        ),
        (
            "visit-report.docx",
            visit_report(&c, &targets, &teams, &followups, TODAY).expect("docx"),
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("save");
        let pdf = convert_to_pdf(&path);
        println!(
            "{name} → {} ({} bytes)",
            pdf.display(),
            std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0)
        );
    }
}
