//! The JSON-RPC surface: the legacy Substrate methods that subxt's legacy backend and the
//! Python substrate clients call, with the node's own error codes and texts.

use std::sync::Arc;

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned, Params};
use jsonrpsee::{PendingSubscriptionSink, RpcModule, SubscriptionMessage};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::chain::{Block, Chain, StateError};
use super::mirror::primitive_types::H256;
use super::mirror::sp_core::crypto::AccountId32;
use super::runtime_api;

/// JSON-RPC "invalid params".
const INVALID_PARAMS: i32 = -32602;
/// Substrate's state RPC errors: `BASE_ERROR + 3` wraps client (database, runtime) errors.
const STATE_CLIENT_ERROR: i32 = 4003;
/// Substrate's state RPC error for a `count` over the maximum.
const STATE_INVALID_COUNT: i32 = 4002;
/// Largest page `state_getKeysPaged` serves.
const MAX_KEYS_PAGE: u32 = 1000;

type RpcResult<T> = Result<T, ErrorObjectOwned>;

fn invalid_params(detail: impl Into<String>) -> ErrorObjectOwned {
    ErrorObject::owned(INVALID_PARAMS, "Invalid params", Some(detail.into()))
}

fn client_error(detail: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObject::owned(STATE_CLIENT_ERROR, format!("Client error: {detail}"), None::<()>)
}

/// Positional parameters, checked for count before each one is decoded.
struct Args(Vec<Value>);

impl Args {
    fn new(params: &Params<'_>, min: usize, max: usize) -> RpcResult<Self> {
        let values: Vec<Value> = if params.is_object() {
            return Err(invalid_params("named parameters are not supported; pass an array"));
        } else {
            params
                .parse::<Option<Vec<Value>>>()
                .map_err(|e| {
                    invalid_params(e.data().map(|d| d.get().to_string()).unwrap_or_default())
                })?
                .unwrap_or_default()
        };
        if values.len() < min || values.len() > max {
            let expected = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            return Err(invalid_params(format!(
                "expected {expected} parameters, got {}",
                values.len()
            )));
        }
        Ok(Self(values))
    }

    /// Parameter `i`, absent or `null` meaning `None`.
    fn opt<T: DeserializeOwned>(&self, i: usize, what: &str) -> RpcResult<Option<T>> {
        match self.0.get(i) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v.clone())
                .map(Some)
                .map_err(|e| invalid_params(format!("invalid {what} {v}: {e}"))),
        }
    }

    fn req<T: DeserializeOwned>(&self, i: usize, what: &str) -> RpcResult<T> {
        self.opt(i, what)?.ok_or_else(|| invalid_params(format!("missing {what}")))
    }

    fn bytes(&self, i: usize, what: &str) -> RpcResult<Option<Vec<u8>>> {
        let Some(text) = self.opt::<String>(i, what)? else { return Ok(None) };
        parse_hex(&text)
            .map(Some)
            .map_err(|e| invalid_params(format!("invalid {what} {text:?}: {e}")))
    }

    fn hash(&self, i: usize) -> RpcResult<Option<H256>> {
        let Some(bytes) = self.bytes(i, "block hash")? else { return Ok(None) };
        let arr: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            invalid_params(format!("invalid block hash: {} bytes, expected 32", b.len()))
        })?;
        Ok(Some(H256(arr)))
    }
}

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits = text.strip_prefix("0x").ok_or("expected a 0x-prefixed hex string")?;
    hex::decode(digits).map_err(|e| e.to_string())
}

fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn hash_hex(hash: &H256) -> String {
    to_hex(&hash.0)
}

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

fn state_error(e: StateError) -> ErrorObjectOwned {
    client_error(e)
}

/// The wording of the runtime-API path (runtime version, metadata).
fn api_error(e: StateError) -> ErrorObjectOwned {
    client_error(format!("Api called for an unknown Block: {}", e.detail()))
}

