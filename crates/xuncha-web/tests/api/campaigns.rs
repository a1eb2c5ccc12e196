//! Field campaigns through the router, on the demo's dormitory sweep and
//! household visit campaign: who sees which campaign (the matrix of demo
//! users), a checker records a room and a re-sent form is stored once, a
//! visiting cadre cannot touch the sweep, a checker sees no 巡察 data, a
//! household list with a bad row applies nothing, and an item goes back
//! only against a guarantee.

use axum::http::StatusCode;
use xuncha_core::campaign::{Campaign, CampaignKind, CampaignStatus, ItemStatus, TargetLevel};

use crate::helpers::{xlsx, Caller, TestApp};

async fn demo_campaigns(app: &TestApp) -> (Campaign, Campaign) {
    let all = app
        .store
        .list_campaigns(Some(&xuncha_core::policy::Scope::all()), 0)
        .await
        .unwrap();
    let sweep = all
        .iter()
        .find(|c| c.kind == CampaignKind::Checklist && c.status == CampaignStatus::Active)
        .unwrap()
        .clone();
    let visits = all
        .iter()
        .find(|c| c.kind == CampaignKind::Visit)
        .unwrap()
        .clone();
    (sweep, visits)
}

#[tokio::test]
async fn who_sees_which_campaign() {
    let app = TestApp::new().await;
    let (sweep, visits) = demo_campaigns(&app).await;
    // Members of a team see their campaign; the office and the leading
    // group see all of the county's; nobody else learns they exist.
    let expect = |user: &str, c: &Campaign| match user {
        "admin" | "office" | "leader" => true,
        "jiancha" => c.id == sweep.id,
        "zoufang" => c.id == visits.id,
        _ => false,
    };
    for user in [
        "admin",
        "office",
        "leader",
        "zuzhang",
        "fuzuzhang",
        "zuyuan",
        "jiwei",
        "zuzhibu",
        "bumen",
        "beixuncha",
        "zoufang",
        "jiancha",
    ] {
        let s = app.session_as(user).await;
        for c in [&sweep, &visits] {
            let res = app
                .get(&format!("/campaigns/{}", c.id), Caller::Browser(&s))
                .await;
            let want = if expect(user, c) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(res.status, want, "{user} on {}", c.title);
        }
        let list = app.get("/campaigns", Caller::Browser(&s)).await.text();
        for c in [&sweep, &visits] {
            assert_eq!(
                list.contains(&c.title),
                expect(user, c),
                "{user} list {}",
                c.title
            );
        }
    }
    // A checker works on campaigns and sees nothing of the inspection (the
    // search page finds only their team's follow-ups, see
    // `campaign_search.rs`).
    let checker = app.session_as("jiancha").await;
    for path in ["/rounds", "/petitions", "/tips", "/units"] {
        let res = app.get(path, Caller::Browser(&checker)).await;
        assert!(
            matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{path}: {}",
            res.status
        );
    }
}

