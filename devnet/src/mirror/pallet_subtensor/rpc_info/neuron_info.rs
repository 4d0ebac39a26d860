//! `NeuronInfoRuntimeApi`'s answers.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

use super::super::pallet::{AxonInfo, PrometheusInfo};

/// One neuron without weights and bonds (`get_neurons_lite`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct NeuronInfoLite<AccountId> {
    pub hotkey: AccountId,
    pub coldkey: AccountId,
    #[codec(compact)]
    pub uid: u16,
    #[codec(compact)]
    pub netuid: u16,
    pub active: bool,
    pub axon_info: AxonInfo,
    pub prometheus_info: PrometheusInfo,
    pub stake: Vec<(AccountId, parity_scale_codec::Compact<u64>)>,
    #[codec(compact)]
    pub rank: u16,
    #[codec(compact)]
    pub emission: u64,
    #[codec(compact)]
    pub incentive: u16,
    #[codec(compact)]
    pub consensus: u16,
    #[codec(compact)]
    pub trust: u16,
    #[codec(compact)]
    pub validator_trust: u16,
    #[codec(compact)]
    pub dividends: u16,
    #[codec(compact)]
    pub last_update: u64,
    pub validator_permit: bool,
    #[codec(compact)]
    pub pruning_score: u16,
}

/// One neuron with its weights and bonds (`get_neurons`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct NeuronInfo<AccountId> {
    pub hotkey: AccountId,
    pub coldkey: AccountId,
    #[codec(compact)]
    pub uid: u16,
    #[codec(compact)]
    pub netuid: u16,
    pub active: bool,
    pub axon_info: AxonInfo,
    pub prometheus_info: PrometheusInfo,
    pub stake: Vec<(AccountId, parity_scale_codec::Compact<u64>)>,
    #[codec(compact)]
    pub rank: u16,
    #[codec(compact)]
    pub emission: u64,
    #[codec(compact)]
    pub incentive: u16,
    #[codec(compact)]
    pub consensus: u16,
    #[codec(compact)]
    pub trust: u16,
    #[codec(compact)]
    pub validator_trust: u16,
    #[codec(compact)]
    pub dividends: u16,
    #[codec(compact)]
    pub last_update: u64,
    pub validator_permit: bool,
    pub weights: Vec<(parity_scale_codec::Compact<u16>, parity_scale_codec::Compact<u16>)>,
    pub bonds: Vec<(parity_scale_codec::Compact<u16>, parity_scale_codec::Compact<u16>)>,
    #[codec(compact)]
    pub pruning_score: u16,
}
