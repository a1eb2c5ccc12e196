//! The 巡察 round's reads through the real router: every demo user × every
//! page, API answer and export of both demo rounds. The expected status comes
//! from `xuncha_core::policy` and the user's assignments and recusals (the
//! actor the router builds); list contents are compared with what the store
//! holds; and concrete facts (who must get 404, whose names must not show)
//! are asserted on their own so the matrix is not circular.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use axum::http::StatusCode;
use serde_json::{json, Value};
use xuncha_core::auth::{Actor, Role};
use xuncha_core::inspection::record::{RecordFilter, RecordKind, StoredRecord};
use xuncha_core::inspection::{Round, RoundStatus, Target};
use xuncha_core::policy::{self, is_team_role, role_allows, Action, Scope};
use xuncha_core::registry::PageRequest;
use xuncha_core::CoreError;

use crate::helpers::{Caller, Res, TestApp};

/// Every demo login.
const USERS: &str = "admin office leader zuzhang fuzuzhang zuyuan zuzhang2 fuzuzhang2 zuyuan2 \
                         jiwei zuzhibu bumen beixuncha zoufang jiancha";

pub fn users() -> impl Iterator<Item = &'static str> {
    USERS.split_whitespace()
}

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
        Role::Department => a
            .jurisdiction
            .as_ref()
            .map(|j| format!("department:{}", j.unit_id)),
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
        // A team member's rounds are the ones they are assigned to; any
        // other round does not exist for them (page, circular, ledgers).
        let in_round = |s: StatusCode, r: i64| match s {
            StatusCode::OK
                if is_team_role(a.role) && !a.assignments.iter().any(|x| x.round_id == r) =>
            {
                StatusCode::NOT_FOUND
            }
            s => s,
        };
        match self {
            Read::Rounds => scoped(a, Action::ViewRounds),
            Read::Round(r) => in_round(scoped(a, Action::ViewRounds), r),
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
            Read::Circular(r) | Read::CircularDocx(r) => {
                in_round(scoped(a, Action::ViewCircular), r)
            }
            Read::Ledger(r) => in_round(scoped(a, Action::ViewRoundWork), r),
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

fn same(what: &str, got: BTreeSet<i64>, want: BTreeSet<i64>) -> Result<(), String> {
    match got == want {
        true => Ok(()),
        false => Err(format!("{what}: got {got:?}, want {want:?}")),
    }
}

fn title(r: &StoredRecord) -> String {
    let v: Value = serde_json::from_str(&r.data).unwrap();
    v["item"]["title"].as_str().unwrap().to_owned()
}

/// The contents of a successful answer against the store and the policy;
/// `Err` names what is wrong.
async fn contents(app: &TestApp, d: &Demo, a: &Actor, read: Read, res: &Res) -> Result<(), String> {
    let api = res
        .header("content-type")
        .is_some_and(|c| c.contains("json"));
    let in_scope = |action: Action, path: &str| policy::scope(a, action).unwrap().contains(path);
    let targets = |r: i64, action: Action| -> BTreeSet<i64> {
        d.of_round(r)
            .filter(|t| in_scope(action, &t.unit_path))
            .map(|t| t.id)
            .collect()
    };
    match read {
        Read::Rounds if api => {
            let assigned = |r: &&Round| a.assignments.iter().any(|x| x.round_id == r.id);
            let want = [&d.finished, &d.active].into_iter();
            let want = want
                .filter(|r| !is_team_role(a.role) || assigned(r))
                .map(|r| r.id);
            same("rounds", ids(&res.json()), want.collect())
        }
        Read::Round(r) if api => same(
            "targets",
            ids(&res.json()["targets"]),
            targets(r, Action::ViewRounds),
        ),
        Read::Round(r) => match d.of_round(r).find(|t| {
            !in_scope(Action::ViewRounds, &t.unit_path) && res.text().contains(&t.unit_name)
        }) {
            Some(t) => Err(format!("the round page names the hidden {}", t.unit_name)),
            None => Ok(()),
        },
        Read::Workspace(t) | Read::Rect(t) if api => {
            let v = res.json();
            let verifies = sees(a, Action::VerifyRectification, &d.by_id(t).unit_path);
            if v["target"]["id"] != t {
                Err(format!("target {}", v["target"]["id"]))
            } else if matches!(read, Read::Rect(_)) && !verifies && v["unlisted"] != json!([]) {
                Err(format!("papers shown to a non-verifier: {}", v["unlisted"]))
            } else {
                Ok(())
            }
        }
        Read::Transfers => {
            let all = records(app, RecordKind::Transfer, None, None).await;
            let recused = |r: &StoredRecord| {
                a.recused_paths
                    .iter()
                    .any(|p| r.meta.unit_path.starts_with(p))
            };
            let visible: Vec<&StoredRecord> = all
                .iter()
                .filter(|r| match receiver_tag(a) {
                    Some(tag) => r.meta.tag.as_deref() == Some(tag.as_str()) && !recused(r),
                    None => in_scope(Action::PlanRounds, &r.meta.unit_path),
                })
                .collect();
            if api {
                let want = visible.iter().map(|r| r.meta.id).collect();
                return same("transfers", ids(&res.json()["items"]), want);
            }
            let shown: Vec<String> = visible.iter().map(|r| title(r)).collect();
            match all
                .iter()
                .map(title)
                .find(|t| shown.contains(t) != res.text().contains(t))
            {
                Some(t) => Err(format!("transfer {t} shown: {}", !shown.contains(&t))),
                None => Ok(()),
            }
        }
        Read::Circular(r) if api => same(
            "circular",
            ids(&res.json()["targets"]),
            targets(r, Action::ViewCircular),
        ),
        Read::CircularDocx(_) => match res.header("content-type").unwrap_or_default() {
            ct if ct.contains("wordprocessingml") => Ok(()),
            ct => Err(format!("a docx as {ct}")),
        },
        Read::Ledger(r) => {
            let papers = records(app, RecordKind::Paper, Some(r), None).await;
            let visible = papers
                .iter()
                .filter(|p| in_scope(Action::ViewRoundWork, &p.meta.unit_path));
            if api {
                let want = visible.map(|p| p.meta.id).collect();
                return same("ledger", ids(&res.json()["items"]), want);
            }
            let mut want: Vec<String> = visible
                .map(|p| d.by_id(p.meta.target_id).unit_name.clone())
                .collect();
            want.sort();
            match ledger_units(&res.body) {
                got if got == want => Ok(()),
                got => Err(format!("ledger.xlsx units: got {got:?}, want {want:?}")),
            }
        }
        _ => Ok(()),
    }
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
    for user in users() {
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
                problems.push(format!(
                    "{user} GET {path}: want {want}, got {}",
                    res.status
                ));
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
    assert_eq!(n, users().count() * reads.len());
    eprintln!("{report}");
}

/// Sends a GET of `path` as a page (cookie) and through the API (bearer).
async fn both(app: &TestApp, user: &str, page: &str) -> [Res; 2] {
    let (s, t) = (app.session_as(user).await, token(app, user).await);
    let api = format!("/api/v1{page}");
    [
        app.get(page, Caller::Browser(&s)).await,
        app.get(&api, Caller::Bearer(&t)).await,
    ]
}

async fn assert_both(app: &TestApp, user: &str, page: &str, want: StatusCode) {
    for res in both(app, user, page).await {
        assert_eq!(res.status, want, "{user} {page}: {}", res.text());
    }
}

/// 403 or 404: refused without saying more.
pub fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

async fn assert_refused(app: &TestApp, user: &str, page: &str) {
    for res in both(app, user, page).await {
        assert!(refused(res.status), "{user} {page}: {}", res.status);
    }
}

#[tokio::test]
async fn team_members_open_only_their_team_s_targets_and_never_a_recused_one() {
    // Arrange: the office records work on 城关镇, so there is something to hide.
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let (cg, r2) = (d.target(CHENGGUAN), d.active.id);
    let office = token(&app, "office").await;
    let paper = json!({"category": "四个落实/落实巡察整改", "source": "files",
        "summary": "城关镇测试底稿", "facts": "事实", "basis": "依据"});
    let fieldwork = json!({"method": "hearing", "date": "2026-11-26",
        "participants": "甲、乙", "notes": "听取城关镇汇报"});
    for (what, body) in [("papers", paper), ("fieldwork", fieldwork)] {
        let path = format!("/api/v1/targets/{}/{what}", cg.id);
        let res = app
            .post_json(&path, &body.to_string(), Caller::Bearer(&office))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    // Act & Assert: 组长 of 第一巡察组, never 403 for what is not his.
    for own in [QINGSHI, REVITALISATION, CIVIL_AFFAIRS] {
        let page = format!("/targets/{}", d.target(own).id);
        assert_both(&app, "zuzhang", &page, StatusCode::OK).await;
    }
    for t in [d.target(AGRICULTURE).id, cg.id] {
        for page in [
            format!("/targets/{t}"),
            format!("/targets/{t}/rectification"),
        ] {
            assert_both(&app, "zuzhang", &page, StatusCode::NOT_FOUND).await;
        }
    }

    // zuyuan, recused from 城关镇: 404 everywhere, absent from every list.
    for page in [
        format!("/targets/{}", cg.id),
        format!("/targets/{}/rectification", cg.id),
    ] {
        assert_both(&app, "zuyuan", &page, StatusCode::NOT_FOUND).await;
    }
    let civil = format!("/targets/{}", d.target(CIVIL_AFFAIRS).id);
    assert_both(&app, "zuyuan", &civil, StatusCode::OK).await;
    let (zuyuan, zt) = (app.session_as("zuyuan").await, token(&app, "zuyuan").await);
    for kind in [
        "paper",
        "fieldwork",
        "clue",
        "briefing",
        "report",
        "transfer",
        "rect-item",
    ] {
        let path = format!("/api/v1/rounds/{r2}/ledger/{kind}?per_page=500");
        let v = app.get(&path, Caller::Bearer(&zt)).await.json();
        let items = v["items"].as_array().unwrap();
        let units: Vec<&Value> = items.iter().map(|i| &i["meta"]["unit_id"]).collect();
        assert!(!units.contains(&&json!(cg.unit_id)), "{path}: {units:?}");
        assert!(kind != "paper" || !units.is_empty(), "her team's papers");
    }
    for kind in ["paper", "clue"] {
        let path = format!("/rounds/{r2}/ledger/{kind}.xlsx");
        let res = app.get(&path, Caller::Browser(&zuyuan)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            !ledger_units(&res.body).contains(&CHENGGUAN.to_owned()),
            "{path}"
        );
    }
    let revitalisation = format!("/targets/{}", d.target(REVITALISATION).id);
    for page in [
        "/rounds",
        &format!("/rounds/{r2}"),
        &revitalisation,
        "/rectification",
    ] {
        let res = app.get(page, Caller::Browser(&zuyuan)).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        assert!(
            !res.text().contains(CHENGGUAN),
            "zuyuan's {page} names 城关镇"
        );
    }
    let v = app
        .get(&format!("/api/v1/rounds/{r2}"), Caller::Bearer(&zt))
        .await
        .json();
    assert!(!ids(&v["targets"]).contains(&cg.id));

    // The office's ledger does hold the 城关镇 paper (the checks above bite).
    let os = app.session_as("office").await;
    let xlsx = app
        .get(
            &format!("/rounds/{r2}/ledger/paper.xlsx"),
            Caller::Browser(&os),
        )
        .await;
    assert!(ledger_units(&xlsx.body).contains(&CHENGGUAN.to_owned()));
}

#[tokio::test]
async fn the_inspected_unit_sees_its_own_rectification_but_no_paper_and_no_workspace() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;
    let own = d.target(QINGSHI).id;

    // Act
    let [page, api] = both(&app, "beixuncha", &format!("/targets/{own}/rectification")).await;

    // Assert
    assert_eq!((page.status, api.status), (StatusCode::OK, StatusCode::OK));
    let mine = api.json();
    assert!(!mine["items"].as_array().unwrap().is_empty(), "her items");
    assert_eq!(mine["unlisted"], json!([]), "no team papers for the unit");
    assert_eq!(mine["can_verify"], false);
    let papers = records(&app, RecordKind::Paper, None, Some(own)).await;
    assert!(!papers.is_empty());
    for p in &papers {
        let v: Value = serde_json::from_str(&p.data).unwrap();
        // (A summary may be an item's problem; the facts are the team's.)
        for text in [v["facts"].as_str().unwrap(), v["basis"].as_str().unwrap()] {
            let shown = page.text().contains(text) || api.text().contains(text);
            assert!(!shown, "the unit is shown the paper {text}");
        }
    }
    for t in &d.targets {
        if t.id != own {
            let path = format!("/targets/{}/rectification", t.id);
            assert_both(&app, "beixuncha", &path, StatusCode::NOT_FOUND).await;
        }
        assert_refused(&app, "beixuncha", &format!("/targets/{}", t.id)).await;
    }
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
        assert_eq!((page.status, api.status), (StatusCode::OK, StatusCode::OK));
        let items = api.json()["items"].as_array().unwrap().clone();
        let is_mine = |r: &StoredRecord| r.meta.tag.as_deref() == Some(tag.as_str());
        assert!(!items.is_empty(), "{user} receives something");
        assert_eq!(
            items.len(),
            all.iter().filter(|r| is_mine(r)).count(),
            "{user}"
        );
        assert!(count.is_none_or(|n| items.len() == n), "{user}: {items:?}");
        for i in &items {
            assert_eq!(i["tag"], tag.as_str(), "{user} sees {i}");
            assert_eq!(i["data"]["receiver"], tag.split(':').next().unwrap());
            if user == "bumen" {
                assert_eq!(i["data"]["receiver_unit_id"], finance.id);
            }
        }
        for r in &all {
            let shown = page.text().contains(&title(r));
            assert_eq!(shown, is_mine(r), "{user}'s /transfers and {}", title(r));
            if is_mine(r) {
                let t = d.by_id(r.meta.target_id).id;
                assert_refused(&app, user, &format!("/targets/{t}")).await;
            }
        }
    }
}

#[tokio::test]
async fn visiting_cadres_and_checkers_get_nothing_of_a_round_and_the_leading_group_reads() {
    // Arrange
    let app = TestApp::new().await;
    let d = Demo::load(&app).await;

    for user in ["zoufang", "jiancha", "leader"] {
        let (s, t) = (app.session_as(user).await, token(&app, user).await);
        for (read, api) in reads(&d) {
            // Act
            let caller = [Caller::Browser(&s), Caller::Bearer(&t)][usize::from(api)];
            let path = read.path(api);
            let res = app.get(&path, caller).await;

            // Assert: the leader reads all but the receivers' inbox.
            if user != "leader" {
                assert!(refused(res.status), "{user} GET {path}: {}", res.status);
            } else if !matches!(read, Read::Transfers | Read::RectList) {
                assert_eq!(res.status, StatusCode::OK, "leader GET {path}");
            }
        }
    }
}
