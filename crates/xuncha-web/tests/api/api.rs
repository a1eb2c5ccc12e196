//! The JSON API: lists with paging and filters, masking of ID numbers,
//! bearer tokens, CSRF on cookie writes, error bodies, and the OpenAPI
//! document covering every route.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use xuncha_core::usecases::auth::create_token;

use crate::helpers::{form_encode, id_number, Caller, TestApp};

fn items(v: &Value) -> &Vec<Value> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {v}"))
}

async fn token(app: &TestApp, username: &str) -> String {
    create_token(app.store.as_ref(), app.clock.as_ref(), username, "test")
        .await
        .unwrap()
}

#[tokio::test]
async fn unit_lists_page_and_filter() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let b = Caller::Browser(&office);
    let qingshi = app.unit("青石镇").await;

    let all = app.get("/api/v1/units?per_page=500", b).await.json();
    let page2 = app.get("/api/v1/units?per_page=7&page=2", b).await.json();
    let by_name = app
        .get(&format!("/api/v1/units?q={}", form_encode("财政")), b)
        .await
        .json();
    let townships = app.get("/api/v1/units?kind=township", b).await.json();
    let by_label = app
        .get(
            &format!("/api/v1/units?kind={}", form_encode("乡镇（街道）")),
            b,
        )
        .await
        .json();
    let children = app
        .get(&format!("/api/v1/units?parent_id={}", qingshi.id), b)
        .await
        .json();
    let one = app.get(&format!("/api/v1/units/{}", qingshi.id), b).await;

    let total = all["total"].as_i64().unwrap();
    assert!((55..=65).contains(&total), "{total} units");
    assert_eq!(items(&all).len() as i64, total);
    assert_eq!(page2["total"], total, "the total ignores paging");
    assert_eq!(items(&page2).len(), 7);
    assert_eq!(
        items(&page2)[0]["id"],
        items(&all)[7]["id"],
        "page 2 starts at the 8th"
    );
    assert_eq!(by_name["total"], 1);
    assert_eq!(items(&by_name)[0]["name"], "云岭县财政局");
    assert_eq!(townships["total"], 6);
    assert!(items(&townships).iter().all(|u| u["kind"] == "township"));
    assert_eq!(by_label["total"], 6, "kinds may be given by their label");
    assert!(children["total"].as_i64().unwrap() > 0);
    assert!(items(&children)
        .iter()
        .all(|u| u["parent_id"] == qingshi.id));
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["path"], qingshi.path.as_str());
}

#[tokio::test]
async fn unit_lists_hold_only_the_callers_jurisdiction() {
    let app = TestApp::new().await;
    let bumen = app.session_as("bumen").await;
    let beixuncha = app.session_as("beixuncha").await;
    let qingshi = app.unit("青石镇").await;

    let finance_view = app
        .get("/api/v1/units", Caller::Browser(&bumen))
        .await
        .json();
    let town_view = app
        .get("/api/v1/units?per_page=500", Caller::Browser(&beixuncha))
        .await
        .json();
    let hidden = app
        .get(
            &format!("/api/v1/units/{}", qingshi.id),
            Caller::Browser(&bumen),
        )
        .await;

    assert_eq!(finance_view["total"], 1);
    assert_eq!(items(&finance_view)[0]["name"], "云岭县财政局");
    assert!(items(&town_view)
        .iter()
        .all(|u| u["path"].as_str().unwrap().starts_with(&qingshi.path)));
    assert_eq!(
        town_view["total"].as_i64().unwrap() as usize,
        items(&town_view).len()
    );
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn person_lists_page_filter_and_search() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let b = Caller::Browser(&office);
    let finance = app.unit("云岭县财政局").await;
    let someone = app.person_in(&finance).await;
    let number = someone.id_number.clone().unwrap();

    let first = app.get("/api/v1/persons?per_page=20", b).await.json();
    let third = app
        .get("/api/v1/persons?per_page=20&page=3", b)
        .await
        .json();
    let in_unit = app
        .get(
            &format!("/api/v1/persons?unit_id={}&per_page=500", finance.id),
            b,
        )
        .await
        .json();
    let by_id = app
        .get(&format!("/api/v1/persons?q={}", &number[..14]), b)
        .await
        .json();
    let by_name = app
        .get(
            &format!(
                "/api/v1/persons?q={}&per_page=500",
                form_encode(&someone.name)
            ),
            b,
        )
        .await
        .json();
    let one = app
        .get(&format!("/api/v1/persons/{}", someone.id), b)
        .await
        .json();

    let total = first["total"].as_i64().unwrap();
    let office_scope = xuncha_core::policy::scope(
        &app.actor("office").await,
        xuncha_core::policy::Action::ViewRegistry,
    )
    .unwrap();
    let in_scope = app.store.counts(&office_scope).await.unwrap().persons;
    assert_eq!(
        total, in_scope,
        "persons of the county's units (not those attached to no unit)"
    );
    assert!(total < app.person_count().await);
    assert_eq!(items(&first).len(), 20);
    assert_eq!(third["total"], total);
    assert!(items(&third)[0]["id"].as_i64() > items(&first)[19]["id"].as_i64());
    assert!(!items(&in_unit).is_empty());
    assert!(items(&in_unit)
        .iter()
        .all(|p| p["unit_id"] == finance.id && p["unit_name"] == "云岭县财政局"));
    assert!(items(&by_id).iter().any(|p| p["id"] == someone.id));
    assert!(items(&by_id)
        .iter()
        .all(|p| p["id_number"].as_str().unwrap().starts_with(&number[..14])));
    assert!(items(&by_name)
        .iter()
        .all(|p| p["name"].as_str().unwrap().starts_with(&someone.name)));
    assert!(items(&by_name).iter().any(|p| p["id"] == someone.id));
    assert_eq!(one["name"], someone.name.as_str());
    assert!(
        one.get("unit_path").is_none(),
        "internal paths are not exposed"
    );
}

