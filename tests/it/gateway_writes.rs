//! The gateway's writes over real HTTP against a devnet: the weights job (applied, superseded,
//! resumed after SIGKILL without a second submission), commitments, certificates, and the
//! validation of request bodies.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{devnet, gateway, validator, wait_for_block};
use pylon_devnet::{Devnet, keys};

pub const TOKEN: &str = "sn-token";

/// Identity `sn` = validator `uid` of `netuid`, with fast retries.
pub fn identity(dir: &std::path::Path, netuid: u16, uid: u16) -> Vec<(String, String)> {
    [
        ("PYLON_BITTENSOR_WALLET_PATH", dir.display().to_string()),
        ("PYLON_IDENTITIES", r#"["sn"]"#.into()),
        ("PYLON_ID_SN_WALLET_NAME", "devnet".into()),
        ("PYLON_ID_SN_HOTKEY_NAME", keys::hotkey_path(netuid, uid)),
        ("PYLON_ID_SN_NETUID", netuid.to_string()),
        ("PYLON_ID_SN_TOKEN", TOKEN.into()),
        ("PYLON_WEIGHTS_RETRY_DELAY_SECONDS", "0.2".into()),
        ("PYLON_COMMITMENT_RETRY_ATTEMPTS", "2".into()),
        ("PYLON_COMMITMENT_RETRY_DELAY_SECONDS", "0.05".into()),
    ]
    .map(|(k, v)| (k.to_string(), v))
    .to_vec()
}

pub fn hotkey_of(net: &Devnet, netuid: u16, uid: u16) -> String {
    keys::ss58(&net.chain.best().world.subnets[&netuid].neurons[usize::from(uid)].hotkey)
}

pub async fn send(
    method: reqwest::Method,
    url: String,
    body: Option<String>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, url).bearer_auth(TOKEN);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b);
    }
    let resp = req.send().await.expect("response");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub async fn eventually(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "{what} did not happen in {secs} s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn put_weights_schedules_a_job_that_sets_them_and_a_newer_put_supersedes_it() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let uid = validator(&net, 1);
    let mut vars = identity(dir.path(), 1, uid);
    vars.push(("PYLON_METRICS_TOKEN".into(), "metrics-token".into()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let url = format!("{}/api/v1/identity/sn/subnet/1/weights", gw.base);
    let targets: Vec<String> = (0..10).map(|u| hotkey_of(&net, 1, u)).collect();
    let mut first = serde_json::Map::new();
    for (i, h) in targets.iter().enumerate() {
        first.insert(h.clone(), json!(1.0 + i as f64));
    }
    first.insert("5NotRegisteredAnywhere".into(), json!(1));
    let mut second = serde_json::Map::new();
    for h in &targets {
        second.insert(h.clone(), json!("0.5"));
    }
    // Two PUTs back to back: the second supersedes the first before it can submit.
    let (s1, v1) =
        send(reqwest::Method::PUT, url.clone(), Some(json!({"weights": first}).to_string())).await;
    let (s2, v2) =
        send(reqwest::Method::PUT, url.clone(), Some(json!({"weights": second}).to_string())).await;
    assert_eq!(
        (s1, &v1),
        (StatusCode::OK, &json!({"detail": "weights update scheduled", "count": 11}))
    );
    assert_eq!((s2, v2["count"].as_u64()), (StatusCode::OK, Some(10)));
    let equal: Vec<(u16, u16)> = (0..10).map(|u| (u, 65_535)).collect();
    eventually("the second job's weights on chain", 20, || {
        net.chain.best().world.subnets[&1].neurons[usize::from(uid)].weights == equal
    })
    .await;
    let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
    assert_eq!(net.chain.best().world.nonce(&account), 1, "exactly one submission");

    let head = net.chain.finalized().number;
    let status = format!(
        "{}/api/_unstable/identity/sn/subnet/1/mechanism/0/block/{head}/weights/status",
        gw.base
    );
    let (s, v) = send(reqwest::Method::GET, status, None).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"weights_submitted": true})));
    let (s, v) = send(
        reqwest::Method::GET,
        format!(
            "{}/api/_unstable/identity/sn/subnet/1/mechanism/1/block/{head}/weights/status",
            gw.base
        ),
        None,
    )
    .await;
    assert_eq!((s, v), (StatusCode::OK, json!({"weights_submitted": false})));
    // The job records its end after finalization: scrape until both jobs are counted.
    let has_job = |text: &str, status: &str| {
        let wanted = format!("status=\"{status}\"");
        text.lines().any(|l| {
            l.starts_with("pylon_apply_weights_job_duration_seconds_count{")
                && l.contains("operation=\"run_job\"")
                && l.contains("netuid=\"1\"")
                && l.contains(&wanted)
        })
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let text = loop {
        let text = gw.metrics("metrics-token").await;
        // The superseded job ends "cancelled", the newer one "success".
        if has_job(&text, "success") && has_job(&text, "cancelled") {
            break text;
        }
        assert!(tokio::time::Instant::now() < deadline, "job series missing in\n{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        text.lines().any(|l| l.starts_with("pylon_apply_weights_attempt_duration_seconds_count{")
            && l.contains("operation=\"_apply_weights\"")),
        "attempt series"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn write_bodies_are_validated_like_the_python_service() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    let uid = validator(&net, 1);
    let vars = identity(dir.path(), 1, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let weights = format!("{}/api/v1/identity/sn/subnet/1/weights", gw.base);
    let put = |body: &str| send(reqwest::Method::PUT, weights.clone(), Some(body.to_string()));
    let detail = "Validation failed for PUT /api/v1/identity/sn/subnet/1/weights";
    let cases = [
        ("{}", "weights", "Field required"),
        (r#"{"weights": {}}"#, "weights", "Value error, No weights provided"),
        (r#"{"weights": []}"#, "weights", "Input should be a valid dictionary"),
        (
            r#"{"weights": {"5Abc": "heavy"}}"#,
            "weights.5Abc",
            "Input should be a valid number, unable to parse string as a number",
        ),
        (
            r#"{"weights": {"5Abc": -1}}"#,
            "weights.5Abc",
            "Value error, weight must be a number from 0 to 1e300, got -1",
        ),
        (
            r#"{"weights": {"": 1}}"#,
            "weights",
            "Value error, Invalid hotkey: '' must be a non-empty string",
        ),
    ];
    for (body, key, message) in cases {
        let (s, v) = put(body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(v["detail"], detail, "{body}");
        assert_eq!(v["extra"], json!([{"key": key, "message": message}]), "{body}");
    }
    let (s, v) = put("{not json").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["extra"][0]["message"].as_str().expect("message").starts_with("Invalid JSON"), "{v}");
    let (s, v) = put(&format!(r#"{{"weights": {{"a": "{}"}}}}"#, "x".repeat(2 << 20))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["status_code"], 413);

    let commit = format!("{}/api/v1/identity/sn/subnet/1/commitments", gw.base);
    let post = |body: &str| send(reqwest::Method::POST, commit.clone(), Some(body.to_string()));
    let (s, v) = post(r#"{"commitment": "0xabc"}"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        v["extra"][0]["message"],
        "Value error, passed commitment data is not a valid hex string."
    );
    let (s, v) = post(r#"{"commitment": 5}"#).await;
    assert_eq!(
        (s, v["extra"][0]["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some("Value error, commitment must be bytes or hex string"))
    );
    let (s, v) = post(&json!({"commitment": "ab".repeat(513)}).to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["extra"][0]["message"].as_str().expect("m").contains("513 bytes"), "{v}");
    let cert = format!("{}/api/v1/identity/sn/subnet/1/certificates/self", gw.base);
    let (s, v) = send(reqwest::Method::POST, cert, Some(r#"{"algorithm": 2}"#.into())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["extra"][0]["message"].as_str().expect("m").contains("only algorithm equals 1"));
    let (s, _) = send(reqwest::Method::GET, weights, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test(flavor = "multi_thread")]
async fn commitments_and_certificates_are_set_and_read_back() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let uid = validator(&net, 3);
    let vars = identity(dir.path(), 3, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let base = format!("{}/api/v1/identity/sn/subnet/3", gw.base);

    let (s, v) = send(
        reqwest::Method::POST,
        format!("{base}/commitments"),
        Some(r#"{"commitment": "c0ffee00"}"#.into()),
    )
    .await;
    assert_eq!((s, v), (StatusCode::CREATED, json!({"detail": "Commitment set successfully."})));
    let (s, v) =
        send(reqwest::Method::GET, format!("{base}/block/latest/commitments/self"), None).await;
    assert_eq!((s, v["commitment"].as_str()), (StatusCode::OK, Some("0xc0ffee00")));

    let (s, cert) =
        send(reqwest::Method::POST, format!("{base}/certificates/self"), Some("{}".into())).await;
    assert_eq!(s, StatusCode::CREATED, "{cert}");
    assert_eq!(cert["algorithm"], 1);
    // Bare lowercase hex, as turbobt sends it; the seed derives the public key.
    let private = cert["private_key"].as_str().expect("private key");
    let seed: [u8; 32] = hex::decode(private).expect("bare hex").try_into().expect("32 bytes");
    let public =
        sp_core::Pair::public(&<sp_core::ed25519::Pair as sp_core::Pair>::from_seed(&seed));
    assert_eq!(cert["public_key"], json!(hex::encode(public.0)));
    let (s, read) =
        send(reqwest::Method::GET, format!("{base}/block/latest/certificates/self"), None).await;
    assert_eq!((s, &read["public_key"]), (StatusCode::OK, &cert["public_key"]));
    // The axon address stayed what it was.
    let neuron = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].clone();
    assert_eq!(neuron.certificate.expect("certificate").public_key.0.len(), 32);

    // A hotkey that is not registered on the subnet: 502 after the retries.
    let other = identity(dir.path(), 3, uid);
    let mut other: Vec<(String, String)> = other;
    for (k, v) in &mut other {
        if k == "PYLON_ID_SN_HOTKEY_NAME" {
            *v = keys::hotkey_path(1, validator(&net, 1));
        }
    }
    let other: Vec<(&str, &str)> = other.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw2 = gateway(&net, &other).await;
    let base2 = format!("{}/api/v1/identity/sn/subnet/3", gw2.base);
    let (s, v) = send(
        reqwest::Method::POST,
        format!("{base2}/commitments"),
        Some(r#"{"commitment": "01"}"#.into()),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{v}");
    assert!(v["detail"].as_str().expect("detail").contains("AccountNotAllowedCommit"), "{v}");
    let (s, v) = send(reqwest::Method::POST, format!("{base2}/certificates/self"), None).await;
    assert_eq!(
        (s, v["detail"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("Could not generate certificate pair."))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_concurrent_puts_make_one_submission() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let uid = validator(&net, 1);
    let vars = identity(dir.path(), 1, uid);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let url = format!("{}/api/v1/identity/sn/subnet/1/weights", gw.base);
    let targets: Vec<String> = (0..10).map(|u| hotkey_of(&net, 1, u)).collect();
    let puts = (0..100).map(|i| {
        let body: serde_json::Map<String, Value> =
            targets.iter().enumerate().map(|(j, h)| (h.clone(), json!(1 + (i + j) % 5))).collect();
        send(reqwest::Method::PUT, url.clone(), Some(json!({ "weights": body }).to_string()))
    });
    for (status, _) in futures_util::future::join_all(puts).await {
        assert_eq!(status, StatusCode::OK);
    }
    let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
    eventually("a submission", 20, || net.chain.best().world.nonce(&account) >= 1).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(net.chain.best().world.nonce(&account), 1, "one submission for 100 PUTs");
    // The store agrees: the newest job succeeded, the 99 it superseded were cancelled unsent.
    let db = rusqlite::Connection::open(gw.db_path()).expect("job database");
    let count = |status: &str| -> i64 {
        db.query_row("SELECT COUNT(*) FROM weight_tasks WHERE status = ?1", [status], |r| r.get(0))
            .expect("count")
    };
    assert_eq!((count("succeeded"), count("cancelled"), count("running")), (1, 99, 0));
    let sent: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM weight_tasks WHERE submit_block_number IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(sent, 1, "only one job ever reached submission");
}
