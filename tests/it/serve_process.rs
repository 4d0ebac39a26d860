//! The real `pylon serve` process: JSON log lines with request ids that never carry a token or
//! key material (nor do metrics or error bodies), and a graceful exit on SIGTERM.

use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncReadExt;

use crate::common::{devnet, free_port, serve_command, validator, wait_for_block, wait_up};

const OPEN_TOKEN: &str = "open-secret-5d1c";
const IDENTITY_TOKEN: &str = "identity-secret-8e2f";
const METRICS_TOKEN: &str = "metrics-secret-03ab";
const WRONG_TOKEN: &str = "wrong-secret-77c4";

/// Every secret the key file holds, as written (hex with `0x`) and as bare hex.
fn key_material(hotkey_file: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(hotkey_file).expect("hotkey file");
    let file: Value = serde_json::from_str(&text).expect("hotkey JSON");
    let mut secrets = Vec::new();
    for field in ["secretPhrase", "secretSeed", "privateKey"] {
        if let Some(value) = file[field].as_str().filter(|v| !v.is_empty()) {
            secrets.push(value.to_string());
            secrets.push(value.trim_start_matches("0x").to_string());
        }
    }
    assert!(secrets.len() >= 2, "the key file holds no secret");
    secrets
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_have_request_ids_and_no_secrets_and_sigterm_stops_the_server_cleanly() {
    let wallets = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(wallets.path().to_path_buf())).await;
    wait_for_block(&net, 2).await;
    let validator = validator(&net, 1);
    let hotkey_name = format!("sn1-uid{validator}");
    let secrets = key_material(&wallets.path().join("devnet/hotkeys").join(&hotkey_name));

    let dir = tempfile::tempdir().expect("working dir");
    let port = free_port();
    let mut server = serve_command(dir.path(), port)
        .env("PYLON_BITTENSOR_NETWORK", net.url())
        .env("PYLON_BITTENSOR_WALLET_PATH", wallets.path())
        .env("PYLON_OPEN_ACCESS_TOKEN", OPEN_TOKEN)
        .env("PYLON_METRICS_TOKEN", METRICS_TOKEN)
        .env("PYLON_IDENTITIES", r#"["sn1"]"#)
        .env("PYLON_ID_SN1_WALLET_NAME", "devnet")
        .env("PYLON_ID_SN1_HOTKEY_NAME", &hotkey_name)
        .env("PYLON_ID_SN1_NETUID", "1")
        .env("PYLON_ID_SN1_TOKEN", IDENTITY_TOKEN)
        .env("PYLON_LOG", "debug")
        .env_remove("PYLON_DEBUG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pylon serve starts");
    // Drained as it comes, so a full pipe never stalls the server.
    let mut stderr = server.stderr.take().expect("stderr");
    let logs = tokio::spawn(async move {
        let mut all = String::new();
        let _ = stderr.read_to_string(&mut all).await;
        all
    });
    let base = format!("http://127.0.0.1:{port}");
    wait_up(&base).await;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let open = format!("{base}/api/v1/subnet/1/block/latest/neurons");
    let own = format!("{base}/api/v1/identity/sn1/subnet/1");
    let mut bodies = Vec::new();
    let requests = [
        (client.get(&open).bearer_auth(OPEN_TOKEN), 200),
        (client.get(&open).bearer_auth(WRONG_TOKEN), 403),
        (client.get(&open).header("Authorization", WRONG_TOKEN), 401),
        (client.get(format!("{own}/block/latest/neurons")).bearer_auth(IDENTITY_TOKEN), 200),
        (client.get(format!("{own}/block/latest/neurons")).bearer_auth(WRONG_TOKEN), 403),
        (
            client
                .post(format!("{own}/commitments"))
                .bearer_auth(IDENTITY_TOKEN)
                .json(&serde_json::json!({"commitment": "0xc0ffee"})),
            201,
        ),
        (client.get(format!("{base}/metrics")).bearer_auth(WRONG_TOKEN), 403),
        (client.get(format!("{base}/metrics")).bearer_auth(METRICS_TOKEN), 200),
    ];
    for (request, expected) in requests {
        let resp = request.send().await.expect("response");
        let status = resp.status().as_u16();
        let id = resp.headers().get("x-request-id").map(|v| v.to_str().expect("ascii").to_string());
        let body = resp.text().await.expect("body");
        assert_eq!(status, expected, "{body}");
        assert!(id.is_some(), "every answer carries x-request-id");
        bodies.push(body);
    }

    let pid = server.id().expect("running").to_string();
    let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(sent.success());
    let exit = tokio::time::timeout(Duration::from_secs(10), server.wait())
        .await
        .expect("the server stops within 10 s of SIGTERM")
        .expect("exit status");
    assert!(exit.success(), "SIGTERM is a clean shutdown: {exit}");
    let logs = logs.await.expect("log reader");

    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    let done: Vec<&Value> = lines
        .iter()
        .filter(|l| l["message"] == "request done" && l["span"]["path"] != "/health")
        .collect();
    assert_eq!(done.len(), 8, "one line per request:\n{logs}");
    assert!(done.iter().all(|l| l["span"]["request_id"].is_string()), "{logs}");
    assert!(lines.iter().any(|l| l["message"] == "pylon stopped"), "{logs}");

    let metrics = bodies.last().expect("scrape").clone();
    assert!(metrics.contains("pylon_requests_total"), "{metrics}");
    let tokens = [OPEN_TOKEN, IDENTITY_TOKEN, METRICS_TOKEN, WRONG_TOKEN].map(String::from);
    for secret in tokens.iter().chain(&secrets) {
        assert!(!logs.contains(secret.as_str()), "a secret reached the logs");
        for body in &bodies {
            assert!(!body.contains(secret.as_str()), "a secret reached an answer");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_process_on_one_job_store_refuses_to_start() {
    let net = devnet(100, |_| {}).await;
    let dir = tempfile::tempdir().expect("working dir");
    let db = dir.path().join("jobs.db");
    let port = free_port();
    let _first = serve_command(dir.path(), port)
        .env("PYLON_BITTENSOR_NETWORK", net.url())
        .env("PYLON_DATABASE_PATH", &db)
        .spawn()
        .expect("the first serve starts");
    wait_up(&format!("http://127.0.0.1:{port}")).await;
    let second = serve_command(dir.path(), free_port())
        .env("PYLON_BITTENSOR_NETWORK", net.url())
        .env("PYLON_DATABASE_PATH", &db)
        .stderr(std::process::Stdio::piped())
        .output();
    let out = tokio::time::timeout(Duration::from_secs(20), second)
        .await
        .expect("the second process exits by itself")
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is in use by another pylon serve"), "{err}");
}
