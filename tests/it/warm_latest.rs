//! Warm `latest`: an answer asked for at `latest` is computed for each new finalized head
//! before anyone asks again, and the next request is served from it.

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
    let head = health["chain"]["finalized_block"].as_u64().expect("a head");
    (head, answer["block"]["number"].as_u64().expect("block"))
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
