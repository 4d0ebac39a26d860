//! Runtime metadata (V14 and V15) built in code from the mirror types.
//!
//! The devnet describes the subset of the subtensor runtime that Pylon users touch, with the same
//! pallet indices, storage hashers, defaults, call indices and type shapes as finney.

use frame_metadata::v14::{
    self, PalletCallMetadata, PalletConstantMetadata, PalletErrorMetadata, PalletEventMetadata,
    PalletStorageMetadata, StorageEntryMetadata, StorageEntryModifier, StorageEntryType,
    StorageHasher,
};
use frame_metadata::v15::{
    self, CustomMetadata, OuterEnums, RuntimeApiMetadata, RuntimeApiMethodMetadata,
    RuntimeApiMethodParamMetadata,
};
use frame_metadata::{META_RESERVED, RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::Encode;
use scale_info::{MetaType, PortableRegistry, TypeInfo, meta_type};

use super::mirror::{self as m, node_subtensor_runtime as rt};
use m::bounded_collections::{Bound, bounded_vec::BoundedVec};
use m::frame_system::{AccountInfo, EventRecord};
use m::pallet_balances::types::AccountData;
use m::pallet_commitments::types::Registration;
use m::pallet_subtensor::pallet::{AxonInfo, NeuronCertificate, PrometheusInfo};
use m::pallet_subtensor::rpc_info as info;
use m::primitive_types::H256;
use m::sp_core::crypto::AccountId32;

/// The metadata versions the devnet serves (`Metadata_metadata_versions`).
pub const VERSIONS: [u32; 2] = [14, 15];

/// Which runtime the devnet impersonates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RuntimeFlavor {
    /// Spec 393's APIs plus the 2026 additions `get_subnet_hyperparams_v3` and
    /// `get_next_epoch_start_block`.
    #[default]
    Current,
    /// Exactly the runtime APIs of finney spec 393 (April 2026), for testing clients' fallbacks.
    Spec393,
}

impl RuntimeFlavor {
    /// Whether this runtime has `api_method` (e.g. `SubnetInfoRuntimeApi_get_next_epoch_start_block`).
    pub fn has_method(self, api: &str, method: &str) -> bool {
        self == RuntimeFlavor::Current
            || !crate::conformance::NEWER_THAN_REFERENCE.contains(&(api, method))
    }
}

/// SCALE-encoded `RuntimeMetadataPrefixed` for each served version.
pub struct EncodedMetadata {
    /// Metadata V14 (what `state_getMetadata` and `Metadata_metadata` return).
    pub v14: Vec<u8>,
    /// Metadata V15 (with runtime APIs).
    pub v15: Vec<u8>,
}

impl EncodedMetadata {
    /// Builds and encodes both versions for a runtime flavor.
    pub fn build(flavor: RuntimeFlavor) -> Self {
        Self { v14: v14_prefixed().encode(), v15: v15_for(flavor).encode() }
    }

    /// The encoded metadata of `version`, if served.
    pub fn at_version(&self, version: u32) -> Option<&[u8]> {
        match version {
            14 => Some(&self.v14),
            15 => Some(&self.v15),
            _ => None,
        }
    }
}

/// Metadata V15 of the current flavor, with the mirror prefix stripped from every type path.
pub fn v15_prefixed() -> RuntimeMetadataPrefixed {
    v15_for(RuntimeFlavor::Current)
}

/// Metadata V15 of `flavor`.
pub fn v15_for(flavor: RuntimeFlavor) -> RuntimeMetadataPrefixed {
    let mut apis = runtime_apis();
    for api in &mut apis {
        let name = api.name;
        api.methods.retain(|m| flavor.has_method(name, m.name));
    }
    let mut md = v15::RuntimeMetadataV15::new(
        pallets(),
        extrinsic_v15(),
        meta_type::<rt::Runtime>(),
        apis,
        OuterEnums {
            call_enum_ty: meta_type::<rt::RuntimeCall>(),
            event_enum_ty: meta_type::<rt::RuntimeEvent>(),
            error_enum_ty: meta_type::<rt::RuntimeError>(),
        },
        CustomMetadata { map: Default::default() },
    );
    rewrite_paths(&mut md.types);
    RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V15(md))
}

