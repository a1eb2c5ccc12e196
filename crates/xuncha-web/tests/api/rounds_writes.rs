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
    records, refused, token, users, Demo, AGRICULTURE, CHENGGUAN, QINGSHI, REVITALISATION,
};

/// One POST: `how` is `form` (page form with the session's CSRF token),
/// `nocsrf` / `badcsrf` (the same without it / with a wrong one), `api`
/// (JSON, bearer token) or `cookie` (JSON on the session without
/// `X-CSRF-Token`); `record` names a record whose version must not move.
#[derive(Debug)]
struct Attempt {
    who: String,
    how: String,
    path: String,
    body: Value,
    want: StatusCode,
    record: Option<i64>,
}

/// Reads a table, one attempt a line: `who how path body want [record]`;
/// `{name}` in a path and the record column are ids from `vars`, the body
/// is named in `bodies` (`-`: none).
fn table(rows: &str, vars: &HashMap<&str, i64>, bodies: &HashMap<&str, Value>) -> Vec<Attempt> {
    let rows = rows.lines().map(str::trim);
    rows.filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let mut path = cols[2].to_owned();
            for (k, v) in vars {
                path = path.replace(&format!("{{{k}}}"), &v.to_string());
            }
            assert!(!path.contains('{'), "unknown id in {line}");
            let body = match cols[3] {
                "-" => json!({}),
                b => bodies
                    .get(b)
                    .cloned()
                    .unwrap_or_else(|| panic!("no body {b}")),
            };
            Attempt {
                who: cols[0].to_owned(),
                how: cols[1].to_owned(),
                path,
                body,
                want: StatusCode::from_u16(cols[4].parse().unwrap()).unwrap(),
                record: cols.get(5).map(|r| vars[r]),
            }
        })
        .collect()
}

/// Sessions and tokens opened before anything is counted (opening one
/// writes an audit record).
struct Callers {
    sessions: HashMap<&'static str, Session>,
    tokens: HashMap<&'static str, String>,
}

impl Callers {
    async fn open(app: &TestApp) -> Callers {
        let (mut sessions, mut tokens) = (HashMap::new(), HashMap::new());
        for u in users() {
            sessions.insert(u, app.session_as(u).await);
            tokens.insert(u, token(app, u).await);
        }
        Callers { sessions, tokens }
    }

