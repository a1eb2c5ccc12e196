//! Lists and runs of the cross-checks (大数据碰撞) in the browser, for the
//! office and the discipline commission (`RunCrossChecks`):
//!
//! * `/collide/data`: the data sets loaded, the upload form, the run form;
//! * an upload is kept as a blob and answered with the mapping screen (each
//!   field of the kind with a select of the file's headers, pre-filled by
//!   the auto-mapping); the confirmation imports with those choices and
//!   shows the rows imported and the per-row problems;
//! * a run goes on in the background; `/collide/runs/{id}` shows its
//!   progress (refreshing itself, no script) and then links to the hits;
//!   `/collide/runs/{id}/status` answers the same as JSON.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use xuncha_core::collide::{
    DatasetInfo, DatasetReport, ImportPlan, ParamChoice, RuleChoice, RuleParams,
};
use xuncha_core::i18n::{t, tf};
use xuncha_core::usecases::collide as uc;
use xuncha_core::{CoreError, FieldError};

use super::import::read_multipart;
use super::see_other;
use crate::auth::Auth;
use crate::cross_checks::{CrossChecks, RunStatus, Upload};
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/collide/data", get(data))
        .route("/collide/data/problems", get(problems))
        .route("/collide/data/upload", post(upload))
        .route("/collide/data/import", post(confirm))
        .route("/collide/data/remove", post(remove))
        .route("/collide/data/registry", post(from_registry))
        .route("/collide/runs", post(start_run))
        .route("/collide/runs/{id}", get(run_page))
        .route("/collide/runs/{id}/status", get(run_status))
}

/// Problems listed on the result page; all are kept with the data set.
const PROBLEMS_SHOWN: usize = 200;

/// The engine, for those who may run cross-checks; 404 where none is set up.
pub(super) fn engine(state: &AppState, auth: &Auth) -> Result<Arc<CrossChecks>, AppError> {
    if !uc::may_run(&auth.actor) {
        return Err(AppError::Forbidden);
    }
    state.collide.clone().ok_or(AppError::NotFound)
}

/// What was typed in the upload form.
#[derive(Debug, Clone, Default)]
struct Typed {
    kind: String,
    name: String,
    source: String,
}

#[derive(Template)]
#[template(path = "collide_data.html")]
struct DataPage {
    shell: Shell,
    datasets: Vec<DatasetInfo>,
    kinds: Vec<(String, String)>,
    rules: Vec<RuleChoice>,
    typed: Typed,
    run: RunTyped,
    errors: Vec<FieldError>,
}

impl DataPage {
    fn chosen(&self, rule: &str) -> bool {
        self.run.rules.iter().any(|r| r == rule)
    }

    /// A parameter's value as typed, else its default.
    fn param(&self, rule: &str, p: &ParamChoice) -> String {
        self.run
            .params
            .get(rule)
            .and_then(|m| m.get(&p.key))
            .cloned()
            .unwrap_or_else(|| p.default.clone())
    }
}

/// What was chosen and typed in the run form.
#[derive(Debug, Clone, Default)]
struct RunTyped {
    rules: Vec<String>,
    params: RuleParams,
}

impl RunTyped {
    /// Reads `rule` checkboxes and `param.{rule}.{key}` fields. A parameter
    /// left at its default is not sent to the engine, so the run's audit and
    /// the rule's SQL show only what the user changed.
    fn read(v: &[(String, String)], rules: &[RuleChoice]) -> RunTyped {
        let chosen: Vec<String> = v
            .iter()
            .filter(|(k, x)| k == "rule" && !x.trim().is_empty())
            .map(|(_, x)| x.trim().to_owned())
            .collect();
        let mut params = RuleParams::new();
        for (k, x) in v {
            let Some((rule, key)) = k.strip_prefix("param.").and_then(|r| r.split_once('.')) else {
                continue;
            };
            let default = rules
                .iter()
                .find(|r| r.id == rule)
                .and_then(|r| r.params.iter().find(|p| p.key == key))
                .map(|p| p.default.as_str());
            if default != Some(x.trim()) {
                params
                    .entry(rule.to_owned())
                    .or_default()
                    .insert(key.to_owned(), x.trim().to_owned());
            }
        }
        // Parameters only count for the rules that run.
        if !chosen.is_empty() {
            params.retain(|rule, _| chosen.contains(rule));
        }
        RunTyped {
            rules: chosen,
            params,
        }
    }
}

fn shell(auth: &Auth, title: &str) -> Shell {
    Shell::new(&auth.actor, auth.csrf.as_deref(), "/collide", title)
}

