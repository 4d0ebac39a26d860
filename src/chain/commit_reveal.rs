//! What a commit-reveal (CRv4) commit needs from the chain at one block: its timestamp, the
//! block time measured from chain timestamps, the commit-reveal version, and the next epoch
//! start (from `get_next_epoch_start_block` when the runtime has it).

use subxt::dynamic;

use super::client::At;
use super::error::ChainError;
use super::reads::{call, client_err, decode_err, has_method};

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
    })
}
