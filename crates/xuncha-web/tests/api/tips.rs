//! 码上巡察 through the router: a public tip leaves no trace of its sender
//! (no address, user agent or cookie in the database files, the blobs or the
//! logs; photos lose their metadata); the proof-of-work guard refuses
//! missing, forged and reused proofs while keeping what was typed; a named
//! tipster's identity reaches only the handlers (pages, search, exports,
//! audit views), each view logged; triage turns a tip into a petition once.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use xuncha_core::intake::guard::{solve, Challenge};

use crate::helpers::{Caller, Res, TestApp};

pub(crate) const AGENT: &str = "Mozilla/5.0 (Linux; Android 14) canary-agent-5512";
pub(crate) const FORWARDED: &str = "203.0.113.77";
pub(crate) const PEER: &str = "198.51.100.23";
const TIPSTER: &str = "韦实名举报人";
const PHONE: &str = "13912345678";

/// The target of 云岭县民政局 in the active demo round (team 1).
pub(crate) async fn civil_affairs(app: &TestApp) -> i64 {
    app.store
        .targets_of(2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.unit_name == "云岭县民政局")
        .unwrap()
        .id
}

/// A solved challenge from the public endpoint.
async fn proof(app: &TestApp) -> (String, String) {
    let res = app.get("/tip/challenge", Caller::Anonymous).await;
    assert_eq!(res.status, StatusCode::OK);
    let v = res.json();
    let c = Challenge {
        token: v["token"].as_str().unwrap().to_owned(),
        bits: v["bits"].as_u64().unwrap() as u32,
    };
    let nonce = solve(&c);
    (c.token, nonce)
}

/// A request as a phone would send it, carrying everything that could
/// identify it: a user agent, proxy headers, and the peer address.
pub(crate) fn from_phone(method: Method, path: &str) -> axum::http::request::Builder {
    let peer: std::net::SocketAddr = format!("{PEER}:51234").parse().unwrap();
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::USER_AGENT, AGENT)
        .header("x-forwarded-for", FORWARDED)
        .header("x-real-ip", FORWARDED)
        .header("forwarded", format!("for={FORWARDED}"));
    if let Some(ext) = b.extensions_mut() {
        ext.insert(axum::extract::ConnectInfo(peer));
    }
    b
}

/// Sends the public form (multipart) with text fields and photos.
async fn send_tip(
    app: &TestApp,
    target: i64,
    fields: &[(&str, &str)],
    photos: &[(&str, &[u8])],
) -> Res {
    let boundary = "----xunchaTipBoundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    for (name, bytes) in photos {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    let req = from_phone(Method::POST, &format!("/tip/{target}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// The receipt code on the "received" page.
fn receipt_code(res: &Res) -> String {
    let html = res.text();
    let at = html.find("id=\"receipt-code\">").expect("receipt shown") + 18;
    html[at..at + 24].to_owned()
}

/// A JPEG carrying an EXIF segment with a location and a serial number.
pub(crate) fn photo_with_gps() -> Vec<u8> {
    let img = image_rgb();
    let payload = b"Exif\0\0GPSLatitude=24.8123N;SerialNumber=CAM-998877";
    let len = (payload.len() + 2) as u16;
    let mut out = img[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&img[2..]);
    out
}

/// A small plain JPEG, made by the same code the product uses.
fn image_rgb() -> Vec<u8> {
    // The e2e fixture is a real camera-style JPEG with EXIF; strip it to get
    // a plain one, then the test adds its own EXIF segment.
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../e2e/fixtures/photo-with-gps.jpg"
    ))
    .unwrap();
    xuncha_office::photo::clean(&fixture).unwrap().bytes
}

