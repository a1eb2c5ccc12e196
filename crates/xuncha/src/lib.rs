//! The xuncha application: configuration, start-up and the command-line
//! commands. Commands call `xuncha-core` use cases with a real store; none
//! goes through HTTP.

pub mod backup;
pub mod cli;
pub mod commands;
pub mod config;
pub mod search_sync;
