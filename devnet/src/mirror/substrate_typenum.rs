//! Mirrors of the `substrate_typenum` type-level integers that size fixed-point fractions.
pub mod uint {
    use scale_info::TypeInfo;

    /// The end of a type-level unsigned integer.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, TypeInfo)]
    pub struct UTerm;

    /// A type-level unsigned integer: `U` followed by the bit `B`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, TypeInfo)]
    pub struct UInt<U, B> {
        pub msb: U,
        pub lsb: B,
    }
}
pub mod bit {
    use scale_info::TypeInfo;

    /// The bit 0.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, TypeInfo)]
    pub struct B0;
    /// The bit 1.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, TypeInfo)]
    pub struct B1;
}
