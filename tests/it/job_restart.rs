//! A `pylon serve` process killed (SIGKILL) while a weights job waits out the rate limit: the
//! restarted server resumes the job from its database and submits exactly once. Stopped with
//! SIGTERM, it sees a submission that is out through, and leaves a waiting job for the next
//! start.

use std::time::Duration;

use crate::common::{devnet, free_port, serve_command, wait_for_block, wait_up};
use pylon::chain::signer::HotkeySigner;
use pylon::chain::{ChainClient, ChainConfig};
use pylon::network::Network;
use pylon::writes::{Submitter, calls};
use pylon_devnet::keys;

fn serve(
    port: u16,
    db: &std::path::Path,
    wallets: &std::path::Path,
    url: &str,
    uid: u16,
) -> tokio::process::Child {
    serve_command(db, port)
        .env("PYLON_BITTENSOR_NETWORK", url)
        .env("PYLON_BITTENSOR_WALLET_PATH", wallets)
        .env("PYLON_DATABASE_PATH", db.join("jobs.db"))
        .env("PYLON_IDENTITIES", r#"["sn"]"#)
        .env("PYLON_ID_SN_WALLET_NAME", "devnet")
        .env("PYLON_ID_SN_HOTKEY_NAME", keys::hotkey_path(1, uid))
        .env("PYLON_ID_SN_NETUID", "1")
        .env("PYLON_ID_SN_TOKEN", "t")
        .env("PYLON_WEIGHTS_RETRY_DELAY_SECONDS", "0.2")
        .spawn()
        .expect("pylon serve starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_server_resumes_its_weights_job_and_submits_once() {
    let wallets = tempfile::tempdir().expect("wallets");
    let db = tempfile::tempdir().expect("db");
    let net = devnet(100, |c| c.wallet_dir = Some(wallets.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let subnet = net.chain.best().world.subnets[&1].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("v").uid;
    let pair = keys::derive(&keys::hotkey_path(1, uid));
    let account = keys::account(&pair);
    // Weights set directly: the subnet's rate limit (100 blocks) now holds the job back.
    let chain = ChainClient::new(&ChainConfig::new(Network::Url(net.url())));
    let first: Vec<(u16, u16)> = (0..8).map(|u| (u, 65_535)).collect();
    Submitter::new(HotkeySigner::new(pair))
        .submit_via(chain.main(), &calls::set_mechanism_weights(1, 0, &first, 0))
        .await
        .expect("direct weights");
    assert_eq!(net.chain.best().world.nonce(&account), 1);

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(port, db.path(), wallets.path(), &net.url(), uid);
    wait_up(&base).await;
    let weights: serde_json::Map<String, serde_json::Value> =
        (0..8).map(|u| (keys::ss58(&subnet.neurons[u].hotkey), serde_json::json!(u + 1))).collect();
    crate::common::put_weights(&base, "sn", "t", 1, &weights).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(net.chain.best().world.nonce(&account), 1, "still rate-limited");
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("killed");

    let _server = serve(port, db.path(), wallets.path(), &net.url(), uid);
    wait_up(&base).await;
    let wanted: Vec<(u16, u16)> =
        (0..8u16).map(|u| (u, ((f64::from(u) + 1.0) / 8.0 * 65_535.0).round() as u16)).collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while net.chain.best().world.subnets[&1].neurons[usize::from(uid)].weights != wanted {
        assert!(tokio::time::Instant::now() < deadline, "the resumed job did not set the weights");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(net.chain.best().world.nonce(&account), 2, "one direct and one job submission");
    let head = net.chain.finalized().number;
    let status = reqwest::Client::new()
        .get(format!(
            "{base}/api/_unstable/identity/sn/subnet/1/mechanism/0/block/{head}/weights/status"
        ))
        .bearer_auth("t")
        .send()
        .await
        .expect("status");
    let body: serde_json::Value = status.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"weights_submitted": true}));
}

/// Sends SIGTERM to `server` and waits (at most `secs`) for a clean exit.
async fn terminate(server: &mut tokio::process::Child, secs: u64) {
    let pid = server.id().expect("running").to_string();
    let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(sent.success());
    let exit = tokio::time::timeout(Duration::from_secs(secs), server.wait())
        .await
        .unwrap_or_else(|_| panic!("the server did not stop within {secs} s of SIGTERM"))
        .expect("exit status");
    assert!(exit.success(), "SIGTERM is a clean shutdown: {exit}");
}

/// The job row's status, attempts and submission block.
fn job_row(db: &std::path::Path, id: i64) -> (String, i64, Option<i64>) {
    let db = rusqlite::Connection::open(db.join("jobs.db")).expect("job database");
    db.query_row(
        "SELECT status, attempts, submit_block_number FROM weight_tasks WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("job row")
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_sees_a_submission_through_and_leaves_a_waiting_job_for_the_next_start() {
    let wallets = tempfile::tempdir().expect("wallets");
    let db = tempfile::tempdir().expect("db");
    // One-second blocks: a submission takes a few seconds to be finalized.
    let net = devnet(1000, |c| c.wallet_dir = Some(wallets.path().to_path_buf())).await;
    wait_for_block(&net, 2).await;
    let subnet = net.chain.best().world.subnets[&1].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("v").uid;
    let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
    let (sent_tx, sent_rx) = std::sync::mpsc::channel();
    net.faults.set(Some(Box::new(move |method, _| {
        if method == "author_submitAndWatchExtrinsic" {
            let _ = sent_tx.send(());
        }
        None
    })));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(port, db.path(), wallets.path(), &net.url(), uid);
    wait_up(&base).await;
    let weights: serde_json::Map<String, serde_json::Value> =
        (0..8).map(|u| (keys::ss58(&subnet.neurons[u].hotkey), serde_json::json!(u + 1))).collect();
    crate::common::put_weights(&base, "sn", "t", 1, &weights).await;
    let waited = tokio::task::spawn_blocking(move || sent_rx.recv_timeout(Duration::from_secs(20)));
    waited.await.expect("join").expect("the job submits");
    // SIGTERM while the extrinsic waits for finalization: the server waits for it.
    terminate(&mut server, 40).await;
    let (status, _, submitted_at) = job_row(db.path(), 1);
    assert_eq!(status, "succeeded", "the submission in flight was seen through");
    assert!(submitted_at.is_some());
    assert_eq!(net.chain.best().world.nonce(&account), 1);

    // A job that waits out the rate limit (100 blocks) stops at once and stays running.
    let mut server = serve(port, db.path(), wallets.path(), &net.url(), uid);
    wait_up(&base).await;
    crate::common::put_weights(&base, "sn", "t", 1, &weights).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while job_row(db.path(), 2).1 == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the job never attempted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    terminate(&mut server, 5).await;
    let (status, attempts, submitted_at) = job_row(db.path(), 2);
    assert_eq!((status.as_str(), submitted_at), ("running", None), "left for the next start");
    assert!(attempts >= 1);
    assert_eq!(net.chain.best().world.nonce(&account), 1, "nothing more was sent");
}
