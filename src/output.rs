//! The only place that writes to stdout and stderr: stdout carries results, stderr diagnostics.
#![allow(clippy::disallowed_macros)]

use std::io::{self, Write};

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A human-readable table (the default on a terminal).
    Table,
    /// One JSON document.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// Writes one line of result to stdout and flushes it (a closed pipe ends the process with 0,
/// as a reader like `head` asked for no more).
pub fn result_line(line: &str) {
    let mut out = io::stdout().lock();
    let written = writeln!(out, "{line}").and_then(|_| out.flush());
    if written.is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe) {
        std::process::exit(0);
    }
}

/// Writes a diagnostic line to stderr.
pub fn note(line: &str) {
    eprintln!("{line}");
}

/// Writes a failure to stderr as one line.
pub fn error(message: &str) {
    eprintln!("error: {message}");
}
