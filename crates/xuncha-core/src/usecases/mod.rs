//! Use cases: each checks the policy, validates, and calls the store. Web
//! handlers and CLI commands call these and nothing below them.

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod collide;
pub mod import;
pub mod petitions;
pub mod registry;
pub mod rounds;
pub mod same_person;
pub mod settings;
pub mod similar;
pub mod supervisions;
pub mod surveys;
pub mod tips;
pub mod users;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::store::AuditMeta;

/// The audit metadata of a change made now by `actor`.
pub fn meta(actor: &Actor, clock: &dyn Clock) -> AuditMeta {
    AuditMeta {
        actor_id: actor.user_id,
        actor_name: actor.username.clone(),
        at: clock.now_ms(),
    }
}
