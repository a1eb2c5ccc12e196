//! The web layer of xuncha: HTML pages (Simplified Chinese, work without
//! JavaScript), the JSON API under `/api/v1/` with its OpenAPI document,
//! sessions, CSRF protection and security headers. Handlers only translate
//! HTTP to use cases of `xuncha-core` and back; they hold no SQL and no rules.

mod api;
mod auth;
mod cross_checks;
mod error;
pub(crate) mod pages;
mod render;
mod tip_upload;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::clock::Clock;
use xuncha_core::store::{BlobStore, Store};
use xuncha_core::usecases::auth::LoginThrottle;

pub use api::ROUTES as API_ROUTES;
pub use cross_checks::CrossChecks;
pub use error::AppError;

/// The catalogue lookup, as templates call it (`crate::t("key")`).
pub(crate) use xuncha_core::i18n::t;

/// Everything a handler may use.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Attachment bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Failed-login counter.
    pub throttle: Arc<LoginThrottle>,
    /// Proof-of-work challenges of the public forms (no addresses kept).
    pub guard: Arc<xuncha_core::intake::guard::Guard>,
    /// Web settings.
    pub config: WebConfig,
    /// This node's search index (derived from the database; `None`: search off).
    pub search: Option<Arc<xuncha_search::SearchIndex>>,
    /// The cross-check engine with this node's pending uploads and runs
    /// (`None`: lists are imported and rules run from the command line only).
    pub collide: Option<Arc<CrossChecks>>,
}

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Largest request body (uploads, imports), bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_body_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .route("/healthz", get(health))
        .route("/static/app.css", get(render::css))
        .route("/static/app.js", get(render::js))
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    state
        .store
        .ping()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok("ok")
}

/// Security headers on every response: no framing, no sniffing, a strict CSP
/// (no inline scripts), no referrer leaking ids.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    // A page may ask for stricter values (public pages send no referrer).
    let set = |h: &mut axum::http::HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    res
}

/// Serves the router on a bound listener until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
