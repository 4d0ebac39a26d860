//! A weights job belongs to the epoch the chain is in when it is scheduled — its best block,
//! not the finalized head a few blocks behind — so a PUT in the first blocks of an epoch is
//! carried out in that epoch even when the rate limit makes it wait.

use std::time::Duration;

use reqwest::StatusCode;

use crate::common::{devnet, gateway, pylon, wait_for_block};
use pylon_devnet::keys;

#[tokio::test(flavor = "multi_thread")]
async fn a_put_at_the_start_of_an_epoch_is_done_in_that_epoch() {
    let dir = tempfile::tempdir().expect("wallets");
    // Subnet 3: an epoch every 20 blocks, weights at most every 10 blocks; finality trails the
    // best block by two.
    let net = devnet(300, |c| {
        c.wallet_dir = Some(dir.path().to_path_buf());
        let s3 = c.genesis.subnets.iter_mut().find(|s| s.netuid == 3).expect("subnet 3");
        s3.tempo = 20;
        s3.weights_rate_limit = 10;
    })
    .await;
    wait_for_block(&net, 3).await;
    let world = net.chain.best().world.clone();
    let subnet = &world.subnets[&3];
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let wallet = dir.path().display().to_string();
    let hotkey_name = keys::hotkey_path(3, uid);
    let vars = [
        ("PYLON_BITTENSOR_WALLET_PATH", wallet.as_str()),
        ("PYLON_IDENTITIES", r#"["sn3"]"#),
        ("PYLON_ID_SN3_WALLET_NAME", "devnet"),
        ("PYLON_ID_SN3_HOTKEY_NAME", hotkey_name.as_str()),
        ("PYLON_ID_SN3_NETUID", "3"),
        ("PYLON_ID_SN3_TOKEN", "id"),
        ("PYLON_WEIGHTS_RETRY_DELAY_SECONDS", "0.2"),
        ("PYLON_BLOCK_DURATION_SECONDS", "0.3"),
    ];
    let gw = gateway(&net, &vars).await;
    let targets: Vec<String> =
        subnet.neurons.iter().take(4).map(|n| keys::ss58(&n.hotkey)).collect();
    let body = serde_json::json!({
        "weights": targets.iter().map(|t| (t.clone(), serde_json::json!(1.0))).collect::<serde_json::Map<_, _>>()
    })
    .to_string();
    let list: Vec<String> = (0..4).map(|u| format!("{u}=1")).collect();
    let cli_weights = list.join(",");

    for offset in [0u64, 1] {
        // An epoch far enough ahead that the previous round's weights no longer rate-limit.
        let best = u64::from(net.chain.best().number);
        let last = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].last_update;
        let rule = net.chain.best().world.epoch_rule;
        let mut start =
            net.chain.best().world.subnets[&3].next_epoch_start(rule, best).expect("a next epoch");
        while start < best.max(last + 10) + 8 {
            start += 20;
        }
        // Weights set just before the epoch: the rate limit then lasts into it.
        wait_for_block(&net, u32::try_from(start - 6).expect("block")).await;
        let args: Vec<String> = [
            "set-weights",
            "--netuid",
            "3",
            "--wallet-path",
            &wallet,
            "--wallet-name",
            "devnet",
            "--hotkey-name",
            &hotkey_name,
            "--weights",
            &cli_weights,
            "--yes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let url = net.url();
        let cli = tokio::spawn(async move { pylon(&url, args).await });
        wait_for_block(&net, u32::try_from(start + offset).expect("block")).await;
        let resp = reqwest::Client::new()
            .put(format!("{}/api/v1/identity/sn3/subnet/3/weights", gw.base))
            .bearer_auth("id")
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("answer");
        assert_eq!(resp.status(), StatusCode::OK);
        let out = cli.await.expect("cli");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let before = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].last_update;
        assert!(before < start, "the CLI's weights landed before the epoch ({before} < {start})");
        // The job waits out the rate limit and sets the weights within the epoch.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let now = net.chain.best().world.subnets[&3].neurons[usize::from(uid)].last_update;
            if now > before {
                assert!(
                    (start..start + 20).contains(&now),
                    "offset {offset}: set at {now}, in the epoch [{start}, {})",
                    start + 20
                );
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "offset {offset}: the job never set the weights (it expired with the previous epoch)"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
