//! Cross-check hits through the router: the office and the discipline
//! commission read them, others are refused; a hit is confirmed (a dismissal
//! needs a reason, typed text kept) and turned into a clue of a round.

use axum::http::StatusCode;
use xuncha_core::collide::NewHit;

use crate::helpers::{Caller, TestApp};

#[tokio::test]
async fn hits_are_triaged_and_become_clues_for_those_who_may() {
    let app = TestApp::new().await;
    let office = app.actor("office").await;
    let clock = xuncha_core::clock::ManualClock::new(crate::helpers::T0);
    let hit = NewHit {
        rule: "recipient-deceased".into(),
        rule_title: "死亡后仍领取低保".into(),
        subject_id_number: Some("522622195001011234".into()),
        subject_name: "陆老汉".into(),
        strong: true,
        evidence: "低保名册第12行：2026年6月仍发放；死亡人员名册第3行：2025年11月死亡".into(),
        key: "recipient-deceased|522622195001011234".into(),
        place: Some("云岭县民政局".into()),
    };
    let summary = xuncha_core::usecases::collide::record_run(
        app.store.as_ref(),
        &clock,
        &office,
        &["recipient-deceased".to_owned()],
        vec![hit],
    )
    .await
    .unwrap();
    assert_eq!(summary.new, 1);
    let s = app.session_as("office").await;
    let list = app.get("/collide", Caller::Browser(&s)).await;
    assert!(list.text().contains("陆老汉"), "{}", list.text());
    let id = app
        .store
        .list_hits(
            &xuncha_core::store::HitFilter {
                scope: xuncha_core::policy::Scope::all(),
                rule: None,
                state: None,
                change: None,
            },
            xuncha_core::registry::PageRequest::new(Some(1), Some(5)),
        )
        .await
        .unwrap()
        .items[0]
        .id;
    for (user, status) in [
        ("jiwei", StatusCode::OK),
        ("leader", StatusCode::OK),
        ("zuzhang", StatusCode::FORBIDDEN),
        ("beixuncha", StatusCode::FORBIDDEN),
    ] {
        let u = app.session_as(user).await;
        let r = app
            .get(&format!("/collide/hits/{id}"), Caller::Browser(&u))
            .await;
        assert_eq!(r.status, status, "{user}");
    }
    // Dismissing without a reason is refused and the choice stays.
    let r = app
        .post_form(
            &format!("/collide/hits/{id}/triage"),
            &[
                ("csrf", &s.csrf),
                ("state", "unfounded"),
                ("note", ""),
                ("version", "1"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("写明核实情况"));
    let r = app
        .post_form(
            &format!("/collide/hits/{id}/triage"),
            &[
                ("csrf", &s.csrf),
                ("state", "confirmed"),
                ("note", "经民政局核实：已故后仍发放7个月"),
                ("version", "1"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let target = app
        .store
        .targets_of(2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_name == "云岭县民政局")
        .unwrap();
    let r = app
        .post_form(
            &format!("/collide/hits/{id}/clue"),
            &[
                ("csrf", &s.csrf),
                ("target_id", &target.id.to_string()),
                ("grade", "further"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.header("location").unwrap().starts_with("/records/"));
    let page = app
        .get(&format!("/collide/hits/{id}"), Caller::Browser(&s))
        .await;
    assert!(page.text().contains("已转线索"));
}

/// The 领导小组 reads hits but does not verify them: refused by the use case,
/// not only hidden by the page.
#[tokio::test]
async fn the_leading_group_reads_hits_but_may_not_verify_them() {
    let app = TestApp::new().await;
    let office = app.actor("office").await;
    let clock = xuncha_core::clock::ManualClock::new(crate::helpers::T0);
    let hit = NewHit {
        rule: "recipient-is-payroll".into(),
        rule_title: "低保对象为财政供养人员".into(),
        subject_id_number: None,
        subject_name: "韦某".into(),
        strong: false,
        evidence: "姓名、出生日期相同".into(),
        key: "recipient-is-payroll|n:韦某".into(),
        place: None,
    };
    xuncha_core::usecases::collide::record_run(
        app.store.as_ref(),
        &clock,
        &office,
        &["recipient-is-payroll".to_owned()],
        vec![hit],
    )
    .await
    .unwrap();
    let leader = app.actor("leader").await;
    let page = xuncha_core::usecases::collide::list(
        app.store.as_ref(),
        &leader,
        None,
        None,
        None,
        xuncha_core::registry::PageRequest::new(Some(1), Some(5)),
    )
    .await
    .unwrap();
    let input = xuncha_core::collide::TriageInput {
        state: "confirmed".into(),
        note: String::new(),
        version: page.items[0].version,
    };
    let r = xuncha_core::usecases::collide::triage(
        app.store.as_ref(),
        &clock,
        &leader,
        page.items[0].id,
        &input,
    )
    .await;
    assert!(matches!(r, Err(xuncha_core::CoreError::Forbidden)), "{r:?}");
}
