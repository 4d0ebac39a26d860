//! The read commands against in-process devnets: every command in every output mode, archive
//! routing and fallback, reconnection, and bad input.

use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{devnet, wait_for_block};
use pylon::chain::{BlockAt, ChainClient, ChainConfig, reads};
use pylon::network::Network;
use pylon_devnet::{Devnet, DevnetConfig, keys};

/// Runs `pylon --network URL ARGS` off the async runtime.
async fn pylon(url: &str, args: &[&str]) -> Output {
    let mut full = vec!["--network".to_string(), url.to_string()];
    full.extend(args.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(&full)
            .env("RUST_BACKTRACE", "0")
            .env_remove("PYLON_BITTENSOR_ARCHIVE_NETWORK")
            .env_remove("PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF")
            .output()
            .expect("pylon runs")
    })
    .await
    .expect("joined")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn json(out: &Output) -> Value {
    let text = stdout(out);
    assert_eq!(text.lines().count(), 1, "one JSON document on one line");
    serde_json::from_str(&text).expect("valid JSON")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ss58(path: &str) -> String {
    keys::ss58(&keys::account(&keys::derive(path)))
}

#[tokio::test(flavor = "multi_thread")]
async fn neurons_and_validators_in_every_output_mode() {
    let net = devnet(100, |_| {}).await;
    let url = net.url();
    let doc = json(&pylon(&url, &["neurons", "--netuid", "1", "-o", "json"]).await);
    let neurons = doc["neurons"].as_object().expect("neurons map");
    assert_eq!(neurons.len(), 256);
    let uid5 = &neurons[&ss58("sn1-uid5")];
    assert_eq!(uid5["uid"], 5);
    assert_eq!(uid5.as_object().expect("object").len(), 17, "the Python Pylon's 17 keys");
    let subnet = net.chain.best().world.subnets[&1].clone();
    let n5 = &subnet.neurons[5];
    assert_eq!(uid5["stakes"]["alpha"].as_f64(), Some(n5.alpha_stake as f64 / 1e9));
    assert_eq!(uid5["dividends"].as_f64(), Some(f64::from(n5.dividends) / 65535.0));
    assert!(
        doc["block"]["number"].as_u64().is_some()
            && doc["block"]["hash"].as_str().unwrap().starts_with("0x")
    );

    let csv = stdout(&pylon(&url, &["neurons", "--netuid", "3", "-o", "csv"]).await);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("uid,hotkey,coldkey,active,axon_ip"), "{}", lines[0]);
    assert_eq!(lines.len(), 17, "header + 16 neurons");
    let table = stdout(&pylon(&url, &["neurons", "--netuid", "3", "-o", "table"]).await);
    assert!(table.contains("hotkey") && table.contains("updated"), "{table}");

    let doc = json(&pylon(&url, &["validators", "--netuid", "1", "-o", "json"]).await);
    let v = doc["validators"].as_array().expect("list");
    assert_eq!(v.len(), 64);
    let totals: Vec<f64> = v.iter().map(|n| n["stakes"]["total"].as_f64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "sorted by total stake, largest first");
    let csv = stdout(&pylon(&url, &["validators", "--netuid", "3", "-o", "csv"]).await);
    assert_eq!(csv.lines().count(), 9, "header + 8 validators");
    let table = stdout(&pylon(&url, &["validators", "--netuid", "3", "-o", "table"]).await);
    assert!(table.contains("vtrust") && !table.contains("permit"), "compact: {table}");
    let wide =
        stdout(&pylon(&url, &["validators", "--netuid", "3", "-o", "table", "--wide"]).await);
    assert!(wide.contains("permit"), "wide: {wide}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hyperparams_block_commitments_certificates_weights() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 5).await;
    let url = net.url();
    let doc = json(&pylon(&url, &["hyperparams", "--netuid", "2", "-o", "json"]).await);
    assert_eq!(doc["source"], "get_subnet_hyperparams_v3");
    assert_eq!(doc["hyperparams"]["tempo"], 100);
    assert_eq!(doc["hyperparams"]["commit_reveal_weights_enabled"], true);
    assert_eq!(doc["hyperparams"]["weights_version"], 2_001_000);
    assert!(
        stdout(&pylon(&url, &["hyperparams", "--netuid", "1", "-o", "csv"]).await)
            .contains("tempo,360")
    );
    assert!(
        stdout(&pylon(&url, &["hyperparams", "--netuid", "1", "-o", "table"]).await)
            .contains("tempo")
    );

    let block = json(&pylon(&url, &["block", "2", "-o", "json"]).await);
    let b2 = net.chain.by_number(2).expect("block 2");
    assert_eq!(block["number"], 2);
    assert_eq!(block["hash"], format!("0x{}", hex::encode(b2.hash.0)));
    assert_eq!(block["timestamp"].as_u64(), Some(b2.timestamp_ms / 1000));
    assert!(
        stdout(&pylon(&url, &["block", "-o", "csv"]).await).starts_with("number,hash,timestamp")
    );
    assert!(stdout(&pylon(&url, &["block", "latest", "-o", "table"]).await).contains("timestamp"));

    let doc = json(&pylon(&url, &["commitments", "--netuid", "1", "-o", "json"]).await);
    let commitments = doc["commitments"].as_object().expect("map");
    let uid1 = ss58("sn1-uid1");
    let text = b"{\"endpoint\":\"https://sn1-uid1.devnet.invalid\"}";
    assert_eq!(commitments[&uid1], format!("0x{}", hex::encode(text)));
    assert_eq!(commitments.len(), 32, "every 8th neuron of 256 committed");
    let one = json(
        &pylon(&url, &["commitments", "--netuid", "1", "--hotkey", &uid1, "-o", "json"]).await,
    );
    assert_eq!(one["commitment"], commitments[&uid1]);
    assert_eq!(one["hotkey"], uid1);
    let revealed =
        json(&pylon(&url, &["commitments", "--netuid", "1", "--revealed", "-o", "json"]).await);
    assert!(
        revealed["commitments"]
            .as_array()
            .expect("list")
            .iter()
            .any(|r| r["commitment"] == "revealed by sn1-uid5")
    );
    assert!(
        stdout(&pylon(&url, &["commitments", "--netuid", "1", "-o", "csv"]).await)
            .starts_with("hotkey,commitment")
    );
    assert!(
        stdout(&pylon(&url, &["commitments", "--netuid", "1", "-o", "table"]).await)
            .contains(&uid1)
    );

    let certs = json(&pylon(&url, &["certificates", "--netuid", "1", "-o", "json"]).await);
    let uid3 = ss58("sn1-uid3");
    assert_eq!(certs[&uid3]["algorithm"], 1);
    let one = json(
        &pylon(&url, &["certificates", "--netuid", "1", "--hotkey", &uid3, "-o", "json"]).await,
    );
    assert_eq!(one, certs[&uid3]);
    assert!(
        stdout(&pylon(&url, &["certificates", "--netuid", "1", "-o", "csv"]).await)
            .starts_with("hotkey,algorithm")
    );
    assert!(
        stdout(&pylon(&url, &["certificates", "--netuid", "1", "-o", "table"]).await)
            .contains("public_key")
    );
    let missing =
        pylon(&url, &["certificates", "--netuid", "1", "--hotkey", &ss58("sn1-uid4")]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no certificate for hotkey"), "{}", stderr(&missing));

    let weights = json(&pylon(&url, &["weights", "--netuid", "3", "-o", "json"]).await);
    let subnet = net.chain.best().world.subnets[&3].clone();
    let setter =
        subnet.neurons.iter().find(|n| !n.weights.is_empty()).expect("a validator with weights");
    let expected: Vec<Value> =
        setter.weights.iter().map(|(u, w)| serde_json::json!([u, w])).collect();
    assert_eq!(weights["weights"][setter.uid.to_string()], Value::Array(expected));
    let uid = setter.uid.to_string();
    let one = json(&pylon(&url, &["weights", "--netuid", "3", "--uid", &uid, "-o", "json"]).await);
    assert_eq!(one["weights"].as_object().expect("map").len(), 1);
    assert!(
        stdout(&pylon(&url, &["weights", "--netuid", "3", "-o", "csv"]).await)
            .starts_with("uid,dest_uid,weight")
    );
    assert!(
        stdout(&pylon(&url, &["weights", "--netuid", "3", "-o", "table"]).await)
            .contains("uid:weight")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hyperparams_fall_back_to_v2_on_a_spec_393_runtime() {
    use pylon_devnet::metadata::RuntimeFlavor;
    let current = devnet(100, |_| {}).await;
    let legacy = devnet(100, |c| c.runtime = RuntimeFlavor::Spec393).await;
    let v3 = json(&pylon(&current.url(), &["hyperparams", "--netuid", "2", "-o", "json"]).await);
    let v2 = json(&pylon(&legacy.url(), &["hyperparams", "--netuid", "2", "-o", "json"]).await);
    assert_eq!(v3["source"], "get_subnet_hyperparams_v3");
    assert_eq!(v2["source"], "get_subnet_hyperparams_v2");
    for key in [
        "tempo",
        "weights_version",
        "commit_reveal_weights_enabled",
        "min_allowed_weights",
        "alpha_sigmoid_steepness",
    ] {
        assert_eq!(v2["hyperparams"][key], v3["hyperparams"][key], "{key}");
    }
    assert!(v2["hyperparams"].get("rho").is_some(), "v2 keeps the fields v3 dropped");
}

/// A lite (pruned) devnet and its archive on one seed and genesis time.
async fn lite_and_archive() -> (Devnet, Devnet) {
    let same = |c: &mut DevnetConfig| {
        c.genesis.seed = 9;
        c.genesis_timestamp_ms = Some(1_767_225_600_000);
    };
    let lite = devnet(40, |c| {
        same(c);
        c.state_pruning = Some(5);
    })
    .await;
    let archive = devnet(40, same).await;
    wait_for_block(&lite, 20).await;
    wait_for_block(&archive, 20).await;
    (lite, archive)
}

#[tokio::test(flavor = "multi_thread")]
async fn old_blocks_go_to_the_archive_and_discarded_state_falls_back() {
    let (lite, archive) = lite_and_archive().await;
    let base = ["--archive-network", &archive.url()];
    // Past the cutoff: straight to the archive.
    let mut args = base.to_vec();
    args.extend([
        "--archive-cutoff",
        "3",
        "neurons",
        "--netuid",
        "3",
        "--block",
        "2",
        "-o",
        "json",
    ]);
    let doc = json(&pylon(&lite.url(), &args).await);
    assert_eq!(doc["block"]["number"], 2);
    assert_eq!(
        doc["block"]["hash"],
        format!("0x{}", hex::encode(archive.chain.by_number(2).unwrap().hash.0))
    );
    // Within the cutoff, but pruned on the lite node: "State already discarded" → archive.
    let mut args = base.to_vec();
    args.extend(["--archive-cutoff", "10000", "block", "3", "-o", "json"]);
    assert_eq!(json(&pylon(&lite.url(), &args).await)["number"], 3);
    // With no archive to fall back to, the error names the block and both nodes.
    let dead = "ws://127.0.0.1:1";
    let out = pylon(
        &lite.url(),
        &[
            "--archive-network",
            dead,
            "--timeout",
            "5s",
            "hyperparams",
            "--netuid",
            "3",
            "--block",
            "3",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("block 3") && err.contains(&lite.url()) && err.contains(dead), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_reconnects_after_the_node_drops_every_connection() {
    let first = devnet(50, |c| c.genesis_timestamp_ms = Some(1_767_225_600_000)).await;
    let addr = first.addr;
    let client = ChainClient::new(&ChainConfig::new(Network::Url(first.url())));
    let before = client
        .read(BlockAt::Latest, |at| Box::pin(reads::neurons(at, 3)))
        .await
        .expect("first read");
    first.stop().await;
    let second = devnet(50, |c| {
        c.listen = addr;
        c.genesis_timestamp_ms = Some(1_767_225_600_000);
    })
    .await;
    wait_for_block(&second, 2).await;
    let after = client
        .read(BlockAt::Latest, |at| Box::pin(reads::neurons(at, 3)))
        .await
        .expect("read after the drop");
    assert_eq!(before.neurons.len(), after.neurons.len());
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_one_clear_line_and_the_right_exit_code() {
    let started = Instant::now();
    let out = pylon("ws://127.0.0.1:1", &["--timeout", "5s", "neurons", "--netuid", "1"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ws://127.0.0.1:1"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(15), "no hang: {:?}", started.elapsed());
    let out = pylon("ws://no-such-host.invalid:9944", &["--timeout", "5s", "block"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no-such-host.invalid"), "{}", stderr(&out));

    let net = devnet(100, |_| {}).await;
    let url = net.url();
    let out = pylon(&url, &["neurons", "--netuid", "42"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("subnet 42 does not exist"), "{}", stderr(&out));
    for cmd in ["validators", "hyperparams", "commitments", "certificates", "weights"] {
        let out = pylon(&url, &[cmd, "--netuid", "42"]).await;
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert!(stderr(&out).contains("subnet 42 does not exist"), "{cmd}: {}", stderr(&out));
    }
    let out = pylon(&url, &["neurons", "--netuid", "1", "--block", "-5"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = pylon(&url, &["neurons", "--netuid", "1", "--block", "999999"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("block 999999 does not exist"), "{}", stderr(&out));
    let out = pylon(&url, &["block", "soon"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("soon"));
    let out = pylon(&url, &["commitments", "--netuid", "1", "--hotkey", "5NotAnAddress"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("5NotAnAddress"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_ends_quietly_with_exit_0() {
    let net = devnet(100, |_| {}).await;
    let url = net.url();
    let status = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(["--network", &url, "neurons", "--netuid", "1", "-o", "csv"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        child.wait_with_output().expect("wait")
    })
    .await
    .expect("joined");
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
}
