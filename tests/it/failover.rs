//! Chain failover: a gateway given two endpoints of one chain keeps answering when the one it
//! uses dies (reads and a weights job move to the other), and goes back to the preferred one
//! when it answers again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{devnet, gateway, wait_for_block};
use crate::proxy::Proxy;
use pylon_devnet::keys;

/// Two devnets with one genesis (same seed and clock): the same chain, block for block.
async fn twin_devnets(wallets: &std::path::Path) -> (pylon_devnet::Devnet, pylon_devnet::Devnet) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock");
    let t0 = now.as_millis() as u64 / 1000 * 1000;
    let wallets = wallets.to_path_buf();
    let a = devnet(200, |c| {
        c.genesis_timestamp_ms = Some(t0);
        c.wallet_dir = Some(wallets);
    })
    .await;
    let b = devnet(200, |c| c.genesis_timestamp_ms = Some(t0)).await;
    assert_eq!(a.chain.genesis().hash, b.chain.genesis().hash, "one chain");
    wait_for_block(&a, 6).await;
    wait_for_block(&b, 6).await;
    (a, b)
}

/// `(when, cached?, ok?)` of every request the load made.
type Log = Arc<Mutex<Vec<(Instant, bool, bool)>>>;

/// Requests `latest` neurons (cached) and, as the chain (`chain`: the surviving node's) makes
/// blocks, neurons at blocks not asked before (uncached) until `stop` is set.
fn load(
    base: String,
    chain: Arc<pylon_devnet::chain::Chain>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    log: Log,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut next = 0u64;
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            let mut paths = vec![(true, "/api/v1/subnet/1/block/latest/neurons".to_string())];
            // Two subnets per block, each (subnet, block) once; only finalized blocks.
            let block = 1 + next / 2;
            if block + 2 <= u64::from(chain.best().number) {
                paths.push((
                    false,
                    format!("/api/v1/subnet/{}/block/{block}/neurons", 2 + next % 2),
                ));
                next += 1;
            }
            for (cached, path) in paths {
                let ok = match client.get(format!("{base}{path}")).send().await {
                    Ok(r) => r.status().is_success(),
                    Err(_) => false,
                };
                log.lock().expect("log").push((Instant::now(), cached, ok));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

/// The value of the metric line starting with `prefix`.
fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(prefix))?.rsplit(' ').next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_endpoint_hands_over_reads_and_the_weights_job() {
    let wallets = tempfile::tempdir().expect("wallets");
    let (a, b) = twin_devnets(wallets.path()).await;
    let subnet = b.chain.best().world.subnets[&1].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("a validator").uid;
    let account = keys::account(&keys::derive(&keys::hotkey_path(1, uid)));
    let (a_url, endpoints) = (a.url(), format!("{},{}", a.url(), b.url()));
    let hotkey = keys::hotkey_path(1, uid);
    let wallet_path = wallets.path().display().to_string();
    let gw = gateway(
        &a,
        &[
            ("PYLON_BITTENSOR_NETWORK", endpoints.as_str()),
            ("PYLON_METRICS_TOKEN", "m"),
            ("PYLON_BITTENSOR_WALLET_PATH", wallet_path.as_str()),
            ("PYLON_IDENTITIES", r#"["sn"]"#),
            ("PYLON_ID_SN_WALLET_NAME", "devnet"),
            ("PYLON_ID_SN_HOTKEY_NAME", hotkey.as_str()),
            ("PYLON_ID_SN_NETUID", "1"),
            ("PYLON_ID_SN_TOKEN", "t"),
            ("PYLON_WEIGHTS_RETRY_DELAY_SECONDS", "0.2"),
        ],
    )
    .await;
    let latest = format!("{}/api/v1/subnet/1/block/latest/neurons", gw.base);
    assert!(reqwest::get(&latest).await.expect("warm").status().is_success());

    let (stop, log) = (Arc::new(std::sync::atomic::AtomicBool::new(false)), Log::default());
    let loader = load(gw.base.clone(), b.chain.clone(), stop.clone(), log.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed = Instant::now();
    a.stop().await; // the endpoint in use dies: its connections close
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    loader.await.expect("load");

    let log = log.lock().expect("log").clone();
    let after: Vec<_> = log.iter().filter(|(t, _, _)| *t >= killed).collect();
    assert!(after.len() > 40, "the load went on: {} requests", after.len());
    let uncached = after.iter().filter(|(_, cached, _)| !cached).count();
    assert!(uncached > 10, "uncached reads after the kill: {uncached}");
    let cached_failed = log.iter().filter(|(_, cached, ok)| *cached && !ok).count();
    assert_eq!(cached_failed, 0, "cached reads never fail");
    let failed: Vec<Instant> = log.iter().filter(|(_, c, ok)| !c && !ok).map(|e| e.0).collect();
    if let (Some(first), Some(last)) = (failed.first(), failed.last()) {
        assert!(
            last.duration_since(*first) < Duration::from_secs(2),
            "{} failed reads",
            failed.len()
        );
    }
    assert!(log.iter().rev().take(10).all(|(_, _, ok)| *ok), "reads succeed on the other endpoint");
    let metrics = gw.metrics("m").await;
    let active_b = format!("pylon_chain_endpoint_active{{endpoint=\"{}\",role=\"main\"}}", b.url());
    assert_eq!(metric(&metrics, &active_b), Some(1.0), "{metrics}");
    let up_a = format!("pylon_chain_endpoint_up{{endpoint=\"{}\",role=\"main\"}}", a_url);
    assert_eq!(metric(&metrics, &up_a), Some(0.0));
    assert!(metric(&metrics, "pylon_chain_failovers_total{role=\"main\"}") >= Some(1.0));

    // A weights job sent now is set on the surviving endpoint's chain.
    let weights: serde_json::Map<String, serde_json::Value> =
        (0..8).map(|u| (keys::ss58(&subnet.neurons[u].hotkey), serde_json::json!(u + 1))).collect();
    crate::common::put_weights(&gw.base, "sn", "t", 1, &weights).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while b.chain.best().world.nonce(&account) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the weights job did not complete");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_go_back_to_the_preferred_endpoint_when_it_answers_again() {
    let wallets = tempfile::tempdir().expect("wallets");
    let (a, b) = twin_devnets(wallets.path()).await;
    let proxy = Proxy::to(&a.url()).await;
    let endpoints = format!("{},{}", proxy.url(), b.url());
    let gw = gateway(
        &a,
        &[("PYLON_BITTENSOR_NETWORK", endpoints.as_str()), ("PYLON_METRICS_TOKEN", "m")],
    )
    .await;
    let active =
        |url: &str| format!("pylon_chain_endpoint_active{{endpoint=\"{url}\",role=\"main\"}}");
    let wait_active = |url: String, what: &'static str| {
        let gw = &gw;
        async move {
            let started = Instant::now();
            loop {
                let m = gw.metrics("m").await;
                if metric(&m, &active(&url)) == Some(1.0) {
                    return started.elapsed();
                }
                assert!(started.elapsed() < Duration::from_secs(5), "{what}: {m}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    let latest = format!("{}/api/v1/subnet/1/block/latest/neurons", gw.base);
    assert!(reqwest::get(&latest).await.expect("read").status().is_success());
    wait_active(proxy.url(), "the first endpoint is preferred").await;

    // The preferred endpoint stops answering (connections cut, new ones refused).
    proxy.refuse(true);
    proxy.kill_existing();
    let took = wait_active(b.url(), "failover to the second endpoint").await;
    assert!(took < Duration::from_secs(2), "failover took {took:?}");
    assert!(reqwest::get(&latest).await.expect("read").status().is_success());

    proxy.refuse(false);
    let took = wait_active(proxy.url(), "back to the preferred endpoint").await;
    assert!(took < Duration::from_secs(2), "failback took {took:?}");
    let url = format!("{}/api/v1/subnet/2/block/3/neurons", gw.base);
    assert!(reqwest::get(&url).await.expect("read").status().is_success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_given_a_dead_endpoint_first_reads_from_the_next() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 3).await;
    let dead = format!("ws://127.0.0.1:{}", crate::common::free_port());
    let endpoints = format!("{dead},{}", net.url());
    let args = ["neurons", "--netuid", "3", "-o", "json"].map(String::from).to_vec();
    let out = crate::common::pylon(&endpoints, args).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["neurons"].as_object().map(|n| n.len()), Some(16));
    // Every endpoint dead: the error names the first.
    let dead2 = format!("ws://127.0.0.1:{}", crate::common::free_port());
    let out = crate::common::pylon(&format!("{dead},{dead2}"), vec!["block".into()]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&dead), "{out:?}");
}
