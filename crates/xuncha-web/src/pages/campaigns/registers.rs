//! The custody register of confiscated items (return against a guarantee)
//! and the follow-ups (hazards, demands) with their handling.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::campaign::custody::ReturnInput;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{
    Campaign, Confiscation, Followup, FollowupKind, FollowupStatus, ItemStatus, Satisfaction,
};
use xuncha_core::i18n::t;
use xuncha_core::policy::{self, Action, CampaignAccess};
use xuncha_core::usecases::campaigns::{self as uc, register, views, work};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::{CoreError, FieldError};

use super::{read_upload, shell, store_photos, Values};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::rounds::{field, Sticky};
use crate::pages::see_other;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/items", get(items))
        .route("/campaigns/items/{id}", get(item_page))
        .route("/campaigns/items/{id}/return", post(return_item))
        .route("/campaigns/items/{id}/photo", get(item_photo))
        .route("/campaigns/items/{id}/guarantee", get(guarantee_file))
        .route("/campaigns/{id}/followups", get(followups))
        .route("/campaigns/followups/{id}", get(followup_page).post(update))
        .route("/campaigns/followups/{id}/petition", post(to_petition))
}

#[derive(serde::Deserialize, Default)]
struct ItemsQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "campaign_items.html")]
struct ItemsPage {
    shell: Shell,
    c: Campaign,
    items: Vec<Confiscation>,
    held: usize,
}

async fn items(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ItemsQuery>,
) -> Result<Response, AppError> {
    let (l, mut all) = views::items(state.store.as_ref(), &auth.actor, id).await?;
    let held = all.iter().filter(|i| i.status == ItemStatus::Held).count();
    if let Some(s) = ItemStatus::parse(&q.status) {
        all.retain(|i| i.status == s);
    }
    html(&ItemsPage {
        shell: shell(&auth, t("campaign.items")),
        c: l.campaign,
        items: all,
        held,
    })
}

#[derive(Template)]
#[template(path = "campaign_item.html")]
struct ItemPage {
    shell: Shell,
    c: Campaign,
    item: Confiscation,
    may_return: bool,
    values: Values,
    errors: Vec<FieldError>,
}

impl ItemPage {
    fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }
    fn err(&self, field: &str) -> String {
        crate::pages::error_of(&self.errors, field)
    }
    fn held(&self) -> bool {
        self.item.status == ItemStatus::Held
    }
}

async fn item(
    state: &AppState,
    auth: &Auth,
    id: i64,
    values: Values,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (item, l, team) = work::item(state.store.as_ref(), &auth.actor, id).await?;
    let mut values = values;
    values
        .entry("returned_to".into())
        .or_insert_with(|| item.owner.clone());
    let failed = !errors.is_empty();
    crate::pages::rounds::answer(
        html(&ItemPage {
            shell: shell(auth, &item.item),
            may_return: l.access.may_record(team),
            c: l.campaign,
            item,
            values,
            errors,
        }),
        failed,
    )
}

async fn item_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    item(&state, &auth, id, Values::new(), Vec::new()).await
}

