//! Logging: tracing to stderr, filtered by `PYLON_LOG` (default `warn` for commands, `info`
//! for the server).

use tracing_subscriber::EnvFilter;

/// Installs the stderr subscriber; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env("PYLON_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Installs the server's subscriber: JSON lines by default, human-readable with `debug`
/// (`PYLON_DEBUG=true`), filtered by `PYLON_LOG` (default `info`).
pub fn init_server(debug: bool) {
    let filter = EnvFilter::try_from_env("PYLON_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if debug {
        builder.try_init()
    } else {
        builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init()
    };
}

/// Starts Sentry when a DSN is configured (nothing is sent otherwise); keep the guard alive for
/// as long as events should be delivered. Panics are reported by the panic integration.
pub fn init_sentry(dsn: &str, environment: &str) -> Option<sentry::ClientInitGuard> {
    if dsn.is_empty() {
        return None;
    }
    let options = sentry::ClientOptions::new()
        .dsn(dsn)
        .environment(environment.to_string())
        .release(concat!("pylon@", env!("CARGO_PKG_VERSION")));
    Some(sentry::init(options))
}
