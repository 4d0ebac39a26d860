//! The extrinsics Pylon submits, built as dynamic payloads (field order and types as in the
//! runtime metadata), and commitment data checked against the `Commitments.Data` limits.

use subxt::dynamic::{self, Value};

/// Longest commitment that fits one `Raw<len>` field.
pub const MAX_RAW: usize = 128;
/// Longest commitment that fits the `BigRaw` field.
pub const MAX_BIG_RAW: usize = 512;

/// A dynamic extrinsic payload.
pub type Call = subxt::transactions::DynamicPayload<Vec<Value>>;

/// Commitment data that cannot be stored.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataError {
    /// Nothing to commit.
    #[error("the commitment is empty (at least 1 byte is needed)")]
    Empty,
    /// More than `BigRaw` holds.
    #[error(
        "the commitment is {0} bytes; at most {MAX_BIG_RAW} fit (Raw up to {MAX_RAW}, BigRaw up to {MAX_BIG_RAW})"
    )]
    TooLong(usize),
    /// A timelocked commitment whose ciphertext exceeds what the pallet stores.
    #[error("the encrypted commitment is {0} bytes; at most 1024 fit (about 800 bytes of data)")]
    EncryptedTooLong(usize),
}

/// The `Data` variant for `bytes`: `Raw<len>` up to 128 bytes, `BigRaw` up to 512.
pub fn commitment_data(bytes: &[u8]) -> Result<Value, DataError> {
    match bytes.len() {
        0 => Err(DataError::Empty),
        n if n <= MAX_RAW => {
            Ok(Value::unnamed_variant(format!("Raw{n}"), [Value::from_bytes(bytes)]))
        }
        n if n <= MAX_BIG_RAW => Ok(Value::unnamed_variant("BigRaw", [Value::from_bytes(bytes)])),
        n => Err(DataError::TooLong(n)),
    }
}

/// `Commitments.set_commitment(netuid, CommitmentInfo { fields: [data] })`.
pub fn set_commitment(netuid: u16, data: Value) -> Call {
    dynamic::tx(
        "Commitments",
        "set_commitment",
        vec![
            Value::u128(u128::from(netuid)),
            Value::named_composite([("fields", Value::unnamed_composite([data]))]),
        ],
    )
}

fn u16s(values: impl IntoIterator<Item = u16>) -> Value {
    Value::unnamed_composite(values.into_iter().map(|v| Value::u128(u128::from(v))))
}

/// `SubtensorModule.set_mechanism_weights(netuid, mecid, dests, weights, version_key)`.
pub fn set_mechanism_weights(
    netuid: u16,
    mechanism: u8,
    vector: &[(u16, u16)],
    version_key: u64,
) -> Call {
    dynamic::tx(
        "SubtensorModule",
        "set_mechanism_weights",
        vec![
            Value::u128(u128::from(netuid)),
            Value::u128(u128::from(mechanism)),
            u16s(vector.iter().map(|(uid, _)| *uid)),
            u16s(vector.iter().map(|(_, w)| *w)),
            Value::u128(u128::from(version_key)),
        ],
    )
}

/// Where an axon is served, as `serve_axon` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The IP as an integer (IPv4 in the low 32 bits).
    pub ip: u128,
    /// The port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
    /// The protocol number.
    pub protocol: u8,
}

impl Endpoint {
    /// Parses the text form the reads give (`"1.2.3.4"` or an IPv6 address).
    pub fn parse(ip: &str, port: u16, protocol: u8) -> Option<Self> {
        match ip.parse::<std::net::IpAddr>().ok()? {
            std::net::IpAddr::V4(v4) => {
                Some(Self { ip: u128::from(u32::from(v4)), port, ip_type: 4, protocol })
            }
            std::net::IpAddr::V6(v6) => {
                Some(Self { ip: u128::from(v6), port, ip_type: 6, protocol })
            }
        }
    }
}

/// `SubtensorModule.serve_axon_tls(netuid, version, ip, port, ip_type, protocol, 0, 0,
/// certificate)`, the certificate being the algorithm byte followed by the public key.
pub fn serve_axon_tls(netuid: u16, at: Endpoint, algorithm: u8, public_key: &[u8]) -> Call {
    let mut certificate = vec![algorithm];
    certificate.extend_from_slice(public_key);
    dynamic::tx(
        "SubtensorModule",
        "serve_axon_tls",
        vec![
            Value::u128(u128::from(netuid)),
            Value::u128(0),
            Value::u128(at.ip),
            Value::u128(u128::from(at.port)),
            Value::u128(u128::from(at.ip_type)),
            Value::u128(u128::from(at.protocol)),
            Value::u128(0),
            Value::u128(0),
            Value::from_bytes(&certificate),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_sizes_pick_the_variant_or_fail() {
        let name = |v: Value| match v.value {
            subxt::ext::scale_value::ValueDef::Variant(v) => v.name,
            other => panic!("not a variant: {other:?}"),
        };
        assert_eq!(name(commitment_data(b"a").expect("fits")), "Raw1");
        assert_eq!(name(commitment_data(&[0; 128]).expect("fits")), "Raw128");
        assert_eq!(name(commitment_data(&[0; 129]).expect("fits")), "BigRaw");
        assert_eq!(name(commitment_data(&[0; 512]).expect("fits")), "BigRaw");
        assert_eq!(commitment_data(&[0; 513]).unwrap_err(), DataError::TooLong(513));
        assert_eq!(commitment_data(b"").unwrap_err(), DataError::Empty);
    }

    #[test]
    fn endpoints_parse_both_families() {
        let v4 = Endpoint::parse("1.2.3.4", 80, 4).expect("v4");
        assert_eq!((v4.ip, v4.ip_type), (0x0102_0304, 4));
        assert_eq!(Endpoint::parse("::1", 80, 4).expect("v6").ip_type, 6);
        assert!(Endpoint::parse("nope", 80, 4).is_none());
    }
}
