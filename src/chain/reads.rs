//! The reads, each run against a client anchored at one block.

use std::collections::BTreeMap;

use scale_decode::DecodeAsType;
use serde_json::Value as Json;
use subxt::dynamic::{self, Value};
use subxt::ext::scale_value::{Composite, Primitive, ValueDef};

use super::client::At;
use super::error::ChainError;
use super::types::*;

pub use super::commitments::{commitment, commitments, revealed, revealed_text};

const NODE: &str = "node";

pub(super) fn client_err(e: impl std::error::Error + 'static) -> ChainError {
    ChainError::from_client(NODE, &e)
}

pub(super) fn decode_err(what: &str, e: impl std::fmt::Display) -> ChainError {
    ChainError::Decode { what: what.to_string(), reason: e.to_string() }
}

/// The block `at` is anchored at.
pub fn block_of(at: &At) -> Block {
    Block { number: at.block_number(), hash: format!("0x{}", hex::encode(at.block_hash().0)) }
}

pub(super) async fn call<A, R>(at: &At, api: &str, method: &str, args: A) -> Result<R, ChainError>
where
    A: subxt::ext::frame_decode::helpers::IntoEncodableValues,
    R: DecodeAsType,
{
    let payload = dynamic::runtime_api_call::<A, R>(api.to_string(), method.to_string(), args);
    at.runtime_apis().call(payload).await.map_err(client_err)
}

pub(super) fn has_method(at: &At, api: &str, method: &str) -> bool {
    at.metadata_ref()
        .runtime_api_trait_by_name(api)
        .and_then(|t| t.method_by_name(method))
        .is_some()
}

/// Fails with "subnet N does not exist" unless the subnet is registered at this block.
pub async fn ensure_subnet(at: &At, netuid: u16) -> Result<(), ChainError> {
    let addr = dynamic::storage::<(u16,), bool>("SubtensorModule", "NetworksAdded");
    let added = at.storage().try_fetch(addr, (netuid,)).await.map_err(client_err)?;
    let exists = match added {
        Some(v) => v.decode().map_err(|e| decode_err("NetworksAdded", e))?,
        None => false,
    };
    if exists { Ok(()) } else { Err(ChainError::SubnetNotFound { netuid }) }
}

/// Neurons of a subnet: `get_neurons_lite` joined with `get_subnet_state`'s stake triple.
pub async fn neurons(at: At, netuid: u16) -> Result<SubnetNeurons, ChainError> {
    // The two runtime calls do not depend on each other: one round trip, not two.
    let (lite, state) = tokio::join!(
        call::<_, Vec<NeuronLiteRaw>>(&at, "NeuronInfoRuntimeApi", "get_neurons_lite", (netuid,)),
        call::<_, Option<SubnetStateRaw>>(
            &at,
            "SubnetInfoRuntimeApi",
            "get_subnet_state",
            (netuid,)
        ),
    );
    let (lite, state) = (lite?, state?);
    if lite.is_empty() {
        ensure_subnet(&at, netuid).await?;
    }
    let neurons = lite.into_iter().map(|n| n.into_neuron(state.as_ref())).collect();
    Ok(SubnetNeurons { block: block_of(&at), neurons })
}

/// Validators: neurons with a permit, by total stake, largest first.
pub async fn validators(at: At, netuid: u16) -> Result<SubnetValidators, ChainError> {
    let all = neurons(at, netuid).await?;
    let mut validators: Vec<Neuron> =
        all.neurons.into_iter().filter(|n| n.validator_permit).collect();
    validators.sort_by(|a, b| b.stakes.total.total_cmp(&a.stakes.total));
    Ok(SubnetValidators { block: all.block, validators })
}

/// Block number, hash and timestamp.
pub async fn block_info(at: At) -> Result<BlockInfo, ChainError> {
    let now = dynamic::storage::<(), u64>("Timestamp", "Now");
    let ms = match at.storage().try_fetch(now, ()).await.map_err(client_err)? {
        Some(v) => v.decode().map_err(|e| decode_err("Timestamp.Now", e))?,
        None => 0,
    };
    let block = block_of(&at);
    Ok(BlockInfo { number: block.number, hash: block.hash, timestamp: ms / 1000 })
}

