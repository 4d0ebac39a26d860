//! Commit-reveal v4 on the devnet: its own drand beacon stores a pulse per round of chain time,
//! `commit_timelocked_(mechanism_)weights` stores ciphertexts under the subnet's epoch index,
//! and when the reveal epoch starts the commits are opened with their round's pulse and applied
//! as weights (failures are silent, as on chain).

use super::mirror::node_subtensor_runtime::RuntimeEvent;
use super::mirror::pallet_commitments::pallet::Event as CommitmentsEvent;
use super::mirror::pallet_commitments::types::Data;
use super::mirror::pallet_subtensor::pallet::Event as SubtensorEvent;
use super::mirror::primitive_types::H256;
use super::mirror::sp_core::crypto::AccountId32;
use super::mirror::sp_runtime::DispatchError;
use super::state::World;
use pylon_timelock::{Beacon, Drand, WeightsPayload, decrypt};

/// Pulses kept on chain (older ones are pruned).
pub const KEPT_PULSES: u64 = 512;
/// Largest accepted ciphertext.
pub const MAX_COMMIT_BYTES: usize = 5000;

/// One stored commit: who, at which block, the ciphertext and its reveal round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelockedCommit {
    /// The committing hotkey.
    pub who: AccountId32,
    /// The block it was committed in.
    pub block: u64,
    /// The `TLECiphertext` bytes.
    pub ciphertext: Vec<u8>,
    /// The drand round whose pulse opens it.
    pub reveal_round: u64,
}

/// Stores the pulses of every round published up to `now_secs`.
pub fn store_pulses(world: &mut World, beacon: &Beacon, drand: &Drand, now_secs: u64) -> bool {
    let target = drand.round_at(now_secs);
    if target <= world.last_stored_round {
        return false;
    }
    let first = (world.last_stored_round + 1).max(target.saturating_sub(KEPT_PULSES - 1));
    for round in first..=target {
        world.pulses.insert(round, beacon.sign(round));
    }
    let keep_from = target.saturating_sub(KEPT_PULSES - 1);
    world.pulses.retain(|r, _| *r >= keep_from);
    world.last_stored_round = target;
    true
}

/// `commit_timelocked_(mechanism_)weights`, after the pool's checks.
#[allow(clippy::too_many_arguments)]
pub fn commit(
    world: &mut World,
    signer: &AccountId32,
    netuid: u16,
    mechanism: u8,
    ciphertext: &[u8],
    reveal_round: u64,
    version: u16,
    block: u64,
    error: impl Fn(&str) -> DispatchError,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    let subnet = world.subnets.get(&netuid).ok_or_else(|| error("MechanismDoesNotExist"))?;
    if mechanism != 0 {
        return Err(error("MechanismDoesNotExist"));
    }
    if !subnet.hyper.commit_reveal_weights_enabled {
        return Err(error("CommitRevealDisabled"));
    }
    if version != world.commit_reveal_version {
        return Err(error("IncorrectCommitRevealVersion"));
    }
    let Some(uid) = subnet.neurons.iter().position(|n| n.hotkey == *signer) else {
        return Err(error("HotKeyNotRegisteredInSubNet"));
    };
    if ciphertext.len() > MAX_COMMIT_BYTES {
        return Err(error("TooManyUnrevealedCommits"));
    }
    let epoch = subnet.commit_epoch(world.epoch_rule, block);
    // Committing counts as a weights update for the rate limit, as on chain.
    if let Some(s) = world.subnets.get_mut(&netuid) {
        std::sync::Arc::make_mut(s).neurons[uid].last_update = block;
    }
    world.timelocked.entry((netuid, epoch)).or_default().push(TimelockedCommit {
        who: *signer,
        block,
        ciphertext: ciphertext.to_vec(),
        reveal_round,
    });
    let hash = H256(sp_crypto_hashing::blake2_256(ciphertext));
    Ok(vec![RuntimeEvent::SubtensorModule(SubtensorEvent::TimelockedWeightsCommitted(
        *signer,
        netuid,
        hash,
        reveal_round,
    ))])
}