/// Metadata V14, with the mirror prefix stripped from every type path.
pub fn v14_prefixed() -> RuntimeMetadataPrefixed {
    let pallets = pallets()
        .into_iter()
        .map(|p| v14::PalletMetadata {
            name: p.name,
            storage: p.storage,
            calls: p.calls,
            event: p.event,
            constants: p.constants,
            error: p.error,
            index: p.index,
        })
        .collect();
    let extrinsic = v14::ExtrinsicMetadata {
        ty: meta_type::<rt::UncheckedExtrinsic>(),
        version: 4,
        signed_extensions: extensions()
            .into_iter()
            .map(|e| v14::SignedExtensionMetadata {
                identifier: e.identifier,
                ty: e.ty,
                additional_signed: e.additional_signed,
            })
            .collect(),
    };
    let mut md = v14::RuntimeMetadataV14::new(pallets, extrinsic, meta_type::<rt::Runtime>());
    rewrite_paths(&mut md.types);
    RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V14(md))
}

fn rewrite_paths(types: &mut PortableRegistry) {
    for ty in &mut types.types {
        m::strip_mirror_prefix(&mut ty.ty.path.segments);
    }
}

fn extrinsic_v15() -> v15::ExtrinsicMetadata {
    v15::ExtrinsicMetadata {
        version: 4,
        address_ty: meta_type::<rt::Address>(),
        call_ty: meta_type::<rt::RuntimeCall>(),
        signature_ty: meta_type::<m::sp_runtime::MultiSignature>(),
        extra_ty: meta_type::<rt::TxExtension>(),
        signed_extensions: extensions(),
    }
}

fn extension<T: TypeInfo + 'static, A: TypeInfo + 'static>(
    identifier: &'static str,
) -> v15::SignedExtensionMetadata {
    v15::SignedExtensionMetadata {
        identifier,
        ty: meta_type::<T>(),
        additional_signed: meta_type::<A>(),
    }
}

/// The transaction extensions in finney's order, with their implicit ("additional signed") data.
fn extensions() -> Vec<v15::SignedExtensionMetadata> {
    use m::frame_system::extensions as sys;
    use rt::Runtime as R;
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

/// A storage entry builder that keeps the pallet tables below readable.
struct Entry(StorageEntryMetadata);

fn plain<V: TypeInfo + 'static>(name: &'static str, default: impl Encode) -> Entry {
    Entry(StorageEntryMetadata {
        name,
        modifier: StorageEntryModifier::Default,
        ty: StorageEntryType::Plain(meta_type::<V>()),
        default: default.encode(),
        docs: vec![],
    })
}

fn map<K: TypeInfo + 'static, V: TypeInfo + 'static>(
    name: &'static str,
    hashers: &[StorageHasher],
    default: Option<Vec<u8>>,
) -> Entry {
    let modifier = match default {
        Some(_) => StorageEntryModifier::Default,
        None => StorageEntryModifier::Optional,
    };
    Entry(StorageEntryMetadata {
        name,
        modifier,
        ty: StorageEntryType::Map {
            hashers: hashers.to_vec(),
            key: meta_type::<K>(),
            value: meta_type::<V>(),
        },
        default: default.unwrap_or_else(|| vec![0]),
        docs: vec![],
    })
}

/// A `ValueQuery` default.
fn d(value: impl Encode) -> Option<Vec<u8>> {
    Some(value.encode())
}

fn storage(prefix: &'static str, entries: Vec<Entry>) -> Option<PalletStorageMetadata> {
    Some(PalletStorageMetadata { prefix, entries: entries.into_iter().map(|e| e.0).collect() })
}

fn pallet(
    name: &'static str,
    index: u8,
    storage: Option<PalletStorageMetadata>,
    calls: Option<MetaType>,
    event: Option<MetaType>,
    error: Option<MetaType>,
    constants: Vec<PalletConstantMetadata>,
) -> v15::PalletMetadata {
    v15::PalletMetadata {
        name,
        storage,
        calls: calls.map(|ty| PalletCallMetadata { ty }),
        event: event.map(|ty| PalletEventMetadata { ty }),
        constants,
        error: error.map(|ty| PalletErrorMetadata { ty }),
        index,
        docs: vec![],
    }
}

fn constant<T: TypeInfo + Encode + 'static>(
    name: &'static str,
    value: T,
) -> PalletConstantMetadata {
    PalletConstantMetadata { name, ty: meta_type::<T>(), value: value.encode(), docs: vec![] }
}

/// Default tao weight: 0.18 as a fraction of `u64::MAX` (finney's genesis value).
pub const DEFAULT_TAO_WEIGHT: u64 = 0x0d7c_3cfa_3ee0_62fc;
/// Default per-epoch commitment space, in bytes.
pub const DEFAULT_MAX_SPACE: u32 = 3100;
/// `System.BlockHashCount`.
pub const BLOCK_HASH_COUNT: u32 = 2400;

