//! Connections to the main and archive nodes, archive routing, retries and reconnection.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use std::sync::Arc;

use subxt::client::OnlineClientAtBlock;

use super::error::ChainError;
use super::rpc::header_number;
use super::runtime::{PylonConfig, SpecBook};
use crate::network::Network;
use crate::retry::{RetryPolicy, Retryable, retry};

/// A client anchored at one block.
pub type At = OnlineClientAtBlock<PylonConfig>;

/// A future returned by a read run at a block.
pub type ReadFuture<T> = Pin<Box<dyn Future<Output = Result<T, ChainError>> + Send>>;

/// How to reach the chain.
#[derive(Clone, Debug)]
pub struct ChainConfig {
    /// The main (lite) node.
    pub network: Network,
    /// The archive node for old blocks.
    pub archive: Network,
    /// Blocks behind the head beyond which reads go to the archive node.
    pub archive_cutoff: u64,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// Limit of one connection attempt or request.
    pub timeout: Duration,
    /// Where runtime metadata is kept between runs (the CLI's; `None`: in memory only).
    pub metadata_dir: Option<std::path::PathBuf>,
}

impl ChainConfig {
    /// Defaults for a network: its default archive ([`crate::network::default_archive`]),
    /// cutoff 300, default retries, 30 s timeout.
    pub fn new(network: Network) -> Self {
        Self {
            archive: crate::network::default_archive(&network),
            network,
            archive_cutoff: 300,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            metadata_dir: None,
        }
    }
}

/// Which block a read is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockAt {
    /// The finalized head.
    Latest,
    /// A block by number.
    Number(u64),
}

pub use super::node::{Lineage, Node, Role};

impl Node {
    async fn read<T>(
        &self,
        at: At,
        read: &(dyn Fn(At) -> ReadFuture<T> + Send + Sync),
    ) -> Result<T, ChainError> {
        self.run(read(at)).await
    }
}

/// A finalized block: number and hash, and when the follower received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The number.
    pub number: u64,
    /// The hash.
    pub hash: [u8; 32],
    /// When it arrived.
    pub seen: std::time::Instant,
    /// The chain's generation when it arrived ([`Lineage::generation`]): a head of a chain the
    /// node no longer serves is not used to read.
    pub generation: u64,
}

