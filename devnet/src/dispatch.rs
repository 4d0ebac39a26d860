//! Executes accepted extrinsics against the state, with subtensor's dispatch-time rules, and
//! returns the events they emit (or the module error `System.ExtrinsicFailed` reports).

use scale_info::{TypeDef, TypeInfo};

use super::mirror::bounded_collections::bounded_vec::BoundedVec;
use super::mirror::node_subtensor_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use super::mirror::pallet_commitments::pallet::{
    Call as CommitmentsCall, Error as CommitmentsError, Event as CommitmentsEvent,
};
use super::mirror::pallet_commitments::types::Data;
use super::mirror::pallet_subtensor::pallet::{
    AxonInfo, Call as SubtensorCall, Error as SubtensorError, Event as SubtensorEvent,
    NeuronCertificate,
};
use super::mirror::sp_core::crypto::AccountId32;
use super::mirror::sp_runtime::{DispatchError, ModuleError};
use super::state::{Subnet, World};

/// The module error `name` of the pallet at `index` whose errors are `E`.
fn module_error<E: TypeInfo + 'static>(index: u8, name: &str) -> DispatchError {
    let found = match E::type_info().type_def {
        TypeDef::Variant(v) => v.variants.iter().find(|x| x.name == name).map(|x| x.index),
        _ => None,
    };
    match found {
        Some(error) => DispatchError::Module(ModuleError { index, error: [error, 0, 0, 0] }),
        None => DispatchError::Other,
    }
}

fn subtensor(name: &str) -> DispatchError {
    module_error::<SubtensorError<Runtime>>(7, name)
}

fn commitments(name: &str) -> DispatchError {
    module_error::<CommitmentsError<Runtime>>(18, name)
}

/// Applies `call` signed by `signer` in block `block`; on success, the events to emit.
pub fn apply(
    world: &mut World,
    signer: &AccountId32,
    call: &RuntimeCall,
    block: u64,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    match call {
        RuntimeCall::SubtensorModule(SubtensorCall::set_weights {
            netuid,
            dests,
            weights,
            version_key,
        }) => set_weights(world, signer, *netuid, dests, weights, *version_key, block),
        RuntimeCall::SubtensorModule(SubtensorCall::set_mechanism_weights {
            netuid,
            mecid,
            dests,
            weights,
            version_key,
        }) => {
            if *mecid != 0 {
                return Err(subtensor("MechanismDoesNotExist"));
            }
            set_weights(world, signer, *netuid, dests, weights, *version_key, block)
        }
        RuntimeCall::SubtensorModule(call @ SubtensorCall::serve_axon { netuid, .. }) => {
            let axon = served_axon(call, block).ok_or(DispatchError::Other)?;
            serve(world, signer, *netuid, axon, None)
        }
        RuntimeCall::SubtensorModule(
            call @ SubtensorCall::serve_axon_tls { netuid, certificate, .. },
        ) => {
            // `[algorithm] ++ public key`; a longer one is silently not stored, as on chain.
            let cert = match certificate.split_first() {
                Some((algorithm, key)) if key.len() <= 64 => Some(NeuronCertificate {
                    public_key: BoundedVec::new(key.to_vec()),
                    algorithm: *algorithm,
                }),
                _ => None,
            };
            let axon = served_axon(call, block).ok_or(DispatchError::Other)?;
            serve(world, signer, *netuid, axon, cert)
        }
        RuntimeCall::Commitments(CommitmentsCall::set_commitment { netuid, info }) => {
            let subnet =
                mutable(world, *netuid).ok_or_else(|| commitments("AccountNotAllowedCommit"))?;
            let neuron = subnet
                .neurons
                .iter_mut()
                .find(|n| n.hotkey == *signer)
                .ok_or_else(|| commitments("AccountNotAllowedCommit"))?;
            if info.fields.0.len() > 3 {
                return Err(commitments("TooManyFieldsInCommitmentInfo"));
            }
            neuron.commitment = Some((block as u32, info.fields.0.clone()));
            let timelocked = info.fields.0.iter().find_map(|f| match f {
                Data::TimelockEncrypted { reveal_round, .. } => Some(*reveal_round),
                _ => None,
            });
            Ok(vec![RuntimeEvent::Commitments(match timelocked {
                Some(reveal_round) => CommitmentsEvent::TimelockCommitment {
                    netuid: *netuid,
                    who: *signer,
                    reveal_round,
                },
                None => CommitmentsEvent::Commitment { netuid: *netuid, who: *signer },
            })])
        }
        RuntimeCall::SubtensorModule(SubtensorCall::commit_timelocked_weights {
            netuid,
            commit,
            reveal_round,
            commit_reveal_version,
        }) => timelocked(
            world,
            signer,
            (*netuid, 0),
            commit,
            *reveal_round,
            *commit_reveal_version,
            block,
        ),
        RuntimeCall::SubtensorModule(SubtensorCall::commit_timelocked_mechanism_weights {
            netuid,
            mecid,
            commit,
            reveal_round,
            commit_reveal_version,
        }) => timelocked(
            world,
            signer,
            (*netuid, *mecid),
            commit,
            *reveal_round,
            *commit_reveal_version,
            block,
        ),
        RuntimeCall::System(_) => Ok(vec![]),
        _ => Err(DispatchError::Other),
    }
}

