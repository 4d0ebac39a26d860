//! Recent neurons: a background refresher keeps each configured subnet's neurons at the latest
//! block, and `GET …/block/recent/neurons` serves them within the soft and hard staleness limits
//! (ages in blocks of `PYLON_BLOCK_DURATION_SECONDS`, measured from the block's chain time).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;

use super::AppState;
use super::error::ApiError;
use crate::chain::{BlockAt, ChainError, reads};

/// One subnet's recent neurons: the JSON answer and the block's chain time (unix ms).
#[derive(Clone)]
struct Entry {
    body: bytes::Bytes,
    timestamp_ms: u64,
    generation: u64,
}

/// The recent neurons of every configured subnet.
#[derive(Default)]
pub struct RecentNeurons {
    entries: Mutex<BTreeMap<u16, Entry>>,
    wake: tokio::sync::Notify,
}

const MISSING: &str = "Recent neurons data is not available. Cache update may not have finished yet or subnet may not be configured for caching recent objects.";
const STALE: &str = "Recent neurons data is stale. Cache update may be failing.";

impl RecentNeurons {
    /// The subnets kept: every identity's and the listed ones.
    pub fn netuids(state: &AppState) -> BTreeSet<u16> {
        let c = &state.config;
        c.identities.values().map(|i| i.netuid).chain(c.recent_netuids.iter().copied()).collect()
    }

    /// The answer for `netuid`, or 503 when missing or older than the hard limit.
    pub fn get(&self, state: &AppState, netuid: u16) -> Result<bytes::Bytes, ApiError> {
        let generation = state.generation();
        let entry = self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(&netuid).cloned();
        let entry = entry
            .filter(|e| e.generation == generation)
            .ok_or_else(|| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, MISSING))?;
        let now_ms =
            SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        let block_ms = state.config.block_duration.as_millis().max(1) as u64;
        let age = now_ms.saturating_sub(entry.timestamp_ms) / block_ms;
        if age > state.config.recent_hard_limit_blocks {
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, STALE));
        }
        if age > state.config.recent_soft_limit_blocks {
            tracing::warn!(netuid, age_blocks = age, "serving recent neurons past the soft limit");
        }
        Ok(entry.body)
    }

    /// Refreshes at once (after the chain changed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    async fn refresh_one(&self, state: &AppState, netuid: u16) -> Result<(), ChainError> {
        let generation = state.generation();
        let (neurons, info) = state
            .chain
            .read(BlockAt::Latest, move |at| {
                Box::pin(async move {
                    let neurons = reads::neurons(at.clone(), netuid).await?;
                    Ok((neurons, reads::block_info(at).await?))
                })
            })
            .await?;
        let body = serde_json::to_vec(&neurons).unwrap_or_default();
        let entry = Entry { body: body.into(), timestamp_ms: info.timestamp * 1000, generation };
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).insert(netuid, entry);
        Ok(())
    }

    /// Refreshes every kept subnet now, then every `max(soft − lead, 1)` blocks, forever.
    pub async fn run(state: Arc<AppState>) {
        let netuids = Self::netuids(&state);
        if netuids.is_empty() {
            return;
        }
        let c = &state.config;
        let blocks = c.recent_soft_limit_blocks.saturating_sub(c.recent_refresh_lead_blocks).max(1);
        let interval =
            c.block_duration.saturating_mul(blocks as u32).max(Duration::from_millis(50));
        loop {
            for &netuid in &netuids {
                if let Err(e) = state.recent.refresh_one(&state, netuid).await {
                    tracing::warn!(netuid, error = %e, "recent neurons refresh failed");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = state.recent.wake.notified() => {}
            }
        }
    }
}
