//! Registry pages and exports show each role only what it may see: kinship
//! relations, and ID numbers in exported spreadsheets.

use axum::http::StatusCode;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{PageRequest, Person, PersonFilter};

use crate::helpers::{Caller, TestApp};

/// A person who works in a unit and has at least one recorded relative.
async fn person_with_relatives(app: &TestApp) -> (Person, String) {
    let all = app
        .store
        .list_persons(
            &Scope::all(),
            &PersonFilter::default(),
            PageRequest::new(Some(1), Some(500)),
        )
        .await
        .unwrap();
    for p in all.items.into_iter().filter(|p| p.unit_id.is_some()) {
        let relations = app.store.relations_of(p.id).await.unwrap();
        if let Some(r) = relations.first() {
            let relative = if r.person_a_id == p.id {
                &r.person_b_name
            } else {
                &r.person_a_name
            };
            return (p.clone(), relative.clone());
        }
    }
    panic!("the demo county has no related persons in units");
}

#[tokio::test]
async fn kinship_relations_show_only_for_roles_that_may_see_them() {
    // Arrange
    let app = TestApp::new().await;
    let (person, relative) = person_with_relatives(&app).await;
    let office = app.session_as("office").await;
    let team_leader = app.session_as("zuzhang").await;
    let path = format!("/persons/{}", person.id);

    // Act
    let for_office = app.get(&path, Caller::Browser(&office)).await;
    let for_leader = app.get(&path, Caller::Browser(&team_leader)).await;

    // Assert
    assert_eq!(for_office.status, StatusCode::OK);
    assert_eq!(
        for_leader.status,
        StatusCode::OK,
        "the team leader sees the person"
    );
    assert!(for_office.text().contains("id=\"relations\""));
    assert!(
        for_office.text().contains(&relative),
        "office sees {relative}"
    );
    assert!(
        !for_leader.text().contains("id=\"relations\""),
        "but not the relations"
    );
}

#[tokio::test]
async fn an_export_masks_id_numbers_for_roles_that_may_not_see_them() {
    // Arrange
    let app = TestApp::new().await;
    let finance = app.unit("云岭县财政局").await;
    let path = format!("/persons/export.xlsx?unit={}", finance.id);
    let team_leader = app.session_as("zuzhang").await;
    let office = app.session_as("office").await;

    // Act
    let masked = app.get(&path, Caller::Browser(&team_leader)).await;
    let full = app.get(&path, Caller::Browser(&office)).await;

    // Assert
    let numbers = |body: &[u8]| -> Vec<String> {
        let table = xuncha_office::read_table(body, "export.xlsx").unwrap();
        let col = table
            .headers
            .iter()
            .position(|h| h == "身份证号")
            .expect("an ID column");
        table.rows.iter().map(|r| r.cells[col].clone()).collect()
    };
    for res in [&masked, &full] {
        assert_eq!(res.status, StatusCode::OK);
        assert!(res
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment;"));
    }
    let masked = numbers(&masked.body);
    let full = numbers(&full.body);
    assert!(!masked.is_empty());
    assert_eq!(masked.len(), full.len());
    assert!(
        masked.iter().all(|n| n.contains("**********")),
        "{masked:?}"
    );
    assert!(
        full.iter().all(|n| n.len() == 18 && !n.contains('*')),
        "{full:?}"
    );
}
