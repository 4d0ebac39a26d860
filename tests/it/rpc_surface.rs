//! The node behaviour third-party clients rely on beyond the basics: named parameters, hex
//! without `0x`, storage and runtime-version subscriptions, fee queries, key listings and the
//! small `system_*`/`author_*` methods.

use parity_scale_codec::{Compact, Decode, Encode};
use serde_json::{Value, json};

use crate::common::{devnet, wait_for_block};
use crate::rpc::{call, connect, error_code, hexs, next_notification};
use pylon_devnet::mirror::node_subtensor_runtime::{Runtime, RuntimeCall};
use pylon_devnet::mirror::pallet_subtensor::pallet::Call as SubtensorCall;
use pylon_devnet::{keys, storage};

#[tokio::test]
async fn named_parameters_and_bare_hex_read_as_positional_ones() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 2).await;
    let mut ws = connect(&net.url()).await;
    let at = hexs(&net.chain.by_number(1).expect("block 1").hash.0);
    let pairs = [
        ("chain_getHeader", json!([at]), json!({ "hash": at })),
        ("chain_getHeader", json!([]), json!({ "hash": null })),
        ("chain_getBlockHash", json!([1]), json!({ "hash": 1 })),
        ("state_getRuntimeVersion", json!([at]), json!({ "hash": at })),
        (
            "state_call",
            json!(["NeuronInfoRuntimeApi_get_neurons_lite", "0x0300", at]),
            json!({ "name": "NeuronInfoRuntimeApi_get_neurons_lite", "bytes": "0300", "hash": at }),
        ),
        (
            "state_getStorage",
            json!([hexs(&storage::prefix("System", "Number")), at]),
            json!({ "key": hex::encode(storage::prefix("System", "Number")), "hash": at }),
        ),
        (
            "state_getKeysPaged",
            json!([hexs(&storage::prefix("SubtensorModule", "Keys")), 5, null, at]),
            json!({ "prefix": hexs(&storage::prefix("SubtensorModule", "Keys")), "count": 5, "hash": at }),
        ),
        (
            "state_queryStorageAt",
            json!([[hexs(&storage::prefix("System", "Number"))], at]),
            json!({ "keys": [hex::encode(storage::prefix("System", "Number"))], "at": at }),
        ),
    ];
    for (method, positional, named) in pairs {
        let a = call(&mut ws, method, positional).await;
        let b = call(&mut ws, method, named.clone()).await;
        assert!(a.get("result").is_some(), "{method}: {a}");
        assert_eq!(a["result"], b["result"], "{method} with {named}");
    }
    let reply = call(&mut ws, "state_call", json!({ "bytes": "0x" })).await;
    assert_eq!(error_code(&reply), -32602, "a missing named parameter: {reply}");
    assert!(reply.to_string().contains("name"), "{reply}");
    net.stop().await;
}

