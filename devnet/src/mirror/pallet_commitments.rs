//! Mirrors of `pallet_commitments`: registrations, the `Data` field enum, calls and events.

pub mod types {
    use parity_scale_codec::{Compact, Decode, Encode, Error, Input, Output};
    use scale_info::build::{Fields, UnnamedFields, Variants};
    use scale_info::{Path, Type, TypeInfo, form::MetaForm};

    use super::super::bounded_collections::bounded_vec::BoundedVec;

    /// A hotkey's commitment on a subnet (`Commitments.CommitmentOf`).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(MaxFields))]
    pub struct Registration<Balance, MaxFields: 'static, BlockNumber> {
        pub deposit: Balance,
        pub block: BlockNumber,
        pub info: CommitmentInfo<MaxFields>,
    }

    /// Up to `FieldLimit` (3) commitment fields.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(FieldLimit))]
    pub struct CommitmentInfo<FieldLimit: 'static> {
        pub fields: BoundedVec<Data, FieldLimit>,
    }

    /// Longest `Raw` payload.
    pub const MAX_RAW: usize = 128;
    /// Longest `BigRaw` payload.
    pub const MAX_BIG_RAW: usize = 512;
    /// Longest `TimelockEncrypted` payload.
    pub const MAX_TIMELOCK: usize = 1024;

    /// One commitment field.
    ///
    /// The runtime's codec puts a raw payload's length in the variant byte (`Raw0`…`Raw128` are
    /// variants 1…129, each a fixed-size byte array); this mirror keeps the bytes in a `Vec` and
    /// reproduces that encoding and the metadata by hand.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Data {
        None,
        Raw(Vec<u8>),
        BlakeTwo256([u8; 32]),
        Sha256([u8; 32]),
        Keccak256([u8; 32]),
        ShaThree256([u8; 32]),
        TimelockEncrypted { encrypted: Vec<u8>, reveal_round: u64 },
        ResetBondsFlag,
        BigRaw(Vec<u8>),
    }

    impl Data {
        /// The payload bytes of a raw, hash or encrypted field.
        pub fn bytes(&self) -> &[u8] {
            match self {
                Data::None | Data::ResetBondsFlag => &[],
                Data::Raw(b) | Data::BigRaw(b) => b,
                Data::TimelockEncrypted { encrypted, .. } => encrypted,
                Data::BlakeTwo256(h)
                | Data::Sha256(h)
                | Data::Keccak256(h)
                | Data::ShaThree256(h) => h,
            }
        }
    }

    impl Encode for Data {
        fn encode_to<W: Output + ?Sized>(&self, dest: &mut W) {
            match self {
                Data::None => dest.push_byte(0),
                Data::Raw(bytes) => {
                    dest.push_byte(bytes.len() as u8 + 1);
                    dest.write(bytes);
                }
                Data::BlakeTwo256(h) => hash_variant(dest, 130, h),
                Data::Sha256(h) => hash_variant(dest, 131, h),
                Data::Keccak256(h) => hash_variant(dest, 132, h),
                Data::ShaThree256(h) => hash_variant(dest, 133, h),
                Data::TimelockEncrypted { encrypted, reveal_round } => {
                    dest.push_byte(134);
                    encrypted.encode_to(dest);
                    reveal_round.encode_to(dest);
                }
                Data::ResetBondsFlag => dest.push_byte(135),
                Data::BigRaw(bytes) => {
                    dest.push_byte(136);
                    bytes.encode_to(dest);
                }
            }
        }
    }

    fn hash_variant<W: Output + ?Sized>(dest: &mut W, index: u8, hash: &[u8; 32]) {
        dest.push_byte(index);
        dest.write(hash);
    }

    fn bounded_bytes<I: Input>(input: &mut I, max: usize) -> Result<Vec<u8>, Error> {
        let len = Compact::<u32>::decode(input)?.0 as usize;
        if len > max {
            return Err("commitment field longer than its bound".into());
        }
        let mut bytes = vec![0; len];
        input.read(&mut bytes)?;
        Ok(bytes)
    }

    impl Decode for Data {
        fn decode<I: Input>(input: &mut I) -> Result<Self, Error> {
            let index = input.read_byte()?;
            let hash = |input: &mut I| -> Result<[u8; 32], Error> { <[u8; 32]>::decode(input) };
            Ok(match index {
                0 => Data::None,
                1..=129 => {
                    let mut bytes = vec![0; index as usize - 1];
                    input.read(&mut bytes)?;
                    Data::Raw(bytes)
                }
                130 => Data::BlakeTwo256(hash(input)?),
                131 => Data::Sha256(hash(input)?),
                132 => Data::Keccak256(hash(input)?),
                133 => Data::ShaThree256(hash(input)?),
                134 => Data::TimelockEncrypted {
                    encrypted: bounded_bytes(input, MAX_TIMELOCK)?,
                    reveal_round: u64::decode(input)?,
                },
                135 => Data::ResetBondsFlag,
                136 => Data::BigRaw(bounded_bytes(input, MAX_BIG_RAW)?),
                _ => return Err("invalid commitment Data variant".into()),
            })
        }
    }

    macro_rules! raw_variants {
        ($variants:ident; $($n:literal)*) => {{
            let mut v = $variants;
            $(
                v = v.variant(concat!("Raw", stringify!($n)), |b| {
                    b.index($n + 1).fields(Fields::unnamed().field(|f| f.ty::<[u8; $n]>()))
                });
            )*
            v
        }};
    }

    fn hash_fields() -> scale_info::build::FieldsBuilder<MetaForm, UnnamedFields> {
        Fields::unnamed().field(|f| f.ty::<[u8; 32]>())
    }

    impl TypeInfo for Data {
        type Identity = Self;
        fn type_info() -> Type {
            let none = Variants::new().variant("None", |v| v.index(0));
            let raw = raw_variants!(none; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128);
            let variants = raw
                .variant("BlakeTwo256", |v| v.index(130).fields(hash_fields()))
                .variant("Sha256", |v| v.index(131).fields(hash_fields()))
                .variant("Keccak256", |v| v.index(132).fields(hash_fields()))
                .variant("ShaThree256", |v| v.index(133).fields(hash_fields()))
                .variant("TimelockEncrypted", |v| {
                    v.index(134).fields(
                        Fields::named()
                            .field(|f| {
                                f.ty::<BoundedVec<u8, super::super::bounded_collections::Bound>>()
                                    .name("encrypted")
                            })
                            .field(|f| f.ty::<u64>().name("reveal_round")),
                    )
                })
                .variant("ResetBondsFlag", |v| v.index(135))
                .variant("BigRaw", |v| {
                    v.index(136).fields(Fields::unnamed().field(|f| {
                        f.ty::<BoundedVec<u8, super::super::bounded_collections::Bound>>()
                    }))
                });
            Type::builder().path(Path::new("Data", module_path!())).variant(variants)
        }
    }
}

pub mod pallet {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    pallet_error! {
        /// `Commitments` errors, in finney order.
        TooManyFieldsInCommitmentInfo, AccountNotAllowedCommit, SpaceLimitExceeded,
        UnexpectedUnreserveLeftover
    }

    use super::super::bounded_collections::Bound;
    use super::super::sp_core::crypto::AccountId32;
    use super::types::CommitmentInfo;

    /// `Commitments` calls.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Call<T> {
        #[codec(index = 0)]
        set_commitment { netuid: u16, info: Box<CommitmentInfo<Bound>> },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }

    /// `Commitments` events.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Event<T> {
        #[codec(index = 0)]
        Commitment { netuid: u16, who: AccountId32 },
        #[codec(index = 1)]
        TimelockCommitment { netuid: u16, who: AccountId32, reveal_round: u64 },
        #[codec(index = 2)]
        CommitmentRevealed { netuid: u16, who: AccountId32 },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }
}
