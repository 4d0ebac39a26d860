//! Mirror of `pallet_subtensor_swap_runtime_api`: `SwapRuntimeApi`'s price list entry.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A subnet's alpha price in rao of TAO per alpha (`current_alpha_price_all`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SubnetPrice {
    pub netuid: u16,
    pub price: u64,
}