/// The block number parameter of `chain_getBlockHash`: a number or a hex string.
fn block_number(v: &Value) -> RpcResult<Option<u64>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            n.as_u64().map(Some).ok_or_else(|| invalid_params(format!("invalid block number {n}")))
        }
        Value::String(s) => {
            let digits = s
                .strip_prefix("0x")
                .ok_or_else(|| invalid_params(format!("invalid block number {s:?}")))?;
            u64::from_str_radix(digits, 16)
                .map(Some)
                .map_err(|_| invalid_params(format!("invalid block number {s:?}")))
        }
        other => Err(invalid_params(format!("invalid block number {other}"))),
    }
}

/// Builds the RPC module over `chain`.
pub fn module(
    chain: Arc<Chain>,
) -> Result<RpcModule<Arc<Chain>>, jsonrpsee::core::RegisterMethodError> {
    let mut m = RpcModule::new(chain);
    system(&mut m)?;
    chain_methods(&mut m)?;
    state(&mut m)?;
    subscriptions(&mut m)?;
    author(&mut m)?;
    let mut names: Vec<String> = m.method_names().map(str::to_string).collect();
    names.push("rpc_methods".into());
    names.sort();
    m.register_method("rpc_methods", move |p, _, _| -> RpcResult<Value> {
        Args::new(&p, 0, 0)?;
        Ok(json!({ "methods": names }))
    })?;
    Ok(m)
}

fn system(m: &mut RpcModule<Arc<Chain>>) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    let fixed: [(&'static str, Value); 6] = [
        ("system_chain", json!("Pylon Devnet")),
        ("system_name", json!("pylon-devnet")),
        ("system_version", json!(env!("CARGO_PKG_VERSION"))),
        ("system_chainType", json!("Development")),
        (
            "system_properties",
            json!({ "ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO" }),
        ),
        ("system_health", json!({ "peers": 0, "isSyncing": false, "shouldHavePeers": false })),
    ];
    for (name, value) in fixed {
        m.register_method(name, move |p, _, _| -> RpcResult<Value> {
            Args::new(&p, 0, 0)?;
            Ok(value.clone())
        })?;
    }
    m.register_method("system_accountNextIndex", |p, chain, _| -> RpcResult<u32> {
        let args = Args::new(&p, 1, 1)?;
        let address: String = args.req(0, "account")?;
        let account = parse_account(&address)?;
        Ok(chain.best().world.nonce(&account))
    })?;
    Ok(())
}

fn parse_account(address: &str) -> RpcResult<AccountId32> {
    use sp_core::crypto::Ss58Codec;
    if let Some(arr) = parse_hex(address).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
        return Ok(AccountId32(arr));
    }
    sp_core::crypto::AccountId32::from_ss58check(address)
        .map(|a| AccountId32(*a.as_ref()))
        .map_err(|e| invalid_params(format!("invalid account {address:?}: {e:?}")))
}

fn chain_methods(
    m: &mut RpcModule<Arc<Chain>>,
) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("chain_getBlockHash", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, 0, 1)?;
        let hash_of = |v: &Value| -> RpcResult<Value> {
            Ok(match block_number(v)? {
                None => json!(hash_hex(&chain.best().hash)),
                Some(n) => {
                    chain.by_number(n).map(|b| json!(hash_hex(&b.hash))).unwrap_or(Value::Null)
                }
            })
        };
        match args.0.first() {
            Some(Value::Array(list)) => {
                list.iter().map(hash_of).collect::<RpcResult<Vec<_>>>().map(Value::Array)
            }
            Some(v) => hash_of(v),
            None => hash_of(&Value::Null),
        }
    })?;
    m.register_alias("chain_getHead", "chain_getBlockHash")?;
    m.register_method("chain_getFinalizedHead", |p, chain, _| -> RpcResult<String> {
        Args::new(&p, 0, 0)?;
        Ok(hash_hex(&chain.finalized().hash))
    })?;
    m.register_alias("chain_getFinalisedHead", "chain_getFinalizedHead")?;
    m.register_method("chain_getHeader", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, 0, 1)?;
        Ok(match args.hash(0)? {
            None => header_json(&chain.best()),
            Some(h) => chain.by_hash(&h).map(|b| header_json(&b)).unwrap_or(Value::Null),
        })
    })?;
    m.register_method("chain_getBlock", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, 0, 1)?;
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

