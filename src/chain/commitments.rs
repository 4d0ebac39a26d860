//! Commitments (`Commitments.CommitmentOf`): hex data and drand-timelocked ones, filtered to
//! the subnet's registered hotkeys as the Python service does, and the revealed ones
//! (`Commitments.RevealedCommitments`) as text.

use std::collections::BTreeMap;

use subxt::dynamic::{self, Value};
use subxt::ext::scale_value::{Composite, Primitive, ValueDef};

use super::client::At;
use super::error::ChainError;
use super::reads::{
    block_of, bytes, call, client_err, composite_values, decode_err, ensure_subnet, named,
    unwrap_single,
};
use super::types::*;

/// What a commitment holds: the first field of its `info` that carries data, as turbobt reads
/// it (unit fields such as `None` or `ResetBondsFlag` are passed over).
enum Data {
    /// Raw bytes (`Raw0`..`Raw128`, `BigRaw`) or a hash: shown as hex.
    Hex(Vec<u8>),
    /// Drand-timelocked bytes the chain reveals at `reveal_round`.
    Timelock { encrypted: Vec<u8>, reveal_round: u64 },
}

/// The block a commitment was set at and its data.
fn registration_data(reg: Value) -> Option<(u64, Data)> {
    let fields = named(reg)?;
    let mut block = 0;
    let mut data = None;
    for (k, v) in fields {
        match k.as_str() {
            "block" => {
                block = match v.value {
                    ValueDef::Primitive(Primitive::U128(b)) => b as u64,
                    _ => 0,
                }
            }
            "info" => {
                let list = match unwrap_single(v).value {
                    ValueDef::Composite(c) => composite_values(c),
                    variant @ ValueDef::Variant(_) => vec![Value { value: variant, context: () }],
                    _ => return None,
                };
                data = list.into_iter().find_map(data_field);
            }
            _ => {}
        }
    }
    data.map(|d| (block, d))
}

fn data_field(field: Value) -> Option<Data> {
    let ValueDef::Variant(variant) = field.value else { return None };
    if variant.values.is_empty() {
        return None;
    }
    if variant.name == "TimelockEncrypted" {
        let mut encrypted = Vec::new();
        let mut reveal_round = 0;
        for (name, value) in named(Value::named_composite(match variant.values {
            Composite::Named(f) => f,
            Composite::Unnamed(_) => return None,
        }))? {
            match (name.as_str(), &value.value) {
                ("encrypted", _) => encrypted = bytes(&value),
                ("reveal_round", ValueDef::Primitive(Primitive::U128(r))) => {
                    reveal_round = *r as u64
                }
                _ => {}
            }
        }
        return Some(Data::Timelock { encrypted, reveal_round });
    }
    Some(Data::Hex(bytes(&Value { value: ValueDef::Composite(variant.values), context: () })))
}

async fn registered_hotkeys(at: &At, netuid: u16) -> Result<Vec<[u8; 32]>, ChainError> {
    let lite: Vec<NeuronLiteRaw> =
        call(at, "NeuronInfoRuntimeApi", "get_neurons_lite", (netuid,)).await?;
    if lite.is_empty() {
        ensure_subnet(at, netuid).await?;
    }
    Ok(lite.into_iter().map(|n| n.hotkey).collect())
}

fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Every `CommitmentOf` entry of the subnet, registered hotkey or not.
async fn stored_commitments(at: &At, netuid: u16) -> Result<Vec<([u8; 32], Value)>, ChainError> {
    let addr = dynamic::storage::<(u16, [u8; 32]), Value>("Commitments", "CommitmentOf");
    let mut entries = at.storage().iter(addr, (netuid,)).await.map_err(client_err)?;
    let mut stored = Vec::new();
    while let Some(kv) = entries.next().await {
        let kv = kv.map_err(client_err)?;
        let (_, hotkey) = kv
            .key()
            .map_err(|e| decode_err("commitment key", e))?
            .decode()
            .map_err(|e| decode_err("commitment key", e))?;
        stored.push((hotkey, kv.value().decode().map_err(|e| decode_err("commitment", e))?));
    }
    Ok(stored)
}

