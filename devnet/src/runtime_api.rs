//! The runtime APIs the devnet answers through `state_call`, computed from the typed state.

use std::sync::Arc;

use parity_scale_codec::{Compact, Decode, Encode};

use super::metadata::{self, EncodedMetadata, RuntimeFlavor, VERSIONS};
use super::mirror::pallet_subtensor::pallet::{AxonInfo, PrometheusInfo, SubnetIdentityV3};
use super::mirror::pallet_subtensor::rpc_info::{
    metagraph::Metagraph,
    neuron_info::{NeuronInfo, NeuronInfoLite},
    show_subnet::SubnetState,
    subnet_info::{HyperparamEntry, HyperparamValue, SubnetHyperparams, SubnetHyperparamsV2},
};
use super::mirror::sp_core::{OpaqueMetadata, crypto::AccountId32};
use super::mirror::sp_version::RuntimeVersion;
use super::mirror::sp_weights::weight_v2::Weight;
use super::mirror::substrate_fixed::{FixedI64, FixedI128, FixedU128};
use super::state::{Neuron, Subnet, World};

/// Why a runtime call failed; the RPC layer turns these into the node's error texts.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CallError {
    /// The runtime has no such API method.
    #[error("Exported method {0} is not found")]
    UnknownMethod(String),
    /// A method the devnet describes but does not carry out.
    #[error("Execution failed: the devnet does not support {0}")]
    Unsupported(String),
    /// The arguments did not decode as the method's inputs.
    #[error("Execution failed: Bad input data provided to {method}: {reason}")]
    BadInput {
        /// The method name.
        method: String,
        /// What was wrong.
        reason: String,
    },
}

/// The runtime's version and metadata: what `Core` and `Metadata` answer.
pub struct Runtime {
    /// The version `Core_version` and `state_getRuntimeVersion` report.
    pub version: RuntimeVersion,
    /// The served metadata.
    pub metadata: EncodedMetadata,
    /// Which runtime this is.
    pub flavor: RuntimeFlavor,
    /// The `Api_method` names it answers.
    methods: std::collections::BTreeSet<String>,
}

impl Runtime {
    /// The devnet runtime of the current flavor.
    pub fn new() -> Self {
        Self::with_flavor(RuntimeFlavor::Current)
    }

    /// The devnet runtime `node-subtensor` of `flavor`, with freshly built metadata.
    pub fn with_flavor(flavor: RuntimeFlavor) -> Self {
        let apis = metadata::api_versions(flavor)
            .iter()
            .map(|(name, version)| (sp_crypto_hashing::blake2_64(name.as_bytes()), *version))
            .collect::<Vec<_>>();
        Self {
            version: RuntimeVersion {
                spec_name: "node-subtensor".into(),
                impl_name: "node-subtensor".into(),
                authoring_version: 1,
                spec_version: flavor.spec_version(),
                impl_version: 1,
                apis: apis.into(),
                transaction_version: 1,
                system_version: 1,
            },
            metadata: EncodedMetadata::build(flavor),
            methods: metadata::method_names(flavor),
            flavor,
        }
    }

