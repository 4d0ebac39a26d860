//! Pylon: a gateway and command-line tool for the Bittensor subtensor chain.
//!
//! - [`devnet`]: a simulated subtensor node speaking the real JSON-RPC protocol;
//! - [`cli`]: the `pylon` command line;
//! - [`network`]: network names and endpoints.

pub mod chain;
pub mod cli;
pub mod config;
pub mod devnet;
pub mod network;
pub mod output;
pub mod retry;
pub mod server;
pub mod ss58;
pub mod telemetry;
pub mod timelock;
pub mod wallet;
pub mod weights;
pub mod writes;
