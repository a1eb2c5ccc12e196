//! Petitions through the router: the office registers and handles them; a
//! team registers what it receives on site and sees them in its workspace;
//! the petitioner's identity never reaches a team page or an unauthorised
//! user (the search text is checked in the storage suite); a failed form
//! keeps what was typed.

use axum::http::StatusCode;
use xuncha_core::registry::PageRequest;
use xuncha_core::store::PetitionFilter;

use crate::helpers::{Caller, TestApp};

const NAME: &str = "信访人甲乙丙";

#[tokio::test]
async fn the_petitioner_stays_sealed_and_on_site_petitions_reach_the_workspace() {
    let app = TestApp::with_search().await;
    let town = app.unit("青石镇").await;
    let office = app.session_as("office").await;
    let unit_id = town.id.to_string();

    // The office registers a named petition about 青石镇.
    let res = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &office.csrf),
                ("date", "2026-11-20"),
                ("channel", "letter"),
                ("category", "appeal"),
                ("unit_id", &unit_id),
                ("domain", "低保"),
                ("title", "反映石桥村低保评定不公"),
                ("content", "村干部将不符合条件的亲属纳入低保，请求调查。"),
                ("persons", "王五"),
                ("name", NAME),
                ("contact", "13800000000"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let at = res.header("location").unwrap().to_owned();
    let page = app.get(&at, Caller::Browser(&office)).await;
    assert!(!page.text().contains(NAME), "sealed until asked for");
    let shown = app
        .get(&format!("{at}?reveal=1"), Caller::Browser(&office))
        .await;
    assert!(shown.text().contains(NAME));

    // The 组长 of the round-1 team reads it (and its workspace lists it) but
    // never the name, even asking for it; a visiting cadre gets nothing.
    let leader = app.session_as("zuzhang").await;
    let read = app
        .get(&format!("{at}?reveal=1"), Caller::Browser(&leader))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.text().contains(NAME));
    // The register exports without the petitioner; the notice of acceptance
    // names them and is for the handlers only.
    let xlsx = app
        .get("/petitions/export.xlsx", Caller::Browser(&office))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let table = xuncha_office::read_table(&xlsx.body, "register.xlsx").unwrap();
    assert!(table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c == "反映石桥村低保评定不公")));
    assert!(!table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.contains(NAME))));
    let notice = app
        .get(&format!("{at}/notice.docx"), Caller::Browser(&office))
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert_eq!(&notice.body[..2], b"PK");
    let refused = app
        .get(&format!("{at}/notice.docx"), Caller::Browser(&leader))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let cadre = app.session_as("zoufang").await;
    assert_ne!(
        app.get(&at, Caller::Browser(&cadre)).await.status,
        StatusCode::OK
    );

    // On-site registration from the workspace of 青石镇 (round 1 is finished,
    // so use the store to find a target of round 2 the team works on).
    let round2 = app
        .store
        .list_rounds()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.status.as_str() == "active")
        .unwrap();
    let target = app
        .store
        .targets_of(round2.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_name != "城关镇")
        .unwrap();
    let back = format!("/targets/{}", target.id);
    let (tid, uid) = (target.id.to_string(), target.unit_id.to_string());
    // A failed form comes back to the workspace with what was typed.
    let failed = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &leader.csrf),
                ("unit_id", &uid),
                ("target_id", &tid),
                ("back", &back),
                ("date", "2026-11-21"),
                ("category", "accusation"),
                ("title", ""),
                ("content", "现场反映：某站长违规报销"),
            ],
            Some(&leader),
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        failed.text().contains("现场反映：某站长违规报销"),
        "typed text kept"
    );
    let ok = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &leader.csrf),
                ("unit_id", &uid),
                ("target_id", &tid),
                ("back", &back),
                ("date", "2026-11-21"),
                ("category", "accusation"),
                ("title", "现场受理：违规报销"),
                ("content", "现场反映：某站长违规报销"),
                ("name", NAME),
            ],
            Some(&leader),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let ws = app.get(&back, Caller::Browser(&leader)).await;
    assert!(ws.text().contains("现场受理：违规报销"));
    assert!(!ws.text().contains(NAME));
    let mut f = PetitionFilter::new(xuncha_core::policy::Scope::all());
    f.unit_path = Some(target.unit_path.clone());
    let stored = app
        .store
        .list_petitions(&f, PageRequest::new(None, None))
        .await
        .unwrap();
    assert_eq!(
        stored.items[0].channel.as_str(),
        "on-site",
        "a team's petition is received on site"
    );

    // A team cannot register about a unit it does not inspect.
    let farm = app.unit("云岭县农业农村局").await.id.to_string();
    let refused = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &leader.csrf),
                ("unit_id", &farm),
                ("date", "2026-11-21"),
                ("category", "appeal"),
                ("title", "x"),
                ("content", "y"),
            ],
            Some(&leader),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