/// Commitments of the subnet's registered hotkeys: data ones in the v1 map, timelocked ones
/// apart.
pub async fn commitments(at: At, netuid: u16) -> Result<SubnetCommitments, ChainError> {
    // Who is registered and what is committed are read together: one round trip fewer.
    let (registered, stored) =
        tokio::join!(registered_hotkeys(&at, netuid), stored_commitments(&at, netuid));
    let (registered, stored) = (registered?, stored?);
    let mut commitments = BTreeMap::new();
    let mut set_at = BTreeMap::new();
    let mut timelocked = BTreeMap::new();
    for (hotkey, value) in stored {
        if !registered.contains(&hotkey) {
            continue;
        }
        let hotkey = crate::ss58::encode(&hotkey);
        match registration_data(value) {
            Some((block, Data::Hex(data))) => {
                set_at.insert(hotkey.clone(), block);
                commitments.insert(hotkey, hex0x(&data));
            }
            Some((block, Data::Timelock { encrypted, reveal_round })) => {
                let encrypted = hex0x(&encrypted);
                timelocked.insert(hotkey, Timelocked { block, encrypted, reveal_round });
            }
            None => {}
        }
    }
    Ok(SubnetCommitments { block: block_of(&at), commitments, set_at, timelocked })
}

/// One hotkey's commitment (a timelocked one has `reveal_round` and its encrypted bytes).
pub async fn commitment(
    at: At,
    netuid: u16,
    hotkey: [u8; 32],
) -> Result<HotkeyCommitment, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr = dynamic::storage::<(u16, [u8; 32]), Value>("Commitments", "CommitmentOf");
    let ss58 = crate::ss58::encode(&hotkey);
    let missing =
        || ChainError::NotFound(format!("no commitment for hotkey {ss58} on subnet {netuid}"));
    let value = at
        .storage()
        .try_fetch(addr, (netuid, hotkey))
        .await
        .map_err(client_err)?
        .ok_or_else(missing)?;
    let value = value.decode().map_err(|e| decode_err("commitment", e))?;
    let (block, data) = registration_data(value).ok_or_else(missing)?;
    let (data, reveal_round) = match data {
        Data::Hex(data) => (data, None),
        Data::Timelock { encrypted, reveal_round } => (encrypted, Some(reveal_round)),
    };
    Ok(HotkeyCommitment {
        block: block_of(&at),
        commitment_block_number: block,
        hotkey: ss58,
        commitment: hex0x(&data),
        reveal_round,
    })
}

/// The text of a revealed commitment. Clients (bittensor-drand, Pylon) encrypt a SCALE string
/// and the chain stores what opens as it is, so the compact length prefix is dropped when it
/// matches the rest, as turbobt does; other bytes are shown as they are.
pub fn revealed_text(data: &[u8]) -> String {
    use parity_scale_codec::Decode;
    let mut rest = data;
    match parity_scale_codec::Compact::<u32>::decode(&mut rest) {
        Ok(len) if len.0 as usize == rest.len() => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(data).into_owned(),
    }
}

/// Revealed timelocked commitments of the subnet (or of one hotkey).
pub async fn revealed(
    at: At,
    netuid: u16,
    hotkey: Option<[u8; 32]>,
) -> Result<RevealedCommitments, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr = dynamic::storage::<(u16, [u8; 32]), Vec<(Vec<u8>, u64)>>(
        "Commitments",
        "RevealedCommitments",
    );
    let mut out = Vec::new();
    let mut push = |hotkey: &[u8; 32], list: Vec<(Vec<u8>, u64)>| {
        for (data, block) in list {
            out.push(RevealedCommitment {
                reveal_block_number: block,
                hotkey: crate::ss58::encode(hotkey),
                commitment: revealed_text(&data),
            });
        }
    };
    match hotkey {
        Some(h) => {
            if let Some(v) = at.storage().try_fetch(addr, (netuid, h)).await.map_err(client_err)? {
                push(&h, v.decode().map_err(|e| decode_err("revealed commitment", e))?);
            }
        }
        None => {
            let mut entries = at.storage().iter(addr, (netuid,)).await.map_err(client_err)?;
            while let Some(kv) = entries.next().await {
                let kv = kv.map_err(client_err)?;
                let (_, h) = kv
                    .key()
                    .map_err(|e| decode_err("key", e))?
                    .decode()
                    .map_err(|e| decode_err("key", e))?;
                push(&h, kv.value().decode().map_err(|e| decode_err("revealed commitment", e))?);
            }
        }
    }
    Ok(RevealedCommitments { block: block_of(&at), commitments: out })
}
