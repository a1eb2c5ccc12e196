//! The domain of xuncha (巡察): types, rules, the permission policy, use cases
//! and the ports (storage, clock) that adapters implement.
//!
//! Nothing here does IO directly: storage goes through [`store::Store`], time
//! through [`clock::Clock`]. Every rule about who may see or do what lives in
//! [`policy`], and every use case in [`usecases`] asks it before acting.

pub mod audit;
pub mod auth;
pub mod campaign;
pub mod clock;
pub mod codes;
pub mod collide;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod import;
pub mod inspection;
pub mod intake;
mod labels;
pub mod policy;
pub mod registry;
pub mod settings;
pub mod store;
pub mod survey;
pub mod usecases;

pub use error::{CoreError, FieldError, StoreError};
