//! Mirror of `bounded_collections::bounded_vec::BoundedVec`.

pub mod bounded_vec {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// A vector with a maximum length `S` (a type-level constant, not part of the encoding).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(S))]
    pub struct BoundedVec<T, S>(pub Vec<T>, #[codec(skip)] pub PhantomData<S>);

    impl<T, S> BoundedVec<T, S> {
        /// Wraps a vector; the caller keeps it within the bound.
        pub fn new(items: Vec<T>) -> Self {
            Self(items, PhantomData)
        }
    }

    impl<T, S> Default for BoundedVec<T, S> {
        fn default() -> Self {
            Self(Vec::new(), PhantomData)
        }
    }
}

/// A stand-in for `ConstU32<N>` bounds, which appear in metadata only as an unnamed parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Bound;
