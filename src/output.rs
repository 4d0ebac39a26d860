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
    eprintln!("error: {}", destutter(message));
}

/// A `: `-joined error chain without a part repeated right after itself (libraries that put
/// their cause in their own message and also return it as the source say it twice).
pub fn destutter(message: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in message.split(": ") {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_causes_are_said_once() {
        assert_eq!(
            super::destutter("RPC error: RPC error: client error: boom"),
            "RPC error: client error: boom"
        );
        assert_eq!(
            super::destutter(
                "cannot listen on 0.0.0.0:8000: Address already in use (os error 98): Address already in use (os error 98)"
            ),
            "cannot listen on 0.0.0.0:8000: Address already in use (os error 98)"
        );
        assert_eq!(super::destutter("a: b: a"), "a: b: a");
    }
}
