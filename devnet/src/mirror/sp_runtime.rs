//! Mirrors of `sp_runtime` types: signatures, addresses, eras and dispatch errors.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A signature of one of the supported schemes; Pylon signs with sr25519.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum MultiSignature {
    #[codec(index = 0)]
    Ed25519([u8; 64]),
    #[codec(index = 1)]
    Sr25519([u8; 64]),
    #[codec(index = 2)]
    Ecdsa([u8; 65]),
}

/// The reason a dispatch failed, as `System.ExtrinsicFailed` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum DispatchError {
    #[codec(index = 0)]
    Other,
    #[codec(index = 1)]
    CannotLookup,
    #[codec(index = 2)]
    BadOrigin,
    #[codec(index = 3)]
    Module(ModuleError),
    #[codec(index = 4)]
    ConsumerRemaining,
    #[codec(index = 5)]
    NoProviders,
    #[codec(index = 6)]
    TooManyConsumers,
    #[codec(index = 7)]
    Token(TokenError),
    #[codec(index = 8)]
    Arithmetic(super::sp_arithmetic::ArithmeticError),
    #[codec(index = 9)]
    Transactional(TransactionalError),
    #[codec(index = 10)]
    Exhausted,
    #[codec(index = 11)]
    Corruption,
    #[codec(index = 12)]
    Unavailable,
    #[codec(index = 13)]
    RootNotAllowed,
    #[codec(index = 14)]
    Trie(proving_trie::TrieError),
}

/// A pallet error: the pallet index and the error's variant index in its first byte.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ModuleError {
    pub index: u8,
    pub error: [u8; 4],
}

/// Errors of the token (balances) layer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum TokenError {
    FundsUnavailable,
    OnlyProvider,
    BelowMinimum,
    CannotCreate,
    UnknownAsset,
    Frozen,
    Unsupported,
    CannotCreateHold,
    NotExpendable,
    Blocked,
}

/// Which extrinsics a block being initialised may include (`Core_initialize_block`'s answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum ExtrinsicInclusionMode {
    AllExtrinsics,
    OnlyInherents,
}

pub mod traits {
    use scale_info::TypeInfo;

    /// The runtime's hashing: blake2-256 (System's `Hashing` type).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, TypeInfo)]
    pub struct BlakeTwo256;
}

/// Errors of transactional storage layers.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum TransactionalError {
    LimitReached,
    NoLayer,
}

pub mod proving_trie {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// Errors of trie proofs.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum TrieError {
        InvalidStateRoot,
        IncompleteDatabase,
        ValueAtIncompleteKey,
        DecoderError,
        InvalidHash,
        DuplicateKey,
        ExtraneousNode,
        ExtraneousValue,
        ExtraneousHashReference,
        InvalidChildReference,
        ValueMismatch,
        IncompleteProof,
        RootMismatch,
        DecodeError,
    }
}

pub mod multiaddress {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// The address of a transaction's signer; subtensor uses the `Id` form.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum MultiAddress<AccountId, AccountIndex: parity_scale_codec::HasCompact> {
        #[codec(index = 0)]
        Id(AccountId),
        #[codec(index = 1)]
        Index(#[codec(compact)] AccountIndex),
        #[codec(index = 2)]
        Raw(Vec<u8>),
        #[codec(index = 3)]
        Address32([u8; 32]),
        #[codec(index = 4)]
        Address20([u8; 20]),
    }
}

pub mod generic {
    pub mod header {
        use parity_scale_codec::{Decode, Encode};
        use scale_info::TypeInfo;
        use std::marker::PhantomData;

        use super::super::super::primitive_types::H256;
        use super::digest::Digest;

        /// A block header; its hash is blake2_256 of its SCALE encoding.
        #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
        #[scale_info(skip_type_params(Hash))]
        pub struct Header<Number: parity_scale_codec::HasCompact, Hash: 'static> {
            pub parent_hash: H256,
            #[codec(compact)]
            pub number: Number,
            pub state_root: H256,
            pub extrinsics_root: H256,
            pub digest: Digest,
            #[codec(skip)]
            pub _hash: PhantomData<Hash>,
        }
    }

    pub mod block {
        use parity_scale_codec::{Decode, Encode};
        use scale_info::TypeInfo;

        /// A block: its header and extrinsics (`Core_execute_block`'s input).
        #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
        pub struct Block<Header, Extrinsic> {
            pub header: Header,
            pub extrinsics: Vec<Extrinsic>,
        }
    }

    pub mod digest {
        use parity_scale_codec::{Decode, Encode};
        use scale_info::TypeInfo;

        /// A header digest.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
        pub struct Digest {
            pub logs: Vec<DigestItem>,
        }

        /// One digest log item.
        #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
        pub enum DigestItem {
            #[codec(index = 6)]
            PreRuntime([u8; 4], Vec<u8>),
            #[codec(index = 4)]
            Consensus([u8; 4], Vec<u8>),
            #[codec(index = 5)]
            Seal([u8; 4], Vec<u8>),
            #[codec(index = 0)]
            Other(Vec<u8>),
            #[codec(index = 8)]
            RuntimeEnvironmentUpdated,
        }
    }

    pub mod unchecked_extrinsic {
        use scale_info::TypeInfo;
        use std::marker::PhantomData;

        /// An opaque extrinsic; its type parameters tell clients how to build one.
        #[derive(Clone, Debug, PartialEq, Eq, TypeInfo)]
        pub struct UncheckedExtrinsic<Address: 'static, Call: 'static, Signature: 'static, Extra: 'static>(
            pub Vec<u8>,
            #[codec(skip)] PhantomData<(Address, Call, Signature, Extra)>,
        );
    }

    pub mod era {
        use parity_scale_codec::{Decode, Encode, Error, Input, Output};
        use scale_info::{Path, Type, TypeInfo, build::Variants};
        use std::sync::OnceLock;

        /// A transaction's mortality: immortal, or valid for a period from a block.
        ///
        /// The runtime encodes a mortal era in two bytes, whose first byte is also the variant
        /// index `Mortal1`…`Mortal255` that the metadata describes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Era {
            Immortal,
            Mortal(u8, u8),
        }

        impl Encode for Era {
            fn encode_to<W: Output + ?Sized>(&self, dest: &mut W) {
                match self {
                    Era::Immortal => dest.push_byte(0),
                    Era::Mortal(a, b) => {
                        dest.push_byte(*a);
                        dest.push_byte(*b);
                    }
                }
            }
        }

        impl Decode for Era {
            fn decode<I: Input>(input: &mut I) -> Result<Self, Error> {
                match input.read_byte()? {
                    0 => Ok(Era::Immortal),
                    first => Ok(Era::Mortal(first, input.read_byte()?)),
                }
            }
        }

        fn mortal_names() -> &'static [String] {
            static NAMES: OnceLock<Vec<String>> = OnceLock::new();
            NAMES.get_or_init(|| (1..=255).map(|i| format!("Mortal{i}")).collect())
        }

        impl TypeInfo for Era {
            type Identity = Self;
            fn type_info() -> Type {
                let mut variants = Variants::new().variant("Immortal", |v| v.index(0));
                for (i, name) in mortal_names().iter().enumerate() {
                    let index = (i + 1) as u8;
                    variants = variants.variant(name.as_str(), |v| {
                        v.index(index)
                            .fields(scale_info::build::Fields::unnamed().field(|f| f.ty::<u8>()))
                    });
                }
                Type::builder().path(Path::new("Era", module_path!())).variant(variants)
            }
        }
    }
}
