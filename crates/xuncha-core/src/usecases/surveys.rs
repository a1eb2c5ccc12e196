//! Surveys (民主测评、问卷调查): building a form (from a template or typed),
//! opening and closing it, issuing one-time codes, answering with a code
//! (online, or keyed in from paper by staff), and the results.

use std::collections::HashMap;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::codes;
use crate::error::CoreError;
use crate::i18n::t;
use crate::policy::{self, Action};
use crate::store::{AuditMeta, Store};
use crate::survey::{
    tabulate, NewSurvey, Results, Sheet, Survey, SurveyForm, SurveyInput, SurveyKind, SurveyStatus,
    CODE_LEN,
};

use super::meta;
use super::rounds::plan::today;

/// Most codes issued at once (one printing).
pub const MAX_CODES: usize = 5000;

/// A team never runs or reads the evaluation of its own conduct.
fn hidden_from(actor: &Actor, kind: SurveyKind) -> bool {
    kind == SurveyKind::TeamConduct && policy::is_team_role(actor.role)
}

fn check(actor: &Actor, action: Action, s: &Survey) -> Result<(), CoreError> {
    if hidden_from(actor, s.kind) {
        return Err(CoreError::NotFound);
    }
    policy::check(actor, action, Some(&s.unit_path))
}

async fn invalid_labels(store: &dyn Store) -> Result<Vec<String>, CoreError> {
    Ok(super::settings::effective(store)
        .await?
        .get("survey.invalid_options")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// The rating scales offered by the settings (labels joined by `/`).
pub async fn scales(store: &dyn Store) -> Result<Vec<String>, CoreError> {
    Ok(super::settings::effective(store)
        .await?
        .get("survey.scales")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// A built-in starting point for the builder form. `subjects` come from the
/// unit's leadership when the survey is about a unit.
pub async fn template(
    store: &dyn Store,
    kind: SurveyKind,
    target_id: Option<i64>,
) -> Result<SurveyInput, CoreError> {
    let scales = scales(store).await?;
    let first = scales.first().cloned().unwrap_or_default();
    let (unit, subjects, team) = match target_id {
        Some(id) => {
            let target = store.get_target(id).await?;
            let mut subjects = vec![t("survey_template.team_subject").to_owned()];
            for l in store.leadership_of(target.unit_id).await? {
                subjects.push(format!("{}（{}）", l.person_name, l.title));
            }
            let team = match target.team_id {
                Some(tid) => store.get_team(tid).await.ok().map(|tm| tm.name),
                None => None,
            };
            (target.unit_name, subjects, team)
        }
        None => (
            String::new(),
            vec![t("survey_template.team_subject").to_owned()],
            None,
        ),
    };
    let (title, questions, subjects, scale) = match kind {
        SurveyKind::Evaluation => (
            format!("{unit}{}", t("survey_template.evaluation_title")),
            t("survey_template.evaluation_questions"),
            subjects,
            first,
        ),
        SurveyKind::Questionnaire => (
            format!("{unit}{}", t("survey_template.questionnaire_title")),
            t("survey_template.questionnaire_questions"),
            Vec::new(),
            first,
        ),
        SurveyKind::TeamConduct => (
            format!(
                "{}{}",
                team.clone().unwrap_or_default(),
                t("survey_template.conduct_title")
            ),
            t("survey_template.conduct_questions"),
            vec![team.unwrap_or_else(|| t("survey_template.conduct_subject").to_owned())],
            scales
                .iter()
                .find(|s| s.starts_with("满意"))
                .cloned()
                .unwrap_or(first),
        ),
    };
    Ok(SurveyInput {
        kind: kind.as_str().into(),
        title,
        intro: t("survey_template.intro").into(),
        subjects: subjects.join("\n"),
        scale,
        scheme: "share".into(),
        values: if kind == SurveyKind::TeamConduct {
            "2"
        } else {
            "1"
        }
        .into(),
        questions: questions.to_owned(),
        target_id,
    })
}

/// Creates a draft survey about a target's unit (or, without a target, the
/// actor's own jurisdiction).
pub async fn create(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &SurveyInput,
) -> Result<Survey, CoreError> {
    policy::scope(actor, Action::ManageSurveys)?;
    let kind = SurveyKind::parse(&input.kind)
        .ok_or_else(|| CoreError::invalid("kind", t("error.survey_kind_choice")))?;
    if hidden_from(actor, kind) {
        return Err(CoreError::Forbidden);
    }
    let (round_id, unit_id, unit_path) = match input.target_id {
        Some(id) => {
            let target = store
                .get_target(id)
                .await
                .map_err(|_| CoreError::NotFound)?;
            (Some(target.round_id), target.unit_id, target.unit_path)
        }
        None => {
            let j = actor
                .jurisdiction
                .as_ref()
                .ok_or_else(|| CoreError::invalid("target_id", t("error.survey_target")))?;
            (None, j.unit_id, j.path.clone())
        }
    };
    policy::check(actor, Action::ManageSurveys, Some(&unit_path))?;
    let form = SurveyForm::parse(input, &invalid_labels(store).await?)?;
    let new = NewSurvey {
        kind,
        round_id,
        target_id: input.target_id,
        unit_id,
        unit_path,
        form,
    };
    Ok(store.create_survey(&new, &meta(actor, clock)).await?)
}

/// The surveys the actor may read.
pub async fn list(store: &dyn Store, actor: &Actor) -> Result<Vec<Survey>, CoreError> {
    let scope = policy::scope(actor, Action::ViewSurveyResults)?;
    Ok(store
        .list_surveys(&scope)
        .await?
        .into_iter()
        .filter(|s| !hidden_from(actor, s.kind))
        .collect())
}

/// One survey, if the actor may read its results.
pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<Survey, CoreError> {
    policy::scope(actor, Action::ViewSurveyResults)?;
    let s = store
        .get_survey(id)
        .await
        .map_err(|_| CoreError::NotFound)?;
    check(actor, Action::ViewSurveyResults, &s)?;
    Ok(s)
}

/// Rewrites the form of a draft.
pub async fn edit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    version: i64,
    input: &SurveyInput,
) -> Result<Survey, CoreError> {
    let s = get(store, actor, id).await?;
    check(actor, Action::ManageSurveys, &s)?;
    if s.status != SurveyStatus::Draft {
        return Err(CoreError::invalid(
            "questions",
            t("error.survey_draft_only"),
        ));
    }
    let form = SurveyForm::parse(input, &invalid_labels(store).await?)?;
    Ok(store
        .update_survey(id, version, &form, s.status, &meta(actor, clock))
        .await?)
}

/// Opens a draft or closes an open survey (only forward).
pub async fn set_status(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    status: SurveyStatus,
) -> Result<Survey, CoreError> {
    let s = get(store, actor, id).await?;
    check(actor, Action::ManageSurveys, &s)?;
    let forward = matches!(
        (s.status, status),
        (SurveyStatus::Draft, SurveyStatus::Open) | (SurveyStatus::Open, SurveyStatus::Closed)
    );
    if !forward {
        return Err(CoreError::invalid("status", t("error.survey_status")));
    }
    Ok(store
        .update_survey(id, s.version, &s.form, status, &meta(actor, clock))
        .await?)
}

/// Issues `n` one-time codes; returns them in plain text, once (for the
/// slips): only their hashes are kept.
pub async fn issue_codes(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    n: usize,
) -> Result<(Survey, Vec<String>), CoreError> {
    let s = get(store, actor, id).await?;
    check(actor, Action::ManageSurveys, &s)?;
    if s.status == SurveyStatus::Closed {
        return Err(CoreError::invalid("count", t("error.survey_not_open")));
    }
    if n == 0 || n > MAX_CODES {
        return Err(CoreError::invalid("count", t("error.survey_codes_count")));
    }
    let plain = crate::survey::new_codes(n);
    let hashes: Vec<String> = plain.iter().map(|c| codes::hash(c)).collect();
    store
        .add_survey_codes(id, &hashes, &meta(actor, clock))
        .await?;
    Ok((s, plain))
}

/// The open survey a code answers, and the code in canonical form. A wrong
/// or used code is a field error of the form.
pub async fn form_for_code(store: &dyn Store, code: &str) -> Result<(Survey, String), CoreError> {
    let canonical = codes::canonical(code, CODE_LEN)
        .ok_or_else(|| CoreError::invalid("code", t("error.survey_code")))?;
    let (survey_id, used) = store
        .survey_of_code(&codes::hash(&canonical))
        .await?
        .ok_or_else(|| CoreError::invalid("code", t("error.survey_code")))?;
    if used {
        return Err(CoreError::invalid("code", t("error.survey_code_used")));
    }
    let s = store.get_survey(survey_id).await?;
    if s.status != SurveyStatus::Open {
        return Err(CoreError::invalid("code", t("error.survey_not_open")));
    }
    Ok((s, canonical))
}

async fn store_sheet(
    store: &dyn Store,
    clock: &dyn Clock,
    survey: &Survey,
    code: &str,
    fields: &HashMap<String, String>,
    keyed: Option<&Actor>,
) -> Result<(), CoreError> {
    let sheet = Sheet::from_fields(&survey.form, fields)?;
    let m = match keyed {
        Some(a) => meta(a, clock),
        None => AuditMeta {
            actor_id: 0,
            actor_name: t("tips.public_actor").to_owned(),
            at: clock.now_ms(),
        },
    };
    match store
        .answer_survey(
            &codes::hash(code),
            &sheet,
            keyed.is_some(),
            &today(clock),
            &m,
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(crate::StoreError::Conflict(_)) => {
            Err(CoreError::invalid("code", t("error.survey_code_used")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Answers an open survey with a one-time code (anyone holding the slip).
pub async fn answer(
    store: &dyn Store,
    clock: &dyn Clock,
    code: &str,
    fields: &HashMap<String, String>,
) -> Result<Survey, CoreError> {
    let (survey, canonical) = form_for_code(store, code).await?;
    store_sheet(store, clock, &survey, &canonical, fields, None).await?;
    Ok(survey)
}

/// Staff key in a paper sheet with the code printed on it.
pub async fn key_in(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    code: &str,
    fields: &HashMap<String, String>,
) -> Result<(), CoreError> {
    let s = get(store, actor, id).await?;
    check(actor, Action::ManageSurveys, &s)?;
    let (survey, canonical) = form_for_code(store, code).await?;
    if survey.id != s.id {
        return Err(CoreError::invalid("code", t("error.survey_code")));
    }
    store_sheet(store, clock, &survey, &canonical, fields, Some(actor)).await
}

/// The results of a survey.
pub async fn results(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Survey, Results), CoreError> {
    let s = get(store, actor, id).await?;
    let sheets = store.survey_sheets(id).await?;
    let r = tabulate(
        &s.form,
        sheets
            .iter()
            .map(|x| (x.choices.as_str(), x.texts.as_slice())),
    );
    Ok((s, r))
}
