//! Cross-check hits through the router: the office and the discipline
//! commission read them, others are refused; a hit is confirmed (a dismissal
//! needs a reason, typed text kept) and turned into a clue of a round.

use axum::http::StatusCode;
use xuncha_core::collide::{CrossCheckEngine, NewHit};

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
    // A confirmed hit offers both: a clue, or a working paper with its category and basis.
    let page = app
        .get(&format!("/collide/hits/{id}"), Caller::Browser(&s))
        .await
        .text();
    assert!(page.contains("id=\"to-clue\"") && page.contains("id=\"p-category\""));
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

/// The value of the hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name}: {html}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Issue 6: two lists imported in the browser (one header mapped by hand on
/// the mapping screen), the payroll template run in the background, its hit
/// listed; others cannot import, run or read a run.
#[tokio::test]
async fn lists_are_imported_with_a_mapping_and_a_run_finds_the_hit() {
    use crate::helpers::{id_number, with_bad_checksum, xlsx};
    let app = TestApp::new().await;
    let s = app.session_as("office").await;
    let r = app.get("/collide/data", Caller::Browser(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    let both = id_number("19700101", 11);
    // 待遇名目 is no usual header of the programme: the user maps it.
    let subsidy = xlsx(
        &["姓名", "身份证号", "待遇名目", "村"],
        &[
            vec![
                "韦大成".into(),
                both.clone(),
                "农村低保".into(),
                "石门村".into(),
            ],
            vec![
                "覃二妹".into(),
                with_bad_checksum(&id_number("19800202", 22)),
                "农村低保".into(),
                "石门村".into(),
            ],
        ],
    );
    let fields = [
        ("csrf", s.csrf.as_str()),
        ("kind", "subsidy"),
        ("name", "低保名册"),
        ("source", "县民政局"),
    ];
    let r = app
        .post_multipart(
            "/collide/data/upload",
            &s,
            &fields,
            Some(("低保.xlsx", XLSX, &subsidy)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(page.contains("<option value=\"姓名\" selected>"), "{page}");
    assert!(page.contains("name=\"map.programme\""));
    assert!(!page.contains("<option value=\"待遇名目\" selected>"));
    let token = hidden(&page, "upload");
    let confirm = |programme: &'static str, token: String, csrf: String| {
        vec![
            ("csrf".to_owned(), csrf),
            ("upload".to_owned(), token),
            ("kind".to_owned(), "subsidy".to_owned()),
            ("name".to_owned(), "低保名册".to_owned()),
            ("source".to_owned(), "县民政局".to_owned()),
            ("map.name".to_owned(), "姓名".to_owned()),
            ("map.id_number".to_owned(), "身份证号".to_owned()),
            ("map.programme".to_owned(), programme.to_owned()),
            ("map.village".to_owned(), "村".to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let app = &app;
        let s = &s;
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post_form("/collide/data/import", &f, Some(s)).await
        }
    };
    // Left unmapped, the required field stops the import and the screen stays.
    let r = post(confirm("", token.clone(), s.csrf.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("救助类别"), "{}", r.text());
    assert!(r.text().contains("mapping-form"));
    // Another user cannot use this upload, even one who may import.
    let jiwei = app.session_as("jiwei").await;
    let mut theirs = confirm("待遇名目", token.clone(), jiwei.csrf.clone());
    theirs[3].1 = "偷看".into();
    let f: Vec<(&str, &str)> = theirs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .post_form("/collide/data/import", &f, Some(&jiwei))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("过期"), "{}", r.text());
    let r = post(confirm("待遇名目", token, s.csrf.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let result = r.text();
    assert!(result.contains("低保名册"), "{result}");
    assert!(
        result.contains("<td class=\"num\">3</td><td>身份证号</td>"),
        "{result}"
    );

    // The payroll list maps by itself.
    let payroll = xlsx(
        &["姓名", "身份证号", "工作单位"],
        &[vec!["韦大成".into(), both.clone(), "县财政局".into()]],
    );
    let fields = [
        ("csrf", s.csrf.as_str()),
        ("kind", "payroll"),
        ("name", "财政供养人员"),
        ("source", "县财政局"),
    ];
    let r = app
        .post_multipart(
            "/collide/data/upload",
            &s,
            &fields,
            Some(("供养.xlsx", XLSX, &payroll)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let token = hidden(&r.text(), "upload");
    let r = app
        .post_form(
            "/collide/data/import",
            &[
                ("csrf", &s.csrf),
                ("upload", &token),
                ("kind", "payroll"),
                ("name", "财政供养人员"),
                ("source", "县财政局"),
            ],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let data = app.get("/collide/data", Caller::Browser(&s)).await.text();
    assert!(
        data.contains("财政供养人员") && data.contains("县民政局"),
        "{data}"
    );
    // The report stays with the data set.
    assert!(data.contains("/collide/data/problems?name=%E4%BD%8E%E4%BF%9D%E5%90%8D%E5%86%8C"));
    let kept = app
        .get(
            "/collide/data/problems?name=%E4%BD%8E%E4%BF%9D%E5%90%8D%E5%86%8C",
            Caller::Browser(&s),
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK);
    assert!(kept
        .text()
        .contains("<td class=\"num\">3</td><td>身份证号</td>"));
    let r = app
        .get("/collide/data/problems?name=nothing", Caller::Browser(&s))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Neither a team leader nor the inspected unit may import or run.
    for user in ["zuzhang", "beixuncha"] {
        let u = app.session_as(user).await;
        let r = app.get("/collide/data", Caller::Browser(&u)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        let r = app
            .post_form(
                "/collide/runs",
                &[("csrf", &u.csrf), ("rule", "recipient-is-payroll")],
                Some(&u),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }

    let r = app
        .post_form(
            "/collide/runs",
            &[("csrf", &s.csrf), ("rule", "recipient-is-payroll")],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let run = r.header("location").unwrap().to_owned();
    let mut status = serde_json::Value::Null;
    for _ in 0..600 {
        status = app
            .get(&format!("{run}/status"), Caller::Browser(&s))
            .await
            .json();
        if status["finished"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["finished"], true, "{status}");
    assert_eq!(status["error"], serde_json::Value::Null, "{status}");
    assert_eq!(status["summary"]["new"], 1, "{status}");
    let page = app.get(&run, Caller::Browser(&s)).await.text();
    assert!(page.contains("href=\"/collide\" id=\"run-hits\""), "{page}");
    assert!(
        !page.contains("http-equiv"),
        "a finished run stops refreshing"
    );
    // A run is its starter's: others do not learn of it.
    let r = app.get(&run, Caller::Browser(&jiwei)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let zuzhang = app.session_as("zuzhang").await;
    let r = app.get(&run, Caller::Browser(&zuzhang)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let hits = app.get("/collide", Caller::Browser(&s)).await.text();
    assert!(hits.contains("韦大成"), "{hits}");
    let audit = app
        .store
        .audit_page(xuncha_core::registry::PageRequest::new(Some(1), Some(50)))
        .await
        .unwrap();
    let imports = audit
        .items
        .iter()
        .filter(|a| a.action == "collide.import")
        .count();
    assert_eq!(imports, 2);
}

/// Loads a payroll list (CSV, county finance bureau) straight into the app's engine.
fn import_payroll(app: &TestApp, name: &str, csv: &str) {
    app.collide_engine()
        .import(
            &xuncha_core::collide::DatasetRequest {
                kind: "payroll".into(),
                name: name.into(),
                source_department: Some("县财政局".into()),
                source_file: "供养.csv".into(),
                imported_by: "office".into(),
                imported_at: "2026-11-28 09:00".into(),
                mapping: vec![],
            },
            csv.as_bytes(),
        )
        .expect("import");
}

/// Issue 5 (same person): the person page lists the rows of the cross-check lists about the
/// person — by ID number — for those who may work with the lists, and audits each look; a team
/// leader sees the person but not the lists.
#[tokio::test]
async fn the_person_page_lists_the_rows_of_the_lists_about_the_person() {
    let app = TestApp::new().await;
    let unit = app.unit("云岭县民政局").await;
    let person = app.person_in(&unit).await;
    let id_number = person
        .id_number
        .clone()
        .expect("demo persons have ID numbers");
    // The person's ID number in a payroll list, and a namesake with another number.
    let list = format!(
        "姓名,身份证号,工作单位\n{name},{id_number},县财政局\n{name},{other},县水利局\n",
        name = person.name,
        other = crate::helpers::id_number("19700101", 11),
    );
    import_payroll(&app, "财政供养人员", &list);
    let s = app.session_as("office").await;
    let page = app
        .get(&format!("/persons/{}", person.id), Caller::Browser(&s))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("id=\"dataset-rows\""), "{text}");
    assert!(
        text.contains("身份证号码一致") && text.contains("县财政局"),
        "{text}"
    );
    assert!(
        !text.contains("县水利局"),
        "a namesake with another ID number is someone else"
    );
    let audit = app
        .store
        .audit_of("person", &person.id.to_string(), 20)
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "collide.person_rows"));
    // The leading group reads the registry but does not work with the lists.
    let leader = app.session_as("leader").await;
    let page = app
        .get(&format!("/persons/{}", person.id), Caller::Browser(&leader))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("id=\"dataset-rows\""));
    assert!(!page.text().contains("县财政局"));
}

/// A data set is removed from the list page (after its confirmation), audited with its
/// provenance; recorded hits stay; those who may not import cannot remove.
#[tokio::test]
async fn a_data_set_is_removed_by_those_who_may_import() {
    let app = TestApp::new().await;
    let list = format!(
        "姓名,身份证号,工作单位\n韦大成,{},县财政局\n",
        crate::helpers::id_number("19700101", 11)
    );
    import_payroll(&app, "财政供养人员2026", &list);
    let s = app.session_as("office").await;
    let page = app.get("/collide/data", Caller::Browser(&s)).await.text();
    assert!(
        page.contains("财政供养人员2026") && page.contains("确认删除该名单"),
        "{page}"
    );
    // A team leader may not; an unknown name is not found.
    let zuzhang = app.session_as("zuzhang").await;
    let r = app
        .post_form(
            "/collide/data/remove",
            &[("csrf", &zuzhang.csrf), ("name", "财政供养人员2026")],
            Some(&zuzhang),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            "/collide/data/remove",
            &[("csrf", &s.csrf), ("name", "没有这个名单")],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_form(
            "/collide/data/remove",
            &[("csrf", &s.csrf), ("name", "财政供养人员2026")],
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get("/collide/data", Caller::Browser(&s)).await.text();
    assert!(!page.contains("财政供养人员2026"), "{page}");
    assert!(app.collide_engine().datasets().expect("list").is_empty());
    let audit = app
        .store
        .audit_of("collide_dataset", "财政供养人员2026", 5)
        .await
        .unwrap();
    let removed = audit
        .iter()
        .find(|a| a.action == "collide.remove")
        .expect("audited");
    assert!(removed
        .before
        .as_ref()
        .is_some_and(|b| b.contains("县财政局")));
}
