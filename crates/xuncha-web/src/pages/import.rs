//! Importing registry files (xlsx/csv) and exporting lists to xlsx.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use xuncha_core::auth::Actor;
use xuncha_core::i18n::{t, tf};
use xuncha_core::import::ImportKind;
use xuncha_core::policy::{self, Action};
use xuncha_core::registry::{PageRequest, PersonFilter, UnitFilter};
use xuncha_core::store::Store;
use xuncha_core::usecases::{import as uc, registry};
use xuncha_core::{CoreError, FieldError};
use xuncha_office::{ledgers, write_xlsx, Sheet};

use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/import", get(page).post(upload))
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    shell: Shell,
    kind: String,
    report: Option<String>,
    errors: Vec<FieldError>,
    columns: Vec<(&'static str, String)>,
}

fn columns() -> Vec<(&'static str, String)> {
    [ImportKind::Units, ImportKind::People, ImportKind::Relations]
        .into_iter()
        .map(|k| {
            let cols: Vec<String> = k
                .fields()
                .iter()
                .map(|f| format!("{}{}", f.label(), if f.required { "*" } else { "" }))
                .collect();
            (t(&format!("import.kind_{}", k.as_str())), cols.join("、"))
        })
        .collect()
}

fn render(
    auth: &Auth,
    kind: &str,
    report: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let mut res = html(&ImportPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/import",
            t("import.title"),
        ),
        kind: kind.to_owned(),
        report,
        errors,
        columns: columns(),
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn page(auth: Auth) -> Result<Response, AppError> {
    policy::scope(&auth.actor, Action::ImportRegistry)?;
    render(&auth, "people", None, Vec::new())
}

/// The fields of an upload form.
pub(crate) struct Upload {
    pub csrf: String,
    pub fields: std::collections::HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads a multipart form: text fields and the one file field named `file`.
pub(crate) async fn read_multipart(mut mp: Multipart) -> Result<Upload, AppError> {
    let mut up = Upload {
        csrf: String::new(),
        fields: Default::default(),
        file: None,
    };
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::Invalid(vec![FieldError::field(
            "file",
            tf("import.upload_failed", &[("why", &e.body_text())]),
        )])
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            up.file = Some((file_name, bytes.to_vec()));
        } else {
            let value = field.text().await.map_err(bad)?;
            if name == "csrf" {
                up.csrf = value;
            } else {
                up.fields.insert(name, value);
            }
        }
    }
    Ok(up)
}

async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    mp: Multipart,
) -> Result<Response, AppError> {
    let up = match read_multipart(mp).await {
        Ok(u) => u,
        Err(AppError::Invalid(v)) => return render(&auth, "people", None, v),
        Err(e) => return Err(e),
    };
    auth.check_csrf(&up.csrf)?;
    let kind_raw = up.fields.get("kind").cloned().unwrap_or_default();
    let Some(kind) = ImportKind::parse(&kind_raw) else {
        return render(
            &auth,
            "people",
            None,
            vec![FieldError::field("kind", t("import.kind_missing"))],
        );
    };
    let Some((file_name, bytes)) = up.file.filter(|(_, b)| !b.is_empty()) else {
        return render(
            &auth,
            kind.as_str(),
            None,
            vec![FieldError::field("file", t("import.file_missing"))],
        );
    };
    let table = match xuncha_office::read_table(&bytes, &file_name) {
        Ok(t) => t,
        Err(e) => {
            return render(
                &auth,
                kind.as_str(),
                None,
                vec![FieldError::field("file", e.to_string())],
            )
        }
    };
    match uc::import(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        kind,
        &table,
    )
    .await
    {
        Ok(r) => {
            let mut msg = tf(
                "import.done",
                &[
                    ("file", &file_name),
                    ("created", &r.created.to_string()),
                    ("updated", &r.updated.to_string()),
                ],
            );
            if !r.unmapped_headers.is_empty() {
                msg.push_str(&tf(
                    "import.ignored_columns",
                    &[("cols", &r.unmapped_headers.join("、"))],
                ));
            }
            render(&auth, kind.as_str(), Some(msg), Vec::new())
        }
        Err(CoreError::Invalid(v)) => render(&auth, kind.as_str(), None, v),
        Err(e) => Err(e.into()),
    }
}

/// An xlsx download.
pub(crate) fn xlsx_response(bytes: Vec<u8>, file_stem: &str) -> Response {
    let name = format!("{file_stem}.xlsx");
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        crate::render::urlencode(&name)
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn write(sheet: Sheet) -> Result<Vec<u8>, AppError> {
    write_xlsx(&[sheet]).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

/// The unit list (all pages) as xlsx.
pub(crate) async fn units_xlsx(
    store: &dyn Store,
    actor: &Actor,
    filter: &UnitFilter,
) -> Result<Vec<u8>, AppError> {
    policy::scope(actor, Action::ExportRegistry)?;
    let all = PageRequest {
        page: 1,
        per_page: u32::MAX / 2,
    };
    let units = registry::list_units(store, actor, filter, all).await?;
    write(ledgers::units_sheet(&units.items))
}

/// The person list (all pages) as xlsx; ID numbers masked unless the actor
/// may see them.
pub(crate) async fn persons_xlsx(
    store: &dyn Store,
    actor: &Actor,
    filter: &PersonFilter,
) -> Result<Vec<u8>, AppError> {
    policy::scope(actor, Action::ExportRegistry)?;
    let mut persons = Vec::new();
    let mut page = 1;
    loop {
        let batch = registry::list_persons(
            store,
            actor,
            filter,
            PageRequest {
                page,
                per_page: 500,
            },
        )
        .await?;
        let n = batch.items.len();
        persons.extend(batch.items);
        if n < 500 {
            break;
        }
        page += 1;
    }
    write(ledgers::persons_sheet(
        persons,
        policy::sees_full_id_numbers(actor),
    ))
}

/// The inspector pool as xlsx.
pub(crate) async fn inspectors_xlsx(store: &dyn Store, actor: &Actor) -> Result<Vec<u8>, AppError> {
    policy::scope(actor, Action::ExportRegistry)?;
    write(ledgers::inspectors_sheet(
        registry::list_inspectors(store, actor).await?,
    ))
}
