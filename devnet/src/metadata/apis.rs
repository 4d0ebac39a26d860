//! The runtime APIs the devnet describes and answers, with their versions, and the transaction
//! extensions in finney's order.

use frame_metadata::v15::{
    self, RuntimeApiMetadata, RuntimeApiMethodMetadata, RuntimeApiMethodParamMetadata,
};
use parity_scale_codec::Compact;
use scale_info::{MetaType, TypeInfo, meta_type};

use crate::mirror::{self as m, node_subtensor_runtime as rt};
use m::pallet_subtensor::rpc_info as info;
use m::pallet_transaction_payment::types::{FeeDetails, RuntimeDispatchInfo};
use m::primitive_types::H256;
use m::sp_core::crypto::AccountId32;
use m::sp_weights::weight_v2::Weight;

/// A runtime API: its trait name, version (as `Core_version` lists it) and methods.
pub struct Api {
    /// The trait name, e.g. `NeuronInfoRuntimeApi`.
    pub name: &'static str,
    /// The trait version.
    pub version: u32,
    /// The methods.
    pub methods: Vec<RuntimeApiMethodMetadata>,
}

/// The runtime-API method `name(inputs) -> Output`.
fn method<Out: TypeInfo + 'static>(
    name: &'static str,
    inputs: Vec<(&'static str, MetaType)>,
) -> RuntimeApiMethodMetadata {
    RuntimeApiMethodMetadata {
        name,
        inputs: inputs
            .into_iter()
            .map(|(name, ty)| RuntimeApiMethodParamMetadata { name, ty })
            .collect(),
        output: meta_type::<Out>(),
        docs: vec![],
    }
}

fn api(name: &'static str, version: u32, methods: Vec<RuntimeApiMethodMetadata>) -> Api {
    Api { name, version, methods }
}

/// The block type `Core_execute_block` takes.
pub type Block = m::sp_runtime::generic::block::Block<
    m::sp_runtime::generic::header::Header<u32, m::sp_runtime::traits::BlakeTwo256>,
    rt::UncheckedExtrinsic,
>;

/// Every runtime API the devnet describes, in finney's order.
pub fn all() -> Vec<Api> {
    type Acc = AccountId32;
    let netuid = || ("netuid", meta_type::<u16>());
    let uid = || ("uid", meta_type::<u16>());
    let uxt = || ("uxt", meta_type::<rt::UncheckedExtrinsic>());
    let len = || ("len", meta_type::<u32>());
    vec![
        api(
            "Core",
            5,
            vec![
                method::<m::sp_version::RuntimeVersion>("version", vec![]),
                method::<()>("execute_block", vec![("block", meta_type::<Block>())]),
                method::<m::sp_runtime::ExtrinsicInclusionMode>(
                    "initialize_block",
                    vec![(
                        "header",
                        meta_type::<
                            m::sp_runtime::generic::header::Header<
                                u32,
                                m::sp_runtime::traits::BlakeTwo256,
                            >,
                        >(),
                    )],
                ),
            ],
        ),
        api(
            "Metadata",
            2,
            vec![
                method::<m::sp_core::OpaqueMetadata>("metadata", vec![]),
                method::<Option<m::sp_core::OpaqueMetadata>>(
                    "metadata_at_version",
                    vec![("version", meta_type::<u32>())],
                ),
                method::<Vec<u32>>("metadata_versions", vec![]),
            ],
        ),
        api(
            "AccountNonceApi",
            1,
            vec![method::<u32>("account_nonce", vec![("account", meta_type::<Acc>())])],
        ),
        api(
            "TransactionPaymentApi",
            4,
            vec![
                method::<RuntimeDispatchInfo<u64, Weight>>("query_info", vec![uxt(), len()]),
                method::<FeeDetails<u64>>("query_fee_details", vec![uxt(), len()]),
                method::<u64>("query_weight_to_fee", vec![("weight", meta_type::<Weight>())]),
                method::<u64>("query_length_to_fee", vec![("length", meta_type::<u32>())]),
            ],
        ),
        api(
            "NeuronInfoRuntimeApi",
            1,
            vec![
                method::<Vec<info::neuron_info::NeuronInfo<Acc>>>("get_neurons", vec![netuid()]),
                method::<Option<info::neuron_info::NeuronInfo<Acc>>>(
                    "get_neuron",
                    vec![netuid(), uid()],
                ),
                method::<Vec<info::neuron_info::NeuronInfoLite<Acc>>>(
                    "get_neurons_lite",
                    vec![netuid()],
                ),
                method::<Option<info::neuron_info::NeuronInfoLite<Acc>>>(
                    "get_neuron_lite",
                    vec![netuid(), uid()],
                ),
            ],
        ),
        api(
            "SubnetInfoRuntimeApi",
            2,
            vec![
                method::<Option<info::subnet_info::SubnetHyperparams>>(
                    "get_subnet_hyperparams",
                    vec![netuid()],
                ),
                method::<Option<info::subnet_info::SubnetHyperparamsV2>>(
                    "get_subnet_hyperparams_v2",
                    vec![netuid()],
                ),
                method::<Option<Vec<info::subnet_info::HyperparamEntry>>>(
                    "get_subnet_hyperparams_v3",
                    vec![netuid()],
                ),
                method::<Option<info::metagraph::Metagraph<Acc>>>("get_metagraph", vec![netuid()]),
                method::<Option<info::show_subnet::SubnetState<Acc>>>(
                    "get_subnet_state",
                    vec![netuid()],
                ),
                method::<Option<u64>>("get_next_epoch_start_block", vec![netuid()]),
                method::<Vec<Option<info::subnet_info::SubnetInfov2<Acc>>>>(
                    "get_subnets_info_v2",
                    vec![],
                ),
                method::<Option<info::subnet_info::SubnetInfov2<Acc>>>(
                    "get_subnet_info_v2",
                    vec![netuid()],
                ),
                method::<Vec<Option<info::dynamic_info::DynamicInfo<Acc>>>>(
                    "get_all_dynamic_info",
                    vec![],
                ),
                method::<Vec<Option<info::metagraph::Metagraph<Acc>>>>(
                    "get_all_metagraphs",
                    vec![],
                ),
                method::<Vec<Option<info::metagraph::Metagraph<Acc>>>>(
                    "get_all_mechagraphs",
                    vec![],
                ),
                method::<Option<info::metagraph::Metagraph<Acc>>>(
                    "get_mechagraph",
                    vec![netuid(), ("mecid", meta_type::<u8>())],
                ),
                method::<Option<info::dynamic_info::DynamicInfo<Acc>>>(
                    "get_dynamic_info",
                    vec![netuid()],
                ),
                method::<Option<info::metagraph::SelectiveMetagraph<Acc>>>(
                    "get_selective_metagraph",
                    vec![netuid(), ("metagraph_indexes", meta_type::<Vec<u16>>())],
                ),
                method::<Option<info::metagraph::SelectiveMetagraph<Acc>>>(
                    "get_selective_mechagraph",
                    vec![
                        netuid(),
                        ("subid", meta_type::<u8>()),
                        ("metagraph_indexes", meta_type::<Vec<u16>>()),
                    ],
                ),
            ],
        ),
        api(
            "DelegateInfoRuntimeApi",
            1,
            vec![
                method::<Vec<info::delegate_info::DelegateInfo<Acc>>>("get_delegates", vec![]),
                method::<Option<info::delegate_info::DelegateInfo<Acc>>>(
                    "get_delegate",
                    vec![("delegate_account", meta_type::<Acc>())],
                ),
                method::<Vec<(info::delegate_info::DelegateInfo<Acc>, (Compact<u16>, Compact<u64>))>>(
                    "get_delegated",
                    vec![("delegatee_account", meta_type::<Acc>())],
                ),
            ],
        ),
        api(
            "SubnetRegistrationRuntimeApi",
            1,
            vec![method::<u64>("get_network_registration_cost", vec![])],
        ),
        api(
            "SwapRuntimeApi",
            1,
            vec![
                method::<u64>("current_alpha_price", vec![netuid()]),
                method::<Vec<m::pallet_subtensor_swap_runtime_api::SubnetPrice>>(
                    "current_alpha_price_all",
                    vec![],
                ),
                method::<m::pallet_subtensor_swap_runtime_api::SimSwapResult>(
                    "sim_swap_tao_for_alpha",
                    vec![netuid(), ("tao", meta_type::<u64>())],
                ),
                method::<m::pallet_subtensor_swap_runtime_api::SimSwapResult>(
                    "sim_swap_alpha_for_tao",
                    vec![netuid(), ("alpha", meta_type::<u64>())],
                ),
            ],
        ),
        api(
            "AuraApi",
            1,
            vec![method::<m::sp_consensus_slots::SlotDuration>("slot_duration", vec![])],
        ),
    ]
}

