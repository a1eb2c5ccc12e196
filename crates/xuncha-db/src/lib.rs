//! xuncha-db
