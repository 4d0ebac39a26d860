//! Commit-reveal v4: the weights vector encrypted to a drand round that falls inside the reveal
//! epoch, submitted as `commit_timelocked_mechanism_weights`; the chain reveals it by itself.
//!
//! The reveal round comes from the chain's own state: the next epoch start as the runtime
//! reports it (else the subnet's epoch schedule, stateful or modulo), the subnet's reveal period,
//! and the block time measured from chain timestamps.

use crate::chain::commit_reveal::{self, Timing};
use crate::chain::{BlockAt, ChainClient, ChainError};
use crate::timelock::{Drand, TimelockError, WeightsPayload};
use crate::writes::calls::Call;
use crate::writes::plan::Plan;

/// Blocks into the reveal epoch the reveal round aims at (the pulse must be on chain by then).
const AIM_BLOCKS: u64 = 3;
/// Block time assumed when the chain is too young to measure it.
const DEFAULT_BLOCK_MS: u64 = 12_000;

/// A commit ready to submit.
#[derive(Clone, Debug)]
pub struct Commit {
    /// The drand round that opens it.
    pub reveal_round: u64,
    /// The first block of the epoch in which the chain reveals it (estimated).
    pub reveal_block: u64,
    /// The `TLECiphertext` bytes.
    pub ciphertext: Vec<u8>,
    /// `CommitRevealWeightsVersion`.
    pub version: u16,
}

/// Why a commit could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CommitBuildError {
    /// Reading the chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Encryption failed.
    #[error(transparent)]
    Timelock(#[from] TimelockError),
}

/// The reveal round for a commit made after block `timing.block`, and the first block of the
/// reveal epoch.
pub fn reveal_round(
    drand: &Drand,
    timing: &Timing,
    reveal_period: u64,
    block_ms: u64,
) -> (u64, u64) {
    let interval = timing.schedule.period();
    let commit_block = timing.block + 1;
    let mut next =
        timing.next_epoch_start.unwrap_or_else(|| timing.schedule.next_start(timing.block));
    if next <= commit_block {
        next += interval;
    }
    let reveal_start = next + reveal_period.max(1).saturating_sub(1) * interval;
    let target = reveal_start + AIM_BLOCKS;
    let at_ms = timing.timestamp_ms + (target - timing.block) * block_ms;
    (drand.round_at(at_ms / 1000), reveal_start)
}

/// The block time in ms, measured from chain timestamps over up to 10 blocks before `block`
/// (whose timestamp is `timestamp_ms`); 12 s when the chain is too young to tell.
pub async fn block_time_ms(
    chain: &ChainClient,
    block: u64,
    timestamp_ms: u64,
) -> Result<u64, ChainError> {
    // Block 0 carries no timestamp.
    let back = block.saturating_sub(10).max(1);
    if block <= back {
        return Ok(DEFAULT_BLOCK_MS);
    }
    let earlier = chain
        .read(BlockAt::Number(back), |at| {
            Box::pin(async move { commit_reveal::timestamp_ms(&at).await })
        })
        .await?;
    let ms = timestamp_ms.saturating_sub(earlier) / (block - back);
    Ok(if ms == 0 { DEFAULT_BLOCK_MS } else { ms })
}

/// Encrypts `plan`'s vector (signed by `hotkey`) for the subnet's reveal epoch.
pub async fn build(
    chain: &ChainClient,
    drand: &Drand,
    plan: &Plan,
    hotkey: [u8; 32],
    reveal_period: u64,
) -> Result<Commit, CommitBuildError> {
    let netuid = plan.netuid;
    let timing = chain
        .read(BlockAt::Number(plan.block), move |at| Box::pin(commit_reveal::timing(at, netuid)))
        .await?;
    let block_ms = block_time_ms(chain, plan.block, timing.timestamp_ms).await?;
    let (round, reveal_block) = reveal_round(drand, &timing, reveal_period, block_ms);
    let payload = WeightsPayload {
        hotkey: hotkey.to_vec(),
        uids: plan.vector.iter().map(|(u, _)| *u).collect(),
        values: plan.vector.iter().map(|(_, w)| *w).collect(),
        version_key: plan.version_key,
    };
    let plaintext = parity_scale_codec::Encode::encode(&payload);
    let key = drand.clone();
    let ciphertext = crate::blocking::off_workers(move || key.encrypt(round, &plaintext)).await?;
    Ok(Commit { reveal_round: round, reveal_block, ciphertext, version: timing.version })
}

/// `SubtensorModule.commit_timelocked_mechanism_weights(netuid, mecid, commit, reveal_round,
/// commit_reveal_version)`.
pub fn call(netuid: u16, mechanism: u8, commit: &Commit) -> Call {
    use subxt::dynamic::Value;
    subxt::dynamic::tx(
        "SubtensorModule",
        "commit_timelocked_mechanism_weights",
        vec![
            Value::u128(u128::from(netuid)),
            Value::u128(u128::from(mechanism)),
            Value::from_bytes(&commit.ciphertext),
            Value::u128(u128::from(commit.reveal_round)),
            Value::u128(u128::from(commit.version)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writes::epoch::Schedule;

    #[test]
    fn the_reveal_round_falls_a_few_blocks_into_the_reveal_epoch() {
        let drand = Drand { public_key: vec![], genesis: 1_000, period: 3 };
        // Head 100 at t = 2000 s, next epoch at 108, tempo 10 (modulo rule: 11 blocks apart),
        // reveal after 2 epochs, 12 s blocks.
        let schedule = Schedule::Modulo { netuid: 5, tempo: 10 };
        let timing = Timing {
            block: 100,
            timestamp_ms: 2_000_000,
            version: 4,
            next_epoch_start: Some(108),
            schedule,
        };
        let (round, start) = reveal_round(&drand, &timing, 2, 12_000);
        assert_eq!(start, 119);
        // Block 122 is 22 blocks (264 s) after the head: t = 2264 s, round (2264 - 1000) / 3 + 1.
        assert_eq!(round, 422);
        // An epoch firing in the commit block itself does not count as the next one.
        let at_edge = Timing { next_epoch_start: Some(101), ..timing };
        assert_eq!(reveal_round(&drand, &at_edge, 1, 12_000).1, 112);
        // Without the runtime API, the schedule gives the same start.
        let formula = Timing { next_epoch_start: None, ..timing };
        assert_eq!(reveal_round(&drand, &formula, 1, 12_000).1, schedule.epoch_at(100).end);
        // The stateful scheduler: epochs `tempo` apart.
        let stateful = Timing {
            next_epoch_start: None,
            schedule: Schedule::Stateful { last_epoch_block: 95, pending_epoch_at: 0, tempo: 10 },
            ..timing
        };
        assert_eq!(reveal_round(&drand, &stateful, 2, 12_000).1, 115);
    }
}
