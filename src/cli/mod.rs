//! The command line: global options, subcommands and their dispatch.

pub mod commit;
pub mod devnet;
pub mod env_file;
pub mod hotkey;
pub mod reads;
pub mod render;
pub mod render_blocks;
pub mod serve;
pub mod set_weights;

use clap::{Args, Parser, Subcommand};

use crate::network::Network;
use crate::output::OutputFormat;

/// Pylon: a gateway and command-line tool for the Bittensor subtensor chain.
///
/// Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 3 skipped
/// (set-weights: rate-limited).
#[derive(Debug, Parser)]
#[command(name = "pylon", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL.
    #[arg(long, global = true, env = "PYLON_BITTENSOR_NETWORK", default_value = "finney")]
    pub network: Network,
    /// Archive network for blocks older than the archive cutoff: a name or URL.
    #[arg(long, global = true, env = "PYLON_BITTENSOR_ARCHIVE_NETWORK", default_value = "archive")]
    pub archive_network: Network,
    /// Output format of results (default: table on a terminal, json otherwise).
    #[arg(short, long, global = true, value_enum)]
    pub output: Option<OutputFormat>,
    /// Blocks behind the head beyond which reads go to the archive network.
    #[arg(
        long,
        global = true,
        env = "PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF",
        default_value_t = 300,
        value_name = "N"
    )]
    pub archive_cutoff: u64,
    /// Time limit of connecting and of each chain request, e.g. 10s, 1m.
    #[arg(long, global = true, default_value = "30s", value_parser = devnet::parse_duration)]
    pub timeout: std::time::Duration,
    /// Read PYLON_* settings from this file (default: ./.env when present); variables already
    /// set in the environment win.
    #[arg(long, global = true, env = "PYLON_ENV_FILE", value_name = "PATH")]
    pub env_file: Option<std::path::PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a simulated subtensor node (JSON-RPC over WebSocket) for local development and tests.
    Devnet(devnet::DevnetArgs),
    /// Run the HTTP gateway, configured by PYLON_* variables (see the README and .env.example).
    Serve(serve::ServeArgs),
    /// Neurons of a subnet (the metagraph), with stakes, ranks and axons.
    Neurons(reads::SubnetAt),
    /// Validators of a subnet (neurons with a permit), by total stake.
    Validators(reads::SubnetAt),
    /// Hyperparameters of a subnet: every one the runtime reports.
    Hyperparams(reads::SubnetAt),
    /// Number, hash and timestamp of a block, or one of its extrinsics decoded (--extrinsic).
    Block(reads::BlockArgs),
    /// Alpha prices of every subnet (or one), in TAO per alpha and rao.
    Prices(reads::PricesArgs),
    /// Commitments of a subnet's hotkeys (hex), or revealed timelocked commitments.
    Commitments(reads::CommitmentsArgs),
    /// TLS certificates of a subnet's hotkeys.
    Certificates(reads::CertificatesArgs),
    /// Weights set on chain in a subnet, by validator uid.
    Weights(reads::WeightsArgs),
    /// Set this validator's weights on a subnet (direct weights; exit 3 when rate-limited).
    SetWeights(set_weights::SetWeightsArgs),
    /// Set this hotkey's commitment on a subnet (Raw up to 128 bytes, BigRaw up to 512).
    Commit(commit::CommitArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// A failure with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or configuration (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Anything that went wrong while running (exit 1).
    #[error(transparent)]
    Runtime(#[from] anyhow::Error),
    /// Nothing was done, for a reason a script may wait out (exit 3): rate-limited.
    #[error("skipped: {0}")]
    Skipped(String),
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Runtime(_) => 1,
            CliError::Skipped(_) => 3,
        }
    }
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let read = match cli.command {
        Command::Devnet(args) => return args.run().await,
        Command::Serve(args) => return serve::run(serve::load_config()?, args).await,
        Command::Completions { shell } => {
            crate::output::result_line(&completions(shell));
            return Ok(());
        }
        Command::SetWeights(a) => return a.run(&cli.global).await,
        Command::Commit(a) => return a.run(&cli.global).await,
        Command::Neurons(a) => reads::Read::Neurons(a),
        Command::Validators(a) => reads::Read::Validators(a),
        Command::Hyperparams(a) => reads::Read::Hyperparams(a),
        Command::Block(a) => reads::Read::Block(a),
        Command::Commitments(a) => reads::Read::Commitments(a),
        Command::Certificates(a) => reads::Read::Certificates(a),
        Command::Weights(a) => reads::Read::Weights(a),
        Command::Prices(a) => reads::Read::Prices(a),
    };
    read.run(&cli.global).await
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pylon", &mut out);
    String::from_utf8_lossy(&out).trim_end().to_string()
}

/// The man page `pylon.1`.
pub fn man_page() -> Vec<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    out
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn network_accepts_names_and_urls_and_rejects_the_rest() {
        let cli =
            Cli::try_parse_from(["pylon", "--network", "ws://127.0.0.1:1", "devnet"]).unwrap();
        assert_eq!(cli.global.network, Network::Url("ws://127.0.0.1:1".into()));
        let err = Cli::try_parse_from(["pylon", "--network", "mainnet", "devnet"]).unwrap_err();
        assert!(err.to_string().contains("mainnet"), "{err}");
    }
}
