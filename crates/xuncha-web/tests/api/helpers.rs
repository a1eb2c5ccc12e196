//! `TestApp`: the real router over a temp SQLite store holding the demo
//! county, a manual clock, and typed helpers for requests, sessions, forms,
//! JSON and multipart uploads.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use xuncha_core::auth::{random_secret, secret_hash, Actor, User};
use xuncha_core::clock::{Clock, ManualClock};
use xuncha_core::registry::{Person, Unit};
use xuncha_core::store::{AuditMeta, Store};
use xuncha_core::usecases::auth::{actor_for, LoginThrottle, SESSION_TTL_MS};
use xuncha_db::{FsBlobStore, SqliteStore};
use xuncha_web::{AppState, WebConfig};

pub use xuncha_core::demo::DEMO_PASSWORD;

/// 2026-11-27T01:30:00Z: the demo is loaded and every test starts at this time.
pub const T0: i64 = 1_795_743_000_000;

/// The demo county in a SQLite file, loaded once per test process and
/// copied for each test (loading takes seconds; copying, milliseconds).
static TEMPLATE: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();

async fn template() -> PathBuf {
    TEMPLATE
        .get_or_init(|| async {
            let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
            remove_stale_templates(&root);
            let dir = root.join(format!("xuncha-web-demo-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let store = SqliteStore::open(&dir.join("build.db")).await.unwrap();
            let county = xuncha_core::demo::generate(xuncha_core::demo::DEFAULT_SEED);
            xuncha_core::demo::load(&store, &county, T0).await.unwrap();
            let path = dir.join("template.db");
            store.snapshot_to(&path).await.unwrap();
            store.close().await;
            for f in ["build.db", "build.db-wal", "build.db-shm"] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            path
        })
        .await
        .clone()
}

/// Templates of earlier runs are removed: those of processes that are gone
/// (where `/proc` tells), and any a day old.
fn remove_stale_templates(root: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let proc = std::path::Path::new("/proc");
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("xuncha-web-demo-") else {
            continue;
        };
        let gone = proc.is_dir() && !proc.join(pid).exists();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 24 * 3600);
        if gone || old {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// The application under test.
pub struct TestApp {
    router: Router,
    /// The store behind the router (for arranging and checking).
    pub store: Arc<dyn Store>,
    /// The clock the router reads.
    pub clock: Arc<ManualClock>,
    /// The search index and the database feeding it (`with_search` only).
    search: Option<(Arc<xuncha_search::SearchIndex>, Arc<SqliteStore>)>,
    /// Holds the database and the attachments.
    _dir: tempfile::TempDir,
}

/// Every searchable document of the database, as the server's indexer
/// builds them.
async fn search_docs(feed: &SqliteStore) -> Vec<xuncha_search::SearchDoc> {
    use xuncha_core::store::SearchFeed;
    let mut docs = Vec::new();
    for t in xuncha_core::policy::all_doc_types() {
        for s in feed.search_sources_after(t, 0, 1_000_000).await.unwrap() {
            docs.push(xuncha_search::SearchDoc {
                doc_type: s.doc_type,
                doc_id: s.id.to_string(),
                title: s.title,
                body: s.body,
                unit_path: s.unit_path,
                date: s.day.as_deref().and_then(xuncha_search::day_number),
                status: s.status,
                round_id: s.round_id,
                access: s.access,
            });
        }
    }
    docs
}

/// A logged-in browser: the session cookie and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    /// `xuncha_session=…`.
    pub cookie: String,
    /// The token forms and `X-CSRF-Token` must carry.
    pub csrf: String,
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// Nobody.
    Anonymous,
    /// A browser session; writes carry the CSRF token.
    Browser(&'a Session),
    /// A browser session whose writes forget the CSRF token.
    BrowserWithoutCsrf(&'a Session),
    /// `Authorization: Bearer …`.
    Bearer(&'a str),
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Res {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` value.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The `name=value` part of the `Set-Cookie` for `name`, with its attributes.
    pub fn cookie(&self, name: &str) -> Option<(&str, &str)> {
        self.set_cookies().into_iter().find_map(|c| {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            pair.strip_prefix(&format!("{name}=")).map(|v| (v, attrs))
        })
    }

    /// The `value` of the hidden input named `csrf` in an HTML page.
    pub fn csrf_field(&self) -> Option<String> {
        let html = self.text();
        let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        let end = html[at..].find('"')?;
        Some(html[at..at + end].to_owned())
    }
}

impl TestApp {
    /// A fresh application over a copy of the demo county.
    pub async fn new() -> TestApp {
        TestApp::build(false).await
    }

    /// The same, with a search index built from the demo county (slower).
    pub async fn with_search() -> TestApp {
        TestApp::build(true).await
    }

    async fn build(with_search: bool) -> TestApp {
        let template = template().await;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xuncha.db");
        std::fs::copy(&template, &db).unwrap();
        let sqlite = Arc::new(SqliteStore::open(&db).await.unwrap());
        let index = if with_search {
            let index = xuncha_search::SearchIndex::open_in_ram().unwrap();
            index
                .reindex(search_docs(&sqlite).await.into_iter())
                .unwrap();
            Some(Arc::new(index))
        } else {
            None
        };
        let search = index.clone();
        let store: Arc<dyn Store> = sqlite.clone();
        let clock = Arc::new(ManualClock::new(T0 + 60_000));
        let state = AppState {
            store: store.clone(),
            blobs: Arc::new(FsBlobStore::new(dir.path().join("attachments"))),
            clock: clock.clone(),
            throttle: Arc::new(LoginThrottle::default()),
            guard: Arc::new(xuncha_core::intake::guard::Guard::default()),
            config: WebConfig::default(),
            search,
            // The real engine over a data directory of the test's own.
            collide: Some(Arc::new(xuncha_web::CrossChecks::new(Arc::new(
                xuncha_collide::DirEngine::new(
                    &dir.path().join("data"),
                    std::time::Duration::from_secs(60),
                ),
            )))),
        };
        TestApp {
            router: xuncha_web::router(state),
            store,
            clock,
            search: index.map(|i| (i, sqlite)),
            _dir: dir,
        }
    }

    /// Rebuilds the search index from the database, as the server's indexer
    /// does after writes (`with_search` only).
    pub async fn reindex(&self) {
        let (index, feed) = self.search.as_ref().expect("an app with search");
        index.reindex(search_docs(feed).await.into_iter()).unwrap();
    }

    /// The cross-check engine over this app's data directory (to load lists directly).
    pub fn collide_engine(&self) -> xuncha_collide::DirEngine {
        xuncha_collide::DirEngine::new(
            &self._dir.path().join("data"),
            std::time::Duration::from_secs(60),
        )
    }

    /// Where the database file and the attachments of this app live.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Sends a request through the real router.
    pub async fn send(&self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        Res {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    fn request(method: Method, path: &str, caller: Caller<'_>) -> axum::http::request::Builder {
        let b = Request::builder().method(method.clone()).uri(path);
        let write = method != Method::GET;
        match caller {
            Caller::Anonymous => b,
            Caller::Browser(s) if write => b
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf),
            Caller::Browser(s) | Caller::BrowserWithoutCsrf(s) => {
                b.header(header::COOKIE, &s.cookie)
            }
            Caller::Bearer(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str, caller: Caller<'_>) -> Res {
        self.send(
            Self::request(Method::GET, path, caller)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// `POST path` with a form; the session's CSRF token is *not* added (put
    /// it in `fields` as `csrf`, as a browser form does).
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        session: Option<&Session>,
    ) -> Res {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect();
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = session {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::from(body.join("&"))).unwrap()).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str, caller: Caller<'_>) -> Res {
        self.send(
            Self::request(Method::DELETE, path, caller)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// `POST path` with a JSON body (raw text, so tests can send broken JSON).
    pub async fn post_json(&self, path: &str, body: &str, caller: Caller<'_>) -> Res {
        let req = Self::request(Method::POST, path, caller)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(req).await
    }

    /// `POST path` as `multipart/form-data` with text fields and one file.
    pub async fn post_multipart(
        &self,
        path: &str,
        session: &Session,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Res {
        let boundary = "----xunchaTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((file_name, content_type, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &session.cookie)
            // Pages read the form's `csrf` field, the API this header.
            .header("x-csrf-token", &session.csrf)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Logs in through the login form: GET /login for the double-submit
    /// cookie and field, POST /login, then reads the session's CSRF token
    /// from a logged-in page.
    pub async fn login(&self, username: &str, password: &str) -> Session {
        let res = self.try_login(username, password).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login as {username}: {}",
            res.text()
        );
        let (token, _) = res.cookie("xuncha_session").expect("a session cookie");
        let cookie = format!("xuncha_session={token}");
        let page = self
            .get(
                "/account/password",
                Caller::Browser(&Session {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        Session {
            csrf: page
                .csrf_field()
                .expect("a csrf field on the password page"),
            cookie,
        }
    }

    /// Submits the login form once and returns the answer.
    pub async fn try_login(&self, username: &str, password: &str) -> Res {
        let page = self.get("/login", Caller::Anonymous).await;
        let (login_csrf, _) = page
            .cookie("xuncha_login_csrf")
            .expect("the login csrf cookie");
        let field = page.csrf_field().expect("the login csrf field");
        assert_eq!(login_csrf, field, "double-submit cookie and field agree");
        let req = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("xuncha_login_csrf={login_csrf}"))
            .body(Body::from(format!(
                "csrf={}&username={}&password={}",
                form_encode(&field),
                form_encode(username),
                form_encode(password)
            )))
            .unwrap();
        self.send(req).await
    }

    /// A session for `username` opened directly in the store: what a
    /// successful login leaves behind, without paying for argon2 (the login
    /// form itself is tested in `auth.rs`).
    pub async fn session_as(&self, username: &str) -> Session {
        let user = self.user(username).await;
        let token = random_secret();
        let csrf = random_secret();
        let now = self.clock.now_ms();
        self.store
            .create_session(
                &secret_hash(&token),
                user.id,
                &csrf,
                now + SESSION_TTL_MS,
                &self.meta(&user),
            )
            .await
            .unwrap();
        Session {
            cookie: format!("xuncha_session={token}"),
            csrf,
        }
    }

    /// A stored user by login name.
    pub async fn user(&self, username: &str) -> User {
        self.store.user_credentials(username).await.unwrap().user
    }

    /// The actor the router builds for a user.
    pub async fn actor(&self, username: &str) -> Actor {
        actor_for(self.store.as_ref(), &self.user(username).await)
            .await
            .unwrap()
    }

    /// A unit by name.
    pub async fn unit(&self, name: &str) -> Unit {
        self.store
            .all_units(&xuncha_core::policy::Scope::all())
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
    }

    /// Some person working in the unit.
    pub async fn person_in(&self, unit: &Unit) -> Person {
        let filter = xuncha_core::registry::PersonFilter {
            q: None,
            unit_id: Some(unit.id),
            ..Default::default()
        };
        self.store
            .list_persons(
                &xuncha_core::policy::Scope::all(),
                &filter,
                xuncha_core::registry::PageRequest::new(Some(1), Some(1)),
            )
            .await
            .unwrap()
            .items
            .pop()
            .unwrap_or_else(|| panic!("nobody works in {}", unit.name))
    }

    /// How many persons are stored.
    pub async fn person_count(&self) -> i64 {
        self.store
            .counts(&xuncha_core::policy::Scope::all())
            .await
            .unwrap()
            .persons
    }

    fn meta(&self, user: &User) -> AuditMeta {
        AuditMeta {
            actor_id: user.id,
            actor_name: user.username.clone(),
            at: self.clock.now_ms(),
        }
    }
}

/// Percent-encoding for `application/x-www-form-urlencoded` and query strings.
pub fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A valid ID number born on `birth` (YYYYMMDD) with sequence `seq`.
pub fn id_number(birth: &str, seq: u16) -> String {
    xuncha_text::IdNumber::from_parts("530102", birth, seq)
        .unwrap()
        .as_str()
        .to_owned()
}

/// The same number with a wrong check character.
pub fn with_bad_checksum(number: &str) -> String {
    let mut s = number.to_owned();
    let last = s.pop().unwrap();
    s.push(if last == '0' { '1' } else { '0' });
    s
}

/// An `.xlsx` file with a header row and data rows, built as an office
/// clerk's spreadsheet would be.
pub fn xlsx(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, v.as_str())
                .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}
