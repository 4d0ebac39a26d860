//! Pylon: a gateway and command-line tool for the Bittensor subtensor chain.
//!
//! - `pylon_devnet` (the `devnet` package of this workspace): a simulated subtensor node
//!   speaking the real JSON-RPC protocol, run by `pylon devnet` and `pylon serve --devnet`;
//! - [`cli`]: the `pylon` command line;
//! - [`network`]: network names and endpoints.

pub mod blocking;
pub mod chain;
pub mod cli;
pub mod config;
pub mod evm;
pub mod network;
pub mod output;
pub mod retry;
pub mod server;
pub mod ss58;
pub mod telemetry;
pub use pylon_timelock as timelock;
pub mod wallet;
pub mod weights;
pub mod writes;
