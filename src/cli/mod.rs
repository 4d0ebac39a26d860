//! The command line: global options, subcommands and their dispatch.

pub mod commit;
pub mod devnet;
pub mod env_file;
mod examples;
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
    /// Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney].
    #[arg(long, global = true, env = "PYLON_BITTENSOR_NETWORK", value_name = "NETWORK")]
    pub network: Option<Network>,
    /// Archive node for blocks older than the archive cutoff: a name or URL [default: finney's
    /// archive for finney, else the --network node itself].
    #[arg(long, global = true, env = "PYLON_BITTENSOR_ARCHIVE_NETWORK", value_name = "NETWORK")]
    pub archive_network: Option<Network>,
    /// Output format of results (default: table on a terminal, json otherwise).
    #[arg(short, long, global = true, value_enum)]
    pub output: Option<OutputFormat>,
    /// Tables: show every column (neurons and validators show a set that fits 80 columns).
    #[arg(long, global = true, conflicts_with = "columns")]
    pub wide: bool,
    /// Tables: show these columns, in this order (comma-separated names from the header).
    #[arg(long, global = true, value_delimiter = ',', value_name = "NAMES")]
    pub columns: Option<Vec<String>>,
    /// Blocks behind the head beyond which reads go to the archive network [default: 300].
    #[arg(long, global = true, env = "PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF", value_name = "N")]
    pub archive_cutoff: Option<u64>,
    /// Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s].
    #[arg(long, global = true, value_parser = devnet::parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,
    /// Read PYLON_* settings from this file (default: ./.env when present); variables already
    /// set in the environment win.
    #[arg(long, global = true, env = "PYLON_ENV_FILE", value_name = "PATH")]
    pub env_file: Option<std::path::PathBuf>,
}

impl GlobalArgs {
    /// The main network (finney unless given).
    pub fn network(&self) -> Network {
        self.network.clone().unwrap_or(Network::Finney)
    }

    /// The archive network that goes with [`GlobalArgs::network`], or a usage error naming both.
    pub fn archive_network(&self) -> Result<Network, CliError> {
        crate::network::archive_for(
            &self.network(),
            self.archive_network.clone(),
            ("--network", "--archive-network"),
        )
        .map_err(CliError::Usage)
    }

    /// How results are shown.
    pub fn style(&self) -> render::Style {
        render::Style {
            format: render::resolve(self.output),
            columns: self.columns.clone(),
            wide: self.wide,
        }
    }

    /// How the direct commands reach the chain.
    pub fn chain_config(&self) -> Result<crate::chain::ChainConfig, CliError> {
        let defaults = crate::chain::ChainConfig::new(self.network());
        let timeout = self.timeout.unwrap_or(defaults.timeout);
        Ok(crate::chain::ChainConfig {
            archive: self.archive_network()?,
            archive_cutoff: self.archive_cutoff.unwrap_or(defaults.archive_cutoff),
            timeout,
            // A read that used the whole --timeout is not started again: a silent node fails
            // once, after --timeout, not once per attempt.
            retry: crate::retry::RetryPolicy { budget: Some(timeout), ..defaults.retry },
            metadata_dir: crate::chain::runtime::default_metadata_dir(),
            ..defaults
        })
    }

    /// `pylon serve`: the chain flags override the PYLON_* variables; the others do not
    /// apply there and are refused by name.
    pub fn apply_to_server(
        &self,
        config: &mut crate::config::ServerConfig,
    ) -> Result<(), CliError> {
        let refused = [
            ("--output", self.output.is_some()),
            ("--timeout", self.timeout.is_some()),
            ("--wide", self.wide),
            ("--columns", self.columns.is_some()),
        ];
        if let Some((flag, _)) = refused.iter().find(|(_, given)| *given) {
            return Err(CliError::Usage(format!(
                "{flag} does not apply to `pylon serve` (see PYLON_DEFAULT_REQUEST_TIMEOUT_SECONDS \
                 for request time limits)"
            )));
        }
        if let Some(network) = &self.network {
            config.network = network.clone();
            config.archive_network = self.archive_network()?;
        } else if let Some(archive) = &self.archive_network {
            config.archive_network = archive.clone();
        }
        if let Some(cutoff) = self.archive_cutoff {
            config.archive_blocks_cutoff = cutoff;
        }
        Ok(())
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a simulated subtensor node (JSON-RPC over WebSocket) for local development and tests.
    #[command(after_help = examples::DEVNET)]
    Devnet(devnet::DevnetArgs),
    /// Run the HTTP gateway, configured by PYLON_* variables (see the README and .env.example).
    #[command(after_help = examples::SERVE)]
    Serve(serve::ServeArgs),
    /// Neurons of a subnet (the metagraph), with stakes, ranks and axons.
    #[command(after_help = examples::NEURONS)]
    Neurons(reads::SubnetAt),
    /// Validators of a subnet (neurons with a permit), by total stake.
    #[command(after_help = examples::VALIDATORS)]
    Validators(reads::SubnetAt),
    /// Hyperparameters of a subnet: every one the runtime reports.
    #[command(after_help = examples::HYPERPARAMS)]
    Hyperparams(reads::SubnetAt),
    /// Number, hash and timestamp of a block, or one of its extrinsics decoded (--extrinsic).
    #[command(after_help = examples::BLOCK)]
    Block(reads::BlockArgs),
    /// Alpha prices of every subnet (or one), in TAO per alpha and rao.
    #[command(after_help = examples::PRICES)]
    Prices(reads::PricesArgs),
    /// Commitments of a subnet's hotkeys (hex), or revealed timelocked commitments.
    #[command(after_help = examples::COMMITMENTS)]
    Commitments(reads::CommitmentsArgs),
    /// TLS certificates of a subnet's hotkeys.
    #[command(after_help = examples::CERTIFICATES)]
    Certificates(reads::CertificatesArgs),
    /// Weights set on chain in a subnet, by validator uid.
    #[command(after_help = examples::WEIGHTS)]
    Weights(reads::WeightsArgs),
    /// Set this validator's weights on a subnet (direct weights; exit 3 when rate-limited).
    #[command(after_help = examples::SET_WEIGHTS)]
    SetWeights(set_weights::SetWeightsArgs),
    /// Set this hotkey's commitment on a subnet (Raw up to 128 bytes, BigRaw up to 512).
    #[command(after_help = examples::COMMIT)]
    Commit(commit::CommitArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    #[command(after_help = examples::COMPLETIONS)]
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
        Command::Serve(args) => {
            let mut config = serve::load_config()?;
            cli.global.apply_to_server(&mut config)?;
            return serve::run(config, args).await;
        }
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

/// The man pages: `pylon.1` and one `pylon-<command>.1` per subcommand, by file name.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    use clap::CommandFactory;
    let render = |command: clap::Command| {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = clap_mangen::Man::new(command).render(&mut out);
        out
    };
    let mut pylon = Cli::command();
    pylon.build();
    let mut pages = vec![("pylon.1".to_string(), render(pylon.clone()))];
    for sub in pylon.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("pylon-{}", sub.get_name());
        pages.push((format!("{name}.1"), render(sub.clone().name(name.clone()).bin_name(name))));
    }
    pages
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
        assert_eq!(cli.global.network, Some(Network::Url("ws://127.0.0.1:1".into())));
        let err = Cli::try_parse_from(["pylon", "--network", "mainnet", "devnet"]).unwrap_err();
        assert!(err.to_string().contains("mainnet"), "{err}");
    }
}
