//! Use cases of the 巡察 round: planning ([`plan`]), the team's work on a
//! unit ([`work`]), and what follows the fieldwork ([`outcome`]).

pub mod outcome;
pub mod plan;
pub mod work;
