//! The test database of one scenario (a temp SQLite file, or a fresh
//! PostgreSQL database dropped by a guard), raw SQL access beside the store,
//! and builders for the values scenarios need.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Connection;
use xuncha_core::auth::{Actor, Jurisdiction, Role};
use xuncha_core::clock::{Clock, ManualClock};
use xuncha_core::registry::{NewPerson, NewUnit, PersonInput, Unit, UnitKind, UnitName};
use xuncha_core::store::{AuditMeta, Store};
use xuncha_db::{PgStore, SqliteStore};
use xuncha_text::IdNumber;

/// The variable that enables the PostgreSQL half of the suite.
pub const PG_ENV: &str = "XUNCHA_TEST_POSTGRES_URL";

/// 2026-11-27T01:30:00Z, the time every scenario starts at.
pub const T0: i64 = 1_795_743_000_000;

/// Emits, for a scenario `async fn name(store: Arc<dyn Store>, ctx: &TestDb)`,
/// a module `name` with two tests: `name::sqlite` (always runs, on a temp
/// file) and `name::postgres` (runs when `XUNCHA_TEST_POSTGRES_URL` is set,
/// on a database of its own that is dropped afterwards). In the style of
/// ripgrep's `rgtest!`; a module stands in for the `name_sqlite` /
/// `name_postgres` pair because `macro_rules!` cannot join identifiers.
/// Attributes given before the name (`#[ignore = "…"]`) go on both tests.
macro_rules! store_test {
    ($(#[$attr:meta])* $name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn sqlite() {
                let db = $crate::helpers::TestDb::sqlite().await;
                super::$name(db.store.clone(), &db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn postgres() {
                let Some(db) = $crate::helpers::TestDb::postgres().await else {
                    eprintln!(
                        "skipped {}::postgres: {} is not set",
                        stringify!($name),
                        $crate::helpers::PG_ENV
                    );
                    return;
                };
                super::$name(db.store.clone(), &db).await;
            }
        }
    };
}

/// Raw SQL access to the scenario's database, beside the store (for
/// tampering with the audit log and checking what the store wrote).
pub enum Raw {
    /// A second pool on the same SQLite file.
    Sqlite(sqlx::SqlitePool),
    /// A second pool on the same PostgreSQL database.
    Postgres(sqlx::PgPool),
}

/// One scenario's database.
pub struct TestDb {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// The same database as the search index reads it.
    pub feed: Arc<dyn xuncha_core::store::SearchFeed>,
    /// Raw SQL access to the same database.
    pub raw: Raw,
    /// The clock scenarios move.
    pub clock: Arc<ManualClock>,
    /// Holds the SQLite file (removed when the scenario ends).
    _dir: tempfile::TempDir,
    /// Drops the PostgreSQL database when the scenario ends (even by panic).
    _pg: Option<PgGuard>,
}

impl TestDb {
    /// A fresh SQLite database in a temp directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("xuncha.db");
        let store = SqliteStore::open(&path).await.unwrap();
        let raw = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(SqliteConnectOptions::new().filename(&path))
            .await
            .unwrap();
        TestDb {
            feed: Arc::new(store.clone()),
            store: Arc::new(store),
            raw: Raw::Sqlite(raw),
            clock: Arc::new(ManualClock::new(T0)),
            _dir: dir,
            _pg: None,
        }
    }

    /// A fresh PostgreSQL database, or `None` when the variable is unset.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var(PG_ENV)
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let name = unique_db_name();
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{PG_ENV}: cannot connect: {e}"));
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        // From here on the guard drops the database whatever happens.
        let guard = PgGuard {
            admin_url: admin_url.clone(),
            name: name.clone(),
        };
        let url = with_database(&admin_url, &name);
        let store = PgStore::connect(&url).await.unwrap();
        let raw = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(&url)
            .await
            .unwrap();
        Some(TestDb {
            feed: Arc::new(store.clone()),
            store: Arc::new(store),
            raw: Raw::Postgres(raw),
            clock: Arc::new(ManualClock::new(T0)),
            _dir: tempfile::tempdir().unwrap(),
            _pg: Some(guard),
        })
    }

    /// Audit metadata of a change by the system actor, now.
    pub fn meta(&self) -> AuditMeta {
        AuditMeta {
            actor_id: 0,
            actor_name: "system".to_owned(),
            at: self.clock.now_ms(),
        }
    }

    /// Runs a statement on the raw pool; returns the rows affected.
    pub async fn exec(&self, sql: &str) -> u64 {
        match &self.raw {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.unwrap().rows_affected(),
            Raw::Postgres(p) => sqlx::query(sql).execute(p).await.unwrap().rows_affected(),
        }
    }

    /// A single integer from the raw pool (`select count(*) …`).
    pub async fn scalar(&self, sql: &str) -> i64 {
        match &self.raw {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Raw::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    /// The audit-log sequence numbers as stored, in order.
    pub async fn audit_seqs(&self) -> Vec<i64> {
        let sql = "select seq from audit_log order by seq";
        match &self.raw {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
            Raw::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        }
    }

    /// Creates a unit as the system actor.
    pub async fn unit(&self, parent: Option<&Unit>, name: &str, kind: UnitKind) -> Unit {
        self.store
            .create_unit(&new_unit(parent.map(|p| p.id), name, kind), &self.meta())
            .await
            .unwrap()
    }
}

/// Drops a scenario's PostgreSQL database. `Drop` cannot await, so the drop
/// runs on a thread with a runtime of its own; `with (force)` ends the
/// store's pooled connections.
struct PgGuard {
    admin_url: String,
    name: String,
}

impl Drop for PgGuard {
    fn drop(&mut self) {
        let url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&url).await?;
                sqlx::query(&format!("drop database if exists {name} with (force)"))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop test database {}: {e:#}", self.name),
            Err(_) => eprintln!(
                "could not drop test database {}: thread panicked",
                self.name
            ),
        }
    }
}

