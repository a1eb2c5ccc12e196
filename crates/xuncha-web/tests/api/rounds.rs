//! The 巡察 round's reads through the real router: every demo user × every
//! page, API answer and export of both demo rounds. The expected status comes
//! from `xuncha_core::policy` and the user's assignments and recusals (the
//! actor the router builds); list contents are compared with what the store
//! holds; and concrete facts (who must get 404, whose names must not show)
//! are asserted on their own so the matrix is not circular.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use axum::http::StatusCode;
use serde_json::Value;
use xuncha_core::auth::{Actor, Role};
use xuncha_core::inspection::record::{RecordFilter, RecordKind, StoredRecord};
use xuncha_core::inspection::{Round, RoundStatus, Target};
use xuncha_core::policy::{self, is_team_role, role_allows, Action, Scope};
use xuncha_core::registry::PageRequest;
use xuncha_core::CoreError;

use crate::helpers::{Caller, Res, TestApp};

/// Every demo login.
pub const USERS: [&str; 15] = [
    "admin",
    "office",
    "leader",
    "zuzhang",
    "fuzuzhang",
    "zuyuan",
    "zuzhang2",
    "fuzuzhang2",
    "zuyuan2",
    "jiwei",
    "zuzhibu",
    "bumen",
    "beixuncha",
    "zoufang",
    "jiancha",
];

pub const QINGSHI: &str = "青石镇";
pub const AGRICULTURE: &str = "云岭县农业农村局";
pub const REVITALISATION: &str = "云岭县乡村振兴局";
pub const CIVIL_AFFAIRS: &str = "云岭县民政局";
pub const CHENGGUAN: &str = "城关镇";

/// The demo's two rounds and their five targets, looked up in the store.
pub struct Demo {
    pub finished: Round,
    pub active: Round,
    pub targets: Vec<Target>,
}

impl Demo {
    pub async fn load(app: &TestApp) -> Demo {
        let rounds = app.store.list_rounds().await.unwrap();
        let pick = |s: RoundStatus| rounds.iter().find(|r| r.status == s).cloned().unwrap();
        let (finished, active) = (pick(RoundStatus::Finished), pick(RoundStatus::Active));
        let mut targets = app.store.targets_of(finished.id).await.unwrap();
        targets.extend(app.store.targets_of(active.id).await.unwrap());
        assert_eq!(targets.len(), 5, "the demo's targets: {targets:?}");
        Demo {
            finished,
            active,
            targets,
        }
    }

    pub fn target(&self, unit_name: &str) -> &Target {
        self.targets
            .iter()
            .find(|t| t.unit_name == unit_name)
            .unwrap_or_else(|| panic!("no target {unit_name}"))
    }

    fn by_id(&self, id: i64) -> &Target {
        self.targets.iter().find(|t| t.id == id).unwrap()
    }

    fn of_round(&self, round_id: i64) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(move |t| t.round_id == round_id)
    }
}

/// Every record of a kind (in a round, of a target), whatever the scope.
pub async fn records(
    app: &TestApp,
    kind: RecordKind,
    round_id: Option<i64>,
    target_id: Option<i64>,
) -> Vec<StoredRecord> {
    let mut f = RecordFilter::new(kind, Scope::all());
    f.round_id = round_id;
    f.target_id = target_id;
    let page = PageRequest::new(Some(1), Some(500));
    app.store.list_records(&f, page).await.unwrap().items
}

pub async fn token(app: &TestApp, username: &str) -> String {
    let (store, clock) = (app.store.as_ref(), app.clock.as_ref());
    xuncha_core::usecases::auth::create_token(store, clock, username, "rounds")
        .await
        .unwrap()
}

/// The status a policy decision becomes.
pub fn status(decision: Result<(), CoreError>, ok: StatusCode) -> StatusCode {
    match decision {
        Ok(()) => ok,
        Err(CoreError::Forbidden) => StatusCode::FORBIDDEN,
        Err(CoreError::NotFound) => StatusCode::NOT_FOUND,
        Err(e) => panic!("the policy answered {e:?}"),
    }
}

fn scoped(actor: &Actor, action: Action) -> StatusCode {
    status(policy::scope(actor, action).map(|_| ()), StatusCode::OK)
}

