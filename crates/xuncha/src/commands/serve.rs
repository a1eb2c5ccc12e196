//! `xuncha serve`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use xuncha_core::usecases::auth::LoginThrottle;
use xuncha_db::FsBlobStore;
use xuncha_web::{AppState, WebConfig};

use xuncha_core::i18n::tf;

use crate::config::InstallArgs;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (default 127.0.0.1:8080)
    #[arg(long, env = "XUNCHA_LISTEN")]
    pub listen: Option<String>,
    /// Load the demo county first when the database is empty
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure (when served behind TLS)
    #[arg(long, env = "XUNCHA_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(install: &InstallArgs, args: Args) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    if args.demo {
        super::load_demo_if_empty(&i).await?;
    }
    let listen = args
        .listen
        .or_else(|| i.settings.file.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| tf("cli.listen_failed", &[("addr", &listen)]))?;
    let search_dir = i.settings.data.join("search");
    let index = Arc::new(
        xuncha_search::SearchIndex::open(&search_dir)
            .with_context(|| search_dir.display().to_string())?,
    );
    let indexer = crate::search_sync::Indexer::new(index.clone(), i.opened.feed(), search_dir);
    // A new or lost index is rebuilt in the background: the server answers
    // at once, and search fills up as the rebuild proceeds.
    let empty = index.doc_count() == 0;
    tokio::spawn(async move {
        if empty {
            if let Err(e) = indexer.reindex_all().await {
                tracing::warn!(error = %format!("{e:#}"), "search reindex failed");
            }
        }
        indexer.follow().await
    });
    let state = AppState {
        search: Some(index),
        // Lists imported and rules run in the browser use the same data
        // directory as `xuncha collide`; each rule stops at ten minutes.
        collide: Some(Arc::new(xuncha_web::CrossChecks::new(Arc::new(
            xuncha_collide::DirEngine::new(&i.settings.data, std::time::Duration::from_secs(600)),
        )))),
        store: i.store.clone(),
        blobs: Arc::new(FsBlobStore::new(i.settings.attachments_dir())),
        clock: i.clock.clone(),
        throttle: Arc::new(LoginThrottle::default()),
        guard: Arc::new(xuncha_core::intake::guard::Guard::default()),
        config: WebConfig {
            secure_cookies: args.secure_cookies || i.settings.file.secure_cookies.unwrap_or(false),
            ..WebConfig::default()
        },
    };
    let addr = listener.local_addr()?;
    println!(
        "{}",
        tf(
            "cli.serving",
            &[
                ("addr", &addr.to_string()),
                ("db", &format!("{:?}", i.settings.database))
            ]
        )
    );
    tracing::info!(%addr, "listening");
    xuncha_web::serve(listener, state, shutdown_signal()).await?;
    i.opened.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
