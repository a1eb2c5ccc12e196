//! The cross-check engine as the web layer holds it, with what lives
//! between two requests on this node: uploads waiting for their mapping to
//! be confirmed, and runs going on in the background.
//!
//! An upload's bytes are a blob (`BlobStore`); the form carries a random
//! token bound to the user who uploaded, never the blob's hash, so nobody
//! can import another record's attachment by naming its hash.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use xuncha_core::auth::Actor;
use xuncha_core::collide::{CrossCheckEngine, RuleParams, RunSummary};
use xuncha_core::i18n::t;
use xuncha_core::usecases::collide as uc;
use xuncha_core::CoreError;

use crate::AppState;

/// How long an upload waits for its mapping to be confirmed (ms).
const UPLOAD_TTL_MS: i64 = 2 * 3600 * 1000;
/// Finished runs kept for their status page.
const RUNS_KEPT: usize = 200;

/// The engine and this node's pending uploads and runs.
pub struct CrossChecks {
    pub(crate) engine: Arc<dyn CrossCheckEngine>,
    uploads: Mutex<HashMap<String, Upload>>,
    runs: Mutex<HashMap<u64, RunStatus>>,
    next_run: AtomicU64,
}

/// An uploaded file waiting for its mapping.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub user_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub at_ms: i64,
}

/// Where a run stands.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RunStatus {
    #[serde(skip)]
    pub user_id: i64,
    /// Rules finished.
    pub done: usize,
    /// Rules in the run (0 until the engine has listed them).
    pub total: usize,
    /// The rule running.
    pub current: String,
    /// Whether the run is over (done or failed).
    pub finished: bool,
    /// Rules run.
    pub ran: usize,
    /// Rules skipped and why.
    pub skipped: Vec<(String, String)>,
    /// What the stored hits changed.
    pub summary: Option<RunSummary>,
    /// Why the run failed (safe to show).
    pub error: Option<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The maps hold plain values; a panic elsewhere leaves them usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl CrossChecks {
    /// Wraps an engine.
    pub fn new(engine: Arc<dyn CrossCheckEngine>) -> CrossChecks {
        CrossChecks {
            engine,
            uploads: Mutex::new(HashMap::new()),
            runs: Mutex::new(HashMap::new()),
            next_run: AtomicU64::new(1),
        }
    }

    /// Keeps an upload and returns its token.
    pub(crate) fn keep_upload(&self, upload: Upload) -> String {
        let token = xuncha_core::auth::random_secret();
        let mut m = lock(&self.uploads);
        let now = upload.at_ms;
        m.retain(|_, u| now - u.at_ms < UPLOAD_TTL_MS);
        m.insert(token.clone(), upload);
        token
    }

    /// The upload of `token`, if it is the user's and not expired.
    pub(crate) fn upload(&self, token: &str, user_id: i64, now_ms: i64) -> Option<Upload> {
        lock(&self.uploads)
            .get(token)
            .filter(|u| u.user_id == user_id && now_ms - u.at_ms < UPLOAD_TTL_MS)
            .cloned()
    }

    /// Forgets an upload once imported.
    pub(crate) fn forget_upload(&self, token: &str) {
        lock(&self.uploads).remove(token);
    }

    /// Starts a run of `rules` (every rule when empty) in the background,
    /// its hits stored for `actor`'s jurisdiction; returns the run's id for
    /// its status. Rules and parameters are checked by the caller first.
    pub(crate) fn spawn_run(
        self: &Arc<Self>,
        state: &AppState,
        actor: Actor,
        rules: Vec<String>,
        params: RuleParams,
    ) -> u64 {
        let id = self.start_run(actor.user_id);
        let (store, clock) = (state.store.clone(), state.clock.clone());
        let board = self.clone();
        tokio::spawn(async move {
            let progress = |done: usize, total: usize, rule: &str| {
                board.update_run(id, |r| {
                    r.done = done;
                    r.total = total;
                    rule.clone_into(&mut r.current);
                });
            };
            let outcome = uc::run_checks(
                store.as_ref(),
                clock.as_ref(),
                board.engine.as_ref(),
                &actor,
                &rules,
                &params,
                &progress,
            )
            .await;
            board.update_run(id, |r| {
                r.finished = true;
                r.current.clear();
                match outcome {
                    Ok((run, summary)) => {
                        r.ran = run.ran.len();
                        r.skipped = run.skipped;
                        r.summary = Some(summary);
                    }
                    Err(CoreError::Invalid(v)) => {
                        let msgs: Vec<String> = v.iter().map(ToString::to_string).collect();
                        r.error = Some(msgs.join("；"));
                    }
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "cross-check run failed");
                        r.error = Some(t("collide_web.run_internal").to_owned());
                    }
                }
            });
        });
        id
    }

    /// Registers a run of `user_id` and returns its id.
    fn start_run(&self, user_id: i64) -> u64 {
        let id = self.next_run.fetch_add(1, Ordering::Relaxed);
        let mut m = lock(&self.runs);
        if m.len() >= RUNS_KEPT {
            let oldest = m.iter().filter(|(_, r)| r.finished).map(|(k, _)| *k).min();
            if let Some(k) = oldest {
                m.remove(&k);
            }
        }
        m.insert(
            id,
            RunStatus {
                user_id,
                ..RunStatus::default()
            },
        );
        id
    }

    /// Changes a run's status.
    fn update_run(&self, id: u64, f: impl FnOnce(&mut RunStatus)) {
        if let Some(r) = lock(&self.runs).get_mut(&id) {
            f(r);
        }
    }

    /// A run's status, for the user who started it only.
    pub(crate) fn run(&self, id: u64, user_id: i64) -> Option<RunStatus> {
        lock(&self.runs)
            .get(&id)
            .filter(|r| r.user_id == user_id)
            .cloned()
    }
}
