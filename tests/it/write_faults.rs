//! Writes when something goes wrong: a weights job that retrying cannot help ends `failed` at
//! once with the reason (and bounded text), a node's refusal keeps its code, a commitment
//! whose read-back fails after inclusion is not sent a second time, and weights the node drops
//! as invalid in their block (another of the hotkey's went first): the CLI exits 3, a job
//! waits out the rate limit and sets them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use jsonrpsee::types::ErrorObject;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{devnet, gateway, pylon, validator, wait_for_block};
use crate::gateway_writes::{eventually, hotkey_of, identity, send};
use pylon::chain::{ChainClient, ChainConfig};
use pylon::network::Network;
use pylon::retry::Retryable;
use pylon::writes::{Submitter, WriteError, calls};
use pylon_devnet::Devnet;
use pylon_devnet::keys;

/// The job row's status, attempts and last error, as stored.
fn job_row(db: &std::path::Path, id: i64) -> (String, i64, Option<String>) {
    let db = rusqlite::Connection::open(db).expect("job database");
    db.query_row("SELECT status, attempts, last_error FROM weight_tasks WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .expect("job row")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_that_retrying_cannot_help_fails_at_once_with_the_reason() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let subnet = net.chain.best().world.subnets[&1].clone();
    let permitted = validator(&net, 1);
    let miner = subnet.neurons.iter().find(|n| !n.validator_permit).expect("a miner").uid;
    let wallet = net.wallet.as_deref().expect("the devnet wallet");
    pylon_devnet::wallet::write_hotkey(wallet, 1, miner).expect("the miner's hotkey file");
    // The default policy: 201 attempts over the whole epoch.
    let cases: [(u16, serde_json::Value, &str); 2] = [
        (
            permitted,
            // Only hotkeys the subnet does not know, many of them.
            json!({"weights": (0..300).map(|i| (format!("5NotRegistered{i:03}"), json!(1.0)))
                .collect::<serde_json::Map<_, _>>()}),
            "none of the 300 hotkeys is registered on subnet 1",
        ),
        (
            miner,
            json!({"weights": {hotkey_of(&net, 1, 0): 1.0, hotkey_of(&net, 1, 1): 1.0}}),
            "subnet 1: no validator permit",
        ),
    ];
    for (uid, body, reason) in cases {
        let vars = identity(dir.path(), 1, uid);
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let gw = gateway(&net, &vars).await;
        let url = format!("{}/api/v1/identity/sn/subnet/1/weights", gw.base);
        let (s, v) = send(reqwest::Method::PUT, url, Some(body.to_string())).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let db = gw.db_path();
        eventually(&format!("the job to fail ({reason})"), 10, || job_row(&db, 1).0 != "running")
            .await;
        let (status, attempts, error) = job_row(&db, 1);
        let error = error.expect("the reason is stored");
        assert_eq!((status.as_str(), attempts), ("failed", 1), "{error}");
        assert!(error.contains(reason), "{error}");
        assert!(error.len() < 500, "the stored reason is bounded: {} bytes", error.len());
        let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
        assert_eq!(net.chain.best().world.nonce(&account), 0, "nothing was submitted");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_keeps_the_nodes_reason_and_code() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 3).await;
    let chain = ChainClient::new(&ChainConfig::new(Network::Url(net.url())));
    // A hotkey registered nowhere: subtensor's pool guard refuses with `Custom error: 10`.
    let stranger = Submitter::new(pylon::chain::signer::HotkeySigner::new(keys::derive("nobody")));
    let payload = calls::set_mechanism_weights(3, 0, &[(1, u16::MAX)], 0);
    let err = stranger.submit_via(chain.main(), &payload).await.expect_err("refused");
    let WriteError::Rejected { reason } = &err else { panic!("a pool refusal, got {err}") };
    assert!(reason.contains("Invalid Transaction (1010)"), "{reason}");
    assert!(reason.contains("Custom error: 10"), "{reason}");
    assert!(reason.contains("HotKeyNotRegisteredInNetwork"), "{reason}");
    assert!(!err.is_retryable());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_commitment_whose_read_back_fails_is_not_sent_again() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let uid = validator(&net, 3);
    // After the commitment goes out, the node rate-limits the next reads of `CommitmentOf`
    // (more than one chain read retries by itself).
    const FAILS: u32 = 3;
    let prefix = hex::encode(pylon_devnet::storage::prefix("Commitments", "CommitmentOf"));
    let (sent, failed) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU32::new(0)));
    let (s, f) = (sent.clone(), failed.clone());
    net.faults.set(Some(Box::new(move |method, params| {
        if method == "author_submitAndWatchExtrinsic" {
            s.store(true, Ordering::SeqCst);
        }
        let read = method == "state_getStorage" && params.contains(&prefix);
        if read && s.load(Ordering::SeqCst) && f.load(Ordering::SeqCst) < FAILS {
            f.fetch_add(1, Ordering::SeqCst);
            return Some(ErrorObject::owned(-32005, "Too many requests", None::<()>));
        }
        None
    })));
    let vars = identity(dir.path(), 3, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let url = format!("{}/api/v1/identity/sn/subnet/3/commitments", gw.base);
    let (s, v) = send(reqwest::Method::POST, url, Some(r#"{"commitment": "c0ffee"}"#.into())).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(failed.load(Ordering::SeqCst), FAILS, "the read-back was refused");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let account = keys::account(&keys::derive(&keys::hotkey_path(3, uid)));
    assert_eq!(net.chain.best().world.nonce(&account), 1, "the commitment went out once");
    let neuron = &net.chain.best().world.subnets[&3].neurons[usize::from(uid)];
    assert_eq!(neuron.commitment.clone().expect("committed").1[0].bytes(), [0xc0, 0xff, 0xee]);
}

#[tokio::test(flavor = "multi_thread")]
async fn set_weights_dropped_in_its_block_after_another_of_the_hotkey_exits_3_rate_limited() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = manual_devnet(dir.path(), |_| {}).await;
    let uid = validator(&net, 3);
    let hotkey = keys::hotkey_path(3, uid);
    // Another tool of the operator's sets weights for the same hotkey; it is in the pool.
    let first = other_tool(&net, 3, uid);
    pooled(&net, 1).await;
    // Pylon's checks pass at the head (nothing of the hotkey is in a block yet), so it submits:
    // admitted beside the other one, with the next nonce.
    let wallet = dir.path().to_str().expect("utf-8").to_string();
    let args = ["set-weights", "--netuid", "3", "--wallet-path", &wallet, "--wallet-name"];
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.extend(
        ["devnet", "--hotkey-name", &hotkey, "--weights", "0=1,1=2,2=3,3=4,4=5,5=6,6=7,7=8"]
            .map(String::from),
    );
    args.push("--yes".into());
    let url = net.url();
    let cli = tokio::spawn(async move { pylon(&url, args).await });
    pooled(&net, 2).await;
    // One block: it applies the other transaction, after which subtensor's extension finds
    // Pylon's inside the weights rate limit and the node drops it (`invalid`).
    let block = net.chain.produce();
    assert_eq!(block.extrinsics.len(), 2, "the timestamp and one set_weights");
    assert!(first.await.expect("joined").is_ok(), "the other submission landed");
    let out = cli.await.expect("joined");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "rate-limited: {stderr}");
    assert!(stderr.contains("another submission of this hotkey landed first"), "{stderr}");
    assert!(stderr.contains(pylon::writes::submit::DROPPED), "{stderr}");
    assert!(net.chain.pending().is_empty(), "the dropped transaction left the pool");
    let account = keys::account(&keys::derive(&hotkey));
    assert_eq!(net.chain.best().world.nonce(&account), 1, "only the other one was applied");
}

