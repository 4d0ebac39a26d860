//! Runtime metadata V14, V15 and V16 built in code from the mirror types.
//!
//! The devnet describes the subset of the subtensor runtime that Pylon users touch, with the same
//! pallet indices, storage hashers, defaults, call indices and type shapes as finney. All three
//! versions share one type registry, filled in finney's order (pallet by pallet: storage, calls,
//! event, constants, error; then the extrinsic's address, call, signature and extension types;
//! the runtime type; the runtime APIs; the outer enums), so a type has the same id in every
//! version — type 0 is `AccountId32`, as on finney — and clients that mix versions (V14 for
//! storage, V15 for runtime calls) decode correctly.

pub mod apis;
mod pallets;

use std::collections::BTreeMap;

use frame_metadata::v14::{self, RuntimeMetadataV14};
use frame_metadata::v15::{self, CustomMetadata, OuterEnums, RuntimeMetadataV15};
use frame_metadata::v16::{self, EnumDeprecationInfo, ItemDeprecationInfo, RuntimeMetadataV16};
use frame_metadata::{META_RESERVED, RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Compact, Encode};
use scale_info::form::PortableForm;
use scale_info::{IntoPortable, PortableRegistry, Registry, meta_type};

use crate::mirror::{self as m, node_subtensor_runtime as rt};
pub use pallets::{BLOCK_HASH_COUNT, DEFAULT_MAX_SPACE, DEFAULT_TAO_WEIGHT};

/// The metadata versions the devnet serves (`Metadata_metadata_versions`), as finney does.
pub const VERSIONS: [u32; 3] = [14, 15, 16];

/// Which runtime the devnet impersonates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RuntimeFlavor {
    /// Spec 393's APIs plus what newer runtimes added (`get_subnet_hyperparams_v3`,
    /// `get_next_epoch_start_block`, …), reported as a spec version above 393.
    #[default]
    Current,
    /// Exactly the runtime APIs of finney spec 393 (April 2026), for testing clients' fallbacks.
    Spec393,
}

impl RuntimeFlavor {
    /// Whether this runtime has `api_method` (e.g. `SubnetInfoRuntimeApi_get_next_epoch_start_block`).
    pub fn has_method(self, api: &str, method: &str) -> bool {
        self == RuntimeFlavor::Current
            || !crate::conformance::NEWER_THAN_REFERENCE.contains(&(api, method))
    }

    /// How this runtime schedules epochs.
    pub fn epoch_rule(self) -> crate::state::EpochRule {
        match self {
            RuntimeFlavor::Current => crate::state::EpochRule::Stateful,
            RuntimeFlavor::Spec393 => crate::state::EpochRule::Modulo,
        }
    }

    /// The spec version `Core_version` reports.
    pub fn spec_version(self) -> u32 {
        match self {
            RuntimeFlavor::Current => 400,
            RuntimeFlavor::Spec393 => 393,
        }
    }
}

/// Every part of the metadata, with types in one portable registry.
struct Parts {
    types: PortableRegistry,
    pallets: Vec<v15::PalletMetadata<PortableForm>>,
    extrinsic: v15::ExtrinsicMetadata<PortableForm>,
    unchecked_extrinsic: <PortableForm as scale_info::form::Form>::Type,
    runtime: <PortableForm as scale_info::form::Form>::Type,
    apis: Vec<(u32, v15::RuntimeApiMetadata<PortableForm>)>,
    outer_enums: OuterEnums<PortableForm>,
    system_types: Vec<v16::PalletAssociatedTypeMetadata<PortableForm>>,
}

impl Parts {
    fn build(flavor: RuntimeFlavor, slot_ms: u64) -> Self {
        let mut registry = Registry::new();
        let pallets = registry.map_into_portable(pallets::pallets(flavor, slot_ms));
        let extrinsic = v15::ExtrinsicMetadata {
            version: 4,
            address_ty: meta_type::<rt::Address>(),
            call_ty: meta_type::<rt::RuntimeCall>(),
            signature_ty: meta_type::<m::sp_runtime::MultiSignature>(),
            extra_ty: meta_type::<rt::TxExtension>(),
            signed_extensions: apis::extensions(),
        }
        .into_portable(&mut registry);
        let runtime = registry.register_type(&meta_type::<rt::Runtime>());
        let apis = apis::all()
            .into_iter()
            .map(|mut api| {
                let name = api.name;
                api.methods.retain(|m| flavor.has_method(name, m.name));
                (api.version, apis::v15_api(api).into_portable(&mut registry))
            })
            .collect();
        let outer_enums = OuterEnums {
            call_enum_ty: meta_type::<rt::RuntimeCall>(),
            event_enum_ty: meta_type::<rt::RuntimeEvent>(),
            error_enum_ty: meta_type::<rt::RuntimeError>(),
        }
        .into_portable(&mut registry);
        // Already registered through `Core_execute_block`'s block type, as on finney.
        let unchecked_extrinsic = registry.register_type(&meta_type::<rt::UncheckedExtrinsic>());
        let system_types = registry.map_into_portable(system_associated_types());
        let mut types: PortableRegistry = registry.into();
        for ty in &mut types.types {
            m::strip_mirror_prefix(&mut ty.ty.path.segments);
        }
        Self {
            types,
            pallets,
            extrinsic,
            unchecked_extrinsic,
            runtime,
            apis,
            outer_enums,
            system_types,
        }
    }

