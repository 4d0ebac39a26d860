//! What the reads return, shaped exactly like the Python Pylon's JSON (balances in tokens as
//! floats, ratios 0..1, addresses SS58), and the structs runtime answers decode into by field
//! name (extra fields the runtime adds are ignored; compact or `PerU16`-wrapped numbers decode
//! into plain integers).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use scale_decode::DecodeAsType;
use serde::{Serialize, Serializer, ser::SerializeMap};

/// rao per token.
pub const RAO_PER_TOKEN: f64 = 1e9;

/// A block: number and hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Block {
    /// The number.
    pub number: u64,
    /// The 0x-prefixed hash.
    pub hash: String,
}

/// A block with its timestamp.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BlockInfo {
    /// The number.
    pub number: u64,
    /// The 0x-prefixed hash.
    pub hash: String,
    /// `Timestamp.Now` in unix seconds.
    pub timestamp: u64,
}

/// A neuron's axon endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AxonInfo {
    /// IPv4 or IPv6 text; `0.0.0.0` when not serving.
    pub ip: String,
    /// Port.
    pub port: u16,
    /// 0 TCP, 1 UDP, 4 HTTP.
    pub protocol: u8,
}

/// Stake of a neuron's hotkey on the subnet, in tokens.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Stakes {
    /// Alpha stake.
    pub alpha: f64,
    /// TAO (root) stake.
    pub tao: f64,
    /// Alpha + TAO × tao weight.
    pub total: f64,
}

/// A neuron, with exactly the 17 keys the Python Pylon serves (ratios are u16 / 65535,
/// balances rao / 1e9; the field names are the wire names).
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Neuron {
    pub uid: u16,
    pub coldkey: String,
    pub hotkey: String,
    pub active: bool,
    pub axon_info: AxonInfo,
    /// Alpha stake in tokens (the runtime's single stake entry).
    pub stake: f64,
    pub rank: f64,
    pub emission: f64,
    pub incentive: f64,
    pub consensus: f64,
    pub trust: f64,
    pub validator_trust: f64,
    pub dividends: f64,
    /// The block of the last weights update.
    pub last_update: u64,
    pub validator_permit: bool,
    pub pruning_score: u16,
    pub stakes: Stakes,
}

/// Neurons of a subnet at a block, serialized as `{hotkey: neuron}` in uid order.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SubnetNeurons {
    /// The block read.
    pub block: Block,
    /// The neurons, by uid.
    #[serde(serialize_with = "by_hotkey")]
    #[schema(value_type = BTreeMap<String, Neuron>)]
    pub neurons: Vec<Neuron>,
}

fn by_hotkey<S: Serializer>(neurons: &[Neuron], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(neurons.len()))?;
    for n in neurons {
        map.serialize_entry(&n.hotkey, n)?;
    }
    map.end()
}

/// Validators (neurons with a permit) sorted by total stake, largest first.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SubnetValidators {
    /// The block read.
    pub block: Block,
    /// The validators.
    pub validators: Vec<Neuron>,
}

/// A subnet's hyperparameters: every one the runtime reports, by name.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Hyperparams {
    /// The block read.
    pub block: Block,
    /// The subnet.
    pub netuid: u16,
    /// Which runtime API answered (`get_subnet_hyperparams_v3`, `_v2` or the first version).
    pub source: String,
    /// Name → value (numbers, booleans; fixed-point values as floats).
    #[schema(value_type = BTreeMap<String, Object>)]
    pub hyperparams: BTreeMap<String, serde_json::Value>,
}

/// The hex commitments of a subnet's registered hotkeys.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SubnetCommitments {
    /// The block read.
    pub block: Block,
    /// Hotkey → 0x-hex data.
    pub commitments: BTreeMap<String, String>,
    /// Hotkey → the block its commitment was set at (not part of the v1 JSON).
    #[serde(skip)]
    pub set_at: BTreeMap<String, u64>,
    /// Hotkey → its timelocked commitment (not part of the v1 JSON, which leaves them out).
    #[serde(skip)]
    pub timelocked: BTreeMap<String, Timelocked>,
}

/// A drand-timelocked commitment the chain has not revealed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timelocked {
    /// The block it was set at.
    pub block: u64,
    /// `0x` + the encrypted bytes.
    pub encrypted: String,
    /// The drand round that opens it.
    pub reveal_round: u64,
}

/// One hotkey's commitment.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HotkeyCommitment {
    /// The block read.
    pub block: Block,
    /// The block the commitment was set at.
    pub commitment_block_number: u64,
    /// The hotkey.
    pub hotkey: String,
    /// 0x-hex data (for a timelocked commitment, the encrypted bytes).
    pub commitment: String,
    /// A timelocked commitment's reveal round (v1 answers 404 for those).
    #[serde(skip)]
    pub reveal_round: Option<u64>,
}

/// Revealed commitments at a block.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RevealedCommitments {
    /// The block read.
    pub block: Block,
    /// The revealed commitments.
    pub commitments: Vec<RevealedCommitment>,
}

/// A revealed (timelocked) commitment.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RevealedCommitment {
    /// The block it was revealed at.
    pub reveal_block_number: u64,
    /// The hotkey.
    pub hotkey: String,
    /// The revealed text.
    pub commitment: String,
}

/// A neuron's TLS certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    /// 1 = Ed25519.
    pub algorithm: u8,
    /// The public key in lowercase hex without `0x`, as turbobt and the Python service send it
    /// (and as the client's certificate pinning compares it).
    pub public_key: String,
}