#[tokio::test]
async fn id_numbers_are_masked_for_roles_that_may_not_see_them() {
    let app = TestApp::new().await;
    let finance = app.unit("云岭县财政局").await;
    let someone = app.person_in(&finance).await;
    let full = someone.id_number.clone().unwrap();
    let path = format!("/api/v1/persons?unit_id={}&per_page=500", finance.id);
    let bumen = app.session_as("bumen").await;
    let office = app.session_as("office").await;

    let masked = app.get(&path, Caller::Browser(&bumen)).await.json();
    let plain = app.get(&path, Caller::Browser(&office)).await.json();
    let masked_one = app
        .get(
            &format!("/api/v1/persons/{}", someone.id),
            Caller::Browser(&bumen),
        )
        .await
        .json();
    let page = app
        .get(&format!("/persons/{}", someone.id), Caller::Browser(&bumen))
        .await
        .text();

    let find =
        |v: &Value| items(v).iter().find(|p| p["id"] == someone.id).unwrap()["id_number"].clone();
    let m = find(&masked);
    let m = m.as_str().unwrap();
    assert!(m.contains("****"), "{m}");
    assert_eq!(m.len(), 18);
    assert_eq!(&m[..4], &full[..4]);
    assert_eq!(&m[14..], &full[14..]);
    assert!(items(&masked)
        .iter()
        .all(|p| p["id_number"].as_str().is_none_or(|n| n.contains("****"))));
    assert_eq!(find(&plain), full.as_str());
    assert_eq!(masked_one["id_number"], m);
    assert!(!page.contains(&full), "the detail page masks it too");
    assert!(page.contains(m));
}

#[tokio::test]
async fn a_bearer_token_reads_and_writes_without_a_csrf_token() {
    let app = TestApp::new().await;
    let token = token(&app, "office").await;
    let finance = app.unit("云岭县财政局").await;
    let body = serde_json::json!({
        "name": "令牌创建",
        "id_number": id_number("19880808", 17),
        "unit_id": finance.id,
        "position": "科员",
    });

    let list = app
        .get("/api/v1/units?per_page=1", Caller::Bearer(&token))
        .await;
    let created = app
        .post_json("/api/v1/persons", &body.to_string(), Caller::Bearer(&token))
        .await;
    let unit = app
        .post_json(
            "/api/v1/units",
            &serde_json::json!({ "parent_id": finance.id, "name": "令牌股", "kind": "other" })
                .to_string(),
            Caller::Bearer(&token),
        )
        .await;

    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(items(&list.json()).len(), 1);
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let p = created.json();
    assert_eq!(p["name"], "令牌创建");
    assert_eq!(p["gender"], "male");
    assert_eq!(p["birth_date"], "1988-08-08");
    assert_eq!(p["unit_name"], "云岭县财政局");
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.text());
    assert_eq!(
        unit.json()["path"],
        format!("{}{}/", finance.path, unit.json()["id"])
    );
}

