//! Rendering helpers: the page shell (header band, navigation by role), the
//! error page, HTML responses from templates, static assets.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use xuncha_core::auth::Actor;
use xuncha_core::i18n::t;
use xuncha_core::policy::{role_allows, Action};

use crate::error::AppError;

/// One entry of the left navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Link target.
    pub href: &'static str,
    /// Label.
    pub label: &'static str,
    /// Group heading it belongs to.
    pub group: &'static str,
    /// Whether it is the current section.
    pub active: bool,
}

/// What every logged-in page shows around its content.
#[derive(Debug, Clone)]
pub struct Shell {
    /// The user's display name.
    pub user: String,
    /// The role's label.
    pub role: &'static str,
    /// The navigation the role may use.
    pub nav: Vec<NavItem>,
    /// CSRF token for forms on the page.
    pub csrf: String,
    /// Page title.
    pub title: String,
}

/// The navigation of the role: only what it may use.
fn nav_for(actor: &Actor, active: &str) -> Vec<NavItem> {
    let r = actor.role;
    let entries: [(&str, &str, &str, bool); 20] = [
        ("/", "nav.home", "nav_group.work", true),
        (
            "/rounds",
            "nav.rounds",
            "nav_group.work",
            role_allows(r, Action::ViewRounds),
        ),
        (
            "/petitions",
            "nav.petitions",
            "nav_group.work",
            role_allows(r, Action::ViewPetitions),
        ),
        (
            "/tips",
            "nav.tips",
            "nav_group.work",
            role_allows(r, Action::ViewTips),
        ),
        (
            "/surveys",
            "nav.surveys",
            "nav_group.work",
            role_allows(r, Action::ViewSurveyResults),
        ),
        (
            "/collide",
            "nav.collide",
            "nav_group.work",
            role_allows(r, Action::ViewCrossChecks),
        ),
        // Anyone may be on a campaign team (走访干部, 检查员, cadres of any
        // department), so the list is offered to every role.
        ("/campaigns", "nav.campaigns", "nav_group.work", true),
        (
            "/reports",
            "nav.reports",
            "nav_group.work",
            role_allows(r, Action::DecideReports),
        ),
        (
            "/transfers",
            "nav.transfers",
            "nav_group.work",
            role_allows(r, Action::HandleTransfers) || role_allows(r, Action::PlanRounds),
        ),
        (
            "/rectification",
            "nav.rectification",
            "nav_group.work",
            role_allows(r, Action::Rectify) || role_allows(r, Action::VerifyRectification),
        ),
        (
            "/coverage",
            "nav.coverage",
            "nav_group.work",
            role_allows(r, Action::PlanRounds),
        ),
        (
            "/search",
            "nav.search",
            "nav_group.work",
            role_allows(r, Action::ViewRegistry),
        ),
        (
            "/units",
            "nav.units",
            "nav_group.registry",
            role_allows(r, Action::ViewRegistry),
        ),
        (
            "/persons",
            "nav.persons",
            "nav_group.registry",
            role_allows(r, Action::ViewRegistry),
        ),
        (
            "/inspectors",
            "nav.inspectors",
            "nav_group.registry",
            role_allows(r, Action::ViewRegistry),
        ),
        (
            "/import",
            "nav.import",
            "nav_group.registry",
            role_allows(r, Action::ImportRegistry),
        ),
        (
            "/admin/users",
            "nav.users",
            "nav_group.admin",
            role_allows(r, Action::ManageUsers),
        ),
        (
            "/admin/settings",
            "nav.settings",
            "nav_group.admin",
            role_allows(r, Action::ViewSettings),
        ),
        (
            "/admin/audit",
            "nav.audit",
            "nav_group.admin",
            role_allows(r, Action::ViewAudit),
        ),
        (
            "/account/password",
            "nav.password",
            "nav_group.account",
            true,
        ),
    ];
    entries
        .into_iter()
        .filter(|e| e.3)
        .map(|(href, label, group, _)| NavItem {
            href,
            label: t(label),
            group: t(group),
            active: href == active,
        })
        .collect()
}

impl Shell {
    /// The shell for `actor` on the section `active` (a nav href).
    pub fn new(actor: &Actor, csrf: Option<&str>, active: &str, title: &str) -> Shell {
        Shell {
            user: actor.display_name.clone(),
            role: actor.role.label(),
            nav: nav_for(actor, active),
            csrf: csrf.unwrap_or_default().to_owned(),
            title: title.to_owned(),
        }
    }

    /// Whether a new navigation group starts at item `i` (for headings).
    pub fn group_starts(&self, i: &usize) -> bool {
        *i == 0 || self.nav.get(*i - 1).map(|p| p.group) != self.nav.get(*i).map(|n| n.group)
    }
}

/// Renders a template into an HTML response.
pub fn html<T: Template>(tpl: &T) -> Result<Response, AppError> {
    let body = tpl
        .render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))?;
    Ok(Html(body).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

/// A plain error page (no navigation, so it renders for anyone).
pub fn error_page(status: StatusCode, message: &str) -> Html<String> {
    let page = ErrorPage {
        status: status.as_u16(),
        message,
    };
    Html(page.render().unwrap_or_else(|_| message.to_owned()))
}

/// The stylesheet.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
}