/// On-chain weights of a subnet: validator uid → `(uid, u16 weight)` pairs.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SubnetWeights {
    /// The block read.
    pub block: Block,
    /// The subnet.
    pub netuid: u16,
    /// Setter uid → its weights.
    #[schema(value_type = BTreeMap<String, Vec<Vec<u16>>>)]
    pub weights: BTreeMap<u16, Vec<(u16, u16)>>,
}

// ---- decode targets ----

/// The axon fields a neuron read uses.
#[allow(missing_docs)]
#[derive(Debug, DecodeAsType)]
pub struct AxonRaw {
    pub ip: u128,
    pub port: u16,
    pub ip_type: u8,
    pub protocol: u8,
}

/// The `NeuronInfoLite` fields a neuron read uses, decoded by name (addresses still raw).
#[allow(missing_docs)]
#[derive(Debug, DecodeAsType)]
pub struct NeuronLiteRaw {
    pub hotkey: [u8; 32],
    pub coldkey: [u8; 32],
    pub uid: u16,
    pub active: bool,
    pub axon_info: AxonRaw,
    pub stake: Vec<([u8; 32], u64)>,
    pub rank: u16,
    pub emission: u64,
    pub incentive: u16,
    pub consensus: u16,
    pub trust: u16,
    pub validator_trust: u16,
    pub dividends: u16,
    pub last_update: u64,
    pub validator_permit: bool,
    pub pruning_score: u16,
}

#[derive(Debug, DecodeAsType)]
pub(crate) struct SubnetStateRaw {
    pub alpha_stake: Vec<u64>,
    pub tao_stake: Vec<u64>,
    pub total_stake: Vec<u64>,
}

#[derive(Debug, DecodeAsType)]
pub(crate) struct CertificateRaw {
    pub public_key: Vec<u8>,
    pub algorithm: u8,
}

/// The text form of an axon's address.
pub fn ip_text(ip: u128, ip_type: u8) -> String {
    match ip_type {
        4 => Ipv4Addr::from(ip as u32).to_string(),
        6 => Ipv6Addr::from(ip).to_string(),
        _ => Ipv4Addr::UNSPECIFIED.to_string(),
    }
}

fn ratio(v: u16) -> f64 {
    f64::from(v) / 65535.0
}

fn tokens(rao: u64) -> f64 {
    rao as f64 / RAO_PER_TOKEN
}

impl NeuronLiteRaw {
    /// The served form, with the stake triple from the subnet state (by uid).
    pub(crate) fn into_neuron(self, state: Option<&SubnetStateRaw>) -> Neuron {
        let uid = usize::from(self.uid);
        let pick = |v: Option<&Vec<u64>>| v.and_then(|v| v.get(uid)).copied().map_or(0.0, tokens);
        Neuron {
            uid: self.uid,
            coldkey: crate::ss58::encode(&self.coldkey),
            hotkey: crate::ss58::encode(&self.hotkey),
            active: self.active,
            axon_info: AxonInfo {
                ip: ip_text(self.axon_info.ip, self.axon_info.ip_type),
                port: self.axon_info.port,
                protocol: self.axon_info.protocol,
            },
            stake: self.stake.first().map_or(0.0, |(_, rao)| tokens(*rao)),
            rank: ratio(self.rank),
            emission: tokens(self.emission),
            incentive: ratio(self.incentive),
            consensus: ratio(self.consensus),
            trust: ratio(self.trust),
            validator_trust: ratio(self.validator_trust),
            dividends: ratio(self.dividends),
            last_update: self.last_update,
            validator_permit: self.validator_permit,
            pruning_score: self.pruning_score,
            stakes: Stakes {
                alpha: pick(state.map(|s| &s.alpha_stake)),
                tao: pick(state.map(|s| &s.tao_stake)),
                total: pick(state.map(|s| &s.total_stake)),
            },
        }
    }
}

/// Decodes a SCALE `Vec<NeuronInfoLite>` (type `type_id` of `types`) by field name, as every
/// neurons read does (added fields are ignored, newtype-wrapped numbers accepted), into neurons
/// without the stake triple; SS58 addresses are formatted here.
pub fn decode_neurons_lite(
    bytes: &[u8],
    type_id: u32,
    types: &scale_info::PortableRegistry,
) -> Result<Vec<Neuron>, scale_decode::Error> {
    let raw = Vec::<NeuronLiteRaw>::decode_as_type(&mut &bytes[..], type_id, types)?;
    Ok(raw.into_iter().map(|n| n.into_neuron(None)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parity_scale_codec::Encode;
    use scale_info::{Registry, TypeInfo, meta_type};

    /// Runtimes after June 2026 wrap ratios in `PerU16`; such a field decodes into a `u16`.
    #[test]
    fn a_per_u16_newtype_decodes_as_a_plain_ratio() {
        #[derive(Encode, TypeInfo)]
        struct PerU16(u16);
        #[derive(Encode, TypeInfo)]
        struct Newer {
            dividends: PerU16,
            added_later: u8,
        }
        #[derive(DecodeAsType)]
        struct Wanted {
            dividends: u16,
        }
        let mut registry = Registry::new();
        let id = registry.register_type(&meta_type::<Newer>()).id;
        let types: scale_info::PortableRegistry = registry.into();
        let bytes = Newer { dividends: PerU16(32768), added_later: 1 }.encode();
        let got = Wanted::decode_as_type(&mut &bytes[..], id, &types).expect("decodes");
        assert_eq!(got.dividends, 32768);
    }

    #[test]
    fn axon_addresses_render_as_text() {
        assert_eq!(ip_text(u128::from(u32::from_be_bytes([203, 0, 113, 9])), 4), "203.0.113.9");
        assert_eq!(ip_text(0x2001_0db8_u128 << 96 | 1, 6), "2001:db8::1");
        assert_eq!(ip_text(0, 0), "0.0.0.0");
    }
}
