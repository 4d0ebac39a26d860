//! What epochs and a commit-reveal (CRv4) commit need from the chain at one block: the subnet's
//! epoch schedule, the block's timestamp, the commit-reveal version, and the next epoch start
//! (from `get_next_epoch_start_block` when the runtime has it).

use subxt::dynamic;

use super::client::At;
use super::error::ChainError;
use super::reads::{call, client_err, decode_err, has_method};
use crate::retry::Retryable;
use crate::writes::epoch::Schedule;

/// Timing of a subnet's epochs at one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// The block read.
    pub block: u64,
    /// Its `Timestamp.Now` (unix ms).
    pub timestamp_ms: u64,
    /// `CommitRevealWeightsVersion`.
    pub version: u16,
    /// The runtime's next epoch start, when it reports one.
    pub next_epoch_start: Option<u64>,
    /// The subnet's epoch schedule.
    pub schedule: Schedule,
}

fn has_storage(at: &At, pallet: &str, entry: &str) -> bool {
    at.metadata_ref()
        .pallet_by_name(pallet)
        .and_then(|p| p.storage())
        .and_then(|s| s.entry_by_name(entry))
        .is_some()
}

async fn subtensor_u64(at: &At, entry: &str, netuid: u16) -> Result<u64, ChainError> {
    let addr = dynamic::storage::<(u16,), u64>("SubtensorModule", entry);
    match at.storage().try_fetch(addr, (netuid,)).await.map_err(client_err)? {
        Some(v) => v.decode().map_err(|e| decode_err(entry, e)),
        None => Ok(0),
    }
}

/// How `netuid`'s epochs are scheduled at `at`: the stateful scheduler's `LastEpochBlock` and
/// `PendingEpochAt` when the runtime has them, else the modulo rule of older runtimes.
pub async fn schedule(at: &At, netuid: u16) -> Result<Schedule, ChainError> {
    let tempo_addr = dynamic::storage::<(u16,), u16>("SubtensorModule", "Tempo");
    let tempo = match at.storage().try_fetch(tempo_addr, (netuid,)).await.map_err(client_err)? {
        Some(v) => u64::from(v.decode().map_err(|e| decode_err("Tempo", e))?),
        None => 360,
    };
    if has_storage(at, "SubtensorModule", "LastEpochBlock") {
        Ok(Schedule::Stateful {
            last_epoch_block: subtensor_u64(at, "LastEpochBlock", netuid).await?,
            pending_epoch_at: subtensor_u64(at, "PendingEpochAt", netuid).await?,
            tempo,
        })
    } else {
        Ok(Schedule::Modulo { netuid, tempo })
    }
}

/// `Timestamp.Now` at `at` (unix ms; 0 at genesis).
pub async fn timestamp_ms(at: &At) -> Result<u64, ChainError> {
    let now = dynamic::storage::<(), u64>("Timestamp", "Now");
    match at.storage().try_fetch(now, ()).await.map_err(client_err)? {
        Some(v) => v.decode().map_err(|e| decode_err("Timestamp.Now", e)),
        None => Ok(0),
    }
}

/// The timing of `netuid` at `at`.
pub async fn timing(at: At, netuid: u16) -> Result<Timing, ChainError> {
    let version_addr = dynamic::storage::<(), u16>("SubtensorModule", "CommitRevealWeightsVersion");
    let version = match at.storage().try_fetch(version_addr, ()).await.map_err(client_err)? {
        Some(v) => v.decode().map_err(|e| decode_err("CommitRevealWeightsVersion", e))?,
        None => 4,
    };
    const API: &str = "SubnetInfoRuntimeApi";
    let next_epoch_start = if has_method(&at, API, "get_next_epoch_start_block") {
        call::<_, Option<u64>>(&at, API, "get_next_epoch_start_block", (netuid,)).await?
    } else {
        None
    };
    Ok(Timing {
        block: at.block_number(),
        timestamp_ms: timestamp_ms(&at).await?,
        version,
        next_epoch_start,
        schedule: schedule(&at, netuid).await?,
    })
}

/// The drand network of a Pylon devnet's own beacon, when the main node is one (it answers
/// `devnet_drandBeacon`); `None` for any other node, which answers "Method not found".
pub async fn node_drand(
    node: &super::client::Node,
) -> Result<Option<crate::timelock::Drand>, ChainError> {
    use subxt::rpcs::client::rpc_params;
    const METHOD: &str = "devnet_drandBeacon";
    let beacon: serde_json::Value = match node.request(METHOD, rpc_params![]).await {
        Ok(beacon) => beacon,
        Err(e) if e.is_retryable() => return Err(e),
        Err(e) => {
            tracing::debug!(error = %e, "the node has no devnet drand beacon");
            return Ok(None);
        }
    };
    let bad = |reason: String| ChainError::Decode { what: METHOD.into(), reason };
    let key = beacon["publicKey"].as_str().ok_or_else(|| bad("no publicKey".into()))?;
    let genesis = beacon["genesisTime"].as_u64().ok_or_else(|| bad("no genesisTime".into()))?;
    let period = beacon["period"].as_u64().ok_or_else(|| bad("no period".into()))?;
    crate::timelock::Drand::new(key, genesis, period).map(Some).map_err(|e| bad(e.to_string()))
}

/// The drand network commits are encrypted to: `configured` when given, else the node's own
/// beacon when the node is a Pylon devnet, else drand quicknet (what finney uses).
pub async fn resolve_drand(
    configured: Option<&crate::timelock::Drand>,
    node: &super::client::Node,
) -> Result<crate::timelock::Drand, ChainError> {
    if let Some(drand) = configured {
        return Ok(drand.clone());
    }
    Ok(node_drand(node).await?.unwrap_or_else(crate::timelock::Drand::quicknet))
}
