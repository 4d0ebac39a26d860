//! Transaction admission: decodes a signed extrinsic with the devnet's own types, checks its
//! signature, era and nonce as the runtime would, and runs subtensor's pool-time guards
//! (JSON-RPC 1010 `Custom error: N` rejections). The queues it admits into are in
//! [`crate::queue`].

use parity_scale_codec::{Compact, Decode, Encode};
use sp_core::Pair as _;
use sp_core::sr25519::{Public, Signature};
use sp_crypto_hashing::blake2_256;

use super::chain::Chain;
use super::mirror::frame_metadata_hash_extension::Mode;
use super::mirror::node_subtensor_runtime::{Address, RuntimeCall};
use super::mirror::pallet_subtensor::pallet::Call as SubtensorCall;
use super::mirror::primitive_types::H256;
use super::mirror::sp_core::crypto::AccountId32;
use super::mirror::sp_runtime::MultiSignature;
use super::mirror::sp_runtime::generic::era::Era;
use super::mirror::sp_runtime::multiaddress::MultiAddress;

/// A signed extrinsic the pool accepted.
#[derive(Clone, Debug)]
pub struct Submitted {
    /// blake2_256 of the encoded extrinsic (what clients call the transaction hash).
    pub hash: H256,
    /// The encoded extrinsic, with its length prefix, as it goes into a block.
    pub bytes: Vec<u8>,
    /// The signer (a hotkey).
    pub signer: AccountId32,
    /// Its nonce.
    pub nonce: u32,
    /// Its tip, in rao.
    pub tip: u64,
    /// The block its mortal era ends at (`None`: immortal).
    pub death: Option<u64>,
    /// The call.
    pub call: RuntimeCall,
}

/// Why the pool refused an extrinsic; each maps to the node's JSON-RPC error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Not decodable as an extrinsic (1001).
    #[error("Extrinsic has invalid format: {0}")]
    BadFormat(String),
    /// An `InvalidTransaction` with the runtime's text (1010).
    #[error("Invalid Transaction: {0}")]
    Invalid(&'static str),
    /// A subtensor guard rejection (1010, `Custom error: N`).
    #[error("Invalid Transaction: Custom error: {0}")]
    Custom(u8),
    /// A nonce already used by a pending transaction (1014). Subtensor gives every Normal-class
    /// call priority 1 whatever its tip (its `ChargeTransactionPaymentWrapper`), so a same-nonce
    /// transaction never replaces a pending one: the node says `(1 vs 1)`.
    #[error("Priority is too low: (1 vs 1)")]
    PriorityTooLow,
    /// The same transaction is already in the pool (1013).
    #[error("Transaction Already Imported")]
    AlreadyImported(H256),
    /// A call the devnet does not execute (1010).
    #[error("Invalid Transaction: the devnet does not execute {0}")]
    Unsupported(String),
}

impl PoolError {
    /// The JSON-RPC code, message and data a node sends.
    pub fn rpc(&self) -> (i32, String, Option<String>) {
        match self {
            PoolError::BadFormat(detail) => {
                (1001, "Extrinsic has invalid format".into(), Some(detail.clone()))
            }
            PoolError::Invalid(text) => (1010, "Invalid Transaction".into(), Some((*text).into())),
            PoolError::Custom(n) => {
                (1010, "Invalid Transaction".into(), Some(format!("Custom error: {n}")))
            }
            PoolError::PriorityTooLow => (
                1014,
                "Priority is too low: (1 vs 1)".into(),
                Some(
                    "The transaction has too low priority to replace another transaction \
                     already in the pool."
                        .into(),
                ),
            ),
            PoolError::AlreadyImported(hash) => {
                (1013, "Transaction Already Imported".into(), Some(format!("{hash:?}")))
            }
            PoolError::Unsupported(call) => (
                1010,
                "Invalid Transaction".into(),
                Some(format!("the devnet does not execute {call}")),
            ),
        }
    }
}

/// The block a mortal era was born in and its period, as the runtime computes them.
fn era_birth(first: u8, second: u8, current: u64) -> (u64, u64) {
    let encoded = u64::from(first) | (u64::from(second) << 8);
    let period = 2u64 << (encoded % (1 << 4));
    let quantize_factor = (period >> 12).max(1);
    let phase = (encoded >> 4) * quantize_factor;
    ((current.max(phase) - phase) / period * period + phase, period)
}

