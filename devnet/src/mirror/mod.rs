//! Rust mirrors of the subtensor runtime types the devnet serves.
//!
//! Each module here is named after the crate and module that defines the real type (for example
//! `pallet_subtensor::rpc_info::neuron_info`), so that the scale-info paths derived from these
//! types equal the real ones once [`strip_mirror_prefix`] removes `pylon_devnet::mirror::`.
//! Field names, field order, compact-ness and variant indices follow finney (spec 393); the
//! conformance test in `tests/it/conformance.rs` checks them against real metadata.

#![allow(missing_docs)]
// Call variants keep the runtime's snake_case names: they are what clients look up.
#![allow(non_camel_case_types)]

/// Declares a pallet's `Error<T>` enum: unit variants indexed in the order given.
macro_rules! pallet_error {
    ($(#[$doc:meta])* $($name:ident),* $(,)?) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq,
            parity_scale_codec::Encode, parity_scale_codec::Decode, scale_info::TypeInfo,
        )]
        #[scale_info(skip_type_params(T))]
        pub enum Error<T> {
            $($name,)*
            #[codec(skip)]
            __Ignore(std::marker::PhantomData<T>),
        }
    };
}

pub mod bounded_collections;
pub mod fp_self_contained;
pub mod frame_metadata_hash_extension;
pub mod frame_support;
pub mod frame_system;
pub mod node_subtensor_runtime;
pub mod pallet_balances;
pub mod pallet_commitments;
pub mod pallet_drand;
pub mod pallet_shield;
pub mod pallet_subtensor;
pub mod pallet_subtensor_swap_runtime_api;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod primitive_types;
pub mod sp_arithmetic;
pub mod sp_consensus_slots;
pub mod sp_core;
pub mod sp_runtime;
pub mod sp_version;
pub mod sp_weights;
pub mod substrate_fixed;
pub mod substrate_typenum;

/// The path segments every mirror type starts with before rewriting.
pub const MIRROR_PREFIX: [&str; 2] = ["pylon_devnet", "mirror"];

/// Removes the `pylon_devnet::mirror` prefix from a type path, if present.
pub fn strip_mirror_prefix(segments: &mut Vec<String>) {
    if segments.len() > MIRROR_PREFIX.len()
        && segments.iter().zip(MIRROR_PREFIX).all(|(s, p)| s == p)
    {
        segments.drain(..MIRROR_PREFIX.len());
    }
}
