//! Mirrors of `frame_support::dispatch` types reported with every extrinsic.

pub mod dispatch {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// The class of a dispatch.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum DispatchClass {
        Normal,
        Operational,
        Mandatory,
    }

    /// Whether a dispatch pays a fee.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum Pays {
        Yes,
        No,
    }
}
