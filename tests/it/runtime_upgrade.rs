//! A runtime upgrade while Pylon runs. The devnet enacts one as `System.set_code` does (its
//! digest, event and per-block versions are checked by polkadot.js and async-substrate-interface
//! in `clients.rs`, which also show the node refusing a transaction signed for the old version):
//! the gateway's reads at `latest` and at blocks on both sides keep answering, with each block's
//! own runtime APIs when the upgrade drops one; a weights job signs for the new version, also in
//! the blocks before the upgrade is final; the CLI's metadata cache learns the new runtime
//! instead of trusting the remembered one.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{devnet, gateway, put_weights, pylon_cached, validator, wait_for_block};
use crate::gateway_writes::{TOKEN, eventually, hotkey_of, identity};
use pylon_devnet::metadata::RuntimeFlavor;
use pylon_devnet::{Devnet, keys};

const NEW_SPEC: u32 = 401;

/// The first block whose runtime is `spec`, once finalized.
async fn enacted(net: &Devnet, spec: u32) -> u32 {
    eventually("the upgrade's block finalized", 20, || {
        net.chain.finalized().runtime.version.spec_version == spec
    })
    .await;
    let finalized = net.chain.finalized().number;
    (1..=finalized)
        .find(|&n| {
            let block = net.chain.by_number(u64::from(n)).expect("block");
            block.runtime.version.spec_version == spec
        })
        .expect("an upgraded block")
}

async fn get(url: String) -> (StatusCode, Value) {
    let resp = reqwest::get(&url).await.expect("response");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// PUTs equal weights for uids 0..4 of subnet 3 as identity `sn` and waits until validator
/// `uid`'s row on chain is them (the node verified the signature).
async fn set_equal_weights(net: &Devnet, base: &str, uid: u16) {
    let weights: serde_json::Map<String, Value> =
        (0..4).map(|u| (hotkey_of(net, 3, u), json!(1.0))).collect();
    put_weights(base, "sn", TOKEN, 3, &weights).await;
    let equal: Vec<(u16, u16)> = (0..4).map(|u| (u, 65_535)).collect();
    eventually("the weights on chain", 20, || {
        net.chain.best().world.subnets[&3].neurons[usize::from(uid)].weights == equal
    })
    .await;
}

/// Runs `pylon --network URL COMMAND --netuid 3 -o json [--block B]` with its metadata cache in
/// `cache`; its JSON output.
async fn subnet_3(
    net: &Devnet,
    cache: &std::path::Path,
    command: &str,
    block: Option<u32>,
) -> Value {
    let mut args: Vec<String> = [command, "--netuid", "3", "-o", "json"].map(String::from).to_vec();
    if let Some(b) = block {
        args.extend(["--block".to_string(), b.to_string()]);
    }
    let shown = args.join(" ");
    let out = pylon_cached(&net.url(), args, Some(cache)).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pylon {shown} failed: {stderr}");
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gateway_reads_and_sets_weights_across_a_runtime_upgrade() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    assert!(net.chain.runtime().version.spec_version < NEW_SPEC);
    let uid = validator(&net, 3);
    let vars = identity(dir.path(), 3, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let neurons = |block: String| format!("{}/api/v1/subnet/3/block/{block}/neurons", gw.base);
    let (status, before) = get(neurons("latest".into())).await;
    assert_eq!(status, StatusCode::OK, "{before}");

    // Between blocks of one runtime Pylon asks no version; after the upgrade's digest it must.
    let core_versions = net.chain.call_count("Core_version");
    net.chain.upgrade_runtime(NEW_SPEC, Some(RuntimeFlavor::Spec393)).expect("upgrade");
    let first = enacted(&net, NEW_SPEC).await;

    // `latest` moves past the upgrade; blocks on either side still read.
    eventually("latest at or after the upgrade", 10, || net.chain.finalized().number > first + 1)
        .await;
    let (status, latest) = get(neurons("latest".into())).await;
    assert_eq!(status, StatusCode::OK, "{latest}");
    assert!(latest["block"]["number"].as_u64() >= Some(u64::from(first)), "{}", latest["block"]);
    for n in [first - 1, first, first + 1] {
        let (status, body) = get(neurons(n.to_string())).await;
        assert_eq!(status, StatusCode::OK, "neurons at #{n}: {body}");
        assert_eq!(body["block"]["number"], json!(n));
        assert_eq!(body["neurons"].as_object().map(|m| m.len()), Some(16), "#{n}");
    }
    assert!(
        net.chain.call_count("Core_version") > core_versions,
        "Pylon never asked the new runtime's version"
    );

    // A weights job after the upgrade: the node verifies the signature over spec 401.
    set_equal_weights(&net, &gw.base, uid).await;
    let account = keys::account(&keys::derive(&keys::hotkey_path(3, uid)));
    assert_eq!(net.chain.best().world.nonce(&account), 1, "one submission");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_reads_after_an_upgrade_with_a_metadata_cache_of_the_old_runtime() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 2).await;
    let cache = tempfile::tempdir().expect("cache");
    let old = subnet_3(&net, cache.path(), "neurons", None).await;
    let old_block = old["block"]["number"].as_u64().expect("block") as u32;
    net.chain.upgrade_runtime(NEW_SPEC, None).expect("upgrade");
    let first = enacted(&net, NEW_SPEC).await;
    let new = subnet_3(&net, cache.path(), "neurons", None).await;
    assert!(new["block"]["number"].as_u64() >= Some(u64::from(first)), "{}", new["block"]);
    assert_eq!(new["neurons"].as_object().map(|m| m.len()), Some(16));
    // The old block still reads with the old runtime's metadata.
    let again = subnet_3(&net, cache.path(), "neurons", Some(old_block)).await;
    assert_eq!(again["block"], old["block"]);
    let names: Vec<String> = std::fs::read_dir(cache.path().join("pylon").join("metadata"))
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with(&format!("-{NEW_SPEC}.scale"))),
        "no metadata of spec {NEW_SPEC} cached: {names:?}"
    );
}