/// Both timelocked commit calls: `(netuid, mechanism)` and the commit.
fn timelocked(
    world: &mut World,
    signer: &AccountId32,
    (netuid, mechanism): (u16, u8),
    commit: &BoundedVec<u8, super::mirror::bounded_collections::Bound>,
    reveal_round: u64,
    version: u16,
    block: u64,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    super::timelocked::commit(
        world,
        signer,
        netuid,
        mechanism,
        &commit.0,
        reveal_round,
        version,
        block,
        subtensor,
    )
}

/// Subtensor's axon checks, in its order: the IP type, the IP (no loopback, no out-of-range
/// value; 0 means "not serving" and passes), the serving rate limit since the last serve, the
/// port. The error is the module error's name.
pub fn serve_check(
    axon: &AxonInfo,
    last_serve: u64,
    rate_limit: u64,
    now: u64,
) -> Result<(), &'static str> {
    if !matches!(axon.ip_type, 4 | 6) {
        return Err("InvalidIpType");
    }
    let bad_ip = match axon.ip_type {
        4 => axon.ip >= u128::from(u32::MAX) || axon.ip == 0x7f00_0001,
        _ => axon.ip == u128::MAX || axon.ip == 1,
    };
    if bad_ip {
        return Err("InvalidIpAddress");
    }
    if rate_limit != 0 && last_serve != 0 && now.saturating_sub(last_serve) < rate_limit {
        return Err("ServingRateLimitExceeded");
    }
    if axon.port == 0 {
        return Err("InvalidPort");
    }
    Ok(())
}

/// The axon a `serve_axon(_tls)` call serves in block `block`.
pub fn served_axon(call: &SubtensorCall<Runtime>, block: u64) -> Option<AxonInfo> {
    match call {
        SubtensorCall::serve_axon {
            version,
            ip,
            port,
            ip_type,
            protocol,
            placeholder1,
            placeholder2,
            ..
        }
        | SubtensorCall::serve_axon_tls {
            version,
            ip,
            port,
            ip_type,
            protocol,
            placeholder1,
            placeholder2,
            ..
        } => Some(AxonInfo {
            block,
            version: *version,
            ip: *ip,
            port: *port,
            ip_type: *ip_type,
            protocol: *protocol,
            placeholder1: *placeholder1,
            placeholder2: *placeholder2,
        }),
        _ => None,
    }
}

fn mutable(world: &mut World, netuid: u16) -> Option<&mut Subnet> {
    world.subnets.get_mut(&netuid).map(std::sync::Arc::make_mut)
}

fn set_weights(
    world: &mut World,
    signer: &AccountId32,
    netuid: u16,
    dests: &[u16],
    weights: &[u16],
    version_key: u64,
    block: u64,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    let enabled = world.subnets.get(&netuid).is_some_and(|s| s.hyper.commit_reveal_weights_enabled);
    if enabled {
        return Err(subtensor("CommitRevealEnabled"));
    }
    apply_weights(world, signer, netuid, dests, weights, version_key, block)
}