/// A decoded extrinsic.
pub struct Decoded<'a> {
    /// The signer, signature, era, nonce, tip, metadata-hash mode and the encoded extension
    /// data, for a signed extrinsic.
    pub signed: Option<Signed<'a>>,
    /// The call's encoding.
    pub call_bytes: &'a [u8],
    /// The call.
    pub call: RuntimeCall,
}

/// What a signed extrinsic carries besides its call.
pub struct Signed<'a> {
    /// The signer (a hotkey).
    pub signer: AccountId32,
    /// The sr25519 signature.
    pub signature: [u8; 64],
    /// The mortality.
    pub era: Era,
    /// The nonce.
    pub nonce: u32,
    /// The tip, in rao.
    pub tip: u64,
    /// `CheckMetadataHash`'s mode.
    pub mode: Mode,
    /// The encoded extension data (what the signature covers after the call).
    pub extra: &'a [u8],
}

/// Decodes `bytes`, an encoded extrinsic with its length prefix (v4, signed or bare), with the
/// devnet's types.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, PoolError> {
    let bad = |e: &dyn std::fmt::Display| PoolError::BadFormat(e.to_string());
    let mut input = bytes;
    let len = Compact::<u32>::decode(&mut input).map_err(|e| bad(&e))?.0 as usize;
    if len != input.len() {
        return Err(PoolError::BadFormat(format!(
            "length prefix {len} but {} bytes follow",
            input.len()
        )));
    }
    let version = u8::decode(&mut input).map_err(|e| bad(&e))?;
    let signed = match version {
        0x04 => None,
        0x84 => {
            let MultiAddress::Id(signer) = Address::decode(&mut input).map_err(|e| bad(&e))? else {
                return Err(PoolError::Invalid("Invalid signing address"));
            };
            let MultiSignature::Sr25519(signature) =
                MultiSignature::decode(&mut input).map_err(|e| bad(&e))?
            else {
                return Err(PoolError::Invalid("Transaction has a bad signature"));
            };
            let extra_start = input;
            let era = Era::decode(&mut input).map_err(|e| bad(&e))?;
            let nonce = Compact::<u32>::decode(&mut input).map_err(|e| bad(&e))?.0;
            let tip = Compact::<u64>::decode(&mut input).map_err(|e| bad(&e))?.0;
            let mode = Mode::decode(&mut input).map_err(|e| bad(&e))?;
            let extra = &extra_start[..extra_start.len() - input.len()];
            Some(Signed { signer, signature, era, nonce, tip, mode, extra })
        }
        other => {
            return Err(PoolError::BadFormat(format!(
                "unsupported extrinsic version byte 0x{other:02x}"
            )));
        }
    };
    let call_bytes = input;
    let call = RuntimeCall::decode(&mut input).map_err(|e| bad(&e))?;
    if !input.is_empty() {
        return Err(PoolError::BadFormat(format!("{} bytes after the call", input.len())));
    }
    Ok(Decoded { signed, call_bytes, call })
}

/// Decodes and checks `bytes` (an encoded extrinsic with its length prefix) against the best
/// block of `chain`; `pooled` says whether the signer has a transaction with a nonce pooled.
pub fn admit(
    chain: &Chain,
    bytes: &[u8],
    pooled: impl Fn(&AccountId32, u32) -> bool,
) -> Result<Submitted, PoolError> {
    let Decoded { signed, call_bytes, call } = decode(bytes)?;
    let Some(Signed { signer, signature, era, nonce, tip, mode, extra }) = signed else {
        return Err(PoolError::Invalid("Transaction call is not expected"));
    };
    let best = chain.best();
    let (checkpoint, death) = match era {
        Era::Immortal => (chain.genesis().hash, None),
        Era::Mortal(a, b) => {
            let (birth, period) = era_birth(a, b, u64::from(best.number));
            let born = chain
                .by_number(birth)
                .ok_or(PoolError::Invalid("Transaction has an ancient birth block"))?;
            (born.hash, Some(birth + period))
        }
    };
    if matches!(mode, Mode::Enabled) {
        return Err(PoolError::Invalid("Transaction has a bad signature"));
    }
    let runtime = chain.runtime();
    let version = &runtime.version;
    let mut payload = call_bytes.to_vec();
    payload.extend_from_slice(extra);
    (
        version.spec_version,
        version.transaction_version,
        chain.genesis().hash,
        checkpoint,
        None::<[u8; 32]>,
    )
        .encode_to(&mut payload);
    if payload.len() > 256 {
        payload = blake2_256(&payload).to_vec();
    }
    if !sp_core::sr25519::Pair::verify(
        &Signature::from_raw(signature),
        &payload,
        &Public::from_raw(signer.0),
    ) {
        return Err(PoolError::Invalid("Transaction has a bad signature"));
    }
    if nonce < best.world.nonce(&signer) {
        return Err(PoolError::Invalid("Transaction is outdated"));
    }
    // The same nonce as a pooled transaction: ready or future, the devnet refuses it (a node
    // would queue a second future one beside the first and drop one of them when they become
    // ready). A higher nonce is admitted; it waits in the future queue (`crate::queue::Pool`).
    if pooled(&signer, nonce) {
        return Err(PoolError::PriorityTooLow);
    }
    validate(&best.world, u64::from(best.number) + 1, &signer, &call)?;
    let hash = H256(blake2_256(bytes));
    Ok(Submitted { hash, bytes: bytes.to_vec(), signer, nonce, tip, death, call })
}

