//! Data sets on disk, under `DATA/collide/`:
//!
//! ```text
//! manifest.json                 data sets (provenance, mapping, counts) and saved rules
//! sets/<kind>/<id>.parquet      one file per data set, all of a kind sharing one schema
//! problems/<id>.json            the row problems found at import
//! ```
//!
//! Parquet (columnar, compressed, with per-column statistics) because the
//! engine reads it in place without a load step, only the columns a rule
//! uses, and the same files can be copied to a cluster engine unchanged.
//! The manifest is rewritten whole through a temporary file and a rename.

use std::fs;
use std::path::{Path, PathBuf};

use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, Encoding};
use datafusion::parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};
use xuncha_core::i18n::tf;

use crate::error::{CollideError, Result};
use crate::import::{Converter, Problem};
use crate::kind::Kind;
use crate::mapping::{map_headers, Mapping};

/// Rows per Arrow batch while importing (and per Parquet row group, times 16).
pub const BATCH_ROWS: usize = 65_536;

/// One imported data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Stable id (`ds-1`, `ds-2` …), also the file name.
    pub id: String,
    /// The name users give it; also its SQL table name.
    pub name: String,
    /// What it is a list of.
    pub kind: String,
    /// Rows imported.
    pub rows: usize,
    /// Rows left out because of problems.
    pub skipped: usize,
    /// Problems found (rows kept with an empty cell included).
    pub problems: usize,
    /// Rows kept without a valid ID number (`None` when not counted).
    #[serde(default)]
    pub without_id: Option<usize>,
    /// The department the list came from (民政局, 公安局 …).
    pub source_department: Option<String>,
    /// The file it was imported from.
    pub source_file: String,
    /// Who imported it.
    pub imported_by: String,
    /// When, as `YYYY-MM-DD HH:MM:SS` UTC.
    pub imported_at: String,
    /// Which column held which field.
    pub mapping: Mapping,
}

impl Dataset {
    /// The kind, parsed.
    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.kind)
    }
}

/// A custom rule saved by a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRule {
    /// Identifier (ASCII letters, digits, `-`), unique among rules.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// The SELECT statement.
    pub sql: String,
    /// Who saved it.
    pub created_by: String,
    /// What it looks for and on what basis (may be empty).
    #[serde(default)]
    pub basis: String,
}

/// Everything in `manifest.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The next data-set number.
    pub next_id: u64,
    /// Data sets, in import order.
    pub datasets: Vec<Dataset>,
    /// Custom rules.
    pub rules: Vec<SavedRule>,
}

/// What an import is and where it came from.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The kind of list.
    pub kind: Option<Kind>,
    /// The data set's name.
    pub name: String,
    /// The department the list came from.
    pub source_department: Option<String>,
    /// The file name, for provenance.
    pub source_file: String,
    /// Who imports it.
    pub imported_by: String,
    /// When (`YYYY-MM-DD HH:MM:SS` UTC; the caller reads the clock).
    pub imported_at: String,
    /// `(field, header)` pairs that override the automatic mapping.
    pub mapping: Vec<(String, String)>,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The stored data set.
    pub dataset: Dataset,
    /// Every problem, by row.
    pub problems: Vec<Problem>,
}

