//! `pylon serve`: the HTTP gateway, wire-compatible with the Python Pylon service.
//!
//! [`router`] builds the routes over an [`AppState`]; [`serve_on`] runs them on a listener until
//! a shutdown future resolves (tests bind port 0); [`serve`] does both from a [`ServerConfig`].

pub mod auth;
pub mod block_routes;
pub mod body;
pub mod cache;
pub mod encoding;
pub mod envelope;
pub mod error;
pub mod evm_routes;
pub mod jobs;
pub mod listener;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod recent;
pub mod routes;
pub mod shapes;
pub mod table;
pub mod timeout;
pub mod warm;
pub mod writes;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::chain::{ChainClient, ChainConfig};
use crate::config::ServerConfig;
use error::ApiError;

/// A short-lived cached response body (the latest block, for 3 s), of one chain generation.
pub struct Ttl {
    ttl: Duration,
    slot: Mutex<Option<(Instant, u64, Vec<u8>)>>,
}

impl Ttl {
    fn new(ttl: Duration) -> Self {
        Self { ttl, slot: Mutex::new(None) }
    }

    fn get(&self, generation: u64) -> Option<Vec<u8>> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, g, _)| at.elapsed() < self.ttl && *g == generation)
            .map(|(_, _, body)| body.clone())
    }

    fn put(&self, generation: u64, body: Vec<u8>) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), generation, body));
    }
}

/// A `latest` answer's identity without its block: (route, netuid, item, chain generation).
type LatestKey = (&'static str, u16, Option<[u8; 32]>, u64);

/// What every handler shares.
pub struct AppState {
    /// The configuration.
    pub config: ServerConfig,
    /// The chain client.
    pub chain: ChainClient,
    /// Prometheus metrics.
    pub metrics: metrics::Metrics,
    /// Answers at finalized blocks.
    pub cache: cache::ResponseCache,
    /// Recent neurons of the configured subnets.
    pub recent: recent::RecentNeurons,
    /// Weights jobs.
    pub jobs: jobs::Jobs,
    /// The EVM nodes of log queries.
    pub evm: crate::evm::EvmClient,
    signers: Mutex<std::collections::HashMap<String, Arc<crate::writes::Submitter>>>,
    public_keys: Mutex<std::collections::HashMap<String, [u8; 32]>>,
    writes: Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    latest_block: Ttl,
    head_tx: tokio::sync::watch::Sender<Option<crate::chain::client::Head>>,
    head: tokio::sync::watch::Receiver<Option<crate::chain::client::Head>>,
    drand: tokio::sync::OnceCell<crate::timelock::Drand>,
    seen_generation: std::sync::atomic::AtomicU64,
    known_subnets: Mutex<std::collections::HashSet<u16>>,
    /// The head block of the newest `latest` answer of each (route, netuid, item, generation).
    latest_blocks: Mutex<std::collections::HashMap<LatestKey, u64>>,
    /// The `latest` answers kept warm across new heads.
    warm: warm::Warm,
}

impl AppState {
    /// State for `config`, with a chain client for its networks and the job database open.
    pub fn new(config: ServerConfig) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let metrics = metrics::Metrics::new().context("cannot register metrics")?;
        let jobs = jobs::Jobs::open(
            std::path::Path::new(&config.database_path),
            config.database_url.as_deref(),
            (config.lease_ttl, config.lease_renew),
        )?;
        let fallback = metrics.fallback.clone();
        let chain = ChainClient::new(&ChainConfig {
            archive: config.archive_network.clone(),
            archive_cutoff: config.archive_blocks_cutoff,
            ..ChainConfig::new(config.network.clone())
        })
        .with_fallback_hook(Box::new(move |reason| {
            fallback.with_label_values(&[reason, "read", "N/A"]).inc();
        }));
        let changes = metrics.chain_changes.clone();
        chain.lineage().on_swap(Box::new(move |_, _| changes.inc()));
        let (head_tx, head) = tokio::sync::watch::channel(None);
        Ok(Self {
            cache: cache::ResponseCache::new(config.cache_max_bytes),
            recent: recent::RecentNeurons::default(),
            jobs,
            evm: crate::evm::EvmClient::new(&config.evm),
            signers: Mutex::default(),
            public_keys: Mutex::default(),
            writes: Mutex::default(),
            config,
            chain,
            metrics,
            latest_block: Ttl::new(Duration::from_secs(3)),
            head_tx,
            head,
            drand: tokio::sync::OnceCell::new(),
            seen_generation: std::sync::atomic::AtomicU64::new(0),
            known_subnets: Mutex::default(),
            latest_blocks: Mutex::default(),
            warm: warm::Warm::default(),
        })
    }

    /// How long without a new finalized head before the subscription is opened again and
    /// `/health` says so: three block times, at least 2 s.
    pub fn head_stall(&self) -> Duration {
        self.config.block_duration.saturating_mul(3).max(Duration::from_secs(2))
    }

    /// The chain generation answers belong to; on a change (the main node moved to another
    /// chain) the answers of the old one are dropped and recent neurons refreshed.
    pub fn generation(&self) -> u64 {
        let current = self.chain.lineage().generation();
        let seen = self.seen_generation.swap(current, std::sync::atomic::Ordering::SeqCst);
        if seen != current {
            self.cache.clear();
            self.recent.wake();
        }
        current
    }
}

