//! Reads around the followed head: an answer asked for at `latest` is computed for each new
//! finalized head before anyone asks again, and a read at a block the follower already knows
//! costs no node call to learn the head.

use std::time::Duration;

use crate::common::{Gateway, devnet, gateway, wait_for_block};

/// Chain reads of `get_neurons` the gateway has made (its operation histogram's count).
async fn neuron_reads(gw: &Gateway) -> u64 {
    gw.metrics("m")
        .await
        .lines()
        .filter(|l| l.contains("_count{") && l.contains("operation=\"get_neurons\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The gateway's followed finalized head (`/health`) and the block of its `latest` neurons.
async fn latest_block(gw: &Gateway) -> (u64, u64) {
    let health: serde_json::Value = reqwest::get(format!("{}/health", gw.base))
        .await
        .expect("health")
        .json()
        .await
        .expect("JSON");
    let url = format!("{}/api/v1/subnet/3/block/latest/neurons", gw.base);
    let answer: serde_json::Value =
        reqwest::get(url).await.expect("neurons").json().await.expect("JSON");
    // Right after start (later on a loaded machine) the gateway may not have followed a head
    // yet: 0 then, and callers wait.
    let head = health["chain"]["finalized_block"].as_u64().unwrap_or(0);
    (head, answer["block"]["number"].as_u64().unwrap_or(0))
}

async fn quiet_reads(warm_seconds: &str) -> u64 {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 4).await;
    let vars = [("PYLON_METRICS_TOKEN", "m"), ("PYLON_WARM_LATEST_SECONDS", warm_seconds)];
    let gw = gateway(&net, &vars).await;
    // One request at `latest`, then none for ~8 new heads.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while latest_block(&gw).await.0 < 3 {
        assert!(tokio::time::Instant::now() < deadline, "no finalized head");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let before = neuron_reads(&gw).await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let quiet = neuron_reads(&gw).await - before;
    if warm_seconds != "0" {
        // The next request is the newest head's answer, already computed.
        let mut served_at_head = false;
        for _ in 0..10 {
            let (head, block) = latest_block(&gw).await;
            if block == head {
                served_at_head = true;
                break;
            }
        }
        assert!(served_at_head, "latest is answered at the newest head");
    }
    quiet
}

#[tokio::test(flavor = "multi_thread")]
async fn latest_answers_are_computed_for_new_heads_before_anyone_asks() {
    let warm = quiet_reads("300").await;
    assert!(warm >= 4, "one read per new head with no request: {warm}");
    let off = quiet_reads("0").await;
    assert_eq!(off, 0, "with PYLON_WARM_LATEST_SECONDS=0 nothing is read unasked");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_at_a_followed_block_does_not_ask_the_node_for_its_head() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 6).await;
    let gw = gateway(&net, &[("PYLON_WARM_LATEST_SECONDS", "0")]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while latest_block(&gw).await.0 < 4 {
        assert!(tokio::time::Instant::now() < deadline, "no finalized head");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = calls.clone();
    net.faults.set(Some(Box::new(move |method, _| {
        seen.lock().expect("calls").push(method.to_string());
        None
    })));
    let url = format!("{}/api/v1/subnet/1/block/2/validators", gw.base);
    let answer: serde_json::Value =
        reqwest::get(url).await.expect("validators").json().await.expect("JSON");
    assert_eq!(answer["block"]["number"], 2, "{answer}");
    net.faults.set(None);
    let calls = calls.lock().expect("calls").clone();
    let head_calls = calls.iter().filter(|m| *m == "chain_getFinalizedHead").count();
    assert_eq!(head_calls, 0, "the followed head is known: {calls:?}");
    assert!(calls.iter().any(|m| m == "state_call"), "the read itself: {calls:?}");
    // The block's hash, the runtime version at it, and the two runtime calls of the answer
    // (it was seven: the node's head, its header and runtime version came first).
    assert!(calls.len() <= 4, "{calls:?}");
}

/// The `state_call` methods among recorded `(method, params)` calls; other methods as named.
fn call_names(calls: &[(String, String)]) -> Vec<String> {
    calls
        .iter()
        .map(|(method, params)| match method.as_str() {
            "state_call" => serde_json::from_str::<Vec<serde_json::Value>>(params)
                .ok()
                .and_then(|p| p.first()?.as_str().map(str::to_string))
                .unwrap_or_else(|| format!("state_call {params}")),
            other => other.to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_finalized_head_costs_only_the_runtime_calls_of_the_answer() {
    let net = devnet(400, |_| {}).await;
    wait_for_block(&net, 10).await;
    let gw = gateway(&net, &[("PYLON_WARM_LATEST_SECONDS", "0")]).await;
    // A first read learns the runtime version; heads after it continue the same spec.
    let (mut head, _) = latest_block(&gw).await;
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let seen = calls.clone();
    net.faults.set(Some(Box::new(move |method, params| {
        seen.lock().expect("calls").push((method.to_string(), params.to_string()));
        None
    })));
    // Wait for a head no read has touched, then read it at `latest`.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let health = format!("{}/health", gw.base);
    loop {
        let h: serde_json::Value =
            reqwest::get(&health).await.expect("health").json().await.expect("JSON");
        if h["chain"]["finalized_block"].as_u64() > Some(head) {
            head = h["chain"]["finalized_block"].as_u64().expect("head");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no new head");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    calls.lock().expect("calls").clear();
    let url = format!("{}/api/v1/subnet/1/block/latest/neurons", gw.base);
    let answer: serde_json::Value =
        reqwest::get(&url).await.expect("neurons").json().await.expect("JSON");
    let at_latest = call_names(&calls.lock().expect("calls"));
    assert!(answer["block"]["number"].as_u64() >= Some(head), "{}", answer["block"]);
    let mut sorted = at_latest.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["NeuronInfoRuntimeApi_get_neurons_lite", "SubnetInfoRuntimeApi_get_subnet_state"],
        "no head, hash or runtime version asked: {at_latest:?}"
    );
    // Validators: the neurons' two runtime calls. Commitments: the registered hotkeys (from
    // `get_neurons_lite`) and storage reads of the commitment map, nothing about the block.
    let neuron_calls =
        ["NeuronInfoRuntimeApi_get_neurons_lite", "SubnetInfoRuntimeApi_get_subnet_state"];
    for (route, expected) in [("validators", Some(&neuron_calls[..])), ("commitments", None)] {
        calls.lock().expect("calls").clear();
        let url = format!("{}/api/v1/subnet/1/block/latest/{route}", gw.base);
        let status = reqwest::get(&url).await.expect(route).status();
        assert!(status.is_success(), "{route}: {status}");
        let mut made = call_names(&calls.lock().expect("calls"));
        made.sort();
        match expected {
            Some(expected) => assert_eq!(made, expected, "{route}"),
            None => assert!(
                made.iter().all(|m| {
                    ["state_getKeysPaged", "state_queryStorageAt", neuron_calls[0]]
                        .contains(&m.as_str())
                }),
                "{route}: {made:?}"
            ),
        }
    }
    // A block from before the gateway followed the chain: its hash once, then the same two
    // calls (no block that early had its spec asked, so its runtime version is asked too).
    calls.lock().expect("calls").clear();
    let url = format!("{}/api/v1/subnet/1/block/1/neurons", gw.base);
    let answer: serde_json::Value =
        reqwest::get(&url).await.expect("neurons").json().await.expect("JSON");
    assert_eq!(answer["block"]["number"], 1, "{}", answer["block"]);
    let mut old = call_names(&calls.lock().expect("calls"));
    net.faults.set(None);
    old.sort();
    assert_eq!(
        old,
        [
            "Core_version",
            "NeuronInfoRuntimeApi_get_neurons_lite",
            "SubnetInfoRuntimeApi_get_subnet_state",
            "chain_getBlockHash"
        ],
        "{old:?}"
    );
}

/// The node sees one read per new block however many requests ask for `latest`, also once the
/// response cache is full of older blocks' answers that were each read many times (a cache that
/// weighed how often an answer was asked for refused the new block's answer then, and every
/// request read the chain again).
#[tokio::test(flavor = "multi_thread")]
async fn a_full_cache_still_keeps_each_new_heads_answer() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 4).await;
    // Room for about three answers of subnet 3's neurons (~9 KB each).
    let vars = [("PYLON_CACHE_MAX_BYTES", "30000"), ("PYLON_WARM_LATEST_SECONDS", "0")];
    let gw = gateway(&net, &vars).await;
    let url = format!("{}/api/v1/subnet/3/block/latest/neurons", gw.base);
    let client = reqwest::Client::new();
    let reads = || net.chain.call_count("NeuronInfoRuntimeApi_get_neurons_lite");
    let before = reads();
    let mut blocks = std::collections::BTreeSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
    while tokio::time::Instant::now() < deadline {
        for _ in 0..20 {
            let answer: serde_json::Value =
                client.get(&url).send().await.expect("neurons").json().await.expect("JSON");
            blocks.insert(answer["block"]["number"].as_u64().expect("block"));
        }
    }
    let made = reads() - before;
    assert!(blocks.len() >= 8, "the run crossed blocks: {blocks:?}");
    assert!(
        made <= blocks.len() as u64 + 1,
        "{made} chain reads for {} blocks ({blocks:?})",
        blocks.len()
    );
}
