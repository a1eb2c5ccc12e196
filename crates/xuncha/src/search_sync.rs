//! Keeps this node's search index in step with the database: it follows the
//! search outbox from a cursor saved beside the index (so several nodes can
//! follow one database), and rebuilds the whole index on request.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use xuncha_core::store::{SearchFeed, SearchSource};
use xuncha_search::{SearchDoc, SearchIndex};

/// Feeds one index from one database.
pub struct Indexer {
    index: Arc<SearchIndex>,
    feed: Arc<dyn SearchFeed>,
    cursor_file: PathBuf,
}

fn doc(s: SearchSource) -> SearchDoc {
    SearchDoc {
        doc_type: s.doc_type,
        doc_id: s.id.to_string(),
        title: s.title,
        body: s.body,
        unit_path: s.unit_path,
        date: s.day.as_deref().and_then(xuncha_search::day_number),
        status: s.status,
        round_id: s.round_id,
        access: s.access,
    }
}

impl Indexer {
    /// An indexer for the index in `dir` (its cursor file lives there too).
    pub fn new(index: Arc<SearchIndex>, feed: Arc<dyn SearchFeed>, dir: PathBuf) -> Indexer {
        Indexer {
            index,
            feed,
            cursor_file: dir.join("outbox-cursor"),
        }
    }

    fn cursor(&self) -> i64 {
        std::fs::read_to_string(&self.cursor_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    fn save_cursor(&self, c: i64) -> anyhow::Result<()> {
        let tmp = self.cursor_file.with_extension("tmp");
        std::fs::write(&tmp, c.to_string())?;
        std::fs::rename(&tmp, &self.cursor_file)?;
        Ok(())
    }

    /// Rebuilds the index from the database; returns the documents indexed.
    pub async fn reindex_all(&self) -> anyhow::Result<usize> {
        // Note where the outbox ends now: rows written during the rebuild
        // come after it and are applied by the next catch-up.
        let mut last = self.cursor();
        loop {
            let batch = self.feed.outbox_after(last, 10_000).await?;
            match batch.last() {
                Some(r) => last = r.id,
                None => break,
            }
        }
        let mut docs = Vec::new();
        for t in xuncha_core::policy::all_doc_types() {
            let mut after = 0;
            loop {
                let batch = self.feed.search_sources_after(t, after, 10_000).await?;
                let Some(l) = batch.last() else { break };
                after = l.id;
                docs.extend(batch.into_iter().map(doc));
            }
        }
        let index = self.index.clone();
        let n = tokio::task::spawn_blocking(move || index.reindex(docs.into_iter()))
            .await
            .context("reindex task")??;
        self.save_cursor(last)?;
        Ok(n)
    }

    /// Applies the outbox rows written since the last call; returns how many.
    pub async fn catch_up(&self) -> anyhow::Result<usize> {
        let cursor = self.cursor();
        let items = self.feed.outbox_after(cursor, 2_000).await?;
        let Some(last) = items.last().map(|i| i.id) else {
            return Ok(0);
        };
        if items.iter().any(|i| i.op == "reindex") {
            self.reindex_all().await?;
            return Ok(items.len());
        }
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for t in xuncha_core::policy::all_doc_types() {
            let ids: Vec<i64> = items
                .iter()
                .filter(|i| i.doc_type == *t)
                .filter_map(|i| i.doc_id.parse().ok())
                .collect();
            let found = self.feed.search_sources(t, &ids).await?;
            for id in &ids {
                if !found.iter().any(|f| f.id == *id) {
                    deletes.push((t.to_string(), id.to_string()));
                }
            }
            upserts.extend(found.into_iter().map(doc));
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || -> Result<(), xuncha_search::SearchError> {
            for (t, id) in &deletes {
                index.delete(t, id)?;
            }
            index.upsert(&upserts)
        })
        .await
        .context("index task")??;
        self.save_cursor(last)?;
        Ok(items.len())
    }

    /// Follows the outbox forever (the server's background task).
    pub async fn follow(self) {
        loop {
            match self.catch_up().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "search indexing failed"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }
}