    /// Whether this runtime has the `Api_method` runtime call.
    pub fn knows(&self, method: &str) -> bool {
        self.methods.contains(method)
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

fn bad_input(method: &str, e: impl std::fmt::Display) -> CallError {
    CallError::BadInput { method: method.to_string(), reason: e.to_string() }
}

fn args<T: Decode>(method: &str, mut input: &[u8]) -> Result<T, CallError> {
    let bad = |reason: String| CallError::BadInput { method: method.to_string(), reason };
    let value = T::decode(&mut input).map_err(|e| bad(format!("Could not decode: {e}")))?;
    if !input.is_empty() {
        return Err(bad(format!("{} trailing bytes", input.len())));
    }
    Ok(value)
}

fn hex(bytes: &[u8]) -> Arc<str> {
    let mut s = String::with_capacity(2 + bytes.len() * 2);
    s.push_str("0x");
    s.push_str(&hex::encode(bytes));
    s.into()
}

/// Answers `state_call(method, args)` at a block of number `block` whose state is `world`;
/// the result is the hex of the SCALE-encoded return value.
pub fn call(
    runtime: &Runtime,
    world: &World,
    block: u64,
    method: &str,
    input: &[u8],
) -> Result<Arc<str>, CallError> {
    // Answers that depend only on the state are computed once per state.
    let cacheable = method.starts_with("NeuronInfoRuntimeApi_")
        || matches!(
            method,
            "SubnetInfoRuntimeApi_get_subnet_hyperparams"
                | "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2"
                | "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3"
                | "SubnetInfoRuntimeApi_get_subnet_state"
        );
    let key = (method.to_string(), input.to_vec());
    if cacheable {
        let cache = world.api_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.get(&key) {
            return Ok(hit.clone());
        }
    }
    let bytes = compute(runtime, world, block, method, input)?;
    let answer = hex(&bytes);
    if cacheable {
        let mut cache = world.api_cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.insert(key, answer.clone());
    }
    Ok(answer)
}

fn compute(
    runtime: &Runtime,
    world: &World,
    block: u64,
    method: &str,
    input: &[u8],
) -> Result<Vec<u8>, CallError> {
    let subnet = |netuid: u16| world.subnets.get(&netuid).map(|s| s.as_ref());
    if !runtime.knows(method) {
        return Err(CallError::UnknownMethod(method.to_string()));
    }
    Ok(match method {
        "Core_version" => {
            args::<()>(method, input)?;
            runtime.version.encode()
        }
        "Core_execute_block" => {
            return Err(CallError::Unsupported("executing a block".into()));
        }
        "Core_initialize_block" => {
            return Err(CallError::Unsupported("initializing a block".into()));
        }
        "Metadata_metadata" => {
            args::<()>(method, input)?;
            OpaqueMetadata(runtime.metadata.v14.clone()).encode()
        }
        "Metadata_metadata_versions" => {
            args::<()>(method, input)?;
            VERSIONS.to_vec().encode()
        }
        "Metadata_metadata_at_version" => {
            let version: u32 = args(method, input)?;
            runtime.metadata.at_version(version).map(|m| OpaqueMetadata(m.to_vec())).encode()
        }
        "TransactionPaymentApi_query_info" => {
            let (uxt, _len): (Vec<u8>, u32) = args(method, input)?;
            crate::fees::query_info(&uxt.encode()).map_err(|e| bad_input(method, e))?.encode()
        }
        "TransactionPaymentApi_query_fee_details" => {
            let (uxt, _len): (Vec<u8>, u32) = args(method, input)?;
            crate::fees::fee_details(&uxt.encode()).map_err(|e| bad_input(method, e))?.encode()
        }
        "TransactionPaymentApi_query_weight_to_fee" => {
            let weight: Weight = args(method, input)?;
            crate::fees::weight_to_fee(&weight).encode()
        }
        "TransactionPaymentApi_query_length_to_fee" => {
            let length: u32 = args(method, input)?;
            crate::fees::length_to_fee(length).encode()
        }
        "AccountNonceApi_account_nonce" => {
            let account: AccountId32 = args(method, input)?;
            world.nonce(&account).encode()
        }
        "NeuronInfoRuntimeApi_get_neurons_lite" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid)
                .map(|s| s.neurons.iter().map(|n| lite(s, n)).collect::<Vec<_>>())
                .unwrap_or_default()
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neuron_lite" => {
            let (netuid, uid): (u16, u16) = args(method, input)?;
            subnet(netuid)
                .and_then(|s| s.neurons.get(usize::from(uid)).map(|n| lite(s, n)))
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neurons" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid)
                .map(|s| s.neurons.iter().map(|n| full(s, n)).collect::<Vec<_>>())
                .unwrap_or_default()
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neuron" => {
            let (netuid, uid): (u16, u16) = args(method, input)?;
            subnet(netuid)
                .and_then(|s| s.neurons.get(usize::from(uid)).map(|n| full(s, n)))
                .encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams_v1).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams_v2).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams_v3).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_state" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| subnet_state(s, world.tao_weight)).encode()
        }
        "SubnetInfoRuntimeApi_get_metagraph" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| metagraph(s, world, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_next_epoch_start_block" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).and_then(|s| s.next_epoch_start(world.epoch_rule, block)).encode()
        }
        other => return Err(CallError::UnknownMethod(other.to_string())),
    })
}

