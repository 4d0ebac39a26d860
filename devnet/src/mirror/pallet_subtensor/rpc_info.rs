//! Mirrors of `pallet_subtensor::rpc_info`: what the `NeuronInfoRuntimeApi` and
//! `SubnetInfoRuntimeApi` runtime APIs return. Field order is SCALE order.

pub mod neuron_info {
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
}

pub mod show_subnet {
    use parity_scale_codec::{Compact, Decode, Encode};
    use scale_info::TypeInfo;

    /// Per-uid vectors of a subnet, including the alpha/tao/total stake (`get_subnet_state`).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct SubnetState<AccountId> {
        #[codec(compact)]
        pub netuid: u16,
        pub hotkeys: Vec<AccountId>,
        pub coldkeys: Vec<AccountId>,
        pub active: Vec<bool>,
        pub validator_permit: Vec<bool>,
        pub pruning_score: Vec<Compact<u16>>,
        pub last_update: Vec<Compact<u64>>,
        pub emission: Vec<Compact<u64>>,
        pub dividends: Vec<Compact<u16>>,
        pub incentives: Vec<Compact<u16>>,
        pub consensus: Vec<Compact<u16>>,
        pub trust: Vec<Compact<u16>>,
        pub rank: Vec<Compact<u16>>,
        pub block_at_registration: Vec<Compact<u64>>,
        pub alpha_stake: Vec<Compact<u64>>,
        pub tao_stake: Vec<Compact<u64>>,
        pub total_stake: Vec<Compact<u64>>,
        pub emission_history: Vec<Vec<Compact<u64>>>,
    }
}

pub mod subnet_info {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    use super::super::super::substrate_fixed::{I32F32, U64F64};

    /// Declares a hyperparameter struct: the 27 fields every version starts with, then `$extra`.
    macro_rules! hyperparams_struct {
        ($(#[$doc:meta])* $name:ident { $($extra:tt)* }) => {
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
            pub struct $name {
                #[codec(compact)]
                pub rho: u16,
                #[codec(compact)]
                pub kappa: u16,
                #[codec(compact)]
                pub immunity_period: u16,
                #[codec(compact)]
                pub min_allowed_weights: u16,
                #[codec(compact)]
                pub max_weights_limit: u16,
                #[codec(compact)]
                pub tempo: u16,
                #[codec(compact)]
                pub min_difficulty: u64,
                #[codec(compact)]
                pub max_difficulty: u64,
                #[codec(compact)]
                pub weights_version: u64,
                #[codec(compact)]
                pub weights_rate_limit: u64,
                #[codec(compact)]
                pub adjustment_interval: u16,
                #[codec(compact)]
                pub activity_cutoff: u16,
                pub registration_allowed: bool,
                #[codec(compact)]
                pub target_regs_per_interval: u16,
                #[codec(compact)]
                pub min_burn: u64,
                #[codec(compact)]
                pub max_burn: u64,
                #[codec(compact)]
                pub bonds_moving_avg: u64,
                #[codec(compact)]
                pub max_regs_per_block: u16,
                #[codec(compact)]
                pub serving_rate_limit: u64,
                #[codec(compact)]
                pub max_validators: u16,
                #[codec(compact)]
                pub adjustment_alpha: u64,
                #[codec(compact)]
                pub difficulty: u64,
                #[codec(compact)]
                pub commit_reveal_period: u64,
                pub commit_reveal_weights_enabled: bool,
                #[codec(compact)]
                pub alpha_high: u16,
                #[codec(compact)]
                pub alpha_low: u16,
                pub liquid_alpha_enabled: bool,
                $($extra)*
            }
        };
    }

    hyperparams_struct! {
        /// Subnet hyperparameters, first version (`get_subnet_hyperparams`).
        SubnetHyperparams {}
    }

    hyperparams_struct! {
        /// Subnet hyperparameters, second version (`get_subnet_hyperparams_v2`).
        SubnetHyperparamsV2 {
            pub alpha_sigmoid_steepness: I32F32,
            #[codec(compact)]
            pub yuma_version: u16,
            pub subnet_is_active: bool,
            pub transfers_enabled: bool,
            pub bonds_reset_enabled: bool,
            pub user_liquidity_enabled: bool,
        }
    }

    /// One named hyperparameter (`get_subnet_hyperparams_v3`, newer than spec 393).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct HyperparamEntry {
        pub name: Vec<u8>,
        pub value: HyperparamValue,
    }

