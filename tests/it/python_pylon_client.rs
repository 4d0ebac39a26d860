//! The published Python client, `bittensor-pylon-client` 2.3.1, against `pylon serve`: every
//! public method of its v1 and unstable namespaces (open access and identity), with the sync and
//! the async client (`tests/python/pylon_client_contract.py` asserts each answer and fails when
//! the client grows a method it does not drive), its certificate pinning against Pylon's
//! `public_key`, and the writes read back from the chain.
//!
//! Runs when `PYLON_PYTHON` names a Python with the client installed (CI sets one up);
//! otherwise it says it is skipped, except under CI (`CI=true`), where that is a failure.

use std::io::Write;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::common::{devnet, wait_for_block};
use pylon::config::ServerConfig;
use pylon::server::{AppState, serve_on};
use pylon_devnet::keys;

async fn serve(vars: Vec<(String, String)>) -> String {
    let config = ServerConfig::from_vars(vars).expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(serve_on(
        listener,
        Arc::new(AppState::new(config).expect("state")),
        std::future::pending(),
    ));
    base
}

fn ss58_of(netuid: u16, uid: u16) -> String {
    keys::ss58(&keys::account(&keys::derive(&keys::hotkey_path(netuid, uid))))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_client_method_against_the_gateway() {
    let Some(python) = std::env::var_os("PYLON_PYTHON") else {
        crate::common::require_outside_prerequisite("PYLON_PYTHON (a Python set up by .ci/run)");
        let _ = writeln!(std::io::stderr(), "skipped: PYLON_PYTHON is not set (see .ci/run)");
        return;
    };
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 40).await;
    let world = net.chain.best().world.clone();
    let subnet = &world.subnets[&1];
    // The identity is a validator with a data commitment (README: uids ≡ 1 mod 8).
    let own = subnet
        .neurons
        .iter()
        .find(|n| n.validator_permit && n.commitment.is_some() && n.uid % 8 == 1)
        .expect("a committed validator")
        .uid;
    let evm_url = net.url().replace("ws://", "http://");
    let common = |extra: &[(&str, String)]| -> Vec<(String, String)> {
        let mut v = vec![
            ("PYLON_BITTENSOR_WALLET_PATH", dir.path().to_string_lossy().into_owned()),
            ("PYLON_BITTENSOR_NETWORK", net.url()),
            ("PYLON_BITTENSOR_ARCHIVE_NETWORK", net.url()),
            ("PYLON_EVM_RPC_URL", evm_url.clone()),
            ("PYLON_EVM_ARCHIVE_RPC_URL", evm_url.clone()),
            ("PYLON_IDENTITIES", r#"["sn1"]"#.into()),
            ("PYLON_ID_SN1_WALLET_NAME", "devnet".into()),
            ("PYLON_ID_SN1_HOTKEY_NAME", keys::hotkey_path(1, own)),
            ("PYLON_ID_SN1_NETUID", "1".into()),
            ("PYLON_ID_SN1_TOKEN", "sn1-token".into()),
            // Reveal rounds are counted in blocks of this length: 100 ms, as the devnet's.
            ("PYLON_BLOCK_DURATION_SECONDS", "0.1".into()),
            ("PYLON_RECENT_OBJECTS_NETUIDS", "[1]".into()),
        ];
        v.extend(extra.iter().cloned());
        v.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    let base = serve(common(&[
        ("PYLON_OPEN_ACCESS_TOKEN", "oa-token".into()),
        ("PYLON_DATABASE_PATH", dir.path().join("pylon.db").display().to_string()),
    ]))
    .await;
    let open_base =
        serve(common(&[("PYLON_DATABASE_PATH", dir.path().join("open.db").display().to_string())]))
            .await;

    // Facts from the README's genesis rules, for the script's checks.
    let uids = |rule: &dyn Fn(u16) -> bool| -> Vec<String> {
        (0..256u16).filter(|u| rule(*u)).map(|u| ss58_of(1, u)).collect()
    };
    let hex_of = |uid: u16| -> String {
        let text = format!("{{\"endpoint\":\"https://sn1-uid{uid}.devnet.invalid\"}}");
        format!("0x{}", hex::encode(text))
    };
    let block = u64::from(net.chain.finalized().number);
    let (evm_from, evm_to) = (1u64, 35u64);
    let listed = ["Transfer", "Memo", "Tagged"].map(|name| {
        let sig = match name {
            "Transfer" => "Transfer(address,address,uint256)",
            "Memo" => "Memo(uint16,string,bytes,bool,int64,uint32[],bytes32)",
            _ => "Tagged(string,address)",
        };
        sp_core::hashing::keccak_256(sig.as_bytes())
    });
    let evm_log_count = (evm_from..=evm_to)
        .flat_map(pylon_devnet::evm::logs)
        .filter(|l| l.address == pylon_devnet::evm::token() && listed.contains(&l.topics[0]))
        .count();
    let facts = json!({
        "base": base,
        "open_base": open_base,
        "netuid": 1,
        "block": block,
        "neurons": 256,
        "validators": 64,
        "data_commitments": 32,
        "committed_hotkey": ss58_of(1, 9),
        "committed_data": hex_of(9),
        "own_hotkey": ss58_of(1, own),
        "own_data": hex_of(own),
        "genesis_reveal_round": pylon_devnet::genesis::GENESIS_REVEAL_ROUND,
        "timelocked_hotkeys": uids(&|u| u % 64 == 13),
        "revealed_hotkeys": uids(&|u| u % 32 == 5),
        "revealed_hotkey": ss58_of(1, 5),
        "revealed_text": "revealed by sn1-uid5",
        "certificate_hotkey": ss58_of(1, 3),
        "evm_hotkeys": uids(&|u| u % 16 == 7),
        "evm_contract": format!("0x{}", hex::encode(pylon_devnet::evm::token())),
        "evm_abi": serde_json::from_str::<Value>(pylon_devnet::evm::TOKEN_ABI).expect("abi"),
        "evm_from": evm_from,
        "evm_to": evm_to,
        "evm_log_count": evm_log_count,
    });
    let facts_file = dir.path().join("facts.json");
    std::fs::write(&facts_file, facts.to_string()).expect("facts");

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/pylon_client_contract.py");
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(240),
        tokio::process::Command::new(python)
            .arg(script)
            .arg(&facts_file)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the client script finishes within 4 minutes")
    .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client contract failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_str(stdout.trim()).expect("client JSON");
    // 19 open-access and 24 identity methods in each of v1 and unstable.
    assert_eq!(read["methods"], json!(86), "every public method of the client was driven");

    // The client's neurons equal what `pylon neurons` prints for the same block.
    let url = net.url();
    let b = block.to_string();
    let cli = tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(["--network", &url, "--archive-network", &url])
            .args(["neurons", "--netuid", "1", "--block", &b, "-o", "json"])
            .output()
            .expect("pylon runs")
    })
    .await
    .expect("joined");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("CLI JSON");
    let client_neurons = &read["neurons_at_block"];
    assert_eq!(client_neurons["block"], cli["block"]);
    for (hotkey, n) in cli["neurons"].as_object().expect("map") {
        let c = &client_neurons["neurons"][hotkey];
        for key in ["uid", "coldkey", "stake", "emission", "incentive", "last_update", "stakes"] {
            assert_eq!(c[key], n[key], "{hotkey} {key}");
        }
    }

    // The writes, read back from the chain.
    let now = net.chain.best().world.clone();
    let me = &now.subnets[&1].neurons[usize::from(own)];
    let raw = me.commitment.as_ref().map(|(_, fields)| fields.clone()).unwrap_or_default();
    assert!(
        me.revealed
            .iter()
            .any(|(data, _)| pylon::chain::reads::revealed_text(data)
                == "sealed by the async client"),
        "the timelocked commitment was revealed on chain (commitment now {raw:?})"
    );
    let key = read["pinned_public_key"].as_str().expect("key");
    let cert = me.certificate.as_ref().expect("certificate");
    assert_eq!(hex::encode(&cert.public_key.0), key, "the pinned key is the one on chain");
    let uid_of = |hotkey: &Value| {
        let text = hotkey.as_str().expect("hotkey");
        now.subnets[&1].neurons.iter().find(|n| keys::ss58(&n.hotkey) == text).expect("uid").uid
    };
    let mut expected: Vec<(u16, u16)> = read["weight_targets"]
        .as_array()
        .expect("targets")
        .iter()
        .enumerate()
        .map(|(i, t)| (uid_of(t), if i == 0 { 65_535 } else { 32_768 }))
        .collect();
    expected.sort();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while net.chain.best().world.subnets[&1].neurons[usize::from(own)].weights != expected {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the client's weights never reached the chain: {:?}, expected {expected:?}",
            net.chain.best().world.subnets[&1].neurons[usize::from(own)].weights
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
