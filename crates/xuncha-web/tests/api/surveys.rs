//! Surveys through the router: the office builds and opens an evaluation,
//! the codes exist in plain text only in the slips document, a code answers
//! once (the public pages set no cookie), a failed sheet keeps its choices,
//! and only those who may see the unit's work read the results.

use std::io::Read;

use axum::http::StatusCode;

use crate::helpers::{Caller, TestApp};

fn codes_in(docx: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.match_indices("测评码：")
        .map(|(i, m)| xml[i + m.len()..i + m.len() + 11].to_owned())
        .collect()
}

#[tokio::test]
async fn a_survey_is_answered_once_per_code_and_read_by_those_who_may() {
    let app = TestApp::new().await;
    let office = app.session_as("office").await;
    let target = app
        .store
        .targets_of(2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_name == "云岭县民政局")
        .unwrap();
    let tid = target.id.to_string();
    let res = app
        .post_form(
            "/surveys",
            &[
                ("csrf", &office.csrf),
                ("kind", "evaluation"),
                ("target_id", &tid),
                ("title", "民政局领导班子民主测评"),
                ("subjects", "领导班子\n局长"),
                ("scale", "好/较好/一般/差/不了解"),
                ("scheme", "coefficients"),
                ("values", "1,0.8,0.6,0"),
                (
                    "questions",
                    "评价：坚持党的领导\n单选：总体评价｜满意/不满意",
                ),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let at = res.header("location").unwrap().to_owned();
    let res = app
        .post_form(
            &format!("{at}/status"),
            &[("csrf", &office.csrf), ("to", "open")],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &format!("{at}/codes"),
            &[("csrf", &office.csrf), ("count", "2")],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let codes = codes_in(&res.body);
    assert_eq!(codes.len(), 2);
    assert!(!app
        .get(&at, Caller::Browser(&office))
        .await
        .text()
        .contains(&codes[0]));

    // The public answers: a missing answer is named and the choice stays.
    let open = app.post_form("/s", &[("code", &codes[0])], None).await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.set_cookies().is_empty());
    let partial = app
        .post_form("/s/answer", &[("code", &codes[0]), ("q0s0", "0")], None)
        .await;
    assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        partial.text().contains("第1题对“局长”的评价未作答"),
        "{}",
        partial.text()
    );
    assert!(partial
        .text()
        .contains(r#"name="q0s0" value="0" aria-label="领导班子 好" checked"#));
    let full = [
        ("code", codes[0].as_str()),
        ("q0s0", "0"),
        ("q0s1", "1"),
        ("q1", "0"),
    ];
    let done = app.post_form("/s/answer", &full, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.set_cookies().is_empty());
    let again = app.post_form("/s/answer", &full, None).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("已使用"));

    // Results: the office and the unit's team read them; others do not.
    let results = app
        .get(&format!("{at}/results"), Caller::Browser(&office))
        .await;
    assert!(results.text().contains("收回 1"), "{}", results.text());
    let xlsx = app
        .get(&format!("{at}/results.xlsx"), Caller::Browser(&office))
        .await;
    let table = xuncha_office::read_table(&xlsx.body, "r.xlsx").unwrap();
    assert!(
        table.rows[1].cells.iter().any(|c| c == "80"),
        "局长: 较好 = 0.8 × 100"
    );
    for (user, status) in [
        ("zuzhang", StatusCode::OK),
        ("leader", StatusCode::OK),
        ("zuzhang2", StatusCode::NOT_FOUND),
        ("beixuncha", StatusCode::FORBIDDEN),
        ("jiwei", StatusCode::FORBIDDEN),
    ] {
        let s = app.session_as(user).await;
        let r = app.get(&format!("{at}/results"), Caller::Browser(&s)).await;
        assert_eq!(r.status, status, "{user}");
    }
    // A member of the team cannot issue codes.
    let member = app.session_as("zuyuan").await;
    let r = app
        .post_form(
            &format!("{at}/codes"),
            &[("csrf", &member.csrf), ("count", "5")],
            Some(&member),
        )
        .await;
    assert_ne!(r.status, StatusCode::OK);
}
