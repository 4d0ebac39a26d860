//! Mirrors of `sp_arithmetic::ArithmeticError` and `per_things::Percent`.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Arithmetic failures a dispatch can report.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum ArithmeticError {
    Underflow,
    Overflow,
    DivisionByZero,
}

pub mod per_things {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// A whole-number percentage.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct Percent(pub u8);
}
