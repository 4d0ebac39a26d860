//! Logging: tracing to stderr, filtered by `PYLON_LOG` (default `warn`).

use tracing_subscriber::EnvFilter;

/// Installs the stderr subscriber; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env("PYLON_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
