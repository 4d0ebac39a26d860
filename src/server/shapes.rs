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

/// Identity name → netuid.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Identities {
    /// The configured identities.
    pub identities: BTreeMap<String, u16>,
}
