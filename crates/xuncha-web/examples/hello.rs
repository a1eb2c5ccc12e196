//! The ceiling for the registry benchmark: a bare axum "hello" handler on
//! the same runtime settings as `xuncha serve`.
//!
//! `cargo run --release -p xuncha-web --example hello -- 127.0.0.1:8091`

#![allow(missing_docs)]

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".into());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