/// The transaction extensions in finney's order, with their implicit ("additional signed") data.
pub fn extensions() -> Vec<v15::SignedExtensionMetadata> {
    use m::frame_system::extensions as sys;
    use rt::Runtime as R;
    fn extension<T: TypeInfo + 'static, A: TypeInfo + 'static>(
        identifier: &'static str,
    ) -> v15::SignedExtensionMetadata {
        v15::SignedExtensionMetadata {
            identifier,
            ty: meta_type::<T>(),
            additional_signed: meta_type::<A>(),
        }
    }
    vec![
        extension::<sys::check_non_zero_sender::CheckNonZeroSender<R>, ()>("CheckNonZeroSender"),
        extension::<sys::check_spec_version::CheckSpecVersion<R>, u32>("CheckSpecVersion"),
        extension::<sys::check_tx_version::CheckTxVersion<R>, u32>("CheckTxVersion"),
        extension::<sys::check_genesis::CheckGenesis<R>, H256>("CheckGenesis"),
        extension::<rt::check_mortality::CheckMortality<R>, H256>("CheckMortality"),
        extension::<rt::check_nonce::CheckNonce<R>, ()>("CheckNonce"),
        extension::<sys::check_weight::CheckWeight<R>, ()>("CheckWeight"),
        extension::<m::pallet_transaction_payment::ChargeTransactionPayment<R>, ()>(
            "ChargeTransactionPayment",
        ),
        extension::<rt::sudo_wrapper::SudoTransactionExtension<R>, ()>("SudoTransactionExtension"),
        extension::<m::pallet_shield::extension::CheckShieldedTxValidity<R>, ()>(
            "CheckShieldedTxValidity",
        ),
        extension::<m::pallet_subtensor::extensions::subtensor::SubtensorTransactionExtension<R>, ()>(
            "SubtensorTransactionExtension",
        ),
        extension::<m::pallet_drand::drand_priority::DrandPriority<R>, ()>("DrandPriority"),
        extension::<m::frame_metadata_hash_extension::CheckMetadataHash<R>, Option<[u8; 32]>>(
            "CheckMetadataHash",
        ),
    ]
}

/// An API as V15 metadata lists it.
pub fn v15_api(api: Api) -> RuntimeApiMetadata {
    RuntimeApiMetadata { name: api.name, methods: api.methods, docs: vec![] }
}
