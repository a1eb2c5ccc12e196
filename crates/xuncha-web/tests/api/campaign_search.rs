//! Demands and hazards in the search index, scoped like the campaign pages:
//! a team member finds their own team's demand and not another team's, the
//! leading group finds both, a result links to the demand's page (refused
//! to the other team), a sweep's hazard is found by its checker and not by
//! a visiting cadre, and a checker finds nothing of the inspection.

use axum::http::StatusCode;
use xuncha_core::campaign::{CampaignKind, DemandInput, TargetLevel, VisitInput};
use xuncha_core::usecases::campaigns::{setup, work};

use crate::helpers::{form_encode, Caller, TestApp};

async fn search(app: &TestApp, user: &str, q: &str) -> String {
    let s = app.session_as(user).await;
    let res = app
        .get(
            &format!("/search?q={}", form_encode(q)),
            Caller::Browser(&s),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{user}");
    res.text()
}

#[tokio::test]
async fn a_team_finds_its_own_demands_only() {
    let app = TestApp::with_search().await;
    // A checker on the dormitory sweep: the inspection's units stay hidden.
    let html = search(&app, "jiancha", "青石镇").await;
    assert!(html.contains("<strong id=\"total\">0</strong>"), "{html}");
    assert!(!html.contains("/units/") && !html.contains("/records/"));

    let visits = app
        .store
        .list_campaigns(Some(&xuncha_core::policy::Scope::all()), 0)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CampaignKind::Visit)
        .unwrap();
    // A second team (the checker joins it) takes over one village.
    let office = app.actor("office").await;
    let clock = app.clock.as_ref();
    let s = app.store.as_ref();
    let team2 = setup::add_team(
        s,
        clock,
        &office,
        visits.id,
        "城关镇走访二队",
        "jiancha 记录",
    )
    .await
    .unwrap();
    let village = app
        .store
        .campaign_targets(visits.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.level == TargetLevel::Village)
        .unwrap();
    setup::assign(s, clock, &office, visits.id, &[village.id], Some(team2))
        .await
        .unwrap();
    let household = s
        .find_households(visits.id, None, Some(village.id), "", 100)
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.visits == 0)
        .unwrap();
    let mut input = VisitInput {
        client_key: "search-visit-0001".into(),
        met: "户主本人".into(),
        ..Default::default()
    };
    for q in 0..visits.spec.questions.len() {
        input.answers.insert(q, "无".into());
    }
    input.demands.push(DemandInput {
        category: visits.spec.categories[0].clone(),
        content: "自来水管道老化漏水，希望更换。".into(),
        department: "城关镇人民政府".into(),
    });
    work::record_visit(s, clock, &office, household.id, &input, Vec::new())
        .await
        .unwrap();
    let demand = s
        .campaign_followups(visits.id, Some(team2), None)
        .await
        .unwrap()
        .remove(0);
    app.reindex().await;

    let link = format!("/campaigns/followups/{}", demand.id);
    // The first team (zoufang) finds the demo's road demand, not the water pipe.
    let html = search(&app, "zoufang", "道路破损").await;
    assert!(html.contains("/campaigns/followups/"), "{html}");
    let html = search(&app, "zoufang", "自来水管道").await;
    assert!(!html.contains(&link), "another team's demand: {html}");
    assert!(html.contains("<strong id=\"total\">0</strong>"));
    // The second team finds its own, and only its own.
    let html = search(&app, "jiancha", "自来水管道").await;
    assert!(html.contains(&link), "{html}");
    let html = search(&app, "jiancha", "道路破损").await;
    assert!(html.contains("<strong id=\"total\">0</strong>"), "{html}");
    // The leading group reads every team's.
    assert!(search(&app, "leader", "自来水管道").await.contains(&link));
    // The result's page: shown to the team, not found for the other team.
    let mine = app.session_as("jiancha").await;
    let page = app.get(&link, Caller::Browser(&mine)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("自来水管道老化漏水"));
    let other = app.session_as("zoufang").await;
    assert_eq!(
        app.get(&link, Caller::Browser(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    // Nobody outside the campaign finds it.
    let html = search(&app, "bumen", "自来水管道").await;
    assert!(!html.contains(&link), "{html}");

    // A hazard of the dormitory sweep: its checker's team finds it, a
    // visiting cadre (not on the sweep) does not.
    let sweep = app
        .store
        .list_campaigns(Some(&xuncha_core::policy::Scope::all()), 0)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CampaignKind::Checklist)
        .unwrap();
    let hazard = s
        .campaign_followups(
            sweep.id,
            None,
            Some(xuncha_core::campaign::FollowupKind::Hazard),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.team_id.is_some())
        .unwrap();
    let link = format!("/campaigns/followups/{}", hazard.id);
    let q = format!("type=hazard&q={}", form_encode(&hazard.content));
    for (user, finds) in [("jiancha", true), ("zoufang", false), ("office", true)] {
        let session = app.session_as(user).await;
        let html = app
            .get(&format!("/search?{q}"), Caller::Browser(&session))
            .await
            .text();
        assert_eq!(html.contains(&link), finds, "{user}: {html}");
    }
}
