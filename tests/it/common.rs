//! Shared test harness: in-process devnets on free ports.

use std::time::Duration;

use std::sync::Arc;

use pylon::config::ServerConfig;
use pylon::server::{AppState, serve_on};
use pylon_devnet::{self, Devnet, DevnetConfig};

/// Starts a devnet on a free loopback port with fast blocks.
pub async fn devnet(block_time_ms: u64, configure: impl FnOnce(&mut DevnetConfig)) -> Devnet {
    let mut config = DevnetConfig {
        listen: "127.0.0.1:0".parse().expect("valid address"),
        block_time: Duration::from_millis(block_time_ms),
        ..DevnetConfig::default()
    };
    configure(&mut config);
    pylon_devnet::start(config).await.expect("devnet starts")
}

/// A devnet (100 ms blocks, past block 3) that wrote its validators' wallet into a temporary
/// directory, and that directory as text.
pub async fn devnet_with_wallet() -> (tempfile::TempDir, Devnet, String) {
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    wait_for_block(&net, 3).await;
    let wallet = dir.path().to_str().expect("utf-8").to_string();
    (dir, net, wallet)
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
    pylon_cached(url, args, None).await
}

/// [`pylon`] with its runtime metadata cache under `cache` (`XDG_CACHE_HOME`) when given.
pub async fn pylon_cached(
    url: &str,
    args: Vec<String>,
    cache: Option<&std::path::Path>,
) -> std::process::Output {
    let (url, cache) = (url.to_string(), cache.map(std::path::Path::to_path_buf));
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"));
        if let Some(dir) = cache {
            command.env("XDG_CACHE_HOME", dir);
        }
        command
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

/// A gateway served in-process; dropping it shuts it down.
pub struct Gateway {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    _db: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Gateway {
    /// The gateway's job database.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._db.path().join("pylon.db")
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves a gateway for `net` with `PYLON_*` settings `vars` on a free port.
pub async fn gateway(net: &Devnet, vars: &[(&str, &str)]) -> Gateway {
    let db = tempfile::tempdir().expect("database dir");
    let mut all = vec![
        ("PYLON_BITTENSOR_NETWORK".to_string(), net.url()),
        ("PYLON_DATABASE_PATH".to_string(), db.path().join("pylon.db").display().to_string()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = ServerConfig::from_vars(all).expect("valid configuration");
    let state = Arc::new(AppState::new(config).expect("state"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(serve_on(listener, state, async {
        let _ = rx.await;
    }));
    Gateway { base, _db: db, shutdown: Some(tx) }
}

impl Gateway {
    /// `GET /metrics` with `token`, as text.
    pub async fn metrics(&self, token: &str) -> String {
        let resp = reqwest::Client::new()
            .get(format!("{}/metrics", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("metrics");
        resp.text().await.expect("text")
    }
}

/// `PUT {base}/api/v1/identity/{identity}/subnet/{netuid}/weights` with `weights` and bearer
/// `token`; fails the test, showing the answer, unless it is 200.
pub async fn put_weights(
    base: &str,
    identity: &str,
    token: &str,
    netuid: u16,
    weights: &serde_json::Map<String, serde_json::Value>,
) {
    let resp = reqwest::Client::new()
        .put(format!("{base}/api/v1/identity/{identity}/subnet/{netuid}/weights"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "weights": weights }))
        .send()
        .await
        .expect("PUT weights");
    let status = resp.status();
    assert_eq!(status, 200, "PUT weights: {}", resp.text().await.unwrap_or_default());
}

/// A free loopback port (bound once and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("local address")
        .port()
}

/// The real `pylon serve` binary on 127.0.0.1:`port`, run in `dir` (no `.env` is read), killed
/// when dropped; stdout and stderr are discarded unless the caller pipes them.
pub fn serve_command(dir: &std::path::Path, port: u16) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(assert_cmd::cargo::cargo_bin("pylon"));
    cmd.arg("serve")
        .current_dir(dir)
        .env("PYLON_HOST", "127.0.0.1")
        .env("PYLON_PORT", port.to_string())
        .env_remove("PYLON_ENV_FILE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    cmd
}

/// Waits until a server at `base` answers `/health`.
pub async fn wait_up(base: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while reqwest::get(format!("{base}/health")).await.is_err() {
        assert!(tokio::time::Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The uid of the first neuron with a validator permit on `netuid` at the best block.
pub fn validator(net: &Devnet, netuid: u16) -> u16 {
    net.chain.best().world.subnets[&netuid]
        .neurons
        .iter()
        .find(|n| n.validator_permit)
        .expect("a validator")
        .uid
}

/// Called when an outside prerequisite of a test (reference data, a third-party client) is
/// missing: under CI (`CI=true`) the test fails naming it; elsewhere it may skip.
pub fn require_outside_prerequisite(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true and a test prerequisite is missing: {what}"
    );
}

/// The test PostgreSQL server: `PYLON_TEST_DATABASE_URL`, else the private cluster
/// `.ci/postgres.sh` starts (once per test process; it installs Debian's postgresql if needed).
fn postgres_server() -> Option<String> {
    static SERVER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Ok(url) = std::env::var("PYLON_TEST_DATABASE_URL") {
                return Some(url);
            }
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres.sh");
            let out = std::process::Command::new(script).output().ok()?;
            let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (out.status.success() && url.starts_with("postgres://")).then_some(url)
        })
        .clone()
}

/// A fresh, empty PostgreSQL database on the test server ([`postgres_server`]), as a URL;
/// `None` (a skip, a failure under CI) when there is no server.
pub async fn postgres_database() -> Option<String> {
    let Some(server) = tokio::task::spawn_blocking(postgres_server).await.expect("joined") else {
        require_outside_prerequisite("a PostgreSQL server (.ci/postgres.sh could not start one)");
        return None;
    };
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!("pylon_test_{}_{n}_{nanos}", std::process::id());
    let (client, connection) =
        tokio_postgres::connect(&server, tokio_postgres::NoTls).await.expect("the test PostgreSQL");
    tokio::spawn(connection);
    // Databases of test processes that are gone are dropped (their names start with the pid).
    let rows = client
        .query("SELECT datname FROM pg_database WHERE datname LIKE 'pylon_test_%'", &[])
        .await
        .expect("list databases");
    for old in rows.iter().map(|r| r.get::<_, String>(0)) {
        let pid = old.trim_start_matches("pylon_test_").split('_').next().unwrap_or_default();
        if !pid.is_empty() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {old}")).await;
        }
    }
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create database");
    let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}
