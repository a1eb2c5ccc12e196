//! Intake: petitions (信访) with their statutory clocks, and public tips
//! (码上巡察) with anonymous receipts; surveys come next (issue 4).

pub mod guard;
pub mod petition;
pub mod register;
pub mod tip;

#[cfg(test)]
mod clock_tests;
