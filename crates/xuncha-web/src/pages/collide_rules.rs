//! The rules of the cross-checks in the browser (`/collide/rules`), for the
//! office and the discipline commission: the templates with their basis,
//! parameters and SQL; the custom rules saved in this installation; a form
//! to write a rule in SQL, try it on the lists (nothing stored) and save it
//! for everyone who runs cross-checks. A refused form keeps what was typed.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::collide::{NewRule, RuleChoice, RulePreview, RuleTable};
use xuncha_core::i18n::{t, tf};
use xuncha_core::usecases::collide as uc;
use xuncha_core::{CoreError, FieldError};

use super::collide_data::{engine, failed};
use super::see_other;
use crate::auth::Auth;
use crate::cross_checks::CrossChecks;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/collide/rules", get(page).post(submit))
        .route("/collide/rules/remove", post(remove))
}

#[derive(Template)]
#[template(path = "collide_rules.html")]
struct RulesPage {
    shell: Shell,
    rules: Vec<RuleChoice>,
    tables: Vec<RuleTable>,
    typed: NewRule,
    preview: Option<RulePreview>,
    saved: Option<String>,
    errors: Vec<FieldError>,
}

impl RulesPage {
    fn preview_line(&self) -> String {
        match &self.preview {
            Some(p) if p.total > 0 => tf(
                "collide_web.preview_line",
                &[
                    ("total", &p.total.to_string()),
                    ("ms", &p.millis.to_string()),
                    ("shown", &p.hits.len().to_string()),
                ],
            ),
            Some(p) => tf("collide_web.preview_none", &[("ms", &p.millis.to_string())]),
            None => String::new(),
        }
    }

    fn saved_line(&self) -> Option<String> {
        let id = self.saved.as_deref()?;
        let rule = self.rules.iter().find(|r| r.id == id)?;
        Some(tf("collide_web.rule_saved", &[("title", &rule.title)]))
    }

    fn templates(&self) -> impl Iterator<Item = &RuleChoice> {
        self.rules.iter().filter(|r| !r.custom)
    }

    fn custom(&self) -> Vec<&RuleChoice> {
        self.rules.iter().filter(|r| r.custom).collect()
    }

    /// The error of one field of the form, if any.
    fn error_of(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

fn render(
    cc: &CrossChecks,
    auth: &Auth,
    typed: NewRule,
    preview: Option<RulePreview>,
    saved: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let e = cc.engine.as_ref();
    let bad = !errors.is_empty();
    let page = RulesPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/collide",
            t("collide_web.rules_page"),
        ),
        rules: uc::rules(e, &auth.actor)?,
        tables: uc::rule_tables(e, &auth.actor)?,
        typed,
        preview,
        saved,
        errors,
    };
    Ok(failed(html(&page)?, bad))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    render(&cc, &auth, NewRule::default(), None, q.saved, Vec::new())
}

#[derive(serde::Deserialize)]
struct RuleForm {
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    rule: NewRule,
}

/// 试运行 (nothing stored, the page again with the hits) or 保存.
async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<RuleForm>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    auth.check_csrf(&f.csrf)?;
    let (store, clock, e) = (
        state.store.as_ref(),
        state.clock.as_ref(),
        cc.engine.as_ref(),
    );
    let outcome = if f.action == "save" {
        uc::save_rule(store, clock, e, &auth.actor, &f.rule)
            .await
            .map(|r| Err(r.id))
    } else {
        uc::preview_rule(store, clock, e, &auth.actor, &f.rule.sql)
            .await
            .map(Ok)
    };
    match outcome {
        Ok(Ok(preview)) => render(&cc, &auth, f.rule, Some(preview), None, Vec::new()),
        Ok(Err(id)) => Ok(see_other(&format!(
            "/collide/rules?saved={}",
            crate::render::urlencode(&id)
        ))),
        Err(CoreError::Invalid(errors)) => render(&cc, &auth, f.rule, None, None, errors),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct RemoveForm {
    csrf: String,
    id: String,
}

async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<RemoveForm>,
) -> Result<Response, AppError> {
    let cc = engine(&state, &auth)?;
    auth.check_csrf(&f.csrf)?;
    uc::remove_rule(
        state.store.as_ref(),
        state.clock.as_ref(),
        cc.engine.as_ref(),
        &auth.actor,
        &f.id,
    )
    .await?;
    Ok(see_other("/collide/rules"))
}
