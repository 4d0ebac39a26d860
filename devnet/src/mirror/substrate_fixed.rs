//! Mirrors of the `substrate_fixed` fixed-point numbers, which the runtime exposes as `{ bits }`
//! composites parameterised by a `substrate_typenum` fraction size.
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;
use std::marker::PhantomData;

/// A signed 128-bit fixed-point number with `Frac` fractional bits (`I96F32` with `U32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct FixedI128<Frac: 'static> {
    pub bits: i128,
    #[codec(skip)]
    pub _frac: PhantomData<Frac>,
}

/// A signed 64-bit fixed-point number with `Frac` fractional bits (`I32F32` with `U32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct FixedI64<Frac: 'static> {
    pub bits: i64,
    #[codec(skip)]
    pub _frac: PhantomData<Frac>,
}

/// An unsigned 128-bit fixed-point number with `Frac` fractional bits (`U64F64` with `U64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct FixedU128<Frac: 'static> {
    pub bits: u128,
    #[codec(skip)]
    pub _frac: PhantomData<Frac>,
}

macro_rules! from_bits {
    ($($t:ident: $bits:ty),*) => {$(
        impl<Frac> $t<Frac> {
            /// Builds the number from its raw bits.
            pub fn from_bits(bits: $bits) -> Self {
                Self { bits, _frac: PhantomData }
            }
        }
    )*};
}
from_bits!(FixedI128: i128, FixedI64: i64, FixedU128: u128);

use super::substrate_typenum::bit::{B0, B1};
use super::substrate_typenum::uint::{UInt, UTerm};

/// The type-level 32 (binary 100000).
pub type U32 = UInt<UInt<UInt<UInt<UInt<UInt<UTerm, B1>, B0>, B0>, B0>, B0>, B0>;
/// The type-level 64 (binary 1000000).
pub type U64 = UInt<U32, B0>;
/// `I96F32`: a signed 128-bit number with 32 fractional bits.
pub type I96F32 = FixedI128<U32>;
/// `I32F32`: a signed 64-bit number with 32 fractional bits.
pub type I32F32 = FixedI64<U32>;
/// `U64F64`: an unsigned 128-bit number with 64 fractional bits.
pub type U64F64 = FixedU128<U64>;
