//! Mirror of `pallet_balances::types`.

pub mod types {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;

    /// Balances of an account (`System.Account.data`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct AccountData<Balance> {
        pub free: Balance,
        pub reserved: Balance,
        pub frozen: Balance,
        pub flags: ExtraFlags,
    }

    /// Balance flags (the top bit marks the new reserve logic).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct ExtraFlags(pub u128);

    impl Default for ExtraFlags {
        fn default() -> Self {
            Self(1 << 127)
        }
    }
}
