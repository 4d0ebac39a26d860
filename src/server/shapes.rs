//! Response shapes of the unstable API and of identities (the v1 shapes are the chain types).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain::types::{Block, RevealedCommitment};

/// A hex-data commitment in the unstable API's tagged shape.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaggedCommitment {
    /// Always `hex_data` (timelocked commitments are served under `revealed`).
    pub kind: &'static str,
    /// The block the commitment was set at.
    pub commitment_block_number: u64,
    /// The hotkey.
    pub hotkey: String,
    /// 0x-hex data.
    pub commitment: String,
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
    /// `ok`, or what is wrong.
    pub status: String,
    /// The main node.
    pub chain: HealthChain,
}

/// The main node as `/health` reports it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthChain {
    /// The node's URL (without credentials or query).
    pub url: String,
    /// Whether it answered.
    pub connected: bool,
    /// The finalized head it reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finalized_block: Option<u64>,
    /// Why it did not answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Identity name → netuid.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Identities {
    /// The configured identities.
    pub identities: BTreeMap<String, u16>,
}

/// `PUT .../weights` body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SetWeightsBody {
    /// Hotkey → weight (numbers ≥ 0; numeric strings are accepted).
    pub weights: BTreeMap<String, f64>,
}

/// `PUT .../weights` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WeightsScheduled {
    /// `weights update scheduled`.
    pub detail: String,
    /// How many weights were given.
    pub count: usize,
}

/// `POST .../commitments` body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SetCommitmentBody {
    /// Hex data, `0x` optional, 1 to 512 bytes.
    pub commitment: String,
}

/// An answer with only a `detail`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Detail {
    /// What happened.
    pub detail: String,
}

/// `POST .../certificates/self` body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CertificateRequest {
    /// 1 (Ed25519), the default and only supported value.
    pub algorithm: Option<u8>,
}

/// `POST .../certificates/self` answer: the new keypair (keep the private key secret).
#[derive(Serialize, utoipa::ToSchema)]
pub struct CertificateKeypair {
    /// 1 = Ed25519.
    pub algorithm: u8,
    /// 0x-hex public key (now on chain).
    pub public_key: String,
    /// 0x-hex private key (seed).
    pub private_key: String,
}

/// `GET .../weights/status` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WeightsStatus {
    /// Whether a weights job of the identity is running or succeeded in that block's epoch.
    pub weights_submitted: bool,
}

/// `POST /api/_unstable/.../commitments/revealed` body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SetRevealedCommitmentBody {
    /// The text to commit (revealed as is).
    pub commitment: String,
    /// Blocks until the chain reveals it (default 360).
    pub blocks_until_reveal: Option<u64>,
}

/// `POST .../commitments/revealed` answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevealRound {
    /// The drand round whose pulse reveals the commitment.
    pub reveal_round: u64,
}
