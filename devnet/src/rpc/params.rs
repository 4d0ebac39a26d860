//! Parameters as a substrate node takes them: positional (a JSON array) or named (a JSON object
//! keyed by substrate's parameter names), hex with or without `0x`.

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned, Params};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::mirror::primitive_types::H256;
use crate::mirror::sp_core::crypto::AccountId32;

/// JSON-RPC "invalid params".
pub const INVALID_PARAMS: i32 = -32602;

/// A method result with the node's error objects.
pub type RpcResult<T> = Result<T, ErrorObjectOwned>;

/// An "Invalid params" error naming what was wrong.
pub fn invalid_params(detail: impl Into<String>) -> ErrorObjectOwned {
    ErrorObject::owned(INVALID_PARAMS, "Invalid params", Some(detail.into()))
}

/// A method's parameters, by position, whichever form the client sent.
pub struct Args(Vec<Value>);

impl Args {
    /// Reads `params` for a method whose parameters are `names` (substrate's names, in order),
    /// of which the first `required` must be present. As a node's jsonrpsee server does, a
    /// named parameter may also be spelled in lowerCamelCase, unknown names and extra
    /// positional values are ignored, and a method without parameters ignores whatever it gets.
    pub fn new(params: &Params<'_>, names: &[&str], required: usize) -> RpcResult<Self> {
        if names.is_empty() {
            return Ok(Self(Vec::new()));
        }
        let parse_error = |e: ErrorObjectOwned| {
            invalid_params(e.data().map(|d| d.get().to_string()).unwrap_or_default())
        };
        let mut values: Vec<Value> = if params.is_object() {
            let object: serde_json::Map<String, Value> = params.parse().map_err(parse_error)?;
            names
                .iter()
                .map(|n| {
                    object
                        .get(*n)
                        .or_else(|| object.get(&camel_case(n)))
                        .cloned()
                        .unwrap_or(Value::Null)
                })
                .collect()
        } else {
            params.parse::<Option<Vec<Value>>>().map_err(parse_error)?.unwrap_or_default()
        };
        values.truncate(names.len());
        while values.last() == Some(&Value::Null) {
            values.pop();
        }
        if let Some(missing) = names
            .iter()
            .take(required)
            .enumerate()
            .find_map(|(i, n)| matches!(values.get(i), None | Some(Value::Null)).then_some(*n))
        {
            return Err(invalid_params(format!("missing field `{missing}`")));
        }
        Ok(Self(values))
    }

    /// The raw value of parameter `i` (`None` when absent or null).
    pub fn raw(&self, i: usize) -> Option<&Value> {
        self.0.get(i).filter(|v| !v.is_null())
    }

    /// Parameter `i`, absent or `null` meaning `None`.
    pub fn opt<T: DeserializeOwned>(&self, i: usize, what: &str) -> RpcResult<Option<T>> {
        match self.raw(i) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v.clone())
                .map(Some)
                .map_err(|e| invalid_params(format!("invalid {what} {v}: {e}"))),
        }
    }

    /// Parameter `i`, which must be present.
    pub fn req<T: DeserializeOwned>(&self, i: usize, what: &str) -> RpcResult<T> {
        self.opt(i, what)?.ok_or_else(|| invalid_params(format!("missing {what}")))
    }

    /// Parameter `i` as hex bytes (`0x` optional).
    pub fn bytes(&self, i: usize, what: &str) -> RpcResult<Option<Vec<u8>>> {
        let Some(text) = self.opt::<String>(i, what)? else { return Ok(None) };
        parse_hex(&text)
            .map(Some)
            .map_err(|e| invalid_params(format!("invalid {what} {text:?}: {e}")))
    }

    /// Parameter `i` as a block hash.
    pub fn hash(&self, i: usize) -> RpcResult<Option<H256>> {
        let Some(bytes) = self.bytes(i, "block hash")? else { return Ok(None) };
        let arr: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            invalid_params(format!("invalid block hash: {} bytes, expected 32", b.len()))
        })?;
        Ok(Some(H256(arr)))
    }

    /// Parameter `i` as a list of byte strings.
    pub fn byte_list(&self, i: usize, what: &str) -> RpcResult<Option<Vec<Vec<u8>>>> {
        let Some(items) = self.opt::<Vec<Value>>(i, what)? else { return Ok(None) };
        items
            .iter()
            .map(|v| value_bytes(v).map_err(|e| invalid_params(format!("invalid {what} {v}: {e}"))))
            .collect::<RpcResult<Vec<_>>>()
            .map(Some)
    }
}

