//! Metadata V16 rewritten as V15 (same types, pallets and APIs), for Python decoders that read
//! V14/V15 only (scalecodec, as turbobt patches it).

use frame_metadata::v14;
use frame_metadata::v15::{
    ExtrinsicMetadata, PalletMetadata, RuntimeApiMetadata, RuntimeApiMethodMetadata,
    RuntimeMetadataV15, SignedExtensionMetadata,
};
use frame_metadata::v16::RuntimeMetadataV16;
use frame_metadata::{META_RESERVED, RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::Encode;

/// The V15 form of `md`, prefixed and SCALE-encoded.
pub fn encode(md: &RuntimeMetadataV16) -> Vec<u8> {
    RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V15(convert(md))).encode()
}

/// `md` as V15. V16's extensions of version 0 become the signed extensions; the outer
/// `Runtime` type and the extrinsic's `Extra` parameter fill V15's fields V16 dropped.
pub fn convert(md: &RuntimeMetadataV16) -> RuntimeMetadataV15 {
    let type_with_path = |path: &[&str]| {
        md.types
            .types
            .iter()
            .find(|t| t.ty.path.segments.iter().map(String::as_str).eq(path.iter().copied()))
    };
    let runtime = type_with_path(&["node_subtensor_runtime", "Runtime"]).map_or(0, |t| t.id);
    let extra =
        type_with_path(&["sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"])
            .and_then(|t| t.ty.type_params.iter().find(|p| p.name == "Extra").and_then(|p| p.ty))
            .map_or(0, |t| t.id);
    let v0 = md.extrinsic.transaction_extensions_by_version.get(&0).cloned().unwrap_or_default();
    let signed_extensions = v0
        .iter()
        .map(|i| &md.extrinsic.transaction_extensions[i.0 as usize])
        .map(|e| SignedExtensionMetadata {
            identifier: e.identifier.clone(),
            ty: e.ty,
            additional_signed: e.implicit,
        })
        .collect();
    RuntimeMetadataV15 {
        types: md.types.clone(),
        pallets: md
            .pallets
            .iter()
            .map(|p| PalletMetadata {
                name: p.name.clone(),
                storage: p.storage.as_ref().map(|s| v14::PalletStorageMetadata {
                    prefix: s.prefix.clone(),
                    entries: s
                        .entries
                        .iter()
                        .map(|e| v14::StorageEntryMetadata {
                            name: e.name.clone(),
                            modifier: e.modifier.clone(),
                            ty: e.ty.clone(),
                            default: e.default.clone(),
                            docs: e.docs.clone(),
                        })
                        .collect(),
                }),
                calls: p.calls.as_ref().map(|c| v14::PalletCallMetadata { ty: c.ty }),
                event: p.event.as_ref().map(|e| v14::PalletEventMetadata { ty: e.ty }),
                constants: p
                    .constants
                    .iter()
                    .map(|c| v14::PalletConstantMetadata {
                        name: c.name.clone(),
                        ty: c.ty,
                        value: c.value.clone(),
                        docs: c.docs.clone(),
                    })
                    .collect(),
                error: p.error.as_ref().map(|e| v14::PalletErrorMetadata { ty: e.ty }),
                index: p.index,
                docs: p.docs.clone(),
            })
            .collect(),
        extrinsic: ExtrinsicMetadata {
            version: 4,
            address_ty: md.extrinsic.address_ty,
            call_ty: md.extrinsic.call_ty,
            signature_ty: md.extrinsic.signature_ty,
            extra_ty: extra.into(),
            signed_extensions,
        },
        ty: runtime.into(),
        apis: md
            .apis
            .iter()
            .map(|a| RuntimeApiMetadata {
                name: a.name.clone(),
                methods: a
                    .methods
                    .iter()
                    .map(|m| RuntimeApiMethodMetadata {
                        name: m.name.clone(),
                        inputs: m.inputs.clone(),
                        output: m.output,
                        docs: m.docs.clone(),
                    })
                    .collect(),
                docs: a.docs.clone(),
            })
            .collect(),
        outer_enums: md.outer_enums.clone(),
        custom: md.custom.clone(),
    }
}
