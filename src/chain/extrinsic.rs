//! One extrinsic of a block, decoded with the block's metadata into the Python Pylon service's
//! JSON: `block_number`, `extrinsic_index`, `extrinsic_hash` (blake2-256 of the opaque bytes,
//! length prefix included), `extrinsic_length` (that prefix), `address` (`null` when unsigned),
//! `call` (`call_module`, `call_function`, `call_args` as `{name, type, value}`, `call_index`,
//! `call_hash`) and, for signed extrinsics, `signature`, `era`, `nonce`, `tip` and `mode`.

use subxt::Metadata;

use super::scale_json::{DecodeError, Py, Renderer, compact, hex0x, take, type_name};

/// The transaction extensions scalecodec shows, by identifier, under its key names.
const SHOWN_EXTENSIONS: [(&str, &str); 6] = [
    ("CheckMortality", "era"),
    ("CheckEra", "era"),
    ("CheckNonce", "nonce"),
    ("ChargeTransactionPayment", "tip"),
    ("ChargeAssetTxPayment", "asset_id"),
    ("CheckMetadataHash", "mode"),
];

/// Decodes the opaque extrinsic `bytes` (with its length prefix) at `block_number`, index `index`.
pub fn decode(
    metadata: &Metadata,
    bytes: &[u8],
    block_number: u64,
    index: u32,
) -> Result<Py, DecodeError> {
    let call = |input: &mut &[u8]| render_call(metadata, input, CallShape::Nested);
    let values = Renderer::new(metadata.types(), &call);
    let input = &mut &bytes[..];
    let length = compact(input)?;
    if length as usize != input.len() {
        return Err(format!("length prefix {length} but {} bytes follow", input.len()));
    }
    let version = take(input, 1)?[0];
    let mut fields = vec![
        ("block_number".to_string(), Py::UInt(block_number.into())),
        ("extrinsic_index".to_string(), Py::UInt(index.into())),
        ("extrinsic_hash".to_string(), Py::Str(hex0x(&sp_crypto_hashing::blake2_256(bytes)))),
        ("extrinsic_length".to_string(), Py::UInt(length)),
    ];
    let (address, signature, extensions) = match (version & 0x80 != 0, version & 0x7f) {
        (false, 4 | 5) if version == 0x04 || version == 0x05 => (Py::Null, None, Vec::new()),
        (true, 4) => {
            let (address_ty, signature_ty) = signature_types(metadata)?;
            let address = values.value(address_ty, input)?;
            let signature = values.value(signature_ty, input)?;
            (address, Some(signature), extensions(metadata, &values, 0, input)?)
        }
        (false, 5) if version == 0x45 => {
            let ext_version = take(input, 1)?[0];
            (Py::Null, None, extensions(metadata, &values, ext_version, input)?)
        }
        _ => return Err(format!("unsupported extrinsic version byte 0x{version:02x}")),
    };
    let call = render_call(metadata, input, CallShape::Top)?;
    if !input.is_empty() {
        return Err(format!("{} bytes left after the call", input.len()));
    }
    fields.push(("address".into(), address));
    fields.push(("call".into(), call));
    if let Some(signature) = signature {
        fields.push(("signature".into(), signature));
    }
    for (_, key) in SHOWN_EXTENSIONS {
        if let Some((_, value)) = extensions.iter().find(|(k, _)| *k == key)
            && !fields.iter().any(|(k, _)| k == key)
        {
            fields.push((key.to_string(), value.clone()));
        }
    }
    Ok(Py::Dict(fields))
}

/// The address and signature types of signed extrinsics.
fn signature_types(metadata: &Metadata) -> Result<(u32, u32), DecodeError> {
    use subxt::ext::frame_decode::extrinsics::ExtrinsicTypeInfo;
    let info = metadata.extrinsic_signature_info().map_err(|e| e.to_string())?;
    Ok((info.address_id, info.signature_id))
}

/// Decodes the transaction extensions of `version`, keeping the ones scalecodec names.
fn extensions(
    metadata: &Metadata,
    values: &Renderer<'_>,
    version: u8,
    input: &mut &[u8],
) -> Result<Vec<(&'static str, Py)>, DecodeError> {
    let list = metadata
        .extrinsic()
        .transaction_extensions_by_version(version)
        .ok_or_else(|| format!("no transaction extensions of version {version}"))?;
    let mut shown = Vec::new();
    for extension in list {
        let value = values.value(extension.extra_ty(), input)?;
        if let Some((_, key)) =
            SHOWN_EXTENSIONS.iter().find(|(id, _)| *id == extension.identifier())
        {
            shown.push((*key, value));
        }
    }
    Ok(shown)
}

/// The key order of a call: the service reorders the top-level one, nested ones keep
/// scalecodec's.
#[derive(Clone, Copy)]
enum CallShape {
    Top,
    Nested,
}

fn render_call(
    metadata: &Metadata,
    input: &mut &[u8],
    shape: CallShape,
) -> Result<Py, DecodeError> {
    let start: &[u8] = input;
    let pallet_index = take(input, 1)?[0];
    let pallet = metadata
        .pallet_by_call_index(pallet_index)
        .ok_or_else(|| format!("no pallet with call index {pallet_index}"))?;
    let call_index = take(input, 1)?[0];
    let variant = pallet
        .call_variant_by_index(call_index)
        .ok_or_else(|| format!("no call {call_index} in pallet {}", pallet.name()))?;
    let nested = |input: &mut &[u8]| render_call(metadata, input, CallShape::Nested);
    let values = Renderer::new(metadata.types(), &nested);
    let mut args = Vec::with_capacity(variant.fields.len());
    for field in &variant.fields {
        let value = values.value(field.ty.id, input).map_err(|e| {
            let name = field.name.as_deref().unwrap_or("?");
            format!("{}.{} argument {name}: {e}", pallet.name(), variant.name)
        })?;
        args.push(Py::dict([
            ("name", field.name.clone().map_or(Py::Null, Py::Str)),
            ("type", field.type_name.as_deref().map_or(Py::Null, |t| Py::Str(type_name(t)))),
            ("value", value),
        ]));
    }
    let used = &start[..start.len() - input.len()];
    let index = Py::Str(format!("0x{pallet_index:02x}{call_index:02x}"));
    let function = Py::Str(variant.name.clone());
    let module = Py::Str(pallet.name().to_string());
    let hash = Py::Str(hex0x(&sp_crypto_hashing::blake2_256(used)));
    let args = Py::List(args);
    Ok(match shape {
        CallShape::Top => Py::dict([
            ("call_module", module),
            ("call_function", function),
            ("call_args", args),
            ("call_index", index),
            ("call_hash", hash),
        ]),
        CallShape::Nested => Py::dict([
            ("call_index", index),
            ("call_function", function),
            ("call_module", module),
            ("call_args", args),
            ("call_hash", hash),
        ]),
    })
}
