//! The `pylon` binary: parse, load settings, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use pylon::cli::{self, Cli};
use pylon::{output, telemetry};

/// jemalloc returns the pages of freed cache bodies; glibc malloc let them fragment.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings (its `malloc_conf`; `_RJEM_MALLOC_CONF` in the environment still wins):
/// freed pages go back to the system after 1 s instead of 10 s. The gateway replaces large
/// cached answers at megabytes per second; with the default decay, ten seconds of them stayed
/// resident (`bench/soak.sh`: RSS plateau 105 MB, 85 MB with this).
#[cfg(not(target_env = "msvc"))]
#[allow(unsafe_code)]
// SAFETY: jemalloc reads this symbol once, as a NUL-terminated C string it never writes.
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &[u8; 37] = b"dirty_decay_ms:1000,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    if let Err(e) = cli::env_file::load(&args) {
        output::error(&e);
        return ExitCode::from(2);
    }
    let cli = Cli::parse_from(args);
    // The server's configuration, logging and Sentry are set up before the runtime starts.
    let mut server = None;
    let mut _sentry = None;
    let logging = if let cli::Command::Serve(args) = &cli.command {
        let config = cli::serve::load_config().and_then(|mut config| {
            cli.global.apply_to_server(&mut config)?;
            Ok(config)
        });
        match config {
            Ok(config) => {
                let logging = telemetry::init_server(config.debug);
                _sentry = telemetry::init_sentry(&config.sentry_dsn, &config.sentry_environment);
                server = Some((config, args.clone()));
                logging
            }
            Err(e) => {
                output::error(&e.to_string());
                return ExitCode::from(e.exit_code());
            }
        }
    } else {
        telemetry::init()
    };
    if let Err(e) = logging {
        output::error(&e);
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            output::error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    let outcome = match server {
        Some((config, args)) => runtime.block_on(cli::serve::run(config, args)),
        None => runtime.block_on(cli::run(cli)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(&format!("{e:#}"));
            ExitCode::from(e.exit_code())
        }
    }
}
