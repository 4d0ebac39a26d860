//! Typed path parameters. A parameter that does not parse is 404 `Not Found`, as in the Python
//! service (Litestar turns a routing type mismatch into NotFound), and that is decided before
//! any auth ([`typed_first`]).

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, RawPathParams, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::error::ApiError;
use crate::chain::BlockAt;

/// Path parameters as `T`; any mismatch answers 404 `Not Found`.
pub struct P<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for P<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| P(t))
            .map_err(|_| ApiError::not_found())
    }
}

/// A `{block}` segment: `latest`, `-1` (turbobt's latest marker) or a block number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockParam(pub i64);

impl BlockParam {
    /// The block to read at; a negative number other than -1 is 404 `Block N not found.`.
    pub fn at(self) -> Result<BlockAt, ApiError> {
        match self.0 {
            -1 => Ok(BlockAt::Latest),
            n if n >= 0 => Ok(BlockAt::Number(n as u64)),
            n => Err(ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                format!("Block {n} not found."),
            )),
        }
    }
}

impl<'de> Deserialize<'de> for BlockParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_block(&text).map(BlockParam).ok_or_else(|| serde::de::Error::custom("not a block"))
    }
}

fn parse_block(text: &str) -> Option<i64> {
    if text == "latest" { Some(-1) } else { text.parse().ok() }
}

/// `/subnet/{netuid}/…`.
#[derive(Deserialize)]
pub struct Subnet {
    /// The subnet.
    pub netuid: u16,
}

/// `/subnet/{netuid}/block/{block}/…`.
#[derive(Deserialize)]
pub struct SubnetAt {
    /// The subnet.
    pub netuid: u16,
    /// The block.
    pub block: BlockParam,
}

/// `/subnet/{netuid}/…/{hotkey}` (or `/identity/{identity}/subnet/{netuid}/…/self`).
#[derive(Deserialize)]
pub struct SubnetHotkey {
    /// The subnet.
    pub netuid: u16,
    /// The hotkey, absent on `/self` routes.
    pub hotkey: Option<String>,
    /// The identity, on identity routes.
    pub identity: Option<String>,
}

/// `/identity/{identity}/subnet/{netuid}/…` (with `/mechanism/{mechanism_id}` on unstable
/// weights routes).
#[derive(Deserialize)]
pub struct IdentitySubnet {
    /// The identity.
    pub identity: String,
    /// Its subnet.
    pub netuid: u16,
    /// The mechanism; v1 routes have none (mechanism 0).
    pub mechanism_id: Option<u8>,
}

/// `/identity/{identity}/subnet/{netuid}/mechanism/{mechanism_id}/block/{block}/…`.
#[derive(Deserialize)]
pub struct IdentityMechanismAt {
    /// The identity.
    pub identity: String,
    /// Its subnet.
    pub netuid: u16,
    /// The mechanism (0 is the subnet's main one).
    pub mechanism_id: u8,
    /// The block.
    pub block: BlockParam,
}

/// `/block/{block}/…` outside a subnet.
#[derive(Deserialize)]
pub struct At {
    /// The block.
    pub block: BlockParam,
}

/// `/block/{block}/extrinsic/{extrinsic_index}`.
#[derive(Deserialize)]
pub struct ExtrinsicAt {
    /// The block.
    pub block: BlockParam,
    /// The extrinsic's index in the block (a negative one is never found).
    pub extrinsic_index: i64,
}

/// `/evm/contracts/{contract_address}/logs`.
#[derive(Deserialize)]
pub struct Contract {
    /// The contract's address, as given (checked by the handler: 400 when invalid).
    pub contract_address: String,
}

/// Whether the raw value of path parameter `name` has its type.
fn well_typed(name: &str, value: &str) -> bool {
    match name {
        "netuid" => value.parse::<u16>().is_ok(),
        "mechanism_id" => value.parse::<u8>().is_ok(),
        "extrinsic_index" => value.parse::<i64>().is_ok(),
        "block" => parse_block(value).is_some_and(|n| n >= -1),
        _ => true,
    }
}

/// The answer to a path parameter that does not have its type: 404 `Not Found`, or for a
/// negative block number (only -1 means something) `Block N not found.`, as the service says.
fn mistyped(name: &str, value: &str) -> ApiError {
    match (name, parse_block(value)) {
        ("block", Some(n)) => BlockParam(n).at().err().unwrap_or_else(ApiError::not_found),
        _ => ApiError::not_found(),
    }
}

/// The 404 for a path whose typed parameters do not parse; guards check it before anything
/// else (see [`typed_first`]).
pub fn mistyped_path(params: &RawPathParams) -> Option<ApiError> {
    params.iter().find(|(name, value)| !well_typed(name, value)).map(|(n, v)| mistyped(n, v))
}

/// Answers 404 for a path whose typed parameters do not parse (for routes without a guard).
pub async fn typed_first(params: RawPathParams, request: Request, next: Next) -> Response {
    match mistyped_path(&params) {
        Some(e) => e.into_response(),
        None => next.run(request).await,
    }
}

/// The parameters of a request path, by name (for tests and the doc).
pub fn names(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|p| p.split('}').next()).collect()
}

/// Raw parameters, when a handler needs them all.
pub type Raw = Path<HashMap<String, String>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_segments() {
        assert!(well_typed("netuid", "7") && !well_typed("netuid", "abc"));
        assert!(!well_typed("netuid", "70000"), "netuids are u16");
        assert!(well_typed("block", "latest") && well_typed("block", "-1"));
        assert!(well_typed("block", "123") && !well_typed("block", "12a"));
        assert!(!well_typed("block", "-2"), "only -1 of the negatives means something");
        assert_eq!(mistyped("block", "-2").detail, "Block -2 not found.");
        assert_eq!(mistyped("netuid", "x").detail, "Not Found");
        assert!(well_typed("hotkey", "anything"));
        assert_eq!(BlockParam(-1).at(), Ok(BlockAt::Latest));
        assert_eq!(BlockParam(5).at(), Ok(BlockAt::Number(5)));
        assert_eq!(BlockParam(-5).at().unwrap_err().detail, "Block -5 not found.");
        assert_eq!(names("/a/{netuid}/b/{block}"), vec!["netuid", "block"]);
    }
}
