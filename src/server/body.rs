//! Request bodies: the types the write handlers receive are the types the OpenAPI document
//! describes (utoipa derive, with the constraints the validation enforces), and bad input is
//! answered as the Python Pylon's pydantic models answer it: 400 `Validation failed for METHOD
//! PATH` with a `{key, message}` per bad field; a body too large or not JSON is a 413 or 400
//! naming the problem, never a 500.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{Method, StatusCode, Uri};
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};

use super::error::ApiError;
use crate::writes::calls::{self, MAX_BIG_RAW};
use crate::writes::commit;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Longest text of a timelocked commitment, in UTF-8 bytes: its SCALE string encrypted must
/// stay within the pallet's 1024-byte `TimelockEncrypted` field.
pub const MAX_REVEALED_BYTES: usize = 768;
/// Largest `blocks_until_reveal` (about 380 years of 12-second blocks).
pub const MAX_BLOCKS_UNTIL_REVEAL: u64 = 1_000_000_000;
/// Largest block number a query parameter takes (2^53 − 1, exact in every JSON reader).
pub const MAX_QUERY_BLOCK: u64 = (1 << 53) - 1;
/// A commitment's hex data: `0x` optional, 1 to 512 bytes.
pub const COMMITMENT_PATTERN: &str = "^(0x)?([0-9a-fA-F]{2}){1,512}$";
/// A weight given as a string: a non-negative decimal number below 10^300.
pub const NUMERIC_PATTERN: &str = r"^\s*\+?([0-9]{1,300}(\.[0-9]*)?|\.[0-9]+)\s*$";
/// Largest weight (weights are relative: the job scales them by their maximum).
pub const MAX_WEIGHT: f64 = 1e300;

/// `PUT …/weights` body.
#[derive(Debug, utoipa::ToSchema)]
pub struct SetWeightsBody {
    /// Hotkey → weight: at least one, hotkeys non-empty, weights numbers ≥ 0 (decimal strings
    /// are accepted too).
    #[schema(schema_with = weights_schema)]
    pub weights: BTreeMap<String, f64>,
}

fn weights_schema() -> Schema {
    let number = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Number))
        .minimum(Some(0.0))
        .maximum(Some(MAX_WEIGHT));
    let text = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .pattern(Some(NUMERIC_PATTERN));
    let weight = OneOfBuilder::new().item(number).item(text).build();
    let names =
        ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)).min_length(Some(1));
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Object))
            .min_properties(Some(1))
            .property_names(Some(names))
            .additional_properties(Some(utoipa::openapi::RefOr::T(Schema::OneOf(weight))))
            .build(),
    )
}

/// `POST …/commitments` body.
#[derive(Debug, utoipa::ToSchema)]
pub struct SetCommitmentBody {
    /// Hex data, `0x` optional, 1 to 512 bytes.
    #[schema(value_type = String, pattern = "^(0x)?([0-9a-fA-F]{2}){1,512}$")]
    pub commitment: Vec<u8>,
}

/// `POST /api/_unstable/…/commitments/revealed` body.
#[derive(Debug, utoipa::ToSchema)]
pub struct SetRevealedCommitmentBody {
    /// The text to commit, revealed as it is (at most 768 bytes of UTF-8).
    #[schema(min_length = 1, max_length = 192)]
    pub commitment: String,
    /// Blocks until the chain reveals it.
    #[schema(minimum = 1, maximum = 1_000_000_000, default = 360, required = false)]
    pub blocks_until_reveal: u64,
}

/// `POST …/certificates/self` body (`{}` is the same as `{"algorithm": 1}`).
#[derive(Debug, utoipa::ToSchema)]
pub struct CertificateRequest {
    /// 1 (Ed25519), the default and only supported value.
    #[schema(minimum = 1, maximum = 1, default = 1, required = false)]
    pub algorithm: u8,
}

/// `POST …/evm/contracts/{address}/logs` body.
#[derive(Debug, utoipa::ToSchema)]
pub struct EvmLogsBody {
    /// The contract's ABI (JSON ABI entries); only the `event` entries are used.
    #[schema(value_type = Vec<Object>)]
    pub abi: Vec<serde_json::Map<String, Value>>,
}

/// Where a body came from, for the validation detail.
pub struct Origin<'a> {
    /// The method.
    pub method: &'a Method,
    /// The request URI.
    pub uri: &'a Uri,
}

/// A decimal string as [`NUMERIC_PATTERN`] describes it.
fn numeric(text: &str) -> Option<f64> {
    let t = text.trim();
    let body = t.strip_prefix('+').unwrap_or(t);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let ok = digits(whole)
        && digits(fraction)
        && whole.len() <= 300
        && !(whole.is_empty() && fraction.is_empty())
        && (!whole.is_empty() || body.contains('.'));
    if ok { body.parse().ok() } else { None }
}

/// A JSON integer; as JSON Schema says, `2.0` is one too.
fn integer(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        let f = v.as_f64()?;
        (f.fract() == 0.0 && (0.0..=MAX_QUERY_BLOCK as f64).contains(&f)).then_some(f as u64)
    })
}

