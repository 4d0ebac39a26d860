//! Integration tests: one binary, one module per topic.

mod common;
mod conformance;
mod subxt_client;
