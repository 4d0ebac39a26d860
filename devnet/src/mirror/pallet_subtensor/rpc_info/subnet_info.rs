//! Subnet hyperparameters and subnet info (`SubnetInfoRuntimeApi`).

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

/// A subnet's registration-era summary (`get_subnet_info_v2`, `get_subnets_info_v2`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SubnetInfov2<AccountId> {
    #[codec(compact)]
    pub netuid: u16,
    #[codec(compact)]
    pub rho: u16,
    #[codec(compact)]
    pub kappa: u16,
    #[codec(compact)]
    pub difficulty: u64,
    #[codec(compact)]
    pub immunity_period: u16,
    #[codec(compact)]
    pub max_allowed_validators: u16,
    #[codec(compact)]
    pub min_allowed_weights: u16,
    #[codec(compact)]
    pub max_weights_limit: u16,
    #[codec(compact)]
    pub scaling_law_power: u16,
    #[codec(compact)]
    pub subnetwork_n: u16,
    #[codec(compact)]
    pub max_allowed_uids: u16,
    #[codec(compact)]
    pub blocks_since_last_step: u64,
    #[codec(compact)]
    pub tempo: u16,
    #[codec(compact)]
    pub network_modality: u16,
    pub network_connect: Vec<[u16; 2]>,
    #[codec(compact)]
    pub emission_value: u64,
    #[codec(compact)]
    pub burn: u64,
    pub owner: AccountId,
    pub identity: Option<super::super::pallet::SubnetIdentityV3>,
}