impl AppState {
    /// The drand network commit-reveal commits are encrypted to: `PYLON_DRAND_*` when set, else
    /// the node's own beacon when it is a `pylon devnet`, else quicknet. Asked of the node once.
    pub async fn drand(&self) -> Result<crate::timelock::Drand, crate::chain::ChainError> {
        self.drand
            .get_or_try_init(|| {
                crate::chain::commit_reveal::resolve_drand(
                    self.config.drand.as_ref(),
                    self.chain.main(),
                )
            })
            .await
            .cloned()
    }

    /// Taken for the whole of an identity's synchronous write (submission, finalization, read
    /// back), so two concurrent commitment or certificate requests of one identity take turns
    /// instead of reading back each other's value.
    pub async fn write_turn(&self, name: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.writes.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(name.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }

    /// The identity's signer (its wallet hotkey, loaded once and shared, so all its writes
    /// draw nonces from one counter); the wallet file is read off the async workers.
    pub async fn submitter(&self, name: &str) -> Result<Arc<crate::writes::Submitter>, ApiError> {
        let signers = || self.signers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = signers().get(name) {
            return Ok(s.clone());
        }
        let identity = self.config.identities.get(name).ok_or_else(ApiError::not_found)?;
        let path = std::path::PathBuf::from(&self.config.wallet_path);
        let (wallet, hotkey) = (identity.wallet_name.clone(), identity.hotkey_name.clone());
        let loaded = crate::blocking::off_workers(move || {
            crate::wallet::load_hotkey(&path, &wallet, &hotkey)
        })
        .await;
        let pair = loaded.map_err(|e| {
            tracing::error!(identity = %name, error = %e, "cannot load the identity's hotkey");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Cannot read the hotkey of identity '{name}'."),
            )
        })?;
        // Two first requests may both have loaded it: the first one stored is everyone's.
        let new = || {
            let signer = crate::chain::signer::HotkeySigner::new(pair);
            Arc::new(crate::writes::Submitter::new(signer))
        };
        Ok(signers().entry(name.to_string()).or_insert_with(new).clone())
    }

    /// The identity's hotkey, read from its wallet's public key once (like its signer, off the
    /// async workers), not from disk on every `/self` request.
    pub async fn identity_key(&self, name: &str) -> Result<[u8; 32], ApiError> {
        let lock = || self.public_keys.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = lock().get(name) {
            return Ok(*key);
        }
        let identity = self.config.identities.get(name).ok_or_else(ApiError::not_found)?;
        let path = std::path::PathBuf::from(&self.config.wallet_path);
        let (wallet, hotkey) = (identity.wallet_name.clone(), identity.hotkey_name.clone());
        let read = crate::blocking::off_workers(move || {
            crate::wallet::hotkey_public(&path, &wallet, &hotkey)
        })
        .await;
        let key = read.map_err(|e| {
            tracing::error!(identity = %name, error = %e, "cannot read the identity's hotkey");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Cannot read the hotkey of identity '{name}'."),
            )
        })?;
        lock().insert(name.to_string(), key);
        Ok(key)
    }
}

