//! Handlers of the block-level reads: a decoded extrinsic, alpha prices, the last stored drand
//! round and a subnet's EVM associations. Finalized answers are cached like the subnet reads.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;
use super::cache::Key;
use super::error::ApiError;
use super::params::{At, ExtrinsicAt, P, Subnet, SubnetAt};
use super::routes::{ApiResult, to_json};
use crate::chain::client::ReadFuture;
use crate::chain::{BlockAt, blocks};

/// `GET …/block/{block}/extrinsic/{extrinsic_index}`: 404 `Block N not found.` or
/// `Extrinsic N-I not found.`.
pub async fn extrinsic(State(state): State<Arc<AppState>>, P(p): P<ExtrinsicAt>) -> ApiResult {
    let at = p.block.at()?;
    let index =
        u32::try_from(p.extrinsic_index).map_err(|_| missing_extrinsic(at, p.extrinsic_index))?;
    state
        .answer("extrinsic", 0, Key::index(index), at, move |state, at| async move {
            let missing = missing_extrinsic(at, index.into()).detail;
            let read = move |a| -> ReadFuture<_> { Box::pin(blocks::extrinsic(a, index)) };
            to_json(&state.read("get_extrinsic", None, at, &missing, read).await?)
        })
        .await
}

fn missing_extrinsic(at: BlockAt, index: i64) -> ApiError {
    let block = match at {
        BlockAt::Number(n) => n.to_string(),
        BlockAt::Latest => "latest".to_string(),
    };
    ApiError::new(StatusCode::NOT_FOUND, format!("Extrinsic {block}-{index} not found."))
}

/// `GET /api/_unstable/openaccess/block/{block}/prices`: every subnet's alpha price.
pub async fn prices(State(state): State<Arc<AppState>>, P(p): P<At>) -> ApiResult {
    state
        .answer("prices", 0, None, p.block.at()?, move |state, at| async move {
            let read = |a| -> ReadFuture<_> { Box::pin(blocks::prices(a)) };
            to_json(&state.read("get_prices", None, at, "", read).await?)
        })
        .await
}

/// `GET …/subnet/{netuid}/block/{block}/price`: one subnet's alpha price.
pub async fn price(State(state): State<Arc<AppState>>, P(p): P<SubnetAt>) -> ApiResult {
    let netuid = p.netuid;
    state
        .answer("price", netuid, None, p.block.at()?, move |state, at| async move {
            let read = move |a| -> ReadFuture<_> { Box::pin(blocks::price(a, netuid)) };
            to_json(&state.read("get_price", Some(netuid), at, "", read).await?)
        })
        .await
}

/// `GET /api/_unstable/openaccess/block/latest/drand/last_stored_round`.
pub async fn drand_round(State(state): State<Arc<AppState>>) -> ApiResult {
    state
        .answer("drand_round", 0, None, BlockAt::Latest, move |state, at| async move {
            let read = |a| -> ReadFuture<_> { Box::pin(blocks::drand_round(a)) };
            to_json(&state.read("get_drand_last_stored_round", None, at, "", read).await?)
        })
        .await
}

/// `GET …/subnet/{netuid}/block/latest/evm_associations`.
pub async fn evm_associations(State(state): State<Arc<AppState>>, P(p): P<Subnet>) -> ApiResult {
    let netuid = p.netuid;
    state
        .answer("evm_associations", netuid, None, BlockAt::Latest, move |state, at| async move {
            let read = move |a| -> ReadFuture<_> { Box::pin(blocks::evm_associations(a, netuid)) };
            to_json(&state.read("get_evm_associations", Some(netuid), at, "", read).await?)
        })
        .await
}