fn pallets() -> Vec<v15::PalletMetadata> {
    use StorageHasher::{Blake2_128Concat as B2, Identity as Id, Twox64Concat as Tx};
    type Acc = AccountId32;
    type Events = Vec<EventRecord<rt::RuntimeEvent, H256>>;
    type R = rt::Runtime;
    let system = storage(
        "System",
        vec![
            map::<Acc, AccountInfo<u32, AccountData<u64>>>(
                "Account",
                &[B2],
                d(AccountInfo::<u32, AccountData<u64>>::default()),
            ),
            map::<u32, H256>("BlockHash", &[Tx], d(H256::default())),
            plain::<u32>("Number", 0u32),
            plain::<H256>("ParentHash", H256::default()),
            plain::<m::sp_runtime::generic::digest::Digest>("Digest", Vec::<u8>::new()),
            plain::<Events>("Events", Vec::<u8>::new()),
            plain::<u32>("EventCount", 0u32),
        ],
    );
    let timestamp = storage("Timestamp", vec![plain::<u64>("Now", 0u64)]);
    let subtensor = storage("SubtensorModule", subtensor_storage());
    let commitments = storage(
        "Commitments",
        vec![
            map::<(u16, Acc), Registration<u64, Bound, u32>>("CommitmentOf", &[Id, Tx], None),
            map::<(u16, Acc), u32>("LastCommitment", &[Id, Tx], None),
            map::<(u16, Acc), Vec<(Vec<u8>, u64)>>("RevealedCommitments", &[Id, Tx], None),
            plain::<u32>("MaxSpace", DEFAULT_MAX_SPACE),
        ],
    );
    let drand = storage(
        "Drand",
        vec![
            map::<u64, m::pallet_drand::types::Pulse>("Pulses", &[B2], None),
            plain::<u64>("LastStoredRound", 0u64),
        ],
    );
    vec![
        pallet(
            "System",
            0,
            system,
            Some(meta_type::<m::frame_system::pallet::Call<R>>()),
            Some(meta_type::<m::frame_system::pallet::Event<R>>()),
            Some(meta_type::<m::frame_system::pallet::Error<R>>()),
            vec![constant("BlockHashCount", BLOCK_HASH_COUNT), constant("SS58Prefix", 42u16)],
        ),
        pallet(
            "Timestamp",
            2,
            timestamp,
            Some(meta_type::<m::pallet_timestamp::pallet::Call<R>>()),
            None,
            None,
            vec![constant("MinimumPeriod", 6000u64)],
        ),
        pallet(
            "SubtensorModule",
            7,
            subtensor,
            Some(meta_type::<m::pallet_subtensor::pallet::Call<R>>()),
            Some(meta_type::<m::pallet_subtensor::pallet::Event<R>>()),
            Some(meta_type::<m::pallet_subtensor::pallet::Error<R>>()),
            vec![],
        ),
        pallet(
            "Commitments",
            18,
            commitments,
            Some(meta_type::<m::pallet_commitments::pallet::Call<R>>()),
            Some(meta_type::<m::pallet_commitments::pallet::Event<R>>()),
            Some(meta_type::<m::pallet_commitments::pallet::Error<R>>()),
            vec![constant("MaxFields", 3u32)],
        ),
        pallet("Drand", 26, drand, None, None, None, vec![]),
    ]
}

