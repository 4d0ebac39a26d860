//! Mirror of `sp_arithmetic::ArithmeticError`.

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Arithmetic failures a dispatch can report.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum ArithmeticError {
    Underflow,
    Overflow,
    DivisionByZero,
}
