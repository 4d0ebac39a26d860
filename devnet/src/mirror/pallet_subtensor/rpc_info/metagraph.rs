//! The metagraph (`get_metagraph`) and its field-selectable form (`get_selective_metagraph`).

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

/// The value a selected field takes from the metagraph: `c` fields are compact-encoded.
macro_rules! selected {
    (c, $e:expr) => {
        Compact($e)
    };
    (v, $e:expr) => {
        $e
    };
}

/// Declares `SelectiveMetagraph` (every metagraph field wrapped in `Option`, present when its
/// index is asked for, then `validators` and `commitments`) and its construction from a
/// `Metagraph`.
macro_rules! selective_metagraph {
    ($($idx:literal $field:ident: $kind:ident $ty:ty,)*) => {
        /// Chosen fields of a subnet's metagraph (`get_selective_metagraph`,
        /// `get_selective_mechagraph`), by index.
        #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
        pub struct SelectiveMetagraph<AccountId> {
            #[codec(compact)]
            pub netuid: u16,
            $(pub $field: Option<$ty>,)*
            pub validators: Option<Vec<Compact<u16>>>,
            pub commitments: Option<Vec<(AccountId, Vec<Compact<u8>>)>>,
        }

        impl<AccountId> SelectiveMetagraph<AccountId> {
            /// The fields of `m` whose indices are in `wanted` (index 72 is `validators`, 73
            /// `commitments`; the netuid is always there).
            pub fn select(
                m: Metagraph<AccountId>,
                validators: Vec<Compact<u16>>,
                commitments: Vec<(AccountId, Vec<Compact<u8>>)>,
                wanted: &[u16],
            ) -> Self {
                let want = |i: u16| wanted.contains(&i);
                Self {
                    netuid: m.netuid,
                    $($field: want($idx).then(|| selected!($kind, m.$field)),)*
                    validators: want(72).then_some(validators),
                    commitments: want(73).then_some(commitments),
                }
            }
        }
    };
}

selective_metagraph! {
    1 name: v Vec<Compact<u8>>,
    2 symbol: v Vec<Compact<u8>>,
    3 identity: v Option<SubnetIdentityV3>,
    4 network_registered_at: c Compact<u64>,
    5 owner_hotkey: v AccountId,
    6 owner_coldkey: v AccountId,
    7 block: c Compact<u64>,
    8 tempo: c Compact<u16>,
    9 last_step: c Compact<u64>,
    10 blocks_since_last_step: c Compact<u64>,
    11 subnet_emission: c Compact<u64>,
    12 alpha_in: c Compact<u64>,
    13 alpha_out: c Compact<u64>,
    14 tao_in: c Compact<u64>,
    15 alpha_out_emission: c Compact<u64>,
    16 alpha_in_emission: c Compact<u64>,
    17 tao_in_emission: c Compact<u64>,
    18 pending_alpha_emission: c Compact<u64>,
    19 pending_root_emission: c Compact<u64>,
    20 subnet_volume: c Compact<u128>,
    21 moving_price: v I96F32,
    22 rho: c Compact<u16>,
    23 kappa: c Compact<u16>,
    24 min_allowed_weights: c Compact<u16>,
    25 max_weights_limit: c Compact<u16>,
    26 weights_version: c Compact<u64>,
    27 weights_rate_limit: c Compact<u64>,
    28 activity_cutoff: c Compact<u16>,
    29 max_validators: c Compact<u16>,
    30 num_uids: c Compact<u16>,
    31 max_uids: c Compact<u16>,
    32 burn: c Compact<u64>,
    33 difficulty: c Compact<u64>,
    34 registration_allowed: v bool,
    35 pow_registration_allowed: v bool,
    36 immunity_period: c Compact<u16>,
    37 min_difficulty: c Compact<u64>,
    38 max_difficulty: c Compact<u64>,
    39 min_burn: c Compact<u64>,
    40 max_burn: c Compact<u64>,
    41 adjustment_alpha: c Compact<u64>,
    42 adjustment_interval: c Compact<u16>,
    43 target_regs_per_interval: c Compact<u16>,
    44 max_regs_per_block: c Compact<u16>,
    45 serving_rate_limit: c Compact<u64>,
    46 commit_reveal_weights_enabled: v bool,
    47 commit_reveal_period: c Compact<u64>,
    48 liquid_alpha_enabled: v bool,
    49 alpha_high: c Compact<u16>,
    50 alpha_low: c Compact<u16>,
    51 bonds_moving_avg: c Compact<u64>,
    52 hotkeys: v Vec<AccountId>,
    53 coldkeys: v Vec<AccountId>,
    54 identities: v Vec<Option<ChainIdentityV2>>,
    55 axons: v Vec<AxonInfo>,
    56 active: v Vec<bool>,
    57 validator_permit: v Vec<bool>,
    58 pruning_score: v Vec<Compact<u16>>,
    59 last_update: v Vec<Compact<u64>>,
    60 emission: v Vec<Compact<u64>>,
    61 dividends: v Vec<Compact<u16>>,
    62 incentives: v Vec<Compact<u16>>,
    63 consensus: v Vec<Compact<u16>>,
    64 trust: v Vec<Compact<u16>>,
    65 rank: v Vec<Compact<u16>>,
    66 block_at_registration: v Vec<Compact<u64>>,
    67 alpha_stake: v Vec<Compact<u64>>,
    68 tao_stake: v Vec<Compact<u64>>,
    69 total_stake: v Vec<Compact<u64>>,
    70 tao_dividends_per_hotkey: v Vec<(AccountId, Compact<u64>)>,
    71 alpha_dividends_per_hotkey: v Vec<(AccountId, Compact<u64>)>,
}
