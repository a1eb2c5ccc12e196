//! Content-addressed attachment files under the data directory:
//! `attachments/ab/cdef…` named by the SHA-256 of their content.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Attachment files on disk.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    /// A blob store rooted at `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> FsBlobStore {
        FsBlobStore { root: dir.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        // Only lowercase hex of the right length may become a path.
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    async fn put_bytes(&self, bytes: &[u8]) -> anyhow::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self
            .path_of(&sha)
            .ok_or_else(|| anyhow::anyhow!("bad hash"))?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha);
        }
        let dir = path.parent().ok_or_else(|| anyhow::anyhow!("no parent"))?;
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{}.tmp", &sha[2..]));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    async fn get_bytes(&self, sha256: &str) -> anyhow::Result<Vec<u8>> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| anyhow::anyhow!("bad hash"))?;
        Ok(tokio::fs::read(path).await?)
    }
}

#[async_trait::async_trait]
impl xuncha_core::store::BlobStore for FsBlobStore {
    /// Writing is atomic: a temporary file is renamed into place, so a reader
    /// never sees half a file.
    async fn put(&self, bytes: &[u8]) -> anyhow::Result<String> {
        self.put_bytes(bytes).await
    }
    async fn get(&self, sha256: &str) -> anyhow::Result<Vec<u8>> {
        self.get_bytes(sha256).await
    }
}
