//! Faults between the gateway and its node, injected with a TCP proxy (`proxy.rs`): a silent
//! connection, a node replaced by another chain, a refused and restored node, a stalled node.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{devnet, gateway, wait_for_block};
use crate::proxy::Proxy;

async fn get(url: String, timeout: Option<&str>) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().get(url).timeout(Duration::from_secs(60));
    if let Some(t) = timeout {
        req = req.header("X-Pylon-Timeout", t);
    }
    let resp = req.send().await.expect("response");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls `check` every 100 ms for up to `limit`; the last value when it never held.
async fn within<T>(limit: Duration, mut check: impl AsyncFnMut() -> (bool, T)) -> (bool, T) {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (ok, value) = check().await;
        if ok || tokio::time::Instant::now() > deadline {
            return (ok, value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the gateway at `base` follows finalized heads (`/health` 200).
async fn healthy(base: &str) {
    let url = format!("{base}/health");
    let (ok, h) = within(Duration::from_secs(10), async || {
        let (s, v) = get(url.clone(), None).await;
        (s == StatusCode::OK, v)
    })
    .await;
    assert!(ok, "healthy once heads arrive: {h}");
}

/// A gateway reaching `net` (main and archive) through a proxy the test controls.
async fn behind_proxy(net: &pylon_devnet::Devnet) -> (Proxy, crate::common::Gateway) {
    let proxy = Proxy::to(&net.url()).await;
    let v = vars(&proxy.url());
    let v: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gw = gateway(net, &v).await;
    (proxy, gw)
}

fn vars(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PYLON_BITTENSOR_NETWORK", url.to_string()),
        ("PYLON_BITTENSOR_ARCHIVE_NETWORK", url.to_string()),
        ("PYLON_BLOCK_DURATION_SECONDS", "0.2".into()),
        ("PYLON_METRICS_TOKEN", "m".into()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_connection_is_replaced_and_latest_keeps_up() {
    let net = devnet(200, |_| {}).await;
    let (proxy, gw) = behind_proxy(&net).await;
    let health = format!("{}/health", gw.base);
    let (ok, h) = within(Duration::from_secs(10), async || {
        let (s, v) = get(health.clone(), None).await;
        (s == StatusCode::OK, v)
    })
    .await;
    assert!(ok, "healthy once heads arrive: {h}");

    // The follower's connection goes silent: no error, no close, nothing.
    proxy.blackhole_existing();
    let latest = format!("{}/api/v1/block/latest", gw.base);
    let (ok, last) = within(Duration::from_secs(12), async || {
        let (s, v) = get(latest.clone(), Some("10")).await;
        let behind = u64::from(net.chain.finalized().number)
            .saturating_sub(v["number"].as_u64().unwrap_or(0));
        (s == StatusCode::OK && behind <= 3, (s, v, behind))
    })
    .await;
    assert!(ok, "latest catches up over a new connection: {last:?}");
    // Keep up for a while: never more than 3 blocks (or 5 s) behind.
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (s, v) = get(latest.clone(), Some("10")).await;
        let head = u64::from(net.chain.finalized().number);
        let behind = head.saturating_sub(v["number"].as_u64().unwrap_or(0));
        assert!(s == StatusCode::OK && behind <= 25, "{behind} blocks behind: {v}");
    }
    let (s, h) = get(health, None).await;
    assert_eq!(s, StatusCode::OK, "{h}");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_is_503_exactly_while_the_node_is_gone() {
    let net = devnet(200, |_| {}).await;
    let (proxy, gw) = behind_proxy(&net).await;
    let health = format!("{}/health", gw.base);
    let up = async || {
        let (s, v) = get(health.clone(), None).await;
        (s == StatusCode::OK, v)
    };
    assert!(within(Duration::from_secs(10), up).await.0, "healthy at first");
    proxy.refuse(true);
    proxy.kill_existing();
    let (down, h) = within(Duration::from_secs(6), async || {
        let (s, v) = get(health.clone(), None).await;
        (s == StatusCode::SERVICE_UNAVAILABLE, v)
    })
    .await;
    assert!(down, "503 once heads stop: {h}");
    assert_eq!(h["status"], "unavailable");
    assert!(h["reason"].as_str().expect("reason").contains("no new finalized head"), "{h}");
    assert_eq!(h["chain"]["connected"], false);
    proxy.refuse(false);
    let (back, h) = within(Duration::from_secs(10), up).await;
    assert!(back, "200 again once the node is back: {h}");
    assert_eq!(h["chain"]["connected"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_replaced_by_another_chain_never_answers_for_the_old_one() {
    let old = devnet(200, |c| c.genesis.seed = 1).await;
    let new = devnet(200, |c| c.genesis.seed = 2).await;
    wait_for_block(&old, 8).await;
    wait_for_block(&new, 8).await;
    let (proxy, gw) = behind_proxy(&old).await;
    let at5 = format!("{}/api/v1/subnet/3/block/5/neurons", gw.base);
    let (s, before) = get(at5.clone(), None).await;
    assert_eq!(s, StatusCode::OK);
    let hash = |n: &pylon_devnet::Devnet, b: u32| {
        format!("0x{}", hex::encode(n.chain.by_number(u64::from(b)).expect("block").hash.0))
    };
    assert_eq!(before["block"]["hash"], hash(&old, 5));

    proxy.switch_to(&new.url());
    let health = format!("{}/health", gw.base);
    let (swapped, h) = within(Duration::from_secs(15), async || {
        let (s, v) = get(health.clone(), None).await;
        let other = v["reason"].as_str().is_some_and(|r| r.contains("another chain"));
        (s == StatusCode::SERVICE_UNAVAILABLE && other, v)
    })
    .await;
    assert!(swapped, "the change of chain is noticed: {h}");
    let (s, after) = get(at5, None).await;
    assert_eq!(s, StatusCode::OK, "{after}");
    assert_eq!(
        after["block"]["hash"],
        hash(&new, 5),
        "block 5 of the new chain, not the cached old one"
    );
    let (s, latest) = get(format!("{}/api/v1/block/latest", gw.base), None).await;
    assert_eq!(s, StatusCode::OK);
    let n = latest["number"].as_u64().expect("number") as u32;
    assert_eq!(latest["hash"], hash(&new, n), "the latest block is the new chain's");
    let metrics = gw.metrics("m").await;
    assert!(metrics.contains("pylon_chain_changes_total 1"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_node_costs_cached_answers_nothing() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 8).await;
    let (proxy, gw) = behind_proxy(&net).await;
    healthy(&gw.base).await;
    let at = format!("{}/api/v1/subnet/1/block/3/validators", gw.base);
    let (s, first) = get(at.clone(), None).await;
    assert_eq!(s, StatusCode::OK);
    proxy.set_delay(Duration::from_secs(5));
    // A one-second budget is enough: the answer comes from the cache, not the stalled node.
    for _ in 0..5 {
        let (s, again) = get(at.clone(), Some("1")).await;
        assert_eq!((s, &again), (StatusCode::OK, &first));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn node_urls_never_show_credentials() {
    let net = devnet(200, |_| {}).await;
    let port = crate::common::free_port();
    let secret = format!("ws://user:s3cret@127.0.0.1:{port}/rpc?apikey=h1dden");
    let vars = [
        ("PYLON_BITTENSOR_NETWORK", secret.as_str()),
        ("PYLON_BITTENSOR_ARCHIVE_NETWORK", secret.as_str()),
        ("PYLON_METRICS_TOKEN", "m"),
    ];
    let gw = gateway(&net, &vars).await;
    let (s, v) = get(format!("{}/api/v1/subnet/1/block/latest/neurons", gw.base), Some("5")).await;
    assert!(s.is_server_error(), "{s} {v}");
    let detail = v["detail"].as_str().expect("detail");
    assert!(detail.contains("request "), "the body names the request: {detail}");
    let (s, h) = get(format!("{}/health", gw.base), None).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(h["chain"]["url"], format!("ws://127.0.0.1:{port}/rpc"));
    let everything = format!("{v}{h}{}", gw.metrics("m").await);
    assert!(!everything.contains("s3cret") && !everything.contains("h1dden"), "{everything}");
}

#[tokio::test(flavor = "multi_thread")]
async fn random_netuids_and_methods_do_not_grow_the_metrics() {
    let net = devnet(200, |_| {}).await;
    let gw = gateway(&net, &[("PYLON_METRICS_TOKEN", "m")]).await;
    let client = reqwest::Client::new();
    let (s, _) = get(format!("{}/api/v1/subnet/1/block/latest/validators", gw.base), None).await;
    assert_eq!(s, StatusCode::OK);
    for i in 0..1500u32 {
        let netuid = 100 + (i * 7919) % 60_000;
        let url = format!("{}/api/v1/subnet/{netuid}/block/latest/neurons", gw.base);
        let method = if i % 10 == 0 { format!("X{i}") } else { "GET".into() };
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let _ = client.request(method, url).send().await.expect("answer");
    }
    let metrics = gw.metrics("m").await;
    let mut labels = std::collections::BTreeSet::new();
    for line in metrics.lines().filter(|l| !l.starts_with('#')) {
        if let Some(rest) = line.split("netuid=\"").nth(1) {
            labels.insert(rest.split('"').next().unwrap_or_default().to_string());
        }
    }
    assert!(labels.iter().all(|l| ["1", "other", "N/A"].contains(&l.as_str())), "{labels:?}");
    assert!(!metrics.contains("method=\"X"), "arbitrary methods are not label values");
    assert!(metrics.len() < 200_000, "{} bytes of metrics", metrics.len());
    let gauges: Vec<&str> =
        metrics.lines().filter(|l| l.starts_with("pylon_requests_in_progress{")).collect();
    assert!(gauges.iter().all(|l| l.ends_with(" 0") || l.contains("/metrics")), "{gauges:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn latest_answers_the_previous_head_while_the_new_one_is_slow() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 5).await;
    let (proxy, gw) = behind_proxy(&net).await;
    healthy(&gw.base).await;
    let latest = format!("{}/api/v1/subnet/3/block/latest/neurons", gw.base);
    let (s, _) = get(latest.clone(), None).await;
    assert_eq!(s, StatusCode::OK);
    // Every node round trip now takes 0.4 s more, so reading a new head (several round trips)
    // takes longer than a request may (1 s).
    proxy.set_delay(Duration::from_millis(200));
    let until = tokio::time::Instant::now() + Duration::from_secs(8);
    let mut blocks = std::collections::BTreeSet::new();
    while tokio::time::Instant::now() < until {
        let (s, v) = get(latest.clone(), Some("1")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let n = v["block"]["number"].as_u64().expect("block");
        let behind = u64::from(net.chain.finalized().number).saturating_sub(n);
        assert!(behind <= 25, "{behind} blocks (5 s) behind at most");
        blocks.insert(n);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(blocks.len() > 1, "newer heads were served as their reads finished: {blocks:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_archive_that_is_down_leaves_old_blocks_to_the_main_node() {
    let net = devnet(50, |_| {}).await;
    wait_for_block(&net, 12).await;
    let vars = [
        ("PYLON_BITTENSOR_ARCHIVE_NETWORK", "ws://127.0.0.1:1"),
        ("PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF", "2"),
    ];
    let gw = gateway(&net, &vars).await;
    // Block 3 is past the cutoff; the node (a full one) still holds its state.
    let (s, v) = get(format!("{}/api/v1/subnet/1/block/3/neurons", gw.base), None).await;
    assert_eq!((s, &v["block"]["number"]), (StatusCode::OK, &Value::from(3)), "{v}");
    let (s, v) = get(format!("{}/api/v1/subnet/99/block/3/neurons", gw.base), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an unknown subnet is a 404, not a node failure: {v}");
}
