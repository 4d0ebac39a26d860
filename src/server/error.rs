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
}

impl ApiError {
    /// An error with this status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self { status, detail: detail.into() }
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
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { status_code: self.status.as_u16(), detail: self.detail };
        (self.status, Json(body)).into_response()
    }
}
