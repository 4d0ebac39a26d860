//! `pylon devnet`: a simulated subtensor node that speaks the real JSON-RPC protocol.

pub mod conformance;
pub mod metadata;
pub mod mirror;