/// The window a real chain has after every upgrade: the best block runs the new runtime (the
/// pool checks signatures against it) while the finalized head still runs the old one. A
/// weights job started in that window must sign for the runtime the pool runs.
#[tokio::test(flavor = "multi_thread")]
async fn weights_set_between_an_upgrade_and_its_finality_are_signed_for_the_new_runtime() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(400, |c| {
        c.wallet_dir = Some(dir.path().to_path_buf());
        c.finality_lag = 3;
    })
    .await;
    wait_for_block(&net, 5).await;
    let uid = validator(&net, 3);
    let mut vars = identity(dir.path(), 3, uid);
    vars.push(("PYLON_METRICS_TOKEN".into(), "metrics".into()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    net.chain.upgrade_runtime(NEW_SPEC, None).expect("upgrade");
    eventually("the upgrade in the best block", 10, || {
        net.chain.best().runtime.version.spec_version == NEW_SPEC
    })
    .await;
    assert!(net.chain.finalized().runtime.version.spec_version < NEW_SPEC, "already final");
    set_equal_weights(&net, &gw.base, uid).await;
    // At the first attempt: signed for the old runtime, the pool would have refused it. The
    // attempt is recorded once finalized.
    let attempts = |text: &str, status: &str| {
        text.lines().any(|l| {
            l.starts_with("pylon_apply_weights_attempt_duration_seconds_count{")
                && l.contains(&format!("status=\"{status}\""))
        })
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let text = loop {
        let text = gw.metrics("metrics").await;
        if attempts(&text, "success") || tokio::time::Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let lines: Vec<&str> =
        text.lines().filter(|l| l.contains("attempt_duration_seconds_count")).collect();
    assert!(attempts(&text, "success") && !attempts(&text, "error"), "{lines:#?}");
}

/// An upgrade that drops a runtime API Pylon uses: `get_subnet_hyperparams_v3` is not in the
/// spec-393 API set. A read after it must use the new runtime's metadata (and fall back to
/// `_v2`); a read at a block before it still has `_v3`. Run through the CLI, whose on-disk
/// metadata cache holds the old runtime's metadata.
#[tokio::test(flavor = "multi_thread")]
async fn after_an_upgrade_that_drops_an_api_reads_use_the_new_runtimes_metadata() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 2).await;
    let cache = tempfile::tempdir().expect("cache");
    let before = subnet_3(&net, cache.path(), "hyperparams", None).await;
    assert_eq!(before["source"], "get_subnet_hyperparams_v3", "{before}");
    let old_block = before["block"]["number"].as_u64().expect("block") as u32;
    net.chain.upgrade_runtime(NEW_SPEC, Some(RuntimeFlavor::Spec393)).expect("upgrade");
    let first = enacted(&net, NEW_SPEC).await;
    let after = subnet_3(&net, cache.path(), "hyperparams", None).await;
    assert!(after["block"]["number"].as_u64() >= Some(u64::from(first)), "{}", after["block"]);
    assert_eq!(after["source"], "get_subnet_hyperparams_v2", "{after}");
    assert_eq!(after["hyperparams"]["tempo"], before["hyperparams"]["tempo"]);
    let old = subnet_3(&net, cache.path(), "hyperparams", Some(old_block)).await;
    assert_eq!(old["source"], "get_subnet_hyperparams_v3", "{old}");
}
