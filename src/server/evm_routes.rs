//! `POST /api/_unstable/openaccess/evm/contracts/{contract_address}/logs?from_block=&to_block=`:
//! a contract's logs decoded with the client's event ABI. 400 for a bad address, body or range,
//! 422 for a malformed event entry, 502 when an EVM node fails.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;

use super::AppState;
use super::body::Origin;
use super::error::ApiError;
use super::params::{Contract, P};
use super::routes::{ApiResult, to_json};
use crate::evm::EvmError;

/// The handler.
pub async fn logs(
    State(state): State<Arc<AppState>>,
    P(p): P<Contract>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let origin = Origin { method: &method, uri: &uri };
    let body = origin.evm_logs(body)?;
    let (from, to) = origin.block_range(&query)?;
    let found = state
        .evm
        .logs(&p.contract_address, from, to, &body.abi, &state.metrics)
        .await
        .map_err(|e| match e {
            EvmError::InvalidAddress(_) => ApiError::new(StatusCode::BAD_REQUEST, e.to_string()),
            EvmError::MalformedAbi(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            EvmError::Rpc { ref label, ref message } => {
                tracing::warn!(node = %label, error = %message, "EVM log query failed");
                ApiError::new(StatusCode::BAD_GATEWAY, e.to_string())
            }
        })?;
    let body = to_json(&found)?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}
