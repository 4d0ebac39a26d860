//! `pylon serve`: validates the configuration, binds the listener and serves until SIGINT or
//! SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use super::CliError;
use crate::config::ServerConfig;
use crate::server::{AppState, serve_on};

/// The validated configuration, or a usage error naming the bad variable (exit 2).
pub fn load_config() -> Result<ServerConfig, CliError> {
    ServerConfig::from_env().map_err(|e| CliError::Usage(format!("configuration error: {e}")))
}

/// Runs the gateway with `config` (logging and Sentry are set up by `main`).
pub async fn run(config: ServerConfig) -> Result<(), CliError> {
    let addr = SocketAddr::new(config.host, config.port);
    let state = Arc::new(AppState::new(config).context("cannot register metrics")?);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(%addr, network = state.chain.main().url(), "pylon serving");
    serve_on(listener, state, super::shutdown_signal()).await.context("server failed")?;
    Ok(())
}
