//! SCALE values rendered as the Python Pylon service renders them: the JSON form of
//! `scalecodec` (the decoder turbobt uses) with metadata types and no SS58 format. Account ids
//! and fixed byte arrays are `0x` hex, byte vectors are text when they are UTF-8 (else hex),
//! unit variants are their name, other variants `{name: value}`, options `null` or the value,
//! one-field tuples and composites their field's value, eras `"00"` or `[period, phase]`.
//!
//! The rules follow scalecodec's behaviour, checked against scalecodec itself by the
//! `extrinsic_oracle` test over every call of the finney metadata.

use parity_scale_codec::{Compact, Decode};
use scale_info::form::PortableForm;
use scale_info::{Field, PortableRegistry, Type, TypeDef, TypeDefPrimitive};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A decoded value, with Python's shapes (dict keys keep their order).
#[derive(Clone, Debug, PartialEq)]
pub enum Py {
    /// `None`.
    Null,
    /// A bool.
    Bool(bool),
    /// A signed integer.
    Int(i128),
    /// An unsigned integer (u128 values above 2^64 stay exact).
    UInt(u128),
    /// A 256-bit integer, as decimal digits.
    Big(String),
    /// A string.
    Str(String),
    /// A list (Python lists and tuples).
    List(Vec<Py>),
    /// A dict, in insertion order.
    Dict(Vec<(String, Py)>),
}

