//! Dispatch weights and fees as subtensor computes them: each call's benchmarked weight, class
//! and `Pays`, the transaction extensions' weights, and `pallet-transaction-payment`'s fee
//! (ref time at 0.0005 rao per unit, one rao per byte, a constant multiplier of one). Every
//! call the devnet executes is `Pays::No` on finney, so its fee is zero.
//!
//! Sources: subtensor `main` at 14bc6f9 (spec 425): `pallets/subtensor/src/weights.rs`,
//! `macros/dispatches.rs`, `pallets/commitments`, `pallets/transaction-fee`, `runtime/src/lib.rs`;
//! polkadot-sdk's `RocksDbWeight`, `ExtrinsicBaseWeight` and frame-system extension weights.

use crate::mirror::frame_support::dispatch::{DispatchClass, Pays};
use crate::mirror::node_subtensor_runtime::RuntimeCall;
use crate::mirror::pallet_commitments::pallet::Call as CommitmentsCall;
use crate::mirror::pallet_subtensor::pallet::Call as SubtensorCall;
use crate::mirror::pallet_transaction_payment::types::{
    FeeDetails, InclusionFee, RuntimeDispatchInfo,
};
use crate::mirror::sp_weights::weight_v2::Weight;
use crate::pool::PoolError;

/// `RocksDbWeight`: one read.
const READ: u64 = 25_000_000;
/// `RocksDbWeight`: one write.
const WRITE: u64 = 100_000_000;
/// `ExtrinsicBaseWeight`: what every extrinsic costs before its call.
pub const BASE_EXTRINSIC: Weight = Weight { ref_time: 107_074_000, proof_size: 0 };
/// The largest block weight's ref time (4 s of compute).
const MAX_BLOCK_REF_TIME: u64 = 4_000_000_000_000;

/// Why fees cannot be computed for some bytes.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FeeError(String);

fn w(ref_time: u64, proof_size: u64, reads: u64, writes: u64) -> Weight {
    Weight { ref_time: ref_time + reads * READ + writes * WRITE, proof_size }
}

fn add(a: Weight, b: Weight) -> Weight {
    Weight {
        ref_time: a.ref_time.saturating_add(b.ref_time),
        proof_size: a.proof_size.saturating_add(b.proof_size),
    }
}

/// A call's declared weight, class and whether it pays a fee.
pub fn call_info(call: &RuntimeCall) -> (Weight, DispatchClass, Pays) {
    use DispatchClass::{Mandatory, Normal};
    let free = |weight| (weight, Normal, Pays::No);
    match call {
        RuntimeCall::SubtensorModule(c) => match c {
            SubtensorCall::set_weights { .. } => free(w(15_513_610_000, 10_327_410, 4112, 2)),
            SubtensorCall::set_mechanism_weights { .. } => free(w(15_540_000_000, 0, 4111, 2)),
            SubtensorCall::commit_weights { .. }
            | SubtensorCall::commit_mechanism_weights { .. } => free(w(69_049_000, 4714, 13, 2)),
            SubtensorCall::commit_timelocked_weights { .. } => free(w(86_951_000, 4713, 14, 2)),
            SubtensorCall::commit_timelocked_mechanism_weights { .. } => {
                free(w(84_020_000, 0, 9, 2))
            }
            SubtensorCall::serve_axon { .. } => free(w(31_278_000, 4178, 3, 1)),
            SubtensorCall::serve_axon_tls { .. } => free(w(30_617_000, 4149, 3, 1)),
            SubtensorCall::serve_prometheus { .. } => free(w(29_294_000, 4277, 3, 1)),
            // Reveals and other calls the devnet does not execute: a commit's weight.
            _ => free(w(69_049_000, 4714, 13, 2)),
        },
        RuntimeCall::Commitments(
            CommitmentsCall::set_commitment { .. } | CommitmentsCall::__Ignore(_),
        ) => free(w(33_480_000, 0, 5, 4)),
        RuntimeCall::Timestamp(_) => (w(8_684_000, 1493, 2, 1), Mandatory, Pays::Yes),
        RuntimeCall::System(c) => {
            let len = parity_scale_codec::Encode::encoded_size(c) as u64;
            (w(2_119_000 + 390 * len, 0, 0, 0), Normal, Pays::Yes)
        }
    }
}