#[tokio::test]
async fn storage_subscriptions_send_current_values_then_only_changes() {
    let net = devnet(50, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let number = hexs(&storage::prefix("System", "Number"));
    let absent = hexs(&storage::prefix("Nothing", "Here"));
    let reply = call(&mut ws, "state_subscribeStorage", json!([[number, absent]])).await;
    let id = reply["result"].clone();
    let text = id.as_str().unwrap_or_default();
    assert!(text.len() == 34 && text.starts_with("0x"), "subtensor's subscription ids: {reply}");
    let first = next_notification(&mut ws, "state_storage").await;
    assert_eq!(first["result"]["changes"].as_array().expect("changes").len(), 2, "{first}");
    assert_eq!(first["result"]["changes"][1], json!([absent, null]), "an absent key is null");
    let mut last = 0u32;
    for _ in 0..3 {
        let next = next_notification(&mut ws, "state_storage").await;
        let changes = next["result"]["changes"].as_array().expect("changes").clone();
        assert_eq!(changes.len(), 1, "only the changed key: {next}");
        assert_eq!(changes[0][0], json!(number));
        let bytes = hex::decode(&changes[0][1].as_str().expect("value").as_bytes()[2..]).unwrap();
        let n = u32::decode(&mut &bytes[..]).expect("u32");
        assert!(n > last, "block numbers rise: {n} after {last}");
        let block = next["result"]["block"].as_str().expect("block hash");
        assert_eq!(block, hexs(&net.chain.by_number(u64::from(n)).expect("block").hash.0));
        last = n;
    }
    let reply = call(&mut ws, "state_unsubscribeStorage", json!([id])).await;
    assert_eq!(reply["result"], json!(true), "{reply}");
    let reply = call(&mut ws, "state_subscribeRuntimeVersion", json!([])).await;
    let id = reply["result"].clone();
    let version = next_notification(&mut ws, "state_runtimeVersion").await;
    let current = call(&mut ws, "state_getRuntimeVersion", json!([])).await;
    assert_eq!(version["result"], current["result"]);
    let reply = call(&mut ws, "state_unsubscribeRuntimeVersion", json!([id])).await;
    assert_eq!(reply["result"], json!(true), "{reply}");
    net.stop().await;
}

/// A signed `set_weights` extrinsic with a dummy signature (fee queries do not check it).
fn signed_set_weights(signer: [u8; 32]) -> Vec<u8> {
    let call = RuntimeCall::SubtensorModule(SubtensorCall::<Runtime>::set_weights {
        netuid: 1,
        dests: vec![0, 1],
        weights: vec![65535, 100],
        version_key: 0,
    });
    let mut body = vec![0x84, 0x00];
    body.extend(signer);
    body.push(0x01);
    body.extend([0u8; 64]);
    body.push(0x00); // immortal
    Compact(0u32).encode_to(&mut body);
    Compact(0u64).encode_to(&mut body);
    body.push(0x00); // metadata hash disabled
    call.encode_to(&mut body);
    body.encode()
}

#[tokio::test]
async fn fee_queries_and_small_node_methods() {
    let net = devnet(100, |_| {}).await;
    let mut ws = connect(&net.url()).await;
    let who = keys::account(&keys::derive("sn1-uid0"));
    let xt = signed_set_weights(who.0);
    let info = call(&mut ws, "payment_queryInfo", json!([hexs(&xt)])).await["result"].clone();
    assert_eq!(info["partialFee"], "0", "weights are Pays::No on subtensor: {info}");
    assert_eq!(info["class"], "normal");
    assert!(info["weight"]["ref_time"].as_u64().expect("ref_time") > 118_000_000_000, "{info}");
    let named = call(&mut ws, "payment_queryInfo", json!({ "encoded_xt": hex::encode(&xt) })).await;
    assert_eq!(named["result"], info);
    let mut args = xt.clone();
    (xt.len() as u32).encode_to(&mut args);
    let api =
        call(&mut ws, "state_call", json!(["TransactionPaymentApi_query_info", hexs(&args)])).await;
    let bytes = hex::decode(&api["result"].as_str().expect("hex")[2..]).expect("hex");
    // RuntimeDispatchInfo { weight: { ref_time: Compact, proof_size: Compact }, class, partial_fee: u64 }
    let (ref_time, proof, class, fee) =
        <(Compact<u64>, Compact<u64>, u8, u64)>::decode(&mut &bytes[..]).expect("decodes");
    assert_eq!(ref_time.0, info["weight"]["ref_time"].as_u64().unwrap());
    assert_eq!(proof.0, info["weight"]["proof_size"].as_u64().unwrap());
    assert_eq!((class, fee), (0, 0));
    let details = call(&mut ws, "payment_queryFeeDetails", json!([hexs(&xt)])).await;
    assert_eq!(details["result"]["inclusionFee"], Value::Null, "{details}");
    let reply = call(&mut ws, "payment_queryInfo", json!(["0x0102"])).await;
    assert!(reply["error"].is_object(), "undecodable bytes are an error: {reply}");

    let ss58 = keys::ss58(&who);
    assert_eq!(call(&mut ws, "account_nextIndex", json!([ss58])).await["result"], 0);
    let prefix = {
        let mut p = storage::prefix("SubtensorModule", "Keys");
        p.extend(3u16.encode());
        p
    };
    let all = call(&mut ws, "state_getKeys", json!([hexs(&prefix)])).await["result"].clone();
    assert_eq!(all.as_array().expect("keys").len(), 16, "subnet 3 has 16 uids");
    let key = all[0].clone();
    let value = call(&mut ws, "state_getStorage", json!([key])).await["result"].clone();
    let value = hex::decode(&value.as_str().expect("value")[2..]).unwrap();
    let hash = call(&mut ws, "state_getStorageHash", json!([key])).await["result"].clone();
    assert_eq!(hash, json!(hexs(&sp_core::blake2_256(&value))));
    let size = call(&mut ws, "state_getStorageSize", json!([key])).await["result"].clone();
    assert_eq!(size, json!(value.len()));
    let absent = hexs(&storage::prefix("Nothing", "Here"));
    let absent = absent.as_str();
    for method in ["state_getStorageHash", "state_getStorageSize"] {
        assert_eq!(call(&mut ws, method, json!([absent])).await["result"], Value::Null);
    }
    let sync = call(&mut ws, "system_syncState", json!([])).await["result"].clone();
    assert!(sync["currentBlock"].as_u64().is_some() && sync["startingBlock"] == 0, "{sync}");
    assert_eq!(call(&mut ws, "author_pendingExtrinsics", json!([])).await["result"], json!([]));
    let peer = call(&mut ws, "system_localPeerId", json!([])).await["result"].clone();
    assert!(peer.as_str().is_some_and(|p| p.starts_with("12D3KooW")), "{peer}");
    // Something the devnet does not serve: the node's error, and the connection lives on.
    let reply = call(&mut ws, "state_call", json!(["BlockBuilder_finalize_block", "0x"])).await;
    assert_eq!(error_code(&reply), 4003, "{reply}");
    let reply = call(&mut ws, "grandpa_roundState", json!([])).await;
    assert_eq!(error_code(&reply), -32601, "{reply}");
    let reply = call(&mut ws, "state_call", json!(["Core_execute_block", "0x00"])).await;
    assert_eq!(error_code(&reply), 4003, "{reply}");
    assert!(call(&mut ws, "system_health", json!([])).await["result"].is_object());
    // The devnet's own method: its drand beacon, which Pylon uses without PYLON_DRAND_*.
    let beacon = call(&mut ws, "devnet_drandBeacon", json!([])).await["result"].clone();
    let listed = call(&mut ws, "rpc_methods", json!([])).await["result"]["methods"].clone();
    assert!(
        !listed.as_array().expect("methods").contains(&json!("devnet_drandBeacon")),
        "callable but unlisted: clients that decorate listed methods know only real ones"
    );
    let drand = net.chain.drand();
    assert_eq!(beacon["publicKey"], json!(hexs(&drand.public_key)));
    assert_eq!(
        (beacon["genesisTime"].as_u64(), beacon["period"].as_u64()),
        (Some(drand.genesis), Some(3))
    );
    // state_queryStorage walks a block range and reports each change once.
    wait_for_block(&net, 3).await;
    let number = hexs(&storage::prefix("System", "Number"));
    let (b1, b3) = (net.chain.by_number(1).unwrap().hash, net.chain.by_number(3).unwrap().hash);
    let sets =
        call(&mut ws, "state_queryStorage", json!([[number, absent], hexs(&b1.0), hexs(&b3.0)]))
            .await["result"]
            .clone();
    let sets = sets.as_array().expect("change sets");
    assert_eq!(sets.len(), 3, "one set per block where the number changed: {sets:?}");
    assert_eq!(sets[0]["changes"].as_array().unwrap().len(), 2, "all keys at the first block");
    assert_eq!(sets[2]["changes"][0][1], json!(hexs(&3u32.encode())));
    net.stop().await;
}

#[tokio::test]
async fn selected_metagraph_fields_and_early_blocks_answer() {
    use pylon_devnet::metadata::RuntimeFlavor;
    use pylon_devnet::mirror::pallet_subtensor::rpc_info::metagraph::SelectiveMetagraph;
    use pylon_devnet::mirror::sp_core::crypto::AccountId32;
    // A spec-393 chain before subnet 1's first epoch: the metagraph still answers.
    let net = devnet(100, |c| c.runtime = RuntimeFlavor::Spec393).await;
    wait_for_block(&net, 1).await;
    let mut ws = connect(&net.url()).await;
    let at = hexs(&net.chain.by_number(1).expect("block 1").hash.0);
    let reply =
        call(&mut ws, "state_call", json!(["SubnetInfoRuntimeApi_get_metagraph", "0x0100", at]))
            .await;
    assert!(reply["result"].is_string(), "{reply}");
    let mut args = (1u16, 0u8).encode();
    vec![0u16, 8, 52, 72].encode_to(&mut args);
    let reply = call(
        &mut ws,
        "state_call",
        json!(["SubnetInfoRuntimeApi_get_selective_mechagraph", hexs(&args)]),
    )
    .await;
    let bytes = hex::decode(&reply["result"].as_str().expect("hex")[2..]).expect("hex");
    let m = Option::<SelectiveMetagraph<AccountId32>>::decode(&mut &bytes[..])
        .expect("decodes")
        .expect("subnet 1 exists");
    assert_eq!(m.netuid, 1);
    assert_eq!(m.tempo.map(|t| t.0), Some(360));
    assert_eq!(m.hotkeys.as_ref().map(Vec::len), Some(256));
    assert!(m.name.is_none() && m.coldkeys.is_none(), "only the asked fields");
    assert_eq!(m.validators.as_ref().map(Vec::len), Some(64), "subnet 1 has 64 permits");
    // Another mechanism than 0 does not exist on the devnet.
    let mut args = (1u16, 1u8).encode();
    vec![0u16].encode_to(&mut args);
    let reply = call(
        &mut ws,
        "state_call",
        json!(["SubnetInfoRuntimeApi_get_selective_mechagraph", hexs(&args)]),
    )
    .await;
    assert_eq!(reply["result"], json!("0x00"));
    net.stop().await;
}
