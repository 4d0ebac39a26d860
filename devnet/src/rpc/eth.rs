//! The Ethereum JSON-RPC methods EVM log readers need, as subtensor's Frontier RPC answers them
//! on the node's own port: `eth_chainId`, `net_version`, `eth_blockNumber` (the best block) and
//! `eth_getLogs` over the devnet's deterministic logs ([`crate::evm`]), with Frontier's filter
//! rules (address one or many, topics by position with `null` wildcards and OR lists, block tags)
//! and its limit of 10,000 logs per query.

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use serde_json::{Value, json};
use sp_crypto_hashing::keccak_256;

use super::Module;
use super::params::{Args, RpcResult, invalid_params, to_hex};
use crate::chain::Chain;
use crate::evm;

/// Frontier's `--max-past-logs` default.
pub const MAX_LOGS: usize = 10_000;

fn internal(message: String) -> ErrorObjectOwned {
    ErrorObject::owned(-32603, message, None::<()>)
}

fn quantity(n: u64) -> String {
    format!("0x{n:x}")
}

/// A block tag or `0x` quantity.
fn block(v: Option<&Value>, chain: &Chain, default: u64) -> RpcResult<u64> {
    let best = chain.best().number as u64;
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => match s.as_str() {
            "latest" | "pending" => Ok(best),
            "earliest" => Ok(0),
            "finalized" | "safe" => Ok(chain.finalized().number as u64),
            hex => u64::from_str_radix(hex.trim_start_matches("0x"), 16)
                .map_err(|_| invalid_params(format!("invalid block number {hex:?}"))),
        },
        Some(other) => Err(invalid_params(format!("invalid block number {other}"))),
    }
}

fn bytes_of<const N: usize>(text: &str) -> RpcResult<[u8; N]> {
    let bytes = hex::decode(text.trim_start_matches("0x"))
        .map_err(|_| invalid_params(format!("invalid hex {text:?}")))?;
    bytes.try_into().map_err(|_| invalid_params(format!("expected {N} bytes: {text:?}")))
}

/// One string, or a list of them (or `null`: anything), as sets of bytes.
fn one_or_many<const N: usize>(v: Option<&Value>) -> RpcResult<Option<Vec<[u8; N]>>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![bytes_of(s)?])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().ok_or_else(|| invalid_params("expected hex strings")))
            .map(|s| s.and_then(bytes_of))
            .collect::<RpcResult<Vec<_>>>()
            .map(Some),
        Some(other) => Err(invalid_params(format!("expected a hex string or a list: {other}"))),
    }
}

fn get_logs(filter: &Value, chain: &Chain) -> RpcResult<Value> {
    let best = chain.best().number as u64;
    let (from, to) = match filter.get("blockHash").and_then(Value::as_str) {
        Some(hash) => {
            let hash = crate::mirror::primitive_types::H256(bytes_of::<32>(hash)?);
            let b = chain.by_hash(&hash).ok_or_else(|| internal("unknown block".into()))?;
            (b.number as u64, b.number as u64)
        }
        None => (
            block(filter.get("fromBlock"), chain, best)?,
            block(filter.get("toBlock"), chain, best)?.min(best),
        ),
    };
    let addresses = one_or_many::<20>(filter.get("address"))?;
    let topics: Vec<Option<Vec<[u8; 32]>>> = match filter.get("topics") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            items.iter().map(|t| one_or_many::<32>(Some(t))).collect::<RpcResult<_>>()?
        }
        Some(other) => return Err(invalid_params(format!("invalid topics {other}"))),
    };
    let mut out = Vec::new();
    for number in from..=to {
        let logs = evm::logs(number);
        if logs.is_empty() {
            continue;
        }
        let Some(b) = chain.by_number(number) else { continue };
        let block_hash = keccak_256(&b.hash.0);
        let tx_hash = keccak_256(&[&block_hash[..], &[0u8][..]].concat());
        for log in logs {
            if addresses.as_ref().is_some_and(|a| !a.contains(&log.address)) {
                continue;
            }
            let matches = topics.iter().enumerate().all(|(i, wanted)| match wanted {
                None => true,
                Some(set) => log.topics.get(i).is_some_and(|t| set.contains(t)),
            });
            if !matches {
                continue;
            }
            if out.len() == MAX_LOGS {
                return Err(internal(format!("query returned more than {MAX_LOGS} results")));
            }
            out.push(json!({
                "address": to_hex(&log.address),
                "topics": log.topics.iter().map(|t| to_hex(t)).collect::<Vec<_>>(),
                "data": to_hex(&log.data),
                "blockHash": to_hex(&block_hash),
                "blockNumber": quantity(number),
                "transactionHash": to_hex(&tx_hash),
                "transactionIndex": "0x0",
                "logIndex": quantity(log.log_index),
                "transactionLogIndex": quantity(log.log_index),
                "removed": false,
            }));
        }
    }
    Ok(Value::Array(out))
}

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("eth_chainId", |p, _, _| -> RpcResult<String> {
        Args::new(&p, &[], 0)?;
        Ok(quantity(evm::CHAIN_ID))
    })?;
    m.register_method("net_version", |p, _, _| -> RpcResult<String> {
        Args::new(&p, &[], 0)?;
        Ok(evm::CHAIN_ID.to_string())
    })?;
    m.register_method("eth_blockNumber", |p, chain, _| -> RpcResult<String> {
        Args::new(&p, &[], 0)?;
        Ok(quantity(chain.best().number as u64))
    })?;
    m.register_method("eth_getLogs", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["filter"], 1)?;
        let filter = args.raw(0).cloned().unwrap_or(Value::Null);
        if !filter.is_object() {
            return Err(invalid_params("expected a filter object"));
        }
        get_logs(&filter, chain)
    })?;
    Ok(())
}