fn axon(n: &Neuron) -> AxonInfo {
    n.axon.clone().unwrap_or_default()
}

fn prometheus(n: &Neuron) -> PrometheusInfo {
    n.prometheus.clone().unwrap_or_default()
}

/// `rank` and `trust` are always 0 and `pruning_score` 65535 on the current chain.
const PRUNING_SCORE: u16 = u16::MAX;

fn lite(s: &Subnet, n: &Neuron) -> NeuronInfoLite<AccountId32> {
    NeuronInfoLite {
        hotkey: n.hotkey,
        coldkey: n.coldkey,
        uid: n.uid,
        netuid: s.netuid,
        active: n.active,
        axon_info: axon(n),
        prometheus_info: prometheus(n),
        stake: vec![(n.coldkey, Compact(n.alpha_stake))],
        rank: 0,
        emission: n.emission,
        incentive: n.incentive,
        consensus: n.consensus,
        trust: 0,
        validator_trust: n.validator_trust,
        dividends: n.dividends,
        last_update: n.last_update,
        validator_permit: n.validator_permit,
        pruning_score: PRUNING_SCORE,
    }
}

fn pairs(v: &[(u16, u16)]) -> Vec<(Compact<u16>, Compact<u16>)> {
    v.iter().map(|&(a, b)| (Compact(a), Compact(b))).collect()
}

fn full(s: &Subnet, n: &Neuron) -> NeuronInfo<AccountId32> {
    let l = lite(s, n);
    NeuronInfo {
        hotkey: l.hotkey,
        coldkey: l.coldkey,
        uid: l.uid,
        netuid: l.netuid,
        active: l.active,
        axon_info: l.axon_info,
        prometheus_info: l.prometheus_info,
        stake: l.stake,
        rank: l.rank,
        emission: l.emission,
        incentive: l.incentive,
        consensus: l.consensus,
        trust: l.trust,
        validator_trust: l.validator_trust,
        dividends: l.dividends,
        last_update: l.last_update,
        validator_permit: l.validator_permit,
        weights: pairs(&n.weights),
        bonds: pairs(&n.bonds),
        pruning_score: l.pruning_score,
    }
}

fn col<T>(s: &Subnet, f: impl Fn(&Neuron) -> T) -> Vec<T> {
    s.neurons.iter().map(f).collect()
}

fn subnet_state(s: &Subnet, tao_weight: u64) -> SubnetState<AccountId32> {
    SubnetState {
        netuid: s.netuid,
        hotkeys: col(s, |n| n.hotkey),
        coldkeys: col(s, |n| n.coldkey),
        active: col(s, |n| n.active),
        validator_permit: col(s, |n| n.validator_permit),
        pruning_score: col(s, |_| Compact(PRUNING_SCORE)),
        last_update: col(s, |n| Compact(n.last_update)),
        emission: col(s, |n| Compact(n.emission)),
        dividends: col(s, |n| Compact(n.dividends)),
        incentives: col(s, |n| Compact(n.incentive)),
        consensus: col(s, |n| Compact(n.consensus)),
        trust: col(s, |_| Compact(0)),
        rank: col(s, |_| Compact(0)),
        block_at_registration: col(s, |n| Compact(n.block_at_registration)),
        alpha_stake: col(s, |n| Compact(n.alpha_stake)),
        tao_stake: col(s, |n| Compact(n.tao_stake)),
        total_stake: col(s, |n| Compact(Subnet::total_stake(n, tao_weight))),
        emission_history: vec![],
    }
}

