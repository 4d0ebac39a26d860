//! Shared test harness: in-process devnets on free ports.

use std::time::Duration;

use pylon::devnet::{self, Devnet, DevnetConfig};

/// Starts a devnet on a free loopback port with fast blocks.
pub async fn devnet(block_time_ms: u64, configure: impl FnOnce(&mut DevnetConfig)) -> Devnet {
    let mut config = DevnetConfig {
        listen: "127.0.0.1:0".parse().expect("valid address"),
        block_time: Duration::from_millis(block_time_ms),
        ..DevnetConfig::default()
    };
    configure(&mut config);
    devnet::start(config).await.expect("devnet starts")
}

/// Waits until the devnet's best block reaches `number`.
pub async fn wait_for_block(net: &Devnet, number: u32) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while net.chain.best().number < number {
        assert!(tokio::time::Instant::now() < deadline, "block {number} not reached in 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `pylon --network URL ARGS` off the async runtime.
pub async fn pylon(url: &str, args: Vec<String>) -> std::process::Output {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"))
            .args(["--network", &url])
            .args(&args)
            .env("RUST_BACKTRACE", "0")
            .env_remove("PYLON_BITTENSOR_WALLET_PATH")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("pylon runs")
    })
    .await
    .expect("joined")
}