#[tokio::test]
async fn a_cookie_write_without_the_csrf_header_is_refused() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let finance = app.unit("云岭县财政局").await;
    let body = serde_json::json!({ "name": "无令牌", "unit_id": finance.id }).to_string();
    let before = app.person_count().await;

    let refused = app
        .post_json(
            "/api/v1/persons",
            &body,
            Caller::BrowserWithoutCsrf(&office),
        )
        .await;
    let accepted = app
        .post_json("/api/v1/persons", &body, Caller::Browser(&office))
        .await;

    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "csrf");
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.text());
    assert_eq!(
        app.person_count().await,
        before + 1,
        "only the second request wrote"
    );
}

#[tokio::test]
async fn invalid_json_and_invalid_fields_answer_422_with_the_fields() {
    let app = TestApp::new().await;
    let token = token(&app, "office").await;
    let finance = app.unit("云岭县财政局").await;
    let bad_id =
        serde_json::json!({ "name": "", "id_number": "12345", "unit_id": finance.id }).to_string();

    let broken = app
        .post_json("/api/v1/persons", "{\"name\": ", Caller::Bearer(&token))
        .await;
    let wrong_type = app
        .post_json(
            "/api/v1/units",
            "{\"name\": 5, \"kind\": []}",
            Caller::Bearer(&token),
        )
        .await;
    let fields = app
        .post_json("/api/v1/persons", &bad_id, Caller::Bearer(&token))
        .await;

    for res in [&broken, &wrong_type] {
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        assert_eq!(res.json()["error"]["code"], "invalid");
        assert_eq!(res.json()["error"]["fields"][0]["field"], "body");
    }
    assert_eq!(fields.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = fields.json();
    let names: Vec<&str> = f["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["name", "id_number"]);
    assert!(f["error"]["fields"][1]["message"]
        .as_str()
        .unwrap()
        .contains("身份证号"));
}

#[tokio::test]
async fn an_unknown_api_path_answers_a_json_404() {
    let app = TestApp::new().await;
    let token = token(&app, "office").await;

    let res = app
        .get("/api/v1/no-such-thing", Caller::Bearer(&token))
        .await;
    let missing = app
        .get("/api/v1/persons/999999999", Caller::Bearer(&token))
        .await;

    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.json()["error"]["code"], "no_route");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn every_api_route_is_served_and_documented() {
    let app = TestApp::new().await;
    let token = token(&app, "admin").await;
    let unit = app.unit("云岭县财政局").await;
    let person = app.person_in(&unit).await;
    let doc = app.get("/api/v1/openapi.json", Caller::Anonymous).await;
    assert_eq!(doc.status, StatusCode::OK, "the document needs no login");
    let doc = doc.json();

    let mut problems = Vec::new();
    for (method, path) in xuncha_web::API_ROUTES {
        let id = if path.starts_with("/persons") {
            person.id
        } else {
            unit.id
        };
        let concrete = format!(
            "/api/v1{}",
            path.replace("{id}", &id.to_string())
                .replace("{kind}", "paper")
        );
        let res = match method
            .to_uppercase()
            .parse::<Method>()
            .unwrap_or_else(|_| panic!("method {method}"))
        {
            Method::GET => app.get(&concrete, Caller::Bearer(&token)).await,
            Method::POST => app.post_json(&concrete, "{}", Caller::Bearer(&token)).await,
            Method::DELETE => app.delete(&concrete, Caller::Bearer(&token)).await,
            other => panic!("no request helper for {other}"),
        };
        let registry =
            path.starts_with("/units") || path.starts_with("/persons") || !path.contains('{');
        let served = match *method {
            "get" if registry => res.status == StatusCode::OK,
            // Round paths are called with ids of objects that do not exist:
            // the route answers (not found, or refuses the body) rather than
            // the router's fallback.
            _ if !registry => {
                res.status != StatusCode::NOT_FOUND || res.json()["error"]["code"] == "not_found"
            }
            // An empty body is refused by the API's own JSON extractor (the
            // fallback would answer 404 no_route instead).
            // …except where an empty body means "everything": a run of every
            // rule, the registry's lists.
            _ if ["/collide/runs", "/collide/datasets/registry"].contains(path) => {
                res.status.is_success()
            }
            _ => {
                res.status == StatusCode::UNPROCESSABLE_ENTITY
                    && res.json()["error"]["code"] == "invalid"
            }
        };
        if !served {
            problems.push(format!(
                "{method} {concrete} answered {}: {}",
                res.status,
                res.text()
            ));
        }
        if !doc["paths"][path][method].is_object() {
            problems.push(format!("{method} {path} is not in openapi.json"));
        }
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|ops| ops.as_object().map_or(0, |o| o.len()))
        .sum();

    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(
        documented,
        xuncha_web::API_ROUTES.len(),
        "no undocumented extras"
    );
    assert_eq!(doc["openapi"], "3.1.0");
}
