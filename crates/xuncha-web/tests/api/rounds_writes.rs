//! The 巡察 round's writes through the real router: a table of POSTs (page
//! forms with the session's CSRF token, and the JSON API with a bearer token)
//! by users who must be refused — each answered 403 or 404 and leaving the
//! audit trail, the records and the round untouched — then the same requests
//! by users who may, so the refusals are not bad input; and a finished round,
//! whose fieldwork is closed while its rectification goes on.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{json, Value};
use xuncha_core::inspection::record::{RecordKind, StoredRecord};

use crate::helpers::{Caller, Res, Session, TestApp};
use crate::rounds::{
    records, refused, token, Demo, AGRICULTURE, CHENGGUAN, QINGSHI, REVITALISATION, USERS,
};

/// How a POST is sent.
enum How {
    /// A page form with the session's CSRF token.
    Form(Vec<(&'static str, String)>),
    /// A page form with this CSRF field (`None`: none at all).
    FormCsrf(Option<&'static str>, Vec<(&'static str, String)>),
    /// JSON with the user's bearer token.
    Api(Value),
    /// JSON on the user's cookie session, without `X-CSRF-Token`.
    ApiCookieWithoutCsrf(Value),
}

/// One POST of the table.
struct Attempt {
    who: &'static str,
    why: &'static str,
    path: String,
    how: How,
    /// A record the POST names, whose version must not move.
    record: Option<i64>,
    want: StatusCode,
}

fn attempt(who: &'static str, why: &'static str, path: String, how: How, want: u16) -> Attempt {
    Attempt {
        who,
        why,
        path,
        how,
        record: None,
        want: StatusCode::from_u16(want).unwrap(),
    }
}

impl Attempt {
    fn on(mut self, record: i64) -> Attempt {
        self.record = Some(record);
        self
    }
}

/// Sessions and tokens opened before anything is counted (opening one
/// writes an audit record).
struct Callers {
    sessions: HashMap<&'static str, Session>,
    tokens: HashMap<&'static str, String>,
}

impl Callers {
    async fn open(app: &TestApp) -> Callers {
        let mut c = Callers {
            sessions: HashMap::new(),
            tokens: HashMap::new(),
        };
        for u in USERS {
            c.sessions.insert(u, app.session_as(u).await);
            c.tokens.insert(u, token(app, u).await);
        }
        c
    }

    async fn send(&self, app: &TestApp, a: &Attempt) -> Res {
        let s = &self.sessions[a.who];
        let form = |csrf: Option<&str>, fields: &[(&'static str, String)]| {
            let mut f: Vec<(&str, &str)> = csrf.map(|c| ("csrf", c)).into_iter().collect();
            f.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            f.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>()
        };
        let fields = match &a.how {
            How::Form(f) => form(Some(&s.csrf), f),
            How::FormCsrf(csrf, f) => form(*csrf, f),
            How::Api(body) => {
                let caller = Caller::Bearer(&self.tokens[a.who]);
                return app.post_json(&a.path, &body.to_string(), caller).await;
            }
            How::ApiCookieWithoutCsrf(body) => {
                let caller = Caller::BrowserWithoutCsrf(s);
                return app.post_json(&a.path, &body.to_string(), caller).await;
            }
        };
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post_form(&a.path, &fields, Some(s)).await
    }
}

/// What a refused write must leave as it was.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    audit_seq: i64,
    records: usize,
    targets: usize,
    teams: usize,
    version: Option<i64>,
}

async fn snapshot(app: &TestApp, d: &Demo, record: Option<i64>) -> Snapshot {
    let s = &app.store;
    let mut records = 0;
    let mut targets = 0;
    let mut teams = 0;
    for r in [d.finished.id, d.active.id] {
        records += s.records_of_round(r).await.unwrap().len();
        targets += s.targets_of(r).await.unwrap().len();
        teams += s.teams_of(r).await.unwrap().len();
    }
    let version = match record {
        Some(id) => Some(s.get_record(id).await.unwrap().meta.version),
        None => None,
    };
    Snapshot {
        audit_seq: s.audit_head().await.unwrap().0,
        records,
        targets,
        teams,
        version,
    }
}

fn fieldwork_form() -> Vec<(&'static str, String)> {
    [("method", "hearing"), ("date", "2026-11-26"), ("participants", "甲、乙"), ("notes", "听取汇报")]
        .map(|(k, v)| (k, v.to_owned()))
        .to_vec()
}

fn fieldwork_json() -> Value {
    json!({"method": "hearing", "date": "2026-11-26", "participants": "甲、乙", "notes": "听取汇报"})
}

fn paper_json() -> Value {
    json!({"category": "四个落实/落实巡察整改", "source": "files", "summary": "测试底稿",
           "facts": "事实", "basis": "依据"})
}

fn tagged(prefix: &'static str) -> impl Fn(&StoredRecord) -> bool {
    move |r| r.meta.tag.as_deref().is_some_and(|x| x.starts_with(prefix))
}

fn first<'a>(rs: &'a [StoredRecord], what: &str, pick: impl Fn(&StoredRecord) -> bool) -> &'a StoredRecord {
    rs.iter().find(|r| pick(r)).unwrap_or_else(|| panic!("the demo has no {what}"))
}

