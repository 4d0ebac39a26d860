//! `state_*` queries: runtime version and metadata, runtime calls, storage reads and key
//! listings at a block.

use jsonrpsee::types::ErrorObject;
use serde_json::{Value, json};

use super::params::{Args, RpcResult, hash_hex, to_hex};
use super::{Module, api_error, client_error, state_error};
use crate::chain::StateError;
use crate::runtime_api::Runtime;

/// Substrate's state RPC error for a `count` over the maximum.
const STATE_INVALID_COUNT: i32 = 4002;
/// Largest page `state_getKeysPaged` serves.
const MAX_KEYS_PAGE: u32 = 1000;
/// Most blocks `state_queryStorage` walks.
const MAX_QUERY_RANGE: u32 = 1000;
/// Most keys `state_getKeys` returns (a node refuses larger answers by response size).
const MAX_KEYS: usize = 100_000;

/// The version of `runtime` as the node's JSON shows it.
pub fn runtime_version_json(runtime: &Runtime) -> Value {
    let v = &runtime.version;
    let apis: Vec<Value> = v.apis.iter().map(|(id, ver)| json!([to_hex(id), ver])).collect();
    json!({
        "specName": v.spec_name,
        "implName": v.impl_name,
        "authoringVersion": v.authoring_version,
        "specVersion": v.spec_version,
        "implVersion": v.impl_version,
        "apis": apis,
        "transactionVersion": v.transaction_version,
        "systemVersion": v.system_version,
        "stateVersion": v.system_version,
    })
}

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("state_getRuntimeVersion", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["hash"], 0)?;
        let block = chain.state_at(args.hash(0)?).map_err(api_error)?;
        Ok(runtime_version_json(&block.runtime))
    })?;
    m.register_alias("chain_getRuntimeVersion", "state_getRuntimeVersion")?;
    m.register_method("state_getMetadata", |p, chain, _| -> RpcResult<String> {
        let args = Args::new(&p, &["hash"], 0)?;
        let block = chain.state_at(args.hash(0)?).map_err(api_error)?;
        Ok(to_hex(&block.runtime.metadata.v14))
    })?;
    m.register_blocking_method(
        "state_call",
        |p, chain, _| -> RpcResult<Box<serde_json::value::RawValue>> {
            let args = Args::new(&p, &["name", "bytes", "hash"], 2)?;
            let method: String = args.req(0, "method")?;
            let data = args.bytes(1, "call data")?.unwrap_or_default();
            let block = chain.state_at(args.hash(2)?).map_err(|e| match e {
                // The call executor looks the block number up first.
                StateError::Unknown(h) => {
                    client_error(format!("UnknownBlock: Expect block number from id: Hash({h:?})"))
                }
                discarded => state_error(discarded),
            })?;
            let answer = chain
                .call(&block, &method, &data)
                .map_err(|e| client_error(format!("Execution failed: Other: {e}")))?;
            // The answer is already a hex string: quote it without re-escaping.
            serde_json::value::RawValue::from_string(format!("\"{answer}\"")).map_err(client_error)
        },
    )?;
    m.register_alias("state_callAt", "state_call")?;
    m.register_method("state_getStorage", |p, chain, _| -> RpcResult<Option<String>> {
        let args = Args::new(&p, &["key", "hash"], 1)?;
        let key = args.bytes(0, "storage key")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        Ok(chain.storage(&block, &key).map(|v| to_hex(&v)))
    })?;
    m.register_alias("state_getStorageAt", "state_getStorage")?;
    m.register_method("state_getStorageHash", |p, chain, _| -> RpcResult<Option<String>> {
        let args = Args::new(&p, &["key", "hash"], 1)?;
        let key = args.bytes(0, "storage key")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        Ok(chain.storage(&block, &key).map(|v| to_hex(&sp_crypto_hashing::blake2_256(&v))))
    })?;
    m.register_alias("state_getStorageHashAt", "state_getStorageHash")?;
    m.register_method("state_getStorageSize", |p, chain, _| -> RpcResult<Option<u64>> {
        let args = Args::new(&p, &["key", "hash"], 1)?;
        let key = args.bytes(0, "storage key")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        Ok(chain.storage(&block, &key).map(|v| v.len() as u64))
    })?;
    m.register_alias("state_getStorageSizeAt", "state_getStorageSize")?;
    m.register_blocking_method("state_getKeys", |p, chain, _| -> RpcResult<Vec<String>> {
        let args = Args::new(&p, &["prefix", "hash"], 1)?;
        let prefix = args.bytes(0, "key prefix")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        let keys = chain.keys_paged(&block, &prefix, MAX_KEYS, None);
        Ok(keys.iter().map(|k| to_hex(k)).collect())
    })?;
    m.register_blocking_method("state_getKeysPaged", |p, chain, _| -> RpcResult<Vec<String>> {
        let args = Args::new(&p, &["prefix", "count", "start_key", "hash"], 2)?;
        let prefix = args.bytes(0, "key prefix")?.unwrap_or_default();
        let count: u32 = args.req(1, "count")?;
        if count > MAX_KEYS_PAGE {
            return Err(ErrorObject::owned(
                STATE_INVALID_COUNT,
                format!("count exceeds maximum value. value: {count}, max: {MAX_KEYS_PAGE}"),
                None::<()>,
            ));
        }
        let start = args.bytes(2, "start key")?;
        let block = chain.state_at(args.hash(3)?).map_err(state_error)?;
        let keys = chain.keys_paged(&block, &prefix, count as usize, start.as_deref());
        Ok(keys.iter().map(|k| to_hex(k)).collect())
    })?;
    m.register_alias("state_getKeysPagedAt", "state_getKeysPaged")?;
    m.register_blocking_method("state_queryStorage", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["keys", "block", "hash"], 2)?;
        let keys = args.byte_list(0, "storage key")?.unwrap_or_default();
        let from = chain.state_at(args.hash(1)?).map_err(state_error)?;
        let to = chain.state_at(args.hash(2)?).map_err(state_error)?;
        if to.number < from.number {
            return Err(client_error("Invalid block range: the end is before the start"));
        }
        if to.number - from.number > MAX_QUERY_RANGE {
            return Err(client_error(format!(
                "Invalid block range: {} blocks, at most {MAX_QUERY_RANGE}",
                to.number - from.number
            )));
        }
        let mut last = std::collections::HashMap::new();
        let mut sets = Vec::new();
        for n in from.number..=to.number {
            let block = chain
                .state_at(chain.by_number(u64::from(n)).map(|b| b.hash))
                .map_err(state_error)?;
            let mut changes = Vec::new();
            for key in &keys {
                let value = chain.storage(&block, key);
                if last.get(key) != Some(&value) {
                    changes.push(json!([to_hex(key), value.as_deref().map(to_hex)]));
                    last.insert(key.clone(), value);
                }
            }
            if !changes.is_empty() {
                sets.push(json!({ "block": hash_hex(&block.hash), "changes": changes }));
            }
        }
        Ok(Value::Array(sets))
    })?;
    m.register_blocking_method("state_queryStorageAt", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["keys", "at"], 1)?;
        let keys = args.byte_list(0, "storage key")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        let changes: Vec<Value> = keys
            .iter()
            .map(|k| json!([to_hex(k), chain.storage(&block, k).map(|v| to_hex(&v))]))
            .collect();
        Ok(json!([{ "block": hash_hex(&block.hash), "changes": changes }]))
    })?;
    Ok(())
}
