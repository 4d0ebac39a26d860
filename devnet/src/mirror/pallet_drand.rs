//! Mirrors of `pallet_drand`: stored pulses and the priority extension.

pub mod types {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    use super::super::bounded_collections::{Bound, bounded_vec::BoundedVec};

    /// A drand quicknet pulse stored on chain (`Drand.Pulses`).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct Pulse {
        pub round: u64,
        pub randomness: BoundedVec<u8, Bound>,
        pub signature: BoundedVec<u8, Bound>,
    }
}

pub mod drand_priority {
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// The drand priority extension; no data.
    #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
    pub struct DrandPriority<T: 'static>(#[codec(skip)] PhantomData<T>);
}
