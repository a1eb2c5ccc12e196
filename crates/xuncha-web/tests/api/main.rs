//! HTTP tests against the real router (`tower::ServiceExt::oneshot`): one
//! binary, a module per feature, `TestApp` in `helpers.rs`.

#![allow(missing_docs)]
#![allow(clippy::unwrap_used)]

mod helpers;

mod api;
mod attachments;
mod auth;
mod campaign_ledger;
mod campaign_plan;
mod campaign_search;
mod campaigns;
mod collide;
mod collide_api;
mod collide_rules;
mod forms;
mod import;
mod permissions;
mod petitions;
mod registry;
mod rounds;
mod rounds_writes;
mod search;
mod settings;
mod supervisions;
mod surveys;
mod tips;
mod tips_api;
