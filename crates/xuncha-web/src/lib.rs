//! xuncha-web