#[tokio::test]
async fn a_room_is_recorded_once_and_only_by_its_team() {
    let app = TestApp::new().await;
    let (sweep, _) = demo_campaigns(&app).await;
    let rooms: Vec<_> = app
        .store
        .campaign_targets(sweep.id, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.level == TargetLevel::Room && t.done == 0)
        .collect();
    let room = &rooms[0];
    let checker = app.session_as("jiancha").await;
    let page = app
        .get(
            &format!("/campaigns/targets/{}", room.id),
            Caller::Browser(&checker),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("name=\"client_key\""));
    let path = format!("/campaigns/targets/{}", room.id);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &checker.csrf),
        ("client_key", "webtest-room-key-0001"),
        ("mark_0", "18"),
        ("mark_1", "19.5"),
        ("mark_2", "20"),
        ("mark_3", "15"),
        ("mark_4", "20"),
        ("mark_5", "1"),
        ("mark_6", "1"),
        ("mark_8", "1"),
        ("present", "住宿人员2人"),
    ];
    // One item unanswered: refused with the item named, what was typed kept.
    let res = app.post_multipart(&path, &checker, &fields, None).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("无私拉乱接电线"), "names the item");
    assert!(text.contains("value=\"19.5\""), "keeps what was typed");
    fields.push(("mark_7", "0"));
    let res = app.post_multipart(&path, &checker, &fields, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(!res.header("location").unwrap().contains("again"));
    // The same form again (its answer was lost): stored once.
    let res = app.post_multipart(&path, &checker, &fields, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").unwrap().contains("again=1"));
    let records = app
        .store
        .campaign_records(sweep.id, Some(room.id), None, None, 10)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].score, Some(925));
    let hazards = app
        .store
        .campaign_followups(sweep.id, None, None)
        .await
        .unwrap();
    assert!(hazards
        .iter()
        .any(|f| f.target_id == room.id && f.content == "无私拉乱接电线"));
    // The register lists it, filtered by the database; a page cursor of the
    // wrong shape is ignored (first page).
    for q in [
        "",
        "?status=open",
        "?kind=hazard&after=x",
        "?after=2026-11-01_1",
    ] {
        let page = app
            .get(
                &format!("/campaigns/{}/followups{q}", sweep.id),
                Caller::Browser(&checker),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(page.text().contains("无私拉乱接电线"), "{q}");
    }
    // Handled, the follow-up is shown on a page that starts with it.
    let f = hazards
        .iter()
        .find(|f| f.target_id == room.id && f.content == "无私拉乱接电线")
        .unwrap();
    let res = app
        .post_form(
            &format!("/campaigns/followups/{}", f.id),
            &[
                ("csrf", checker.csrf.as_str()),
                ("status", "doing"),
                ("department", "后勤处"),
            ],
            Some(&checker),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let back = res.header("location").unwrap().to_owned();
    assert!(back.ends_with(&format!("#f{}", f.id)), "{back}");
    let page = app.get(&back, Caller::Browser(&checker)).await.text();
    assert!(page.contains(&format!("id=\"f{}\"", f.id)));
    let done = app
        .get(
            &format!("/campaigns/{}/followups?status=done", sweep.id),
            Caller::Browser(&checker),
        )
        .await
        .text();
    assert!(!done.contains("无私拉乱接电线"));
    // A visiting cadre is no member of the sweep.
    let cadre = app.session_as("zoufang").await;
    let mut other = fields.clone();
    other[0] = ("csrf", &cadre.csrf);
    other[1] = ("client_key", "webtest-room-key-0002");
    let res = app.post_multipart(&path, &cadre, &other, None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_household_list_applies_nothing_and_items_need_a_guarantee() {
    let app = TestApp::new().await;
    let (sweep, visits) = demo_campaigns(&app).await;
    let office = app.session_as("office").await;
    let before = app
        .store
        .find_households(visits.id, None, None, "", 1000)
        .await
        .unwrap()
        .len();
    let file = xlsx(
        &["乡镇", "村（社区）", "户主姓名", "身份证号码"],
        &[
            vec![
                "城关镇".into(),
                "城关社区".into(),
                "新户一".into(),
                String::new(),
            ],
            vec![
                "城关镇".into(),
                "不存在村".into(),
                "新户二".into(),
                String::new(),
            ],
            vec![
                "城关镇".into(),
                "城关社区".into(),
                String::new(),
                "12345".into(),
            ],
        ],
    );
    let res = app
        .post_multipart(
            &format!("/campaigns/{}/households", visits.id),
            &office,
            &[("csrf", &office.csrf)],
            Some((
                "names.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &file,
            )),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    let text = res.text();
    assert!(text.contains("不存在村"), "{text}");
    assert!(text.contains("第3"), "names the row");
    let after = app
        .store
        .find_households(visits.id, None, None, "", 1000)
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);

    let held = app
        .store
        .campaign_items(sweep.id, None, Some(ItemStatus::Held))
        .await
        .unwrap();
    let item = &held[0];
    let checker = app.session_as("jiancha").await;
    let path = format!("/campaigns/items/{}/return", item.id);
    let version = item.version.to_string();
    let res = app
        .post_multipart(
            &path,
            &checker,
            &[
                ("csrf", &checker.csrf),
                ("returned_to", &item.owner),
                ("version", &version),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("保证书"));
    let res = app
        .post_multipart(
            &path,
            &checker,
            &[
                ("csrf", &checker.csrf),
                ("returned_to", &item.owner),
                ("version", &version),
                ("guarantee", "本人保证不再违规使用电器。"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let page = app
        .get(
            &format!("/campaigns/items/{}", item.id),
            Caller::Browser(&checker),
        )
        .await
        .text();
    assert!(page.contains("本人保证不再违规使用电器。"));
    assert!(page.contains("已归还"));
}

#[tokio::test]
async fn ledgers_and_reports_are_exported_to_those_who_see_the_campaign() {
    let app = TestApp::new().await;
    let (sweep, visits) = demo_campaigns(&app).await;
    let office = app.session_as("office").await;
    for c in [&sweep, &visits] {
        for (path, zip_entry) in [
            ("export.xlsx", "xl/workbook.xml"),
            ("report.docx", "word/document.xml"),
        ] {
            let res = app
                .get(
                    &format!("/campaigns/{}/{path}", c.id),
                    Caller::Browser(&office),
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            assert!(res
                .header("content-disposition")
                .unwrap()
                .contains("filename*=UTF-8''"));
            let zip = zip::ZipArchive::new(std::io::Cursor::new(res.body.clone())).unwrap();
            assert!(zip.file_names().any(|n| n == zip_entry), "{path}");
        }
    }
    // The sweep's ledger lists the rooms its checker recorded.
    let res = app
        .get(
            &format!("/campaigns/{}/export.xlsx", sweep.id),
            Caller::Browser(&office),
        )
        .await;
    let table = xuncha_office::read_table(&res.body, "x.xlsx").unwrap();
    assert!(table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.contains("1号宿舍楼"))));
    // Another campaign's team does not learn the sweep exists.
    let cadre = app.session_as("zoufang").await;
    let res = app
        .get(
            &format!("/campaigns/{}/report.docx", sweep.id),
            Caller::Browser(&cadre),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

async fn token(app: &TestApp, user: &str) -> String {
    let (store, clock) = (app.store.as_ref(), app.clock.as_ref());
    xuncha_core::usecases::auth::create_token(store, clock, user, "campaigns")
        .await
        .unwrap()
}

#[tokio::test]
async fn the_api_lists_campaigns_and_a_teams_households_to_those_who_see_them() {
    let app = TestApp::new().await;
    let (sweep, visits) = demo_campaigns(&app).await;
    let ids = |v: serde_json::Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let cadre = token(&app, "zoufang").await;
    let office = token(&app, "office").await;
    let outsider = token(&app, "bumen").await;
    let list = app.get("/api/v1/campaigns", Caller::Bearer(&cadre)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(ids(list.json()), [visits.id]);
    let all = ids(app
        .get("/api/v1/campaigns", Caller::Bearer(&office))
        .await
        .json());
    assert!(all.contains(&sweep.id) && all.contains(&visits.id));
    assert!(ids(app
        .get("/api/v1/campaigns", Caller::Bearer(&outsider))
        .await
        .json())
    .is_empty());

    // Coverage: the cadre sees the team's share; the sweep is not found.
    let cov = app
        .get(
            &format!("/api/v1/campaigns/{}", visits.id),
            Caller::Bearer(&cadre),
        )
        .await;
    assert_eq!(cov.status, StatusCode::OK, "{}", cov.text());
    let cov = cov.json();
    assert_eq!(cov["leaves"], 60, "the demo's 60 households");
    assert_eq!(cov["done"], 20);
    assert_eq!(cov["access"]["manage"], false);
    assert_eq!(cov["teams"].as_array().unwrap().len(), 1);
    let sweep_cov = app
        .get(
            &format!("/api/v1/campaigns/{}", sweep.id),
            Caller::Bearer(&cadre),
        )
        .await;
    assert_eq!(sweep_cov.status, StatusCode::NOT_FOUND);
    assert_eq!(sweep_cov.json()["error"]["code"], "not_found");

    // Households by name prefix, paged, ID numbers masked for the cadre.
    let path = format!("/api/v1/campaigns/{}/households", visits.id);
    let p1 = app
        .get(&format!("{path}?per_page=25"), Caller::Bearer(&cadre))
        .await
        .json();
    assert_eq!(p1["items"].as_array().unwrap().len(), 25);
    assert_eq!(p1["has_more"], true);
    let p3 = app
        .get(
            &format!("{path}?per_page=25&page=3"),
            Caller::Bearer(&cadre),
        )
        .await
        .json();
    assert_eq!(p3["items"].as_array().unwrap().len(), 10);
    assert_eq!(p3["has_more"], false);
    let first = p1["items"][0]["head_name"].as_str().unwrap().to_owned();
    let surname: String = first.chars().take(1).collect();
    let by_name = app
        .get(
            &format!("{path}?q={}", crate::helpers::form_encode(&surname)),
            Caller::Bearer(&cadre),
        )
        .await
        .json();
    let names = by_name["items"].as_array().unwrap();
    assert!(!names.is_empty());
    assert!(names
        .iter()
        .all(|h| h["head_name"].as_str().unwrap().starts_with(&surname)));
    let deep = app
        .get(
            &format!("{path}?per_page=500&page=11"),
            Caller::Bearer(&cadre),
        )
        .await;
    assert_eq!(deep.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deep.json()["error"]["fields"][0]["field"], "page");
    // A checker of the sweep asks for the visit campaign's households.
    let checker = token(&app, "jiancha").await;
    let res = app.get(&path, Caller::Bearer(&checker)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // The checker's own sweep counts the rooms assigned to the team.
    let mine = app
        .get(
            &format!("/api/v1/campaigns/{}", sweep.id),
            Caller::Bearer(&checker),
        )
        .await
        .json();
    assert!(mine["leaves"].as_i64().unwrap() > 0, "{mine}");
    assert!(mine["done"].as_i64().unwrap() <= mine["leaves"].as_i64().unwrap());
    let targets = app
        .get(
            &format!("/api/v1/campaigns/{}/targets?per_page=500", visits.id),
            Caller::Bearer(&cadre),
        )
        .await
        .json();
    assert!(!targets["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_visit_through_the_api_is_checked_stored_once_and_its_demand_handled() {
    let app = TestApp::new().await;
    let (sweep, visits) = demo_campaigns(&app).await;
    let cadre = token(&app, "zoufang").await;
    let households = app
        .get(
            &format!("/api/v1/campaigns/{}/households?per_page=100", visits.id),
            Caller::Bearer(&cadre),
        )
        .await
        .json();
    let h = households["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["visits"] == 0)
        .unwrap();
    let path = format!("/api/v1/campaigns/households/{}/visits", h["id"]);
    // Nothing answered, nobody met: every problem named, in Chinese.
    let bad = serde_json::json!({ "client_key": "api-visit-0001", "answers": [] });
    let res = app
        .post_json(&path, &bad.to_string(), Caller::Bearer(&cadre))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"answer_0") && fields.contains(&"met"),
        "{fields:?}"
    );
    let first_question = &visits.spec.questions[0];
    assert!(
        body.to_string().contains(first_question.as_str()),
        "names the question"
    );
    assert!(body.to_string().contains("见到的人"));

    let good = serde_json::json!({
        "client_key": "api-visit-0001",
        "answers": vec!["无"; visits.spec.questions.len()],
        "met": "户主本人",
        "demands": [{ "category": visits.spec.categories[0], "content": "门前排水沟堵塞，雨天积水。", "department": "城关镇人民政府" }],
    })
    .to_string();
    let res = app.post_json(&path, &good, Caller::Bearer(&cadre)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let record = res.json()["record_id"].as_i64().unwrap();
    // Re-sent after a lost answer: stored once.
    let again = app.post_json(&path, &good, Caller::Bearer(&cadre)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["record_id"].as_i64(), Some(record));
    assert_eq!(again.json()["created"], false);
    let stored = app
        .store
        .get_household(h["id"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.visits, 1);
    // A checker of the sweep cannot record it.
    let checker = token(&app, "jiancha").await;
    let res = app.post_json(&path, &good, Caller::Bearer(&checker)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // The demand: listed, closed only with a resolution and satisfaction.
    let list = app
        .get(
            &format!(
                "/api/v1/campaigns/{}/followups?kind=demand&status=open&per_page=100",
                visits.id
            ),
            Caller::Bearer(&cadre),
        )
        .await
        .json();
    let demand = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["record_id"].as_i64() == Some(record))
        .unwrap()
        .clone();
    let fpath = format!("/api/v1/campaigns/followups/{}", demand["id"]);
    let res = app
        .post_json(&fpath, r#"{"status":"done"}"#, Caller::Bearer(&cadre))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let close = serde_json::json!({
        "status": "done", "resolution": "已组织疏通排水沟", "satisfaction": "satisfied",
        "version": demand["version"],
    })
    .to_string();
    let res = app.post_json(&fpath, &close, Caller::Bearer(&cadre)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "done");
    assert_eq!(res.json()["satisfaction"], "satisfied");
    // The same version again: changed meanwhile.
    let res = app.post_json(&fpath, &close, Caller::Bearer(&cadre)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let seen = app.get(&fpath, Caller::Bearer(&checker)).await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND);

    // A room of the sweep through the API, by its checker; a cadre is refused.
    let room = app
        .store
        .campaign_targets(sweep.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.level == TargetLevel::Room && t.done == 0)
        .unwrap();
    let rpath = format!("/api/v1/campaigns/targets/{}/inspections", room.id);
    let marks = serde_json::json!({
        "client_key": "api-room-0001",
        "marks": [18, 19.5, 20, 15, 20, 1, 1, 0, 1],
        "present": "住宿人员2人",
        "items": [{ "item": "电饭锅", "owner": "张某", "quantity": 1 }],
    })
    .to_string();
    let res = app.post_json(&rpath, &marks, Caller::Bearer(&cadre)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .post_json(&rpath, &marks, Caller::Bearer(&checker))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post_json(&rpath, &marks, Caller::Bearer(&checker))
        .await;
    assert_eq!(res.status, StatusCode::OK, "re-sent: stored once");
    let held = app
        .store
        .campaign_items(sweep.id, None, Some(ItemStatus::Held))
        .await
        .unwrap();
    assert_eq!(held.iter().filter(|i| i.target_id == room.id).count(), 1);
}
