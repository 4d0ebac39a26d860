//! `NeuronInfoRuntimeApi` and `get_subnet_state`: neurons, with and without weights and bonds,
//! and a subnet's per-uid vectors.

use parity_scale_codec::Compact;

use crate::mirror::pallet_subtensor::pallet::{AxonInfo, PrometheusInfo};
use crate::mirror::pallet_subtensor::rpc_info::{
    neuron_info::{NeuronInfo, NeuronInfoLite},
    show_subnet::SubnetState,
};
use crate::mirror::sp_core::crypto::AccountId32;
use crate::state::{Neuron, Subnet};

pub fn axon(n: &Neuron) -> AxonInfo {
    n.axon.clone().unwrap_or_default()
}

fn prometheus(n: &Neuron) -> PrometheusInfo {
    n.prometheus.clone().unwrap_or_default()
}

/// `rank` and `trust` are always 0 and `pruning_score` 65535 on the current chain.
const PRUNING_SCORE: u16 = u16::MAX;

pub fn lite(s: &Subnet, n: &Neuron) -> NeuronInfoLite<AccountId32> {
    NeuronInfoLite {
        hotkey: n.hotkey,
        coldkey: n.coldkey,
        uid: n.uid,
        netuid: s.netuid,
        active: n.active,
        axon_info: axon(n),
        prometheus_info: prometheus(n),
        stake: vec![(n.coldkey, Compact(n.alpha_stake))],
        rank: 0,
        emission: n.emission,
        incentive: n.incentive,
        consensus: n.consensus,
        trust: 0,
        validator_trust: n.validator_trust,
        dividends: n.dividends,
        last_update: n.last_update,
        validator_permit: n.validator_permit,
        pruning_score: PRUNING_SCORE,
    }
}

fn pairs(v: &[(u16, u16)]) -> Vec<(Compact<u16>, Compact<u16>)> {
    v.iter().map(|&(a, b)| (Compact(a), Compact(b))).collect()
}

pub fn full(s: &Subnet, n: &Neuron) -> NeuronInfo<AccountId32> {
    let l = lite(s, n);
    NeuronInfo {
        hotkey: l.hotkey,
        coldkey: l.coldkey,
        uid: l.uid,
        netuid: l.netuid,
        active: l.active,
        axon_info: l.axon_info,
        prometheus_info: l.prometheus_info,
        stake: l.stake,
        rank: l.rank,
        emission: l.emission,
        incentive: l.incentive,
        consensus: l.consensus,
        trust: l.trust,
        validator_trust: l.validator_trust,
        dividends: l.dividends,
        last_update: l.last_update,
        validator_permit: l.validator_permit,
        weights: pairs(&n.weights),
        bonds: pairs(&n.bonds),
        pruning_score: l.pruning_score,
    }
}

pub fn col<T>(s: &Subnet, f: impl Fn(&Neuron) -> T) -> Vec<T> {
    s.neurons.iter().map(f).collect()
}

pub fn subnet_state(s: &Subnet, tao_weight: u64) -> SubnetState<AccountId32> {
    SubnetState {
        netuid: s.netuid,
        hotkeys: col(s, |n| n.hotkey),
        coldkeys: col(s, |n| n.coldkey),
        active: col(s, |n| n.active),
        validator_permit: col(s, |n| n.validator_permit),
        pruning_score: col(s, |_| Compact(PRUNING_SCORE)),
        last_update: col(s, |n| Compact(n.last_update)),
        emission: col(s, |n| Compact(n.emission)),
        dividends: col(s, |n| Compact(n.dividends)),
        incentives: col(s, |n| Compact(n.incentive)),
        consensus: col(s, |n| Compact(n.consensus)),
        trust: col(s, |_| Compact(0)),
        rank: col(s, |_| Compact(0)),
        block_at_registration: col(s, |n| Compact(n.block_at_registration)),
        alpha_stake: col(s, |n| Compact(n.alpha_stake)),
        tao_stake: col(s, |n| Compact(n.tao_stake)),
        total_stake: col(s, |n| Compact(Subnet::total_stake(n, tao_weight))),
        emission_history: vec![],
    }
}
