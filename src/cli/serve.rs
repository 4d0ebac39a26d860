//! `pylon serve`: validates the configuration, binds the listener and serves until SIGINT or
//! SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use super::CliError;
use crate::config::ServerConfig;
use crate::server::{AppState, serve_on};

/// Options of `pylon serve` (everything else comes from `PYLON_*` variables).
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// Start a local devnet in the same process and serve it, ignoring PYLON_BITTENSOR_NETWORK:
    /// the quickest way to try the gateway.
    #[arg(long)]
    pub devnet: bool,
}

/// The validated configuration, or a usage error naming the bad variable (exit 2).
pub fn load_config() -> Result<ServerConfig, CliError> {
    ServerConfig::from_env().map_err(|e| CliError::Usage(format!("configuration error: {e}")))
}

/// What must hold before the gateway starts, else a usage error that names it: the job
/// database's folder exists, and every identity's hotkey file is readable (else every write of
/// that identity would fail; the error names the identity and the file, never a key).
fn check_files(config: &ServerConfig) -> Result<(), CliError> {
    let db = std::path::Path::new(&config.database_path);
    if let Some(folder) = db.parent().filter(|f| !f.as_os_str().is_empty() && !f.is_dir()) {
        return Err(CliError::Usage(format!(
            "PYLON_DATABASE_PATH={}: the folder {} does not exist",
            config.database_path,
            folder.display()
        )));
    }
    let path = std::path::Path::new(&config.wallet_path);
    for identity in config.identities.values() {
        crate::wallet::load_hotkey(path, &identity.wallet_name, &identity.hotkey_name).map_err(
            |e| {
                CliError::Usage(format!(
                    "identity {:?} (PYLON_ID_{}_WALLET_NAME/_HOTKEY_NAME): {e}",
                    identity.name,
                    identity.name.to_ascii_uppercase().replace('-', "_")
                ))
            },
        )?;
    }
    Ok(())
}

/// Runs the gateway with `config` (logging and Sentry are set up by `main`).
pub async fn run(mut config: ServerConfig, args: ServeArgs) -> Result<(), CliError> {
    let _devnet = if args.devnet {
        let net = pylon_devnet::start(pylon_devnet::DevnetConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..Default::default()
        })
        .await
        .context("cannot start the devnet")?;
        tracing::info!(url = %net.url(), "serving an in-process devnet");
        config.network = crate::network::Network::Url(net.url());
        config.archive_network = config.network.clone();
        config.drand = Some(net.chain.drand().clone());
        Some(net)
    } else {
        None
    };
    check_files(&config)?;
    let addr = SocketAddr::new(config.host, config.port);
    let state = Arc::new(AppState::new(config).map_err(|e| {
        if e.downcast_ref::<crate::server::jobs::StoreInUse>().is_some() {
            CliError::Usage(e.to_string())
        } else {
            CliError::Runtime(e)
        }
    })?);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(%addr, network = state.chain.main().url(), "pylon serving");
    let shutdown = async {
        super::shutdown_signal().await;
        tracing::info!("shutting down: finishing the requests in flight");
    };
    serve_on(listener, state, shutdown).await.context("server failed")?;
    tracing::info!("pylon stopped");
    Ok(())
}
