//! The published Python client, `bittensor-pylon-client` 2.3.1, against `pylon serve`.
//!
//! Runs when `PYLON_PYTHON` names a Python with the client installed (CI sets one up);
//! otherwise it says it is skipped, except under CI (`CI=true`), where that is a failure.

use std::io::Write;
use std::sync::Arc;

use serde_json::Value;

use crate::common::{devnet, wait_for_block};
use pylon::config::ServerConfig;
use pylon::server::{AppState, serve_on};

#[tokio::test(flavor = "multi_thread")]
async fn the_python_client_reads_through_the_gateway() {
    let Some(python) = std::env::var_os("PYLON_PYTHON") else {
        crate::common::require_outside_prerequisite("PYLON_PYTHON (a Python set up by .ci/run)");
        let _ = writeln!(std::io::stderr(), "skipped: PYLON_PYTHON is not set (see .ci/run)");
        return;
    };
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 6).await;
    // The identity is a validator with a commitment, so its own commitment can be read.
    let own = net.chain.best().world.subnets[&1]
        .neurons
        .iter()
        .find(|n| n.validator_permit && n.commitment.is_some())
        .expect("a committed validator")
        .uid;
    let vars = [
        ("PYLON_BITTENSOR_WALLET_PATH", dir.path().to_string_lossy().into_owned()),
        ("PYLON_BITTENSOR_NETWORK", net.url()),
        ("PYLON_OPEN_ACCESS_TOKEN", "oa-token".into()),
        ("PYLON_IDENTITIES", r#"["sn1"]"#.into()),
        ("PYLON_ID_SN1_WALLET_NAME", "devnet".into()),
        ("PYLON_ID_SN1_HOTKEY_NAME", format!("sn1-uid{own}")),
        ("PYLON_ID_SN1_NETUID", "1".into()),
        ("PYLON_ID_SN1_TOKEN", "sn1-token".into()),
        ("PYLON_DATABASE_PATH", dir.path().join("pylon.db").display().to_string()),
    ];
    let config = ServerConfig::from_vars(vars.map(|(k, v)| (k.to_string(), v))).expect("config");
    let own_hotkey = pylon_devnet::keys::ss58(&pylon_devnet::keys::account(
        &pylon_devnet::keys::derive(&format!("sn1-uid{own}")),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(serve_on(
        listener,
        Arc::new(AppState::new(config).expect("state")),
        std::future::pending(),
    ));

    let block = net.chain.finalized().number.to_string();
    let url = net.url();
    let b = block.clone();
    let cli = tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(["--network", &url, "neurons", "--netuid", "1", "--block", &b, "-o", "json"])
            .output()
            .expect("pylon runs")
    })
    .await
    .expect("joined");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("CLI JSON");

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/pylon_client_check.py");
    let out = tokio::process::Command::new(python)
        .args([script, &base, "oa-token", "sn1-token", &block])
        .output()
        .await
        .expect("python runs");
    assert!(
        out.status.success(),
        "client check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).expect("client JSON");
    let client_neurons = &read["neurons_at_block"];
    assert_eq!(client_neurons["block"], cli["block"]);
    let (a, b) = (
        client_neurons["neurons"].as_object().expect("map"),
        cli["neurons"].as_object().expect("map"),
    );
    assert_eq!(a.len(), 256);
    for (hotkey, n) in b {
        let c = &a[hotkey];
        for key in [
            "uid",
            "coldkey",
            "stake",
            "emission",
            "incentive",
            "dividends",
            "last_update",
            "validator_permit",
            "stakes",
        ] {
            assert_eq!(c[key], n[key], "{hotkey} {key}");
        }
        assert_eq!(c["axon_info"]["port"], n["axon_info"]["port"]);
    }
    assert_eq!(read["latest_neurons"], 256);
    assert_eq!(read["validators"].as_array().expect("list").len(), 64);
    assert_eq!(read["identity_neurons"], 256);
    assert_eq!(
        (&read["after_308"], &read["netuid_after_308"]),
        (&serde_json::json!(256), &serde_json::json!(1)),
        "the client follows the 308 to the identity's netuid"
    );
    assert_eq!(read["identity_validators"], 64);
    assert_eq!(read["unstable_neurons"], 64);
    assert_eq!(read["unstable_identity_neurons"], 256);
    assert_eq!(read["unstable_kinds"], serde_json::json!(["hex_data", "timelock_encrypted"]));
    assert_eq!(read["one_commitment"], read["identity_commitment"]);
    assert_eq!(
        read["own_commitment"], read["commitments"][&own_hotkey],
        "the identity's own commitment"
    );
    assert_eq!(read["commitments"].as_object().expect("map").len(), 32);
    assert!(read["revealed"].as_u64().expect("count") > 0);

    // The client's writes, read back from the chain.
    assert!(read["set_commitment"].is_object(), "set_commitment returned without an error");
    assert_eq!(read["own_commitment_after"], "0xfeedbeef");
    assert_eq!(read["weights_submitted"], true);
    let subnet = net.chain.best().world.subnets[&1].clone();
    let uid_of = |hotkey: &Value| {
        let text = hotkey.as_str().expect("hotkey");
        subnet
            .neurons
            .iter()
            .find(|n| pylon_devnet::keys::ss58(&n.hotkey) == text)
            .expect("registered")
            .uid
    };
    let targets = read["weight_targets"].as_array().expect("targets");
    let mut expected: Vec<(u16, u16)> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (uid_of(t), if i == 0 { 65_535 } else { 32_768 }))
        .collect();
    expected.sort();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while net.chain.best().world.subnets[&1].neurons[usize::from(own)].weights != expected {
        if tokio::time::Instant::now() > deadline {
            let db = dir.path().join("pylon.db");
            let store = pylon::server::jobs::store::Store::open(&db).expect("db");
            let chain =
                net.chain.best().world.subnets[&1].neurons[usize::from(own)].weights.clone();
            panic!(
                "the client's weights never reached the chain: jobs {:?}, chain {chain:?}, expected {expected:?}",
                store.running()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
