//! Route-by-route snapshots of the gateway: every documented `GET` route (open access and
//! identity, v1 and unstable) and the error answers, against a devnet frozen at its genesis
//! (fixed seed and clock, no blocks produced), compared with `tests/snapshots/gateway.json`.
//! Regenerate with `PYLON_UPDATE_SNAPSHOTS=1 cargo test --test it snapshots`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common::{devnet, gateway};
use pylon_devnet::keys;

const SNAPSHOT: &str = "tests/snapshots/gateway.json";

async fn call(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> Value {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.expect("response");
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|l| l.to_str().ok()).map(String::from);
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    match location {
        Some(l) => json!({ "status": status, "location": l, "body": body }),
        None => json!({ "status": status, "body": body }),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_answers_as_its_snapshot() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(3_600_000, |c| {
        c.genesis_timestamp_ms = Some(1_750_000_000_000);
        c.wallet_dir = Some(dir.path().to_path_buf());
        c.finality_lag = 0;
    })
    .await;
    // One block (its timestamp is fixed by the clock above), finalized, for the extrinsic routes.
    net.chain.produce();
    let subnet = net.chain.best().world.subnets[&3].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let hotkey = keys::ss58(&subnet.neurons[3].hotkey);
    let wallet = dir.path().display().to_string();
    let hotkey_name = keys::hotkey_path(3, uid);
    let evm = net.url().replace("ws://", "http://");
    let vars = [
        ("PYLON_BITTENSOR_WALLET_PATH", wallet.as_str()),
        ("PYLON_EVM_RPC_URL", evm.as_str()),
        ("PYLON_EVM_ARCHIVE_RPC_URL", evm.as_str()),
        ("PYLON_METRICS_TOKEN", "m"),
        ("PYLON_OPEN_ACCESS_TOKEN", "oa"),
        ("PYLON_IDENTITIES", r#"["sn3"]"#),
        ("PYLON_ID_SN3_WALLET_NAME", "devnet"),
        ("PYLON_ID_SN3_HOTKEY_NAME", hotkey_name.as_str()),
        ("PYLON_ID_SN3_NETUID", "3"),
        ("PYLON_ID_SN3_TOKEN", "id"),
    ];
    let gw = gateway(&net, &vars).await;
    let mut answers = BTreeMap::new();
    use pylon::server::table::{Guard, Method, Scope};
    for (method, path, scope) in pylon::server::openapi::documented() {
        if method != Method::Get || scope == Scope::Root || path.contains("/recent/") {
            continue; // writes below; /health and /metrics and the background refresher vary
        }
        let url = path
            .replace("{netuid}", "3")
            .replace("{identity}", "sn3")
            .replace("{mechanism_id}", "0")
            .replace("{block}", "latest")
            .replace("{extrinsic_index}", "0")
            .replace("{hotkey}", &hotkey);
        let token = match scope.guard() {
            Guard::Public | Guard::Metrics => None,
            Guard::OpenAccess => Some("oa"),
            Guard::Identity => Some("id"),
        };
        answers.insert(
            format!("GET {url}"),
            call("GET", &format!("{}{url}", gw.base), token, None).await,
        );
    }
    let timelocked = keys::ss58(&subnet.neurons[13].hotkey);
    let timelocked_v1 = format!("/api/v1/subnet/3/block/latest/commitments/{timelocked}");
    let evm_logs = format!(
        "/api/_unstable/openaccess/evm/contracts/0x{}/logs",
        hex::encode(pylon_devnet::evm::token())
    );
    let logs_abi = format!(r#"{{"abi": {}}}"#, pylon_devnet::evm::TOKEN_ABI);
    let logs_at_genesis = format!("{evm_logs}?from_block=0&to_block=1");
    let bad_address = "/api/_unstable/openaccess/evm/contracts/0x12/logs?from_block=0&to_block=1";
    let bad_abi = r#"{"abi": [{"type": "event", "name": "X", "inputs": [{"name": "a"}]}]}"#;
    let no_range = format!("{evm_logs}?to_block=1");
    let big = format!(r#"{{"commitment": "{}"}}"#, "ab".repeat(513));
    let huge = format!(r#"{{"commitment": "{}"}}"#, "a".repeat(1 << 20));
    let id = "/api/_unstable/identity/sn3/subnet/3";
    let revealed = format!("{id}/commitments/revealed");
    let long_text = format!(r#"{{"commitment": "{}"}}"#, "x".repeat(193));
    let certificate = format!("{id}/certificates/self");
    let weights = format!("{id}/mechanism/0/weights");
    let errors: [(&str, &str, Option<&str>, Option<&str>); 45] = [
        ("GET", "/api/v1/subnet/3/block/latest/neurons", None, None),
        ("GET", "/api/v1/subnet/3/block/latest/neurons", Some("wrong"), None),
        ("GET", "/api/v1/subnet/abc/block/latest/neurons", Some("oa"), None),
        ("GET", "/api/v1/subnet/3/block/99999/neurons", Some("oa"), None),
        ("GET", "/api/v1/subnet/77/block/latest/neurons", Some("oa"), None),
        ("GET", "/api/v1/subnet/3/block/latest/commitments/5NotAHotkey", Some("oa"), None),
        ("GET", "/api/v1/identity/nobody/subnet/3/block/latest/neurons", Some("id"), None),
        ("GET", "/api/v1/identity/sn3/subnet/1/block/latest/neurons", Some("id"), None),
        ("GET", "/api/v1/identity/sn3/subnet/3/block/latest/neurons", Some("oa"), None),
        ("POST", "/api/v1/subnet/3/block/latest/neurons", Some("oa"), None),
        ("PUT", "/api/v1/identity/sn3/subnet/3/weights", Some("id"), Some("{}")),
        (
            "PUT",
            "/api/v1/identity/sn3/subnet/3/weights",
            Some("id"),
            Some(r#"{"weights": {"a": "x"}}"#),
        ),
        (
            "POST",
            "/api/v1/identity/sn3/subnet/3/commitments",
            Some("id"),
            Some(r#"{"commitment": "xyz"}"#),
        ),
        ("GET", "/no/such/route", None, None),
        ("GET", "/api/v1/block/1/extrinsic/5", None, None),
        ("GET", "/api/v1/block/1/extrinsic/-1", None, None),
        ("GET", "/api/v1/block/99999/extrinsic/0", None, None),
        ("GET", "/api/v1/block/abc/extrinsic/0", None, None),
        ("GET", "/api/_unstable/openaccess/block/1/extrinsic/0", None, None),
        ("GET", "/api/_unstable/openaccess/block/99999/prices", Some("oa"), None),
        ("GET", "/api/_unstable/openaccess/subnet/77/block/latest/price", Some("oa"), None),
        (
            "GET",
            "/api/_unstable/openaccess/subnet/77/block/latest/evm_associations",
            Some("oa"),
            None,
        ),
        ("GET", "/api/_unstable/openaccess/block/latest/drand/last_stored_round", None, None),
        ("GET", timelocked_v1.as_str(), Some("oa"), None),
        ("GET", "/api/v1/subnet/3/block/latest/prices", Some("oa"), None),
        ("GET", "/api/v1/subnet/3/block/-2/neurons", Some("oa"), None),
        ("GET", "/api/v1/identity/sn3/subnet/abc/block/latest/neurons", Some("id"), None),
        ("GET", "/metrics", None, None),
        ("GET", "/metrics", Some("wrong"), None),
        ("POST", logs_at_genesis.as_str(), Some("oa"), Some(logs_abi.as_str())),
        ("POST", bad_address, Some("oa"), Some(logs_abi.as_str())),
        ("POST", logs_at_genesis.as_str(), Some("oa"), Some(bad_abi)),
        ("POST", no_range.as_str(), Some("oa"), Some(logs_abi.as_str())),
        ("POST", logs_at_genesis.as_str(), Some("oa"), Some(r#"{"abi": [1]}"#)),
        ("POST", "/api/v1/identity/sn3/subnet/3/commitments", Some("id"), Some(big.as_str())),
        ("POST", "/api/v1/identity/sn3/subnet/3/commitments", Some("id"), Some(huge.as_str())),
        (
            "POST",
            "/api/v1/identity/sn3/subnet/3/commitments",
            Some("id"),
            Some(r#"{"commitment": ""}"#),
        ),
        (
            "POST",
            "/api/v1/identity/sn3/subnet/3/commitments",
            Some("id"),
            Some(r#"{"commitment": 5}"#),
        ),
        ("POST", revealed.as_str(), Some("id"), Some(long_text.as_str())),
        (
            "POST",
            revealed.as_str(),
            Some("id"),
            Some(r#"{"commitment": "x", "blocks_until_reveal": 0}"#),
        ),
        ("POST", certificate.as_str(), Some("id"), Some(r#"{"algorithm": 2}"#)),
        ("PUT", weights.as_str(), Some("id"), Some(r#"{"weights": {"a": 1e301}}"#)),
        ("PUT", weights.as_str(), Some("id"), Some(r#"{"weights": {"a": "1e3"}}"#)),
        ("PUT", weights.as_str(), Some("id"), Some("[1, 2]")),
        (
            "PUT",
            "/api/v1/identity/sn3/subnet/3/weights",
            Some("id"),
            Some(r#"{"weights": {"a": 1}, "x": 1}"#),
        ),
    ];
    for (method, path, token, body) in errors {
        let shown = match body {
            Some(b) if b.len() > 80 => format!("<{} bytes>", b.len()),
            Some(b) => b.to_string(),
            None => "-".into(),
        };
        let key = format!("{method} {path} token={} body={shown}", token.unwrap_or("-"));
        answers.insert(key, call(method, &format!("{}{path}", gw.base), token, body).await);
    }
    for timeout in ["abc", "0", "-1"] {
        let resp = reqwest::Client::new()
            .get(format!("{}/api/v1/block/latest", gw.base))
            .header("X-Pylon-Timeout", timeout)
            .send()
            .await
            .expect("response");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.expect("json");
        answers.insert(
            format!("GET /api/v1/block/latest X-Pylon-Timeout={timeout}"),
            json!({ "status": status, "body": body }),
        );
    }
    let actual = serde_json::to_string_pretty(&answers).expect("json") + "\n";
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("PYLON_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(file.parent().expect("parent")).expect("dir");
        std::fs::write(&file, &actual).expect("write");
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_default();
    if actual != expected {
        let old: BTreeMap<String, Value> = serde_json::from_str(&expected).unwrap_or_default();
        let changed: Vec<&String> =
            answers.keys().filter(|k| old.get(*k) != answers.get(*k)).collect();
        panic!(
            "{} answers differ from {SNAPSHOT}: {changed:?}; if intended, run \
             `PYLON_UPDATE_SNAPSHOTS=1 cargo test --test it snapshots`",
            changed.len()
        );
    }
}