/// `xuncha_test_<pid>_<nanos>_<n>`: unique across parallel tests and runs.
fn unique_db_name() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "xuncha_test_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A validated new unit.
pub fn new_unit(parent_id: Option<i64>, name: &str, kind: UnitKind) -> NewUnit {
    NewUnit {
        parent_id,
        name: UnitName::parse(name).unwrap(),
        kind,
        region_code: None,
        budget_yuan: None,
    }
}

/// A valid ID number: region 530102, the given birth date, sequence `seq`
/// (odd = male).
pub fn id_number(birth: &str, seq: u16) -> String {
    IdNumber::from_parts("530102", birth, seq)
        .unwrap()
        .as_str()
        .to_owned()
}

/// The `n`-th of a series of distinct valid ID numbers.
pub fn nth_id_number(n: usize) -> String {
    let day = 1 + (n / 1000) % 28;
    id_number(&format!("198501{day:02}"), (n % 1000) as u16)
}

/// A validated new person.
pub fn new_person(name: &str, id: Option<&str>, unit_id: Option<i64>) -> NewPerson {
    NewPerson::parse(
        &PersonInput {
            name,
            id_number: id.unwrap_or(""),
            ..Default::default()
        },
        unit_id,
    )
    .unwrap()
}

/// An actor of `role` bound to `unit` (admin when `None` and role is admin).
pub fn actor(role: Role, unit: Option<&Unit>) -> Actor {
    Actor {
        user_id: 1,
        username: format!("{}-user", role.as_str()),
        display_name: role.label().to_owned(),
        role,
        jurisdiction: unit.map(|u| Jurisdiction {
            unit_id: u.id,
            path: u.path.clone(),
        }),
        recused_paths: Vec::new(),
        assignments: Vec::new(),
    }
}

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
