//! Mirror of `fp_self_contained::unchecked_extrinsic::UncheckedExtrinsic`, the extrinsic type of the
//! subtensor runtime (V14 clients read the address and signature types from its parameters).

pub mod unchecked_extrinsic {
    use scale_info::TypeInfo;

    use super::super::sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic as Inner;

    /// The runtime's extrinsic: a wrapper around the generic one.
    #[derive(Clone, Debug, PartialEq, Eq, TypeInfo)]
    pub struct UncheckedExtrinsic<
        Address: 'static,
        Call: 'static,
        Signature: 'static,
        Extension: 'static,
    >(pub Inner<Address, Call, Signature, Extension>);
}
