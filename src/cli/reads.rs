//! The read commands: `neurons`, `validators`, `hyperparams`, `block`, `commitments`,
//! `certificates`, `weights`, `prices`. Each reads through the shared chain client and prints one result.

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;

use super::render::{self, Certificates, Render};
use super::render_blocks::ExtrinsicView;
use super::{CliError, GlobalArgs};
use crate::chain::client::ReadFuture;
use crate::chain::{BlockAt, ChainClient, ChainConfig, ChainError, blocks, reads};
use crate::output;

/// A subnet and, optionally, a block.
#[derive(Debug, Args)]
pub struct SubnetAt {
    /// The subnet id.
    #[arg(long)]
    pub netuid: u16,
    /// Read at this block number (default: the finalized head). Blocks older than the archive
    /// cutoff are read from the archive network.
    #[arg(long, value_name = "N")]
    pub block: Option<u64>,
}

impl SubnetAt {
    fn at(&self) -> BlockAt {
        self.block.map_or(BlockAt::Latest, BlockAt::Number)
    }
}

/// Options of `pylon commitments`.
#[derive(Debug, Args)]
pub struct CommitmentsArgs {
    /// The subnet and block.
    #[command(flatten)]
    pub subnet: SubnetAt,
    /// Only this hotkey's commitment (SS58).
    #[arg(long, value_parser = parse_hotkey, value_name = "SS58")]
    pub hotkey: Option<[u8; 32]>,
    /// Show revealed (timelocked) commitments instead, as text.
    #[arg(long)]
    pub revealed: bool,
}

/// Options of `pylon certificates`.
#[derive(Debug, Args)]
pub struct CertificatesArgs {
    /// The subnet and block.
    #[command(flatten)]
    pub subnet: SubnetAt,
    /// Only this hotkey's certificate (SS58).
    #[arg(long, value_parser = parse_hotkey, value_name = "SS58")]
    pub hotkey: Option<[u8; 32]>,
}

/// Options of `pylon weights`.
#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// The subnet and block.
    #[command(flatten)]
    pub subnet: SubnetAt,
    /// Only the weights set by this uid.
    #[arg(long)]
    pub uid: Option<u16>,
}

/// Options of `pylon block`.
#[derive(Debug, Args)]
pub struct BlockArgs {
    /// A block number, or `latest` for the finalized head.
    #[arg(default_value = "latest", value_parser = parse_block)]
    pub block: BlockAt,
    /// Show this extrinsic of the block instead, decoded: call, arguments, signer, era,
    /// nonce, tip (JSON as the gateway's /block/N/extrinsic/I).
    #[arg(long, value_name = "INDEX")]
    pub extrinsic: Option<u32>,
}

/// Options of `pylon prices`.
#[derive(Debug, Args)]
pub struct PricesArgs {
    /// Only this subnet's price.
    #[arg(long)]
    pub netuid: Option<u16>,
    /// Read at this block number (default: the finalized head).
    #[arg(long, value_name = "N")]
    pub block: Option<u64>,
}

fn parse_hotkey(text: &str) -> Result<[u8; 32], String> {
    crate::ss58::decode(text).map_err(|e| e.to_string())
}

fn parse_block(text: &str) -> Result<BlockAt, String> {
    if text == "latest" {
        return Ok(BlockAt::Latest);
    }
    text.parse::<u64>()
        .map(BlockAt::Number)
        .map_err(|_| format!("invalid block {text:?}: expected a block number or `latest`"))
}

/// The read commands.
#[derive(Debug)]
pub enum Read {
    /// Neurons of a subnet.
    Neurons(SubnetAt),
    /// Validators of a subnet.
    Validators(SubnetAt),
    /// Hyperparameters of a subnet.
    Hyperparams(SubnetAt),
    /// One block.
    Block(BlockArgs),
    /// Commitments.
    Commitments(CommitmentsArgs),
    /// Certificates.
    Certificates(CertificatesArgs),
    /// Weights.
    Weights(WeightsArgs),
    /// Alpha prices.
    Prices(PricesArgs),
}

/// The chain client the global options describe.
pub fn chain_config(global: &GlobalArgs) -> ChainConfig {
    ChainConfig {
        archive: global.archive_network.clone(),
        archive_cutoff: global.archive_cutoff,
        timeout: global.timeout,
        ..ChainConfig::new(global.network.clone())
    }
}

impl Read {
    /// Reads and prints the result.
    pub async fn run(self, global: &GlobalArgs) -> Result<(), CliError> {
        let chain = ChainClient::new(&chain_config(global));
        let format = render::resolve(global.output);
        let text = with_spinner("reading from the chain…", self.fetch(&chain, format)).await?;
        output::result_line(&text);
        Ok(())
    }