/// Every hyperparameter the runtime reports: the v3 name/value list when the runtime has it,
/// else the v2 struct, else the first version.
pub async fn hyperparams(at: At, netuid: u16) -> Result<Hyperparams, ChainError> {
    const API: &str = "SubnetInfoRuntimeApi";
    let (source, params) = if has_method(&at, API, "get_subnet_hyperparams_v3") {
        let list: Option<Vec<Value>> =
            call(&at, API, "get_subnet_hyperparams_v3", (netuid,)).await?;
        let list = list.ok_or(ChainError::SubnetNotFound { netuid })?;
        ("get_subnet_hyperparams_v3", v3_entries(list)?)
    } else {
        let method = if has_method(&at, API, "get_subnet_hyperparams_v2") {
            "get_subnet_hyperparams_v2"
        } else {
            "get_subnet_hyperparams"
        };
        let value: Option<Value> = call(&at, API, method, (netuid,)).await?;
        let value = value.ok_or(ChainError::SubnetNotFound { netuid })?;
        (method, struct_fields(value)?)
    };
    Ok(Hyperparams {
        block: block_of(&at),
        netuid,
        source: source.to_string(),
        hyperparams: params,
    })
}

fn v3_entries(list: Vec<Value>) -> Result<BTreeMap<String, Json>, ChainError> {
    let mut out = BTreeMap::new();
    for entry in list {
        let fields =
            named(entry).ok_or_else(|| decode_err("hyperparameter entry", "not a struct"))?;
        let mut name = None;
        let mut value = None;
        for (k, v) in fields {
            match k.as_str() {
                "name" => name = Some(String::from_utf8_lossy(&bytes(&v)).into_owned()),
                "value" => value = Some(v),
                _ => {}
            }
        }
        let (Some(name), Some(value)) = (name, value) else {
            return Err(decode_err("hyperparameter entry", "missing name or value"));
        };
        let json = match value.value {
            ValueDef::Variant(variant) => {
                let inner = composite_values(variant.values).into_iter().next();
                let frac = match variant.name.as_str() {
                    "I32F32" => Some(32),
                    "U64F64" => Some(64),
                    _ => None,
                };
                match (inner, frac) {
                    (Some(v), Some(bits)) => fixed(v, bits),
                    (Some(v), None) => to_json(v),
                    (None, _) => Json::Null,
                }
            }
            other => to_json(Value { value: other, context: () }),
        };
        out.insert(name, json);
    }
    Ok(out)
}

fn struct_fields(value: Value) -> Result<BTreeMap<String, Json>, ChainError> {
    let fields = named(value).ok_or_else(|| decode_err("hyperparameters", "not a struct"))?;
    Ok(fields
        .into_iter()
        .map(|(k, v)| {
            // The only fixed-point field of v2 (`I32F32`).
            let json = if k == "alpha_sigmoid_steepness" { fixed(v, 32) } else { to_json(v) };
            (k, json)
        })
        .collect())
}

pub(super) fn named(value: Value) -> Option<Vec<(String, Value)>> {
    match value.value {
        ValueDef::Composite(Composite::Named(fields)) => Some(fields),
        _ => None,
    }
}

pub(super) fn composite_values(c: Composite<()>) -> Vec<Value> {
    match c {
        Composite::Named(f) => f.into_iter().map(|(_, v)| v).collect(),
        Composite::Unnamed(v) => v,
    }
}

/// A fixed-point `{ bits }` value as a float.
fn fixed(value: Value, frac_bits: i32) -> Json {
    let bits = match unwrap_single(value).value {
        ValueDef::Primitive(Primitive::I128(i)) => i as f64,
        ValueDef::Primitive(Primitive::U128(u)) => u as f64,
        _ => return Json::Null,
    };
    serde_json::Number::from_f64(bits / 2f64.powi(frac_bits)).map_or(Json::Null, Json::Number)
}

pub(super) fn unwrap_single(value: Value) -> Value {
    match value.value {
        ValueDef::Composite(c) => {
            let mut values = composite_values(c);
            if values.len() == 1 {
                unwrap_single(values.remove(0))
            } else {
                Value::unnamed_composite(values)
            }
        }
        other => Value { value: other, context: () },
    }
}

/// A decoded value as JSON: numbers stay numbers (u128 beyond u64 becomes a string).
fn to_json(value: Value) -> Json {
    match value.value {
        ValueDef::Primitive(Primitive::Bool(b)) => Json::Bool(b),
        ValueDef::Primitive(Primitive::U128(u)) => {
            u64::try_from(u).map_or_else(|_| Json::String(u.to_string()), Json::from)
        }
        ValueDef::Primitive(Primitive::I128(i)) => {
            i64::try_from(i).map_or_else(|_| Json::String(i.to_string()), Json::from)
        }
        ValueDef::Primitive(Primitive::String(s)) => Json::String(s),
        ValueDef::Primitive(Primitive::Char(c)) => Json::String(c.to_string()),
        ValueDef::Composite(c) => {
            let values = composite_values(c);
            if values.len() == 1 {
                to_json(values.into_iter().next().unwrap_or(Value::bool(false)))
            } else {
                Json::Array(values.into_iter().map(to_json).collect())
            }
        }
        ValueDef::Variant(v) => Json::String(v.name),
        _ => Json::Null,
    }
}