pub(crate) fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every byte the installation wrote: database files (with the WAL) and blobs.
pub(crate) fn every_stored_byte(app: &TestApp) -> Vec<u8> {
    fn walk(dir: &std::path::Path, out: &mut Vec<u8>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.extend(std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = Vec::new();
    walk(app.data_dir(), &mut out);
    out
}

/// Log lines written while `f` runs (every level, every target).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_public_tip_leaves_no_trace_of_its_sender() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::new().await;
    let target = civil_affairs(&app).await;
    let form = app
        .send(
            from_phone(Method::GET, &format!("/tip/{target}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.set_cookies().is_empty(), "no cookie on public pages");
    assert_eq!(form.header("cache-control"), Some("no-store"));
    assert_eq!(form.header("referrer-policy"), Some("no-referrer"));
    assert!(form.text().contains("云岭县民政局"));

    let (token, nonce) = proof(&app).await;
    let body = "民政局低保股工作人员把低保名额给了不符合条件的亲戚，请核实。";
    let photo = photo_with_gps();
    assert!(contains(&photo, "GPSLatitude"));
    let res = send_tip(
        &app,
        target,
        &[("body", body), ("pow_token", &token), ("pow_nonce", &nonce)],
        &[("IMG_0001.jpg", &photo)],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.set_cookies().is_empty());
    let code = receipt_code(&res);

    // The tipster follows up with the code (in the body, never the address).
    let req = from_phone(Method::POST, "/tip/check/reply")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "code={}&message={}",
            crate::helpers::form_encode(&code),
            crate::helpers::form_encode("补充：他家还有一辆小汽车。")
        )))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.text().contains("他家还有一辆小汽车"));
    assert!(res.set_cookies().is_empty());

    // The handlers see the tip and its photo, without metadata.
    let leader = app.session_as("zuzhang").await;
    let poster = app
        .get(&format!("/tips/poster/{target}"), Caller::Browser(&leader))
        .await;
    assert_eq!(poster.status, StatusCode::OK);
    assert!(poster.text().contains(&format!("/tip/{target}")) && poster.text().contains("<svg"));
    let home = app.get("/", Caller::Browser(&leader)).await;
    assert!(
        home.text().contains("待分办的群众举报 1"),
        "the desk announces it"
    );
    let tips = app.get("/tips", Caller::Browser(&leader)).await;
    assert!(tips.text().contains("低保名额"), "{}", tips.text());
    let id = app
        .store
        .list_tips(
            &xuncha_core::store::TipFilter {
                scope: xuncha_core::policy::Scope::all(),
                status: None,
                round_id: None,
            },
            xuncha_core::registry::PageRequest::new(Some(1), Some(10)),
        )
        .await
        .unwrap()
        .items[0]
        .id;
    let shown = app
        .get(&format!("/tips/{id}/photos/0"), Caller::Browser(&leader))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.header("content-type"), Some("image/jpeg"));
    assert!(!contains(&shown.body, "GPSLatitude"));

    // Nothing that could identify the sender was written anywhere.
    let stored = every_stored_byte(&app);
    assert!(contains(&stored, "低保名额"), "the tip itself is stored");
    for canary in [
        AGENT,
        "canary-agent",
        FORWARDED,
        PEER,
        "GPSLatitude",
        "CAM-998877",
    ] {
        assert!(!contains(&stored, canary), "{canary} reached the disk");
    }
    let canonical = code.replace('-', "");
    assert!(
        !contains(&stored, &canonical),
        "only the code's hash is kept"
    );
    let logged = logs.0.lock().unwrap().clone();
    for canary in ["canary-agent", FORWARDED, PEER] {
        assert!(!contains(&logged, canary), "{canary} reached the logs");
    }
}

