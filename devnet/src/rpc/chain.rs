//! `chain_*`: block hashes, headers and bodies.

use serde_json::{Value, json};

use super::Module;
use super::params::{Args, RpcResult, block_number, hash_hex, to_hex};
use crate::chain::Block;

/// The header as the node's JSON shows it.
pub fn header_json(block: &Block) -> Value {
    let h = &block.header;
    let logs: Vec<String> =
        h.digest.logs.iter().map(|l| to_hex(&parity_scale_codec::Encode::encode(l))).collect();
    json!({
        "parentHash": hash_hex(&h.parent_hash),
        "number": format!("0x{:x}", h.number),
        "stateRoot": hash_hex(&h.state_root),
        "extrinsicsRoot": hash_hex(&h.extrinsics_root),
        "digest": { "logs": logs },
    })
}

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("chain_getBlockHash", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["hash"], 0)?;
        let hash_of = |v: &Value| -> RpcResult<Value> {
            Ok(match block_number(v)? {
                None => json!(hash_hex(&chain.best().hash)),
                Some(n) => {
                    chain.by_number(n).map(|b| json!(hash_hex(&b.hash))).unwrap_or(Value::Null)
                }
            })
        };
        match args.raw(0) {
            Some(Value::Array(list)) => {
                list.iter().map(hash_of).collect::<RpcResult<Vec<_>>>().map(Value::Array)
            }
            Some(v) => hash_of(v),
            None => hash_of(&Value::Null),
        }
    })?;
    m.register_alias("chain_getHead", "chain_getBlockHash")?;
    m.register_method("chain_getFinalizedHead", |p, chain, _| -> RpcResult<String> {
        Args::new(&p, &[], 0)?;
        Ok(hash_hex(&chain.finalized().hash))
    })?;
    m.register_alias("chain_getFinalisedHead", "chain_getFinalizedHead")?;
    m.register_method("chain_getHeader", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["hash"], 0)?;
        Ok(match args.hash(0)? {
            None => header_json(&chain.best()),
            Some(h) => chain.by_hash(&h).map(|b| header_json(&b)).unwrap_or(Value::Null),
        })
    })?;
    m.register_method("chain_getBlock", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["hash"], 0)?;
        let block = match args.hash(0)? {
            None => Some(chain.best()),
            Some(h) => chain.by_hash(&h),
        };
        Ok(block.map_or(Value::Null, |b| {
            let extrinsics: Vec<String> = b.extrinsics.iter().map(|x| to_hex(x)).collect();
            json!({ "block": { "header": header_json(&b), "extrinsics": extrinsics }, "justifications": null })
        }))
    })?;
    Ok(())
}
