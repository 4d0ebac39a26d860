//! Mirrors of `node_subtensor_runtime`: the outer call and event enums, the runtime marker type
//! and the runtime's own transaction extensions.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

use super::{
    frame_system, pallet_commitments, pallet_subtensor, pallet_timestamp,
    pallet_transaction_payment,
};

/// The runtime marker type some extensions are parameterised by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, TypeInfo)]
pub struct Runtime;

/// Every call the devnet's runtime accepts, by pallet index (as on finney).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeCall {
    #[codec(index = 0)]
    System(frame_system::pallet::Call<Runtime>),
    #[codec(index = 2)]
    Timestamp(pallet_timestamp::pallet::Call<Runtime>),
    #[codec(index = 7)]
    SubtensorModule(pallet_subtensor::pallet::Call<Runtime>),
    #[codec(index = 18)]
    Commitments(pallet_commitments::pallet::Call<Runtime>),
}

/// Every event the devnet's runtime emits, by pallet index (as on finney).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(frame_system::pallet::Event<Runtime>),
    #[codec(index = 6)]
    TransactionPayment(pallet_transaction_payment::pallet::Event<Runtime>),
    #[codec(index = 7)]
    SubtensorModule(pallet_subtensor::pallet::Event<Runtime>),
    #[codec(index = 18)]
    Commitments(pallet_commitments::pallet::Event<Runtime>),
}

/// Every pallet error the devnet describes, by pallet index (as on finney).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeError {
    #[codec(index = 0)]
    System(frame_system::pallet::Error<Runtime>),
    #[codec(index = 7)]
    SubtensorModule(pallet_subtensor::pallet::Error<Runtime>),
    #[codec(index = 18)]
    Commitments(pallet_commitments::pallet::Error<Runtime>),
}

pub mod check_mortality {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    use super::super::sp_runtime::generic::era::Era;

    /// The mortality extension: the era the transaction is valid in.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub struct CheckMortality<T>(pub Era, #[codec(skip)] PhantomData<T>);
}

pub mod check_nonce {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// The nonce extension: the signer's account nonce.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub struct CheckNonce<T>(#[codec(compact)] pub u32, #[codec(skip)] PhantomData<T>);
}

pub mod sudo_wrapper {
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// The sudo guard extension; no data.
    #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
    pub struct SudoTransactionExtension<T: 'static>(#[codec(skip)] PhantomData<T>);
}

pub mod transaction_payment_wrapper {
    use scale_info::TypeInfo;

    use super::super::pallet_transaction_payment::ChargeTransactionPayment;

    /// Subtensor's wrapper around the tip extension (reported as `ChargeTransactionPayment`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub struct ChargeTransactionPaymentWrapper<T: 'static> {
        pub inner: ChargeTransactionPayment<T>,
    }
}

/// The transaction extensions of a signed extrinsic, in the runtime's order and nesting.
pub type TxExtension = (
    (
        super::frame_system::extensions::check_non_zero_sender::CheckNonZeroSender<Runtime>,
        super::frame_system::extensions::check_spec_version::CheckSpecVersion<Runtime>,
        super::frame_system::extensions::check_tx_version::CheckTxVersion<Runtime>,
        super::frame_system::extensions::check_genesis::CheckGenesis<Runtime>,
        check_mortality::CheckMortality<Runtime>,
        check_nonce::CheckNonce<Runtime>,
        super::frame_system::extensions::check_weight::CheckWeight<Runtime>,
    ),
    (
        transaction_payment_wrapper::ChargeTransactionPaymentWrapper<Runtime>,
        sudo_wrapper::SudoTransactionExtension<Runtime>,
        super::pallet_shield::extension::CheckShieldedTxValidity<Runtime>,
        super::pallet_subtensor::extensions::subtensor::SubtensorTransactionExtension<Runtime>,
        super::pallet_drand::drand_priority::DrandPriority<Runtime>,
    ),
    super::frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
);

/// The address type of signed extrinsics.
pub type Address =
    super::sp_runtime::multiaddress::MultiAddress<super::sp_core::crypto::AccountId32, ()>;

/// The runtime's extrinsic type.
pub type UncheckedExtrinsic = super::fp_self_contained::unchecked_extrinsic::UncheckedExtrinsic<
    Address,
    RuntimeCall,
    super::sp_runtime::MultiSignature,
    TxExtension,
>;
