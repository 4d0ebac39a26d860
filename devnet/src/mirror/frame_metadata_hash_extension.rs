//! Mirror of `frame_metadata_hash_extension`: the `CheckMetadataHash` transaction extension.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;
use std::marker::PhantomData;

/// Whether the signer committed to a metadata hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Mode {
    #[default]
    Disabled,
    Enabled,
}

/// The extension as it appears in an extrinsic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMetadataHash<T> {
    pub mode: Mode,
    #[codec(skip)]
    _t: PhantomData<T>,
}
