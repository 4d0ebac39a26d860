//! Mirrors of `sp_core::crypto::AccountId32` and `sp_core::OpaqueMetadata`.
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// SCALE-encoded runtime metadata, as `Metadata_metadata` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct OpaqueMetadata(pub Vec<u8>);

pub mod crypto {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// A 32-byte account id (the public key of an sr25519 key pair).
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, TypeInfo)]
    pub struct AccountId32(pub [u8; 32]);

    impl AccountId32 {
        /// Wraps 32 raw public-key bytes.
        pub const fn from_raw(bytes: [u8; 32]) -> Self {
            Self(bytes)
        }
    }

    impl std::fmt::Debug for AccountId32 {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "0x{}", hex::encode(self.0))
        }
    }
}
