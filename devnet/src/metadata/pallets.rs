//! The pallets the devnet describes: their storage entries (with finney's hashers and defaults),
//! calls, events, errors and constants.

use frame_metadata::v14::{
    PalletCallMetadata, PalletConstantMetadata, PalletErrorMetadata, PalletEventMetadata,
    PalletStorageMetadata, StorageEntryMetadata, StorageEntryModifier, StorageEntryType,
    StorageHasher,
};
use frame_metadata::v15;
use parity_scale_codec::Encode;
use scale_info::{MetaType, TypeInfo, meta_type};

use crate::mirror::{self as m, node_subtensor_runtime as rt};
use m::bounded_collections::{Bound, bounded_vec::BoundedVec};
use m::frame_system::{AccountInfo, EventRecord};
use m::pallet_balances::types::AccountData;
use m::pallet_commitments::types::Registration;
use m::pallet_subtensor::pallet::{AxonInfo, NeuronCertificate, PrometheusInfo};
use m::primitive_types::H256;
use m::sp_core::crypto::AccountId32;

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

/// Every pallet of `flavor` on a chain with `slot_ms` blocks, in index order.
pub fn pallets(flavor: super::RuntimeFlavor, slot_ms: u64) -> Vec<v15::PalletMetadata> {
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
    let aura = storage(
        "Aura",
        vec![plain::<m::sp_consensus_slots::Slot>("CurrentSlot", m::sp_consensus_slots::Slot(0))],
    );
    let subtensor = storage("SubtensorModule", subtensor_storage(flavor));
    let commitments = storage(
        "Commitments",
        vec![
            map::<(u16, Acc), Registration<u64, Bound, u32>>("CommitmentOf", &[Id, Tx], None),
            map::<(u16, Acc), u32>("LastCommitment", &[Id, Tx], None),
            map::<(u16, Acc), u32>("LastBondsReset", &[Id, Tx], None),
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
            vec![constant("MinimumPeriod", slot_ms / 2)],
        ),
        pallet("Aura", 3, aura, None, None, None, vec![constant("SlotDuration", slot_ms)]),
        pallet(
            "Balances",
            5,
            None,
            None,
            None,
            None,
            vec![
                constant("ExistentialDeposit", 500u64),
                constant("MaxLocks", 50u32),
                constant("MaxReserves", 50u32),
                constant("MaxFreezes", 50u32),
            ],
        ),
        pallet(
            "TransactionPayment",
            6,
            None,
            None,
            Some(meta_type::<m::pallet_transaction_payment::pallet::Event<R>>()),
            None,
            vec![constant("OperationalFeeMultiplier", 5u8)],
        ),
        pallet(
            "SubtensorModule",
            7,
            subtensor,
            Some(meta_type::<m::pallet_subtensor::pallet::Call<R>>()),
            Some(meta_type::<m::pallet_subtensor::pallet::Event<R>>()),
            Some(meta_type::<m::pallet_subtensor::pallet::Error<R>>()),
            subtensor_constants(),
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

fn subtensor_storage(flavor: super::RuntimeFlavor) -> Vec<Entry> {
    use StorageHasher::{Blake2_128Concat as B2, Identity as Id, Twox64Concat as Tx};
    type Acc = AccountId32;
    type TimelockedCommit = (Acc, u64, BoundedVec<u8, Bound>, u64);
    let mut entries = vec![
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
        map::<u16, u16>("SubnetMechanism", &[Id], d(0u16)),
        map::<u16, Vec<u8>>("TokenSymbol", &[Id], d("\u{1d70f}".as_bytes().to_vec())),
        map::<u16, u64>("Burn", &[Id], d(100_000_000u64)),
        map::<u16, u64>("Difficulty", &[Id], d(10_000_000u64)),
        map::<u16, m::pallet_subtensor::pallet::SubnetIdentityV3>(
            "SubnetIdentitiesV3",
            &[B2],
            None,
        ),
        map::<Acc, Vec<Acc>>("OwnedHotkeys", &[B2], d(Vec::<Acc>::new())),
        map::<(Acc, u16), bool>("IsNetworkMember", &[B2, Id], d(false)),
        map::<(u16, u16), (m::primitive_types::H160, u64)>("AssociatedEvmAddress", &[Tx, Tx], None),
    ];
    if flavor == super::RuntimeFlavor::Current {
        // The stateful epoch scheduler (subtensor's dynamic tempo, after spec 393).
        entries.extend([
            map::<u16, u64>("LastEpochBlock", &[Id], d(0u64)),
            map::<u16, u64>("PendingEpochAt", &[Id], d(0u64)),
            map::<u16, u64>("SubnetEpochIndex", &[Id], d(0u64)),
            plain::<u8>("MaxEpochsPerBlock", 2u8),
            map::<u16, m::pallet_subtensor::pallet::EpochConsensus>(
                "SubnetEpochConsensus",
                &[Id],
                d(m::pallet_subtensor::pallet::EpochConsensus::Yuma),
            ),
        ]);
    }
    entries
}

/// `SubtensorModule`'s constants with finney's values (`runtime/src/lib.rs`, production side).
fn subtensor_constants() -> Vec<PalletConstantMetadata> {
    let percent = m::sp_arithmetic::per_things::Percent(80);
    vec![
        constant("InitialIssuance", 0u64),
        constant("InitialMinAllowedWeights", 1024u16),
        constant("InitialEmissionValue", 0u16),
        constant("InitialTempo", 360u16),
        constant("InitialDifficulty", 10_000_000u64),
        constant("InitialMaxDifficulty", u64::MAX / 4),
        constant("InitialMinDifficulty", 10_000_000u64),
        constant("InitialRAORecycledForRegistration", 0u64),
        constant("InitialBurn", 100_000_000u64),
        constant("InitialMaxBurn", 100_000_000_000u64),
        constant("InitialMinBurn", 500_000u64),
        constant("MinBurnUpperBound", 1_000_000_000u64),
        constant("MaxBurnLowerBound", 100_000_000u64),
        constant("InitialAdjustmentInterval", 100u16),
        constant("InitialBondsMovingAverage", 900_000u64),
        constant("InitialBondsPenalty", 65_535u16),
        constant("InitialBondsResetOn", false),
        constant("InitialTargetRegistrationsPerInterval", 2u16),
        constant("InitialRho", 10u16),
        constant("InitialAlphaSigmoidSteepness", 1000i16),
        constant("InitialKappa", 32_767u16),
        constant("InitialMinAllowedUids", 64u16),
        constant("InitialMaxAllowedUids", 256u16),
        constant("InitialValidatorPruneLen", 1u64),
        constant("InitialScalingLawPower", 50u16),
        constant("InitialImmunityPeriod", 4096u16),
        constant("InitialActivityCutoff", 5000u16),
        constant("InitialMaxRegistrationsPerBlock", 1u16),
        constant("InitialPruningScore", 65_535u16),
        constant("InitialMaxAllowedValidators", 128u16),
        constant("InitialDefaultDelegateTake", 11_796u16),
        constant("InitialMinDelegateTake", 0u16),
        constant("InitialDefaultChildKeyTake", 0u16),
        constant("InitialMinChildKeyTake", 0u16),
        constant("InitialMaxChildKeyTake", 11_796u16),
        constant("InitialWeightsVersionKey", 0u64),
        constant("InitialServingRateLimit", 50u64),
        constant("InitialTxRateLimit", 1000u64),
        constant("InitialTxDelegateTakeRateLimit", 216_000u64),
        constant("InitialTxChildKeyTakeRateLimit", 216_000u64),
        constant("InitialAdjustmentAlpha", 0u64),
        constant("InitialNetworkImmunityPeriod", 1_296_000u64),
        constant("InitialNetworkMinLockCost", 1_000_000_000_000u64),
        constant("InitialSubnetOwnerCut", 11_796u16),
        constant("InitialNetworkLockReductionInterval", 100_800u64),
        constant("InitialNetworkRateLimit", 7200u64),
        constant("KeySwapCost", 100_000_000u64),
        constant("AlphaHigh", 58_982u16),
        constant("AlphaLow", 45_875u16),
        constant("LiquidAlphaOn", false),
        constant("Yuma3On", false),
        constant("InitialColdkeySwapAnnouncementDelay", 36_000u32),
        constant("InitialColdkeySwapReannouncementDelay", 7200u32),
        constant("InitialDissolveNetworkScheduleDuration", 36_000u32),
        constant("InitialTaoWeight", DEFAULT_TAO_WEIGHT),
        constant("InitialEmaPriceHalvingPeriod", 201_600u64),
        constant("InitialStartCallDelay", 0u64),
        constant("KeySwapOnSubnetCost", 1_000_000u64),
        constant("HotkeySwapOnSubnetInterval", 7200u64),
        constant("LeaseDividendsDistributionInterval", 100u32),
        constant("MaxImmuneUidsPercentage", percent),
    ]
}
