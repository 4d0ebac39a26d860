//! The block-level reads through the gateway and their CLI twins: a signed extrinsic decoded,
//! an index past the end (also when the block is old enough to be read from the archive node),
//! alpha prices, the drand round and EVM associations.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{devnet_with_wallet, gateway, pylon, validator, wait_for_block};
use pylon_devnet::keys;

async fn get(url: String, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("response");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// `pylon ARGS -o json` with both networks at the devnet.
async fn cli_json(url: &str, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all: Vec<String> = ["--archive-network", url, "--archive-cutoff", "2", "-o", "json"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    all.extend(args.iter().map(|s| s.to_string()));
    let out = pylon(url, all).await;
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn extrinsics_prices_and_rounds_via_gateway_and_cli() {
    let (_dir, net, wallet) = devnet_with_wallet().await;
    let url = net.url();
    let uid = validator(&net, 3);
    let hotkey_name = keys::hotkey_path(3, uid);
    let commit = [
        "commit",
        "--netuid",
        "3",
        "--wallet-path",
        &wallet,
        "--wallet-name",
        "devnet",
        "--hotkey-name",
        &hotkey_name,
        "--yes",
        "--data-hex",
        "0xc0ffee",
    ];
    let out = pylon(&url, commit.iter().map(|s| s.to_string()).collect()).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let hotkey = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].hotkey;
    let block = net.chain.best().world.subnets[&3].neurons[usize::from(uid)]
        .commitment
        .as_ref()
        .expect("committed")
        .0;

    let vars = [
        ("PYLON_BITTENSOR_ARCHIVE_NETWORK", url.as_str()),
        ("PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF", "2"),
        ("PYLON_OPEN_ACCESS_TOKEN", "oa"),
    ];
    let gw = gateway(&net, &vars).await;
    let (s, x) = get(format!("{}/api/v1/block/{block}/extrinsic/1", gw.base), None).await;
    assert_eq!(s, StatusCode::OK, "{x}");
    assert_eq!(x["block_number"], json!(block));
    assert_eq!(x["address"], json!(format!("0x{}", hex::encode(hotkey.0))), "the signer");
    assert_eq!(x["call"]["call_module"], "Commitments");
    assert_eq!(x["call"]["call_function"], "set_commitment");
    assert_eq!(x["call"]["call_args"][0], json!({"name": "netuid", "type": "u16", "value": 3}));
    assert_eq!(
        x["call"]["call_args"][1]["value"],
        json!({"fields": [{"Raw3": "0xc0ffee"}]}),
        "the committed bytes"
    );
    assert!(x["nonce"].is_u64() && x["tip"] == json!(0) && x["signature"]["Sr25519"].is_string());
    let (s, twin) =
        get(format!("{}/api/_unstable/openaccess/block/{block}/extrinsic/1", gw.base), Some("oa"))
            .await;
    assert_eq!((s, &twin), (StatusCode::OK, &x), "v1 and unstable agree");
    let block_text = block.to_string();
    let (code, cli, err) = cli_json(&url, &["block", &block_text, "--extrinsic", "1"]).await;
    assert_eq!((code, &cli), (Some(0), &x), "the CLI prints what the API answers: {err}");

    // Past the end: the contract's 404, also once the block is read from the archive node.
    let missing = json!({"status_code": 404, "detail": format!("Extrinsic {block}-7 not found.")});
    let (s, v) = get(format!("{}/api/v1/block/{block}/extrinsic/7", gw.base), None).await;
    assert_eq!((s, &v), (StatusCode::NOT_FOUND, &missing));
    wait_for_block(&net, block + 8).await;
    let (s, v) = get(format!("{}/api/v1/block/{block}/extrinsic/8", gw.base), None).await;
    let archived = json!({"status_code": 404, "detail": format!("Extrinsic {block}-8 not found.")});
    assert_eq!((s, v), (StatusCode::NOT_FOUND, archived), "an archive read that finds nothing");
    let unknown = format!("{}/api/_unstable/openaccess/subnet/99/block/{block}/neurons", gw.base);
    let (s, v) = get(unknown, Some("oa")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an unknown subnet at an archived block: {v}");
    let (code, _, err) = cli_json(&url, &["block", &block_text, "--extrinsic", "8"]).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&format!("block {block} has no extrinsic 8")), "{err}");

    // Prices: the map, one subnet, the CLI.
    let (s, all) =
        get(format!("{}/api/_unstable/openaccess/block/latest/prices", gw.base), Some("oa")).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let prices = all["prices"].as_object().expect("map");
    assert_eq!(prices.keys().collect::<Vec<_>>(), ["1", "2", "3"], "netuid strings");
    assert!(prices.values().all(|p| p["value"].as_u64().is_some_and(|v| v > 0)));
    let at = all["block"]["number"].as_u64().expect("block");
    let (s, one) =
        get(format!("{}/api/_unstable/openaccess/subnet/2/block/{at}/price", gw.base), Some("oa"))
            .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((&one["netuid"], &one["price"]), (&json!(2), &prices["2"]));
    let at_text = at.to_string();
    let (code, cli, err) = cli_json(&url, &["prices", "--block", &at_text]).await;
    assert_eq!((code, cli), (Some(0), all.clone()), "{err}");

    let (s, round) = get(
        format!("{}/api/_unstable/openaccess/block/latest/drand/last_stored_round", gw.base),
        Some("oa"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(round["last_stored_round"].is_u64(), "{round}");

    // EVM associations: uids ≡ 7 mod 16 (README), keyed by hotkey.
    let (s, evm) = get(
        format!("{}/api/_unstable/openaccess/subnet/1/block/latest/evm_associations", gw.base),
        Some("oa"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let map = evm["evm_associations"].as_object().expect("map");
    assert_eq!(map.len(), 16, "256 neurons, one in 16");
    let uid7 = keys::ss58(&keys::account(&keys::derive("sn1-uid7")));
    let entry = &map[&uid7];
    assert_eq!(entry["hotkey"], json!(uid7));
    let address = entry["evm_address"].as_str().expect("address");
    assert!(address.len() == 42 && address.starts_with("0x"), "{address}");
}
