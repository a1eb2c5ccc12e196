//! The cross-checks through the JSON API: lists imported with a corrected
//! mapping, a template run with a parameter in the background, the hit
//! attributed to the village its list names and verified; a custom rule
//! refused for what is wrong with it, tried, saved, run and removed; those
//! who may not run cross-checks refused.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{id_number, Caller, Session, TestApp};

const CSV: &str = "text/csv";

async fn import(
    app: &TestApp,
    s: &Session,
    kind: &str,
    name: &str,
    csv: &str,
    mapping: &str,
) -> crate::helpers::Res {
    let fields = [
        ("kind", kind),
        ("name", name),
        ("source", "县民政局"),
        ("mapping", mapping),
    ];
    app.post_multipart(
        "/api/v1/collide/datasets",
        s,
        &fields,
        Some(("list.csv", CSV, csv.as_bytes())),
    )
    .await
}

/// Starts a run and waits for it to finish; its status.
async fn run(app: &TestApp, s: &Session, body: &str) -> Value {
    let r = app
        .post_json("/api/v1/collide/runs", body, Caller::Browser(s))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let status = r.json()["status"].as_str().unwrap().to_owned();
    for _ in 0..400 {
        let st = app.get(&status, Caller::Browser(s)).await.json();
        if st["finished"] == Value::Bool(true) {
            return st;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the run did not finish");
}

fn field_of(r: &crate::helpers::Res) -> String {
    r.json()["error"]["fields"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn lists_rules_runs_and_hits_work_through_the_json_api() {
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let api = Caller::Browser(&s);
    let (a, b) = (id_number("19700101", 11), id_number("19800202", 22));
    let subsidy = format!(
        "姓名,身份证号,待遇名目,乡镇,村\n韦大成,{a},农村低保,青石镇,青石村\n覃二妹,{b},农村低保,白云镇,云台村\n"
    );
    // Broken mapping JSON, then a required field left unmapped: refused, nothing imported.
    let r = import(&app, &s, "subsidy", "dibao2026", &subsidy, "{oops").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field_of(&r), "mapping");
    let r = import(&app, &s, "subsidy", "dibao2026", &subsidy, "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(app
        .get("/api/v1/collide/datasets", api)
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    let r = import(
        &app,
        &s,
        "subsidy",
        "dibao2026",
        &subsidy,
        r#"{"programme": "待遇名目"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["dataset"]["rows"], 2);
    let vehicles = format!(
        "姓名,身份证号,车牌号,车辆价值\n韦大成,{a},桂A12345,120000\n覃二妹,{b},桂A54321,30000\n"
    );
    let r = import(&app, &s, "vehicle", "cheliang2026", &vehicles, "").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        app.get("/api/v1/collide/datasets", api)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let rules = app.get("/api/v1/collide/rules", api).await.json();
    let vehicle = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "recipient-owns-vehicle")
        .unwrap();
    assert_eq!(vehicle["ready"], true);
    assert_eq!(vehicle["params"][0]["key"], "min_value");
    assert!(vehicle["sql"].as_str().unwrap().contains("FROM subsidy"));

    // A parameter is checked before the run starts; a valid one narrows the hits.
    let bad = r#"{"rules": ["recipient-owns-vehicle"], "params": {"recipient-owns-vehicle": {"min_value": "十万"}}}"#;
    let r = app.post_json("/api/v1/collide/runs", bad, api).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field_of(&r), "rules");
    let st = run(&app, &s, r#"{"rules": ["recipient-owns-vehicle"], "params": {"recipient-owns-vehicle": {"min_value": "50000"}}}"#).await;
    assert_eq!(st["summary"]["new"], 1, "{st}");
    let hits = app
        .get("/api/v1/collide/hits?rule=recipient-owns-vehicle", api)
        .await
        .json();
    let hit = &hits["items"][0];
    assert_eq!(hits["items"].as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hit["subject_name"], "韦大成");
    assert_eq!(hit["place"], "青石镇/青石村");
    // Attributed to the village of the registry, not to the county.
    assert_eq!(hit["unit_id"], app.unit("青石村").await.id);
    let id = hit["id"].as_i64().unwrap();
    let body = format!(
        r#"{{"state": "confirmed", "note": "经核实，车辆登记在本人名下", "version": {}}}"#,
        hit["version"]
    );
    let r = app
        .post_json(&format!("/api/v1/collide/hits/{id}/triage"), &body, api)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["state"], "confirmed");
    assert_eq!(
        app.get("/api/v1/collide/hits?state=nonsense", api)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Custom rules: what is wrong is named by field.
    for (body, field) in [
        (
            r#"{"id": "dear-car", "title": "车", "sql": "SELECT name AS subject_name FROM nowhere"}"#,
            "sql",
        ),
        (
            r#"{"id": "dear-car", "title": "车", "sql": "DROP TABLE subsidy"}"#,
            "sql",
        ),
        (
            r#"{"id": "dear-car", "title": "车", "sql": "SELECT name FROM subsidy"}"#,
            "sql",
        ),
        (
            r#"{"id": "recipient-owns-vehicle", "title": "车", "sql": "SELECT name AS subject_name FROM subsidy"}"#,
            "id",
        ),
        (
            r#"{"id": "dear-car", "title": " ", "sql": "SELECT name AS subject_name FROM subsidy"}"#,
            "title",
        ),
    ] {
        let r = app.post_json("/api/v1/collide/rules", body, api).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        assert_eq!(field_of(&r), field, "{body}");
    }
    let sql =
        "SELECT s.id_number AS subject_id_number, s.name AS subject_name, s.village AS place \
               FROM subsidy s JOIN vehicle v ON s.id_key = v.id_key WHERE v.value >= 100000";
    let preview = app
        .post_json(
            "/api/v1/collide/rules/preview",
            &serde_json::json!({ "sql": sql }).to_string(),
            api,
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert_eq!(preview.json()["total"], 1);
    assert_eq!(preview.json()["hits"][0]["place"], "青石村");
    let rule = serde_json::json!({ "id": "dear-car", "title": "名下车辆价值十万元以上", "basis": "家庭财产状况", "sql": sql });
    let r = app
        .post_json("/api/v1/collide/rules", &rule.to_string(), api)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["created_by"], "office");
    let st = run(&app, &s, r#"{"rules": ["dear-car"]}"#).await;
    assert_eq!(st["summary"]["new"], 1, "{st}");
    let tried = app
        .store
        .audit_of("collide_rule", "preview", 5)
        .await
        .unwrap();
    assert!(tried.iter().any(|a| a.action == "collide.rule_preview"
        && a.after.as_deref().is_some_and(|v| v.contains("100000"))));
    let saved = app
        .store
        .audit_of("collide_rule", "dear-car", 5)
        .await
        .unwrap();
    assert!(saved.iter().any(|a| a.action == "collide.rule_save"));
    assert_eq!(
        app.delete("/api/v1/collide/rules/dear-car", api)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete("/api/v1/collide/rules/dear-car", api)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete("/api/v1/collide/rules/recipient-owns-vehicle", api)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete("/api/v1/collide/datasets/cheliang2026", api)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/collide/datasets", api)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Those who may not run cross-checks are refused everywhere.
    let z = app.session_as("zuzhang").await;
    let zc = Caller::Browser(&z);
    assert_eq!(
        app.get("/api/v1/collide/datasets", zc).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/collide/rules", zc).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json("/api/v1/collide/runs", "{}", zc).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json("/api/v1/collide/rules", &rule.to_string(), zc)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/api/v1/collide/hits/{id}"), zc)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Writes with a session need the CSRF header.
    let r = app
        .post_json("/api/v1/collide/runs", "{}", Caller::BrowserWithoutCsrf(&s))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
