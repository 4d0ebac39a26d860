//! Mirror of `pallet_shield::extension::CheckShieldedTxValidity`.

pub mod extension {
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// A transaction extension without data, parameterised by the runtime.
    #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
    pub struct CheckShieldedTxValidity<T: 'static>(#[codec(skip)] PhantomData<T>);
}
