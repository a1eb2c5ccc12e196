//! The rules page and the run form in the browser: templates with their
//! basis, parameters and SQL; a custom rule tried (nothing stored) and
//! saved, a refused one keeping what was typed; a run refused for a bad
//! parameter keeping the choices; those who may not run checks refused.

use axum::http::StatusCode;
use xuncha_core::collide::{CrossCheckEngine, DatasetRequest};

use crate::helpers::{id_number, Caller, TestApp};

fn load(app: &TestApp, kind: &str, name: &str, csv: &str) {
    app.collide_engine()
        .import(
            &DatasetRequest {
                kind: kind.into(),
                name: name.into(),
                source_department: Some("县民政局".into()),
                source_file: format!("{name}.csv"),
                imported_by: "office".into(),
                imported_at: "2026-11-28 09:00".into(),
                mapping: vec![("programme".into(), "待遇名目".into())]
                    .into_iter()
                    .filter(|_| kind == "subsidy")
                    .collect(),
            },
            csv.as_bytes(),
        )
        .expect("import");
}

#[tokio::test]
async fn custom_rules_are_tried_saved_and_run_with_parameters_from_the_browser() {
    let app = TestApp::new().await;
    let a = id_number("19700101", 11);
    load(
        &app,
        "subsidy",
        "dibao",
        &format!("姓名,身份证号,待遇名目,乡镇,村\n韦大成,{a},农村低保,青石镇,青石村\n"),
    );
    load(
        &app,
        "vehicle",
        "cheliang",
        &format!("姓名,身份证号,车牌号,车辆价值\n韦大成,{a},桂A12345,120000\n"),
    );
    let s = app.session_as("office").await;
    let page = app.get("/collide/rules", Caller::Browser(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for shown in [
        "享受救助人员名下登记有车辆",
        "价值下限（元）",
        "《最低生活保障审核确认办法》",
        "FROM subsidy",
        "id=\"tables\"",
        "vehicle_type",
    ] {
        assert!(text.contains(shown), "{shown}");
    }
    // A trial of SQL that reads a table that does not exist: refused, the SQL kept.
    let bad = "SELECT name AS subject_name FROM nowhere WHERE name <> 'x'";
    let r = app
        .post_form(
            "/collide/rules",
            &[
                ("csrf", &s.csrf),
                ("action", "preview"),
                ("id", "dear-car"),
                ("title", "名下车辆价值十万元以上"),
                ("basis", ""),
                ("sql", bad),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("nowhere"), "{}", r.text());
    assert!(
        r.text()
            .contains("WHERE name &#60;&#62; &#39;x&#39;</textarea>"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"名下车辆价值十万元以上\""));
    // A good trial lists the hits and stores nothing.
    let sql = "SELECT s.name AS subject_name, s.id_number AS subject_id_number FROM subsidy s JOIN vehicle v ON s.id_key = v.id_key WHERE v.value >= 100000";
    let fields = |action: &'static str, title: &'static str| {
        vec![
            ("csrf", s.csrf.clone()),
            ("action", action.into()),
            ("id", "dear-car".into()),
            ("title", title.into()),
            ("basis", "家庭财产状况".into()),
            ("sql", sql.into()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let app = &app;
        let s = &s;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form("/collide/rules", &pairs, Some(s)).await
        }
    };
    let r = send(fields("preview", "名下车辆价值十万元以上")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("共 1 条命中") && r.text().contains("韦大成"),
        "{}",
        r.text()
    );
    assert!(app
        .collide_engine()
        .rules()
        .unwrap()
        .iter()
        .all(|r| !r.custom));
    // Saving without a title is refused with the rest kept.
    let r = send(fields("save", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写规则名称") && r.text().contains("value=\"dear-car\""));
    let r = send(fields("save", "名下车辆价值十万元以上")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let saved = app
        .get(r.header("location").unwrap(), Caller::Browser(&s))
        .await
        .text();
    assert!(
        saved.contains("已保存规则「名下车辆价值十万元以上」")
            && saved.contains("id=\"custom-dear-car\""),
        "{saved}"
    );
    // The run form offers it, and a template's parameter; a bad value keeps the choices.
    let data = app.get("/collide/data", Caller::Browser(&s)).await.text();
    assert!(
        data.contains("value=\"dear-car\"")
            && data.contains("name=\"param.recipient-owns-vehicle.min_value\" value=\"0\""),
        "{data}"
    );
    let r = app
        .post_form(
            "/collide/runs",
            &[
                ("csrf", &s.csrf),
                ("rule", "recipient-owns-vehicle"),
                ("param.recipient-owns-vehicle.min_value", "十万"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let text = r.text();
    assert!(text.contains("min_value=「十万」无效"), "{text}");
    assert!(
        text.contains("value=\"十万\"")
            && text.contains(
                "value=\"recipient-owns-vehicle\" id=\"rule-recipient-owns-vehicle\" checked"
            ),
        "{text}"
    );
    // Removing it; a team leader sees none of this.
    let r = app
        .post_form(
            "/collide/rules/remove",
            &[("csrf", &s.csrf), ("id", "dear-car")],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app
        .collide_engine()
        .rules()
        .unwrap()
        .iter()
        .all(|r| !r.custom));
    let audit = app
        .store
        .audit_of("collide_rule", "dear-car", 5)
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "collide.rule_remove"));
    let z = app.session_as("zuzhang").await;
    assert_eq!(
        app.get("/collide/rules", Caller::Browser(&z)).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The registry's persons and relations become lists of the cross-checks: a recipient who is a
/// village cadre in the registry is found without any list from the villages; a second import
/// replaces the first; a team leader may not.
#[tokio::test]
async fn the_registry_becomes_lists_that_rules_run_against() {
    let app = TestApp::new().await;
    let cadre = app.person_in(&app.unit("青石村").await).await;
    let id = cadre
        .id_number
        .clone()
        .expect("demo persons have ID numbers");
    load(
        &app,
        "subsidy",
        "dibao",
        &format!(
            "姓名,身份证号,待遇名目,乡镇,村\n{},{id},农村低保,青石镇,青石村\n",
            cadre.name
        ),
    );
    let s = app.session_as("office").await;
    let page = app.get("/collide/data", Caller::Browser(&s)).await.text();
    assert!(page.contains("id=\"registry-form\""));
    for _ in 0..2 {
        let r = app
            .post_form("/collide/data/registry", &[("csrf", &s.csrf)], Some(&s))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let sets = app.collide_engine().datasets().unwrap();
    let named = |n: &str| sets.iter().filter(|d| d.name == n).count();
    assert_eq!(named("人员库-村社区干部"), 1, "{sets:?}");
    assert_eq!(named("人员库-机关企事业单位人员"), 1);
    assert_eq!(named("人员库-亲属关系"), 1);
    assert!(sets
        .iter()
        .filter(|d| d.name.starts_with("人员库"))
        .all(|d| d.rows > 0 && d.source_department.as_deref() == Some("人员库")));
    let run = app
        .collide_engine()
        .run(
            &["recipient-is-village-cadre".to_owned()],
            &Default::default(),
            &|_, _, _| {},
        )
        .await
        .unwrap();
    let hit = run.hits.iter().find(|h| h.subject_name == cadre.name);
    assert!(
        hit.is_some_and(|h| h.strong && h.evidence.contains("人员库-村社区干部")),
        "{run:?}"
    );
    let z = app.session_as("zuzhang").await;
    let r = app
        .post_form("/collide/data/registry", &[("csrf", &z.csrf)], Some(&z))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
