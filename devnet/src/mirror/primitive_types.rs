//! Mirrors of `primitive_types::H256` and `H160`.
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A 256-bit hash.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, TypeInfo)]
pub struct H256(pub [u8; 32]);

/// A 160-bit (Ethereum) address.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug, Encode, Decode, TypeInfo,
)]
pub struct H160(pub [u8; 20]);

impl std::fmt::Debug for H256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{}", hex::encode(self.0))
    }
}
