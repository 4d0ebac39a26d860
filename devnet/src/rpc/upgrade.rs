//! `devnet_upgradeRuntime(specVersion)`: enacts a runtime upgrade in the next block, as
//! `sudo(System.set_code)` would on a real chain, so clients can be tested across one. Like
//! `devnet_drandBeacon` it is callable but not listed in `rpc_methods`.

use serde_json::{Value, json};

use super::Module;
use super::params::{Args, RpcResult, invalid_params};

/// The method's name.
pub const METHOD: &str = "devnet_upgradeRuntime";

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method(METHOD, |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["spec_version"], 1)?;
        let spec_version: u32 = args.req(0, "spec version")?;
        chain.upgrade_runtime(spec_version).map_err(|e| invalid_params(e.to_string()))?;
        Ok(json!({ "specVersion": spec_version }))
    })?;
    Ok(())
}
