//! Intake: petitions (信访) with their statutory clocks and their
//! supervision (督办), and public tips (码上巡察) with anonymous receipts.

pub mod guard;
pub mod petition;
pub mod register;
pub mod supervision;
pub mod tip;

#[cfg(test)]
mod clock_tests;