macro_rules! hyperparams {
    ($ty:ident, $s:expr, { $($extra:ident: $value:expr),* }) => {{
        let h = &$s.hyper;
        $ty {
            rho: h.rho,
            kappa: h.kappa,
            immunity_period: h.immunity_period,
            min_allowed_weights: h.min_allowed_weights,
            max_weights_limit: h.max_weights_limit,
            tempo: h.tempo,
            min_difficulty: h.min_difficulty,
            max_difficulty: h.max_difficulty,
            weights_version: h.weights_version,
            weights_rate_limit: h.weights_rate_limit,
            adjustment_interval: h.adjustment_interval,
            activity_cutoff: h.activity_cutoff,
            registration_allowed: h.registration_allowed,
            target_regs_per_interval: h.target_regs_per_interval,
            min_burn: h.min_burn,
            max_burn: h.max_burn,
            bonds_moving_avg: h.bonds_moving_avg,
            max_regs_per_block: h.max_regs_per_block,
            serving_rate_limit: h.serving_rate_limit,
            max_validators: h.max_validators,
            adjustment_alpha: h.adjustment_alpha,
            difficulty: h.difficulty,
            commit_reveal_period: h.commit_reveal_period,
            commit_reveal_weights_enabled: h.commit_reveal_weights_enabled,
            alpha_high: h.alpha_high,
            alpha_low: h.alpha_low,
            liquid_alpha_enabled: h.liquid_alpha_enabled,
            $($extra: $value,)*
        }
    }};
}

fn hyperparams_v1(s: &Subnet) -> SubnetHyperparams {
    hyperparams!(SubnetHyperparams, s, {})
}

fn hyperparams_v2(s: &Subnet) -> SubnetHyperparamsV2 {
    let h = &s.hyper;
    hyperparams!(SubnetHyperparamsV2, s, {
        alpha_sigmoid_steepness: FixedI64::from_bits(h.alpha_sigmoid_steepness),
        yuma_version: h.yuma_version,
        subnet_is_active: h.subnet_is_active,
        transfers_enabled: h.transfers_enabled,
        bonds_reset_enabled: h.bonds_reset_enabled,
        user_liquidity_enabled: h.user_liquidity_enabled
    })
}

fn hyperparams_v3(s: &Subnet) -> Vec<HyperparamEntry> {
    use HyperparamValue::{Bool, I32F32, TaoBalance, U16, U32, U64, U64F64};
    let h = &s.hyper;
    let activity_cutoff_factor = u32::from(h.activity_cutoff) * 1000 / u32::from(h.tempo.max(1));
    let entries = [
        ("kappa", U16(h.kappa)),
        ("immunity_period", U16(h.immunity_period)),
        ("min_allowed_weights", U16(h.min_allowed_weights)),
        ("max_weights_limit", U16(h.max_weights_limit)),
        ("tempo", U16(h.tempo)),
        ("weights_version", U64(h.weights_version)),
        ("weights_rate_limit", U64(h.weights_rate_limit)),
        ("activity_cutoff", U64(u64::from(h.activity_cutoff))),
        ("activity_cutoff_factor", U32(activity_cutoff_factor)),
        ("registration_allowed", Bool(h.registration_allowed)),
        ("target_regs_per_interval", U16(h.target_regs_per_interval)),
        ("min_burn", TaoBalance(h.min_burn)),
        ("max_burn", TaoBalance(h.max_burn)),
        ("burn_half_life", U16(360)),
        ("burn_increase_mult", U64F64(FixedU128::from_bits(2 << 64))),
        ("bonds_moving_avg", U64(h.bonds_moving_avg)),
        ("max_regs_per_block", U16(h.max_regs_per_block)),
        ("serving_rate_limit", U64(h.serving_rate_limit)),
        ("max_validators", U16(h.max_validators)),
        ("commit_reveal_period", U64(h.commit_reveal_period)),
        ("commit_reveal_weights_enabled", Bool(h.commit_reveal_weights_enabled)),
        ("alpha_high", U16(h.alpha_high)),
        ("alpha_low", U16(h.alpha_low)),
        ("liquid_alpha_enabled", Bool(h.liquid_alpha_enabled)),
        ("alpha_sigmoid_steepness", I32F32(FixedI64::from_bits(h.alpha_sigmoid_steepness))),
        ("yuma_version", U16(h.yuma_version)),
        ("subnet_is_active", Bool(h.subnet_is_active)),
        ("transfers_enabled", Bool(h.transfers_enabled)),
        ("bonds_reset_enabled", Bool(h.bonds_reset_enabled)),
        ("user_liquidity_enabled", Bool(h.user_liquidity_enabled)),
    ];
    entries
        .into_iter()
        .map(|(name, value)| HyperparamEntry { name: name.as_bytes().to_vec(), value })
        .collect()
}