/// What a signed extrinsic's extensions weigh: frame-system's checks, the payment wrapper,
/// the shield check and subtensor's guards for this call.
pub fn extension_weight(call: &RuntimeCall) -> Weight {
    let system = Weight { ref_time: 191_857_000, proof_size: 8507 };
    let payment = w(51_786_000, 3593, 7, 1);
    let shield = w(1_000_000, 0, 1, 0);
    let coldkey_swap = Weight { ref_time: 67_583_000, proof_size: 4198 };
    let mut total = add(add(add(system, payment), shield), coldkey_swap);
    if let RuntimeCall::SubtensorModule(c) = call {
        use SubtensorCall::*;
        let weights_check = Weight { ref_time: 327_958_000, proof_size: 7671 };
        let rate_limit = Weight { ref_time: 210_376_000, proof_size: 4484 };
        let serving = Weight { ref_time: 94_035_000, proof_size: 4112 };
        match c {
            set_weights { .. }
            | set_mechanism_weights { .. }
            | commit_weights { .. }
            | commit_mechanism_weights { .. } => {
                total = add(add(total, weights_check), rate_limit);
            }
            commit_timelocked_weights { .. }
            | commit_timelocked_mechanism_weights { .. }
            | reveal_weights { .. }
            | reveal_mechanism_weights { .. } => total = add(total, weights_check),
            serve_axon { .. } | serve_axon_tls { .. } | serve_prometheus { .. } => {
                total = add(total, serving)
            }
            _ => {}
        }
    }
    total
}

/// `ExtrinsicSuccess`/`ExtrinsicFailed`'s `dispatch_info` of `call` in a block: its weight
/// (with the extensions' for a signed extrinsic, and the base weight), class and `Pays`.
pub fn dispatch_info(call: &RuntimeCall, signed: bool) -> (Weight, DispatchClass, Pays) {
    let (weight, class, pays) = call_info(call);
    let weight = if signed { add(weight, extension_weight(call)) } else { weight };
    (add(weight, BASE_EXTRINSIC), class, pays)
}

/// `WeightToFee`: ref time × 0.0005 (a `Perbill` of 500 000, rounded to nearest).
pub fn weight_to_fee(weight: &Weight) -> u64 {
    let ref_time = weight.ref_time.min(MAX_BLOCK_REF_TIME);
    ((u128::from(ref_time) * 500_000 + 500_000_000) / 1_000_000_000) as u64
}

/// `LengthToFee`: one rao per byte.
pub fn length_to_fee(length: u32) -> u64 {
    u64::from(length)
}

struct Evaluated {
    weight: Weight,
    class: DispatchClass,
    pays: Pays,
    tip: u64,
    signed: bool,
    len: u32,
}

fn evaluate(encoded_xt: &[u8]) -> Result<Evaluated, FeeError> {
    let decoded =
        crate::pool::decode(encoded_xt).map_err(|e: PoolError| FeeError(e.to_string()))?;
    let (weight, class, pays) = call_info(&decoded.call);
    let signed = decoded.signed.is_some();
    let weight = if signed { add(weight, extension_weight(&decoded.call)) } else { weight };
    let tip = decoded.signed.as_ref().map_or(0, |s| s.tip);
    Ok(Evaluated { weight, class, pays, tip, signed, len: encoded_xt.len() as u32 })
}

fn inclusion_fee(e: &Evaluated) -> Option<InclusionFee<u64>> {
    (e.signed && e.pays == Pays::Yes).then(|| InclusionFee {
        base_fee: weight_to_fee(&BASE_EXTRINSIC),
        len_fee: length_to_fee(e.len),
        adjusted_weight_fee: weight_to_fee(&e.weight),
    })
}

/// `TransactionPaymentApi::query_info` of an encoded extrinsic (with its length prefix).
pub fn query_info(encoded_xt: &[u8]) -> Result<RuntimeDispatchInfo<u64, Weight>, FeeError> {
    let e = evaluate(encoded_xt)?;
    let partial_fee = inclusion_fee(&e)
        .map_or(0, |f| f.base_fee.saturating_add(f.len_fee).saturating_add(f.adjusted_weight_fee));
    Ok(RuntimeDispatchInfo { weight: e.weight, class: e.class, partial_fee })
}

/// `TransactionPaymentApi::query_fee_details` of an encoded extrinsic.
pub fn fee_details(encoded_xt: &[u8]) -> Result<FeeDetails<u64>, FeeError> {
    let e = evaluate(encoded_xt)?;
    let inclusion_fee = inclusion_fee(&e);
    let tip = if inclusion_fee.is_some() { e.tip } else { 0 };
    Ok(FeeDetails { inclusion_fee, tip })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_calls_are_free_and_weigh_what_finney_declares() {
        let call = RuntimeCall::SubtensorModule(SubtensorCall::set_weights {
            netuid: 1,
            dests: vec![0],
            weights: vec![65535],
            version_key: 0,
        });
        let (weight, class, pays) = call_info(&call);
        assert_eq!((weight.ref_time, weight.proof_size), (118_513_610_000, 10_327_410));
        assert_eq!((class, pays), (DispatchClass::Normal, Pays::No));
        assert_eq!(weight_to_fee(&BASE_EXTRINSIC), 53_537);
        assert_eq!(length_to_fee(100), 100);
    }
}