    async fn send(&self, app: &TestApp, a: &Attempt) -> Res {
        let s = &self.sessions[a.who.as_str()];
        let body = a.body.to_string();
        let csrf = match a.how.as_str() {
            "api" => {
                let caller = Caller::Bearer(&self.tokens[a.who.as_str()]);
                return app.post_json(&a.path, &body, caller).await;
            }
            "cookie" => {
                let caller = Caller::BrowserWithoutCsrf(s);
                return app.post_json(&a.path, &body, caller).await;
            }
            "form" => Some(s.csrf.as_str()),
            "badcsrf" => Some("wrong"),
            "nocsrf" => None,
            other => panic!("no way to send {other}"),
        };
        let mut fields: Vec<(&str, String)> =
            csrf.map(|c| ("csrf", c.to_owned())).into_iter().collect();
        for (k, v) in a.body.as_object().unwrap() {
            fields.push((k, v.as_str().map_or_else(|| v.to_string(), str::to_owned)));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
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
    let (mut records, mut targets, mut teams) = (0, 0, 0);
    for r in [d.finished.id, d.active.id] {
        records += s.records_of_round(r).await.unwrap().len();
        targets += s.targets_of(r).await.unwrap().len();
        teams += s.teams_of(r).await.unwrap().len();
    }
    let version = match record {
        Some(id) => Some(s.get_record(id).await.unwrap().meta.version),
        None => None,
    };
    let audit_seq = s.audit_head().await.unwrap().0;
    Snapshot {
        audit_seq,
        records,
        targets,
        teams,
        version,
    }
}

/// The request bodies of the tables (form fields or JSON), valid for a
/// user who may write.
fn bodies(clue: i64, own_item: i64, agri_item: i64, finance: i64) -> HashMap<&'static str, Value> {
    HashMap::from([
        (
            "fieldwork",
            json!({"method": "hearing", "date": "2026-11-26", "participants": "甲、乙",
            "notes": "听取汇报"}),
        ),
        (
            "paper",
            json!({"category": "四个落实/落实巡察整改", "source": "files",
            "summary": "测试底稿", "facts": "事实", "basis": "依据"}),
        ),
        ("sign", json!({"step": "sign"})),
        ("accept", json!({"accept": true})),
        (
            "verify_own",
            json!({"record_id": own_item, "decision": "accept"}),
        ),
        (
            "verify_agri",
            json!({"record_id": agri_item, "decision": "accept"}),
        ),
        ("progress", json!({"note": "已完成一半"})),
        (
            "rect_item",
            json!({"problem": "p", "measures": "m", "responsible": "r",
            "kind": "deadline", "deadline": "2026-12-31"}),
        ),
        ("clue", json!({"record_id": clue})),
        (
            "disposal",
            json!({"disposal": "rectify", "four_forms": "none", "feedback": "已督促"}),
        ),
        ("approve", json!({"approve": true, "decision": "approve"})),
        ("team", json!({"name": "第三巡察组"})),
        ("target", json!({"unit_id": finance})),
    ])
}

const REFUSED: &str = "
    # A recused user, on the unit she is recused from.
    zuyuan     form    /targets/{t5}/fieldwork                     fieldwork  404
    zuyuan     api     /api/v1/targets/{t5}/fieldwork              fieldwork  404
    zuyuan     api     /api/v1/targets/{t5}/papers                 paper      404
    # Team members on another team's target.
    zuzhang    form    /targets/{t5}/fieldwork                     fieldwork  404
    zuzhang    api     /api/v1/targets/{t5}/papers                 paper      404
    zuyuan2    api     /api/v1/targets/{t3}/fieldwork              fieldwork  404
    zuyuan2    form    /targets/{t3}/records/{paper}/sign          -          404  paper
    zuzhang2   api     /api/v1/papers/{paper}/steps                sign       404  paper
    zuzhang    api     /api/v1/rect-items/{agri_item}/verification accept     404  agri_item
    zuzhang    form    /targets/{t2}/rectification/verify          verify_agri 404 agri_item
    zuzhang2   api     /api/v1/transfers                           clue       404  clue
    zuyuan2    form    /targets/{clue_target}/records/{clue}/transfer -       404  clue
    # Roles that read the work but do not write it.
    leader     form    /targets/{t3}/fieldwork                     fieldwork  403
    leader     api     /api/v1/papers/{paper}/steps                sign       403  paper
    leader     api     /api/v1/rounds/{r2}/teams                   team       403
    leader     form    /rounds/{r2}/teams                          team       403
    jiwei      api     /api/v1/transfers                           clue       403  clue
    # The inspected unit: its own rectification, never the verification.
    beixuncha  form    /targets/{t1}/rectification/verify          verify_own 403  own_item
    beixuncha  api     /api/v1/rect-items/{own_item}/verification  accept     403  own_item
    beixuncha  api     /api/v1/targets/{t1}/fieldwork              fieldwork  403
    beixuncha  api     /api/v1/rect-items/{agri_item}/progress     progress   404  agri_item
    zuzhang    api     /api/v1/targets/{t3}/rect-items             rect_item  403
    # A receiver on another receiver's transfer.
    bumen      form    /transfers/{to_jiwei}/report                disposal   404  to_jiwei
    zuzhibu    api     /api/v1/transfers/{to_jiwei}/disposal       disposal   404  to_jiwei
    jiwei      form    /transfers/{to_bumen}/receive               -          404  to_bumen
    bumen      api     /api/v1/transfers/{to_zuzhibu}/receive      -          404  to_zuzhibu
    # Deciding reports belongs to the 领导小组, planning to the office.
    zuzhang    form    /reports/{report}/decide                    approve    403  report
    office     api     /api/v1/reports/{report}/decision           approve    403  report
    fuzuzhang  api     /api/v1/reports/{report}/decision           approve    403  report
    zuzhang    form    /rounds/{r2}/targets                        target     403
    zuzhang    api     /api/v1/rounds/{r2}/targets                 target     403
    # CSRF on cookie sessions, by a user who may write.
    office     nocsrf  /targets/{t3}/fieldwork                     fieldwork  403
    office     badcsrf /targets/{t3}/fieldwork                     fieldwork  403
    office     cookie  /api/v1/targets/{t3}/fieldwork              fieldwork  403
    # Roles with no part in a round.
    zoufang    api     /api/v1/targets/{t3}/fieldwork              fieldwork  403
    jiancha    form    /targets/{t3}/papers                        paper      403
";

/// The same requests by users who may make them.
const ALLOWED: &str = "
    zuzhang    form    /targets/{t3}/fieldwork                     fieldwork  303
    zuzhang    api     /api/v1/targets/{t3}/papers                 paper      201
    office     form    /targets/{t3}/fieldwork                     fieldwork  303
    zuzhang    api     /api/v1/rect-items/{own_item}/verification  accept     200
    fuzuzhang2 form    /targets/{t2}/rectification/verify          verify_agri 303
    bumen      form    /transfers/{to_bumen}/receive               -          303
    leader     api     /api/v1/reports/{report}/decision           approve    200
    office     api     /api/v1/rounds/{r2}/teams                   team       201
    office     form    /rounds/{r2}/targets                        target     303
    zuzhang    api     /api/v1/transfers                           clue       201
";

fn first(rs: &[StoredRecord], what: &str, pick: impl Fn(&StoredRecord) -> bool) -> i64 {
    rs.iter()
        .find(|r| pick(r))
        .unwrap_or_else(|| panic!("the demo has no {what}"))
        .meta
        .id
}

fn tagged(prefix: &'static str) -> impl Fn(&StoredRecord) -> bool {
    move |r| r.meta.tag.as_deref().is_some_and(|x| x.starts_with(prefix))
}

#[tokio::test]
async fn refused_writes_answer_403_or_404_and_change_nothing() {
    // Arrange: a submitted report to decide and a reported item to verify.
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let c = Callers::open(&app).await;
    let (t1, t2, t3) = (
        d.target(QINGSHI).id,
        d.target(AGRICULTURE).id,
        d.target(REVITALISATION).id,
    );
    let zuzhang = Caller::Bearer(&c.tokens["zuzhang"]);
    let compose = format!("/api/v1/targets/{t3}/reports");
    let res = app
        .post_json(&compose, r#"{"kind":"final"}"#, zuzhang)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let report = res.json()["id"].as_i64().unwrap();
    let res = app
        .post_json(&format!("/api/v1/reports/{report}/submit"), "{}", zuzhang)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let own_items = records(&app, RecordKind::RectItem, None, Some(t1)).await;
    let own_item = first(&own_items, "open item", |r| r.meta.status == "open");
    let done = json!({"note": "已全部完成", "done": true}).to_string();
    let unit = Caller::Bearer(&c.tokens["beixuncha"]);
    let res = app
        .post_json(
            &format!("/api/v1/rect-items/{own_item}/progress"),
            &done,
            unit,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let agri_items = records(&app, RecordKind::RectItem, None, Some(t2)).await;
    let papers = records(&app, RecordKind::Paper, None, Some(t3)).await;
    let clues = records(&app, RecordKind::Clue, Some(d.active.id), None).await;
    let transfers = records(&app, RecordKind::Transfer, None, None).await;
    let vars = HashMap::from([
        ("t1", t1),
        ("t2", t2),
        ("t3", t3),
        ("t5", d.target(CHENGGUAN).id),
        ("r2", d.active.id),
        ("report", report),
        ("own_item", own_item),
        (
            "agri_item",
            first(&agri_items, "reported item", |r| {
                r.meta.status == "reported"
            }),
        ),
        (
            "paper",
            first(&papers, "draft paper", |r| r.meta.status == "draft"),
        ),
        ("clue", first(&clues, "round-2 clue", |_| true)),
        ("clue_target", clues[0].meta.target_id),
        (
            "to_jiwei",
            first(&transfers, "纪委 transfer", tagged("discipline")),
        ),
        (
            "to_zuzhibu",
            first(&transfers, "组织部 transfer", tagged("organisation")),
        ),
        (
            "to_bumen",
            first(&transfers, "财政局 transfer", tagged("department")),
        ),
    ]);
    let finance = app.unit("云岭县财政局").await.id;
    let bodies = bodies(vars["clue"], own_item, vars["agri_item"], finance);

    // Act
    let mut problems = Vec::new();
    for a in table(REFUSED, &vars, &bodies) {
        let before = snapshot(&app, &d, a.record).await;
        let res = c.send(&app, &a).await;
        let after = snapshot(&app, &d, a.record).await;

        // Assert (collected, so one run shows every failure)
        let line = format!("{} {} POST {}", a.who, a.how, a.path);
        if res.status != a.want || !refused(res.status) {
            problems.push(format!(
                "{line}: want {}, got {} {}",
                a.want,
                res.status,
                res.text()
            ));
        }
        if before != after {
            problems.push(format!("{line}: changed {before:?} → {after:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The same requests by users who may: the refusals were not bad input.
    for a in table(ALLOWED, &vars, &bodies) {
        let before = snapshot(&app, &d, None).await;
        let res = c.send(&app, &a).await;
        let after = snapshot(&app, &d, None).await;
        assert_eq!(
            res.status,
            a.want,
            "{} POST {}: {}",
            a.who,
            a.path,
            res.text()
        );
        assert!(
            after.audit_seq > before.audit_seq,
            "{} POST {} wrote nothing",
            a.who,
            a.path
        );
    }
}

const FINISHED: &str = "
    zuzhang    api     /api/v1/targets/{t1}/fieldwork              fieldwork  422
    zuzhang    api     /api/v1/targets/{t1}/papers                 paper      422
    zuzhang2   api     /api/v1/targets/{t2}/fieldwork              fieldwork  422
    office     api     /api/v1/targets/{t2}/fieldwork              fieldwork  422
";

const RECTIFICATION_GOES_ON: &str = "
    beixuncha  form    /targets/{t1}/rectification/progress        progress   303  item
    beixuncha  api     /api/v1/rect-items/{item}/progress          done       200  item
    zuzhang    api     /api/v1/rect-items/{item}/verification      accept     200  item
";

#[tokio::test]
async fn a_finished_round_refuses_new_fieldwork_but_its_rectification_goes_on() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let c = Callers::open(&app).await;
    assert_eq!(d.target(QINGSHI).round_id, d.finished.id);
    let (t1, t2) = (d.target(QINGSHI).id, d.target(AGRICULTURE).id);
    let items = records(&app, RecordKind::RectItem, None, Some(t1)).await;
    let item = first(&items, "open item", |r| r.meta.status == "open");
    let vars = HashMap::from([("t1", t1), ("t2", t2), ("item", item)]);
    let mut bodies = bodies(0, item, 0, 0);
    bodies.insert("progress", json!({"record_id": item, "note": "已完成一半"}));
    bodies.insert("done", json!({"note": "已全部完成", "done": true}));

    // Act & Assert: the API answers 422 with the reason in Chinese.
    for a in table(FINISHED, &vars, &bodies) {
        let before = snapshot(&app, &d, None).await;
        let res = c.send(&app, &a).await;
        assert_eq!(
            res.status,
            a.want,
            "{} POST {}: {}",
            a.who,
            a.path,
            res.text()
        );
        let v = res.json();
        assert_eq!(v["error"]["code"], "invalid");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("该轮巡察已结束"),
            "{v}"
        );
        assert_eq!(snapshot(&app, &d, None).await, before, "{} wrote", a.who);
    }

    // The page form writes nothing either (what it says: the next test).
    let form = "zuzhang form /targets/{t1}/fieldwork fieldwork 422";
    let before = snapshot(&app, &d, None).await;
    let res = c.send(&app, &table(form, &vars, &bodies)[0]).await;
    assert_ne!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(snapshot(&app, &d, None).await, before);

    // Rectification goes on: the unit reports progress (page and API), the
    // team verifies.
    for a in table(RECTIFICATION_GOES_ON, &vars, &bodies) {
        let before = snapshot(&app, &d, Some(item)).await;
        let res = c.send(&app, &a).await;
        assert_eq!(
            res.status,
            a.want,
            "{} POST {}: {}",
            a.who,
            a.path,
            res.text()
        );
        let after = snapshot(&app, &d, Some(item)).await;
        assert_eq!(
            after.version,
            before.version.map(|v| v + 1),
            "{} POST {}",
            a.who,
            a.path
        );
    }
    let item = app.store.get_record(item).await.unwrap();
    assert_eq!(item.meta.status, "accepted");
}

#[tokio::test]
async fn a_fieldwork_form_on_a_finished_round_says_why_with_422() {
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let c = Callers::open(&app).await;
    let vars = HashMap::from([("t1", d.target(QINGSHI).id)]);
    let form = "zuzhang form /targets/{t1}/fieldwork fieldwork 422";

    let res = c
        .send(&app, &table(form, &vars, &bodies(0, 0, 0, 0))[0])
        .await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("该轮巡察已结束"), "{}", res.text());
}