/// Subtensor's set-weights rules and effect (also what a revealed commit goes through).
pub fn apply_weights(
    world: &mut World,
    signer: &AccountId32,
    netuid: u16,
    dests: &[u16],
    weights: &[u16],
    version_key: u64,
    block: u64,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    let subnet = mutable(world, netuid).ok_or_else(|| subtensor("MechanismDoesNotExist"))?;
    if dests.len() != weights.len() {
        return Err(subtensor("WeightVecNotEqualSize"));
    }
    let n = subnet.neurons.len();
    let uid = subnet
        .neurons
        .iter()
        .position(|x| x.hotkey == *signer)
        .ok_or_else(|| subtensor("HotKeyNotRegisteredInSubNet"))?;
    let key = subnet.hyper.weights_version;
    if key != 0 && version_key < key {
        return Err(subtensor("IncorrectWeightVersionKey"));
    }
    let self_weight = dests.len() == 1 && usize::from(dests[0]) == uid;
    if !self_weight && !subnet.neurons[uid].validator_permit {
        return Err(subtensor("NeuronNoValidatorPermit"));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !dests.iter().all(|d| seen.insert(*d)) {
        return Err(subtensor("DuplicateUids"));
    }
    if dests.iter().any(|&d| usize::from(d) >= n) {
        return Err(subtensor("UidVecContainInvalidOne"));
    }
    let min = usize::from(subnet.hyper.min_allowed_weights).min(n);
    if !self_weight && dests.len() < min {
        return Err(subtensor("WeightVecLengthIsLow"));
    }
    let stored: Vec<(u16, u16)> = dests.iter().copied().zip(max_upscale(weights)).collect();
    let neuron = &mut subnet.neurons[uid];
    neuron.weights = stored;
    neuron.last_update = block;
    Ok(vec![RuntimeEvent::SubtensorModule(SubtensorEvent::WeightsSet(netuid, uid as u16))])
}

/// Subtensor's `vec_u16_max_upscale_to_u16`: every weight scaled so the largest is 65535, in
/// `I32F32` fixed point (divisions truncate, the result rounds to nearest with ties away from
/// zero); zero weights are kept.
pub fn max_upscale(weights: &[u16]) -> Vec<u16> {
    const HALF: u64 = 1 << 31;
    let max = u64::from(weights.iter().copied().max().unwrap_or(0));
    weights
        .iter()
        .map(|&w| {
            let w = u64::from(w);
            let bits = match max {
                0 => 0,
                // e × 65535 fits I32F32 when the largest weight is at most 32768.
                1..=32_768 => ((w * 65_535) << 32) / max,
                // Above that: e × (65535 / max), the quotient truncated to 32 fraction bits.
                _ => w * ((65_535u64 << 32) / max),
            };
            ((bits + HALF) >> 32).min(u64::from(u16::MAX)) as u16
        })
        .collect()
}

fn serve(
    world: &mut World,
    signer: &AccountId32,
    netuid: u16,
    axon: AxonInfo,
    certificate: Option<NeuronCertificate>,
) -> Result<Vec<RuntimeEvent>, DispatchError> {
    let subnet = mutable(world, netuid).ok_or_else(|| subtensor("HotKeyNotRegisteredInNetwork"))?;
    let limit = subnet.hyper.serving_rate_limit;
    let neuron = subnet
        .neurons
        .iter_mut()
        .find(|n| n.hotkey == *signer)
        .ok_or_else(|| subtensor("HotKeyNotRegisteredInNetwork"))?;
    let last = neuron.axon.as_ref().map_or(0, |a| a.block);
    serve_check(&axon, last, limit, axon.block).map_err(subtensor)?;
    neuron.axon = Some(axon);
    if certificate.is_some() {
        neuron.certificate = certificate;
    }
    Ok(vec![RuntimeEvent::SubtensorModule(SubtensorEvent::AxonServed(netuid, *signer))])
}

#[cfg(test)]
mod tests {
    use super::max_upscale;

    #[test]
    fn weights_are_max_upscaled_as_subtensor_does() {
        // 50/100 × 65535 = 32767.5: rounds away from zero.
        assert_eq!(max_upscale(&[100, 50]), vec![65_535, 32_768]);
        // 107/1007 × 65535 = 6963.54…
        assert_eq!(max_upscale(&[107, 1007])[0], 6964);
        // Already at full scale: unchanged, zeros kept.
        assert_eq!(max_upscale(&[65_535, 0, 1]), vec![65_535, 0, 1]);
        assert_eq!(max_upscale(&[0, 0]), vec![0, 0]);
    }
}
