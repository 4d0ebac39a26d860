//! Pylon's extrinsic JSON against the decoder the Python service uses (scalecodec, set up as
//! turbobt sets it up): three extrinsics per call of real finney metadata (some unsigned), with pseudo-random arguments generated from the metadata's types, each decoded by
//! both and compared field by field. The oracle runs in `PYLON_SDK11_PYTHON` (turbobt's venv).

use std::io::Write;
use std::path::Path;

use parity_scale_codec::{Compact, Encode};
use scale_info::form::PortableForm;
use scale_info::{PortableRegistry, Type, TypeDef, TypeDefPrimitive};

/// xorshift64*: deterministic, so a failure names a reproducible case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Writes SCALE values of a registry's types with pseudo-random contents.
struct Gen<'a> {
    types: &'a PortableRegistry,
    rng: Rng,
    /// Pallet index and call variant of a shallow call to nest where calls nest.
    leaf_call: (u8, u8),
    call_pallets: Vec<(u8, u32)>,
    /// Set when a value of an uninhabited type (an enum without variants) was asked for: no
    /// real extrinsic holds one.
    impossible: bool,
}

impl Gen<'_> {
    fn ty(&self, id: u32) -> &Type<PortableForm> {
        self.types.resolve(id).expect("type in registry")
    }

    fn value(&mut self, id: u32, out: &mut Vec<u8>, depth: usize) {
        let ty = self.ty(id).clone();
        let path: Vec<&str> = ty.path.segments.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["sp_runtime", "generic", "era", "Era"] => {
                if self.rng.below(3) == 0 {
                    out.push(0);
                } else {
                    let phase = self.rng.below(64) as u16;
                    out.extend(((phase << 4) | 5).to_le_bytes());
                }
                return;
            }
            [_, "RuntimeCall"] => return self.call(out, depth + 1),
            _ => {}
        }
        match &ty.type_def {
            TypeDef::Primitive(p) => self.primitive(p, out),
            TypeDef::Compact(c) => {
                let bound = match self.ty(c.type_param.id).type_def {
                    TypeDef::Primitive(TypeDefPrimitive::U8) => 1 << 8,
                    TypeDef::Primitive(TypeDefPrimitive::U16) => 1 << 16,
                    TypeDef::Primitive(TypeDefPrimitive::U64 | TypeDefPrimitive::U128) => u64::MAX,
                    _ => 1 << 32,
                };
                let scale = [64, 1 << 14, 1 << 30, bound][self.rng.below(4) as usize].min(bound);
                Compact(self.rng.below(scale) as u128).encode_to(out);
            }
            TypeDef::Array(a) => {
                for _ in 0..a.len {
                    self.value(a.type_param.id, out, depth + 1);
                }
            }
            TypeDef::Sequence(s) => {
                let element = s.type_param.id;
                if matches!(self.ty(element).type_def, TypeDef::Primitive(TypeDefPrimitive::U8)) {
                    let bytes = match self.rng.below(3) {
                        0 => b"pylon says hello".to_vec(),
                        1 => {
                            let n = self.rng.below(40) as usize;
                            self.rng.bytes(n)
                        }
                        _ => Vec::new(),
                    };
                    bytes.encode_to(out);
                    return;
                }
                let n = if depth > 4 { 0 } else { self.rng.below(3) };
                Compact(n as u32).encode_to(out);
                for _ in 0..n {
                    self.value(element, out, depth + 1);
                }
            }
            TypeDef::Tuple(t) => {
                for f in &t.fields {
                    self.value(f.id, out, depth + 1);
                }
            }
            TypeDef::Composite(c) => {
                for f in &c.fields {
                    self.value(f.ty.id, out, depth + 1);
                }
            }
            TypeDef::Variant(v) => {
                if v.variants.is_empty() {
                    self.impossible = true;
                    return;
                }
                let pick = if depth > 5 {
                    v.variants.iter().min_by_key(|x| x.fields.len()).expect("a variant")
                } else {
                    &v.variants[self.rng.below(v.variants.len() as u64) as usize]
                };
                out.push(pick.index);
                for f in pick.fields.clone() {
                    self.value(f.ty.id, out, depth + 1);
                }
            }
            TypeDef::BitSequence(_) => {
                let n = self.rng.below(20) as usize;
                Compact(n as u32).encode_to(out);
                out.extend(self.rng.bytes(n.div_ceil(8)));
            }
        }
    }

    fn primitive(&mut self, p: &TypeDefPrimitive, out: &mut Vec<u8>) {
        let n = match p {
            TypeDefPrimitive::Bool => return out.push(self.rng.below(2) as u8),
            TypeDefPrimitive::Char => return out.extend(u32::from(b'p').to_le_bytes()),
            TypeDefPrimitive::Str => return "text".encode_to(out),
            TypeDefPrimitive::U8 | TypeDefPrimitive::I8 => 1,
            TypeDefPrimitive::U16 | TypeDefPrimitive::I16 => 2,
            TypeDefPrimitive::U32 | TypeDefPrimitive::I32 => 4,
            TypeDefPrimitive::U64 | TypeDefPrimitive::I64 => 8,
            TypeDefPrimitive::U128 | TypeDefPrimitive::I128 => 16,
            TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => 32,
        };
        let bytes = self.rng.bytes(n);
        out.extend(bytes);
    }

    /// A call: a random pallet and call, or a shallow one when nested deep.
    fn call(&mut self, out: &mut Vec<u8>, depth: usize) {
        let (pallet, call_ty) = if depth > 2 {
            let (p, _) = self.leaf_call;
            *self.call_pallets.iter().find(|(i, _)| *i == p).expect("leaf pallet")
        } else {
            self.call_pallets[self.rng.below(self.call_pallets.len() as u64) as usize]
        };
        out.push(pallet);
        if depth > 2 {
            out.push(self.leaf_call.1);
            return self.fields_of(call_ty, self.leaf_call.1, out, depth);
        }
        let TypeDef::Variant(v) = &self.ty(call_ty).type_def else { panic!("calls are variants") };
        let indexes: Vec<u8> = v.variants.iter().map(|x| x.index).collect();
        let index = indexes[self.rng.below(indexes.len() as u64) as usize];
        out.push(index);
        self.fields_of(call_ty, index, out, depth);
    }

    fn fields_of(&mut self, call_ty: u32, index: u8, out: &mut Vec<u8>, depth: usize) {
        let TypeDef::Variant(v) = &self.ty(call_ty).type_def else { panic!("calls are variants") };
        let fields = v.variants.iter().find(|x| x.index == index).expect("variant").fields.clone();
        for f in fields {
            self.value(f.ty.id, out, depth);
        }
    }
}

