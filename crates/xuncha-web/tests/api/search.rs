//! The search page: traditional, look-alike and pinyin spellings find the
//! registry, and the permission scope is part of the query.

use axum::http::StatusCode;

use crate::helpers::{form_encode, Caller, TestApp};

async fn search(app: &TestApp, user: &str, q: &str) -> String {
    let s = app.session_as(user).await;
    let res = app
        .get(
            &format!("/search?q={}", form_encode(q)),
            Caller::Browser(&s),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    res.text()
}

#[tokio::test]
async fn traditional_and_pinyin_spellings_find_the_unit_and_its_leader() {
    let app = TestApp::with_search().await;
    let finance = app.unit("云岭县财政局").await;
    let leader = app.person_in(&finance).await;

    // 雲嶺縣財政局 is the traditional spelling of 云岭县财政局.
    let html = search(&app, "office", "雲嶺縣財政局").await;
    assert!(html.contains(&format!("/units/{}", finance.id)), "{html}");
    assert!(html.contains("<mark>"), "matches are highlighted");

    let initials = xuncha_text::name_pinyin(&leader.name).initials;
    let html = search(&app, "office", &initials).await;
    assert!(
        html.contains(&format!("/persons/{}", leader.id)),
        "{initials}: {html}"
    );
}

#[tokio::test]
async fn a_search_never_shows_or_counts_what_is_outside_the_jurisdiction() {
    let app = TestApp::with_search().await;
    // bumen is bound to 云岭县财政局; 青石镇 is outside its jurisdiction.
    let html = search(&app, "bumen", "青石镇").await;
    assert!(
        !html.contains("/units/"),
        "no unit of 青石镇 is listed: {html}"
    );
    assert!(
        html.contains("<strong id=\"total\">0</strong>"),
        "and none is counted"
    );
    let html = search(&app, "office", "青石镇").await;
    assert!(
        !html.contains("<strong id=\"total\">0</strong>"),
        "office sees it"
    );
}

#[tokio::test]
async fn the_search_api_answers_with_items_and_total_in_scope() {
    let app = TestApp::with_search().await;
    let office = app.session_as("office").await;
    let bumen = app.session_as("bumen").await;
    let q = form_encode("財政局");
    let all = app
        .get(
            &format!("/api/v1/search?q={q}&type=unit"),
            Caller::Browser(&office),
        )
        .await;
    let mine = app
        .get(
            &format!("/api/v1/search?q={}", form_encode("青石镇")),
            Caller::Browser(&bumen),
        )
        .await;
    assert_eq!(all.status, StatusCode::OK);
    let body = all.json();
    assert!(body["total"].as_u64().unwrap() >= 1);
    assert!(body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["doc_type"] == "unit"));
    assert_eq!(
        mine.json()["total"],
        0,
        "outside the jurisdiction nothing is counted"
    );
}

/// A team's records are found only by those who may read them: the team of
/// the unit and the office, never another team, never a recused member; the
/// inspected unit finds its own rectification items but no working paper.
#[tokio::test]
async fn records_are_found_only_where_the_pages_would_show_them() {
    use xuncha_core::inspection::record::{RecordFilter, RecordKind};
    use xuncha_core::policy::Scope;
    use xuncha_core::registry::PageRequest;

    let app = TestApp::with_search().await;
    let farm = app.unit("云岭县农业农村局").await;
    let town = app.unit("青石镇").await;
    let first = |kind: RecordKind, unit: i64| {
        let store = app.store.clone();
        async move {
            store
                .list_records(
                    &RecordFilter::new(kind, Scope::all()),
                    PageRequest::new(Some(1), Some(500)),
                )
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|r| r.meta.unit_id == unit)
                .unwrap()
        }
    };
    let paper = first(RecordKind::Paper, farm.id).await;
    let summary: String = serde_json::from_str::<serde_json::Value>(&paper.data).unwrap()
        ["summary"]
        .as_str()
        .unwrap()
        .chars()
        .take(8)
        .collect();
    let link = format!("/records/{}", paper.meta.id);
    for (user, finds) in [
        ("office", true),
        ("zuzhang2", true),
        ("zuyuan", false),
        ("zuzhang", false),
        ("beixuncha", false),
        ("bumen", false),
    ] {
        let html = search(&app, user, &summary).await;
        assert_eq!(html.contains(&link), finds, "{user} searching {summary}");
    }

    let item = first(RecordKind::RectItem, town.id).await;
    let problem: String = serde_json::from_str::<serde_json::Value>(&item.data).unwrap()["problem"]
        .as_str()
        .unwrap()
        .chars()
        .take(8)
        .collect();
    let link = format!("/records/{}", item.meta.id);
    for (user, finds) in [("beixuncha", true), ("zuzhang", true), ("zuzhang2", false)] {
        let html = search(&app, user, &problem).await;
        assert_eq!(html.contains(&link), finds, "{user} searching {problem}");
    }
    // The link leads the unit to its rectification page.
    let s = app.session_as("beixuncha").await;
    let res = app.get(&link, Caller::Browser(&s)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.header("location").is_some_and(
            |l| l.starts_with(&format!("/targets/{}/rectification", item.meta.target_id))
        )
    );
}

