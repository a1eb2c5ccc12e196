//! The permission matrix through the real router: every demo role (plus
//! township-bound office and organisation users created through the admin
//! page) × every registry action × inside / outside the user's jurisdiction.
//! The expected status comes from `xuncha_core::policy`, not from a table
//! copied into the test.

use std::fmt::Write as _;

use axum::http::StatusCode;
use xuncha_core::auth::{Actor, Role};
use xuncha_core::policy::{self, role_allows, Action};
use xuncha_core::registry::{Person, Unit};
use xuncha_core::CoreError;

use crate::helpers::{form_encode, id_number, Caller, Session, TestApp, DEMO_PASSWORD};

/// The demo logins, one per role.
const DEMO_USERS: [&str; 12] = [
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
];

/// An endpoint of the matrix and the policy question it answers.
#[derive(Clone, Copy)]
enum Probe {
    /// A list or page that needs the action somewhere (`policy::scope`).
    Scoped(&'static str, Action, StatusCode),
    /// An object in a unit (`policy::check` on the unit's path).
    OnUnit(&'static str, Action, StatusCode),
    /// An object belonging to a person of the unit.
    OnPerson(&'static str, Action, StatusCode),
}

const PROBES: &[Probe] = &[
    Probe::Scoped("GET /units", Action::ViewRegistry, StatusCode::OK),
    Probe::Scoped("GET /inspectors", Action::ViewRegistry, StatusCode::OK),
    Probe::OnUnit("GET /units/{id}", Action::ViewRegistry, StatusCode::OK),
    Probe::OnPerson("GET /persons/{id}", Action::ViewRegistry, StatusCode::OK),
    Probe::Scoped("GET /api/v1/persons", Action::ViewRegistry, StatusCode::OK),
    Probe::OnUnit(
        "GET /api/v1/units/{id}",
        Action::ViewRegistry,
        StatusCode::OK,
    ),
    Probe::OnUnit("POST /units", Action::EditRegistry, StatusCode::SEE_OTHER),
    Probe::OnUnit(
        "POST /api/v1/persons",
        Action::EditRegistry,
        StatusCode::CREATED,
    ),
    Probe::Scoped("GET /units/new", Action::EditRegistry, StatusCode::OK),
    Probe::Scoped("GET /import", Action::ImportRegistry, StatusCode::OK),
    Probe::Scoped(
        "GET /persons/export.xlsx",
        Action::ExportRegistry,
        StatusCode::OK,
    ),
    Probe::Scoped(
        "GET /units/export.xlsx",
        Action::ExportRegistry,
        StatusCode::OK,
    ),
    Probe::Scoped(
        "GET /inspectors/export.xlsx",
        Action::ExportRegistry,
        StatusCode::OK,
    ),
    Probe::Scoped("GET /admin/users", Action::ManageUsers, StatusCode::OK),
    Probe::Scoped("GET /admin/settings", Action::ViewSettings, StatusCode::OK),
    Probe::Scoped("GET /admin/audit", Action::ViewAudit, StatusCode::OK),
];

impl Probe {
    fn name(self) -> &'static str {
        match self {
            Probe::Scoped(n, ..) | Probe::OnUnit(n, ..) | Probe::OnPerson(n, ..) => n,
        }
    }
    fn action(self) -> Action {
        match self {
            Probe::Scoped(_, a, _) | Probe::OnUnit(_, a, _) | Probe::OnPerson(_, a, _) => a,
        }
    }
    fn success(self) -> StatusCode {
        match self {
            Probe::Scoped(_, _, s) | Probe::OnUnit(_, _, s) | Probe::OnPerson(_, _, s) => s,
        }
    }
    fn needs_object(self) -> bool {
        !matches!(self, Probe::Scoped(..))
    }
}

/// What the policy says the router must answer.
fn expected(probe: Probe, actor: &Actor, target: &Target) -> StatusCode {
    let decision = match probe {
        Probe::Scoped(_, action, _) => policy::scope(actor, action).map(|_| ()),
        Probe::OnUnit(_, action, _) => policy::check(actor, action, Some(&target.unit.path)),
        Probe::OnPerson(_, action, _) => {
            policy::check(actor, action, target.person.unit_path.as_deref())
        }
    };
    match decision {
        Ok(()) => probe.success(),
        Err(CoreError::Forbidden) => StatusCode::FORBIDDEN,
        Err(CoreError::NotFound) => StatusCode::NOT_FOUND,
        Err(e) => panic!("the policy answered {e:?}"),
    }
}

/// A unit and one of its persons, on one side of the jurisdiction line.
struct Target {
    unit: Unit,
    person: Person,
}

/// Sends the probe's request; writes create something new each time.
async fn send(app: &TestApp, probe: Probe, s: &Session, target: &Target, n: usize) -> StatusCode {
    let b = Caller::Browser(s);
    let res = match probe.name() {
        "GET /units" => app.get("/units", b).await,
        "GET /inspectors" => app.get("/inspectors", b).await,
        "GET /units/{id}" => app.get(&format!("/units/{}", target.unit.id), b).await,
        "GET /persons/{id}" => app.get(&format!("/persons/{}", target.person.id), b).await,
        "GET /api/v1/persons" => app.get("/api/v1/persons?per_page=5", b).await,
        "GET /api/v1/units/{id}" => {
            app.get(&format!("/api/v1/units/{}", target.unit.id), b)
                .await
        }
        "POST /units" => {
            let parent = target.unit.id.to_string();
            let name = format!("矩阵测试单位{n}");
            app.post_form(
                "/units",
                &[
                    ("csrf", &s.csrf),
                    ("parent_id", &parent),
                    ("name", &name),
                    ("kind", "other"),
                ],
                Some(s),
            )
            .await
        }
        "POST /api/v1/persons" => {
            let body = serde_json::json!({
                "name": format!("矩阵{n}"),
                "id_number": id_number("20200202", n as u16),
                "unit_id": target.unit.id,
            });
            app.post_json("/api/v1/persons", &body.to_string(), b).await
        }
        "GET /units/new" => app.get("/units/new", b).await,
        "GET /import" => app.get("/import", b).await,
        "GET /persons/export.xlsx" => {
            app.get(&format!("/persons/export.xlsx?unit={}", target.unit.id), b)
                .await
        }
        "GET /units/export.xlsx" => {
            app.get(
                &format!("/units/export.xlsx?q={}", form_encode(&target.unit.name)),
                b,
            )
            .await
        }
        "GET /inspectors/export.xlsx" => app.get("/inspectors/export.xlsx", b).await,
        "GET /admin/users" => app.get("/admin/users", b).await,
        "GET /admin/settings" => app.get("/admin/settings", b).await,
        "GET /admin/audit" => app.get("/admin/audit", b).await,
        other => panic!("no request for {other}"),
    };
    res.status
}

/// Creates, as the administrator through `/admin/users`, a user of `role`
/// bound to a township: for root-bound roles "outside" cannot exist otherwise.
async fn township_user(app: &TestApp, admin: &Session, username: &str, role: Role, unit: &Unit) {
    let unit_id = unit.id.to_string();
    let res = app
        .post_form(
            "/admin/users",
            &[
                ("csrf", &admin.csrf),
                ("username", username),
                ("display_name", username),
                ("role", role.as_str()),
                ("unit_id", &unit_id),
                ("password", DEMO_PASSWORD),
            ],
            Some(admin),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "creating {username}: {}",
        res.text()
    );
}

#[tokio::test]
async fn every_role_gets_what_the_policy_allows_inside_and_outside_its_jurisdiction() {
    // Arrange
    let app = TestApp::new().await;
    let admin = app.session_as("admin").await;
    let qingshi = app.unit("青石镇").await;
    let finance = app.unit("云岭县财政局").await;
    township_user(&app, &admin, "office_qs", Role::Office, &qingshi).await;
    township_user(&app, &admin, "zuzhibu_qs", Role::Organisation, &qingshi).await;
    let mut users: Vec<&str> = DEMO_USERS.to_vec();
    users.extend(["office_qs", "zuzhibu_qs"]);
    let sides = [
        Target {
            person: app.person_in(&qingshi).await,
            unit: qingshi.clone(),
        },
        Target {
            person: app.person_in(&finance).await,
            unit: finance.clone(),
        },
    ];

    // Act
    let mut rows = Vec::new();
    let mut mismatches = 0;
    let mut n = 0;
    for username in &users {
        let actor = app.actor(username).await;
        let session = app.session_as(username).await;
        let own_unit = match &actor.jurisdiction {
            Some(j) => app.store.get_unit(j.unit_id).await.unwrap(),
            None => finance.clone(),
        };
        let inside = Target {
            person: app.person_in(&own_unit).await,
            unit: own_unit,
        };
        // Outside: a probe unit not under the user's jurisdiction (none for
        // the administrator and users bound to the county root).
        let outside = actor
            .jurisdiction
            .as_ref()
            .and_then(|j| sides.iter().find(|t| !t.unit.path.starts_with(&j.path)));
        let mut cells = Vec::new();
        for &probe in PROBES {
            let mut places = vec![("in", &inside)];
            if probe.needs_object() {
                if let Some(o) = outside {
                    places.push(("out", o));
                }
            }
            for (side, target) in places {
                n += 1;
                let want = expected(probe, &actor, target);
                let got = send(&app, probe, &session, target, n).await;
                // The expectation must itself agree with the role table.
                let allowed = role_allows(actor.role, probe.action());
                if side == "in" {
                    assert_eq!(
                        want == probe.success(),
                        allowed,
                        "{username} {}: policy vs role table",
                        probe.name()
                    );
                } else {
                    assert_ne!(
                        want,
                        probe.success(),
                        "{username} {}: outside must fail",
                        probe.name()
                    );
                }
                if want != got {
                    mismatches += 1;
                }
                cells.push((probe.name(), side, want, got));
            }
        }
        rows.push((username.to_string(), actor.role, cells));
    }

    // Assert
    let mut table = String::new();
    for (user, role, cells) in &rows {
        let _ = write!(table, "{user:<11} {:<15}", role.as_str());
        for (probe, side, want, got) in cells {
            let sep = if *side == "out" { "/" } else { " " };
            if want == got {
                let _ = write!(table, "{sep}{}", got.as_u16());
            } else {
                let _ = write!(
                    table,
                    "{sep}[{probe} {side}: want {} got {}]",
                    want.as_u16(),
                    got.as_u16()
                );
            }
        }
        table.push('\n');
    }
    let legend: Vec<&str> = PROBES.iter().map(|p| p.name()).collect();
    let report =
        format!("columns: {legend:?} (a cell is in/out where the object can be outside)\n{table}");
    assert_eq!(mismatches, 0, "permission mismatches:\n{report}");
    eprintln!("{report}");
    assert!(
        n >= users.len() * PROBES.len(),
        "the matrix ran {n} requests"
    );
}
