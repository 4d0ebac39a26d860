//! Mirrors of `frame_system`: account info, event records, the pallet's calls and events, and the
//! standard transaction extensions.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

use super::frame_support::dispatch::{DispatchClass, Pays};
use super::sp_weights::weight_v2::Weight;

/// An account's nonce, reference counts and balances (`System.Account`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct AccountInfo<Nonce, AccountData> {
    pub nonce: Nonce,
    pub consumers: u32,
    pub providers: u32,
    pub sufficients: u32,
    pub data: AccountData,
}

/// One entry of `System.Events`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EventRecord<E, T> {
    pub phase: Phase,
    pub event: E,
    pub topics: Vec<T>,
}

/// When in the block an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Phase {
    #[codec(index = 0)]
    ApplyExtrinsic(u32),
    #[codec(index = 1)]
    Finalization,
    #[codec(index = 2)]
    Initialization,
}

/// What `ExtrinsicSuccess`/`ExtrinsicFailed` report about a dispatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct DispatchEventInfo {
    pub weight: Weight,
    pub class: DispatchClass,
    pub pays_fee: Pays,
}

pub mod pallet {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    pallet_error! {
        /// `System` errors, in finney order.
        InvalidSpecName, SpecVersionNeedsToIncrease, FailedToExtractRuntimeVersion,
        NonDefaultComposite, NonZeroRefCount, CallFiltered, MultiBlockMigrationsOngoing,
        NothingAuthorized, Unauthorized
    }

    use super::super::primitive_types::H256;
    use super::super::sp_core::crypto::AccountId32;
    use super::super::sp_runtime::DispatchError;
    use super::DispatchEventInfo;

    /// The subset of `System` calls the devnet describes.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Call<T> {
        #[codec(index = 0)]
        remark { remark: Vec<u8> },
        #[codec(index = 7)]
        remark_with_event { remark: Vec<u8> },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }

    /// The subset of `System` events the devnet emits.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Event<T> {
        #[codec(index = 0)]
        ExtrinsicSuccess { dispatch_info: DispatchEventInfo },
        #[codec(index = 1)]
        ExtrinsicFailed { dispatch_error: DispatchError, dispatch_info: DispatchEventInfo },
        #[codec(index = 2)]
        CodeUpdated,
        #[codec(index = 3)]
        NewAccount { account: AccountId32 },
        #[codec(index = 5)]
        Remarked { sender: AccountId32, hash: H256 },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }
}

pub mod extensions {
    macro_rules! empty_extension {
        ($($module:ident :: $name:ident),* $(,)?) => {$(
            pub mod $module {
                use scale_info::TypeInfo;
                use std::marker::PhantomData;

                /// A transaction extension that carries no data in the extrinsic.
                #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
                #[scale_info(skip_type_params(T))]
                pub struct $name<T>(#[codec(skip)] PhantomData<T>);
            }
        )*};
    }
    empty_extension!(
        check_non_zero_sender::CheckNonZeroSender,
        check_spec_version::CheckSpecVersion,
        check_tx_version::CheckTxVersion,
        check_genesis::CheckGenesis,
        check_weight::CheckWeight,
    );
}