/// The bytes of a byte-array-like value (nested single-field composites of u8s).
pub(super) fn bytes(value: &Value) -> Vec<u8> {
    match &value.value {
        ValueDef::Primitive(Primitive::U128(u)) => vec![*u as u8],
        ValueDef::Composite(c) => c.values().flat_map(bytes).collect(),
        _ => vec![],
    }
}

/// TLS certificates of the subnet's hotkeys.
pub async fn certificates(
    at: At,
    netuid: u16,
) -> Result<BTreeMap<String, Certificate>, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr = dynamic::storage::<(u16, [u8; 32]), CertificateRaw>(
        "SubtensorModule",
        "NeuronCertificates",
    );
    let mut entries = at.storage().iter(addr, (netuid,)).await.map_err(client_err)?;
    let mut out = BTreeMap::new();
    while let Some(kv) = entries.next().await {
        let kv = kv.map_err(client_err)?;
        let (_, hotkey) = kv
            .key()
            .map_err(|e| decode_err("key", e))?
            .decode()
            .map_err(|e| decode_err("key", e))?;
        let cert = kv.value().decode().map_err(|e| decode_err("certificate", e))?;
        out.insert(
            crate::ss58::encode(&hotkey),
            Certificate { algorithm: cert.algorithm, public_key: hex::encode(&cert.public_key) },
        );
    }
    Ok(out)
}

/// One hotkey's certificate.
pub async fn certificate(at: At, netuid: u16, hotkey: [u8; 32]) -> Result<Certificate, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr = dynamic::storage::<(u16, [u8; 32]), CertificateRaw>(
        "SubtensorModule",
        "NeuronCertificates",
    );
    let value =
        at.storage().try_fetch(addr, (netuid, hotkey)).await.map_err(client_err)?.ok_or_else(
            || {
                ChainError::NotFound(format!(
                    "no certificate for hotkey {} on subnet {netuid}",
                    crate::ss58::encode(&hotkey)
                ))
            },
        )?;
    let cert = value.decode().map_err(|e| decode_err("certificate", e))?;
    Ok(Certificate { algorithm: cert.algorithm, public_key: hex::encode(&cert.public_key) })
}

/// On-chain weights of mechanism 0 of a subnet (or of one setter uid).
pub async fn weights(at: At, netuid: u16, uid: Option<u16>) -> Result<SubnetWeights, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr = dynamic::storage::<(u16, u16), Vec<(u16, u16)>>("SubtensorModule", "Weights");
    let mut weights = BTreeMap::new();
    match uid {
        Some(u) => {
            let count = dynamic::storage::<(u16,), u16>("SubtensorModule", "SubnetworkN");
            let n = match at.storage().try_fetch(count, (netuid,)).await.map_err(client_err)? {
                Some(n) => n.decode().map_err(|e| decode_err("SubnetworkN", e))?,
                None => 0,
            };
            if u >= n {
                let range = match n {
                    0 => "it has no neurons".to_string(),
                    n => format!("uids 0 to {}", n - 1),
                };
                return Err(ChainError::NotFound(format!(
                    "uid {u} does not exist on subnet {netuid} ({range})"
                )));
            }
            let v = at.storage().try_fetch(addr, (netuid, u)).await.map_err(client_err)?;
            let list = match v {
                Some(v) => v.decode().map_err(|e| decode_err("weights", e))?,
                None => vec![],
            };
            weights.insert(u, list);
        }
        None => {
            let mut entries = at.storage().iter(addr, (netuid,)).await.map_err(client_err)?;
            while let Some(kv) = entries.next().await {
                let kv = kv.map_err(client_err)?;
                let (_, u) = kv
                    .key()
                    .map_err(|e| decode_err("key", e))?
                    .decode()
                    .map_err(|e| decode_err("key", e))?;
                weights.insert(u, kv.value().decode().map_err(|e| decode_err("weights", e))?);
            }
        }
    }
    Ok(SubnetWeights { block: block_of(&at), netuid, weights })
}

#[cfg(test)]
mod tests {
    use super::revealed_text;
    use parity_scale_codec::Encode;

    #[test]
    fn revealed_commitments_drop_the_scale_length_prefix() {
        assert_eq!(revealed_text(&"hello".to_string().encode()), "hello");
        let long = "x".repeat(100);
        assert_eq!(revealed_text(&long.encode()), long, "a two-byte compact prefix");
        assert_eq!(revealed_text(b"plain"), "plain", "no prefix that fits: shown as is");
        assert_eq!(revealed_text(b""), "");
    }
}
