//! API errors: a status and the `{"status_code", "detail"}` body the Python Pylon sends.
//! Internal detail (node URLs, causes) goes to the log, never into a 5xx body beyond what the
//! Python service itself reports.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::chain::ChainError;

tokio::task_local! {
    /// The id of the request being answered (`x-request-id`), for 5xx bodies.
    pub static REQUEST_ID: String;
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `detail` text.
    pub detail: String,
    /// Per-field validation messages: (dotted field path, message).
    pub extra: Vec<(String, String)>,
}

impl ApiError {
    /// An error with this status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self { status, detail: detail.into(), extra: Vec::new() }
    }

    /// 400 `Validation failed for METHOD PATH` with one message per bad field.
    pub fn validation(method: &str, path: &str, extra: Vec<(String, String)>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            detail: format!("Validation failed for {method} {path}"),
            extra,
        }
    }

    /// 404 `Not Found`, as for an unknown route or an unparsable path parameter.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found")
    }

    /// Maps a chain failure of `operation`, with `missing` as the 404 detail for `NotFound`.
    pub fn from_chain(operation: &str, e: ChainError, missing: &str) -> Self {
        match e {
            ChainError::BlockNotFound { block, .. } => {
                Self::new(StatusCode::NOT_FOUND, format!("Block {block} not found."))
            }
            ChainError::SubnetNotFound { netuid } => {
                Self::new(StatusCode::NOT_FOUND, format!("Subnet {netuid} not found."))
            }
            ChainError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, missing),
            e @ ChainError::ApiMissing { .. } => {
                Self::new(StatusCode::NOT_IMPLEMENTED, format!("{}.", e))
            }
            ChainError::BlockUnavailable { block, .. } => Self::new(
                StatusCode::BAD_GATEWAY,
                format!("Block {block} data is unavailable on both main and archive nodes."),
            ),
            other => {
                tracing::warn!(operation, error = %other, "chain operation failed");
                let request = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
                Self::new(
                    StatusCode::BAD_GATEWAY,
                    format!(
                        "{operation} failed: the node could not answer (request {request}; the gateway's log has the cause)"
                    ),
                )
            }
        }
    }
}

/// The JSON body of every error answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The HTTP status, repeated.
    pub status_code: u16,
    /// What went wrong.
    pub detail: String,
    /// Validation errors only: each bad field and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraItem>,
}

/// One bad field of a request body.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ExtraItem {
    /// The dotted field path, e.g. `weights.5F…`.
    pub key: String,
    /// The validation message.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let extra =
            self.extra.into_iter().map(|(key, message)| ExtraItem { key, message }).collect();
        let body = ErrorBody { status_code: self.status.as_u16(), detail: self.detail, extra };
        (self.status, Json(body)).into_response()
    }
}

/// The answer to a request whose handler panicked: 500 with a fixed detail. The panic message
/// stays out of the body (it may hold anything); the panic hook logs it and reports it to Sentry.
pub fn panicked(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_without_its_message() {
        async fn boom() -> &'static str {
            panic!("secret-in-panic")
        }
        let app = axum::Router::new()
            .route("/boom", axum::routing::get(boom))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked));
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.expect("body");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).expect("json"),
            serde_json::json!({"status_code": 500, "detail": "Internal Server Error"})
        );
    }
}
