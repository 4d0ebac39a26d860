//! One node connection: opened lazily, shared by every caller, reopened after a drop. A connect
//! attempt is shared too (callers during an outage wait on the same attempt, no lock is held
//! across it), and every new connection's genesis hash is checked against the chain's
//! [`Lineage`]: the main node may move to another chain (the lineage then starts a new
//! generation, so nothing of the old chain is served for the new one), the archive node must
//! serve the main node's chain.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use subxt::OnlineClient;
use subxt::ext::futures::FutureExt;
use subxt::ext::futures::future::{BoxFuture, Shared};
use subxt::rpcs::RpcClient;

use super::error::ChainError;
pub use super::lineage::{Lineage, SwapHook};
use super::runtime::{PylonConfig, SpecBook};
use crate::network::{Network, redact};

/// An open connection: the typed client, the raw RPC client under it, and the finalized head
/// the node reported while connecting.
pub type Connection = (OnlineClient<PylonConfig>, RpcClient, Option<ConnectedHead>);

/// The finalized head when a connection opened (asked together with the genesis hash, so a
/// short-lived client such as the CLI knows its block without another round trip).
#[derive(Clone, Copy, Debug)]
pub struct ConnectedHead {
    /// The block's hash.
    pub hash: [u8; 32],
    /// Its number.
    pub number: u64,
    /// When the node reported it.
    pub at: std::time::Instant,
}

type Attempt = Shared<BoxFuture<'static, Result<Connection, ChainError>>>;

enum State {
    Idle,
    Connecting(Attempt),
    Ready(Connection),
}

/// Whether a node is the main one (which defines the chain) or the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Defines the chain.
    Main,
    /// Must serve the main node's chain.
    Archive,
}

/// One endpoint of a node: its connection, opened lazily and reopened after a drop.
pub(super) struct Endpoint {
    /// What to connect to (may hold credentials: never shown).
    connect_url: String,
    /// The URL as shown.
    pub(super) url: String,
    state: std::sync::Mutex<State>,
    /// Whether its last use or health check succeeded.
    pub(super) healthy: AtomicBool,
}

impl Endpoint {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One node — one endpoint, or several of one chain with failover between them — connected
/// lazily and reconnected after a drop.
pub struct Node {
    pub(super) endpoints: Vec<Endpoint>,
    /// The endpoint requests go to.
    pub(super) active: AtomicUsize,
    /// How many times requests moved to another endpoint.
    pub(super) failovers: AtomicU64,
    timeout: Duration,
    pub(super) role: Role,
    lineage: Arc<Lineage>,
    book: Arc<SpecBook>,
    /// The head the newest connection reported, until the first read at `latest` takes it.
    fresh_head: std::sync::Mutex<Option<ConnectedHead>>,
    /// The newest block a write of this process was finalized in: `(number, hash, chain
    /// generation)`; reads at `latest` are never older (a client reads its own writes).
    written: std::sync::Mutex<Option<(u64, [u8; 32], u64)>>,
}

impl Node {
    /// A node of `network` (every endpoint it lists), checked against `lineage` in `role`,
    /// knowing runtimes from `book`.
    pub fn new(
        network: &Network,
        timeout: Duration,
        role: Role,
        lineage: Arc<Lineage>,
        book: Arc<SpecBook>,
    ) -> Self {
        let endpoints = network
            .urls()
            .into_iter()
            .map(|connect_url| Endpoint {
                url: redact(connect_url),
                connect_url: connect_url.to_string(),
                state: std::sync::Mutex::new(State::Idle),
                healthy: AtomicBool::new(true),
            })
            .collect();
        Self {
            endpoints,
            active: AtomicUsize::new(0),
            failovers: AtomicU64::new(0),
            timeout,
            role,
            lineage,
            book,
            fresh_head: std::sync::Mutex::new(None),
            written: std::sync::Mutex::new(None),
        }
    }

    /// Records that block `number` (`hash`) is finalized with a write of this process in it.
    pub fn note_written(&self, number: u64, hash: [u8; 32]) {
        let generation = self.lineage.generation();
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if written.is_none_or(|(n, _, g)| g != generation || n < number) {
            *written = Some((number, hash, generation));
        }
    }

    /// The newest finalized block with a write of this process, on the chain served now.
    pub fn written(&self) -> Option<(u64, [u8; 32])> {
        let written = *self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.filter(|w| w.2 == self.lineage.generation()).map(|(n, h, _)| (n, h))
    }

    /// The finalized head the newest connection reported, once: later reads at `latest` must
    /// ask the node (a write since may have been included past it).
    pub fn take_fresh_head(&self) -> Option<ConnectedHead> {
        self.fresh_head.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// What is known of the chain's runtimes.
    pub fn book(&self) -> &SpecBook {
        &self.book
    }

    /// The active endpoint's URL without user info or query (safe for logs, metrics and
    /// answers).
    pub fn url(&self) -> &str {
        &self.endpoints[self.active()].url
    }

    pub(super) fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst).min(self.endpoints.len() - 1)
    }