fn sees(actor: &Actor, action: Action, path: &str) -> bool {
    policy::check(actor, action, Some(path)).is_ok()
}

/// The transfer tag a receiving body's actor signs for.
pub fn receiver_tag(a: &Actor) -> Option<String> {
    match a.role {
        Role::Discipline => Some("discipline".into()),
        Role::Organisation => Some("organisation".into()),
        Role::Department => a.jurisdiction.as_ref().map(|j| format!("department:{}", j.unit_id)),
        _ => None,
    }
}

/// One read of the matrix (ids of rounds or targets).
#[derive(Clone, Copy, Debug)]
enum Read {
    Rounds,
    Round(i64),
    Workspace(i64),
    Rect(i64),
    RectList,
    Transfers,
    Reports,
    Circular(i64),
    CircularDocx(i64),
    Ledger(i64),
}

impl Read {
    fn path(self, api: bool) -> String {
        let p = if api { "/api/v1" } else { "" };
        match self {
            Read::Rounds => format!("{p}/rounds"),
            Read::Round(r) => format!("{p}/rounds/{r}"),
            Read::Workspace(t) => format!("{p}/targets/{t}"),
            Read::Rect(t) => format!("{p}/targets/{t}/rectification"),
            Read::RectList => "/rectification".into(),
            Read::Transfers => format!("{p}/transfers?per_page=500"),
            Read::Reports => "/reports".into(),
            Read::Circular(r) => format!("{p}/rounds/{r}/circular"),
            Read::CircularDocx(r) => format!("/rounds/{r}/circular.docx"),
            Read::Ledger(r) if api => format!("/api/v1/rounds/{r}/ledger/paper?per_page=500"),
            Read::Ledger(r) => format!("/rounds/{r}/ledger/paper.xlsx"),
        }
    }

    /// The actions one of which the role must hold for a success.
    fn actions(self) -> &'static [Action] {
        match self {
            Read::Rounds | Read::Round(_) => &[Action::ViewRounds],
            Read::Workspace(_) | Read::Ledger(_) => &[Action::ViewRoundWork],
            Read::Rect(_) | Read::RectList => &[
                Action::Rectify,
                Action::VerifyRectification,
                Action::ViewRoundWork,
            ],
            Read::Transfers => &[Action::HandleTransfers, Action::PlanRounds],
            Read::Reports => &[Action::DecideReports],
            Read::Circular(_) | Read::CircularDocx(_) => &[Action::ViewCircular],
        }
    }

    /// What the policy says the router must answer.
    fn expected(self, d: &Demo, a: &Actor) -> StatusCode {
        let path = |t: i64| d.by_id(t).unit_path.clone();
        match self {
            Read::Rounds => scoped(a, Action::ViewRounds),
            Read::Round(r) => match scoped(a, Action::ViewRounds) {
                StatusCode::OK
                    if is_team_role(a.role) && !a.assignments.iter().any(|x| x.round_id == r) =>
                {
                    StatusCode::NOT_FOUND
                }
                s => s,
            },
            Read::Workspace(t) => status(
                policy::check(a, Action::ViewRoundWork, Some(&path(t))),
                StatusCode::OK,
            ),
            // The unit's own account, the verifiers and the readers of the
            // work may open it; for everyone else it does not exist.
            Read::Rect(t) => match self.actions().iter().any(|x| sees(a, *x, &path(t))) {
                true => StatusCode::OK,
                false => StatusCode::NOT_FOUND,
            },
            Read::RectList => match scoped(a, Action::Rectify) {
                StatusCode::OK => StatusCode::OK,
                _ => scoped(a, Action::ViewRoundWork),
            },
            Read::Transfers if role_allows(a.role, Action::HandleTransfers) => StatusCode::OK,
            Read::Transfers => scoped(a, Action::PlanRounds),
            Read::Reports => scoped(a, Action::DecideReports),
            Read::Circular(_) | Read::CircularDocx(_) => scoped(a, Action::ViewCircular),
            Read::Ledger(_) => scoped(a, Action::ViewRoundWork),
        }
    }
}

