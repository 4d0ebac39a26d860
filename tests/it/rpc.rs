//! The JSON-RPC surface over a raw WebSocket: answers, the node's error codes, bad input.

use futures_util::{SinkExt, StreamExt};
use parity_scale_codec::{Decode, Encode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{devnet, wait_for_block};
use pylon_devnet::{keys, metadata::RuntimeFlavor, storage};

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(url: &str) -> Ws {
    tokio_tungstenite::connect_async(url).await.expect("websocket connects").0
}

/// Reads frames until a notification of `method` arrives; returns its `params`.
pub async fn next_notification(ws: &mut Ws, method: &str) -> Value {
    let wait = async {
        loop {
            if let Message::Text(t) = ws.next().await.expect("frame").expect("frame") {
                let v: Value = serde_json::from_str(&t).expect("JSON");
                if v["method"] == method {
                    return v["params"].clone();
                }
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no {method} notification in 10 s"))
}

/// Sends one raw text frame and returns the parsed reply.
async fn raw(ws: &mut Ws, text: &str) -> Value {
    ws.send(Message::Text(text.into())).await.expect("send");
    loop {
        match ws.next().await.expect("reply").expect("frame") {
            Message::Text(t) => return serde_json::from_str(&t).expect("reply is JSON"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

pub async fn call(ws: &mut Ws, method: &str, params: Value) -> Value {
    raw(ws, &json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}).to_string())
        .await
}

pub fn error_code(reply: &Value) -> i64 {
    reply["error"]["code"].as_i64().unwrap_or_else(|| panic!("expected an error, got {reply}"))
}

pub fn hexs(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

#[tokio::test]
async fn bad_input_gets_json_rpc_errors_and_the_connection_survives() {
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let reply = raw(&mut ws, r#"{"jsonrpc":"2.0","id":1,"method":"#).await;
    assert_eq!(error_code(&reply), -32700, "malformed JSON is a parse error: {reply}");
    let reply = call(&mut ws, "no_suchMethod", json!([])).await;
    assert_eq!(error_code(&reply), -32601, "{reply}");
    let reply = call(&mut ws, "state_getStorage", json!(["0xzz"])).await;
    assert_eq!(error_code(&reply), -32602, "{reply}");
    assert!(reply.to_string().contains("0xzz"), "the error names the bad value: {reply}");
    let reply = call(&mut ws, "state_call", json!([])).await;
    assert_eq!(error_code(&reply), -32602, "missing params: {reply}");
    let reply = call(&mut ws, "chain_getFinalizedHead", json!([1, 2])).await;
    assert!(reply["result"].is_string(), "a node ignores params a method does not take: {reply}");
    let reply = call(&mut ws, "chain_getHeader", json!(["0x1234"])).await;
    assert_eq!(error_code(&reply), -32602, "short hash: {reply}");
    let unknown = hexs(&[0x11; 32]);
    let reply = call(&mut ws, "state_getStorage", json!(["0x00", unknown])).await;
    assert_eq!(error_code(&reply), 4003, "{reply}");
    assert!(reply["error"]["message"].as_str().unwrap().contains(&unknown[2..]), "{reply}");
    let reply = call(&mut ws, "state_call", json!(["NoSuchApi_method", "0x"])).await;
    assert_eq!(error_code(&reply), 4003, "{reply}");
    let reply =
        call(&mut ws, "state_call", json!(["NeuronInfoRuntimeApi_get_neurons_lite", "0x01"])).await;
    assert_eq!(error_code(&reply), 4003, "a truncated netuid does not decode: {reply}");
    let reply = call(&mut ws, "system_accountNextIndex", json!(["not-an-address"])).await;
    assert_eq!(error_code(&reply), -32602, "{reply}");
    assert_eq!(
        call(&mut ws, "chain_getBlockHash", json!([1_000_000])).await["result"],
        Value::Null
    );
    assert_eq!(call(&mut ws, "chain_getHeader", json!([unknown])).await["result"], Value::Null);
    // After all that, the same connection still answers.
    let reply = call(&mut ws, "system_properties", json!([])).await;
    assert_eq!(
        reply["result"],
        json!({"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"})
    );
    net.stop().await;
}

#[tokio::test]
async fn node_information_and_metadata() {
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let methods = call(&mut ws, "rpc_methods", json!([])).await["result"]["methods"].clone();
    let methods: Vec<String> = serde_json::from_value(methods).expect("method list");
    assert!(
        methods.contains(&"state_call".to_string())
            && methods.contains(&"chain_subscribeFinalizedHeads".to_string())
    );
    assert!(methods.iter().all(|m| !m.starts_with("chainHead_v1") && !m.starts_with("archive_v1")));
    let version = call(&mut ws, "state_getRuntimeVersion", json!([])).await["result"].clone();
    assert_eq!(version["specName"], "node-subtensor");
    assert_eq!(version["specVersion"], 400, "the current runtime reports a spec above 393");
    let encoded = &net.chain.runtime().metadata;
    let served = call(&mut ws, "state_getMetadata", json!([])).await["result"].clone();
    assert_eq!(served, json!(hexs(&encoded.v14)), "state_getMetadata serves V14");
    let versions = call(&mut ws, "state_call", json!(["Metadata_metadata_versions", "0x"])).await;
    assert_eq!(versions["result"], json!(hexs(&vec![14u32, 15, 16].encode())));
    let v15 =
        call(&mut ws, "state_call", json!(["Metadata_metadata_at_version", hexs(&15u32.encode())]))
            .await;
    let mut expected = vec![1u8];
    expected.extend(encoded.v15.encode());
    assert_eq!(v15["result"], json!(hexs(&expected)), "Some(OpaqueMetadata(v15))");
    let v17 =
        call(&mut ws, "state_call", json!(["Metadata_metadata_at_version", hexs(&17u32.encode())]))
            .await;
    assert_eq!(v17["result"], json!("0x00"), "V17 is not served");
    net.stop().await;
}

/// `devnet_upgradeRuntime` (unlisted, like `devnet_drandBeacon`) refuses a version that does not
/// rise, naming both, as `System.set_code` does; an accepted one reaches runtime-version
/// subscribers with the block that enacts it. polkadot.js checks the rest (`clients.rs`).
#[tokio::test]
async fn a_runtime_upgrade_must_raise_the_spec_version_and_is_announced() {
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let methods = call(&mut ws, "rpc_methods", json!([])).await["result"]["methods"].to_string();
    assert!(!methods.contains("devnet_"), "{methods}");
    let refused = call(&mut ws, "devnet_upgradeRuntime", json!([400])).await;
    assert_eq!(error_code(&refused), -32602, "{refused}");
    let message = refused["error"]["data"].as_str().unwrap_or_default();
    assert!(message.contains("SpecVersionNeedsToIncrease") && message.contains("400"), "{message}");
    let sub = call(&mut ws, "state_subscribeRuntimeVersion", json!([])).await;
    assert!(sub["result"].is_string(), "{sub}");
    assert_eq!(
        next_notification(&mut ws, "state_runtimeVersion").await["result"]["specVersion"],
        400
    );
    let accepted = call(&mut ws, "devnet_upgradeRuntime", json!({"spec_version": 402})).await;
    assert_eq!(accepted["result"], json!({"specVersion": 402}), "{accepted}");
    let announced = next_notification(&mut ws, "state_runtimeVersion").await;
    assert_eq!(announced["result"]["specVersion"], 402);
    let enacted = (1..=u64::from(net.chain.best().number))
        .filter_map(|n| net.chain.by_number(n))
        .find(|b| b.runtime.version.spec_version == 402)
        .expect("the enacting block");
    let parent = net.chain.by_number(u64::from(enacted.number) - 1).expect("parent");
    for (block, spec) in [(&parent, 400), (&enacted, 402)] {
        let at = call(&mut ws, "state_getRuntimeVersion", json!([hexs(&block.hash.0)])).await;
        assert_eq!(at["result"]["specVersion"], spec, "at #{}", block.number);
    }
    // An upgrade to spec 393's API set drops `get_subnet_hyperparams_v3`, also at a block whose
    // state an earlier block shares (and whose answer that block already computed).
    let hyperparams = "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3";
    let before = hexs(&net.chain.best().hash.0);
    let answered = call(&mut ws, "state_call", json!([hyperparams, hexs(&3u16.encode()), before]));
    assert!(answered.await["result"].is_string());
    let dropped = json!([403, "spec393"]);
    assert_eq!(call(&mut ws, "devnet_upgradeRuntime", dropped).await["result"]["specVersion"], 403);
    let announced = next_notification(&mut ws, "state_runtimeVersion").await;
    assert_eq!(announced["result"]["specVersion"], 403);
    let after = hexs(&net.chain.best().hash.0);
    let refused = call(&mut ws, "state_call", json!([hyperparams, hexs(&3u16.encode()), after]));
    let refused = refused.await;
    assert!(
        refused["error"]["message"].as_str().unwrap_or_default().contains("is not found"),
        "{refused}"
    );
    let unknown = call(&mut ws, "devnet_upgradeRuntime", json!([404, "spec999"])).await;
    assert_eq!(error_code(&unknown), -32602, "{unknown}");
    net.stop().await;
}

/// Clients mix versions (async-substrate-interface 1.6 builds storage keys from V14 and decodes
/// with V15's ids; bittensor assumes type 0 is `AccountId32`), so every served version must
/// give every type the same id, as finney does.
#[tokio::test]
async fn served_metadata_versions_agree_on_every_type_id() {
    use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let mut registries = Vec::new();
    for version in [14u32, 15, 16] {
        let reply = call(
            &mut ws,
            "state_call",
            json!(["Metadata_metadata_at_version", hexs(&version.encode())]),
        )
        .await;
        let bytes = hex::decode(reply["result"].as_str().expect("hex").trim_start_matches("0x"))
            .expect("hex");
        let opaque = Option::<Vec<u8>>::decode(&mut &bytes[..]).expect("Option<OpaqueMetadata>");
        let prefixed =
            RuntimeMetadataPrefixed::decode(&mut &opaque.expect("served")[..]).expect("decodes");
        let types = match prefixed.1 {
            RuntimeMetadata::V14(m) => m.types,
            RuntimeMetadata::V15(m) => m.types,
            RuntimeMetadata::V16(m) => m.types,
            other => panic!("unexpected metadata V{}", other.version()),
        };
        registries.push((version, types));
    }
    let (_, v14) = &registries[0];
    assert_eq!(v14.types[0].ty.path.segments, ["sp_core", "crypto", "AccountId32"], "type 0");
    let find = |types: &scale_info::PortableRegistry, path: &str| {
        types.types.iter().find(|t| t.ty.path.segments.join("::") == path).map(|t| t.id)
    };
    let uxt = "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic";
    for (version, types) in &registries {
        assert_eq!(types.types.len(), v14.types.len(), "V{version} has as many types as V14");
        for (a, b) in v14.types.iter().zip(&types.types) {
            assert_eq!((a.id, &a.ty), (b.id, &b.ty), "V{version} type {} differs from V14", a.id);
        }
        assert!(find(types, uxt).is_some(), "V{version} describes {uxt}");
    }
    net.stop().await;
}

#[tokio::test]
async fn a_spec_393_devnet_lacks_the_newer_runtime_apis() {
    let net = devnet(100, |c| c.runtime = RuntimeFlavor::Spec393).await;
    let mut ws = connect(&net.url()).await;
    for method in [
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3",
        "SubnetInfoRuntimeApi_get_next_epoch_start_block",
    ] {
        let reply = call(&mut ws, "state_call", json!([method, "0x0100"])).await;
        assert_eq!(error_code(&reply), 4003, "{reply}");
        assert!(reply.to_string().contains("is not found"), "{reply}");
    }
    let v2 = call(
        &mut ws,
        "state_call",
        json!(["SubnetInfoRuntimeApi_get_subnet_hyperparams_v2", "0x0100"]),
    )
    .await;
    assert!(v2["result"].is_string(), "{v2}");
    net.stop().await;
}

#[tokio::test]
async fn storage_keys_page_and_batch_reads() {
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let mut prefix = storage::prefix("SubtensorModule", "Keys");
    prefix.extend(3u16.encode());
    let keys: Vec<String> = serde_json::from_value(
        call(&mut ws, "state_getKeysPaged", json!([hexs(&prefix), 10])).await["result"].clone(),
    )
    .unwrap();
    assert_eq!(keys.len(), 10);
    let rest: Vec<String> = serde_json::from_value(
        call(&mut ws, "state_getKeysPaged", json!([hexs(&prefix), 100, keys[9]])).await["result"]
            .clone(),
    )
    .unwrap();
    assert_eq!(rest.len(), 6, "subnet 3 has 16 uids");
    assert!(rest.iter().all(|k| !keys.contains(k)));
    let reply = call(&mut ws, "state_getKeysPaged", json!([hexs(&prefix), 5000])).await;
    assert_eq!(error_code(&reply), 4002, "{reply}");
    let batch =
        call(&mut ws, "state_queryStorageAt", json!([[keys[0], "0x0000"]])).await["result"].clone();
    let changes = batch[0]["changes"].as_array().expect("changes");
    let uid0 = keys::account(&keys::derive("sn3-uid0"));
    assert_eq!(changes[0], json!([keys[0], hexs(&uid0.0)]));
    assert_eq!(changes[1], json!(["0x0000", null]));
    let address = keys::ss58(&uid0);
    assert_eq!(call(&mut ws, "system_accountNextIndex", json!([address])).await["result"], 0);
    net.stop().await;
}

#[tokio::test]
async fn a_pruned_devnet_answers_old_state_like_a_lite_node() {
    let net = devnet(30, |c| c.state_pruning = Some(4)).await;
    wait_for_block(&net, 10).await;
    let mut ws = connect(&net.url()).await;
    let old = net.chain.by_number(1).expect("block 1").hash;
    let old_hex = hexs(&old.0);
    let number_key = hexs(&storage::prefix("System", "Number"));
    let reply = call(&mut ws, "state_getStorage", json!([number_key, old_hex])).await;
    assert_eq!(error_code(&reply), 4003, "{reply}");
    let message = reply["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains(&format!("State already discarded for {old_hex}")), "{message}");
    let reply = call(&mut ws, "state_call", json!(["Core_version", "0x", old_hex])).await;
    assert!(
        reply["error"]["message"].as_str().unwrap().contains("State already discarded for"),
        "{reply}"
    );
    // Headers and recent state stay available.
    assert_eq!(call(&mut ws, "chain_getHeader", json!([old_hex])).await["result"]["number"], "0x1");
    let best = hexs(&net.chain.best().hash.0);
    assert!(
        call(&mut ws, "state_getStorage", json!([number_key, best])).await["result"].is_string()
    );
    net.stop().await;
}

#[tokio::test]
async fn two_devnets_with_one_seed_and_genesis_time_make_the_same_blocks() {
    let same = |c: &mut pylon_devnet::DevnetConfig| {
        c.genesis.seed = 42;
        c.genesis_timestamp_ms = Some(1_767_225_600_000);
    };
    let lite = devnet(30, |c| {
        same(c);
        c.state_pruning = Some(4);
    })
    .await;
    let archive = devnet(30, same).await;
    wait_for_block(&lite, 12).await;
    wait_for_block(&archive, 12).await;
    for n in [0, 1, 11, 12] {
        assert_eq!(
            lite.chain.by_number(n).unwrap().hash,
            archive.chain.by_number(n).unwrap().hash,
            "block {n}"
        );
    }
    let other = devnet(30, |c| c.genesis.seed = 43).await;
    assert_ne!(
        other.chain.genesis().hash,
        archive.chain.genesis().hash,
        "the seed shapes the state"
    );
}
