//! `pylon devnet`: runs a simulated subtensor node until interrupted.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::CliError;
use crate::output;
use pylon_devnet::{self, DevnetConfig, genesis::GenesisConfig};

/// Options of `pylon devnet`.
#[derive(Debug, Args)]
pub struct DevnetArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free port (the ready line shows it).
    #[arg(long, default_value_t = 9944)]
    pub port: u16,
    /// Time between blocks, e.g. 1s, 250ms, 12s.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub block_time: Duration,
    /// Seed of the generated genesis (stakes, axons, weights, …); keys do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write a wallet named `devnet` into this wallet directory (what the other commands'
    /// --wallet-path reads), with one hotkey `sn<NETUID>-uid<UID>` per validator.
    #[arg(long = "wallet-path", visible_aliases = ["wallet-dir", "wallet.path"], value_name = "DIR")]
    pub wallet_dir: Option<PathBuf>,
    /// Keep state only for the last N blocks, like a lite node; older state fails with
    /// "State already discarded for …". Default: keep all, like an archive node.
    #[arg(long, value_name = "N")]
    pub state_pruning: Option<u32>,
    /// Unix time in milliseconds that block timestamps count from (default: now). Two devnets
    /// with the same seed and genesis timestamp produce identical blocks.
    #[arg(long, value_name = "MS")]
    pub genesis_timestamp: Option<u64>,
    /// How many blocks the finalized head trails the best head.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub finality_lag: u32,
    /// Which runtime to impersonate: `current` (with get_subnet_hyperparams_v3 and
    /// get_next_epoch_start_block) or `spec393` (exactly finney spec 393's runtime APIs).
    #[arg(long, value_enum, default_value = "current")]
    pub runtime: pylon_devnet::metadata::RuntimeFlavor,
    /// Neurons registered on subnet 1 (1 to 4096; finney's largest subnets have 1024).
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub neurons: u16,
}

/// A positive duration such as `1s`, `250ms` or `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let d =
        humantime::parse_duration(text).map_err(|e| format!("invalid duration {text:?}: {e}"))?;
    if d.is_zero() {
        return Err(format!("invalid duration {text:?}: must be greater than zero"));
    }
    Ok(d)
}

impl DevnetArgs {
    /// Starts the devnet, prints the ready line, and serves until SIGINT or SIGTERM.
    pub async fn run(self) -> Result<(), CliError> {
        let config = DevnetConfig {
            listen: SocketAddr::new(self.host, self.port),
            block_time: self.block_time,
            genesis: {
                let mut genesis = GenesisConfig { seed: self.seed, ..GenesisConfig::default() };
                if let Some(subnet) = genesis.subnets.iter_mut().find(|s| s.netuid == 1) {
                    subnet.neurons = self.neurons;
                }
                genesis
            },
            wallet_dir: self.wallet_dir,
            state_pruning: self.state_pruning,
            genesis_timestamp_ms: self.genesis_timestamp,
            finality_lag: self.finality_lag,
            runtime: self.runtime,
        };
        let subnets = config.genesis.subnets.clone();
        let net = pylon_devnet::start(config).await.context("cannot start the devnet")?;
        output::result_line(&format!("devnet ready at {}", net.url()));
        for s in &subnets {
            let cr = if s.commit_reveal { "commit-reveal" } else { "direct weights" };
            output::note(&format!(
                "  subnet {}: {} neurons, tempo {}, {cr}",
                s.netuid, s.neurons, s.tempo
            ));
        }
        if let Some(wallet) = &net.wallet {
            output::note(&format!("  wallet: {}", wallet.display()));
        }
        let drand = net.chain.drand();
        output::note(&format!(
            "  drand (for commit-reveal clients): PYLON_DRAND_PUBLIC_KEY={} PYLON_DRAND_GENESIS_TIME={} PYLON_DRAND_PERIOD_SECONDS={}",
            hex::encode(&drand.public_key),
            drand.genesis,
            drand.period
        ));
        tokio::select! {
            _ = super::shutdown_signal() => {}
            _ = net.stopped() => {}
        }
        net.stop().await;
        Ok(())
    }
}