fn reads(d: &Demo) -> Vec<(Read, bool)> {
    let mut out = vec![(Read::RectList, false), (Read::Reports, false)];
    let both = |r: Read| [(r, false), (r, true)];
    out.extend(both(Read::Rounds));
    out.extend(both(Read::Transfers));
    for r in [d.finished.id, d.active.id] {
        out.extend(both(Read::Round(r)));
        out.extend(both(Read::Circular(r)));
        out.extend(both(Read::Ledger(r)));
        out.push((Read::CircularDocx(r), false));
    }
    for t in &d.targets {
        out.extend(both(Read::Workspace(t.id)));
        out.extend(both(Read::Rect(t.id)));
    }
    out
}

fn ids(v: &Value) -> BTreeSet<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x["id"].as_i64().or(x["meta"]["id"].as_i64()).unwrap())
        .collect()
}

/// The contents of a successful answer against the store and the policy;
/// `Err` names what is wrong.
async fn contents(app: &TestApp, d: &Demo, a: &Actor, read: Read, res: &Res) -> Result<(), String> {
    let api = res.header("content-type").is_some_and(|c| c.contains("json"));
    let mismatch = |what: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    };
    match read {
        Read::Rounds if api => {
            let want: BTreeSet<i64> = [&d.finished, &d.active]
                .iter()
                .filter(|r| !is_team_role(a.role) || a.assignments.iter().any(|x| x.round_id == r.id))
                .map(|r| r.id)
                .collect();
            let got = ids(&res.json());
            if got != want {
                return mismatch("rounds", &got, &want);
            }
        }
        Read::Round(r) => {
            let scope = policy::scope(a, Action::ViewRounds).unwrap();
            let (shown, hidden): (Vec<&Target>, Vec<&Target>) =
                d.of_round(r).partition(|t| scope.contains(&t.unit_path));
            if api {
                let want: BTreeSet<i64> = shown.iter().map(|t| t.id).collect();
                let got = ids(&res.json()["targets"]);
                if got != want {
                    return mismatch("round targets", &got, &want);
                }
            } else if let Some(t) = hidden.iter().find(|t| res.text().contains(&t.unit_name)) {
                return Err(format!("the round page names the hidden {}", t.unit_name));
            }
        }
        Read::Workspace(t) | Read::Rect(t) if api => {
            let v = res.json();
            if v["target"]["id"] != t {
                return mismatch("target", &v["target"]["id"], &t);
            }
            let verifies = sees(a, Action::VerifyRectification, &d.by_id(t).unit_path);
            if matches!(read, Read::Rect(_)) && !verifies && v["unlisted"] != Value::Array(vec![]) {
                return Err(format!("papers shown to a non-verifier: {}", v["unlisted"]));
            }
        }
        Read::Transfers => {
            let all = records(app, RecordKind::Transfer, None, None).await;
            let scope = policy::scope(a, Action::PlanRounds);
            let visible: Vec<&StoredRecord> = all
                .iter()
                .filter(|r| match receiver_tag(a) {
                    Some(tag) => {
                        r.meta.tag.as_deref() == Some(tag.as_str())
                            && !a.recused_paths.iter().any(|p| r.meta.unit_path.starts_with(p))
                    }
                    None => scope.as_ref().is_ok_and(|s| s.contains(&r.meta.unit_path)),
                })
                .collect();
            let title = |r: &StoredRecord| {
                let v: Value = serde_json::from_str(&r.data).unwrap();
                v["item"]["title"].as_str().unwrap().to_owned()
            };
            if api {
                let want: BTreeSet<i64> = visible.iter().map(|r| r.meta.id).collect();
                let got = ids(&res.json()["items"]);
                if got != want {
                    return mismatch("transfers", &got, &want);
                }
            } else {
                let html = res.text();
                let shown: Vec<String> = visible.iter().map(|r| title(r)).collect();
                for r in &all {
                    let t = title(r);
                    if shown.contains(&t) != html.contains(&t) {
                        return Err(format!("transfer {t} shown: {}", html.contains(&t)));
                    }
                }
            }
        }
        Read::Circular(r) if api => {
            let scope = policy::scope(a, Action::ViewCircular).unwrap();
            let want: BTreeSet<i64> = d
                .of_round(r)
                .filter(|t| scope.contains(&t.unit_path))
                .map(|t| t.id)
                .collect();
            let got = ids(&res.json()["targets"]);
            if got != want {
                return mismatch("circular targets", &got, &want);
            }
        }
        Read::CircularDocx(_) => {
            let ct = res.header("content-type").unwrap_or_default();
            if !ct.contains("wordprocessingml") {
                return mismatch("docx type", &ct, &"wordprocessingml");
            }
        }
        Read::Ledger(r) => {
            let scope = policy::scope(a, Action::ViewRoundWork).unwrap();
            let visible: Vec<StoredRecord> = records(app, RecordKind::Paper, Some(r), None)
                .await
                .into_iter()
                .filter(|p| scope.contains(&p.meta.unit_path))
                .collect();
            if api {
                let want: BTreeSet<i64> = visible.iter().map(|p| p.meta.id).collect();
                let got = ids(&res.json()["items"]);
                if got != want {
                    return mismatch("ledger", &got, &want);
                }
            } else {
                let names = ledger_units(&res.body);
                let mut want: Vec<String> = visible
                    .iter()
                    .map(|p| d.by_id(p.meta.target_id).unit_name.clone())
                    .collect();
                want.sort();
                if names != want {
                    return mismatch("ledger.xlsx units", &names, &want);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The unit column of a ledger workbook, sorted.
pub fn ledger_units(xlsx: &[u8]) -> Vec<String> {
    let mut names: Vec<String> = match xuncha_office::read_table(xlsx, "ledger.xlsx") {
        Ok(t) => t.rows.into_iter().map(|r| r.cells[0].clone()).collect(),
        Err(xuncha_office::ReadError::Empty) => Vec::new(),
        Err(e) => panic!("ledger.xlsx: {e}"),
    };
    names.sort();
    names
}

#[tokio::test]
async fn every_user_reads_of_both_rounds_what_the_policy_allows() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let reads = reads(&d);

    // Act
    let mut table = String::new();
    let mut problems = Vec::new();
    let mut n = 0;
    for user in USERS {
        let actor = app.actor(user).await;
        let session = app.session_as(user).await;
        let bearer = token(&app, user).await;
        let _ = write!(table, "{user:<10}");
        for &(read, api) in &reads {
            let want = read.expected(&d, &actor);
            if want == StatusCode::OK {
                assert!(
                    read.actions().iter().any(|x| role_allows(actor.role, *x)),
                    "{user} {read:?}: the policy and the role table disagree"
                );
            }
            let caller = match api {
                true => Caller::Bearer(&bearer),
                false => Caller::Browser(&session),
            };
            let path = read.path(api);
            let res = app.get(&path, caller).await;
            n += 1;
            let _ = write!(table, " {}", res.status.as_u16());
            if res.status != want {
                problems.push(format!("{user} GET {path}: want {want}, got {}", res.status));
            } else if res.status == StatusCode::OK {
                if let Err(e) = contents(&app, &d, &actor, read, &res).await {
                    problems.push(format!("{user} GET {path}: {e}"));
                }
            }
        }
        table.push('\n');
    }

    // Assert
    let legend: Vec<String> = reads.iter().map(|(r, api)| r.path(*api)).collect();
    let report = format!("columns: {legend:?}\n{table}");
    assert!(problems.is_empty(), "{}\n{report}", problems.join("\n"));
    assert_eq!(n, USERS.len() * reads.len());
    eprintln!("{report}");
}

/// Sends a GET of `path` as a page (cookie) and through the API (bearer).
async fn both(app: &TestApp, user: &str, page: &str) -> [Res; 2] {
    let s = app.session_as(user).await;
    let t = token(app, user).await;
    [
        app.get(page, Caller::Browser(&s)).await,
        app.get(&format!("/api/v1{page}"), Caller::Bearer(&t)).await,
    ]
}

async fn assert_both(app: &TestApp, user: &str, page: &str, want: StatusCode) {
    for res in both(app, user, page).await {
        assert_eq!(res.status, want, "{user} {page}: {}", res.text());
    }
}

#[tokio::test]
async fn team_members_open_only_their_team_s_targets_and_never_a_recused_one() {
    // Arrange: the office records work on 城关镇, so there is something to hide.
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let cg = d.target(CHENGGUAN);
    let office = token(&app, "office").await;
    let paper = serde_json::json!({"category": "四个落实/落实巡察整改", "source": "files",
        "summary": "城关镇测试底稿", "facts": "事实", "basis": "依据"});
    let fieldwork = serde_json::json!({"method": "hearing", "date": "2026-11-26",
        "participants": "甲、乙", "notes": "听取城关镇汇报"});
    for (what, body) in [("papers", paper), ("fieldwork", fieldwork)] {
        let res = app
            .post_json(&format!("/api/v1/targets/{}/{what}", cg.id), &body.to_string(), Caller::Bearer(&office))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    // Act & Assert: 组长 of 第一巡察组.
    for own in [QINGSHI, REVITALISATION, CIVIL_AFFAIRS] {
        let t = d.target(own).id;
        assert_both(&app, "zuzhang", &format!("/targets/{t}"), StatusCode::OK).await;
    }
    for other in [AGRICULTURE, CHENGGUAN] {
        let t = d.target(other).id;
        for page in [format!("/targets/{t}"), format!("/targets/{t}/rectification")] {
            assert_both(&app, "zuzhang", &page, StatusCode::NOT_FOUND).await;
        }
    }

    // zuyuan, recused from 城关镇: 404 everywhere, absent from every list.
    for page in [format!("/targets/{}", cg.id), format!("/targets/{}/rectification", cg.id)] {
        assert_both(&app, "zuyuan", &page, StatusCode::NOT_FOUND).await;
    }
    assert_both(&app, "zuyuan", &format!("/targets/{}", d.target(CIVIL_AFFAIRS).id), StatusCode::OK).await;
    let zuyuan = app.session_as("zuyuan").await;
    let zt = token(&app, "zuyuan").await;
    let r2 = d.active.id;
    for kind in ["paper", "fieldwork", "clue", "briefing", "report", "transfer", "rect-item"] {
        let path = format!("/api/v1/rounds/{r2}/ledger/{kind}?per_page=500");
        let v = app.get(&path, Caller::Bearer(&zt)).await.json();
        let units: Vec<i64> = v["items"].as_array().unwrap().iter().map(|i| i["meta"]["unit_id"].as_i64().unwrap()).collect();
        assert!(!units.contains(&cg.unit_id), "{path} lists 城关镇: {units:?}");
        assert!(kind != "paper" || !units.is_empty(), "her own team's papers are listed");
    }
    for kind in ["paper", "clue"] {
        let path = format!("/rounds/{r2}/ledger/{kind}.xlsx");
        let res = app.get(&path, Caller::Browser(&zuyuan)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!ledger_units(&res.body).iter().any(|u| u == CHENGGUAN), "{path}");
    }
    let pages = [
        "/rounds".to_owned(),
        format!("/rounds/{r2}"),
        format!("/targets/{}", d.target(REVITALISATION).id),
        "/rectification".to_owned(),
    ];
    for page in &pages {
        let res = app.get(page, Caller::Browser(&zuyuan)).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        assert!(!res.text().contains(CHENGGUAN), "zuyuan's {page} names 城关镇");
    }
    let v = app.get(&format!("/api/v1/rounds/{r2}"), Caller::Bearer(&zt)).await.json();
    assert!(!ids(&v["targets"]).contains(&cg.id));

    // The office's ledger does hold the 城关镇 paper (the check above bites).
    let os = app.session_as("office").await;
    let xlsx = app.get(&format!("/rounds/{r2}/ledger/paper.xlsx"), Caller::Browser(&os)).await;
    assert!(ledger_units(&xlsx.body).iter().any(|u| u == CHENGGUAN));
}

#[tokio::test]
async fn the_inspected_unit_sees_its_own_rectification_but_no_paper_and_no_workspace() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let own = d.target(QINGSHI).id;
    let office = token(&app, "office").await;
    let rect = |t: i64| format!("/api/v1/targets/{t}/rectification");

    // Act
    let [page, api] = both(&app, "beixuncha", &format!("/targets/{own}/rectification")).await;
    let theirs = app.get(&rect(own), Caller::Bearer(&office)).await.json();

    // Assert
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(api.status, StatusCode::OK);
    let mine = api.json();
    assert!(!mine["items"].as_array().unwrap().is_empty(), "her items");
    assert_eq!(mine["unlisted"], Value::Array(vec![]), "no team papers for the unit");
    assert_eq!(mine["can_verify"], false);
    let unlisted = theirs["unlisted"].as_array().unwrap();
    assert!(!unlisted.is_empty(), "the office sees unlisted papers, so the check bites");
    for p in unlisted {
        let summary = p["data"]["summary"].as_str().unwrap();
        assert!(!page.text().contains(summary), "the unit's page shows the paper {summary}");
    }
    for t in &d.targets {
        if t.id != own {
            let path = format!("/targets/{}/rectification", t.id);
            assert_both(&app, "beixuncha", &path, StatusCode::NOT_FOUND).await;
        }
        for res in both(&app, "beixuncha", &format!("/targets/{}", t.id)).await {
            assert!(refused(res.status), "beixuncha opened the workspace of {}", t.unit_name);
        }
    }
}

/// 403 or 404: refused without saying more.
pub fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

#[tokio::test]
async fn receivers_list_only_what_was_transferred_to_them() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let finance = app.unit("云岭县财政局").await;
    let all = records(&app, RecordKind::Transfer, None, None).await;
    let cases = [
        ("jiwei", "discipline".to_owned(), None),
        ("zuzhibu", "organisation".to_owned(), Some(1)),
        ("bumen", format!("department:{}", finance.id), Some(1)),
    ];

    for (user, tag, count) in cases {
        // Act
        let [page, api] = both(&app, user, "/transfers").await;

        // Assert
        assert_eq!((page.status, api.status), (StatusCode::OK, StatusCode::OK), "{user}");
        let items = api.json()["items"].as_array().unwrap().clone();
        let mine: Vec<&StoredRecord> = all.iter().filter(|r| r.meta.tag.as_deref() == Some(tag.as_str())).collect();
        assert!(!items.is_empty(), "{user} receives something");
        assert_eq!(items.len(), mine.len(), "{user}: {items:?}");
        if let Some(n) = count {
            assert_eq!(items.len(), n, "{user}");
        }
        for i in &items {
            assert_eq!(i["tag"], tag.as_str(), "{user} sees {i}");
            let want = tag.split(':').next().unwrap();
            assert_eq!(i["data"]["receiver"], want, "{user} sees {i}");
            if user == "bumen" {
                assert_eq!(i["data"]["receiver_unit_id"], finance.id);
            }
        }
        for r in &all {
            let v: Value = serde_json::from_str(&r.data).unwrap();
            let title = v["item"]["title"].as_str().unwrap();
            let is_mine = r.meta.tag.as_deref() == Some(tag.as_str());
            assert_eq!(page.text().contains(title), is_mine, "{user}'s /transfers and {title}");
            if is_mine {
                let t = d.by_id(r.meta.target_id).id;
                for res in both(&app, user, &format!("/targets/{t}")).await {
                    assert!(refused(res.status), "{user} opened the workspace of target {t}");
                }
            }
        }
    }
}

#[tokio::test]
async fn visiting_cadres_and_checkers_get_nothing_of_a_round_and_the_leading_group_only_reads() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;

    for user in ["zoufang", "jiancha", "leader"] {
        let s = app.session_as(user).await;
        let t = token(&app, user).await;
        for (read, api) in reads(&d) {
            // Act
            let caller = if api { Caller::Bearer(&t) } else { Caller::Browser(&s) };
            let res = app.get(&read.path(api), caller).await;

            // Assert
            let path = read.path(api);
            if user != "leader" {
                assert!(refused(res.status), "{user} GET {path}: {}", res.status);
                continue;
            }
            let reads_it = matches!(
                read,
                Read::Rounds | Read::Round(_) | Read::Workspace(_) | Read::Rect(_)
                    | Read::Circular(_) | Read::CircularDocx(_) | Read::Reports | Read::Ledger(_)
            );
            if reads_it {
                assert_eq!(res.status, StatusCode::OK, "leader GET {path}");
            }
        }
    }
}
