//! Pylon: a gateway and command-line tool for the Bittensor subtensor chain.

pub mod devnet;
