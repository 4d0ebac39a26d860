//! The floor for `bench/gateway.sh`: the least a server on the gateway's stack (tokio, hyper,
//! axum) does per request — one route answering every GET with a file's bytes from memory, no
//! middleware, no cache lookup. What it reaches on a machine is what the gateway's cached
//! answers could reach there at best.
//!
//!     pylon-bench-floor FILE PORT

#![allow(
    clippy::disallowed_macros,
    reason = "a benchmark helper, not the product: errors go to stderr"
)]

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use bytes::Bytes;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(port)) = (args.next(), args.next()) else {
        eprintln!("usage: pylon-bench-floor FILE PORT");
        std::process::exit(2);
    };
    let body = match std::fs::read(&file) {
        Ok(bytes) => Bytes::from(bytes),
        Err(e) => {
            eprintln!("cannot read {file}: {e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let result = runtime.map_err(|e| e.to_string()).and_then(|runtime| {
        runtime.block_on(async move {
            let app = Router::new().fallback(get(move || {
                let body = body.clone();
                async move { ([(CONTENT_TYPE, "application/json")], body) }
            }));
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port_number(&port)?))
                .await
                .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
            axum::serve(listener, app).await.map_err(|e| e.to_string())
        })
    });
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

fn port_number(text: &str) -> Result<u16, String> {
    text.parse().map_err(|_| format!("not a port number: {text}"))
}
