//! `devnet_drandBeacon`: the one method a real node does not have. It tells clients (Pylon calls
//! it, and a real node's "Method not found" means quicknet) which drand network the devnet's own
//! beacon is, so commit-reveal commits can be encrypted to rounds the devnet will reveal. It is
//! not listed in `rpc_methods`.

use serde_json::{Value, json};

use super::Module;
use super::params::{Args, RpcResult, to_hex};

/// The method's name.
pub const METHOD: &str = "devnet_drandBeacon";

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method(METHOD, |p, chain, _| -> RpcResult<Value> {
        Args::new(&p, &[], 0)?;
        let drand = chain.drand();
        Ok(json!({
            "publicKey": to_hex(&drand.public_key),
            "genesisTime": drand.genesis,
            "period": drand.period,
        }))
    })?;
    Ok(())
}
