//! `SubnetInfoRuntimeApi`'s subnet-wide answers: the metagraph and its selectable form,
//! dynamic (pool) information and subnet info.

use parity_scale_codec::Compact;

use super::neurons::{axon, col};
use crate::mirror::pallet_subtensor::rpc_info::delegate_info::DelegateInfo;
use crate::mirror::pallet_subtensor::rpc_info::dynamic_info::DynamicInfo;
use crate::mirror::pallet_subtensor::rpc_info::metagraph::{Metagraph, SelectiveMetagraph};
use crate::mirror::pallet_subtensor::rpc_info::subnet_info::SubnetInfov2;
use crate::mirror::pallet_subtensor_swap_runtime_api::SubnetPrice;
use crate::mirror::sp_core::crypto::AccountId32;
use crate::mirror::substrate_fixed::FixedI128;
use crate::state::{Subnet, World};

fn compact_bytes(text: &str) -> Vec<Compact<u8>> {
    text.bytes().map(Compact).collect()
}

pub fn metagraph(s: &Subnet, world: &World, block: u64) -> Metagraph<AccountId32> {
    let h = &s.hyper;
    let tao_weight = world.tao_weight;
    let since = s.blocks_since_last_step(world.epoch_rule, block);
    Metagraph {
        netuid: s.netuid,
        name: compact_bytes(&s.name),
        symbol: compact_bytes(&s.symbol),
        identity: Some(s.identity()),
        network_registered_at: s.registered_at,
        owner_hotkey: s.owner_hotkey,
        owner_coldkey: s.owner_coldkey,
        block,
        tempo: h.tempo,
        last_step: block - since,
        blocks_since_last_step: since,
        subnet_emission: 0,
        alpha_in: s.alpha_in,
        alpha_out: s.alpha_out,
        tao_in: s.tao_in,
        alpha_out_emission: 0,
        alpha_in_emission: 0,
        tao_in_emission: 0,
        pending_alpha_emission: 0,
        pending_root_emission: 0,
        subnet_volume: 0,
        moving_price: FixedI128::from_bits(s.moving_price),
        rho: h.rho,
        kappa: h.kappa,
        min_allowed_weights: h.min_allowed_weights,
        max_weights_limit: h.max_weights_limit,
        weights_version: h.weights_version,
        weights_rate_limit: h.weights_rate_limit,
        activity_cutoff: h.activity_cutoff,
        max_validators: h.max_validators,
        num_uids: s.neurons.len() as u16,
        max_uids: h.max_uids,
        burn: h.burn,
        difficulty: h.difficulty,
        registration_allowed: h.registration_allowed,
        pow_registration_allowed: false,
        immunity_period: h.immunity_period,
        min_difficulty: h.min_difficulty,
        max_difficulty: h.max_difficulty,
        min_burn: h.min_burn,
        max_burn: h.max_burn,
        adjustment_alpha: h.adjustment_alpha,
        adjustment_interval: h.adjustment_interval,
        target_regs_per_interval: h.target_regs_per_interval,
        max_regs_per_block: h.max_regs_per_block,
        serving_rate_limit: h.serving_rate_limit,
        commit_reveal_weights_enabled: h.commit_reveal_weights_enabled,
        commit_reveal_period: h.commit_reveal_period,
        liquid_alpha_enabled: h.liquid_alpha_enabled,
        alpha_high: h.alpha_high,
        alpha_low: h.alpha_low,
        bonds_moving_avg: h.bonds_moving_avg,
        hotkeys: col(s, |n| n.hotkey),
        coldkeys: col(s, |n| n.coldkey),
        identities: col(s, |_| None),
        axons: col(s, axon),
        active: col(s, |n| n.active),
        validator_permit: col(s, |n| n.validator_permit),
        pruning_score: vec![],
        last_update: col(s, |n| Compact(n.last_update)),
        emission: col(s, |n| Compact(n.emission)),
        dividends: col(s, |n| Compact(n.dividends)),
        incentives: col(s, |n| Compact(n.incentive)),
        consensus: col(s, |n| Compact(n.consensus)),
        trust: vec![],
        rank: vec![],
        block_at_registration: col(s, |n| Compact(n.block_at_registration)),
        alpha_stake: col(s, |n| Compact(n.alpha_stake)),
        tao_stake: col(s, |n| Compact(n.tao_stake)),
        total_stake: col(s, |n| Compact(Subnet::total_stake(n, tao_weight))),
        tao_dividends_per_hotkey: col(s, |n| (n.hotkey, Compact(0))),
        alpha_dividends_per_hotkey: col(s, |n| (n.hotkey, Compact(n.emission / 2))),
    }
}