fn subtensor_storage() -> Vec<Entry> {
    use StorageHasher::{Blake2_128Concat as B2, Identity as Id, Twox64Concat as Tx};
    type Acc = AccountId32;
    type TimelockedCommit = (Acc, u64, BoundedVec<u8, Bound>, u64);
    vec![
        plain::<u64>("TaoWeight", DEFAULT_TAO_WEIGHT),
        map::<Acc, Acc>("Owner", &[B2], d(Acc::from_raw([0; 32]))),
        map::<u16, u64>("SubnetTAO", &[Id], d(0u64)),
        map::<u16, u64>("SubnetAlphaIn", &[Id], d(0u64)),
        map::<u16, u64>("SubnetAlphaOut", &[Id], d(0u64)),
        map::<(Acc, u16), u64>("TotalHotkeyAlpha", &[B2, Id], d(0u64)),
        plain::<u16>("TotalNetworks", 0u16),
        map::<u16, u16>("Tempo", &[Id], d(360u16)),
        map::<u16, u16>("SubnetworkN", &[Id], d(0u16)),
        map::<u16, bool>("NetworksAdded", &[Id], d(false)),
        map::<u16, u64>("NetworkRegisteredAt", &[Id], d(0u64)),
        map::<u16, u64>("BlocksSinceLastStep", &[Id], d(0u64)),
        map::<u16, Acc>("SubnetOwner", &[Id], d(Acc::from_raw([0; 32]))),
        map::<u16, Acc>("SubnetOwnerHotkey", &[Id], d(Acc::from_raw([0; 32]))),
        map::<u16, u64>("ServingRateLimit", &[Id], d(50u64)),
        map::<u16, u16>("Rho", &[Id], d(10u16)),
        map::<u16, u16>("Kappa", &[Id], d(32_767u16)),
        map::<u16, u16>("MaxAllowedUids", &[Id], d(256u16)),
        map::<u16, u16>("ImmunityPeriod", &[Id], d(4096u16)),
        map::<u16, u16>("MaxWeightsLimit", &[Id], d(u16::MAX)),
        map::<u16, u64>("WeightsVersionKey", &[Id], d(0u64)),
        map::<u16, u16>("MinAllowedWeights", &[Id], d(1024u16)),
        map::<u16, u16>("MaxAllowedValidators", &[Id], d(128u16)),
        map::<u16, u64>("WeightsSetRateLimit", &[Id], d(100u64)),
        map::<u16, bool>("CommitRevealWeightsEnabled", &[Id], d(true)),
        map::<(u16, Acc), u16>("Uids", &[Id, B2], None),
        map::<(u16, u16), Acc>("Keys", &[Id, Id], d(Acc::from_raw([0; 32]))),
        map::<u16, Vec<bool>>("Active", &[Id], d(Vec::<bool>::new())),
        map::<u16, Vec<u16>>("Consensus", &[Id], d(Vec::<u16>::new())),
        map::<u16, Vec<u16>>("Incentive", &[Id], d(Vec::<u16>::new())),
        map::<u16, Vec<u16>>("Dividends", &[Id], d(Vec::<u16>::new())),
        map::<u16, Vec<u64>>("Emission", &[Id], d(Vec::<u64>::new())),
        map::<u16, Vec<u64>>("LastUpdate", &[Id], d(Vec::<u64>::new())),
        map::<u16, Vec<u16>>("ValidatorTrust", &[Id], d(Vec::<u16>::new())),
        map::<u16, Vec<bool>>("ValidatorPermit", &[Id], d(Vec::<bool>::new())),
        map::<(u16, u16), Vec<(u16, u16)>>("Weights", &[Id, Id], d(Vec::<(u16, u16)>::new())),
        map::<(u16, u16), Vec<(u16, u16)>>("Bonds", &[Id, Id], d(Vec::<(u16, u16)>::new())),
        map::<(u16, u16), u64>("BlockAtRegistration", &[Id, Id], d(0u64)),
        map::<(u16, Acc), AxonInfo>("Axons", &[Id, B2], None),
        map::<(u16, Acc), NeuronCertificate>("NeuronCertificates", &[Id, B2], None),
        map::<(u16, Acc), PrometheusInfo>("Prometheus", &[Id, B2], None),
        plain::<u64>("StakeThreshold", 0u64),
        map::<(u16, Acc), std::collections::VecDeque<(H256, u64, u64, u64)>>(
            "WeightCommits",
            &[Tx, Tx],
            None,
        ),
        map::<(u16, u64), std::collections::VecDeque<TimelockedCommit>>(
            "TimelockedWeightCommits",
            &[Tx, Tx],
            d(Vec::<u8>::new()),
        ),
        map::<u16, u64>("RevealPeriodEpochs", &[Tx], d(1u64)),
        plain::<u16>("CommitRevealWeightsVersion", 4u16),
        map::<u16, u8>("MechanismCountCurrent", &[Tx], d(1u8)),
    ]
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

fn api(name: &'static str, methods: Vec<RuntimeApiMethodMetadata>) -> RuntimeApiMetadata {
    RuntimeApiMetadata { name, methods, docs: vec![] }
}

fn runtime_apis() -> Vec<RuntimeApiMetadata> {
    type Acc = AccountId32;
    let netuid = || ("netuid", meta_type::<u16>());
    let uid = || ("uid", meta_type::<u16>());
    vec![
        api("Core", vec![method::<m::sp_version::RuntimeVersion>("version", vec![])]),
        api(
            "Metadata",
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
            vec![method::<u32>("account_nonce", vec![("account", meta_type::<Acc>())])],
        ),
        api(
            "NeuronInfoRuntimeApi",
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
            ],
        ),
    ]
}
