//! The `pylon` binary: parse, load settings, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use pylon::cli::{self, Cli};
use pylon::{output, telemetry};

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
    if let cli::Command::Serve(args) = &cli.command {
        match cli::serve::load_config() {
            Ok(config) => {
                telemetry::init_server(config.debug);
                _sentry = telemetry::init_sentry(&config.sentry_dsn, &config.sentry_environment);
                server = Some((config, args.clone()));
            }
            Err(e) => {
                output::error(&e.to_string());
                return ExitCode::from(e.exit_code());
            }
        }
    } else {
        telemetry::init();
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
