//! The demo county (placeholder until the generator lands).
