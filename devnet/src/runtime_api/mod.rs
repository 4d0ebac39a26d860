//! The runtime APIs the devnet answers through `state_call`, computed from the typed state.

mod hyperparams;
mod neurons;
mod subnets;

use std::sync::Arc;

use parity_scale_codec::{Decode, Encode};

use super::metadata::{self, EncodedMetadata, RuntimeFlavor, VERSIONS};
use super::mirror::sp_core::{OpaqueMetadata, crypto::AccountId32};
use super::mirror::sp_version::RuntimeVersion;
use super::mirror::sp_weights::weight_v2::Weight;
use super::state::{Subnet, World};

/// Why a runtime call failed; the RPC layer turns these into the node's error texts.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CallError {
    /// The runtime has no such API method.
    #[error("Exported method {0} is not found")]
    UnknownMethod(String),
    /// The computation failed (a devnet bug); the node reports it instead of hanging.
    #[error("Execution failed: the runtime panicked: {0}")]
    Panicked(String),
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
#[derive(Clone)]
pub struct Runtime {
    /// The version `Core_version` and `state_getRuntimeVersion` report.
    pub version: RuntimeVersion,
    /// The served metadata (shared by the runtimes an upgrade derives from this one).
    pub metadata: Arc<EncodedMetadata>,
    /// Which runtime this is.
    pub flavor: RuntimeFlavor,
    /// The `Api_method` names it answers.
    methods: std::collections::BTreeSet<String>,
    /// The slot (block) duration in milliseconds.
    pub slot_ms: u64,
}

impl Runtime {
    /// The devnet runtime of the current flavor with finney's 12-second slots.
    pub fn new() -> Self {
        Self::with_flavor(RuntimeFlavor::Current, metadata::FINNEY_SLOT_MS)
    }