/// "Same person": a person's page lists the clue linked to them (strong) and
/// the petition naming them (weak, by name only), among what the user may
/// read; a namesake's petition about another township is left out.
#[tokio::test]
async fn a_person_page_lists_the_petitions_clues_and_papers_about_them() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let unit = app.unit("云岭县民政局").await;
    let leader = app.store.leadership_of(unit.id).await.unwrap()[0].clone();
    let other = app.unit("白云镇").await;
    for (u, title) in [
        (unit.id, "反映民政局领导问题"),
        (other.id, "反映白云镇同名人员"),
    ] {
        let res = app
            .post_form(
                "/petitions",
                &[
                    ("csrf", &office.csrf),
                    ("date", "2026-11-20"),
                    ("channel", "letter"),
                    ("category", "accusation"),
                    ("unit_id", &u.to_string()),
                    ("title", title),
                    ("content", "反映有关领导干部违规问题，请求调查。"),
                    ("persons", &leader.person_name),
                ],
                Some(&office),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    }
    let target = app
        .store
        .targets_of(2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_id == unit.id)
        .unwrap();
    let zuzhang = app.actor("zuzhang").await;
    let clock = xuncha_core::clock::ManualClock::new(crate::helpers::T0);
    xuncha_core::usecases::rounds::work::create_clue(
        app.store.as_ref(),
        &clock,
        &zuzhang,
        target.id,
        &xuncha_core::usecases::rounds::work::ClueInput {
            title: "涉嫌违规审批救助资金".into(),
            summary: "经查阅台账发现多笔救助资金审批异常。".into(),
            grade: "further".into(),
            persons: format!("{} {}", leader.person_name, leader.title),
            paper_id: None,
        },
    )
    .await
    .unwrap();
    // A working paper names the leader in its facts (written in traditional script around
    // the name): a weak link.
    let facts = format!(
        "經查，{}在2025年救助資金審批中未履行集體研究程序。",
        leader.person_name
    );
    let paper_id = xuncha_core::usecases::rounds::work::create_paper(
        app.store.as_ref(),
        &clock,
        &zuzhang,
        target.id,
        &xuncha_core::inspection::paper::PaperInput {
            category: "六项纪律/廉洁纪律".into(),
            source: "talk".into(),
            summary: "救助资金审批程序不规范".into(),
            facts,
            basis: "《中国共产党纪律处分条例》".into(),
        },
    )
    .await
    .unwrap();
    let page = app
        .get(
            &format!("/persons/{}", leader.person_id),
            Caller::Browser(&office),
        )
        .await;
    let html = page.text();
    assert!(
        html.contains("涉及本人的信访件、问题线索和问题底稿"),
        "{html}"
    );
    assert!(
        html.contains(&format!("/records/{paper_id}")) && html.contains("救助资金审批程序不规范"),
        "{html}"
    );
    assert!(html.contains("涉嫌违规审批救助资金") && html.contains("已关联本人"));
    assert!(html.contains("反映民政局领导问题") && html.contains("同名，待核实"));
    assert!(
        !html.contains("反映白云镇同名人员"),
        "another branch of the tree"
    );
}

/// An accusation (检举控告) is forwarded to the discipline commission at
/// registration; the commission, and not a department, accepts and handles it.
#[tokio::test]
async fn accusations_go_to_the_discipline_commission() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let unit = app.unit("青石镇").await;
    let res = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &office.csrf),
                ("date", "2026-11-20"),
                ("channel", "letter"),
                ("category", "accusation"),
                ("unit_id", &unit.id.to_string()),
                ("title", "检举镇干部收受红包"),
                ("content", "检举青石镇某干部在低保审批中收受红包。"),
                ("persons", "某干部"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let at = res.header("location").unwrap().to_owned();
    let page = app.get(&at, Caller::Browser(&office)).await.text();
    assert!(
        page.contains("纪委监委") && page.contains("第三十条"),
        "{page}"
    );
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        app.store
            .get_petition(id)
            .await
            .unwrap()
            .lifecycle
            .status
            .as_str(),
        "forwarded"
    );
    let jiwei = app.session_as("jiwei").await;
    let res = app
        .post_form(
            &format!("{at}/step"),
            &[("csrf", &jiwei.csrf), ("op", "accept")],
            Some(&jiwei),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(
        app.store
            .get_petition(id)
            .await
            .unwrap()
            .lifecycle
            .status
            .as_str(),
        "accepted"
    );
    let bumen = app.session_as("bumen").await;
    let res = app
        .post_form(
            &format!("{at}/step"),
            &[("csrf", &bumen.csrf), ("op", "close")],
            Some(&bumen),
        )
        .await;
    assert!(
        res.status.is_client_error(),
        "a department does not handle it"
    );
}