fn runtime_version_json(chain: &Chain) -> Value {
    let v = &chain.runtime.version;
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

fn state(m: &mut RpcModule<Arc<Chain>>) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("state_getRuntimeVersion", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, 0, 1)?;
        chain.state_at(args.hash(0)?).map_err(api_error)?;
        Ok(runtime_version_json(chain))
    })?;
    m.register_alias("chain_getRuntimeVersion", "state_getRuntimeVersion")?;
    m.register_method("state_getMetadata", |p, chain, _| -> RpcResult<String> {
        let args = Args::new(&p, 0, 1)?;
        chain.state_at(args.hash(0)?).map_err(api_error)?;
        Ok(to_hex(&chain.runtime.metadata.v14))
    })?;
    m.register_method(
        "state_call",
        |p, chain, _| -> RpcResult<Box<serde_json::value::RawValue>> {
            let args = Args::new(&p, 2, 3)?;
            let method: String = args.req(0, "method")?;
            chain.count_call(&method);
            let data = args.bytes(1, "call data")?.unwrap_or_default();
            let block = chain.state_at(args.hash(2)?).map_err(|e| match e {
                // The call executor looks the block number up first.
                StateError::Unknown(h) => {
                    client_error(format!("UnknownBlock: Expect block number from id: Hash({h:?})"))
                }
                discarded => state_error(discarded),
            })?;
            let answer = runtime_api::call(
                &chain.runtime,
                &block.world,
                u64::from(block.number),
                &method,
                &data,
            )
            .map_err(|e| client_error(format!("Execution failed: Other: {e}")))?;
            // The answer is already a hex string: quote it without re-escaping.
            let quoted = format!("\"{answer}\"");
            serde_json::value::RawValue::from_string(quoted).map_err(client_error)
        },
    )?;
    m.register_alias("state_callAt", "state_call")?;
    m.register_method("state_getStorage", |p, chain, _| -> RpcResult<Option<String>> {
        let args = Args::new(&p, 1, 2)?;
        let key = args.bytes(0, "storage key")?.unwrap_or_default();
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        Ok(chain.storage(&block, &key).map(|v| to_hex(&v)))
    })?;
    m.register_alias("state_getStorageAt", "state_getStorage")?;
    m.register_method("state_getKeysPaged", |p, chain, _| -> RpcResult<Vec<String>> {
        let args = Args::new(&p, 2, 4)?;
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
    m.register_method("state_queryStorageAt", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, 1, 2)?;
        let keys: Vec<String> = args.req(0, "storage keys")?;
        let block = chain.state_at(args.hash(1)?).map_err(state_error)?;
        let changes = keys
            .iter()
            .map(|k| {
                let key = parse_hex(k)
                    .map_err(|e| invalid_params(format!("invalid storage key {k:?}: {e}")))?;
                Ok(json!([k, chain.storage(&block, &key).map(|v| to_hex(&v))]))
            })
            .collect::<RpcResult<Vec<Value>>>()?;
        Ok(json!([{ "block": hash_hex(&block.hash), "changes": changes }]))
    })?;
    Ok(())
}

fn pool_error(e: super::pool::PoolError) -> ErrorObjectOwned {
    let (code, message, data) = e.rpc();
    ErrorObject::owned(code, message, data)
}

fn author(m: &mut RpcModule<Arc<Chain>>) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method("author_submitExtrinsic", |p, chain, _| -> RpcResult<String> {
        let args = Args::new(&p, 1, 1)?;
        let bytes = args.bytes(0, "extrinsic")?.unwrap_or_default();
        let accepted = chain.submit(&bytes).map_err(pool_error)?;
        Ok(hash_hex(&accepted.hash))
    })?;
    m.register_subscription(
        "author_submitAndWatchExtrinsic",
        "author_extrinsicUpdate",
        "author_unwatchExtrinsic",
        |p, pending, chain, _| async move {
            let submitted = Args::new(&p, 1, 1)
                .and_then(|args| args.bytes(0, "extrinsic").map(Option::unwrap_or_default))
                .and_then(|bytes| {
                    // Subscribe before submitting so the including block cannot be missed.
                    let (heads, finalized) =
                        (chain.subscribe_new_heads(), chain.subscribe_finalized());
                    chain.submit(&bytes).map(|tx| (tx, heads, finalized)).map_err(pool_error)
                });
            match submitted {
                Err(e) => pending.reject(e).await,
                Ok((tx, heads, finalized)) => watch(pending, tx.hash, heads, finalized).await,
            }
        },
    )?;
    Ok(())
}

