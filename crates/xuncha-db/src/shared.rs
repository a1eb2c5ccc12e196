//! Pieces every query module uses: scope filters, row types and their
//! conversion into core types, and the per-backend module pattern.

use sqlx::QueryBuilder;
use xuncha_core::policy::Scope;
use xuncha_core::StoreError;

/// Instantiates a module's query functions for both backends: the macro
/// `$mac` (defined in the module) is expanded once into `sqlite` and once into
/// `postgres`, each with `Db` naming the sqlx database type.
macro_rules! for_each_backend {
    ($mac:ident) => {
        pub(crate) mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            #[allow(dead_code)]
            pub(crate) type Db = sqlx::Sqlite;
            /// dialect: SQLite takes the write lock up front, so a transaction
            /// that reads before it writes cannot fail on a stale snapshot.
            #[allow(dead_code)]
            pub(crate) const BEGIN: &str = "begin immediate";
            /// dialect: SQLite has one writer at a time. Writers of this process queue
            /// here, in order, before `begin immediate`: left to SQLite's busy handler
            /// they would sleep and retry (1, 2, 5 … 100 ms), which at a few hundred
            /// writes a second put a tail of 100+ ms on them (`bench/intake.sh`).
            #[allow(dead_code)]
            pub(crate) async fn write_lock() -> Option<tokio::sync::MutexGuard<'static, ()>> {
                Some(crate::shared::SQLITE_WRITER.lock().await)
            }
            $mac!(sqlite);
        }
        pub(crate) mod postgres {
            #[allow(unused_imports)]
            use super::*;
            #[allow(dead_code)]
            pub(crate) type Db = sqlx::Postgres;
            /// dialect: PostgreSQL locks rows as they are written.
            #[allow(dead_code)]
            pub(crate) const BEGIN: &str = "begin";
            /// dialect: PostgreSQL writers need no queue in the process.
            #[allow(dead_code)]
            pub(crate) async fn write_lock() -> Option<tokio::sync::MutexGuard<'static, ()>> {
                None
            }
            $mac!(postgres);
        }
    };
}

/// The queue of this process's SQLite writers (see `write_lock` in `for_each_backend!`).
/// One for all SQLite databases of the process: a server opens one; tests that open many
/// only wait a little longer.
pub(crate) static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The exclusive upper bound of a path prefix: `/1/5/` → `/1/50`. Paths are
/// `/`-separated decimal ids and `0` follows `/` in byte order, so
/// `path >= prefix and path < upper` selects exactly the subtree using the
/// index (PostgreSQL columns use the C collation for this reason).
pub(crate) fn prefix_upper(prefix: &str) -> String {
    let mut s = prefix.to_owned();
    if s.ends_with('/') {
        s.pop();
        s.push('0');
    } else {
        s.push('\u{10FFFF}');
    }
    s
}

/// Appends ` and <scope condition on col>` to a query.
pub(crate) fn push_scope<'a, DB>(qb: &mut QueryBuilder<'a, DB>, col: &str, scope: &Scope)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(prefix) = &scope.within {
        qb.push(format!(" and {col} >= "));
        qb.push_bind(prefix.clone());
        qb.push(format!(" and {col} < "));
        qb.push_bind(prefix_upper(prefix));
    }
    if let Some(any) = &scope.any_of {
        if any.is_empty() {
            qb.push(" and 1 = 0");
        } else {
            qb.push(" and (");
            for (i, p) in any.iter().enumerate() {
                if i > 0 {
                    qb.push(" or ");
                }
                qb.push(format!("({col} >= "));
                qb.push_bind(p.clone());
                qb.push(format!(" and {col} < "));
                qb.push_bind(prefix_upper(p));
                qb.push(")");
            }
            qb.push(")");
        }
    }
    for ex in &scope.excluded {
        qb.push(format!(" and ({col} is null or not ({col} >= "));
        qb.push_bind(ex.clone());
        qb.push(format!(" and {col} < "));
        qb.push_bind(prefix_upper(ex));
        qb.push("))");
    }
}

/// Appends a prefix match on a text column (uses its index).
pub(crate) fn push_prefix<'a, DB>(qb: &mut QueryBuilder<'a, DB>, col: &str, prefix: &str)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(format!(" and {col} >= "));
    qb.push_bind(prefix.to_owned());
    qb.push(format!(" and {col} < "));
    qb.push_bind(format!("{prefix}\u{10FFFF}"));
}

/// A JSON value of a serialisable core type, for audit before/after.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// Wraps a conversion failure of stored data.
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!("stored {what} is invalid: {value}"))
}

/// Closes a count opened as `select count(*) from (select 1 from … where …`:
/// at most `COUNT_CAP + 1` rows are counted, so a list of half a million
/// rows needs no exact total on every page turn.
pub(crate) fn close_capped_count<'a, DB>(qb: &mut QueryBuilder<'a, DB>)
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" limit ");
    qb.push_bind(xuncha_core::registry::COUNT_CAP + 1);
    qb.push(") capped");
}

/// A page whose total was counted by [`close_capped_count`].
pub(crate) fn capped_page<T>(items: Vec<T>, counted: i64) -> xuncha_core::registry::Page<T> {
    use xuncha_core::registry::COUNT_CAP;
    xuncha_core::registry::Page {
        items,
        total: counted.min(COUNT_CAP),
        total_capped: counted > COUNT_CAP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_upper_bounds_the_subtree() {
        let up = prefix_upper("/1/5/");
        assert_eq!(up, "/1/50");
        for inside in ["/1/5/", "/1/5/9/", "/1/5/123/"] {
            assert!(inside >= "/1/5/" && inside < up.as_str(), "{inside}");
        }
        for outside in ["/1/50/", "/1/6/", "/1/4/", "/1/"] {
            assert!(!(outside >= "/1/5/" && outside < up.as_str()), "{outside}");
        }
    }
}
