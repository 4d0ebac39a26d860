//! Request bodies of the write routes, validated as the Python Pylon's pydantic models are:
//! 400 `Validation failed for METHOD PATH` with a `{key, message}` per bad field; a body too
//! large or not JSON is a 413 or 400 naming the problem, never a 500.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{Method, StatusCode, Uri};
use serde_json::Value;

use super::error::ApiError;

/// `POST …/evm/contracts/{address}/logs` body.
#[derive(Debug, utoipa::ToSchema)]
pub struct EvmLogsBody {
    /// The contract's ABI (JSON ABI entries); only the `event` entries are used.
    #[schema(value_type = Vec<Object>)]
    pub abi: Vec<serde_json::Map<String, Value>>,
}
use crate::writes::calls::{self, MAX_BIG_RAW};
use crate::writes::commit;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Where a body came from, for the validation detail.
pub struct Origin<'a> {
    /// The method.
    pub method: &'a Method,
    /// The request URI.
    pub uri: &'a Uri,
}

impl Origin<'_> {
    fn invalid(&self, key: &str, message: impl Into<String>) -> ApiError {
        let path = self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str());
        ApiError::validation(self.method.as_str(), path, vec![(key.to_string(), message.into())])
    }

    /// The body as a JSON object (an empty body reads as `{}` when `empty_ok`).
    fn object(
        &self,
        body: Result<Bytes, BytesRejection>,
        empty_ok: bool,
    ) -> Result<serde_json::Map<String, Value>, ApiError> {
        let bytes = body.map_err(|e| {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    format!("Request body is larger than {MAX_BODY_BYTES} bytes."),
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, format!("Cannot read the request body: {e}"))
            }
        })?;
        if empty_ok && bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Map::new());
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(self.invalid("body", "Input should be a valid dictionary or object")),
            Err(e) => Err(self.invalid("body", format!("Invalid JSON: {e}"))),
        }
    }

    /// `{"weights": {hotkey: number}}`: a non-empty map, non-empty keys, finite numbers ≥ 0
    /// (numeric strings accepted, as pydantic's lax mode does).
    pub fn weights(
        &self,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<BTreeMap<String, f64>, ApiError> {
        let mut map = self.object(body, false)?;
        let weights = match map.remove("weights") {
            None => return Err(self.invalid("weights", "Field required")),
            Some(Value::Object(w)) => w,
            Some(_) => return Err(self.invalid("weights", "Input should be a valid dictionary")),
        };
        if weights.is_empty() {
            return Err(self.invalid("weights", "Value error, No weights provided"));
        }
        let mut out = BTreeMap::new();
        let mut bad = Vec::new();
        for (hotkey, value) in weights {
            let key = format!("weights.{hotkey}");
            if hotkey.is_empty() {
                let message = "Value error, Invalid hotkey: '' must be a non-empty string";
                bad.push(("weights".to_string(), message.to_string()));
                continue;
            }
            let number = match &value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            match number {
                Some(w) if w.is_finite() && w >= 0.0 => {
                    out.insert(hotkey, w);
                }
                Some(w) => bad.push((
                    key,
                    format!("Value error, weight must be a finite number ≥ 0, got {w}"),
                )),
                None if value.is_string() => bad.push((
                    key,
                    "Input should be a valid number, unable to parse string as a number".into(),
                )),
                None => bad.push((key, "Input should be a valid number".into())),
            }
        }
        if !bad.is_empty() {
            let path = self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str());
            return Err(ApiError::validation(self.method.as_str(), path, bad));
        }
        Ok(out)
    }

    /// `{"commitment": "<hex, 0x optional>"}`, 1 to 512 bytes.
    pub fn commitment(&self, body: Result<Bytes, BytesRejection>) -> Result<Vec<u8>, ApiError> {
        let mut map = self.object(body, false)?;
        let text = match map.remove("commitment") {
            None => return Err(self.invalid("commitment", "Field required")),
            Some(Value::String(s)) => s,
            Some(_) => {
                return Err(self
                    .invalid("commitment", "Value error, commitment must be bytes or hex string"));
            }
        };
        let bytes = commit::parse_hex(&text)
            .map_err(|e| self.invalid("commitment", format!("Value error, {e}")))?;
        calls::commitment_data(&bytes).map_err(|_| {
            self.invalid(
                "commitment",
                format!(
                    "Value error, the commitment is {} bytes; at most {MAX_BIG_RAW} fit",
                    bytes.len()
                ),
            )
        })?;
        Ok(bytes)
    }

    /// `{"commitment": "<text>", "blocks_until_reveal": N}` (N ≥ 1, default 360): the text is
    /// committed as its UTF-8 bytes.
    pub fn revealed_commitment(
        &self,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<(Vec<u8>, u64), ApiError> {
        let mut map = self.object(body, false)?;
        let text = match map.remove("commitment") {
            None => return Err(self.invalid("commitment", "Field required")),
            Some(Value::String(s)) if s.is_empty() => {
                return Err(
                    self.invalid("commitment", "Value error, Data should have at least 1 byte")
                );
            }
            Some(Value::String(s)) => s,
            Some(_) => return Err(self.invalid("commitment", "Input should be a valid string")),
        };
        let blocks = match map.remove("blocks_until_reveal") {
            None => 360,
            Some(v) => match v.as_u64() {
                Some(n) if n >= 1 => n,
                _ => {
                    return Err(self.invalid(
                        "blocks_until_reveal",
                        "Input should be a valid integer greater than or equal to 1",
                    ));
                }
            },
        };
        Ok((text.into_bytes(), blocks))
    }

    /// `{"abi": [entry, …]}`: a list of JSON objects (ABI entries; only `event` ones are used).
    pub fn evm_logs(&self, body: Result<Bytes, BytesRejection>) -> Result<EvmLogsBody, ApiError> {
        let mut map = self.object(body, false)?;
        let items = match map.remove("abi") {
            None => return Err(self.invalid("abi", "Field required")),
            Some(Value::Array(items)) => items,
            Some(_) => return Err(self.invalid("abi", "Input should be a valid list")),
        };
        let mut abi = Vec::with_capacity(items.len());
        let mut bad = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::Object(entry) => abi.push(entry),
                _ => {
                    bad.push((format!("abi.{i}"), "Input should be a valid dictionary".to_string()))
                }
            }
        }
        if !bad.is_empty() {
            let path = self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str());
            return Err(ApiError::validation(self.method.as_str(), path, bad));
        }
        Ok(EvmLogsBody { abi })
    }

    /// The `from_block` and `to_block` query parameters: block numbers, `from ≤ to`.
    pub fn block_range(
        &self,
        query: &std::collections::HashMap<String, String>,
    ) -> Result<(u64, u64), ApiError> {
        let mut bad = Vec::new();
        let mut get = |key: &str| match query.get(key) {
            None => {
                bad.push((key.to_string(), "Field required".to_string()));
                None
            }
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let message =
                        format!("Input should be a block number (an integer ≥ 0), got {text:?}");
                    bad.push((key.to_string(), message));
                    None
                }
            },
        };
        let (from, to) = (get("from_block"), get("to_block"));
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            bad.push((
                "to_block".into(),
                format!("Value error, to_block ({t}) is below from_block ({f})"),
            ));
        }
        match (from, to) {
            (Some(f), Some(t)) if bad.is_empty() => Ok((f, t)),
            _ => {
                let path = self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str());
                Err(ApiError::validation(self.method.as_str(), path, bad))
            }
        }
    }

    /// `{"algorithm": 1}` (the default; nothing else is supported).
    pub fn certificate(&self, body: Result<Bytes, BytesRejection>) -> Result<u8, ApiError> {
        let map = self.object(body, true)?;
        match map.get("algorithm") {
            None => Ok(1),
            Some(v) if v.as_u64() == Some(1) || v.as_str() == Some("1") => Ok(1),
            Some(_) => Err(self.invalid(
                "algorithm",
                "Value error, Currently, only algorithm equals 1 is supported which is EdDSA using Ed25519 curve",
            )),
        }
    }
}
