//! 督办 through the router: the office supervises a petition being handled;
//! a failed form keeps what was typed and names the field; an unanswered
//! supervision past its deadline is flagged on the petition page, counted on
//! the desk and filtered in the register; a reply, then closing; the
//! 督办通知单 and the register's column; and who may supervise, every demo
//! user asked, as the policy decides.

use axum::http::StatusCode;
use xuncha_core::auth::Actor;
use xuncha_core::policy::{self, Action};
use xuncha_core::CoreError;

use crate::helpers::{Caller, TestApp};

const DAY: i64 = 86_400_000;
const TITLE: &str = "反映石桥村道路硬化工程长期停工";

/// A petition about 青石镇 registered, forwarded and accepted by the office;
/// its page's address.
async fn accepted_petition(app: &TestApp) -> String {
    let office = app.session_as("office").await;
    let unit = app.unit("青石镇").await.id.to_string();
    let res = app
        .post_form(
            "/petitions",
            &[
                ("csrf", &office.csrf),
                ("date", "2026-11-20"),
                ("channel", "letter"),
                ("category", "appeal"),
                ("unit_id", &unit),
                ("title", TITLE),
                (
                    "content",
                    "村道硬化工程开工半年后停工，雨天无法通行，请求督促完工。",
                ),
                ("name", "督办测试信访人"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let at = res.header("location").unwrap().to_owned();
    for (op, to) in [("forward", "青石镇人民政府"), ("accept", "")] {
        let res = app
            .post_form(
                &format!("{at}/step"),
                &[("csrf", &office.csrf), ("op", op), ("to", to)],
                Some(&office),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{op}: {}", res.text());
    }
    at
}

/// Overdue supervisions on the office's desk, as the use case counts them.
async fn overdue_count(app: &TestApp) -> i64 {
    let office = app.actor("office").await;
    xuncha_core::usecases::supervisions::overdue_count(
        app.store.as_ref(),
        app.clock.as_ref(),
        &office,
    )
    .await
    .unwrap()
}

/// The handling unit's reply, recorded by the office.
async fn reply(
    app: &TestApp,
    office: &crate::helpers::Session,
    at: &str,
    sid: i64,
    by: &str,
) -> crate::helpers::Res {
    app.post_form(
        &format!("{at}/supervisions/{sid}/reply"),
        &[
            ("csrf", &office.csrf),
            ("kind", "progress"),
            ("text", "已与施工方签订复工协议，12月底前完工"),
            ("by", by),
            ("date", "2026-12-06"),
        ],
        Some(office),
    )
    .await
}

#[tokio::test]
async fn the_office_supervises_a_petition_until_the_unit_replies() {
    let app = TestApp::new().await;
    let at = accepted_petition(&app).await;
    let office = app.session_as("office").await;

    // A failed form keeps what was typed and names the field.
    let failed = app
        .post_form(
            &format!("{at}/supervisions"),
            &[
                ("csrf", &office.csrf),
                ("level", "listed"),
                ("requirement", "请青石镇限期报送复工计划"),
                ("deadline", "2026-11-01"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = failed.text();
    assert!(html.contains("请青石镇限期报送复工计划"), "typed text kept");
    assert!(html.contains("回复期限不能早于今天"), "{html}");
    assert!(
        html.contains("<option value=\"listed\" selected>"),
        "level kept"
    );

    let ok = app
        .post_form(
            &format!("{at}/supervisions"),
            &[
                ("csrf", &office.csrf),
                ("level", "listed"),
                ("requirement", "请青石镇限期报送复工计划"),
                ("deadline", "2026-12-02"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let page = app.get(&at, Caller::Browser(&office)).await.text();
    assert!(
        page.contains("挂牌督办") && page.contains("待回复"),
        "{page}"
    );
    assert!(!page.contains("督办逾期"));
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    let sid = app.store.supervisions_of(&[id]).await.unwrap()[0].id;

    // Ten days on, the deadline has passed without a reply.
    app.clock.advance_ms(10 * DAY);
    let office = app.session_as("office").await;
    let page = app.get(&at, Caller::Browser(&office)).await.text();
    assert!(page.contains("督办逾期"), "flagged on the petition");
    // The desk counts them all in the office's scope (the demo county has
    // one of its own, about 白云镇).
    let overdue = overdue_count(&app).await;
    assert!(overdue >= 1);
    let home = app.get("/", Caller::Browser(&office)).await.text();
    assert!(
        home.contains(&format!("逾期未回复的督办事项： {overdue}")),
        "{home}"
    );
    let register = app
        .get("/petitions?show=supervision", Caller::Browser(&office))
        .await
        .text();
    assert!(register.contains(TITLE) && register.contains("督办逾期"));
    let all = app.get("/petitions", Caller::Browser(&office)).await.text();
    assert!(all.contains("只看督办逾期"));

    // Closing before a reply is refused; a reply missing its author is
    // refused with the text kept.
    let early = app
        .post_form(
            &format!("{at}/supervisions/{sid}/close"),
            &[("csrf", &office.csrf), ("note", "")],
            Some(&office),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().contains("承办单位回复后才能办结督办事项"));
    let missing = reply(&app, &office, &at, sid, "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = missing.text();
    assert!(html.contains("已与施工方签订复工协议"), "typed text kept");
    assert!(html.contains("此项不能为空"), "{html}");
    let done = reply(&app, &office, &at, sid, "青石镇人民政府 李某").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(overdue_count(&app).await, overdue - 1, "answered");
    let closed = app
        .post_form(
            &format!("{at}/supervisions/{sid}/close"),
            &[("csrf", &office.csrf), ("note", "已复工")],
            Some(&office),
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
    let page = app.get(&at, Caller::Browser(&office)).await.text();
    assert!(page.contains("已办结") && page.contains("青石镇人民政府 李某"));

    // The notice for the handling body (its text is checked in
    // xuncha-office); the register's export carries the supervision.
    let notice = app
        .get(
            &format!("{at}/supervisions/{sid}/notice.docx"),
            Caller::Browser(&office),
        )
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert_eq!(&notice.body[..2], b"PK");
    let leader = app.session_as("leader").await;
    assert_eq!(
        app.get(
            &format!("{at}/supervisions/{sid}/notice.docx"),
            Caller::Browser(&leader)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let xlsx = app
        .get("/petitions/export.xlsx", Caller::Browser(&office))
        .await;
    let table = xuncha_office::read_table(&xlsx.body, "register.xlsx").unwrap();
    let col = table.headers.iter().position(|h| h == "督办情况").unwrap();
    let row = table
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c == TITLE))
        .unwrap();
    assert!(
        row.cells[col].contains("挂牌督办（已办结"),
        "{:?}",
        row.cells
    );

    // Every step is audited on the petition.
    let trail = app
        .store
        .audit_of("petition", &id.to_string(), 50)
        .await
        .unwrap();
    for a in [
        "petition.supervise",
        "petition.supervision_reply",
        "petition.supervision_close",
    ] {
        assert!(trail.iter().any(|r| r.action == a), "{a}");
    }
}

/// What the policy says a supervision order by this user answers.
fn expected(actor: &Actor, path: &str) -> StatusCode {
    let decision = policy::scope(actor, Action::ViewPetitions)
        .map(|_| ())
        .and_then(|_| policy::check(actor, Action::ViewPetitions, Some(path)))
        .and_then(|_| policy::check(actor, Action::SupervisePetitions, Some(path)));
    match decision {
        Ok(()) => StatusCode::SEE_OTHER,
        Err(CoreError::Forbidden) => StatusCode::FORBIDDEN,
        Err(CoreError::NotFound) => StatusCode::NOT_FOUND,
        Err(e) => panic!("the policy answered {e:?}"),
    }
}

#[tokio::test]
async fn who_may_supervise_is_decided_by_the_policy() {
    let app = TestApp::new().await;
    let at = accepted_petition(&app).await;
    let path = app.unit("青石镇").await.path;
    let mut allowed = Vec::new();
    for user in [
        "admin",
        "office",
        "leader",
        "zuzhang",
        "fuzuzhang",
        "zuyuan",
        "jiwei",
        "zuzhibu",
        "bumen",
        "beixuncha",
        "zoufang",
        "jiancha",
    ] {
        let s = app.session_as(user).await;
        let actor = app.actor(user).await;
        let res = app
            .post_form(
                &format!("{at}/supervisions"),
                &[
                    ("csrf", &s.csrf),
                    ("level", "urge"),
                    ("requirement", "请加快办理"),
                    ("deadline", "2026-12-10"),
                ],
                Some(&s),
            )
            .await;
        assert_eq!(
            res.status,
            expected(&actor, &path),
            "{user}: {}",
            res.text()
        );
        if res.status == StatusCode::SEE_OTHER {
            allowed.push(user);
        }
    }
    assert_eq!(allowed, ["admin", "office"], "the office (and the admin)");
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(app.store.supervisions_of(&[id]).await.unwrap().len(), 2);
}