/// Reports `ready`, then `{"inBlock": hash}` and `{"finalized": hash}`, as a node does.
async fn watch(
    pending: PendingSubscriptionSink,
    tx: H256,
    mut heads: broadcast::Receiver<Arc<Block>>,
    mut finalized: broadcast::Receiver<Arc<Block>>,
) {
    let Ok(sink) = pending.accept().await else { return };
    let send = |value: Value| {
        let sink = sink.clone();
        async move {
            match serde_json::value::to_raw_value(&value) {
                Ok(raw) => sink.send(SubscriptionMessage::from(raw)).await.is_ok(),
                Err(_) => false,
            }
        }
    };
    if !send(json!("ready")).await {
        return;
    }
    let contains =
        |b: &Block| b.extrinsics.iter().any(|x| sp_crypto_hashing::blake2_256(x) == tx.0);
    let included = loop {
        match heads.recv().await {
            Ok(block) if contains(&block) => break block,
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        }
    };
    if !send(json!({ "inBlock": hash_hex(&included.hash) })).await {
        return;
    }
    loop {
        match finalized.recv().await {
            Ok(block) if block.number >= included.number => {
                let _ = send(json!({ "finalized": hash_hex(&included.hash) })).await;
                return;
            }
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Where a head subscription starts and what it follows.
type HeadSource = fn(&Chain) -> (Arc<Block>, broadcast::Receiver<Arc<Block>>);

fn subscriptions(
    m: &mut RpcModule<Arc<Chain>>,
) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    let kinds: [(&str, &str, &str, HeadSource); 3] = [
        ("chain_subscribeNewHeads", "chain_newHead", "chain_unsubscribeNewHeads", |c| {
            (c.best(), c.subscribe_new_heads())
        }),
        ("chain_subscribeAllHeads", "chain_allHead", "chain_unsubscribeAllHeads", |c| {
            (c.best(), c.subscribe_new_heads())
        }),
        (
            "chain_subscribeFinalizedHeads",
            "chain_finalizedHead",
            "chain_unsubscribeFinalizedHeads",
            |c| (c.finalized(), c.subscribe_finalized()),
        ),
    ];
    for (subscribe, notification, unsubscribe, source) in kinds {
        m.register_subscription(
            subscribe,
            notification,
            unsubscribe,
            move |p, pending, chain, _| async move {
                follow(p, pending, &chain, source).await;
            },
        )?;
    }
    m.register_alias("chain_subscribeNewHead", "chain_subscribeNewHeads")?;
    m.register_alias("subscribe_newHead", "chain_subscribeNewHeads")?;
    m.register_alias("chain_subscribeFinalisedHeads", "chain_subscribeFinalizedHeads")?;
    m.register_alias("chain_unsubscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads")?;
    Ok(())
}

/// Sends the current head, then every new one, until the client unsubscribes or leaves.
async fn follow(
    params: Params<'static>,
    pending: PendingSubscriptionSink,
    chain: &Chain,
    source: HeadSource,
) {
    if let Err(e) = Args::new(&params, 0, 0) {
        pending.reject(e).await;
        return;
    }
    let (current, mut rx) = source(chain);
    let Ok(sink) = pending.accept().await else { return };
    let message =
        |b: &Block| serde_json::value::to_raw_value(&header_json(b)).map(SubscriptionMessage::from);
    let Ok(first) = message(&current) else { return };
    if sink.send(first).await.is_err() {
        return;
    }
    let mut last = current.number;
    loop {
        tokio::select! {
            _ = sink.closed() => return,
            next = rx.recv() => match next {
                Ok(block) => {
                    if block.number <= last && block.number != 0 { continue; }
                    last = block.number;
                    let Ok(msg) = message(&block) else { return };
                    if sink.send(msg).await.is_err() { return; }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}