/// `get_selective_metagraph` / `get_selective_mechagraph`: the metagraph fields at `wanted`,
/// plus the permitted validators by stake (72) and the raw commitments (73).
pub fn selective(
    s: &Subnet,
    world: &World,
    block: u64,
    wanted: &[u16],
) -> SelectiveMetagraph<AccountId32> {
    let mut validators: Vec<&crate::state::Neuron> =
        s.neurons.iter().filter(|n| n.validator_permit).collect();
    validators.sort_by_key(|n| Subnet::total_stake(n, world.tao_weight));
    let validators = validators.into_iter().map(|n| Compact(n.uid)).collect();
    let commitments = s
        .neurons
        .iter()
        .filter_map(|n| {
            let (block, fields) = n.commitment.as_ref()?;
            let registration = crate::mirror::pallet_commitments::types::Registration::<
                u64,
                crate::mirror::bounded_collections::Bound,
                u32,
            > {
                deposit: 0,
                block: *block,
                info: crate::mirror::pallet_commitments::types::CommitmentInfo {
                    fields: crate::mirror::bounded_collections::bounded_vec::BoundedVec::new(
                        fields.clone(),
                    ),
                },
            };
            let bytes = parity_scale_codec::Encode::encode(&registration);
            Some((n.hotkey, bytes.into_iter().map(Compact).collect()))
        })
        .collect();
    SelectiveMetagraph::select(metagraph(s, world, block), validators, commitments, wanted)
}

/// `get_dynamic_info`: the subnet's pool, emission and identity.
pub fn dynamic_info(s: &Subnet, world: &World, block: u64) -> DynamicInfo<AccountId32> {
    let last_step = block - s.blocks_since_last_step(world.epoch_rule, block);
    DynamicInfo {
        netuid: s.netuid,
        owner_hotkey: s.owner_hotkey,
        owner_coldkey: s.owner_coldkey,
        subnet_name: compact_bytes(&s.name),
        token_symbol: compact_bytes(&s.symbol),
        tempo: s.hyper.tempo,
        last_step,
        blocks_since_last_step: block - last_step,
        emission: 0,
        alpha_in: s.alpha_in,
        alpha_out: s.alpha_out,
        tao_in: s.tao_in,
        alpha_out_emission: 0,
        alpha_in_emission: 0,
        tao_in_emission: 0,
        pending_alpha_emission: 0,
        pending_root_emission: 0,
        subnet_volume: 0,
        network_registered_at: s.registered_at,
        subnet_identity: Some(s.identity()),
        moving_price: FixedI128::from_bits(s.moving_price),
    }
}

/// `get_subnet_info_v2`: the subnet's registration-era summary.
pub fn subnet_info_v2(s: &Subnet, world: &World, block: u64) -> SubnetInfov2<AccountId32> {
    let h = &s.hyper;
    SubnetInfov2 {
        netuid: s.netuid,
        rho: h.rho,
        kappa: h.kappa,
        difficulty: h.difficulty,
        immunity_period: h.immunity_period,
        max_allowed_validators: h.max_validators,
        min_allowed_weights: h.min_allowed_weights,
        max_weights_limit: h.max_weights_limit,
        scaling_law_power: 50,
        subnetwork_n: s.neurons.len() as u16,
        max_allowed_uids: h.max_uids,
        blocks_since_last_step: s.blocks_since_last_step(world.epoch_rule, block),
        tempo: h.tempo,
        network_modality: 0,
        network_connect: vec![],
        emission_value: 0,
        burn: h.burn,
        owner: s.owner_coldkey,
        identity: Some(s.identity()),
    }
}

/// `current_alpha_price_all`: every subnet's alpha price.
pub fn prices(world: &World) -> Vec<SubnetPrice> {
    world
        .subnets
        .values()
        .map(|s| SubnetPrice { netuid: s.netuid, price: s.alpha_price() })
        .collect()
}

/// Subnet owners' take on finney by default (`InitialDefaultDelegateTake`, 18%).
const DEFAULT_TAKE: u16 = 11_796;

