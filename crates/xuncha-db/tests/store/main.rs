//! The storage conformance suite: one scenario set, run on SQLite always and
//! on PostgreSQL when `XUNCHA_TEST_POSTGRES_URL` is set (each PostgreSQL test
//! gets a database of its own, dropped afterwards).
//!
//! `store_test!(name)` turns `async fn name(store, ctx)` into the tests
//! `name::sqlite` and `name::postgres`; `cargo test -p xuncha-db --test store
//! sqlite` runs one backend.

#![allow(missing_docs)]
#![allow(clippy::unwrap_used)]

#[macro_use]
mod helpers;

mod audit;
mod campaign_counters;
mod campaign_feed;
mod campaign_ledger;
mod campaign_plan;
mod campaign_recusal;
mod campaign_visits;
mod campaigns;
mod collide;
mod demo;
mod import;
mod persons;
mod petitions;
mod rounds;
mod search_feed;
mod supervisions;
mod surveys;
mod tips;
mod units;
mod users;
