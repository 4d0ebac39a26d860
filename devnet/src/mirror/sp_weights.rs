//! Mirror of `sp_weights::weight_v2::Weight`.

pub mod weight_v2 {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// Two-dimensional dispatch weight.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct Weight {
        #[codec(compact)]
        pub ref_time: u64,
        #[codec(compact)]
        pub proof_size: u64,
    }
}
