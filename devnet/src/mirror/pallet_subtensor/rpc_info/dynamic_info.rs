//! `get_dynamic_info` / `get_all_dynamic_info`: a subnet's pool and emission state.

use parity_scale_codec::{Compact, Decode, Encode};
use scale_info::TypeInfo;

use super::super::super::substrate_fixed::I96F32;
use super::super::pallet::SubnetIdentityV3;

/// A subnet's dynamic (pool) information.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct DynamicInfo<AccountId> {
    #[codec(compact)]
    pub netuid: u16,
    pub owner_hotkey: AccountId,
    pub owner_coldkey: AccountId,
    pub subnet_name: Vec<Compact<u8>>,
    pub token_symbol: Vec<Compact<u8>>,
    #[codec(compact)]
    pub tempo: u16,
    #[codec(compact)]
    pub last_step: u64,
    #[codec(compact)]
    pub blocks_since_last_step: u64,
    #[codec(compact)]
    pub emission: u64,
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
    #[codec(compact)]
    pub network_registered_at: u64,
    pub subnet_identity: Option<SubnetIdentityV3>,
    pub moving_price: I96F32,
}