/// Opens the commits whose reveal epoch has come and applies them through `apply` (the chain's
/// set-weights rules); drops commits whose reveal epoch has passed. Returns the events, and
/// whether anything changed.
pub fn reveal(
    world: &mut World,
    block: u64,
    apply: impl Fn(
        &mut World,
        &AccountId32,
        u16,
        &[u16],
        &[u16],
        u64,
    ) -> Result<Vec<RuntimeEvent>, DispatchError>,
) -> (Vec<RuntimeEvent>, bool) {
    let mut events = Vec::new();
    let mut changed = false;
    let keys: Vec<(u16, u64)> = world.timelocked.keys().copied().collect();
    for (netuid, epoch) in keys {
        let Some(subnet) = world.subnets.get(&netuid) else { continue };
        let due = epoch + subnet.hyper.commit_reveal_period.max(1);
        let now = subnet.commit_epoch(world.epoch_rule, block);
        if now < due {
            continue;
        }
        let commits = world.timelocked.remove(&(netuid, epoch)).unwrap_or_default();
        changed = true;
        let mut waiting = Vec::new();
        for c in commits {
            let Some(signature) = world.pulses.get(&c.reveal_round).cloned() else {
                if now == due {
                    waiting.push(c); // the pulse may arrive later in the reveal epoch
                }
                continue;
            };
            let Ok(bytes) = decrypt(&c.ciphertext, &signature) else { continue };
            let Ok(payload) =
                <WeightsPayload as parity_scale_codec::Decode>::decode(&mut &bytes[..])
            else {
                continue;
            };
            if payload.hotkey != c.who.0 {
                continue;
            }
            if let Ok(applied) =
                apply(world, &c.who, netuid, &payload.uids, &payload.values, payload.version_key)
            {
                events.push(RuntimeEvent::SubtensorModule(
                    SubtensorEvent::TimelockedWeightsRevealed(netuid, c.who),
                ));
                events.extend(applied);
            }
        }
        if !waiting.is_empty() {
            world.timelocked.insert((netuid, epoch), waiting);
        }
    }
    (events, changed)
}

/// Opens timelocked commitment fields whose round's pulse is stored: the plaintext, byte for
/// byte, joins the hotkey's revealed commitments and the field leaves the commitment.
pub fn reveal_commitments(world: &mut World, block: u64) -> Vec<RuntimeEvent> {
    let mut events = Vec::new();
    let due = |n: &super::state::Neuron, pulses: &std::collections::BTreeMap<u64, Vec<u8>>| {
        n.commitment.as_ref().is_some_and(|(_, fields)| {
            fields.iter().any(|f| {
                matches!(f, Data::TimelockEncrypted { reveal_round, .. } if pulses.contains_key(reveal_round))
            })
        })
    };
    let netuids: Vec<u16> = world
        .subnets
        .values()
        .filter(|s| s.neurons.iter().any(|n| due(n, &world.pulses)))
        .map(|s| s.netuid)
        .collect();
    for netuid in netuids {
        let pulses = world.pulses.clone();
        let Some(subnet) = world.subnets.get_mut(&netuid) else { continue };
        let subnet = std::sync::Arc::make_mut(subnet);
        for neuron in subnet.neurons.iter_mut().filter(|n| due(n, &pulses)) {
            let Some((_, fields)) = neuron.commitment.as_mut() else { continue };
            let mut kept = Vec::new();
            for field in fields.drain(..) {
                let Data::TimelockEncrypted { encrypted, reveal_round } = &field else {
                    kept.push(field);
                    continue;
                };
                let Some(signature) = pulses.get(reveal_round) else {
                    kept.push(field);
                    continue;
                };
                // A field that does not open is dropped, as on chain; what opens is stored as it
                // is (clients encrypt a SCALE string, so readers strip its length prefix).
                if let Ok(data) = decrypt(encrypted, signature) {
                    neuron.revealed.push((data, block));
                    events.push(RuntimeEvent::Commitments(CommitmentsEvent::CommitmentRevealed {
                        netuid,
                        who: neuron.hotkey,
                    }));
                }
            }
            *fields = kept;
            if neuron.commitment.as_ref().is_some_and(|(_, f)| f.is_empty()) {
                neuron.commitment = None;
            }
        }
    }
    events
}