    async fn fetch(
        self,
        chain: &ChainClient,
        format: crate::output::OutputFormat,
    ) -> Result<String, CliError> {
        fn show(v: &impl Render, f: crate::output::OutputFormat) -> Result<String, CliError> {
            render::render(v, f).map_err(|e| CliError::Runtime(anyhow::anyhow!(e)))
        }
        match self {
            Read::Neurons(s) => {
                let netuid = s.netuid;
                show(
                    &chain.read(s.at(), move |at| Box::pin(reads::neurons(at, netuid))).await?,
                    format,
                )
            }
            Read::Validators(s) => {
                let netuid = s.netuid;
                show(
                    &chain.read(s.at(), move |at| Box::pin(reads::validators(at, netuid))).await?,
                    format,
                )
            }
            Read::Hyperparams(s) => {
                let netuid = s.netuid;
                show(
                    &chain.read(s.at(), move |at| Box::pin(reads::hyperparams(at, netuid))).await?,
                    format,
                )
            }
            Read::Block(BlockArgs { block, extrinsic: Some(index) }) => {
                let read = move |at| -> ReadFuture<_> { Box::pin(blocks::extrinsic(at, index)) };
                let found = chain.read(block, read).await.map_err(|e| match e {
                    ChainError::NotFound(_) => CliError::Usage(format!(
                        "block {} has no extrinsic {index}",
                        block_text(block)
                    )),
                    other => other.into(),
                })?;
                show(&ExtrinsicView(found), format)
            }
            Read::Block(b) => {
                show(&chain.read(b.block, |at| Box::pin(reads::block_info(at))).await?, format)
            }
            Read::Prices(p) => {
                let at = p.block.map_or(BlockAt::Latest, BlockAt::Number);
                match p.netuid {
                    Some(netuid) => show(
                        &chain.read(at, move |a| Box::pin(blocks::price(a, netuid))).await?,
                        format,
                    ),
                    None => show(&chain.read(at, |a| Box::pin(blocks::prices(a))).await?, format),
                }
            }
            Read::Commitments(c) => {
                let netuid = c.subnet.netuid;
                let at = c.subnet.at();
                match (c.revealed, c.hotkey) {
                    (true, hotkey) => {
                        let list = chain
                            .read(at, move |a| Box::pin(reads::revealed(a, netuid, hotkey)))
                            .await?;
                        show(&list, format)
                    }
                    (false, Some(h)) => show(
                        &chain.read(at, move |a| Box::pin(reads::commitment(a, netuid, h))).await?,
                        format,
                    ),
                    (false, None) => show(
                        &chain.read(at, move |a| Box::pin(reads::commitments(a, netuid))).await?,
                        format,
                    ),
                }
            }
            Read::Certificates(c) => {
                let netuid = c.subnet.netuid;
                let at = c.subnet.at();
                match c.hotkey {
                    Some(h) => show(
                        &chain
                            .read(at, move |a| Box::pin(reads::certificate(a, netuid, h)))
                            .await?,
                        format,
                    ),
                    None => {
                        let map = chain
                            .read(at, move |a| Box::pin(reads::certificates(a, netuid)))
                            .await?;
                        show(&Certificates(map), format)
                    }
                }
            }
            Read::Weights(w) => {
                let (netuid, uid) = (w.subnet.netuid, w.uid);
                show(
                    &chain
                        .read(w.subnet.at(), move |a| Box::pin(reads::weights(a, netuid, uid)))
                        .await?,
                    format,
                )
            }
        }
    }
}

fn block_text(at: BlockAt) -> String {
    match at {
        BlockAt::Latest => "latest".into(),
        BlockAt::Number(n) => n.to_string(),
    }
}

impl From<ChainError> for CliError {
    fn from(e: ChainError) -> Self {
        CliError::Runtime(anyhow::Error::new(e))
    }
}

/// Awaits `work`, showing a spinner with `message` on stderr when it takes over 300 ms and
/// stderr is a terminal.
pub(super) async fn with_spinner<T>(message: &str, work: impl Future<Output = T>) -> T {
    tokio::pin!(work);
    if !std::io::stderr().is_terminal() {
        return work.await;
    }
    tokio::select! {
        done = &mut work => return done,
        _ = tokio::time::sleep(Duration::from_millis(300)) => {}
    }
    let spinner = indicatif::ProgressBar::new_spinner().with_message(message.to_string());
    spinner.enable_steady_tick(Duration::from_millis(100));
    let done = work.await;
    spinner.finish_and_clear();
    done
}
