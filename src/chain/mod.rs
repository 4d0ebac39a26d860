//! Chain access shared by the CLI and the server: connections to the main and archive nodes
//! (subxt, dynamic API, metadata from the node), archive routing, retries, and typed reads.

pub mod blocks;
pub mod client;
pub mod commit_reveal;
pub mod commitments;
pub mod error;
pub mod extrinsic;
pub mod failover;
pub mod lineage;
pub mod node;
pub mod reads;
pub mod rpc;
pub mod runtime;
pub mod scale_json;
pub mod signer;
pub mod types;

pub use client::{BlockAt, ChainClient, ChainConfig};
pub use error::ChainError;