fn compact_bytes(text: &str) -> Vec<Compact<u8>> {
    text.bytes().map(Compact).collect()
}

fn metagraph(s: &Subnet, world: &World, block: u64) -> Metagraph<AccountId32> {
    let h = &s.hyper;
    let tao_weight = world.tao_weight;
    let since = s.blocks_since_last_step(world.epoch_rule, block);
    Metagraph {
        netuid: s.netuid,
        name: compact_bytes(&s.name),
        symbol: compact_bytes(&s.symbol),
        identity: Some(SubnetIdentityV3 {
            subnet_name: s.name.as_bytes().to_vec(),
            description: format!("Devnet subnet {}", s.netuid).into_bytes(),
            ..Default::default()
        }),
        network_registered_at: s.registered_at,
        owner_hotkey: s.owner_hotkey,
        owner_coldkey: s.owner_coldkey,
        block,
        tempo: h.tempo,
        last_step: block - since,
        blocks_since_last_step: since,
        subnet_emission: 0,
        alpha_in: s.alpha_in,
        alpha_out: s.alpha_out,
        tao_in: s.tao_in,
        alpha_out_emission: 0,
        alpha_in_emission: 0,
        tao_in_emission: 0,
        pending_alpha_emission: 0,
        pending_root_emission: 0,
        subnet_volume: 0,
        moving_price: FixedI128::from_bits(s.moving_price),
        rho: h.rho,
        kappa: h.kappa,
        min_allowed_weights: h.min_allowed_weights,
        max_weights_limit: h.max_weights_limit,
        weights_version: h.weights_version,
        weights_rate_limit: h.weights_rate_limit,
        activity_cutoff: h.activity_cutoff,
        max_validators: h.max_validators,
        num_uids: s.neurons.len() as u16,
        max_uids: h.max_uids,
        burn: h.burn,
        difficulty: h.difficulty,
        registration_allowed: h.registration_allowed,
        pow_registration_allowed: false,
        immunity_period: h.immunity_period,
        min_difficulty: h.min_difficulty,
        max_difficulty: h.max_difficulty,
        min_burn: h.min_burn,
        max_burn: h.max_burn,
        adjustment_alpha: h.adjustment_alpha,
        adjustment_interval: h.adjustment_interval,
        target_regs_per_interval: h.target_regs_per_interval,
        max_regs_per_block: h.max_regs_per_block,
        serving_rate_limit: h.serving_rate_limit,
        commit_reveal_weights_enabled: h.commit_reveal_weights_enabled,
        commit_reveal_period: h.commit_reveal_period,
        liquid_alpha_enabled: h.liquid_alpha_enabled,
        alpha_high: h.alpha_high,
        alpha_low: h.alpha_low,
        bonds_moving_avg: h.bonds_moving_avg,
        hotkeys: col(s, |n| n.hotkey),
        coldkeys: col(s, |n| n.coldkey),
        identities: col(s, |_| None),
        axons: col(s, axon),
        active: col(s, |n| n.active),
        validator_permit: col(s, |n| n.validator_permit),
        pruning_score: vec![],
        last_update: col(s, |n| Compact(n.last_update)),
        emission: col(s, |n| Compact(n.emission)),
        dividends: col(s, |n| Compact(n.dividends)),
        incentives: col(s, |n| Compact(n.incentive)),
        consensus: col(s, |n| Compact(n.consensus)),
        trust: vec![],
        rank: vec![],
        block_at_registration: col(s, |n| Compact(n.block_at_registration)),
        alpha_stake: col(s, |n| Compact(n.alpha_stake)),
        tao_stake: col(s, |n| Compact(n.tao_stake)),
        total_stake: col(s, |n| Compact(Subnet::total_stake(n, tao_weight))),
        tao_dividends_per_hotkey: col(s, |n| (n.hotkey, Compact(0))),
        alpha_dividends_per_hotkey: col(s, |n| (n.hotkey, Compact(n.emission / 2))),
    }
}