/// `start_key` → `startKey`: the other spelling jsonrpsee accepts for a named parameter.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes from a JSON value: hex text (`0x` optional, `""` empty) or an array of byte values.
fn value_bytes(v: &Value) -> Result<Vec<u8>, String> {
    match v {
        Value::String(text) => parse_hex(text),
        Value::Array(items) => items
            .iter()
            .map(|x| {
                x.as_u64()
                    .and_then(|b| u8::try_from(b).ok())
                    .ok_or_else(|| format!("{x} is not a byte"))
            })
            .collect(),
        other => Err(format!("expected hex or an array of bytes, got {other}")),
    }
}

/// Hex text with or without `0x`, as substrate's `Bytes` and hashes accept it.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| e.to_string())
}

/// `0x`-prefixed hex.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// A hash as the node writes it.
pub fn hash_hex(hash: &H256) -> String {
    to_hex(&hash.0)
}

/// A block number: a JSON number or a `0x` hex string (substrate's `NumberOrHex`).
pub fn block_number(v: &Value) -> RpcResult<Option<u64>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            n.as_u64().map(Some).ok_or_else(|| invalid_params(format!("invalid block number {n}")))
        }
        Value::String(s) => {
            let digits = s
                .strip_prefix("0x")
                .ok_or_else(|| invalid_params(format!("invalid block number {s:?}")))?;
            u64::from_str_radix(digits, 16)
                .map(Some)
                .map_err(|_| invalid_params(format!("invalid block number {s:?}")))
        }
        other => Err(invalid_params(format!("invalid block number {other}"))),
    }
}

/// An account given as SS58 or as 32 bytes of hex.
pub fn parse_account(address: &str) -> RpcResult<AccountId32> {
    use sp_core::crypto::Ss58Codec;
    if let Some(arr) = parse_hex(address).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
        return Ok(AccountId32(arr));
    }
    sp_core::crypto::AccountId32::from_ss58check(address)
        .map(|a| AccountId32(*a.as_ref()))
        .map_err(|e| invalid_params(format!("invalid account {address:?}: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str, names: &[&str], required: usize) -> RpcResult<Args> {
        Args::new(&Params::new(Some(json)), names, required)
    }

    #[test]
    fn named_and_positional_parameters_read_the_same() {
        let named = args(
            r#"{"hash": null, "name": "Core_version", "bytes": "0x"}"#,
            &["name", "bytes", "hash"],
            2,
        )
        .expect("named");
        let positional =
            args(r#"["Core_version", "0x"]"#, &["name", "bytes", "hash"], 2).expect("positional");
        assert_eq!(named.0, positional.0);
        assert!(
            args(r#"{"bytes": "0x"}"#, &["name", "bytes", "hash"], 2).is_err(),
            "name is required"
        );
        let names = ["prefix", "count", "start_key", "hash"];
        let camel = args(r#"{"prefix": "00", "count": 5, "startKey": "0x01"}"#, &names, 2)
            .expect("camelCase");
        assert_eq!(camel.0[2], serde_json::json!("0x01"));
        let extra = args(r#"["a", "b", "c", "d"]"#, &["name", "bytes", "hash"], 2);
        assert_eq!(extra.expect("extra values are ignored").0.len(), 3);
        assert!(args("{}", &[], 0).is_ok() && args("[1]", &[], 0).is_ok());
    }

    #[test]
    fn hex_is_read_with_or_without_0x() {
        assert_eq!(parse_hex("0x0100"), Ok(vec![1, 0]));
        assert_eq!(parse_hex("0100"), Ok(vec![1, 0]));
        assert!(parse_hex("0x010").is_err());
        assert_eq!(parse_hex(""), Ok(vec![]));
        assert_eq!(value_bytes(&serde_json::json!([1, 0])), Ok(vec![1, 0]));
        assert!(value_bytes(&serde_json::json!([256])).is_err());
    }
}
