//! Mirror of `pallet_timestamp::pallet::Call`: the `set` inherent every block starts with.

pub mod pallet {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    /// `Timestamp` calls.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Call<T> {
        #[codec(index = 0)]
        set {
            #[codec(compact)]
            now: u64,
        },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }
}