impl Origin<'_> {
    fn path(&self) -> &str {
        self.uri.path_and_query().map_or(self.uri.path(), |p| p.as_str())
    }

    fn invalid(&self, key: &str, message: impl Into<String>) -> ApiError {
        ApiError::validation(
            self.method.as_str(),
            self.path(),
            vec![(key.to_string(), message.into())],
        )
    }

    fn all_invalid(&self, bad: Vec<(String, String)>) -> ApiError {
        ApiError::validation(self.method.as_str(), self.path(), bad)
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

    /// [`SetWeightsBody`], every bad weight reported.
    pub fn weights(&self, body: Result<Bytes, BytesRejection>) -> Result<SetWeightsBody, ApiError> {
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
                Value::String(s) => numeric(s),
                _ => None,
            };
            match number {
                Some(w) if w.is_finite() && (0.0..=MAX_WEIGHT).contains(&w) => {
                    out.insert(hotkey, w);
                }
                Some(w) => bad.push((
                    key,
                    format!(
                        "Value error, weight must be a number from 0 to {MAX_WEIGHT:e}, got {w}"
                    ),
                )),
                None if value.is_string() => bad.push((
                    key,
                    "Input should be a valid number, unable to parse string as a number".into(),
                )),
                None => bad.push((key, "Input should be a valid number".into())),
            }
        }
        if !bad.is_empty() {
            return Err(self.all_invalid(bad));
        }
        Ok(SetWeightsBody { weights: out })
    }

    /// [`SetCommitmentBody`].
    pub fn commitment(
        &self,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<SetCommitmentBody, ApiError> {
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
        Ok(SetCommitmentBody { commitment: bytes })
    }

    /// [`SetRevealedCommitmentBody`] (`blocks_until_reveal` defaults to 360).
    pub fn revealed_commitment(
        &self,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<SetRevealedCommitmentBody, ApiError> {
        let mut map = self.object(body, false)?;
        let text = match map.remove("commitment") {
            None => return Err(self.invalid("commitment", "Field required")),
            Some(Value::String(s)) if s.is_empty() => {
                return Err(
                    self.invalid("commitment", "Value error, Data should have at least 1 byte")
                );
            }
            Some(Value::String(s)) if s.chars().count() > 192 || s.len() > MAX_REVEALED_BYTES => {
                let message = format!(
                    "Value error, the text is {} characters ({} bytes); at most 192 characters \
                     and {MAX_REVEALED_BYTES} bytes fit",
                    s.chars().count(),
                    s.len()
                );
                return Err(self.invalid("commitment", message));
            }
            Some(Value::String(s)) => s,
            Some(_) => return Err(self.invalid("commitment", "Input should be a valid string")),
        };
        let blocks = match map.remove("blocks_until_reveal") {
            None => 360,
            Some(v) => match integer(&v) {
                Some(n) if (1..=MAX_BLOCKS_UNTIL_REVEAL).contains(&n) => n,
                _ => {
                    return Err(self.invalid(
                        "blocks_until_reveal",
                        format!(
                            "Input should be an integer from 1 to {MAX_BLOCKS_UNTIL_REVEAL}, got {v}"
                        ),
                    ));
                }
            },
        };
        Ok(SetRevealedCommitmentBody { commitment: text, blocks_until_reveal: blocks })
    }

    /// [`CertificateRequest`].
    pub fn certificate(
        &self,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<CertificateRequest, ApiError> {
        let map = self.object(body, true)?;
        match map.get("algorithm") {
            None => Ok(CertificateRequest { algorithm: 1 }),
            Some(v) if integer(v) == Some(1) => Ok(CertificateRequest { algorithm: 1 }),
            Some(_) => Err(self.invalid(
                "algorithm",
                "Value error, Currently, only algorithm equals 1 is supported which is EdDSA using Ed25519 curve",
            )),
        }
    }

    /// [`EvmLogsBody`]: a list of JSON objects.
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
                _ => bad.push((format!("abi.{i}"), "Input should be a valid dictionary".into())),
            }
        }
        if !bad.is_empty() {
            return Err(self.all_invalid(bad));
        }
        Ok(EvmLogsBody { abi })
    }

    /// The `from_block` and `to_block` query parameters: block numbers up to
    /// [`MAX_QUERY_BLOCK`] (a range with `from > to` holds nothing).
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
                Ok(n) if n <= MAX_QUERY_BLOCK => Some(n),
                _ => {
                    let message = format!(
                        "Input should be a block number from 0 to {MAX_QUERY_BLOCK}, got {text:?}"
                    );
                    bad.push((key.to_string(), message));
                    None
                }
            },
        };
        match (get("from_block"), get("to_block")) {
            (Some(f), Some(t)) => Ok((f, t)),
            _ => Err(self.all_invalid(bad)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_as_the_pattern_describes() {
        for ok in ["1", " 0.5 ", "+2", ".5", "5."] {
            assert!(numeric(ok).is_some(), "{ok}");
        }
        let huge = "9".repeat(301);
        for bad in ["", "-1", "inf", "NaN", "1e3", ".", "0x10", "1_000", "e5", huge.as_str()] {
            assert!(numeric(bad).is_none(), "{bad}");
        }
    }
}
