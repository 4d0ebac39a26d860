//! `devnet_upgradeRuntime(specVersion, runtime?)`: enacts a runtime upgrade in the next block, as
//! `sudo(System.set_code)` would on a real chain, so clients can be tested across one; `runtime`
//! (`current` or `spec393`, as `--runtime`) switches the APIs and metadata too. Like
//! `devnet_drandBeacon` it is callable but not listed in `rpc_methods`.

use serde_json::{Value, json};

use clap::ValueEnum as _;

use super::Module;
use super::params::{Args, RpcResult, invalid_params};
use crate::metadata::RuntimeFlavor;

/// The method's name.
pub const METHOD: &str = "devnet_upgradeRuntime";

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_method(METHOD, |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["spec_version", "runtime"], 1)?;
        let spec_version: u32 = args.req(0, "spec version")?;
        let flavor = match args.opt::<String>(1, "runtime")? {
            None => None,
            Some(name) => Some(RuntimeFlavor::from_str(&name, true).map_err(|_| {
                invalid_params(format!("unknown runtime {name:?}: expected current or spec393"))
            })?),
        };
        chain.upgrade_runtime(spec_version, flavor).map_err(|e| invalid_params(e.to_string()))?;
        Ok(json!({ "specVersion": spec_version }))
    })?;
    Ok(())
}
