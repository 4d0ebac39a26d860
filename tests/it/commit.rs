//! `pylon commit` against a devnet, and one hotkey sending a weights and a commitment
//! extrinsic back to back (local nonces).

use std::collections::BTreeMap;

use crate::common::{devnet, devnet_with_wallet, pylon, validator, wait_for_block};
use pylon::chain::signer::HotkeySigner;
use pylon::chain::{ChainClient, ChainConfig};
use pylon::network::Network;
use pylon::weights::Target;
use pylon::writes::plan::Plan;
use pylon::writes::{Submitter, calls};
use pylon_devnet::keys;

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn commit_sets_reads_back_and_refuses_bad_data() {
    let (dir, net, wallet) = devnet_with_wallet().await;
    let url = net.url();
    let uid = validator(&net, 3);
    let hotkey_name = keys::hotkey_path(3, uid);
    let args = |extra: &[&str]| -> Vec<String> {
        let base = ["commit", "--netuid", "3", "--wallet-path", &wallet, "--wallet-name", "devnet"];
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        v.extend(["--hotkey-name".to_string(), hotkey_name.clone(), "--yes".into()]);
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };

    let out = pylon(&url, args(&["--data-hex", "0xc0ffee", "--dry-run"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(net.chain.best().world.subnets[&3].neurons[usize::from(uid)].commitment.is_none());

    let out = pylon(&url, args(&["--data-hex", "0xc0ffee"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    assert_eq!(
        (done["commitment"].as_str(), &done["verified"]),
        (Some("0xc0ffee"), &serde_json::json!(true))
    );
    let hotkey = done["hotkey"].as_str().expect("hotkey").to_string();
    let read = pylon(
        &url,
        vec![
            "commitments".into(),
            "--netuid".into(),
            "3".into(),
            "--hotkey".into(),
            hotkey.clone(),
            "-o".into(),
            "json".into(),
        ],
    )
    .await;
    let read: serde_json::Value = serde_json::from_slice(&read.stdout).expect("JSON read");
    assert_eq!(read["commitment"], "0xc0ffee");

    // 300 bytes of text go out as BigRaw.
    let long = "x".repeat(300);
    let out = pylon(&url, args(&["--data", &long])).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stored = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].commitment.clone();
    assert_eq!(stored.expect("committed").1[0].bytes(), long.as_bytes());

    let file = dir.path().join("big.bin");
    std::fs::write(&file, vec![7u8; 513]).expect("write");
    let out = pylon(&url, args(&["--file", file.to_str().expect("utf-8")])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("513 bytes"), "{}", text(&out));
    let out = pylon(&url, args(&["--data-hex", "0xabc"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("\"0xabc\"") && text(&out).contains("not a valid hex"),
        "{}",
        text(&out)
    );
    let out = pylon(&url, args(&[])).await;
    assert_eq!(out.status.code(), Some(2), "no data is a usage error");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_hotkey_sends_weights_and_a_commitment_at_once_without_nonce_collisions() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 3).await;
    let uid = validator(&net, 3);
    let pair = keys::derive(&keys::hotkey_path(3, uid));
    let submitter = Submitter::new(HotkeySigner::new(pair));
    let me = pylon::ss58::encode(&submitter.account());
    let chain = ChainClient::new(&ChainConfig::new(Network::Url(net.url())));
    let wanted: BTreeMap<Target, f64> = (0..4).map(|u| (Target::Uid(u), 1.0)).collect();
    let plan = Plan::at_head(&chain, 3, &me, &wanted).await.expect("plan");
    assert_eq!(plan.blocker(), None);
    let weights = calls::set_mechanism_weights(3, 0, &plan.vector, plan.version_key);
    let data = calls::commitment_data(b"side by side").expect("fits");
    let commitment = calls::set_commitment(3, data);
    let (w, c) = tokio::join!(
        submitter.submit_via(chain.main(), &weights),
        submitter.submit_via(chain.main(), &commitment),
    );
    let w = w.expect("weights included");
    let c = c.expect("commitment included");
    let mut nonces = [w.nonce, c.nonce];
    nonces.sort();
    assert_eq!(nonces, [0, 1], "consecutive local nonces");
    assert!(w.events.contains(&"SubtensorModule.WeightsSet".to_string()), "{:?}", w.events);
    let neuron = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].clone();
    assert_eq!(neuron.weights, plan.vector);
    assert_eq!(neuron.commitment.expect("committed").1[0].bytes(), b"side by side");
}