/// The page answered 422 when the form it shows was refused.
pub(super) fn failed(mut res: Response, errors: bool) -> Response {
    if errors {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

fn render_data(
    cc: &CrossChecks,
    auth: &Auth,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    render_data_with(cc, auth, typed, RunTyped::default(), errors)
}

fn render_data_with(
    cc: &CrossChecks,
    auth: &Auth,
    typed: Typed,
    run: RunTyped,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let e = cc.engine.as_ref();
    let bad = !errors.is_empty();
    let page = DataPage {
        shell: shell(auth, t("collide_web.data")),
        datasets: uc::datasets(e, &auth.actor)?,
        kinds: e.kinds(),
        rules: uc::rules(e, &auth.actor)?,
        typed,
        run,
        errors,
    };
    Ok(failed(html(&page)?, bad))
}

async fn data(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    render_data(&cc, &auth, Typed::default(), Vec::new())
}

#[derive(serde::Deserialize)]
struct ProblemsQuery {
    #[serde(default)]
    name: String,
}

/// The problems kept with a data set: the same report as after its import.
async fn problems(
    State(state): State<AppState>,
    auth: Auth,
    axum::extract::Query(q): axum::extract::Query<ProblemsQuery>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    let e = cc.engine.as_ref();
    let dataset = uc::datasets(e, &auth.actor)?
        .into_iter()
        .find(|d| d.name == q.name)
        .ok_or(AppError::NotFound)?;
    let mut problems = uc::dataset_problems(e, &auth.actor, &q.name)?;
    let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
    problems.truncate(PROBLEMS_SHOWN);
    html(&ResultPage {
        shell: shell(&auth, t("collide_web.result")),
        report: DatasetReport { dataset, problems },
        more,
    })
}

#[derive(Template)]
#[template(path = "collide_mapping.html")]
struct MappingPage {
    shell: Shell,
    plan: ImportPlan,
    typed: Typed,
    token: String,
    file_name: String,
    errors: Vec<FieldError>,
}

impl MappingPage {
    fn intro(&self) -> String {
        tf(
            "collide_web.mapping_file",
            &[
                ("file", &self.file_name),
                ("rows", &self.plan.rows.to_string()),
                ("kind", &self.plan.kind_label),
                ("name", &self.typed.name),
            ],
        )
    }
}

async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    mp: Multipart,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    let up = match read_multipart(mp).await {
        Ok(u) => u,
        Err(AppError::Invalid(v)) => return render_data(&cc, &auth, Typed::default(), v),
        Err(e) => return Err(e),
    };
    auth.check_csrf(&up.csrf)?;
    let field = |k: &str| {
        up.fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let typed = Typed {
        kind: field("kind"),
        name: field("name"),
        source: field("source"),
    };
    let Some((file_name, bytes)) = up.file.filter(|(_, b)| !b.is_empty()) else {
        let e = vec![FieldError::field("file", t("collide_web.file_missing"))];
        return render_data(&cc, &auth, typed, e);
    };
    let input = uc::DatasetInput {
        kind: typed.kind.clone(),
        name: typed.name.clone(),
        source_department: typed.source.clone(),
        file_name: file_name.clone(),
    };
    let plan = match uc::plan_import(cc.engine.as_ref(), &auth.actor, &input, &bytes) {
        Ok(p) => p,
        Err(CoreError::Invalid(v)) => return render_data(&cc, &auth, typed, v),
        Err(e) => return Err(e.into()),
    };
    let sha256 = state.blobs.put(&bytes).await.map_err(AppError::Internal)?;
    let token = cc.keep_upload(Upload {
        user_id: auth.actor.user_id,
        sha256,
        file_name: file_name.clone(),
        at_ms: state.clock.now_ms(),
    });
    html(&MappingPage {
        shell: shell(&auth, t("collide_web.mapping")),
        plan,
        typed,
        token,
        file_name,
        errors: Vec::new(),
    })
}

#[derive(Template)]
#[template(path = "collide_result.html")]
struct ResultPage {
    shell: Shell,
    report: DatasetReport,
    more: usize,
}

impl ResultPage {
    fn line(&self) -> String {
        let d = &self.report.dataset;
        tf(
            "collide_web.result_line",
            &[
                ("kind", &d.kind_label),
                ("name", &d.name),
                ("rows", &d.rows.to_string()),
                ("skipped", &d.skipped.to_string()),
                ("problems", &d.problems.to_string()),
            ],
        )
    }

    fn more_line(&self) -> String {
        tf(
            "collide_web.problems_more",
            &[("n", &self.more.to_string())],
        )
    }
}

async fn confirm(
    State(state): State<AppState>,
    auth: Auth,
    Form(v): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    let get = |k: &str| {
        v.iter()
            .find(|(n, _)| n == k)
            .map(|(_, x)| x.trim().to_owned())
            .unwrap_or_default()
    };
    auth.check_csrf(&get("csrf"))?;
    let typed = Typed {
        kind: get("kind"),
        name: get("name"),
        source: get("source"),
    };
    let token = get("upload");
    let Some(up) = cc.upload(&token, auth.actor.user_id, state.clock.now_ms()) else {
        let e = vec![FieldError::field("file", t("collide_web.upload_gone"))];
        return render_data(&cc, &auth, typed, e);
    };
    let bytes = state
        .blobs
        .get(&up.sha256)
        .await
        .map_err(AppError::Internal)?;
    let input = uc::DatasetInput {
        kind: typed.kind.clone(),
        name: typed.name.clone(),
        source_department: typed.source.clone(),
        file_name: up.file_name.clone(),
    };
    // Every field of the kind is named: a chosen header, or empty to unmap.
    let mapping: Vec<(String, String)> = v
        .iter()
        .filter_map(|(k, x)| {
            k.strip_prefix("map.")
                .map(|f| (f.to_owned(), x.trim().to_owned()))
        })
        .collect();
    let s = state.store.as_ref();
    let e = cc.engine.as_ref();
    match uc::import_dataset(
        s,
        state.clock.as_ref(),
        e,
        &auth.actor,
        &input,
        mapping.clone(),
        &bytes,
    )
    .await
    {
        Ok(mut report) => {
            cc.forget_upload(&token);
            let more = report.problems.len().saturating_sub(PROBLEMS_SHOWN);
            report.problems.truncate(PROBLEMS_SHOWN);
            html(&ResultPage {
                shell: shell(&auth, t("collide_web.result")),
                report,
                more,
            })
        }
        Err(CoreError::Invalid(errors)) => {
            // The mapping screen again, with the choices as submitted.
            let mut plan = uc::plan_import(e, &auth.actor, &input, &bytes)?;
            for f in &mut plan.fields {
                if let Some((_, h)) = mapping.iter().find(|(k, _)| *k == f.key) {
                    f.header = Some(h.clone()).filter(|h| !h.is_empty());
                }
            }
            let page = MappingPage {
                shell: shell(&auth, t("collide_web.mapping")),
                plan,
                typed,
                token,
                file_name: up.file_name,
                errors,
            };
            Ok(failed(html(&page)?, true))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct RemoveForm {
    csrf: String,
    name: String,
}

/// Removes a data set (after the confirmation on the list), then back to the list.
async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<RemoveForm>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    auth.check_csrf(&f.csrf)?;
    uc::remove_dataset(
        state.store.as_ref(),
        state.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
        &f.name,
    )
    .await?;
    Ok(see_other("/collide/data"))
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// Makes (or remakes) the lists of the registry's persons and relations, then back to the list.
async fn from_registry(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    auth.check_csrf(&f.csrf)?;
    uc::import_registry(
        state.store.as_ref(),
        state.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
    )
    .await?;
    Ok(see_other("/collide/data"))
}

async fn start_run(
    State(state): State<AppState>,
    auth: Auth,
    Form(v): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    let csrf = v
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, x)| x.as_str())
        .unwrap_or_default();
    auth.check_csrf(csrf)?;
    let known = uc::rules(cc.engine.as_ref(), &auth.actor)?;
    let typed = RunTyped::read(&v, &known);
    if let Err(e) = uc::check_run(cc.engine.as_ref(), &auth.actor, &typed.rules, &typed.params) {
        return match e {
            CoreError::Invalid(errors) => {
                render_data_with(&cc, &auth, Typed::default(), typed, errors)
            }
            e => Err(e.into()),
        };
    }
    let RunTyped { rules, params } = typed;
    let id = cc.spawn_run(&state, auth.actor.clone(), rules, params);
    Ok(see_other(&format!("/collide/runs/{id}")))
}

#[derive(Template)]
#[template(path = "collide_run.html")]
struct RunPage {
    shell: Shell,
    id: u64,
    run: RunStatus,
}

impl RunPage {
    fn running(&self) -> String {
        tf(
            "collide_web.run_running",
            &[
                ("done", &self.run.done.to_string()),
                ("total", &self.run.total.to_string()),
            ],
        )
    }

    fn current(&self) -> String {
        tf("collide_web.run_current", &[("rule", &self.run.current)])
    }

    fn done(&self) -> Option<String> {
        self.run.summary.map(|s| {
            tf(
                "collide_web.run_done",
                &[
                    ("ran", &self.run.ran.to_string()),
                    ("new", &s.new.to_string()),
                    ("unchanged", &s.unchanged.to_string()),
                    ("gone", &s.gone.to_string()),
                ],
            )
        })
    }
}

fn status_of(state: &AppState, auth: &Auth, id: u64) -> Result<RunStatus, AppError> {
    let cc = engine(state, auth)?;
    cc.run(id, auth.actor.user_id).ok_or(AppError::NotFound)
}

async fn run_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let run = status_of(&state, &auth, id)?;
    html(&RunPage {
        shell: shell(&auth, t("collide_web.run_title")),
        id,
        run,
    })
}

async fn run_status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    Ok(Json(status_of(&state, &auth, id)?).into_response())
}
