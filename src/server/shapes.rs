//! Response shapes of the unstable API and of identities (the v1 shapes are the chain types).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain::types::{Block, RevealedCommitment};

/// A commitment in the unstable API's tagged shape.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaggedCommitment {
    /// `hex_data`, or `timelock_encrypted` for one the chain has not revealed yet.
    #[schema(value_type = String, pattern = "^(hex_data|timelock_encrypted)$")]
    pub kind: &'static str,
    /// The block the commitment was set at.
    pub commitment_block_number: u64,
    /// The hotkey.
    pub hotkey: String,
    /// 0x-hex data (for a timelocked commitment, the encrypted bytes).
    pub commitment: String,
    /// Timelocked only: the drand round that reveals it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reveal_round: Option<u64>,
}

/// All commitments of a subnet, unstable shape.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UnstableCommitments {
    /// The block read.
    pub block: Block,
    /// Hotkey → commitment.
    pub commitments: BTreeMap<String, TaggedCommitment>,
}

/// One commitment, unstable shape.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UnstableCommitment {
    /// The block read.
    pub block: Block,
    /// The commitment.
    pub commitment: TaggedCommitment,
}

/// Revealed commitments of a subnet by hotkey.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevealedByHotkey {
    /// The block read.
    pub block: Block,
    /// Hotkey → its revealed commitments.
    pub commitments: BTreeMap<String, Vec<RevealedCommitment>>,
}

/// `GET /health`: the gateway's state and its main node's.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` (then HTTP 503 and `reason` says why).
    pub status: &'static str,
    /// Why the gateway is unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The main node, as the finalized-head follower sees it.
    pub chain: HealthChain,
}

/// The main node as `/health` reports it (from the head follower, without a node call).
#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthChain {
    /// The node's URL (without credentials or query).
    pub url: String,
    /// Whether finalized heads arrive (the last one within three block times).
    pub connected: bool,
    /// The last finalized head received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finalized_block: Option<u64>,
    /// Seconds since it arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_age_seconds: Option<f64>,
    /// The genesis hash of the chain served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genesis: Option<String>,
}

/// Identity name → netuid.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Identities {
    /// The configured identities.
    pub identities: BTreeMap<String, u16>,
}

/// `PUT .../weights` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WeightsScheduled {
    /// `weights update scheduled`.
    pub detail: String,
    /// How many weights were given.
    pub count: usize,
}

/// An answer with only a `detail`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Detail {
    /// What happened.
    pub detail: String,
}

/// `POST .../certificates/self` answer: the new keypair (keep the private key secret).
#[derive(Serialize, utoipa::ToSchema)]
pub struct CertificateKeypair {
    /// 1 = Ed25519.
    pub algorithm: u8,
    /// The public key (now on chain), hex without `0x`.
    pub public_key: String,
    /// The private key (the Ed25519 seed), hex without `0x`.
    pub private_key: String,
}

/// `GET .../weights/status` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WeightsStatus {
    /// Whether a weights job of the identity is running or succeeded in that block's epoch.
    pub weights_submitted: bool,
}

/// `POST .../commitments/revealed` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevealRound {
    /// The drand round whose pulse reveals the commitment.
    pub reveal_round: u64,
}

/// A decoded extrinsic, in the JSON form of scalecodec (the decoder the Python service uses).
/// Documentation only: the answer is rendered by `chain::extrinsic`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct Extrinsic {
    /// The block.
    block_number: u64,
    /// The index in the block.
    extrinsic_index: u32,
    /// `0x` + blake2-256 of the extrinsic's bytes (length prefix included).
    extrinsic_hash: String,
    /// The length prefix: the extrinsic's size in bytes without it.
    extrinsic_length: u32,
    /// The signer's account id (`0x` + 64 hex); `null` for unsigned extrinsics.
    address: Option<String>,
    /// The call.
    call: ExtrinsicCall,
    /// Signed only: the signature, e.g. `{"Sr25519": "0x…"}`.
    signature: Option<serde_json::Value>,
    /// Signed only: `"00"` (immortal) or `[period, phase]`.
    era: Option<serde_json::Value>,
    /// Signed only: the signer's nonce.
    nonce: Option<u64>,
    /// Signed only: the tip in rao.
    tip: Option<u64>,
    /// Signed only: the metadata hash mode, e.g. `{"mode": "Disabled"}`.
    mode: Option<serde_json::Value>,
}

/// The call of an extrinsic.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct ExtrinsicCall {
    /// The pallet.
    call_module: String,
    /// The call.
    call_function: String,
    /// The arguments in order.
    call_args: Vec<ExtrinsicCallArg>,
    /// `0x` + pallet index + call index, two hex digits each.
    call_index: String,
    /// `0x` + blake2-256 of the call's bytes.
    call_hash: String,
}

/// One argument of a call.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct ExtrinsicCallArg {
    /// The name.
    name: String,
    /// The metadata's type name, as scalecodec shows it (`T::Moment` → `Moment`).
    #[schema(rename = "type")]
    type_name: String,
    /// The value: numbers, `0x` hex or text, lists, `{variant: value}` objects.
    value: serde_json::Value,
}