impl Py {
    /// A dict from `(key, value)` pairs.
    pub fn dict<const N: usize>(pairs: [(&str, Py); N]) -> Py {
        Py::Dict(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// The value under `key`, for dicts.
    pub fn get(&self, key: &str) -> Option<&Py> {
        match self {
            Py::Dict(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Serialize for Py {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Py::Null => s.serialize_none(),
            Py::Bool(b) => s.serialize_bool(*b),
            Py::Int(i) => s.serialize_i128(*i),
            Py::UInt(u) => s.serialize_u128(*u),
            Py::Big(digits) => match serde_json::value::RawValue::from_string(digits.clone()) {
                Ok(raw) => raw.serialize(s),
                Err(_) => s.serialize_str(digits),
            },
            Py::Str(text) => s.serialize_str(text),
            Py::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Py::Dict(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Why bytes did not decode.
pub type DecodeError = String;

/// `0x` + lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Bytes as scalecodec shows a byte vector: UTF-8 text when valid, else hex.
pub fn text_or_hex(bytes: &[u8]) -> Py {
    match std::str::from_utf8(bytes) {
        Ok(text) => Py::Str(text.to_string()),
        Err(_) => Py::Str(hex0x(bytes)),
    }
}

/// Takes `n` bytes from `input`.
pub fn take<'a>(input: &mut &'a [u8], n: usize) -> Result<&'a [u8], DecodeError> {
    if input.len() < n {
        return Err(format!("needs {n} more bytes, {} left", input.len()));
    }
    let (head, tail) = input.split_at(n);
    *input = tail;
    Ok(head)
}

/// A SCALE compact integer.
pub fn compact(input: &mut &[u8]) -> Result<u128, DecodeError> {
    Compact::<u128>::decode(input).map(|c| c.0).map_err(|e| format!("bad compact: {e}"))
}

fn length(input: &mut &[u8]) -> Result<usize, DecodeError> {
    let n = compact(input)?;
    usize::try_from(n).ok().filter(|n| *n <= input.len().max(1) * 8).ok_or(format!("length {n}"))
}

/// Renders values of a type registry.
pub struct Renderer<'a> {
    types: &'a PortableRegistry,
    /// Renders an outer `RuntimeCall` (its own shape: index, function, module, args, hash).
    call: &'a dyn Fn(&mut &[u8]) -> Result<Py, DecodeError>,
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

impl<'a> Renderer<'a> {
    /// A renderer over `types`; `call` renders nested calls.
    pub fn new(
        types: &'a PortableRegistry,
        call: &'a dyn Fn(&mut &[u8]) -> Result<Py, DecodeError>,
    ) -> Self {
        Self { types, call }
    }

    fn ty(&self, id: u32) -> Result<&'a Type<PortableForm>, DecodeError> {
        self.types.resolve(id).ok_or_else(|| format!("type {id} is not in the metadata"))
    }

    fn is_u8(&self, id: u32) -> bool {
        matches!(
            self.types.resolve(id).map(|t| &t.type_def),
            Some(TypeDef::Primitive(TypeDefPrimitive::U8))
        )
    }

    /// Decodes one value of type `id` from `input`.
    pub fn value(&self, id: u32, input: &mut &[u8]) -> Result<Py, DecodeError> {
        self.at_depth(id, input, 0)
    }

    fn at_depth(&self, id: u32, input: &mut &[u8], depth: usize) -> Result<Py, DecodeError> {
        self.at_depth_inner(id, input, depth).map_err(|e| match self.types.resolve(id) {
            Some(ty) if !ty.path.segments.is_empty() && !e.contains(" in ") => {
                format!("{e} in {}", name_of(ty))
            }
            _ => e,
        })
    }

    fn at_depth_inner(&self, id: u32, input: &mut &[u8], depth: usize) -> Result<Py, DecodeError> {
        if depth > MAX_DEPTH {
            return Err("values nest too deeply".into());
        }
        let ty = self.ty(id)?;
        if let Some(special) = self.by_path(ty, input, depth)? {
            return Ok(special);
        }
        let next = depth + 1;
        match &ty.type_def {
            TypeDef::Primitive(p) => primitive(p, input),
            TypeDef::Compact(_) => Ok(Py::UInt(compact(input)?)),
            TypeDef::Array(a) if self.is_u8(a.type_param.id) && a.len > 0 => {
                Ok(Py::Str(hex0x(take(input, a.len as usize)?)))
            }
            TypeDef::Array(a) => (0..a.len)
                .map(|_| self.at_depth(a.type_param.id, input, next))
                .collect::<Result<_, _>>()
                .map(Py::List),
            TypeDef::Sequence(s) => {
                let n = length(input)?;
                if self.is_u8(s.type_param.id) {
                    return Ok(text_or_hex(take(input, n)?));
                }
                (0..n)
                    .map(|_| self.at_depth(s.type_param.id, input, next))
                    .collect::<Result<_, _>>()
                    .map(Py::List)
            }
            TypeDef::Tuple(t) => {
                let ids: Vec<u32> = t.fields.iter().map(|f| f.id).collect();
                self.tuple(&ids, input, next)
            }
            TypeDef::Composite(c) => self.fields(&c.fields, input, next),
            TypeDef::Variant(v) => {
                let index = take(input, 1)?[0];
                let variant = v
                    .variants
                    .iter()
                    .find(|x| x.index == index)
                    .ok_or_else(|| format!("variant index {index} of {}", name_of(ty)))?;
                if variant.fields.is_empty() {
                    return Ok(Py::Str(variant.name.clone()));
                }
                let inner = self.fields(&variant.fields, input, next)?;
                Ok(Py::Dict(vec![(variant.name.clone(), inner)]))
            }
            TypeDef::BitSequence(_) => bits(input),
        }
    }

    /// A struct (all fields named, or none) is a dict; otherwise a tuple.
    fn fields(
        &self,
        fields: &[Field<PortableForm>],
        input: &mut &[u8],
        depth: usize,
    ) -> Result<Py, DecodeError> {
        if fields.iter().all(|f| f.name.is_some()) {
            let mut pairs = Vec::with_capacity(fields.len());
            for f in fields {
                let name = f.name.clone().unwrap_or_default();
                pairs.push((name, self.at_depth(f.ty.id, input, depth)?));
            }
            return Ok(Py::Dict(pairs));
        }
        let ids: Vec<u32> = fields.iter().map(|f| f.ty.id).collect();
        self.tuple(&ids, input, depth)
    }

    /// A one-element tuple is its element.
    fn tuple(&self, ids: &[u32], input: &mut &[u8], depth: usize) -> Result<Py, DecodeError> {
        if let [only] = ids {
            return self.at_depth(*only, input, depth);
        }
        ids.iter()
            .map(|id| self.at_depth(*id, input, depth))
            .collect::<Result<_, _>>()
            .map(Py::List)
    }

    /// Types scalecodec decodes by their path rather than their shape.
    fn by_path(
        &self,
        ty: &Type<PortableForm>,
        input: &mut &[u8],
        depth: usize,
    ) -> Result<Option<Py>, DecodeError> {
        let path = ty.path.segments.iter().map(String::as_str).collect::<Vec<_>>();
        let param = |name: &str| ty.type_params.iter().find(|p| p.name == name).and_then(|p| p.ty);
        Ok(Some(match path.as_slice() {
            ["sp_core", "crypto", "AccountId32"] | ["primitive_types", "H256"] => {
                Py::Str(hex0x(take(input, 32)?))
            }
            ["primitive_types", "U256"] => Py::Big(u256_decimal(take(input, 32)?)),
            ["sp_runtime", "generic", "era", "Era"] => era(input)?,
            ["Option"] => match take(input, 1)?[0] {
                0 => Py::Null,
                _ => {
                    let inner = param("T").ok_or("Option without a type parameter")?;
                    self.at_depth(inner.id, input, depth + 1)?
                }
            },
            ["sp_runtime", "multiaddress", "MultiAddress"] => {
                let TypeDef::Variant(_) = &ty.type_def else { return Ok(None) };
                let index = input.first().copied();
                let value = self.variant_value(ty, input, depth)?;
                match (index, value) {
                    (Some(0 | 1), Py::Dict(mut pairs)) if pairs.len() == 1 => pairs.remove(0).1,
                    (_, other) => other,
                }
            }
            [.., last] if path.len() == 2 && matches!(*last, "Call" | "RuntimeCall") => {
                (self.call)(input)?
            }
            [.., "runtime", "Call"] if path.len() == 3 => (self.call)(input)?,
            _ => return Ok(None),
        }))
    }

    /// The generic rendering of a variant type (used under a path override).
    fn variant_value(
        &self,
        ty: &Type<PortableForm>,
        input: &mut &[u8],
        depth: usize,
    ) -> Result<Py, DecodeError> {
        let TypeDef::Variant(v) = &ty.type_def else { return Err("not a variant".into()) };
        let index = take(input, 1)?[0];
        let variant = v.variants.iter().find(|x| x.index == index).ok_or("bad variant")?;
        if variant.fields.is_empty() {
            return Ok(Py::Str(variant.name.clone()));
        }
        let inner = self.fields(&variant.fields, input, depth + 1)?;
        Ok(Py::Dict(vec![(variant.name.clone(), inner)]))
    }
}

fn name_of(ty: &Type<PortableForm>) -> String {
    ty.path.segments.join("::")
}

fn primitive(p: &TypeDefPrimitive, input: &mut &[u8]) -> Result<Py, DecodeError> {
    fn le<const N: usize>(input: &mut &[u8]) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(take(input, N)?);
        Ok(out)
    }
    Ok(match p {
        TypeDefPrimitive::Bool => match take(input, 1)?[0] {
            0 => Py::Bool(false),
            1 => Py::Bool(true),
            b => return Err(format!("bool byte {b}")),
        },
        TypeDefPrimitive::Char => {
            let code = u32::from_le_bytes(le::<4>(input)?);
            Py::Str(char::from_u32(code).ok_or(format!("char {code}"))?.to_string())
        }
        TypeDefPrimitive::Str => {
            let n = length(input)?;
            text_or_hex(take(input, n)?)
        }
        TypeDefPrimitive::U8 => Py::UInt(le::<1>(input)?[0].into()),
        TypeDefPrimitive::U16 => Py::UInt(u16::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::U32 => Py::UInt(u32::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::U64 => Py::UInt(u64::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::U128 => Py::UInt(u128::from_le_bytes(le(input)?)),
        TypeDefPrimitive::I8 => Py::Int(i8::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::I16 => Py::Int(i16::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::I32 => Py::Int(i32::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::I64 => Py::Int(i64::from_le_bytes(le(input)?).into()),
        TypeDefPrimitive::I128 => Py::Int(i128::from_le_bytes(le(input)?)),
        TypeDefPrimitive::U256 => Py::Big(u256_decimal(take(input, 32)?)),
        TypeDefPrimitive::I256 => return Err("i256 values are not supported".into()),
    })
}

/// Decimal digits of a little-endian unsigned 256-bit integer.
fn u256_decimal(le: &[u8]) -> String {
    let mut limbs: Vec<u32> = le
        .chunks(4)
        .map(|c| c.iter().rev().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
        .collect();
    let mut digits = Vec::new();
    while limbs.iter().any(|l| *l != 0) {
        let mut rem = 0u64;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 10) as u32;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `Era`: `"00"` when immortal, else `[period, phase]`.
fn era(input: &mut &[u8]) -> Result<Py, DecodeError> {
    let first = take(input, 1)?[0];
    if first == 0 {
        return Ok(Py::Str("00".into()));
    }
    let encoded = u64::from(first) + (u64::from(take(input, 1)?[0]) << 8);
    let period = 2u64 << (encoded % 16);
    let quantize = (period >> 12).max(1);
    let phase = (encoded >> 4) * quantize;
    if period >= 4 && phase < period {
        Ok(Py::List(vec![Py::UInt(period.into()), Py::UInt(phase.into())]))
    } else {
        Err(format!("invalid era: period {period}, phase {phase}"))
    }
}

/// A bit sequence: `0b` and the bits, most significant first.
fn bits(input: &mut &[u8]) -> Result<Py, DecodeError> {
    let n = length(input)?;
    let bytes = take(input, n.div_ceil(8))?;
    let mut text = String::from("0b");
    let width = bytes.len() * 8;
    let digits: String = (0..width)
        .rev()
        .map(|i| if bytes[i / 8] >> (i % 8) & 1 == 1 { '1' } else { '0' })
        .collect();
    let trimmed = match digits.trim_start_matches('0') {
        "" => "0",
        rest => rest,
    };
    let pad = n.saturating_sub(trimmed.len());
    text.extend(std::iter::repeat_n('0', pad));
    text.push_str(trimmed);
    Ok(Py::Str(text))
}

/// scalecodec's display form of a metadata type name (`T::Moment` → `Moment`,
/// `Vec<u8>` → `Bytes`, `Box<X>` → `X`, `AccountIdLookupOf<T>` → `AccountIdLookupOf`).
pub fn type_name(name: &str) -> String {
    let mut n = name.replace("T::", "");
    if n.len() >= 3 && n[..3].eq_ignore_ascii_case("t::") {
        n = n[3..].to_string();
    }
    for pattern in
        ["<T>", "<T as Trait>::", "<T as Trait<I>>::", "<T as Config>::", "<T as Config<I>>::"]
    {
        n = remove_ignore_case(&n, pattern);
    }
    n = n.replace('\n', "");
    for prefix in
        ["grandpa::", "session::", "slashing::", "limits::", "beefy_primitives::", "xcm::opaque::"]
    {
        if let Some(rest) = n.strip_prefix(prefix) {
            n = rest.to_string();
            break;
        }
    }
    n = replace_ignore_case(&n, "VecDeque<", "Vec<");
    if n.len() > 5 && n[..4].eq_ignore_ascii_case("box<") && n.ends_with('>') {
        n = n[4..n.len() - 1].to_string();
    }
    let lower = n.to_lowercase();
    match lower.as_str() {
        "()" => "Null".into(),
        "vec<u8>" | "&[u8]" | "& 'static[u8]" => "Bytes".into(),
        "<lookup as staticlookup>::source" => "LookupSource".into(),
        "<balance as hascompact>::type" => "Compact<Balance>".into(),
        "<blocknumber as hascompact>::type" => "Compact<BlockNumber>".into(),
        "<moment as hascompact>::type" => "Compact<Moment>".into(),
        "<inherentofflinereport as inherentofflinereport>::inherent" => {
            "InherentOfflineReport".into()
        }
        _ => n,
    }
}

fn remove_ignore_case(text: &str, pattern: &str) -> String {
    replace_ignore_case(text, pattern, "")
}

fn replace_ignore_case(text: &str, pattern: &str, with: &str) -> String {
    let (lower, pat) = (text.to_ascii_lowercase(), pattern.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(found) = lower[i..].find(&pat) {
        out.push_str(&text[i..i + found]);
        out.push_str(with);
        i += found + pat.len();
    }
    out.push_str(&text[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_as_scalecodec_shows_them() {
        assert_eq!(type_name("T::Moment"), "Moment");
        assert_eq!(type_name("Vec<u8>"), "Bytes");
        assert_eq!(type_name("Box<CommitmentInfo<T::MaxFields>>"), "CommitmentInfo<MaxFields>");
        assert_eq!(type_name("AccountIdLookupOf<T>"), "AccountIdLookupOf");
        assert_eq!(type_name("Box<<T as Config>::RuntimeCall>"), "RuntimeCall");
        assert_eq!(type_name("VecDeque<u8>"), "Bytes");
        assert_eq!(type_name("()"), "Null");
        assert_eq!(type_name("NetUid"), "NetUid");
    }

    #[test]
    fn eras_and_big_numbers() {
        assert_eq!(era(&mut &[0u8][..]), Ok(Py::Str("00".into())));
        // period 64, phase 27 (bittensor's default era at block 4500123).
        let encoded: u16 = (27 << 4) | 5;
        let bytes = encoded.to_le_bytes();
        assert_eq!(era(&mut &bytes[..]), Ok(Py::List(vec![Py::UInt(64), Py::UInt(27)])));
        let mut max = [0xffu8; 32];
        assert_eq!(
            u256_decimal(&max),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        max[0] = 10;
        max[1..].fill(0);
        assert_eq!(u256_decimal(&max), "10");
        assert_eq!(u256_decimal(&[0; 32]), "0");
    }

    #[test]
    fn byte_vectors_are_text_when_they_can_be() {
        assert_eq!(text_or_hex(b"hello"), Py::Str("hello".into()));
        assert_eq!(text_or_hex(&[0xff, 0x00]), Py::Str("0xff00".into()));
        assert_eq!(text_or_hex(b""), Py::Str(String::new()));
        assert_eq!(bits(&mut &[20u8, 0b1_0110][..]), Ok(Py::Str("0b10110".into())));
    }

    #[test]
    fn big_integers_serialize_exactly() {
        let v = Py::List(vec![Py::UInt(u128::MAX), Py::Big("1".repeat(70)), Py::Int(-3)]);
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(text, format!("[{},{},-3]", u128::MAX, "1".repeat(70)));
    }
}
