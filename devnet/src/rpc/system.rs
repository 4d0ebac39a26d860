//! `system_*`, `account_*` and `payment_*`: node information, nonces and fee estimates.

use serde_json::{Value, json};

use super::params::{Args, RpcResult, parse_account};
use super::{Module, api_error};

/// The node's libp2p identity (a devnet has no peers, but clients ask).
const PEER_ID: &str = "12D3KooWPyLonDevnetNodeNoPeersxxxxxxxxxxxxxxxxxxxxxx";

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    let fixed: [(&'static str, Value); 9] = [
        ("system_chain", json!("Pylon Devnet")),
        ("system_name", json!("pylon-devnet")),
        ("system_version", json!(env!("CARGO_PKG_VERSION"))),
        ("system_chainType", json!("Development")),
        (
            "system_properties",
            json!({ "ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO" }),
        ),
        ("system_health", json!({ "peers": 0, "isSyncing": false, "shouldHavePeers": false })),
        ("system_localPeerId", json!(PEER_ID)),
        ("system_peers", json!([])),
        ("system_nodeRoles", json!(["Authority"])),
    ];
    for (name, value) in fixed {
        m.register_method(name, move |p, _, _| -> RpcResult<Value> {
            Args::new(&p, &[], 0)?;
            Ok(value.clone())
        })?;
    }
    m.register_method("system_localListenAddresses", |p, _, _| -> RpcResult<Value> {
        Args::new(&p, &[], 0)?;
        Ok(json!([format!("/ip4/127.0.0.1/tcp/30333/p2p/{PEER_ID}")]))
    })?;
    m.register_method("system_syncState", |p, chain, _| -> RpcResult<Value> {
        Args::new(&p, &[], 0)?;
        let best = chain.best().number;
        Ok(json!({ "startingBlock": 0, "currentBlock": best, "highestBlock": best }))
    })?;
    m.register_method("system_accountNextIndex", |p, chain, _| -> RpcResult<u32> {
        let args = Args::new(&p, &["account"], 1)?;
        let address: String = args.req(0, "account")?;
        let account = parse_account(&address)?;
        Ok(chain.next_nonce(&account))
    })?;
    m.register_alias("account_nextIndex", "system_accountNextIndex")?;
    m.register_method("payment_queryInfo", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["encoded_xt", "at"], 1)?;
        let xt = args.bytes(0, "extrinsic")?.unwrap_or_default();
        chain.state_at(args.hash(1)?).map_err(api_error)?;
        let info = crate::fees::query_info(&xt).map_err(payment_error)?;
        Ok(json!({
            "weight": { "ref_time": info.weight.ref_time, "proof_size": info.weight.proof_size },
            "class": class_name(info.class),
            "partialFee": info.partial_fee.to_string(),
        }))
    })?;
    m.register_method("payment_queryFeeDetails", |p, chain, _| -> RpcResult<Value> {
        let args = Args::new(&p, &["encoded_xt", "at"], 1)?;
        let xt = args.bytes(0, "extrinsic")?.unwrap_or_default();
        chain.state_at(args.hash(1)?).map_err(api_error)?;
        let details = crate::fees::fee_details(&xt).map_err(payment_error)?;
        // A u64 balance serializes as a JSON number (`NumberOrHex::Number`); the tip is skipped.
        let inclusion = details.inclusion_fee.map(|f| {
            json!({
                "baseFee": f.base_fee,
                "lenFee": f.len_fee,
                "adjustedWeightFee": f.adjusted_weight_fee,
            })
        });
        Ok(json!({ "inclusionFee": inclusion }))
    })?;
    Ok(())
}

fn class_name(class: crate::mirror::frame_support::dispatch::DispatchClass) -> &'static str {
    use crate::mirror::frame_support::dispatch::DispatchClass::*;
    match class {
        Normal => "normal",
        Operational => "operational",
        Mandatory => "mandatory",
    }
}

/// `pallet-transaction-payment-rpc`'s error for an extrinsic it cannot evaluate.
fn payment_error(e: crate::fees::FeeError) -> jsonrpsee::types::ErrorObjectOwned {
    jsonrpsee::types::ErrorObject::owned(1, "Unable to query dispatch info.", Some(e.to_string()))
}