    fn v14(&self) -> RuntimeMetadataV14 {
        let pallets = self
            .pallets
            .iter()
            .cloned()
            .map(|p| v14::PalletMetadata {
                name: p.name,
                storage: p.storage,
                calls: p.calls,
                event: p.event,
                constants: p.constants,
                error: p.error,
                index: p.index,
            })
            .collect();
        let signed_extensions = self
            .extrinsic
            .signed_extensions
            .iter()
            .map(|e| v14::SignedExtensionMetadata {
                identifier: e.identifier.clone(),
                ty: e.ty,
                additional_signed: e.additional_signed,
            })
            .collect();
        RuntimeMetadataV14 {
            types: self.types.clone(),
            pallets,
            extrinsic: v14::ExtrinsicMetadata {
                ty: self.unchecked_extrinsic,
                version: 4,
                signed_extensions,
            },
            ty: self.runtime,
        }
    }

    fn v15(&self) -> RuntimeMetadataV15 {
        RuntimeMetadataV15 {
            types: self.types.clone(),
            pallets: self.pallets.clone(),
            extrinsic: self.extrinsic.clone(),
            ty: self.runtime,
            apis: self.apis.iter().map(|(_, a)| a.clone()).collect(),
            outer_enums: self.outer_enums.clone(),
            custom: CustomMetadata { map: BTreeMap::new() },
        }
    }

    fn v16(&self) -> RuntimeMetadataV16 {
        let item = || ItemDeprecationInfo::<PortableForm>::NotDeprecated;
        let pallets = self
            .pallets
            .iter()
            .cloned()
            .map(|p| v16::PalletMetadata {
                associated_types: if p.name == "System" {
                    self.system_types.clone()
                } else {
                    vec![]
                },
                storage: p.storage.map(|s| v16::PalletStorageMetadata {
                    prefix: s.prefix,
                    entries: s
                        .entries
                        .into_iter()
                        .map(|e| v16::StorageEntryMetadata {
                            name: e.name,
                            modifier: e.modifier,
                            ty: e.ty,
                            default: e.default,
                            docs: e.docs,
                            deprecation_info: item(),
                        })
                        .collect(),
                }),
                calls: p.calls.map(|c| v16::PalletCallMetadata {
                    ty: c.ty,
                    deprecation_info: EnumDeprecationInfo::nothing_deprecated(),
                }),
                event: p.event.map(|e| v16::PalletEventMetadata {
                    ty: e.ty,
                    deprecation_info: EnumDeprecationInfo::nothing_deprecated(),
                }),
                constants: p
                    .constants
                    .into_iter()
                    .map(|c| v16::PalletConstantMetadata {
                        name: c.name,
                        ty: c.ty,
                        value: c.value,
                        docs: c.docs,
                        deprecation_info: item(),
                    })
                    .collect(),
                error: p.error.map(|e| v16::PalletErrorMetadata {
                    ty: e.ty,
                    deprecation_info: EnumDeprecationInfo::nothing_deprecated(),
                }),
                view_functions: vec![],
                name: p.name,
                index: p.index,
                docs: p.docs,
                deprecation_info: item(),
            })
            .collect();
        let extensions: Vec<_> = self
            .extrinsic
            .signed_extensions
            .iter()
            .map(|e| v16::TransactionExtensionMetadata {
                identifier: e.identifier.clone(),
                ty: e.ty,
                implicit: e.additional_signed,
            })
            .collect();
        let all: Vec<Compact<u32>> = (0..extensions.len() as u32).map(Compact).collect();
        RuntimeMetadataV16 {
            types: self.types.clone(),
            pallets,
            extrinsic: v16::ExtrinsicMetadata {
                versions: vec![4],
                address_ty: self.extrinsic.address_ty,
                call_ty: self.extrinsic.call_ty,
                signature_ty: self.extrinsic.signature_ty,
                transaction_extensions_by_version: BTreeMap::from([(0, all)]),
                transaction_extensions: extensions,
            },
            apis: self
                .apis
                .iter()
                .map(|(version, a)| v16::RuntimeApiMetadata {
                    name: a.name.clone(),
                    methods: a
                        .methods
                        .iter()
                        .map(|m| v16::RuntimeApiMethodMetadata {
                            name: m.name.clone(),
                            inputs: m.inputs.clone(),
                            output: m.output,
                            docs: m.docs.clone(),
                            deprecation_info: item(),
                        })
                        .collect(),
                    docs: a.docs.clone(),
                    version: Compact(*version),
                    deprecation_info: item(),
                })
                .collect(),
            outer_enums: self.outer_enums.clone(),
            custom: CustomMetadata { map: BTreeMap::new() },
        }
    }
}

