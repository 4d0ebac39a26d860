//! `DelegateInfoRuntimeApi`'s answer: a delegate hotkey, its take and nominators.

use parity_scale_codec::{Compact, Decode, Encode};
use scale_info::TypeInfo;

/// A nominator and its stake per subnet: `(coldkey, [(netuid, alpha)])`.
pub type Nomination<AccountId> = (AccountId, Vec<(Compact<u16>, Compact<u64>)>);

/// A delegate: its hotkey, take, nominators' stake per subnet, owner and registrations.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct DelegateInfo<AccountId> {
    pub delegate_ss58: AccountId,
    #[codec(compact)]
    pub take: u16,
    pub nominators: Vec<Nomination<AccountId>>,
    pub owner_ss58: AccountId,
    pub registrations: Vec<Compact<u16>>,
    pub validator_permits: Vec<Compact<u16>>,
    #[codec(compact)]
    pub return_per_1000: u64,
    #[codec(compact)]
    pub total_daily_return: u64,
}