    /// A hyperparameter value, typed.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum HyperparamValue {
        #[codec(index = 0)]
        Bool(bool),
        #[codec(index = 1)]
        U16(#[codec(compact)] u16),
        #[codec(index = 2)]
        U32(#[codec(compact)] u32),
        #[codec(index = 3)]
        U64(#[codec(compact)] u64),
        #[codec(index = 4)]
        U128(#[codec(compact)] u128),
        #[codec(index = 5)]
        TaoBalance(#[codec(compact)] u64),
        #[codec(index = 6)]
        I32F32(I32F32),
        #[codec(index = 7)]
        U64F64(U64F64),
    }
}

pub mod metagraph {
    use parity_scale_codec::{Compact, Decode, Encode};
    use scale_info::TypeInfo;

    use super::super::super::substrate_fixed::I96F32;
    use super::super::pallet::{AxonInfo, ChainIdentityV2, SubnetIdentityV3};

    /// The whole metagraph of a subnet (`get_metagraph`).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct Metagraph<AccountId> {
        #[codec(compact)]
        pub netuid: u16,
        pub name: Vec<Compact<u8>>,
        pub symbol: Vec<Compact<u8>>,
        pub identity: Option<SubnetIdentityV3>,
        #[codec(compact)]
        pub network_registered_at: u64,
        pub owner_hotkey: AccountId,
        pub owner_coldkey: AccountId,
        #[codec(compact)]
        pub block: u64,
        #[codec(compact)]
        pub tempo: u16,
        #[codec(compact)]
        pub last_step: u64,
        #[codec(compact)]
        pub blocks_since_last_step: u64,
        #[codec(compact)]
        pub subnet_emission: u64,
        #[codec(compact)]
        pub alpha_in: u64,
        #[codec(compact)]
        pub alpha_out: u64,
        #[codec(compact)]
        pub tao_in: u64,
        #[codec(compact)]
        pub alpha_out_emission: u64,
        #[codec(compact)]
        pub alpha_in_emission: u64,
        #[codec(compact)]
        pub tao_in_emission: u64,
        #[codec(compact)]
        pub pending_alpha_emission: u64,
        #[codec(compact)]
        pub pending_root_emission: u64,
        #[codec(compact)]
        pub subnet_volume: u128,
        pub moving_price: I96F32,
        #[codec(compact)]
        pub rho: u16,
        #[codec(compact)]
        pub kappa: u16,
        #[codec(compact)]
        pub min_allowed_weights: u16,
        #[codec(compact)]
        pub max_weights_limit: u16,
        #[codec(compact)]
        pub weights_version: u64,
        #[codec(compact)]
        pub weights_rate_limit: u64,
        #[codec(compact)]
        pub activity_cutoff: u16,
        #[codec(compact)]
        pub max_validators: u16,
        #[codec(compact)]
        pub num_uids: u16,
        #[codec(compact)]
        pub max_uids: u16,
        #[codec(compact)]
        pub burn: u64,
        #[codec(compact)]
        pub difficulty: u64,
        pub registration_allowed: bool,
        pub pow_registration_allowed: bool,
        #[codec(compact)]
        pub immunity_period: u16,
        #[codec(compact)]
        pub min_difficulty: u64,
        #[codec(compact)]
        pub max_difficulty: u64,
        #[codec(compact)]
        pub min_burn: u64,
        #[codec(compact)]
        pub max_burn: u64,
        #[codec(compact)]
        pub adjustment_alpha: u64,
        #[codec(compact)]
        pub adjustment_interval: u16,
        #[codec(compact)]
        pub target_regs_per_interval: u16,
        #[codec(compact)]
        pub max_regs_per_block: u16,
        #[codec(compact)]
        pub serving_rate_limit: u64,
        pub commit_reveal_weights_enabled: bool,
        #[codec(compact)]
        pub commit_reveal_period: u64,
        pub liquid_alpha_enabled: bool,
        #[codec(compact)]
        pub alpha_high: u16,
        #[codec(compact)]
        pub alpha_low: u16,
        #[codec(compact)]
        pub bonds_moving_avg: u64,
        pub hotkeys: Vec<AccountId>,
        pub coldkeys: Vec<AccountId>,
        pub identities: Vec<Option<ChainIdentityV2>>,
        pub axons: Vec<AxonInfo>,
        pub active: Vec<bool>,
        pub validator_permit: Vec<bool>,
        pub pruning_score: Vec<Compact<u16>>,
        pub last_update: Vec<Compact<u64>>,
        pub emission: Vec<Compact<u64>>,
        pub dividends: Vec<Compact<u16>>,
        pub incentives: Vec<Compact<u16>>,
        pub consensus: Vec<Compact<u16>>,
        pub trust: Vec<Compact<u16>>,
        pub rank: Vec<Compact<u16>>,
        pub block_at_registration: Vec<Compact<u64>>,
        pub alpha_stake: Vec<Compact<u64>>,
        pub tao_stake: Vec<Compact<u64>>,
        pub total_stake: Vec<Compact<u64>>,
        pub tao_dividends_per_hotkey: Vec<(AccountId, Compact<u64>)>,
        pub alpha_dividends_per_hotkey: Vec<(AccountId, Compact<u64>)>,
    }
}