#[tokio::test]
async fn refused_writes_answer_403_or_404_and_change_nothing() {
    // Arrange: a submitted report to decide and a reported item to verify.
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let c = Callers::open(&app).await;
    let (t1, t2) = (d.target(QINGSHI).id, d.target(AGRICULTURE).id);
    let (t3, t5, r2) = (d.target(REVITALISATION).id, d.target(CHENGGUAN).id, d.active.id);
    let zuzhang = Caller::Bearer(&c.tokens["zuzhang"]);
    let res = app.post_json(&format!("/api/v1/targets/{t3}/reports"), r#"{"kind":"final"}"#, zuzhang).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let report = res.json()["id"].as_i64().unwrap();
    let res = app.post_json(&format!("/api/v1/reports/{report}/submit"), "{}", zuzhang).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let own_items = records(&app, RecordKind::RectItem, None, Some(t1)).await;
    let own_item = first(&own_items, "open 青石镇 item", |r| r.meta.status == "open").meta.id;
    let done = json!({"note": "已全部完成", "done": true}).to_string();
    let unit = Caller::Bearer(&c.tokens["beixuncha"]);
    let res = app.post_json(&format!("/api/v1/rect-items/{own_item}/progress"), &done, unit).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let agri_items = records(&app, RecordKind::RectItem, None, Some(t2)).await;
    let agri_item = first(&agri_items, "reported item", |r| r.meta.status == "reported").meta.id;
    let papers = records(&app, RecordKind::Paper, None, Some(t3)).await;
    let paper = first(&papers, "draft paper", |r| r.meta.status == "draft").meta.id;
    let clues = records(&app, RecordKind::Clue, Some(r2), None).await;
    let clue = first(&clues, "round-2 clue", |_| true);
    let (clue_target, clue) = (clue.meta.target_id, clue.meta.id);
    let transfers = records(&app, RecordKind::Transfer, None, None).await;
    let to_jiwei = first(&transfers, "纪委 transfer", tagged("discipline")).meta.id;
    let to_zuzhibu = first(&transfers, "组织部 transfer", tagged("organisation")).meta.id;
    let to_bumen = first(&transfers, "财政局 transfer", tagged("department")).meta.id;
    let finance = app.unit("云岭县财政局").await.id.to_string();
    let accept = || json!({"accept": true});
    let verify = |id: i64| vec![("record_id", id.to_string()), ("decision", "accept".into())];
    let disposal = json!({"disposal": "rectify", "four_forms": "none", "feedback": "已督促整改"});

    let table = vec![
        // A recused user, on the unit she is recused from.
        attempt("zuyuan", "recused", format!("/targets/{t5}/fieldwork"), How::Form(fieldwork_form()), 404),
        attempt("zuyuan", "recused", format!("/api/v1/targets/{t5}/fieldwork"), How::Api(fieldwork_json()), 404),
        attempt("zuyuan", "recused", format!("/api/v1/targets/{t5}/papers"), How::Api(paper_json()), 404),
        // Team members on another team's target.
        attempt("zuzhang", "other team", format!("/targets/{t5}/fieldwork"), How::Form(fieldwork_form()), 404),
        attempt("zuzhang", "other team", format!("/api/v1/targets/{t5}/papers"), How::Api(paper_json()), 404),
        attempt("zuyuan2", "other team", format!("/api/v1/targets/{t3}/fieldwork"), How::Api(fieldwork_json()), 404),
        attempt("zuyuan2", "other team", format!("/targets/{t3}/records/{paper}/sign"), How::Form(vec![]), 404).on(paper),
        attempt("zuzhang2", "other team", format!("/api/v1/papers/{paper}/steps"), How::Api(json!({"step": "sign"})), 404).on(paper),
        attempt("zuzhang", "other team", format!("/api/v1/rect-items/{agri_item}/verification"), How::Api(accept()), 404).on(agri_item),
        attempt("zuzhang", "other team", format!("/targets/{t2}/rectification/verify"), How::Form(verify(agri_item)), 404).on(agri_item),
        attempt("zuzhang2", "other team", "/api/v1/transfers".into(), How::Api(json!({"record_id": clue})), 404).on(clue),
        attempt("zuyuan2", "other team", format!("/targets/{clue_target}/records/{clue}/transfer"), How::Form(vec![]), 404).on(clue),
        // Roles that read but do not write the work.
        attempt("leader", "reads only", format!("/targets/{t3}/fieldwork"), How::Form(fieldwork_form()), 403),
        attempt("leader", "reads only", format!("/api/v1/papers/{paper}/steps"), How::Api(json!({"step": "sign"})), 403).on(paper),
        attempt("leader", "reads only", format!("/api/v1/rounds/{r2}/teams"), How::Api(json!({"name": "第三巡察组"})), 403),
        attempt("leader", "reads only", format!("/rounds/{r2}/teams"), How::Form(vec![("name", "第三巡察组".into())]), 403),
        attempt("jiwei", "receiver", "/api/v1/transfers".into(), How::Api(json!({"record_id": clue})), 403).on(clue),
        // The inspected unit: its own rectification, never the verification.
        attempt("beixuncha", "own item", format!("/targets/{t1}/rectification/verify"), How::Form(verify(own_item)), 403).on(own_item),
        attempt("beixuncha", "own item", format!("/api/v1/rect-items/{own_item}/verification"), How::Api(accept()), 403).on(own_item),
        attempt("beixuncha", "unit", format!("/api/v1/targets/{t1}/fieldwork"), How::Api(fieldwork_json()), 403),
        attempt("beixuncha", "other unit", format!("/api/v1/rect-items/{agri_item}/progress"), How::Api(json!({"note": "x"})), 404).on(agri_item),
        attempt("zuzhang", "the unit's part", format!("/api/v1/targets/{t3}/rect-items"), How::Api(json!({"problem": "p",
            "measures": "m", "responsible": "r", "kind": "deadline", "deadline": "2026-12-31"})), 403),
        // A receiver on another receiver's transfer.
        attempt("bumen", "not hers", format!("/transfers/{to_jiwei}/report"), How::Form(vec![("disposal", "rectify".into()),
            ("four_forms", "none".into()), ("feedback", "已督促整改".into())]), 404).on(to_jiwei),
        attempt("zuzhibu", "not his", format!("/api/v1/transfers/{to_jiwei}/disposal"), How::Api(disposal.clone()), 404).on(to_jiwei),
        attempt("jiwei", "not his", format!("/transfers/{to_bumen}/receive"), How::Form(vec![]), 404).on(to_bumen),
        attempt("bumen", "not hers", format!("/api/v1/transfers/{to_zuzhibu}/receive"), How::Api(json!({})), 404).on(to_zuzhibu),
        // Deciding reports belongs to the 领导小组.
        attempt("zuzhang", "not 领导小组", format!("/reports/{report}/decide"), How::Form(vec![("decision", "approve".into())]), 403).on(report),
        attempt("office", "not 领导小组", format!("/api/v1/reports/{report}/decision"), How::Api(json!({"approve": true})), 403).on(report),
        attempt("fuzuzhang", "not 领导小组", format!("/api/v1/reports/{report}/decision"), How::Api(json!({"approve": true})), 403).on(report),
        // Planning belongs to the office.
        attempt("zuzhang", "not planner", format!("/rounds/{r2}/targets"), How::Form(vec![("unit_id", finance.clone())]), 403),
        attempt("zuzhang", "not planner", format!("/api/v1/rounds/{r2}/targets"), How::Api(json!({"unit_id": finance.parse::<i64>().unwrap()})), 403),
        // CSRF on cookie sessions, by a user who may write.
        attempt("office", "no csrf", format!("/targets/{t3}/fieldwork"), How::FormCsrf(None, fieldwork_form()), 403),
        attempt("office", "wrong csrf", format!("/targets/{t3}/fieldwork"), How::FormCsrf(Some("wrong"), fieldwork_form()), 403),
        attempt("office", "no csrf", format!("/api/v1/targets/{t3}/fieldwork"), How::ApiCookieWithoutCsrf(fieldwork_json()), 403),
        // Roles with no part in a round.
        attempt("zoufang", "no part", format!("/api/v1/targets/{t3}/fieldwork"), How::Api(fieldwork_json()), 403),
        attempt("jiancha", "no part", format!("/targets/{t3}/papers"), How::Form(vec![]), 403),
    ];

    // Act
    let mut problems = Vec::new();
    for a in &table {
        let before = snapshot(&app, &d, a.record).await;
        let res = c.send(&app, a).await;
        let after = snapshot(&app, &d, a.record).await;

        // Assert (collected, so one run shows every failure)
        let line = format!("{} ({}) POST {}", a.who, a.why, a.path);
        if res.status != a.want || !refused(res.status) {
            problems.push(format!("{line}: want {}, got {} {}", a.want, res.status, res.text()));
        }
        if before != after {
            problems.push(format!("{line}: changed {before:?} → {after:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The same requests by users who may: the refusals were not bad input.
    let controls = vec![
        attempt("zuzhang", "own team", format!("/targets/{t3}/fieldwork"), How::Form(fieldwork_form()), 303),
        attempt("zuzhang", "own team", format!("/api/v1/targets/{t3}/papers"), How::Api(paper_json()), 201),
        attempt("office", "csrf", format!("/targets/{t3}/fieldwork"), How::Form(fieldwork_form()), 303),
        attempt("zuzhang", "own team", format!("/api/v1/rect-items/{own_item}/verification"), How::Api(accept()), 200),
        attempt("fuzuzhang2", "own team", format!("/targets/{t2}/rectification/verify"), How::Form(verify(agri_item)), 303),
        attempt("bumen", "hers", format!("/transfers/{to_bumen}/receive"), How::Form(vec![]), 303),
        attempt("leader", "领导小组", format!("/api/v1/reports/{report}/decision"), How::Api(json!({"approve": true})), 200),
        attempt("office", "planner", format!("/api/v1/rounds/{r2}/teams"), How::Api(json!({"name": "第三巡察组"})), 201),
        attempt("office", "planner", format!("/rounds/{r2}/targets"), How::Form(vec![("unit_id", finance.clone())]), 303),
        attempt("zuzhang", "own team", "/api/v1/transfers".into(), How::Api(json!({"record_id": clue})), 201),
    ];
    for a in &controls {
        let before = snapshot(&app, &d, None).await;
        let res = c.send(&app, a).await;
        let after = snapshot(&app, &d, None).await;
        assert_eq!(res.status, a.want, "{} POST {}: {}", a.who, a.path, res.text());
        assert!(after.audit_seq > before.audit_seq, "{} POST {} wrote nothing", a.who, a.path);
    }
}

#[tokio::test]
async fn a_finished_round_refuses_new_fieldwork_but_its_rectification_goes_on() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let c = Callers::open(&app).await;
    assert_eq!(d.target(QINGSHI).round_id, d.finished.id);
    let (t1, t2) = (d.target(QINGSHI).id, d.target(AGRICULTURE).id);
    let items = records(&app, RecordKind::RectItem, None, Some(t1)).await;
    let item = items.iter().find(|r| r.meta.status == "open").expect("an open item").meta.id;
    let writes = [
        attempt("zuzhang", "own team", format!("/api/v1/targets/{t1}/fieldwork"), How::Api(fieldwork_json()), 422),
        attempt("zuzhang", "own team", format!("/api/v1/targets/{t1}/papers"), How::Api(paper_json()), 422),
        attempt("zuzhang2", "own team", format!("/api/v1/targets/{t2}/fieldwork"), How::Api(fieldwork_json()), 422),
        attempt("office", "office", format!("/api/v1/targets/{t2}/fieldwork"), How::Api(fieldwork_json()), 422),
    ];

    // Act & Assert: the API answers 422 with the reason in Chinese.
    for a in &writes {
        let before = snapshot(&app, &d, None).await;
        let res = c.send(&app, a).await;
        assert_eq!(res.status, a.want, "{} POST {}: {}", a.who, a.path, res.text());
        let v = res.json();
        assert_eq!(v["error"]["code"], "invalid");
        assert!(v["error"]["message"].as_str().unwrap().contains("该轮巡察已结束"), "{v}");
        assert_eq!(snapshot(&app, &d, None).await, before, "{} wrote", a.who);
    }

    // The page form shows the same message and writes nothing.
    let form = attempt("zuzhang", "own team", format!("/targets/{t1}/fieldwork"), How::Form(fieldwork_form()), 422);
    let before = snapshot(&app, &d, None).await;
    let res = c.send(&app, &form).await;
    assert!(res.text().contains("该轮巡察已结束"), "{}: {}", res.status, res.text());
    assert_ne!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(snapshot(&app, &d, None).await, before);

    // Rectification goes on: the unit reports progress (page and API), the
    // team verifies.
    let progress = [
        attempt("beixuncha", "unit", format!("/targets/{t1}/rectification/progress"),
            How::Form(vec![("record_id", item.to_string()), ("note", "已完成一半".into())]), 303),
        attempt("beixuncha", "unit", format!("/api/v1/rect-items/{item}/progress"),
            How::Api(json!({"note": "已全部完成", "done": true})), 200),
        attempt("zuzhang", "team", format!("/api/v1/rect-items/{item}/verification"), How::Api(json!({"accept": true})), 200),
    ];
    for a in &progress {
        let before = snapshot(&app, &d, Some(item)).await;
        let res = c.send(&app, a).await;
        assert_eq!(res.status, a.want, "{} POST {}: {}", a.who, a.path, res.text());
        let after = snapshot(&app, &d, Some(item)).await;
        assert_eq!(after.version, before.version.map(|v| v + 1), "{} POST {}", a.who, a.path);
    }
    let item = app.store.get_record(item).await.unwrap();
    assert_eq!(item.meta.status, "accepted");
}

#[tokio::test]
#[ignore = "round page forms re-render a failed form with 200; registry forms answer 422"]
async fn a_refused_fieldwork_form_on_a_finished_round_answers_422() {
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let s = app.session_as("zuzhang").await;
    let mut fields = vec![("csrf", s.csrf.clone())];
    fields.extend(fieldwork_form());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path = format!("/targets/{}/fieldwork", d.target(QINGSHI).id);
    let res = app.post_form(&path, &fields, Some(&s)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}
