//! The per-request work around every routed handler, in one layer: metrics, the
//! `X-Pylon-Timeout` budget and the encoding of cached answers. One layer costs one service
//! clone and one boxed future per request where a layer per concern cost three.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, encoding, metrics, timeout};

/// Runs a routed request within its budget, counts and times it, and encodes its answer as
/// the request accepts.
pub async fn around(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let accepted = encoding::accepts(request.headers());
    let tracker = metrics::Tracker::start(&state, &request);
    let response = match timeout::limit(&state.config, request.headers()) {
        Err(e) => e.into_response(),
        Ok(limit) => tokio::time::timeout(limit, next.run(request))
            .await
            .unwrap_or_else(|_| timeout::timed_out()),
    };
    tracker.finish(&response);
    encoding::encode(response, accepted)
}