/// `get_delegates`: every validator hotkey with its owner, registrations, permits and its
/// owner's alpha stake as the one nominator.
pub fn delegates(world: &World) -> Vec<DelegateInfo<AccountId32>> {
    let mut hotkeys: Vec<AccountId32> = Vec::new();
    for n in world.subnets.values().flat_map(|s| &s.neurons).filter(|n| n.validator_permit) {
        if !hotkeys.contains(&n.hotkey) {
            hotkeys.push(n.hotkey);
        }
    }
    hotkeys.iter().filter_map(|h| delegate(world, h)).collect()
}

/// `get_delegate`: one delegate, when `hotkey` is one.
pub fn delegate(world: &World, hotkey: &AccountId32) -> Option<DelegateInfo<AccountId32>> {
    let mut owner = None;
    let (mut registrations, mut permits, mut stakes) = (Vec::new(), Vec::new(), Vec::new());
    for s in world.subnets.values() {
        if let Some(n) = s.neurons.iter().find(|n| n.hotkey == *hotkey) {
            owner = Some(n.coldkey);
            registrations.push(Compact(s.netuid));
            if n.validator_permit {
                permits.push(Compact(s.netuid));
            }
            stakes.push((Compact(s.netuid), Compact(n.alpha_stake)));
        }
    }
    let owner = owner?;
    if permits.is_empty() {
        return None;
    }
    Some(DelegateInfo {
        delegate_ss58: *hotkey,
        take: DEFAULT_TAKE,
        nominators: vec![(owner, stakes)],
        owner_ss58: owner,
        registrations,
        validator_permits: permits,
        return_per_1000: 0,
        total_daily_return: 0,
    })
}

/// A delegate and one of its nominator's stakes: `(delegate, (netuid, alpha))`.
pub type Delegated = (DelegateInfo<AccountId32>, (Compact<u16>, Compact<u64>));

/// `get_delegated`: the delegates `coldkey` nominates, each with its stake on one subnet.
pub fn delegated(world: &World, coldkey: &AccountId32) -> Vec<Delegated> {
    delegates(world)
        .into_iter()
        .flat_map(|d| {
            let stakes: Vec<(Compact<u16>, Compact<u64>)> = d
                .nominators
                .iter()
                .filter(|(who, _)| who == coldkey)
                .flat_map(|(_, stakes)| stakes.clone())
                .collect();
            stakes.into_iter().map(move |stake| (d.clone(), stake))
        })
        .collect()
}

/// `get_network_registration_cost`: finney's minimum lock cost (1000 TAO).
pub const NETWORK_LOCK_COST: u64 = 1_000_000_000_000;

/// The swap pallet's default fee rate, as a fraction of `u16::MAX` (about 0.05%).
const FEE_RATE: u64 = 33;

/// A simulated swap through the subnet's pool (constant product with the default fee); root
/// and unknown subnets swap at par without a fee.
pub fn sim_swap(
    subnet: Option<&Subnet>,
    amount: u64,
    tao_for_alpha: bool,
) -> crate::mirror::pallet_subtensor_swap_runtime_api::SimSwapResult {
    use crate::mirror::pallet_subtensor_swap_runtime_api::SimSwapResult;
    let Some(s) = subnet.filter(|s| s.alpha_in > 0 && s.tao_in > 0) else {
        return SimSwapResult { tao_amount: amount, alpha_amount: amount, ..Default::default() };
    };
    let fee = amount * FEE_RATE / u64::from(u16::MAX);
    let net = u128::from(amount - fee);
    let (from, to) = if tao_for_alpha { (s.tao_in, s.alpha_in) } else { (s.alpha_in, s.tao_in) };
    let (from, to) = (u128::from(from), u128::from(to));
    let out = (to * net / (from + net)) as u64;
    let ideal = (to * net / from) as u64;
    let slippage = ideal.saturating_sub(out);
    if tao_for_alpha {
        SimSwapResult {
            tao_amount: amount,
            alpha_amount: out,
            tao_fee: fee,
            alpha_fee: 0,
            tao_slippage: 0,
            alpha_slippage: slippage,
        }
    } else {
        SimSwapResult {
            tao_amount: out,
            alpha_amount: amount,
            tao_fee: 0,
            alpha_fee: fee,
            tao_slippage: slippage,
            alpha_slippage: 0,
        }
    }
}
