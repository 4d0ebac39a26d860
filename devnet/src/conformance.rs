//! Compares the devnet's metadata with a real runtime's metadata (V16, as finney serves it).
//!
//! For every pallet, storage entry, call, event, error, constant, runtime-API method and
//! transaction extension the devnet describes, the reference must have the same index, name,
//! hashers, default, and a type of the same shape: the same path and type parameters, the same
//! field names in the same order, the same compact-ness, array lengths and primitives. The devnet
//! may describe fewer enum variants than the reference (a subset of calls or events), never
//! different ones. Field `typeName`s and docs are not compared.

use std::collections::HashSet;

use frame_metadata::v14::StorageEntryType;
use frame_metadata::v15::RuntimeMetadataV15;
use frame_metadata::v16::RuntimeMetadataV16;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::Decode;
use scale_info::{PortableRegistry, TypeDef, form::PortableForm};

/// Runtime-API methods the devnet serves that are newer than the spec-393 reference
/// (`get_subnet_hyperparams_v3` and `get_next_epoch_start_block` from subtensor's 2026 runtime).
/// The comparison requires them to be absent from the reference, so a newer reference file
/// makes them compared too.
pub const NEWER_THAN_REFERENCE: [(&str, &str); 2] = [
    ("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v3"),
    ("SubnetInfoRuntimeApi", "get_next_epoch_start_block"),
];

/// Storage entries the devnet's current runtime describes that are newer than the spec-393
/// reference (subtensor's stateful epoch scheduler); like [`NEWER_THAN_REFERENCE`], they must be
/// absent from the reference.
pub const NEWER_STORAGE_THAN_REFERENCE: [(&str, &str); 5] = [
    ("SubtensorModule", "SubnetEpochConsensus"),
    ("SubtensorModule", "LastEpochBlock"),
    ("SubtensorModule", "PendingEpochAt"),
    ("SubtensorModule", "SubnetEpochIndex"),
    ("SubtensorModule", "MaxEpochsPerBlock"),
];

/// The outcome of a comparison: what was checked and every difference found.
#[derive(Debug, Default)]
pub struct Report {
    /// How many items (storage entries, calls, methods, …) were compared.
    pub items: usize,
    /// Human-readable differences, each naming the item and what differs.
    pub differences: Vec<String>,
}

/// Decodes real runtime metadata (V16) from its SCALE bytes.
pub fn decode_reference(bytes: &[u8]) -> Result<RuntimeMetadataV16, String> {
    let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..])
        .map_err(|e| format!("not SCALE runtime metadata: {e}"))?;
    match prefixed.1 {
        RuntimeMetadata::V16(md) => Ok(md),
        other => Err(format!("expected metadata V16, found V{}", other.version())),
    }
}

/// Compares devnet metadata (V15) with the reference.
pub fn compare(dev: &RuntimeMetadataV15, reference: &RuntimeMetadataV16) -> Report {
    let mut c = Comparer {
        dev: &dev.types,
        reference: &reference.types,
        seen: HashSet::new(),
        report: Report::default(),
    };
    c.pallets(dev, reference);
    c.apis(dev, reference);
    c.extrinsic(dev, reference);
    c.report
}

/// Whether type `a_id` of `a` has the same shape as type `b_id` of `b` (enum variants of `a`
/// may be a subset of `b`'s), by the rules of [`compare`].
pub fn same_shape(a: &PortableRegistry, a_id: u32, b: &PortableRegistry, b_id: u32) -> bool {
    let mut c = Comparer { dev: a, reference: b, seen: HashSet::new(), report: Report::default() };
    c.ty("", a_id, b_id);
    c.report.differences.is_empty()
}

struct Comparer<'a> {
    dev: &'a PortableRegistry,
    reference: &'a PortableRegistry,
    seen: HashSet<(u32, u32)>,
    report: Report,
}

