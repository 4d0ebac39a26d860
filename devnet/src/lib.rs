//! `pylon devnet`: a simulated subtensor node that speaks the real JSON-RPC protocol.
//!
//! [`start`] runs one in-process (tests use it); the `devnet` command runs one until stopped.
//! Clients talk to it over WebSocket JSON-RPC exactly as to a subtensor node: the legacy
//! Substrate methods, runtime metadata V14/V15 built from [`mirror`] types, SCALE-encoded
//! storage and runtime-API answers, blocks with real parent links and hashes.

pub mod chain;
pub mod conformance;
pub mod dispatch;
pub mod epoch;
pub mod evm;
pub mod fees;
pub mod genesis;
pub mod keys;
pub mod metadata;
pub mod mirror;
pub mod pool;
pub mod queue;
pub mod rpc;
pub mod runtime_api;
pub mod state;
pub mod storage;
pub mod timelocked;
pub mod wallet;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonrpsee::server::{Server, ServerConfig, ServerHandle};

use chain::{Chain, ChainConfig};
use genesis::GenesisConfig;

/// Everything a devnet is started with.
#[derive(Clone, Debug)]
pub struct DevnetConfig {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Time between blocks.
    pub block_time: Duration,
    /// The genesis (seed and subnets).
    pub genesis: GenesisConfig,
    /// Where to write the `devnet` wallet of validator hotkeys, if anywhere.
    pub wallet_dir: Option<PathBuf>,
    /// Keep state for only the last N blocks, like a lite node; `None` keeps all.
    pub state_pruning: Option<u32>,
    /// Unix milliseconds of block 0's clock; `None` means now. Two devnets with the same seed
    /// and genesis timestamp produce identical blocks.
    pub genesis_timestamp_ms: Option<u64>,
    /// How many blocks finality trails the best block.
    pub finality_lag: u32,
    /// Which runtime to impersonate.
    pub runtime: metadata::RuntimeFlavor,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 9944)),
            block_time: Duration::from_secs(1),
            genesis: GenesisConfig::default(),
            wallet_dir: None,
            state_pruning: None,
            genesis_timestamp_ms: None,
            finality_lag: 2,
            runtime: metadata::RuntimeFlavor::Current,
        }
    }
}

/// Why a devnet could not start.
#[derive(Debug, thiserror::Error)]
pub enum DevnetError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The wallet directory could not be written.
    #[error("cannot write the devnet wallet under {dir}: {source}")]
    Wallet {
        /// The directory.
        dir: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The block time is zero.
    #[error("block time must be greater than zero")]
    ZeroBlockTime,
}

/// A running devnet. Dropping it stops block production; [`Devnet::stop`] also closes the
/// server.
pub struct Devnet {
    /// The bound address.
    pub addr: SocketAddr,
    /// The chain, for in-process inspection.
    pub chain: Arc<Chain>,
    /// The wallet directory written, if any.
    pub wallet: Option<PathBuf>,
    /// Errors to answer instead of running methods (a misbehaving node, for tests).
    pub faults: rpc::faults::Faults,
    server: ServerHandle,
    producer: tokio::task::JoinHandle<()>,
}

impl Devnet {
    /// The WebSocket URL clients connect to.
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Stops producing blocks and serving, and waits until the server has closed.
    pub async fn stop(self) {
        self.producer.abort();
        let _ = self.server.stop();
        self.server.clone().stopped().await;
    }

    /// Resolves when the server has stopped.
    pub async fn stopped(&self) {
        self.server.clone().stopped().await;
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        self.producer.abort();
        let _ = self.server.stop();
    }
}

/// Starts a devnet: builds genesis, binds the listener, and produces blocks every block time.
pub async fn start(config: DevnetConfig) -> Result<Devnet, DevnetError> {
    if config.block_time.is_zero() {
        return Err(DevnetError::ZeroBlockTime);
    }
    let genesis_config = config.genesis.clone();
    let world = tokio::task::spawn_blocking(move || genesis::build(&genesis_config))
        .await
        .expect("genesis construction does not panic");
    let genesis_timestamp_ms = config.genesis_timestamp_ms.unwrap_or_else(|| {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        now.as_millis() as u64 / 1000 * 1000
    });
    let chain = Arc::new(Chain::new(
        world,
        ChainConfig {
            block_time: config.block_time,
            finality_lag: config.finality_lag,
            state_pruning: config.state_pruning,
            genesis_timestamp_ms,
            runtime: config.runtime,
            drand_seed: config.genesis.seed,
        },
    ));
    let wallet = match &config.wallet_dir {
        None => None,
        Some(dir) => Some(
            wallet::write(dir, &chain.genesis().world)
                .map_err(|source| DevnetError::Wallet { dir: dir.clone(), source })?,
        ),
    };
    let module = rpc::module(chain.clone()).expect("method names are unique");
    let server_config = ServerConfig::builder()
        .max_response_body_size(64 * 1024 * 1024)
        .max_connections(1024)
        .set_id_provider(rpc::SubscriptionIds::default())
        .build();
    let faults = rpc::faults::Faults::default();
    let hook = faults.clone();
    let middleware = jsonrpsee::server::middleware::rpc::RpcServiceBuilder::new()
        .layer_fn(move |service| rpc::faults::FaultService { service, faults: hook.clone() });
    let server = Server::builder()
        .set_config(server_config)
        .set_rpc_middleware(middleware)
        .build(config.listen)
        .await
        .map_err(|source| DevnetError::Bind { addr: config.listen, source })?;
    let addr =
        server.local_addr().map_err(|source| DevnetError::Bind { addr: config.listen, source })?;
    let server = server.start(module);
    let producer = tokio::spawn(produce(chain.clone(), config.block_time));
    Ok(Devnet { addr, chain, wallet, faults, server, producer })
}

async fn produce(chain: Arc<Chain>, block_time: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + block_time, block_time);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        // Executing extrinsics and hashing the state is CPU work: off the async workers.
        let chain = chain.clone();
        if tokio::task::spawn_blocking(move || chain.produce()).await.is_err() {
            tracing::error!(target: "pylon::devnet", "producing a block failed");
        }
    }
}
