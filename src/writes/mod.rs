//! Writes to the chain, shared by the CLI and the gateway: signing and submission with a local
//! nonce per hotkey ([`submit`]), the calls Pylon makes ([`calls`]), weight vectors resolved
//! against a subnet ([`plan`]) and the gateway's weight jobs' epoch rule ([`epoch`]).

pub mod calls;
pub mod commit;
pub mod crv4;
pub mod epoch;
pub mod plan;
pub mod submit;

pub use submit::{Included, Submitter, WriteError};