#[tokio::test]
async fn the_guard_refuses_missing_forged_and_reused_proofs_keeping_the_text() {
    let app = TestApp::new().await;
    let target = civil_affairs(&app).await;
    let body = "反映城区低保评审不公开，群众不知道评审结果。";
    let res = send_tip(&app, target, &[("body", body)], &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("提交校验未通过"), "{}", res.text());
    assert!(res.text().contains(body), "what was typed stays");

    let (token, nonce) = proof(&app).await;
    let mut forged = token.clone();
    forged.replace_range(48..50, "00");
    let res = send_tip(
        &app,
        target,
        &[("body", body), ("pow_token", &forged), ("pow_nonce", "1")],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    let fields = [("body", body), ("pow_token", &token), ("pow_nonce", &nonce)];
    let ok = send_tip(&app, target, &fields, &[]).await;
    assert_eq!(ok.status, StatusCode::OK);
    let again = send_tip(&app, target, &fields, &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("该表单已提交过"));

    // A short text, a PDF as a photo: every problem named, nothing stored.
    let (token, nonce) = proof(&app).await;
    let res = send_tip(
        &app,
        target,
        &[
            ("body", "太短"),
            ("pow_token", &token),
            ("pow_nonce", &nonce),
        ],
        &[("证据.pdf", b"%PDF-1.7 not a photo")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("至少10个字"), "{text}");
    assert!(
        text.contains("证据.pdf") && text.contains("只接受 JPEG"),
        "{text}"
    );
    let all = app
        .store
        .list_tips(
            &xuncha_core::store::TipFilter {
                scope: xuncha_core::policy::Scope::all(),
                status: None,
                round_id: None,
            },
            xuncha_core::registry::PageRequest::new(Some(1), Some(10)),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 1, "only the valid tip was stored");

    // A finished round takes no tips.
    let finished = app.store.targets_of(1).await.unwrap()[0].id;
    let res = app
        .get(&format!("/tip/{finished}"), Caller::Anonymous)
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A wrong receipt code is a clear error, typed text kept.
    let res = app
        .post_form("/tip/check", &[("code", "ABCD-EFGH-JKMN-PQRS-TVWX")], None)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("回执码不正确"));
}

/// Every demo login.
const USERS: [&str; 15] = [
    "admin",
    "office",
    "leader",
    "zuzhang",
    "fuzuzhang",
    "zuyuan",
    "zuzhang2",
    "fuzuzhang2",
    "zuyuan2",
    "jiwei",
    "zuzhibu",
    "bumen",
    "beixuncha",
    "zoufang",
    "jiancha",
];

#[tokio::test]
async fn a_named_tipster_is_seen_only_by_the_handlers_and_every_view_is_logged() {
    let app = TestApp::with_search().await;
    let target = civil_affairs(&app).await;
    let (token, nonce) = proof(&app).await;
    let body = "实名举报：民政局某科室违规发放临时救助资金，本人掌握票据。";
    let res = send_tip(
        &app,
        target,
        &[
            ("body", body),
            ("named", "1"),
            ("name", TIPSTER),
            ("contact", PHONE),
            ("pow_token", &token),
            ("pow_nonce", &nonce),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(!res.text().contains(TIPSTER));
    let id = app
        .store
        .list_tips(
            &xuncha_core::store::TipFilter {
                scope: xuncha_core::policy::Scope::all(),
                status: None,
                round_id: None,
            },
            xuncha_core::registry::PageRequest::new(Some(1), Some(10)),
        )
        .await
        .unwrap()
        .items[0]
        .id;

    for user in USERS {
        let s = app.session_as(user).await;
        let handler = matches!(user, "office" | "zuzhang");
        let reads = matches!(
            user,
            "admin" | "office" | "zuzhang" | "fuzuzhang" | "zuyuan"
        );
        let page = app.get(&format!("/tips/{id}"), Caller::Browser(&s)).await;
        assert_eq!(page.status == StatusCode::OK, reads, "{user} reads the tip");
        let revealed = app
            .get(&format!("/tips/{id}?reveal=1"), Caller::Browser(&s))
            .await;
        assert_eq!(
            revealed.text().contains(TIPSTER) && revealed.text().contains(PHONE),
            handler,
            "{user} sees the tipster"
        );
        for path in [
            "/tips".to_owned(),
            format!("/search?q={}", crate::helpers::form_encode("临时救助资金")),
            "/admin/audit".to_owned(),
            "/petitions".to_owned(),
        ] {
            let r = app.get(&path, Caller::Browser(&s)).await;
            assert!(!r.text().contains(TIPSTER), "{user} {path}");
            assert!(!r.text().contains(PHONE), "{user} {path}");
        }
    }
    // Each reveal by a handler is on the audit trail, without the identity.
    let admin = app.session_as("admin").await;
    let audit = app.get("/admin/audit", Caller::Browser(&admin)).await;
    assert!(audit.text().contains("查看举报人信息"), "{}", audit.text());
    assert!(!audit.text().contains(TIPSTER));

    // Triage into a petition keeps the identity sealed there too.
    let office = app.session_as("office").await;
    let tip = app.store.get_tip(id).await.unwrap();
    let res = app
        .post_form(
            &format!("/tips/{id}/triage"),
            &[
                ("csrf", &office.csrf),
                ("to", "petition"),
                ("category", "accusation"),
                ("version", &tip.version.to_string()),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let tip = app.store.get_tip(id).await.unwrap();
    let Some(xuncha_core::intake::tip::TipOutcome::Petition { id: pid }) = tip.outcome else {
        panic!("a petition: {:?}", tip.outcome)
    };
    let petition = app.store.get_petition(pid).await.unwrap();
    assert_eq!(petition.channel.as_str(), "web");
    assert!(!petition.anonymous);
    let leader = app.session_as("zuzhang").await;
    let page = app
        .get(
            &format!("/petitions/{pid}?reveal=1"),
            Caller::Browser(&leader),
        )
        .await;
    assert!(
        !page.text().contains(TIPSTER),
        "a team never sees a petitioner"
    );
    let export = app
        .get("/petitions/export.xlsx", Caller::Browser(&office))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let table = xuncha_office::read_table(&export.body, "register.xlsx").unwrap();
    assert!(table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.contains("临时救助资金"))));
    assert!(!table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.contains(TIPSTER))));

    // A second triage is refused with a clear message.
    let res = app
        .post_form(
            &format!("/tips/{id}/triage"),
            &[
                ("csrf", &office.csrf),
                ("to", "close"),
                ("reason", "重复"),
                ("version", &tip.version.to_string()),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("已分办"));
}

/// The public JSON endpoints (a mini-program or kiosk): challenge, a named
/// tip, the receipt; the handlers' API never carries the identity.
#[tokio::test]
async fn the_public_api_takes_tips_and_the_handlers_api_keeps_them_sealed() {
    let app = TestApp::new().await;
    let target = civil_affairs(&app).await;
    let c = app
        .get("/api/v1/public/tips/challenge", Caller::Anonymous)
        .await
        .json();
    let challenge = Challenge {
        token: c["token"].as_str().unwrap().to_owned(),
        bits: c["bits"].as_u64().unwrap() as u32,
    };
    let body = serde_json::json!({
        "target_id": target,
        "body": "反映民政局临时救助审批不公开，群众不知道申请条件。",
        "named": true, "name": TIPSTER, "contact": PHONE,
        "pow_token": challenge.token, "pow_nonce": solve(&challenge),
    });
    let res = app
        .post_json("/api/v1/public/tips", &body.to_string(), Caller::Anonymous)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.set_cookies().is_empty());
    let code = res.json()["receipt_code"].as_str().unwrap().to_owned();
    let again = app
        .post_json("/api/v1/public/tips", &body.to_string(), Caller::Anonymous)
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a proof is used once"
    );
    let r = app
        .post_json(
            "/api/v1/public/tips/receipt",
            &serde_json::json!({ "code": code }).to_string(),
            Caller::Anonymous,
        )
        .await;
    assert_eq!(r.json()["status"], "待分办");
    let leader = app.session_as("zuzhang").await;
    let list = app.get("/api/v1/tips", Caller::Browser(&leader)).await;
    assert_eq!(list.json()["total"], 1);
    assert!(!list.text().contains(TIPSTER) && !list.text().contains(PHONE));
    let unit = app.session_as("beixuncha").await;
    assert_eq!(
        app.get("/api/v1/tips", Caller::Browser(&unit)).await.status,
        StatusCode::FORBIDDEN
    );
}