/// Every route of [`table::routes`], each scope behind its guard, with auth, timeouts and
/// metrics.
pub fn router(state: Arc<AppState>) -> Router {
    let routes = table::routes();
    let mut app = Router::new();
    for scope in table::Scope::ALL {
        let mut scoped = Router::new();
        for route in routes.iter().filter(|r| r.scopes.contains(&scope)) {
            scoped = scoped.route(route.path, (route.handler)());
        }
        // Typed path parameters are checked first, by the guard itself (one layer per
        // request, not two): a mismatch is 404 before any auth.
        scoped = match scope.guard() {
            table::Guard::OpenAccess => {
                scoped.route_layer(from_fn_with_state(state.clone(), auth::open_access))
            }
            table::Guard::Identity => {
                scoped.route_layer(from_fn_with_state(state.clone(), auth::identity))
            }
            table::Guard::Public | table::Guard::Metrics => {
                scoped.route_layer(axum::middleware::from_fn(params::typed_first))
            }
        };
        app = match scope.prefix() {
            "" => app.merge(scoped),
            prefix => app.nest(prefix, scoped),
        };
    }
    let document = openapi::document();
    let yaml = openapi::yaml(&document);
    app.route(
        "/schema/openapi.yaml",
        get(
            move || async move { ([(axum::http::header::CONTENT_TYPE, "application/yaml")], yaml) },
        ),
    )
    .merge(
        utoipa_swagger_ui::SwaggerUi::new("/schema/swagger").url("/schema/openapi.json", document),
    )
    .layer(axum::extract::DefaultBodyLimit::max(body::MAX_BODY_BYTES))
    .route_layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panicked))
    .route_layer(from_fn_with_state(state.clone(), envelope::around))
    .fallback(|| async { ApiError::not_found() })
    .method_not_allowed_fallback(|| async {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    })
    .with_state(state)
}

/// Answers `request` with `app`, giving it an id that is logged with every line about it and
/// returned as `x-request-id`. The listener calls it for every request (also those no route
/// matches); a router layer for it cost a service clone and a boxed future per request.
pub async fn identified(app: Router, request: axum::extract::Request) -> axum::response::Response {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tower::ServiceExt;
    use tracing::Instrument;
    static NEXT: AtomicU64 = AtomicU64::new(1);
    // The process id is read once: `std::process::id` is a system call each time.
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let pid = *PID.get_or_init(std::process::id);
    let id = format!("{pid:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path());
    let run = error::REQUEST_ID.scope(id.clone(), app.oneshot(request));
    let Ok(mut response) = run.instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), "request done"));
    if let Ok(value) = axum::http::HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// How long shutdown waits for weights submissions that are out (finalization takes a few
/// blocks); jobs that are only waiting stop at once.
const JOBS_DRAIN: Duration = Duration::from_secs(30);

/// Serves `state` on `listener` until `shutdown` resolves.
pub async fn serve_on(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if state.config.open_access_token.is_empty() {
        tracing::warn!("PYLON_OPEN_ACCESS_TOKEN is empty: open-access endpoints need no token");
    }
    // The finalized head is followed by subscription, not asked for on every request.
    let follower = {
        let state = state.clone();
        let stall = state.head_stall();
        tokio::spawn(async move { state.chain.follow_finalized(&state.head_tx, stall).await })
    };
    // Endpoints of a node with several are checked twice a second (failover within ~1.5 s).
    let watcher = {
        let state = state.clone();
        tokio::spawn(async move { state.chain.watch_endpoints(Duration::from_millis(500)).await })
    };
    let refresher = tokio::spawn(recent::RecentNeurons::run(state.clone()));
    let warmer = tokio::spawn(warm::Warm::run(state.clone()));
    state.jobs.store.prepare().await.map_err(std::io::Error::other)?;
    let leader = state.jobs.store.is_shared().then(|| tokio::spawn(jobs::lead::run(state.clone())));
    match jobs::resume(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "resumed weights jobs"),
        Err(e) => tracing::error!(error = %e, "cannot resume weights jobs"),
    }
    let limits = listener::Limits {
        max_connections: state
            .config
            .max_connections
            .unwrap_or_else(listener::default_max_connections),
        idle: state.config.idle_timeout,
        header_read: state.config.header_read_timeout,
        drain: Duration::from_secs(30),
    };
    tracing::info!(max_connections = limits.max_connections, "accepting connections");
    // Jobs stop when shutdown starts, while requests in flight finish.
    let jobs = state.clone();
    let shutdown = async move {
        shutdown.await;
        jobs.jobs.stop();
    };
    let served = listener::serve(listener, router(state.clone()), limits, shutdown).await;
    let drained = state.jobs.shutdown(JOBS_DRAIN).await;
    if let Some(leader) = leader {
        leader.abort();
    }
    if !drained {
        tracing::warn!(
            seconds = JOBS_DRAIN.as_secs(),
            "a weights submission was still waiting for finalization at shutdown; its job \
             resumes at the next start and finds it on chain instead of sending it again"
        );
    } else if let Err(e) = state.jobs.store.release(&state.jobs.holder).await {
        // With nothing in flight, another replica may lead at once (a rolling restart).
        tracing::warn!(error = %e, "cannot release this replica's leases; they expire by themselves");
    }
    follower.abort();
    watcher.abort();
    refresher.abort();
    warmer.abort();
    served
}
