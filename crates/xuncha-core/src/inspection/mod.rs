//! The 巡察 round end to end: rounds and teams, recusal, preparation,
//! fieldwork, working papers, clues, reports, feedback, transfer,
//! rectification, accountability and the circular.
//!
//! Everything here is pure: the state machines and rules that the use cases
//! in [`crate::usecases::rounds`] apply before they store a change.

pub mod circular;
pub mod fieldwork;
pub mod paper;
pub mod prepare;
pub mod record;
pub mod rectification;
pub mod recusal;
pub mod report;
pub mod risk;
pub mod round;
pub mod transfer;
pub mod workdays;

pub use round::{
    Assignment, NewRecusal, NewRound, RecusalDecision, RecusalRecord, Round, RoundInput, RoundKind,
    RoundStatus, Stage, Target, TargetUpdate, Team, TeamMember, TeamRole,
};