    /// The connection of the active endpoint, opened if there is none (one attempt shared by
    /// concurrent callers). With several endpoints, one that cannot be reached hands over to
    /// the next (healthy ones first, in the configured order).
    pub async fn connection(&self) -> Result<Connection, ChainError> {
        let active = self.active();
        let first_error = match self.endpoint_connection(active).await {
            Ok(c) => {
                self.endpoints[active].healthy.store(true, Ordering::SeqCst);
                return Ok(c);
            }
            Err(e) if self.endpoints.len() == 1 => return Err(e),
            Err(e) => e,
        };
        self.endpoints[active].healthy.store(false, Ordering::SeqCst);
        let healthy = |i: &usize| self.endpoints[*i].healthy.load(Ordering::SeqCst);
        let others = (0..self.endpoints.len()).filter(|i| *i != active);
        let (up, down): (Vec<usize>, Vec<usize>) = others.partition(healthy);
        for i in up.into_iter().chain(down) {
            if let Ok(c) = self.endpoint_connection(i).await {
                self.endpoints[i].healthy.store(true, Ordering::SeqCst);
                self.switch_to(i, "the active endpoint could not be reached");
                return Ok(c);
            }
            self.endpoints[i].healthy.store(false, Ordering::SeqCst);
        }
        Err(first_error)
    }

    /// Makes endpoint `to` the active one (a failover when it was another).
    pub(super) fn switch_to(&self, to: usize, why: &str) {
        let from = self.active.swap(to, Ordering::SeqCst);
        if from != to {
            self.failovers.fetch_add(1, Ordering::SeqCst);
            let (from, to) = (&self.endpoints[from].url, &self.endpoints[to].url);
            tracing::warn!(role = ?self.role, from = %from, to = %to, why, "chain endpoint failover");
        }
    }

    /// Endpoint `i`'s connection, opened if there is none.
    pub(super) async fn endpoint_connection(&self, i: usize) -> Result<Connection, ChainError> {
        let endpoint = &self.endpoints[i];
        let attempt = {
            let mut state = endpoint.lock();
            match &*state {
                State::Ready(c) => return Ok(c.clone()),
                State::Connecting(a) => a.clone(),
                State::Idle => {
                    let a = self.attempt(i);
                    *state = State::Connecting(a.clone());
                    a
                }
            }
        };
        let result = attempt.clone().await;
        let mut state = endpoint.lock();
        if let State::Connecting(current) = &*state
            && current.ptr_eq(&attempt)
        {
            if let Ok((_, _, head)) = &result {
                *self.fresh_head.lock().unwrap_or_else(|e| e.into_inner()) = *head;
            }
            *state = match &result {
                Ok(c) => State::Ready(c.clone()),
                Err(_) => State::Idle,
            };
        }
        result
    }

    fn attempt(&self, i: usize) -> Attempt {
        let endpoint = &self.endpoints[i];
        let (url, label) = (endpoint.connect_url.clone(), endpoint.url.clone());
        let (timeout, several) = (self.timeout, self.endpoints.len() > 1);
        let (role, lineage, book) = (self.role, self.lineage.clone(), self.book.clone());
        async move {
            let connect = async {
                let rpc = connect_ws(&url, timeout).await?;
                let (genesis, head) = tokio::join!(
                    rpc.request::<String>("chain_getBlockHash", subxt::rpcs::rpc_params![0]),
                    first_finalized_head(&rpc)
                );
                let genesis = genesis?;
                let genesis = super::rpc::parse_hash(&genesis).map_err(|e| {
                    subxt::rpcs::Error::Client(format!("genesis hash {genesis}: {e}").into())
                })?;
                // The legacy JSON-RPC methods only, whatever else the node offers: one code path
                // against every node (the devnet, a lite node, an archive), the one tested here.
                let backend = subxt::backend::LegacyBackend::builder().build(rpc.clone());
                let config = PylonConfig::new(genesis, book);
                let api = OnlineClient::from_backend_with_config(config, Arc::new(backend))
                    .await
                    .map_err(subxt::Error::from)?;
                Ok::<_, subxt::Error>((api, rpc, head))
            };
            let (api, rpc, head) = tokio::time::timeout(timeout, connect)
                .await
                .map_err(|_| ChainError::Timeout { url: label.clone(), secs: timeout.as_secs() })?
                .map_err(|e| match ChainError::from_client(&label, &e) {
                    ChainError::Rpc { reason, .. } | ChainError::Disconnected { reason, .. } => {
                        ChainError::Connect {
                            url: label.clone(),
                            reason: redact_text(&reason, &url, &label),
                        }
                    }
                    other => other,
                })?;
            let genesis = api.genesis_hash().0;
            match role {
                // One main endpoint defines the chain (and may move to another); several must
                // all serve the one the first reached reported.
                Role::Main if !several => lineage.main_reports(genesis),
                Role::Main | Role::Archive => {
                    if role == Role::Main && lineage.genesis().is_none() {
                        lineage.main_reports(genesis);
                    }
                    if let Some(main) = lineage.genesis().filter(|g| *g != genesis) {
                        return Err(ChainError::WrongChain {
                            url: label,
                            genesis: format!("0x{}", hex::encode(genesis)),
                            expected: format!("0x{}", hex::encode(main)),
                        });
                    }
                }
            }
            Ok((api, rpc, head))
        }
        .boxed()
        .shared()
    }