/// The small enhancement script.
pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.js"),
    )
}

/// A file download, never cached: `fallback` is an ASCII name for old
/// clients, `name` the real (Chinese) one.
pub fn download(bytes: Vec<u8>, mime: &'static str, fallback: &str, name: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        urlencode(name)
    );
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Formats milliseconds as a China-time table timestamp.
pub fn ts(ms: &i64) -> String {
    xuncha_core::clock::format_cst(*ms)
}

/// The Chinese name of an audit action (`unit.create` → 新建单位).
pub fn action_label(action: &str) -> String {
    let key = format!("audit_action.{}", action.replace('.', "_"));
    if xuncha_core::i18n::has(&key) {
        t(&key).to_owned()
    } else {
        action.to_owned()
    }
}

/// Formats a yuan amount with thousands separators.
pub fn yuan(v: &Option<i64>) -> String {
    match v {
        None => String::new(),
        Some(n) => {
            let s = n.abs().to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            format!("{}{out} 元", if *n < 0 { "-" } else { "" })
        }
    }
}

/// The query string that keeps the current filters for a page link.
pub fn page_link(base: &str, params: &[(&str, String)], page: u32) -> String {
    link(
        base,
        params.iter().map(|(k, v)| (*k, v.as_str())),
        ("page", &page.to_string()),
    )
}

/// `base?k=v&…&last_key=last_value`, leaving out empty filter values.
fn link<'a>(
    base: &str,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    last: (&str, &str),
) -> String {
    let mut q: Vec<String> = params
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    q.push(format!("{}={}", last.0, urlencode(last.1)));
    format!("{base}?{}", q.join("&"))
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
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

/// Column-header links of a sortable ledger: clicking a column sorts by it,
/// clicking it again reverses the order; filters are kept.
#[derive(Debug, Clone)]
pub struct SortLinks {
    base: String,
    params: Vec<(String, String)>,
    current: String,
}

impl SortLinks {
    /// Links for the list at `base` with its filter `params` and the current `sort`.
    pub fn new(base: &str, params: &[(&str, String)], current: &str) -> SortLinks {
        SortLinks {
            base: base.to_owned(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            current: current.to_owned(),
        }
    }

    /// The href that sorts by `key` (or reverses it when already sorted by it).
    pub fn href(&self, key: &str) -> String {
        let next = if self.current == key {
            format!("-{key}")
        } else {
            key.to_owned()
        };
        let params = self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        link(&self.base, params, ("sort", &next))
    }

    /// An arrow after the header of the sorted column.
    pub fn mark(&self, key: &str) -> &'static str {
        if self.current == key {
            " ▲"
        } else if self.current.strip_prefix('-') == Some(key) {
            " ▼"
        } else {
            ""
        }
    }
}

/// Splits `-name` into (`name`, descending).
pub fn sort_param(raw: &str) -> (&str, bool) {
    match raw.strip_prefix('-') {
        Some(k) => (k, true),
        None => (raw, false),
    }
}

/// Paging numbers for list templates.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Current page.
    pub page: u32,
    /// Last page (at least 1).
    pub pages: u32,
    /// Total rows.
    pub total: i64,
    /// Link to the previous page, if any.
    pub prev: Option<String>,
    /// Link to the next page, if any.
    pub next: Option<String>,
}

impl Pager {
    /// Builds the pager of a list.
    pub fn new(
        base: &str,
        params: &[(&str, String)],
        page: u32,
        per_page: u32,
        total: i64,
    ) -> Pager {
        let pages = ((total.max(0) as u64).div_ceil(u64::from(per_page.max(1)))).max(1) as u32;
        Pager {
            page,
            pages,
            total,
            prev: (page > 1).then(|| page_link(base, params, page - 1)),
            next: (page < pages).then(|| page_link(base, params, page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_has_separators() {
        assert_eq!(yuan(&Some(1_234_567)), "1,234,567 元");
        assert_eq!(yuan(&Some(100)), "100 元");
        assert_eq!(yuan(&None), "");
    }

    #[test]
    fn sort_links_toggle_and_keep_filters() {
        let s = SortLinks::new(
            "/persons",
            &[("q", "张".into()), ("unit", String::new())],
            "name",
        );
        assert_eq!(s.href("name"), "/persons?q=%E5%BC%A0&sort=-name");
        assert_eq!(s.href("birth_date"), "/persons?q=%E5%BC%A0&sort=birth_date");
        assert_eq!(s.mark("name"), " ▲");
        let d = SortLinks::new("/persons", &[], "-name");
        assert_eq!((d.mark("name"), d.mark("unit")), (" ▼", ""));
        assert_eq!(d.href("name"), "/persons?sort=name");
    }

    #[test]
    fn pager_keeps_filters() {
        let p = Pager::new("/persons", &[("q", "张".into())], 2, 50, 120);
        assert_eq!(p.pages, 3);
        assert_eq!(p.next.as_deref(), Some("/persons?q=%E5%BC%A0&page=3"));
    }
}
