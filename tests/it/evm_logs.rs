//! `POST /api/_unstable/openaccess/evm/contracts/{address}/logs` against the devnet's EVM
//! endpoint: the logs equal what web3.py decodes from the same node (through the published
//! client, `tests/clients/evm_logs_oracle.py`), ranges are routed to the archive or main node
//! around the cutoff, and bad input and a dead node answer the contract's errors.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{devnet, free_port, gateway, wait_for_block};

async fn post(url: &str, body: &str) -> (StatusCode, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .bearer_auth("oa")
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("response");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn abi() -> String {
    format!(r#"{{"abi": {}}}"#, pylon_devnet::evm::TOKEN_ABI)
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_match_web3_and_errors_follow_the_contract() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 60).await;
    let evm_url = net.url().replace("ws://", "http://");
    let vars = [
        ("PYLON_OPEN_ACCESS_TOKEN", "oa"),
        ("PYLON_METRICS_TOKEN", "m"),
        ("PYLON_EVM_RPC_URL", evm_url.as_str()),
        ("PYLON_EVM_ARCHIVE_RPC_URL", evm_url.as_str()),
        ("PYLON_EVM_ARCHIVE_BLOCKS_CUTOFF", "20"),
    ];
    let gw = gateway(&net, &vars).await;
    let token = format!("0x{}", hex::encode(pylon_devnet::evm::token()));
    let logs_url = |from: u64, to: u64| {
        format!(
            "{}/api/_unstable/openaccess/evm/contracts/{token}/logs?from_block={from}&to_block={to}",
            gw.base
        )
    };

    // The oracle: web3.py reading the same node, through the published client.
    if let Some(python) = crate::clients::interpreter("PYLON_PYTHON") {
        let dir = tempfile::tempdir().expect("dir");
        let abi_file = dir.path().join("abi.json");
        std::fs::write(&abi_file, pylon_devnet::evm::TOKEN_ABI).expect("abi");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/evm_logs_oracle.py");
        let out = tokio::process::Command::new(python)
            .arg(script)
            .args([&gw.base, &evm_url, &token, "1", "60"])
            .arg(&abi_file)
            .arg("oa")
            .output()
            .await
            .expect("run the oracle");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("Memo, Tagged, Transfer"), "every event kind compared: {text}");
    }

    // Our own view of one block: 35 emits Transfer, Memo and Tagged; logs of the other contract
    // and the unlisted event are left out.
    let (s, v) = post(&logs_url(35, 36), &abi()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let names: Vec<&str> =
        v["logs"].as_array().expect("logs").iter().filter_map(|l| l["event"].as_str()).collect();
    assert_eq!(names, ["Transfer", "Memo", "Tagged"]);
    assert_eq!((&v["from_block"], &v["to_block"]), (&json!(35), &json!(36)));
    let memo = &v["logs"][1]["args"];
    assert_eq!((&memo["text"], &memo["delta"]), (&json!("memo at block 35"), &json!(-35)));
    let text = reqwest::Client::new()
        .post(logs_url(9, 9))
        .bearer_auth("oa")
        .body(abi())
        .header("content-type", "application/json")
        .send()
        .await
        .expect("response")
        .text()
        .await
        .expect("text");
    let exact =
        r#""value":57896044618658097711785492504343953926634992332820282019728792003956564819977"#;
    assert!(text.contains(exact), "2^255 + 9 as an exact JSON integer: {text}");

    // Bad input: the contract's statuses and details.
    let (s, v) = post(&logs_url(1, 2).replace(&token, "0x12"), &abi()).await;
    assert_eq!(
        (s, v),
        (
            StatusCode::BAD_REQUEST,
            json!({"status_code": 400, "detail": "Invalid contract address: 0x12"})
        )
    );
    let malformed =
        r#"{"abi": [{"type": "event", "name": "X", "inputs": [{"name": "a", "indexed": false}]}]}"#;
    let (s, v) = post(&logs_url(1, 2), malformed).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["detail"].as_str().expect("detail").starts_with("Malformed ABI event entry: "),
        "{v}"
    );
    let no_range = logs_url(1, 2).replace("?from_block=1&", "?");
    let (s, v) = post(&no_range, &abi()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["extra"], json!([{"key": "from_block", "message": "Field required"}]));
    let (s, v) = post(&logs_url(9, 3), &abi()).await;
    assert_eq!(
        (s, &v["logs"]),
        (StatusCode::OK, &json!([])),
        "a range from 9 down to 3 holds nothing"
    );
    let (s, v) = post(&logs_url(1, 2), r#"{"abi": "nope"}"#).await;
    assert_eq!((s, &v["extra"][0]["key"]), (StatusCode::BAD_REQUEST, &json!("abi")));

    // Routing around head − 20: old, new, across.
    let head = net.chain.best().number as u64;
    post(&logs_url(1, 5), &abi()).await;
    post(&logs_url(head - 3, head), &abi()).await;
    let metrics = gw.metrics("m").await;
    for reason in ["archive", "main", "split"] {
        let line = format!("pylon_evm_archive_routing_total{{reason=\"{reason}\"}}");
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    let timed = format!(
        "pylon_evm_operation_duration_seconds_count{{operation=\"get_logs\",rpc_url=\"{evm_url}\",status=\"success\"}}"
    );
    assert!(metrics.contains(&timed), "{timed}");

    // A dead EVM node: 502, and its address stays out of the answer.
    let dead = format!("http://user:secret@127.0.0.1:{}/rpc?apikey=hidden", free_port());
    let vars = [
        ("PYLON_OPEN_ACCESS_TOKEN", "oa"),
        ("PYLON_EVM_RPC_URL", dead.as_str()),
        ("PYLON_EVM_ARCHIVE_RPC_URL", dead.as_str()),
    ];
    let down = gateway(&net, &vars).await;
    let url = logs_url(1, 2).replace(&gw.base, &down.base);
    let (s, v) = post(&url, &abi()).await;
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{v}");
    let detail = v["detail"].as_str().expect("detail");
    assert!(detail.starts_with("EVM node request failed"), "{detail}");
    assert!(!detail.contains("secret") && !detail.contains("hidden"), "{detail}");
}
