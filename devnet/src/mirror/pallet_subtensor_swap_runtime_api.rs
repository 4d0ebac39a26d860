//! Mirrors of `pallet_subtensor_swap_runtime_api`: `SwapRuntimeApi`'s price list entry and
//! simulated swap result.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A subnet's alpha price in rao of TAO per alpha (`current_alpha_price_all`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SubnetPrice {
    pub netuid: u16,
    pub price: u64,
}

/// What a simulated swap would give (`sim_swap_tao_for_alpha`, `sim_swap_alpha_for_tao`), rao.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SimSwapResult {
    pub tao_amount: u64,
    pub alpha_amount: u64,
    pub tao_fee: u64,
    pub alpha_fee: u64,
    pub tao_slippage: u64,
    pub alpha_slippage: u64,
}
