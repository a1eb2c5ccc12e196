//! Intake: petitions (信访) with their statutory clocks; public tips and
//! surveys come next (issue 4).

pub mod petition;
pub mod register;
