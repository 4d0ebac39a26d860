//! How the gateway runs: Sentry reports, the OpenAPI document and Swagger UI, the finalized-block
//! cache, chain outages and recovery, the embedded devnet, the recent-neurons refresher and
//! archive fallbacks.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{
    devnet, free_port, gateway, serve_command, validator, wait_for_block, wait_up,
};
use crate::server::{IDENTITY, detail, get};
use pylon_devnet::keys;

/// A stand-in Sentry that counts the envelopes it receives.
async fn fake_sentry() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use axum::routing::post;
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = count.clone();
    let app = axum::Router::new().route(
        "/api/1/envelope/",
        post(move |body: axum::body::Bytes| {
            let c = c.clone();
            async move {
                if String::from_utf8_lossy(&body).contains("answered 502") {
                    c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dsn = format!("http://public@{}/1", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (dsn, count)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_5xx_is_reported_to_sentry() {
    let net = devnet(100, |_| {}).await;
    let (dsn, received) = fake_sentry().await;
    let port = free_port();
    let db = tempfile::tempdir().expect("database dir");
    let mut server = serve_command(db.path(), port)
        .env("PYLON_BITTENSOR_NETWORK", net.url())
        .env("PYLON_SENTRY_DSN", &dsn)
        .spawn()
        .expect("pylon serve starts");
    let base = format!("http://127.0.0.1:{port}");
    wait_up(&base).await;
    net.stop().await;
    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v1/subnet/1/block/latest/neurons"))
        .header("X-Pylon-Timeout", "20")
        .send()
        .await
        .expect("response");
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while received.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "Sentry received no event for the 502");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = server.kill().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_lists_served_routes_and_swagger_ui_works_offline() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    let wallet_path = dir.path().to_str().expect("utf-8").to_string();
    let validator = validator(&net, 1);
    let hotkey_name = format!("sn1-uid{validator}");
    let mut vars: Vec<(&str, &str)> =
        IDENTITY.iter().copied().filter(|(k, _)| *k != "PYLON_ID_SN1_HOTKEY_NAME").collect();
    vars.push(("PYLON_ID_SN1_HOTKEY_NAME", &hotkey_name));
    vars.push(("PYLON_BITTENSOR_WALLET_PATH", &wallet_path));
    vars.push(("PYLON_OPEN_ACCESS_TOKEN", "oa-secret"));
    let gw = gateway(&net, &vars).await;
    let (s, doc, _) = get(format!("{}/schema/openapi.json", gw.base), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["info"]["title"], "Bittensor Pylon API");
    assert!(
        doc["components"]["schemas"]["Neuron"]["properties"]["stakes"].is_object(),
        "schemas from the types"
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 30, "{} paths", paths.len());
    let uid3 = keys::ss58(&keys::account(&keys::derive("sn1-uid3")));
    let mut served = false;
    for (path, item) in paths {
        let url = path
            .replace("{netuid}", "1")
            .replace("{mechanism_id}", "0")
            .replace("{block}", "latest")
            .replace("{extrinsic_index}", "0")
            .replace("{hotkey}", &uid3)
            .replace("{identity}", "sn1");
        if item.get("get").is_none() {
            for method in ["put", "post"].into_iter().filter(|m| item.get(*m).is_some()) {
                let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("m");
                let scheme =
                    item[method]["security"][0].as_object().and_then(|s| s.keys().next().cloned());
                let token = if scheme.as_deref() == Some("identity_token") {
                    "sn1-secret"
                } else {
                    "oa-secret"
                };
                let resp = reqwest::Client::new()
                    .request(m, format!("{}{url}", gw.base))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body("{\"commitment\": \"zz\"}")
                    .send()
                    .await
                    .expect("response");
                let s = resp.status();
                let certificate = path.ends_with("/certificates/self");
                let creates = certificate || path.ends_with("/revealed");
                let created = creates && s == StatusCode::CREATED;
                // Serving again within the subnet's serving rate limit is refused, as on chain.
                let rate_limited = certificate && served && s == StatusCode::BAD_GATEWAY;
                served |= certificate && created;
                assert!(
                    s == StatusCode::BAD_REQUEST || created || rate_limited,
                    "{method} {path}: {s}"
                );
            }
            continue;
        }
        let secured = item["get"]["security"]
            .as_array()
            .map(|s| s[0].as_object().expect("req").keys().next().cloned());
        let token = match secured.flatten().as_deref() {
            Some("identity_token") => Some("sn1-secret"),
            Some(_) => Some("oa-secret"),
            None => None,
        };
        let (s, v, _) = get(format!("{}{url}", gw.base), token).await;
        assert!(
            s != StatusCode::METHOD_NOT_ALLOWED && detail(&v) != "Not Found",
            "{path} is documented but not served: {s}"
        );
        let recent_not_ready = path.contains("/recent/") && s == StatusCode::SERVICE_UNAVAILABLE;
        let metrics_unconfigured = path == "/metrics" && s == StatusCode::FORBIDDEN;
        assert!(
            s.is_success()
                || s == StatusCode::NOT_FOUND
                || recent_not_ready
                || metrics_unconfigured,
            "{path}: {s} {v}"
        );
    }
    let (s, html, _) = get(format!("{}/schema/swagger/", gw.base), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.as_str().expect("html").contains("swagger"), "the UI page");
    let (s, _, h) = get(format!("{}/schema/swagger/swagger-ui.css", gw.base), None).await;
    assert_eq!(s, StatusCode::OK, "assets come from the binary, not a CDN");
    assert!(h["content-type"].to_str().expect("type").contains("css"));
}

#[tokio::test(flavor = "multi_thread")]
async fn finalized_reads_are_cached_and_concurrent_misses_coalesce() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 6).await;
    // Not kept warm: every chain read counted here is one a request made.
    let gw = gateway(&net, &[("PYLON_WARM_LATEST_SECONDS", "0")]).await;
    let lite = "NeuronInfoRuntimeApi_get_neurons_lite";
    // Wait until the gateway follows the finalized head (its latest reads then become cacheable).
    let _ = get(format!("{}/api/v1/subnet/3/block/latest/validators", gw.base), None).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let block = net.chain.finalized().number.saturating_sub(1);
    let url = format!("{}/api/v1/subnet/1/block/{block}/neurons", gw.base);
    let before = net.chain.call_count(lite);
    let requests: Vec<_> = (0..20).map(|_| tokio::spawn(get(url.clone(), None))).collect();
    let mut bodies = Vec::new();
    for r in requests {
        let (s, v, _) = r.await.expect("task");
        assert_eq!(s, StatusCode::OK);
        bodies.push(v);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(net.chain.call_count(lite) - before, 1, "20 simultaneous requests, one chain read");
    let (s, again, _) = get(url, None).await;
    assert_eq!((s, &again), (StatusCode::OK, &bodies[0]));
    assert_eq!(net.chain.call_count(lite) - before, 1, "a repeat is served from the cache");
    assert_eq!(again["block"]["number"], block);
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_answer_502_while_the_chain_is_down_and_recover_when_it_returns() {
    let genesis =
        |c: &mut pylon_devnet::DevnetConfig| c.genesis_timestamp_ms = Some(1_767_225_600_000);
    let first = devnet(100, genesis).await;
    let addr = first.addr;
    let gw = gateway(&first, &[]).await;
    let url = format!("{}/api/v1/subnet/3/block/latest/validators", gw.base);
    assert_eq!(get(url.clone(), None).await.0, StatusCode::OK);
    first.stop().await;
    let uncached = format!("{}/api/v1/subnet/2/block/latest/neurons", gw.base);
    let (s, v, _) = get(uncached.clone(), None).await;
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{v}");
    // The operation and the request id; the node's address and the cause go to the log.
    assert!(
        detail(&v).contains("get_neurons failed")
            && detail(&v).contains("request ")
            && !detail(&v).contains(&addr.to_string()),
        "{v}"
    );
    let second = devnet(100, |c| {
        genesis(c);
        c.listen = addr;
    })
    .await;
    wait_for_block(&second, 3).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (s, _, _) = get(uncached.clone(), None).await;
        if s == StatusCode::OK {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the gateway did not recover: {s}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_with_an_embedded_devnet_answers_reads() {
    let port = free_port();
    let dir = tempfile::tempdir().expect("a directory without .env");
    let mut server = serve_command(dir.path(), port)
        .arg("--devnet")
        .env_remove("PYLON_OPEN_ACCESS_TOKEN")
        .spawn()
        .expect("pylon serve starts");
    let url = format!("http://127.0.0.1:{port}/api/v1/subnet/1/block/latest/neurons");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let neurons = loop {
        if let Ok(resp) = reqwest::get(&url).await {
            break resp.json::<Value>().await.expect("json");
        }
        assert!(tokio::time::Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(neurons["neurons"].as_object().expect("map").len(), 256);
    let _ = server.kill().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn recent_neurons_are_refreshed_in_the_background_and_refused_when_stale() {
    let net = devnet(100, |_| {}).await;
    let gw = gateway(
        &net,
        &[
            ("PYLON_RECENT_OBJECTS_NETUIDS", "[3]"),
            ("PYLON_BLOCK_DURATION_SECONDS", "0.1"),
            ("PYLON_RECENT_OBJECTS_SOFT_LIMIT_BLOCKS", "20"),
            ("PYLON_RECENT_OBJECTS_HARD_LIMIT_BLOCKS", "40"),
            ("PYLON_RECENT_OBJECTS_REFRESH_LEAD_BLOCKS", "19"),
        ],
    )
    .await;
    let url = format!("{}/api/v1/subnet/3/block/recent/neurons", gw.base);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    let fresh = loop {
        let (s, v, _) = get(url.clone(), None).await;
        if s == StatusCode::OK {
            break v;
        }
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
        assert!(tokio::time::Instant::now() < deadline, "recent neurons never became available");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(fresh["neurons"].as_object().expect("map").len(), 16);
    let (s, v, _) = get(format!("{}/api/v1/subnet/2/block/recent/neurons", gw.base), None).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(detail(&v).starts_with("Recent neurons data is not available."), "{v}");
    net.stop().await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (s, v, _) = get(url.clone(), None).await;
        if s == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(detail(&v), "Recent neurons data is stale. Cache update may be failing.");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "stale data kept being served");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn archive_fallbacks_are_counted() {
    let same = |c: &mut pylon_devnet::DevnetConfig| {
        c.genesis.seed = 5;
        c.genesis_timestamp_ms = Some(1_767_225_600_000);
    };
    let lite = devnet(40, |c| {
        same(c);
        c.state_pruning = Some(4);
    })
    .await;
    let archive = devnet(40, same).await;
    wait_for_block(&lite, 15).await;
    wait_for_block(&archive, 15).await;
    let archive_url = archive.url();
    let gw = gateway(
        &lite,
        &[("PYLON_BITTENSOR_ARCHIVE_NETWORK", archive_url.as_str()), ("PYLON_METRICS_TOKEN", "m")],
    )
    .await;
    let (s, v, _) = get(format!("{}/api/v1/subnet/3/block/2/neurons", gw.base), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["block"]["number"], 2);
    let (_, text, _) = get(format!("{}/metrics", gw.base), Some("m")).await;
    let text = text.as_str().expect("text");
    assert!(
        text.contains(r#"pylon_bittensor_fallback_total{hotkey="N/A",operation="read",reason="unknown_block"} 1"#),
        "{text}"
    );
}
