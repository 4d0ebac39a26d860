//! Mirror of `pallet_transaction_payment::ChargeTransactionPayment` (the tip extension).

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;
use std::marker::PhantomData;

/// The tip, in rao.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct ChargeTransactionPayment<T>(#[codec(compact)] pub u64, #[codec(skip)] PhantomData<T>);
