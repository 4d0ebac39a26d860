//! Write routes of the identity scopes: `PUT .../weights` (a scheduled job), `POST
//! .../commitments` and `POST .../certificates/self` (synchronous, with retries), and the
//! unstable weights status.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sp_core::Pair as _;

use super::AppState;
use super::body::Origin;
use super::error::ApiError;
use super::jobs;
use super::params::{IdentityMechanismAt, IdentitySubnet, P};
use crate::chain::client::{At, ReadFuture};
use crate::chain::{BlockAt, commit_reveal, reads};
use crate::retry::retry;
use crate::writes::calls::{self, Endpoint};
use crate::writes::commit;

type ApiResult = Result<Response, ApiError>;
type Body = Result<Bytes, BytesRejection>;

const CERT_FAILED: &str = "Could not generate certificate pair.";

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "{what}");
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
}

/// `PUT .../weights` and `PUT .../mechanism/{m}/weights`: stores a job superseding the
/// identity's running one and answers at once.
pub async fn put_weights(
    State(state): State<Arc<AppState>>,
    P(p): P<IdentitySubnet>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Body,
) -> ApiResult {
    let (name, netuid, mechanism) = (p.identity.as_str(), p.netuid, p.mechanism_id.unwrap_or(0));
    let weights = Origin { method: &method, uri: &uri }.weights(body)?.weights;
    let hotkey = crate::ss58::encode(&state.identity_key(name).await?);
    let count = weights.len();
    jobs::schedule(&state, name, &hotkey, netuid, mechanism, weights)
        .await
        .map_err(|e| internal("cannot store the weights job", e))?;
    tracing::info!(identity = name, netuid, mechanism, count, "weights job scheduled");
    Ok(Json(json!({"detail": "weights update scheduled", "count": count})).into_response())
}

/// `POST .../commitments`: sets the identity's commitment, retrying transient failures;
/// 201, or 502 with the last error.
pub async fn post_commitment(
    State(state): State<Arc<AppState>>,
    P(p): P<IdentitySubnet>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Body,
) -> ApiResult {
    let (name, netuid) = (p.identity.as_str(), p.netuid);
    let data = Origin { method: &method, uri: &uri }.commitment(body)?.commitment;
    let submitter = state.submitter(name).await?;
    let _turn = state.write_turn(name).await;
    let policy = state.config.commitment_retry;
    commit::set_commitment(&state.chain, &submitter, netuid, &data, &policy).await.map_err(
        |e| {
            tracing::error!(identity = name, netuid, error = %e, "setting a commitment failed");
            ApiError::new(StatusCode::BAD_GATEWAY, e.to_string())
        },
    )?;
    let body = Json(json!({"detail": "Commitment set successfully."}));
    Ok((StatusCode::CREATED, body).into_response())
}

/// `POST /api/_unstable/.../commitments/revealed`: a drand-timelocked commitment the chain
/// reveals after `blocks_until_reveal` blocks; 201 `{"reveal_round"}`, or 502.
pub async fn post_revealed_commitment(
    State(state): State<Arc<AppState>>,
    P(p): P<IdentitySubnet>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Body,
) -> ApiResult {
    let (name, netuid) = (p.identity.as_str(), p.netuid);
    let asked = Origin { method: &method, uri: &uri }.revealed_commitment(body)?;
    let (data, blocks) = (asked.commitment.into_bytes(), asked.blocks_until_reveal);
    let submitter = state.submitter(name).await?;
    let _turn = state.write_turn(name).await;
    let (chain, policy) = (&state.chain, state.config.commitment_retry);
    let drand = state.drand().await.map_err(|e| {
        tracing::error!(error = %e, "cannot find the drand network");
        ApiError::new(StatusCode::BAD_GATEWAY, format!("cannot find the drand network: {e}"))
    })?;
    let sent = retry(&policy, |_| {
        commit::set_timelocked_commitment(chain, &submitter, &drand, netuid, &data, blocks)
    })
    .await
    .map_err(|e| match e {
        commit::CommitError::Data(e) => {
            let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
            let message = format!("Value error, {e}");
            ApiError::validation(method.as_str(), path, vec![("commitment".into(), message)])
        }
        other => {
            tracing::error!(identity = name, netuid, error = %other, "timelocked commitment failed");
            ApiError::new(StatusCode::BAD_GATEWAY, other.to_string())
        }
    })?;
    let body = Json(json!({"reveal_round": sent.reveal_round}));
    Ok((StatusCode::CREATED, body).into_response())
}

/// `POST .../certificates/self`: a new Ed25519 keypair, served on chain with the identity's
/// current axon address; 201 with both keys, or 502.
pub async fn post_certificate(
    State(state): State<Arc<AppState>>,
    P(p): P<IdentitySubnet>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Body,
) -> ApiResult {
    let (name, netuid) = (p.identity.as_str(), p.netuid);
    let algorithm = Origin { method: &method, uri: &uri }.certificate(body)?.algorithm;
    let submitter = state.submitter(name).await?;
    let _turn = state.write_turn(name).await;
    let me = crate::ss58::encode(&submitter.account());
    let failed = |why: String| {
        tracing::error!(identity = name, netuid, error = %why, "certificate generation failed");
        ApiError::new(StatusCode::BAD_GATEWAY, CERT_FAILED)
    };
    let read = move |at| -> ReadFuture<_> { Box::pin(reads::neurons(at, netuid)) };
    let neurons =
        state.chain.read(BlockAt::Latest, read).await.map_err(|e| failed(e.to_string()))?;
    let own = neurons
        .neurons
        .iter()
        .find(|n| n.hotkey == me)
        .ok_or_else(|| failed(format!("hotkey {me} is not registered on subnet {netuid}")))?;
    let axon = &own.axon_info;
    let endpoint = Endpoint::parse(&axon.ip, axon.port, axon.protocol)
        .ok_or_else(|| failed(format!("the axon address {:?} does not parse", axon.ip)))?;
    let (pair, seed) = sp_core::ed25519::Pair::generate();
    let public = pair.public().0;
    let payload = calls::serve_axon_tls(netuid, endpoint, algorithm, &public);
    let policy = state.config.commitment_retry;
    retry(&policy, |_| submitter.submit_via(state.chain.main(), &payload))
        .await
        .map_err(|e| failed(e.to_string()))?;
    let body = json!({
        "algorithm": algorithm,
        "public_key": hex::encode(public),
        "private_key": hex::encode(seed),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET .../mechanism/{m}/block/{n}/weights/status`: whether a job of this identity and
/// mechanism is running or succeeded in the epoch containing block n (a local lookup).
pub async fn weights_status(
    State(state): State<Arc<AppState>>,
    P(p): P<IdentityMechanismAt>,
) -> ApiResult {
    let (name, netuid, mechanism) = (p.identity.as_str(), p.netuid, p.mechanism_id);
    let read = move |at: At| -> ReadFuture<_> {
        Box::pin(async move {
            let schedule = commit_reveal::schedule(&at, netuid).await?;
            Ok((at.block_number(), schedule))
        })
    };
    let (number, schedule) = state
        .chain
        .read(p.block.at()?, read)
        .await
        .map_err(|e| ApiError::from_chain("get_hyperparams", e, "Not Found"))?;
    let epoch = schedule.epoch_at(number);
    let submitted = state
        .jobs
        .store
        .submitted_in(name, mechanism, epoch.start, epoch.end)
        .await
        .map_err(|e| internal("cannot read the weights jobs", e))?;
    Ok(Json(json!({"weights_submitted": submitted})).into_response())
}