/// Waits until the devnet's pool holds `n` transactions.
async fn pooled(net: &Devnet, n: usize) {
    eventually(&format!("{n} transactions pooled"), 30, || net.chain.pending().len() >= n).await;
}

/// A devnet that makes blocks only when the test does (finalized at once), past block 3, with
/// its genesis as `genesis` leaves it.
async fn manual_devnet(
    dir: &std::path::Path,
    genesis: impl FnOnce(&mut pylon_devnet::genesis::GenesisConfig),
) -> Devnet {
    let net = devnet(3_600_000, |c| {
        c.wallet_dir = Some(dir.to_path_buf());
        c.finality_lag = 0;
        genesis(&mut c.genesis);
    })
    .await;
    for _ in 0..3 {
        net.chain.produce();
    }
    net
}

/// Another tool of the operator's setting equal weights on uids 0..8 for the hotkey of `uid`;
/// resolves once they are finalized.
fn other_tool(
    net: &Devnet,
    netuid: u16,
    uid: u16,
) -> tokio::task::JoinHandle<Result<pylon::writes::Included, WriteError>> {
    let chain = ChainClient::new(&ChainConfig::new(Network::Url(net.url())));
    let signer = keys::derive(&keys::hotkey_path(netuid, uid));
    let other = Submitter::new(pylon::chain::signer::HotkeySigner::new(signer));
    let vector: Vec<(u16, u16)> = (0..8).map(|u| (u, u16::MAX)).collect();
    tokio::spawn(async move {
        let payload = calls::set_mechanism_weights(netuid, 0, &vector, 0);
        other.submit_via(chain.main(), &payload).await
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_weights_job_dropped_in_its_block_waits_out_the_rate_limit_and_sets_them() {
    let dir = tempfile::tempdir().expect("wallets");
    // Subnet 1 with a 2-block weights rate limit and a long epoch: a manual block here costs a
    // second or more (an hour of drand pulses each), so the wait must be short.
    let net = manual_devnet(dir.path(), |genesis| {
        let subnet = genesis.subnets.iter_mut().find(|s| s.netuid == 1).expect("subnet 1");
        (subnet.weights_rate_limit, subnet.tempo) = (2, 1000);
    })
    .await;
    let uid = validator(&net, 1);
    let first = other_tool(&net, 1, uid);
    pooled(&net, 1).await;
    let vars = identity(dir.path(), 1, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let url = format!("{}/api/v1/identity/sn/subnet/1/weights", gw.base);
    let weights: serde_json::Map<_, _> =
        (0..10u16).map(|u| (hotkey_of(&net, 1, u), json!(f64::from(u) + 1.0))).collect();
    let (s, v) =
        send(reqwest::Method::PUT, url, Some(json!({ "weights": weights }).to_string())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    pooled(&net, 2).await;
    // The other tool's goes first; the job's is dropped as invalid (inside the rate limit).
    assert_eq!(net.chain.produce().extrinsics.len(), 2, "the timestamp and one set_weights");
    assert!(first.await.expect("joined").is_ok(), "the other submission landed");
    let db = gw.db_path();
    let mine = |net: &Devnet| {
        net.chain.best().world.subnets[&1].neurons[usize::from(uid)].weights.len() == 10
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !mine(&net) {
        let row = job_row(&db, 1);
        assert_eq!(row.0, "running", "the job gave up: {row:?}");
        let at = net.chain.best().number;
        assert!(tokio::time::Instant::now() < deadline, "not set by block {at}: {row:?}");
        net.chain.produce();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eventually("the job to succeed", 10, || job_row(&db, 1).0 == "succeeded").await;
    let (_, attempts, _) = job_row(&db, 1);
    assert!(attempts >= 2, "the dropped attempt counted: {attempts}");
    let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
    assert_eq!(net.chain.best().world.nonce(&account), 2, "the other one and the job's second");
}
