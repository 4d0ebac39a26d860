//! `pylon serve` over real HTTP against an in-process devnet: routes, auth, errors, timeouts,
//! metrics, configuration errors, and agreement with the CLI.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{devnet, gateway, wait_for_block};
use pylon_devnet::keys;

pub(crate) const IDENTITY: [(&str, &str); 5] = [
    ("PYLON_IDENTITIES", r#"["sn1"]"#),
    ("PYLON_ID_SN1_WALLET_NAME", "devnet"),
    ("PYLON_ID_SN1_HOTKEY_NAME", "sn1-uid3"),
    ("PYLON_ID_SN1_NETUID", "1"),
    ("PYLON_ID_SN1_TOKEN", "sn1-secret"),
];

pub(crate) async fn get(
    url: String,
    token: Option<&str>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut req = client.get(url);
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await.expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)), headers)
}

pub(crate) fn detail(v: &Value) -> &str {
    v["detail"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn open_access_and_identity_routes_with_their_auth() {
    let net = devnet(100, |_| {}).await;
    let mut vars = IDENTITY.to_vec();
    vars.push(("PYLON_OPEN_ACCESS_TOKEN", "oa-secret"));
    let gw = gateway(&net, &vars).await;
    let b = &gw.base;
    let neurons = format!("{b}/api/v1/subnet/1/block/latest/neurons");
    let (s, v, _) = get(neurons.clone(), None).await;
    assert_eq!((s, detail(&v)), (StatusCode::UNAUTHORIZED, "Authorization header is required"));
    let (s, v, _) = get(neurons.clone(), Some("wrong")).await;
    assert_eq!((s, detail(&v)), (StatusCode::FORBIDDEN, "Invalid authorization token"));
    assert_eq!(v["status_code"], 403);
    let (s, v, _) = get(neurons, Some("oa-secret")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["neurons"].as_object().expect("map").len(), 256);

    let (s, v, _) = get(format!("{b}/api/v1/identities"), None).await;
    assert_eq!((s, v), (StatusCode::OK, serde_json::json!({"identities": {"sn1": 1}})));
    let mine = format!("{b}/api/v1/identity/sn1/subnet/1/block/latest/validators");
    let (s, v, _) = get(mine.clone(), Some("sn1-secret")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["validators"].as_array().expect("list").len(), 64);
    let (s, _, _) = get(mine.clone(), Some("oa-secret")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "another identity's token does not open it");
    let (s, v, _) =
        get(format!("{b}/api/v1/identity/nobody/subnet/1/block/latest/neurons"), Some("x")).await;
    assert_eq!((s, detail(&v)), (StatusCode::NOT_FOUND, "Identity 'nobody' not found"));
    let (s, _, h) = get(
        format!("{b}/api/v1/identity/sn1/subnet/3/block/latest/neurons?x=1"),
        Some("sn1-secret"),
    )
    .await;
    assert_eq!(s, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(h["location"], "/api/v1/identity/sn1/subnet/1/block/latest/neurons");
    let (s, v, _) = get(
        format!("{b}/api/_unstable/openaccess/subnet/2/block/latest/neurons"),
        Some("oa-secret"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["neurons"].as_object().expect("map").len(), 64);
}

#[tokio::test(flavor = "multi_thread")]
async fn self_routes_read_the_identitys_hotkey_from_its_wallet() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    // sn1-uid3 has a certificate; give the identity the first validator hotkey that has one.
    let world = net.chain.best().world.clone();
    let with_cert = world.subnets[&1]
        .neurons
        .iter()
        .find(|n| n.validator_permit && n.certificate.is_some())
        .expect("a validator with a certificate");
    let hotkey_name = format!("sn1-uid{}", with_cert.uid);
    let wallet_path = dir.path().to_str().expect("utf-8").to_string();
    let vars = [
        ("PYLON_IDENTITIES", r#"["sn1"]"#),
        ("PYLON_ID_SN1_WALLET_NAME", "devnet"),
        ("PYLON_ID_SN1_HOTKEY_NAME", hotkey_name.as_str()),
        ("PYLON_ID_SN1_NETUID", "1"),
        ("PYLON_ID_SN1_TOKEN", "sn1-secret"),
        ("PYLON_BITTENSOR_WALLET_PATH", wallet_path.as_str()),
    ];
    let gw = gateway(&net, &vars).await;
    let (s, v, _) = get(
        format!("{}/api/v1/identity/sn1/subnet/1/block/latest/certificates/self", gw.base),
        Some("sn1-secret"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let public_key = v["public_key"].as_str().expect("hex").to_string();
    let (_, all, _) =
        get(format!("{}/api/v1/subnet/1/block/latest/certificates", gw.base), None).await;
    let ss58 = keys::ss58(&with_cert.hotkey);
    assert_eq!(all[&ss58]["public_key"], public_key);
    let (s, v, _) = get(
        format!("{}/api/v1/identity/sn1/subnet/1/block/latest/commitments/self", gw.base),
        Some("sn1-secret"),
    )
    .await;
    assert!(s == StatusCode::OK || detail(&v) == "Commitment not found.", "{s} {v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_open_access_token_means_no_auth() {
    let net = devnet(100, |_| {}).await;
    let gw = gateway(&net, &[]).await;
    let (s, v, _) = get(format!("{}/api/v1/subnet/3/block/latest/neurons", gw.base), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v, _) = get(format!("{}/health", gw.base), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["chain"]["connected"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_have_the_services_statuses_and_bodies() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 3).await;
    let gw = gateway(&net, &[]).await;
    let b = &gw.base;
    let cases = [
        ("/api/v1/subnet/abc/block/latest/neurons", StatusCode::NOT_FOUND, "Not Found"),
        (
            "/api/v1/subnet/1/block/99999999/neurons",
            StatusCode::NOT_FOUND,
            "Block 99999999 not found.",
        ),
        ("/api/v1/subnet/1/block/-7/neurons", StatusCode::NOT_FOUND, "Block -7 not found."),
        ("/api/v1/nothing/here", StatusCode::NOT_FOUND, "Not Found"),
        (
            "/api/v1/subnet/1/block/latest/certificates/5NotAHotkey",
            StatusCode::NOT_FOUND,
            "Certificate not found or error fetching.",
        ),
        (
            "/api/v1/subnet/1/block/latest/commitments/5NotAHotkey",
            StatusCode::NOT_FOUND,
            "Commitment not found.",
        ),
    ];
    for (path, status, text) in cases {
        let (s, v, _) = get(format!("{b}{path}"), None).await;
        assert_eq!((s, detail(&v)), (status, text), "{path}");
        assert_eq!(v["status_code"], status.as_u16(), "{path}");
    }
    let uid4 = keys::ss58(&keys::account(&keys::derive("sn1-uid4")));
    let (s, v, _) =
        get(format!("{b}/api/v1/subnet/1/block/latest/certificates/{uid4}"), None).await;
    assert_eq!(
        (s, detail(&v)),
        (StatusCode::NOT_FOUND, "Certificate not found or error fetching.")
    );
    let client = reqwest::Client::new();
    let resp = client.post(format!("{b}/api/v1/block/latest")).send().await.expect("response");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let url = format!("{b}/api/v1/subnet/1/block/latest/neurons");
    for (value, expected) in [
        ("soon", "Invalid X-Pylon-Timeout header value: soon"),
        ("0", "X-Pylon-Timeout header value must be positive, got 0"),
    ] {
        let resp =
            client.get(&url).header("X-Pylon-Timeout", value).send().await.expect("response");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let v: Value = resp.json().await.expect("json");
        assert_eq!(detail(&v), expected);
    }
    let resp =
        client.get(&url).header("X-Pylon-Timeout", "0.000001").send().await.expect("response");
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(detail(&v), "Request timed out");
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_match_the_cli_and_commitment_shapes() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 5).await;
    let gw = gateway(&net, &[]).await;
    let b = &gw.base;
    let (_, http, _) = get(format!("{b}/api/v1/subnet/3/block/2/neurons"), None).await;
    let url = net.url();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(["--network", &url, "neurons", "--netuid", "3", "--block", "2", "-o", "json"])
            .output()
            .expect("runs")
    })
    .await
    .expect("joined");
    let cli: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(http, cli, "the gateway and the CLI serve the same document");

    let uid1 = keys::ss58(&keys::account(&keys::derive("sn1-uid1")));
    let (_, v1, _) =
        get(format!("{b}/api/v1/subnet/1/block/latest/commitments/{uid1}"), None).await;
    assert_eq!(v1["hotkey"], uid1);
    assert!(v1["commitment"].as_str().expect("hex").starts_with("0x7b"));
    assert_eq!(v1["commitment_block_number"], 0);
    let (_, un, _) =
        get(format!("{b}/api/_unstable/openaccess/subnet/1/block/latest/commitments"), None).await;
    assert_eq!(un["commitments"][&uid1]["kind"], "hex_data");
    assert_eq!(un["commitments"][&uid1]["commitment"], v1["commitment"]);
    let (s, rev, _) = get(
        format!("{b}/api/_unstable/openaccess/subnet/1/block/latest/commitments/revealed"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let uid5 = keys::ss58(&keys::account(&keys::derive("sn1-uid5")));
    assert_eq!(rev["commitments"][&uid5][0]["commitment"], "revealed by sn1-uid5");
    let (s, v, _) = get(format!("{b}/api/v1/subnet/1/block/latest/certificates"), None).await;
    assert_eq!(s, StatusCode::OK);
    let uid3 = keys::ss58(&keys::account(&keys::derive("sn1-uid3")));
    assert_eq!(v[&uid3]["algorithm"], 1, "a bare hotkey → certificate map");
    let (_, block, _) = get(format!("{b}/api/v1/block/latest"), None).await;
    assert!(block["timestamp"].as_u64().expect("seconds") > 1_700_000_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_their_token_and_label_routes_by_template() {
    let net = devnet(100, |_| {}).await;
    let closed = gateway(&net, &[]).await;
    let (s, v, _) = get(format!("{}/metrics", closed.base), Some("x")).await;
    assert_eq!((s, detail(&v)), (StatusCode::FORBIDDEN, "Metrics endpoint is not configured"));
    let gw = gateway(
        &net,
        &[("PYLON_METRICS_TOKEN", "metrics-secret"), ("PYLON_OPEN_ACCESS_TOKEN", "oa-secret")],
    )
    .await;
    let _ =
        get(format!("{}/api/v1/subnet/3/block/latest/neurons", gw.base), Some("oa-secret")).await;
    let (s, _, _) = get(format!("{}/metrics", gw.base), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = get(format!("{}/metrics", gw.base), Some("nope")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body, _) = get(format!("{}/metrics", gw.base), Some("metrics-secret")).await;
    assert_eq!(s, StatusCode::OK);
    let text = body.as_str().expect("text");
    assert!(text.contains(r#"pylon_requests_total{app_name="bittensor-pylon",method="GET",path="/api/v1/subnet/{netuid}/block/{block}/neurons",status_code="200"} 1"#), "{text}");
    assert!(text.contains("pylon_request_duration_seconds_bucket"));
    assert!(text.contains("pylon_requests_in_progress"));
    assert!(text.contains(r#"pylon_bittensor_operation_duration_seconds_count{hotkey="N/A",netuid="3",operation="get_neurons",status="success""#), "{text}");
    assert!(
        !text.contains("metrics-secret") && !text.contains("oa-secret"),
        "no secrets in metrics"
    );
    #[cfg(target_os = "linux")]
    assert!(text.contains("process_resident_memory_bytes"));
}

#[test]
fn a_bad_configuration_stops_serve_with_exit_2_naming_the_variable() {
    let dir = tempfile::tempdir().expect("a directory without .env");
    let out = assert_cmd::Command::cargo_bin("pylon")
        .expect("binary")
        .current_dir(dir.path())
        .arg("serve")
        .env("PYLON_IDENTITIES", r#"["sn1"]"#)
        .env("PYLON_ID_SN1_WALLET_NAME", "w")
        .env_remove("PYLON_ENV_FILE")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PYLON_ID_SN1_HOTKEY_NAME"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
