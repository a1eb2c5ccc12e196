//! Cross-check hits (大数据碰撞) for the office and the discipline commission:
//! the list with its filters (rule, verification, new/unchanged/gone), one
//! hit with its evidence, triage, and turning a confirmed hit into a clue.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::collide::{HitChange, HitState, StoredHit, TriageInput};
use xuncha_core::i18n::t;
use xuncha_core::inspection::paper::ClueGrade;
use xuncha_core::inspection::Target;
use xuncha_core::policy::{self, Action};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::usecases::collide as uc;
use xuncha_core::CoreError;

use super::rounds::Sticky;
use super::see_other;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/collide", get(list))
        .route("/collide/hits.xlsx", get(export))
        .route("/collide/hits/{id}", get(detail))
        .route("/collide/hits/{id}/triage", post(triage))
        .route("/collide/hits/{id}/clue", post(to_clue))
        .route("/collide/hits/{id}/paper", post(to_paper))
}

type Values = HashMap<String, String>;

#[derive(Template)]
#[template(path = "collide.html")]
struct ListPage {
    shell: Shell,
    page: Page<StoredHit>,
    pager: Pager,
    state: String,
    change: String,
    states: Vec<(&'static str, &'static str)>,
    changes: Vec<(&'static str, &'static str)>,
    /// Lists can be imported and rules run here.
    can_run: bool,
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    page: Option<u32>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    change: String,
    #[serde(default)]
    rule: String,
}

async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let req = PageRequest::new(q.page, Some(50));
    let st = HitState::parse(&q.state);
    let change = HitChange::parse(&q.change).map(|c| c.as_str().to_owned());
    let rule = Some(q.rule.trim().to_owned()).filter(|r| !r.is_empty());
    let page = uc::list(state.store.as_ref(), &auth.actor, rule, st, change, req).await?;
    let params = [
        ("state", q.state.clone()),
        ("change", q.change.clone()),
        ("rule", q.rule.clone()),
    ];
    html(&ListPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/collide",
            t("collide.title"),
        ),
        pager: Pager::new("/collide", &params, req.page, req.per_page, page.total),
        page,
        state: q.state,
        change: q.change,
        states: HitState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        changes: HitChange::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        can_run: state.collide.is_some() && uc::may_run(&auth.actor),
    })
}

/// The hits of the list's filters as a ledger (.xlsx), every page.
async fn export(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    use xuncha_office::{Cell, Sheet};
    let st = HitState::parse(&q.state);
    let change = HitChange::parse(&q.change).map(|c| c.as_str().to_owned());
    let rule = Some(q.rule.trim().to_owned()).filter(|r| !r.is_empty());
    let mut rows = Vec::new();
    for n in 1.. {
        let page = uc::list(
            state.store.as_ref(),
            &auth.actor,
            rule.clone(),
            st,
            change.clone(),
            PageRequest::new(Some(n), Some(500)),
        )
        .await?;
        let last = page.items.len() < 500;
        for h in page.items {
            rows.push(vec![
                Cell::Text(h.hit.rule_title),
                Cell::Text(h.hit.subject_name),
                Cell::Text(h.hit.subject_id_number.unwrap_or_default()),
                Cell::Text(
                    t(if h.hit.strong {
                        "collide.strong"
                    } else {
                        "collide.weak"
                    })
                    .to_owned(),
                ),
                Cell::Text(h.hit.evidence),
                Cell::Text(h.change.label().to_owned()),
                Cell::Text(h.state.label().to_owned()),
                Cell::Text(h.note),
            ]);
        }
        if last {
            break;
        }
    }
    let headers = [
        "collide.rule",
        "collide.subject",
        "collide.id_number",
        "collide.strength",
        "collide.evidence",
        "collide.change",
        "collide.state",
        "collide.note",
    ]
    .iter()
    .map(|k| t(k).to_owned())
    .collect();
    let sheet = Sheet {
        name: t("collide.title").to_owned(),
        title: Some(t("collide.ledger").to_owned()),
        headers,
        rows,
        widths: None,
    };
    let bytes = xuncha_office::write_xlsx(&[sheet]).map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::render::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "hits.xlsx",
        &format!("{}.xlsx", t("collide.ledger")),
    ))
}

#[derive(Template)]
#[template(path = "collide_hit.html")]
struct DetailPage {
    shell: Shell,
    hit: StoredHit,
    can_triage: bool,
    targets: Vec<Target>,
    grades: Vec<(&'static str, &'static str)>,
    /// The problem categories a working paper may take.
    categories: Vec<String>,
    /// The rule's policy basis, to start a working paper's basis from.
    basis: String,
    sticky: Sticky,
}

impl DetailPage {
    /// The evidence, one matched row or reason a line.
    fn evidence_lines(&self) -> Vec<String> {
        self.hit
            .hit
            .evidence
            .split(['；', '\n'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

async fn render(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let hit = uc::get(s, &auth.actor, id).await?;
    let can_triage = uc::may_triage(&auth.actor, &hit);
    // Clues go to a target of a round the actor works on.
    let targets = match policy::scope(&auth.actor, Action::EditRoundWork) {
        Ok(scope) => s.targets_in(&scope).await?,
        Err(_) => Vec::new(),
    };
    let failed = sticky.failed_any();
    // The rule's basis, where the engine knows the rule (templates, saved rules).
    let basis = match &state.collide {
        Some(cc) if can_triage => uc::rules(cc.engine.as_ref(), &auth.actor)
            .ok()
            .and_then(|rules| rules.into_iter().find(|r| r.id == hit.hit.rule))
            .map(|r| r.basis)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let categories = xuncha_core::usecases::rounds::work::categories(s).await?;
    super::rounds::answer(
        html(&DetailPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/collide",
                t("collide.hit"),
            ),
            hit,
            can_triage,
            targets,
            grades: ClueGrade::ALL
                .iter()
                .map(|g| (g.as_str(), g.label()))
                .collect(),
            categories,
            basis,
            sticky,
        }),
        failed,
    )
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&state, &auth, id, Sticky::default()).await
}

async fn triage(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = TriageInput {
        state: get("state"),
        note: get("note"),
        version: get("version").parse().unwrap_or(0),
    };
    match uc::triage(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        id,
        &input,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/collide/hits/{id}"))),
        Err(CoreError::Invalid(e)) => {
            render(&state, &auth, id, Sticky::failed("triage", v, e)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn to_paper(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let input = uc::HitPaperInput {
        target_id: v
            .get("target_id")
            .and_then(|x| super::opt_id(x))
            .unwrap_or(0),
        category: v.get("category").cloned().unwrap_or_default(),
        basis: v.get("basis").cloned().unwrap_or_default(),
    };
    let s = state.store.as_ref();
    match uc::to_paper(s, state.clock.as_ref(), &auth.actor, id, &input).await {
        Ok((_, paper)) => Ok(see_other(&format!("/records/{paper}"))),
        Err(CoreError::Invalid(e)) => {
            render(&state, &auth, id, Sticky::failed("paper", v, e)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn to_clue(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let target = v
        .get("target_id")
        .and_then(|x| super::opt_id(x))
        .unwrap_or(0);
    let grade = v.get("grade").cloned().unwrap_or_default();
    let s = state.store.as_ref();
    match uc::to_clue(s, state.clock.as_ref(), &auth.actor, id, target, &grade).await {
        Ok((_, clue)) => Ok(see_other(&format!("/records/{clue}"))),
        Err(CoreError::Invalid(e)) => render(&state, &auth, id, Sticky::failed("clue", v, e)).await,
        Err(e) => Err(e.into()),
    }
}
