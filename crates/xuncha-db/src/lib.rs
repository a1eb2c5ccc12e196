//! Storage adapters of xuncha: [`SqliteStore`] (the embedded default) and
//! [`PgStore`] (production). Both implement [`xuncha_core::store::Store`] with
//! the same SQL wherever the dialects agree; the few differences are marked
//! `// dialect:`. Every change is written in one transaction together with its
//! hash-chained audit record and its search-outbox row.
//!
//! Query code is written once, as macros instantiated for each backend
//! (`sqlx::Sqlite`, `sqlx::Postgres`), because sqlx's executor bounds cannot be
//! named generically in a readable way.

mod blobs;
mod connect;
mod error;
#[macro_use]
mod shared;
mod audit;
mod campaign_counts;
mod campaign_followups;
mod campaign_ledger;
mod campaign_plan;
mod campaign_work;
mod campaigns;
mod collide;
mod households;
mod persons;
mod petitions;
mod records;
mod registry_extra;
mod rounds;
mod search_feed;
mod store_campaigns;
mod store_collide;
mod store_impl;
mod store_intake;
mod store_rounds;
mod store_surveys;
mod supervisions;
mod surveys;
mod tips;
mod units;
mod users;

pub use blobs::FsBlobStore;
pub use connect::{connect, redact, DatabaseUrl, Opened, PgStore, SqliteStore};