impl Comparer<'_> {
    fn differ(&mut self, what: &str, detail: String) {
        self.report.differences.push(format!("{what}: {detail}"));
    }

    fn pallets(&mut self, dev: &RuntimeMetadataV15, reference: &RuntimeMetadataV16) {
        for pallet in &dev.pallets {
            let name = &pallet.name;
            let Some(real) = reference.pallets.iter().find(|p| &p.name == name) else {
                self.differ(name, "pallet missing from the reference".into());
                continue;
            };
            self.report.items += 1;
            if pallet.index != real.index {
                self.differ(name, format!("index {} != {}", pallet.index, real.index));
            }
            let real_entries = real.storage.as_ref().map(|s| &s.entries[..]).unwrap_or(&[]);
            for entry in pallet.storage.iter().flat_map(|s| &s.entries) {
                let what = format!("{name}.{} (storage)", entry.name);
                let newer =
                    NEWER_STORAGE_THAN_REFERENCE.contains(&(name.as_str(), entry.name.as_str()));
                let Some(r) = real_entries.iter().find(|r| r.name == entry.name) else {
                    if !newer {
                        self.differ(&what, "missing from the reference".into());
                    }
                    continue;
                };
                self.report.items += 1;
                if entry.modifier != r.modifier {
                    self.differ(
                        &what,
                        format!("modifier {:?} != {:?}", entry.modifier, r.modifier),
                    );
                }
                if entry.default != r.default {
                    self.differ(
                        &what,
                        format!(
                            "default 0x{} != 0x{}",
                            hex::encode(&entry.default),
                            hex::encode(&r.default)
                        ),
                    );
                }
                match (&entry.ty, &r.ty) {
                    (StorageEntryType::Plain(a), StorageEntryType::Plain(b)) => {
                        self.ty(&what, a.id, b.id)
                    }
                    (
                        StorageEntryType::Map { hashers: ha, key: ka, value: va },
                        StorageEntryType::Map { hashers: hb, key: kb, value: vb },
                    ) => {
                        if ha != hb {
                            self.differ(&what, format!("hashers {ha:?} != {hb:?}"));
                        }
                        self.ty(&format!("{what} key"), ka.id, kb.id);
                        self.ty(&format!("{what} value"), va.id, vb.id);
                    }
                    _ => self.differ(&what, "plain vs map".into()),
                }
            }
            let pairs = [
                (
                    "calls",
                    pallet.calls.as_ref().map(|c| c.ty.id),
                    real.calls.as_ref().map(|c| c.ty.id),
                ),
                (
                    "events",
                    pallet.event.as_ref().map(|c| c.ty.id),
                    real.event.as_ref().map(|c| c.ty.id),
                ),
                (
                    "errors",
                    pallet.error.as_ref().map(|c| c.ty.id),
                    real.error.as_ref().map(|c| c.ty.id),
                ),
            ];
            for (kind, a, b) in pairs {
                match (a, b) {
                    (Some(a), Some(b)) => {
                        self.report.items += self.variant_count(a);
                        self.ty(&format!("{name} {kind}"), a, b);
                    }
                    (Some(_), None) => self.differ(name, format!("reference has no {kind}")),
                    _ => {}
                }
            }
            for constant in &pallet.constants {
                let what = format!("{name}.{} (constant)", constant.name);
                match real.constants.iter().find(|r| r.name == constant.name) {
                    None => self.differ(&what, "missing from the reference".into()),
                    Some(r) => {
                        self.report.items += 1;
                        self.ty(&what, constant.ty.id, r.ty.id);
                        if constant.value != r.value {
                            self.differ(&what, "value differs".into());
                        }
                    }
                }
            }
        }
    }

    fn apis(&mut self, dev: &RuntimeMetadataV15, reference: &RuntimeMetadataV16) {
        for api in &dev.apis {
            let real = reference.apis.iter().find(|a| a.name == api.name);
            for method in &api.methods {
                let what = format!("{}_{} (runtime API)", api.name, method.name);
                let newer =
                    NEWER_THAN_REFERENCE.contains(&(api.name.as_str(), method.name.as_str()));
                let found = real.and_then(|r| r.methods.iter().find(|m| m.name == method.name));
                let r = match (found, newer) {
                    (None, true) => continue,
                    (None, false) => {
                        self.differ(&what, "missing from the reference".into());
                        continue;
                    }
                    (Some(r), _) => r,
                };
                self.report.items += 1;
                let names = |inputs: &[frame_metadata::v15::RuntimeApiMethodParamMetadata<
                    PortableForm,
                >]| {
                    inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>()
                };
                if names(&method.inputs) != names(&r.inputs) {
                    self.differ(
                        &what,
                        format!("inputs {:?} != {:?}", names(&method.inputs), names(&r.inputs)),
                    );
                }
                for (a, b) in method.inputs.iter().zip(&r.inputs) {
                    self.ty(&format!("{what} input {}", a.name), a.ty.id, b.ty.id);
                }
                self.ty(&format!("{what} output"), method.output.id, r.output.id);
            }
        }
    }

    fn extrinsic(&mut self, dev: &RuntimeMetadataV15, reference: &RuntimeMetadataV16) {
        let (e, r) = (&dev.extrinsic, &reference.extrinsic);
        if !r.versions.contains(&e.version) {
            self.differ("extrinsic", format!("version {} not in {:?}", e.version, r.versions));
        }
        self.ty("extrinsic address", e.address_ty.id, r.address_ty.id);
        self.ty("extrinsic signature", e.signature_ty.id, r.signature_ty.id);
        self.ty("extrinsic call", e.call_ty.id, r.call_ty.id);
        let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
        let dev_ids = ids(e.signed_extensions.iter().map(|x| &x.identifier).collect());
        let real_ids = ids(r.transaction_extensions.iter().map(|x| &x.identifier).collect());
        if dev_ids != real_ids {
            self.differ("transaction extensions", format!("{dev_ids:?} != {real_ids:?}"));
        }
        for (a, b) in e.signed_extensions.iter().zip(&r.transaction_extensions) {
            self.report.items += 1;
            self.ty(&format!("extension {}", a.identifier), a.ty.id, b.ty.id);
            self.ty(
                &format!("extension {} implicit", a.identifier),
                a.additional_signed.id,
                b.implicit.id,
            );
        }
    }

    fn variant_count(&self, id: u32) -> usize {
        match self.dev.resolve(id).map(|t| &t.type_def) {
            Some(TypeDef::Variant(v)) => v.variants.len(),
            _ => 1,
        }
    }

    /// Compares the shape of devnet type `a` with reference type `b`, recursively.
    fn ty(&mut self, what: &str, a: u32, b: u32) {
        if !self.seen.insert((a, b)) {
            return;
        }
        let (Some(ta), Some(tb)) = (self.dev.resolve(a), self.reference.resolve(b)) else {
            self.differ(what, format!("type id {a} or {b} does not resolve"));
            return;
        };
        let here = if ta.path.segments.is_empty() {
            what.to_string()
        } else {
            format!("{what} [{}]", ta.path.segments.join("::"))
        };
        if ta.path != tb.path {
            self.differ(&here, format!("path {:?} != {:?}", ta.path.segments, tb.path.segments));
            return;
        }
        let params = |t: &scale_info::Type<PortableForm>| {
            t.type_params.iter().map(|p| (p.name.clone(), p.ty.is_some())).collect::<Vec<_>>()
        };
        if params(ta) != params(tb) {
            self.differ(&here, format!("type params {:?} != {:?}", params(ta), params(tb)));
        }
        for (pa, pb) in ta.type_params.iter().zip(&tb.type_params) {
            if let (Some(x), Some(y)) = (pa.ty, pb.ty) {
                self.ty(&format!("{here} <{}>", pa.name), x.id, y.id);
            }
        }
        match (&ta.type_def, &tb.type_def) {
            (TypeDef::Composite(x), TypeDef::Composite(y)) => {
                self.fields(&here, &x.fields, &y.fields)
            }
            (TypeDef::Variant(x), TypeDef::Variant(y)) => {
                for v in &x.variants {
                    let vwhat = format!("{here}::{}", v.name);
                    match y.variants.iter().find(|w| w.name == v.name) {
                        None => self.differ(&vwhat, "variant missing from the reference".into()),
                        Some(w) => {
                            if v.index != w.index {
                                self.differ(&vwhat, format!("index {} != {}", v.index, w.index));
                            }
                            self.fields(&vwhat, &v.fields, &w.fields);
                        }
                    }
                }
            }
            (TypeDef::Sequence(x), TypeDef::Sequence(y)) => {
                self.ty(&format!("{here} []"), x.type_param.id, y.type_param.id)
            }
            (TypeDef::Array(x), TypeDef::Array(y)) => {
                if x.len != y.len {
                    self.differ(&here, format!("array length {} != {}", x.len, y.len));
                }
                self.ty(&format!("{here} []"), x.type_param.id, y.type_param.id);
            }
            (TypeDef::Tuple(x), TypeDef::Tuple(y)) => {
                if x.fields.len() != y.fields.len() {
                    self.differ(
                        &here,
                        format!("tuple of {} != {}", x.fields.len(), y.fields.len()),
                    );
                }
                for (i, (p, q)) in x.fields.iter().zip(&y.fields).enumerate() {
                    self.ty(&format!("{here}.{i}"), p.id, q.id);
                }
            }
            (TypeDef::Primitive(x), TypeDef::Primitive(y)) => {
                if x != y {
                    self.differ(&here, format!("primitive {x:?} != {y:?}"));
                }
            }
            (TypeDef::Compact(x), TypeDef::Compact(y)) => {
                self.ty(&format!("{here} compact"), x.type_param.id, y.type_param.id)
            }
            (x, y) => self.differ(&here, format!("kind {} != {}", kind(x), kind(y))),
        }
    }

    fn fields(
        &mut self,
        what: &str,
        a: &[scale_info::Field<PortableForm>],
        b: &[scale_info::Field<PortableForm>],
    ) {
        let names = |f: &[scale_info::Field<PortableForm>]| {
            f.iter().map(|f| f.name.clone().unwrap_or_default()).collect::<Vec<_>>()
        };
        if names(a) != names(b) {
            self.differ(what, format!("fields {:?} != {:?}", names(a), names(b)));
            return;
        }
        for f in a.iter().zip(b) {
            let name = f.0.name.clone().unwrap_or_default();
            self.ty(&format!("{what}.{name}"), f.0.ty.id, f.1.ty.id);
        }
    }
}

fn kind(def: &TypeDef<PortableForm>) -> &'static str {
    match def {
        TypeDef::Composite(_) => "composite",
        TypeDef::Variant(_) => "variant",
        TypeDef::Sequence(_) => "sequence",
        TypeDef::Array(_) => "array",
        TypeDef::Tuple(_) => "tuple",
        TypeDef::Primitive(_) => "primitive",
        TypeDef::Compact(_) => "compact",
        TypeDef::BitSequence(_) => "bit sequence",
    }
}
