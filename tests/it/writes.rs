//! Signed extrinsics against the devnet: a real client (subxt, signing with a wallet hotkey)
//! submits, the devnet executes with subtensor's rules, and the state and events show it.

use subxt::dynamic::{self, Value};
use subxt::{OnlineClient, SubstrateConfig};

use crate::common::{devnet, pylon, validator, wait_for_block};
use pylon::chain::signer::HotkeySigner;
use pylon_devnet::keys;

async fn submit(
    api: &OnlineClient<SubstrateConfig>,
    signer: &HotkeySigner,
    pallet: &str,
    call: &str,
    fields: Vec<Value>,
) -> Result<Vec<(String, String)>, String> {
    let at = api.at_current_block().await.map_err(|e| e.to_string())?;
    let payload = dynamic::tx(pallet, call, fields);
    let progress = at
        .transactions()
        .sign_and_submit_then_watch_default(&payload, signer)
        .await
        .map_err(|e| e.to_string())?;
    let events = progress.wait_for_finalized_success().await.map_err(|e| e.to_string())?;
    Ok(events
        .iter()
        .filter_map(Result::ok)
        .map(|e| (e.pallet_name().to_string(), e.event_name().to_string()))
        .collect())
}

fn u16s(values: &[u16]) -> Value {
    Value::unnamed_composite(values.iter().map(|&v| Value::u128(u128::from(v))))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_validator_sets_weights_and_a_commitment_through_subxt() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 3).await;
    let subnet = net.chain.best().world.subnets[&3].clone();
    let validator = subnet.neurons.iter().find(|n| n.validator_permit).expect("a validator").uid;
    let signer = HotkeySigner::new(keys::derive(&keys::hotkey_path(3, validator)));
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");

    let events = submit(
        &api,
        &signer,
        "SubtensorModule",
        "set_weights",
        vec![Value::u128(3), u16s(&[1, 2]), u16s(&[100, 50]), Value::u128(0)],
    )
    .await
    .expect("set_weights is included");
    assert!(events.contains(&("SubtensorModule".into(), "WeightsSet".into())), "{events:?}");
    let after = net.chain.best().world.subnets[&3].neurons[usize::from(validator)].clone();
    // Max-upscaled as the chain does, in fixed point rounding to nearest: 50/100 → 32767.5 → 32768.
    assert_eq!(after.weights, vec![(1, 65_535), (2, 32_768)], "max-upscaled as the chain does");
    assert!(after.last_update > 0);
    assert_eq!(
        net.chain
            .best()
            .world
            .nonce(&keys::account(&keys::derive(&keys::hotkey_path(3, validator)))),
        1
    );

    let events = submit(
        &api,
        &signer,
        "Commitments",
        "set_commitment",
        vec![
            Value::u128(3),
            Value::named_composite([(
                "fields",
                Value::unnamed_composite([Value::unnamed_variant(
                    "Raw5",
                    [Value::from_bytes(b"hello")],
                )]),
            )]),
        ],
    )
    .await
    .expect("set_commitment is included");
    assert!(events.contains(&("Commitments".into(), "Commitment".into())), "{events:?}");
    let neuron = &net.chain.best().world.subnets[&3].neurons[usize::from(validator)];
    let (_, fields) = neuron.commitment.clone().expect("committed");
    assert_eq!(fields[0].bytes(), b"hello");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pool_and_the_runtime_reject_as_subtensor_does() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 3).await;
    let subnet = net.chain.best().world.subnets[&3].clone();
    let miner = subnet.neurons.iter().find(|n| !n.validator_permit).expect("a miner").uid;
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");
    // A hotkey registered nowhere on the subnet: the pool answers 1010 `Custom error: 10`.
    let stranger = HotkeySigner::new(keys::derive("nobody"));
    let fields = vec![Value::u128(3), u16s(&[1]), u16s(&[1]), Value::u128(0)];
    let err = submit(&api, &stranger, "SubtensorModule", "set_weights", fields.clone())
        .await
        .expect_err("rejected");
    assert!(err.contains("Invalid Transaction (1010)"), "{err}");
    let mut txs = api.at_current_block().await.expect("block").transactions();
    let payload = dynamic::tx("SubtensorModule", "set_weights", fields);
    let signed = txs.create_signed(&payload, &stranger, Default::default()).await.expect("signed");
    let rejected = net.chain.submit(signed.encoded()).expect_err("rejected by the pool");
    let expected = (1010, "Invalid Transaction".to_string(), Some("Custom error: 10".to_string()));
    assert_eq!(rejected.rpc(), expected);
    // A miner without a permit weighting others: included, then ExtrinsicFailed.
    let signer = HotkeySigner::new(keys::derive(&keys::hotkey_path(3, miner)));
    let err = submit(
        &api,
        &signer,
        "SubtensorModule",
        "set_weights",
        vec![Value::u128(3), u16s(&[1, 2]), u16s(&[1, 1]), Value::u128(0)],
    )
    .await
    .expect_err("fails at dispatch");
    assert!(err.contains("NeuronNoValidatorPermit"), "{err}");
    // Commit-reveal subnets refuse direct weights.
    let cr = validator(&net, 2);
    let signer = HotkeySigner::new(keys::derive(&keys::hotkey_path(2, cr)));
    let err = submit(
        &api,
        &signer,
        "SubtensorModule",
        "set_weights",
        vec![Value::u128(2), u16s(&[1, 2, 3, 4]), u16s(&[1, 1, 1, 1]), Value::u128(2_001_000)],
    )
    .await
    .expect_err("commit-reveal is on");
    assert!(err.contains("CommitRevealEnabled"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn set_weights_from_the_cli_with_checks_verification_and_exit_codes() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 4).await;
    let url = net.url();
    let subnet = net.chain.best().world.subnets[&1].clone();
    let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("validator").uid;
    let wallet = dir.path().to_str().expect("utf-8").to_string();
    let base = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> =
            ["set-weights", "--netuid", "1", "--wallet-path", &wallet, "--wallet-name", "devnet"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        v.extend(["--hotkey-name".to_string(), keys::hotkey_path(1, uid)]);
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let miner = subnet.neurons.iter().find(|n| !n.validator_permit && n.uid > 6).expect("miner");
    let miner_hotkey = keys::ss58(&miner.hotkey);
    let list = format!("0=1,1=1,2=1,3=1,4=1,5=1,6=0.5,{miner_hotkey}=0.25");

    let out = pylon(&url, base(&["--weights", &list, "--dry-run"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON plan");
    assert_eq!(plan["uid"], uid);
    assert_eq!(plan["weights"].as_array().expect("vector").len(), 8);
    assert_eq!(plan["checks"]["rate_limit"]["ok"], true);
    assert_eq!(
        net.chain.best().world.subnets[&1].neurons[usize::from(uid)].weights,
        subnet.neurons[usize::from(uid)].weights,
        "a dry run submits nothing"
    );

    let out = pylon(&url, base(&["--weights", &list, "--yes"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    assert_eq!(done["verified"], true);
    let stored = net.chain.best().world.subnets[&1].neurons[usize::from(uid)].weights.clone();
    assert_eq!(serde_json::to_value(&stored).expect("json"), done["weights"]);

    let out = pylon(&url, base(&["--weights", &list, "--yes"])).await;
    assert_eq!(
        out.status.code(),
        Some(3),
        "rate-limited: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("next allowed block"));

    let twice = format!("{}=1,{miner_hotkey}=1", miner.uid);
    let out = pylon(&url, base(&["--weights", &twice, "--dry-run"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("given twice"));
    let out = pylon(&url, base(&["--weights", "0=-1"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-1"));
    let out =
        pylon(&url, base(&["--weights", "0=1,5NotRegistered=1", "--strict", "--dry-run"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("5NotRegistered"));
    let mut missing = base(&["--weights", "0=1"]);
    let at = missing.iter().position(|a| a == "--hotkey-name").expect("flag") + 1;
    missing[at] = "no-such-hotkey".into();
    let out = pylon(&url, missing).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hotkeys/no-such-hotkey"));
}

#[tokio::test(flavor = "multi_thread")]
async fn serving_an_axon_with_a_certificate_updates_state_and_emits_axon_served() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 3).await;
    let signer = HotkeySigner::new(keys::derive(&keys::hotkey_path(3, 4)));
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");
    let ip = u128::from(u32::from_be_bytes([198, 51, 100, 7]));
    let mut certificate = vec![1u8];
    certificate.extend([9u8; 32]);
    let fields = vec![
        Value::u128(3),
        Value::u128(1),
        Value::u128(ip),
        Value::u128(8443),
        Value::u128(4),
        Value::u128(4),
        Value::u128(0),
        Value::u128(0),
        Value::from_bytes(&certificate),
    ];
    let events =
        submit(&api, &signer, "SubtensorModule", "serve_axon_tls", fields).await.expect("served");
    assert!(events.contains(&("SubtensorModule".into(), "AxonServed".into())), "{events:?}");
    let neuron = net.chain.best().world.subnets[&3].neurons[4].clone();
    let axon = neuron.axon.expect("an axon");
    assert_eq!((axon.ip, axon.port, axon.ip_type), (ip, 8443, 4));
    let cert = neuron.certificate.expect("a certificate");
    assert_eq!((cert.algorithm, cert.public_key.0), (1, vec![9u8; 32]));
    // Subtensor's serving checks reject at the pool (`Custom error: N`), in its order: the
    // IP (11), the serving rate limit since the last serve (12), the port (13).
    let serve = |uid: u16, ip: u128, port: u128| {
        let fields = vec![Value::u128(3), Value::u128(1), Value::u128(ip), Value::u128(port)];
        let fields = [fields, vec![Value::u128(4), Value::u128(4), Value::u128(0), Value::u128(0)]];
        let payload = dynamic::tx("SubtensorModule", "serve_axon", fields.concat());
        let (api, chain) = (api.clone(), net.chain.clone());
        async move {
            let signer = HotkeySigner::new(keys::derive(&keys::hotkey_path(3, uid)));
            let mut txs = api.at_current_block().await.expect("block").transactions();
            let signed =
                txs.create_signed(&payload, &signer, Default::default()).await.expect("signed");
            chain.submit(signed.encoded()).map(|_| ()).map_err(|e| e.rpc().2.unwrap_or_default())
        }
    };
    assert_eq!(serve(5, 0x7f00_0001, 8091).await, Err("Custom error: 11".into()), "loopback");
    assert_eq!(serve(4, ip, 8091).await, Err("Custom error: 12".into()), "served a block ago");
    assert_eq!(serve(5, ip, 0).await, Err("Custom error: 13".into()), "port 0");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_pre_flight_failure_of_set_weights_exits_1_with_its_reason() {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let subnet = net.chain.best().world.subnets[&1].clone();
    let validator = subnet.neurons.iter().find(|n| n.validator_permit).expect("v").uid;
    let miner = subnet.neurons.iter().find(|n| !n.validator_permit).expect("miner").uid;
    let subnet3 = net.chain.best().world.subnets[&3].clone();
    let other = subnet3.neurons.iter().find(|n| n.validator_permit).expect("v3").uid;
    // The devnet wallet holds validators only; add the miner's hotkey as a seed file.
    let miner_name = keys::hotkey_path(1, miner);
    let (_, seed) = keys::derive_with_seed(&miner_name);
    let file = dir.path().join("devnet").join("hotkeys").join(&miner_name);
    let keyfile = serde_json::json!({ "secretSeed": format!("0x{}", hex::encode(seed)) });
    std::fs::write(&file, keyfile.to_string()).expect("miner key");
    let wallet = dir.path().to_str().expect("utf-8").to_string();
    let url = net.url();
    let eight = "0=1,1=1,2=1,3=1,4=1,5=1,6=1,7=1";
    let run = |hotkey: String, extra: Vec<&'static str>, weights: &str| {
        let mut args: Vec<String> =
            ["set-weights", "--netuid", "1", "--wallet-path", &wallet, "--wallet-name", "devnet"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        args.extend(["--hotkey-name".into(), hotkey, "--weights".into(), weights.into()]);
        args.extend(["--yes".to_string()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        pylon(&url, args)
    };
    let cases = [
        (miner_name.clone(), vec![], eight, "has no validator permit"),
        (keys::hotkey_path(1, validator), vec![], "0=1,1=1", "requires at least 8"),
        (keys::hotkey_path(3, other), vec![], eight, "is not registered on subnet 1"),
        (keys::hotkey_path(1, validator), vec!["--mechanism", "1"], eight, "MechanismDoesNotExist"),
    ];
    for (hotkey, extra, weights, reason) in cases {
        let out = run(hotkey.clone(), extra, weights).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{hotkey}: {stderr}");
        assert!(stderr.contains(reason), "{hotkey}: expected {reason:?} in {stderr}");
    }
}