/// Called with the reason (`stale_block` or `unknown_block`) whenever a read goes to the
/// archive node.
pub type FallbackHook = Box<dyn Fn(&'static str) + Send + Sync>;

/// The chain: a main node, an archive node, the cutoff between them, and the retry policy.
pub struct ChainClient {
    lineage: Arc<Lineage>,
    main: Node,
    archive: Node,
    cutoff: u64,
    retry: RetryPolicy,
    on_fallback: Option<FallbackHook>,
    /// The finalized heads [`ChainClient::follow_finalized`] publishes, once it runs: a read at
    /// a block at or below the newest one need not ask the node for its head.
    followed: std::sync::OnceLock<tokio::sync::watch::Receiver<Option<Head>>>,
    /// The hashes of the last [`RECENT_HEADS`] followed heads, by number: a read at a recent
    /// block need not ask the node for its hash.
    recent: std::sync::Mutex<Recent>,
}

/// Followed heads' numbers and hashes, of the chain generation they were followed in.
#[derive(Default)]
struct Recent {
    generation: u64,
    heads: std::collections::VecDeque<(u64, [u8; 32])>,
}

/// How many followed heads' hashes are kept.
const RECENT_HEADS: usize = 512;

impl ChainClient {
    /// A client for `config`; nothing connects until the first read.
    pub fn new(config: &ChainConfig) -> Self {
        let lineage = Arc::new(Lineage::default());
        let book = Arc::new(match &config.metadata_dir {
            Some(dir) => SpecBook::with_disk_cache(dir.clone()),
            None => SpecBook::default(),
        });
        let node =
            |network, role| Node::new(network, config.timeout, role, lineage.clone(), book.clone());
        Self {
            main: node(&config.network, Role::Main),
            archive: node(&config.archive, Role::Archive),
            lineage,
            cutoff: config.archive_cutoff,
            retry: config.retry,
            on_fallback: None,
            followed: std::sync::OnceLock::new(),
            recent: Default::default(),
        }
    }

    /// Calls `hook` on every archive fallback (e.g. to count them in metrics).
    pub fn with_fallback_hook(mut self, hook: FallbackHook) -> Self {
        self.on_fallback = Some(hook);
        self
    }

    fn fell_back(&self, reason: &'static str) {
        if let Some(hook) = &self.on_fallback {
            hook(reason);
        }
    }

    /// The main node.
    pub fn main(&self) -> &Node {
        &self.main
    }

    /// The number of the main node's best (not yet finalized) block: where the chain is now, as
    /// a transaction sent now sees it.
    pub async fn best_number(&self) -> Result<u64, ChainError> {
        let header: serde_json::Value =
            self.main.request("chain_getHeader", subxt::rpcs::rpc_params![]).await?;
        header_number(&header)
    }

    /// The number of the finalized block `hash` (asked of the main node, then the archive), or
    /// [`ChainError::NotFound`] when neither knows it or it is not on the finalized chain.
    pub async fn number_of(&self, hash: [u8; 32]) -> Result<u64, ChainError> {
        let hex = format!("0x{}", hex::encode(hash));
        for node in [&self.main, &self.archive] {
            let params = subxt::rpcs::rpc_params![hex.clone()];
            let header: Option<serde_json::Value> = node.request("chain_getHeader", params).await?;
            let Some(header) = header else { continue };
            let number = header_number(&header)?;
            let params = subxt::rpcs::rpc_params![number];
            let canonical: Option<String> = node.request("chain_getBlockHash", params).await?;
            if canonical.is_some_and(|c| c.eq_ignore_ascii_case(&hex)) {
                return Ok(number);
            }
            return Err(ChainError::NotFound(format!(
                "block {hex} (number {number}) is not on the canonical chain"
            )));
        }
        Err(ChainError::NotFound(format!("no block with hash {hex}")))
    }

    /// The archive node.
    pub fn archive(&self) -> &Node {
        &self.archive
    }

    /// Health-checks the main and archive nodes' endpoints every `every` (those with several)
    /// for as long as it runs.
    pub async fn watch_endpoints(&self, every: Duration) {
        tokio::join!(self.main.watch_endpoints(every), self.archive.watch_endpoints(every));
    }

    /// The block a write was finalized in (its `0x` hash), to read what the write left: a
    /// read at `latest` may still be at an earlier head (the followed one trails the node by
    /// the time a notification takes), and a later write may already be past it.
    pub async fn block_of_write(&self, hash: &str) -> Result<BlockAt, ChainError> {
        let hash = super::rpc::parse_hash(hash)
            .map_err(|reason| ChainError::Decode { what: "block hash".into(), reason })?;
        Ok(BlockAt::Number(self.number_of(hash).await?))
    }

    /// Which chain is served, and how often it changed.
    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Follows the main node's finalized heads into `heads` until every receiver is gone. A
    /// subscription that brings no head within `stall` (a silent connection, a stalled node)
    /// is dropped with its connection and opened again.
    pub async fn follow_finalized(
        &self,
        heads: &tokio::sync::watch::Sender<Option<Head>>,
        stall: Duration,
    ) {
        self.followed.get_or_init(|| heads.subscribe());
        while !heads.is_closed() {
            if let Err(e) = self.follow_once(heads, stall).await {
                tracing::warn!(error = %e, "finalized-head subscription ended; resubscribing");
                if e.is_disconnect()
                    || matches!(e, ChainError::Rpc { .. } | ChainError::Timeout { .. })
                {
                    self.main.reset().await;
                }
            }
            tokio::time::sleep(self.retry.base_delay).await;
        }
    }

    async fn follow_once(
        &self,
        heads: &tokio::sync::watch::Sender<Option<Head>>,
        stall: Duration,
    ) -> Result<(), ChainError> {
        let url = self.main.url().to_string();
        let stalled = || ChainError::Timeout { url: url.clone(), secs: stall.as_secs().max(1) };
        let api = tokio::time::timeout(stall.max(self.main.timeout()), self.main.api())
            .await
            .map_err(|_| stalled())??;
        let mut blocks = tokio::time::timeout(stall, api.stream_blocks())
            .await
            .map_err(|_| stalled())?
            .map_err(|e| ChainError::from_client(&url, &e))?;
        let genesis = api.genesis_hash().0;
        loop {
            let next = tokio::time::timeout(stall, blocks.next()).await.map_err(|_| stalled())?;
            let Some(block) = next else { break };
            let block = block.map_err(|e| ChainError::from_client(&url, &e))?;
            let head = Head {
                number: block.number(),
                hash: block.hash().0,
                seen: std::time::Instant::now(),
                generation: self.lineage.generation(),
            };
            // A block that does not change the runtime runs its parent's spec (the head stream
            // fills in skipped blocks, so every upgrade is seen).
            let upgraded = block.header().digest.logs.iter().any(|l| {
                matches!(l, subxt::config::substrate::DigestItem::RuntimeEnvironmentUpdated)
            });
            if !upgraded {
                self.main.book().continues(genesis, head.number);
            }
            self.remember(head);
            if heads.send(Some(head)).is_err() {
                return Ok(());
            }
        }
        Err(ChainError::Disconnected { url, reason: "the head stream ended".into() })
    }

    /// The newest finalized block known without asking the node, when
    /// [`Self::follow_finalized`] runs: the followed head of the chain served now, or the block
    /// a write of this process was finalized in when that is newer.
    pub fn known_head(&self) -> Option<Head> {
        let generation = self.lineage.generation();
        let followed = self.followed.get().and_then(|r| *r.borrow());
        let followed = followed.filter(|h| h.generation == generation)?;
        // A write's block may be finalized before the follower hears of it.
        Some(match self.main.written() {
            Some((number, hash)) if number > followed.number => {
                Head { number, hash, seen: std::time::Instant::now(), generation }
            }
            _ => followed,
        })
    }

    fn remember(&self, head: Head) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.lineage.generation();
        // Another chain, or the stream restarted behind: start over.
        if recent.generation != generation
            || recent.heads.back().is_some_and(|(n, _)| *n >= head.number)
        {
            *recent = Recent { generation, heads: Default::default() };
        }
        if recent.heads.len() == RECENT_HEADS {
            recent.heads.pop_front();
        }
        recent.heads.push_back((head.number, head.hash));
    }

    /// The hash of followed block `number`, if it is among the recent heads.
    fn recent_hash(&self, number: u64) -> Option<[u8; 32]> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.generation != self.lineage.generation() {
            return None;
        }
        let first = recent.heads.front()?.0;
        let index = usize::try_from(number.checked_sub(first)?).ok()?;
        let (n, hash) = *recent.heads.get(index)?;
        (n == number).then_some(hash)
    }

    /// Runs `read` at `block`, routing old blocks to the archive node and falling back to it
    /// when the main node has discarded the state; transient failures are retried.
    pub async fn read<T>(
        &self,
        block: BlockAt,
        read: impl Fn(At) -> ReadFuture<T> + Send + Sync,
    ) -> Result<T, ChainError> {
        retry(&self.retry, |_| self.read_once(block, &read)).await
    }

    async fn read_once<T>(
        &self,
        block: BlockAt,
        read: &(dyn Fn(At) -> ReadFuture<T> + Send + Sync),
    ) -> Result<T, ChainError> {
        let number = match block {
            BlockAt::Latest => {
                let Some(head) = self.known_head() else {
                    return self.latest_unfollowed(read).await;
                };
                let at = self.main.at(head.hash, head.number).await?;
                return self.main.read(at, read).await;
            }
            BlockAt::Number(n) => n,
        };
        // The followed head answers "how far back is this block" without a node call; a block
        // beyond it is asked of the node (it may have been finalized since).
        let head = match self.known_head() {
            Some(h) if h.number >= number => h.number,
            _ => self.main.finalized_head().await?.1,
        };
        if number > head {
            return Err(ChainError::BlockNotFound { block: number, head });
        }
        if head - number > self.cutoff {
            tracing::info!(
                block = number,
                head,
                reason = "stale_block",
                "reading from the archive node"
            );
            self.fell_back("stale_block");
            let archive_error = match self.on_archive(number, read).await {
                Err(e) if !e.is_answer() => e,
                answer => return answer,
            };
            // The archive could not answer: the main node may still hold the block's state
            // (a full node keeps it all, a lite one some blocks past the cutoff).
            tracing::warn!(block = number, error = %archive_error, "the archive node could not answer; trying the main node");
            return match self.on_main(number, read).await {
                Err(e) if !e.is_answer() => Err(self.unavailable(
                    number,
                    format!("older than the archive cutoff of {} blocks: {e}", self.cutoff),
                    archive_error,
                )),
                answer => answer,
            };
        }
        let main = self.on_main(number, read);
        match main.await {
            Err(ChainError::StateUnavailable { reason, .. }) => {
                tracing::info!(
                    block = number,
                    reason = "unknown_block",
                    "falling back to the archive node"
                );
                self.fell_back("unknown_block");
                self.on_archive(number, read).await.map_err(|e| {
                    if e.is_answer() { e } else { self.unavailable(number, reason, e) }
                })
            }
            other => other,
        }
    }

    /// A read at the finalized head without a follower (the CLI). When the chain is new to
    /// this process and the disk cache remembers its runtime version, the read runs with that
    /// version's metadata while `Core_version` is asked alongside; the answer counts only if
    /// the version is confirmed (a runtime upgrade since: read again, knowing).
    async fn latest_unfollowed<T>(
        &self,
        read: &(dyn Fn(At) -> ReadFuture<T> + Send + Sync),
    ) -> Result<T, ChainError> {
        let main = &self.main;
        let (hash, number) = main.latest_head().await?;
        let genesis = main.api().await?.genesis_hash().0;
        let book = main.book();
        // Only with that version's metadata at hand: metadata fetched for a guess could be
        // another version's and must not be kept under the guessed one.
        if !book.knows_chain(genesis)
            && let Some(guess) = book.guess(genesis)
            && book.metadata(genesis, guess.0).is_some()
        {
            book.learn(genesis, number, guess.0, guess.1);
            let speculative = async { main.read(main.at(hash, number).await?, read).await };
            let (answer, version) = tokio::join!(speculative, main.runtime_version(hash));
            if version.as_ref().is_ok_and(|v| *v == guess) {
                return answer;
            }
            tracing::debug!(?guess, ?version, "the remembered runtime version is not the chain's");
            book.forget_chain(genesis);
            let at = main.at_with(hash, number, version.ok()).await?;
            return main.read(at, read).await;
        }
        let at = main.at(hash, number).await?;
        main.read(at, read).await
    }

    async fn on_main<T>(
        &self,
        number: u64,
        read: &(dyn Fn(At) -> ReadFuture<T> + Send + Sync),
    ) -> Result<T, ChainError> {
        let at = match self.recent_hash(number) {
            Some(hash) => self.main.at(hash, number).await?,
            None => self.main.at_number(number).await?,
        };
        self.main.read(at, read).await
    }

    async fn on_archive<T>(
        &self,
        number: u64,
        read: &(dyn Fn(At) -> ReadFuture<T> + Send + Sync),
    ) -> Result<T, ChainError> {
        let at = match self.recent_hash(number) {
            Some(hash) => self.archive.at(hash, number).await?,
            None => self.archive.at_number(number).await?,
        };
        self.archive.read(at, read).await
    }

    fn unavailable(&self, block: u64, main_error: String, archive: ChainError) -> ChainError {
        ChainError::BlockUnavailable {
            transient: archive.is_retryable(),
            block,
            main: self.main.url().to_string(),
            main_error,
            archive: self.archive.url().to_string(),
            archive_error: archive.to_string(),
        }
    }
}
