//! API errors: a status and the `{"status_code", "detail"}` body the Python Pylon sends.
//! Internal detail (node URLs, causes) goes to the log, never into a 5xx body beyond what the
//! Python service itself reports.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::chain::ChainError;

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
            ChainError::BlockUnavailable { block, .. } => Self::new(
                StatusCode::BAD_GATEWAY,
                format!("Block {block} data is unavailable on both main and archive nodes."),
            ),
            other => {
                tracing::warn!(operation, error = %other, "chain operation failed");
                Self::new(StatusCode::BAD_GATEWAY, format!("{operation} failed: {other}"))
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
