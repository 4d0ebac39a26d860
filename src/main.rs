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
    if !matches!(cli.command, cli::Command::Serve) {
        telemetry::init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            output::error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(&format!("{e:#}"));
            ExitCode::from(e.exit_code())
        }
    }
}