/// The cross-check data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `DATA/collide` under an installation's data directory (created on
    /// first import).
    pub fn new(data_dir: &Path) -> Self {
        DataDir {
            root: data_dir.join("collide"),
        }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder holding a kind's Parquet files.
    pub fn kind_dir(&self, kind: Kind) -> PathBuf {
        self.root.join("sets").join(kind.id())
    }

    /// The Parquet file of a data set.
    pub fn file(&self, d: &Dataset) -> PathBuf {
        self.root
            .join("sets")
            .join(&d.kind)
            .join(format!("{}.parquet", d.id))
    }

    /// Reads the manifest (empty when nothing was imported yet).
    pub fn manifest(&self) -> Result<Manifest> {
        let path = self.root.join("manifest.json");
        match fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(CollideError::io(path)(e)),
        }
    }

    /// Writes the manifest atomically.
    pub fn save_manifest(&self, m: &Manifest) -> Result<()> {
        fs::create_dir_all(&self.root).map_err(CollideError::io(&self.root))?;
        let path = self.root.join("manifest.json");
        let tmp = self.root.join("manifest.json.tmp");
        fs::write(&tmp, serde_json::to_vec_pretty(m)?).map_err(CollideError::io(&tmp))?;
        fs::rename(&tmp, &path).map_err(CollideError::io(&path))
    }

    /// The problems found when `d` was imported.
    pub fn problems(&self, d: &Dataset) -> Result<Vec<Problem>> {
        let path = self.root.join("problems").join(format!("{}.json", d.id));
        let bytes = fs::read(&path).map_err(CollideError::io(&path))?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// Imports rows (`(line, cells)`, header excluded) under `req`. Good rows
    /// are stored even when others have problems; the problems are stored
    /// with the data set and returned.
    pub fn import<I>(
        &self,
        req: &ImportRequest,
        headers: &[String],
        rows: I,
    ) -> Result<ImportReport>
    where
        I: IntoIterator<Item = (usize, Vec<String>)>,
    {
        let kind = req
            .kind
            .ok_or_else(|| CollideError::Invalid(tf("collide.kind_unknown", &[("kind", "")])))?;
        validate_name(&req.name)?;
        let mut manifest = self.manifest()?;
        if manifest.datasets.iter().any(|d| d.name == req.name) {
            return Err(CollideError::Invalid(tf(
                "collide.dataset_exists",
                &[("name", &req.name)],
            )));
        }
        let mapping = map_headers(kind, headers, &req.mapping)?;
        manifest.next_id += 1;
        let id = format!("ds-{}", manifest.next_id);
        let mut conv = Converter::new(kind, &req.name, headers, mapping.clone());
        let dir = self.kind_dir(kind);
        fs::create_dir_all(&dir).map_err(CollideError::io(&dir))?;
        // Written under a name the engine's listing ignores, renamed when whole.
        let tmp = dir.join(format!("{id}.parquet.part"));
        if let Err(e) = write_parquet(&tmp, &mut conv, rows) {
            // Nothing half-written stays behind; the manifest is not touched.
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        let skipped = {
            let mut rows: Vec<usize> = conv
                .problems
                .iter()
                .filter(|p| p.skipped)
                .map(|p| p.row)
                .collect();
            rows.dedup();
            rows.len()
        };
        let dataset = Dataset {
            id: id.clone(),
            name: req.name.clone(),
            kind: kind.id().to_owned(),
            rows: conv.rows,
            skipped,
            problems: conv.problems.len(),
            without_id: Some(conv.without_id),
            source_department: req.source_department.clone(),
            source_file: req.source_file.clone(),
            imported_by: req.imported_by.clone(),
            imported_at: req.imported_at.clone(),
            mapping,
        };
        let pdir = self.root.join("problems");
        fs::create_dir_all(&pdir).map_err(CollideError::io(&pdir))?;
        let ppath = pdir.join(format!("{id}.json"));
        fs::write(&ppath, serde_json::to_vec_pretty(&conv.problems)?)
            .map_err(CollideError::io(&ppath))?;
        let path = self.file(&dataset);
        fs::rename(&tmp, &path).map_err(CollideError::io(&path))?;
        manifest.datasets.push(dataset.clone());
        self.save_manifest(&manifest)?;
        Ok(ImportReport {
            dataset,
            problems: conv.problems,
        })
    }

    /// Removes a data set and its file.
    pub fn remove(&self, name: &str) -> Result<Dataset> {
        let mut m = self.manifest()?;
        let i = m
            .datasets
            .iter()
            .position(|d| d.name == name)
            .ok_or_else(|| {
                CollideError::Invalid(tf("collide.dataset_unknown", &[("name", name)]))
            })?;
        let d = m.datasets.remove(i);
        self.save_manifest(&m)?;
        let _ = fs::remove_file(self.file(&d));
        let _ = fs::remove_file(self.root.join("problems").join(format!("{}.json", d.id)));
        Ok(d)
    }
}

/// Converts `rows` and writes them to `path` as Parquet, a batch at a time.
fn write_parquet<I>(path: &Path, conv: &mut Converter, rows: I) -> Result<()>
where
    I: IntoIterator<Item = (usize, Vec<String>)>,
{
    let file = fs::File::create(path).map_err(CollideError::io(path))?;
    // LZ4 pages decode faster than Snappy's (Snappy took a quarter to two
    // fifths of the CPU time of bench/collide.sh's rules in profiles) for a
    // file a few per cent larger. `_row` counts up by one, so delta encoding
    // stores it in almost nothing instead of 8 bytes a row.
    let props = WriterProperties::builder()
        .set_compression(Compression::LZ4_RAW)
        .set_max_row_group_row_count(Some(BATCH_ROWS * 16))
        .set_column_dictionary_enabled("_row".into(), false)
        .set_column_encoding("_row".into(), Encoding::DELTA_BINARY_PACKED)
        .build();
    let mut writer = ArrowWriter::try_new(file, conv.schema(), Some(props))?;
    let mut pending = 0;
    for (line, cells) in rows {
        if conv.push(line, &cells) {
            pending += 1;
        }
        if pending == BATCH_ROWS {
            writer.write(&conv.finish_batch()?)?;
            pending = 0;
        }
    }
    writer.write(&conv.finish_batch()?)?;
    writer.close()?;
    Ok(())
}

/// A data-set name becomes a SQL table name: no quotes, dots or slashes,
/// not a kind's table name, at most 64 characters.
fn validate_name(name: &str) -> Result<()> {
    let bad = name.trim().is_empty()
        || name.chars().count() > 64
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\'' | '.' | '/' | '\\' | '`'))
        || crate::kind::ALL_KINDS
            .iter()
            .any(|k| k.table() == Some(name) || k.id() == name)
        || name == "relatives_both";
    if bad {
        Err(CollideError::Invalid(tf(
            "collide.bad_name",
            &[("name", name)],
        )))
    } else {
        Ok(())
    }
}
