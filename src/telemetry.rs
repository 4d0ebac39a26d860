//! Logging: tracing to stderr, filtered by `PYLON_LOG` (default `warn` for commands, `info`
//! for the server).

use tracing_subscriber::EnvFilter;

const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "off"];

/// The filter `PYLON_LOG` describes (`default` when unset), or an error naming the bad value:
/// each comma-separated part is a level or `target=level` (a bare word that is not a level
/// would silence everything else, so it is refused).
pub fn filter(default: &str) -> Result<EnvFilter, String> {
    let text = match std::env::var("PYLON_LOG") {
        Ok(t) if !t.trim().is_empty() => t,
        _ => return Ok(EnvFilter::new(default)),
    };
    let bad = |why: String| {
        format!(
            "PYLON_LOG: invalid value {text:?}: {why} (expected a level — {} — or \
             target=level, comma-separated)",
            LEVELS.join(", ")
        )
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !part.contains('=') && !LEVELS.contains(&part.to_ascii_lowercase().as_str()) {
            return Err(bad(format!("{part:?} is not a level")));
        }
    }
    EnvFilter::try_new(&text).map_err(|e| bad(e.to_string()))
}

/// Installs the stderr subscriber; later calls do nothing.
pub fn init() -> Result<(), String> {
    let filter = filter("warn")?;
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    Ok(())
}

/// Installs the server's subscriber: JSON lines by default, human-readable with `debug`
/// (`PYLON_DEBUG=true`), filtered by `PYLON_LOG` (default `info`).
pub fn init_server(debug: bool) -> Result<(), String> {
    let filter = filter("info")?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if debug {
        builder.try_init()
    } else {
        builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init()
    };
    Ok(())
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
