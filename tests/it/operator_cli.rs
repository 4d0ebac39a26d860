//! The operator's CLI as a shell or cron sees it: the archive follows the chosen network,
//! btcli's spellings, `--block` by hash or `latest`, tables at 80 columns, output formats and
//! exit codes of `set-weights`, and configuration mistakes that name the bad value.

use std::process::Output;

use pylon_devnet::keys;

use crate::common::{devnet, devnet_with_wallet, pylon, wait_for_block};

/// Runs `pylon ARGS` with extra environment variables, off the async runtime.
async fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> =
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(&args)
            .envs(env)
            .env("RUST_BACKTRACE", "0")
            .env_remove("PYLON_BITTENSOR_NETWORK")
            .env_remove("PYLON_BITTENSOR_ARCHIVE_NETWORK")
            .env_remove("PYLON_BITTENSOR_WALLET_PATH")
            .env_remove("PYLON_ENV_FILE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("pylon runs")
    })
    .await
    .expect("joined")
}

/// `pylon --network URL set-weights` for a devnet wallet's hotkey, in btcli's spelling.
fn set_weights<'a>(
    url: &'a str,
    netuid: &'a str,
    wallet: &'a str,
    hotkey: &'a str,
    weights: &'a str,
) -> [&'a str; 13] {
    [
        "--network",
        url,
        "set-weights",
        "--netuid",
        netuid,
        "--wallet.path",
        wallet,
        "--wallet.name",
        "devnet",
        "--wallet.hotkey",
        hotkey,
        "--weights",
        weights,
    ]
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON expected ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread")]
async fn old_blocks_of_a_custom_network_are_read_from_that_network_not_finneys_archive() {
    let net = devnet(50, |_| {}).await;
    wait_for_block(&net, 12).await;
    let url = net.url();
    // Block 1 is past a cutoff of 2: it used to go to wss://archive.chain.opentensor.ai.
    let out = pylon(&url, ["--archive-cutoff", "2", "block", "1"].map(String::from).to_vec()).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["number"], 1);
    assert!(!stderr(&out).contains("opentensor"), "{}", stderr(&out));

    // Finney's archive named for another network is a mismatch, named by both flags.
    let out = run(&["--network", "test", "--archive-network", "archive", "block"], &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--network=test"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--archive-network=archive"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_are_taken_by_number_hash_or_latest_and_a_negative_netuid_is_named() {
    let net = devnet(50, |_| {}).await;
    wait_for_block(&net, 8).await;
    let url = net.url();
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let by_number = pylon(&url, args(&["block", "5"])).await;
    assert_eq!(by_number.status.code(), Some(0), "{}", stderr(&by_number));
    let hash = json(&by_number)["hash"].as_str().expect("hash").to_string();
    let by_hash = pylon(&url, args(&["neurons", "--netuid", "3", "--block", &hash])).await;
    assert_eq!(by_hash.status.code(), Some(0), "{}", stderr(&by_hash));
    let at_five = pylon(&url, args(&["neurons", "--netuid", "3", "--block", "5"])).await;
    assert_eq!(json(&by_hash), json(&at_five), "a block's hash reads that block");
    let latest = pylon(&url, args(&["hyperparams", "--netuid", "3", "--block", "latest"])).await;
    assert_eq!(latest.status.code(), Some(0), "{}", stderr(&latest));

    let unknown = format!("0x{}", "ab".repeat(32));
    let out = pylon(&url, args(&["block", &unknown])).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&unknown), "{}", stderr(&out));
    let out = pylon(&url, args(&["neurons", "--netuid", "3", "--block", "0x12"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"0x12\""), "{}", stderr(&out));
    let out = pylon(&url, args(&["neurons", "--netuid", "-1"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid netuid \"-1\""), "{}", stderr(&out));

    let out = pylon(&url, args(&["weights", "--netuid", "3", "--uid", "9999"])).await;
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr(&out).contains("uid 9999 does not exist on subnet 3"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing printed as a result");
}

#[tokio::test(flavor = "multi_thread")]
async fn neurons_fit_80_columns_with_no_cell_narrower_than_its_header() {
    let net = devnet(50, |_| {}).await;
    wait_for_block(&net, 3).await;
    let args = ["--network", &net.url(), "neurons", "--netuid", "1", "-o", "table"];
    let out = run(&args, &[("COLUMNS", "80")]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 256, "a line per neuron: {}", lines.len());
    for line in &lines {
        assert!(line.chars().count() <= 80, "wider than 80: {line:?}");
    }
    // The header is one line (no name split) and each of its cells is as wide as the column.
    let cells = |line: &str| -> Vec<String> {
        line.split(['│', '┆']).map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
    };
    let header = cells(lines[1]);
    assert_eq!(header, ["uid", "hotkey", "stake", "incentive", "dividends", "vtrust", "updated"]);
    assert!(lines[2].starts_with('╞') || lines[2].starts_with('├'), "one header line: {lines:?}");
    // Every row is one line too: as many rows as neurons.
    let rows = lines.iter().filter(|l| l.starts_with('│')).count();
    assert_eq!(rows, 257, "header and 256 neurons, one line each");

    let wide = run(&[&args[..], &["--wide"]].concat(), &[]).await;
    let first =
        String::from_utf8_lossy(&wide.stdout).lines().nth(1).unwrap_or_default().to_string();
    for column in ["coldkey", "emission", "permit", "active", "axon"] {
        assert!(first.contains(column), "--wide shows {column}: {first}");
    }
    let chosen = run(&[&args[..], &["--columns", "uid,axon"]].concat(), &[]).await;
    let first =
        String::from_utf8_lossy(&chosen.stdout).lines().nth(1).unwrap_or_default().to_string();
    assert_eq!(cells(&first), ["uid", "axon"], "{first}");
    let bad = run(&[&args[..], &["--columns", "uid,nope"]].concat(), &[]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown column \"nope\""), "{}", stderr(&bad));
}

#[tokio::test(flavor = "multi_thread")]
async fn btcli_wallet_flags_and_variables_pick_the_hotkey() {
    let (dir, net, wallet) = devnet_with_wallet().await;
    let uid = crate::common::validator(&net, 3);
    let hotkey = keys::hotkey_path(3, uid);
    let base = ["--network", &net.url(), "set-weights", "--netuid", "3", "--weights", "0=1"];
    let dotted = ["--wallet.path", &wallet, "--wallet.name", "devnet", "--wallet.hotkey", &hotkey];
    let out = run(&[&base[..], &dotted, &["--dry-run"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["uid"], uid);
    let dashed = ["--wallet-path", &wallet, "--wallet-name", "devnet", "--wallet-hotkey", &hotkey];
    let out = run(&[&base[..], &dashed, &["--dry-run"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let env = [("BT_WALLET_PATH", wallet.as_str()), ("BT_WALLET_NAME", "devnet")];
    let env = [&env[..], &[("BT_WALLET_HOTKEY", hotkey.as_str())]].concat();
    let out = run(&[&base[..], &["--dry-run"]].concat(), &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["uid"], uid);

    // A damaged key file says so (and not what it holds).
    let file = dir.path().join("devnet/hotkeys").join(&hotkey);
    let text = std::fs::read_to_string(&file).expect("key file");
    std::fs::write(&file, &text[..text.len() / 2]).expect("truncate");
    let out = run(&[&base[..], &dotted, &["--dry-run"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not valid JSON"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&text[..text.len() / 2]), "no key material");
}

#[tokio::test(flavor = "multi_thread")]
async fn set_weights_formats_and_dry_run_exit_codes_match_the_real_run() {
    let (dir, net, wallet) = devnet_with_wallet().await;
    let uid = crate::common::validator(&net, 1);
    let hotkey = keys::hotkey_path(1, uid);
    let eight = "0=1,1=1,2=1,3=1,4=1,5=1,6=1,7=1";
    let url = net.url();
    let base = set_weights(&url, "1", &wallet, &hotkey, eight);
    let out = run(&[&base[..], &["--dry-run", "-o", "csv"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("field,value\n"), "CSV: {text}");
    assert!(text.contains(&format!("\nuid,{uid}\n")), "CSV: {text}");
    let out = run(&[&base[..], &["--yes", "-o", "table"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("verified") && !text.trim_start().starts_with('{'), "table: {text}");
    // Now rate-limited (100 blocks): the dry run says 3, as the real run.
    let out = run(&[&base[..], &["--dry-run"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(json(&out)["checks"]["rate_limit"]["ok"], false);
    let out = run(&[&base[..], &["--yes"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // A miner (no permit): the dry run fails as the real run would, with 1.
    let miner = net.chain.best().world.subnets[&1]
        .neurons
        .iter()
        .find(|n| !n.validator_permit)
        .expect("a miner")
        .uid;
    let name = keys::hotkey_path(1, miner);
    let (_, seed) = keys::derive_with_seed(&name);
    let file = dir.path().join("devnet/hotkeys").join(&name);
    let keyfile = serde_json::json!({ "secretSeed": format!("0x{}", hex::encode(seed)) });
    std::fs::write(&file, keyfile.to_string()).expect("miner key");
    let miner_args = set_weights(&url, "1", &wallet, &name, eight);
    let out = run(&[&miner_args[..], &["--dry-run"]].concat(), &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no validator permit"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_rate_limited_set_weights_exit_only_0_or_3() {
    // Eight runs at once, 50 times, four for each of two validators of subnet 3 (rate limit 5
    // blocks of 100 ms): one run of a hotkey gets through and the others come too soon, and
    // must say 3 however the chain refuses them (the check at the finalized head, the pool's
    // `Custom error: 6`, or a pool refusal of the same nonce while the first is in flight).
    let (_dir, net, wallet) = devnet_with_wallet().await;
    let validators: Vec<u16> = net.chain.best().world.subnets[&3]
        .neurons
        .iter()
        .filter(|n| n.validator_permit)
        .map(|n| n.uid)
        .collect();
    assert!(validators.len() >= 2, "subnet 3 has validators: {validators:?}");
    let url = net.url();
    let mut codes = std::collections::BTreeMap::<i32, usize>::new();
    for round in 0..50 {
        let runs = (0..8).map(|i| {
            let hotkey = keys::hotkey_path(3, validators[i % 2]);
            let (url, wallet) = (url.clone(), wallet.clone());
            async move {
                let args = set_weights(&url, "3", &wallet, &hotkey, "0=1,1=1");
                run(&[&args[..], &["--yes"]].concat(), &[]).await
            }
        });
        for out in futures_util::future::join_all(runs).await {
            let code = out.status.code().unwrap_or(-1);
            assert!(code == 0 || code == 3, "round {round}: exit {code}: {}", stderr(&out));
            *codes.entry(code).or_default() += 1;
        }
    }
    assert!(codes.get(&0).is_some_and(|n| *n > 0), "some set: {codes:?}");
    assert!(codes.get(&3).is_some_and(|n| *n > 0), "some rate-limited: {codes:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_node_fails_once_after_the_timeout_given() {
    // Accepts connections and never answers the WebSocket handshake.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}", listener.local_addr().expect("address"));
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(socket);
        }
    });
    // 11 s: longer than jsonrpsee's own 10 s handshake limit, which used to answer first.
    let out = run(&["--network", &url, "--timeout", "11s", "block"], &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("within 11 s"), "{}", stderr(&out));
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1, "one attempt, not three");
}