    /// The typed client, connecting if needed.
    pub async fn api(&self) -> Result<OnlineClient<PylonConfig>, ChainError> {
        Ok(self.connection().await?.0)
    }

    /// Sends one raw JSON-RPC request over the connection.
    pub async fn request<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        params: subxt::rpcs::client::RpcParams,
    ) -> Result<T, ChainError> {
        self.run(async {
            let rpc = self.connection().await?.1;
            rpc.request(method, params).await.map_err(|e| ChainError::from_client(self.url(), &e))
        })
        .await
    }

    /// Forgets endpoint `i`'s open connection (a connection attempt under way goes on).
    pub(super) fn forget(&self, i: usize) {
        let mut state = self.endpoints[i].lock();
        if matches!(&*state, State::Ready(_)) {
            *state = State::Idle;
        }
    }

    /// Forgets the active endpoint's connection so the next request opens a new one; with
    /// several endpoints, the next request tries the others first.
    pub async fn reset(&self) {
        let active = self.active();
        self.forget(active);
        if self.endpoints.len() > 1 {
            self.endpoints[active].healthy.store(false, Ordering::SeqCst);
            let healthy = |i: &usize| self.endpoints[*i].healthy.load(Ordering::SeqCst);
            if let Some(next) = (0..self.endpoints.len()).find(healthy) {
                self.switch_to(next, "the active endpoint's connection dropped");
            }
        }
    }

    /// Runs `op` with a time limit; a dropped connection is forgotten.
    pub async fn run<T>(
        &self,
        op: impl Future<Output = Result<T, ChainError>>,
    ) -> Result<T, ChainError> {
        let result = tokio::time::timeout(self.timeout, op).await.unwrap_or_else(|_| {
            Err(ChainError::Timeout { url: self.url().to_string(), secs: self.timeout.as_secs() })
        });
        if result.as_ref().is_err_and(ChainError::is_disconnect) {
            self.reset().await;
        }
        result
    }

    /// The time limit of one attempt or request.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The first header of a finalized-heads subscription (a node sends its current finalized head
/// at once), with its hash computed here; `None` when the node offers no such subscription.
async fn first_finalized_head(rpc: &RpcClient) -> Option<ConnectedHead> {
    use parity_scale_codec::Encode as _;
    type Header = subxt::config::substrate::SubstrateHeader<subxt::utils::H256>;
    let params = subxt::rpcs::rpc_params![];
    let mut heads = rpc
        .subscribe::<Header>(
            "chain_subscribeFinalizedHeads",
            params,
            "chain_unsubscribeFinalizedHeads",
        )
        .await
        .ok()?;
    let header = subxt::ext::futures::StreamExt::next(&mut heads).await?.ok()?;
    Some(ConnectedHead {
        hash: sp_core::hashing::blake2_256(&header.encode()),
        number: header.number,
        at: std::time::Instant::now(),
    })
}

/// `text` with the full URL (which may hold credentials) replaced by its label.
fn redact_text(text: &str, url: &str, label: &str) -> String {
    if url.is_empty() { text.to_string() } else { text.replace(url, label) }
}

/// A WebSocket JSON-RPC client built as subxt builds one, except that the handshake may take
/// `timeout` (jsonrpsee's own limit is a fixed 10 s, which `--timeout` could not raise); the
/// caller's own limit of `timeout` fires first and names it.
async fn connect_ws(url: &str, timeout: Duration) -> Result<RpcClient, subxt::rpcs::Error> {
    use jsonrpsee::client_transport::ws::{Url, WsTransportClientBuilder};
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| subxt::rpcs::Error::Client(e);
    let url = Url::parse(url).map_err(|e| failed(Box::new(e)))?;
    let (sender, receiver) = WsTransportClientBuilder::default()
        .connection_timeout(timeout.saturating_add(Duration::from_secs(1)))
        .build(url)
        .await
        .map_err(|e| failed(Box::new(e)))?;
    let client = jsonrpsee::core::client::Client::builder()
        .max_buffer_capacity_per_subscription(4096)
        .build_with_tokio(sender, receiver);
    Ok(RpcClient::new(client))
}