    /// The devnet runtime `node-subtensor` of `flavor` on a chain with `slot_ms` blocks, with
    /// freshly built metadata.
    pub fn with_flavor(flavor: RuntimeFlavor, slot_ms: u64) -> Self {
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
            metadata: Arc::new(EncodedMetadata::build(flavor, slot_ms)),
            slot_ms,
            methods: metadata::method_names(flavor),
            flavor,
        }
    }

    /// This runtime after an upgrade to `spec_version`, as when a chain enacts a new build of its
    /// runtime: the same APIs and metadata, or those of `flavor` when given (an upgrade may add
    /// runtime APIs or drop them).
    pub fn upgraded(&self, spec_version: u32, flavor: Option<RuntimeFlavor>) -> Self {
        let mut next = match flavor {
            Some(flavor) if flavor != self.flavor => Self::with_flavor(flavor, self.slot_ms),
            _ => self.clone(),
        };
        next.version.spec_version = spec_version;
        next
    }

    /// The hash of the runtime's code, as `:code` would give it: it differs between runtimes
    /// (metadata or version), so it is part of every block's state root.
    pub fn code_hash(&self) -> [u8; 32] {
        use parity_scale_codec::Encode as _;
        sp_crypto_hashing::blake2_256(&(&self.metadata.v15, self.version.spec_version).encode())
    }

    /// Whether this runtime has the `Api_method` runtime call.
    pub fn knows(&self, method: &str) -> bool {
        self.methods.contains(method)
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("spec_version", &self.version.spec_version)
            .field("flavor", &self.flavor)
            .finish_non_exhaustive()
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
    // Before the per-state cache: blocks on both sides of an upgrade that drops a method may
    // share one state.
    if !runtime.knows(method) {
        return Err(CallError::UnknownMethod(method.to_string()));
    }
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
                .map(|s| s.neurons.iter().map(|n| neurons::lite(s, n)).collect::<Vec<_>>())
                .unwrap_or_default()
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neuron_lite" => {
            let (netuid, uid): (u16, u16) = args(method, input)?;
            subnet(netuid)
                .and_then(|s| s.neurons.get(usize::from(uid)).map(|n| neurons::lite(s, n)))
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neurons" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid)
                .map(|s| s.neurons.iter().map(|n| neurons::full(s, n)).collect::<Vec<_>>())
                .unwrap_or_default()
                .encode()
        }
        "NeuronInfoRuntimeApi_get_neuron" => {
            let (netuid, uid): (u16, u16) = args(method, input)?;
            subnet(netuid)
                .and_then(|s| s.neurons.get(usize::from(uid)).map(|n| neurons::full(s, n)))
                .encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams::v1).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams::v2).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(hyperparams::v3).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_state" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| neurons::subnet_state(s, world.tao_weight)).encode()
        }
        "SubnetInfoRuntimeApi_get_metagraph" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| subnets::metagraph(s, world, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_next_epoch_start_block" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).and_then(|s| s.next_epoch_start(world.epoch_rule, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_all_metagraphs" | "SubnetInfoRuntimeApi_get_all_mechagraphs" => {
            args::<()>(method, input)?;
            let all: Vec<_> =
                world.subnets.values().map(|s| Some(subnets::metagraph(s, world, block))).collect();
            all.encode()
        }
        "SubnetInfoRuntimeApi_get_mechagraph" => {
            let (netuid, mechanism): (u16, u8) = args(method, input)?;
            let s = subnet(netuid).filter(|_| mechanism == 0);
            s.map(|s| subnets::metagraph(s, world, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_selective_metagraph" => {
            let (netuid, wanted): (u16, Vec<u16>) = args(method, input)?;
            subnet(netuid).map(|s| subnets::selective(s, world, block, &wanted)).encode()
        }
        "SubnetInfoRuntimeApi_get_selective_mechagraph" => {
            let (netuid, mechanism, wanted): (u16, u8, Vec<u16>) = args(method, input)?;
            let s = subnet(netuid).filter(|_| mechanism == 0);
            s.map(|s| subnets::selective(s, world, block, &wanted)).encode()
        }
        "SubnetInfoRuntimeApi_get_dynamic_info" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| subnets::dynamic_info(s, world, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_all_dynamic_info" => {
            args::<()>(method, input)?;
            let all: Vec<_> = world
                .subnets
                .values()
                .map(|s| Some(subnets::dynamic_info(s, world, block)))
                .collect();
            all.encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_info_v2" => {
            let netuid: u16 = args(method, input)?;
            subnet(netuid).map(|s| subnets::subnet_info_v2(s, world, block)).encode()
        }
        "SubnetInfoRuntimeApi_get_subnets_info_v2" => {
            args::<()>(method, input)?;
            let all: Vec<_> = world
                .subnets
                .values()
                .map(|s| Some(subnets::subnet_info_v2(s, world, block)))
                .collect();
            all.encode()
        }
        "DelegateInfoRuntimeApi_get_delegates" => {
            args::<()>(method, input)?;
            subnets::delegates(world).encode()
        }
        "DelegateInfoRuntimeApi_get_delegate" => {
            let hotkey: AccountId32 = args(method, input)?;
            subnets::delegate(world, &hotkey).encode()
        }
        "SwapRuntimeApi_current_alpha_price" => {
            let netuid: u16 = args(method, input)?;
            // Root (and unknown subnets) trade at par, as the swap pallet answers.
            subnet(netuid).map_or(1_000_000_000, Subnet::alpha_price).encode()
        }
        "DelegateInfoRuntimeApi_get_delegated" => {
            let coldkey: AccountId32 = args(method, input)?;
            subnets::delegated(world, &coldkey).encode()
        }
        "SubnetRegistrationRuntimeApi_get_network_registration_cost" => {
            args::<()>(method, input)?;
            subnets::NETWORK_LOCK_COST.encode()
        }
        "SwapRuntimeApi_sim_swap_tao_for_alpha" => {
            let (netuid, tao): (u16, u64) = args(method, input)?;
            subnets::sim_swap(subnet(netuid), tao, true).encode()
        }
        "SwapRuntimeApi_sim_swap_alpha_for_tao" => {
            let (netuid, alpha): (u16, u64) = args(method, input)?;
            subnets::sim_swap(subnet(netuid), alpha, false).encode()
        }
        "SwapRuntimeApi_current_alpha_price_all" => {
            args::<()>(method, input)?;
            subnets::prices(world).encode()
        }
        "AuraApi_slot_duration" => {
            args::<()>(method, input)?;
            crate::mirror::sp_consensus_slots::SlotDuration(runtime.slot_ms).encode()
        }
        other => return Err(CallError::UnknownMethod(other.to_string())),
    })
}
