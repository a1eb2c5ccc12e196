//! A survey's results for staff: per rating question a table of subjects,
//! per choice question the shares with bars, each subject's overall score,
//! the text answers; exported to .xlsx and .docx.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::i18n::t;
use xuncha_core::survey::{Results, Survey};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::usecases::surveys as uc;

use super::surveys::DOCX;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{download, html, Shell};
use crate::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/{id}/results", get(results))
        .route("/surveys/{id}/results.xlsx", get(results_xlsx))
        .route("/surveys/{id}/results.docx", get(results_docx))
}

#[derive(Template)]
#[template(path = "survey_results.html")]
struct ResultsPage {
    shell: Shell,
    survey: Survey,
    results: Results,
}

/// A rating question's results: one row per subject.
struct RateTable {
    title: String,
    options: Vec<String>,
    rows: Vec<(String, Vec<u64>, u64, String)>,
}

impl ResultsPage {
    fn rate_tables(&self) -> Vec<RateTable> {
        let f = &self.survey.form;
        let mut out: Vec<RateTable> = Vec::new();
        for i in &self.results.items {
            let Some(si) = i.subject else { continue };
            let row = (
                f.subjects.get(si).cloned().unwrap_or_default(),
                i.counts.clone(),
                i.valid,
                self.score(&i.score),
            );
            match out.last_mut() {
                Some(t) if si > 0 => t.rows.push(row),
                _ => out.push(RateTable {
                    title: format!("{}. {}", i.question + 1, f.questions[i.question].text),
                    options: f.scale.clone(),
                    rows: vec![row],
                }),
            }
        }
        out
    }
    fn choice_items(&self) -> Vec<&xuncha_core::survey::ItemResult> {
        self.results
            .items
            .iter()
            .filter(|i| i.subject.is_none())
            .collect()
    }
    fn item_title(&self, i: &xuncha_core::survey::ItemResult) -> String {
        let q = &self.survey.form.questions[i.question];
        match i.subject.and_then(|s| self.survey.form.subjects.get(s)) {
            Some(s) => format!("{}. {}（{s}）", i.question + 1, q.text),
            None => format!("{}. {}", i.question + 1, q.text),
        }
    }
    fn options(&self, i: &xuncha_core::survey::ItemResult) -> Vec<(String, u64, String, u32)> {
        let q = &self.survey.form.questions[i.question];
        self.survey
            .form
            .options(q)
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let share = i.share(n);
                (
                    o.clone(),
                    i.counts.get(n).copied().unwrap_or(0),
                    format!("{share:.1}%"),
                    // Bar widths in steps of 5% (classes w0..w20: no inline styles).
                    (share / 5.0).round().clamp(0.0, 20.0) as u32,
                )
            })
            .collect()
    }
    /// A subject's score as a bar width class (0–20, 5 points a step; a
    /// points scheme above 100 is capped).
    fn subject_bar(&self, i: &usize) -> u32 {
        let v = self
            .results
            .subjects
            .get(*i)
            .copied()
            .flatten()
            .unwrap_or(0.0);
        (v / 5.0).round().clamp(0.0, 20.0) as u32
    }
    fn subject_score(&self, i: &usize) -> String {
        self.score(self.results.subjects.get(*i).unwrap_or(&None))
    }
    fn score(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())
    }
    fn question_text(&self, q: &usize) -> String {
        format!("{}. {}", q + 1, self.survey.form.questions[*q].text)
    }
}

async fn results(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (survey, results) = uc::results(state.store.as_ref(), &auth.actor, id).await?;
    html(&ResultsPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/surveys",
            t("surveys.results"),
        ),
        survey,
        results,
    })
}

async fn results_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (survey, results) = uc::results(state.store.as_ref(), &auth.actor, id).await?;
    let sheets = xuncha_office::surveys::results_sheets(&survey, &results);
    let bytes = xuncha_office::write_xlsx(&sheets).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        XLSX,
        "results.xlsx",
        &format!("{}-{}.xlsx", survey.form.title, t("surveys.results")),
    ))
}

async fn results_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (survey, results) = uc::results(state.store.as_ref(), &auth.actor, id).await?;
    let doc =
        xuncha_office::surveys::results_document(&survey, &results, &today(state.clock.as_ref()));
    let bytes = xuncha_office::docx::write_docx(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        DOCX,
        "results.docx",
        &format!("{}-{}.docx", survey.form.title, t("surveys.results")),
    ))
}