/// Subtensor's transaction-extension checks of `call` by `signer` in block `now`, over `world`
/// (the state it would run on). The runtime runs them when a transaction enters the pool and
/// again when a block applies it: one that passed at admission can fail in the block, after
/// another transaction changed the state (e.g. a second `set_weights` inside the rate limit).
/// A call the devnet does not execute is refused here too.
pub fn validate(
    world: &super::state::World,
    now: u64,
    signer: &AccountId32,
    call: &RuntimeCall,
) -> Result<(), PoolError> {
    let registered = |netuid: u16| {
        world.subnets.get(&netuid).and_then(|s| {
            s.neurons.iter().find(|n| n.hotkey == *signer).map(|n| (s.clone(), n.uid))
        })
    };
    match call {
        RuntimeCall::SubtensorModule(
            SubtensorCall::set_weights { netuid, .. }
            | SubtensorCall::set_mechanism_weights { netuid, .. },
        ) => {
            let (subnet, uid) = registered(*netuid).ok_or(PoolError::Custom(10))?;
            let last = subnet.neurons[usize::from(uid)].last_update;
            if !subnet.hyper.commit_reveal_weights_enabled
                && last != 0
                && now.saturating_sub(last) < subnet.hyper.weights_rate_limit
            {
                return Err(PoolError::Custom(6));
            }
            Ok(())
        }
        RuntimeCall::SubtensorModule(
            SubtensorCall::commit_timelocked_weights { netuid, reveal_round, .. }
            | SubtensorCall::commit_timelocked_mechanism_weights { netuid, reveal_round, .. },
        ) => {
            registered(*netuid).ok_or(PoolError::Custom(10))?;
            if *reveal_round < world.last_stored_round {
                return Err(PoolError::Custom(15));
            }
            Ok(())
        }
        RuntimeCall::SubtensorModule(
            call @ (SubtensorCall::serve_axon { netuid, .. }
            | SubtensorCall::serve_axon_tls { netuid, .. }),
        ) => {
            let (subnet, uid) = registered(*netuid).ok_or(PoolError::Custom(10))?;
            let axon = super::dispatch::served_axon(call, now).ok_or(PoolError::Custom(255))?;
            let last = subnet.neurons[usize::from(uid)].axon.as_ref().map_or(0, |a| a.block);
            super::dispatch::serve_check(&axon, last, subnet.hyper.serving_rate_limit, now).map_err(
                |e| match e {
                    "ServingRateLimitExceeded" => PoolError::Custom(12),
                    "InvalidPort" => PoolError::Custom(13),
                    _ => PoolError::Custom(11),
                },
            )
        }
        RuntimeCall::Commitments(_) | RuntimeCall::System(_) => Ok(()),
        RuntimeCall::SubtensorModule(other) => {
            Err(PoolError::Unsupported(format!("SubtensorModule.{}", variant(other))))
        }
        RuntimeCall::Timestamp(_) => Err(PoolError::Invalid("Transaction call is not expected")),
    }
}

fn variant(call: &SubtensorCall<super::mirror::node_subtensor_runtime::Runtime>) -> String {
    let debug = format!("{call:?}");
    debug.split([' ', '{', '(']).next().unwrap_or("call").to_string()
}
