//! xuncha-office
