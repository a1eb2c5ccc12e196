//! The planned day on the assignment form: the office plans a village for a
//! day already past, and the campaign page (and the API's coverage) flag it
//! 逾期未走访 while it is not fully visited; a bad day is refused with the
//! field named and assigns nothing.

use axum::http::StatusCode;
use xuncha_core::campaign::{CampaignKind, TargetLevel};

use crate::helpers::{Caller, TestApp};

#[tokio::test]
async fn a_village_planned_for_a_past_day_and_not_visited_is_flagged() {
    let app = TestApp::new().await;
    let visits = app
        .store
        .list_campaigns(Some(&xuncha_core::policy::Scope::all()), 0)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CampaignKind::Visit)
        .unwrap();
    let village = app
        .store
        .campaign_targets(visits.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.level == TargetLevel::Village && t.done < t.leaves)
        .unwrap();
    let team = app.store.campaign_teams(visits.id).await.unwrap()[0].id;
    let office = app.session_as("office").await;
    let path = format!("/campaigns/{}/assign", visits.id);
    let (vid, tid) = (village.id.to_string(), team.to_string());
    let assign = |day: &'static str| {
        let fields = [
            ("csrf", office.csrf.clone()),
            ("target_ids", vid.clone()),
            ("team_id", tid.clone()),
            ("planned_on", day.to_owned()),
        ];
        let (app, office, path) = (&app, &office, path.clone());
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&path, &f, Some(office)).await
        }
    };
    let res = assign("2026-13-40").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("计划日期格式"), "{}", res.text());
    assert!(app.store.campaign_plan(visits.id).await.unwrap().is_empty());

    let res = assign("2026-11-20").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let page = app
        .get(
            &format!("/campaigns/{}", visits.id),
            Caller::Browser(&office),
        )
        .await
        .text();
    assert!(page.contains("id=\"plan\""), "{page}");
    assert!(page.contains("2026-11-20"));
    assert!(page.contains("逾期未走访"));
    // The team's cadre sees the same plan, in the API too.
    let cadre = app.session_as("zoufang").await;
    let cov = app
        .get(
            &format!("/api/v1/campaigns/{}", visits.id),
            Caller::Browser(&cadre),
        )
        .await
        .json();
    assert_eq!(cov["plan"][0]["day"], "2026-11-20");
    assert_eq!(cov["plan"][0]["targets"][0]["id"], village.id);
    assert_eq!(cov["plan"][0]["targets"][0]["overdue"], true);
}
