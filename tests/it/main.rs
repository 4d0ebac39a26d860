//! Integration tests: one binary, one module per topic.

mod cli;
mod common;
mod conformance;
mod rpc;
mod subxt_client;