/// Filters by round, unit, day and status narrow the results inside the
/// user's scope, on the page and the API alike.
#[tokio::test]
async fn filters_narrow_by_round_unit_day_and_status() {
    let app = TestApp::with_search().await;
    let office = app.session_as("office").await;
    let total = |extra: &str| {
        let path = format!(
            "/api/v1/search?q={}&type=paper{extra}",
            form_encode("不到位")
        );
        let app = &app;
        let office = office.clone();
        async move {
            let res = app.get(&path, Caller::Browser(&office)).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.text());
            res.json()["total"].as_u64().unwrap()
        }
    };
    let all = total("").await;
    let first = total("&round=1").await;
    let second = total("&round=2").await;
    assert!(first > 0 && second > 0, "{first} {second}");
    assert_eq!(all, first + second);
    let civil = app.unit("云岭县民政局").await;
    let in_unit = total(&format!("&unit={}", civil.id)).await;
    assert!(in_unit > 0 && in_unit <= second);
    assert_eq!(
        total("&from=2030-01-01").await,
        0,
        "nothing written after today"
    );
    assert_eq!(total("&to=2000-01-01").await, 0);
    assert_eq!(total("&status=no-such-status").await, 0);
    // The page keeps the filters in its form and its paging links.
    let page = app
        .get(
            &format!("/search?q={}&type=paper&round=2", form_encode("不到位")),
            Caller::Browser(&office),
        )
        .await;
    assert!(
        page.text().contains(r#"id="f-status""#),
        "a status list for papers"
    );
    assert!(page
        .text()
        .contains(&format!(r#"<strong id="total">{second}</strong>"#)));
}

/// "Similar documents": a petition re-sent in traditional script is listed
/// as a near-duplicate, and so is a public tip with the same complaint;
/// only what the user may read is compared.
#[tokio::test]
async fn similar_documents_cross_petitions_and_tips_within_scope() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let unit = app.unit("云岭县民政局").await;
    let text = "民政局低保股工作人员违规将不符合条件的亲属纳入低保，还在发放临时救助资金时优亲厚友，群众意见很大，请求调查处理。";
    let traditional = "民政局低保股工作人員違規將不符合條件的親屬納入低保，還在發放臨時救助資金時優親厚友，群眾意見很大，請求調查處理。";
    let mut ids = Vec::new();
    for (title, content) in [
        ("反映低保优亲厚友", text),
        ("再次反映低保问题", traditional),
    ] {
        let res = app
            .post_form(
                "/petitions",
                &[
                    ("csrf", &office.csrf),
                    ("date", "2026-11-20"),
                    ("channel", "letter"),
                    ("category", "appeal"),
                    ("unit_id", &unit.id.to_string()),
                    ("title", title),
                    ("content", content),
                    ("persons", "王某"),
                ],
                Some(&office),
            )
            .await;
        assert_eq!(
            res.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            res.text()
        );
        ids.push(
            res.header("location")
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    let target = app
        .store
        .targets_of(2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_id == unit.id)
        .unwrap();
    let clock = xuncha_core::clock::ManualClock::new(crate::helpers::T0);
    let input = xuncha_core::intake::tip::TipInput {
        body: text.into(),
        ..Default::default()
    };
    xuncha_core::usecases::tips::submit(app.store.as_ref(), &clock, target.id, &input, vec![])
        .await
        .unwrap();

    let page = app
        .get(
            &format!("/similar/petition/{}", ids[1]),
            Caller::Browser(&office),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(
        html.contains(&format!(r#"href="/petitions/{}""#, ids[0])),
        "{html}"
    );
    assert!(html.contains("疑似重复"));
    assert!(html.contains("群众举报"), "the tip with the same text");
    // The team inspecting the unit sees the same; another team nothing.
    let leader = app.session_as("zuzhang").await;
    let page = app
        .get(
            &format!("/similar/petition/{}", ids[1]),
            Caller::Browser(&leader),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("群众举报"));
    let other = app.session_as("zuzhang2").await;
    let page = app
        .get(
            &format!("/similar/petition/{}", ids[1]),
            Caller::Browser(&other),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