/// How many extrinsics each call gets (with different arguments).
const ROUNDS: usize = 3;

/// Cases: `(hex, pylon's JSON text)` (text: u128 values do not fit a `serde_json::Value`), one signed extrinsic per call and an unsigned one per pallet.
fn cases(md: &frame_metadata::v16::RuntimeMetadataV16) -> Vec<(String, String)> {
    let metadata = subxt::Metadata::from_v16(md.clone()).expect("subxt reads finney metadata");
    let call_pallets: Vec<(u8, u32)> =
        md.pallets.iter().filter_map(|p| p.calls.as_ref().map(|c| (p.index, c.ty.id))).collect();
    let system = md.pallets.iter().find(|p| p.name == "System").expect("System pallet");
    let remark = metadata
        .pallet_by_name("System")
        .and_then(|p| p.call_variant_by_name("remark"))
        .expect("System.remark")
        .index;
    let mut g = Gen {
        types: &md.types,
        rng: Rng(0x5eed_1234_abcd_0042),
        leaf_call: (system.index, remark),
        call_pallets: call_pallets.clone(),
        impossible: false,
    };
    let extensions: Vec<u32> = md.extrinsic.transaction_extensions_by_version[&0]
        .iter()
        .map(|i| md.extrinsic.transaction_extensions[i.0 as usize].ty.id)
        .collect();
    let mut out = Vec::new();
    for (pallet, call_ty) in call_pallets.iter().cycle().take(ROUNDS * call_pallets.len()) {
        let TypeDef::Variant(v) = &g.ty(*call_ty).type_def.clone() else { continue };
        for (n, variant) in v.variants.iter().enumerate() {
            let mut body = Vec::new();
            let signed = n % 5 != 4;
            if signed {
                body.push(0x84);
                g.value(md.extrinsic.address_ty.id, &mut body, 0);
                g.value(md.extrinsic.signature_ty.id, &mut body, 0);
                for ty in &extensions {
                    g.value(*ty, &mut body, 0);
                }
            } else {
                body.push(0x04);
            }
            body.push(*pallet);
            body.push(variant.index);
            g.fields_of(*call_ty, variant.index, &mut body, 0);
            if std::mem::take(&mut g.impossible) {
                continue;
            }
            let bytes = body.encode();
            let index = out.len() as u32;
            let rendered = pylon::chain::extrinsic::decode(&metadata, &bytes, 4_500_123, index)
                .unwrap_or_else(|e| panic!("pylon cannot decode {}.{}: {e}", pallet, variant.name));
            out.push((hex::encode(&bytes), serde_json::to_string(&rendered).expect("json")));
        }
    }
    out
}

#[test]
fn extrinsics_render_as_scalecodec_renders_them() {
    let Some(md) = crate::conformance::reference() else { return };
    let Some(python) = crate::clients::interpreter("PYLON_SDK11_PYTHON") else { return };
    let cases = cases(&md);
    assert!(cases.len() > 700, "three cases per finney call: {}", cases.len());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("metadata.scale"), crate::v15::encode(&md)).expect("write");
    let mut file = std::fs::File::create(dir.path().join("cases.jsonl")).expect("cases");
    for (hex, json) in &cases {
        writeln!(file, r#"{{"hex": "{hex}", "pylon": {json}}}"#).expect("write case");
    }
    drop(file);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/scalecodec_oracle.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(dir.path().join("metadata.scale"))
        .arg(dir.path().join("cases.jsonl"))
        .output()
        .expect("run the oracle");
    let (out, err) =
        (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "scalecodec disagrees:\n{out}\n{err}");
    let _ = writeln!(std::io::stderr(), "{}", out.lines().last().unwrap_or_default());
}
