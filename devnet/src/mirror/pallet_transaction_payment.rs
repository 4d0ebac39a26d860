//! Mirrors of `pallet_transaction_payment`: the tip extension and what `TransactionPaymentApi`
//! answers.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;
use std::marker::PhantomData;

/// The tip, in rao.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct ChargeTransactionPayment<T>(#[codec(compact)] pub u64, #[codec(skip)] PhantomData<T>);

pub mod types {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    use super::super::frame_support::dispatch::DispatchClass;

    /// What `query_info` reports: the call's weight and class and the fee without the tip.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct RuntimeDispatchInfo<Balance, Weight> {
        pub weight: Weight,
        pub class: DispatchClass,
        pub partial_fee: Balance,
    }

    /// The parts of a fee that `query_fee_details` reports.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct FeeDetails<Balance> {
        pub inclusion_fee: Option<InclusionFee<Balance>>,
        pub tip: Balance,
    }

    /// The fee of including a transaction, by cause.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct InclusionFee<Balance> {
        pub base_fee: Balance,
        pub len_fee: Balance,
        pub adjusted_weight_fee: Balance,
    }
}

pub mod pallet {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    use super::super::sp_core::crypto::AccountId32;

    /// `TransactionPayment` events.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Event<T> {
        /// A signed transaction's fee (zero for free calls) and tip were paid.
        #[codec(index = 0)]
        TransactionFeePaid { who: AccountId32, actual_fee: u64, tip: u64 },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }
}