/// System's associated types, as V16 metadata lists them on finney.
fn system_associated_types() -> Vec<v16::PalletAssociatedTypeMetadata> {
    let ty = |name, ty| v16::PalletAssociatedTypeMetadata { name, ty, docs: vec![] };
    vec![
        ty("RuntimeCall", meta_type::<rt::RuntimeCall>()),
        ty("Nonce", meta_type::<u32>()),
        ty("Hash", meta_type::<m::primitive_types::H256>()),
        ty("Hashing", meta_type::<m::sp_runtime::traits::BlakeTwo256>()),
        ty("AccountId", meta_type::<m::sp_core::crypto::AccountId32>()),
        ty("Block", meta_type::<apis::Block>()),
        ty("AccountData", meta_type::<m::pallet_balances::types::AccountData<u64>>()),
    ]
}

/// SCALE-encoded `RuntimeMetadataPrefixed` for each served version.
pub struct EncodedMetadata {
    /// Metadata V14 (what `state_getMetadata` and `Metadata_metadata` return).
    pub v14: Vec<u8>,
    /// Metadata V15.
    pub v15: Vec<u8>,
    /// Metadata V16.
    pub v16: Vec<u8>,
}

impl EncodedMetadata {
    /// Builds and encodes every version for a runtime flavor on a chain with `slot_ms`
    /// blocks (finney's is 12 000).
    pub fn build(flavor: RuntimeFlavor, slot_ms: u64) -> Self {
        let parts = Parts::build(flavor, slot_ms);
        let prefixed = |md| RuntimeMetadataPrefixed(META_RESERVED, md).encode();
        Self {
            v14: prefixed(RuntimeMetadata::V14(parts.v14())),
            v15: prefixed(RuntimeMetadata::V15(parts.v15())),
            v16: prefixed(RuntimeMetadata::V16(parts.v16())),
        }
    }

    /// The encoded metadata of `version`, if served.
    pub fn at_version(&self, version: u32) -> Option<&[u8]> {
        match version {
            14 => Some(&self.v14),
            15 => Some(&self.v15),
            16 => Some(&self.v16),
            _ => None,
        }
    }
}

/// Metadata V15 of the current flavor.
pub fn v15_prefixed() -> RuntimeMetadataPrefixed {
    v15_for(RuntimeFlavor::Current)
}

/// Finney's block time, for metadata built outside a running chain.
pub const FINNEY_SLOT_MS: u64 = 12_000;

/// Metadata V15 of `flavor` on a 12-second chain.
pub fn v15_for(flavor: RuntimeFlavor) -> RuntimeMetadataPrefixed {
    let parts = Parts::build(flavor, FINNEY_SLOT_MS);
    RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V15(parts.v15()))
}

/// Metadata V16 of `flavor` on a 12-second chain.
pub fn v16_for(flavor: RuntimeFlavor) -> RuntimeMetadataPrefixed {
    let parts = Parts::build(flavor, FINNEY_SLOT_MS);
    RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V16(parts.v16()))
}

/// The runtime APIs of `flavor` with their versions, as `Core_version` lists them.
pub fn api_versions(flavor: RuntimeFlavor) -> Vec<(&'static str, u32)> {
    apis::all()
        .into_iter()
        .filter(|a| a.methods.iter().any(|m| flavor.has_method(a.name, m.name)))
        .map(|a| (a.name, a.version))
        .collect()
}

/// The `Api_method` names `flavor` answers.
pub fn method_names(flavor: RuntimeFlavor) -> std::collections::BTreeSet<String> {
    apis::all()
        .into_iter()
        .flat_map(|a| {
            let name = a.name;
            a.methods
                .into_iter()
                .filter(move |m| flavor.has_method(name, m.name))
                .map(move |m| format!("{name}_{}", m.name))
        })
        .collect()
}
