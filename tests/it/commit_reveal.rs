//! Commit-reveal v4 end to end on the devnet: `pylon set-weights` on a commit-reveal subnet
//! encrypts the weights to a drand round of the devnet's own beacon (found by asking the node,
//! no `PYLON_DRAND_*` needed), the devnet stores the commit, and at the reveal epoch opens it
//! with its pulse and applies the weights.

use std::time::Duration;

use crate::common::{devnet, pylon, wait_for_block};
use pylon_devnet::keys;

/// A devnet whose commit-reveal subnet 2 has `tempo` and no weights rate limit.
async fn cr_devnet(wallets: &std::path::Path, tempo: u16) -> pylon_devnet::Devnet {
    devnet(100, |c| {
        c.wallet_dir = Some(wallets.to_path_buf());
        for spec in c.genesis.subnets.iter_mut().filter(|s| s.netuid == 2) {
            spec.tempo = tempo;
            spec.weights_rate_limit = 0;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timelocked_commit_is_revealed_and_applied_by_the_devnet() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = cr_devnet(dir.path(), 10).await;
    wait_for_block(&net, 12).await;
    let subnet = net.chain.best().world.subnets[&2].clone();
    assert!(subnet.hyper.commit_reveal_weights_enabled);
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let wallet = dir.path().to_str().expect("utf-8").to_string();
    let args: Vec<String> = [
        "set-weights",
        "--netuid",
        "2",
        "--wallet-path",
        &wallet,
        "--wallet-name",
        "devnet",
        "--hotkey-name",
        &keys::hotkey_path(2, uid),
        "--weights",
        "0=1,1=2,2=3,3=4",
        "--yes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = pylon(&net.url(), args.clone()).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    assert_eq!(
        (done["mode"].as_str(), &done["verified"]),
        (Some("commit-reveal"), &serde_json::json!(true))
    );
    let expected: Vec<(u16, u16)> =
        serde_json::from_value(done["weights"].clone()).expect("vector");
    let reveal_block = done["reveal_block"].as_u64().expect("reveal block");
    assert!(!net.chain.best().world.timelocked.is_empty(), "the commit is stored");
    assert_ne!(net.chain.best().world.subnets[&2].neurons[usize::from(uid)].weights, expected);

    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while net.chain.best().world.subnets[&2].neurons[usize::from(uid)].weights != expected {
        assert!(tokio::time::Instant::now() < deadline, "the commit was never revealed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let revealed_at = u64::from(net.chain.best().number);
    assert!(
        revealed_at >= reveal_block,
        "revealed at {revealed_at}, not before the reveal epoch {reveal_block}"
    );
    assert!(net.chain.best().world.timelocked.is_empty(), "revealed commits are removed");

    // Encrypted to quicknet instead (as the Python SDKs do), the devnet's beacon cannot open it:
    // accepted, never applied.
    let mut quicknet = args;
    quicknet.extend(["--drand-public-key".into(), pylon::timelock::QUICKNET_PUBLIC_KEY.into()]);
    let w = quicknet.iter().position(|a| a == "0=1,1=2,2=3,3=4").expect("weights");
    quicknet[w] = "0=1,1=1,2=1,3=1".into();
    let out = pylon(&net.url(), quicknet).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for_block(&net, net.chain.best().number + 40).await;
    assert_eq!(net.chain.best().world.subnets[&2].neurons[usize::from(uid)].weights, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gateway_job_commits_on_a_commit_reveal_subnet_and_the_devnet_reveals_it() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = cr_devnet(dir.path(), 30).await;
    wait_for_block(&net, 12).await;
    let subnet = net.chain.best().world.subnets[&2].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let wallet = dir.path().display().to_string();
    let hotkey_name = keys::hotkey_path(2, uid);
    let vars = [
        ("PYLON_BITTENSOR_WALLET_PATH", wallet.as_str()),
        ("PYLON_IDENTITIES", r#"["cr"]"#),
        ("PYLON_ID_CR_WALLET_NAME", "devnet"),
        ("PYLON_ID_CR_HOTKEY_NAME", hotkey_name.as_str()),
        ("PYLON_ID_CR_NETUID", "2"),
        ("PYLON_ID_CR_TOKEN", "cr-token"),
    ];
    let gw = crate::common::gateway(&net, &vars).await;
    let weights: serde_json::Map<String, serde_json::Value> =
        (0..4).map(|u| (keys::ss58(&subnet.neurons[u].hotkey), serde_json::json!(u + 1))).collect();
    crate::common::put_weights(&gw.base, "cr", "cr-token", 2, &weights).await;
    let expected: Vec<(u16, u16)> =
        (0..4u16).map(|u| (u, ((f64::from(u) + 1.0) / 4.0 * 65_535.0).round() as u16)).collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while net.chain.best().world.subnets[&2].neurons[usize::from(uid)].weights != expected {
        assert!(tokio::time::Instant::now() < deadline, "the job's commit was never revealed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn timelocked_commitments_are_revealed_from_the_cli_and_the_gateway() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    // Old enough for Pylon to measure the block time from chain timestamps.
    wait_for_block(&net, 15).await;
    let subnet = net.chain.best().world.subnets[&3].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let hotkey = keys::ss58(&subnet.neurons[usize::from(uid)].hotkey);
    let drand = net.chain.drand().clone();
    let (key, genesis) = (hex::encode(&drand.public_key), drand.genesis.to_string());
    let wallet = dir.path().display().to_string();
    let hotkey_name = keys::hotkey_path(3, uid);
    let revealed = |text: &str| {
        net.chain.finalized().world.subnets[&3].neurons[usize::from(uid)]
            .revealed
            .iter()
            // Stored as it opened: the SCALE string the client encrypted.
            .any(|(bytes, _)| *bytes == parity_scale_codec::Encode::encode(text))
    };

    let args: Vec<String> = [
        "commit",
        "--netuid",
        "3",
        "--wallet-path",
        &wallet,
        "--wallet-name",
        "devnet",
        "--hotkey-name",
        &hotkey_name,
        "--data",
        "sealed bid",
        "--reveal-after-blocks",
        "30",
        "--drand-public-key",
        &key,
        "--drand-genesis",
        &genesis,
        "--yes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = pylon(&net.url(), args).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(done["reveal_round"].as_u64().expect("round") > 0);
    assert!(!revealed("sealed bid"), "not readable before its round");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !revealed("sealed bid") {
        assert!(tokio::time::Instant::now() < deadline, "the commitment was never revealed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let read = pylon(
        &net.url(),
        ["commitments", "--netuid", "3", "--hotkey", &hotkey, "--revealed", "-o", "json"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
    .await;
    let read: serde_json::Value = serde_json::from_slice(&read.stdout).expect("JSON read");
    let texts: Vec<&str> = read["commitments"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["commitment"].as_str())
        .collect();
    assert!(texts.contains(&"sealed bid"), "{read}");

    let vars = [
        ("PYLON_BITTENSOR_WALLET_PATH", wallet.as_str()),
        ("PYLON_IDENTITIES", r#"["sn"]"#),
        ("PYLON_ID_SN_WALLET_NAME", "devnet"),
        ("PYLON_ID_SN_HOTKEY_NAME", hotkey_name.as_str()),
        ("PYLON_ID_SN_NETUID", "3"),
        ("PYLON_ID_SN_TOKEN", "t"),
        ("PYLON_DRAND_PUBLIC_KEY", key.as_str()),
        ("PYLON_DRAND_GENESIS_TIME", genesis.as_str()),
    ];
    let gw = crate::common::gateway(&net, &vars).await;
    let url = format!("{}/api/_unstable/identity/sn/subnet/3/commitments/revealed", gw.base);
    let post = |body: serde_json::Value| {
        reqwest::Client::new().post(url.clone()).bearer_auth("t").json(&body).send()
    };
    let resp = post(serde_json::json!({"commitment": "second bid", "blocks_until_reveal": 30}))
        .await
        .expect("post");
    assert_eq!(resp.status(), 201);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(body["reveal_round"].as_u64().expect("round") > 0, "{body}");
    let bad =
        post(serde_json::json!({"commitment": "x", "blocks_until_reveal": 0})).await.expect("post");
    assert_eq!(bad.status(), 400);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !revealed("second bid") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the gateway's commitment was never revealed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let own = reqwest::Client::new()
        .get(format!(
            "{}/api/_unstable/identity/sn/subnet/3/block/latest/commitments/revealed/self",
            gw.base
        ))
        .bearer_auth("t")
        .send()
        .await
        .expect("get");
    let own: serde_json::Value = own.json().await.expect("json");
    assert!(own.to_string().contains("second bid"), "{own}");
}
