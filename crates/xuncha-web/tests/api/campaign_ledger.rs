//! A paper visit ledger uploaded on the campaign's page: refused whole with
//! the row and column named, then stored; only the office and team leaders
//! see the page.

use axum::http::StatusCode;
use xuncha_core::campaign::CampaignKind;

use crate::helpers::{xlsx, Caller, TestApp};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn the_office_imports_a_paper_ledger_and_a_plain_member_cannot() {
    let app = TestApp::new().await;
    let visits = app
        .store
        .list_campaigns(Some(&xuncha_core::policy::Scope::all()), 0)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CampaignKind::Visit)
        .unwrap();
    // A household not visited yet whose head's name is unique in its village.
    let all = app
        .store
        .find_households(visits.id, None, None, "", 1000)
        .await
        .unwrap();
    let h = all
        .iter()
        .find(|h| {
            h.visits == 0
                && all
                    .iter()
                    .filter(|o| o.area_id == h.area_id && o.head_name == h.head_name)
                    .count()
                    == 1
        })
        .unwrap()
        .clone();
    let path = format!("/campaigns/{}/ledger", visits.id);

    // zoufang records on the team (记录) but does not lead it.
    let cadre = app.session_as("zoufang").await;
    let res = app.get(&path, Caller::Browser(&cadre)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let page = app
        .get(
            &format!("/campaigns/{}", visits.id),
            Caller::Browser(&cadre),
        )
        .await
        .text();
    assert!(!page.contains("id=\"ledger\""));

    let office = app.session_as("office").await;
    let page = app
        .get(
            &format!("/campaigns/{}", visits.id),
            Caller::Browser(&office),
        )
        .await
        .text();
    assert!(page.contains("id=\"ledger\""), "the office has the link");
    assert_eq!(
        app.get(&path, Caller::Browser(&office)).await.status,
        StatusCode::OK
    );
    let headers = [
        "村（社区）",
        "户主姓名",
        "走访日期",
        "走访干部",
        "见到的人",
        "诉求类别",
        "诉求内容",
    ];
    let row = |cadre: &str| {
        vec![
            h.area_name.clone(),
            h.head_name.clone(),
            "2026-11-20".to_owned(),
            cadre.to_owned(),
            "户主本人".to_owned(),
            visits.spec.categories[0].clone(),
            "希望硬化入户道路。".to_owned(),
        ]
    };
    let send = |file: Vec<u8>| {
        let (app, office, path) = (&app, &office, path.clone());
        async move {
            app.post_multipart(
                &path,
                office,
                &[("csrf", &office.csrf)],
                Some(("台账.xlsx", XLSX, &file)),
            )
            .await
        }
    };
    let res = send(xlsx(&headers, &[row("不认识的人")])).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("第2「走访干部」"), "{text}");
    assert_eq!(
        app.store.get_household(h.id).await.unwrap().visits,
        0,
        "nothing applied"
    );

    let res = send(xlsx(&headers, &[row("zoufang")])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.text().contains("id=\"ledger-done\""), "{}", res.text());
    assert_eq!(app.store.get_household(h.id).await.unwrap().visits, 1);
    let demands = app
        .store
        .campaign_followups(visits.id, None, None)
        .await
        .unwrap();
    assert!(demands.iter().any(|f| f.household_id == Some(h.id)));
}