async fn return_item(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let max = super::max_upload(&state).await?;
    let up = match read_upload(mp, max).await {
        Ok(u) => u,
        Err(e) => return item(&state, &auth, id, Values::new(), vec![e]).await,
    };
    auth.check_csrf(&up.get("csrf"))?;
    let file = match store_photos(&state, &up.files("guarantee_file"), "guarantee").await {
        Ok(p) => p.into_iter().next(),
        Err(e) => return item(&state, &auth, id, up.fields, e).await,
    };
    let input = ReturnInput {
        guarantee: up.get("guarantee"),
        returned_to: up.get("returned_to"),
        version: up.get("version"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match work::return_item(s, c, &auth.actor, id, &input, file).await {
        Ok(_) => Ok(see_other(&format!("/campaigns/items/{id}"))),
        Err(CoreError::Invalid(e)) => item(&state, &auth, id, up.fields, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn item_photo(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (item, _, _) = work::item(state.store.as_ref(), &auth.actor, id).await?;
    let sha = item.photo.ok_or(AppError::NotFound)?;
    super::photo_response(&state, &sha).await
}

async fn guarantee_file(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (item, _, _) = work::item(state.store.as_ref(), &auth.actor, id).await?;
    let sha = item.guarantee_file.ok_or(AppError::NotFound)?;
    super::photo_response(&state, &sha).await
}

#[derive(serde::Deserialize, Default)]
struct FollowupsQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: String,
    /// Only this follow-up (the page a search result links to).
    #[serde(skip)]
    only: Option<i64>,
    /// Where the page starts: `deadline_id` of the last row of the page
    /// before.
    #[serde(default)]
    after: String,
}

impl FollowupsQuery {
    fn parse(&self) -> register::FollowupQuery {
        register::FollowupQuery {
            kind: FollowupKind::parse(&self.kind),
            status: FollowupStatus::parse(&self.status),
            overdue: self.overdue == "1",
            after: self.after.split_once('_').and_then(|(d, id)| {
                let valid = d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit() || b == b'-');
                Some((d.to_owned(), id.parse().ok()?)).filter(|_| valid)
            }),
        }
    }

    /// The link to the page after `after`, with the same filters.
    fn next_url(&self, id: i64, q: &register::FollowupQuery, after: &(String, i64)) -> String {
        let mut url = format!("/campaigns/{id}/followups?after={}_{}", after.0, after.1);
        if let Some(k) = q.kind {
            url.push_str(&format!("&kind={}", k.as_str()));
        }
        if let Some(s) = q.status {
            url.push_str(&format!("&status={}", s.as_str()));
        }
        if q.overdue {
            url.push_str("&overdue=1");
        }
        url
    }
}

#[derive(Template)]
#[template(path = "campaign_followups.html")]
struct FollowupsPage {
    shell: Shell,
    c: Campaign,
    access: CampaignAccess,
    followups: Vec<Followup>,
    today: String,
    can_petition: bool,
    statuses: Vec<(&'static str, &'static str)>,
    satisfactions: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
    next: Option<String>,
}

impl FollowupsPage {
    fn overdue(&self, f: &Followup) -> bool {
        f.overdue(&self.today)
    }
    fn late(&self, f: &Followup) -> String {
        crate::pages::rounds::overdue_days(&Some(f.deadline.clone()), &self.today)
    }
    fn is_demand(&self, f: &Followup) -> bool {
        f.kind == FollowupKind::Demand
    }
    fn may_update(&self, f: &Followup) -> bool {
        self.access.may_record(f.team_id)
    }
    fn sat(&self, f: &Followup) -> &'static str {
        f.satisfaction.map(|s| s.label()).unwrap_or("")
    }
    fn form(&self, f: &Followup) -> String {
        format!("f{}", f.id)
    }
    /// The typed value of a field of the follow-up's form after a refusal,
    /// else its stored value.
    fn fv(&self, f: &Followup, k: &str) -> String {
        let form = self.form(f);
        if self.sticky.has(&form) {
            return self.sticky.v(&form, k);
        }
        match k {
            "status" => f.status.as_str().to_owned(),
            "department" => f.department.clone().unwrap_or_default(),
            "resolution" => f.resolution.clone().unwrap_or_default(),
            "satisfaction" => f
                .satisfaction
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
    fn ferr(&self, f: &Followup) -> Vec<String> {
        self.sticky.all(&self.form(f))
    }
}

async fn followups(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<FollowupsQuery>,
) -> Result<Response, AppError> {
    followups_page(&state, &auth, id, q, Sticky::default()).await
}

async fn followups_page(
    state: &AppState,
    auth: &Auth,
    id: i64,
    q: FollowupsQuery,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let query = q.parse();
    let (l, list, day, next) = match q.only {
        // One follow-up (checked by the caller, `followup_page`) is read by
        // itself, the page a search result links to.
        Some(one) => {
            let l = uc::load(s, &auth.actor, id).await?;
            (l, vec![s.get_followup(one).await?], today(c), None)
        }
        None => {
            let page =
                register::followups(s, c, &auth.actor, id, &query, register::FOLLOWUP_PAGE).await?;
            let next = page.next.as_ref().map(|a| q.next_url(id, &query, a));
            (page.loaded, page.followups, page.today, next)
        }
    };
    let failed = sticky.failed_any();
    crate::pages::rounds::answer(
        html(&FollowupsPage {
            sticky,
            shell: shell(auth, t("campaign.followups")),
            can_petition: policy::role_allows(auth.actor.role, Action::HandlePetitions),
            c: l.campaign,
            access: l.access,
            followups: list,
            today: day,
            next,
            statuses: FollowupStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            satisfactions: Satisfaction::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
        }),
        failed,
    )
}

/// One demand or hazard, where a search result leads: the follow-ups page
/// narrowed to it, after the same check as every follow-up
/// (`work::followup`: the campaign's access, the team, recusals).
async fn followup_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (f, _) = work::followup(state.store.as_ref(), &auth.actor, id).await?;
    let q = FollowupsQuery {
        only: Some(f.id),
        ..FollowupsQuery::default()
    };
    followups_page(&state, &auth, f.campaign_id, q, Sticky::default()).await
}

async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&v, "csrf"))?;
    let input = FollowupUpdate {
        status: field(&v, "status"),
        department: field(&v, "department"),
        resolution: field(&v, "resolution"),
        satisfaction: field(&v, "satisfaction"),
        version: field(&v, "version"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match work::update_followup(s, c, &auth.actor, id, &input).await {
        // Back to a page that starts at the follow-up (the register is read
        // a page at a time; the first page may not hold it).
        Ok(f) => Ok(see_other(&format!(
            "/campaigns/{}/followups?after={}_{}#f{id}",
            f.campaign_id,
            f.deadline,
            id - 1
        ))),
        Err(CoreError::Invalid(e)) => {
            let (f, _) = work::followup(s, &auth.actor, id).await?;
            let sticky = Sticky::failed(&format!("f{id}"), v, e);
            followups_page(
                &state,
                &auth,
                f.campaign_id,
                FollowupsQuery::default(),
                sticky,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn to_petition(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&v, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let p = work::demand_to_petition(s, c, &auth.actor, id).await?;
    Ok(see_other(&format!("/petitions/{p}")))
}
