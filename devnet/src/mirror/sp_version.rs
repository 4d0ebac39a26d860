//! Mirror of `sp_version::RuntimeVersion`.
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;
use std::borrow::Cow;

/// The runtime version answered by `Core_version`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RuntimeVersion {
    pub spec_name: Cow<'static, str>,
    pub impl_name: Cow<'static, str>,
    pub authoring_version: u32,
    pub spec_version: u32,
    pub impl_version: u32,
    pub apis: Cow<'static, [([u8; 8], u32)]>,
    pub transaction_version: u32,
    pub system_version: u8,
}
