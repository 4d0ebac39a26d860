//! The read commands: `neurons`, `validators`, `hyperparams`, `block`, `commitments`,
//! `certificates`, `weights`, `prices`. Each reads through the shared chain client and prints one result.

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;

use super::render::{self, Certificates};
use super::render_blocks::ExtrinsicView;
use super::{CliError, GlobalArgs};
use crate::chain::client::ReadFuture;
use crate::chain::{BlockAt, ChainClient, ChainError, blocks, reads};
use crate::output;

/// A block as the commands take it: `latest`, a number, or a block hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockSpec {
    /// The finalized head.
    Latest,
    /// By number.
    Number(u64),
    /// By hash (0x and 64 hex digits).
    Hash([u8; 32]),
}

impl std::str::FromStr for BlockSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("latest") {
            return Ok(BlockSpec::Latest);
        }
        if let Ok(n) = t.parse::<u64>() {
            return Ok(BlockSpec::Number(n));
        }
        let digits = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
        let mut hash = [0u8; 32];
        match hex::decode_to_slice(digits, &mut hash) {
            Ok(()) if digits.len() == 64 => Ok(BlockSpec::Hash(hash)),
            _ => Err(format!(
                "invalid block {text:?}: expected `latest`, a block number or a block hash (0x and 64 hex digits)"
            )),
        }
    }
}

impl BlockSpec {
    /// The block to read at (a hash is looked up on the chain).
    pub async fn resolve(self, chain: &ChainClient) -> Result<BlockAt, CliError> {
        Ok(match self {
            BlockSpec::Latest => BlockAt::Latest,
            BlockSpec::Number(n) => BlockAt::Number(n),
            BlockSpec::Hash(h) => BlockAt::Number(chain.number_of(h).await?),
        })
    }
}

/// A subnet id as the commands take it: 0 to 65535, negative numbers named as such.
pub fn parse_netuid(text: &str) -> Result<u16, String> {
    text.trim().parse::<u16>().map_err(|_| format!("invalid netuid {text:?}: expected 0 to 65535"))
}

/// A subnet and, optionally, a block.
#[derive(Debug, Args)]
pub struct SubnetAt {
    /// The subnet id.
    #[arg(long, value_parser = parse_netuid, allow_hyphen_values = true)]
    pub netuid: u16,
    /// Read at this block: a number, a block hash or `latest` (default: the finalized head).
    /// Blocks older than the archive cutoff are read from the archive network.
    #[arg(long, value_name = "BLOCK", allow_hyphen_values = true)]
    pub block: Option<BlockSpec>,
}

impl SubnetAt {
    async fn at(&self, chain: &ChainClient) -> Result<BlockAt, CliError> {
        self.block.unwrap_or(BlockSpec::Latest).resolve(chain).await
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
    /// A block number, a block hash, or `latest` for the finalized head.
    #[arg(default_value = "latest", allow_hyphen_values = true)]
    pub block: BlockSpec,
    /// Show this extrinsic of the block instead, decoded: call, arguments, signer, era,
    /// nonce, tip (JSON as the gateway's /block/N/extrinsic/I).
    #[arg(long, value_name = "INDEX")]
    pub extrinsic: Option<u32>,
}

/// Options of `pylon prices`.
#[derive(Debug, Args)]
pub struct PricesArgs {
    /// Only this subnet's price.
    #[arg(long, value_parser = parse_netuid, allow_hyphen_values = true)]
    pub netuid: Option<u16>,
    /// Read at this block: a number, a block hash or `latest` (default: the finalized head).
    #[arg(long, value_name = "BLOCK", allow_hyphen_values = true)]
    pub block: Option<BlockSpec>,
}

fn parse_hotkey(text: &str) -> Result<[u8; 32], String> {
    crate::ss58::decode(text).map_err(|e| e.to_string())
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

impl Read {
    /// Reads and prints the result.
    pub async fn run(self, global: &GlobalArgs) -> Result<(), CliError> {
        let chain = ChainClient::new(&global.chain_config()?);
        let style = global.style();
        let text = with_spinner("reading from the chain…", self.fetch(&chain, &style)).await?;
        output::result_line(&text);
        Ok(())
    }

    async fn fetch(self, chain: &ChainClient, style: &render::Style) -> Result<String, CliError> {
        use render::render as show;
        match self {
            Read::Neurons(s) => {
                let netuid = s.netuid;
                show(
                    &chain
                        .read(s.at(chain).await?, move |at| Box::pin(reads::neurons(at, netuid)))
                        .await?,
                    style,
                )
            }
            Read::Validators(s) => {
                let netuid = s.netuid;
                show(
                    &chain
                        .read(s.at(chain).await?, move |at| Box::pin(reads::validators(at, netuid)))
                        .await?,
                    style,
                )
            }
            Read::Hyperparams(s) => {
                let netuid = s.netuid;
                show(
                    &chain
                        .read(s.at(chain).await?, move |at| {
                            Box::pin(reads::hyperparams(at, netuid))
                        })
                        .await?,
                    style,
                )
            }
            Read::Block(BlockArgs { block, extrinsic: Some(index) }) => {
                let block = block.resolve(chain).await?;
                let read = move |at| -> ReadFuture<_> { Box::pin(blocks::extrinsic(at, index)) };
                let found = chain.read(block, read).await.map_err(|e| match e {
                    ChainError::NotFound(_) => CliError::Usage(format!(
                        "block {} has no extrinsic {index}",
                        block_text(block)
                    )),
                    other => other.into(),
                })?;
                show(&ExtrinsicView(found), style)
            }
            Read::Block(b) => show(
                &chain
                    .read(b.block.resolve(chain).await?, |at| Box::pin(reads::block_info(at)))
                    .await?,
                style,
            ),
            Read::Prices(p) => {
                let at = p.block.unwrap_or(BlockSpec::Latest).resolve(chain).await?;
                match p.netuid {
                    Some(netuid) => show(
                        &chain.read(at, move |a| Box::pin(blocks::price(a, netuid))).await?,
                        style,
                    ),
                    None => show(&chain.read(at, |a| Box::pin(blocks::prices(a))).await?, style),
                }
            }
            Read::Commitments(c) => {
                let netuid = c.subnet.netuid;
                let at = c.subnet.at(chain).await?;
                match (c.revealed, c.hotkey) {
                    (true, hotkey) => {
                        let list = chain
                            .read(at, move |a| Box::pin(reads::revealed(a, netuid, hotkey)))
                            .await?;
                        show(&list, style)
                    }
                    (false, Some(h)) => show(
                        &chain.read(at, move |a| Box::pin(reads::commitment(a, netuid, h))).await?,
                        style,
                    ),
                    (false, None) => show(
                        &chain.read(at, move |a| Box::pin(reads::commitments(a, netuid))).await?,
                        style,
                    ),
                }
            }
            Read::Certificates(c) => {
                let netuid = c.subnet.netuid;
                let at = c.subnet.at(chain).await?;
                match c.hotkey {
                    Some(h) => show(
                        &chain
                            .read(at, move |a| Box::pin(reads::certificate(a, netuid, h)))
                            .await?,
                        style,
                    ),
                    None => {
                        let map = chain
                            .read(at, move |a| Box::pin(reads::certificates(a, netuid)))
                            .await?;
                        show(&Certificates(map), style)
                    }
                }
            }
            Read::Weights(w) => {
                let (netuid, uid) = (w.subnet.netuid, w.uid);
                show(
                    &chain
                        .read(w.subnet.at(chain).await?, move |a| {
                            Box::pin(reads::weights(a, netuid, uid))
                        })
                        .await?,
                    style,
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
